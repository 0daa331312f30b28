// models/common/scenario_adapter.hpp — runs a harness scenario as a Relacy test suite.
//
// The harness scenarios (harness/include/chancheck/harness/scenarios.hpp) are engine-
// neutral: each is a class template over a channel adapter (harness/channel.hpp), with
// `threads`, `model_size`, `run_thread(i)`, `drop_handles()` and `judge()`. This file makes
// one Relacy test suite per (scenario over an adapter on relacy_sync, capacity), and
// registers cases (reference or seeded bug) with the metadata the results file needs — for
// chancheck's own channels and a user's channel over the Sync policy alike.
//
// Judging runs outside the model: the oracles allocate and compute freely, and Relacy must
// neither schedule around that work nor see its memory (see outside_model). Their verdict is
// then asserted inside the model, so an oracle failure stops the search with Relacy's history.
//
// Include after chancheck/sync/relacy_sync.hpp and the scenario headers.
#pragma once

#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <iterator>
#include <type_traits>
#include <utility>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/harness/scenarios.hpp"
#include "common/model_runner.hpp"

namespace chancheck::models {

// While alive, code runs as if no Relacy simulation were active: operator new/delete go to
// the C heap and nothing is a scheduling point. Only for code that touches no Relacy object
// (the harness oracles over a finished run); everything allocated inside must be freed inside.
class outside_model {
public:
    outside_model() noexcept : saved_(rl::context_holder<>::instance_) { rl::context_holder<>::instance_ = nullptr; }
    ~outside_model() { rl::context_holder<>::instance_ = saved_; }
    outside_model(const outside_model&) = delete;
    outside_model& operator=(const outside_model&) = delete;

private:
    rl::context* saved_;
};

// The oracle findings of the last failing iteration, in fixed buffers: written inside the
// simulation, read by the runner after it.
struct oracle_buffers {
    char kind[64] = {};
    char text[1 << 16] = {};
    char detail[1 << 17] = {};  // {"violations": [...], "events": [...]} as JSON text
};
inline oracle_buffers g_oracle_buffers;

inline oracle_finding take_oracle_finding() {
    oracle_finding f{g_oracle_buffers.kind, g_oracle_buffers.text, nullptr};
    if (g_oracle_buffers.detail[0] != '\0') f.detail = json::parse(g_oracle_buffers.detail, nullptr, false);
    if (f.detail.is_discarded()) f.detail = nullptr;  // truncated: the text still says it
    g_oracle_buffers.kind[0] = '\0';
    g_oracle_buffers.text[0] = '\0';
    g_oracle_buffers.detail[0] = '\0';
    return f;
}

template <class Scenario, int Capacity>
struct scenario_suite : rl::test_suite<scenario_suite<Scenario, Capacity>, Scenario::threads> {
    std::optional<Scenario> s;

    void before() { s.emplace(harness::capacity_of(Capacity), Scenario::model_size); }
    void thread(unsigned i) { s->run_thread(i); }
    void after() {
        s->drop_handles();  // channel code: inside the model
        bool ok = true;
        {
            outside_model guard;
            const auto v = s->judge();
            if (!v.empty()) {
                ok = false;
                const std::string text = harness::describe(v) + "recorded history:\n" + s->history_text();
                const std::string detail =
                    json{{"violations", harness::violations_json(v)}, {"events", harness::events_json(s->recorded())}}.dump(
                        -1, ' ', false, json::error_handler_t::replace);
                std::snprintf(g_oracle_buffers.kind, sizeof g_oracle_buffers.kind, "%s", harness::to_string(v[0].kind));
                std::snprintf(g_oracle_buffers.text, sizeof g_oracle_buffers.text, "%s", text.c_str());
                std::snprintf(g_oracle_buffers.detail, sizeof g_oracle_buffers.detail, "%s", detail.c_str());
            }
        }
        RL_ASSERT(ok);
        s.reset();
    }
};

// Registers Scenario (a harness scenario over adapter A, A over relacy_sync or a mutant of
// it) at `Capacity` (-1: unbounded). A reference channel must succeed; a seeded bug `injected`
// must fail with a kind of its bug's class, `shows_as` naming the kind it is found as here
// (checked to be of that class). The case is named
//   [mutant/<bug>/]<kind>/<scenario>/<flavor>@<capacity>
// and a user's channel (flavor adapter) names its own row: <adapter>/<scenario>/adapter@<capacity>.
template <class Scenario, int Capacity>
void add_case(std::vector<model_case>& cases, bug injected = bug::none, const std::string& shows_as = "success") {
    using A = typename Scenario::adapter;
    using traits = harness::channel_traits<A, harness::counted>;
    const auto cap = harness::capacity_of(Capacity);
    model_case c;
    c.scenario = Scenario::name;
    c.kind = Scenario::kind;
    c.flav = traits::flavor_of(cap);
    c.capacity = cap;
    c.channel = *c.flav == harness::flavor::adapter ? std::string(A::name) : harness::to_string(Scenario::kind);
    c.injected = injected;
    c.name = (injected == bug::none ? "" : std::string("mutant/") + bug_name(injected) + "/") + c.channel + "/" + c.scenario +
             "/" + harness::configuration_name<A>(Capacity);
    if (!c.accepts(shows_as)) throw std::logic_error("case " + c.name + ": '" + shows_as + "' is not what it must end with");
    c.small = Scenario::threads <= 2 && Scenario::model_size <= 2;
    c.run = [](rl::test_params& p) { return rl::simulate<scenario_suite<Scenario, Capacity>>(p); };
    cases.push_back(std::move(c));
}

// Registers every scenario of `List` that fits adapter A, at every capacity it runs at
// (harness/scenarios.hpp), as reference cases.
template <class A, class List = harness::all_scenarios>
void add_scenarios(std::vector<model_case>& cases) {
    harness::for_each_scenario<A, List>([&]<class Scenario>() {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((harness::runs_at<Scenario>(harness::model_capacities[I]) ? add_case<Scenario, harness::model_capacities[I]>(cases)
                                                                        : void()),
             ...);
        }(std::make_index_sequence<std::size(harness::model_capacities)>{});
    });
}

}  // namespace chancheck::models
