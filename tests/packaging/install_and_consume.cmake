# Script (cmake -P): install chancheck from BINARY_DIR into WORK_DIR/prefix, then configure,
# build and run the consumer project SOURCE_DIR against that prefix.
# Inputs: SOURCE_DIR, BINARY_DIR, WORK_DIR, CXX, optional CONSUMER_CXX_FLAGS.
foreach(_var SOURCE_DIR BINARY_DIR WORK_DIR CXX)
  if(NOT DEFINED ${_var} OR "${${_var}}" STREQUAL "")
    message(FATAL_ERROR "install_and_consume: -D${_var}=... is required")
  endif()
endforeach()

set(_prefix "${WORK_DIR}/prefix")
set(_build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${_prefix}" "${_build}")

# run_step(<name> <command...>): run a command, fail with its output if it does not exit 0.
function(run_step name)
  message(STATUS "install_and_consume: ${name}")
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE _rc
    OUTPUT_VARIABLE _out
    ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "install_and_consume: step '${name}' failed (result: ${_rc})\n"
                        "command: ${ARGN}\n${_out}")
  endif()
endfunction()

run_step("install" "${CMAKE_COMMAND}" --install "${BINARY_DIR}" --prefix "${_prefix}")

run_step("configure consumer"
  "${CMAKE_COMMAND}" -G Ninja -S "${SOURCE_DIR}" -B "${_build}"
  "-DCMAKE_PREFIX_PATH=${_prefix}"
  "-DCMAKE_CXX_COMPILER=${CXX}"
  "-DCMAKE_CXX_FLAGS=${CONSUMER_CXX_FLAGS}")

run_step("build consumer" "${CMAKE_COMMAND}" --build "${_build}")

run_step("run consumer" "${_build}/chancheck_consumer")

message(STATUS "install_and_consume: OK")
