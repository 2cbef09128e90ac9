# Included by ctest (TEST_INCLUDE_FILES) for a pgparity_add_suite() with GRANULARITY family or
# model: lists the suite's tests (no database is touched) and registers one ctest entry per
# family or model. The PGPARITY_SUITE_* variables are set by the including file.
execute_process(
  COMMAND "${PGPARITY_SUITE_EXE}" test --config "${PGPARITY_SUITE_CONFIG}" --gtest_list_tests
  OUTPUT_VARIABLE _pgparity_listing ERROR_VARIABLE _pgparity_error
  RESULT_VARIABLE _pgparity_result)
if(NOT _pgparity_result EQUAL 0)
  # The listing failed (bad manifest, pgparity not built): a test that repeats it shows why.
  add_test("${PGPARITY_SUITE_NAME}/list" "${PGPARITY_SUITE_EXE}" test
           --config "${PGPARITY_SUITE_CONFIG}" --gtest_list_tests)
  set_tests_properties("${PGPARITY_SUITE_NAME}/list" PROPERTIES
                       LABELS "${PGPARITY_SUITE_LABELS}")
  return()
endif()

string(REPLACE "\n" ";" _pgparity_lines "${_pgparity_listing}")
set(_pgparity_groups)
foreach(_pgparity_line IN LISTS _pgparity_lines)
  if(_pgparity_line MATCHES "^([A-Za-z0-9_/]+)\\.$")
    set(_pgparity_family "${CMAKE_MATCH_1}")
    if(PGPARITY_SUITE_GRANULARITY STREQUAL "family")
      list(APPEND _pgparity_groups "${_pgparity_family}")
    endif()
  elseif(_pgparity_line MATCHES "^  [A-Za-z0-9_]+/([A-Za-z0-9_]+)")
    if(PGPARITY_SUITE_GRANULARITY STREQUAL "model")
      list(APPEND _pgparity_groups "${CMAKE_MATCH_1}")
    endif()
  endif()
endforeach()
list(REMOVE_DUPLICATES _pgparity_groups)

foreach(_pgparity_group IN LISTS _pgparity_groups)
  if(PGPARITY_SUITE_GRANULARITY STREQUAL "family")
    set(_pgparity_filter "${_pgparity_group}.*")
  else()
    set(_pgparity_filter "*/${_pgparity_group}")
  endif()
  string(REPLACE "/" "_" _pgparity_file "${_pgparity_group}")
  set(_pgparity_test "${PGPARITY_SUITE_NAME}/${_pgparity_group}")
  add_test("${_pgparity_test}" "${PGPARITY_SUITE_EXE}" test --config "${PGPARITY_SUITE_CONFIG}"
           --attach "${PGPARITY_SUITE_STATE}" "--gtest_filter=${_pgparity_filter}"
           "--gtest_output=xml:${PGPARITY_SUITE_JUNIT_DIR}/${_pgparity_file}.xml")
  set_tests_properties("${_pgparity_test}" PROPERTIES
                       FIXTURES_REQUIRED "${PGPARITY_SUITE_NAME}"
                       LABELS "${PGPARITY_SUITE_LABELS}" TIMEOUT "${PGPARITY_SUITE_TIMEOUT}")
endforeach()
