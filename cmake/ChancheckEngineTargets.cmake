# cmake/ChancheckEngineTargets.cmake — the engines as header-only CMake targets, and the
# install rules that make chancheck a dependency (find_package(chancheck CONFIG)).
#
# Targets (aliases chancheck::<name>, exported under the same names):
#   stress_engine     stress/include             chancheck::stress::adapter_stress_main
#   property_engine   property_tests/concurrent  chancheck::props::adapter_properties_main
#   benchmark_engine  benchmarks/channels        chancheck_bench::adapter_benchmark_main
#   model_engine      models                     chancheck::models::adapter_model_main
# Each carries only its include directory and chancheck's own targets; the third-party
# library an engine needs (RapidCheck, Google Benchmark, Relacy) is found by
# chancheck_add_channel when a channel asks for that engine, so a consumer without it still
# configures and gets a message naming the Debian package.
#
# Install layout (GNUInstallDirs):
#   include/chancheck/...                  channels, harness, testing policies, stress engine
#   include/chancheck/engines/<engine>/    the other engines' headers
#   lib/cmake/chancheck/                   chancheckConfig.cmake, version, exported targets
#   include/chancheck/controlled/          controlled scheduling (controlled/README.md)
#   share/chancheck/cmake/                 ChancheckAddChannel.cmake, ChancheckControlled.cmake,
#                                          chancheck_expect_failure.py
#   share/chancheck/controlled/src/        the controlled runtime's sources (built by the consumer)
#   share/chancheck/reports/               the report generator and the gate (Python)
#   bin/chancheck-verify                   the gate over a build directory's channels
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_engine_inc "${CMAKE_INSTALL_INCLUDEDIR}/chancheck/engines")

include(${CMAKE_CURRENT_LIST_DIR}/ChancheckHeaderTarget.cmake)

# chancheck_engine_target(<name> <source include dir> <install include dir>)
function(chancheck_engine_target name source_dir install_dir)
  chancheck_header_target(${name} "${source_dir}" "${install_dir}" chancheck::channels chancheck::testing chancheck::harness)
endfunction()

# Without the harness (a consumer lacking nlohmann-json or CLI11, harness/CMakeLists.txt)
# there are the channels alone.
set(_exported chancheck_channels chancheck_testing)
if(TARGET chancheck_harness)
  chancheck_engine_target(stress_engine "${PROJECT_SOURCE_DIR}/stress/include" "${CMAKE_INSTALL_INCLUDEDIR}")
  chancheck_engine_target(property_engine "${PROJECT_SOURCE_DIR}/property_tests/concurrent" "${_engine_inc}/properties")
  chancheck_engine_target(benchmark_engine "${PROJECT_SOURCE_DIR}/benchmarks/channels" "${_engine_inc}/benchmark")
  chancheck_engine_target(model_engine "${PROJECT_SOURCE_DIR}/models" "${_engine_inc}/models")
  list(APPEND _exported chancheck_harness
       chancheck_stress_engine chancheck_property_engine chancheck_benchmark_engine chancheck_model_engine)
endif()

# --- install ---------------------------------------------------------------
set(CHANCHECK_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/chancheck")
set(_data "${CMAKE_INSTALL_DATADIR}/chancheck")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/channels/include/chancheck"
                  "${PROJECT_SOURCE_DIR}/harness/include/chancheck"
                  "${PROJECT_SOURCE_DIR}/testing/include/chancheck"
                  "${PROJECT_SOURCE_DIR}/stress/include/chancheck"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/property_tests/concurrent/"
        DESTINATION "${_engine_inc}/properties" FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/benchmarks/channels/"
        DESTINATION "${_engine_inc}/benchmark" FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/models/common"
        DESTINATION "${_engine_inc}/models" FILES_MATCHING PATTERN "*.hpp")
install(TARGETS ${_exported} EXPORT chancheckTargets)
install(EXPORT chancheckTargets NAMESPACE chancheck:: DESTINATION "${CHANCHECK_CMAKE_INSTALL_DIR}")

install(FILES "${PROJECT_SOURCE_DIR}/cmake/ChancheckAddChannel.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/ChancheckControlled.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/chancheck_expect_failure.py"
        DESTINATION "${_data}/cmake")
# Controlled scheduling: its headers, and its runtime as sources (built in the consumer's
# project without instrumentation, cmake/ChancheckControlled.cmake).
install(DIRECTORY "${PROJECT_SOURCE_DIR}/controlled/include/chancheck"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/controlled/src"
        DESTINATION "${_data}/controlled" FILES_MATCHING PATTERN "*.cpp" PATTERN "*.hpp")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/reports/chancheck_report"
        DESTINATION "${_data}/reports" PATTERN "__pycache__" EXCLUDE)
install(PROGRAMS "${PROJECT_SOURCE_DIR}/reports/generate.py" "${PROJECT_SOURCE_DIR}/reports/gate.py"
        DESTINATION "${_data}/reports")
install(PROGRAMS "${PROJECT_SOURCE_DIR}/scripts/chancheck-verify" DESTINATION "${CMAKE_INSTALL_BINDIR}")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/chancheckConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/chancheckConfig.cmake"
  INSTALL_DESTINATION "${CHANCHECK_CMAKE_INSTALL_DIR}"
  PATH_VARS CMAKE_INSTALL_DATADIR CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/chancheckConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/chancheckConfig.cmake" "${PROJECT_BINARY_DIR}/chancheckConfigVersion.cmake"
        DESTINATION "${CHANCHECK_CMAKE_INSTALL_DIR}")
