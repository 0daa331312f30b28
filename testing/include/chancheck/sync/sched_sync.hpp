// chancheck/sync/sched_sync.hpp — the Sync policy of the deterministic scheduler.
//
// The same surface as std_sync and relacy_sync, backed by sched::scheduler
// (sched/scheduler.hpp): every atomic operation, fence, lock, unlock, wait and notify is a
// scheduling point where the schedule picks the next thread, and a spin or yield hands the
// processor on. Only one thread runs at a time, so the atomics are plain values (memory is
// sequentially consistent); what this policy finds is interleaving bugs — lost wake-ups,
// missed disconnects, leaks, double frees, uses after free — with a schedule that replays
// exactly and that a property-testing library can shrink.
//
// Outside a program's threads (creating channels before `run`, dropping leftovers after it)
// the operations run directly without scheduling.
//
// Every primitive carries a canary that its destructor poisons; the scheduler keeps destroyed
// memory until the run ends, so touching a destroyed primitive is reported as a use after
// free instead of being undefined behaviour. The canary is written and read through volatile
// so the compiler cannot drop the poisoning store of a dying object.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>

#include "chancheck/sync/model_sync_base.hpp"
#include "chancheck/sync/parker.hpp"
#include "chancheck/sync/sync_policy.hpp"
#include "chancheck/sync/sched/scheduler.hpp"

namespace chancheck {
namespace sched_detail {

using here = sched::here;

inline constexpr std::uint32_t alive = 0xa11ce5edu;
inline constexpr std::uint32_t dead = 0xdeadbeefu;

// The canary every primitive embeds (see the header comment).
class canary {
public:
    canary() noexcept { set(alive); }
    canary(const canary&) noexcept { set(alive); }
    canary& operator=(const canary&) noexcept { return *this; }
    ~canary() { set(dead); }

    void check(const char* what, const here& loc) const {
        if (get() == alive) return;
        if (auto* s = sched::scheduler::active())
            s->fail_or_record(sched::failure_kind::use_after_free,
                              std::string(what) + " at " + sched::where(loc) + " on an object already destroyed");
    }

private:
    void set(std::uint32_t v) noexcept { *static_cast<volatile std::uint32_t*>(&value_) = v; }
    std::uint32_t get() const noexcept { return *static_cast<const volatile std::uint32_t*>(&value_); }
    std::uint32_t value_;
};

inline void point(const char* what, const here& loc) {
    if (auto* s = sched::scheduler::active()) s->point(what, loc);
}

// Tells the scheduler (and its guide, if any) what the running thread accessed.
inline void touch(const void* object, std::size_t size, bool write) {
    if (auto* s = sched::scheduler::active()) s->touch(object, size, write);
}

template <class T>
class atomic {
public:
    atomic() : value_{} {}
    atomic(T v) : value_(v) {}
    atomic(const atomic&) = delete;
    atomic& operator=(const atomic&) = delete;

    T load(std::memory_order = std::memory_order::seq_cst, here loc = here::current()) const {
        enter("atomic load", loc);
        touch(this, sizeof(*this), false);
        return value_;
    }
    void store(T v, std::memory_order = std::memory_order::seq_cst, here loc = here::current()) {
        enter("atomic store", loc);
        wrote();
        value_ = v;
    }
    T exchange(T v, std::memory_order = std::memory_order::seq_cst, here loc = here::current()) {
        enter("atomic exchange", loc);
        wrote();
        return std::exchange(value_, v);
    }
    // No spurious failure: a weak CAS behaves as a strong one (the loops around it are
    // explored by Relacy, which does fail weak CASes spuriously).
    bool compare_exchange_weak(T& expected, T desired, std::memory_order, std::memory_order,
                               here loc = here::current()) {
        return cas(expected, desired, loc);
    }
    bool compare_exchange_strong(T& expected, T desired, std::memory_order, std::memory_order,
                                 here loc = here::current()) {
        return cas(expected, desired, loc);
    }
    T fetch_add(T v, std::memory_order = std::memory_order::seq_cst, here loc = here::current()) {
        enter("atomic fetch_add", loc);
        wrote();
        return std::exchange(value_, static_cast<T>(value_ + v));
    }
    T fetch_sub(T v, std::memory_order = std::memory_order::seq_cst, here loc = here::current()) {
        enter("atomic fetch_sub", loc);
        wrote();
        return std::exchange(value_, static_cast<T>(value_ - v));
    }
    T fetch_or(T v, std::memory_order = std::memory_order::seq_cst, here loc = here::current()) {
        enter("atomic fetch_or", loc);
        wrote();
        return std::exchange(value_, static_cast<T>(value_ | v));
    }
    T fetch_and(T v, std::memory_order = std::memory_order::seq_cst, here loc = here::current()) {
        enter("atomic fetch_and", loc);
        wrote();
        return std::exchange(value_, static_cast<T>(value_ & v));
    }

private:
    void wrote() const {
        touch(this, sizeof(*this), true);
        if (auto* s = sched::scheduler::active()) s->progress();
    }
    void enter(const char* what, const here& loc) const {
        canary_.check(what, loc);
        point(what, loc);
        canary_.check(what, loc);  // the object may have been destroyed while others ran
    }
    bool cas(T& expected, T desired, const here& loc) {
        enter("atomic compare_exchange", loc);
        if (value_ == expected) {
            wrote();
            value_ = desired;
            return true;
        }
        touch(this, sizeof(*this), false);  // a failed compare-exchange only reads
        expected = value_;
        return false;
    }

    canary canary_;
    T value_;
};

// Plain memory: not a scheduling point (under sequential consistency a data race is only an
// interleaving, which the atomics around it already expose), but checked for use after free.
template <class T>
class cell {
public:
    template <class... Args>
    explicit cell(Args&&... args) : value_(std::forward<Args>(args)...) {}

    template <class F>
    decltype(auto) with(F&& f, here loc = here::current()) const {
        canary_.check("read", loc);
        return std::invoke(std::forward<F>(f), &value_);
    }
    template <class F>
    decltype(auto) with_mut(F&& f, here loc = here::current()) {
        canary_.check("write", loc);
        return std::invoke(std::forward<F>(f), &value_);
    }
    T load(here loc = here::current()) const {
        canary_.check("read", loc);
        return value_;
    }
    void store(T v, here loc = here::current()) {
        canary_.check("write", loc);
        value_ = std::move(v);
    }

private:
    canary canary_;
    T value_;
};

class mutex {
public:
    mutex() = default;
    mutex(const mutex&) = delete;
    mutex& operator=(const mutex&) = delete;

    void lock(here loc = here::current()) {
        canary_.check("lock", loc);
        point("lock", loc);
        acquire(loc);
    }
    bool try_lock(here loc = here::current()) {
        canary_.check("try_lock", loc);
        point("try_lock", loc);
        touch(this, sizeof(*this), owner_ == free);
        if (owner_ != free) return false;
        owner_ = me();
        if (auto* s = sched::scheduler::active()) s->progress();
        return true;
    }
    void unlock(here loc = here::current()) {
        canary_.check("unlock", loc);
        if (owner_ != me()) {
            if (auto* s = sched::scheduler::active())
                s->fail_or_record(sched::failure_kind::misuse, "unlock at " + sched::where(loc) + " of a mutex this thread does not hold");
        }
        owner_ = free;
        touch(this, sizeof(*this), true);
        if (auto* s = sched::scheduler::active()) {
            s->progress();
            s->release_mutex_waiters(this);
        }
    }

    // For the condvar: reacquire after a wait without another scheduling point first.
    void acquire(const here& loc) {
        auto* s = sched::scheduler::active();
        while (owner_ != free) {
            if (s == nullptr || owner_ == me()) {
                if (s) s->fail_or_record(sched::failure_kind::deadlock, "lock at " + sched::where(loc) + " of a mutex this thread already holds");
                return;
            }
            touch(this, sizeof(*this), false);  // found it taken
            s->block(this, /*is_mutex=*/true, nullptr, loc);
            canary_.check("lock", loc);
        }
        owner_ = me();
        touch(this, sizeof(*this), true);
        if (s) s->progress();
    }

private:
    static constexpr unsigned free = ~0u - 1;
    static unsigned me() {
        auto* s = sched::scheduler::active();
        return s != nullptr && s->in_thread() ? s->current() : ~0u - 2;  // the set-up/tear-down thread
    }

    canary canary_;
    unsigned owner_ = free;
};

class condvar {
public:
    condvar() = default;
    condvar(const condvar&) = delete;
    condvar& operator=(const condvar&) = delete;

    void notify_one(here loc = here::current()) {
        canary_.check("notify_one", loc);
        point("notify_one", loc);
        touch(this, sizeof(*this), true);
        if (auto* s = sched::scheduler::active()) s->progress(), s->notify(this, /*all=*/false);
    }
    void notify_all(here loc = here::current()) {
        canary_.check("notify_all", loc);
        point("notify_all", loc);
        touch(this, sizeof(*this), true);
        if (auto* s = sched::scheduler::active()) s->progress(), s->notify(this, /*all=*/true);
    }

    void wait(std::unique_lock<mutex>& lock, here loc = here::current()) { wait_once(lock, nullptr, loc); }

    template <class Pred>
    void wait(std::unique_lock<mutex>& lock, Pred pred, here loc = here::current()) {
        while (!pred()) wait_once(lock, nullptr, loc);
    }

    // Deadlines are sched_clock time points: the wait times out when the schedule says so,
    // and the virtual clock then reads the deadline.
    template <class TimePoint, class Pred>
    bool wait_until(std::unique_lock<mutex>& lock, const TimePoint& deadline, Pred pred, here loc = here::current()) {
        const std::int64_t at = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch()).count();
        while (!pred()) {
            if (wait_once(lock, &at, loc) == sched::scheduler::wake::timeout) return pred();
        }
        return true;
    }

private:
    sched::scheduler::wake wait_once(std::unique_lock<mutex>& lock, const std::int64_t* deadline, const here& loc) {
        canary_.check("wait", loc);
        // The scheduling point comes before the thread registers as a waiter: a notify that
        // another thread sends in between is lost, exactly as with a real condition variable.
        point("wait", loc);
        touch(this, sizeof(*this), true);  // joins the waiters
        auto* s = sched::scheduler::active();
        mutex& m = *lock.mutex();
        m.unlock(loc);
        const auto why = s != nullptr ? s->block(this, /*is_mutex=*/false, deadline, loc) : sched::scheduler::wake::timeout;
        m.acquire(loc);
        canary_.check("wait", loc);
        return why;
    }

    canary canary_;
};

// Virtual time: starts at 0 and moves only when a timed wait times out (to its deadline).
struct sched_clock : model_clock_base<sched_clock> {
    static time_point now() noexcept {
        auto* s = sched::scheduler::active();
        return time_point(duration(s != nullptr ? s->now() : 0));
    }
};

}  // namespace sched_detail

struct sched_sync
    : model_sync_base<sched_detail::atomic, sched_detail::cell, sched_detail::mutex, sched_detail::condvar, sched_detail::sched_clock> {
    using parker = basic_parker<sched_sync>;

    static void fence(std::memory_order, sched_detail::here loc = sched_detail::here::current()) {
        sched_detail::point("fence", loc);
    }
    static void spin_hint(sched_detail::here loc = sched_detail::here::current()) {
        if (auto* s = sched::scheduler::active()) s->spin_point(loc);
    }
    static void yield(sched_detail::here loc = sched_detail::here::current()) {
        if (auto* s = sched::scheduler::active()) s->spin_point(loc);
    }
    static std::uintptr_t thread_id() {
        auto* s = sched::scheduler::active();
        return s != nullptr && s->in_thread() ? s->current() + 1 : 0x7fff;
    }
    // The schedule chooses: shrinking drives it toward arm 0.
    static std::size_t random_index(std::size_t n) {
        auto* s = sched::scheduler::active();
        return s != nullptr ? s->pick_index(n) : 0;
    }

    template <class U, class... Args>
    static U* make(Args&&... args) {
        auto* s = sched::scheduler::active();
        if (s == nullptr) return new U(std::forward<Args>(args)...);
        return s->template make<U>(std::forward<Args>(args)...);
    }
    template <class U>
    static void destroy(U* p, sched_detail::here loc = sched_detail::here::current()) {
        auto* s = sched::scheduler::active();
        if (s == nullptr) {
            delete p;
            return;
        }
        s->destroy(p, loc);
    }
    template <class U>
    static U* make_array(std::size_t n) {
        auto* s = sched::scheduler::active();
        if (s == nullptr) return new U[n];
        return s->template make_array<U>(n);
    }
    template <class U>
    static void destroy_array(U* p, std::size_t n, sched_detail::here loc = sched_detail::here::current()) {
        auto* s = sched::scheduler::active();
        if (s == nullptr) {
            delete[] p;
            return;
        }
        s->destroy_array(p, n, loc);
    }
};

static_assert(sync_policy<sched_sync>, "sched_sync must offer the whole Sync policy surface (sync_policy.hpp)");

}  // namespace chancheck
