// chancheck/detail/context.hpp — the state of one blocked operation.
//
// crossbeam-channel's `Context` (context.rs): a thread that must block creates a context,
// registers an operation with it in a channel's waker, and waits until some other thread
// *selects* it. `select` moves exactly once from `waiting` to one of: `aborted` (timed out,
// or the waiter found the channel ready itself), `disconnected`, or the id of the operation
// that was completed for it. Whoever wins that CAS decides the outcome, so a wake-up and a
// timeout can never both take effect. `packet` carries the address of a rendezvous slot.
//
// Lifetime: reference counted. A waiter may see `select` change and return while the
// selecting thread is still about to unpark it; the selector's reference keeps the context
// (and its parker) alive until that unpark is done.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

#include "chancheck/detail/backoff.hpp"
#include "chancheck/detail/bug_zoo.hpp"

namespace chancheck::detail {

// Values of context::select other than an operation id (ids are addresses, never 0..2).
inline constexpr std::uintptr_t sel_waiting = 0;
inline constexpr std::uintptr_t sel_aborted = 1;
inline constexpr std::uintptr_t sel_disconnected = 2;

template <class Sync>
class context {
public:
    using time_point = typename Sync::clock::time_point;

    // A new context with one reference, owned by the caller.
    static context* create() { return Sync::template make<context>(); }

    context() : select_(sel_waiting), packet_(nullptr), refs_(1), thread_id_(Sync::thread_id()) {}

    void retain() noexcept { refs_.fetch_add(1, std::memory_order::relaxed); }
    void release() {
        // acq_rel: the last owner must see every other owner's use before destroying.
        if (refs_.fetch_sub(1, std::memory_order::acq_rel) == 1) Sync::destroy(this);
    }

    // Attempts the one transition away from `waiting`. acq_rel: the winner's prior writes
    // (e.g. a rendezvous packet address) are published to the waiter that reads `select`.
    bool try_select(std::uintptr_t sel) {
        std::uintptr_t expected = sel_waiting;
        return select_.compare_exchange_strong(expected, sel, std::memory_order::acq_rel,
                                               std::memory_order::acquire);
    }

    std::uintptr_t selected() const { return select_.load(std::memory_order::acquire); }

    void store_packet(void* packet) {
        if (packet != nullptr) packet_.store(packet, std::memory_order::release);
    }

    void* wait_packet() {
        backoff<Sync> b;
        for (;;) {
            void* p = packet_.load(std::memory_order::acquire);
            if (p != nullptr) return p;
            b.snooze();
        }
    }

    std::uintptr_t thread_id() const noexcept { return thread_id_; }

    // Waits until selected or until `deadline`; on timeout tries to abort and returns the
    // final selection (a selector may still win the race against the timeout).
    std::uintptr_t wait_until(const std::optional<time_point>& deadline) {
        backoff<Sync> b;
        for (;;) {
            const std::uintptr_t sel = selected();
            if (sel != sel_waiting) return sel;
            if (b.is_completed()) break;
            b.snooze();
        }
        if constexpr (has_bug<Sync>(bug::blocked_wait_spins)) {
            for (;;) {  // the bug: busy-waits instead of parking
                const std::uintptr_t sel = selected();
                if (sel != sel_waiting) return sel;
                if (deadline && Sync::clock::now() >= *deadline) {
                    if (try_select(sel_aborted)) return sel_aborted;
                    return selected();
                }
                Sync::spin_hint();
            }
        }
        for (;;) {
            const std::uintptr_t sel = selected();
            if (sel != sel_waiting) return sel;
            if (deadline) {
                if (!parker_.park_until(*deadline)) {
                    if (try_select(sel_aborted)) return sel_aborted;
                    return selected();
                }
            } else {
                parker_.park();
            }
        }
    }

    void unpark() { parker_.unpark(); }

private:
    typename Sync::template atomic<std::uintptr_t> select_;
    typename Sync::template atomic<void*> packet_;
    typename Sync::template atomic<std::size_t> refs_;
    std::uintptr_t thread_id_;
    typename Sync::parker parker_;
};

// Owns one reference to a fresh context for the duration of a blocking operation.
template <class Sync>
class context_ref {
public:
    context_ref() : cx_(context<Sync>::create()) {}
    ~context_ref() { cx_->release(); }
    context_ref(const context_ref&) = delete;
    context_ref& operator=(const context_ref&) = delete;
    context<Sync>* operator->() const noexcept { return cx_; }
    context<Sync>* get() const noexcept { return cx_; }

private:
    context<Sync>* cx_;
};

}  // namespace chancheck::detail
