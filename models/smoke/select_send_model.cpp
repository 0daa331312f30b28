// models/smoke/select_send_model.cpp — chancheck's select with send arms under Relacy.
//
// The harness scenarios reach channels through the channel concept, whose select takes
// receive arms only; a select mixing send and receive arms on one rendezvous channel — where
// a thread must never pair with itself — is chancheck's own API, checked here directly.
// Also the runner's crash self-test (by name only). Usage: see models/common/model_runner.hpp.

#include <csignal>
#include <optional>
#include <vector>

// nlohmann-json and CLI11 (the results file, the command line) before Relacy: its macros must not reach them.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "chancheck/sync/relacy_sync.hpp"
// Channel headers after the policy.
#include "chancheck/mpmc.hpp"
#include "chancheck/select.hpp"
#include "common/model_runner.hpp"

namespace {

using chancheck::relacy_sync;
using chancheck::models::model_case;
using sync_t = relacy_sync;

// Two threads each select {send mine, receive} on one rendezvous channel: a thread never
// receives its own value, and the two selects pair up (no deadlock).
struct select_rendezvous_pair : rl::test_suite<select_rendezvous_pair, 2> {
    std::optional<chancheck::mpmc::sender<int, sync_t>> tx[2];
    std::optional<chancheck::mpmc::receiver<int, sync_t>> rx[2];
    rl::var<int> outcome[2];  // 1 sent, 2 received

    void before() {
        auto pair = chancheck::mpmc::bounded<int, sync_t>(0);
        tx[0].emplace(pair.first);
        tx[1].emplace(std::move(pair.first));
        rx[0].emplace(pair.second);
        rx[1].emplace(std::move(pair.second));
    }
    void thread(unsigned index) {
        const int me = static_cast<int>(index) + 1;
        chancheck::basic_select<sync_t> sel;
        const std::size_t send_arm = sel.send(*tx[index]);
        sel.recv(*rx[index]);
        auto op = sel.select();
        if (op.index() == send_arm) {
            RL_ASSERT(op.send(*tx[index], me).has_value());
            outcome[index]($) = 1;
        } else {
            auto r = op.recv(*rx[index]);
            RL_ASSERT(r && r.value() != me);
            outcome[index]($) = 2;
        }
    }
    void after() {
        RL_ASSERT(outcome[0]($) + outcome[1]($) == 3);  // one sent, the other received
        for (int i = 0; i < 2; ++i) {
            tx[i].reset();
            rx[i].reset();
        }
    }
};

// Not a model: a self-test of the runner. Its thread ends the process with SIGSEGV, as a use
// after free in channel code can; the results file and the report must still name the case
// and its replay (models/check_crash_report.py). Run only by name.
struct crashes_the_process : rl::test_suite<crashes_the_process, 1> {
    void thread(unsigned) { std::raise(SIGSEGV); }
};

model_case self_test_crash() {
    model_case c = chancheck::models::named_case("self_test/crash", "success",
                                                 [](rl::test_params& p) { return rl::simulate<crashes_the_process>(p); });
    c.by_name_only = true;
    return c;
}

model_case rendezvous_pair() {
    model_case c = chancheck::models::named_case("select/select_rendezvous_pair/zero@0", "success", [](rl::test_params& p) {
        return rl::simulate<select_rendezvous_pair>(p);
    });
    c.scenario = "select_rendezvous_pair";
    c.flav = chancheck::harness::flavor::zero;
    c.capacity = 0;
    return c;
}

std::vector<model_case> all_cases() { return {rendezvous_pair(), self_test_crash()}; }

}  // namespace

int main(int argc, char** argv) { return chancheck::models::run_cases(argc, argv, all_cases()); }
