// benchmarks/schedulers/schedule_rate_benchmark.cpp — schedules per second of chancheck's two
// schedulers on the same scenario: two producers send 3 messages each into chancheck's
// unbounded mpsc channel (list flavor), one consumer receives until disconnected.
//   sched_sync      the channel over the deterministic scheduler's Sync policy (fibers in one
//                   OS thread, testing/include/chancheck/sync/sched/), one random-walk
//                   schedule per execution
//   controlled      the same channel over std_sync (std::atomic, std::mutex, ...), compiled
//                   with -fsanitize=thread and run on real threads under controlled scheduling
//                   (controlled/), explore() with 50 executions per iteration (mixed random
//                   walk and PCT, all 50 in one forked child process pinned to one CPU)
// Counter `schedules_per_second` (items/s): compare the two rows of one run, as a ratio.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>

#include "chancheck/mpsc.hpp"
#include "chancheck/sync/sched/scheduler.hpp"
#include "chancheck/sync/sched_sync.hpp"
#include "schedule_rate.hpp"

namespace {

constexpr int messages = 3;

void sched_sync_two_producers(benchmark::State& state) {
    std::uint64_t seed = 1;
    for (auto _ : state) {
        chancheck::sched::scheduler sch(chancheck::sched::random_walk_from_seed(seed++));
        auto [tx0, rx0] = chancheck::mpsc::channel<int, chancheck::sched_sync>(chancheck::implementation::lock_free);
        std::optional tx(std::move(tx0));
        std::optional tx2(*tx);
        std::optional rx(std::move(rx0));
        int got = 0;
        const auto out = sch.run({[&] {
                                      for (int i = 0; i < messages; ++i) (void)tx->send(i);
                                      tx.reset();
                                  },
                                  [&] {
                                      for (int i = 0; i < messages; ++i) (void)tx2->send(i);
                                      tx2.reset();
                                  },
                                  [&] {
                                      while (rx->recv()) ++got;
                                      rx.reset();
                                  }});
        if (!out.ok() || got != 2 * messages) state.SkipWithError("sched_sync: the scenario failed");
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["schedules_per_second"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void controlled_two_producers(benchmark::State& state) {
    constexpr unsigned per_iteration = 50;
    chancheck::controlled::options o;
    o.executions = per_iteration;
    std::uint64_t executions = 0;
    for (auto _ : state) {
        const auto x = chancheck::controlled::explore([] { chancheck_bench::controlled_two_producers(messages); }, o);
        if (x.failure) state.SkipWithError(("controlled: " + chancheck::controlled::failure_kind(*x.failure)).c_str());
        executions += x.executions;
        o.seed += per_iteration;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(executions));
    state.counters["schedules_per_second"] = benchmark::Counter(static_cast<double>(executions), benchmark::Counter::kIsRate);
}

BENCHMARK(sched_sync_two_producers)->Name("schedule_rate/two_producers/list/sched_sync")->UseRealTime();
BENCHMARK(controlled_two_producers)->Name("schedule_rate/two_producers/list/controlled")->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
