// chancheck/detail/bug_zoo.hpp — seeded bugs, compiled in by a switch, never by editing.
//
// A checker that never failed on a broken channel proves nothing, so the reference flavors
// carry deliberately broken variants. A variant is chosen by wrapping the Sync policy:
//     chancheck::with_bug<chancheck::relacy_sync, chancheck::bug::array_relaxed_publish>
// Channel code asks `has_bug<Sync>(bug::x)` in an `if constexpr` (or a constant expression),
// so production instantiations compile exactly the reference code and each mutant is a
// distinct type that can live beside the others in one program.
#pragma once

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
};

inline constexpr const char* bug_name(bug b) noexcept {
    switch (b) {
        case bug::none: return "none";
        case bug::array_relaxed_publish: return "array_relaxed_publish";
        case bug::oneshot_relaxed_publish: return "oneshot_relaxed_publish";
        case bug::broadcast_lag_off_by_one: return "broadcast_lag_off_by_one";
        case bug::list_lost_wakeup: return "list_lost_wakeup";
        case bug::array_discard_skips_destroy: return "array_discard_skips_destroy";
    }
    return "unknown";
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
