// outside/channel.hpp — a small MPMC channel as a library author might write it in their
// own repository: one std::mutex and two std::condition_variables around a std::deque, the
// handle counts in std::atomic, shared ownership through std::shared_ptr. It is not
// chancheck's code and knows nothing of chancheck; tests/packaging checks it from outside,
// through chancheck/adapter.hpp, as a user checks theirs.
//
//   auto [tx, rx] = outside::make_channel<T>(capacity);   // std::nullopt: unbounded
//   tx.send(v)             -> std::optional<T>: empty when sent, else the value back
//   tx.send_for(v, d)      -> {outside::status, std::optional<T>}: sent, timed out or
//                             closed, with the value back when not sent
//   rx.recv()              -> std::optional<T>: empty once every sender is gone and drained
//   rx.try_recv(), rx.recv_for(d) -> {outside::status, std::optional<T>}
//   tx.size(), rx.size()   -> messages queued
// Senders and receivers are copyable; the last receiver's drop destroys what is queued and
// makes later sends fail.
//
// OUTSIDE_CHANNEL_BUG (for the packaging test's broken variants; 0: none):
//   1  the last sender's drop wakes no receiver: a receiver blocked in recv() sleeps forever
//   2  a send_for() that times out destroys the value instead of handing it back
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#ifndef OUTSIDE_CHANNEL_BUG
#define OUTSIDE_CHANNEL_BUG 0
#endif

namespace outside {

enum class status { ok, empty, timed_out, closed };

template <class T>
struct outcome {
    status what;
    std::optional<T> value;  // the message received, or the value a send hands back
};

namespace detail {

template <class T>
struct shared_state {
    explicit shared_state(std::optional<std::size_t> cap) : capacity(cap) {}

    std::mutex mu;
    std::condition_variable not_empty;  // items arrived, or the last sender left
    std::condition_variable not_full;   // room appeared, or the last receiver left
    std::deque<T> items;
    const std::optional<std::size_t> capacity;
    // Counted outside the lock; read under it by waiters, whose wake-up the last drop makes
    // under the lock too (so a waiter cannot check, miss the drop, then sleep).
    std::atomic<int> senders{1};
    std::atomic<int> receivers{1};

    bool has_room() const { return !capacity || items.size() < *capacity; }
};

}  // namespace detail

template <class T>
class sender {
public:
    explicit sender(std::shared_ptr<detail::shared_state<T>> st) : st_(std::move(st)) {}
    sender(const sender& o) : st_(o.st_) { st_->senders.fetch_add(1, std::memory_order_relaxed); }
    sender(sender&& o) noexcept = default;
    sender& operator=(const sender&) = delete;
    sender& operator=(sender&&) = delete;
    ~sender() {
        if (!st_) return;
        if (st_->senders.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
#if OUTSIDE_CHANNEL_BUG != 1
        std::lock_guard lock(st_->mu);
        st_->not_empty.notify_all();
#endif
    }

    std::optional<T> send(T v) {
        std::unique_lock lock(st_->mu);
        st_->not_full.wait(lock, [&] { return st_->has_room() || st_->receivers.load() == 0; });
        if (st_->receivers.load() == 0) return std::optional<T>(std::move(v));
        st_->items.push_back(std::move(v));
        st_->not_empty.notify_one();
        return std::nullopt;
    }

    outcome<T> send_for(T v, std::chrono::nanoseconds timeout) {
        std::unique_lock lock(st_->mu);
        const bool ready = st_->not_full.wait_for(lock, timeout, [&] { return st_->has_room() || st_->receivers.load() == 0; });
        if (st_->receivers.load() == 0) return {status::closed, std::optional<T>(std::move(v))};
#if OUTSIDE_CHANNEL_BUG == 2
        if (!ready) return {status::timed_out, std::nullopt};
#else
        if (!ready) return {status::timed_out, std::optional<T>(std::move(v))};
#endif
        st_->items.push_back(std::move(v));
        st_->not_empty.notify_one();
        return {status::ok, std::nullopt};
    }

    std::size_t size() const {
        std::lock_guard lock(st_->mu);
        return st_->items.size();
    }

private:
    std::shared_ptr<detail::shared_state<T>> st_;
};

template <class T>
class receiver {
public:
    explicit receiver(std::shared_ptr<detail::shared_state<T>> st) : st_(std::move(st)) {}
    receiver(const receiver& o) : st_(o.st_) { st_->receivers.fetch_add(1, std::memory_order_relaxed); }
    receiver(receiver&& o) noexcept = default;
    receiver& operator=(const receiver&) = delete;
    receiver& operator=(receiver&&) = delete;
    ~receiver() {
        if (!st_) return;
        if (st_->receivers.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
        std::deque<T> left;
        {
            std::lock_guard lock(st_->mu);
            left.swap(st_->items);  // destroyed below, outside the lock
            st_->not_full.notify_all();
        }
    }

    std::optional<T> recv() {
        std::unique_lock lock(st_->mu);
        st_->not_empty.wait(lock, [&] { return !st_->items.empty() || st_->senders.load() == 0; });
        return take(lock);
    }

    outcome<T> try_recv() {
        std::unique_lock lock(st_->mu);
        if (st_->items.empty()) return {st_->senders.load() == 0 ? status::closed : status::empty, std::nullopt};
        return {status::ok, take(lock)};
    }

    outcome<T> recv_for(std::chrono::nanoseconds timeout) {
        std::unique_lock lock(st_->mu);
        if (!st_->not_empty.wait_for(lock, timeout, [&] { return !st_->items.empty() || st_->senders.load() == 0; }))
            return {status::timed_out, std::nullopt};
        std::optional<T> v = take(lock);
        return {v ? status::ok : status::closed, std::move(v)};
    }

    std::size_t size() const {
        std::lock_guard lock(st_->mu);
        return st_->items.size();
    }

private:
    // The front message, if any (the lock is held); a sender waiting for room may go on.
    std::optional<T> take(std::unique_lock<std::mutex>&) {
        if (st_->items.empty()) return std::nullopt;
        std::optional<T> v(std::move(st_->items.front()));
        st_->items.pop_front();
        st_->not_full.notify_one();
        return v;
    }

    std::shared_ptr<detail::shared_state<T>> st_;
};

template <class T>
std::pair<sender<T>, receiver<T>> make_channel(std::optional<std::size_t> capacity = std::nullopt) {
    auto st = std::make_shared<detail::shared_state<T>>(capacity);
    return {sender<T>(st), receiver<T>(st)};
}

}  // namespace outside
