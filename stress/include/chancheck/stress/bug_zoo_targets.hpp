// chancheck/stress/bug_zoo_targets.hpp — where the stress engine looks for each seeded bug.
//
// For every mutant of the bug zoo (chancheck/detail/bug_zoo.hpp): the channel kind its bug
// lives in (the mutant runners are instantiated for that kind only) and the workloads that
// give the bug a chance to show; a catch is a failure of any kind of its bug class. Real
// threads find a bug only when the machine happens to interleave (or order memory) the bad
// way, so the zoo runs many short runs per mutant, with chaos noise and a fresh seed each,
// until one fails or the mutant's time budget is spent. A mutant that stress cannot see says
// why, so the report can show "missed, by design" apart from "missed".
#pragma once

#include <array>
#include <optional>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/stress/config.hpp"

namespace chancheck::stress {

struct zoo_target {
    bug mutant;
    channel_kind kind;     // the channel (select: an mpmc channel per producer, one selecting consumer)
    implementation impl;
    workload load;
    unsigned producers;
    unsigned consumers;
    std::optional<std::size_t> capacity;
    std::uint64_t messages;  // per producer, per run
    const char* note;        // how the bug shows on real threads, or why it does not
};

inline constexpr std::optional<std::size_t> unbounded = std::nullopt;

inline constexpr std::array<zoo_target, 18> zoo_targets = [] {
    using enum channel_kind;
    using enum implementation;
    using enum workload;
    return std::array<zoo_target, 18>{{
    {bug::array_relaxed_publish, mpmc, lock_free, stream, 1, 1, 16, 2000,
     "the receiver reads a slot the sender published with a relaxed store: a data race only TSan sees on x86"},
    {bug::array_relaxed_publish, mpmc, lock_free, stream, 4, 4, 1, 500, "the same race with contention"},
    {bug::oneshot_relaxed_publish, oneshot, lock_free, round_trip, 1, 1, unbounded, 500,
     "the reply value is read through a relaxed CAS: a data race only TSan sees on x86"},
    {bug::broadcast_lag_off_by_one, broadcast, lock_free, stream, 1, 4, 1, 2000,
     "a lagging subscriber's received + Lagged(n) falls short of what was sent"},
    {bug::list_lost_wakeup, mpsc, lock_free, round_trip, 1, 1, unbounded, 2000,
     "the server parks next to a request nobody woke it for; the client waits for the reply forever"},
    {bug::array_discard_skips_destroy, mpmc, lock_free, receiver_quits, 4, 1, 16, 500,
     "messages left in the ring when the receiver goes are never destroyed"},
    {bug::counter_split_swap, mpsc, lock_free, stream, 1, 1, unbounded, 20,
     "the last sender and receiver leave together and nobody frees the channel: once per run, at teardown"},
    {bug::counter_free_by_peer_count, mpsc, lock_free, stream, 1, 1, unbounded, 20,
     "the last sender and receiver leave together and both free the channel: once per run, at teardown"},
    {bug::locked_disconnect_outside_lock, mpsc, locked, stream, 1, 1, unbounded, 50,
     "the receiver misses the disconnect between its check and its wait and sleeps forever"},
    {bug::locked_notify_one_on_disconnect, mpmc, locked, stream, 1, 4, unbounded, 50,
     "the disconnect wakes one of several blocked receivers; the others sleep forever"},
    {bug::list_recheck_ignores_disconnect, mpsc, lock_free, stream, 1, 1, unbounded, 50,
     "a disconnect between the receiver's last attempt and its registration is never noticed"},
    {bug::list_recheck_ignores_disconnect, mpsc, lock_free, stream, 4, 1, unbounded, 50,
     "the same window, with several senders leaving"},
    {bug::waker_relaxed_empty_check, mpmc, lock_free, round_trip, 1, 1, 0, 2000,
     "needs a store-load reordering between the notifier's store and its relaxed check; x86 compiles the "
     "relaxed and the seq_cst load alike, so real threads rarely if ever show it (Relacy does)"},
    {bug::select_ignores_ready_arm, select, lock_free, round_trip, 4, 1, 1, 1000,
     "the server's select parks although a request arrived while it registered; its client waits forever"},
    {bug::broadcast_notify_one, broadcast, lock_free, stream, 1, 4, 16, 2000,
     "each send wakes one blocked subscriber, but the next send or the final close wakes the rest, so "
     "stream runs end anyway (the property engine's programs catch it)"},
    {bug::blocked_wait_spins, mpsc, lock_free, round_trip, 1, 1, unbounded, 500,
     "correct but burns a core while blocked: no checker here fails on it (the idle-CPU test does)"},
    {bug::counter_split_swap, mpsc, lock_free, receiver_quits, 1, 1, 1, 20,
     "the receiver quits while the sender is still sending: a second teardown order"},
    {bug::counter_free_by_peer_count, mpsc, lock_free, receiver_quits, 1, 1, 1, 20,
     "the receiver quits while the sender is still sending: a second teardown order"},
    }};
}();

// The kinds each mutant's runners are built for (one entry per distinct pair above).
struct mutant_kind {
    bug mutant;
    channel_kind kind;
};
inline constexpr std::array<mutant_kind, 14> mutant_kinds = [] {
    using enum channel_kind;
    return std::array<mutant_kind, 14>{{
    {bug::array_relaxed_publish, mpmc},
    {bug::oneshot_relaxed_publish, oneshot},
    {bug::broadcast_lag_off_by_one, broadcast},
    {bug::list_lost_wakeup, mpsc},
    {bug::array_discard_skips_destroy, mpmc},
    {bug::counter_split_swap, mpsc},
    {bug::counter_free_by_peer_count, mpsc},
    {bug::locked_disconnect_outside_lock, mpsc},
    {bug::locked_notify_one_on_disconnect, mpmc},
    {bug::list_recheck_ignores_disconnect, mpsc},
    {bug::waker_relaxed_empty_check, mpmc},
    {bug::select_ignores_ready_arm, select},
    {bug::broadcast_notify_one, broadcast},
    {bug::blocked_wait_spins, mpsc},
    }};
}();

// `flavor_of(kind, impl, capacity)` names the flavor (the driver's table knows it).
template <class FlavorOf>
run_config zoo_config(const zoo_target& t, std::uint64_t seed, std::uint64_t watchdog_ms, FlavorOf flavor_of) {
    run_config c;
    c.channel = harness::to_string(t.kind);
    c.kind = t.kind;
    c.impl = t.impl;
    c.flav = flavor_of(t.kind, t.impl, t.capacity);
    c.load = t.load;
    c.producers = t.producers;
    c.consumers = t.consumers;
    c.capacity = t.capacity;
    c.messages = t.messages;
    c.seed = seed;
    c.chaos = true;
    c.watchdog_ms = watchdog_ms;
    c.mutant = t.mutant;
    return c;
}

}  // namespace chancheck::stress
