// benchmarks/channels/register_boost_fiber.cpp — registers the boost::fibers
// buffered_channel and unbuffered_channel benchmarks (subjects/boost_fiber.hpp).
#include "run_cell.hpp"
#include "subjects/boost_fiber.hpp"

namespace chancheck_bench {

void register_boost_fiber(const sizes& sz, scenario s, capacity_class f) {
    register_cell<boost_fiber_buffered_subject>(sz, s, f);
    register_cell<boost_fiber_unbuffered_subject>(sz, s, f);
}

}  // namespace chancheck_bench
