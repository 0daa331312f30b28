// The deterministic scheduler (sched_sync) on its own: it interleaves, replays exactly,
// simulates timeouts, and turns deadlock, busy waiting, double free, use after free and leaks
// into failures that name what happened. Each detector is shown to fire on a program that
// has the defect and to stay quiet on one that does not.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/sync/sched_sync.hpp"
#include "chancheck/mpsc.hpp"
#include "chancheck/detail/bug_zoo.hpp"

namespace {

using chancheck::sched_sync;
using chancheck::sched::failure_kind;
using chancheck::sched::run_outcome;
using chancheck::sched::schedule;
using chancheck::sched::scheduler;

// Runs a two-thread spsc exchange of `count` messages under `s`; returns the outcome and
// what the receiver got.
template <class Sync = sched_sync>
run_outcome spsc_run(const schedule& s, int count, std::vector<int>& got, chancheck::implementation f, std::optional<std::size_t> capacity) {
    scheduler sch(s);
    {
        auto [tx0, rx0] = capacity ? chancheck::mpsc::sync_channel<int, Sync>(*capacity, f) : chancheck::mpsc::channel<int, Sync>(f);
        std::optional tx(std::move(tx0));
        std::optional rx(std::move(rx0));
        auto out = sch.run({[&] {
                                for (int i = 0; i < count; ++i) (void)tx->send(i);
                                tx.reset();
                            },
                            [&] {
                                for (;;) {
                                    auto r = rx->recv();
                                    if (!r) break;
                                    got.push_back(*r);
                                }
                                rx.reset();
                            }});
        if (!out.ok()) return out;
    }
    return sch.check_leaks();
}

TEST(SchedSync, DeliversEveryMessageInOrderUnderManySchedules) {
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        for (auto cap : {std::optional<std::size_t>{}, std::optional<std::size_t>{0}, std::optional<std::size_t>{1}}) {
            std::vector<int> got;
            const auto s = seed % 2 ? chancheck::sched::random_walk_from_seed(seed) : chancheck::sched::pct_from_seed(seed, 2, 3, 200);
            const auto out = spsc_run(s, 5, got, chancheck::implementation::lock_free, cap);
            ASSERT_TRUE(out.ok()) << to_string(out.kind) << ": " << out.message << " schedule " << to_string(s);
            ASSERT_EQ(got, (std::vector<int>{0, 1, 2, 3, 4})) << to_string(s);
        }
    }
}

TEST(SchedSync, TheSameScheduleReplaysTheSameInterleaving) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const auto s = chancheck::sched::random_walk_from_seed(seed);
        std::vector<int> got1, got2;
        const auto a = spsc_run(s, 4, got1, chancheck::implementation::lock_free, std::optional<std::size_t>{1});
        const auto b = spsc_run(s, 4, got2, chancheck::implementation::lock_free, std::optional<std::size_t>{1});
        ASSERT_TRUE(a.ok()) << a.message;
        EXPECT_GT(a.switches, 4u) << "the threads should have been interleaved";
        EXPECT_EQ(a.decisions, b.decisions);
        EXPECT_EQ(a.switches, b.switches);
        EXPECT_EQ(a.last_steps, b.last_steps);
    }
}

TEST(SchedSync, DifferentSchedulesInterleaveDifferently) {
    std::vector<std::vector<std::string>> seen;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        std::vector<int> got;
        const auto out = spsc_run(chancheck::sched::random_walk_from_seed(seed), 4, got, chancheck::implementation::lock_free, std::nullopt);
        ASSERT_TRUE(out.ok()) << out.message;
        if (std::find(seen.begin(), seen.end(), out.last_steps) == seen.end()) seen.push_back(out.last_steps);
    }
    EXPECT_GE(seen.size(), 10u);
}

TEST(SchedSync, ScheduleTextRoundTripsAndRejectsGarbage) {
    schedule rw = chancheck::sched::random_walk_from_seed(42);
    rw.choices = {3, 0, 255};
    EXPECT_EQ(chancheck::sched::parse_schedule(to_string(rw)), rw);
    const schedule pct = chancheck::sched::pct_from_seed(7, 3, 3, 100);
    EXPECT_EQ(chancheck::sched::parse_schedule(to_string(pct)), pct);
    EXPECT_EQ(to_string(chancheck::sched::parse_schedule("rw//tail=0")), "rw//tail=0");
    try {
        (void)chancheck::sched::parse_schedule("rw/3.x/tail=0");
        FAIL() << "accepted a bad schedule";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'x' is not a number"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)chancheck::sched::parse_schedule("rw/1.300/tail=0"), std::invalid_argument);
    EXPECT_THROW((void)chancheck::sched::parse_schedule("random"), std::invalid_argument);
}

TEST(SchedSync, ATimedReceiveTimesOutAndTheClockJumpsToItsDeadline) {
    scheduler sch(chancheck::sched::random_walk_from_seed(3));
    auto [tx0, rx0] = chancheck::mpsc::channel<int, sched_sync>();
    std::optional tx(std::move(tx0));
    std::optional rx(std::move(rx0));
    bool timed_out = false;
    std::int64_t clock_after = 0;
    const auto out = sch.run({[&] {
        auto r = rx->recv_timeout(std::chrono::milliseconds(5));
        timed_out = !r && r.error() == chancheck::recv_timeout_error::timeout;
        clock_after = sched_sync::clock::now().time_since_epoch().count();
        rx.reset();
        tx.reset();
    }});
    ASSERT_TRUE(out.ok()) << out.message;
    EXPECT_TRUE(timed_out);
    EXPECT_EQ(clock_after, 5'000'000);
    EXPECT_TRUE(sch.check_leaks().ok());
}

TEST(SchedSync, LockOrderInversionIsADeadlockNamingBothWaits) {
    bool found = false;
    for (std::uint64_t seed = 1; seed <= 200 && !found; ++seed) {
        scheduler sch(chancheck::sched::random_walk_from_seed(seed));
        sched_sync::mutex a, b;
        const auto out = sch.run({[&] { std::lock_guard la(a); std::lock_guard lb(b); },
                                  [&] { std::lock_guard lb(b); std::lock_guard la(a); }});
        if (out.kind == failure_kind::deadlock) {
            found = true;
            EXPECT_NE(out.message.find("t0"), std::string::npos) << out.message;
            EXPECT_NE(out.message.find("t1"), std::string::npos) << out.message;
            EXPECT_NE(out.message.find("waits for a mutex"), std::string::npos) << out.message;
        } else {
            ASSERT_TRUE(out.ok()) << out.message;
        }
    }
    EXPECT_TRUE(found) << "no schedule among 200 interleaved the two lock orders";
}

TEST(SchedSync, PollingWhileEveryoneElseIsBlockedIsBusyWaiting) {
    scheduler sch(chancheck::sched::random_walk_from_seed(1));
    sched_sync::atomic<bool> flag(false);
    const auto out = sch.run({[&] {
        while (!flag.load()) sched_sync::spin_hint();  // nobody will ever set it
    }});
    EXPECT_EQ(out.kind, failure_kind::busy_wait) << out.message;
}

TEST(SchedSync, SpinningOnAnotherThreadsProgressIsFine) {
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        scheduler sch(seed % 2 ? chancheck::sched::random_walk_from_seed(seed) : chancheck::sched::pct_from_seed(seed, 2, 2, 50));
        sched_sync::atomic<int> flag(0);
        const auto out = sch.run({[&] { while (flag.load() < 3) sched_sync::spin_hint(); },
                                  [&] { for (int i = 0; i < 3; ++i) flag.fetch_add(1); }});
        ASSERT_TRUE(out.ok()) << to_string(out.kind) << ": " << out.message;
    }
}

struct tracked {
    sched_sync::atomic<int> value{0};
};

TEST(SchedSync, DoubleFreeUseAfterFreeAndLeaksAreReported) {
    {
        scheduler sch(chancheck::sched::random_walk_from_seed(1));
        const auto out = sch.run({[&] {
            tracked* p = sched_sync::make<tracked>();
            sched_sync::destroy(p);
            sched_sync::destroy(p);
        }});
        EXPECT_EQ(out.kind, failure_kind::double_free) << out.message;
    }
    {
        scheduler sch(chancheck::sched::random_walk_from_seed(1));
        const auto out = sch.run({[&] {
            tracked* p = sched_sync::make<tracked>();
            sched_sync::destroy(p);
            (void)p->value.load();
        }});
        EXPECT_EQ(out.kind, failure_kind::use_after_free) << out.message;
    }
    {
        scheduler sch(chancheck::sched::random_walk_from_seed(1));
        auto out = sch.run({[&] { (void)sched_sync::make<tracked>(); }});
        ASSERT_TRUE(out.ok()) << out.message;
        out = sch.check_leaks();
        EXPECT_EQ(out.kind, failure_kind::memory_leak) << out.message;
        EXPECT_NE(out.message.find("tracked"), std::string::npos) << out.message;
    }
}

// A seeded bug of the zoo: the list flavor's sender forgets to wake a parked receiver.
TEST(SchedSync, FindsTheLostWakeUpOfTheBugZoo) {
    using buggy = chancheck::with_bug<sched_sync, chancheck::bug::list_lost_wakeup>;
    int caught_at = 0;
    for (int seed = 1; seed <= 500 && caught_at == 0; ++seed) {
        // Ping-pong: the sender stays alive waiting for the ack, so only a wake-up can end
        // the receiver's wait.
        scheduler sch(chancheck::sched::random_walk_from_seed(seed));
        auto [ping_tx0, ping_rx0] = chancheck::mpsc::channel<int, buggy>();
        auto [pong_tx0, pong_rx0] = chancheck::mpsc::channel<int, buggy>();
        std::optional ping_tx(std::move(ping_tx0));
        std::optional ping_rx(std::move(ping_rx0));
        std::optional pong_tx(std::move(pong_tx0));
        std::optional pong_rx(std::move(pong_rx0));
        const auto out = sch.run({[&] {
                                      for (int i = 0; i < 3; ++i) {
                                          (void)ping_tx->send(i);
                                          (void)pong_rx->recv();
                                      }
                                      ping_tx.reset();
                                      pong_rx.reset();
                                  },
                                  [&] {
                                      for (int i = 0; i < 3; ++i) {
                                          (void)ping_rx->recv();
                                          (void)pong_tx->send(i);
                                      }
                                      ping_rx.reset();
                                      pong_tx.reset();
                                  }});
        if (out.kind != failure_kind::deadlock) {
            ASSERT_TRUE(out.ok()) << out.message;
            continue;
        }
        caught_at = seed;
        EXPECT_NE(out.message.find("waits on a condition variable"), std::string::npos) << out.message;
    }
    EXPECT_GT(caught_at, 0);
    std::printf("list_lost_wakeup: first deadlocking seed %d\n", caught_at);
}

}  // namespace
