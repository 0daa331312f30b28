// benchmarks/channels/register_tbb.cpp — registers the tbb::concurrent_bounded_queue
// benchmarks (subjects/tbb_bounded_queue.hpp).
// One translation unit per subject keeps each compile small.
#include "run_cell.hpp"
#include "subjects/tbb_bounded_queue.hpp"

namespace chancheck_bench {

void register_tbb(const sizes& sz, scenario s, capacity_class f) { register_cell<tbb_bounded_queue_subject>(sz, s, f); }

}  // namespace chancheck_bench
