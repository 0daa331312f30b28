// property_tests/concurrent/properties_main.hpp — the command line of every property program:
// concurrent_properties (chancheck's own channels) and each <name>-properties that
// chancheck_add_channel builds over a user's adapter. One options struct, on CLI11.
//
//   PROGRAM [--correct | --bug-zoo | --property NAME]   which properties (default: all)
//           [--kind K] [--flavor F] [--mutant M] [--shard I/N]   (harness/engine_cli.hpp)
//           [--budget quick|full] [--seed N] [--seeds COUNT] [--results DIR]
//   PROGRAM --property NAME --program TEXT [--schedule TEXT]   replay one case
//   PROGRAM --list | --list-mutants
// --seeds COUNT runs each property with COUNT consecutive seeds: every one must end as
// expected (a mutant caught as a kind of its bug's class), so the verdict is not the seed's.
// --shard I/N runs shard I of N disjoint seed ranges of that many seeds (one seed each
// without --seeds), so N machines together cover N times the seeds.
// --results DIR writes DIR/<program>.<mode>.json (schema in harness/RESULTS.md).
// Exit status: 0 every property as expected, 1 otherwise, 2 bad usage.
#pragma once

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "chancheck/harness/crash_note.hpp"
#include "chancheck/harness/engine_cli.hpp"
#include "properties.hpp"
#include "results_json.hpp"

namespace chancheck::props {

// The properties `sel` keeps: mutants only when one is named or the bug zoo is asked for,
// subjects of the chosen flavor only (a subject has that flavor at some capacity).
inline std::vector<property_spec> select_properties(std::vector<property_spec> all, const harness::selection& sel) {
    std::vector<property_spec> kept;
    for (property_spec& p : all) {
        if (!sel.wants_kind(p.kind) || !sel.wants_mutant(p.mutant)) continue;
        if (!sel.flavors.empty()) {
            std::vector<subject> subjects;
            for (const subject& s : p.subjects) {
                std::vector<int> capacities;
                for (int c : s.caps.capacities)
                    if (sel.wants_flavor(s.caps.flavor_of(c < 0 ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(c)))))
                        capacities.push_back(c);
                if (capacities.empty()) continue;
                subjects.push_back(s);
                subjects.back().caps.capacities = capacities;
            }
            if (subjects.empty()) continue;
            p.subjects = std::move(subjects);
        }
        kept.push_back(std::move(p));
    }
    return kept;
}

// The exit status. With threads of a hung real-thread run still blocked (run_real_threads),
// the process ends here, flushed, before static destructors those threads could race with.
inline int leave(int status) {
    if (abandoned_runs() == 0) return status;
    std::cout.flush();
    std::fflush(nullptr);
    std::_Exit(status);
}

inline int replay_one(const property_spec& spec, const std::string& program_text, const std::string& schedule_text) {
    program p;
    sched::schedule s;
    try {
        p = spec.parse(program_text);
        if (!schedule_text.empty()) s = sched::parse_schedule(schedule_text);
    } catch (const std::invalid_argument& e) {
        std::cerr << spec.executable << ": " << e.what() << "\n";
        return 2;
    }
    if (!spec.real_threads && schedule_text.empty()) {
        std::cerr << spec.executable << ": a replay of property " << spec.name << " needs --schedule\n";
        return 2;
    }
    case_outcome out = spec.run(p, s);
    if (const subject* sub = spec.find(p.subject); out.v.failed && sub != nullptr && sub->finish_message != nullptr)
        out.v.message = sub->finish_message(out.v.message);
    std::cout << "program:  " << to_text(p) << "\n";
    if (spec.real_threads)
        std::cout << "(real threads: the program runs 50 times and fails again only if some run hits the failing "
                     "interleaving)\n";
    else
        std::cout << "schedule: " << to_string(s) << "\n";
    if (!out.v.failed) {
        std::cout << (out.v.program_deadlock ? "passed (the program deadlocks by itself)\n" : "passed\n");
        return 0;
    }
    std::cout << "FAILED: " << out.v.kind << "\n" << out.v.message << "\nhistory:\n" << history_text(out.events);
    return 1;
}

// Runs `spec` with `seeds` consecutive seeds from `seed`; the entry kept is the first seed
// that did not end as expected, else the first seed's, with a summary of every seed.
inline property_result check_over_seeds(const property_spec& spec, std::uint64_t seed, unsigned seeds, bool full,
                                        results_file& results, const std::string& budget, bool& ok) {
    const auto rerun = [&](std::uint64_t s) {
        return spec.executable + " --property " + spec.name + " --budget " + budget + " --seed " + std::to_string(s);
    };
    results.begin(spec, rerun(seed));
    property_result r = check_property(spec, seed, full);
    ok = spec.as_expected(r.passed, r.failure_kind);
    if (seeds <= 1) return r;
    std::map<std::string, unsigned> outcomes;
    outcomes[r.passed ? "pass" : r.failure_kind] += 1;
    unsigned as_expected = ok ? 1 : 0;
    int cases = r.cases, most_cases = r.cases;
    double seconds = r.seconds;
    for (unsigned k = 1; k < seeds; ++k) {
        results.begin(spec, rerun(seed + k));
        const property_result rk = check_property(spec, seed + k, full);
        const bool ok_k = spec.as_expected(rk.passed, rk.failure_kind);
        outcomes[rk.passed ? "pass" : rk.failure_kind] += 1;
        as_expected += ok_k ? 1 : 0;
        cases += rk.cases;
        most_cases = std::max(most_cases, rk.cases);
        seconds += rk.seconds;
        if (!ok_k)
            std::printf("    seed %llu: %s (rerun: %s)\n", static_cast<unsigned long long>(seed + k),
                        rk.passed ? (spec.is_mutant() ? "ESCAPED" : "passed") : ("FAILED as " + rk.failure_kind).c_str(),
                        rerun(seed + k).c_str());
        if (!ok_k && ok) r = rk, ok = false;
    }
    std::string seen;
    for (const auto& [what, n] : outcomes) seen += (seen.empty() ? "" : ", ") + what + " " + std::to_string(n);
    const std::string summary = "seeds " + std::to_string(seed) + ".." + std::to_string(seed + seeds - 1) + ": " +
                                std::to_string(as_expected) + "/" + std::to_string(seeds) + " as expected (" + seen +
                                "); " + std::to_string(cases) + " cases in all, at most " + std::to_string(most_cases) +
                                " for one seed";
    std::printf("%-44s %s\n", spec.name.c_str(), summary.c_str());
    r.message = summary + (r.message.empty() ? "" : "\n" + r.message);
    r.cases = cases;
    r.seconds = seconds;
    return r;
}

// `results_mode`: the results file's mode when every property runs ("all"; "adapter" for a
// user's channel, which the report files under that channel's own row).
inline int properties_main(int argc, char** argv, std::vector<property_spec> properties, const std::string& description,
                           const std::string& results_mode) {
    const std::string program = std::filesystem::path(argv[0]).filename().string();
    const std::string executable = harness::self_path(argv[0]);
    harness::crash_note::install(program);
    for (property_spec& p : properties) p.executable = executable;

    CLI::App app(description, program);
    bool list = false, correct = false, bug_zoo = false;
    std::string property, program_text, schedule_text, budget = "quick", results_dir;
    std::optional<std::uint64_t> seed;
    unsigned seeds = 1;
    double hang_seconds = std::chrono::duration<double>(default_hang_after).count();
    harness::selection sel;
    app.add_flag("--list", list, "print the properties and exit");
    auto* correct_opt = app.add_flag("--correct", correct, "only the correct channels' properties (no seeded bug)");
    auto* zoo_opt = app.add_flag("--bug-zoo", bug_zoo, "only the seeded bugs' properties: each must fail as its bug's class");
    auto* property_opt = app.add_option("--property", property, "only this property (see --list)");
    auto* program_opt = app.add_option("--program", program_text, "replay this program (with --property)");
    app.add_option("--schedule", schedule_text, "... under this schedule (a scheduled property)")->needs(program_opt);
    harness::add_budget(app, budget, "cases per property");
    app.add_option("--seed", seed, "RapidCheck's seed (default: fresh, printed)");
    app.add_option("--seeds", seeds, "run each property over this many consecutive seeds")->check(CLI::Range(1u, 1000000u));
    app.add_option("--results", results_dir, "write DIR/<program>.<mode>.json");
    app.add_option("--hang-after", hang_seconds,
                   "a real-thread run whose threads have not all returned after this many seconds is a deadlock")
        ->capture_default_str()
        ->check(CLI::Range(0.1, 3600.0));
    harness::add_selection(app, sel);
    correct_opt->excludes(zoo_opt);
    program_opt->needs(property_opt);
    if (const auto status = harness::parse(app, argc, argv)) return *status;
    hang_after() = std::chrono::milliseconds(static_cast<long>(hang_seconds * 1000));

    if (sel.list_mutants) {
        for (const property_spec& p : properties)
            if (p.is_mutant()) std::cout << p.mutant_name() << "\n";
        return 0;
    }
    if (list) {
        for (const property_spec& p : properties)
            std::cout << p.name << "  [" << to_string(p.kind) << (p.is_mutant() ? ", mutant " + p.mutant_name() + ", expect " + p.expected() : "")
                      << "]\n";
        return 0;
    }
    if (!program_text.empty()) {
        for (const property_spec& p : properties)
            if (p.name == property) return leave(replay_one(p, program_text, schedule_text));
        std::cerr << program << ": no property '" << property << "' (see --list)\n";
        return 2;
    }

    std::vector<property_spec> chosen;
    for (property_spec& p : select_properties(properties, sel)) {
        if (!property.empty() && p.name != property) continue;
        if (correct && p.is_mutant()) continue;
        if (bug_zoo && !p.is_mutant()) continue;
        chosen.push_back(std::move(p));
    }
    if (chosen.empty()) {
        std::cerr << program << ": no property matches the selection (see --list)\n";
        return 2;
    }
    const std::string mode = !property.empty() ? "property" : correct ? "correct" : bug_zoo ? "bug-zoo" : results_mode;
    if (!seed) {
        std::random_device rd;
        seed = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    }
    // A shard takes its own disjoint range of seeds.
    const std::uint64_t first_seed = *seed + static_cast<std::uint64_t>(sel.shard_index) * seeds;
    std::cout << "seed " << first_seed << (seeds > 1 ? " (and the next " + std::to_string(seeds - 1) + ")" : "")
              << "; replay the whole run: " << executable << " --budget " << budget << " --seed " << first_seed
              << (seeds > 1 ? " --seeds " + std::to_string(seeds) : "") << "\n";
    results_file results(results_dir, mode, first_seed, budget, program);
    int bad = 0;
    for (const property_spec& p : chosen) {
        bool ok = false;
        const property_result r = check_over_seeds(p, first_seed, seeds, budget == "full", results, budget, ok);
        std::string line;
        if (!p.is_mutant()) line = ok ? "pass" : "FAIL " + r.failure_kind;
        else line = r.passed ? "ESCAPED (never failed)" : (ok ? "caught as " : "caught as UNEXPECTED ") + r.failure_kind;
        std::printf("%-44s %-40s %5d cases %4d shrinks %7.2f s\n", p.name.c_str(), line.c_str(), r.cases, r.shrinks, r.seconds);
        if (!r.passed && !r.program.empty()) {
            std::printf("    minimal counterexample (%zu ops, %zu threads): %s\n", r.counterexample_ops, r.counterexample_threads,
                        r.program.c_str());
            if (!p.real_threads) std::printf("    schedule: %s\n", r.schedule.c_str());
            std::printf("    replay: %s\n", r.replay.c_str());
            if (r.replay_diverged) std::printf("    NOT REPRODUCIBLE: the replay did not fail the same way (see the message)\n");
        }
        if (!ok || (!r.passed && !p.is_mutant())) std::printf("%s\n%s", r.message.c_str(), history_text(r.events).c_str());
        bad += ok ? 0 : 1;
        results.add(p, r, ok);
    }
    results.finish();
    std::printf("%zu/%zu properties as expected\n", chosen.size() - static_cast<std::size_t>(bad), chosen.size());
    return leave(bad == 0 ? 0 : 1);
}

}  // namespace chancheck::props
