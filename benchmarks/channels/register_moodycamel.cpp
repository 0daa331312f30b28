// benchmarks/channels/register_moodycamel.cpp — registers the
// moodycamel::BlockingConcurrentQueue benchmarks (subjects/moodycamel.hpp).
// One translation unit per subject keeps each compile small.
#include "run_cell.hpp"
#include "subjects/moodycamel.hpp"

namespace chancheck_bench {

void register_moodycamel(const sizes& sz, scenario s, capacity_class f) { register_cell<moodycamel_subject>(sz, s, f); }

}  // namespace chancheck_bench
