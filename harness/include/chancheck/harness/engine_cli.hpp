// chancheck/harness/engine_cli.hpp — the selection options every engine program takes, on
// CLI11 (Debian libcli11-dev), so scripts pass flags through and know no case names:
//   --kind K          only cases of this channel kind (mpsc, mpmc, broadcast, oneshot, select); repeatable
//   --flavor F        only cases on this flavor (list, array, zero, locked, slots, state_machine, adapter); repeatable
//   --mutant NAME     only this seeded bug's cases (a reference case never matches)
//   --list-mutants    print the seeded bugs this engine has cases for, and exit
//   --shard I/N       only shard I (0-based) of N: each engine says what it splits (cases by
//                     index, seeds by range)
// and every engine's budget:
//   --budget quick|full   how much to search; without it, CHANCHECK_BUDGET from the environment
//                         (chancheck-verify --full sets it for the channels' ctest tests), else quick
// A bad value is a usage error naming what was wrong (exit status 2, CLI11's own).
#pragma once

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/harness/vocabulary.hpp"

namespace chancheck::harness {

struct selection {
    std::vector<channel_kind> kinds;  // empty: every kind (--kind is repeatable)
    std::vector<flavor> flavors;      // empty: every flavor (--flavor is repeatable)
    bug mutant = bug::none;
    bool list_mutants = false;
    unsigned shard_index = 0;
    unsigned shard_count = 1;

    bool wants_kind(channel_kind k) const { return kinds.empty() || std::ranges::find(kinds, k) != kinds.end(); }
    bool wants_flavor(flavor f) const { return flavors.empty() || std::ranges::find(flavors, f) != flavors.end(); }
    // The one kind or flavor asked for, for engines that run a single channel.
    std::optional<channel_kind> only_kind() const { return kinds.size() == 1 ? std::optional(kinds[0]) : std::nullopt; }
    std::optional<flavor> only_flavor() const { return flavors.size() == 1 ? std::optional(flavors[0]) : std::nullopt; }
    // Whether anything narrows the cases down from "all of them".
    bool narrowed() const { return !kinds.empty() || !flavors.empty() || mutant != bug::none || shard_count > 1; }
    // A case of seeded bug `b` (bug::none: a reference case).
    bool wants_mutant(bug b) const { return mutant == bug::none || mutant == b; }
    // Whether item `index` (cases split by index) falls into this shard.
    bool in_shard(std::size_t index) const { return index % shard_count == shard_index; }
};

namespace engine_cli_detail {

template <class E, std::size_t N>
std::vector<std::string> names(const std::array<E, N>& all) {
    std::vector<std::string> out;
    for (E e : all) out.push_back(to_string(e));
    return out;
}

// A repeatable option taking one name of `all` per use (--kind mpsc --kind mpmc), each
// appended to `into`.
template <class E, std::size_t N, class Parse>
void add_repeatable(CLI::App& app, const std::string& option, const std::array<E, N>& all, Parse parse,
                    std::vector<E>& into, const std::string& help) {
    app.add_option_function<std::vector<std::string>>(
           option,
           [&into, parse, option](const std::vector<std::string>& given) {
               for (const std::string& name : given) {
                   const auto e = parse(name);
                   if (!e) throw CLI::ValidationError(option, "no such name '" + name + "'");
                   into.push_back(*e);
               }
           },
           help)
        ->allow_extra_args(false)  // one name per use
        ->check(CLI::IsMember(names(all)));
}

}  // namespace engine_cli_detail

// Parses the command line: nullopt to go on, else the exit status (0 after --help, 2 for bad
// usage, with CLI11's message naming what was wrong).
inline std::optional<int> parse(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int status = app.exit(e);
        return status == 0 ? 0 : 2;
    }
    return std::nullopt;
}

// The absolute path of the running program, for replay commands a person can paste anywhere.
inline std::string self_path(const char* argv0) {
    std::error_code ec;
    const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(argv0) : p.string();
}

// The environment variable a budget option falls back to.
inline constexpr const char* budget_environment = "CHANCHECK_BUDGET";

// Adds --budget (quick or full, else CHANCHECK_BUDGET, else what `budget` holds) to `app`.
// `what` says what the budget counts, for --help.
inline CLI::Option* add_budget(CLI::App& app, std::string& budget, const std::string& what) {
    return app.add_option("--budget", budget, what + " (default: $" + budget_environment + ", else " + budget + ")")
        ->check(CLI::IsMember({"quick", "full"}))
        ->envname(budget_environment);
}

// Adds the selection options to `app`, filling `sel` when it parses.
inline void add_selection(CLI::App& app, selection& sel) {
    engine_cli_detail::add_repeatable(app, "--kind", all_kinds, parse_kind, sel.kinds, "only cases of this channel kind (repeatable)");
    engine_cli_detail::add_repeatable(app, "--flavor", all_flavors, parse_flavor, sel.flavors, "only cases on this flavor (repeatable)");
    std::vector<std::string> bugs;
    for (bug b : all_bugs) bugs.push_back(bug_name(b));
    app.add_option_function<std::string>(
           "--mutant", [&sel](const std::string& v) { sel.mutant = parse_bug(v); }, "only this seeded bug's cases")
        ->check(CLI::IsMember(bugs));
    app.add_flag("--list-mutants", sel.list_mutants, "print the seeded bugs this engine has cases for, and exit");
    app.add_option_function<std::string>(
           "--shard",
           [&sel](const std::string& v) {
               const auto slash = v.find('/');
               unsigned i = 0, n = 0;
               try {
                   if (slash == std::string::npos) throw std::invalid_argument(v);
                   std::size_t used = 0;
                   i = static_cast<unsigned>(std::stoul(v.substr(0, slash), &used));
                   if (used != slash) throw std::invalid_argument(v);
                   n = static_cast<unsigned>(std::stoul(v.substr(slash + 1), &used));
                   if (used != v.size() - slash - 1) throw std::invalid_argument(v);
               } catch (const std::exception&) {
                   throw CLI::ValidationError("--shard", "needs I/N with whole numbers, got '" + v + "'");
               }
               if (n == 0 || i >= n) throw CLI::ValidationError("--shard", "needs 0 <= I < N, got '" + v + "'");
               sel.shard_index = i;
               sel.shard_count = n;
           },
           "only shard I (0-based) of N")
        ->type_name("I/N");
}

}  // namespace chancheck::harness
