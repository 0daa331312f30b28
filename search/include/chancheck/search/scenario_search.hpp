// chancheck/search/scenario_search.hpp — the harness scenarios under the exhaustive search.
//
// A case is one harness scenario (harness/scenarios.hpp) over a channel adapter on sched_sync
// (or a bug-zoo mutant of it) at one capacity. One execution runs the scenario's threads under
// the deterministic scheduler, whose decisions the search takes (chancheck/sync/sched/
// search.hpp), drops the handles, and judges the history with the harness's oracles; then
// the leak check. A failing execution is the scheduler's failure (deadlock, busy_wait,
// double_free, use_after_free, memory_leak, …) or, for an oracle's rejection, kind `oracle`
// with the violation's name first in the message ("exactly_once: …").
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/harness/scenarios.hpp"
#include "chancheck/sync/sched/search.hpp"
#include "chancheck/sync/sched_sync.hpp"

namespace chancheck::search_engine {

struct search_case {
    std::string name;  // [mutant/<bug>/]<kind>/<scenario>/<flavor>@<capacity>
    std::string scenario;
    harness::channel_kind kind{};
    harness::flavor flav{};
    std::optional<std::size_t> capacity;
    bug injected = bug::none;
    sched::run_once run;  // one execution, judged
};

// One execution of Scenario at `capacity`, judged (see the header comment).
template <class Scenario>
sched::run_outcome run_scenario(std::optional<std::size_t> capacity, const sched::schedule& s,
                                const sched::scheduler::options& o) {
    sched::scheduler sch(s, o);
    auto scenario = std::make_unique<Scenario>(capacity, Scenario::model_size);
    std::vector<std::function<void()>> bodies;
    for (unsigned i = 0; i < Scenario::threads; ++i) bodies.push_back([&scenario, i] { scenario->run_thread(i); });
    sched::run_outcome out = sch.run(std::move(bodies));
    if (!out.ok()) {
        (void)scenario.release();  // the abandoned threads may still point into it
        return out;
    }
    scenario->drop_handles();  // set-up and tear-down run directly, outside the threads
    const harness::violations v = scenario->judge();
    if (!v.empty()) {
        out.kind = sched::failure_kind::oracle;
        out.message = std::string(harness::to_string(v[0].kind)) + ": " + harness::describe(v) + "recorded history:\n" +
                      scenario->history_text();
        return out;
    }
    scenario.reset();
    return sch.check_leaks();
}

// Every scenario of `List` that fits adapter A (over sched_sync or a mutant of it), at every
// capacity it runs at, as cases of seeded bug `injected` (bug::none: reference cases).
template <class A, class List>
void add_cases(std::vector<search_case>& cases, bug injected = bug::none) {
    harness::for_each_scenario<A, List>([&]<class Scenario>() {
        for (int c : harness::model_capacities) {
            if (!harness::runs_at<Scenario>(c)) continue;
            using traits = harness::channel_traits<A, harness::counted>;
            search_case sc;
            sc.scenario = Scenario::name;
            sc.kind = Scenario::kind;
            sc.capacity = harness::capacity_of(c);
            sc.flav = traits::flavor_of(sc.capacity);
            sc.injected = injected;
            sc.name = (injected == bug::none ? "" : std::string("mutant/") + bug_name(injected) + "/") +
                      harness::to_string(Scenario::kind) + "/" + sc.scenario + "/" + harness::configuration_name<A>(c);
            const auto capacity = sc.capacity;
            sc.run = [capacity](const sched::schedule& s, const sched::scheduler::options& o) {
                return run_scenario<Scenario>(capacity, s, o);
            };
            cases.push_back(std::move(sc));
        }
    });
}

// The failure kind as the engines write it: the scheduler's, or "oracle:<violation>".
inline std::string failure_kind_name(const sched::run_outcome& out) {
    if (out.kind != sched::failure_kind::oracle) return sched::to_string(out.kind);
    return "oracle:" + out.message.substr(0, out.message.find(':'));
}

}  // namespace chancheck::search_engine
