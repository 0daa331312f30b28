// benchmarks/linearizability_benchmark.cpp — how fast the linearizability checker
// (chancheck/harness/linearizability.hpp) judges histories of 10 000 operations.
//
// Each history is made once (the first time its benchmark runs) and then checked in the
// timed loop; items/s is operations checked per second:
//   - MpmcUnbounded2x2: recorded on 4 real threads from chancheck::mpmc::unbounded, two
//     producers and two consumers receiving until Disconnected;
//   - MpmcBounded4:     the same on mpmc::bounded(4), whose senders block when it is full;
//   - WideOverlap:      synthetic, from a legal sequential queue run (sends, receives, Empty,
//                       len samples) on 4 threads, each operation stretched around its
//                       linearization point so that it overlaps up to 6 others and the
//                       checker has to find the order.
// Counters: ops (history size) and states (configurations the search explored).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "chancheck/harness/channel_specs.hpp"
#include "chancheck/harness/linearizability.hpp"
#include "chancheck/harness/recorder.hpp"
#include "chancheck/harness/record_threads.hpp"
#include "chancheck/mpmc.hpp"

namespace {

using namespace chancheck::harness;

constexpr int per_producer = 2500;  // 2 producers: 5 000 sends, 5 000 receives, drops

// MPMC 2 x 2: threads 0 and 1 send, then drop their sender inside a recorded interval;
// threads 2 and 3 receive until Disconnected.
history record_mpmc(std::optional<std::size_t> capacity) {
    auto channel = capacity ? chancheck::mpmc::bounded<std::int64_t>(*capacity) : chancheck::mpmc::unbounded<std::int64_t>();
    std::optional<chancheck::mpmc::sender<std::int64_t>> txs[2] = {channel.first, std::move(channel.first)};
    std::optional<chancheck::mpmc::receiver<std::int64_t>> rxs[2] = {channel.second, std::move(channel.second)};
    return record_threads(4, [&](unsigned i, recorder& rec) {
        if (i < 2) {
            for (int k = 0; k < per_producer; ++k) {
                const std::int64_t v = encode(i, k);
                rec.record(op_kind::send, v, [&](event& e) {
                    if (!txs[i]->send(v)) e.result = op_result::disconnected;
                });
            }
            rec.record(op_kind::drop_sender, 0, [&](event&) { txs[i].reset(); });
            return;
        }
        for (bool open = true; open;) {
            rec.record(op_kind::recv, 0, [&](event& e) {
                auto r = rxs[i - 2]->recv();
                if (r) {
                    e.value = r.value();
                } else {
                    e.result = op_result::disconnected;
                    open = false;
                }
            });
        }
    });
}

// A legal sequential run of an unbounded queue, operation k at time 100 k on thread k % 4,
// each stretched by up to 199 time units on either side: a thread's own operations stay
// apart (they are 400 apart), but each overlaps up to 3 earlier and 3 later ones of other
// threads. Stamps are time * 8 + thread * 2 (+ 1 for a response), all distinct.
history wide_overlap(std::size_t n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pick(0, 99), stretch(1, 199);
    std::vector<std::int64_t> queue;
    std::size_t head = 0;
    std::int64_t next_value = 0;
    history h;
    for (std::size_t k = 0; k < n; ++k) {
        event e;
        e.thread = static_cast<unsigned>(k % 4);
        const int p = pick(rng);
        const std::size_t len = queue.size() - head;
        if (p < 45) {
            e.kind = op_kind::send;
            e.value = encode(e.thread, next_value++);
            queue.push_back(e.value);
        } else if (p < 90 && len > 0) {
            e.kind = op_kind::recv;
            e.value = queue[head++];
        } else if (p < 95 && len == 0) {
            e.kind = op_kind::recv;
            e.result = op_result::empty;
        } else {
            e.kind = op_kind::len_sample;
            e.value = static_cast<std::int64_t>(len);
        }
        const std::uint64_t at = 1000 + 100 * k;
        e.invoked = (at - static_cast<std::uint64_t>(stretch(rng))) * 8 + e.thread * 2;
        e.responded = (at + static_cast<std::uint64_t>(stretch(rng))) * 8 + e.thread * 2 + 1;
        h.push_back(e);
    }
    return h;
}

void run_check(benchmark::State& state, const history& h, const queue_spec& spec) {
    lin_result r;
    for (auto _ : state) {
        r = check_linearizable(h, spec);
        benchmark::DoNotOptimize(r);
    }
    if (r.verdict != lin_verdict::linearizable) {
        state.SkipWithError("the history was not found linearizable");
        std::fputs(describe(r, h).c_str(), stderr);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * h.size()));
    state.counters["ops"] = static_cast<double>(h.size());
    state.counters["states"] = static_cast<double>(r.states);
}

void MpmcUnbounded2x2(benchmark::State& state) {
    static const history h = record_mpmc(std::nullopt);
    run_check(state, h, queue_spec::unbounded(2, 2));
}

void MpmcBounded4(benchmark::State& state) {
    static const history h = record_mpmc(4);
    run_check(state, h, queue_spec::bounded(4, 2, 2));
}

void WideOverlap(benchmark::State& state) {
    static const history h = wide_overlap(10'000, 42);
    run_check(state, h, queue_spec::unbounded(4, 4));
}

BENCHMARK(MpmcUnbounded2x2)->Unit(benchmark::kMillisecond);
BENCHMARK(MpmcBounded4)->Unit(benchmark::kMillisecond);
BENCHMARK(WideOverlap)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
