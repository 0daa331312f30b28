// tests/channels/oneshot_test.cpp — oneshot channels on both flavors: delivery, the sender
// dropped unsent, the receiver dropped, timeouts, a second receive, and drops of both ends
// racing on two threads (every tracked value destroyed exactly once).
#include <gtest/gtest.h>

#include <barrier>
#include <chrono>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "chancheck/oneshot.hpp"
#include "kinds_support.hpp"

namespace {

using namespace std::chrono_literals;
using chancheck::recv_timeout_error;
using chancheck::try_recv_error;
using chancheck_test::flavor_case;
using chancheck_test::run_with_watchdog;
using chancheck_test::kinds_scaled;
using chancheck_test::tracked;
using chancheck_test::tracked_checks;

class Oneshot : public testing::TestWithParam<flavor_case> {
protected:
    void SetUp() override { tracked_checks::begin(); }
    chancheck::implementation fl() const { return GetParam().flavor; }
};

static_assert(!std::is_copy_constructible_v<chancheck::oneshot::sender<int>>);
static_assert(!std::is_copy_constructible_v<chancheck::oneshot::receiver<int>>);
static_assert(std::is_nothrow_move_constructible_v<chancheck::oneshot::sender<int>>);
static_assert(std::is_nothrow_move_constructible_v<chancheck::oneshot::receiver<int>>);

TEST_P(Oneshot, ValueDelivered) {
    auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
    EXPECT_TRUE(tx.valid());
    ASSERT_TRUE(tx.send(42).has_value());
    EXPECT_FALSE(tx.valid()) << "the sender is spent after one send";
    auto r = rx.recv();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 42);
}

TEST_P(Oneshot, SpentSenderHandsValuesBack) {
    auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
    ASSERT_TRUE(tx.send(1).has_value());
    auto again = tx.send(2);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().value, 2);
    auto r = rx.try_recv();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 1);
}

TEST_P(Oneshot, ValueDeliveredToBlockedReceiver) {
    run_with_watchdog([&] {
        auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
        int got = -1;
        std::thread receiver([rx = std::move(rx), &got]() mutable {
            auto r = rx.recv();
            ASSERT_TRUE(r.has_value());
            got = *r;
        });
        ASSERT_TRUE(tx.send(7).has_value());
        receiver.join();
        EXPECT_EQ(got, 7);
    });
}

TEST_P(Oneshot, TryRecvStates) {
    auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
    EXPECT_EQ(rx.try_recv().error(), try_recv_error::empty);
    ASSERT_TRUE(tx.send(3).has_value());
    auto r = rx.try_recv();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 3);
    EXPECT_EQ(rx.try_recv().error(), try_recv_error::disconnected);
}

TEST_P(Oneshot, SenderDroppedUnsentDisconnects) {
    auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
    tx.reset();
    EXPECT_FALSE(tx.valid());
    EXPECT_EQ(rx.try_recv().error(), try_recv_error::disconnected);
    EXPECT_EQ(rx.recv_timeout(1s).error(), recv_timeout_error::disconnected);
    EXPECT_FALSE(rx.recv().has_value());
}

TEST_P(Oneshot, SenderDroppedWakesBlockedReceiver) {
    run_with_watchdog([&] {
        auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
        bool disconnected = false;
        std::thread receiver([rx = std::move(rx), &disconnected]() mutable { disconnected = !rx.recv().has_value(); });
        tx.reset();
        receiver.join();
        EXPECT_TRUE(disconnected);
    });
}

TEST_P(Oneshot, SenderDestroyedByScopeWakesBlockedReceiverWithTimeout) {
    run_with_watchdog([&] {
        auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
        recv_timeout_error err = recv_timeout_error::timeout;
        std::thread receiver([rx = std::move(rx), &err]() mutable {
            auto r = rx.recv_timeout(std::chrono::hours(1));
            if (!r.has_value()) err = r.error();
        });
        { auto gone = std::move(tx); }
        receiver.join();
        EXPECT_EQ(err, recv_timeout_error::disconnected);
    });
}

TEST_P(Oneshot, ReceiverDroppedSendReturnsValue) {
    {
        auto [tx, rx] = chancheck::oneshot::channel<tracked>(fl());
        rx.reset();
        auto s = tx.send(tracked(5));
        ASSERT_FALSE(s.has_value());
        EXPECT_EQ(s.error().value.id(), 5);
        EXPECT_FALSE(tx.valid());
    }
    tracked_checks::expect_all_destroyed();
}

TEST_P(Oneshot, RecvTimeoutThenSendThenRecv) {
    auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
    const auto start = std::chrono::steady_clock::now();
    auto t = rx.recv_timeout(20ms);
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error(), recv_timeout_error::timeout);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
    ASSERT_TRUE(tx.send(9).has_value()) << "a timed-out receive leaves the channel usable";
    auto r = rx.recv();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 9);
}

TEST_P(Oneshot, RecvTimeoutRacingSend) {
    const int rounds = kinds_scaled(2000);
    run_with_watchdog([&] {
        for (int i = 0; i < rounds; ++i) {
            auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
            std::thread sender([tx = std::move(tx), i]() mutable { EXPECT_TRUE(tx.send(i).has_value()); });
            auto r = rx.recv_timeout(std::chrono::microseconds(i % 50));
            if (!r.has_value()) {
                ASSERT_EQ(r.error(), recv_timeout_error::timeout);
                sender.join();
                auto later = rx.recv();
                ASSERT_TRUE(later.has_value()) << "round " << i << ": the value sent after a timeout was lost";
                EXPECT_EQ(*later, i);
            } else {
                EXPECT_EQ(*r, i);
                sender.join();
            }
        }
    });
}

TEST_P(Oneshot, SecondRecvAfterTakingIsDisconnected) {
    auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
    ASSERT_TRUE(tx.send(1).has_value());
    ASSERT_TRUE(rx.recv().has_value());
    EXPECT_FALSE(rx.recv().has_value());
    EXPECT_EQ(rx.try_recv().error(), try_recv_error::disconnected);
    EXPECT_EQ(rx.recv_timeout(1s).error(), recv_timeout_error::disconnected);
}

TEST_P(Oneshot, MovedFromHandles) {
    auto [tx, rx] = chancheck::oneshot::channel<int>(fl());
    auto tx2 = std::move(tx);
    auto rx2 = std::move(rx);
    auto s = tx.send(1);  // NOLINT(bugprone-use-after-move): a moved-from sender hands values back
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().value, 1);
    EXPECT_EQ(rx.try_recv().error(), try_recv_error::disconnected);  // NOLINT(bugprone-use-after-move)
    ASSERT_TRUE(tx2.send(2).has_value());
    auto r = rx2.recv();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 2);
}

TEST_P(Oneshot, DropsDestroyEveryValueExactlyOnce) {
    {
        // Sent, never received: destroyed with the receiver.
        auto [tx, rx] = chancheck::oneshot::channel<tracked>(fl());
        ASSERT_TRUE(tx.send(tracked(1)).has_value());
        EXPECT_EQ(tracked::live.load(), 1);
        rx.reset();
        EXPECT_EQ(tracked::live.load(), 0);
    }
    {
        // Sent, receiver dropped after the sender: destroyed once, by whoever goes last.
        auto [tx, rx] = chancheck::oneshot::channel<tracked>(fl());
        ASSERT_TRUE(tx.send(tracked(2)).has_value());
        tx.reset();
        EXPECT_EQ(tracked::live.load(), 1);
    }
    {
        // Received: the receiver's copy is the only one.
        auto [tx, rx] = chancheck::oneshot::channel<tracked>(fl());
        ASSERT_TRUE(tx.send(tracked(3)).has_value());
        auto r = rx.recv();
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(r.value().id(), 3);
        EXPECT_EQ(tracked::live.load(), 1);
    }
    {
        // Sender dropped unsent: nothing to destroy.
        auto [tx, rx] = chancheck::oneshot::channel<tracked>(fl());
        tx.reset();
        EXPECT_FALSE(rx.recv().has_value());
    }
    tracked_checks::expect_all_destroyed();
}

// Both ends of many channels are dropped (after a send, a receive attempt, or nothing) at the
// same time from two threads: no leak, no double destroy, and a received value is the sent one.
TEST_P(Oneshot, ConcurrentDropsOfBothEnds) {
    const int rounds = kinds_scaled(20000);
    run_with_watchdog([&] {
        std::vector<chancheck::oneshot::sender<tracked>> senders;
        std::vector<chancheck::oneshot::receiver<tracked>> receivers;
        senders.reserve(static_cast<std::size_t>(rounds));
        receivers.reserve(static_cast<std::size_t>(rounds));
        for (int i = 0; i < rounds; ++i) {
            auto [tx, rx] = chancheck::oneshot::channel<tracked>(fl());
            senders.push_back(std::move(tx));
            receivers.push_back(std::move(rx));
        }
        std::barrier sync(2);
        std::thread sender_thread([&] {
            for (int i = 0; i < rounds; ++i) {
                auto& tx = senders[static_cast<std::size_t>(i)];
                sync.arrive_and_wait();
                switch (i % 4) {
                    case 0:
                        tx.reset();  // dropped unsent
                        break;
                    default: {
                        auto s = tx.send(tracked(i));
                        if (!s.has_value()) {
                            EXPECT_EQ(s.error().value.id(), i);
                        }
                        break;
                    }
                }
            }
        });
        for (int i = 0; i < rounds; ++i) {
            auto& rx = receivers[static_cast<std::size_t>(i)];
            sync.arrive_and_wait();
            switch (i % 4) {
                case 0:
                case 1:
                    rx.reset();  // dropped at once, racing the sender
                    break;
                case 2: {
                    auto r = rx.try_recv();
                    if (r.has_value()) {
                        EXPECT_EQ(r.value().id(), i);
                    }
                    rx.reset();
                    break;
                }
                case 3: {
                    auto r = rx.recv();  // the sender always sends in this case
                    if (r.has_value()) {
                        EXPECT_EQ(r.value().id(), i);
                    } else {
                        ADD_FAILURE() << "round " << i << ": value lost";
                    }
                    rx.reset();
                    break;
                }
            }
        }
        sender_thread.join();
    });
    tracked_checks::expect_all_destroyed();
}

INSTANTIATE_TEST_SUITE_P(All, Oneshot, testing::ValuesIn(chancheck_test::all_flavors()), chancheck_test::flavor_name);

}  // namespace
