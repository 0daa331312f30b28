// benchmarks/channels/main.cpp — channel_benchmark: chancheck's channels against peer
// libraries on crossbeam-channel's benchmark grid (see grid.hpp, and benchmarks/README.md
// for what each cell means and which peer has which cell).
//
// Usage: channel_benchmark [--smoke | --gate] [Google Benchmark flags, e.g.
//        --benchmark_filter=RE --benchmark_repetitions=9 --benchmark_out=FILE
//        --benchmark_out_format=json]
//   --smoke  tiny runs and 2 iterations per benchmark: every benchmark runs once quickly
//            (the ctest smoke test), numbers meaningless.
//   --gate   a fifth of the measuring sizes (the quick verification gate's pass).
// Before the results it prints the cells that have no benchmark and why, as context entries
// "skipped <cell> <subject>: <reason>"; the JSON "context" object holds the same entries.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "grid.hpp"

namespace {

using namespace chancheck_bench;

constexpr register_fn subjects[] = {register_chancheck_lock_free, register_chancheck_locked, register_moodycamel,
                                    register_boost_lockfree,      register_boost_fiber,      register_tbb,
                                    register_mutex_deque};

// Registers every cell (the subjects of one cell next to each other), then the floor row.
void register_all(const sizes& sz) {
    for (const scenario s : all_scenarios) {
        for (const capacity_class f : all_capacity_classes) {
            if (const char* why = grid_skip_reason(s, f)) {
                skip_table().push_back({cell_name(s, f), "(every subject)", why});
                continue;
            }
            for (const register_fn reg : subjects) reg(sz, s, f);
        }
    }
    register_floor(sz);
}

// Files the skip table into the context: Google Benchmark prints the context (sorted, so
// grouped by cell) before the results and writes it into the JSON "context" object.
void report_skipped() {
    for (const auto& c : skip_table())
        benchmark::AddCustomContext("skipped " + c.cell + " " + c.subject, c.reason);
    benchmark::AddCustomContext("chancheck_skipped_cells",
                                std::to_string(skip_table().size()) + " (the \"skipped <cell> <subject>\" entries)");
}

}  // namespace

int main(int argc, char** argv) {
    command_line cl;
    if (const auto status = parse_command_line(argc, argv, "channel_benchmark", cl)) return *status;
    std::vector<char*>& args = cl.args;
    int n = static_cast<int>(args.size());
    const sizes& sz = cl.size;

    benchmark::Initialize(&n, args.data());
    if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 2;

    register_all(sz);
    report_skipped();
    record_sizes(cl);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
