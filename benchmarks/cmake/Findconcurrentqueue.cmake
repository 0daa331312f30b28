# benchmarks/cmake/Findconcurrentqueue.cmake — finds moodycamel's ConcurrentQueue headers
# (Debian: libconcurrentqueue-dev, /usr/include/concurrentqueue/), which ship no CMake
# package file. Defines concurrentqueue_FOUND and the INTERFACE target
# concurrentqueue::concurrentqueue; include as <concurrentqueue/blockingconcurrentqueue.h>.
find_path(concurrentqueue_INCLUDE_DIR concurrentqueue/blockingconcurrentqueue.h)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(concurrentqueue REQUIRED_VARS concurrentqueue_INCLUDE_DIR)

if(concurrentqueue_FOUND AND NOT TARGET concurrentqueue::concurrentqueue)
  add_library(concurrentqueue::concurrentqueue INTERFACE IMPORTED)
  set_target_properties(concurrentqueue::concurrentqueue PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${concurrentqueue_INCLUDE_DIR}")
endif()
mark_as_advanced(concurrentqueue_INCLUDE_DIR)
