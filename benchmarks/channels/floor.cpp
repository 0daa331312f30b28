// benchmarks/channels/floor.cpp — the reference row: the raw cache-line ping-pong of two
// threads on one atomic, the physical floor of a round trip between two cores (about 58 ns
// on the 2-core development machine; see ../shared/DESIGN.md, "Known traps").
//
// The benchmark thread writes an odd number, the partner thread waits for it and writes the
// next even one, the benchmark thread waits for that: one round trip moves the cache line
// there and back. Both wait by spinning on the line — two spinning threads on two cores —
// with a yield after 256 fruitless pauses (a few µs; the partner answers within ~100 ns
// when it has a core), so when the two threads share one core — the machine is shared —
// the waiting one steps aside instead of spinning through its time slice. On a busy
// machine the row therefore measures the scheduler, not the cache line: read it from a
// quiet run. The partner lives for the whole benchmark, so unlike
// the channel ping_pong rows no thread start is charged: the floor is not flattered.
// Named ping_pong/floor/atomic_cache_line; items/s and round_trip as in ping_pong.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "grid.hpp"

namespace chancheck_bench {
namespace {

constexpr std::uint64_t stop_value = std::numeric_limits<std::uint64_t>::max();

void spin_hint() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
}

// Spins until `ball` holds `want` (or stop_value); returns what it saw.
std::uint64_t wait_for(const std::atomic<std::uint64_t>& ball, std::uint64_t want) {
    for (unsigned spins = 0;; ++spins) {
        const std::uint64_t v = ball.load(std::memory_order_acquire);
        if (v == want || v == stop_value) return v;
        spin_hint();
        if (spins >= 256) {
            std::this_thread::yield();
            spins = 0;
        }
    }
}

void floor_ping_pong(benchmark::State& state, std::uint64_t rounds) {
    alignas(64) std::atomic<std::uint64_t> ball{0};
    std::thread partner([&ball] {
        for (std::uint64_t want = 1;; want += 2) {
            if (wait_for(ball, want) == stop_value) return;
            ball.store(want + 1, std::memory_order_release);
        }
    });
    std::uint64_t next = 1;
    bool ok = true;
    for (auto _ : state) {
        for (std::uint64_t r = 0; r < rounds; ++r) {
            ball.store(next, std::memory_order_release);
            if (wait_for(ball, next + 1) != next + 1) ok = false;
            next += 2;
        }
    }
    ball.store(stop_value, std::memory_order_release);
    partner.join();
    if (!ok) state.SkipWithError("floor: the partner stopped early");
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rounds));
    state.counters["round_trip"] = benchmark::Counter(static_cast<double>(rounds),
                                                      benchmark::Counter::kIsIterationInvariantRate |
                                                          benchmark::Counter::kInvert);
}

}  // namespace

void register_floor(const sizes& sz) {
    auto* b = benchmark::RegisterBenchmark("ping_pong/floor/atomic_cache_line", [sz](benchmark::State& state) {
        state.SetLabel("two threads spinning on one atomic (reference)");
        floor_ping_pong(state, sz.rounds);
    });
    b->UseRealTime()->Unit(benchmark::kMillisecond);
    if (sz.iterations > 0) b->Iterations(sz.iterations);
}

}  // namespace chancheck_bench
