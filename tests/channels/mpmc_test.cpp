// tests/channels/mpmc_test.cpp — mpmc channels (copyable senders and receivers) on every
// configuration: unbounded, bounded 1 and 4, rendezvous, each lock-free and locked.
// Basics, disconnection from either side, drops counted with `tracked`, and many senders x
// many receivers with exactly-once delivery. Multi-threaded bodies run under the watchdog.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "chancheck/mpmc.hpp"
#include "kinds_support.hpp"

namespace {

using namespace std::chrono_literals;
using chancheck::recv_timeout_error;
using chancheck::send_timeout_status;
using chancheck::try_recv_error;
using chancheck::try_send_status;
using chancheck_test::make_mpmc;
using chancheck_test::run_with_watchdog;
using chancheck_test::kinds_scaled;
using chancheck_test::tracked;
using chancheck_test::tracked_checks;

class Mpmc : public chancheck_test::channel_test {
protected:
    void SetUp() override { tracked_checks::begin(); }
};

static_assert(std::is_copy_constructible_v<chancheck::mpmc::sender<int>>);
static_assert(std::is_copy_constructible_v<chancheck::mpmc::receiver<int>>);

TEST_P(Mpmc, Smoke) {
    run_with_watchdog([&] {
        auto [tx, rx] = make_mpmc<int>(cfg());
        if (cfg().buffered()) {
            ASSERT_TRUE(tx.send(7).has_value());
            auto r = rx.recv();
            ASSERT_TRUE(r.has_value());
            EXPECT_EQ(*r, 7);
        }
        // Across threads, through a cloned receiver and a cloned sender.
        auto rx2 = rx;
        std::thread producer([tx2 = tx]() mutable {
            for (int i = 0; i < 3; ++i) EXPECT_TRUE(tx2.send(100 + i).has_value());
        });
        for (int i = 0; i < 3; ++i) {
            auto r = (i % 2 == 0 ? rx : rx2).recv();
            ASSERT_TRUE(r.has_value());
            EXPECT_EQ(*r, 100 + i);
        }
        producer.join();
        EXPECT_TRUE(rx.same_channel(rx2));
        EXPECT_EQ(rx.try_recv().error(), try_recv_error::empty);
    });
}

TEST_P(Mpmc, CapacityAndLen) {
    auto [tx, rx] = make_mpmc<int>(cfg());
    auto rx2 = rx;
    auto tx2 = tx;
    EXPECT_EQ(tx.capacity(), cfg().capacity);
    EXPECT_EQ(rx.capacity(), cfg().capacity);
    EXPECT_EQ(rx2.capacity(), cfg().capacity);
    EXPECT_EQ(tx.len(), 0u);
    EXPECT_TRUE(rx.is_empty());

    const std::size_t room = cfg().buffer_room(6);
    for (std::size_t i = 0; i < room; ++i) {
        ASSERT_TRUE((i % 2 ? tx : tx2).try_send(static_cast<int>(i)).has_value());
        EXPECT_EQ(tx.len(), i + 1);
        EXPECT_EQ(rx2.len(), i + 1);
    }
    if (!cfg().unbounded()) {
        auto full = tx.try_send(-1);
        ASSERT_FALSE(full.has_value());
        EXPECT_TRUE(full.error().is_full());
        EXPECT_EQ(full.error().value, -1);
        auto timed = tx2.send_timeout(-2, 5ms);
        ASSERT_FALSE(timed.has_value());
        EXPECT_TRUE(timed.error().is_timeout());
        EXPECT_EQ(timed.error().value, -2);
    }
    for (std::size_t i = 0; i < room; ++i) {
        auto r = (i % 2 ? rx : rx2).try_recv();
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(*r, static_cast<int>(i));
        EXPECT_EQ(rx.len(), room - i - 1);
    }
    EXPECT_EQ(rx.len(), 0u);
}

TEST_P(Mpmc, TryRecvAndRecvTimeoutStates) {
    auto [tx, rx] = make_mpmc<int>(cfg());
    auto rx2 = rx;
    EXPECT_EQ(rx.try_recv().error(), try_recv_error::empty);
    const auto start = std::chrono::steady_clock::now();
    auto t = rx2.recv_timeout(20ms);
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error(), recv_timeout_error::timeout);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);

    if (cfg().buffered()) {
        ASSERT_TRUE(tx.send(5).has_value());
        auto r = rx2.recv_timeout(1s);
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(*r, 5);
        ASSERT_TRUE(tx.send(6).has_value());
    }
    auto tx2 = tx;
    tx.reset();
    EXPECT_FALSE(rx.is_disconnected()) << "one sender is left";
    tx2.reset();
    EXPECT_TRUE(rx.is_disconnected());
    if (cfg().buffered()) {
        auto r = rx.try_recv();
        ASSERT_TRUE(r.has_value()) << "a buffered message outlives the senders";
        EXPECT_EQ(*r, 6);
    }
    EXPECT_EQ(rx.try_recv().error(), try_recv_error::disconnected);
    EXPECT_EQ(rx2.recv_timeout(1s).error(), recv_timeout_error::disconnected);
    EXPECT_FALSE(rx.recv().has_value());
}

TEST_P(Mpmc, SendAfterDisconnectReturnsValue) {
    auto [tx, rx] = make_mpmc<tracked>(cfg());
    auto rx2 = rx;
    auto tx2 = tx;
    rx.reset();
    EXPECT_FALSE(tx.is_disconnected()) << "one receiver is left";
    rx2.reset();
    EXPECT_TRUE(tx.is_disconnected());
    EXPECT_TRUE(tx2.is_disconnected());

    auto s = tx.send(tracked(1));
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().value.id(), 1);
    auto ts = tx2.try_send(tracked(2));
    ASSERT_FALSE(ts.has_value());
    EXPECT_TRUE(ts.error().is_disconnected());
    EXPECT_EQ(ts.error().value.id(), 2);
    auto st = tx.send_timeout(tracked(3), 1s);
    ASSERT_FALSE(st.has_value());
    EXPECT_EQ(st.error().status, send_timeout_status::disconnected);
    EXPECT_EQ(st.error().value.id(), 3);
}

TEST_P(Mpmc, RecvAfterDisconnectDrainsThenErrors) {
    run_with_watchdog([&] {
        auto [tx, rx] = make_mpmc<int>(cfg());
        auto rx2 = rx;
        const int n = cfg().buffered() ? static_cast<int>(cfg().buffer_room(4)) : 0;
        for (int i = 0; i < n; ++i) ASSERT_TRUE(tx.send(i).has_value());
        tx.reset();
        for (int i = 0; i < n; ++i) {
            auto r = (i % 2 ? rx : rx2).recv();
            ASSERT_TRUE(r.has_value()) << "message " << i << " must be drained after disconnect";
            EXPECT_EQ(*r, i);
        }
        EXPECT_FALSE(rx.recv().has_value());
        EXPECT_FALSE(rx2.recv().has_value());
        EXPECT_EQ(rx.try_recv().error(), try_recv_error::disconnected);
    });
}

TEST_P(Mpmc, Iteration) {
    run_with_watchdog([&] {
        auto [tx, rx] = make_mpmc<int>(cfg());
        std::thread producer([tx = std::move(tx)]() mutable {
            for (int i = 0; i < 10; ++i) ASSERT_TRUE(tx.send(i).has_value());
        });
        std::vector<int> got;
        for (int v : rx) got.push_back(v);
        producer.join();
        ASSERT_EQ(got.size(), 10u);
        for (int i = 0; i < 10; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i)], i);
    });
}

TEST_P(Mpmc, DisconnectsForReceiversWhenEverySenderIsGone) {
    auto [tx, rx] = make_mpmc<int>(cfg());
    std::vector<chancheck::mpmc::sender<int>> senders(3, tx);
    tx.reset();
    for (std::size_t i = 0; i < senders.size(); ++i) {
        EXPECT_FALSE(rx.is_disconnected()) << senders.size() - i << " senders left";
        EXPECT_EQ(rx.try_recv().error(), try_recv_error::empty);
        senders[i].reset();
    }
    EXPECT_TRUE(rx.is_disconnected());
    EXPECT_EQ(rx.try_recv().error(), try_recv_error::disconnected);
}

TEST_P(Mpmc, DisconnectsForSendersWhenEveryReceiverIsGone) {
    auto [tx, rx] = make_mpmc<int>(cfg());
    std::vector<chancheck::mpmc::receiver<int>> receivers(3, rx);
    rx.reset();
    for (std::size_t i = 0; i < receivers.size(); ++i) {
        EXPECT_FALSE(tx.is_disconnected()) << receivers.size() - i << " receivers left";
        if (cfg().buffered()) {
            ASSERT_TRUE(tx.try_send(static_cast<int>(i)).has_value());
            auto r = receivers.back().try_recv();
            ASSERT_TRUE(r.has_value());
            EXPECT_EQ(*r, static_cast<int>(i));
        } else {
            EXPECT_TRUE(tx.try_send(0).error().is_full()) << "rendezvous with no receiver waiting";
        }
        receivers[i].reset();
    }
    EXPECT_TRUE(tx.is_disconnected());
    EXPECT_TRUE(tx.try_send(9).error().is_disconnected());
}

TEST_P(Mpmc, DisconnectWakesBlockedReceivers) {
    run_with_watchdog([&] {
        auto [tx, rx] = make_mpmc<int>(cfg());
        std::atomic<int> errors{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 3; ++i) {
            threads.emplace_back([rx = rx, &errors]() mutable {
                if (!rx.recv().has_value()) errors.fetch_add(1);
            });
        }
        auto tx2 = tx;
        tx.reset();
        tx2.reset();  // the last sender: every blocked receiver must wake with an error
        for (auto& t : threads) t.join();
        EXPECT_EQ(errors.load(), 3);
    });
}

TEST_P(Mpmc, DisconnectWakesBlockedSenders) {
    if (cfg().unbounded()) GTEST_SKIP() << "unbounded senders never block";
    run_with_watchdog([&] {
        auto [tx, rx] = make_mpmc<tracked>(cfg());
        auto rx2 = rx;
        const std::size_t room = cfg().buffer_room(8);
        for (std::size_t i = 0; i < room; ++i) ASSERT_TRUE(tx.try_send(tracked(static_cast<int>(i))).has_value());
        std::vector<int> returned(3, -1);
        std::vector<std::thread> threads;
        for (int i = 0; i < 3; ++i) {
            threads.emplace_back([tx = tx, i, &returned]() mutable {
                auto r = tx.send(tracked(100 + i));  // blocks: full, and nobody receives
                if (!r.has_value()) returned[static_cast<std::size_t>(i)] = r.error().value.id();
            });
        }
        rx.reset();
        rx2.reset();  // the last receiver: every blocked sender must wake with its value
        for (auto& t : threads) t.join();
        for (int i = 0; i < 3; ++i) EXPECT_EQ(returned[static_cast<std::size_t>(i)], 100 + i);
        tx.reset();
    });
    tracked_checks::expect_all_destroyed();
}

TEST_P(Mpmc, DropsDestroyEveryMessageExactlyOnce) {
    run_with_watchdog([&] {
        auto [tx, rx] = make_mpmc<tracked>(cfg());
        auto rx2 = rx;
        long expected_live = 0;
        if (cfg().buffered()) {
            const std::size_t room = cfg().buffer_room(5);
            for (std::size_t i = 0; i < room; ++i) ASSERT_TRUE(tx.send(tracked(static_cast<int>(i))).has_value());
            expected_live = static_cast<long>(room);
            EXPECT_EQ(tracked::live.load(), expected_live);
            {
                auto r = rx.try_recv();
                ASSERT_TRUE(r.has_value());
                EXPECT_EQ(r.value().id(), 0);
            }  // the received message is destroyed here
            --expected_live;
            EXPECT_EQ(tracked::live.load(), expected_live);
        } else {
            std::thread producer([tx = tx]() mutable { EXPECT_TRUE(tx.send(tracked(0)).has_value()); });
            {
                auto r = rx.recv();
                ASSERT_TRUE(r.has_value());
                EXPECT_EQ(r.value().id(), 0);
            }
            producer.join();
        }
        if (cfg().bounded()) {
            ASSERT_TRUE(tx.try_send(tracked(40)).has_value());  // full again
            ++expected_live;
            EXPECT_EQ(tracked::live.load(), expected_live);
        }
        if (!cfg().unbounded()) {
            auto full = tx.try_send(tracked(50));  // failed send: the value comes back
            ASSERT_FALSE(full.has_value());
            EXPECT_EQ(full.error().value.id(), 50);
        }
        EXPECT_EQ(tracked::live.load(), expected_live);
        rx.reset();
        EXPECT_EQ(tracked::live.load(), expected_live) << "a receiver is left: the messages stay";
        rx2.reset();
        EXPECT_EQ(tracked::live.load(), 0) << "the last receiver's drop destroys the unreceived messages";
        {
            auto s = tx.send(tracked(60));
            ASSERT_FALSE(s.has_value());
            EXPECT_EQ(s.error().value.id(), 60);
        }
        tx.reset();
    });
    tracked_checks::expect_all_destroyed();
}

TEST_P(Mpmc, UnreceivedMessagesDestroyedWhenSendersGoFirst) {
    {
        auto [tx, rx] = make_mpmc<tracked>(cfg());
        const std::size_t room = cfg().buffer_room(4);
        for (std::size_t i = 0; i < room; ++i) ASSERT_TRUE(tx.try_send(tracked(static_cast<int>(i))).has_value());
        tx.reset();
        EXPECT_EQ(tracked::live.load(), static_cast<long>(room)) << "receivers can still drain them";
        auto rx2 = rx;
        rx.reset();
        rx2.reset();
        EXPECT_EQ(tracked::live.load(), 0);
    }
    tracked_checks::expect_all_destroyed();
}

TEST_P(Mpmc, ManySendersManyReceiversExactlyOnce) {
    constexpr int senders = 4;
    constexpr int receivers = 4;
    const int per_sender = kinds_scaled(25000);
    run_with_watchdog([&] {
        auto [tx, rx] = make_mpmc<std::uint64_t>(cfg());
        std::vector<std::vector<std::uint64_t>> got(receivers);
        std::vector<std::thread> threads;
        for (int r = 0; r < receivers; ++r) {
            threads.emplace_back([rx = rx, &out = got[static_cast<std::size_t>(r)]]() mutable {
                for (;;) {
                    auto v = rx.recv();
                    if (!v.has_value()) return;
                    out.push_back(*v);
                }
            });
        }
        rx.reset();  // only the cloned receivers remain
        for (int p = 0; p < senders; ++p) {
            threads.emplace_back([tx = tx, p, count = per_sender]() mutable {
                for (int s = 0; s < count; ++s) {
                    const std::uint64_t v = (static_cast<std::uint64_t>(p) << 32) | static_cast<std::uint32_t>(s);
                    if (!tx.send(v).has_value()) {
                        ADD_FAILURE() << "sender " << p << ": send " << s << " failed";
                        return;
                    }
                }
            });
        }
        tx.reset();  // the receivers finish once every sending thread is done
        for (auto& t : threads) t.join();

        std::vector<std::vector<int>> seen(senders, std::vector<int>(static_cast<std::size_t>(per_sender), 0));
        std::size_t total = 0;
        int order_errors = 0;
        for (const auto& out : got) {
            total += out.size();
            std::vector<std::int64_t> last(senders, -1);
            for (std::uint64_t v : out) {
                const auto p = static_cast<std::size_t>(v >> 32);
                const auto s = static_cast<std::int64_t>(v & 0xffffffffu);
                ASSERT_LT(p, static_cast<std::size_t>(senders));
                ASSERT_LT(s, per_sender);
                ++seen[p][static_cast<std::size_t>(s)];
                // One receiver sees each sender's messages in the order they were sent.
                if (s <= last[p] && ++order_errors <= 5) {
                    ADD_FAILURE() << "sender " << p << ": " << s << " after " << last[p];
                }
                last[p] = s;
            }
        }
        EXPECT_EQ(total, static_cast<std::size_t>(senders) * static_cast<std::size_t>(per_sender));
        int bad = 0;
        for (int p = 0; p < senders; ++p) {
            for (int s = 0; s < per_sender; ++s) {
                const int c = seen[static_cast<std::size_t>(p)][static_cast<std::size_t>(s)];
                if (c != 1 && ++bad <= 5) {
                    ADD_FAILURE() << "message " << p << ":" << s << " received " << c << " times";
                }
            }
        }
        EXPECT_EQ(bad, 0);
    });
}

// Senders and receivers drop while messages are in flight: every tracked object, received,
// unreceived or handed back by a failed send, is destroyed exactly once.
TEST_P(Mpmc, ConcurrentDropsDestroyEveryMessageExactlyOnce) {
    const int rounds = kinds_scaled(20);
    const int per_receiver = 200;
    const int send_limit = 5000;
    for (int round = 0; round < rounds; ++round) {
        run_with_watchdog([&] {
            auto [tx, rx] = make_mpmc<tracked>(cfg());
            std::atomic<long> received{0};
            std::atomic<long> handed_back{0};
            std::vector<std::thread> threads;
            for (int r = 0; r < 2; ++r) {
                threads.emplace_back([rx = rx, &received, count = per_receiver]() mutable {
                    for (int i = 0; i < count; ++i) {
                        auto v = rx.recv();
                        if (!v.has_value()) {
                            ADD_FAILURE() << "senders are still there";
                            return;
                        }
                        received.fetch_add(1);
                    }
                });  // drops its receiver with messages possibly still queued
            }
            rx.reset();
            for (int p = 0; p < 2; ++p) {
                threads.emplace_back([tx = tx, p, &handed_back, limit = send_limit]() mutable {
                    for (int i = 0; i < limit; ++i) {
                        auto s = tx.send(tracked(p * limit + i));
                        if (!s.has_value()) {
                            EXPECT_EQ(s.error().value.id(), p * limit + i);
                            handed_back.fetch_add(1);
                            return;
                        }
                    }
                });
            }
            tx.reset();
            for (auto& t : threads) t.join();
            EXPECT_EQ(received.load(), 2 * per_receiver);
        });
        ASSERT_EQ(tracked::live.load(), 0) << "round " << round;
    }
    tracked_checks::expect_all_destroyed();
}

INSTANTIATE_TEST_SUITE_P(All, Mpmc, testing::ValuesIn(chancheck_test::all_configs()), chancheck_test::config_name);

}  // namespace
