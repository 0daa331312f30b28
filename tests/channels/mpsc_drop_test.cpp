// tests/channels/mpsc_drop_test.cpp — every message is destroyed exactly once: received,
// unreceived at the receiver's drop, unreceived when both ends drop, and values whose send
// failed (handed back to the caller).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "chancheck/mpsc.hpp"
#include "flavor_cases.hpp"

namespace {

using namespace std::chrono_literals;
using chancheck_test::make;
using chancheck_test::run_with_watchdog;
using chancheck_test::tracked;
using chancheck_test::tracked_checks;

class MpscDrop : public chancheck_test::channel_test {
protected:
    void SetUp() override { tracked_checks::begin(); }
    void TearDown() override { tracked_checks::expect_all_destroyed("after the test body"); }
};

long live() { return tracked::live.load(); }

TEST(TrackedSelfTest, CountsMovedFromObjects) {
    tracked_checks::begin();
    {
        tracked a(1);
        tracked b(std::move(a));
        EXPECT_TRUE(a.moved_from());
        EXPECT_EQ(b.id(), 1);
        tracked c(b);
        EXPECT_EQ(tracked::constructions.load(), 3);
        EXPECT_EQ(live(), 3) << "a moved-from object is still an object to destroy";
        a = std::move(c);
        EXPECT_EQ(a.id(), 1);
        EXPECT_EQ(live(), 3);
    }
    EXPECT_EQ(tracked::destructions.load(), 3);
    tracked_checks::expect_all_destroyed();
}

TEST_P(MpscDrop, ReceivedMessagesDestroyedExactlyOnce) {
    run_with_watchdog([&] {
        auto ch = make<tracked>(cfg());
        auto& tx = ch.first;
        auto& rx = ch.second;
        constexpr int n = 100;
        std::thread producer([&tx] {
            for (int i = 0; i < n; ++i) EXPECT_TRUE(tx.send(tracked(i)).has_value());
        });
        for (int i = 0; i < n; ++i) {
            auto r = rx.recv();
            ASSERT_TRUE(r.has_value());
            EXPECT_EQ(r.value().id(), i);
        }
        producer.join();
        // Every message was received and its received copy has gone out of scope; the channel
        // (both ends still alive) holds nothing.
        EXPECT_EQ(live(), 0);
        EXPECT_EQ(tracked::constructions.load(), tracked::destructions.load());
    });
}

TEST_P(MpscDrop, UnreceivedDestroyedAtOnceWhenReceiverDrops) {
    if (!cfg().buffered()) GTEST_SKIP() << "a rendezvous channel never holds a message without a receiver";
    auto [tx, rx] = make<tracked>(cfg());
    const long k = static_cast<long>(cfg().buffer_room(10));
    for (long i = 0; i < k; ++i) ASSERT_TRUE(tx.send(tracked(static_cast<int>(i))).has_value());
    EXPECT_EQ(live(), k) << "each queued message is one live object (the sent temporaries are gone)";

    rx.reset();
    // Right after the receiver's drop, with the sender still alive: nothing left.
    EXPECT_EQ(live(), 0) << "unreceived messages must be destroyed when the last receiver drops";
    EXPECT_TRUE(tx.valid());
    EXPECT_EQ(tracked::constructions.load(), tracked::destructions.load());

    auto r = tx.send(tracked(99));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().value.id(), 99);
    EXPECT_EQ(live(), 1);
}

TEST_P(MpscDrop, UnreceivedDestroyedWhenSenderThenReceiverDrop) {
    if (!cfg().buffered()) GTEST_SKIP() << "a rendezvous channel never holds a message without a receiver";
    auto [tx, rx] = make<tracked>(cfg());
    const long k = static_cast<long>(cfg().buffer_room(10));
    for (long i = 0; i < k; ++i) ASSERT_TRUE(tx.send(tracked(static_cast<int>(i))).has_value());
    tx.reset();
    EXPECT_EQ(live(), k) << "the sender's drop must keep the buffered messages for the receiver";
    if (k > 1) {
        auto first = rx.recv();
        ASSERT_TRUE(first.has_value());
        EXPECT_EQ(first.value().id(), 0);
    }
    rx.reset();
    EXPECT_EQ(live(), 0);
}

TEST_P(MpscDrop, UnreceivedDestroyedWhenBothGoOutOfScope) {
    if (!cfg().buffered()) GTEST_SKIP() << "a rendezvous channel never holds a message without a receiver";
    {
        auto [tx, rx] = make<tracked>(cfg());
        for (std::size_t i = 0; i < cfg().buffer_room(5); ++i) ASSERT_TRUE(tx.send(tracked(7)).has_value());
        auto tx_copy = tx;
    }
    EXPECT_EQ(live(), 0);
    {
        // The other destruction order: the receiver is declared after the sender, so it goes
        // first here; then the reverse via explicit resets.
        auto ch = make<tracked>(cfg());
        auto rx = std::move(ch.second);
        auto tx = std::move(ch.first);
        for (std::size_t i = 0; i < cfg().buffer_room(5); ++i) ASSERT_TRUE(tx.send(tracked(8)).has_value());
    }
    EXPECT_EQ(live(), 0);
}

TEST_P(MpscDrop, FailedSendValueIsReturnedAndDestroyedOnce) {
    auto [tx, rx] = make<tracked>(cfg());
    if (cfg().bounded() || cfg().rendezvous()) {
        // Full: try_send and send_timeout hand the value back.
        for (std::size_t i = 0; i < *cfg().capacity; ++i) ASSERT_TRUE(tx.try_send(tracked(1000)).has_value());
        const long queued = static_cast<long>(*cfg().capacity);
        {
            auto r = tx.try_send(tracked(1));
            ASSERT_FALSE(r.has_value());
            EXPECT_TRUE(r.error().is_full());
            EXPECT_EQ(r.error().value.id(), 1);
            EXPECT_EQ(live(), queued + 1);
        }
        EXPECT_EQ(live(), queued);
        {
            auto r = tx.send_timeout(tracked(2), 5ms);
            ASSERT_FALSE(r.has_value());
            EXPECT_TRUE(r.error().is_timeout());
            EXPECT_EQ(r.error().value.id(), 2);
            EXPECT_EQ(live(), queued + 1);
        }
        EXPECT_EQ(live(), queued);
    }

    rx.reset();
    EXPECT_EQ(live(), 0);
    {
        auto r = tx.send(tracked(3));
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().value.id(), 3);
        EXPECT_EQ(live(), 1);
        // The caller may take the value out and keep it; it is still one object.
        tracked kept = std::move(r.error().value);
        EXPECT_EQ(kept.id(), 3);
        EXPECT_EQ(live(), 2);  // `kept` plus the moved-from value inside `r`
    }
    EXPECT_EQ(live(), 0);
    {
        auto r = tx.try_send(tracked(4));
        ASSERT_FALSE(r.has_value());
        EXPECT_TRUE(r.error().is_disconnected());
        EXPECT_EQ(r.error().value.id(), 4);
        auto t = tx.send_timeout(tracked(5), 1s);
        ASSERT_FALSE(t.has_value());
        EXPECT_TRUE(t.error().is_disconnected());
        EXPECT_EQ(t.error().value.id(), 5);
        EXPECT_EQ(live(), 2);
    }
    EXPECT_EQ(live(), 0);

    // Moved-from sender: the value comes back too.
    auto tx2 = std::move(tx);
    {
        auto r = tx.send(tracked(6));
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().value.id(), 6);
        EXPECT_EQ(live(), 1);
    }
    EXPECT_EQ(live(), 0);
}

TEST_P(MpscDrop, LargeUnboundedChannelDroppedWithMessagesLeft) {
    if (!cfg().unbounded()) GTEST_SKIP() << "needs an unbounded channel (spans several list blocks)";
    constexpr int n = 1000;  // 31 messages per block: ~33 blocks
    // Consumed counts around block boundaries (31 slots per block) and in between.
    for (int consumed : {0, 1, 30, 31, 32, 61, 62, 63, 500, 999, 1000}) {
        for (bool sender_first : {false, true}) {
            SCOPED_TRACE(testing::Message() << "consumed " << consumed << ", sender dropped first: " << sender_first);
            tracked::reset_counters();
            auto [tx, rx] = make<tracked>(cfg());
            for (int i = 0; i < n; ++i) ASSERT_TRUE(tx.send(tracked(i)).has_value());
            EXPECT_EQ(rx.len(), static_cast<std::size_t>(n));
            for (int i = 0; i < consumed; ++i) {
                auto r = rx.try_recv();
                ASSERT_TRUE(r.has_value()) << "message " << i;
                EXPECT_EQ(r.value().id(), i);
            }
            EXPECT_EQ(rx.len(), static_cast<std::size_t>(n - consumed));
            EXPECT_EQ(live(), n - consumed);
            if (sender_first) {
                tx.reset();
                EXPECT_EQ(live(), n - consumed) << "buffered messages must survive the sender's drop";
                if (consumed < n) {
                    auto r = rx.recv();
                    ASSERT_TRUE(r.has_value());
                    EXPECT_EQ(r.value().id(), consumed);
                }
                rx.reset();
            } else {
                rx.reset();
                EXPECT_EQ(live(), 0) << "unreceived messages must be destroyed at the receiver's drop";
                EXPECT_FALSE(tx.send(tracked(-5)).has_value());
                tx.reset();
            }
            EXPECT_EQ(live(), 0);
            EXPECT_EQ(tracked::constructions.load(), tracked::destructions.load());
            EXPECT_EQ(tracked::errors.load(), 0);
        }
    }
}

TEST_P(MpscDrop, BoundedRingWrappedSeveralLapsThenDropped) {
    if (!cfg().bounded()) GTEST_SKIP() << "needs a bounded ring buffer (capacity > 0)";
    const std::size_t cap = *cfg().capacity;
    for (std::size_t left = 0; left <= cap; ++left) {
        SCOPED_TRACE(testing::Message() << "left in the channel: " << left);
        auto [tx, rx] = make<tracked>(cfg());
        int next_send = 0;
        int next_recv = 0;
        // Wrap the ring several laps with the channel at various fill levels.
        for (std::size_t round = 0; round < 5 * cap + 3; ++round) {
            while (tx.try_send(tracked(next_send)).has_value()) ++next_send;
            const std::size_t take = 1 + round % cap;
            for (std::size_t j = 0; j < take; ++j) {
                auto r = rx.try_recv();
                ASSERT_TRUE(r.has_value());
                EXPECT_EQ(r.value().id(), next_recv++);
            }
        }
        while (rx.len() > left) {
            auto r = rx.try_recv();
            ASSERT_TRUE(r.has_value());
            EXPECT_EQ(r.value().id(), next_recv++);
        }
        while (rx.len() < left) ASSERT_TRUE(tx.try_send(tracked(next_send++)).has_value());
        EXPECT_EQ(live(), static_cast<long>(left));
        rx.reset();
        EXPECT_EQ(live(), 0);
    }
}

TEST_P(MpscDrop, IterationStoppedEarlyLeavesTheRestToTheDrop) {
    if (!cfg().buffered()) GTEST_SKIP() << "a rendezvous channel never holds a message without a receiver";
    auto [tx, rx] = make<tracked>(cfg());
    const int k = static_cast<int>(cfg().buffer_room(6));
    for (int i = 0; i < k; ++i) ASSERT_TRUE(tx.send(tracked(i)).has_value());
    for (auto& t : rx) {
        EXPECT_EQ(t.id(), 0);
        break;
    }
    EXPECT_EQ(live(), k - 1);
    rx.reset();
    EXPECT_EQ(live(), 0);
}

TEST_P(MpscDrop, ReceivedValueOutlivesTheChannel) {
    if (!cfg().buffered()) GTEST_SKIP() << "a rendezvous channel never holds a message without a receiver";
    std::vector<tracked> kept;
    {
        auto [tx, rx] = make<tracked>(cfg());
        ASSERT_TRUE(tx.send(tracked(42)).has_value());
        auto r = rx.recv();
        ASSERT_TRUE(r.has_value());
        kept.push_back(std::move(r).value());
    }
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0].id(), 42);
    kept.clear();
    EXPECT_EQ(live(), 0);
}

INSTANTIATE_TEST_SUITE_P(AllFlavors, MpscDrop, testing::ValuesIn(chancheck_test::all_configs()),
                         chancheck_test::config_name);

}  // namespace
