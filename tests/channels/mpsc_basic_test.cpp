// tests/channels/mpsc_basic_test.cpp — single-threaded behaviour of mpsc channels, on every
// flavor and capacity. (Rendezvous channels need a partner thread for any successful
// transfer; those few cases start one, under the watchdog.)
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "chancheck/mpsc.hpp"
#include "flavor_cases.hpp"

namespace {

using namespace std::chrono_literals;
using chancheck_test::make;
using chancheck_test::run_with_watchdog;

class MpscBasic : public chancheck_test::channel_test {};

// A payload whose identity survives a round trip: the exact object comes back, not a copy.
std::unique_ptr<int> boxed(int v) { return std::make_unique<int>(v); }

// Sends `values` from a helper thread (for rendezvous channels, where a send completes only
// when a receiver takes the value) or from this thread (buffered channels with room).
template <class T>
void send_all(const chancheck_test::channel_config& cfg, chancheck_test::sender_t<T>& tx, std::vector<T> values,
              std::thread& helper) {
    if (cfg.rendezvous() || (cfg.bounded() && values.size() > *cfg.capacity)) {
        helper = std::thread([&tx, values = std::move(values)]() mutable {
            for (auto& v : values) EXPECT_TRUE(tx.send(std::move(v)).has_value());
            tx.reset();
        });
    } else {
        for (auto& v : values) EXPECT_TRUE(tx.send(std::move(v)).has_value());
        tx.reset();
    }
}

TEST_P(MpscBasic, SmokeSendRecv) {
    run_with_watchdog([&] {
        auto ch = make<int>(cfg());
        auto& tx = ch.first;
        auto& rx = ch.second;
        if (cfg().rendezvous()) {
            std::thread t([&] { EXPECT_TRUE(tx.send(42).has_value()); });
            auto r = rx.recv();
            t.join();
            ASSERT_TRUE(r.has_value());
            EXPECT_EQ(r.value(), 42);
        } else {
            ASSERT_TRUE(tx.send(42).has_value());
            auto r = rx.recv();
            ASSERT_TRUE(r.has_value());
            EXPECT_EQ(*r, 42);
        }
        EXPECT_TRUE(tx.valid());
        EXPECT_TRUE(rx.valid());
        EXPECT_FALSE(tx.is_disconnected());
        EXPECT_FALSE(rx.is_disconnected());
    });
}

TEST_P(MpscBasic, CapacityLenIsEmpty) {
    auto [tx, rx] = make<int>(cfg());
    EXPECT_EQ(tx.capacity(), cfg().capacity);
    EXPECT_EQ(rx.capacity(), cfg().capacity);
    EXPECT_EQ(rx.len(), 0u);
    EXPECT_EQ(tx.len(), 0u);
    EXPECT_TRUE(rx.is_empty());
    EXPECT_TRUE(tx.is_empty());

    const std::size_t n = cfg().buffer_room(3);
    for (std::size_t i = 0; i < n; ++i) {
        ASSERT_TRUE(tx.try_send(static_cast<int>(i)).has_value());
        EXPECT_EQ(rx.len(), i + 1);
        EXPECT_EQ(tx.len(), i + 1);
        EXPECT_FALSE(rx.is_empty());
    }
    if (cfg().rendezvous()) {
        EXPECT_FALSE(tx.try_send(1).has_value());  // no receiver waiting: nothing is ever buffered
        EXPECT_EQ(rx.len(), 0u);
        EXPECT_TRUE(rx.is_empty());
    }
    for (std::size_t i = n; i > 0; --i) {
        ASSERT_TRUE(rx.try_recv().has_value());
        EXPECT_EQ(rx.len(), i - 1);
    }
    EXPECT_TRUE(rx.is_empty());
    // Capacity does not change with disconnection.
    tx.reset();
    EXPECT_EQ(rx.capacity(), cfg().capacity);
    EXPECT_EQ(rx.len(), 0u);
}

TEST_P(MpscBasic, TryRecvEmptyThenValueThenDisconnected) {
    auto [tx, rx] = make<std::string>(cfg());
    auto r = rx.try_recv();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), chancheck::try_recv_error::empty);

    if (cfg().buffered()) {
        ASSERT_TRUE(tx.send("hello").has_value());
        auto v = rx.try_recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(v.value(), "hello");
        auto again = rx.try_recv();
        ASSERT_FALSE(again.has_value());
        EXPECT_EQ(again.error(), chancheck::try_recv_error::empty);
    }

    tx.reset();
    EXPECT_TRUE(rx.is_disconnected());
    auto d = rx.try_recv();
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error(), chancheck::try_recv_error::disconnected);
    // And it stays so.
    EXPECT_EQ(rx.try_recv().error(), chancheck::try_recv_error::disconnected);
}

TEST_P(MpscBasic, RecvTimeoutOnEmptyTimesOut) {
    auto [tx, rx] = make<int>(cfg());
    auto r = rx.recv_timeout(20ms);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), chancheck::recv_timeout_error::timeout);

    auto u = rx.recv_until(std::chrono::steady_clock::now() + 20ms);
    ASSERT_FALSE(u.has_value());
    EXPECT_EQ(u.error(), chancheck::recv_timeout_error::timeout);

    // Zero, negative and past deadlines: an immediate timeout, never a block.
    EXPECT_EQ(rx.recv_timeout(0ms).error(), chancheck::recv_timeout_error::timeout);
    EXPECT_EQ(rx.recv_timeout(-5ms).error(), chancheck::recv_timeout_error::timeout);
    EXPECT_EQ(rx.recv_until(std::chrono::steady_clock::now() - 1s).error(), chancheck::recv_timeout_error::timeout);

    if (cfg().buffered()) {
        ASSERT_TRUE(tx.send(5).has_value());
        auto v = rx.recv_timeout(20ms);
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(*v, 5);
    }

    tx.reset();
    auto d = rx.recv_timeout(10s);  // disconnected: returns at once, not after 10 s
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error(), chancheck::recv_timeout_error::disconnected);
}

TEST_P(MpscBasic, TrySendFullReturnsValueIntact) {
    auto [tx, rx] = make<std::unique_ptr<int>>(cfg());
    if (cfg().unbounded()) {
        // An unbounded channel is never full.
        for (int i = 0; i < 100; ++i) ASSERT_TRUE(tx.try_send(boxed(i)).has_value()) << "message " << i;
        EXPECT_EQ(rx.len(), 100u);
        return;
    }
    const std::size_t cap = *cfg().capacity;
    for (std::size_t i = 0; i < cap; ++i) ASSERT_TRUE(tx.try_send(boxed(static_cast<int>(i))).has_value());

    auto payload = boxed(777);
    int* const raw = payload.get();
    auto r = tx.try_send(std::move(payload));
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(r.error().is_full());
    EXPECT_FALSE(r.error().is_disconnected());
    EXPECT_EQ(r.error().status, chancheck::try_send_status::full);
    ASSERT_NE(r.error().value, nullptr);
    EXPECT_EQ(r.error().value.get(), raw) << "try_send(Full) must hand back the very same object";
    EXPECT_EQ(*r.error().value, 777);
    EXPECT_EQ(rx.len(), cap);

    // The buffered messages are untouched, in order.
    for (std::size_t i = 0; i < cap; ++i) {
        auto v = rx.try_recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(*v.value(), static_cast<int>(i));
    }
    // Room again (bounded); a rendezvous channel stays "full" without a waiting receiver.
    auto again = tx.try_send(std::move(r.error().value));
    if (cfg().bounded()) {
        EXPECT_TRUE(again.has_value());
    } else {
        ASSERT_FALSE(again.has_value());
        EXPECT_TRUE(again.error().is_full());
        EXPECT_EQ(again.error().value.get(), raw);
    }
}

TEST_P(MpscBasic, SendTimeoutOnFullReturnsValueIntact) {
    auto [tx, rx] = make<std::unique_ptr<int>>(cfg());
    if (cfg().unbounded()) {
        ASSERT_TRUE(tx.send_timeout(boxed(1), 20ms).has_value());  // never blocks
        ASSERT_TRUE(tx.send_until(boxed(2), std::chrono::steady_clock::now() - 1s).has_value());
        EXPECT_EQ(rx.len(), 2u);
        return;
    }
    for (std::size_t i = 0; i < *cfg().capacity; ++i) ASSERT_TRUE(tx.try_send(boxed(0)).has_value());

    auto payload = boxed(5);
    int* const raw = payload.get();
    auto r = tx.send_timeout(std::move(payload), 20ms);
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(r.error().is_timeout());
    EXPECT_EQ(r.error().status, chancheck::send_timeout_status::timeout);
    EXPECT_EQ(r.error().value.get(), raw);

    auto u = tx.send_until(std::move(r.error().value), std::chrono::steady_clock::now() + 20ms);
    ASSERT_FALSE(u.has_value());
    EXPECT_TRUE(u.error().is_timeout());
    EXPECT_EQ(u.error().value.get(), raw);

    auto z = tx.send_timeout(std::move(u.error().value), 0ms);
    ASSERT_FALSE(z.has_value());
    EXPECT_TRUE(z.error().is_timeout());
    EXPECT_EQ(z.error().value.get(), raw);
    EXPECT_EQ(rx.len(), *cfg().capacity);
}

TEST_P(MpscBasic, SendAfterReceiverDroppedIsDisconnectedWithValue) {
    auto [tx, rx] = make<std::unique_ptr<int>>(cfg());
    rx.reset();
    EXPECT_FALSE(rx.valid());
    EXPECT_TRUE(tx.is_disconnected());

    auto p1 = boxed(1);
    int* raw1 = p1.get();
    auto s = tx.send(std::move(p1));
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().value.get(), raw1);

    auto p2 = boxed(2);
    int* raw2 = p2.get();
    auto t = tx.try_send(std::move(p2));
    ASSERT_FALSE(t.has_value());
    EXPECT_TRUE(t.error().is_disconnected());
    EXPECT_EQ(t.error().value.get(), raw2);

    auto p3 = boxed(3);
    int* raw3 = p3.get();
    auto st = tx.send_timeout(std::move(p3), 10s);  // disconnected: at once, not after 10 s
    ASSERT_FALSE(st.has_value());
    EXPECT_TRUE(st.error().is_disconnected());
    EXPECT_EQ(st.error().value.get(), raw3);

    auto p4 = boxed(4);
    int* raw4 = p4.get();
    auto su = tx.send_until(std::move(p4), std::chrono::steady_clock::now() + 10s);
    ASSERT_FALSE(su.has_value());
    EXPECT_TRUE(su.error().is_disconnected());
    EXPECT_EQ(su.error().value.get(), raw4);
}

TEST_P(MpscBasic, SendAfterReceiverDroppedWithBufferedMessages) {
    if (!cfg().buffered()) GTEST_SKIP() << "a rendezvous channel buffers nothing";
    auto [tx, rx] = make<std::string>(cfg());
    const std::size_t n = cfg().buffer_room(3);
    for (std::size_t i = 0; i < n; ++i) ASSERT_TRUE(tx.send("m" + std::to_string(i)).has_value());
    rx.reset();
    auto r = tx.send("after");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().value, "after");
    auto t = tx.try_send("after2");  // disconnected wins over full
    ASSERT_FALSE(t.has_value());
    EXPECT_TRUE(t.error().is_disconnected());
    EXPECT_EQ(t.error().value, "after2");
    EXPECT_EQ(tx.len(), 0u) << "the receiver's drop discards unreceived messages";
}

TEST_P(MpscBasic, RecvDrainsFifoAfterSenderGoneThenErrors) {
    if (!cfg().buffered()) GTEST_SKIP() << "a rendezvous channel buffers nothing";
    auto [tx, rx] = make<std::string>(cfg());
    const std::size_t n = cfg().buffer_room(10);
    for (std::size_t i = 0; i < n; ++i) ASSERT_TRUE(tx.send("msg-" + std::to_string(i)).has_value());
    tx.reset();
    EXPECT_TRUE(rx.is_disconnected());
    EXPECT_EQ(rx.len(), n);
    // Every kind of receive drains the buffered messages, in FIFO order, before any error.
    for (std::size_t i = 0; i < n; ++i) {
        const std::string want = "msg-" + std::to_string(i);
        switch (i % 3) {
            case 0: {
                auto r = rx.recv();
                ASSERT_TRUE(r.has_value()) << "message " << i;
                EXPECT_EQ(r.value(), want);
                break;
            }
            case 1: {
                auto r = rx.try_recv();
                ASSERT_TRUE(r.has_value()) << "message " << i;
                EXPECT_EQ(r.value(), want);
                break;
            }
            default: {
                auto r = rx.recv_timeout(10s);
                ASSERT_TRUE(r.has_value()) << "message " << i;
                EXPECT_EQ(r.value(), want);
                break;
            }
        }
    }
    EXPECT_EQ(rx.len(), 0u);
    EXPECT_FALSE(rx.recv().has_value());
    EXPECT_EQ(rx.try_recv().error(), chancheck::try_recv_error::disconnected);
    EXPECT_EQ(rx.recv_timeout(10s).error(), chancheck::recv_timeout_error::disconnected);
    EXPECT_EQ(rx.recv_until(std::chrono::steady_clock::now() + 10s).error(),
              chancheck::recv_timeout_error::disconnected);
}

TEST_P(MpscBasic, IterationEndsAfterDisconnectAndDrain) {
    run_with_watchdog([&] {
        auto ch = make<int>(cfg());
        auto& tx = ch.first;
        auto& rx = ch.second;
        std::vector<int> sent;
        const int n = cfg().bounded() ? static_cast<int>(*cfg().capacity) : 20;
        for (int i = 0; i < n; ++i) sent.push_back(i * 7);
        std::thread helper;
        send_all<int>(cfg(), tx, sent, helper);  // drops tx after the last send
        std::vector<int> got;
        for (int v : rx) got.push_back(v);
        if (helper.joinable()) helper.join();
        EXPECT_EQ(got, sent);
        // The iteration ended because the channel is disconnected and drained.
        EXPECT_EQ(rx.try_recv().error(), chancheck::try_recv_error::disconnected);
        // A new iteration ends at once.
        int more = 0;
        for (int v : rx) {
            (void)v;
            ++more;
        }
        EXPECT_EQ(more, 0);
    });
}

TEST_P(MpscBasic, IterationWithMoreMessagesThanCapacity) {
    // The producer thread blocks whenever a bounded channel is full; iteration keeps up.
    run_with_watchdog([&] {
        auto ch = make<std::string>(cfg());
        auto& tx = ch.first;
        auto& rx = ch.second;
        std::vector<std::string> sent;
        for (int i = 0; i < 50; ++i) sent.push_back(std::to_string(i));
        std::thread helper([&tx, sent] {
            for (const auto& s : sent) EXPECT_TRUE(tx.send(s).has_value());
            tx.reset();
        });
        std::vector<std::string> got;
        for (auto& s : rx) got.push_back(std::move(s));
        helper.join();
        EXPECT_EQ(got, sent);
    });
}

TEST_P(MpscBasic, MovedFromSenderIsConnectedToNothing) {
    auto [tx, rx] = make<std::unique_ptr<int>>(cfg());
    chancheck_test::sender_t<std::unique_ptr<int>> tx2(std::move(tx));
    EXPECT_FALSE(tx.valid());
    EXPECT_TRUE(tx2.valid());
    EXPECT_TRUE(tx.is_disconnected());
    EXPECT_EQ(tx.capacity(), std::nullopt);
    EXPECT_EQ(tx.len(), 0u);
    EXPECT_FALSE(tx.same_channel(tx2));

    auto p = boxed(1);
    int* raw = p.get();
    auto s = tx.send(std::move(p));
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().value.get(), raw);

    auto t = tx.try_send(std::move(s.error().value));
    ASSERT_FALSE(t.has_value());
    EXPECT_TRUE(t.error().is_disconnected());
    EXPECT_EQ(t.error().value.get(), raw);

    auto st = tx.send_timeout(std::move(t.error().value), 10s);
    ASSERT_FALSE(st.has_value());
    EXPECT_TRUE(st.error().is_disconnected());
    EXPECT_EQ(st.error().value.get(), raw);

    auto su = tx.send_until(std::move(st.error().value), std::chrono::steady_clock::now() + 10s);
    ASSERT_FALSE(su.has_value());
    EXPECT_TRUE(su.error().is_disconnected());
    EXPECT_EQ(su.error().value.get(), raw);

    // A copy of a moved-from sender is connected to nothing too.
    auto copy = tx;
    EXPECT_FALSE(copy.valid());
    EXPECT_FALSE(copy.try_send(boxed(2)).has_value());
    tx.reset();  // resetting a moved-from handle is a no-op

    // The move kept the channel connected: the receiver is not disconnected.
    EXPECT_FALSE(rx.is_disconnected());
    EXPECT_EQ(rx.try_recv().error(), chancheck::try_recv_error::empty);
    if (cfg().buffered()) {
        ASSERT_TRUE(tx2.send(boxed(9)).has_value());
        auto v = rx.try_recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(*v.value(), 9);
    }

    // Assigning a live sender revives the moved-from handle.
    tx = tx2;
    EXPECT_TRUE(tx.valid());
    EXPECT_TRUE(tx.same_channel(tx2));
    tx2.reset();
    EXPECT_FALSE(rx.is_disconnected()) << "the assigned copy keeps the channel connected";
    tx.reset();
    EXPECT_TRUE(rx.is_disconnected());
}

TEST_P(MpscBasic, MovedFromReceiverIsConnectedToNothing) {
    auto [tx, rx] = make<std::string>(cfg());
    const bool buffered = cfg().buffered();
    if (buffered) {
        ASSERT_TRUE(tx.send("kept").has_value());
    }

    chancheck_test::receiver_t<std::string> rx2(std::move(rx));
    EXPECT_FALSE(rx.valid());
    EXPECT_TRUE(rx2.valid());
    EXPECT_TRUE(rx.is_disconnected());
    EXPECT_EQ(rx.capacity(), std::nullopt);
    EXPECT_EQ(rx.len(), 0u);
    EXPECT_TRUE(rx.is_empty());

    EXPECT_FALSE(rx.recv().has_value());
    EXPECT_EQ(rx.try_recv().error(), chancheck::try_recv_error::disconnected);
    EXPECT_EQ(rx.recv_timeout(10s).error(), chancheck::recv_timeout_error::disconnected);
    EXPECT_EQ(rx.recv_until(std::chrono::steady_clock::now() + 10s).error(),
              chancheck::recv_timeout_error::disconnected);
    int iterations = 0;
    for (const auto& s : rx) {
        (void)s;
        ++iterations;
    }
    EXPECT_EQ(iterations, 0);
    rx.reset();  // no-op

    // The channel is still connected through rx2 and the message is still there.
    EXPECT_FALSE(tx.is_disconnected());
    if (buffered) {
        auto v = rx2.try_recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(v.value(), "kept");
    }

    // Move-assignment back.
    rx = std::move(rx2);
    EXPECT_TRUE(rx.valid());
    EXPECT_FALSE(rx2.valid());
    EXPECT_FALSE(tx.is_disconnected());
    if (buffered) {
        ASSERT_TRUE(tx.send("again").has_value());
        auto v = rx.try_recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(v.value(), "again");
    }

    // Move-assigning over a live receiver drops the old one (its channel disconnects).
    auto [tx_b, rx_b] = make<std::string>(cfg());
    rx = std::move(rx_b);
    EXPECT_TRUE(tx.is_disconnected());
    auto r = tx.send("lost?");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().value, "lost?");
    EXPECT_FALSE(tx_b.is_disconnected());
}

TEST_P(MpscBasic, SenderCopiesKeepChannelConnectedUntilLastIsGone) {
    auto [tx, rx] = make<int>(cfg());
    auto tx2 = tx;  // copy construction
    chancheck_test::sender_t<int> tx3;
    EXPECT_FALSE(tx3.valid());
    tx3 = tx2;  // copy assignment
    EXPECT_TRUE(tx.same_channel(tx2));
    EXPECT_TRUE(tx2.same_channel(tx3));
    const bool buffered = cfg().buffered();

    if (buffered) {
        ASSERT_TRUE(tx.send(1).has_value());
    }
    tx.reset();
    EXPECT_FALSE(tx.valid());
    EXPECT_FALSE(rx.is_disconnected());
    if (buffered) {
        auto v = rx.try_recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(*v, 1);
        ASSERT_TRUE(tx2.send(2).has_value());
    }
    tx2.reset();
    EXPECT_FALSE(rx.is_disconnected());
    EXPECT_FALSE(tx3.is_disconnected());
    if (buffered) {
        auto v = rx.try_recv();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(*v, 2);
    }
    // Still connected through tx3: an empty channel reports Empty / Timeout, not Disconnected.
    EXPECT_EQ(rx.try_recv().error(), chancheck::try_recv_error::empty);
    EXPECT_EQ(rx.recv_timeout(1ms).error(), chancheck::recv_timeout_error::timeout);

    tx3.reset();  // the last copy
    EXPECT_TRUE(rx.is_disconnected());
    EXPECT_EQ(rx.try_recv().error(), chancheck::try_recv_error::disconnected);
    EXPECT_FALSE(rx.recv().has_value());
}

TEST_P(MpscBasic, NarrowDurationTypesStillTimeOut) {
    // A timeout given in a duration type with a narrow representation (int milliseconds)
    // must still be a 20 ms timeout, not "no timeout at all". (Not returning within 1 s,
    // 50 times the timeout, counts as "never"; the blocked call is then released by
    // dropping the other end.)
    using int_ms = std::chrono::duration<int, std::milli>;
    auto ch = make<int>(cfg());
    auto& tx = ch.first;
    auto& rx = ch.second;

    chancheck::result<int, chancheck::recv_timeout_error> r{chancheck::success, 0};
    chancheck_test::finishes_within(
        std::chrono::milliseconds(1000), "recv_timeout(duration<int, milli>(20)) on an empty channel",
        [&] { r = rx.recv_timeout(int_ms(20)); }, [&] { tx.reset(); });
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), chancheck::recv_timeout_error::timeout);

    if (cfg().unbounded()) return;  // an unbounded send never waits
    auto ch2 = make<int>(cfg());
    auto& tx2 = ch2.first;
    auto& rx2 = ch2.second;
    for (std::size_t i = 0; i < *cfg().capacity; ++i) ASSERT_TRUE(tx2.try_send(0).has_value());
    chancheck::result<void, chancheck::send_timeout_error<int>> s{chancheck::success};
    chancheck_test::finishes_within(
        std::chrono::milliseconds(1000), "send_timeout(v, duration<int, milli>(20)) on a full channel",
        [&] { s = tx2.send_timeout(7, int_ms(20)); }, [&] { rx2.reset(); });
    ASSERT_FALSE(s.has_value());
    EXPECT_TRUE(s.error().is_timeout());
    EXPECT_EQ(s.error().value, 7);
}

INSTANTIATE_TEST_SUITE_P(AllFlavors, MpscBasic, testing::ValuesIn(chancheck_test::all_configs()),
                         chancheck_test::config_name);

// ---------------------------------------------------------------------------------------
// Flavor-independent API details.

TEST(MpscApi, CapacityErrorNamesTheCapacity) {
    for (auto f : {chancheck::implementation::lock_free, chancheck::implementation::locked}) {
        for (std::size_t cap : {SIZE_MAX, SIZE_MAX / 2, SIZE_MAX / 2 + 1}) {
            SCOPED_TRACE(testing::Message() << "flavor " << static_cast<int>(f) << ", capacity " << cap);
            try {
                auto ch = chancheck::mpsc::sync_channel<int>(cap, f);
                ADD_FAILURE() << "sync_channel(" << cap << ") did not throw";
            } catch (const chancheck::capacity_error& e) {
                EXPECT_EQ(e.capacity(), cap);
                const std::string what = e.what();
                EXPECT_NE(what.find(std::to_string(cap)), std::string::npos) << what;
                EXPECT_NE(what.find("sync_channel"), std::string::npos) << what;
            }
            // It is a std::length_error too.
            EXPECT_THROW((void)chancheck::mpsc::sync_channel<std::string>(cap, f), std::length_error);
        }
    }
}

TEST(MpscApi, ReasonableCapacitiesDoNotThrow) {
    for (auto f : {chancheck::implementation::lock_free, chancheck::implementation::locked}) {
        EXPECT_NO_THROW({
            auto ch = chancheck::mpsc::sync_channel<int>(1000, f);
            EXPECT_EQ(ch.first.capacity(), std::optional<std::size_t>(1000));
        });
        EXPECT_NO_THROW({
            auto ch = chancheck::mpsc::channel<int>(f);
            EXPECT_EQ(ch.second.capacity(), std::nullopt);
        });
    }
}

TEST(MpscApi, ResultAccessOnTheWrongSideThrows) {
    auto [tx, rx] = chancheck::mpsc::channel<int>();
    auto empty = rx.try_recv();
    ASSERT_FALSE(empty.has_value());
    EXPECT_FALSE(static_cast<bool>(empty));
    EXPECT_THROW((void)empty.value(), chancheck::bad_result_access);
    EXPECT_THROW((void)*empty, chancheck::bad_result_access);
    EXPECT_THROW((void)std::move(empty).value(), chancheck::bad_result_access);
    const auto& cempty = empty;
    EXPECT_THROW((void)cempty.value(), chancheck::bad_result_access);
    EXPECT_NO_THROW((void)empty.error());

    auto ok = tx.send(3);
    ASSERT_TRUE(ok.has_value());
    EXPECT_THROW((void)ok.error(), chancheck::bad_result_access);

    auto got = rx.recv();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got.value(), 3);
    EXPECT_THROW((void)got.error(), chancheck::bad_result_access);

    auto timed_out = rx.recv_timeout(1ms);
    EXPECT_THROW((void)timed_out.value(), chancheck::bad_result_access);

    tx.reset();
    auto disc = rx.recv();
    EXPECT_THROW((void)disc.value(), chancheck::bad_result_access);
    EXPECT_EQ(disc.error(), chancheck::recv_error{});
    // bad_result_access is a std::logic_error.
    EXPECT_THROW((void)disc.value(), std::logic_error);
}

TEST(MpscApi, ErrorNames) {
    EXPECT_STREQ(chancheck::to_string(chancheck::try_send_status::full), "full");
    EXPECT_STREQ(chancheck::to_string(chancheck::try_send_status::disconnected), "disconnected");
    EXPECT_STREQ(chancheck::to_string(chancheck::send_timeout_status::timeout), "timeout");
    EXPECT_STREQ(chancheck::to_string(chancheck::try_recv_error::empty), "empty");
    EXPECT_STREQ(chancheck::to_string(chancheck::recv_timeout_error::disconnected), "disconnected");
    EXPECT_STREQ(chancheck::to_string(chancheck::recv_error{}), "disconnected");
}

TEST(MpscApi, DefaultConstructedHandlesAreConnectedToNothing) {
    chancheck::mpsc::sender<int> tx;
    chancheck::mpsc::receiver<int> rx;
    EXPECT_FALSE(tx.valid());
    EXPECT_FALSE(rx.valid());
    auto s = tx.send(5);
    ASSERT_FALSE(s.has_value());
    EXPECT_EQ(s.error().value, 5);
    EXPECT_FALSE(rx.recv().has_value());
    EXPECT_EQ(rx.try_recv().error(), chancheck::try_recv_error::disconnected);
}

}  // namespace
