// chancheck/sync/parker.hpp — thread parking written once over any Sync policy.
//
// A parker is a one-bit token, as in Rust's `std::thread::park`: `unpark` sets the token
// (waking the parked thread, if any), `park` waits for it and clears it. A token set before
// `park` makes `park` return at once, so a wake-up can never be lost between the waiter's
// last check and its sleep. Built on the policy's mutex and condvar, so the same code is
// checked by Relacy (whose timed waits may time out at any point) and used in production.
#pragma once

#include <mutex>

namespace chancheck {

template <class Sync>
class basic_parker {
public:
    basic_parker() : notified_(false) {}
    basic_parker(const basic_parker&) = delete;
    basic_parker& operator=(const basic_parker&) = delete;

    // Waits until unparked. May return spuriously: callers re-check their own condition.
    void park() {
        std::unique_lock<typename Sync::mutex> lock(mutex_);
        while (!notified_.load()) cond_.wait(lock);
        notified_.store(false);
    }

    // Waits until unparked or `deadline`. Returns false when it timed out without a token.
    template <class TimePoint>
    bool park_until(const TimePoint& deadline) {
        std::unique_lock<typename Sync::mutex> lock(mutex_);
        const bool got = cond_.wait_until(lock, deadline, [this] { return notified_.load(); });
        notified_.store(false);
        return got;
    }

    void unpark() {
        {
            std::lock_guard<typename Sync::mutex> lock(mutex_);
            notified_.store(true);
        }
        // Notify after unlocking: the woken thread need not block again on the mutex.
        cond_.notify_one();
    }

private:
    typename Sync::mutex mutex_;
    typename Sync::condvar cond_;
    typename Sync::template cell<bool> notified_;  // guarded by mutex_
};

}  // namespace chancheck
