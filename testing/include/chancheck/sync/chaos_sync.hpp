// chancheck/sync/chaos_sync.hpp — std_sync with random delays at every synchronization point.
//
// On a 2-core machine real threads interleave coarsely: a window of a few instructions between
// two atomic operations is almost never hit. Delay injection (the "noise making" of Ben-Asher
// et al., "Noise Makers Need to Know Where to be Silent", and ConTest's random yields) widens
// such windows: before every atomic operation, fence, lock, unlock, wait and notify the thread
// may yield its core or sleep for a few microseconds. The channels are not edited — only the
// Sync policy differs — and the memory orders the channel asks for are passed through
// unchanged, so ThreadSanitizer still sees exactly the channel's synchronization.
//
// The delays come from a per-thread xorshift generator seeded by (run seed, thread index),
// so a run's noise pattern is chosen by its seed (the interleaving itself still depends on
// the machine). Noise is off until chaos::configure() turns it on, before the threads start.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "chancheck/sync/std_sync.hpp"
#include "chancheck/sync/sync_policy.hpp"

namespace chancheck {

namespace chaos {

struct settings {
    bool enabled = false;
    std::uint64_t seed = 1;
    unsigned yield_one_in = 16;    // a point yields with probability 1/16 …
    unsigned sleep_one_in = 512;   // … and sleeps with probability 1/512
    unsigned max_sleep_us = 50;    // for 1–50 µs
};

// Written once by the driver before any channel thread starts (thread creation orders it
// before every read), read by every point.
inline settings& current() {
    static settings s;
    return s;
}

inline void configure(const settings& s) { current() = s; }

inline std::uint64_t& thread_state() {
    static thread_local std::uint64_t state = 0;
    return state;
}

// Called by each driver thread first: its noise depends on the run seed and its index only.
inline void seed_thread(unsigned index) {
    std::uint64_t x = current().seed * 0x9e3779b97f4a7c15ull + (index + 1) * 0xbf58476d1ce4e5b9ull;
    thread_state() = x == 0 ? 1 : x;
}

inline std::uint64_t next_random() {
    std::uint64_t& x = thread_state();
    if (x == 0) x = 0x2545f4914f6cdd1dull ^ reinterpret_cast<std::uintptr_t>(&x);  // an unseeded thread
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

// One synchronization point: usually nothing, sometimes a yield, rarely a short sleep.
inline void point() {
    const settings& s = current();
    if (!s.enabled) return;
    const std::uint64_t r = next_random();
    if (r % s.sleep_one_in == 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(1 + (r >> 32) % s.max_sleep_us));
    } else if ((r >> 16) % s.yield_one_in == 0) {
        std::this_thread::yield();
    }
}

template <class T>
class atomic {
public:
    atomic() noexcept : value_{} {}
    atomic(T v) noexcept : value_(v) {}
    atomic(const atomic&) = delete;
    atomic& operator=(const atomic&) = delete;

    // Each operation is one synchronization point, then the std::atomic operation itself.
    using order = std::memory_order;
    T load(order o = order::seq_cst) const noexcept { return noisy().load(o); }
    void store(T v, order o = order::seq_cst) noexcept { noisy().store(v, o); }
    T exchange(T v, order o = order::seq_cst) noexcept { return noisy().exchange(v, o); }
    bool compare_exchange_weak(T& expected, T desired, order success, order failure) noexcept {
        return noisy().compare_exchange_weak(expected, desired, success, failure);
    }
    bool compare_exchange_strong(T& expected, T desired, order success, order failure) noexcept {
        return noisy().compare_exchange_strong(expected, desired, success, failure);
    }
    T fetch_add(T v, order o = order::seq_cst) noexcept { return noisy().fetch_add(v, o); }
    T fetch_sub(T v, order o = order::seq_cst) noexcept { return noisy().fetch_sub(v, o); }
    T fetch_or(T v, order o = order::seq_cst) noexcept { return noisy().fetch_or(v, o); }
    T fetch_and(T v, order o = order::seq_cst) noexcept { return noisy().fetch_and(v, o); }

private:
    std::atomic<T>& noisy() noexcept {
        point();
        return value_;
    }
    const std::atomic<T>& noisy() const noexcept {
        point();
        return value_;
    }

    std::atomic<T> value_;
};

class mutex {
public:
    void lock() {
        point();
        m_.lock();
    }
    bool try_lock() {
        point();
        return m_.try_lock();
    }
    // The point after unlocking lets another thread take the lock before this one goes on.
    void unlock() {
        m_.unlock();
        point();
    }

private:
    std::mutex m_;
};

// condition_variable_any: the lock is a std::unique_lock<chaos::mutex>.
class condvar {
public:
    void notify_one() {
        point();
        cv_.notify_one();
    }
    void notify_all() {
        point();
        cv_.notify_all();
    }
    template <class Lock>
    void wait(Lock& lock) {
        point();
        cv_.wait(lock);
    }
    template <class Lock, class Pred>
    void wait(Lock& lock, Pred pred) {
        while (!pred()) wait(lock);
    }
    template <class Lock, class TimePoint, class Pred>
    bool wait_until(Lock& lock, const TimePoint& deadline, Pred pred) {
        point();
        return cv_.wait_until(lock, deadline, pred);
    }

private:
    std::condition_variable_any cv_;
};

}  // namespace chaos

// The production policy with chaos::point() before every synchronization step. Plain memory
// (cell), the clock, allocation and thread identity are std_sync's.
struct chaos_sync : std_sync {
    template <class T>
    using atomic = chaos::atomic<T>;
    using mutex = chaos::mutex;
    using condvar = chaos::condvar;
    using parker = basic_parker<chaos_sync>;

    static void fence(std::memory_order order) noexcept {
        chaos::point();
        std::atomic_thread_fence(order);
    }
    static void spin_hint() noexcept {
        chaos::point();
        std_sync::spin_hint();
    }
    static void yield() noexcept {
        chaos::point();
        std_sync::yield();
    }
};

static_assert(sync_policy<chaos_sync>, "chaos_sync must offer the whole Sync policy surface (sync_policy.hpp)");

}  // namespace chancheck
