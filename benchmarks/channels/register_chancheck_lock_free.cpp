// benchmarks/channels/register_chancheck_lock_free.cpp — registers the benchmarks of
// chancheck's lock-free flavors (subjects/chancheck.hpp).
// One translation unit per subject keeps each compile small.
#include "run_cell.hpp"
#include "subjects/chancheck.hpp"

namespace chancheck_bench {

void register_chancheck_lock_free(const sizes& sz, scenario s, capacity_class f) { register_cell<chancheck_lock_free>(sz, s, f); }

}  // namespace chancheck_bench
