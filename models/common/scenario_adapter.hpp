// models/common/scenario_adapter.hpp — runs a harness scenario as a Relacy test suite.
//
// The harness scenarios (harness/include/chancheck/harness/*_scenarios.hpp) are engine-
// neutral: a scenario class templated on the Sync policy, with `threads`, `run_thread(i)`,
// `drop_handles()` and `judge()`, a static `configs()` list of channel configurations and a
// `channel` kind name. This adapter makes one Relacy test suite per (scenario, configuration,
// size), and registers cases (reference or seeded bug) with the metadata the results file
// needs.
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
#include <type_traits>
#include <utility>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
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
};
inline oracle_buffers g_oracle_buffers;

inline oracle_finding take_oracle_finding() {
    oracle_finding f{g_oracle_buffers.kind, g_oracle_buffers.text};
    g_oracle_buffers.kind[0] = '\0';
    g_oracle_buffers.text[0] = '\0';
    return f;
}

template <class Scenario, std::size_t ConfigIndex, std::size_t Size>
struct scenario_suite : rl::test_suite<scenario_suite<Scenario, ConfigIndex, Size>, Scenario::threads> {
    std::optional<Scenario> s;

    void before() { s.emplace(Scenario::configs()[ConfigIndex], Size); }
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
                std::snprintf(g_oracle_buffers.kind, sizeof g_oracle_buffers.kind, "%s", harness::to_string(v[0].kind));
                std::snprintf(g_oracle_buffers.text, sizeof g_oracle_buffers.text, "%s", text.c_str());
            }
        }
        RL_ASSERT(ok);
        s.reset();
    }
};

// Registers Scenario<Sync> on configuration ConfigIndex with `size` messages per producer.
// A reference flavor must succeed. A seeded bug must fail with a kind of its bug's class;
// `shows_as` names the kind it is found as here (checked to be of that class).
template <template <class> class Scenario, std::size_t Size, class Sync, std::size_t ConfigIndex>
void add_case(std::vector<model_case>& cases, const std::string& shows_as = "success") {
    using scenario_t = Scenario<Sync>;
    const auto& config = scenario_t::configs()[ConfigIndex];  // initialized here, outside any simulation
    constexpr bug injected = injected_bug_of<Sync>();
    model_case c;
    c.scenario = scenario_t::name;
    c.channel = scenario_t::channel;
    c.flavor = config.name;
    c.injected = injected;
    c.mutant = injected == bug::none ? "" : bug_name(injected);
    c.name = (c.mutant.empty() ? "" : "mutant/" + c.mutant + "/") + c.channel + "/" + c.scenario + "/" + c.flavor;
    c.expected = injected == bug::none ? "success" : std::string(accepted_kinds(class_of(injected)));
    if (!c.accepts(shows_as)) throw std::logic_error("case " + c.name + ": '" + shows_as + "' is not what it must end with");
    c.small = scenario_t::threads <= 2 && Size <= 2;
    c.run = [](rl::test_params& p) { return rl::simulate<scenario_suite<scenario_t, ConfigIndex, Size>>(p); };
    cases.push_back(std::move(c));
}

// Registers Scenario<Sync> on every configuration of its family.
template <template <class> class Scenario, std::size_t Size, class Sync = relacy_sync>
void add_scenario(std::vector<model_case>& cases) {
    constexpr std::size_t n = std::tuple_size_v<std::remove_cvref_t<decltype(Scenario<Sync>::configs())>>;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (add_case<Scenario, Size, Sync, I>(cases), ...);
    }(std::make_index_sequence<n>{});
}

}  // namespace chancheck::models
