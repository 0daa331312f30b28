// chancheck/harness/engine_cli.hpp — the selection options every engine program takes, on
// CLI11 (Debian libcli11-dev), so scripts pass flags through and know no case names:
//   --kind K          only cases of this channel kind (mpsc, mpmc, broadcast, oneshot, select)
//   --flavor F        only cases on this flavor (list, array, zero, locked, slots, state_machine, adapter)
//   --mutant NAME     only this seeded bug's cases (a reference case never matches)
//   --list-mutants    print the seeded bugs this engine has cases for, and exit
//   --shard I/N       only shard I (0-based) of N: each engine says what it splits (cases by
//                     index, seeds by range)
// A bad value is a usage error naming what was wrong (exit status 2, CLI11's own).
#pragma once

#include <CLI/CLI.hpp>

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
    std::optional<channel_kind> kind;
    std::optional<flavor> flav;
    bug mutant = bug::none;
    bool list_mutants = false;
    unsigned shard_index = 0;
    unsigned shard_count = 1;

    bool wants_kind(channel_kind k) const { return !kind || *kind == k; }
    bool wants_flavor(flavor f) const { return !flav || *flav == f; }
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

// Adds the selection options to `app`, filling `sel` when it parses.
inline void add_selection(CLI::App& app, selection& sel) {
    app.add_option_function<std::string>(
           "--kind", [&sel](const std::string& v) { sel.kind = parse_kind(v); }, "only cases of this channel kind")
        ->check(CLI::IsMember(engine_cli_detail::names(all_kinds)));
    app.add_option_function<std::string>(
           "--flavor", [&sel](const std::string& v) { sel.flav = parse_flavor(v); }, "only cases on this flavor")
        ->check(CLI::IsMember(engine_cli_detail::names(all_flavors)));
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
