// concurrent_properties — RapidCheck-generated producer/consumer programs and schedules.
//
// Each property draws a program (program.hpp) and a schedule (a random walk or a PCT
// schedule, sched/schedule.hpp), runs the program under the deterministic scheduler
// (sched_sync) and judges it (judge.hpp). On a failure RapidCheck shrinks program and
// schedule together; the last failing pair it tried is the minimal counterexample, printed
// with the one command that replays it. The real-threads property runs deadlock-free
// programs many times on std::thread.
//
//   concurrent_properties --list
//   concurrent_properties --correct [--budget quick|full] [--seed N]   every property passes
//   concurrent_properties --bug-zoo [--budget quick|full] [--seed N]   every mutant is caught
//   concurrent_properties --property NAME [--seed N]                   one property
//   concurrent_properties --property NAME --program TEXT --schedule TEXT   replay one case
//   --seeds COUNT runs each property with COUNT consecutive seeds: every one must end as
//   expected (a mutant caught as a kind of its bug's class), so the verdict is not the seed's.
//   check_replay.py FILE BINARY replays every counterexample of a results file.
//   --results DIR writes DIR/concurrent_properties.<mode>.json (schema in RESULTS.md).
#include <rapidcheck.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "properties.hpp"
#include "results_json.hpp"

using namespace chancheck::props;

namespace {

struct options {
    std::string mode;  // correct, bug-zoo, property, replay, check-replays, list
    std::string property;
    std::string program_text, schedule_text;
    std::string budget = "quick";
    std::optional<std::uint64_t> seed;
    unsigned seeds = 1;  // run each property with seeds seed, seed+1, ... (a verdict that holds for every seed)
    std::string results_dir;
};

[[noreturn]] void usage_error(const std::string& why) {
    std::cerr << "concurrent_properties: " << why << "\n"
              << "usage: concurrent_properties --list | --correct | --bug-zoo | --property NAME [--program TEXT "
                 "--schedule TEXT]\n"
              << "       [--budget quick|full] [--seed N] [--seeds COUNT] [--results DIR]\n";
    std::exit(2);
}

options parse(int argc, char** argv) {
    options o;
    auto value = [&](int& i) -> std::string {
        if (i + 1 >= argc) usage_error(std::string(argv[i]) + " needs a value");
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--list") o.mode = "list";
        else if (a == "--correct") o.mode = "correct";
        else if (a == "--bug-zoo") o.mode = "bug-zoo";
        else if (a == "--property") o.property = value(i), o.mode = o.mode.empty() ? "property" : o.mode;
        else if (a == "--program") o.program_text = value(i);
        else if (a == "--schedule") o.schedule_text = value(i);
        else if (a == "--budget") {
            o.budget = value(i);
            if (o.budget != "quick" && o.budget != "full") usage_error("--budget must be quick or full, got '" + o.budget + "'");
        } else if (a == "--seed") {
            const std::string s = value(i);
            if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) usage_error("--seed needs a number, got '" + s + "'");
            o.seed = std::stoull(s);
        } else if (a == "--seeds") {
            const std::string s = value(i);
            if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos || std::stoul(s) == 0)
                usage_error("--seeds needs a count from 1 to 999999, got '" + s + "'");
            o.seeds = static_cast<unsigned>(std::stoul(s));
        } else if (a == "--results") o.results_dir = value(i);
        else usage_error("unknown argument '" + a + "'");
    }
    if (!o.program_text.empty() || !o.schedule_text.empty()) {
        if (o.property.empty() || o.program_text.empty() || o.schedule_text.empty())
            usage_error("a replay needs --property, --program and --schedule");
        o.mode = "replay";
    }
    if (o.mode.empty()) usage_error("choose a mode");
    return o;
}

std::uint64_t fresh_seed() {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

int run_replay(const options& o) {
    const property_spec* spec = find_property(o.property);
    if (spec == nullptr) usage_error("no property '" + o.property + "' (see --list)");
    program p;
    chancheck::sched::schedule s;
    try {
        p = parse_program(o.program_text);
        s = chancheck::sched::parse_schedule(o.schedule_text);
    } catch (const std::invalid_argument& e) {
        std::cerr << "concurrent_properties: " << e.what() << "\n";
        return 2;
    }
    const case_outcome out = spec->run(p, s);
    std::cout << "program:  " << to_text(p) << "\nschedule: " << to_string(s) << "\n";
    if (spec->real_threads)
        std::cout << "(real threads: the schedule is not used; the program runs 50 times and fails again only "
                     "if some run hits the failing interleaving)\n";
    if (!out.v.failed) {
        std::cout << (out.v.program_deadlock ? "passed (the program deadlocks by itself)\n" : "passed\n");
        return 0;
    }
    std::cout << "FAILED: " << out.v.kind << "\n" << out.v.message << "\nhistory:\n" << out.history;
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    chancheck::harness::crash_note::install("concurrent_properties");
    const options o = parse(argc, argv);
    if (o.mode == "list") {
        for (const property_spec& p : all_properties())
            std::cout << p.name << (p.is_mutant() ? "  [mutant " + p.mutant_name() + ", expect " + p.expected() + "]" : "") << "\n";
        return 0;
    }
    if (o.mode == "replay") return run_replay(o);

    const std::uint64_t seed = o.seed ? *o.seed : fresh_seed();
    const bool full = o.budget == "full";
    std::vector<const property_spec*> chosen;
    for (const property_spec& p : all_properties()) {
        if (o.mode == "property" && p.name != o.property) continue;
        if (o.mode == "correct" && p.is_mutant()) continue;
        if (o.mode == "bug-zoo" && !p.is_mutant()) continue;
        chosen.push_back(&p);
    }
    if (chosen.empty()) usage_error("no property '" + o.property + "' (see --list)");

    std::cout << "seed " << seed << " (replay the whole run: " << argv[0] << " --" << o.mode
              << (o.mode == "property" ? " " + o.property : "") << " --budget " << o.budget << " --seed " << seed << ")\n";
    results_file results(o.results_dir, o.mode, seed, o.budget);
    int bad = 0;
    for (const property_spec* p : chosen) {
        const auto rerun = [&](std::uint64_t s) {
            return std::string(argv[0]) + " --property " + p->name + " --budget " + o.budget + " --seed " + std::to_string(s);
        };
        results.begin(*p, rerun(seed));
        property_result r = check_property(*p, seed, full);
        const bool expected_failure = p->is_mutant();
        bool ok = p->as_expected(r.passed, r.failure_kind);
        if (o.seeds > 1) {
            // The verdict must not depend on the seed: every seed ends as expected. The entry
            // kept is the first seed that did not, else the first seed's.
            std::map<std::string, unsigned> outcomes;
            outcomes[r.passed ? "pass" : r.failure_kind] += 1;
            unsigned as_expected = ok ? 1 : 0;
            int cases = r.cases, most_cases = r.cases;
            double seconds = r.seconds;
            for (unsigned k = 1; k < o.seeds; ++k) {
                results.begin(*p, rerun(seed + k));
                const property_result rk = check_property(*p, seed + k, full);
                const bool ok_k = p->as_expected(rk.passed, rk.failure_kind);
                outcomes[rk.passed ? "pass" : rk.failure_kind] += 1;
                as_expected += ok_k ? 1 : 0;
                cases += rk.cases;
                most_cases = std::max(most_cases, rk.cases);
                seconds += rk.seconds;
                if (!ok_k) std::printf("    seed %llu: %s (rerun: %s)\n", static_cast<unsigned long long>(seed + k),
                                       rk.passed ? "ESCAPED" : ("caught as UNEXPECTED " + rk.failure_kind).c_str(),
                                       rerun(seed + k).c_str());
                if (!ok_k && ok) r = rk, ok = false;
            }
            std::string seen;
            for (const auto& [what, n] : outcomes) seen += (seen.empty() ? "" : ", ") + what + " " + std::to_string(n);
            const std::string summary = "seeds " + std::to_string(seed) + ".." + std::to_string(seed + o.seeds - 1) + ": " +
                                        std::to_string(as_expected) + "/" + std::to_string(o.seeds) + " as expected (" +
                                        seen + "); " + std::to_string(cases) + " cases in all, at most " +
                                        std::to_string(most_cases) + " for one seed";
            std::printf("%-44s %s\n", p->name.c_str(), summary.c_str());
            r.message = summary + (r.message.empty() ? "" : "\n" + r.message);
            r.cases = cases;
            r.seconds = seconds;
        }
        std::string line;
        if (!expected_failure) {
            line = ok ? "pass" : "FAIL " + r.failure_kind;
        } else {
            line = r.passed ? "ESCAPED (never failed)" : (ok ? "caught as " : "caught as UNEXPECTED ") + r.failure_kind;
        }
        std::printf("%-44s %-40s %5d cases %4d shrinks %7.2f s\n", p->name.c_str(), line.c_str(), r.cases, r.shrinks, r.seconds);
        if (!r.passed) {
            std::printf("    minimal counterexample (%zu ops, %zu threads): %s\n    schedule: %s\n    replay: %s\n",
                        r.counterexample_ops, r.counterexample_threads, r.program.c_str(), r.schedule.c_str(), r.replay.c_str());
            if (!ok || !expected_failure) std::printf("%s\n%s", r.message.c_str(), r.history.c_str());
        }
        bad += ok ? 0 : 1;
        results.add(*p, r, ok);
    }
    results.finish();
    std::printf("%zu/%zu properties as expected\n", chosen.size() - static_cast<std::size_t>(bad), chosen.size());
    return bad == 0 ? 0 : 1;
}
