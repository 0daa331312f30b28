// chancheck/sync/relacy_sync.hpp — the Sync policy on Relacy's instrumented primitives.
//
// Relacy (Dmitry Vyukov's race detector) runs a test's threads as fibers under a scheduler it
// controls and models the C++ memory model, so it reports data races, leaks, use of freed
// memory, double free, deadlock and livelock. This policy gives channel code the same surface
// as std_sync, backed by rl:: types:
//   - `atomic<T>` wraps `rl::atomic<T>`; every operation takes an explicit std::memory_order.
//   - `cell<T>` is a plain value beside an `rl::var` shadow that records every access, so a
//     read or write not ordered by happens-before is reported as a data race. (`rl::var<T>`
//     itself requires a T that is copyable and constructible from 0, which a channel slot's
//     message is not; the shadow keeps the same checking for every T.)
//   - `mutex`/`condvar` wrap rl::mutex / rl::condition_variable; a timed wait may time out at
//     any point the model checker chooses, which is exactly what a channel must survive.
//   - `clock` is a frozen clock: now() never moves, so only those model-chosen timeouts end a
//     timed wait and every run replays exactly from its seed.
//   - `make`/`destroy` allocate through Relacy's allocator, so leaks and double frees are seen.
// Debug info comes from std::source_location default arguments: channel code never writes `$`.
//
// Relacy's header #defines new, delete, malloc, free, assert and memory_order_*: include this
// header after every standard header a model needs; it removes those macros again so the
// channel headers included after it stay plain C++.
#pragma once

// Every standard header the channel headers use, before Relacy's macros exist.
#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <source_location>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>

#include "chancheck/sync/std_sync.hpp"

#include <relacy/relacy.hpp>

#undef new
#undef delete
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef assert
#undef memory_order_relaxed
#undef memory_order_consume
#undef memory_order_acquire
#undef memory_order_release
#undef memory_order_acq_rel
#undef memory_order_seq_cst

#include "chancheck/sync/model_sync_base.hpp"
#include "chancheck/sync/parker.hpp"
#include "chancheck/sync/sync_policy.hpp"

namespace chancheck {
namespace relacy_detail {

using here = std::source_location;

inline rl::debug_info info(const here& loc) {
    return rl::debug_info(loc.function_name(), loc.file_name(), loc.line());
}

inline rl::memory_order order(std::memory_order mo) {
    switch (mo) {
        case std::memory_order::relaxed: return rl::mo_relaxed;
        case std::memory_order::consume: return rl::mo_consume;
        case std::memory_order::acquire: return rl::mo_acquire;
        case std::memory_order::release: return rl::mo_release;
        case std::memory_order::acq_rel: return rl::mo_acq_rel;
        case std::memory_order::seq_cst: return rl::mo_seq_cst;
    }
    return rl::mo_seq_cst;
}

template <class T>
class atomic {
public:
    atomic() : atomic(T{}) {}
    atomic(T value, here loc = here::current()) { a_(info(loc)).store(value, rl::mo_relaxed); }
    atomic(const atomic&) = delete;
    atomic& operator=(const atomic&) = delete;

    T load(std::memory_order mo = std::memory_order::seq_cst, here loc = here::current()) const {
        return a_(info(loc)).load(order(mo));
    }
    void store(T v, std::memory_order mo = std::memory_order::seq_cst, here loc = here::current()) {
        a_(info(loc)).store(v, order(mo));
    }
    T exchange(T v, std::memory_order mo = std::memory_order::seq_cst, here loc = here::current()) {
        return a_(info(loc)).exchange(v, order(mo));
    }
    bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                               std::memory_order failure, here loc = here::current()) {
        return a_(info(loc)).compare_exchange_weak(expected, desired, order(success), order(failure));
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order success,
                                 std::memory_order failure, here loc = here::current()) {
        return a_(info(loc)).compare_exchange_strong(expected, desired, order(success), order(failure));
    }
    T fetch_add(T v, std::memory_order mo = std::memory_order::seq_cst, here loc = here::current()) {
        return a_(info(loc)).fetch_add(v, order(mo));
    }
    T fetch_sub(T v, std::memory_order mo = std::memory_order::seq_cst, here loc = here::current()) {
        return a_(info(loc)).fetch_sub(v, order(mo));
    }
    T fetch_or(T v, std::memory_order mo = std::memory_order::seq_cst, here loc = here::current()) {
        return a_(info(loc)).fetch_or(v, order(mo));
    }
    T fetch_and(T v, std::memory_order mo = std::memory_order::seq_cst, here loc = here::current()) {
        return a_(info(loc)).fetch_and(v, order(mo));
    }

private:
    mutable rl::atomic<T> a_;
};

template <class T>
class cell {
public:
    template <class... Args>
    explicit cell(Args&&... args) : shadow_(0), value_(std::forward<Args>(args)...) {}

    template <class F>
    decltype(auto) with(F&& f, here loc = here::current()) const {
        (void)shadow_(info(loc)).load();  // a read: races with any unordered write
        return std::invoke(std::forward<F>(f), &value_);
    }
    template <class F>
    decltype(auto) with_mut(F&& f, here loc = here::current()) {
        shadow_(info(loc)).store(0);  // a write: races with any unordered read or write
        return std::invoke(std::forward<F>(f), &value_);
    }
    T load(here loc = here::current()) const {
        (void)shadow_(info(loc)).load();
        return value_;
    }
    void store(T v, here loc = here::current()) {
        shadow_(info(loc)).store(0);
        value_ = std::move(v);
    }

private:
    mutable rl::var<int> shadow_;
    T value_;
};

class mutex {
public:
    void lock(here loc = here::current()) { m_.lock(info(loc)); }
    bool try_lock(here loc = here::current()) { return m_.try_lock(info(loc)); }
    void unlock(here loc = here::current()) { m_.unlock(info(loc)); }
    rl::mutex& raw() { return m_; }

private:
    rl::mutex m_;
};

class condvar {
public:
    void notify_one(here loc = here::current()) { cv_.notify_one(info(loc)); }
    void notify_all(here loc = here::current()) { cv_.notify_all(info(loc)); }

    void wait(std::unique_lock<mutex>& lock, here loc = here::current()) {
        cv_.wait(lock.mutex()->raw(), info(loc));
    }
    template <class Pred>
    void wait(std::unique_lock<mutex>& lock, Pred pred, here loc = here::current()) {
        while (!pred()) wait(lock, loc);
    }
    // Relacy decides when a timed wait times out; the deadline's value does not matter.
    template <class TimePoint, class Pred>
    bool wait_until(std::unique_lock<mutex>& lock, const TimePoint&, Pred pred,
                    here loc = here::current()) {
        while (!pred()) {
            if (!cv_.wait_for(lock.mutex()->raw(), 0, info(loc))) return pred();
        }
        return true;
    }

private:
    rl::condition_variable cv_;
};

// A clock that never moves (see the header comment).
struct frozen_clock : model_clock_base<frozen_clock> {
    static time_point now() noexcept { return time_point{}; }
};

}  // namespace relacy_detail

struct relacy_sync
    : model_sync_base<relacy_detail::atomic, relacy_detail::cell, relacy_detail::mutex, relacy_detail::condvar, relacy_detail::frozen_clock> {
    using parker = basic_parker<relacy_sync>;

    static void fence(std::memory_order mo, relacy_detail::here loc = relacy_detail::here::current()) {
        rl::atomic_thread_fence(relacy_detail::order(mo), relacy_detail::info(loc));
    }
    static void spin_hint(relacy_detail::here loc = relacy_detail::here::current()) {
        rl::yield(1, relacy_detail::info(loc));
    }
    static void yield(relacy_detail::here loc = relacy_detail::here::current()) {
        rl::yield(1, relacy_detail::info(loc));
    }
    static std::uintptr_t thread_id() { return rl::thread_index() + 1; }
    // The model checker chooses: every starting arm of a select gets explored.
    static std::size_t random_index(std::size_t n) { return n <= 1 ? 0 : rl::rand(static_cast<unsigned>(n)); }

    template <class U, class... Args>
    static U* make(Args&&... args) {
        void* p = rl::ctx().alloc(sizeof(U), false, RL_INFO);
        return ::new (p) U(std::forward<Args>(args)...);
    }
    template <class U>
    static void destroy(U* p) {
        if (p == nullptr) return;
        p->~U();
        rl::ctx().free(p, false, RL_INFO);
    }
    template <class U>
    static U* make_array(std::size_t n) {
        U* p = static_cast<U*>(rl::ctx().alloc(sizeof(U) * (n == 0 ? 1 : n), true, RL_INFO));
        for (std::size_t i = 0; i < n; ++i) ::new (p + i) U();
        return p;
    }
    template <class U>
    static void destroy_array(U* p, std::size_t n) {
        if (p == nullptr) return;
        for (std::size_t i = 0; i < n; ++i) p[i].~U();
        rl::ctx().free(p, true, RL_INFO);
    }
};

static_assert(sync_policy<relacy_sync>, "relacy_sync must offer the whole Sync policy surface (sync_policy.hpp)");

}  // namespace chancheck
