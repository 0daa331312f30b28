// benchmarks/channels/register_mutex_deque.cpp — registers the mutex + condvar + deque
// baseline benchmarks (subjects/mutex_deque.hpp).
// One translation unit per subject keeps each compile small.
#include "run_cell.hpp"
#include "subjects/mutex_deque.hpp"

namespace chancheck_bench {

void register_mutex_deque(const sizes& sz, scenario s, capacity_class f) { register_cell<mutex_deque_subject>(sz, s, f); }

}  // namespace chancheck_bench
