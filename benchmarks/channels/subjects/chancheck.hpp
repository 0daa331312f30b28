// benchmarks/channels/subjects/chancheck.hpp — the subject for chancheck's own channels,
// one per flavor: chancheck::implementation::lock_free (crossbeam's list, array and zero
// algorithms, chosen by capacity) and chancheck::implementation::locked (the mutex + condvar
// oracle).
//
// Every cell uses chancheck::mpmc (bounded(cap) / unbounded()): the mpsc channels are the
// same flavors behind a move-only receiver, so the numbers hold for both. Each thread gets
// its own copy of the sender or receiver (a copy is a clone), as Rust code would.
// The only cell missing: the locked rendezvous flavor cannot take part in select
// (basic_select throws std::logic_error), so select_rx and select_both on bounded0 exist for
// lock_free only.
#pragma once

#include <cstdint>
#include <utility>

#include "../grid.hpp"
#include "chancheck/mpmc.hpp"

namespace chancheck_bench {

template <chancheck::implementation F>
struct chancheck_subject {
    static constexpr const char* name = F == chancheck::implementation::lock_free ? "chancheck_lock_free" : "chancheck_locked";
    static constexpr const char* label = F == chancheck::implementation::lock_free
                                             ? "blocking: spin, then park (chancheck waker)"
                                             : "blocking: std::mutex + std::condition_variable";
    static constexpr bool has_select = true;

    static const char* skip_reason(scenario s, flavor_kind f) {
        if (F == chancheck::implementation::locked && is_select(s) && f == flavor_kind::bounded0)
            return "the locked rendezvous flavor cannot take part in select (basic_select throws std::logic_error)";
        return nullptr;
    }

    using channel_pair = std::pair<chancheck::mpmc::sender<std::uint64_t>, chancheck::mpmc::receiver<std::uint64_t>>;

    static channel_pair make(const capacity& cap) {
        const auto c = cap.value();
        return c ? chancheck::mpmc::bounded<std::uint64_t>(*c, F) : chancheck::mpmc::unbounded<std::uint64_t>(F);
    }

    explicit chancheck_subject(const capacity& cap) : ch_(make(cap)) {}

    struct sender_handle {
        chancheck::mpmc::sender<std::uint64_t> tx;
        bool send(std::uint64_t v) { return static_cast<bool>(tx.send(v)); }
    };
    struct receiver_handle {
        chancheck::mpmc::receiver<std::uint64_t> rx;
        bool recv(std::uint64_t& out) {
            auto r = rx.recv();
            if (!r) return false;
            out = r.value();
            return true;
        }
    };

    sender_handle sender() { return {ch_.first}; }
    receiver_handle receiver() { return {ch_.second}; }

private:
    channel_pair ch_;
};

using chancheck_lock_free = chancheck_subject<chancheck::implementation::lock_free>;
using chancheck_locked = chancheck_subject<chancheck::implementation::locked>;

}  // namespace chancheck_bench
