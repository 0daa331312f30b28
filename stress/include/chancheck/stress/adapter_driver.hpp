// chancheck/stress/adapter_driver.hpp — the stress driver for a channel brought through an
// adapter (harness/channel.hpp): the same command line, sweep, workloads (stream,
// round_trip, receiver_quits), watchdog, child processes and JSON as chancheck-stress
// (driver.hpp), with the adapter's one channel, named after it.
//
// The same rig as chancheck's own channels (channel_rig, rigs.hpp): each producer its own
// sender copy, each consumer its own receiver copy (multi_consumer), a subscription
// (broadcast) or the one receiver; the len() <= capacity sample where the adapter has len().
// Chaos noise (--chaos, and half the sweep's runs): when chancheck_add_channel could build the
// program with the controlled runtime's instrumentation (CHANCHECK_STRESS_CHAOS, set by
// chancheck_controlled_instrument's user), every atomic operation, lock, wait and notify of the
// user's unmodified channel is a point where chaos_sync's random yields and short sleeps are
// injected (controlled/src/scheduler.cpp: chaos_point). What their channel cannot have here:
// the seeded bugs.
//
//   int main(int argc, char** argv) {
//       return chancheck::stress::adapter_stress_main<my_adapter>(argc, argv);
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/harness/channel.hpp"
#include "chancheck/stress/driver.hpp"
#include "chancheck/stress/rigs.hpp"
#include "chancheck/stress/workloads.hpp"

namespace chancheck::stress {

template <template <class> class A>
run_outcome run_adapter(const run_context& ctx) {
    using adapted = A<counted>;
    if constexpr (harness::channel_traits<adapted, counted>::kind == harness::channel_kind::broadcast) {
        return run_stream<channel_rig<adapted>>(ctx);
    } else {
        return run_workload<channel_rig<adapted>>(ctx);
    }
}

template <template <class> class A>
runner adapter_runner(bool) {
    return &run_adapter<A>;
}

template <template <class> class A>
flavor adapter_flavor(implementation, std::optional<std::size_t> capacity) {
    return harness::channel_traits<A<counted>, counted>::flavor_of(capacity);
}

template <template <class> class A>
bool adapter_supports(std::optional<std::size_t> capacity) {
    return A<counted>::supports(capacity);
}

template <template <class> class A>
int adapter_stress_main(int argc, char** argv) {
    static_assert(harness::channel_adapter<A>, "the adapter does not model chancheck::harness::channel_adapter");
    static_assert(harness::valid_adapter_name(A<counted>::name), "an adapter's name must be [a-z0-9_]+");
    using traits = harness::channel_traits<A<counted>, counted>;
    const std::string name = A<counted>::name;
    const driver_table table{
        .program = std::filesystem::path(argv[0]).filename().string(),
        .description = "Stress runs of " + name + " (through its chancheck adapter) on real threads: one run, --all (a "
                       "sweep within --budget), --list.",
        .channels = {{.name = name,
                      .kind = traits::kind,
                      .impls = {implementation::lock_free},
                      .flavor_of = &adapter_flavor<A>,
                      .supports = &adapter_supports<A>,
                      .multi_consumer = traits::multi_consumer,
                      .reference = &adapter_runner<A>,
                      .timed_sends = harness::has_send_timeout<A<counted>, counted> || harness::has_try_send<A<counted>, counted>}},
        .default_channel = name,
#ifdef CHANCHECK_STRESS_CHAOS
        .chaos = true,
#else
        .chaos = false,
#endif
        .bug_zoo = false,
        .mutant = nullptr,
        // One channel, not chancheck's five kinds: a shorter sweep covers its configurations.
        .quick_sweep_ms = 5'000,
        .full_sweep_ms = 60'000,
    };
    return driver_main(argc, argv, table);
}

}  // namespace chancheck::stress
