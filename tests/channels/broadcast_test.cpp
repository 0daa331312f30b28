// tests/channels/broadcast_test.cpp — broadcast channels (tokio semantics) on both flavors:
// basics, Lagged(n) accounting (single-threaded and with a deliberately slow receiver),
// Closed after drain, subscribe/resubscribe positions, and drops counted with `tracked`.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "chancheck/broadcast.hpp"
#include "kinds_support.hpp"

namespace {

using namespace std::chrono_literals;
using chancheck::broadcast::recv_status;
using chancheck_test::flavor_case;
using chancheck_test::run_with_watchdog;
using chancheck_test::kinds_scaled;
using chancheck_test::tracked;
using chancheck_test::tracked_checks;

class Broadcast : public testing::TestWithParam<flavor_case> {
protected:
    void SetUp() override { tracked_checks::begin(); }
    chancheck::implementation fl() const { return GetParam().flavor; }
};

static_assert(std::is_copy_constructible_v<chancheck::broadcast::sender<int>>);
static_assert(!std::is_copy_constructible_v<chancheck::broadcast::receiver<int>>);
static_assert(std::is_move_constructible_v<chancheck::broadcast::receiver<int>>);

// Expects `r` to be an error with `status` (and `skipped` for lagged).
template <class R>
void expect_status(const R& r, recv_status status, std::uint64_t skipped = 0) {
    ASSERT_FALSE(r.has_value()) << "got a value, expected " << chancheck::broadcast::to_string(status);
    EXPECT_EQ(r.error().status, status) << "got " << chancheck::broadcast::to_string(r.error().status) << ", expected "
                                        << chancheck::broadcast::to_string(status);
    if (status == recv_status::lagged) {
        EXPECT_EQ(r.error().skipped, skipped);
    }
}

TEST_P(Broadcast, Smoke) {
    auto [tx, rx] = chancheck::broadcast::channel<int>(4, fl());
    auto rx2 = tx.subscribe();
    EXPECT_EQ(tx.receiver_count(), 2u);
    auto n = tx.send(7);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(*n, 2u) << "two receivers will see it";
    auto a = rx.recv();
    auto b = rx2.try_recv();
    ASSERT_TRUE(a.has_value());
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(*a, 7);
    EXPECT_EQ(*b, 7);
    expect_status(rx.try_recv(), recv_status::empty);
}

TEST_P(Broadcast, SmokeAcrossThreads) {
    run_with_watchdog([&] {
        auto [tx, rx] = chancheck::broadcast::channel<int>(16, fl());
        auto rx2 = tx.subscribe();
        std::vector<std::thread> readers;
        for (auto* r : {&rx, &rx2}) {
            readers.emplace_back([r] {
                for (int i = 0; i < 10; ++i) {
                    auto v = r->recv();
                    ASSERT_TRUE(v.has_value());
                    EXPECT_EQ(*v, i);
                }
                expect_status(r->recv(), recv_status::closed);
            });
        }
        std::thread writer([tx = std::move(tx)]() mutable {
            for (int i = 0; i < 10; ++i) EXPECT_TRUE(tx.send(i).has_value());
        });
        writer.join();
        for (auto& t : readers) t.join();
    });
}

TEST_P(Broadcast, ZeroCapacityThrows) {
    EXPECT_THROW((void)chancheck::broadcast::channel<int>(0, fl()), std::invalid_argument);
}

TEST_P(Broadcast, CapacityAndLen) {
    auto [tx, rx] = chancheck::broadcast::channel<int>(3, fl());
    EXPECT_EQ(rx.capacity(), 3u);
    EXPECT_EQ(rx.len(), 0u);
    for (int i = 0; i < 2; ++i) ASSERT_TRUE(tx.send(i).has_value());
    EXPECT_EQ(rx.len(), 2u);
    auto late = tx.subscribe();
    EXPECT_EQ(late.len(), 0u);
    for (int i = 2; i < 5; ++i) ASSERT_TRUE(tx.send(i).has_value());
    EXPECT_EQ(rx.len(), 5u) << "lagged messages count as unseen";
    EXPECT_EQ(late.len(), 3u);
    expect_status(rx.try_recv(), recv_status::lagged, 2);
    EXPECT_EQ(rx.len(), 3u);
    ASSERT_TRUE(rx.try_recv().has_value());
    EXPECT_EQ(rx.len(), 2u);
}

TEST_P(Broadcast, TryRecvAndRecvTimeoutStates) {
    auto [tx, rx] = chancheck::broadcast::channel<int>(2, fl());
    expect_status(rx.try_recv(), recv_status::empty);
    const auto start = std::chrono::steady_clock::now();
    expect_status(rx.recv_timeout(20ms), recv_status::timeout);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
    ASSERT_TRUE(tx.send(1).has_value());
    auto r = rx.recv_timeout(1s);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 1);
    tx.reset();
    expect_status(rx.try_recv(), recv_status::closed);
    expect_status(rx.recv_timeout(1s), recv_status::closed);
    expect_status(rx.recv(), recv_status::closed);
}

TEST_P(Broadcast, SendWithNoReceiversReturnsValue) {
    {
        auto [tx, rx] = chancheck::broadcast::channel<tracked>(2, fl());
        rx.reset();
        EXPECT_EQ(tx.receiver_count(), 0u);
        auto s = tx.send(tracked(42));
        ASSERT_FALSE(s.has_value());
        EXPECT_EQ(s.error().value.id(), 42);
        // A new subscriber makes sends succeed again.
        auto rx2 = tx.subscribe();
        auto ok = tx.send(tracked(43));
        ASSERT_TRUE(ok.has_value());
        EXPECT_EQ(*ok, 1u);
        auto got = rx2.try_recv();
        ASSERT_TRUE(got.has_value());
        EXPECT_EQ(got.value().id(), 43);
    }
    tracked_checks::expect_all_destroyed();
}

TEST_P(Broadcast, ClosedAfterAllSendersGoneAndDrained) {
    auto [tx, rx] = chancheck::broadcast::channel<int>(4, fl());
    auto rx2 = tx.subscribe();
    auto tx2 = tx;
    for (int i = 0; i < 4; ++i) ASSERT_TRUE((i % 2 ? tx : tx2).send(i).has_value());
    tx.reset();
    auto first = rx.try_recv();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first, 0);
    tx2.reset();  // every sender gone: the rest drains, then Closed
    for (int i = 1; i < 4; ++i) {
        auto r = rx.recv();
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(*r, i);
    }
    expect_status(rx.recv(), recv_status::closed);
    for (int i = 0; i < 4; ++i) {
        auto r = rx2.try_recv();
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(*r, i);
    }
    expect_status(rx2.try_recv(), recv_status::closed);
}

TEST_P(Broadcast, CloseWakesBlockedReceivers) {
    run_with_watchdog([&] {
        auto [tx, rx] = chancheck::broadcast::channel<int>(2, fl());
        std::vector<chancheck::broadcast::receiver<int>> receivers;
        receivers.push_back(std::move(rx));
        receivers.push_back(tx.subscribe());
        receivers.push_back(tx.subscribe());
        std::atomic<int> closed{0};
        std::vector<std::thread> threads;
        for (auto& r : receivers) {
            threads.emplace_back([&r, &closed] {
                auto v = r.recv();
                if (!v.has_value() && v.error().is_closed()) closed.fetch_add(1);
            });
        }
        auto tx2 = tx;
        tx.reset();
        tx2.reset();  // the last sender: every blocked receiver wakes with Closed
        for (auto& t : threads) t.join();
        EXPECT_EQ(closed.load(), 3);
    });
}

TEST_P(Broadcast, LagDeterministic) {
    auto [tx, rx] = chancheck::broadcast::channel<int>(2, fl());
    for (int i = 0; i < 5; ++i) {
        auto n = tx.send(i);
        ASSERT_TRUE(n.has_value());
        EXPECT_EQ(*n, 1u);
    }
    expect_status(rx.try_recv(), recv_status::lagged, 3);
    auto a = rx.try_recv();
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(*a, 3);
    auto b = rx.recv();
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(*b, 4);
    expect_status(rx.try_recv(), recv_status::empty);
}

TEST_P(Broadcast, LagThroughBlockingRecv) {
    auto [tx, rx] = chancheck::broadcast::channel<int>(1, fl());
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(tx.send(i).has_value());
    expect_status(rx.recv(), recv_status::lagged, 3);
    auto r = rx.recv_timeout(1s);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 3);
    tx.reset();
    expect_status(rx.recv(), recv_status::closed);
}

TEST_P(Broadcast, SubscribeSeesOnlyLaterMessages) {
    auto [tx, rx] = chancheck::broadcast::channel<int>(8, fl());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(tx.send(i).has_value());
    auto late = tx.subscribe();
    expect_status(late.try_recv(), recv_status::empty);
    ASSERT_TRUE(tx.send(3).has_value());
    auto r = late.try_recv();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 3);
    expect_status(late.try_recv(), recv_status::empty);
    // The original receiver still sees everything.
    for (int i = 0; i < 4; ++i) {
        auto v = rx.try_recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(*v, i);
    }
}

TEST_P(Broadcast, ResubscribeStartsAtNewest) {
    auto [tx, rx] = chancheck::broadcast::channel<int>(8, fl());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(tx.send(i).has_value());
    auto again = rx.resubscribe();
    EXPECT_EQ(tx.receiver_count(), 2u);
    expect_status(again.try_recv(), recv_status::empty);
    ASSERT_TRUE(tx.send(3).has_value());
    auto r = again.try_recv();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 3);
    auto first = rx.try_recv();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first, 0);
}

TEST_P(Broadcast, MovedFromReceiverIsClosed) {
    auto [tx, rx] = chancheck::broadcast::channel<int>(2, fl());
    auto moved = std::move(rx);
    ASSERT_TRUE(tx.send(1).has_value());
    expect_status(rx.try_recv(), recv_status::closed);  // NOLINT(bugprone-use-after-move)
    auto r = moved.try_recv();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 1);
}

TEST_P(Broadcast, DropsDestroyEveryMessageExactlyOnce) {
    {
        auto [tx, rx] = chancheck::broadcast::channel<tracked>(2, fl());
        auto rx2 = tx.subscribe();
        for (int i = 0; i < 6; ++i) ASSERT_TRUE(tx.send(tracked(i)).has_value());
        EXPECT_EQ(tracked::live.load(), 2) << "overwritten messages are destroyed; the ring keeps 2";
        expect_status(rx.try_recv(), recv_status::lagged, 4);
        {
            auto r = rx.try_recv();
            ASSERT_TRUE(r.has_value());
            EXPECT_EQ(r.value().id(), 4);
            EXPECT_EQ(tracked::live.load(), 3) << "the receiver got its own copy";
        }
        EXPECT_EQ(tracked::live.load(), 2);
        rx.reset();
        rx2.reset();
        auto s = tx.send(tracked(99));
        ASSERT_FALSE(s.has_value());
        EXPECT_EQ(s.error().value.id(), 99);
    }
    tracked_checks::expect_all_destroyed();
}

TEST_P(Broadcast, ChannelDestroyedByLastHandleWhicheverSide) {
    {
        auto [tx, rx] = chancheck::broadcast::channel<tracked>(4, fl());
        ASSERT_TRUE(tx.send(tracked(1)).has_value());
        tx.reset();
        EXPECT_EQ(tracked::live.load(), 1) << "the receiver can still read it";
        rx.reset();
        EXPECT_EQ(tracked::live.load(), 0);
    }
    {
        auto [tx, rx] = chancheck::broadcast::channel<tracked>(4, fl());
        ASSERT_TRUE(tx.send(tracked(2)).has_value());
        rx.reset();
        EXPECT_EQ(tracked::live.load(), 1);
        tx.reset();
        EXPECT_EQ(tracked::live.load(), 0);
    }
    tracked_checks::expect_all_destroyed();
}

// Receivers subscribe and drop while senders send tracked values from several threads.
TEST_P(Broadcast, ConcurrentDropsDestroyEveryMessageExactlyOnce) {
    const int rounds = kinds_scaled(20);
    for (int round = 0; round < rounds; ++round) {
        run_with_watchdog([&] {
            auto [tx, rx] = chancheck::broadcast::channel<tracked>(4, fl());
            std::vector<std::thread> threads;
            for (int r = 0; r < 2; ++r) {
                threads.emplace_back([rx = tx.subscribe(), r]() mutable {
                    for (int i = 0; i < 50 * (r + 1); ++i) {
                        auto v = rx.recv();
                        if (!v.has_value() && v.error().is_closed()) return;
                    }
                });
            }
            for (int p = 0; p < 2; ++p) {
                threads.emplace_back([tx = tx, p]() mutable {
                    for (int i = 0; i < 300; ++i) {
                        auto s = tx.send(tracked(p * 1000 + i));
                        if (!s.has_value()) {
                            EXPECT_EQ(s.error().value.id(), p * 1000 + i);
                        }
                    }
                });
            }
            tx.reset();
            rx.reset();
            for (auto& t : threads) t.join();
        });
        ASSERT_EQ(tracked::live.load(), 0) << "round " << round;
    }
    tracked_checks::expect_all_destroyed();
}

INSTANTIATE_TEST_SUITE_P(All, Broadcast, testing::ValuesIn(chancheck_test::all_flavors()), chancheck_test::flavor_name);

// ---------------------------------------------------------------------------------------
// Accounting under load: for every receiver, received + sum of Lagged(n) == sent, and the
// messages arrive in increasing order, with one deliberately slow receiver.

struct accounting_case {
    std::size_t capacity;
    flavor_case flavor;
};

std::string accounting_name(const testing::TestParamInfo<accounting_case>& info) {
    return "capacity" + std::to_string(info.param.capacity) + "_" + info.param.flavor.name;
}

std::vector<accounting_case> accounting_cases() {
    std::vector<accounting_case> out;
    for (std::size_t cap : {1u, 2u, 16u})
        for (const auto& f : chancheck_test::all_flavors()) out.push_back({cap, f});
    return out;
}

std::ostream& operator<<(std::ostream& os, const accounting_case& c) {
    return os << "capacity " << c.capacity << ", " << c.flavor.name;
}

class BroadcastAccounting : public testing::TestWithParam<accounting_case> {};

struct receiver_stats {
    std::uint64_t received = 0;
    std::uint64_t lagged = 0;  // sum of Lagged(n)
    std::uint64_t lag_events = 0;
    int order_errors = 0;
    bool closed = false;
};

using accounting_receiver = chancheck::broadcast::receiver<std::uint64_t>;
constexpr int accounting_receivers = 3;  // receiver 0 is the slow one

// `rx0` and receivers subscribed from `tx`, accounting_receivers in all.
std::vector<accounting_receiver> subscribed(chancheck::broadcast::sender<std::uint64_t>& tx, accounting_receiver rx0) {
    std::vector<accounting_receiver> rxs;
    rxs.push_back(std::move(rx0));
    for (int i = 1; i < accounting_receivers; ++i) rxs.push_back(tx.subscribe());
    return rxs;
}

// Each receiver on a thread of its own, receiving until Closed with its own copy of
// `tracker`: a message goes to tracker.message(value, stats) (false: stop, the value was
// corrupt) and is counted, and the slow receiver then works a while; a Lagged(n) goes to
// tracker.lagged(n) and is counted. Any other error is a failure.
template <class Tracker>
std::vector<std::thread> start_receivers(std::vector<accounting_receiver>& rxs, std::vector<receiver_stats>& stats,
                                         const Tracker& tracker) {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < rxs.size(); ++i) {
        threads.emplace_back([&rx = rxs[i], &st = stats[i], slow = i == 0, t = tracker]() mutable {
            for (;;) {
                auto r = rx.recv();
                if (r.has_value()) {
                    if (!t.message(*r, st)) return;
                    ++st.received;
                    if (slow) (void)chancheck_test::busy_work(2);
                } else if (r.error().is_lagged()) {
                    t.lagged(r.error().skipped);
                    st.lagged += r.error().skipped;
                    ++st.lag_events;
                } else if (r.error().is_closed()) {
                    st.closed = true;
                    return;
                } else {
                    ADD_FAILURE() << "recv() returned " << chancheck::broadcast::to_string(r.error().status);
                    return;
                }
            }
        });
    }
    return threads;
}

// After the senders are gone: every receiver was closed, saw its messages in order, and
// received + lagged == `sent`.
void expect_accounted(std::vector<std::thread>& threads, const std::vector<receiver_stats>& stats, std::uint64_t sent) {
    for (auto& t : threads) t.join();
    for (std::size_t i = 0; i < stats.size(); ++i) {
        const auto& st = stats[i];
        EXPECT_TRUE(st.closed) << "receiver " << i;
        EXPECT_EQ(st.order_errors, 0) << "receiver " << i;
        EXPECT_EQ(st.received + st.lagged, sent)
            << "receiver " << i << ": received " << st.received << " + lagged " << st.lagged;
    }
}

// One sender sending 0, 1, 2, ...: the value is its position, so after a Lagged(n) the next
// value must be exactly the expected one plus n.
struct exact_positions {
    std::uint64_t expected = 0;
    bool message(std::uint64_t v, receiver_stats& st) {
        if (v != expected && ++st.order_errors <= 5) ADD_FAILURE() << "got " << v << ", expected " << expected;
        expected = v + 1;
        return true;
    }
    void lagged(std::uint64_t skipped) {
        if (skipped == 0) ADD_FAILURE() << "Lagged(0)";
        expected += skipped;
    }
};

TEST_P(BroadcastAccounting, SingleSenderExactPositions) {
    const std::uint64_t sent = static_cast<std::uint64_t>(kinds_scaled(20000));
    run_with_watchdog([&] {
        auto [tx, rx0] = chancheck::broadcast::channel<std::uint64_t>(GetParam().capacity, GetParam().flavor.flavor);
        auto rxs = subscribed(tx, std::move(rx0));
        std::vector<receiver_stats> stats(accounting_receivers);
        auto threads = start_receivers(rxs, stats, exact_positions{});
        for (std::uint64_t v = 0; v < sent; ++v) {
            auto n = tx.send(v);
            ASSERT_TRUE(n.has_value());
            EXPECT_EQ(*n, static_cast<std::size_t>(accounting_receivers));
        }
        tx.reset();
        expect_accounted(threads, stats, sent);
        for (std::size_t i = 0; i < stats.size(); ++i)
            EXPECT_GE(stats[i].received, 1u) << "receiver " << i << " must see at least the newest message";
        RecordProperty("slow_receiver_lag_events", std::to_string(stats[0].lag_events));
    });
}

// Two senders, each sending (sender << 32) | 0, 1, 2, ...: per-sender increasing order.
struct per_sender_order {
    std::int64_t last[2] = {-1, -1};
    bool message(std::uint64_t v, receiver_stats& st) {
        const auto p = static_cast<std::size_t>(v >> 32);
        const auto s = static_cast<std::int64_t>(v & 0xffffffffu);
        if (p > 1) {
            ADD_FAILURE() << "corrupt value " << v;
            return false;
        }
        if (s <= last[p] && ++st.order_errors <= 5) ADD_FAILURE() << "sender " << p << ": " << s << " after " << last[p];
        last[p] = s;
        return true;
    }
    void lagged(std::uint64_t) {}
};

TEST_P(BroadcastAccounting, TwoSendersPerSenderOrder) {
    const std::uint64_t per_sender = static_cast<std::uint64_t>(kinds_scaled(10000));
    run_with_watchdog([&] {
        auto [tx, rx0] = chancheck::broadcast::channel<std::uint64_t>(GetParam().capacity, GetParam().flavor.flavor);
        auto rxs = subscribed(tx, std::move(rx0));
        std::vector<receiver_stats> stats(accounting_receivers);
        auto threads = start_receivers(rxs, stats, per_sender_order{});
        std::vector<std::thread> senders;
        for (std::uint64_t p = 0; p < 2; ++p) {
            senders.emplace_back([tx = tx, p, count = per_sender]() mutable {
                for (std::uint64_t s = 0; s < count; ++s) EXPECT_TRUE(tx.send((p << 32) | s).has_value());
            });
        }
        tx.reset();
        for (auto& t : senders) t.join();
        expect_accounted(threads, stats, 2 * per_sender);
    });
}

INSTANTIATE_TEST_SUITE_P(All, BroadcastAccounting, testing::ValuesIn(accounting_cases()), accounting_name);

}  // namespace
