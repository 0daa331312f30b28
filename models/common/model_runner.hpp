// models/common/model_runner.hpp — the command line and results shared by every Relacy model.
//
// A model program is a list of named cases, each one Relacy simulation with the outcome it
// must end with: "success" for reference flavors, the expected failure kind for a seeded bug
// (see failure_kind()). Usage:
//   PROGRAM [--all | --case NAME]... [--budget quick|full] [--iterations N]
//           [--scheduler random|bound|full] [--context-bound N] [--results DIR]
//           [--list] [--verbose] [--progress]
// --budget sets the random scheduler's iterations per case (quick 10^4, full 10^6);
// --iterations overrides it. The tree-search schedulers (bound: context-bound; full: every
// interleaving) run to exhaustion; with --all, `full` selects only the cases marked small.
// --context-bound N lets the bound scheduler preempt N times per execution (default 1).
// A case that ends otherwise than expected prints Relacy's execution history, the oracle's
// findings and the one command that replays it; the program then exits 1.
// --results DIR writes DIR/<program>.<scheduler>.json (schema: harness/RESULTS.md),
// rewritten after every case so a crashed or killed run still shows what ran.
//
// Include after chancheck/sync/relacy_sync.hpp.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iostream>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/harness/crash_note.hpp"
#include "common/json_results.hpp"

namespace chancheck::models {

struct model_case {
    std::string name;
    std::string expected;  // "success" or a failure kind
    std::function<bool(rl::test_params&)> run;
    // What the results file says about the case.
    std::string scenario;
    std::string channel;   // mpsc, mpmc, broadcast, oneshot, select
    std::string flavor;    // e.g. list, array, zero, locked_bounded
    std::string mutant;    // the seeded bug's name, empty for the reference flavor
    bug injected = bug::none;  // the seeded bug: then any failure kind of its class is a catch
    bool small = false;    // 2 threads, at most 2 messages: cheap enough for full search
    bool by_name_only = false;  // a self-test of the runner: never in --all, only with --case

    // Whether `outcome` is what this case must end with.
    bool accepts(const std::string& outcome) const {
        return injected != bug::none ? kind_of_class(outcome, class_of(injected)) : outcome == expected;
    }
};

// A case with no scenario metadata (the smoke models).
inline model_case named_case(std::string name, std::string expected, std::function<bool(rl::test_params&)> run) {
    model_case c;
    c.name = std::move(name);
    c.expected = std::move(expected);
    c.run = std::move(run);
    return c;
}

// What a model program's own checks (the harness oracles) found in the failing iteration.
struct oracle_finding {
    std::string kind;  // the first violation's kind, e.g. "lost_message"; empty if none
    std::string text;  // violations and the recorded history
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

inline int usage(const char* argv0, int status) {
    std::fprintf(status == 0 ? stdout : stderr,
                 "usage: %s [--all | --case NAME]... [--budget quick|full] [--iterations N]\n"
                 "          [--scheduler random|bound|full] [--context-bound N] [--results DIR]\n"
                 "          [--list] [--verbose] [--progress]\n",
                 argv0);
    return status;
}

// Runs the selected cases; exit status 0 when every one ended as expected, 1 otherwise,
// 2 on a bad command line. `oracle_findings` returns (and clears) what the program's own
// checks recorded about the last case's failure.
inline int run_cases(int argc, char** argv, const std::vector<model_case>& cases,
                     const std::function<oracle_finding()>& oracle_findings = {}) {
    harness::crash_note::install(std::filesystem::path(argv[0]).filename().string());
    std::vector<const model_case*> selected;
    bool select_all = false;
    unsigned long iterations = quick_iterations;
    std::string budget = "quick";
    rl::scheduler_type_e scheduler = rl::random_scheduler_type;
    std::string scheduler_name = "random";
    std::string results_dir;
    bool verbose = false;
    bool progress = false;
    unsigned context_bound = 1;  // Relacy's default: one preemption per execution

    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&](const char* what) -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s: %s needs a value\n", argv[0], what);
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--all") {
            select_all = true;
        } else if (arg == "--case") {
            const std::string name = next("--case");
            const model_case* found = nullptr;
            for (const auto& c : cases) if (c.name == name) found = &c;
            if (found == nullptr) {
                std::fprintf(stderr, "%s: unknown case '%s' (see --list)\n", argv[0], name.c_str());
                return 2;
            }
            selected.push_back(found);
        } else if (arg == "--budget") {
            budget = next("--budget");
            if (budget == "quick") iterations = quick_iterations;
            else if (budget == "full") iterations = full_iterations;
            else {
                std::fprintf(stderr, "%s: unknown budget '%s' (quick or full)\n", argv[0], budget.c_str());
                return 2;
            }
        } else if (arg == "--iterations") {
            const std::string text = next("--iterations");
            char* end = nullptr;
            iterations = std::strtoul(text.c_str(), &end, 10);
            if (*end != '\0' || iterations == 0) {
                std::fprintf(stderr, "%s: --iterations needs a positive number, got '%s'\n", argv[0], text.c_str());
                return 2;
            }
            budget = "custom";
        } else if (arg == "--scheduler") {
            scheduler_name = next("--scheduler");
            if (scheduler_name == "random") scheduler = rl::random_scheduler_type;
            else if (scheduler_name == "bound") scheduler = rl::fair_context_bound_scheduler_type;
            else if (scheduler_name == "full") scheduler = rl::fair_full_search_scheduler_type;
            else {
                std::fprintf(stderr, "%s: unknown scheduler '%s' (random, bound or full)\n", argv[0],
                             scheduler_name.c_str());
                return 2;
            }
        } else if (arg == "--context-bound") {
            const std::string text = next("--context-bound");
            char* end = nullptr;
            const unsigned long n = std::strtoul(text.c_str(), &end, 10);
            if (*end != '\0' || n == 0 || n > 8) {
                std::fprintf(stderr, "%s: --context-bound needs a number from 1 to 8, got '%s'\n", argv[0], text.c_str());
                return 2;
            }
            context_bound = static_cast<unsigned>(n);
        } else if (arg == "--results") {
            results_dir = next("--results");
        } else if (arg == "--verbose") {
            verbose = true;
        } else if (arg == "--progress") {
            progress = true;
        } else if (arg == "--list") {
            for (const auto& c : cases)
                std::printf("%s%s\n", c.name.c_str(), c.by_name_only ? "  (by name only)" : c.small ? "  (small)" : "");
            return 0;
        } else if (arg == "--help" || arg == "-h") {
            return usage(argv[0], 0);
        } else {
            std::fprintf(stderr, "%s: unknown argument '%s'\n", argv[0], arg.c_str());
            return usage(argv[0], 2);
        }
    }
    if (select_all) {
        std::size_t skipped = 0;
        for (const auto& c : cases) {
            if (c.by_name_only) continue;
            if (scheduler == rl::fair_full_search_scheduler_type && !c.small) ++skipped;
            else selected.push_back(&c);
        }
        if (skipped != 0)
            std::printf("full search: %zu cases larger than 2 threads / 2 messages left out (run them with --case)\n",
                        skipped);
    }
    if (selected.empty()) return usage(argv[0], 2);

    results_file results(results_dir, argv[0], scheduler_name, budget, iterations);
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
        std::string rerun = std::string(argv[0]) + " --case " + c->name + " --scheduler " + scheduler_name;
        if (scheduler == rl::random_scheduler_type) rerun += " --iterations " + std::to_string(iterations);
        if (scheduler == rl::fair_context_bound_scheduler_type && context_bound != 1)
            rerun += " --context-bound " + std::to_string(context_bound);
        harness::crash_note::set("case " + c->name + "; replay: " + rerun);
        {
            case_result died;
            died.name = c->name;
            died.scenario = c->scenario;
            died.channel = c->channel;
            died.flavor = c->flavor;
            died.mutant = c->mutant;
            died.expected = c->expected;
            died.verdict = "fail";
            died.outcome = "crash";
            died.replay = rerun;
            died.detail = "the program ended during this case before it could record an outcome (a crash, a signal "
                          "or a kill); what it printed last, and the signal, are in its output";
            results.begin(std::move(died));
        }
        const auto start = std::chrono::steady_clock::now();
        c->run(params);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const oracle_finding finding = oracle_findings ? oracle_findings() : oracle_finding{};
        const std::string outcome = failure_kind(params.test_result, finding);
        const bool as_expected = c->accepts(outcome);
        // A random-scheduler iteration is seeded by its index, so running exactly up to the
        // failing iteration replays it; a tree search replays by running the same search.
        std::string replay = std::string(argv[0]) + " --case " + c->name + " --scheduler " + scheduler_name;
        if (scheduler == rl::random_scheduler_type) replay += " --iterations " + std::to_string(params.stop_iteration);
        if (scheduler == rl::fair_context_bound_scheduler_type && context_bound != 1)
            replay += " --context-bound " + std::to_string(context_bound);
        harness::crash_note::clear();
        std::printf("%-56s %-6s outcome=%-28s expected=%-28s iterations=%llu %.2fs\n", c->name.c_str(),
                    as_expected ? "OK" : "FAILED", outcome.c_str(), c->expected.c_str(),
                    static_cast<unsigned long long>(params.stop_iteration), seconds);
        const bool failed = params.test_result != rl::test_result_success;
        if (!as_expected || (verbose && failed)) {
            if (!finding.text.empty()) std::printf("%s", finding.text.c_str());
            std::printf("%s\nreplay: %s\n", history_buffer.text().c_str(), replay.c_str());
        }
        if (!as_expected) ++unexpected;

        case_result r;
        r.name = c->name;
        r.scenario = c->scenario;
        r.channel = c->channel;
        r.flavor = c->flavor;
        r.mutant = c->mutant;
        r.expected = c->expected;
        r.iterations = params.stop_iteration;
        r.seconds = seconds;
        r.verdict = as_expected ? "pass" : "fail";
        r.outcome = outcome;
        r.replay = replay;
        if (failed) {
            r.history = history_buffer.text();
            r.detail = finding.text;
        }
        results.add(std::move(r));
    }
    results.finish();
    std::printf("%zu passed, %d failed\n", selected.size() - unexpected, unexpected);
    return unexpected == 0 ? 0 : 1;
}

}  // namespace chancheck::models
