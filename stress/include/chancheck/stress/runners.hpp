// chancheck/stress/runners.hpp — which compiled workload runs a configuration of
// chancheck's own channels.
//
// Reference channels run over std_sync (production code, byte for byte) or chaos_sync (the
// same code with noise at every synchronization point); mutants over with_bug<chaos_sync, B>,
// whose noise is switched on or off per run. Each family lives in its own translation unit
// (src/reference_runs.cpp, src/mutant_runs.cpp) so the two compile in parallel.
#pragma once

#include "chancheck/stress/config.hpp"
#include "chancheck/stress/workloads.hpp"

namespace chancheck::stress {

using runner = run_outcome (*)(const run_context&);

// The reference channels' runner for a kind (never null).
runner reference_runner(channel_kind kind, bool chaos);

// The mutant's runner for a kind, or null when that mutant is not built for that kind
// (see mutant_kinds in bug_zoo_targets.hpp).
runner mutant_runner(bug mutant, channel_kind kind);

}  // namespace chancheck::stress
