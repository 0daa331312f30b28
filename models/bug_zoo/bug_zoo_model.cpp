// models/bug_zoo/bug_zoo_model.cpp — every seeded bug, each with the failure it must produce.
//
// The bug zoo (channels/include/chancheck/detail/bug_zoo.hpp) compiles deliberately broken
// variants of the reference flavors in by wrapping the Sync policy. Each case runs one
// harness scenario on one mutant and passes only when Relacy (or a harness oracle) fails the
// run with the expected kind — proof that the checkers bite. Reference flavors pass the
// same scenarios in mpsc_scenarios_model and kinds_scenarios_model.
// Usage: see models/common/model_runner.hpp.

#include "chancheck/sync/relacy_sync.hpp"
// Channel and harness headers after the policy.
#include "chancheck/harness/mpsc_scenarios.hpp"
#include "common/scenario_adapter.hpp"

namespace {

using namespace chancheck::harness;
using chancheck::bug;
using chancheck::models::add_case;
template <bug B>
using mutant = chancheck::with_bug<chancheck::relacy_sync, B>;

// Configuration indexes in mpsc_configs().
constexpr std::size_t list = 0, array = 2;

std::vector<chancheck::models::model_case> all_cases() {
    std::vector<chancheck::models::model_case> cases;
    // ping_pong: neither side is rescued by a later message or the final disconnect.
    add_case<ping_pong, 2, mutant<bug::list_lost_wakeup>, list>(cases, "deadlock");
    add_case<receiver_dropped_while_sender_blocked, 1, mutant<bug::array_discard_skips_destroy>, array>(
        cases, "oracle:destruction_mismatch");
    add_case<spsc, 2, mutant<bug::array_relaxed_publish>, array>(cases, "data_race");
    return cases;
}

}  // namespace

int main(int argc, char** argv) {
    return chancheck::models::run_cases(argc, argv, all_cases(), chancheck::models::take_oracle_finding);
}
