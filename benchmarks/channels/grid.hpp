// benchmarks/channels/grid.hpp — the benchmark grid: scenarios × capacity classes × subjects.
//
// The grid follows crossbeam-channel's benchmarks (crossbeam-channel/benchmarks/
// crossbeam-channel.rs and its README):
//   scenarios  seq, spsc, mpsc, mpmc, select_rx, select_both, ping_pong
//   capacities bounded0 (rendezvous), bounded1, boundedN (capacity = messages per run),
//              unbounded
// `seq` (one thread sends N, then receives N) only exists where the channel holds N
// messages: boundedN and unbounded, as in crossbeam.
//
// A subject (benchmarks/channels/subjects/*.hpp) is one channel implementation behind a
// small adapter:
//   static constexpr const char* name;       // the last part of the benchmark name
//   static constexpr const char* label;      // how blocking works, shown as the label
//   static constexpr bool has_select;        // true: the select scenarios use its handles
//   static const char* skip_reason(scenario, capacity_class);  // nullptr: the cell exists
//   explicit S(const capacity&);             // one channel
//   sender():   a handle for one sending thread,   bool send(std::uint64_t)
//   receiver(): a handle for one receiving thread, bool recv(std::uint64_t&)
// register_cell<S>() registers the subject's benchmark for one cell with Google Benchmark,
// as "<scenario>/<capacity>/<subject>", or files the cell, with the reason, in the skip table
// that main prints and writes into the JSON context. main registers cell by cell, so the
// subjects of one cell run one after the other (a fairer comparison on a noisy machine).
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace chancheck_bench {

enum class scenario { seq, spsc, mpsc, mpmc, select_rx, select_both, ping_pong };
enum class capacity_class { bounded0, bounded1, bounded_n, unbounded };

inline constexpr scenario all_scenarios[] = {scenario::seq,       scenario::spsc,        scenario::mpsc,
                                             scenario::mpmc,      scenario::select_rx,   scenario::select_both,
                                             scenario::ping_pong};
inline constexpr capacity_class all_capacity_classes[] = {capacity_class::bounded0, capacity_class::bounded1, capacity_class::bounded_n,
                                              capacity_class::unbounded};

inline const char* name_of(scenario s) {
    switch (s) {
        case scenario::seq: return "seq";
        case scenario::spsc: return "spsc";
        case scenario::mpsc: return "mpsc";
        case scenario::mpmc: return "mpmc";
        case scenario::select_rx: return "select_rx";
        case scenario::select_both: return "select_both";
        case scenario::ping_pong: return "ping_pong";
    }
    return "?";
}

inline const char* name_of(capacity_class f) {
    switch (f) {
        case capacity_class::bounded0: return "bounded0";
        case capacity_class::bounded1: return "bounded1";
        case capacity_class::bounded_n: return "boundedN";
        case capacity_class::unbounded: return "unbounded";
    }
    return "?";
}

inline bool is_select(scenario s) { return s == scenario::select_rx || s == scenario::select_both; }

// How big one run is. One benchmark iteration is one whole run of the scenario: it makes
// the channel(s), starts the threads, moves the messages and joins, as crossbeam's `run!`.
struct sizes {
    std::uint64_t messages;  // N: messages per run (seq, spsc, mpsc, mpmc, select_*)
    unsigned threads;        // T: senders (and receivers) in mpsc, mpmc, select_*
    std::uint64_t rounds;    // round trips per ping_pong run
    int iterations;          // > 0: fixed iterations per benchmark (the smoke test)
};

// N and R are sized for a 2-core machine: a run takes milliseconds where nobody parks and
// up to about 2 s where every message parks a thread (bounded0/bounded1 with 8 threads on
// a busy machine); T = 4 as in crossbeam's grid. scripts/bench --quick and --full use the
// same sizes (they differ in repetitions and minimum time), so their runs compare; so do
// the benchmark programs of channels brought through an adapter (adapter_benchmark.hpp).
// The gate sizes are a fifth of those, for the quick verification gate's single pass (the
// slowest cells park on every message, so N sets the pass's length); the smoke sizes only
// check that every benchmark runs and delivers.
inline constexpr sizes measure_sizes{/*messages=*/100'000, /*threads=*/4, /*rounds=*/20'000, /*iterations=*/0};
inline constexpr sizes gate_sizes{/*messages=*/20'000, /*threads=*/4, /*rounds=*/4'000, /*iterations=*/0};
inline constexpr sizes smoke_sizes{/*messages=*/400, /*threads=*/4, /*rounds=*/50, /*iterations=*/2};

// The run's sizes and their name: measure, gate or smoke (command_line.hpp chooses).
struct run_sizes {
    const char* mode = "measure";  // written into the JSON context
    sizes size = measure_sizes;
};

// Files the mode and sizes into the JSON context, where the report reads them (and refuses
// to compare runs of different sizes with each other).
inline void record_sizes(const run_sizes& cl) {
    benchmark::AddCustomContext("chancheck_mode", cl.mode);
    benchmark::AddCustomContext("chancheck_messages", std::to_string(cl.size.messages));
    benchmark::AddCustomContext("chancheck_threads", std::to_string(cl.size.threads));
    benchmark::AddCustomContext("chancheck_ping_pong_rounds", std::to_string(cl.size.rounds));
}

// The capacity one capacity class stands for; `messages` is N for boundedN.
struct capacity {
    capacity_class kind;
    std::uint64_t messages;

    // nullopt: unbounded.
    std::optional<std::size_t> value() const {
        switch (kind) {
            case capacity_class::bounded0: return 0;
            case capacity_class::bounded1: return 1;
            case capacity_class::bounded_n: return static_cast<std::size_t>(messages);
            case capacity_class::unbounded: return std::nullopt;
        }
        return std::nullopt;
    }
};

// Cells no subject has (they would deadlock): reason, or nullptr.
inline const char* grid_skip_reason(scenario s, capacity_class f) {
    if (s == scenario::seq && (f == capacity_class::bounded0 || f == capacity_class::bounded1))
        return "one thread cannot send N messages into a channel that holds fewer than N (deadlock); "
               "crossbeam's grid has no such cell either";
    return nullptr;
}

// One cell a subject does not have, and why.
struct skipped_cell {
    std::string cell;  // "<scenario>/<capacity>"
    std::string subject;
    std::string reason;
};

inline std::vector<skipped_cell>& skip_table() {
    static std::vector<skipped_cell> table;
    return table;
}

inline std::string cell_name(scenario s, capacity_class f) { return std::string(name_of(s)) + "/" + name_of(f); }

// Runs one cell (defined in run_cell.hpp, instantiated by each subject's register_*.cpp).
template <class S>
void run_cell(benchmark::State& state, scenario s, const capacity& cap, const sizes& sz);

// Registers subject S's benchmark for one cell, or files why S has no such cell.
template <class S>
void register_cell(const sizes& sz, scenario s, capacity_class f) {
    if (const char* why = S::skip_reason(s, f)) {
        skip_table().push_back({cell_name(s, f), S::name, why});
        return;
    }
    const capacity cap{f, sz.messages};
    const std::string name = cell_name(s, f) + "/" + S::name;
    auto* b = benchmark::RegisterBenchmark(name.c_str(), [s, cap, sz](benchmark::State& state) {
        state.SetLabel(S::label);
        run_cell<S>(state, s, cap, sz);
    });
    b->UseRealTime()->Unit(benchmark::kMillisecond);
    if (sz.iterations > 0) b->Iterations(sz.iterations);
}

// One function per register_*.cpp: registers that file's subject(s) for one cell.
using register_fn = void (*)(const sizes&, scenario, capacity_class);
void register_chancheck_lock_free(const sizes&, scenario, capacity_class);
void register_chancheck_locked(const sizes&, scenario, capacity_class);
void register_moodycamel(const sizes&, scenario, capacity_class);
void register_boost_lockfree(const sizes&, scenario, capacity_class);  // queue and spsc_queue
void register_boost_fiber(const sizes&, scenario, capacity_class);     // buffered and unbuffered
void register_tbb(const sizes&, scenario, capacity_class);
void register_mutex_deque(const sizes&, scenario, capacity_class);
void register_floor(const sizes&);  // floor.cpp: the atomic ping-pong reference row

}  // namespace chancheck_bench
