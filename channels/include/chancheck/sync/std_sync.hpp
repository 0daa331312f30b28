// chancheck/sync/std_sync.hpp — the production Sync policy.
//
// Every channel is `template <class T, class Sync = std_sync>` and reaches shared memory,
// locks, parking and time only through its Sync policy (the idea of folly's
// `MPMCQueue<T, Atom>` + DeterministicSchedule, and of tokio's loom facade). This policy maps
// each name straight onto the standard type, so production code pays nothing for the seam:
// `atomic<T>` *is* `std::atomic<T>`, `cell<T>` is a bare `T` behind an inline accessor.
//
// The same surface exists on Relacy's primitives (relacy_sync.hpp), where `cell<T>` accesses
// are checked for data races and timed waits may time out at any point the model chooses.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "chancheck/sync/parker.hpp"
#include "chancheck/sync/sync_policy.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace chancheck {

// Plain (non-atomic) shared memory. Access goes through `with` (read) and `with_mut`
// (write) so that a checking policy can see every access; here both compile to a pointer.
template <class T>
class std_cell {
public:
    template <class... Args>
    explicit std_cell(Args&&... args) : value_(std::forward<Args>(args)...) {}

    template <class F>
    decltype(auto) with(F&& f) const { return std::invoke(std::forward<F>(f), &value_); }

    template <class F>
    decltype(auto) with_mut(F&& f) { return std::invoke(std::forward<F>(f), &value_); }

    T load() const { return value_; }
    void store(T v) { value_ = std::move(v); }

private:
    T value_;
};

struct std_sync {
    static constexpr bool is_model = false;

    template <class T>
    using atomic = std::atomic<T>;
    template <class T>
    using cell = std_cell<T>;
    using mutex = std::mutex;
    using condvar = std::condition_variable;
    using clock = std::chrono::steady_clock;
    using parker = basic_parker<std_sync>;
    using thread = std::thread;

    // Backoff limits (crossbeam's Backoff): 2^6 pause instructions at most per spin step,
    // and up to step 10 before a blocking operation gives up spinning and parks.
    static constexpr unsigned spin_limit = 6;
    static constexpr unsigned yield_limit = 10;

    static void fence(std::memory_order order) noexcept { std::atomic_thread_fence(order); }

    static void spin_hint() noexcept {
#if defined(__x86_64__) || defined(__i386__)
        _mm_pause();
#elif defined(__aarch64__)
        asm volatile("yield");
#endif
    }

    static void yield() noexcept { std::this_thread::yield(); }

    // A small integer naming the calling thread; selection code uses it so a thread never
    // pairs its own send with its own receive on a rendezvous channel.
    static std::uintptr_t thread_id() noexcept {
        static thread_local const char marker = 0;
        return reinterpret_cast<std::uintptr_t>(&marker);
    }

    // A pseudo-random index below n (select's fair starting arm): a per-thread xorshift.
    static std::size_t random_index(std::size_t n) noexcept {
        static thread_local std::uint64_t state = 0x9e3779b97f4a7c15ull ^ thread_id();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return n == 0 ? 0 : static_cast<std::size_t>(state % n);
    }

    // Heap allocation of channel-owned objects (a checking policy tracks leaks and frees).
    template <class U, class... Args>
    static U* make(Args&&... args) { return new U(std::forward<Args>(args)...); }
    template <class U>
    static void destroy(U* p) noexcept { delete p; }
    template <class U>
    static U* make_array(std::size_t n) { return new U[n]; }
    template <class U>
    static void destroy_array(U* p, std::size_t) noexcept { delete[] p; }
};

static_assert(sync_policy<std_sync>, "std_sync must offer the whole Sync policy surface (sync_policy.hpp)");

}  // namespace chancheck
