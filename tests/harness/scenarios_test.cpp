// tests/harness/scenarios_test.cpp — the harness scenarios on real threads (std_sync).
//
// The same scenario objects the Relacy models run, here with thousands of messages per run
// and several runs per case, judged by the same oracles. A hang becomes a clear failure
// through the watchdog; a broken run prints its violations and the tail of its history.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "../channels/flavor_cases.hpp"
#include "chancheck/harness/mpsc_scenarios.hpp"

namespace {

using namespace chancheck::harness;

// 2000 messages per producer in a plain build, 200 under either sanitizer.
constexpr std::size_t messages = chancheck_test::scaled_by(2000, 10, 10);
constexpr int runs = 5;

// Runs one scenario on real threads; aborts with a message if it does not finish in time.
template <class Scenario>
violations run_on_threads(Scenario& s, const std::string& what) {
    auto done = std::async(std::launch::async, [&] {
        std::vector<std::thread> threads;
        for (unsigned i = 0; i < Scenario::threads; ++i) threads.emplace_back([&s, i] { s.run_thread(i); });
        for (auto& t : threads) t.join();
    });
    if (done.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
        std::fprintf(stderr, "watchdog: %s did not finish within 60 s (deadlock or livelock suspected)\n", what.c_str());
        std::abort();
    }
    return s.finish();
}

// The last lines of a history, enough to see how a broken run ended.
std::string tail(const std::string& text, std::size_t lines) {
    std::size_t pos = text.size();
    for (std::size_t n = 0; n <= lines && pos != std::string::npos && pos > 0; ++n) pos = text.rfind('\n', pos - 1);
    return pos == std::string::npos ? text : text.substr(pos + 1);
}

template <template <class> class Scenario>
void check_scenario(const channel_config& config) {
    for (int run = 0; run < runs; ++run) {
        Scenario<chancheck::std_sync> s(config, messages);
        const std::string what = std::string(Scenario<chancheck::std_sync>::name) + "/" + config.name;
        const violations v = run_on_threads(s, what);
        ASSERT_TRUE(v.empty()) << what << " run " << run << ":\n" << describe(v) << "last events:\n"
                               << tail(s.history_text(), 20);
    }
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
