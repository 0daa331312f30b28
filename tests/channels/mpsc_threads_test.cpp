// tests/channels/mpsc_threads_test.cpp — multi-threaded behaviour of mpsc channels on every
// flavor: FIFO under load, exactly-once delivery with several producers, disconnection waking
// blocked operations, rendezvous semantics, timeouts racing sends and receives, len() under
// concurrency, repeated park/wake hand-offs (including a waking thread preempted right after
// the wake-up), and receiver drops racing sends.
// Every test body runs under the watchdog: a hang becomes a failure naming the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "chancheck/mpsc.hpp"
#include "flavor_cases.hpp"

namespace {

using namespace std::chrono_literals;
using chancheck_test::make;
using chancheck_test::run_with_watchdog;
using chancheck_test::scaled;
using chancheck_test::scaled_at_least;
using chancheck_test::tracked;
using chancheck_test::tracked_checks;

class MpscThreads : public chancheck_test::channel_test {
protected:
    // `rounds` rounds under the watchdog, each on a fresh channel of this case's flavor:
    // round(i, channel). The first fatal failure ends them.
    template <class T, class Round>
    void on_fresh_channels(int rounds, Round round) {
        run_with_watchdog([&] {
            for (int i = 0; i < rounds && !HasFatalFailure(); ++i) {
                auto ch = make<T>(cfg());
                round(i, ch);
            }
        });
    }
};

std::unique_ptr<int> boxed(int v) { return std::make_unique<int>(v); }

// A few yields: lets the other thread get ahead, without any assumption about how long.
void jitter(int n) {
    for (int i = 0; i < n; ++i) std::this_thread::yield();
}

TEST_P(MpscThreads, SpscFifo) {
    const int n = chancheck_test::messages_for(cfg(), 100000);
    run_with_watchdog([&] {
        auto ch = make<std::uint64_t>(cfg());
        auto& rx = ch.second;
        std::thread producer([tx = std::move(ch.first), count = n]() mutable {
            for (int i = 0; i < count; ++i) {
                if (!tx.send(static_cast<std::uint64_t>(i)).has_value()) {
                    ADD_FAILURE() << "send " << i << " failed";
                    return;
                }
            }
        });  // tx dropped when the producer ends
        std::uint64_t expected = 0;
        int mismatches = 0;
        for (int i = 0; i < n; ++i) {
            auto r = rx.recv();
            if (!r.has_value()) {
                ADD_FAILURE() << "recv " << i << " reported Disconnected";
                break;
            }
            if (*r != expected && ++mismatches <= 5) ADD_FAILURE() << "FIFO broken: got " << *r << ", want " << expected;
            expected = *r + 1;
        }
        producer.join();
        EXPECT_EQ(mismatches, 0);
        EXPECT_FALSE(rx.recv().has_value()) << "all senders are gone and the channel is drained";
    });
}

TEST_P(MpscThreads, MpscExactlyOncePerProducerFifo) {
    constexpr int producers = 4;
    const int per_producer = chancheck_test::messages_for(cfg(), 25000);
    run_with_watchdog([&] {
        auto ch = make<std::uint64_t>(cfg());
        auto& rx = ch.second;
        std::vector<std::thread> threads;
        for (int p = 0; p < producers; ++p) {
            threads.emplace_back([tx = ch.first, p, count = per_producer]() mutable {
                for (int s = 0; s < count; ++s) {
                    const std::uint64_t v = (static_cast<std::uint64_t>(p) << 32) | static_cast<std::uint32_t>(s);
                    if (!tx.send(v).has_value()) {
                        ADD_FAILURE() << "producer " << p << ": send " << s << " failed";
                        return;
                    }
                }
            });
        }
        ch.first.reset();  // only the producers' copies keep the channel connected

        std::vector<std::int64_t> next(producers, 0);
        long total = 0;
        int errors = 0;
        for (std::uint64_t v : rx) {  // ends when every producer is gone and all is drained
            const auto p = static_cast<std::size_t>(v >> 32);
            const auto s = static_cast<std::int64_t>(v & 0xffffffffu);
            ++total;
            if (p >= next.size()) {
                if (++errors <= 5) ADD_FAILURE() << "bogus value " << v;
                continue;
            }
            if (s != next[p] && ++errors <= 5)
                ADD_FAILURE() << "producer " << p << ": got sequence " << s << ", want " << next[p]
                              << (s < next[p] ? " (duplicate or reordered)" : " (lost or reordered)");
            next[p] = s + 1;
        }
        for (auto& t : threads) t.join();
        EXPECT_EQ(errors, 0);
        EXPECT_EQ(total, static_cast<long>(producers) * per_producer);
        for (int p = 0; p < producers; ++p) EXPECT_EQ(next[p], per_producer) << "producer " << p;
    });
}

TEST_P(MpscThreads, DisconnectWakesBlockedReceiver) {
    // The receiver blocks on an empty channel while another thread drops the last sender.
    // Whether the receiver is already parked when the drop happens is a race; the outcome
    // (Disconnected, never a hang) must be the same either way.
    on_fresh_channels<int>(scaled_at_least(200, 50), [](int i, auto& ch) {
        auto& rx = ch.second;
        std::thread dropper([tx = std::move(ch.first), i]() mutable {
            jitter(i % 8);
            tx.reset();
        });
        switch (i % 3) {
            case 0:
                EXPECT_FALSE(rx.recv().has_value()) << "iteration " << i;
                break;
            case 1:
                EXPECT_EQ(rx.recv_timeout(1h).error(), chancheck::recv_timeout_error::disconnected)
                    << "iteration " << i;
                break;
            default:
                EXPECT_EQ(rx.recv_until(std::chrono::steady_clock::now() + 1h).error(),
                          chancheck::recv_timeout_error::disconnected)
                    << "iteration " << i;
                break;
        }
        dropper.join();
    });
}

TEST_P(MpscThreads, LastOfSeveralSenderCopiesDroppedConcurrentlyWakesReceiver) {
    on_fresh_channels<int>(scaled_at_least(200, 50), [](int i, auto& ch) {
        std::thread a([tx = ch.first]() mutable { tx.reset(); });
        std::thread b([tx = ch.first, i]() mutable {
            jitter(i % 4);
            tx.reset();
        });
        ch.first.reset();
        EXPECT_FALSE(ch.second.recv().has_value()) << "iteration " << i;
        a.join();
        b.join();
    });
}

TEST_P(MpscThreads, DisconnectWakesBlockedSender) {
    if (cfg().unbounded()) GTEST_SKIP() << "a send on an unbounded channel never blocks";
    on_fresh_channels<std::unique_ptr<int>>(scaled_at_least(200, 50), [&](int i, auto& ch) {
        auto& tx = ch.first;
        auto& rx = ch.second;
        for (std::size_t k = 0; k < *cfg().capacity; ++k) ASSERT_TRUE(tx.try_send(boxed(-1)).has_value());
        std::thread sender([&tx, i] {
            auto p = boxed(i);
            int* const raw = p.get();
            switch (i % 3) {
                case 0: {
                    auto r = tx.send(std::move(p));
                    ASSERT_FALSE(r.has_value()) << "iteration " << i << ": send into a full channel succeeded";
                    EXPECT_EQ(r.error().value.get(), raw) << "iteration " << i;
                    break;
                }
                case 1: {
                    auto r = tx.send_timeout(std::move(p), 1h);
                    ASSERT_FALSE(r.has_value()) << "iteration " << i;
                    EXPECT_TRUE(r.error().is_disconnected()) << "iteration " << i;
                    EXPECT_EQ(r.error().value.get(), raw) << "iteration " << i;
                    break;
                }
                default: {
                    auto r = tx.send_until(std::move(p), std::chrono::steady_clock::now() + 1h);
                    ASSERT_FALSE(r.has_value()) << "iteration " << i;
                    EXPECT_TRUE(r.error().is_disconnected()) << "iteration " << i;
                    EXPECT_EQ(r.error().value.get(), raw) << "iteration " << i;
                    break;
                }
            }
        });
        jitter(i % 8);
        rx.reset();
        sender.join();
    });
}

TEST_P(MpscThreads, RendezvousSendWaitsForAReceiver) {
    if (!cfg().rendezvous()) GTEST_SKIP() << "rendezvous property (capacity 0)";
    run_with_watchdog([&] {
        auto ch = make<std::unique_ptr<int>>(cfg());
        auto& tx = ch.first;
        auto& rx = ch.second;

        // No receiver: a send cannot complete.
        auto p = boxed(11);
        int* const raw = p.get();
        auto t = tx.send_timeout(std::move(p), 50ms);
        ASSERT_FALSE(t.has_value());
        EXPECT_TRUE(t.error().is_timeout());
        EXPECT_EQ(t.error().value.get(), raw);
        auto f = tx.try_send(std::move(t.error().value));
        ASSERT_FALSE(f.has_value());
        EXPECT_TRUE(f.error().is_full());
        EXPECT_EQ(f.error().value.get(), raw);
        EXPECT_EQ(rx.len(), 0u);

        // With a receiver: the send completes and the receiver has the very same object.
        std::unique_ptr<int> received;
        std::thread receiver([&] {
            auto r = rx.recv();
            ASSERT_TRUE(r.has_value());
            received = std::move(r).value();
        });
        ASSERT_TRUE(tx.send(std::move(f.error().value)).has_value());
        receiver.join();
        EXPECT_EQ(received.get(), raw);
        EXPECT_EQ(tx.len(), 0u);
    });
}

TEST_P(MpscThreads, RendezvousSendReturnsOnlyAfterItsReceiveStarted) {
    // With capacity 0, send(k) can complete only by meeting recv number k. The receiver
    // counts `started` *before* each recv call (after a random delay), so when send(k)
    // returns, started >= k + 1 must hold. A channel that buffered even one message would let
    // send(k) return while the receiver is still in its delay.
    if (!cfg().rendezvous()) GTEST_SKIP() << "rendezvous property (capacity 0)";
    const int n = scaled(3000);
    run_with_watchdog([&] {
        auto ch = make<int>(cfg());
        auto& tx = ch.first;
        auto& rx = ch.second;
        std::atomic<int> started{0};
        std::thread receiver([&] {
            for (int k = 0; k < n; ++k) {
                jitter(k % 5 == 0 ? 20 : 0);
                started.fetch_add(1, std::memory_order_seq_cst);
                auto r = rx.recv();
                ASSERT_TRUE(r.has_value());
                EXPECT_EQ(*r, k);
            }
        });
        int violations = 0;
        for (int k = 0; k < n; ++k) {
            ASSERT_TRUE(tx.send(k).has_value());
            const int s = started.load(std::memory_order_seq_cst);
            if (s < k + 1 && ++violations <= 5)
                ADD_FAILURE() << "send(" << k << ") returned before the receiver started recv #" << k
                              << " (started = " << s << ")";
        }
        receiver.join();
        EXPECT_EQ(violations, 0);
    });
}

TEST_P(MpscThreads, LenNeverExceedsCapacity) {
    // An observer polls len() (through its own sender copy) while messages stream through a
    // bounded or rendezvous channel: len() <= capacity() at every moment; for capacity 0,
    // len() is always 0.
    if (cfg().unbounded()) GTEST_SKIP() << "an unbounded channel has no capacity to exceed";
    const int n = scaled(5000);
    const std::size_t cap = *cfg().capacity;
    run_with_watchdog([&] {
        auto ch = make<int>(cfg());
        auto& rx = ch.second;
        std::atomic<bool> done{false};
        std::size_t max_len = 0;
        std::thread observer([tx = ch.first, &done, &max_len]() {
            while (!done.load(std::memory_order_acquire)) {
                const std::size_t l = tx.len();
                if (l > max_len) max_len = l;
            }
        });
        std::thread producer([tx = std::move(ch.first), count = n]() mutable {
            for (int i = 0; i < count; ++i) EXPECT_TRUE(tx.send(i).has_value());
        });
        for (int i = 0; i < n; ++i) {
            auto r = rx.recv();
            ASSERT_TRUE(r.has_value());
            EXPECT_EQ(*r, i);
            if (i % 64 == 0) {
                EXPECT_LE(rx.len(), cap);
            }
        }
        producer.join();
        done.store(true, std::memory_order_release);
        observer.join();
        EXPECT_LE(max_len, cap) << "len() exceeded capacity() " << cap;
    });
}

// Polls `attempt` (true: done) for up to 3 s, yielding between tries; false if it never
// succeeded. The rendezvous tests cannot observe "the other side is blocked", so they poll.
template <class Attempt>
bool poll_for_3s(Attempt attempt) {
    const auto give_up = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < give_up) {
        if (attempt()) return true;
        std::this_thread::yield();
    }
    return false;
}

// 20 rounds on one rendezvous channel of boxed ints (other capacities skip): each round
// `round(tx, rx, i)` hands a value across; false ends the test after a failure.
template <class Round>
void rendezvous_rounds(const chancheck_test::channel_config& cfg, Round round) {
    if (!cfg.rendezvous()) GTEST_SKIP() << "rendezvous property (capacity 0)";
    run_with_watchdog([&] {
        auto [tx, rx] = make<std::unique_ptr<int>>(cfg);
        for (int i = 0; i < 20; ++i) {
            if (!round(tx, rx, i)) return;
        }
    });
}

TEST_P(MpscThreads, RendezvousTryRecvTakesABlockedSendersValue) {
    // Rust / crossbeam semantics: try_recv on a zero-capacity channel succeeds when a sender
    // is blocked in send (it pairs with that sender). We cannot observe "blocked", so we poll
    // try_recv for a generous while; a correct channel succeeds as soon as the sender parks.
    rendezvous_rounds(cfg(), [](auto& tx, auto& rx, int i) {
        auto p = boxed(i);
        int* const raw = p.get();
        std::thread sender([&tx, p = std::move(p)]() mutable { EXPECT_TRUE(tx.send(std::move(p)).has_value()); });
        std::unique_ptr<int> got;
        const bool took = poll_for_3s([&] {
            auto r = rx.try_recv();
            if (r.has_value()) got = std::move(r).value();
            else EXPECT_EQ(r.error(), chancheck::try_recv_error::empty);
            return got != nullptr;
        });
        if (!took) {
            ADD_FAILURE() << "try_recv never took the value of a sender blocked in send() (3 s of polling)";
            EXPECT_TRUE(rx.recv().has_value());  // release the sender
        }
        sender.join();
        if (took) {
            EXPECT_EQ(got.get(), raw);
        }
        return took;
    });
}

TEST_P(MpscThreads, RendezvousTrySendReachesABlockedReceiver) {
    rendezvous_rounds(cfg(), [](auto& tx, auto& rx, int i) {
        std::unique_ptr<int> got;
        std::thread receiver([&] {
            auto r = rx.recv();
            ASSERT_TRUE(r.has_value());
            got = std::move(r).value();
        });
        auto p = boxed(i);
        int* const raw = p.get();
        const bool sent = poll_for_3s([&] {
            auto r = tx.try_send(std::move(p));
            if (r.has_value()) return true;
            EXPECT_TRUE(r.error().is_full());
            p = std::move(r.error().value);
            return false;
        });
        if (!sent) {
            ADD_FAILURE() << "try_send never reached a receiver blocked in recv() (3 s of polling)";
            EXPECT_TRUE(tx.send(std::move(p)).has_value());  // release the receiver
        }
        receiver.join();
        if (sent) {
            EXPECT_EQ(got.get(), raw);
        }
        return sent;
    });
}

// The timeout of round i of the timeout races: from none at all to well past the hand-off.
std::chrono::microseconds racing_timeout(int i) {
    constexpr std::chrono::microseconds timeouts[] = {0us, 10us, 50us, 200us, 1000us};
    return timeouts[i % 5];
}

TEST_P(MpscThreads, RecvTimeoutRacingSendLosesNothing) {
    // Each round a thread sends one value while the receiver waits with a short timeout.
    // Either the receiver gets it, or it times out and a following recv() gets it: a timeout
    // must never strand or drop the message (rendezvous: the sender stays blocked until then).
    const int rounds = scaled_at_least(500, 100);
    run_with_watchdog([&] {
        auto ch = make<int>(cfg());
        auto& tx = ch.first;
        auto& rx = ch.second;
        int timed_out = 0;
        for (int i = 0; i < rounds; ++i) {
            std::thread sender([&tx, i] {
                jitter(i % 4);
                EXPECT_TRUE(tx.send(i).has_value()) << "round " << i;
            });
            auto r = rx.recv_timeout(racing_timeout(i));
            if (r.has_value()) {
                EXPECT_EQ(*r, i) << "round " << i;
            } else {
                ++timed_out;
                EXPECT_EQ(r.error(), chancheck::recv_timeout_error::timeout) << "round " << i;
                auto again = rx.recv();
                ASSERT_TRUE(again.has_value()) << "round " << i << ": the message was lost after a timeout";
                EXPECT_EQ(*again, i) << "round " << i;
            }
            sender.join();
            auto extra = rx.try_recv();
            ASSERT_FALSE(extra.has_value()) << "round " << i << ": unexpected extra message " << *extra;
            EXPECT_EQ(extra.error(), chancheck::try_recv_error::empty);
        }
        (void)timed_out;  // how many rounds took the timeout path varies from run to run
    });
}

TEST_P(MpscThreads, SendTimeoutRacingRecvLosesNothing) {
    // The mirror image: a sender with a short timeout on a full channel races a receiver.
    // Either the send succeeds (and the value is received exactly once) or it times out and
    // the value comes back — never both, never neither.
    if (cfg().unbounded()) GTEST_SKIP() << "a send on an unbounded channel never waits";
    const int rounds = scaled_at_least(500, 100);
    run_with_watchdog([&] {
        auto ch = make<int>(cfg());
        auto& tx = ch.first;
        auto& rx = ch.second;
        const std::size_t cap = *cfg().capacity;
        for (int i = 0; i < rounds; ++i) {
            // Fill the channel with markers (-1) so the send must wait for room.
            for (std::size_t k = 0; k < cap; ++k) ASSERT_TRUE(tx.try_send(-1).has_value());
            std::vector<int> got;
            std::thread receiver([&rx, &got, i, cap] {
                jitter(i % 4);
                // Take the markers plus possibly the value: cap + 1 receives, the last one
                // with a timeout (the value may not have been sent).
                for (std::size_t k = 0; k < cap; ++k) {
                    auto r = rx.recv();
                    ASSERT_TRUE(r.has_value());
                    got.push_back(*r);
                }
                auto r = rx.recv_timeout(5ms);
                if (r.has_value()) got.push_back(*r);
            });
            auto s = tx.send_timeout(i, racing_timeout(i));
            receiver.join();
            // Whatever the receiver did not take is still in the channel (or was never sent).
            for (auto r = rx.try_recv(); r.has_value(); r = rx.try_recv()) got.push_back(*r);
            int markers = 0;
            int values = 0;
            for (int v : got) {
                if (v == -1) {
                    ++markers;
                } else {
                    EXPECT_EQ(v, i) << "round " << i;
                    ++values;
                }
            }
            EXPECT_EQ(markers, static_cast<int>(cap)) << "round " << i;
            if (s.has_value()) {
                EXPECT_EQ(values, 1) << "round " << i << ": a successful send must deliver exactly once";
            } else {
                EXPECT_TRUE(s.error().is_timeout()) << "round " << i;
                EXPECT_EQ(s.error().value, i) << "round " << i;
                EXPECT_EQ(values, 0) << "round " << i << ": a timed-out send must not deliver its value";
            }
        }
    });
}

TEST_P(MpscThreads, TrySendTryRecvHammerExactlyOnce) {
    // One thread hammers try_send (retrying on Full), another try_recv (retrying on Empty).
    // A rendezvous channel can only pair a non-blocking operation with a blocked one, so
    // there the receiver uses recv().
    const int n = cfg().rendezvous() ? scaled(5000) : scaled(50000);
    const bool rendezvous = cfg().rendezvous();
    run_with_watchdog([&] {
        auto ch = make<int>(cfg());
        auto& rx = ch.second;
        std::atomic<long> full_count{0};
        std::thread producer([tx = std::move(ch.first), n, &full_count]() mutable {
            for (int i = 0; i < n; ++i) {
                for (;;) {
                    auto r = tx.try_send(i);
                    if (r.has_value()) break;
                    if (!r.error().is_full()) {
                        ADD_FAILURE() << "try_send " << i << " failed: disconnected";
                        return;
                    }
                    EXPECT_EQ(r.error().value, i);
                    full_count.fetch_add(1, std::memory_order_relaxed);
                    std::this_thread::yield();
                }
            }
        });
        int expected = 0;
        int errors = 0;
        bool disconnected = false;
        while (!disconnected) {
            if (rendezvous) {
                auto r = rx.recv();
                if (!r.has_value()) break;
                if (*r != expected && ++errors <= 5) ADD_FAILURE() << "got " << *r << ", want " << expected;
                expected = *r + 1;
                continue;
            }
            auto r = rx.try_recv();
            if (r.has_value()) {
                if (*r != expected && ++errors <= 5) ADD_FAILURE() << "got " << *r << ", want " << expected;
                expected = *r + 1;
            } else if (r.error() == chancheck::try_recv_error::disconnected) {
                disconnected = true;
            } else {
                std::this_thread::yield();
            }
        }
        producer.join();
        EXPECT_EQ(errors, 0);
        EXPECT_EQ(expected, n) << "every value must arrive exactly once, in order";
        if (cfg().unbounded()) {
            EXPECT_EQ(full_count.load(), 0) << "an unbounded channel is never full";
        }
    });
}

TEST_P(MpscThreads, HugeTimeoutsMeanNoTimeout) {
    // Durations and deadlines too far away to represent are "no timeout", not an overflow
    // into the past.
    run_with_watchdog([&] {
        auto ch = make<int>(cfg());
        auto& tx = ch.first;
        auto& rx = ch.second;
        std::thread sender([&tx] {
            EXPECT_TRUE(tx.send_timeout(1, std::chrono::hours::max()).has_value());
            EXPECT_TRUE(tx.send_until(2, std::chrono::steady_clock::time_point::max()).has_value());
            EXPECT_TRUE(tx.send_timeout(3, std::chrono::nanoseconds::max()).has_value());
            tx.reset();
        });
        auto a = rx.recv_timeout(std::chrono::hours::max());
        auto b = rx.recv_until(std::chrono::steady_clock::time_point::max());
        auto c = rx.recv_timeout(std::chrono::nanoseconds::max());
        auto d = rx.recv_timeout(std::chrono::hours::max());
        sender.join();
        ASSERT_TRUE(a.has_value());
        ASSERT_TRUE(b.has_value());
        ASSERT_TRUE(c.has_value());
        EXPECT_EQ(*a, 1);
        EXPECT_EQ(*b, 2);
        EXPECT_EQ(*c, 3);
        ASSERT_FALSE(d.has_value());
        EXPECT_EQ(d.error(), chancheck::recv_timeout_error::disconnected);
    });
}

TEST_P(MpscThreads, BlockedOperationsWokenRepeatedly) {
    // Many park/wake hand-offs in both directions: a slow producer (the receiver blocks on an
    // empty channel before nearly every message), then a slow consumer (the sender blocks on
    // a full one). The woken thread returns and reuses its stack at once; the waking thread
    // must not touch the woken operation's (stack-allocated) state after releasing it.
    // Checked here: FIFO and exactly-once; under ThreadSanitizer also any such late access.
    // Scaled down less than the others under sanitizers: ThreadSanitizer is what sees a late
    // access, and it needs many hand-offs to catch one in the act.
    const int n = std::max(chancheck_test::messages_for(cfg(), 10000),
                           cfg().flavor == chancheck::implementation::lock_free ? 2000 : 0);
    run_with_watchdog([&] {
        for (const bool slow_producer : {true, false}) {
            SCOPED_TRACE(slow_producer ? "slow producer" : "slow consumer");
            auto ch = make<std::string>(cfg());
            auto& rx = ch.second;
            std::thread producer([tx = std::move(ch.first), count = n, slow_producer]() mutable {
                for (int i = 0; i < count; ++i) {
                    if (slow_producer) jitter(i % 8);
                    if (!tx.send(std::to_string(i) + std::string(16, '.')).has_value()) {
                        ADD_FAILURE() << "send " << i << " failed";
                        return;
                    }
                }
            });
            int expected = 0;
            int errors = 0;
            for (auto& msg : rx) {
                if (!slow_producer) jitter(expected % 8);
                const std::string want = std::to_string(expected) + std::string(16, '.');
                if (msg != want && ++errors <= 5) ADD_FAILURE() << "got '" << msg << "', want '" << want << "'";
                ++expected;
            }
            producer.join();
            EXPECT_EQ(errors, 0);
            EXPECT_EQ(expected, n);
        }
    });
}

// ---------------------------------------------------------------------------------------
// A waking thread preempted right after it released the waiter.
//
// A blocked operation keeps its bookkeeping (the waker entry) in its own stack frame. The
// thread that wakes it must be done with that state before the woken thread can return and
// reuse the frame. To test that deterministically, this Sync policy (the library's own seam)
// stalls the waking thread for a few milliseconds right after its winning selection CAS --
// what a preemption at that instruction does -- and lets parked threads return spuriously
// (the parker contract allows it), so a woken thread does not wait for the unpark that
// follows the bookkeeping. The woken thread then overwrites its stack and checks later that
// nobody wrote into it.

std::atomic<int> stalled_sync_parks{0};

struct stalled_selector_sync : chancheck::std_sync {
    template <class T>
    struct atomic : std::atomic<T> {
        using std::atomic<T>::atomic;
        bool compare_exchange_strong(T& expected, T desired, std::memory_order success,
                                     std::memory_order failure) noexcept {
            const bool won = std::atomic<T>::compare_exchange_strong(expected, desired, success, failure);
            if constexpr (std::is_same_v<T, std::uintptr_t>) {
                // context::try_select(operation): operation ids are addresses (> 2). This is
                // fault injection (a simulated preemption), not a wait for anything.
                if (won && desired > 2) std::this_thread::sleep_for(5ms);
            }
            return won;
        }
    };
    struct parker {
        void park() {
            stalled_sync_parks.fetch_add(1);
            std::this_thread::yield();  // a spurious return
        }
        template <class TimePoint>
        bool park_until(const TimePoint& deadline) {
            stalled_sync_parks.fetch_add(1);
            std::this_thread::yield();
            return clock::now() < deadline;
        }
        void unpark() {}
    };
};

// Fills a large stack buffer (covering the frames of the operation that just returned),
// waits until `done`, then reports whether the buffer is intact.
__attribute__((noinline)) bool stack_untouched_until(const std::atomic<bool>& done) {
    volatile unsigned char buf[8192];
    for (auto& b : buf) b = 0xAB;
    while (!done.load(std::memory_order_acquire)) std::this_thread::yield();
    for (const auto& b : buf) {
        if (b != 0xAB) return false;
    }
    return true;
}

TEST_P(MpscThreads, WakerDoesNotTouchTheWokenWaitersFrame) {
    if (cfg().flavor == chancheck::implementation::locked) GTEST_SKIP() << "the locked flavor's waiters wait on condvars";
    using chan = std::pair<chancheck::mpsc::sender<std::string, stalled_selector_sync>,
                           chancheck::mpsc::receiver<std::string, stalled_selector_sync>>;
    auto make_stalled = [&]() -> chan {
        if (cfg().capacity) return chancheck::mpsc::sync_channel<std::string, stalled_selector_sync>(*cfg().capacity);
        return chancheck::mpsc::channel<std::string, stalled_selector_sync>();
    };
    run_with_watchdog([&] {
        {
            SCOPED_TRACE("a receiver woken by a send");
            auto ch = make_stalled();
            auto& tx = ch.first;
            auto& rx = ch.second;
            std::atomic<bool> done{false};
            bool intact = false;
            std::string got;
            stalled_sync_parks = 0;
            std::thread receiver([&] {
                auto r = rx.recv();
                intact = stack_untouched_until(done);
                if (r.has_value()) got = std::move(r).value();
            });
            while (stalled_sync_parks.load() == 0) std::this_thread::yield();  // the receiver waits
            EXPECT_TRUE(tx.send(std::string(40, 'm')).has_value());
            done.store(true, std::memory_order_release);
            receiver.join();
            EXPECT_EQ(got, std::string(40, 'm'));
            EXPECT_TRUE(intact) << "the sender wrote into the stack of the receiver it had woken";
        }
        if (!cfg().unbounded()) {
            SCOPED_TRACE("a sender woken by a receive");
            auto ch = make_stalled();
            auto& tx = ch.first;
            auto& rx = ch.second;
            for (std::size_t i = 0; i < *cfg().capacity; ++i) ASSERT_TRUE(tx.try_send("fill").has_value());
            std::atomic<bool> done{false};
            bool intact = false;
            bool sent = false;
            stalled_sync_parks = 0;
            std::thread sender([&] {
                sent = tx.send(std::string(40, 's')).has_value();
                intact = stack_untouched_until(done);
            });
            while (stalled_sync_parks.load() == 0) std::this_thread::yield();  // the sender waits
            auto r = rx.recv();
            ASSERT_TRUE(r.has_value());
            done.store(true, std::memory_order_release);
            sender.join();
            EXPECT_TRUE(sent);
            EXPECT_TRUE(intact) << "the receiver wrote into the stack of the sender it had woken";
        }
    });
}

TEST_P(MpscThreads, ReceiverDropRacingSendersDestroysEverythingOnce) {
    // Producers send tracked messages in a loop; the receiver waits until they are under way
    // (buffered channels: until a few messages are in; rendezvous: it takes a few), then
    // drops. Afterwards: every send that *started* after the receiver's drop returned must
    // fail with its value, and every message is destroyed exactly once (unreceived ones at
    // the drop, failed ones by their producer). Many short rounds, each on a fresh channel;
    // the producer threads live across rounds (thread creation would dominate the cost).
    // A round count, and a wall-time budget so that a loaded machine does not make the test
    // slow (the property is checked in every round; more rounds only make a rare
    // interleaving more likely to show up).
    const int rounds = cfg().unbounded() ? scaled(3000) : scaled(500);
    const auto budget_end = std::chrono::steady_clock::now() + 2s;
    constexpr int producers = 2;
    const std::size_t room = cfg().buffer_room(64);
    run_with_watchdog([&] {
        tracked_checks::begin();
        using sender = chancheck_test::sender_t<tracked>;
        std::vector<sender> slots(producers);    // this round's senders, handed over by `round_no`
        std::atomic<int> round_no{-1};           // the round the producers may start
        std::atomic<bool> stop{false};
        std::atomic<int> finished{0};            // producers done with the current round
        std::atomic<bool> dropped{false};        // the receiver of the current round is gone
        std::atomic<long> sent{0};
        std::atomic<int> late_successes{0};
        std::vector<std::thread> threads;
        for (int p = 0; p < producers; ++p) {
            threads.emplace_back([&, p] {
                for (int seen = -1;;) {
                    int r;
                    while ((r = round_no.load(std::memory_order_acquire)) == seen) {
                        if (stop.load(std::memory_order_acquire)) return;
                        std::this_thread::yield();
                    }
                    seen = r;
                    sender tx = std::move(slots[static_cast<std::size_t>(p)]);
                    for (int i = 0;; ++i) {
                        const bool after_drop = dropped.load(std::memory_order_acquire);
                        const int id = p * 10000000 + i;
                        auto res = tx.send(tracked(id));
                        if (!res.has_value()) {
                            EXPECT_EQ(res.error().value.id(), id);
                            break;
                        }
                        sent.fetch_add(1, std::memory_order_relaxed);
                        if (after_drop) {
                            late_successes.fetch_add(1);
                            // The channel accepted a message after its receiver was dropped;
                            // its state is not to be trusted any more (see the failure
                            // reported below). Leak this handle rather than run its drop.
                            new sender(std::move(tx));
                            break;
                        }
                    }
                    tx.reset();
                    finished.fetch_add(1, std::memory_order_acq_rel);
                }
            });
        }
        struct stopper {
            std::atomic<bool>& stop;
            std::vector<std::thread>& threads;
            ~stopper() {
                stop.store(true, std::memory_order_release);
                for (auto& t : threads) t.join();
            }
        } stop_producers{stop, threads};

        for (int round = 0; round < rounds && std::chrono::steady_clock::now() < budget_end; ++round) {
            auto ch = make<tracked>(cfg());
            auto& rx = ch.second;
            for (auto& slot : slots) slot = ch.first;
            ch.first.reset();
            dropped.store(false, std::memory_order_relaxed);
            sent.store(0, std::memory_order_relaxed);
            finished.store(0, std::memory_order_relaxed);
            round_no.store(round, std::memory_order_release);  // go
            if (room > 0) {
                // Wait (yielding, no sleep) until the producers have sent a few messages, so
                // that the drop lands while they are sending; then take a few.
                const long target = static_cast<long>(1 + round % room);
                while (sent.load(std::memory_order_relaxed) < target) std::this_thread::yield();
                for (int i = 0; i < round % 3; ++i) {
                    auto r = rx.try_recv();  // Empty is possible (bounded: a producer refilling)
                    ASSERT_TRUE(r.has_value() || r.error() == chancheck::try_recv_error::empty);
                }
            } else {
                for (int i = 0; i < round % 4; ++i) {
                    auto r = rx.recv();
                    ASSERT_TRUE(r.has_value());
                }
            }
            rx.reset();
            dropped.store(true, std::memory_order_release);
            while (finished.load(std::memory_order_acquire) < producers) std::this_thread::yield();
            if (late_successes.load() != 0) {
                ADD_FAILURE() << "round " << round << ": " << late_successes.load()
                              << " send(s) that started after the receiver was dropped succeeded "
                                 "(the channel lost its disconnected state)";
                return;
            }
            ASSERT_EQ(tracked::live.load(), 0) << "round " << round;
        }
        tracked_checks::expect_all_destroyed();
    });
}

INSTANTIATE_TEST_SUITE_P(AllFlavors, MpscThreads, testing::ValuesIn(chancheck_test::all_configs()),
                         chancheck_test::config_name);

}  // namespace
