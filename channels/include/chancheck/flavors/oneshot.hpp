// chancheck/flavors/oneshot.hpp — the two oneshot flavors: one value, sent at most once.
//
// `oneshot_lockfree`: a single atomic `state` word is the whole protocol, in the style of
// tokio's `sync::oneshot` and the `oneshot` crate. The sender writes the value into the cell
// *before* publishing MESSAGE with release ordering, so a receiver that acquires MESSAGE may
// read it. A receiver that must wait stores the address of its blocked-operation context in
// `state`; the sender that replaces that address (with MESSAGE or SENDER_GONE) owns the wake-up.
// Every transition is a CAS or an exchange, so each side learns exactly what the other did:
//   EMPTY --send--> MESSAGE --recv--> TAKEN
//   EMPTY --receiver waits--> <context>  --send / sender gone / timeout--> MESSAGE / SENDER_GONE / EMPTY
//   EMPTY|<context> --sender dropped unsent--> SENDER_GONE
//   EMPTY|MESSAGE --receiver dropped--> RECEIVER_GONE (a MESSAGE is destroyed then)
// `oneshot_locked`: the same contract under one mutex and a condvar — the oracle.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/detail/context.hpp"
#include "chancheck/detail/token.hpp"
#include "chancheck/detail/uninit.hpp"

namespace chancheck::detail {

template <class T, class Sync>
class oneshot_lockfree {
    static constexpr std::uintptr_t empty = 0;
    static constexpr std::uintptr_t message = 1;
    static constexpr std::uintptr_t taken = 2;
    static constexpr std::uintptr_t sender_gone = 3;
    static constexpr std::uintptr_t receiver_gone = 4;
    static constexpr std::uintptr_t delivered = 3;  // context selection: "the state changed"
    // Any other value is the address of the waiting receiver's context.
    static bool is_context(std::uintptr_t s) noexcept { return s > receiver_gone; }

public:
    using time_point = typename Sync::clock::time_point;

    oneshot_lockfree() : state_(empty), refs_(2) {}

    // Sends the value unless the receiver is gone; moves from `value` only on success.
    op_status send(T& value) {
        value_.with_mut([&](uninit<T>* v) { v->construct(std::move(value)); });
        std::uintptr_t s = state_.load(std::memory_order::acquire);
        for (;;) {
            if (s == receiver_gone) {
                // The receiver never looks at the cell now: take the value back.
                value = value_.with_mut([](uninit<T>* v) { return v->take(); });
                return op_status::disconnected;
            }
            // release: publishes the value; acquire: sees the waiting receiver's context.
            constexpr bool weak = has_bug<Sync>(bug::oneshot_relaxed_publish);
            constexpr auto on_success = weak ? std::memory_order::relaxed : std::memory_order::acq_rel;
            constexpr auto on_failure = weak ? std::memory_order::relaxed : std::memory_order::acquire;
            if (state_.compare_exchange_weak(s, message, on_success, on_failure)) {
                if (is_context(s)) wake(reinterpret_cast<context<Sync>*>(s));
                return op_status::ok;
            }
        }
    }

    // The sender goes without sending.
    void drop_sender() {
        std::uintptr_t s = state_.load(std::memory_order::acquire);
        for (;;) {
            if (s == receiver_gone || s == message || s == taken) break;
            if (state_.compare_exchange_weak(s, sender_gone, std::memory_order::acq_rel, std::memory_order::acquire)) {
                if (is_context(s)) wake(reinterpret_cast<context<Sync>*>(s));
                break;
            }
        }
        release();
    }

    void drop_receiver() {
        const std::uintptr_t s = state_.exchange(receiver_gone, std::memory_order::acq_rel);
        if (s == message) value_.with_mut([](uninit<T>* v) { v->destroy(); });
        release();
    }

    op_status try_recv(std::optional<T>& out) {
        const std::uintptr_t s = state_.load(std::memory_order::acquire);
        if (s == message) return take(out);
        if (s == empty) return op_status::would_block;
        return op_status::disconnected;  // sender gone, or the value was already received
    }

    op_status recv(std::optional<T>& out, const std::optional<time_point>& deadline) {
        for (;;) {
            std::uintptr_t s = state_.load(std::memory_order::acquire);
            if (s == message) return take(out);
            if (s != empty) return op_status::disconnected;
            if (deadline && Sync::clock::now() >= *deadline) return op_status::timeout;

            context_ref<Sync> cx;
            cx->retain();  // this reference belongs to `state_` while it holds the address
            const auto me = reinterpret_cast<std::uintptr_t>(cx.get());
            if (!state_.compare_exchange_strong(s, me, std::memory_order::acq_rel, std::memory_order::acquire)) {
                cx->release();
                continue;  // the state changed meanwhile: look again
            }
            if (cx->wait_until(deadline) == sel_aborted) {
                // Timed out: withdraw the context unless the sender replaced it just now.
                std::uintptr_t expected = me;
                if (state_.compare_exchange_strong(expected, empty, std::memory_order::acq_rel,
                                                   std::memory_order::acquire)) {
                    cx->release();
                    return op_status::timeout;
                }
            }
            // The sender (or its drop) replaced the context and owns its reference now.
        }
    }

private:
    op_status take(std::optional<T>& out) {
        out.emplace(value_.with_mut([](uninit<T>* v) { return v->take(); }));
        state_.store(taken, std::memory_order::relaxed);  // only the receiver reads it from now on
        return op_status::ok;
    }

    static void wake(context<Sync>* cx) {
        if (cx->try_select(delivered)) cx->unpark();
        cx->release();
    }

    void release() {
        // The second side to go frees the channel; acq_rel orders the other side's uses.
        if (refs_.fetch_sub(1, std::memory_order::acq_rel) == 1) {
            if (state_.load(std::memory_order::relaxed) == message)
                value_.with_mut([](uninit<T>* v) { v->destroy(); });
            Sync::destroy(this);
        }
    }

    typename Sync::template atomic<std::uintptr_t> state_;
    typename Sync::template atomic<int> refs_;
    typename Sync::template cell<uninit<T>> value_;
};

template <class T, class Sync>
class oneshot_locked {
public:
    using time_point = typename Sync::clock::time_point;

    op_status send(T& value) {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        if (receiver_gone_) return op_status::disconnected;
        value_.emplace(std::move(value));
        cond_.notify_all();
        return op_status::ok;
    }

    void drop_sender() {
        std::unique_lock<typename Sync::mutex> lock(mutex_);
        sender_gone_ = true;
        cond_.notify_all();
        release(lock);
    }

    void drop_receiver() {
        std::optional<T> discarded;
        std::unique_lock<typename Sync::mutex> lock(mutex_);
        receiver_gone_ = true;
        discarded.swap(value_);
        release(lock);
        // `discarded` is destroyed after the lock is released.
    }

    op_status try_recv(std::optional<T>& out) {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        return take(out, op_status::would_block);
    }

    op_status recv(std::optional<T>& out, const std::optional<time_point>& deadline) {
        std::unique_lock<typename Sync::mutex> lock(mutex_);
        auto ready = [this] { return value_.has_value() || sender_gone_ || received_; };
        if (!deadline) {
            cond_.wait(lock, ready);
        } else if (!cond_.wait_until(lock, *deadline, ready)) {
            return op_status::timeout;
        }
        return take(out, op_status::disconnected);
    }

private:
    op_status take(std::optional<T>& out, op_status if_empty) {
        if (value_) {
            out.emplace(std::move(*value_));
            value_.reset();
            received_ = true;
            return op_status::ok;
        }
        return sender_gone_ || received_ ? op_status::disconnected : if_empty;
    }

    void release(std::unique_lock<typename Sync::mutex>& lock) {
        const bool last = --owners_ == 0;
        lock.unlock();
        if (last) Sync::destroy(this);
    }

    typename Sync::mutex mutex_;
    typename Sync::condvar cond_;
    std::optional<T> value_;  // everything here is guarded by mutex_
    int owners_ = 2;
    bool sender_gone_ = false;
    bool receiver_gone_ = false;
    bool received_ = false;
};

}  // namespace chancheck::detail
