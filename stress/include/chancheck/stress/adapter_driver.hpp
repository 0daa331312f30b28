// chancheck/stress/adapter_driver.hpp — the stress driver for a channel brought through an
// adapter (harness/channel.hpp): the same command line, sweep, workloads (stream,
// round_trip, receiver_quits), watchdog, child processes and JSON as chancheck-stress
// (driver.hpp), with the adapter's name as the channel kind and "adapter" as its one flavor.
//
// The same rig as chancheck's own channels (channel_rig, rigs.hpp): each producer its own
// sender copy, each consumer its own receiver copy (multi_consumer), a subscription
// (broadcast) or the one receiver; the len() <= capacity sample where the adapter has len().
// What the user's channel cannot have here: chaos noise (it is injected by chancheck's Sync
// policy, which their channel does not use) and the seeded bugs.
//
//   int main(int argc, char** argv) {
//       return chancheck::stress::adapter_stress_main<my_adapter>(argc, argv, "my_queue-stress");
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

// The configurations the adapter cannot run, named.
template <template <class> class A>
std::string adapter_problem(const run_config& c) {
    using adapted = A<counted>;
    if (!adapted::supports(c.capacity))
        return std::string("--capacity ") + capacity_text(c.capacity) + ": " + adapted::name +
               " does not support that capacity (its adapter's supports() says no)";
    if (!adapted::multi_consumer && !harness::has_subscribe<adapted> && c.consumers != 1)
        return std::string(adapted::name) + " has one receiver: --consumers must be 1 (got " + std::to_string(c.consumers) + ")";
    return "";
}

inline std::string adapter_usage(const std::string& program, const std::string& kind) {
    return "Usage: " + program + " [options]            one run\n       " + program +
           " --all [options]      sweep every configuration within --budget\n       " + program +
           " --list               print the sweep\n\n"
           "Stress runs of " + kind + " (through its chancheck adapter) on real threads.\n"
           "One run:\n"
           "  --workload W      stream | round_trip | receiver_quits                (default stream)\n"
           "  --producers N     producer (client) threads, 1..64                    (default 1)\n"
           "  --consumers N     consumer (server) threads, 1..64                    (default 1)\n"
           "  --capacity C      0 (rendezvous), N, or unbounded, as the adapter supports (default unbounded)\n"
           "  --messages N      messages per producer (0: until --duration ends)    (default 100000)\n"
           "  --duration D      run for D (e.g. 500ms, 2s); 0 to use --messages only\n"
           "  --seed S          the run's seed (default: random, printed)\n"
           "  --watchdog D      fail when no thread completes an operation for D     (default 10s)\n"
           "  --kind " + kind + " --flavor adapter   accepted (the only kind and flavor)\n"
           "Sweep (--all):\n"
           "  --budget D        total time for the sweep                            (default 60s)\n"
           "  --workload W      restrict the sweep\n"
           "Common:\n"
           "  --results DIR     write run files to DIR/stress/runs/ and a summary to DIR/stress/\n"
           "  --hard-limit D    kill a run that outlives D even without a watchdog verdict\n"
           "  --help            this text\n"
           "Exit status: 0 all runs passed, 1 otherwise, 2 bad usage.\n";
}

template <template <class> class A>
int adapter_stress_main(int argc, char** argv, const std::string& program) {
    static_assert(harness::channel_adapter<A>, "the adapter does not model chancheck::harness::channel_adapter");
    static_assert(harness::valid_adapter_name(A<counted>::name), "an adapter's name must be [a-z0-9_]+");
    user_kind_name() = A<counted>::name;
    const subject_table table{
        .program = program,
        .usage = adapter_usage(program, A<counted>::name),
        .kinds = {stress_kind::user},
        .flavors = {channel_flavor::adapter},
        .default_kind = stress_kind::user,
        .default_flavor = channel_flavor::adapter,
        .chaos = false,
        .bug_zoo = false,
        .reference = [](stress_kind, bool) -> runner { return &run_adapter<A>; },
        .mutant = nullptr,
        .check = &adapter_problem<A>,
    };
    return driver_main(argc, argv, table);
}

}  // namespace chancheck::stress
