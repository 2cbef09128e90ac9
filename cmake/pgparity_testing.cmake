# The shared cluster (`pgparity up`/`down`, `test --attach`), the DatabaseTest fixture for users'
# own tests, and the ctest registration that uses both (pgparity_add_suite). Included by the
# top-level CMakeLists.txt after framework/ and suites/.
if(NOT TARGET pgparity_harness OR NOT TARGET pgparity)
  return()
endif()

set(harness_dir ${PGPARITY_SOURCE_DIR}/framework/harness)

# The state file of a shared cluster, `pgparity up`/`down` and --attach.
add_library(pgparity_shared_cluster STATIC
  ${harness_dir}/shared_cluster.cc
  ${harness_dir}/cluster_commands.cc)
target_include_directories(pgparity_shared_cluster PUBLIC
  $<BUILD_INTERFACE:${PGPARITY_SOURCE_DIR}/framework>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/pgparity>)
target_link_libraries(pgparity_shared_cluster
  PUBLIC pgparity_migrate pgparity_manifest pgparity_cluster pgparity_common PkgConfig::PQXX
         fmt::fmt
  PRIVATE pgparity_warnings)
set_target_properties(pgparity_shared_cluster PROPERTIES POSITION_INDEPENDENT_CODE ON)

# pgparity::DatabaseTest, the public fixture for a project's own database tests. Users include
# <pgparity/harness/database_test.h>, in this tree too (through a link to framework/).
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/include)
file(CREATE_LINK ${PGPARITY_SOURCE_DIR}/framework ${CMAKE_BINARY_DIR}/include/pgparity SYMBOLIC)
add_library(pgparity_database_test STATIC ${harness_dir}/database_test.cc)
target_include_directories(pgparity_database_test PUBLIC
  $<BUILD_INTERFACE:${PGPARITY_SOURCE_DIR}/framework>
  $<BUILD_INTERFACE:${CMAKE_BINARY_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/pgparity>)
target_link_libraries(pgparity_database_test
  PUBLIC pgparity_shared_cluster GTest::gtest PkgConfig::PQXX
  PRIVATE pgparity_warnings)
set_target_properties(pgparity_database_test PROPERTIES POSITION_INDEPENDENT_CODE ON)

# prepare_database() attaches when PGPARITY_ATTACH is set; main() dispatches up/down/--attach.
target_link_libraries(pgparity_harness PUBLIC pgparity_shared_cluster)
target_link_libraries(pgparity PRIVATE pgparity_shared_cluster)

# Everything, for users of the installed package: pgparity::pgparity.
add_library(pgparity_all INTERFACE)
set_target_properties(pgparity_all PROPERTIES EXPORT_NAME pgparity)
target_include_directories(pgparity_all INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_link_libraries(pgparity_all INTERFACE pgparity_database_test pgparity_harness)
add_library(pgparity::pgparity ALIAS pgparity_all)
add_executable(pgparity::cli ALIAS pgparity)

include(${CMAKE_CURRENT_LIST_DIR}/pgparity_suite.cmake)

if(NOT BUILD_TESTING)
  return()
endif()

# DatabaseTest itself, and the seed 003 checks a user would write (fixtures/cmake_consumer).
# Run on its own (it brings its own server up) and attached to the todo_chat suite's server.
set(todo_chat ${PGPARITY_SOURCE_DIR}/fixtures/examples/todo_chat/pgparity.yaml)
add_executable(database_test_test
  ${harness_dir}/database_test_test.cc
  ${PGPARITY_SOURCE_DIR}/fixtures/cmake_consumer/todo_chat_test.cc)
target_link_libraries(database_test_test PRIVATE pgparity_database_test GTest::gtest_main
                      pgparity_warnings)
add_test(NAME database_test_test COMMAND database_test_test)
set_tests_properties(database_test_test PROPERTIES LABELS db TIMEOUT 300
                     ENVIRONMENT "PGPARITY_CONFIG=${todo_chat}")

# The shared cluster from the outside: up, attach, down, stale state, lifetime.
add_test(NAME shared_cluster_test
         COMMAND ${CMAKE_COMMAND} -DPGPARITY=$<TARGET_FILE:pgparity> -DCONFIG=${todo_chat}
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/shared_cluster_test
                 -P ${CMAKE_CURRENT_LIST_DIR}/tests/shared_cluster_test.cmake)
set_tests_properties(shared_cluster_test PROPERTIES LABELS "db;suite" TIMEOUT 300)

# This repository's own example, registered as a user's project would be.
pgparity_add_suite(NAME todo_chat CONFIG ${todo_chat} LABELS suite
                   DATABASE_TESTS database_test_test)
pgparity_add_suite(NAME todo_chat_by_model CONFIG ${todo_chat} GRANULARITY model LABELS suite)

# The installed package from a separate project (fixtures/cmake_consumer), compiled with this
# build's flags: the libraries of a sanitizer build (the `asan` preset) need them to link.
add_test(NAME package/consumer
         COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${CMAKE_BINARY_DIR}
                 -DSOURCE_DIR=${PGPARITY_SOURCE_DIR}
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/package_test
                 "-DCONSUMER_CXX_FLAGS=${CMAKE_CXX_FLAGS}"
                 "-DCONSUMER_LINKER_FLAGS=${CMAKE_EXE_LINKER_FLAGS}"
                 -P ${CMAKE_CURRENT_LIST_DIR}/tests/package_test.cmake)
set_tests_properties(package/consumer PROPERTIES LABELS package TIMEOUT 900)
