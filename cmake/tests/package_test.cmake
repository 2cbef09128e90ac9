# The installed package from a separate project, as a user would use it:
#   cmake -DBUILD_DIR=<pgparity build> -DSOURCE_DIR=<pgparity source> -DWORK=<scratch>
#         [-DCONSUMER_CXX_FLAGS=...] [-DCONSUMER_LINKER_FLAGS=...] -P package_test.cmake
# installs into WORK/prefix, configures and builds fixtures/cmake_consumer against it, runs its
# ctest (which must pass), and a broken suite's ctest (which must fail, showing the finding).
file(REMOVE_RECURSE "${WORK}")
set(prefix "${WORK}/prefix")
set(build "${WORK}/build")

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (exit ${rc}):\n${out}${err}")
  endif()
  set(output "${out}${err}" PARENT_SCOPE)
endfunction()

step("cmake --install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
foreach(file bin/pgparity include/pgparity/harness/database_test.h
             include/pgparity/cluster/server.h lib/cmake/pgparity/pgparityConfig.cmake
             lib/cmake/pgparity/pgparityConfigVersion.cmake
             lib/cmake/pgparity/pgparityTargets.cmake lib/cmake/pgparity/pgparity_suite.cmake)
  if(NOT EXISTS "${prefix}/${file}")
    message(FATAL_ERROR "cmake --install did not install ${file}")
  endif()
endforeach()

set(broken "${SOURCE_DIR}/fixtures/broken/todo_chat_no_cascade/pgparity.yaml")
step("configuring the consumer" ${CMAKE_COMMAND} -S "${SOURCE_DIR}/fixtures/cmake_consumer"
     -B "${build}" -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_PREFIX_PATH=${prefix}"
     "-DCONSUMER_BROKEN_CONFIG=${broken}" "-DCMAKE_CXX_FLAGS=${CONSUMER_CXX_FLAGS}"
     "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_LINKER_FLAGS}")
step("building the consumer" ${CMAKE_COMMAND} --build "${build}" -j2)

step("the consumer's ctest" ${CMAKE_CTEST_COMMAND} --test-dir "${build}" --output-on-failure
     -j2 -LE broken)
foreach(name consumer/up consumer/all consumer/consumer_tests consumer/down
             "100% tests passed")
  if(NOT output MATCHES "${name}")
    message(FATAL_ERROR "the consumer's ctest output lacks `${name}`:\n${output}")
  endif()
endforeach()

# A broken schema: one ctest entry per model; the failing one shows the finding.
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir "${build}" --output-on-failure -j2
                        -L broken
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(output "${out}${err}")
if(rc EQUAL 0)
  message(FATAL_ERROR "ctest passed on fixtures/broken/todo_chat_no_cascade:\n${output}")
endif()
foreach(pattern "broken/Message [^\n]*Failed" "broken/Task [^\n]*Passed" "broken/down [^\n]*Passed"
                "ForeignKeys/Match.Check/Message" "CASCADE")
  if(NOT output MATCHES "${pattern}")
    message(FATAL_ERROR "the broken suite's ctest output lacks `${pattern}`:\n${output}")
  endif()
endforeach()
message(STATUS "package: installed, consumer built, its suites pass and fail as they should")
