// benchmarks/channels/command_line.hpp — a benchmark program's command line (CLI11):
// --smoke or --gate choose the sizes (grid.hpp), --help adds Google Benchmark's own flags, and
// every other argument goes on to Google Benchmark, which owns --benchmark_*.
#pragma once

#include <CLI/CLI.hpp>
#include <benchmark/benchmark.h>

#include <optional>
#include <string>
#include <vector>

#include "grid.hpp"

namespace chancheck_bench {

struct command_line : run_sizes {
    std::vector<std::string> rest;  // Google Benchmark's arguments, argv[0] first
    std::vector<char*> args;        // pointers into `rest`, for benchmark::Initialize
};

// The command line, or the exit status: 0 after --help, 2 for bad usage.
inline std::optional<int> parse_command_line(int argc, char** argv, const std::string& program, command_line& cl) {
    CLI::App app("Channel benchmarks on crossbeam-channel's grid; flags not listed here go to Google Benchmark "
                 "(--benchmark_filter=REGEX, --benchmark_out=FILE, --benchmark_repetitions=N, ...).",
                 program);
    app.allow_extras();
    bool smoke = false, gate = false;
    auto* smoke_opt = app.add_flag("--smoke", smoke, "tiny runs, 2 iterations per benchmark (numbers meaningless)");
    auto* gate_opt = app.add_flag("--gate", gate,
                                  "a fifth of the measuring sizes (N = 20000, 4000 round trips): the quick gate's "
                                  "figures, not comparable with a measuring run's");
    smoke_opt->excludes(gate_opt);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        app.exit(e);
        int n = 2;
        char* help[] = {argv[0], const_cast<char*>("--help")};
        benchmark::Initialize(&n, help);  // prints Google Benchmark's flags and exits
        return 0;
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (smoke) cl.mode = "smoke", cl.size = smoke_sizes;
    if (gate) cl.mode = "gate", cl.size = gate_sizes;
    cl.rest.push_back(argv[0]);
    for (const std::string& a : app.remaining()) cl.rest.push_back(a);
    for (std::string& a : cl.rest) cl.args.push_back(a.data());
    return std::nullopt;
}

}  // namespace chancheck_bench
