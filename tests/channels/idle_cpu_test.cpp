// tests/channels/idle_cpu_test.cpp — a blocked channel operation must sleep, not spin.
//
// A thread waits 1 s in recv_timeout on an empty channel (or in send_timeout on a full one)
// and measures its own CPU time with getrusage(RUSAGE_THREAD) before and after. A parked
// thread uses almost none; a spinning one uses about 1 s. The bound (50 ms, i.e. 5% of a
// core) is on CPU time, not wall time, so a slow or loaded machine does not make it flaky.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/time.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "chancheck/mpsc.hpp"
#include "flavor_cases.hpp"

namespace {

using namespace std::chrono_literals;
using chancheck_test::make;
using chancheck_test::run_with_watchdog;

constexpr std::chrono::milliseconds idle_for{1000};
constexpr std::chrono::microseconds cpu_budget{50000};  // 5% of the idle time

// CPU time (user + system) used so far by the calling thread.
std::chrono::microseconds thread_cpu_time() {
    rusage ru{};
    if (getrusage(RUSAGE_THREAD, &ru) != 0) {
        ADD_FAILURE() << "getrusage(RUSAGE_THREAD) failed";
        return std::chrono::microseconds{0};
    }
    const auto tv = [](const timeval& t) {
        return std::chrono::seconds{t.tv_sec} + std::chrono::microseconds{t.tv_usec};
    };
    return tv(ru.ru_utime) + tv(ru.ru_stime);
}

// Runs `op` on a fresh thread and returns the CPU time that thread spent inside `op`.
template <class Op>
std::chrono::microseconds cpu_time_of(Op op) {
    std::chrono::microseconds used{0};
    std::thread t([&] {
        const auto before = thread_cpu_time();
        op();
        used = thread_cpu_time() - before;
    });
    t.join();
    return used;
}

class IdleCpu : public chancheck_test::channel_test {};

TEST_P(IdleCpu, BlockedReceiverSleeps) {
    run_with_watchdog([&] {
        auto ch = make<int>(cfg());
        auto& rx = ch.second;
        bool timed_out = false;
        const auto start = std::chrono::steady_clock::now();
        const auto used = cpu_time_of([&] {
            auto r = rx.recv_timeout(idle_for);
            timed_out = !r.has_value() && r.error() == chancheck::recv_timeout_error::timeout;
        });
        const auto waited =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
        EXPECT_TRUE(timed_out) << "recv_timeout on an empty channel must time out";
        EXPECT_GE(waited.count(), std::chrono::microseconds(idle_for).count()) << "recv_timeout returned before its deadline";
        EXPECT_LT(used.count(), cpu_budget.count()) << "a receiver blocked for " << idle_for.count() << " ms used " << used.count()
                                    << " us of CPU (it should sleep, not spin)";
        RecordProperty("thread_cpu_us", static_cast<int>(used.count()));
        std::printf("[ idle-cpu ] receiver blocked %lld ms used %lld us of CPU (%.2f%% of a core)\n",
                    static_cast<long long>(idle_for.count()), static_cast<long long>(used.count()),
                    100.0 * static_cast<double>(used.count()) / (1000.0 * static_cast<double>(idle_for.count())));
    });
}

TEST_P(IdleCpu, BlockedSenderSleeps) {
    if (cfg().unbounded()) GTEST_SKIP() << "a send on an unbounded channel never blocks";
    run_with_watchdog([&] {
        auto ch = make<int>(cfg());
        auto& tx = ch.first;
        for (std::size_t i = 0; i < *cfg().capacity; ++i) ASSERT_TRUE(tx.try_send(0).has_value());
        bool timed_out = false;
        const auto start = std::chrono::steady_clock::now();
        const auto used = cpu_time_of([&] {
            auto r = tx.send_timeout(1, idle_for);
            timed_out = !r.has_value() && r.error().is_timeout();
        });
        const auto waited =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
        EXPECT_TRUE(timed_out) << "send_timeout on a full channel must time out";
        EXPECT_GE(waited.count(), std::chrono::microseconds(idle_for).count()) << "send_timeout returned before its deadline";
        EXPECT_LT(used.count(), cpu_budget.count()) << "a sender blocked for " << idle_for.count() << " ms used " << used.count()
                                    << " us of CPU (it should sleep, not spin)";
        RecordProperty("thread_cpu_us", static_cast<int>(used.count()));
        std::printf("[ idle-cpu ] sender blocked %lld ms used %lld us of CPU (%.2f%% of a core)\n",
                    static_cast<long long>(idle_for.count()), static_cast<long long>(used.count()),
                    100.0 * static_cast<double>(used.count()) / (1000.0 * static_cast<double>(idle_for.count())));
    });
}

// The check bites: a seeded bug that polls with yields instead of parking (otherwise a
// correct channel, which no model checker flags) blows the CPU budget by far.
TEST(IdleCpuCheck, CatchesAReceiverThatSpins) {
    using spinning = chancheck::with_bug<chancheck::std_sync, chancheck::bug::blocked_wait_spins>;
    run_with_watchdog([&] {
        auto [tx, rx] = chancheck::mpsc::channel<int, spinning>();
        bool timed_out = false;
        const auto used = cpu_time_of([&rx = rx, &timed_out] {
            auto r = rx.recv_timeout(idle_for);
            timed_out = !r.has_value() && r.error() == chancheck::recv_timeout_error::timeout;
        });
        EXPECT_TRUE(timed_out) << "the spinning mutant is still a correct channel: it must time out";
        EXPECT_GT(used.count(), cpu_budget.count())
            << "a receiver that polls for " << idle_for.count() << " ms used only " << used.count()
            << " us of CPU: the idle-CPU check would not notice a spinning channel";
        std::printf("[ idle-cpu ] seeded spinning receiver used %lld us of CPU in %lld ms\n",
                    static_cast<long long>(used.count()), static_cast<long long>(idle_for.count()));
    });
}

INSTANTIATE_TEST_SUITE_P(AllFlavors, IdleCpu, testing::ValuesIn(chancheck_test::all_configs()),
                         chancheck_test::config_name);

}  // namespace
