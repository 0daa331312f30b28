// chancheck/harness/scenarios.hpp — every harness scenario, for the engines to iterate.
//
//   for_each_scenario<A[, List]>(f)   calls f.template operator()<S<A>>() for every scenario S
//                             (of List, default every one) that
//                             fits adapter A (its kind and capabilities, known at compile
//                             time); f then asks S<A>::applies(capacity) for each capacity
// The list is the one place a new scenario is registered: the Relacy models, the real-thread
// scenario tests and the bring-your-own models all run what it holds.
#pragma once

#include "chancheck/harness/broadcast_oneshot_scenarios.hpp"
#include "chancheck/harness/queue_scenarios.hpp"

#include <optional>
#include <string>

namespace chancheck::harness {

template <template <class> class... S>
struct scenario_list {};

using all_scenarios =
    scenario_list<spsc, two_producers, last_sender_dropped_while_receiver_blocked, receiver_dropped_while_sender_blocked,
                  recv_timeout_races_send, try_recv_races_disconnect, ping_pong, two_by_two, rendezvous_hand_off,
                  select_racing_send, observers_race, broadcast_lagging_receiver, broadcast_fanout, oneshot_concurrent_drop,
                  oneshot_reply>;

template <class A, class List, class F>
void for_each_scenario(F&& f) {
    [&]<template <class> class... S>(scenario_list<S...>) {
        const auto one = [&]<class Scenario>() {
            if constexpr (Scenario::fits) f.template operator()<Scenario>();
        };
        (one.template operator()<S<A>>(), ...);
    }(List{});
}

template <class A, class F>
void for_each_scenario(F&& f) {
    for_each_scenario<A, all_scenarios>(std::forward<F>(f));
}

// The capacities a scenario runs on, by the adapter's kind: unbounded, 1 and 0 (rendezvous)
// for the queue kinds, 1 and 2 for broadcast, none for oneshot; each where the adapter
// supports it and the scenario applies. -1 stands for unbounded (a template argument).
inline constexpr int model_capacities[] = {-1, 1, 0, 2};

inline std::optional<std::size_t> capacity_of(int c) {
    return c < 0 ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(c));
}

template <class Scenario>
bool runs_at(int capacity) {
    using A = typename Scenario::adapter;
    const auto cap = capacity_of(capacity);
    if (!A::supports(cap) || !Scenario::applies(cap)) return false;
    // The queue kinds at unbounded, 1 and 0; broadcast at 1 and 2; oneshot without a capacity.
    switch (channel_traits<A, counted>::kind) {
        case channel_kind::broadcast: return capacity == 1 || capacity == 2;
        case channel_kind::oneshot: return capacity == -1;
        default: return capacity != 2;
    }
}

// "list@inf", "locked@1": a configuration's name in case names and reports.
template <class A>
std::string configuration_name(int capacity) {
    const auto cap = capacity_of(capacity);
    return std::string(to_string(channel_traits<A, counted>::flavor_of(cap))) + "@" + (cap ? std::to_string(*cap) : "inf");
}

}  // namespace chancheck::harness
