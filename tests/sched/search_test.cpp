// The exhaustive search (search.hpp) on programs small enough to enumerate every schedule:
// the reduced search reaches every final state the full tree reaches, in fewer executions
// (one, when no two threads touch the same object); it finds a channel's seeded lost
// wake-up, with a schedule that replays it; the preemption bound finds a bug at the fewest
// preemptions it needs; and the estimator's figure is the full tree's size where that is known.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/mpsc.hpp"
#include "chancheck/sync/sched/search.hpp"
#include "chancheck/sync/sched_sync.hpp"

namespace {

using chancheck::sched_sync;
using namespace chancheck::sched;  // the search, its options and results, the scheduler
template <class T>
using atomic = sched_sync::atomic<T>;

// A program over sched_sync objects: `bodies` make the threads of one execution on fresh
// objects, `state` reads the final state after them. Each execution adds its state to `seen`.
template <class Objects>
run_once program(std::function<std::vector<std::function<void()>>(Objects&)> bodies,
                 std::function<std::string(Objects&)> state, std::set<std::string>& seen) {
    return [=, &seen](const schedule& s, const scheduler::options& o) {
        scheduler sch(s, o);
        Objects objects;
        run_outcome out = sch.run(bodies(objects));
        if (out.ok()) seen.insert(state(objects));
        return out;
    };
}

struct both_ways {
    std::set<std::string> reduced, full;
    search_result dpor, unreduced;
};

template <class Objects>
both_ways explore_both(std::function<std::vector<std::function<void()>>(Objects&)> bodies,
                       std::function<std::string(Objects&)> state) {
    both_ways b;
    b.dpor = search(program<Objects>(bodies, state, b.reduced));
    search_options all;
    all.reduction = false;
    b.unreduced = search(program<Objects>(bodies, state, b.full), all);
    return b;
}

void expect_same_states(const both_ways& b) {
    ASSERT_TRUE(b.dpor.complete);
    ASSERT_TRUE(b.unreduced.complete);
    EXPECT_FALSE(b.dpor.failure);
    EXPECT_EQ(b.reduced, b.full) << "the reduced search must reach every final state of the full tree";
    EXPECT_LE(b.dpor.executions, b.unreduced.executions);
}

// ---- programs -----------------------------------------------------------------------------

struct three_own_counters {
    atomic<int> a{0}, b{0}, c{0};
};

TEST(Search, ThreadsOnTheirOwnObjectsNeedOneExecution) {
    auto b = explore_both<three_own_counters>(
        [](three_own_counters& o) -> std::vector<std::function<void()>> {
            return {[&] { o.a.store(1), o.a.store(2); }, [&] { o.b.store(1), o.b.store(2); },
                    [&] { o.c.store(1), o.c.store(2); }};
        },
        [](three_own_counters& o) { return std::to_string(o.a.load() + o.b.load() + o.c.load()); });
    expect_same_states(b);
    EXPECT_EQ(b.dpor.executions, 1u);
    // Three events a thread (the start, the first store, the second store and the end):
    // 9! / (3! 3! 3!) interleavings.
    EXPECT_EQ(b.unreduced.executions, 1680u);
}

struct store_buffer {
    atomic<int> x{0}, y{0};
    int r0 = -1, r1 = -1;
};

TEST(Search, StoreBufferingReachesEverySequentiallyConsistentOutcome) {
    auto b = explore_both<store_buffer>(
        [](store_buffer& o) -> std::vector<std::function<void()>> {
            return {[&] { o.x.store(1), o.r0 = o.y.load(); }, [&] { o.y.store(1), o.r1 = o.x.load(); }};
        },
        [](store_buffer& o) { return std::to_string(o.r0) + std::to_string(o.r1); });
    expect_same_states(b);
    EXPECT_EQ(b.full, (std::set<std::string>{"01", "10", "11"}));
    EXPECT_LT(b.dpor.executions, b.unreduced.executions);
}

struct shared_counter {
    atomic<int> n{0};
};

TEST(Search, LostUpdatesOfThreeThreads) {
    auto b = explore_both<shared_counter>(
        [](shared_counter& o) -> std::vector<std::function<void()>> {
            auto add = [&] { o.n.store(o.n.load() + 1); };
            return {add, add, add};
        },
        [](shared_counter& o) { return std::to_string(o.n.load()); });
    expect_same_states(b);
    EXPECT_EQ(b.full, (std::set<std::string>{"1", "2", "3"}));
    EXPECT_LT(b.dpor.executions, b.unreduced.executions);
}

// A mutex-guarded queue of one slot with a condition variable, two producers, and a
// notify_one that chooses among two waiters: the order of hand-offs and who woke whom.
struct monitor {
    sched_sync::mutex m;
    sched_sync::condvar cv;
    int slot = 0;  // 0: empty
    std::string order;
};

TEST(Search, MonitorHandOffsAndNotifyOneChoices) {
    auto b = explore_both<monitor>(
        [](monitor& o) -> std::vector<std::function<void()>> {
            auto produce = [&](int v) {
                return [&o, v] {
                    std::unique_lock lock(o.m);
                    o.cv.wait(lock, [&] { return o.slot == 0; });
                    o.slot = v;
                    o.cv.notify_one();
                };
            };
            auto consume = [&] {
                for (int k = 0; k < 2; ++k) {
                    std::unique_lock lock(o.m);
                    o.cv.wait(lock, [&] { return o.slot != 0; });
                    o.order += std::to_string(o.slot);
                    o.slot = 0;
                    o.cv.notify_all();
                }
            };
            return {produce(1), produce(2), consume};
        },
        [](monitor& o) { return o.order; });
    expect_same_states(b);
    EXPECT_EQ(b.full, (std::set<std::string>{"12", "21"}));
}

// ---- a channel ----------------------------------------------------------------------------

// One sender sends one message and goes; the receiver receives until Disconnected.
template <class Sync>
run_once send_then_disconnect(std::set<std::string>& seen) {
    return [&seen](const schedule& s, const scheduler::options& o) {
        scheduler sch(s, o);
        std::string got;
        {
            auto [tx0, rx0] = chancheck::mpsc::channel<int, Sync>(chancheck::implementation::lock_free);
            std::optional tx(std::move(tx0));
            std::optional rx(std::move(rx0));
            run_outcome out = sch.run({[&] {
                                           (void)tx->send(7);
                                           tx.reset();
                                       },
                                       [&] {
                                           while (auto r = rx->recv()) got += std::to_string(*r);
                                           got += "|";
                                           rx.reset();
                                       }});
            if (!out.ok()) return out;
        }
        run_outcome leaks = sch.check_leaks();
        if (leaks.ok()) seen.insert(got);
        return leaks;
    };
}

// The exhaustive search of this scenario takes 86 054 executions (about a minute here);
// the unit test explores it within two preemptions.
TEST(Search, ListChannelIsCleanWithinTwoPreemptions) {
    std::set<std::string> seen;
    search_options o;
    o.preemption_bound = 2;
    const search_result r = search(send_then_disconnect<sched_sync>(seen), o);
    EXPECT_TRUE(r.complete);
    EXPECT_FALSE(r.failure) << r.failure->outcome.message << "\nreplay: " << r.failure->schedule;
    EXPECT_EQ(seen, (std::set<std::string>{"7|"}));
    EXPECT_GT(r.executions, 1u);
}

TEST(Search, FindsTheSeededLostWakeupAndItsScheduleReplaysIt) {
    using buggy = chancheck::with_bug<sched_sync, chancheck::bug::list_recheck_ignores_disconnect>;
    std::set<std::string> seen;
    const run_once run = send_then_disconnect<buggy>(seen);
    const search_result r = search(run);
    ASSERT_TRUE(r.failure) << "the search must find the receiver that sleeps through the disconnect ("
                           << r.executions << " executions)";
    EXPECT_EQ(r.failure->outcome.kind, failure_kind::deadlock) << r.failure->outcome.message;
    const run_outcome again = run(parse_schedule(r.failure->schedule), scheduler::options{});
    EXPECT_EQ(again.kind, failure_kind::deadlock) << "replaying " << r.failure->schedule;
}

// ---- bounds and estimates -----------------------------------------------------------------

// Two threads increment with a load and a store; the run fails when an update was lost,
// which takes one preemption.
run_once lost_update_fails() {
    return [](const schedule& s, const scheduler::options& o) {
        scheduler sch(s, o);
        shared_counter c;
        run_outcome out = sch.run({[&] { c.n.store(c.n.load() + 1); }, [&] { c.n.store(c.n.load() + 1); }});
        if (out.ok() && c.n.load() != 2) {
            out.kind = failure_kind::misuse;
            out.message = "an update was lost";
        }
        return out;
    };
}

TEST(Search, PreemptionBoundsFindTheFailureAtItsFewestPreemptions) {
    search_options none;
    none.preemption_bound = 0;
    const search_result at_zero = search(lost_update_fails(), none);
    EXPECT_TRUE(at_zero.complete);
    EXPECT_FALSE(at_zero.failure) << "no lost update without a preemption";
    EXPECT_GT(at_zero.bounded_out, 0u) << "bound 0 leaves reversals out";

    const search_result r = search_by_preemptions(lost_update_fails(), 3);
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(r.failure->preemptions, 1u);
    EXPECT_EQ(r.preemption_bound, 1u);
}

TEST(Search, BoundedSearchThatLeavesNothingOutIsExhaustive) {
    // Two load-then-store increments: one preemption reaches every interleaving's outcome,
    // and bound 2 leaves no reversal out, so the search says it was exhaustive.
    std::set<std::string> bounded, full;
    auto increments = [](shared_counter& o) -> std::vector<std::function<void()>> {
        auto add = [&] { o.n.store(o.n.load() + 1); };
        return {add, add};
    };
    auto value = [](shared_counter& o) { return std::to_string(o.n.load()); };
    const search_result r = search_by_preemptions(program<shared_counter>(increments, value, bounded), 4);
    EXPECT_FALSE(r.failure);
    EXPECT_TRUE(r.complete);
    EXPECT_FALSE(r.preemption_bound) << "bound " << *r.preemption_bound << " still left reversals out";
    search_options all;
    all.reduction = false;
    (void)search(program<shared_counter>(increments, value, full), all);
    EXPECT_EQ(bounded, full);
}

TEST(Search, BudgetStopsTheSearchIncomplete) {
    search_options o;
    o.reduction = false;
    o.max_executions = 10;
    std::set<std::string> seen;
    const search_result r = search(send_then_disconnect<sched_sync>(seen), o);
    EXPECT_EQ(r.executions, 10u);
    EXPECT_FALSE(r.complete);
}

TEST(Search, KnuthEstimateIsNearTheFullTreesSize) {
    std::set<std::string> seen;
    const auto run = program<three_own_counters>(
        [](three_own_counters& o) -> std::vector<std::function<void()>> {
            return {[&] { o.a.store(1), o.a.store(2); }, [&] { o.b.store(1), o.b.store(2); },
                    [&] { o.c.store(1), o.c.store(2); }};
        },
        [](three_own_counters&) { return std::string(); }, seen);
    const double estimate = estimate_executions(run, 20);
    // The factors along a path depend on which threads are still running, so one probe is
    // not exact; the mean over probes is unbiased, and 20 of them lie near the 1680 leaves.
    EXPECT_GT(estimate, 1680.0 / 4);
    EXPECT_LT(estimate, 1680.0 * 4);
}

}  // namespace
