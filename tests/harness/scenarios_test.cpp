// tests/harness/scenarios_test.cpp — every harness scenario on real threads (std_sync), over
// every one of chancheck's channels through its adapter (harness/chancheck_channels.hpp).
//
// The same scenario objects the Relacy models run (harness/scenarios.hpp), here with
// thousands of messages per run and several runs per case, judged by the same oracles, one
// test per <kind>/<scenario>/<flavor>@<capacity>. A hang becomes a clear failure through the
// watchdog; a broken run prints its violations and the tail of its history.
#include <gtest/gtest.h>

#include <string>

#include "../channels/flavor_cases.hpp"
#include "chancheck/harness/chancheck_channels.hpp"
#include "chancheck/harness/scenarios.hpp"
#include "run_on_threads.hpp"

namespace {

using namespace chancheck::harness;
using chancheck::implementation;

// 2000 messages per producer (or oneshot rounds) in a plain build, 200 under either sanitizer.
constexpr std::size_t messages = chancheck_test::scaled_by(2000, 10, 10);
constexpr int runs = 5;

template <channel_kind K, implementation I>
using channel = typename chancheck_channel<K, I>::template adapter<counted, chancheck::std_sync>;

// One test per scenario that fits the channel, at every capacity it runs at.
template <class A>
void register_scenarios() {
    for_each_scenario<A>([]<class Scenario>() {
        for (int capacity : model_capacities) {
            if (!runs_at<Scenario>(capacity)) continue;
            const std::string name = std::string(to_string(Scenario::kind)) + "_" + Scenario::name;
            const std::string config = configuration_name<A>(capacity);
            ::testing::RegisterTest("Scenario", (name + "/" + config).c_str(), nullptr, nullptr, __FILE__, __LINE__,
                                    [capacity, name, config]() -> ::testing::Test* {
                                        struct one : ::testing::Test {
                                            int capacity;
                                            std::string what;
                                            one(int c, std::string w) : capacity(c), what(std::move(w)) {}
                                            void TestBody() override {
                                                chancheck_test::check_scenario<Scenario>(capacity_of(capacity), messages, runs, what);
                                            }
                                        };
                                        return new one(capacity, name + "/" + config);
                                    });
        }
    });
}

const bool registered = [] {
    using K = channel_kind;
    using I = implementation;
    register_scenarios<channel<K::mpsc, I::lock_free>>();
    register_scenarios<channel<K::mpsc, I::locked>>();
    register_scenarios<channel<K::mpmc, I::lock_free>>();
    register_scenarios<channel<K::mpmc, I::locked>>();
    register_scenarios<channel<K::broadcast, I::lock_free>>();
    register_scenarios<channel<K::broadcast, I::locked>>();
    register_scenarios<channel<K::oneshot, I::lock_free>>();
    register_scenarios<channel<K::oneshot, I::locked>>();
    return true;
}();

// The oracles bite outside the model checker too: a seeded bug that skips destroying the
// messages left in the buffer when the receiver goes is reported as a destruction imbalance.
// The leak is forced deterministically (a message is surely buffered when the receiver
// drops), then judged by the same oracle the scenarios use; the reference flavor balances.
template <class Sync>
violations discard_one_buffered_message() {
    message_counters counters;
    {
        auto [tx, rx] = chancheck::mpsc::sync_channel<counted, Sync>(1);
        EXPECT_TRUE(tx.send(counted(encode(0, 0), counters)).has_value());
        rx.reset();  // the message is still in the buffer: the channel must destroy it
    }
    return destruction_balance(counters.constructed.load(), counters.destroyed.load());
}

TEST(ScenarioMutant, DiscardSkippingDestroyIsCaught) {
    using buggy = chancheck::with_bug<chancheck::std_sync, chancheck::bug::array_discard_skips_destroy>;
    const violations v = discard_one_buffered_message<buggy>();
    ASSERT_EQ(v.size(), 1u) << describe(v);
    EXPECT_EQ(v[0].kind, violation_kind::destruction_mismatch) << describe(v);
    EXPECT_TRUE(discard_one_buffered_message<chancheck::std_sync>().empty());
}

}  // namespace
