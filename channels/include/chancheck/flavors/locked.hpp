// chancheck/flavors/locked.hpp — the obviously-correct oracle: one mutex, two condvars.
//
// A textbook monitor (Hoare/Brinch Hansen bounded buffer): every operation runs under one
// lock; receivers wait on `not_empty_`, senders on `not_full_`. It serves every capacity:
//   - unbounded: senders never wait;
//   - bounded n > 0: senders wait while n messages are queued;
//   - rendezvous (n == 0): a sender may enqueue only for a receiver that is already
//     waiting (queued < waiting receivers), and then waits until its message was taken.
//     A waiting receiver always takes the queued message — even if its own timeout fired
//     meanwhile it re-checks the queue first — so a message enqueued for it is never stranded.
// It is slower than the lock-free flavors and exists as the oracle they are compared with.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

#include "chancheck/detail/token.hpp"
#include "chancheck/result.hpp"

namespace chancheck::detail {

template <class T, class Sync>
class locked_flavor {
public:
    using time_point = typename Sync::clock::time_point;
    using lock_type = std::unique_lock<typename Sync::mutex>;

    // No capacity: unbounded.
    explicit locked_flavor(std::optional<std::size_t> cap) : cap_(cap) {}
    locked_flavor(const locked_flavor&) = delete;
    locked_flavor& operator=(const locked_flavor&) = delete;

    op_status try_send(T& value) { return send_impl(value, /*may_wait=*/false, std::nullopt); }

    op_status send(T& value, const std::optional<time_point>& deadline) {
        return send_impl(value, /*may_wait=*/true, deadline);
    }

    op_status try_recv(std::optional<T>& out) { return recv_impl(out, /*may_wait=*/false, std::nullopt); }

    op_status recv(std::optional<T>& out, const std::optional<time_point>& deadline) {
        return recv_impl(out, /*may_wait=*/true, deadline);
    }

    bool disconnect_senders() {
        lock_type lock(mutex_);
        if (senders_gone_) return false;
        senders_gone_ = true;
        not_empty_.notify_all();
        return true;
    }

    bool disconnect_receivers() {
        std::deque<T> discarded;
        {
            lock_type lock(mutex_);
            if (receivers_gone_) return false;
            receivers_gone_ = true;
            discarded.swap(queue_);
            not_full_.notify_all();
        }
        // `discarded` is destroyed here, outside the lock: a message's destructor may run
        // arbitrary code (even touch another channel).
        return true;
    }

    bool is_disconnected() {
        lock_type lock(mutex_);
        return senders_gone_ || receivers_gone_;
    }
    bool is_empty() {
        lock_type lock(mutex_);
        return queue_.empty();
    }
    bool is_full() {
        lock_type lock(mutex_);
        return cap_ && queue_.size() >= *cap_;
    }
    std::size_t len() {
        lock_type lock(mutex_);
        return queue_.size();
    }
    std::optional<std::size_t> capacity() const noexcept { return cap_; }

private:
    bool has_room() const {
        if (!cap_) return true;
        if (*cap_ == 0) return queue_.size() < waiting_receivers_;
        return queue_.size() < *cap_;
    }

    op_status send_impl(T& value, bool may_wait, const std::optional<time_point>& deadline) {
        lock_type lock(mutex_);
        auto can_proceed = [this] { return receivers_gone_ || has_room(); };
        if (!can_proceed()) {
            if (!may_wait) return op_status::would_block;
            if (!wait(not_full_, lock, deadline, can_proceed)) return op_status::timeout;
        }
        if (receivers_gone_) return op_status::disconnected;
        queue_.push_back(std::move(value));
        const std::size_t my_ticket = pushed_++;
        not_empty_.notify_one();
        if (cap_ && *cap_ == 0 && may_wait) {
            // Rendezvous: return only once a receiver has taken this message. A waiting
            // receiver was counted before we enqueued, so this wait always ends.
            not_full_.wait(lock, [&] { return popped_ > my_ticket; });
        }
        return op_status::ok;
    }

    op_status recv_impl(std::optional<T>& out, bool may_wait, const std::optional<time_point>& deadline) {
        lock_type lock(mutex_);
        auto can_proceed = [this] { return !queue_.empty() || senders_gone_; };
        if (!can_proceed()) {
            if (!may_wait) return op_status::would_block;
            ++waiting_receivers_;
            // A rendezvous sender may now have room: wake the senders.
            if (cap_ && *cap_ == 0) not_full_.notify_all();
            const bool woke = wait(not_empty_, lock, deadline, can_proceed);
            --waiting_receivers_;
            if (!woke) return op_status::timeout;
        }
        if (queue_.empty()) return op_status::disconnected;
        out.emplace(std::move(queue_.front()));
        queue_.pop_front();
        ++popped_;
        // notify_all for rendezvous: senders there wait for different tickets.
        if (cap_ && *cap_ == 0) not_full_.notify_all(); else not_full_.notify_one();
        return op_status::ok;
    }

    template <class Pred>
    static bool wait(typename Sync::condvar& cv, lock_type& lock, const std::optional<time_point>& deadline,
                     Pred pred) {
        if (!deadline) {
            cv.wait(lock, pred);
            return true;
        }
        return cv.wait_until(lock, *deadline, pred);
    }

    typename Sync::mutex mutex_;
    typename Sync::condvar not_empty_;
    typename Sync::condvar not_full_;
    // Everything below is guarded by mutex_.
    std::deque<T> queue_;
    const std::optional<std::size_t> cap_;
    std::size_t waiting_receivers_ = 0;
    std::size_t pushed_ = 0;   // tickets handed to sent messages
    std::size_t popped_ = 0;   // messages taken, in ticket order (FIFO)
    bool senders_gone_ = false;
    bool receivers_gone_ = false;
};

}  // namespace chancheck::detail
