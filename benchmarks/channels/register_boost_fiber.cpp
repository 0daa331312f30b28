// benchmarks/channels/register_boost_fiber.cpp — registers the boost::fibers
// buffered_channel and unbuffered_channel benchmarks (subjects/boost_fiber_buffered.hpp,
// subjects/boost_fiber_unbuffered.hpp).
#include "run_cell.hpp"
#include "subjects/boost_fiber_buffered.hpp"
#include "subjects/boost_fiber_unbuffered.hpp"

namespace chancheck_bench {

void register_boost_fiber(const sizes& sz, scenario s, flavor_kind f) {
    register_cell<boost_fiber_buffered_subject>(sz, s, f);
    register_cell<boost_fiber_unbuffered_subject>(sz, s, f);
}

}  // namespace chancheck_bench
