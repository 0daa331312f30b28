// models/scenarios/kinds_scenarios_model.cpp — the harness's mpmc, rendezvous, select,
// broadcast and oneshot scenarios under Relacy.
//
// Every scenario of harness/kinds_scenarios.hpp and broadcast_fanout_scenario.hpp × every
// configuration of its kind, run through relacy_sync with small sizes, judged by the harness
// oracles (exactly once, per-producer FIFO, disconnect after drain, rendezvous hand-off,
// broadcast accounting, destruction balance) on top of Relacy's own checks (data races, leaks, double frees, use
// after free, deadlocks, livelocks). Usage: see models/common/model_runner.hpp.

#include "chancheck/sync/relacy_sync.hpp"
// Channel and harness headers after the policy.
#include "chancheck/harness/broadcast_fanout_scenario.hpp"
#include "chancheck/harness/kinds_scenarios.hpp"
#include "common/scenario_adapter.hpp"

namespace {

using namespace chancheck::harness;
using chancheck::models::add_scenario;

std::vector<chancheck::models::model_case> all_cases() {
    std::vector<chancheck::models::model_case> cases;
    add_scenario<mpmc_two_by_two, 1>(cases);
    add_scenario<rendezvous_hand_off, 1>(cases);
    add_scenario<select_racing_send, 1>(cases);
    add_scenario<broadcast_lagging_receiver, 1>(cases);
    add_scenario<broadcast_fanout, 2>(cases);
    add_scenario<oneshot_concurrent_drop, 2>(cases);
    add_scenario<oneshot_reply, 2>(cases);
    return cases;
}

}  // namespace

int main(int argc, char** argv) {
    return chancheck::models::run_cases(argc, argv, all_cases(), chancheck::models::take_oracle_finding);
}
