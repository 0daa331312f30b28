// property_tests/sequential/mpsc_test.cpp — chancheck::mpsc against the sequential queue
// model (queue_model.hpp): channel() on both flavors, sync_channel(n) for n = 1..4 on both
// flavors, and the rendezvous sync_channel(0) on both flavors. One receiver (move-only),
// up to three sender copies.
//
// And the seeded bug the model must catch single-threaded: array_discard_skips_destroy
// (the last receiver's drop leaves the buffered messages undestroyed), caught as a
// destruction imbalance — by the per-command live-message check and by the final
// constructed == destroyed check, each on its own.
#include <gtest/gtest.h>

#include "chancheck/detail/bug_zoo.hpp"
#include "queue_model.hpp"

namespace {

using namespace chancheck_seq;

class MpscModel : public testing::TestWithParam<queue::config> {};

TEST_P(MpscModel, MatchesModel) {
    using kind = queue::mpsc_kind<chancheck::std_sync>;
    expect_passes(queue::check<kind>(GetParam(), current_test_id(), queue::budget_for(GetParam())));
}

INSTANTIATE_TEST_SUITE_P(All, MpscModel, testing::ValuesIn(queue::all_configs()),
                         [](const testing::TestParamInfo<queue::config>& info) {
                             return std::string(info.param.name);
                         });

using discard_skips_destroy = chancheck::with_bug<chancheck::std_sync, chancheck::bug::array_discard_skips_destroy>;

// The bounded (array) flavor with the bug fails as a destruction imbalance.
TEST(MpscModelMutant, ArrayDiscardSkipsDestroyIsCaught) {
    const queue::config cfg{"bounded2_lock_free", std::size_t{2}, chancheck::implementation::lock_free};
    expect_caught(queue::check<queue::mpsc_kind<discard_skips_destroy>>(cfg, current_test_id()),
                  kind::destruction_imbalance);
}

// Each message-object check alone bites too: the live count right after the receiver's drop,
// and the balance after every handle is gone.
TEST(MpscModelMutant, ArrayDiscardSkipsDestroyIsCaughtByTheLiveCheckAlone) {
    const queue::config cfg{"bounded3_lock_free", std::size_t{3}, chancheck::implementation::lock_free};
    const auto o = queue::check<queue::mpsc_kind<discard_skips_destroy>>(cfg, current_test_id(), {},
                                                                          counting::live_each_step_only);
    expect_caught(o, kind::destruction_imbalance);
    if (o.failed()) {
        EXPECT_NE(o.failure().description.find("after drop(receiver"), std::string::npos) << o.report();
    }
}

TEST(MpscModelMutant, ArrayDiscardSkipsDestroyIsCaughtByTheFinalBalanceAlone) {
    const queue::config cfg{"bounded1_lock_free", std::size_t{1}, chancheck::implementation::lock_free};
    const auto o = queue::check<queue::mpsc_kind<discard_skips_destroy>>(cfg, current_test_id(), {},
                                                                          counting::final_balance_only);
    expect_caught(o, kind::destruction_imbalance);
    if (o.failed()) {
        EXPECT_NE(o.failure().description.find("after dropping every handle"), std::string::npos) << o.report();
    }
}

}  // namespace
