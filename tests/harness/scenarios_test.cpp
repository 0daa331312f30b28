// tests/harness/scenarios_test.cpp — the harness scenarios on real threads (std_sync).
//
// The same scenario objects the Relacy models run, here with thousands of messages per run
// and several runs per case, judged by the same oracles. A hang becomes a clear failure
// through the watchdog; a broken run prints its violations and the tail of its history.
#include <gtest/gtest.h>

#include <string>

#include "../channels/flavor_cases.hpp"
#include "chancheck/harness/mpsc_scenarios.hpp"
#include "run_on_threads.hpp"

namespace {

using namespace chancheck::harness;

// 2000 messages per producer in a plain build, 200 under either sanitizer.
constexpr std::size_t messages = chancheck_test::scaled_by(2000, 10, 10);
constexpr int runs = 5;

// Every scenario runs `runs` times on each configuration (see run_on_threads.hpp).
template <template <class> class Scenario>
void check_scenario(const channel_config& config) {
    chancheck_test::check_scenario<Scenario>(config, messages, runs);
}

class MpscScenario : public ::testing::TestWithParam<channel_config> {};

TEST_P(MpscScenario, Spsc) { check_scenario<spsc>(GetParam()); }
TEST_P(MpscScenario, TwoProducers) { check_scenario<mpsc_two_producers>(GetParam()); }
TEST_P(MpscScenario, LastSenderDroppedWhileReceiverBlocked) {
    check_scenario<last_sender_dropped_while_receiver_blocked>(GetParam());
}
TEST_P(MpscScenario, ReceiverDroppedWhileSenderBlocked) {
    check_scenario<receiver_dropped_while_sender_blocked>(GetParam());
}
TEST_P(MpscScenario, RecvTimeoutRacesSend) { check_scenario<recv_timeout_races_send>(GetParam()); }
TEST_P(MpscScenario, TryRecvRacesDisconnect) { check_scenario<try_recv_races_disconnect>(GetParam()); }
TEST_P(MpscScenario, PingPong) { check_scenario<ping_pong>(GetParam()); }

INSTANTIATE_TEST_SUITE_P(AllFlavors, MpscScenario, ::testing::ValuesIn(mpsc_configs()),
                         [](const ::testing::TestParamInfo<channel_config>& info) { return std::string(info.param.name); });

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

TEST(MpscScenarioMutant, DiscardSkippingDestroyIsCaught) {
    using buggy = chancheck::with_bug<chancheck::std_sync, chancheck::bug::array_discard_skips_destroy>;
    const violations v = discard_one_buffered_message<buggy>();
    ASSERT_EQ(v.size(), 1u) << describe(v);
    EXPECT_EQ(v[0].kind, violation_kind::destruction_mismatch) << describe(v);
    EXPECT_TRUE(discard_one_buffered_message<chancheck::std_sync>().empty());
}

}  // namespace
