// ring/channel.hpp — a bounded multi-producer multi-consumer channel over a fixed ring of slots,
// written as a library author might in their own repository: the ring under one std::mutex, two
// std::condition_variables with counts of who waits on them, and the queued count and handle
// counts in std::atomic, so that try_recv and is_empty answer without taking the lock. It knows
// nothing of chancheck; tests/outside_ring checks it from outside, through
// chancheck/adapter.hpp.
//
//   auto [tx, rx] = ring::bounded<T>(capacity);   // capacity >= 1
//   bool tx.send(T& v)                 blocks while full; false (v untouched) once every
//                                      receiver is gone
//   ring::status rx.recv(std::optional<T>& out)      blocks while empty; closed once every
//                                      sender is gone and the ring is drained
//   ring::status rx.try_recv(std::optional<T>& out)  ok, empty or closed, never blocks
//   tx.queued(), rx.queued()           messages in the ring, without the lock
// Handles are copyable; dropping the last receiver destroys what is queued and fails later
// sends, dropping the last sender wakes the receivers.
//
// RING_BUG (seeded bugs, one per build; 0: none):
//   1  try_recv reads the sender count after the queued count: a message sent just before the
//      last sender leaves, between the two reads, is reported as Closed
//   2  a sender handle's drop decrements the sender count as a load and a store: two senders
//      dropped together leave it at 1, and a receiver waits for good
//   3  blocked senders are remembered by a flag, not a count: with two senders blocked, a
//      receiver's take wakes one and clears the flag, and the other sleeps with room free
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#ifndef RING_BUG
#define RING_BUG 0
#endif

namespace ring {

enum class status { ok, empty, closed };

namespace detail {

template <class T>
struct state {
    explicit state(std::size_t capacity) : slots(capacity) {}

    std::mutex mu;
    std::condition_variable can_recv;  // a message arrived, or the last sender left
    std::condition_variable can_send;  // room appeared, or the last receiver left
    std::vector<std::optional<T>> slots;
    std::size_t head = 0, count = 0;   // under mu
    int receivers_waiting = 0;         // under mu
#if RING_BUG == 3
    bool sender_waiting = false;       // under mu
#else
    int senders_waiting = 0;           // under mu
#endif
    std::atomic<std::size_t> queued{0};  // count, published for lock-free peeks
    std::atomic<int> senders{1};
    std::atomic<int> receivers{1};

    bool full() const { return count == slots.size(); }

    // Under mu: the front message; a blocked sender may go on.
    T take() {
        T v = std::move(*slots[head]);
        slots[head].reset();
        head = (head + 1) % slots.size();
        --count;
        queued.store(count, std::memory_order_release);  // pairs with the acquire peeks
#if RING_BUG == 3
        if (sender_waiting) {
            sender_waiting = false;
            can_send.notify_one();
        }
#else
        if (senders_waiting > 0) can_send.notify_one();
#endif
        return v;
    }
};

}  // namespace detail

template <class T>
class tx {
public:
    explicit tx(std::shared_ptr<detail::state<T>> s) : s_(std::move(s)) {}
    tx(const tx& o) : s_(o.s_) { s_->senders.fetch_add(1, std::memory_order_relaxed); }
    tx(tx&&) noexcept = default;
    tx& operator=(const tx&) = delete;
    tx& operator=(tx&&) = delete;
    ~tx() {
        if (!s_) return;
#if RING_BUG == 2
        const int before = s_->senders.load(std::memory_order_acquire);
        s_->senders.store(before - 1, std::memory_order_release);
#else
        const int before = s_->senders.fetch_sub(1, std::memory_order_acq_rel);
#endif
        if (before != 1) return;
        std::lock_guard lock(s_->mu);  // a receiver between its check and its wait holds mu
        s_->can_recv.notify_all();
    }

    bool send(T& v) {
        std::unique_lock lock(s_->mu);
        while (s_->full() && s_->receivers.load(std::memory_order_acquire) > 0) {
#if RING_BUG == 3
            s_->sender_waiting = true;
            s_->can_send.wait(lock);
#else
            ++s_->senders_waiting;
            s_->can_send.wait(lock);
            --s_->senders_waiting;
#endif
        }
        if (s_->receivers.load(std::memory_order_acquire) == 0) return false;
        s_->slots[(s_->head + s_->count) % s_->slots.size()].emplace(std::move(v));
        ++s_->count;
        s_->queued.store(s_->count, std::memory_order_release);  // pairs with the acquire peeks
        if (s_->receivers_waiting > 0) s_->can_recv.notify_one();
        return true;
    }

    std::size_t queued() const { return s_->queued.load(std::memory_order_acquire); }

private:
    std::shared_ptr<detail::state<T>> s_;
};

template <class T>
class rx {
public:
    explicit rx(std::shared_ptr<detail::state<T>> s) : s_(std::move(s)) {}
    rx(const rx& o) : s_(o.s_) { s_->receivers.fetch_add(1, std::memory_order_relaxed); }
    rx(rx&&) noexcept = default;
    rx& operator=(const rx&) = delete;
    rx& operator=(rx&&) = delete;
    ~rx() {
        if (!s_) return;
        if (s_->receivers.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
        std::vector<std::optional<T>> left(s_->slots.size());
        {
            std::lock_guard lock(s_->mu);
            left.swap(s_->slots);  // the queued messages, destroyed below outside the lock
            s_->count = 0;
            s_->queued.store(0, std::memory_order_release);
            s_->can_send.notify_all();
        }
    }

    status recv(std::optional<T>& out) {
        std::unique_lock lock(s_->mu);
        while (s_->count == 0 && s_->senders.load(std::memory_order_acquire) > 0) {
            ++s_->receivers_waiting;
            s_->can_recv.wait(lock);
            --s_->receivers_waiting;
        }
        if (s_->count == 0) return status::closed;
        out.emplace(s_->take());
        return status::ok;
    }

    status try_recv(std::optional<T>& out) {
#if RING_BUG == 1
        if (s_->queued.load(std::memory_order_acquire) == 0)
            return s_->senders.load(std::memory_order_acquire) == 0 ? status::closed : status::empty;
#else
        // The sender count first: no sender left *before* an empty ring means nothing can come.
        const bool no_senders = s_->senders.load(std::memory_order_acquire) == 0;
        if (s_->queued.load(std::memory_order_acquire) == 0) return no_senders ? status::closed : status::empty;
#endif
        std::lock_guard lock(s_->mu);
        if (s_->count == 0)  // another receiver took it
            return s_->senders.load(std::memory_order_acquire) == 0 ? status::closed : status::empty;
        out.emplace(s_->take());
        return status::ok;
    }

    std::size_t queued() const { return s_->queued.load(std::memory_order_acquire); }

private:
    std::shared_ptr<detail::state<T>> s_;
};

template <class T>
std::pair<tx<T>, rx<T>> bounded(std::size_t capacity) {
    auto s = std::make_shared<detail::state<T>>(capacity);
    return {tx<T>(s), rx<T>(s)};
}

}  // namespace ring
