// tests/harness/linearizability_test.cpp — the linearizability checker and the channel specs.
//
// Hand-written histories with known verdicts for every spec, accepted and rejected (a checker
// that never said no proves nothing); budgets and deadlines giving `unknown`; partitioning by
// channel; and histories recorded from real channels on real threads, which must pass — and
// must fail once a recorded result is corrupted.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "chancheck/broadcast.hpp"
#include "chancheck/harness/channel_specs.hpp"
#include "chancheck/harness/channel_specs_broadcast.hpp"
#include "chancheck/harness/linearizability.hpp"
#include "chancheck/harness/recorder.hpp"
#include "chancheck/harness/record_threads.hpp"
#include "chancheck/mpmc.hpp"
#include "chancheck/mpsc.hpp"
#include "chancheck/oneshot.hpp"

namespace {

using namespace chancheck::harness;
using namespace std::chrono_literals;

// Builds histories with explicit stamps [invoked, responded]; `pending` for "never returned".
class builder {
public:
    static constexpr std::uint64_t pending = 0;

    builder& send(unsigned t, std::int64_t v, std::uint64_t inv, std::uint64_t resp, op_result r = op_result::ok) {
        return add(t, op_kind::send, r, v, inv, resp);
    }
    builder& recv(unsigned t, std::int64_t v, std::uint64_t inv, std::uint64_t resp) {
        return add(t, op_kind::recv, op_result::ok, v, inv, resp);
    }
    builder& recv_result(unsigned t, op_result r, std::uint64_t inv, std::uint64_t resp, std::uint64_t skipped = 0) {
        add(t, op_kind::recv, r, 0, inv, resp);
        h_.back().skipped = skipped;
        return *this;
    }
    builder& len(unsigned t, std::int64_t n, std::uint64_t inv, std::uint64_t resp) {
        return add(t, op_kind::len_sample, op_result::ok, n, inv, resp);
    }
    builder& mark(unsigned t, op_kind k, std::uint64_t inv, std::uint64_t resp) {
        return add(t, k, op_result::ok, 0, inv, resp);
    }
    builder& on_channel(std::uint32_t c) {
        channel_ = c;
        return *this;
    }
    history done() const { return h_; }

private:
    builder& add(unsigned t, op_kind k, op_result r, std::int64_t v, std::uint64_t inv, std::uint64_t resp) {
        event e{t, k, r, v};
        e.invoked = inv;
        e.responded = resp;
        e.channel = channel_;
        h_.push_back(e);
        return *this;
    }
    history h_;
    std::uint32_t channel_ = 0;
};

template <class Spec>
lin_verdict verdict(const history& h, const Spec& spec) {
    return check_linearizable(h, spec, lin_options::within(10s)).verdict;
}

constexpr auto yes = lin_verdict::linearizable;
constexpr auto no = lin_verdict::not_linearizable;

// Message 1 sent, then the only sender dropped; then the receiver takes message 1 and sees
// Disconnected (the channel was drained first) ...
history drained_then_disconnected() {
    return builder()
        .send(0, 1, 1, 2)
        .mark(0, op_kind::drop_sender, 3, 4)
        .recv(1, 1, 5, 6)
        .recv_result(1, op_result::disconnected, 7, 8)
        .done();
}
// ... or sees Disconnected at once, with message 1 still in the channel.
history disconnected_before_the_drain() {
    return builder()
        .send(0, 1, 1, 2)
        .mark(0, op_kind::drop_sender, 3, 4)
        .recv_result(1, op_result::disconnected, 5, 6)
        .done();
}

// ---------------------------------------------------------------------------------------
// Queues: unbounded.

TEST(LinearizabilityQueue, AcceptsSequentialFifo) {
    auto h = builder().send(0, 1, 1, 2).send(0, 2, 3, 4).recv(1, 1, 5, 6).recv(1, 2, 7, 8).done();
    EXPECT_EQ(verdict(h, queue_spec::unbounded()), yes);
}

TEST(LinearizabilityQueue, AcceptsRecvInvokedBeforeTheSendReturned) {
    auto h = builder().send(0, 7, 1, 4).recv(1, 7, 2, 6).done();
    EXPECT_EQ(verdict(h, queue_spec::unbounded()), yes);
}

TEST(LinearizabilityQueue, AcceptsOverlappingSendsInEitherOrder) {
    // Send 1 was called first, but 2 came out first: only the order 2, 1 linearizes.
    auto h = builder().send(0, 1, 1, 5).send(1, 2, 2, 6).recv(2, 2, 7, 8).recv(2, 1, 9, 10).done();
    EXPECT_EQ(verdict(h, queue_spec::unbounded(2, 1)), yes);
}

TEST(LinearizabilityQueue, RejectsFifoViolationBetweenNonOverlappingSends) {
    auto h = builder().send(0, 1, 1, 2).send(1, 2, 3, 4).recv(2, 2, 5, 6).recv(2, 1, 7, 8).done();
    const lin_result r = check_linearizable(h, queue_spec::unbounded(2, 1));
    EXPECT_EQ(r.verdict, no) << describe(r, h);
    // Both sends and nothing more can be linearized; the receive of 2 is the one stuck.
    EXPECT_EQ(r.partial.size(), 2u) << describe(r, h);
    EXPECT_EQ(r.stuck, std::vector<std::size_t>{2}) << describe(r, h);
}

TEST(LinearizabilityQueue, RejectsAValueReceivedTwice) {
    auto h = builder().send(0, 1, 1, 2).recv(1, 1, 3, 4).recv(2, 1, 5, 6).done();
    EXPECT_EQ(verdict(h, queue_spec::unbounded(1, 2)), no);
}

TEST(LinearizabilityQueue, RejectsAValueNeverSent) {
    auto h = builder().send(0, 1, 1, 2).recv(1, 9, 3, 4).done();
    EXPECT_EQ(verdict(h, queue_spec::unbounded()), no);
}

TEST(LinearizabilityQueue, RejectsEmptyWhileACompletedSendIsQueued) {
    auto h = builder().send(0, 1, 1, 2).recv_result(1, op_result::empty, 3, 4).recv(1, 1, 5, 6).done();
    EXPECT_EQ(verdict(h, queue_spec::unbounded()), no);
}

TEST(LinearizabilityQueue, AcceptsEmptyOverlappingTheSend) {
    auto h = builder().send(0, 1, 1, 4).recv_result(1, op_result::timeout, 2, 3).recv(1, 1, 5, 6).done();
    EXPECT_EQ(verdict(h, queue_spec::unbounded()), yes);
}

TEST(LinearizabilityQueue, RejectsDisconnectedBeforeTheQueueDrained) {
    EXPECT_EQ(verdict(disconnected_before_the_drain(), queue_spec::unbounded()), no);
}

TEST(LinearizabilityQueue, AcceptsDisconnectedAfterTheLastSenderAndTheDrain) {
    EXPECT_EQ(verdict(drained_then_disconnected(), queue_spec::unbounded()), yes);
}

TEST(LinearizabilityQueue, CountsClonedSenders) {
    // A clone keeps the channel connected after the first drop: Empty, not Disconnected.
    const auto after_clone_and_drop = [](op_result r) {
        return builder()
            .mark(0, op_kind::clone_sender, 1, 2)
            .mark(0, op_kind::drop_sender, 3, 4)
            .recv_result(1, r, 5, 6)
            .done();
    };
    EXPECT_EQ(verdict(after_clone_and_drop(op_result::empty), queue_spec::unbounded()), yes);
    EXPECT_EQ(verdict(after_clone_and_drop(op_result::disconnected), queue_spec::unbounded()), no);
}

TEST(LinearizabilityQueue, SendFailsOnlyWithoutReceivers) {
    auto alive = builder().send(0, 1, 1, 2, op_result::disconnected).done();
    EXPECT_EQ(verdict(alive, queue_spec::unbounded()), no);
    // The receiver's drop discards the held message; later sends fail.
    auto gone = builder()
                    .send(0, 1, 1, 2)
                    .mark(1, op_kind::drop_receiver, 3, 4)
                    .send(0, 2, 5, 6, op_result::disconnected)
                    .done();
    EXPECT_EQ(verdict(gone, queue_spec::unbounded()), yes);
    auto unbounded_full = builder().send(0, 1, 1, 2, op_result::full).done();
    EXPECT_EQ(verdict(unbounded_full, queue_spec::unbounded()), no);
}

TEST(LinearizabilityQueue, LenSampleMustMatch) {
    auto h = builder().send(0, 1, 1, 2).send(0, 2, 3, 4).len(1, 2, 5, 6).recv(1, 1, 7, 8).len(1, 1, 9, 10).done();
    EXPECT_EQ(verdict(h, queue_spec::unbounded()), yes);
    auto wrong = builder().send(0, 1, 1, 2).len(1, 0, 3, 4).done();
    EXPECT_EQ(verdict(wrong, queue_spec::unbounded()), no);
}

// ---------------------------------------------------------------------------------------
// Queues: bounded and rendezvous.

TEST(LinearizabilityQueue, BoundedRejectsCapacityExceeded) {
    auto h = builder().send(0, 1, 1, 2).send(0, 2, 3, 4).recv(1, 1, 5, 6).recv(1, 2, 7, 8).done();
    EXPECT_EQ(verdict(h, queue_spec::bounded(2)), yes);
    EXPECT_EQ(verdict(h, queue_spec::bounded(1)), no);
}

TEST(LinearizabilityQueue, BoundedFullOnlyWhenFull) {
    auto full = builder().send(0, 1, 1, 2).send(0, 2, 3, 4, op_result::full).done();
    EXPECT_EQ(verdict(full, queue_spec::bounded(1)), yes);
    EXPECT_EQ(verdict(full, queue_spec::bounded(2)), no);
    // A try_send overlapping the receive that made room may still have seen it full.
    auto racing = builder().send(0, 1, 1, 2).recv(1, 1, 3, 6).send(0, 2, 4, 5, op_result::timeout).done();
    EXPECT_EQ(verdict(racing, queue_spec::bounded(1)), yes);
}

TEST(LinearizabilityQueue, RendezvousHandsOff) {
    auto h = builder()
                 .send(0, 1, 1, 6)
                 .recv(1, 1, 2, 5)
                 .send(0, 2, 7, 8, op_result::full)  // try_send: no receiver waiting
                 .send(0, 3, 9, 12)
                 .recv(1, 3, 10, 11)
                 .done();
    EXPECT_EQ(verdict(h, queue_spec::rendezvous()), yes);
}

TEST(LinearizabilityQueue, RendezvousRejectsTwoValuesInFlight) {
    // Two sends completed before any receive: a rendezvous buffers nothing.
    auto h = builder().send(0, 1, 1, 2).send(0, 2, 3, 4).recv(1, 1, 5, 6).recv(1, 2, 7, 8).done();
    EXPECT_EQ(verdict(h, queue_spec::rendezvous()), no);
}

// ---------------------------------------------------------------------------------------
// Pending operations.

TEST(LinearizabilityQueue, PendingSendMayBeLeftOutOrTakeEffect) {
    auto left_out = builder().send(0, 1, 1, builder::pending).recv_result(1, op_result::empty, 2, 3).done();
    EXPECT_EQ(verdict(left_out, queue_spec::unbounded()), yes);
    auto took_effect = builder().send(0, 1, 1, builder::pending).recv(1, 1, 2, 3).done();
    EXPECT_EQ(verdict(took_effect, queue_spec::unbounded()), yes);
}

TEST(LinearizabilityQueue, PendingRecvMayHaveTakenTheMessage) {
    // Thread 1 is stuck in a receive; Disconnected on thread 2 is right only if the stuck
    // receive took message 1.
    auto h = builder()
                 .send(0, 1, 1, 2)
                 .recv_result(1, op_result::ok, 3, builder::pending)
                 .mark(0, op_kind::drop_sender, 4, 5)
                 .recv_result(2, op_result::disconnected, 6, 7)
                 .done();
    EXPECT_EQ(verdict(h, queue_spec::unbounded(1, 2)), yes);
    // Invoked after the Disconnected returned, it cannot have.
    auto late = builder()
                    .send(0, 1, 1, 2)
                    .mark(0, op_kind::drop_sender, 4, 5)
                    .recv_result(2, op_result::disconnected, 6, 7)
                    .recv_result(1, op_result::ok, 8, builder::pending)
                    .done();
    EXPECT_EQ(verdict(late, queue_spec::unbounded(1, 2)), no);
}

// ---------------------------------------------------------------------------------------
// Broadcast.

broadcast_spec broadcast_with(std::size_t capacity, std::vector<unsigned> receivers) {
    return broadcast_spec({capacity, 1, std::move(receivers)});
}

TEST(LinearizabilityBroadcast, EveryReceiverSeesEveryMessage) {
    auto h = builder()
                 .send(0, 1, 1, 2)
                 .send(0, 2, 3, 4)
                 .recv(1, 1, 5, 6)
                 .recv(2, 1, 5, 7)
                 .recv(2, 2, 8, 9)
                 .recv(1, 2, 8, 10)
                 .recv_result(1, op_result::empty, 11, 12)
                 .done();
    EXPECT_EQ(verdict(h, broadcast_with(2, {1, 2})), yes);
    EXPECT_EQ(verdict(h, broadcast_with(2, {1})), no);  // thread 2 holds no receiver
}

TEST(LinearizabilityBroadcast, LaggedReportsTheExactCount) {
    auto b = [](std::uint64_t skipped) {
        return builder()
            .send(0, 1, 1, 2)
            .send(0, 2, 3, 4)
            .send(0, 3, 5, 6)
            .recv_result(1, op_result::lagged, 7, 8, skipped)
            .recv(1, 3, 9, 10)
            .done();
    };
    EXPECT_EQ(verdict(b(2), broadcast_with(1, {1})), yes);
    EXPECT_EQ(verdict(b(1), broadcast_with(1, {1})), no);
    EXPECT_EQ(verdict(b(3), broadcast_with(1, {1})), no);
}

TEST(LinearizabilityBroadcast, ARecvTooFarBehindMustLag) {
    auto h = builder().send(0, 1, 1, 2).send(0, 2, 3, 4).recv(1, 1, 5, 6).done();
    EXPECT_EQ(verdict(h, broadcast_with(2, {1})), yes);
    EXPECT_EQ(verdict(h, broadcast_with(1, {1})), no);  // message 1 was overwritten
}

TEST(LinearizabilityBroadcast, SubscriberJoinsAtTheTail) {
    auto h = builder().send(0, 1, 1, 2).mark(1, op_kind::subscribe, 3, 4).send(0, 2, 5, 6).recv(1, 2, 7, 8).done();
    EXPECT_EQ(verdict(h, broadcast_with(4, {2})), yes);
    auto early = builder().send(0, 1, 1, 2).mark(1, op_kind::subscribe, 3, 4).recv(1, 1, 5, 6).done();
    EXPECT_EQ(verdict(early, broadcast_with(4, {2})), no);
}

TEST(LinearizabilityBroadcast, ClosedOnlyAfterTheReceiverCaughtUp) {
    EXPECT_EQ(verdict(drained_then_disconnected(), broadcast_with(1, {1})), yes);
    EXPECT_EQ(verdict(disconnected_before_the_drain(), broadcast_with(1, {1})), no);
}

TEST(LinearizabilityBroadcast, SendFailsOnlyWithoutReceivers) {
    auto h = builder().send(0, 1, 1, 2, op_result::disconnected).done();
    EXPECT_EQ(verdict(h, broadcast_with(1, {})), yes);
    EXPECT_EQ(verdict(h, broadcast_with(1, {1})), no);
}

// ---------------------------------------------------------------------------------------
// Oneshot.

TEST(LinearizabilityOneshot, AcceptsARecvOverlappingTheSend) {
    auto h = builder().recv_result(1, op_result::empty, 1, 2).recv(1, 5, 3, 6).send(0, 5, 4, 5).done();
    EXPECT_EQ(verdict(h, oneshot_spec()), yes);
}

TEST(LinearizabilityOneshot, RejectsAValueReceivedTwice) {
    auto h = builder().send(0, 5, 1, 2).recv(1, 5, 3, 4).recv(1, 5, 5, 6).done();
    EXPECT_EQ(verdict(h, oneshot_spec()), no);
    auto then_disconnected =
        builder().send(0, 5, 1, 2).recv(1, 5, 3, 4).recv_result(1, op_result::disconnected, 5, 6).done();
    EXPECT_EQ(verdict(then_disconnected, oneshot_spec()), yes);
}

TEST(LinearizabilityOneshot, DisconnectedOnlyOnceTheSenderWentUnsent) {
    auto h = builder().mark(0, op_kind::drop_sender, 1, 2).recv_result(1, op_result::disconnected, 3, 4).done();
    EXPECT_EQ(verdict(h, oneshot_spec()), yes);
    auto sent = builder()
                    .send(0, 5, 1, 2)
                    .mark(0, op_kind::drop_sender, 3, 4)
                    .recv_result(1, op_result::disconnected, 5, 6)
                    .done();
    EXPECT_EQ(verdict(sent, oneshot_spec()), no);  // the value was in: recv must get it
}

TEST(LinearizabilityOneshot, SendFailsOnceTheReceiverWentOrTheSenderIsSpent) {
    auto gone = builder().mark(1, op_kind::drop_receiver, 1, 2).send(0, 5, 3, 4, op_result::disconnected).done();
    EXPECT_EQ(verdict(gone, oneshot_spec()), yes);
    auto alive = builder().send(0, 5, 1, 2, op_result::disconnected).done();
    EXPECT_EQ(verdict(alive, oneshot_spec()), no);
    auto twice = builder().send(0, 5, 1, 2).send(0, 6, 3, 4).done();
    EXPECT_EQ(verdict(twice, oneshot_spec()), no);
}

// ---------------------------------------------------------------------------------------
// The checker: budgets, reports, partitions, input errors.

// `n` sends all overlapping, received in call order, then a len sample of 1 on the drained
// queue: not linearizable, but only an exhaustive search over the sends' orders can tell
// (no FIFO pattern of fifo_refute applies).
history needs_search(int n) {
    builder b;
    std::uint64_t t = 1;
    for (int i = 0; i < n; ++i) b.send(static_cast<unsigned>(i % 4), i, t + i, t + 100 + i);
    t = 300;
    for (int i = 0; i < n; ++i, t += 2) b.recv(5, i, t, t + 1);
    b.len(5, 1, t, t + 1);
    return b.done();
}

TEST(LinearizabilityChecker, StateBudgetGivesUnknown) {
    const history h = needs_search(6);
    EXPECT_EQ(check_linearizable(h, queue_spec::unbounded(4, 1)).verdict, no);  // small enough to finish
    lin_options tight;
    tight.max_states = 20;
    const lin_result r = check_linearizable(h, queue_spec::unbounded(4, 1), tight);
    EXPECT_EQ(r.verdict, lin_verdict::unknown) << describe(r, h);
    EXPECT_LE(r.states, 20u);
    EXPECT_NE(r.explanation.find("budget"), std::string::npos) << r.explanation;
}

TEST(LinearizabilityChecker, DeadlineGivesUnknown) {
    const history h = needs_search(14);  // 14! orders of the sends: never finishes in time
    lin_options passed;
    passed.deadline = std::chrono::steady_clock::now();
    const lin_result r = check_linearizable(h, queue_spec::unbounded(4, 1), passed);
    EXPECT_EQ(r.verdict, lin_verdict::unknown) << describe(r, h);
    EXPECT_NE(r.explanation.find("deadline"), std::string::npos) << r.explanation;
}

// Two producers' overlapping sends fill a deep queue, then one receiver drains it: each
// overlapping pair may be pushed either way, so a search that meets a violation only at the
// end faces 2^pairs orders. The FIFO patterns (fifo_refute) answer at once.
history deep_queue(int pairs) {
    builder b;
    std::uint64_t t = 1;
    for (int k = 0; k < pairs; ++k, t += 4) {
        b.send(0, encode(0, k), t, t + 2);
        b.send(1, encode(1, k), t + 1, t + 3);
    }
    for (int k = 0; k < pairs; ++k, t += 4) {
        b.recv(2, encode(1, k), t, t + 1);  // each pair came out in the other order: fine
        b.recv(2, encode(0, k), t + 2, t + 3);
    }
    return b.done();
}

TEST(LinearizabilityChecker, DeepQueueIsCheckedFast) {
    const history h = deep_queue(300);
    const lin_result r = check_linearizable(h, queue_spec::unbounded(2, 1), lin_options::within(10s));
    EXPECT_EQ(r.verdict, yes) << describe(r, h);
}

TEST(LinearizabilityChecker, DeepQueueInversionIsRefuted) {
    history h = deep_queue(300);
    std::swap(h[600 + 20].value, h[600 + 500].value);  // two receives far apart
    const lin_result r = check_linearizable(h, queue_spec::unbounded(2, 1), lin_options::within(10s));
    EXPECT_EQ(r.verdict, no) << describe(r, h);
    EXPECT_NE(r.explanation.find("FIFO order broken"), std::string::npos) << r.explanation;
}

TEST(LinearizabilityChecker, DeepQueueEmptyWhileHeldIsRefuted) {
    history h = deep_queue(300);
    // Another receiver reports Empty in the middle of the drain.
    h.push_back(builder().recv_result(3, op_result::empty, h[900].invoked, h[900].responded).done()[0]);
    const lin_result r = check_linearizable(h, queue_spec::unbounded(2, 2), lin_options::within(10s));
    EXPECT_EQ(r.verdict, no) << describe(r, h);
    EXPECT_NE(r.explanation.find("certainly in the channel"), std::string::npos) << r.explanation;
}

TEST(LinearizabilityChecker, DescribeNamesTheStuckOperationAndTheState) {
    auto h = builder().send(0, 1, 1, 2).send(0, 2, 3, 4).recv(1, 2, 5, 6).done();
    const lin_result r = check_linearizable(h, queue_spec::unbounded());
    ASSERT_EQ(r.verdict, no);
    const std::string text = describe(r, h);
    EXPECT_NE(text.find("not linearizable"), std::string::npos) << text;
    EXPECT_NE(text.find("queue [1, 2]"), std::string::npos) << text;
    EXPECT_NE(text.find(describe(h[2])), std::string::npos) << text;
}

TEST(LinearizabilityChecker, PartitionsByChannel) {
    // As one queue this is a FIFO violation; as two channels each part is fine.
    builder b;
    b.on_channel(0).send(0, 1, 1, 2);
    b.on_channel(1).send(0, 2, 3, 4).recv(1, 2, 5, 6);
    b.on_channel(0).recv(1, 1, 7, 8);
    history h = b.done();
    const lin_result split = check_linearizable(h, queue_spec::unbounded());
    EXPECT_EQ(split.verdict, yes) << describe(split, h);
    EXPECT_EQ(split.partitions, 2u);
    for (event& e : h) e.channel = 0;
    EXPECT_EQ(check_linearizable(h, queue_spec::unbounded()).verdict, no);
}

TEST(LinearizabilityChecker, ReportsTheFailingChannelAndTakesASpecPerChannel) {
    builder b;
    b.on_channel(0).send(0, 1, 1, 2).send(0, 2, 3, 4);  // two held: needs capacity 2
    b.on_channel(3).send(0, 7, 5, 6).recv(1, 8, 7, 8);  // wrong value on channel 3
    const history h = b.done();
    const lin_result r = check_linearizable(h, queue_spec::unbounded());
    EXPECT_EQ(r.verdict, no);
    EXPECT_EQ(r.channel, 3u);
    EXPECT_EQ(r.partition_size, 2u);
    // Channel 0 bounded to one message fails first (channels are checked in order).
    auto spec_for = [](std::uint32_t c) { return c == 0 ? queue_spec::bounded(1) : queue_spec::unbounded(); };
    const lin_result r0 = check_linearizable(h, spec_for);
    EXPECT_EQ(r0.verdict, no);
    EXPECT_EQ(r0.channel, 0u);
}

TEST(LinearizabilityChecker, RejectsAResponseBeforeItsInvocation) {
    auto h = builder().send(0, 1, 5, 4).done();
    EXPECT_THROW((void)check_linearizable(h, queue_spec::unbounded()), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------
// Histories recorded from real channels on real threads.

template <class Sender>
void record_send(recorder& rec, Sender& tx, std::int64_t v) {
    rec.record(op_kind::send, v, [&](event& e) {
        if (!tx.send(v)) e.result = op_result::disconnected;
    });
}

// The drop happens inside the recorded interval (recording it before or after the reset
// would give an interval that misses the moment the channel saw the handle go).
template <class Handle>
void record_drop(recorder& rec, op_kind kind, std::optional<Handle>& handle) {
    rec.record(kind, 0, [&](event&) { handle.reset(); });
}

template <class Receiver>
bool record_recv(recorder& rec, Receiver& rx) {
    bool got = false;
    rec.record(op_kind::recv, 0, [&](event& e) {
        auto r = rx.recv();
        got = static_cast<bool>(r);
        if (got) e.value = r.value();
        else e.result = op_result::disconnected;
    });
    return got;
}

// MPMC 2 x 2: threads 0 and 1 send `per_producer` values each then drop their sender;
// threads 2 and 3 receive until Disconnected.
history record_mpmc(std::optional<std::size_t> capacity, int per_producer) {
    auto [tx, rx] = capacity ? chancheck::mpmc::bounded<std::int64_t>(*capacity) : chancheck::mpmc::unbounded<std::int64_t>();
    std::optional<chancheck::mpmc::sender<std::int64_t>> txs[2] = {tx, std::move(tx)};
    std::optional<chancheck::mpmc::receiver<std::int64_t>> rxs[2] = {rx, std::move(rx)};
    return record_threads(4, [&](unsigned i, recorder& rec) {
        if (i < 2) {
            for (int k = 0; k < per_producer; ++k) record_send(rec, *txs[i], encode(i, k));
            record_drop(rec, op_kind::drop_sender, txs[i]);
        } else {
            while (record_recv(rec, *rxs[i - 2])) {
            }
        }
    });
}

TEST(LinearizabilityRecorded, MpmcUnboundedTwoByTwo) {
    const history h = record_mpmc(std::nullopt, 1000);
    const lin_result r = check_linearizable(h, queue_spec::unbounded(2, 2), lin_options::within(20s));
    EXPECT_EQ(r.verdict, yes) << describe(r, h);
    EXPECT_GE(h.size(), 4000u);
}

TEST(LinearizabilityRecorded, MpmcBoundedTwoByTwo) {
    const history h = record_mpmc(4, 1000);
    const lin_result r = check_linearizable(h, queue_spec::bounded(4, 2, 2), lin_options::within(20s));
    EXPECT_EQ(r.verdict, yes) << describe(r, h);
    EXPECT_EQ(check_linearizable(h, queue_spec::unbounded(2, 2), lin_options::within(20s)).verdict, yes);
}

TEST(LinearizabilityRecorded, CorruptedRecordingIsRejected) {
    history h = record_mpmc(std::nullopt, 500);
    // Swap the values of two receives of producer 0's messages on the consumer that got
    // more of them, far apart: that consumer then sees them out of order.
    std::vector<std::size_t> by_consumer[2];
    for (std::size_t i = 0; i < h.size(); ++i)
        if (h[i].kind == op_kind::recv && h[i].result == op_result::ok && producer_of(h[i].value) == 0)
            by_consumer[h[i].thread - 2].push_back(i);
    const std::vector<std::size_t>& got = by_consumer[0].size() >= by_consumer[1].size() ? by_consumer[0] : by_consumer[1];
    ASSERT_GE(got.size(), 20u);
    std::swap(h[got[2]].value, h[got[got.size() - 3]].value);
    const lin_result r = check_linearizable(h, queue_spec::unbounded(2, 2), lin_options::within(20s));
    EXPECT_EQ(r.verdict, no) << describe(r, h);
}

TEST(LinearizabilityRecorded, MpscBoundedWithTryOperationsAndLenSamples) {
    auto channel = chancheck::mpsc::sync_channel<std::int64_t>(2);
    std::optional<chancheck::mpsc::sender<std::int64_t>> txs[2] = {channel.first, std::move(channel.first)};
    chancheck::mpsc::receiver<std::int64_t>& rx = channel.second;
    const history h = record_threads(3, [&](unsigned i, recorder& rec) {
        if (i < 2) {
            for (int k = 0; k < 600; ++k) {
                const std::int64_t v = encode(i, k);
                rec.record(op_kind::send, v, [&](event& e) {
                    if (k % 2 == 1 && !txs[i]->try_send(v)) e.result = op_result::full;
                    if (k % 2 == 0 && !txs[i]->send_timeout(v, 50us)) e.result = op_result::timeout;
                });
                rec.record(op_kind::len_sample, 0, [&](event& e) { e.value = static_cast<std::int64_t>(txs[i]->len()); });
            }
            record_drop(rec, op_kind::drop_sender, txs[i]);
        } else {
            for (bool open = true; open;) {
                rec.record(op_kind::recv, 0, [&](event& e) {
                    auto r = rx.try_recv();
                    if (r) {
                        e.value = r.value();
                    } else if (r.error() == chancheck::try_recv_error::empty) {
                        e.result = op_result::empty;
                    } else {
                        e.result = op_result::disconnected;
                        open = false;
                    }
                });
                if (rec.log().back().result == op_result::empty) std::this_thread::yield();
            }
        }
    });
    const lin_result r = check_linearizable(h, queue_spec::bounded(2, 2, 1), lin_options::within(20s));
    EXPECT_EQ(r.verdict, yes) << describe(r, h);
}

TEST(LinearizabilityRecorded, BroadcastWithLaggingReceivers) {
    auto [tx, rx1] = chancheck::broadcast::channel<std::int64_t>(4);
    auto rx2 = tx.subscribe();
    std::optional<chancheck::broadcast::sender<std::int64_t>> sender(std::move(tx));
    chancheck::broadcast::receiver<std::int64_t>* rxs[2] = {&rx1, &rx2};
    const history h = record_threads(3, [&](unsigned i, recorder& rec) {
        if (i == 0) {
            for (int k = 0; k < 1000; ++k)
                rec.record(op_kind::send, k, [&](event& e) {
                    if (!sender->send(k)) e.result = op_result::disconnected;
                });
            record_drop(rec, op_kind::drop_sender, sender);
            return;
        }
        for (bool open = true; open;) {
            rec.record(op_kind::recv, 0, [&](event& e) {
                auto r = rxs[i - 1]->recv();
                if (r) {
                    e.value = r.value();
                } else if (r.error().is_lagged()) {
                    e.result = op_result::lagged;
                    e.skipped = r.error().skipped;
                } else {
                    e.result = op_result::disconnected;
                    open = false;
                }
            });
        }
    });
    const lin_result r = check_linearizable(h, broadcast_spec({4, 1, {1, 2}}), lin_options::within(20s));
    EXPECT_EQ(r.verdict, yes) << describe(r, h);
}

TEST(LinearizabilityRecorded, OneshotRoundsPartitionedByChannel) {
    constexpr std::uint32_t rounds = 300;
    std::vector<std::optional<chancheck::oneshot::sender<std::int64_t>>> txs;
    std::vector<std::optional<chancheck::oneshot::receiver<std::int64_t>>> rxs;
    for (std::uint32_t k = 0; k < rounds; ++k) {
        auto [tx, rx] = chancheck::oneshot::channel<std::int64_t>();
        txs.emplace_back(std::move(tx));
        rxs.emplace_back(std::move(rx));
    }
    history h = record_threads(2, [&](unsigned i, recorder& rec) {
        for (std::uint32_t k = 0; k < rounds; ++k) {
            if (i == 0 && k % 3 == 0) {
                record_drop(rec, op_kind::drop_sender, txs[k]);
            } else if (i == 0) {
                rec.record(op_kind::send, k, [&](event& e) {
                    if (!txs[k]->send(k)) e.result = op_result::disconnected;
                });
            } else {
                rec.record(op_kind::recv, k, [&](event& e) {
                    auto r = rxs[k]->recv_timeout(20us);
                    if (r) e.value = r.value();
                    else e.result = r.error() == chancheck::recv_timeout_error::timeout ? op_result::timeout
                                                                                      : op_result::disconnected;
                });
                record_drop(rec, op_kind::drop_receiver, rxs[k]);
            }
        }
    });
    // Each thread's events are in round order: the j-th event of a kind belongs to round j.
    std::uint32_t round[2][2] = {};
    for (event& e : h) {
        const bool first_of_pair = e.thread == 1 ? e.kind == op_kind::recv : true;
        e.channel = round[e.thread][first_of_pair ? 0 : 1]++;
    }
    const lin_result r = check_linearizable(h, oneshot_spec(), lin_options::within(20s));
    EXPECT_EQ(r.verdict, yes) << describe(r, h);
    EXPECT_EQ(r.partitions, rounds);
}

}  // namespace
