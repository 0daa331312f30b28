// chancheck/detail/bug_zoo.hpp — seeded bugs, compiled in by a switch, never by editing.
//
// A checker that never failed on a broken channel proves nothing, so the reference flavors
// carry deliberately broken variants. A variant is chosen by wrapping the Sync policy:
//     chancheck::with_bug<chancheck::relacy_sync, chancheck::bug::array_relaxed_publish>
// Channel code asks `has_bug<Sync>(bug::x)` in an `if constexpr` (or a constant expression),
// so production instantiations compile exactly the reference code and each mutant is a
// distinct type that can live beside the others in one program.
#pragma once

#include <cstddef>
#include <string_view>

namespace chancheck {

enum class bug {
    none,
    // array: a sender publishes its slot with a relaxed store instead of release, so the
    // receiver may read the message before it was written (weakened publication; the class
    // of bug behind many ring-buffer data races).
    array_relaxed_publish,
    // oneshot: the sender publishes MESSAGE with a relaxed CAS, so the receiver may read the
    // value before it was written (the same weakened publication, in a state machine).
    oneshot_relaxed_publish,
    // broadcast (slots flavor): Lagged(n) reports one message fewer than were skipped — an
    // off-by-one in the lag arithmetic that silently loses a message from the accounting.
    broadcast_lag_off_by_one,
    // list: a sender publishes its message but forgets to wake a parked receiver (the
    // classic lost wake-up: the receiver sleeps forever next to a non-empty channel).
    list_lost_wakeup,
    // array: when the last receiver goes, the buffered messages are skipped instead of
    // destroyed (a leak of every unreceived message's resources).
    array_discard_skips_destroy,
    // counter: "who frees the channel" is decided by a load of the destroy flag followed by a
    // store instead of one swap. When the last sender and the last receiver go together both
    // load false and nobody frees it (a leak; the reverse order would double free). The class
    // of bug crossbeam's counter.rs avoids with `destroy.swap(true, AcqRel)`.
    counter_split_swap,
    // counter: each side frees the channel when, after disconnecting, it sees the other
    // side's count at zero. Correct when the two sides go one after the other; when they go
    // together both see zero and both free it (double free).
    counter_free_by_peer_count,
    // locked: the last sender marks the channel disconnected and notifies without holding
    // the mutex, so a receiver between its predicate check and its wait misses both the flag
    // and the notification (the textbook lost wake-up of condition variables).
    locked_disconnect_outside_lock,
    // locked: disconnect wakes one blocked receiver (notify_one) where every receiver must
    // learn the news; with two receivers blocked, one sleeps forever.
    locked_notify_one_on_disconnect,
    // list: the blocked receiver's re-check after registering asks only "is a message
    // there?", not "did the last sender go?": a disconnect that lands between the receiver's
    // last attempt and its registration is never noticed (a waiter that misses the disconnect).
    list_recheck_ignores_disconnect,
    // waker: the notifier's fast-path "is anybody waiting?" load is relaxed instead of
    // seq_cst. Store-buffering lets the notifier miss a waiter that just registered while the
    // waiter misses the message: the Dekker-pattern lost wake-up that crossbeam's SyncWaker
    // prevents with SeqCst on both sides.
    waker_relaxed_empty_check,
    // select: an arm found ready while registering is ignored and the select parks anyway;
    // a message that arrived between the first pass and the registration wakes nobody.
    select_ignores_ready_arm,
    // broadcast (slots flavor): a send wakes one blocked receiver (notify_one) where every
    // subscriber must see the message; the others sleep next to it.
    broadcast_notify_one,
    // array: len() reads the tail and then the head without checking that the tail stayed
    // put in between, so a send and a receive landing between the two loads make it report a
    // length the channel never had (the consistent-snapshot re-check crossbeam's len() does).
    array_len_reads_unpaired,
    // context: a blocked operation never parks; it busy-polls its selection until woken or
    // timed out. Correct, and invisible to a model checker, but it burns a core
    // for as long as the channel is idle (caught by the idle-CPU test, not by Relacy).
    blocked_wait_spins,
};

inline constexpr const char* bug_name(bug b) noexcept {
    switch (b) {
        case bug::none: return "none";
        case bug::array_relaxed_publish: return "array_relaxed_publish";
        case bug::oneshot_relaxed_publish: return "oneshot_relaxed_publish";
        case bug::broadcast_lag_off_by_one: return "broadcast_lag_off_by_one";
        case bug::list_lost_wakeup: return "list_lost_wakeup";
        case bug::array_discard_skips_destroy: return "array_discard_skips_destroy";
        case bug::counter_split_swap: return "counter_split_swap";
        case bug::counter_free_by_peer_count: return "counter_free_by_peer_count";
        case bug::locked_disconnect_outside_lock: return "locked_disconnect_outside_lock";
        case bug::locked_notify_one_on_disconnect: return "locked_notify_one_on_disconnect";
        case bug::list_recheck_ignores_disconnect: return "list_recheck_ignores_disconnect";
        case bug::waker_relaxed_empty_check: return "waker_relaxed_empty_check";
        case bug::select_ignores_ready_arm: return "select_ignores_ready_arm";
        case bug::broadcast_notify_one: return "broadcast_notify_one";
        case bug::blocked_wait_spins: return "blocked_wait_spins";
        case bug::array_len_reads_unpaired: return "array_len_reads_unpaired";
    }
    return "unknown";
}

// What kind of mistake a seeded bug is. A bug shows as different failure kinds depending on
// the engine and the interleaving that hit it: a free of memory still in use is a use after
// free when the survivor touches it first, a double free when it frees it too, a data race on
// the freed block to Relacy, an ASan report on real threads. A bug is caught when the failure
// names any kind of its class, and only then: a lost wake-up reported as a leak is not a catch.
enum class bug_class {
    weak_publication,  // a value read before the store that publishes it is visible
    lost_wakeup,       // a blocked operation is never woken although it could proceed
    leaked_messages,   // messages left in the channel are never destroyed
    teardown_race,     // the last sender and the last receiver disagree on who frees the channel
    lag_accounting,    // broadcast's Lagged(n) does not account for what was skipped
    busy_wait,         // a blocked operation polls instead of parking
    observer_race,     // an observer (len, is_empty) reports a state the channel never was in
};

inline constexpr bug_class class_of(bug b) noexcept {
    switch (b) {
        case bug::array_relaxed_publish:
        case bug::oneshot_relaxed_publish: return bug_class::weak_publication;
        case bug::array_discard_skips_destroy: return bug_class::leaked_messages;
        case bug::counter_split_swap:
        case bug::counter_free_by_peer_count: return bug_class::teardown_race;
        case bug::broadcast_lag_off_by_one: return bug_class::lag_accounting;
        case bug::blocked_wait_spins: return bug_class::busy_wait;
        case bug::array_len_reads_unpaired: return bug_class::observer_race;
        case bug::none:
        case bug::list_lost_wakeup:
        case bug::locked_disconnect_outside_lock:
        case bug::locked_notify_one_on_disconnect:
        case bug::list_recheck_ignores_disconnect:
        case bug::waker_relaxed_empty_check:
        case bug::select_ignores_ready_arm:
        case bug::broadcast_notify_one: break;
    }
    return bug_class::lost_wakeup;
}

inline constexpr const char* to_string(bug_class c) noexcept {
    switch (c) {
        case bug_class::weak_publication: return "weak_publication";
        case bug_class::lost_wakeup: return "lost_wakeup";
        case bug_class::leaked_messages: return "leaked_messages";
        case bug_class::teardown_race: return "teardown_race";
        case bug_class::lag_accounting: return "lag_accounting";
        case bug_class::busy_wait: return "busy_wait";
        case bug_class::observer_race: return "observer_race";
    }
    return "unknown";
}

// The failure kinds (as every engine writes them: Relacy's and the scheduler's kinds,
// "oracle:<violation>", "not_linearizable", and the stress engine's "watchdog", "tsan",
// "asan", "lsan") under which a bug of class `c` may show, " | "-separated.
inline constexpr std::string_view accepted_kinds(bug_class c) noexcept {
    switch (c) {
        case bug_class::weak_publication: return "data_race | tsan";
        case bug_class::lost_wakeup: return "deadlock | watchdog";
        case bug_class::leaked_messages: return "oracle:destruction_mismatch | memory_leak | lsan";
        case bug_class::teardown_race:
            return "use_after_free | double_free | data_race | memory_leak | oracle:destruction_mismatch | asan | lsan";
        case bug_class::lag_accounting: return "oracle:lag_accounting | not_linearizable";
        case bug_class::busy_wait: return "busy_wait";
        case bug_class::observer_race: return "not_linearizable | oracle:not_linearizable | oracle:capacity_exceeded";
    }
    return "";
}

// Whether failure kind `kind` is one a bug of class `c` may show as. A sanitizer's kind
// carries the report's title after a colon ("tsan:data-race"): a bare accepted kind ("tsan")
// matches it by its tool; "oracle:<violation>" matches only itself.
inline constexpr bool kind_of_class(std::string_view kind, bug_class c) noexcept {
    std::string_view accepted = accepted_kinds(c);
    for (;;) {
        const std::size_t bar = accepted.find(" | ");
        const std::string_view one = accepted.substr(0, bar);
        if (kind == one) return true;
        if (one.find(':') == std::string_view::npos && kind.size() > one.size() && kind.substr(0, one.size()) == one &&
            kind[one.size()] == ':')
            return true;
        if (bar == std::string_view::npos) return false;
        accepted.remove_prefix(bar + 3);
    }
}

// Every seeded bug, in declaration order (bug::none is not one).
inline constexpr bug all_bugs[] = {
    bug::array_relaxed_publish,      bug::oneshot_relaxed_publish,         bug::broadcast_lag_off_by_one,
    bug::list_lost_wakeup,           bug::array_discard_skips_destroy,     bug::counter_split_swap,
    bug::counter_free_by_peer_count, bug::locked_disconnect_outside_lock,  bug::locked_notify_one_on_disconnect,
    bug::list_recheck_ignores_disconnect, bug::waker_relaxed_empty_check,  bug::select_ignores_ready_arm,
    bug::broadcast_notify_one,       bug::array_len_reads_unpaired,        bug::blocked_wait_spins,
};

static_assert(sizeof(all_bugs) / sizeof(all_bugs[0]) == static_cast<std::size_t>(bug::blocked_wait_spins),
              "all_bugs lists every seeded bug (blocked_wait_spins stays last in the enum)");

// The bug named `name`, or bug::none when no seeded bug has that name.
inline constexpr bug parse_bug(std::string_view name) noexcept {
    for (bug b : all_bugs)
        if (name == bug_name(b)) return b;
    return bug::none;
}

template <class Base, bug B>
struct with_bug : Base {
    static constexpr bug injected_bug = B;
};

// The bug a Sync policy carries (bug::none for a plain policy).
template <class Sync>
constexpr bug injected_bug_of() noexcept {
    if constexpr (requires { Sync::injected_bug; }) {
        return Sync::injected_bug;
    } else {
        return bug::none;
    }
}

template <class Sync>
constexpr bool has_bug(bug b) noexcept {
    return b != bug::none && injected_bug_of<Sync>() == b;
}

}  // namespace chancheck
