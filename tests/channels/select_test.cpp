// tests/channels/select_test.cpp — chancheck::select over mpmc (and mpsc) channels of every
// configuration: readiness (messages, room, disconnection), timeouts, fairness, that an arm
// not chosen never loses a message, send arms, a rendezvous select exchanging values between
// two threads, completion with the wrong handle, and drops counted with `tracked`.
// The locked rendezvous cannot take part in select: every test checks that it is rejected.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "chancheck/mpmc.hpp"
#include "chancheck/mpsc.hpp"
#include "chancheck/select.hpp"
#include "kinds_support.hpp"

namespace {

using namespace std::chrono_literals;
using chancheck_test::channel_config;
using chancheck_test::flavor_case;
using chancheck_test::locked_rendezvous;
using chancheck_test::make_mpmc;
using chancheck_test::run_with_watchdog;
using chancheck_test::kinds_scaled;
using chancheck_test::tracked;
using chancheck_test::tracked_checks;

// For the locked rendezvous: checks that select rejects both its arms and returns true.
bool rejected_by_select(const channel_config& c) {
    if (!locked_rendezvous(c)) return false;
    auto [tx, rx] = make_mpmc<int>(c);
    chancheck::select sel;
    EXPECT_THROW((void)sel.recv(rx), std::logic_error);
    EXPECT_THROW((void)sel.send(tx), std::logic_error);
    return true;
}

// Every Select test starts with this: the locked rendezvous only checks the rejection.
#define RETURN_IF_REJECTED()                  \
    do {                                      \
        if (rejected_by_select(cfg())) return; \
    } while (0)

class Select : public chancheck_test::channel_test {
protected:
    void SetUp() override { tracked_checks::begin(); }

    // The test's body under the watchdog; the locked rendezvous only checks the rejection.
    template <class Body>
    void run_unless_rejected(Body body) {
        if (!rejected_by_select(cfg())) run_with_watchdog(body);
    }
};

TEST_P(Select, LockedRendezvousIsRejected) {
    if (locked_rendezvous(cfg())) {
        EXPECT_TRUE(rejected_by_select(cfg()));
        auto [tx, rx] = chancheck::mpsc::sync_channel<int>(0, chancheck::implementation::locked);
        chancheck::select sel;
        EXPECT_THROW((void)sel.recv(rx), std::logic_error);
        EXPECT_THROW((void)sel.send(tx), std::logic_error);
        return;
    }
    auto [tx, rx] = make_mpmc<int>(cfg());
    chancheck::select sel;
    EXPECT_EQ(sel.recv(rx), 0u);
    EXPECT_EQ(sel.send(tx), 1u);
}

TEST_P(Select, Smoke) {
    run_unless_rejected([&] {
        auto [tx1, rx1] = make_mpmc<int>(cfg());
        auto [tx2, rx2] = make_mpmc<int>(cfg());
        chancheck::select sel;
        const auto a = sel.recv(rx1);
        const auto b = sel.recv(rx2);
        // Blocks until the message arrives (on a rendezvous: until the sender meets it).
        std::thread sender([tx = tx2]() mutable { EXPECT_TRUE(tx.send(5).has_value()); });
        auto op = sel.select();
        EXPECT_NE(a, b);
        ASSERT_EQ(op.index(), b);
        auto r = op.recv(rx2);
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(*r, 5);
        sender.join();
        EXPECT_EQ(rx1.try_recv().error(), chancheck::try_recv_error::empty);
    });
}

TEST_P(Select, TrySelectAndSelectTimeoutOnEmptyReturnNullopt) {
    RETURN_IF_REJECTED();
    auto [tx1, rx1] = make_mpmc<int>(cfg());
    auto [tx2, rx2] = make_mpmc<int>(cfg());
    chancheck::select sel;
    (void)sel.recv(rx1);
    (void)sel.recv(rx2);
    EXPECT_FALSE(sel.try_select().has_value());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(sel.select_timeout(20ms).has_value());
    EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
    EXPECT_FALSE(sel.select_timeout(0ms).has_value());

    // Send arms on full channels (no room; on a rendezvous, no receiver) are not ready either.
    if (!cfg().unbounded()) {
        for (std::size_t i = 0; i < cfg().buffer_room(8); ++i) ASSERT_TRUE(tx1.try_send(1).has_value());
        chancheck::select full;
        (void)full.send(tx1);
        EXPECT_FALSE(full.try_select().has_value());
        EXPECT_FALSE(full.select_timeout(10ms).has_value());
    }
}

TEST_P(Select, EmptySelect) {
    chancheck::select sel;
    EXPECT_FALSE(sel.try_select().has_value());
    EXPECT_FALSE(sel.select_timeout(1ms).has_value());
    EXPECT_THROW((void)sel.select(), std::logic_error);
}

TEST_P(Select, DisconnectedChannelIsReady) {
    RETURN_IF_REJECTED();
    auto [tx1, rx1] = make_mpmc<tracked>(cfg());
    auto [tx2, rx2] = make_mpmc<tracked>(cfg());
    const bool buffered = cfg().buffered();
    if (buffered) {
        ASSERT_TRUE(tx2.send(tracked(1)).has_value());
    }
    tx2.reset();  // channel 2: disconnected for receivers (a buffered message still drains first)
    {
        chancheck::select sel;
        const auto a = sel.recv(rx1);
        const auto b = sel.recv(rx2);
        if (buffered) {
            auto op = sel.try_select();
            ASSERT_TRUE(op.has_value());
            ASSERT_EQ(op->index(), b);
            auto r = op->recv(rx2);
            ASSERT_TRUE(r.has_value()) << "the buffered message comes before the disconnection";
            EXPECT_EQ(r.value().id(), 1);
        }
        for (int i = 0; i < 20; ++i) {  // from whichever arm select starts at
            auto op = i % 2 ? sel.select() : *sel.try_select();
            ASSERT_EQ(op.index(), b);
            EXPECT_NE(op.index(), a);
            EXPECT_FALSE(op.recv(rx2).has_value());
        }
    }
    // A send arm whose receivers are gone is ready too; the value comes back.
    auto [tx3, rx3] = make_mpmc<tracked>(cfg());
    rx3.reset();
    {
        chancheck::select sel;
        (void)sel.recv(rx1);
        const auto c = sel.send(tx3);
        auto op = sel.select_timeout(10s);
        ASSERT_TRUE(op.has_value());
        ASSERT_EQ(op->index(), c);
        auto s = op->send(tx3, tracked(3));
        ASSERT_FALSE(s.has_value());
        EXPECT_EQ(s.error().value.id(), 3);
    }
    tx1.reset();
    rx1.reset();
    tracked_checks::expect_all_destroyed();
}

TEST_P(Select, DisconnectWakesBlockedSelect) {
    run_unless_rejected([&] {
        auto ch1 = make_mpmc<int>(cfg());
        auto ch2 = make_mpmc<int>(cfg());
        auto& rx1 = ch1.second;
        auto& rx2 = ch2.second;
        std::optional<std::size_t> chosen;
        bool got_error = false;
        std::size_t b = 0;
        std::thread selector([&] {
            chancheck::select sel;
            (void)sel.recv(rx1);
            b = sel.recv(rx2);
            auto op = sel.select();
            chosen = op.index();
            got_error = !(op.index() == b ? op.recv(rx2) : op.recv(rx1)).has_value();
        });
        ch2.first.reset();  // the only sender of channel 2
        selector.join();
        ASSERT_TRUE(chosen.has_value());
        EXPECT_EQ(*chosen, b);
        EXPECT_TRUE(got_error);
    });
}

TEST_P(Select, DisconnectWakesBlockedSendSelect) {
    RETURN_IF_REJECTED();
    if (cfg().unbounded()) GTEST_SKIP() << "an unbounded send arm is always ready";
    run_with_watchdog([&] {
        auto ch = make_mpmc<tracked>(cfg());
        auto& tx = ch.first;
        for (std::size_t i = 0; i < cfg().buffer_room(8); ++i) ASSERT_TRUE(tx.try_send(tracked(0)).has_value());
        int returned = -1;
        std::thread selector([&] {
            chancheck::select sel;
            (void)sel.send(tx);
            auto op = sel.select();
            auto s = op.send(tx, tracked(7));
            if (!s.has_value()) returned = s.error().value.id();
        });
        ch.second.reset();  // the only receiver
        selector.join();
        EXPECT_EQ(returned, 7);
    });
    tracked_checks::expect_all_destroyed();
}

// A full bounded channel's send arm becomes ready when a receiver takes a message; on a
// rendezvous, when a receiver arrives.
TEST_P(Select, SendArmReadyWhenReceiverTakes) {
    run_unless_rejected([&] {
        auto [tx, rx] = make_mpmc<int>(cfg());
        auto [other_tx, other_rx] = make_mpmc<int>(cfg());
        chancheck::select sel;
        (void)sel.recv(other_rx);  // never ready
        const auto s = sel.send(tx);
        if (cfg().unbounded()) {
            auto op = sel.try_select();
            ASSERT_TRUE(op.has_value());
            ASSERT_EQ(op->index(), s);
            ASSERT_TRUE(op->send(tx, 999).has_value());
            EXPECT_EQ(*rx.try_recv(), 999);
            return;
        }
        const auto room = static_cast<int>(cfg().buffer_room(8));
        for (int i = 0; i < room; ++i) ASSERT_TRUE(tx.try_send(i).has_value());
        EXPECT_FALSE(sel.try_select().has_value()) << "full: the send arm is not ready";
        std::optional<int> taken;
        std::thread receiver([rx = rx, &taken]() mutable {
            auto r = rx.recv();
            if (r.has_value()) taken = *r;
        });
        auto op = sel.select();
        ASSERT_EQ(op.index(), s);
        ASSERT_TRUE(op.send(tx, 999).has_value());
        receiver.join();
        std::vector<int> all;
        ASSERT_TRUE(taken.has_value());
        all.push_back(*taken);
        while (auto r = rx.try_recv()) all.push_back(*r);
        std::vector<int> expected;
        for (int i = 0; i < room; ++i) expected.push_back(i);
        expected.push_back(999);
        EXPECT_EQ(all, expected) << "every message exactly once, in order";
    });
}

TEST_P(Select, CompletingWithTheWrongHandleThrows) {
    run_unless_rejected([&] {
        auto [tx1, rx1] = make_mpmc<int>(cfg());
        auto [tx2, rx2] = make_mpmc<int>(cfg());
        auto rx1_copy = rx1;  // the same channel, but not the handle given to select
        std::thread sender([tx = tx1]() mutable { EXPECT_TRUE(tx.send(11).has_value()); });
        chancheck::select sel;
        const auto a = sel.recv(rx1);
        (void)sel.recv(rx2);
        auto op = sel.select();
        ASSERT_EQ(op.index(), a);
        EXPECT_THROW((void)op.recv(rx2), std::logic_error);
        EXPECT_THROW((void)op.recv(rx1_copy), std::logic_error);
        EXPECT_THROW((void)op.send(tx1, 5), std::logic_error);
        auto r = op.recv(rx1);
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(*r, 11);
        EXPECT_THROW((void)op.recv(rx1), std::logic_error) << "completed already";
        sender.join();
    });
}

// Selects a ready (disconnected) arm and drops the operation without completing it.
void drop_uncompleted_operation(const channel_config& c) {
    auto ch = make_mpmc<int>(c);
    ch.first.reset();  // ready: disconnected
    chancheck::select sel;
    (void)sel.recv(ch.second);
    auto op = sel.select();
    (void)op;
}

TEST_P(Select, UncompletedOperationAborts) {
    RETURN_IF_REJECTED();
    EXPECT_DEATH(drop_uncompleted_operation(cfg()), "never completed");
}

// Select over channels of both kinds: mpsc receivers and mpmc receivers in one select.
TEST_P(Select, MpscAndMpmcArmsExactlyOnce) {
    RETURN_IF_REJECTED();
    const int n = kinds_scaled(5000);
    run_with_watchdog([&] {
        auto [mtx, mrx] = make_mpmc<int>(cfg());
        auto [stx, srx] = chancheck_test::make<int>(cfg());
        std::thread p1([tx = std::move(mtx), count = n]() mutable {
            for (int i = 0; i < count; ++i) ASSERT_TRUE(tx.send(i).has_value());
        });
        std::thread p2([tx = std::move(stx), count = n]() mutable {
            for (int i = 0; i < count; ++i) ASSERT_TRUE(tx.send(count + i).has_value());
        });
        std::vector<int> got_m, got_s;
        bool m_done = false, s_done = false;
        while (!m_done || !s_done) {
            chancheck::select sel;
            std::optional<std::size_t> am, as;
            if (!m_done) am = sel.recv(mrx);
            if (!s_done) as = sel.recv(srx);
            auto op = sel.select();
            if (am && op.index() == *am) {
                auto r = op.recv(mrx);
                if (r.has_value()) got_m.push_back(*r); else m_done = true;
            } else {
                auto r = op.recv(srx);
                if (r.has_value()) got_s.push_back(*r); else s_done = true;
            }
        }
        p1.join();
        p2.join();
        ASSERT_EQ(got_m.size(), static_cast<std::size_t>(n));
        ASSERT_EQ(got_s.size(), static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            EXPECT_EQ(got_m[static_cast<std::size_t>(i)], i);
            EXPECT_EQ(got_s[static_cast<std::size_t>(i)], n + i);
        }
    });
}

// Two producers, two consumers each selecting over both channels: every message is received
// exactly once, and each consumer sees each producer's messages in order.
TEST_P(Select, ConcurrentSelectsExactlyOnce) {
    RETURN_IF_REJECTED();
    const int n = kinds_scaled(20000);
    run_with_watchdog([&] {
        auto [tx1, rx1] = make_mpmc<std::uint64_t>(cfg());
        auto [tx2, rx2] = make_mpmc<std::uint64_t>(cfg());
        std::vector<std::vector<std::uint64_t>> got(2);
        std::vector<std::thread> threads;
        for (int c = 0; c < 2; ++c) {
            threads.emplace_back([r1 = rx1, r2 = rx2, &out = got[static_cast<std::size_t>(c)]]() mutable {
                bool done1 = false, done2 = false;
                while (!done1 || !done2) {
                    chancheck::select sel;
                    std::optional<std::size_t> a1;
                    if (!done1) a1 = sel.recv(r1);
                    if (!done2) (void)sel.recv(r2);
                    auto op = sel.select();
                    const bool first = a1 && op.index() == *a1;
                    auto r = first ? op.recv(r1) : op.recv(r2);
                    if (r.has_value()) out.push_back(*r); else (first ? done1 : done2) = true;
                }
            });
        }
        rx1.reset();
        rx2.reset();
        for (std::uint64_t p = 0; p < 2; ++p) {
            threads.emplace_back([tx = p == 0 ? std::move(tx1) : std::move(tx2), p, count = n]() mutable {
                for (int i = 0; i < count; ++i) ASSERT_TRUE(tx.send((p << 32) | static_cast<std::uint32_t>(i)).has_value());
            });
        }
        for (auto& t : threads) t.join();
        std::vector<std::vector<int>> seen(2, std::vector<int>(static_cast<std::size_t>(n), 0));
        for (const auto& out : got) {
            std::int64_t last[2] = {-1, -1};
            for (std::uint64_t v : out) {
                const auto p = static_cast<std::size_t>(v >> 32);
                const auto i = static_cast<std::int64_t>(v & 0xffffffffu);
                ASSERT_LT(p, 2u);
                ASSERT_LT(i, n);
                ++seen[p][static_cast<std::size_t>(i)];
                EXPECT_GT(i, last[p]) << "producer " << p << " out of order";
                last[p] = i;
            }
        }
        int bad = 0;
        for (const auto& s : seen)
            for (int c : s)
                if (c != 1) ++bad;
        EXPECT_EQ(bad, 0) << "messages not received exactly once";
    });
}

// A relay: one thread selects {recv(in), send(out)} with a local buffer, so both kinds of
// arm are exercised under load; every message comes out exactly once, in order.
TEST_P(Select, RelayWithSendAndRecvArms) {
    RETURN_IF_REJECTED();
    const int n = kinds_scaled(10000);
    run_with_watchdog([&] {
        auto [in_tx, in_rx] = make_mpmc<int>(cfg());
        auto [out_tx, out_rx] = make_mpmc<int>(cfg());
        std::thread producer([tx = std::move(in_tx), count = n]() mutable {
            for (int i = 0; i < count; ++i) ASSERT_TRUE(tx.send(i).has_value());
        });
        std::thread relay([in = std::move(in_rx), out = std::move(out_tx)]() mutable {
            std::vector<int> pending;  // received, not yet forwarded (FIFO)
            std::size_t head = 0;
            bool in_done = false;
            while (!in_done || head < pending.size()) {
                chancheck::select sel;
                std::optional<std::size_t> r, s;
                if (!in_done && pending.size() - head < 8) r = sel.recv(in);
                if (head < pending.size()) s = sel.send(out);
                auto op = sel.select();
                if (r && op.index() == *r) {
                    auto v = op.recv(in);
                    if (v.has_value()) pending.push_back(*v); else in_done = true;
                } else {
                    ASSERT_TRUE(op.send(out, pending[head]).has_value());
                    ++head;
                }
            }
        });
        std::vector<int> got;
        for (int v : out_rx) got.push_back(v);
        producer.join();
        relay.join();
        ASSERT_EQ(got.size(), static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) ASSERT_EQ(got[static_cast<std::size_t>(i)], i);
    });
}

TEST_P(Select, DropsDestroyEveryMessageExactlyOnce) {
    run_unless_rejected([&] {
        auto [tx1, rx1] = make_mpmc<tracked>(cfg());
        auto [tx2, rx2] = make_mpmc<tracked>(cfg());
        // A send through select, taken by a receiver thread (needed on a rendezvous).
        std::thread receiver([rx = rx1]() mutable {
            auto r = rx.recv();
            ASSERT_TRUE(r.has_value());
            EXPECT_EQ(r.value().id(), 1);
        });
        {
            chancheck::select sel;
            (void)sel.send(tx1);
            auto op = sel.select();
            ASSERT_TRUE(op.send(tx1, tracked(1)).has_value());
        }
        receiver.join();
        // Unreceived messages left in a channel, then selects that time out or find nothing.
        for (std::size_t i = 0; i < cfg().buffer_room(3); ++i) ASSERT_TRUE(tx2.try_send(tracked(10)).has_value());
        {
            chancheck::select sel;
            (void)sel.recv(rx1);
            (void)sel.send(tx1);  // not ready unless unbounded / room left
            if (!cfg().buffered()) {
                EXPECT_FALSE(sel.select_timeout(2ms).has_value());
            }
        }
        // Receivers gone: a select send hands its value back.
        rx2.reset();
        {
            chancheck::select sel;
            (void)sel.send(tx2);
            auto op = sel.select();
            auto s = op.send(tx2, tracked(20));
            ASSERT_FALSE(s.has_value());
            EXPECT_EQ(s.error().value.id(), 20);
        }
        tx1.reset();
        tx2.reset();
        rx1.reset();
    });
    tracked_checks::expect_all_destroyed();
}

// Four arms, only three ready (arm 0 stays empty): the empty arm never wins, and each ready
// arm still wins at least half its share of the ready arms.
TEST_P(Select, FairAmongReadyArmsWhenOneIsEmpty) {
    RETURN_IF_REJECTED();
    if (cfg().rendezvous()) GTEST_SKIP() << "covered by SelectFairness (needs sender threads)";
    constexpr int arms = 4;
    const int selects = 10000;
    std::vector<chancheck::mpmc::sender<int>> txs;
    std::vector<chancheck::mpmc::receiver<int>> rxs;
    for (int i = 0; i < arms; ++i) {
        auto ch = make_mpmc<int>(cfg());
        txs.push_back(std::move(ch.first));
        rxs.push_back(std::move(ch.second));
    }
    for (int i = 1; i < arms; ++i) ASSERT_TRUE(txs[static_cast<std::size_t>(i)].try_send(i).has_value());
    chancheck::select sel;
    for (auto& rx : rxs) (void)sel.recv(rx);
    std::vector<int> wins(arms, 0);
    for (int k = 0; k < selects; ++k) {
        auto op = sel.select();
        const std::size_t i = op.index();
        ASSERT_NE(i, 0u) << "the empty arm was selected";
        auto r = op.recv(rxs[i]);
        ASSERT_TRUE(r.has_value());
        ASSERT_EQ(*r, static_cast<int>(i));
        ++wins[i];
        ASSERT_TRUE(txs[i].try_send(static_cast<int>(i)).has_value());
    }
    for (int i = 1; i < arms; ++i)
        EXPECT_GE(wins[static_cast<std::size_t>(i)], selects / (arms - 1) / 2)
            << "arm " << i << " won " << wins[static_cast<std::size_t>(i)] << " of " << selects;
    RecordProperty("wins", std::to_string(wins[1]) + "/" + std::to_string(wins[2]) + "/" + std::to_string(wins[3]));
}

INSTANTIATE_TEST_SUITE_P(All, Select, testing::ValuesIn(chancheck_test::all_configs()), chancheck_test::config_name);

// ---------------------------------------------------------------------------------------
// Fairness, and no message taken from an arm that was not chosen.

struct fairness_case {
    channel_config cfg;
    int arms;
};

std::string fairness_name(const testing::TestParamInfo<fairness_case>& info) {
    return std::string(info.param.cfg.name) + "_" + std::to_string(info.param.arms) + "arms";
}

std::vector<fairness_case> fairness_cases() {
    std::vector<fairness_case> out;
    for (const auto& c : chancheck_test::all_configs())
        for (int n : {2, 4}) out.push_back({c, n});
    return out;
}

std::ostream& operator<<(std::ostream& os, const fairness_case& c) { return os << c.cfg.name << ", " << c.arms << " arms"; }

class SelectFairness : public testing::TestWithParam<fairness_case> {};

constexpr int fairness_selects = 10000;

// One select with a recv arm per receiver of `rxs`: waits for a message of any of them.
class recv_each {
public:
    explicit recv_each(std::vector<chancheck::mpmc::receiver<int>>& rxs) : rxs_(rxs) {
        for (auto& rx : rxs_) arm_of_.push_back(sel_.recv(rx));
    }
    // The channel whose arm won and the message it gave; nullopt when the winning arm is no
    // channel's or its recv failed.
    std::optional<std::pair<std::size_t, int>> next() {
        auto op = sel_.select();
        const auto it = std::find(arm_of_.begin(), arm_of_.end(), op.index());
        if (it == arm_of_.end()) return std::nullopt;
        const auto ch = static_cast<std::size_t>(it - arm_of_.begin());
        auto r = op.recv(rxs_[ch]);
        if (!r.has_value()) return std::nullopt;
        return std::pair{ch, *r};
    }

private:
    std::vector<chancheck::mpmc::receiver<int>>& rxs_;
    chancheck::select sel_;
    std::vector<std::size_t> arm_of_;  // channel -> its arm
};

// Buffered channels, single-threaded: every channel always holds messages. After each select
// only the chosen channel has one message fewer; at the end every message was received once.
void fairness_buffered(const channel_config& c, int n) {
    std::vector<chancheck::mpmc::sender<int>> txs;
    std::vector<chancheck::mpmc::receiver<int>> rxs;
    for (int i = 0; i < n; ++i) {
        auto [tx, rx] = make_mpmc<int>(c);
        txs.push_back(std::move(tx));
        rxs.push_back(std::move(rx));
    }
    const std::size_t depth = c.buffer_room(3);
    int next_id = 0;
    std::vector<int> channel_of;  // id -> channel
    auto send_one = [&](int ch) {
        channel_of.push_back(ch);
        ASSERT_TRUE(txs[static_cast<std::size_t>(ch)].try_send(next_id++).has_value());
    };
    for (int ch = 0; ch < n; ++ch)
        for (std::size_t k = 0; k < depth; ++k) send_one(ch);

    recv_each select_any(rxs);
    std::vector<int> wins(static_cast<std::size_t>(n), 0);
    std::vector<int> received_count(static_cast<std::size_t>(fairness_selects) + depth * static_cast<std::size_t>(n), 0);
    for (int iter = 0; iter < fairness_selects; ++iter) {
        std::vector<std::size_t> before;
        for (auto& rx : rxs) before.push_back(rx.len());
        const auto got = select_any.next();
        ASSERT_TRUE(got.has_value()) << "select " << iter << " received from no channel";
        const auto [ch, id] = *got;
        ASSERT_EQ(channel_of[static_cast<std::size_t>(id)], static_cast<int>(ch)) << "a message of another channel";
        ++received_count[static_cast<std::size_t>(id)];
        ++wins[ch];
        for (std::size_t k = 0; k < rxs.size(); ++k) {
            const std::size_t expect = k == ch ? before[k] - 1 : before[k];
            ASSERT_EQ(rxs[k].len(), expect) << "select " << iter << ": channel " << k << " (chosen " << ch << ")";
        }
        send_one(static_cast<int>(ch));  // keep every channel ready
    }
    // Drain: every message ever sent is received exactly once.
    for (std::size_t ch = 0; ch < rxs.size(); ++ch) {
        while (auto r = rxs[ch].try_recv()) {
            ASSERT_EQ(channel_of[static_cast<std::size_t>(*r)], static_cast<int>(ch));
            ++received_count[static_cast<std::size_t>(*r)];
        }
    }
    for (int id = 0; id < next_id; ++id)
        ASSERT_EQ(received_count[static_cast<std::size_t>(id)], 1) << "message " << id;
    for (int ch = 0; ch < n; ++ch)
        EXPECT_GE(wins[static_cast<std::size_t>(ch)], fairness_selects / n / 2)
            << "arm " << ch << " of " << n << " won " << wins[static_cast<std::size_t>(ch)] << " of " << fairness_selects;
}

// Rendezvous channels: one sender thread per channel keeps sending 0, 1, 2, ...; a message
// received from channel i must be the next one of sender i, and when the receivers go every
// sender's count of completed sends equals the number of times its arm won. Before each
// select, the previous winner's sender is back in send(), so (up to the instant between its
// counter increment and its registration) every arm is ready.
void fairness_rendezvous(const channel_config& c, int n) {
    std::vector<chancheck::mpmc::receiver<int>> rxs;
    std::vector<std::thread> senders;
    std::vector<int> completed(static_cast<std::size_t>(n), 0);
    std::vector<int> handed_back(static_cast<std::size_t>(n), -1);
    std::vector<std::atomic<int>> attempts(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        auto [tx, rx] = make_mpmc<int>(c);
        rxs.push_back(std::move(rx));
        senders.emplace_back([tx = std::move(tx), &done = completed[static_cast<std::size_t>(i)],
                              &back = handed_back[static_cast<std::size_t>(i)],
                              &att = attempts[static_cast<std::size_t>(i)]]() mutable {
            for (int v = 0;; ++v) {
                att.fetch_add(1);
                auto s = tx.send(v);
                if (!s.has_value()) {
                    back = s.error().value;
                    return;
                }
                done = v + 1;
            }
        });
    }
    recv_each select_any(rxs);
    std::vector<int> wins(static_cast<std::size_t>(n), 0);
    for (int iter = 0; iter < fairness_selects; ++iter) {
        const auto got = select_any.next();
        ASSERT_TRUE(got.has_value()) << "select " << iter << " received from no channel";
        const auto [ch, v] = *got;
        ASSERT_EQ(v, wins[ch]) << "channel " << ch << ": a message skipped or repeated";
        ++wins[ch];
        // Keep every arm ready: wait until sender `ch` is back in send() (a condition, not a
        // timed sleep). Without this the test would measure how fast the OS reschedules the
        // sender that just completed, not select's fairness.
        while (attempts[ch].load() != wins[ch] + 1) std::this_thread::yield();
    }
    rxs.clear();  // every sender's pending send fails and hands its value back
    for (auto& t : senders) t.join();
    for (int ch = 0; ch < n; ++ch) {
        const auto k = static_cast<std::size_t>(ch);
        EXPECT_EQ(completed[k], wins[k]) << "channel " << ch << ": a send completed that no select received";
        EXPECT_EQ(handed_back[k], wins[k]) << "channel " << ch << ": the pending send must hand its value back";
        EXPECT_GE(wins[k], fairness_selects / n / 2)
            << "arm " << ch << " of " << n << " won " << wins[k] << " of " << fairness_selects;
    }
}

TEST_P(SelectFairness, EveryReadyArmWinsItsShareAndNoMessageIsTakenFromAnotherArm) {
    const auto& c = GetParam().cfg;
    const int n = GetParam().arms;
    if (rejected_by_select(c)) return;
    run_with_watchdog([&] {
        if (c.rendezvous()) fairness_rendezvous(c, n); else fairness_buffered(c, n);
    });
}

INSTANTIATE_TEST_SUITE_P(All, SelectFairness, testing::ValuesIn(fairness_cases()), fairness_name);

// ---------------------------------------------------------------------------------------
// Two threads each select {send(tx), recv(rx)} on the same zero-capacity channel: they must
// pair with each other, never with themselves, and never deadlock.

class SelectRendezvous : public testing::TestWithParam<flavor_case> {};

TEST_P(SelectRendezvous, TwoThreadsSendAndReceiveOnOneChannelNeverGetTheirOwnValue) {
    auto ch = chancheck::mpmc::bounded<std::uint64_t>(0, GetParam().flavor);
    auto& tx = ch.first;
    auto& rx = ch.second;
    if (GetParam().flavor == chancheck::implementation::locked) {
        chancheck::select sel;
        EXPECT_THROW((void)sel.recv(rx), std::logic_error);
        EXPECT_THROW((void)sel.send(tx), std::logic_error);
        return;
    }
    const int rounds = std::max(kinds_scaled(5000), 1000);
    struct side {
        std::vector<std::uint64_t> received;
        std::uint64_t sent = 0;
        int own = 0;
    };
    side sides[2];
    run_with_watchdog([&] {
        std::vector<std::thread> threads;
        for (std::uint64_t id = 0; id < 2; ++id) {
            threads.emplace_back([tx = tx, rx = rx, id, count = rounds, &me = sides[id]]() mutable {
                chancheck::select sel;
                const auto s = sel.send(tx);
                const auto r = sel.recv(rx);
                for (int i = 0; i < count; ++i) {
                    auto op = sel.select();
                    if (op.index() == s) {
                        if (!op.send(tx, (id << 32) | me.sent).has_value()) {
                            ADD_FAILURE() << "thread " << id << ": send failed";
                            return;
                        }
                        ++me.sent;
                    } else {
                        EXPECT_EQ(op.index(), r);
                        auto v = op.recv(rx);
                        if (!v.has_value()) {
                            ADD_FAILURE() << "thread " << id << ": recv failed";
                            return;
                        }
                        if ((*v >> 32) == id && ++me.own <= 5) {
                            ADD_FAILURE() << "thread " << id << " got its own value";
                        }
                        me.received.push_back(*v);
                    }
                }
            });
        }
        for (auto& t : threads) t.join();
    });
    for (std::uint64_t id = 0; id < 2; ++id) {
        const side& me = sides[id];
        const side& peer = sides[1 - id];
        EXPECT_EQ(me.own, 0);
        EXPECT_EQ(me.sent + me.received.size(), static_cast<std::uint64_t>(rounds));
        ASSERT_EQ(me.received.size(), peer.sent) << "thread " << id << " must receive exactly what the other sent";
        for (std::uint64_t k = 0; k < peer.sent; ++k)
            ASSERT_EQ(me.received[k], ((1 - id) << 32) | k) << "thread " << id << ": exactly once, in order";
    }
}

INSTANTIATE_TEST_SUITE_P(All, SelectRendezvous, testing::ValuesIn(chancheck_test::all_flavors()),
                         chancheck_test::flavor_name);

}  // namespace
