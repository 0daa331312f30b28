// models/scenarios/kinds_scenarios_model.cpp — the harness's scenarios of the other kinds
// under Relacy: MPMC (two by two, the rendezvous hand-off, select racing the sender),
// broadcast (a lagging receiver, fan-out to blocked subscribers) and oneshot (concurrent drop,
// reply with a timeout), each on the lock-free flavors and the locked oracle, through the
// channel adapters (harness/chancheck_channels.hpp) over relacy_sync.
// Usage: see models/common/model_runner.hpp.

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
using chancheck::models::add_scenarios;

template <channel_kind K, implementation I>
using channel = typename chancheck_channel<K, I>::template adapter<counted, relacy_sync>;

using mpmc_scenarios = scenario_list<two_by_two, rendezvous_hand_off, select_racing_send>;
using broadcast_scenarios = scenario_list<broadcast_lagging_receiver, broadcast_fanout>;
using oneshot_scenarios = scenario_list<oneshot_concurrent_drop, oneshot_reply>;

std::vector<chancheck::models::model_case> all_cases() {
    std::vector<chancheck::models::model_case> cases;
    add_scenarios<channel<channel_kind::mpmc, implementation::lock_free>, mpmc_scenarios>(cases);
    add_scenarios<channel<channel_kind::mpmc, implementation::locked>, mpmc_scenarios>(cases);
    add_scenarios<channel<channel_kind::broadcast, implementation::lock_free>, broadcast_scenarios>(cases);
    add_scenarios<channel<channel_kind::broadcast, implementation::locked>, broadcast_scenarios>(cases);
    add_scenarios<channel<channel_kind::oneshot, implementation::lock_free>, oneshot_scenarios>(cases);
    add_scenarios<channel<channel_kind::oneshot, implementation::locked>, oneshot_scenarios>(cases);
    return cases;
}

}  // namespace

int main(int argc, char** argv) {
    return chancheck::models::run_cases(argc, argv, all_cases(), chancheck::models::take_oracle_finding);
}
