// property_tests/sequential/mutant_survey_test.cpp — which bug-zoo mutants do the sequential
// model-based tests catch? Runs every seeded bug (chancheck::bug) through every sequential
// property (mpsc and mpmc on every configuration, broadcast, oneshot) and prints a table.
//
// A separate program, built only on request and not run by ctest: it instantiates every
// property for 14 mutant policies (minutes of compilation) and runs 14 bugs x 34 properties,
// most of them to their full budget since most bugs need concurrency to show (~3 minutes):
//   cmake --build --preset dev --target sequential_mutant_survey
//   build/dev/property_tests/sequential/sequential_mutant_survey
// Only two bugs are expected to show single-threaded: array_discard_skips_destroy and
// broadcast_lag_off_by_one (their own tests, in queue_test.cpp and
// broadcast_oneshot_test.cpp, assert that they are caught).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "broadcast_model.hpp"
#include "chancheck/detail/bug_zoo.hpp"
#include "oneshot_model.hpp"
#include "queue_model.hpp"

namespace {

using namespace chancheck_seq;

// One caught property: where, and its failure's first line.
struct catch_report {
    std::string property;
    std::string failure;
    std::size_t commands;
};

void record(std::vector<catch_report>& out, const std::string& property, const outcome& o) {
    if (o.passed()) return;
    const std::string description = o.failed() ? o.failure().description : o.report();
    out.push_back({property, description.substr(0, description.find('\n')), o.counterexample_commands()});
}

template <chancheck::bug B>
std::vector<catch_report> survey() {
    using mutant = chancheck::with_bug<chancheck::std_sync, B>;
    const std::string bug = chancheck::bug_name(B);
    std::vector<catch_report> caught;
    for (const auto& cfg : queue::all_configs()) {
        const std::string mpsc = std::string("mpsc/") + cfg.name;
        record(caught, mpsc,
               queue::check<queue::mpsc_kind<mutant>>(cfg, current_test_id(bug + "/" + mpsc), queue::budget_for(cfg)));
        const std::string mpmc = std::string("mpmc/") + cfg.name;
        record(caught, mpmc,
               queue::check<queue::mpmc_kind<mutant>>(cfg, current_test_id(bug + "/" + mpmc), queue::budget_for(cfg)));
    }
    for (const auto& cfg : broadcast::all_configs()) {
        const std::string name = std::string("broadcast/") + cfg.name;
        record(caught, name, broadcast::check<mutant>(cfg, current_test_id(bug + "/" + name)));
    }
    for (const auto& cfg : oneshot::all_configs()) {
        const std::string name = std::string("oneshot/") + cfg.name;
        record(caught, name, oneshot::check<mutant>(cfg, current_test_id(bug + "/" + name)));
    }
    return caught;
}

struct bug_survey {
    chancheck::bug bug;
    std::vector<catch_report> (*run)();
};

TEST(SequentialMutantSurvey, EveryBug) {
    using chancheck::bug;
    const bug_survey bugs[] = {
        {bug::array_relaxed_publish, &survey<bug::array_relaxed_publish>},
        {bug::oneshot_relaxed_publish, &survey<bug::oneshot_relaxed_publish>},
        {bug::broadcast_lag_off_by_one, &survey<bug::broadcast_lag_off_by_one>},
        {bug::list_lost_wakeup, &survey<bug::list_lost_wakeup>},
        {bug::array_discard_skips_destroy, &survey<bug::array_discard_skips_destroy>},
        {bug::counter_split_swap, &survey<bug::counter_split_swap>},
        {bug::counter_free_by_peer_count, &survey<bug::counter_free_by_peer_count>},
        {bug::locked_disconnect_outside_lock, &survey<bug::locked_disconnect_outside_lock>},
        {bug::locked_notify_one_on_disconnect, &survey<bug::locked_notify_one_on_disconnect>},
        {bug::list_recheck_ignores_disconnect, &survey<bug::list_recheck_ignores_disconnect>},
        {bug::waker_relaxed_empty_check, &survey<bug::waker_relaxed_empty_check>},
        {bug::select_ignores_ready_arm, &survey<bug::select_ignores_ready_arm>},
        {bug::broadcast_notify_one, &survey<bug::broadcast_notify_one>},
        {bug::blocked_wait_spins, &survey<bug::blocked_wait_spins>},
    };
    std::printf("\n%-34s %s\n", "seeded bug", "caught by (property: shrunk commands, failure)");
    for (const auto& b : bugs) {
        const auto caught = b.run();
        std::printf("%-34s %s\n", chancheck::bug_name(b.bug), caught.empty() ? "not caught" : "");
        for (const auto& c : caught) {
            std::printf("    %-28s %2zu commands: %s\n", c.property.c_str(), c.commands, c.failure.c_str());
        }
        std::fflush(stdout);
    }
}

}  // namespace
