// property_tests/sequential/queue_test.cpp — chancheck::mpsc and chancheck::mpmc against the
// sequential queue model (queue_model.hpp): unbounded, bounded 1..4 and the rendezvous, each
// on both flavors. mpsc: one receiver (move-only), up to three sender copies. mpmc: up to
// three sender copies and three receiver clones (cloned and dropped by the commands; each
// message goes to exactly one receiver, in FIFO order whichever receiver asks).
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

template <template <class> class Kind>
void expect_matches_model(const queue::config& cfg) {
    expect_passes(queue::check<Kind<chancheck::std_sync>>(cfg, current_test_id(), queue::budget_for(cfg)));
}

class MpscModel : public testing::TestWithParam<queue::config> {};
TEST_P(MpscModel, MatchesModel) { expect_matches_model<queue::mpsc_kind>(GetParam()); }
INSTANTIATE_TEST_SUITE_P(All, MpscModel, testing::ValuesIn(queue::all_configs()), config_name{});

class MpmcModel : public testing::TestWithParam<queue::config> {};
TEST_P(MpmcModel, MatchesModel) { expect_matches_model<queue::mpmc_kind>(GetParam()); }
INSTANTIATE_TEST_SUITE_P(All, MpmcModel, testing::ValuesIn(queue::all_configs()), config_name{});

using discard_skips_destroy = chancheck::with_bug<chancheck::std_sync, chancheck::bug::array_discard_skips_destroy>;

// The bounded (array) flavor with the bug fails as a destruction imbalance.
TEST(MpscModelMutant, ArrayDiscardSkipsDestroyIsCaught) {
    const queue::config cfg{"bounded2_lock_free", std::size_t{2}, chancheck::implementation::lock_free};
    expect_caught(queue::check<queue::mpsc_kind<discard_skips_destroy>>(cfg, current_test_id()),
                  kind::destruction_imbalance);
}

// Each message-object check alone bites too: the live count right after the receiver's drop,
// and the balance after every handle is gone. Each must name where it saw the imbalance.
void expect_caught_by(counting alone, const queue::config& cfg, std::string_view where) {
    const auto o = queue::check<queue::mpsc_kind<discard_skips_destroy>>(cfg, current_test_id(), {}, alone);
    expect_caught(o, kind::destruction_imbalance);
    if (o.failed()) {
        EXPECT_NE(o.failure().description.find(where), std::string::npos) << o.report();
    }
}

TEST(MpscModelMutant, ArrayDiscardSkipsDestroyIsCaughtByTheLiveCheckAlone) {
    expect_caught_by(counting::live_each_step_only,
                     {"bounded3_lock_free", std::size_t{3}, chancheck::implementation::lock_free}, "after drop(receiver");
}

TEST(MpscModelMutant, ArrayDiscardSkipsDestroyIsCaughtByTheFinalBalanceAlone) {
    expect_caught_by(counting::final_balance_only,
                     {"bounded1_lock_free", std::size_t{1}, chancheck::implementation::lock_free},
                     "after dropping every handle");
}

TEST(MpmcModelMutant, ArrayDiscardSkipsDestroyIsCaught) {
    const queue::config cfg{"bounded2_lock_free", std::size_t{2}, chancheck::implementation::lock_free};
    expect_caught(queue::check<queue::mpmc_kind<discard_skips_destroy>>(cfg, current_test_id()), kind::destruction_imbalance);
}

}  // namespace
