# pgparity_module(NAME <name> SOURCES ... DEPENDS ... [TESTS ...] [TEST_DEPENDS ...])
# Declares library pgparity_<name> from framework/<name>, plus one gtest executable of its
# unit tests, registered with ctest under the label "unit" (or "db" when LABEL db is given).
function(pgparity_module)
  cmake_parse_arguments(M "" "NAME;LABEL" "SOURCES;DEPENDS;TESTS;TEST_DEPENDS" ${ARGN})
  add_library(pgparity_${M_NAME} STATIC ${M_SOURCES})
  target_include_directories(pgparity_${M_NAME} PUBLIC
    $<BUILD_INTERFACE:${PGPARITY_SOURCE_DIR}/framework>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/pgparity>)
  target_link_libraries(pgparity_${M_NAME} PUBLIC ${M_DEPENDS} PRIVATE pgparity_warnings)
  set_target_properties(pgparity_${M_NAME} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  if(M_TESTS AND BUILD_TESTING)
    if(NOT M_LABEL)
      set(M_LABEL unit)
    endif()
    add_executable(${M_NAME}_test ${M_TESTS})
    target_link_libraries(${M_NAME}_test PRIVATE pgparity_${M_NAME} ${M_TEST_DEPENDS}
                          GTest::gtest GTest::gtest_main pgparity_warnings)
    target_compile_definitions(${M_NAME}_test PRIVATE
      PGPARITY_SOURCE_DIR="${PGPARITY_SOURCE_DIR}"
      PGPARITY_BINARY_DIR="${CMAKE_BINARY_DIR}")
    add_test(NAME ${M_NAME}_test COMMAND ${M_NAME}_test)
    set_tests_properties(${M_NAME}_test PROPERTIES LABELS ${M_LABEL} TIMEOUT 600)
  endif()
endfunction()
