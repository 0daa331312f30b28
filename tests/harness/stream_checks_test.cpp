// tests/harness/stream_checks_test.cpp — the stress engine's online oracles fire on the
// runs they exist to reject (hand-built tallies), and stay quiet on a correct one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chancheck/harness/stream_checks.hpp"

namespace {

using namespace chancheck::harness;

bool has(const violations& v, violation_kind k) {
    for (const auto& x : v)
        if (x.kind == k) return true;
    return false;
}

// Two producers sent 0..2 each; returns their tallies.
std::vector<producer_tally> two_producers_sent_three() {
    std::vector<producer_tally> p(2);
    for (unsigned i = 0; i < 2; ++i)
        for (std::uint64_t s = 0; s < 3; ++s) p[i].sent(s, true);
    return p;
}

TEST(StreamChecks, CorrectQueueRunPasses) {
    auto p = two_producers_sent_three();
    std::vector<consumer_tally> c(2, consumer_tally(2));
    for (std::uint64_t s = 0; s < 3; ++s) c[0].received(stream_value(0, s));
    for (std::uint64_t s = 0; s < 3; ++s) c[1].received(stream_value(1, s));
    const stream_verdict v = judge_stream(p, c, stream_semantics::queue, true);
    EXPECT_TRUE(v.found.empty()) << describe(v.found);
    EXPECT_EQ(v.messages_verified, 6u);
}

TEST(StreamChecks, LostDuplicatedUnknownAndOutOfOrderAreCaught) {
    auto p = two_producers_sent_three();
    std::vector<consumer_tally> c(2, consumer_tally(2));
    c[0].received(stream_value(0, 1));
    c[0].received(stream_value(0, 0));  // FIFO broken
    c[1].received(stream_value(0, 1));  // the same message twice
    c[1].received(stream_value(1, 7));  // never sent
    const violations v = judge_stream(p, c, stream_semantics::queue, true).found;
    EXPECT_TRUE(has(v, violation_kind::fifo_violation));
    EXPECT_TRUE(has(v, violation_kind::duplicated_message));
    EXPECT_TRUE(has(v, violation_kind::unknown_message));
    EXPECT_TRUE(has(v, violation_kind::lost_message));  // p0#2, p1#0..2 never arrived
}

TEST(StreamChecks, QuittingConsumersExcuseLossesButNotDuplicates) {
    auto p = two_producers_sent_three();
    std::vector<consumer_tally> c(2, consumer_tally(2));
    c[0].received(stream_value(0, 0));
    c[1].received(stream_value(0, 0));
    const violations v = judge_stream(p, c, stream_semantics::queue, /*all_drained=*/false).found;
    EXPECT_FALSE(has(v, violation_kind::lost_message));
    EXPECT_TRUE(has(v, violation_kind::duplicated_message));
}

TEST(StreamChecks, ProducerSideChecksFire) {
    producer_tally t;
    t.check_returned(stream_value(0, 4), stream_value(0, 4));
    t.check_len(16, 16);
    EXPECT_TRUE(t.found.empty());
    t.check_returned(stream_value(0, 4), stream_value(0, 5));
    t.check_len(17, 16);
    EXPECT_TRUE(has(t.found, violation_kind::value_not_returned));
    EXPECT_TRUE(has(t.found, violation_kind::capacity_exceeded));
}

TEST(StreamChecks, BroadcastAccountingCountsLagged) {
    auto p = two_producers_sent_three();  // 6 sent
    std::vector<consumer_tally> c(2, consumer_tally(2));
    for (std::uint64_t s = 0; s < 3; ++s) c[0].received(stream_value(0, s));
    c[0].lagged(3);                         // 3 + 3 = 6: accounted
    c[1].received(stream_value(1, 2));
    c[1].lagged(4);                         // 1 + 4 = 5: one message unaccounted
    const violations v = judge_stream(p, c, stream_semantics::broadcast, true).found;
    ASSERT_EQ(v.size(), 1u) << describe(v);
    EXPECT_EQ(v[0].kind, violation_kind::lag_accounting);
    EXPECT_NE(v[0].detail.find("consumer 1"), std::string::npos);
}

}  // namespace
