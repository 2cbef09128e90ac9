# `pgparity up` / `test --attach` / `down` from the outside, as ctest drives them:
#   cmake -DPGPARITY=<exe> -DCONFIG=<pgparity.yaml> -DWORK=<scratch dir> -P shared_cluster_test.cmake
# Each step names what it expected on failure.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(state "${WORK}/cluster.state")

# run(<expected exit> <output regex> args...): runs pgparity, checks status and output.
function(run expected pattern)
  execute_process(COMMAND "${PGPARITY}" ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  set(all "${out}${err}")
  if(NOT rc STREQUAL "${expected}")
    message(FATAL_ERROR "pgparity ${ARGN}: exit ${rc}, expected ${expected}; output:\n${all}")
  endif()
  if(NOT all MATCHES "${pattern}")
    message(FATAL_ERROR "pgparity ${ARGN}: output does not match `${pattern}`:\n${all}")
  endif()
  set(output "${all}" PARENT_SCOPE)
endfunction()

# The run directory a state file names (the server's socket, data and log live there).
function(run_dir_of file out_var)
  file(STRINGS "${file}" line REGEX "^run_dir: ")
  string(REGEX REPLACE "^run_dir: " "" dir "${line}")
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "${file} names run directory `${dir}`, which does not exist")
  endif()
  set(${out_var} "${dir}" PARENT_SCOPE)
endfunction()

function(expect_gone dir seconds why)
  foreach(i RANGE ${seconds})
    if(NOT EXISTS "${dir}")
      return()
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 0.2)
  endforeach()
  message(FATAL_ERROR "${dir} still exists: ${why}")
endfunction()

# Nothing running: down is not an error (ctest runs it even when up failed).
run(0 "nothing to stop" down --state "${state}")

# up returns while the server keeps running; test attaches to it.
run(0 "is running with the migrated schema" up --config "${CONFIG}" --state "${state}")
run_dir_of("${state}" first_run)
run(0 "template cache.*PASSED" test --config "${CONFIG}" --attach "${state}"
    --gtest_filter=Tables/*:Columns/*:Indexes/*)
execute_process(COMMAND ${CMAKE_COMMAND} -E env PGPARITY_ATTACH=${state}
                        "${PGPARITY}" test --config "${CONFIG}" --gtest_filter=Tables/*
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "Tables/Exists.Check/Task")
  message(FATAL_ERROR "PGPARITY_ATTACH: exit ${rc}:\n${out}${err}")
endif()

# A state file made for another project is refused, naming both configs.
get_filename_component(here "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(other "${here}/suites/testdata/examples/tiny/pgparity.yaml")
run(2 "started for .*todo_chat.*this run's config is .*tiny" test --config "${other}"
    --attach "${state}")

# up again on the same state file replaces the old server (an interrupted ctest run).
run(0 "is running" up --config "${CONFIG}" --state "${state}")
run_dir_of("${state}" second_run)
expect_gone("${first_run}" 50 "up did not stop the server the state file named before")

# down stops it and removes everything; attaching afterwards says what to do.
run(0 "stopped the server" down --state "${state}")
expect_gone("${second_run}" 1 "down returned before the server was stopped")
if(EXISTS "${state}")
  message(FATAL_ERROR "down left ${state}")
endif()
run(3 "does not exist.*pgparity up" test --config "${CONFIG}" --attach "${state}")
run(0 "nothing to stop" down --state "${state}")

# Safety nets: the server stops by itself after --max-lifetime, or when its state file goes.
run(0 "is running" up --config "${CONFIG}" --state "${WORK}/short.state" --max-lifetime 1)
run_dir_of("${WORK}/short.state" short_run)
expect_gone("${short_run}" 50 "the server outlived --max-lifetime 1")
if(EXISTS "${WORK}/short.state")
  message(FATAL_ERROR "the guardian left ${WORK}/short.state after the lifetime ran out")
endif()
run(0 "is running" up --config "${CONFIG}" --state "${WORK}/removed.state")
run_dir_of("${WORK}/removed.state" removed_run)
file(REMOVE "${WORK}/removed.state")
expect_gone("${removed_run}" 50 "the server outlived its state file")

# down after its guardian was killed still stops the server and removes its files.
run(0 "is running" up --config "${CONFIG}" --state "${state}")
run_dir_of("${state}" killed_run)
file(STRINGS "${state}" line REGEX "^guardian_pid: ")
string(REGEX REPLACE "^guardian_pid: " "" guardian "${line}")
execute_process(COMMAND kill -9 ${guardian})
execute_process(COMMAND ${CMAKE_COMMAND} -E sleep 0.5)
if(NOT EXISTS "${killed_run}")
  message(FATAL_ERROR "killing the guardian removed the server: the test proves nothing")
endif()
run(0 "stopped the server" down --state "${state}")
expect_gone("${killed_run}" 1 "down did not clean up after a killed guardian")

# Usage errors are exit 2 with what to do.
run(2 "needs --state FILE" up --config "${CONFIG}")
run(2 "did you mean `--state`" down --stat x)
message(STATUS "shared cluster: all steps passed")
