// models/scenarios/mpsc_scenarios_model.cpp — the harness's mpsc scenarios under Relacy.
//
// Every scenario of harness/mpsc_scenarios.hpp × every mpsc flavor, run through relacy_sync
// with small sizes, judged by the harness oracles (exactly once, per-producer FIFO, capacity,
// disconnect after drain, destruction balance) on top of Relacy's own checks (data races,
// leaks, double frees, use after free, deadlocks, livelocks). Seeded bugs: bug_zoo_model.
// Usage: see models/common/model_runner.hpp.

#include "chancheck/sync/relacy_sync.hpp"
// Channel and harness headers after the policy.
#include "chancheck/harness/mpsc_scenarios.hpp"
#include "common/scenario_adapter.hpp"

namespace {

using namespace chancheck::harness;
using chancheck::models::add_scenario;

std::vector<chancheck::models::model_case> all_cases() {
    std::vector<chancheck::models::model_case> cases;
    add_scenario<spsc, 2>(cases);
    add_scenario<mpsc_two_producers, 1>(cases);
    add_scenario<last_sender_dropped_while_receiver_blocked, 1>(cases);
    add_scenario<receiver_dropped_while_sender_blocked, 1>(cases);
    add_scenario<recv_timeout_races_send, 1>(cases);
    add_scenario<try_recv_races_disconnect, 1>(cases);
    add_scenario<ping_pong, 2>(cases);
    return cases;
}

}  // namespace

int main(int argc, char** argv) {
    return chancheck::models::run_cases(argc, argv, all_cases(), chancheck::models::take_oracle_finding);
}
