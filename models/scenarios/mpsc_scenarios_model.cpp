// models/scenarios/mpsc_scenarios_model.cpp — the harness's queue scenarios on chancheck's
// mpsc channels under Relacy.
//
// Every queue scenario (harness/queue_scenarios.hpp) that fits an mpsc channel, on the
// lock-free flavors (list, array, zero by capacity) and the locked oracle at capacities
// unbounded, 1 and 0, through the channel adapters (harness/chancheck_channels.hpp) over
// relacy_sync, with small sizes; judged by the harness oracles (exactly once, per-producer
// FIFO, capacity, disconnect after drain, destruction balance, and linearizability for the
// observers) on top of Relacy's own checks (data races, leaks, double frees, use after free,
// deadlocks, livelocks). Seeded bugs: bug_zoo_model. Usage: see models/common/model_runner.hpp.

// nlohmann-json and CLI11 (the results file, the command line) before Relacy: its macros must not reach them.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "chancheck/sync/relacy_sync.hpp"
// Channel and harness headers after the policy.
#include "chancheck/harness/chancheck_channels.hpp"
#include "common/scenario_adapter.hpp"

namespace {

using namespace chancheck::harness;
using chancheck::implementation;
using chancheck::relacy_sync;

template <implementation I>
using mpsc_channel = typename chancheck_channel<channel_kind::mpsc, I>::template adapter<counted, relacy_sync>;

using mpsc_scenarios = scenario_list<spsc, two_producers, last_sender_dropped_while_receiver_blocked,
                                     receiver_dropped_while_sender_blocked, recv_timeout_races_send,
                                     try_recv_races_disconnect, ping_pong, observers_race>;

std::vector<chancheck::models::model_case> all_cases() {
    std::vector<chancheck::models::model_case> cases;
    chancheck::models::add_scenarios<mpsc_channel<implementation::lock_free>, mpsc_scenarios>(cases);
    chancheck::models::add_scenarios<mpsc_channel<implementation::locked>, mpsc_scenarios>(cases);
    return cases;
}

}  // namespace

int main(int argc, char** argv) {
    return chancheck::models::run_cases(argc, argv, all_cases(), chancheck::models::take_oracle_finding);
}
