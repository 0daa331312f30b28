# cmake/ChancheckControlled.cmake — controlled scheduling of unmodified code (controlled/README.md):
#
#   chancheck_controlled_executable(<target>)
#   chancheck_controlled_instrument(<object library>)   the same for part of a program
#
# compiles <target>'s own sources with the compiler's ThreadSanitizer instrumentation
# (-fsanitize=thread, compile only: every atomic becomes a __tsan_* call) and links chancheck's
# runtime for that ABI instead of libtsan: the ABI, the interposed pthread/libc calls and the
# baton scheduler. The runtime is an OBJECT library built once per project from its sources
# (controlled/src in the source tree, share/chancheck/controlled/src in an install), without
# instrumentation; its objects go into the executable itself, so that its pthread functions are
# the ones libstdc++.so binds to. g++ or clang; not in a build whose flags already carry a
# -fsanitize option (the runtime takes ThreadSanitizer's place).
include_guard(GLOBAL)

# controlled/ next to cmake/ in the source tree; share/chancheck/controlled next to
# share/chancheck/cmake in an install.
set(CHANCHECK_CONTROLLED_ROOT "${CMAKE_CURRENT_LIST_DIR}/../controlled" CACHE INTERNAL "chancheck's controlled runtime")

# Whether this build can make controlled executables; if not, `out_reason` says why.
function(chancheck_controlled_supported out_ok out_reason)
  set(_reason "")
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "^(GNU|Clang)$")
    set(_reason "g++ or clang (-fsanitize=thread instrumentation), not ${CMAKE_CXX_COMPILER_ID}")
  elseif("${CMAKE_CXX_FLAGS} ${CMAKE_EXE_LINKER_FLAGS}" MATCHES "-fsanitize")
    set(_reason "a build without -fsanitize flags (its runtime takes ThreadSanitizer's place)")
  elseif(NOT EXISTS "${CHANCHECK_CONTROLLED_ROOT}/src/scheduler.cpp")
    set(_reason "chancheck's controlled runtime sources (${CHANCHECK_CONTROLLED_ROOT}/src)")
  endif()
  string(COMPARE EQUAL "${_reason}" "" _ok)  # ok: nothing stands in the way
  set(${out_ok} ${_ok} PARENT_SCOPE)
  set(${out_reason} "${_reason}" PARENT_SCOPE)
endfunction()

# The runtime's OBJECT library, chancheck_controlled_runtime (made once per project).
function(chancheck_controlled_runtime)
  if(TARGET chancheck_controlled_runtime)
    return()
  endif()
  find_package(Threads REQUIRED)
  set(_src "${CHANCHECK_CONTROLLED_ROOT}/src")
  add_library(chancheck_controlled_runtime OBJECT
              "${_src}/scheduler.cpp" "${_src}/explore.cpp" "${_src}/interpose.cpp" "${_src}/tsan_abi.cpp")
  if(EXISTS "${CHANCHECK_CONTROLLED_ROOT}/include")  # the source tree; an install has them in include/
    target_include_directories(chancheck_controlled_runtime PUBLIC "${CHANCHECK_CONTROLLED_ROOT}/include")
  endif()
  target_compile_features(chancheck_controlled_runtime PUBLIC cxx_std_20)
  if(DEFINED CHANCHECK_WARNING_FLAGS)
    target_compile_options(chancheck_controlled_runtime PRIVATE ${CHANCHECK_WARNING_FLAGS})
  endif()
  target_link_libraries(chancheck_controlled_runtime PUBLIC Threads::Threads ${CMAKE_DL_LIBS} chancheck::testing)
  # Symbols bound when the program loads: with lazy binding every execution's forked child
  # would look up again each library function it calls first.
  target_link_options(chancheck_controlled_runtime INTERFACE -Wl,-z,now)
endfunction()

# Instruments <target>'s own sources and gives it the runtime's headers; for an executable
# that also links the runtime's objects. An OBJECT library of code under test inside a program
# whose other parts are not instrumented: the program links chancheck_controlled_runtime itself.
function(chancheck_controlled_instrument target)
  chancheck_controlled_runtime()
  # g++ leaves std::atomic_thread_fence uninstrumented (and says so, -Wtsan): a fence is then no
  # scheduling point, which changes nothing under sequential consistency. -g whatever the build
  # type: a deadlock lists each blocked thread's stack as source lines.
  target_compile_options(${target} PRIVATE -fsanitize=thread -g $<$<CXX_COMPILER_ID:GNU>:-Wno-tsan>)
  target_link_libraries(${target} PRIVATE chancheck_controlled_runtime)
endfunction()

function(chancheck_controlled_executable target)
  chancheck_controlled_instrument(${target})
endfunction()
