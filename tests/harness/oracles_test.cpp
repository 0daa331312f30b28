// tests/harness/oracles_test.cpp — each oracle accepts a correct history and rejects a
// broken one with the expected kind of violation (an oracle that never failed proves nothing).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include "chancheck/harness/oracles.hpp"

namespace {

using namespace chancheck::harness;

// Builds histories with increasing stamps: each call is one operation that returned before
// the next began, unless stamps are given.
class builder {
public:
    builder& send(unsigned t, std::int64_t v, op_result r = op_result::ok, std::int64_t returned = -1) {
        return add({t, op_kind::send, r, v, r == op_result::ok ? -1 : returned});
    }
    builder& recv(unsigned t, std::int64_t v) { return add({t, op_kind::recv, op_result::ok, v}); }
    builder& recv_result(unsigned t, op_result r, std::uint64_t skipped = 0) {
        event e{t, op_kind::recv, r};
        e.skipped = skipped;
        return add(e);
    }
    builder& len(unsigned t, std::int64_t n) { return add({t, op_kind::len_sample, op_result::ok, n}); }
    builder& drop_receiver(unsigned t) { return add({t, op_kind::drop_receiver, op_result::ok}); }
    history done() const { return h_; }

private:
    builder& add(event e) {
        e.invoked = clock_++;
        e.responded = clock_++;
        h_.push_back(e);
        return *this;
    }
    history h_;
    std::uint64_t clock_ = 1;
};

bool has(const violations& vs, violation_kind k) {
    return std::any_of(vs.begin(), vs.end(), [&](const violation& v) { return v.kind == k; });
}

const std::int64_t a1 = encode(0, 1), a2 = encode(0, 2), b1 = encode(1, 1);

TEST(ExactlyOnce, AcceptsEveryValueReceivedOnce) {
    auto h = builder().send(0, a1).send(1, b1).recv(2, b1).recv(2, a1).done();
    EXPECT_TRUE(exactly_once(h).empty()) << describe(exactly_once(h));
}

TEST(ExactlyOnce, RejectsALostMessage) {
    auto h = builder().send(0, a1).send(0, a2).recv(2, a1).done();
    EXPECT_TRUE(has(exactly_once(h), violation_kind::lost_message));
}

TEST(ExactlyOnce, AllowsDiscardWhenTheReceiverWasDropped) {
    auto h = builder().send(0, a1).send(0, a2).recv(2, a1).drop_receiver(2).done();
    EXPECT_TRUE(exactly_once(h).empty()) << describe(exactly_once(h));
}

TEST(ExactlyOnce, RejectsADuplicate) {
    auto h = builder().send(0, a1).recv(2, a1).recv(2, a1).done();
    EXPECT_TRUE(has(exactly_once(h), violation_kind::duplicated_message));
}

TEST(ExactlyOnce, RejectsAValueNeverSent) {
    auto h = builder().send(0, a1).recv(2, a1).recv(2, b1).done();
    EXPECT_TRUE(has(exactly_once(h), violation_kind::unknown_message));
}

TEST(ExactlyOnce, RejectsAFailedSendThatKeptTheValue) {
    auto good = builder().send(0, a1, op_result::disconnected, a1).done();
    EXPECT_TRUE(exactly_once(good).empty());
    auto bad = builder().send(0, a1, op_result::disconnected, -1).done();
    EXPECT_TRUE(has(exactly_once(bad), violation_kind::value_not_returned));
    // A failed send whose value was received anyway: delivered and returned at once.
    auto both = builder().send(0, a1, op_result::full, a1).recv(2, a1).done();
    EXPECT_TRUE(has(exactly_once(both), violation_kind::unknown_message));
}

TEST(PerProducerFifo, AcceptsInterleavedProducersInOrder) {
    auto h = builder().send(0, a1).send(1, b1).send(0, a2).recv(2, b1).recv(2, a1).recv(2, a2).done();
    EXPECT_TRUE(per_producer_fifo(h).empty()) << describe(per_producer_fifo(h));
}

TEST(PerProducerFifo, RejectsReordering) {
    auto h = builder().send(0, a1).send(0, a2).recv(2, a2).recv(2, a1).done();
    EXPECT_TRUE(has(per_producer_fifo(h), violation_kind::fifo_violation));
}

TEST(PerProducerFifo, ChecksEachReceiverSeparately) {
    // MPMC: two receivers each see a subsequence in order; that is fine.
    auto h = builder().send(0, a1).send(0, a2).recv(2, a1).recv(3, a2).done();
    EXPECT_TRUE(per_producer_fifo(h).empty());
}

TEST(CapacityBound, RejectsLenAboveCapacity) {
    EXPECT_TRUE(capacity_bound(builder().len(0, 2).done(), 2).empty());
    EXPECT_TRUE(has(capacity_bound(builder().len(0, 3).done(), 2), violation_kind::capacity_exceeded));
    EXPECT_TRUE(has(capacity_bound(builder().len(0, 1).done(), 0), violation_kind::capacity_exceeded));
    EXPECT_TRUE(capacity_bound(builder().len(0, 1000).done(), std::nullopt).empty());  // unbounded
}

TEST(DisconnectAfterDrain, AcceptsDisconnectAfterEveryMessage) {
    auto h = builder().send(0, a1).recv(2, a1).recv_result(2, op_result::disconnected).done();
    EXPECT_TRUE(disconnect_after_drain(h).empty()) << describe(disconnect_after_drain(h));
}

TEST(DisconnectAfterDrain, RejectsDisconnectWithAMessageLeft) {
    auto h = builder().send(0, a1).send(0, a2).recv(2, a1).recv_result(2, op_result::disconnected).done();
    EXPECT_TRUE(has(disconnect_after_drain(h), violation_kind::early_disconnect));
}

TEST(DisconnectAfterDrain, RejectsAReceiveAfterDisconnect) {
    auto h = builder().send(0, a1).recv_result(2, op_result::disconnected).recv(2, a1).done();
    EXPECT_TRUE(has(disconnect_after_drain(h), violation_kind::early_disconnect));
}

TEST(DestructionBalance, RejectsLeaksAndDoubleDestruction) {
    EXPECT_TRUE(destruction_balance(5, 5).empty());
    EXPECT_TRUE(has(destruction_balance(5, 4), violation_kind::destruction_mismatch));
    EXPECT_TRUE(has(destruction_balance(5, 6), violation_kind::destruction_mismatch));
}

TEST(BroadcastAccounting, AcceptsReceivedPlusLaggedEqualsSent) {
    auto h = builder().recv_result(2, op_result::lagged, 3).recv(2, 3).recv(2, 4).recv(3, 0).recv(3, 1)
                 .recv(3, 2).recv(3, 3).recv(3, 4).done();
    EXPECT_TRUE(broadcast_accounting(h, 5).empty()) << describe(broadcast_accounting(h, 5));
}

TEST(BroadcastAccounting, RejectsAnOffByOneLag) {
    auto h = builder().recv_result(2, op_result::lagged, 2).recv(2, 3).recv(2, 4).done();
    EXPECT_TRUE(has(broadcast_accounting(h, 5), violation_kind::lag_accounting));
}

TEST(BroadcastAccounting, RejectsOutOfOrderValues) {
    auto h = builder().recv(2, 1).recv(2, 0).done();
    EXPECT_TRUE(has(broadcast_accounting(h, 2), violation_kind::fifo_violation));
}

TEST(History, ValueEncodingRoundTrips) {
    EXPECT_EQ(producer_of(encode(3, 42)), 3u);
    EXPECT_EQ(sequence_of(encode(3, 42)), 42);
    EXPECT_EQ(describe(event{1, op_kind::recv, op_result::ok, 7, -1, 0, 5, 8}), "t1 recv -> ok 7 [5,8]");
}

}  // namespace
