# pgparity_add_suite(NAME <name> CONFIG <pgparity.yaml>
#                    [GRANULARITY suite|family|model] [LABELS <label>...] [TIMEOUT <seconds>]
#                    [DATABASE_TESTS <gtest executable target>...])
#
# Registers a project's pgparity suite with ctest, sharing one migrated PostgreSQL between every
# test process of a ctest run (docs/cmake.md):
#   <name>/up     `pgparity up`: starts and migrates the server      (FIXTURES_SETUP <name>)
#   <name>/...    the checks, attached to that server             (FIXTURES_REQUIRED <name>)
#   <name>/down   `pgparity down`: stops it, even when tests failed (FIXTURES_CLEANUP <name>)
# GRANULARITY: `suite` (default) one ctest entry running every check; `family` one entry per
# check family (<name>/Tables/Exists); `model` one per model (<name>/User). Family and model
# entries are listed when ctest starts (`pgparity test --gtest_list_tests`, no database), so
# they follow the manifest without a re-configure. DATABASE_TESTS: executables of the
# project's own pgparity::DatabaseTest tests, run as <name>/<target> on the same server.
include_guard(GLOBAL)

set_property(GLOBAL PROPERTY PGPARITY_DISCOVER_SCRIPT
             "${CMAKE_CURRENT_LIST_DIR}/pgparity_discover.cmake")

function(pgparity_add_suite)
  cmake_parse_arguments(S "" "NAME;CONFIG;GRANULARITY;TIMEOUT" "LABELS;DATABASE_TESTS" ${ARGN})
  if(S_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "pgparity_add_suite: unknown argument(s) ${S_UNPARSED_ARGUMENTS}; "
                        "expected NAME, CONFIG, GRANULARITY, LABELS, TIMEOUT, DATABASE_TESTS")
  endif()
  if(NOT S_NAME OR NOT S_CONFIG)
    message(FATAL_ERROR "pgparity_add_suite: NAME and CONFIG are required, e.g. "
                        "pgparity_add_suite(NAME db CONFIG pgparity.yaml)")
  endif()
  if(NOT S_GRANULARITY)
    set(S_GRANULARITY suite)
  endif()
  if(NOT S_GRANULARITY MATCHES "^(suite|family|model)$")
    message(FATAL_ERROR "pgparity_add_suite(${S_NAME}): GRANULARITY `${S_GRANULARITY}` is not "
                        "one of suite, family, model")
  endif()
  if(NOT S_TIMEOUT)
    set(S_TIMEOUT 1500)
  endif()
  if(NOT TARGET pgparity::cli)
    message(FATAL_ERROR "pgparity_add_suite(${S_NAME}): no pgparity::cli target; call "
                        "find_package(pgparity REQUIRED) first")
  endif()
  get_filename_component(config "${S_CONFIG}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${config}")
    message(FATAL_ERROR "pgparity_add_suite(${S_NAME}): CONFIG ${config} does not exist")
  endif()
  set(state "${CMAKE_CURRENT_BINARY_DIR}/pgparity-${S_NAME}.state")
  set(exe "$<TARGET_FILE:pgparity::cli>")
  set(labels ${S_LABELS} pgparity)

  add_test(NAME ${S_NAME}/up COMMAND ${exe} up --config ${config} --state ${state})
  set_tests_properties(${S_NAME}/up PROPERTIES FIXTURES_SETUP ${S_NAME} LABELS "${labels}"
                       TIMEOUT ${S_TIMEOUT})
  add_test(NAME ${S_NAME}/down COMMAND ${exe} down --state ${state})
  set_tests_properties(${S_NAME}/down PROPERTIES FIXTURES_CLEANUP ${S_NAME} LABELS "${labels}"
                       TIMEOUT 120)

  if(S_GRANULARITY STREQUAL "suite")
    add_test(NAME ${S_NAME}/all COMMAND ${exe} test --config ${config} --attach ${state})
    set_tests_properties(${S_NAME}/all PROPERTIES FIXTURES_REQUIRED ${S_NAME}
                         LABELS "${labels}" TIMEOUT ${S_TIMEOUT})
  else()
    # Listed at ctest time by a script ctest includes (as gtest_discover_tests does).
    get_property(discover GLOBAL PROPERTY PGPARITY_DISCOVER_SCRIPT)
    set(include_file "${CMAKE_CURRENT_BINARY_DIR}/pgparity-${S_NAME}-tests.cmake")
    file(GENERATE OUTPUT "${include_file}" CONTENT
"set(PGPARITY_SUITE_NAME [==[${S_NAME}]==])
set(PGPARITY_SUITE_EXE [==[${exe}]==])
set(PGPARITY_SUITE_CONFIG [==[${config}]==])
set(PGPARITY_SUITE_STATE [==[${state}]==])
set(PGPARITY_SUITE_GRANULARITY [==[${S_GRANULARITY}]==])
set(PGPARITY_SUITE_LABELS [==[${labels}]==])
set(PGPARITY_SUITE_TIMEOUT [==[${S_TIMEOUT}]==])
set(PGPARITY_SUITE_JUNIT_DIR [==[${CMAKE_CURRENT_BINARY_DIR}/pgparity-${S_NAME}-junit]==])
include([==[${discover}]==])
")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
  endif()

  foreach(target IN LISTS S_DATABASE_TESTS)
    add_test(NAME ${S_NAME}/${target} COMMAND ${target})
    set_tests_properties(${S_NAME}/${target} PROPERTIES FIXTURES_REQUIRED ${S_NAME}
      LABELS "${labels}" TIMEOUT ${S_TIMEOUT}
      ENVIRONMENT "PGPARITY_ATTACH=${state};PGPARITY_CONFIG=${config}")
  endforeach()
endfunction()
