// property_tests/sequential/oneshot_test.cpp — chancheck::oneshot against the sequential
// oneshot model (oneshot_model.hpp), on both flavors (the lock-free state machine and the
// locked oracle): send once (then spent), receive, drops of either side in any order.
#include <gtest/gtest.h>

#include "oneshot_model.hpp"

namespace {

using namespace chancheck_seq;

class OneshotModel : public testing::TestWithParam<oneshot::config> {};

TEST_P(OneshotModel, MatchesModel) {
    expect_passes(oneshot::check<chancheck::std_sync>(GetParam(), current_test_id()));
}

INSTANTIATE_TEST_SUITE_P(All, OneshotModel, testing::ValuesIn(oneshot::all_configs()),
                         [](const testing::TestParamInfo<oneshot::config>& info) {
                             return std::string(info.param.name);
                         });

}  // namespace
