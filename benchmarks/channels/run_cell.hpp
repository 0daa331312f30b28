// benchmarks/channels/run_cell.hpp — runs one grid cell (scenario × capacity class) on subject S.
// Included by each subject's register_*.cpp, which instantiates it for its subjects.
#pragma once

#include <benchmark/benchmark.h>

#include "grid.hpp"
#include "scenarios.hpp"
#include "select_scenarios.hpp"

namespace chancheck_bench {

template <class S>
void run_cell(benchmark::State& state, scenario s, const capacity& cap, const sizes& sz) {
    switch (s) {
        case scenario::seq: return run_seq<S>(state, cap, sz);
        case scenario::spsc: return run_spsc<S>(state, cap, sz);
        case scenario::mpsc: return run_mpsc<S>(state, cap, sz);
        case scenario::mpmc: return run_mpmc<S>(state, cap, sz);
        case scenario::ping_pong: return run_ping_pong<S>(state, cap, sz);
        case scenario::select_rx:
        case scenario::select_both:
            if constexpr (S::has_select) {
                if (s == scenario::select_rx) return run_select_rx<S>(state, cap, sz);
                return run_select_both<S>(state, cap, sz);
            }
            break;
    }
    // register_subject never registers a cell the subject skips.
    state.SkipWithError("internal: this subject has no such cell");
}

}  // namespace chancheck_bench
