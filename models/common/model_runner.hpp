// models/common/model_runner.hpp — the command line and results shared by every Relacy model.
//
// A model program is a list of cases, each one Relacy simulation with what it must end with:
// success for a reference channel, a failure of its bug's class for a seeded bug. Usage
// (CLI11; PROGRAM --help):
//   PROGRAM [--all | --case NAME...] [--kind K] [--flavor F] [--mutant M] [--shard I/N]
//           [--budget quick|full] [--iterations N] [--scheduler random|bound|full]
//           [--context-bound N] [--results DIR] [--list] [--list-mutants] [--verbose] [--progress]
// --budget sets the random scheduler's iterations per case (quick 10^4, full 10^6);
// --iterations overrides it. The tree-search schedulers (bound: context-bound; full: every
// interleaving) run to exhaustion; with --all, `full` selects only the cases marked small.
// --context-bound N lets the bound scheduler preempt N times per execution (default 1).
// --kind, --flavor, --mutant and --shard (cases by index) narrow --all
// (harness/engine_cli.hpp). A case that ends otherwise than expected prints Relacy's
// execution history, the oracles' findings and the one command that replays it; the program
// then exits 1. --results DIR writes DIR/<program>.<scheduler>.json (schema
// chancheck.model-results/2, harness/RESULTS.md), rewritten after every case.
//
// Include after chancheck/sync/relacy_sync.hpp (and <nlohmann/json.hpp> before it).
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/harness/crash_note.hpp"
#include "chancheck/harness/engine_cli.hpp"
#include "chancheck/harness/vocabulary.hpp"
#include "common/json_results.hpp"

namespace chancheck::models {

struct model_case {
    std::string name;
    std::function<bool(rl::test_params&)> run;
    // What the results file says about the case.
    std::string scenario;
    harness::channel_kind kind = harness::channel_kind::mpsc;
    std::string channel;  // the report's row: the kind, or a user's adapter's name
    std::optional<harness::flavor> flav;  // none: a named case
    std::optional<std::size_t> capacity;
    bug injected = bug::none;   // the seeded bug: then any failure kind of its class is a catch
    std::string must_end_as = "success";  // a named case's own expectation
    bool small = false;         // 2 threads, at most 2 messages: cheap enough for full search
    bool by_name_only = false;  // a self-test of the runner: never in --all, only with --case

    // Whether `outcome` is what this case must end with.
    bool accepts(const std::string& outcome) const {
        return injected != bug::none ? kind_of_class(outcome, class_of(injected)) : outcome == must_end_as;
    }
    std::string expected_text() const {
        return injected != bug::none ? std::string(accepted_kinds(class_of(injected))) : must_end_as;
    }
};

// A case with no scenario metadata (select_send_model's own cases).
inline model_case named_case(std::string name, std::string must_end_as, std::function<bool(rl::test_params&)> run) {
    model_case c;
    c.name = std::move(name);
    c.must_end_as = std::move(must_end_as);
    c.run = std::move(run);
    c.kind = harness::channel_kind::select;
    c.channel = "smoke models";
    return c;
}

// What a model program's own checks (the harness oracles) found in the failing iteration.
struct oracle_finding {
    std::string kind;   // the first violation's kind, e.g. "lost_message"; empty if none
    std::string text;   // violations and the recorded history, for the console
    json detail;        // {"violations": [...], "events": [...]}, for the results file
};

// The stable, lower-case name of an outcome: "success", "data_race", "deadlock",
// "oracle:<violation kind>" for a failed harness oracle, and so on.
inline std::string failure_kind(rl::test_result_e r, const oracle_finding& finding) {
    switch (r) {
        case rl::test_result_success: return "success";
        case rl::test_result_user_assert_failed:
            return finding.kind.empty() ? "assertion" : "oracle:" + finding.kind;
        case rl::test_result_data_race: return "data_race";
        case rl::test_result_access_to_freed_memory: return "use_after_free";
        case rl::test_result_double_free: return "double_free";
        case rl::test_result_memory_leak: return "memory_leak";
        case rl::test_result_resource_leak: return "resource_leak";
        case rl::test_result_unitialized_access: return "uninitialized_access";
        case rl::test_result_deadlock: return "deadlock";
        case rl::test_result_livelock: return "livelock";
        default: break;
    }
    std::string s = rl::test_result_str(r);
    for (char& c : s) c = c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Relacy prints a failing execution's history while its own allocator is active, so the
// stream it writes to must not allocate (an ostringstream growing inside libstdc++ would hand
// Relacy memory it never allocated). This one writes into a fixed buffer and truncates.
class fixed_buffer : public std::streambuf {
public:
    fixed_buffer() { reset(); }
    void reset() { setp(data_, data_ + sizeof(data_) - 1); truncated_ = false; }
    std::string text() const {
        std::string out(pbase(), pptr());
        if (truncated_) out += "\n[history truncated]\n";
        return out;
    }

protected:
    int_type overflow(int_type ch) override {
        truncated_ = true;
        return traits_type::not_eof(ch);
    }

private:
    char data_[1 << 20];
    bool truncated_ = false;
};

inline constexpr unsigned long quick_iterations = 10'000;
inline constexpr unsigned long full_iterations = 1'000'000;

// The results file's entry of case `c`.
inline json case_json(const model_case& c, const std::string& scheduler, const std::string& outcome, bool as_expected,
                      unsigned long long iterations, double seconds, const std::string& replay, const std::string& history,
                      const json& detail) {
    json j = harness::verdict_json(outcome == "success", c.injected, outcome, as_expected);
    if (c.injected == bug::none && c.must_end_as != "success") j["expected"] = "fail";  // a named case that must fail
    j.update({
        {"case", c.name},
        {"scenario", c.scenario},
        {"kind", harness::to_string(c.kind)},
        {"channel", c.channel},
        {"flavor", c.flav ? json(harness::to_string(*c.flav)) : json(nullptr)},
        {"capacity", c.capacity ? json(*c.capacity) : json(nullptr)},
        {"scheduler", scheduler},
        {"iterations", iterations},
        {"seconds", seconds},
        {"outcome", outcome},
        {"replay", replay},
        {"history", harness::or_null(history)},
        {"detail", detail},
    });
    return j;
}

// Runs the selected cases; exit status 0 when every one ended as expected, 1 otherwise,
// 2 on a bad command line. `oracle_findings` returns (and clears) what the program's own
// checks recorded about the last case's failure.
inline int run_cases(int argc, char** argv, const std::vector<model_case>& cases,
                     const std::function<oracle_finding()>& oracle_findings = {}) {
    const std::string program = std::filesystem::path(argv[0]).filename().string();
    harness::crash_note::install(program);

    CLI::App app("Relacy model checking of chancheck's harness scenarios (models/common/model_runner.hpp).", program);
    bool all = false, list = false, verbose = false, progress = false;
    std::vector<std::string> names;
    std::string budget = "quick", scheduler_name = "random", results_dir;
    std::optional<unsigned long> iterations_option;
    unsigned context_bound = 1;  // Relacy's default: one preemption per execution
    harness::selection sel;
    app.add_flag("--all", all, "every case (narrowed by --kind, --flavor, --mutant, --shard)");
    app.add_option("--case", names, "this case (repeatable; see --list)");
    harness::add_budget(app, budget, "random-scheduler iterations per case: quick 10^4, full 10^6");
    app.add_option("--iterations", iterations_option, "iterations per case (overrides --budget)")->check(CLI::PositiveNumber);
    app.add_option("--scheduler", scheduler_name, "Relacy's random scheduler, context-bound tree search, or every interleaving")
        ->check(CLI::IsMember({"random", "bound", "full"}));
    app.add_option("--context-bound", context_bound, "preemptions per execution for --scheduler bound")->check(CLI::Range(1u, 8u));
    app.add_option("--results", results_dir, "write DIR/<program>.<scheduler>.json");
    app.add_flag("--list", list, "print the cases and exit");
    app.add_flag("--verbose", verbose, "print the report of expected failures too");
    app.add_flag("--progress", progress, "Relacy's progress on stderr");
    harness::add_selection(app, sel);
    if (const auto status = harness::parse(app, argc, argv)) return *status;

    if (sel.list_mutants) {
        std::vector<bug> seen;
        for (const auto& c : cases)
            if (c.injected != bug::none && std::find(seen.begin(), seen.end(), c.injected) == seen.end()) {
                seen.push_back(c.injected);
                std::printf("%s\n", bug_name(c.injected));
            }
        return 0;
    }
    if (list) {
        for (const auto& c : cases)
            std::printf("%s%s\n", c.name.c_str(), c.by_name_only ? "  (by name only)" : c.small ? "  (small)" : "");
        return 0;
    }
    const unsigned long iterations =
        iterations_option ? *iterations_option : budget == "full" ? full_iterations : quick_iterations;
    if (iterations_option) budget = "custom";
    const rl::scheduler_type_e scheduler = scheduler_name == "bound"  ? rl::fair_context_bound_scheduler_type
                                           : scheduler_name == "full" ? rl::fair_full_search_scheduler_type
                                                                      : rl::random_scheduler_type;

    std::vector<const model_case*> selected;
    for (const std::string& name : names) {
        const model_case* found = nullptr;
        for (const auto& c : cases)
            if (c.name == name) found = &c;
        if (found == nullptr) {
            std::fprintf(stderr, "%s: unknown case '%s' (see --list)\n", program.c_str(), name.c_str());
            return 2;
        }
        selected.push_back(found);
    }
    const bool narrowed = sel.narrowed();
    if (all || (names.empty() && narrowed)) {
        std::size_t skipped = 0, index = 0;
        for (const auto& c : cases) {
            if (c.by_name_only) continue;
            if (!sel.wants_kind(c.kind) || (!sel.flavors.empty() && (!c.flav || !sel.wants_flavor(*c.flav))) || !sel.wants_mutant(c.injected))
                continue;
            if (!sel.in_shard(index++)) continue;
            if (scheduler == rl::fair_full_search_scheduler_type && !c.small) ++skipped;
            else selected.push_back(&c);
        }
        if (skipped != 0)
            std::printf("full search: %zu cases larger than 2 threads / 2 messages left out (run them with --case)\n",
                        skipped);
    }
    if (selected.empty()) {
        if (all || narrowed) {
            std::printf("no case matches the selection\n");
            return 0;
        }
        std::fprintf(stderr, "%s: choose cases: --all or --case NAME (see --help)\n", program.c_str());
        return 2;
    }

    results_file results(results_dir, program, scheduler_name, budget, iterations);
    const std::string self = harness::self_path(argv[0]);
    int unexpected = 0;
    static fixed_buffer history_buffer;
    std::ostream history(&history_buffer);
    std::ostream discard(nullptr);  // a stream without a buffer writes nothing
    for (const model_case* c : selected) {
        history_buffer.reset();
        rl::test_params params;
        params.iteration_count = iterations;
        params.search_type = scheduler;
        params.output_stream = &history;
        params.progress_stream = progress ? &std::cerr : &discard;
        params.context_bound = context_bound;
        // The whole case again, with the same iteration budget: Relacy's random scheduler is
        // seeded by the iteration's index, so this reaches the same iteration again.
        std::string rerun = self + " --case " + c->name + " --scheduler " + scheduler_name;
        if (scheduler == rl::random_scheduler_type) rerun += " --iterations " + std::to_string(iterations);
        if (scheduler == rl::fair_context_bound_scheduler_type && context_bound != 1)
            rerun += " --context-bound " + std::to_string(context_bound);
        harness::crash_note::set("case " + c->name + "; replay: " + rerun);
        results.begin(case_json(*c, scheduler_name, "crash", false, 0, 0, rerun, "",
                                {{"note", "the program ended during this case before it could record an outcome (a crash, "
                                          "a signal or a kill); what it printed last, and the signal, are in its output"}}));
        const auto start = std::chrono::steady_clock::now();
        c->run(params);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const oracle_finding finding = oracle_findings ? oracle_findings() : oracle_finding{};
        const std::string outcome = failure_kind(params.test_result, finding);
        const bool as_expected = c->accepts(outcome);
        // A random-scheduler iteration is seeded by its index, so running exactly up to the
        // failing iteration replays it; a tree search replays by running the same search.
        std::string replay = self + " --case " + c->name + " --scheduler " + scheduler_name;
        if (scheduler == rl::random_scheduler_type) replay += " --iterations " + std::to_string(params.stop_iteration);
        if (scheduler == rl::fair_context_bound_scheduler_type && context_bound != 1)
            replay += " --context-bound " + std::to_string(context_bound);
        harness::crash_note::clear();
        std::printf("%-56s %-6s outcome=%-28s expected=%-28s iterations=%llu %.2fs\n", c->name.c_str(),
                    as_expected ? "OK" : "FAILED", outcome.c_str(), c->expected_text().c_str(),
                    static_cast<unsigned long long>(params.stop_iteration), seconds);
        const bool failed = params.test_result != rl::test_result_success;
        if (!as_expected || (verbose && failed)) {
            if (!finding.text.empty()) std::printf("%s", finding.text.c_str());
            std::printf("%s\nreplay: %s\n", history_buffer.text().c_str(), replay.c_str());
        }
        if (!as_expected) ++unexpected;
        results.add(case_json(*c, scheduler_name, outcome, as_expected, params.stop_iteration, seconds, replay,
                              failed ? history_buffer.text() : "", failed && !finding.detail.is_null() ? finding.detail : json(nullptr)));
    }
    results.finish();
    std::printf("%zu passed, %d failed\n", selected.size() - unexpected, unexpected);
    return unexpected == 0 ? 0 : 1;
}

}  // namespace chancheck::models
