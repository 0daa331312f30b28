// chancheck/controlled/command_line.hpp — the command line of a controlled-scheduling program
// (CLI11): --budget quick|full (executions per case; default $CHANCHECK_BUDGET, else quick),
// --executions N (instead of the budget), --executions-per-process N (default 100; 1: a fresh
// process for each), --seed S (default: fresh, printed), --case NAME (only
// this case), --replay SCHEDULE (with --case: run that one schedule), --results DIR (write
// <DIR>/<program>.controlled.json), --no-shrink, and with `quick_cases` --quick (only the cases
// marked quick).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <random>
#include <string>

#include "chancheck/controlled/explore.hpp"
#include "chancheck/harness/engine_cli.hpp"

namespace chancheck::controlled {

struct command_line {
    options explore;
    std::string only;     // --case
    bool quick = false;
    std::string results;  // --results: a directory, or empty
    std::string budget = "quick";
    bool shrink = true;
};

// Executions per case of each budget.
struct budgets {
    unsigned quick = 100;
    unsigned full = 1000;
};

// Parses argv into `out`; returns the exit status to leave with (0 after --help, 2 for bad
// usage), or nullopt to go on.
inline std::optional<int> parse(int argc, char** argv, budgets per_case, bool quick_cases, command_line& out) {
    out.explore.seed = std::random_device{}() % 1'000'000'000u + 1;
    unsigned executions = 0;
    std::string replay;
    CLI::App app("Controlled scheduling of real threads: each case explored, failures shrunk and replayed", argv[0]);
    harness::add_budget(app, out.budget,
                        "executions per case: quick " + std::to_string(per_case.quick) + ", full " + std::to_string(per_case.full));
    app.add_option("--executions", executions, "executions per case, at most (instead of the budget's)")->check(CLI::PositiveNumber);
    app.add_option("--executions-per-process", out.explore.executions_per_process,
                   "executions one child process runs in a row while they pass (1: a fresh process each)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--seed", out.explore.seed, "execution i uses seed + i (default: fresh, printed)");
    app.add_option("--case", out.only, "only this case");
    app.add_option("--replay", replay, "with --case: run this schedule (rw/..., from a failure's replay line)")->needs("--case");
    app.add_option("--results", out.results, "write the results file (chancheck.property-results/2) into this directory");
    app.add_flag("!--no-shrink", out.shrink, "report a failure's schedule as found, without shrinking it");
    if (quick_cases) app.add_flag("--quick", out.quick, "only the cases found within a few executions");
    if (const auto status = harness::parse(app, argc, argv)) return status;
    out.explore.executions = executions != 0 ? executions : out.budget == "full" ? per_case.full : per_case.quick;
    if (!replay.empty()) out.explore.replay = replay;
    return std::nullopt;
}

}  // namespace chancheck::controlled
