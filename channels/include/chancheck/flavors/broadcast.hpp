// chancheck/flavors/broadcast.hpp — the two broadcast flavors (tokio `sync::broadcast`).
//
// Both keep the last `capacity` messages in a ring indexed by a 64-bit position; every
// receiver has its own cursor `next`. A receiver whose cursor fell behind the oldest retained
// position gets Lagged(n) — n = exactly the number of messages it missed — and continues from
// the oldest retained one. Once every sender is gone, a receiver drains and then sees Closed.
//
// `broadcast_locked`: the oracle; everything under one mutex.
// `broadcast_slots`: tokio's layout. Senders serialize on the tail lock and write a slot under
// that slot's own lock; receivers take only the slot's lock on the fast path, so they do not
// contend with each other or with senders on one global lock. The tail lock is taken by a
// receiver only to wait, to learn it lagged, or to see Closed.
//
// Lifetime: senders and receivers are counted under the tail lock; the handle whose drop
// brings both counts to zero destroys the channel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <type_traits>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/detail/token.hpp"

namespace chancheck::detail {

enum class bc_status { ok, lagged, empty, timeout, closed };

struct bc_outcome {
    bc_status status;
    std::uint64_t skipped = 0;  // with `lagged`
};

template <class T, class Sync>
class broadcast_locked {
    static_assert(std::is_copy_constructible_v<T>, "broadcast messages must be copyable");

public:
    using time_point = typename Sync::clock::time_point;
    using lock_type = std::unique_lock<typename Sync::mutex>;

    explicit broadcast_locked(std::size_t capacity) : ring_(capacity) {}

    // The number of receivers that will see the value; 0 means it was not sent.
    std::size_t send(T& value) {
        lock_type lock(mutex_);
        if (receivers_ == 0) return 0;
        ring_[tail_ % ring_.size()] = std::move(value);  // destroys the overwritten message
        ++tail_;
        cond_.notify_all();
        return receivers_;
    }

    std::uint64_t subscribe() {
        lock_type lock(mutex_);
        ++receivers_;
        return tail_;
    }
    void add_sender() {
        lock_type lock(mutex_);
        ++senders_;
    }
    void drop_sender() {
        lock_type lock(mutex_);
        if (--senders_ == 0) cond_.notify_all();
        finish(lock);
    }
    void drop_receiver() {
        lock_type lock(mutex_);
        --receivers_;
        finish(lock);
    }

    bc_outcome recv(std::uint64_t& next, std::optional<T>& out, bool may_wait, const std::optional<time_point>& deadline) {
        lock_type lock(mutex_);
        for (;;) {
            if (next < tail_) {
                const std::uint64_t oldest = tail_ > ring_.size() ? tail_ - ring_.size() : 0;
                if (next < oldest) {
                    const std::uint64_t skipped = oldest - next;
                    next = oldest;
                    return {bc_status::lagged, skipped};
                }
                out.emplace(*ring_[next % ring_.size()]);
                ++next;
                return {bc_status::ok};
            }
            if (senders_ == 0) return {bc_status::closed};
            if (!may_wait) return {bc_status::empty};
            auto ready = [&] { return next < tail_ || senders_ == 0; };
            if (!deadline) {
                cond_.wait(lock, ready);
            } else if (!cond_.wait_until(lock, *deadline, ready)) {
                return {bc_status::timeout};
            }
        }
    }

    std::size_t receiver_count() {
        lock_type lock(mutex_);
        return receivers_;
    }
    std::uint64_t tail() {
        lock_type lock(mutex_);
        return tail_;
    }
    std::size_t capacity() const noexcept { return ring_.size(); }

private:
    void finish(lock_type& lock) {
        const bool last = senders_ == 0 && receivers_ == 0;
        lock.unlock();
        if (last) Sync::destroy(this);
    }

    typename Sync::mutex mutex_;
    typename Sync::condvar cond_;
    std::vector<std::optional<T>> ring_;  // guarded by mutex_, like everything below
    std::uint64_t tail_ = 0;              // position of the next message
    std::size_t senders_ = 1;
    std::size_t receivers_ = 1;
};

template <class T, class Sync>
class broadcast_slots {
    static_assert(std::is_copy_constructible_v<T>, "broadcast messages must be copyable");

    struct slot {
        typename Sync::mutex mutex;
        std::uint64_t pos = 0;      // position of the message held (valid when `value`)
        std::optional<T> value;     // guarded by `mutex`
    };

public:
    using time_point = typename Sync::clock::time_point;
    using lock_type = std::unique_lock<typename Sync::mutex>;

    explicit broadcast_slots(std::size_t capacity) : capacity_(capacity) {
        slots_ = Sync::template make_array<slot>(capacity);
    }
    ~broadcast_slots() { Sync::destroy_array(slots_, capacity_); }

    std::size_t send(T& value) {
        lock_type tail_lock(tail_mutex_);
        if (receivers_ == 0) return 0;
        const std::uint64_t pos = tail_++;
        slot& s = slots_[pos % capacity_];
        {
            // Written under the tail lock too, so slots are filled in position order.
            lock_type slot_lock(s.mutex);
            s.pos = pos;
            s.value = std::move(value);
        }
        if (waiting_ > 0) {
            if constexpr (has_bug<Sync>(bug::broadcast_notify_one)) cond_.notify_one();
            else cond_.notify_all();
        }
        return receivers_;
    }

    std::uint64_t subscribe() {
        lock_type lock(tail_mutex_);
        ++receivers_;
        return tail_;
    }
    void add_sender() {
        lock_type lock(tail_mutex_);
        ++senders_;
    }
    void drop_sender() {
        lock_type lock(tail_mutex_);
        if (--senders_ == 0) cond_.notify_all();
        finish(lock);
    }
    void drop_receiver() {
        lock_type lock(tail_mutex_);
        --receivers_;
        finish(lock);
    }

    bc_outcome recv(std::uint64_t& next, std::optional<T>& out, bool may_wait, const std::optional<time_point>& deadline) {
        for (;;) {
            slot& s = slots_[next % capacity_];
            {
                lock_type slot_lock(s.mutex);
                if (s.value && s.pos == next) {
                    out.emplace(*s.value);  // the fast path: only this slot's lock
                    ++next;
                    return {bc_status::ok};
                }
            }
            // The slot holds an older lap (nothing new for us) or a newer one (we lagged).
            lock_type tail_lock(tail_mutex_);
            if (next < tail_) {
                const std::uint64_t oldest = tail_ > capacity_ ? tail_ - capacity_ : 0;
                if (next < oldest) {
                    const std::uint64_t skipped = oldest - next - (has_bug<Sync>(bug::broadcast_lag_off_by_one) ? 1 : 0);
                    next = oldest;
                    return {bc_status::lagged, skipped};
                }
                continue;  // written meanwhile: read it from its slot
            }
            if (senders_ == 0) return {bc_status::closed};
            if (!may_wait) return {bc_status::empty};
            auto ready = [&] { return next < tail_ || senders_ == 0; };
            ++waiting_;
            bool woke = true;
            if (!deadline) cond_.wait(tail_lock, ready); else woke = cond_.wait_until(tail_lock, *deadline, ready);
            --waiting_;
            if (!woke) return {bc_status::timeout};
        }
    }

    std::size_t receiver_count() {
        lock_type lock(tail_mutex_);
        return receivers_;
    }
    std::uint64_t tail() {
        lock_type lock(tail_mutex_);
        return tail_;
    }
    std::size_t capacity() const noexcept { return capacity_; }

private:
    void finish(lock_type& lock) {
        const bool last = senders_ == 0 && receivers_ == 0;
        lock.unlock();
        if (last) Sync::destroy(this);
    }

    const std::size_t capacity_;
    slot* slots_ = nullptr;
    typename Sync::mutex tail_mutex_;
    typename Sync::condvar cond_;
    std::uint64_t tail_ = 0;  // guarded by tail_mutex_, like the counts below
    std::size_t senders_ = 1;
    std::size_t receivers_ = 1;
    std::size_t waiting_ = 0;
};

}  // namespace chancheck::detail
