# cmake/ChancheckAddChannel.cmake — bring your own channel: one call builds chancheck's
# engines over a user's channel adapter (harness/include/chancheck/harness/channel.hpp)
# and registers their ctest tests. See examples/README.md.
#
#   chancheck_add_channel(NAME <name> HEADER <adapter header>
#                         ADAPTER <class template A<T>> | SYNC_ADAPTER <class template R<T, Sync>>
#                         [LINK <targets>...]
#                         [ENGINES stress properties benchmark controlled relacy]
#                                  (default: the first four, and relacy with SYNC_ADAPTER)
#                         [STRESS_BUDGET <duration>]                  (default 5s)
#                         [HANG_AFTER <seconds>]  a run not done after this long is a deadlock
#                                                 (stress watchdog and properties; default: theirs)
#                         [EXPECT_STRESS_FAILURE <failure kind prefix>]
#                         [EXPECT_PROPERTY_FAILURE <failure kind prefix>]
#                         [EXPECT_RELACY_FAILURE <failure kind prefix>]
#                         [EXPECT_CONTROLLED_FAILURE <failure kind prefix>])
#
# Executables: <name>-stress (chancheck-stress's command line over the adapter; with chaos
# noise injected into the channel's own atomics and locks where controlled scheduling can be
# built, half the sweep's runs),
# <name>-properties (generated programs, judged and shrunk: under controlled scheduling where
# that can be built, property_tests/concurrent/controlled_properties.hpp, and on real threads),
# <name>-benchmark (the crossbeam grid next to chancheck's lock-free flavor), and with a
# SYNC_ADAPTER (a channel written over chancheck's Sync policy) <name>-model (Relacy: the
# adapter scenarios of models/common/adapter_model.hpp on R<T, relacy_sync>), and
# <name>-controlled (every harness scenario that fits, on real threads under controlled
# scheduling: the channel's own std::atomic/std::mutex code compiled with -fsanitize=thread and
# run under chancheck's scheduler, failures shrunk, controlled/README.md). Without ADAPTER the
# other engines use R<T, chancheck::std_sync>.
# Which engines are built: in another project (find_package(chancheck) or add_subdirectory),
# every engine asked for whose library is there; a default engine whose library is missing is
# left out with a warning naming its Debian package (librapidcheck-dev, libbenchmark-dev,
# relacy-dev; controlled needs g++ or clang and a build without -fsanitize flags), one named in
# ENGINES is a configure error. In chancheck's own tree, the ones
# the preset is for (CHANCHECK_BYO_ENGINES, CMakeLists.txt).
# Tests (labels byo;<name>): byo.<name>.stress (a sweep), byo.<name>.properties,
# byo.<name>.benchmark (a smoke run), byo.<name>.controlled, byo.<name>.model. Their budget is
# the quick gate's (stress 5 s, properties 500 programs under controlled scheduling and 100 on
# real threads, controlled 100 executions per case, models 10^4 iterations per case) or, with
# CHANCHECK_BUDGET=full in the environment (chancheck-verify --full), the full gate's (60 s,
# 5000 and 1000 programs, 1000 executions, 10^6 iterations); STRESS_BUDGET fixes the stress
# sweep's.
# Results go to <top build>/results/byo/<name>/{stress,properties,benchmarks,controlled,models}: a results
# directory of its own, which chancheck-verify (and scripts/verify) gathers into the report.
# With EXPECT_*_FAILURE the test passes only when
# the engine fails with a failure kind starting with the given prefix (a deliberately broken
# channel); such a channel's results go to <build>/results/byo-expected-failures/<name>
# instead, so a report over the channels under test is not turned red by a failure that was
# the point.
include_guard(GLOBAL)

# The directory of this module and of chancheck_expect_failure.py: cmake/ in the source tree,
# share/chancheck/cmake/ in an install.
set_property(GLOBAL PROPERTY CHANCHECK_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}")
include("${CMAKE_CURRENT_LIST_DIR}/ChancheckControlled.cmake")

# _chancheck_engine_available(<engine> <out var> <out missing package>): whether this build can
# make the engine, and if not which Debian package it lacks.
function(_chancheck_engine_available engine out_ok out_package)
  set(_package "")
  if(NOT TARGET chancheck::harness)
    set(_package "nlohmann-json3-dev libcli11-dev")
  elseif(engine STREQUAL "properties")
    find_package(rapidcheck QUIET)
    if(NOT rapidcheck_FOUND)
      set(_package librapidcheck-dev)
    endif()
  elseif(engine STREQUAL "benchmark")
    find_package(benchmark QUIET)
    if(NOT benchmark_FOUND)
      set(_package libbenchmark-dev)
    endif()
  elseif(engine STREQUAL "controlled")
    chancheck_controlled_supported(_ok _package)
  elseif(engine STREQUAL "relacy")
    find_path(RELACY_INCLUDE_DIR relacy/relacy.hpp)
    if(NOT RELACY_INCLUDE_DIR)
      set(_package relacy-dev)
    endif()
  endif()
  string(COMPARE EQUAL "${_package}" "" _ok)  # ok: nothing is missing
  set(${out_ok} ${_ok} PARENT_SCOPE)
  set(${out_package} "${_package}" PARENT_SCOPE)
endfunction()

function(chancheck_add_channel)
  cmake_parse_arguments(PARSE_ARGV 0 ARG ""
    "NAME;ADAPTER;SYNC_ADAPTER;HEADER;STRESS_BUDGET;HANG_AFTER;EXPECT_STRESS_FAILURE;EXPECT_PROPERTY_FAILURE;EXPECT_RELACY_FAILURE;EXPECT_CONTROLLED_FAILURE"
    "LINK;ENGINES")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "chancheck_add_channel: unknown arguments '${ARG_UNPARSED_ARGUMENTS}'")
  endif()
  foreach(_required NAME HEADER)
    if(NOT ARG_${_required})
      message(FATAL_ERROR "chancheck_add_channel: ${_required} is required "
                          "(chancheck_add_channel(NAME n ADAPTER ns::my_adapter HEADER path/adapter.hpp))")
    endif()
  endforeach()
  if(NOT ARG_ADAPTER AND NOT ARG_SYNC_ADAPTER)
    message(FATAL_ERROR "chancheck_add_channel(${ARG_NAME}): ADAPTER (a template A<T>) or SYNC_ADAPTER "
                        "(a template R<T, Sync> over chancheck's Sync policy) is required")
  endif()
  if(NOT ARG_NAME MATCHES "^[a-z0-9_]+$")
    message(FATAL_ERROR "chancheck_add_channel: NAME '${ARG_NAME}' must be [a-z0-9_]+ (it names files and tests)")
  endif()
  get_filename_component(_header "${ARG_HEADER}" ABSOLUTE)
  if(NOT EXISTS "${_header}")
    message(FATAL_ERROR "chancheck_add_channel(${ARG_NAME}): HEADER '${ARG_HEADER}' does not exist")
  endif()
  set(_engines_named ${ARG_ENGINES})
  if(NOT ARG_ENGINES)
    set(ARG_ENGINES stress properties benchmark controlled)
    if(ARG_SYNC_ADAPTER)
      list(APPEND ARG_ENGINES relacy)
    endif()
  endif()
  foreach(_engine IN LISTS ARG_ENGINES)
    if(NOT _engine MATCHES "^(stress|properties|benchmark|relacy|controlled)$")
      message(FATAL_ERROR "chancheck_add_channel(${ARG_NAME}): unknown engine '${_engine}' (stress, properties, benchmark, relacy, controlled)")
    endif()
  endforeach()
  if("relacy" IN_LIST ARG_ENGINES AND NOT ARG_SYNC_ADAPTER)
    message(FATAL_ERROR "chancheck_add_channel(${ARG_NAME}): engine relacy needs SYNC_ADAPTER, a template "
                        "R<T, Sync> over chancheck's Sync policy (Relacy sees only what goes through the policy)")
  endif()
  set(_buildable)
  foreach(_engine IN LISTS ARG_ENGINES)
    # chancheck's own tree: the engines this preset is for.
    if(DEFINED CHANCHECK_BYO_ENGINES AND NOT _engine IN_LIST CHANCHECK_BYO_ENGINES)
      continue()
    endif()
    _chancheck_engine_available(${_engine} _ok _package)
    set(_install "(Debian: apt-get install ${_package})")
    if(_engine STREQUAL "controlled")
      set(_install "")
    endif()
    if(_ok)
      list(APPEND _buildable ${_engine})
    elseif(_engines_named OR DEFINED CHANCHECK_BYO_ENGINES)
      message(FATAL_ERROR "chancheck_add_channel(${ARG_NAME}): engine ${_engine} needs ${_package} "
                          "${_install}")
    else()
      message(WARNING "chancheck_add_channel(${ARG_NAME}): no ${_engine} engine, it needs ${_package} "
                      "${_install}")
    endif()
  endforeach()
  set(ARG_ENGINES ${_buildable})
  if(NOT DEFINED CHANCHECK_WARNING_FLAGS)
    set(CHANCHECK_WARNING_FLAGS -Wall -Wextra)
  endif()
  set(_stress_budget "")
  if(ARG_STRESS_BUDGET)
    set(_stress_budget --budget ${ARG_STRESS_BUDGET})
  endif()
  set(_stress_hang "")
  set(_properties_hang "")
  if(ARG_HANG_AFTER)
    if(NOT ARG_HANG_AFTER MATCHES "^[0-9]+$")
      message(FATAL_ERROR "chancheck_add_channel(${ARG_NAME}): HANG_AFTER '${ARG_HANG_AFTER}' must be whole seconds")
    endif()
    set(_stress_hang --watchdog ${ARG_HANG_AFTER}s)
    set(_properties_hang --hang-after ${ARG_HANG_AFTER})
  endif()

  find_package(Threads REQUIRED)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  get_property(_module_dir GLOBAL PROPERTY CHANCHECK_MODULE_DIR)
  set(_gen "${CMAKE_CURRENT_BINARY_DIR}/chancheck_${ARG_NAME}")
  if(ARG_EXPECT_STRESS_FAILURE OR ARG_EXPECT_PROPERTY_FAILURE OR ARG_EXPECT_RELACY_FAILURE OR ARG_EXPECT_CONTROLLED_FAILURE)
    set(_results "${CMAKE_BINARY_DIR}/results/byo-expected-failures/${ARG_NAME}")
  else()
    set(_results "${CMAKE_BINARY_DIR}/results/byo/${ARG_NAME}")
  endif()
  set(_expect ${Python3_EXECUTABLE} "${_module_dir}/chancheck_expect_failure.py")

  # The real-thread engines' adapter: ADAPTER, or SYNC_ADAPTER over std_sync.
  set(_std_alias "")
  if(NOT ARG_ADAPTER)
    set(ARG_ADAPTER chancheck_byo_std_adapter)
    set(_std_alias "#include \"chancheck/sync/std_sync.hpp\"
template <class T>
using chancheck_byo_std_adapter = ${ARG_SYNC_ADAPTER}<T, chancheck::std_sync>;")
  endif()

  # One executable per engine, <name>-<engine>, from a generated main: include the adapter,
  # hand it to the engine's driver; linked with the engine's libraries (the remaining
  # arguments) and the channel's. `prelude` comes first (the Relacy policy must precede every
  # channel header).
  macro(_chancheck_engine_executable engine prelude alias call)
    file(CONFIGURE OUTPUT "${_gen}/${engine}_main.cpp" CONTENT
"// Generated by chancheck_add_channel(${ARG_NAME}): the ${engine} driver.
${prelude}
#include \"${_header}\"
${alias}
${call}
" @ONLY)
    add_executable(${ARG_NAME}-${engine} "${_gen}/${engine}_main.cpp")
    target_compile_options(${ARG_NAME}-${engine} PRIVATE ${CHANCHECK_WARNING_FLAGS})
    target_link_libraries(${ARG_NAME}-${engine} PRIVATE ${ARGN} ${ARG_LINK})
  endmacro()

  # The engine's ctest test: the command itself, or, with an expected failure kind, the
  # command through chancheck_expect_failure.py, which passes only when the results file
  # shows a failure of that kind.
  macro(_chancheck_engine_test test expected_kind results_file)
    if(${expected_kind})
      add_test(NAME ${test} COMMAND ${_expect} --kind ${${expected_kind}} --results ${results_file} -- ${_cmd})
    else()
      add_test(NAME ${test} COMMAND ${_cmd})
    endif()
  endmacro()

  if("stress" IN_LIST ARG_ENGINES)
    _chancheck_engine_executable(stress "" "${_std_alias}" "#include \"chancheck/stress/adapter_driver.hpp\"
int main(int argc, char** argv) {
    return chancheck::stress::adapter_stress_main<${ARG_ADAPTER}>(argc, argv);
}" chancheck::stress_engine Threads::Threads)
    # Chaos noise at every atomic operation, lock, wait and notify of the channel: its code
    # instrumented as for controlled scheduling, the runtime outside executions injecting
    # chaos_sync's yields and sleeps (stress/include/chancheck/stress/adapter_driver.hpp).
    chancheck_controlled_supported(_chaos_ok _chaos_reason)
    if(_chaos_ok)
      chancheck_controlled_instrument(${ARG_NAME}-stress)
      target_compile_definitions(${ARG_NAME}-stress PRIVATE CHANCHECK_STRESS_CHAOS=1)
    endif()
    # The build type the results file names (a sanitizer or a Debug build changes what a run means).
    if(CMAKE_BUILD_TYPE)
      target_compile_definitions(${ARG_NAME}-stress PRIVATE CHANCHECK_BUILD_TYPE="${CMAKE_BUILD_TYPE}")
    else()
      target_compile_definitions(${ARG_NAME}-stress PRIVATE CHANCHECK_BUILD_TYPE="none")
    endif()
    set(_cmd $<TARGET_FILE:${ARG_NAME}-stress> --all ${_stress_budget} ${_stress_hang} --results ${_results})
    _chancheck_engine_test(byo.${ARG_NAME}.stress ARG_EXPECT_STRESS_FAILURE ${_results}/stress/summary.sweep.json)
    # Alone (RUN_SERIAL): the budget is wall-clock time, and a failure it must find needs runs.
    set_tests_properties(byo.${ARG_NAME}.stress PROPERTIES LABELS "byo;${ARG_NAME}" TIMEOUT 600 RUN_SERIAL TRUE)
  endif()

  if("properties" IN_LIST ARG_ENGINES)
    # A channel over the Sync policy runs under the deterministic scheduler too; a plain
    # adapter under controlled scheduling (its code instrumented, controlled_properties.hpp)
    # where that can be built, else on real threads only.
    chancheck_controlled_supported(_properties_controlled _properties_reason)
    set(_properties_header "adapter_properties.hpp")
    if(ARG_SYNC_ADAPTER)
      set(_properties_call "sync_adapter_properties_main<${ARG_SYNC_ADAPTER}>")
    elseif(_properties_controlled)
      set(_properties_header "controlled_properties.hpp")
      set(_properties_call "controlled_adapter_properties_main<${ARG_ADAPTER}>")
    else()
      message(WARNING "chancheck_add_channel(${ARG_NAME}): its properties run on real threads only; "
                      "controlled scheduling needs ${_properties_reason}")
      set(_properties_call "adapter_properties_main<${ARG_ADAPTER}>")
    endif()
    _chancheck_engine_executable(properties "" "${_std_alias}" "#include \"${_properties_header}\"
int main(int argc, char** argv) {
    return chancheck::props::${_properties_call}(argc, argv);
}" chancheck::property_engine rapidcheck Threads::Threads)
    if(NOT ARG_SYNC_ADAPTER AND _properties_controlled)
      chancheck_controlled_executable(${ARG_NAME}-properties)
    endif()
    # A channel that must fail gets the full budget: the run stops at its first failure, so
    # this costs time only when the bug hides, and a catch around program 80 of the quick
    # budget's 100 would make the gate flaky.
    set(_budget "")
    if(ARG_EXPECT_PROPERTY_FAILURE)
      set(_budget --budget full)
    endif()
    set(_cmd $<TARGET_FILE:${ARG_NAME}-properties> ${_budget} ${_properties_hang} --results ${_results}/properties)
    _chancheck_engine_test(byo.${ARG_NAME}.properties ARG_EXPECT_PROPERTY_FAILURE
                           ${_results}/properties/${ARG_NAME}-properties.adapter.json)
    set_tests_properties(byo.${ARG_NAME}.properties PROPERTIES LABELS "byo;${ARG_NAME}" TIMEOUT 600 RUN_SERIAL TRUE)
  endif()

  if("benchmark" IN_LIST ARG_ENGINES)
    _chancheck_engine_executable(benchmark "" "${_std_alias}" "#include \"adapter_benchmark.hpp\"
int main(int argc, char** argv) {
    return chancheck_bench::adapter_benchmark_main<${ARG_ADAPTER}>(argc, argv, \"${ARG_NAME}-benchmark\");
}" chancheck::benchmark_engine benchmark::benchmark Threads::Threads)
    # Google Benchmark does not make the output's directory, and scripts/verify empties the
    # results before it runs these tests: a setup test makes it.
    add_test(NAME byo.${ARG_NAME}.benchmark_dir COMMAND ${CMAKE_COMMAND} -E make_directory "${_results}/benchmarks")
    set_tests_properties(byo.${ARG_NAME}.benchmark_dir PROPERTIES LABELS "byo;${ARG_NAME}"
                         FIXTURES_SETUP byo_${ARG_NAME}_benchmark_dir)
    add_test(NAME byo.${ARG_NAME}.benchmark
             COMMAND ${ARG_NAME}-benchmark --smoke --benchmark_out=${_results}/benchmarks/${ARG_NAME}_benchmark.json
                     --benchmark_out_format=json)
    set_tests_properties(byo.${ARG_NAME}.benchmark PROPERTIES LABELS "byo;${ARG_NAME}" TIMEOUT 300
                         FIXTURES_REQUIRED byo_${ARG_NAME}_benchmark_dir)
  endif()
  if("controlled" IN_LIST ARG_ENGINES)
    _chancheck_engine_executable(controlled "" "${_std_alias}" "#include \"chancheck/controlled/adapter_explore.hpp\"
int main(int argc, char** argv) {
    return chancheck::controlled::adapter_explore_main<${ARG_ADAPTER}>(argc, argv);
}" chancheck::channels chancheck::harness Threads::Threads)
    chancheck_controlled_executable(${ARG_NAME}-controlled)
    # As for properties: a channel that must fail gets the full budget (the run stops at its
    # first failure).
    set(_budget "")
    if(ARG_EXPECT_CONTROLLED_FAILURE)
      set(_budget --budget full)
    endif()
    set(_cmd $<TARGET_FILE:${ARG_NAME}-controlled> ${_budget} --results ${_results}/controlled)
    _chancheck_engine_test(byo.${ARG_NAME}.controlled ARG_EXPECT_CONTROLLED_FAILURE
                           ${_results}/controlled/${ARG_NAME}-controlled.controlled.json)
    set_tests_properties(byo.${ARG_NAME}.controlled PROPERTIES LABELS "byo;${ARG_NAME}" TIMEOUT 900)
  endif()

  if("relacy" IN_LIST ARG_ENGINES)
    _chancheck_engine_executable(model "#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include \"chancheck/sync/relacy_sync.hpp\"" "" "#include \"common/adapter_model.hpp\"
int main(int argc, char** argv) {
    return chancheck::models::adapter_model_main<${ARG_SYNC_ADAPTER}>(argc, argv);
}" chancheck::model_engine)
    target_include_directories(${ARG_NAME}-model SYSTEM PRIVATE ${RELACY_INCLUDE_DIR})
    # As models/CMakeLists.txt: -O1 (Relacy programs are slow to compile) and no sized delete
    # (Relacy replaces only the unsized operator delete).
    target_compile_options(${ARG_NAME}-model PRIVATE -O1 -fno-sized-deallocation)
    set(_cmd $<TARGET_FILE:${ARG_NAME}-model> --all --results ${_results}/models)
    _chancheck_engine_test(byo.${ARG_NAME}.model ARG_EXPECT_RELACY_FAILURE ${_results}/models/${ARG_NAME}-model.random.json)
    set_tests_properties(byo.${ARG_NAME}.model PROPERTIES LABELS "byo;${ARG_NAME}" TIMEOUT 900)
  endif()
endfunction()
