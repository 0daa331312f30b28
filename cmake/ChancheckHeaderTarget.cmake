# cmake/ChancheckHeaderTarget.cmake — how chancheck declares each of its header-only targets.
include_guard(GLOBAL)
include(GNUInstallDirs)

# chancheck_header_target(<name> <source include dir> <install include dir> [<links>...])
# An INTERFACE target chancheck_<name>, alias chancheck::<name>, exported as <name>: C++20,
# the include directory (the source one in the build tree, the installed one after install),
# and the targets it links.
function(chancheck_header_target name source_dir install_dir)
  add_library(chancheck_${name} INTERFACE)
  add_library(chancheck::${name} ALIAS chancheck_${name})
  set_target_properties(chancheck_${name} PROPERTIES EXPORT_NAME ${name})
  target_include_directories(chancheck_${name} INTERFACE
    $<BUILD_INTERFACE:${source_dir}>
    $<INSTALL_INTERFACE:${install_dir}>)
  target_link_libraries(chancheck_${name} INTERFACE ${ARGN})
  target_compile_features(chancheck_${name} INTERFACE cxx_std_20)
endfunction()
