// property_tests/sequential/broadcast_oneshot_test.cpp — the two kinds with their own
// sequential models:
//   - chancheck::broadcast against broadcast_model.hpp: capacities 1..4 on both flavors
//     (slots, locked), up to three sender copies and four receivers (subscribe, resubscribe,
//     drop), Lagged(n) counts, Closed only after draining. And the seeded bug the model must
//     catch single-threaded: broadcast_lag_off_by_one (the slots flavor reports
//     Lagged(n - 1)), caught as a wrong Lagged count.
//   - chancheck::oneshot against oneshot_model.hpp, on both flavors (the lock-free state
//     machine and the locked oracle): send once (then spent), receive, drops of either side
//     in any order.
#include <gtest/gtest.h>

#include "broadcast_model.hpp"
#include "chancheck/detail/bug_zoo.hpp"
#include "oneshot_model.hpp"

namespace {

using namespace chancheck_seq;

class BroadcastModel : public testing::TestWithParam<broadcast::config> {};

TEST_P(BroadcastModel, MatchesModel) {
    expect_passes(broadcast::check<chancheck::std_sync>(GetParam(), current_test_id()));
}

INSTANTIATE_TEST_SUITE_P(All, BroadcastModel, testing::ValuesIn(broadcast::all_configs()), config_name{});

TEST(BroadcastModelMutant, LagOffByOneIsCaught) {
    using buggy = chancheck::with_bug<chancheck::std_sync, chancheck::bug::broadcast_lag_off_by_one>;
    const broadcast::config cfg{"cap2_slots", 2, chancheck::implementation::lock_free};
    expect_caught(broadcast::check<buggy>(cfg, current_test_id()), kind::wrong_lagged);
}

class OneshotModel : public testing::TestWithParam<oneshot::config> {};

TEST_P(OneshotModel, MatchesModel) {
    expect_passes(oneshot::check<chancheck::std_sync>(GetParam(), current_test_id()));
}

INSTANTIATE_TEST_SUITE_P(All, OneshotModel, testing::ValuesIn(oneshot::all_configs()), config_name{});

}  // namespace
