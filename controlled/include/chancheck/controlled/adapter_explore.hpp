// chancheck/controlled/adapter_explore.hpp — the controlled engine for a channel brought
// through an adapter (harness/channel.hpp) whose code uses plain std::atomic, std::mutex,
// std::condition_variable: every harness scenario that fits it, at every capacity it supports,
// explored under controlled scheduling (explore.hpp) and judged by the scenario's oracles.
// chancheck_add_channel(... ENGINES controlled) generates
//   int main(int argc, char** argv) { return chancheck::controlled::adapter_explore_main<my_adapter>(argc, argv); }
// compiled with -fsanitize=thread and linked with the runtime (chancheck_controlled_executable).
#pragma once

#include <string>
#include <vector>

#include "chancheck/controlled/cases.hpp"
#include "chancheck/harness/channel.hpp"
#include "chancheck/harness/scenarios.hpp"

namespace chancheck::controlled {

// Messages per producer of the longer run of each scenario on a bounded or rendezvous channel:
// enough for blocked senders to pile up (a lost wake-up that needs two of them blocked at once).
inline constexpr std::size_t longer_run = 3;

// Every harness scenario that fits adapter A, at every capacity it runs at, as a case that
// must pass: once at the size the model checkers use (the smallest state space), and where
// senders can block once more with `longer_run` messages per producer.
template <class A>
std::vector<explore_case> scenario_cases() {
    std::vector<explore_case> out;
    harness::for_each_scenario<A>([&]<class Scenario>() {
        for (int capacity : harness::model_capacities) {
            if (!harness::runs_at<Scenario>(capacity)) continue;
            const std::string name = std::string(A::name) + "/" + Scenario::name + "/" + harness::configuration_name<A>(capacity);
            out.push_back({.name = name,
                           .body = [capacity] { run_scenario<Scenario>(capacity, Scenario::model_size); },
                           .channel = std::string(A::name)});
            if (Scenario::model_size < longer_run && capacity >= 0)  // bounded or rendezvous: senders block
                out.push_back({.name = name + "/" + std::to_string(longer_run) + "_messages",
                               .body = [capacity] { run_scenario<Scenario>(capacity, longer_run); },
                               .channel = std::string(A::name)});
        }
    });
    return out;
}

template <template <class> class A>
int adapter_explore_main(int argc, char** argv) {
    using adapted = A<harness::counted>;
    static_assert(harness::channel_adapter_of<adapted, harness::counted>, "the adapter does not model chancheck::harness::channel_adapter");
    command_line cli;
    if (const auto status = parse(argc, argv, {.quick = 100, .full = 1000}, false, cli)) return *status;
    return run_cases(scenario_cases<adapted>(), cli, argv[0], 1);
}

}  // namespace chancheck::controlled
