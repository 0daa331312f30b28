// chancheck/controlled/command_line.hpp — the command line of a controlled-scheduling program
// (CLI11): --executions N, --seed S (default: fresh, printed), --case NAME (only this
// case), --replay SCHEDULE (with --case: run that one schedule), and with `quick_cases`
// --quick (only the cases marked quick).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <random>
#include <string>

#include "chancheck/controlled/explore.hpp"

namespace chancheck::controlled {

struct command_line {
    options explore;
    std::string only;  // --case
    bool quick = false;
};

// Parses argv into `out`; returns the exit status to leave with (0 after --help, 2 for bad
// usage), or nullopt to go on.
inline std::optional<int> parse(int argc, char** argv, unsigned default_executions, bool quick_cases, command_line& out) {
    out.explore.executions = default_executions;
    out.explore.seed = std::random_device{}() % 1'000'000'000u + 1;
    std::string replay;
    CLI::App app("Controlled scheduling of real threads: each case explored, failures replayed", argv[0]);
    app.add_option("--executions", out.explore.executions, "executions per case, at most")->check(CLI::PositiveNumber);
    app.add_option("--seed", out.explore.seed, "execution i uses seed + i (default: fresh, printed)");
    app.add_option("--case", out.only, "only this case");
    app.add_option("--replay", replay, "with --case: run this schedule (from a failure's replay line)")->needs("--case");
    if (quick_cases) app.add_flag("--quick", out.quick, "only the cases found within a few executions");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (!replay.empty()) out.explore.replay = replay;
    return std::nullopt;
}

}  // namespace chancheck::controlled
