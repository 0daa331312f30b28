// tests/channels/flavor_cases.hpp — shared helpers for the channel unit tests.
//
//   - channel_config / all_configs(): every channel configuration (capacity x flavor) a
//     value-parameterized test runs on, with readable test names (`bounded4_locked`);
//   - make<T>(cfg): the (sender, receiver) pair of one configuration;
//   - tracked: a message type that counts constructions, destructions and live objects, so a
//     test can assert that every message is destroyed exactly once;
//   - run_with_watchdog(): runs a test body on a thread and turns a hang into a clear failure
//     (ADD_FAILURE + abort naming the test) instead of a stuck test binary;
//   - scaled(n), scaled_at_least(n, floor): iteration counts, lowered under sanitizers.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <future>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "chancheck/mpsc.hpp"

// Sanitizer detection: TSan (and, less so, ASan) slow the stress tests down; the CMake does
// not tell us, so ask the compiler.
#if defined(__SANITIZE_THREAD__)
#define CHANCHECK_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CHANCHECK_TEST_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CHANCHECK_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHANCHECK_TEST_ASAN 1
#endif
#endif

namespace chancheck_test {

using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------
// Iteration counts.

// `n` iterations in a plain build, n / tsan_divisor under TSan, n / asan_divisor under ASan
// (never fewer than 1).
constexpr int scaled_by(int n, [[maybe_unused]] int tsan_divisor, [[maybe_unused]] int asan_divisor) {
#if defined(CHANCHECK_TEST_TSAN)
    const int divisor = tsan_divisor;
#elif defined(CHANCHECK_TEST_ASAN)
    const int divisor = asan_divisor;
#else
    const int divisor = 1;
#endif
    return n / divisor > 0 ? n / divisor : 1;
}

// The stress tests' scaling: a tenth under TSan, a half under ASan.
constexpr int scaled(int n) { return scaled_by(n, 10, 2); }
// `scaled(n)`, but never fewer than `floor` (races that need many rounds to show).
constexpr int scaled_at_least(int n, int floor) { return scaled(n) < floor ? floor : scaled(n); }

// ---------------------------------------------------------------------------------------
// Channel configurations.

struct channel_config {
    const char* name;                     // test-name suffix, e.g. "bounded4_locked"
    std::optional<std::size_t> capacity;  // nullopt: unbounded (channel()); else sync_channel(n)
    chancheck::implementation flavor;

    bool unbounded() const { return !capacity.has_value(); }
    bool rendezvous() const { return capacity.has_value() && *capacity == 0; }
    bool bounded() const { return capacity.has_value() && *capacity > 0; }
    // Can hold at least one message with no receiver waiting (unbounded or capacity > 0).
    bool buffered() const { return !rendezvous(); }
    // Number of messages that can be sent with no receiver without blocking, capped at `cap`.
    std::size_t buffer_room(std::size_t cap) const {
        if (!capacity) return cap;
        return *capacity < cap ? *capacity : cap;
    }
};

inline std::ostream& operator<<(std::ostream& os, const channel_config& c) { return os << c.name; }

inline const std::vector<channel_config>& all_configs() {
    static const std::vector<channel_config> configs = {
        {"unbounded_lock_free", std::nullopt, chancheck::implementation::lock_free},
        {"unbounded_locked", std::nullopt, chancheck::implementation::locked},
        {"bounded1_lock_free", std::size_t{1}, chancheck::implementation::lock_free},
        {"bounded1_locked", std::size_t{1}, chancheck::implementation::locked},
        {"bounded4_lock_free", std::size_t{4}, chancheck::implementation::lock_free},
        {"bounded4_locked", std::size_t{4}, chancheck::implementation::locked},
        {"rendezvous_lock_free", std::size_t{0}, chancheck::implementation::lock_free},
        {"rendezvous_locked", std::size_t{0}, chancheck::implementation::locked},
    };
    return configs;
}

// Name generator for INSTANTIATE_TEST_SUITE_P.
inline std::string config_name(const testing::TestParamInfo<channel_config>& info) { return info.param.name; }

template <class T>
using sender_t = chancheck::mpsc::sender<T>;
template <class T>
using receiver_t = chancheck::mpsc::receiver<T>;
template <class T>
using channel_pair = std::pair<sender_t<T>, receiver_t<T>>;

template <class T>
channel_pair<T> make(const channel_config& cfg) {
    if (cfg.capacity) return chancheck::mpsc::sync_channel<T>(*cfg.capacity, cfg.flavor);
    return chancheck::mpsc::channel<T>(cfg.flavor);
}

// Message count for a throughput-style test: `scaled(n)`, and a quarter of that where every
// message is a full blocking hand-off through a condition variable (the locked oracle with
// capacity 0 or 1: one wake-up per message, ~50 us each on a small VM), to keep the suite fast.
inline int messages_for(const channel_config& cfg, int n) {
    const bool handoff_bound = cfg.flavor == chancheck::implementation::locked && cfg.capacity && *cfg.capacity <= 1;
    const int m = scaled(n);
    return handoff_bound ? (m / 4 > 0 ? m / 4 : 1) : m;
}

// Base fixture of the value-parameterized suites; each test file derives its own suite.
class channel_test : public testing::TestWithParam<channel_config> {
protected:
    const channel_config& cfg() const { return GetParam(); }
};

// ---------------------------------------------------------------------------------------
// tracked: a counting message.
//
// Every constructor (value, copy, move) counts one construction and one live object; the
// destructor counts one destruction. A moved-from tracked is still an object that must be
// destroyed, so it stays counted until its destructor runs. A destructor that runs twice on
// the same object, or on something that never was a tracked, is counted in `errors`.

class tracked {
public:
    static inline std::atomic<long> constructions{0};
    static inline std::atomic<long> destructions{0};
    static inline std::atomic<long> live{0};
    static inline std::atomic<long> errors{0};  // double destruction / use after destruction

    explicit tracked(int id) : id_(id) { born(); }
    tracked(const tracked& other) : id_(other.checked_id()) { born(); }
    tracked(tracked&& other) noexcept : id_(other.checked_id()) {
        other.id_ = moved_from_id;
        born();
    }
    tracked& operator=(const tracked& other) {
        id_ = other.checked_id();
        return *this;
    }
    tracked& operator=(tracked&& other) noexcept {
        id_ = other.checked_id();
        other.id_ = moved_from_id;
        return *this;
    }
    ~tracked() {
        if (magic_ != alive_magic) {
            errors.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        magic_ = dead_magic;
        destructions.fetch_add(1, std::memory_order_relaxed);
        live.fetch_sub(1, std::memory_order_relaxed);
    }

    int id() const { return checked_id(); }
    bool moved_from() const { return id_ == moved_from_id; }

    static void reset_counters() {
        constructions = 0;
        destructions = 0;
        live = 0;
        errors = 0;
    }

    static constexpr int moved_from_id = -1;

private:
    static constexpr unsigned alive_magic = 0x7ac7ed01u;
    static constexpr unsigned dead_magic = 0xdeadbeefu;

    void born() {
        constructions.fetch_add(1, std::memory_order_relaxed);
        live.fetch_add(1, std::memory_order_relaxed);
    }
    int checked_id() const {
        if (magic_ != alive_magic) errors.fetch_add(1, std::memory_order_relaxed);
        return id_;
    }

    int id_;
    unsigned magic_ = alive_magic;
};

// Fixture mix-in: resets the counters before a test, and checks after it that every tracked
// object was destroyed exactly once.
struct tracked_checks {
    static void begin() {
        ASSERT_EQ(tracked::live.load(), 0) << "a previous test leaked tracked objects";
        tracked::reset_counters();
    }
    static void expect_all_destroyed(const char* where = "end of test") {
        EXPECT_EQ(tracked::live.load(), 0) << where << ": tracked objects still alive";
        EXPECT_EQ(tracked::constructions.load(), tracked::destructions.load())
            << where << ": constructions != destructions";
        EXPECT_EQ(tracked::errors.load(), 0) << where << ": a tracked object was destroyed twice or used after "
                                                         "destruction";
    }
};

// ---------------------------------------------------------------------------------------
// Watchdog.

inline std::string current_test_name() {
    const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
    if (info == nullptr) return "<no current test>";
    return std::string(info->test_suite_name()) + "." + info->name();
}

inline constexpr std::chrono::seconds default_watchdog_limit{60};

// Runs `body` on a fresh thread and waits for it at most `limit`. If it does not finish, the
// test fails with a message naming it and the process aborts: a hung channel operation
// (deadlock, lost wake-up) becomes a clear failure, never a stuck run. Exceptions thrown by
// `body` are rethrown here. gtest assertions inside `body` are recorded for the current test
// (ASSERT_* returns from `body` only).
template <class F>
void run_with_watchdog(F&& body, std::chrono::seconds limit = default_watchdog_limit) {
    const std::string name = current_test_name();
    std::packaged_task<void()> task(std::forward<F>(body));
    std::future<void> done = task.get_future();
    std::thread worker(std::move(task));
    if (done.wait_for(limit) != std::future_status::ready) {
        ADD_FAILURE() << "watchdog: test " << name << " did not finish within " << limit.count()
                      << " s (deadlock or lost wake-up in a channel operation?)";
        std::fprintf(stderr,
                     "\nchancheck watchdog: test %s did not finish within %lld s "
                     "(deadlock or lost wake-up in a channel operation?); aborting\n",
                     name.c_str(), static_cast<long long>(limit.count()));
        std::fflush(stdout);
        std::fflush(stderr);
        std::abort();
    }
    worker.join();
    done.get();  // rethrows an exception of `body`
}

// Runs `body` on a thread; if it has not returned within `limit`, records a failure with
// `what`, calls `rescue` (which must make `body` return, e.g. by dropping a channel end) and
// joins. For tests of operations that must not block: a violation fails cleanly and fast
// instead of hanging until the watchdog fires. Returns true when `body` finished in time.
template <class Body, class Rescue>
bool finishes_within(std::chrono::milliseconds limit, const std::string& what, Body&& body, Rescue&& rescue) {
    std::packaged_task<void()> task(std::forward<Body>(body));
    std::future<void> done = task.get_future();
    std::thread worker(std::move(task));
    const bool in_time = done.wait_for(limit) == std::future_status::ready;
    if (!in_time) {
        ADD_FAILURE() << what << ": did not return within " << limit.count() << " ms";
        rescue();
        if (done.wait_for(default_watchdog_limit) != std::future_status::ready) {
            std::fprintf(stderr, "\nchancheck: %s: rescue did not unblock the operation in test %s; aborting\n",
                         what.c_str(), current_test_name().c_str());
            std::fflush(stdout);
            std::fflush(stderr);
            std::abort();
        }
    }
    worker.join();
    done.get();
    return in_time;
}

}  // namespace chancheck_test

// Readable gtest output for the library's error enums (found by ADL).
namespace chancheck {
inline void PrintTo(try_recv_error e, std::ostream* os) { *os << to_string(e); }
inline void PrintTo(recv_timeout_error e, std::ostream* os) { *os << to_string(e); }
inline void PrintTo(try_send_status s, std::ostream* os) { *os << to_string(s); }
inline void PrintTo(send_timeout_status s, std::ostream* os) { *os << to_string(s); }
inline void PrintTo(recv_error e, std::ostream* os) { *os << to_string(e); }
}  // namespace chancheck
