// benchmarks/channels/adapter_benchmark.hpp — the benchmark program for a user's channel:
// the crossbeam grid (grid.hpp) on the cells the adapter supports, each cell's user row next
// to chancheck's lock-free flavor, with the same sizes, delivery checks, skipped-cell context
// and --smoke/--gate modes as channel_benchmark (main.cpp). Output: Google Benchmark's (JSON with
// --benchmark_out=FILE --benchmark_out_format=json).
//
//   int main(int argc, char** argv) {
//       return chancheck_bench::adapter_benchmark_main<my_adapter>(argc, argv, "my_queue-benchmark");
//   }
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "grid.hpp"
#include "run_cell.hpp"
#include "subjects/adapter.hpp"
#include "subjects/chancheck.hpp"

namespace chancheck_bench {

template <template <class> class A>
int adapter_benchmark_main(int argc, char** argv, const char* program) {
    static_assert(chancheck::harness::channel_adapter<A>, "the adapter does not model chancheck::harness::channel_adapter");
    // The sizes of channel_benchmark (grid.hpp), so the rows compare with its runs.
    command_line cl;
    if (const auto status = parse_command_line(argc, argv, program, cl)) return *status;
    std::vector<char*>& args = cl.args;
    int n = static_cast<int>(args.size());
    const sizes& sz = cl.size;
    benchmark::Initialize(&n, args.data());
    if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 2;

    // Cell by cell, the user's channel first and chancheck's lock-free flavor next to it;
    // chancheck only where the user's channel has the cell (the comparison is the point).
    for (const scenario s : all_scenarios) {
        for (const capacity_class f : all_capacity_classes) {
            if (const char* why = grid_skip_reason(s, f)) {
                skip_table().push_back({cell_name(s, f), "(every subject)", why});
                continue;
            }
            const std::size_t skipped_before = skip_table().size();
            register_cell<adapter_subject<A>>(sz, s, f);
            if (skip_table().size() == skipped_before) register_cell<chancheck_lock_free>(sz, s, f);
        }
    }
    for (const auto& c : skip_table()) benchmark::AddCustomContext("skipped " + c.cell + " " + c.subject, c.reason);
    benchmark::AddCustomContext("chancheck_skipped_cells",
                                std::to_string(skip_table().size()) + " (the \"skipped <cell> <subject>\" entries)");
    benchmark::AddCustomContext("chancheck_subject", A<std::uint64_t>::name);
    record_sizes(cl);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

}  // namespace chancheck_bench
