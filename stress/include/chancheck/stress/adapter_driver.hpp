// chancheck/stress/adapter_driver.hpp — the stress driver for a channel brought through an
// adapter (harness/channel_adapter.hpp): the same command line, sweep, workloads (stream,
// round_trip, receiver_quits), watchdog, child processes and JSON as chancheck-stress
// (driver.hpp), with the adapter's name as the channel kind and "adapter" as its one flavor.
//
// The rig gives each producer its own sender copy and each consumer its own receiver copy
// (multi_consumer) or the one receiver, exactly as queue_rig does for chancheck's channels.
// What the user's channel cannot have here: chaos noise (it is injected by chancheck's Sync
// policy, which their channel does not use), the seeded bugs, and the len() <= capacity
// sample (the concept has no len()).
//
//   int main(int argc, char** argv) {
//       return chancheck::stress::adapter_stress_main<my_adapter>(argc, argv, "my_queue-stress");
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/harness/channel_adapter.hpp"
#include "chancheck/stress/driver.hpp"
#include "chancheck/stress/rigs.hpp"
#include "chancheck/stress/workloads.hpp"

namespace chancheck::stress {

template <template <class> class A>
class adapter_rig {
public:
    using adapted = A<counted>;
    static constexpr harness::stream_semantics semantics = harness::stream_semantics::queue;

    adapter_rig(const rig_shape& shape, message_counters& counters) : counters_(counters) {
        auto opened = adapted::open(shape.capacity);
        for (unsigned p = 1; p < shape.producers; ++p) tx_.emplace_back(opened.first);
        tx_.emplace_back(std::move(opened.first));
        if constexpr (adapted::multi_consumer)
            for (unsigned c = 1; c < shape.consumers; ++c) rx_.emplace_back(opened.second);
        rx_.emplace_back(std::move(opened.second));
    }

    bool send(unsigned p, std::int64_t value, producer_tally& tally) {
        counted message(value, counters_);
        if (tx_[p]->send(message)) return true;
        tally.check_returned(value, message.value());  // the concept: a failed send keeps its value
        return false;
    }
    received recv(unsigned c) {
        std::optional<counted> m = rx_[c]->recv();
        if (m) return {received::status::message, m->value(), 0};
        return {};
    }
    std::optional<std::size_t> len(unsigned) const { return std::nullopt; }  // the concept has no len()
    void drop_producer(unsigned p) { tx_[p].reset(); }
    void drop_consumer(unsigned c) { rx_[c].reset(); }

private:
    message_counters& counters_;
    std::vector<std::optional<typename adapted::sender>> tx_;
    std::vector<std::optional<typename adapted::receiver>> rx_;
};

template <template <class> class A>
run_outcome run_adapter(const run_context& ctx) {
    if (ctx.config.load == workload::round_trip) return run_round_trip<adapter_rig<A>>(ctx);
    return run_stream<adapter_rig<A>>(ctx);
}

// The configurations the adapter cannot run, named.
template <template <class> class A>
std::string adapter_problem(const run_config& c) {
    using adapted = A<counted>;
    if (!adapted::supports(c.capacity))
        return std::string("--capacity ") + capacity_text(c.capacity) + ": " + adapted::name +
               " does not support that capacity (its adapter's supports() says no)";
    if (!adapted::multi_consumer && c.consumers != 1)
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
        .kinds = {channel_kind::user},
        .flavors = {channel_flavor::adapter},
        .default_kind = channel_kind::user,
        .default_flavor = channel_flavor::adapter,
        .chaos = false,
        .bug_zoo = false,
        .reference = [](channel_kind, bool) -> runner { return &run_adapter<A>; },
        .mutant = nullptr,
        .check = &adapter_problem<A>,
    };
    return driver_main(argc, argv, table);
}

}  // namespace chancheck::stress
