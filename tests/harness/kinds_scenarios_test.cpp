// tests/harness/kinds_scenarios_test.cpp — the mpmc, rendezvous, select, broadcast and
// oneshot scenarios on real threads (std_sync).
//
// The same scenario objects kinds_scenarios_model runs under Relacy, here with thousands of
// messages (or oneshot rounds) per run and several runs per case, judged by the same oracles.
// A hang becomes a clear failure through the watchdog (run_on_threads.hpp).
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "../channels/flavor_cases.hpp"
#include "chancheck/harness/broadcast_fanout_scenario.hpp"
#include "chancheck/harness/kinds_scenarios.hpp"
#include "run_on_threads.hpp"

namespace chancheck::harness {
// Readable parameter values in gtest's messages. (Not for channel_config: scenarios_test.cpp
// prints that type too, and both programs must instantiate gtest's printer for it alike.)
inline std::ostream& operator<<(std::ostream& os, const broadcast_config& c) { return os << c.name; }
inline std::ostream& operator<<(std::ostream& os, const oneshot_config& c) { return os << c.name; }
}  // namespace chancheck::harness

namespace {

using namespace chancheck::harness;

// 2000 messages per producer (or oneshot rounds) in a plain build, 200 under either sanitizer.
constexpr std::size_t messages = chancheck_test::scaled_by(2000, 10, 10);
constexpr int runs = 5;

template <template <class> class Scenario, class Config>
void check_scenario(const Config& config) {
    chancheck_test::check_scenario<Scenario>(config, messages, runs);
}

template <class Config>
std::string config_name(const ::testing::TestParamInfo<Config>& info) {
    return info.param.name;
}

class MpmcScenario : public ::testing::TestWithParam<channel_config> {};
TEST_P(MpmcScenario, TwoByTwo) { check_scenario<mpmc_two_by_two>(GetParam()); }
INSTANTIATE_TEST_SUITE_P(AllFlavors, MpmcScenario, ::testing::ValuesIn(mpsc_configs()), config_name<channel_config>);

class RendezvousScenario : public ::testing::TestWithParam<channel_config> {};
TEST_P(RendezvousScenario, HandOff) { check_scenario<rendezvous_hand_off>(GetParam()); }
INSTANTIATE_TEST_SUITE_P(ZeroCapacity, RendezvousScenario, ::testing::ValuesIn(rendezvous_configs()),
                         config_name<channel_config>);

class SelectScenario : public ::testing::TestWithParam<channel_config> {};
TEST_P(SelectScenario, RacingSend) { check_scenario<select_racing_send>(GetParam()); }
INSTANTIATE_TEST_SUITE_P(SelectableFlavors, SelectScenario, ::testing::ValuesIn(select_configs()),
                         config_name<channel_config>);

class BroadcastScenario : public ::testing::TestWithParam<broadcast_config> {};
TEST_P(BroadcastScenario, LaggingReceiver) { check_scenario<broadcast_lagging_receiver>(GetParam()); }
TEST_P(BroadcastScenario, Fanout) { check_scenario<broadcast_fanout>(GetParam()); }
INSTANTIATE_TEST_SUITE_P(AllFlavors, BroadcastScenario, ::testing::ValuesIn(broadcast_configs()),
                         config_name<broadcast_config>);

class OneshotScenario : public ::testing::TestWithParam<oneshot_config> {};
TEST_P(OneshotScenario, ConcurrentDrop) { check_scenario<oneshot_concurrent_drop>(GetParam()); }
TEST_P(OneshotScenario, Reply) { check_scenario<oneshot_reply>(GetParam()); }
INSTANTIATE_TEST_SUITE_P(AllFlavors, OneshotScenario, ::testing::ValuesIn(oneshot_configs()),
                         config_name<oneshot_config>);

}  // namespace
