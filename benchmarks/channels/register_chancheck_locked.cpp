// benchmarks/channels/register_chancheck_locked.cpp — registers the benchmarks of
// chancheck's locked flavor (subjects/chancheck.hpp).
// One translation unit per subject keeps each compile small.
#include "run_cell.hpp"
#include "subjects/chancheck.hpp"

namespace chancheck_bench {

void register_chancheck_locked(const sizes& sz, scenario s, capacity_class f) { register_cell<chancheck_locked>(sz, s, f); }

}  // namespace chancheck_bench
