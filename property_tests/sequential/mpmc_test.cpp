// property_tests/sequential/mpmc_test.cpp — chancheck::mpmc against the sequential queue
// model (queue_model.hpp): unbounded, bounded 1..4 and rendezvous, on both flavors, with up
// to three sender copies and three receiver clones (cloned and dropped by the commands; each
// message goes to exactly one receiver, in FIFO order whichever receiver asks).
//
// And the seeded bug the model must catch single-threaded: array_discard_skips_destroy
// (the last receiver's drop leaves the buffered messages undestroyed).
#include <gtest/gtest.h>

#include "chancheck/detail/bug_zoo.hpp"
#include "queue_model.hpp"

namespace {

using namespace chancheck_seq;

class MpmcModel : public testing::TestWithParam<queue::config> {};

TEST_P(MpmcModel, MatchesModel) {
    using kind = queue::mpmc_kind<chancheck::std_sync>;
    expect_passes(queue::check<kind>(GetParam(), current_test_id(), queue::budget_for(GetParam())));
}

INSTANTIATE_TEST_SUITE_P(All, MpmcModel, testing::ValuesIn(queue::all_configs()),
                         [](const testing::TestParamInfo<queue::config>& info) {
                             return std::string(info.param.name);
                         });

TEST(MpmcModelMutant, ArrayDiscardSkipsDestroyIsCaught) {
    using buggy = chancheck::with_bug<chancheck::std_sync, chancheck::bug::array_discard_skips_destroy>;
    const queue::config cfg{"bounded2_lock_free", std::size_t{2}, chancheck::implementation::lock_free};
    expect_caught(queue::check<queue::mpmc_kind<buggy>>(cfg, current_test_id()), kind::destruction_imbalance);
}

}  // namespace
