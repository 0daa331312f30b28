// models/scenarios/mpsc_scenarios_model.cpp — the harness's mpsc scenarios under Relacy.
//
// Every scenario of harness/mpsc_scenarios.hpp × every mpsc flavor, run through relacy_sync
// with small sizes, judged by the harness oracles (exactly once, per-producer FIFO, capacity,
// disconnect after drain, destruction balance) on top of Relacy's own checks (data races,
// leaks, double frees, deadlocks). A failing oracle prints its violations and the recorded
// history. Seeded bugs are listed with the failure kind they must produce.
// Usage: see models/common/model_runner.hpp.

#include <cstdio>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/sync/relacy_sync.hpp"
// Channel and harness headers after the policy.
#include "chancheck/harness/mpsc_scenarios.hpp"
#include "common/model_runner.hpp"

namespace {

using namespace chancheck::harness;
using chancheck::models::model_case;

// Text of the last oracle failure, printed by the runner with Relacy's history. A fixed
// buffer: a std::string assigned inside the simulation would be allocated by Relacy and
// freed after it.
char g_last_failure[1 << 16];

template <template <class> class Scenario, class Sync, std::size_t ConfigIndex, std::size_t Size>
struct relacy_adapter : rl::test_suite<relacy_adapter<Scenario, Sync, ConfigIndex, Size>, Scenario<Sync>::threads> {
    std::optional<Scenario<Sync>> s;

    void before() { s.emplace(mpsc_configs()[ConfigIndex], Size); }
    void thread(unsigned i) { s->run_thread(i); }
    void after() {
        const violations v = s->finish();
        if (!v.empty()) {
            const std::string text = describe(v) + "recorded history:\n" + s->history_text();
            std::snprintf(g_last_failure, sizeof g_last_failure, "%s", text.c_str());
        }
        RL_ASSERT(v.empty());
        s.reset();
    }
};

template <template <class> class Scenario, std::size_t Size, class Sync = chancheck::relacy_sync>
void add_scenario(std::vector<model_case>& cases, rl::test_result_e expected = rl::test_result_success,
                  const char* prefix = "") {
    static std::deque<std::string> names;  // keeps the case names alive (a deque never moves them)
    auto add = [&]<std::size_t I>(std::integral_constant<std::size_t, I>) {
        names.push_back(std::string(prefix) + Scenario<Sync>::name + "/" + mpsc_configs()[I].name);
        cases.push_back({names.back().c_str(), expected,
                         [](rl::test_params& p) { return rl::simulate<relacy_adapter<Scenario, Sync, I, Size>>(p); }});
    };
    add(std::integral_constant<std::size_t, 0>{});
    add(std::integral_constant<std::size_t, 1>{});
    add(std::integral_constant<std::size_t, 2>{});
    add(std::integral_constant<std::size_t, 3>{});
    add(std::integral_constant<std::size_t, 4>{});
    add(std::integral_constant<std::size_t, 5>{});
}

template <template <class> class Scenario, std::size_t Size, class Sync, std::size_t ConfigIndex>
void add_mutant(std::vector<model_case>& cases, const char* bug, rl::test_result_e expected) {
    static std::deque<std::string> names;
    names.push_back(std::string("mutant/") + bug + "/" + Scenario<Sync>::name + "/" + mpsc_configs()[ConfigIndex].name);
    cases.push_back({names.back().c_str(), expected,
                     [](rl::test_params& p) { return rl::simulate<relacy_adapter<Scenario, Sync, ConfigIndex, Size>>(p); }});
}

std::vector<model_case> all_cases() {
    std::vector<model_case> cases;
    add_scenario<spsc, 2>(cases);
    add_scenario<mpsc_two_producers, 1>(cases);
    add_scenario<last_sender_dropped_while_receiver_blocked, 1>(cases);
    add_scenario<receiver_dropped_while_sender_blocked, 1>(cases);
    add_scenario<recv_timeout_races_send, 1>(cases);
    add_scenario<try_recv_races_disconnect, 1>(cases);
    add_scenario<ping_pong, 2>(cases);

    // Seeded bugs, each with the failure it must produce. Mutants are cases of their own
    // (one flavor each), named mutant/<bug>/<scenario>/<flavor>.
    using chancheck::bug;
    using chancheck::with_bug;
    using lost_wakeup = with_bug<chancheck::relacy_sync, bug::list_lost_wakeup>;
    using skips_destroy = with_bug<chancheck::relacy_sync, bug::array_discard_skips_destroy>;
    using relaxed_publish = with_bug<chancheck::relacy_sync, bug::array_relaxed_publish>;
    add_mutant<ping_pong, 2, lost_wakeup, 0>(cases, "list_lost_wakeup", rl::test_result_deadlock);
    add_mutant<receiver_dropped_while_sender_blocked, 1, skips_destroy, 2>(cases, "array_discard_skips_destroy",
                                                                            rl::test_result_user_assert_failed);
    add_mutant<spsc, 2, relaxed_publish, 2>(cases, "array_relaxed_publish", rl::test_result_data_race);
    return cases;
}

}  // namespace

int main(int argc, char** argv) {
    return chancheck::models::run_cases(argc, argv, all_cases(), [] {
        std::string text = g_last_failure;
        g_last_failure[0] = '\0';
        return text;
    });
}
