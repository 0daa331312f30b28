// benchmarks/channels/register_boost_lockfree.cpp — registers the boost::lockfree::queue and
// boost::lockfree::spsc_queue benchmarks (subjects/boost_lockfree.hpp).
#include "run_cell.hpp"
#include "subjects/boost_lockfree.hpp"

namespace chancheck_bench {

void register_boost_lockfree(const sizes& sz, scenario s, capacity_class f) {
    register_cell<boost_lockfree_queue_subject>(sz, s, f);
    register_cell<boost_spsc_queue_subject>(sz, s, f);
}

}  // namespace chancheck_bench
