// search/search_main.cpp — chancheck_search: the harness's mpsc scenarios on chancheck's
// channels under the exhaustive search (source-DPOR with sleep sets, chancheck/sync/sched/
// search.hpp), each case proved (every trace explored), bounded (every trace within k
// preemptions) or sampled (the execution budget ran out), with Knuth's estimate of the
// unreduced tree; and the seeded bugs that show under sequential consistency, each caught
// with the fewest preemptions it needs and a schedule that replays it.
//
//   chancheck_search [selection] [--bug-zoo] [--exhaustive | --bound K [--one-bound]] [--max-executions N]
//                    [--seconds-per-case S] [--estimate PROBES] [--results DIR] [--list] [--case NAME]...
//   chancheck_search --case NAME --replay SCHEDULE
// Without --exhaustive the search runs bounds 0, 1, … K (default 2) and stops at the first
// that leaves nothing out (then the case is proved) or at K (bounded). Exit status: 0 when
// every reference case passed and every mutant searched was caught by one of its cases
// (--bug-zoo), 1 otherwise, 2 for bad usage.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/harness/chancheck_channels.hpp"
#include "chancheck/harness/engine_cli.hpp"
#include "chancheck/search/scenario_search.hpp"

namespace {

using namespace chancheck;
using namespace chancheck::harness;
using chancheck::search_engine::search_case;

template <implementation I, class Sync>
using mpsc_channel = typename chancheck_channel<channel_kind::mpsc, I>::template adapter<counted, Sync>;

using mpsc_scenarios = scenario_list<spsc, two_producers, last_sender_dropped_while_receiver_blocked,
                                     receiver_dropped_while_sender_blocked, recv_timeout_races_send,
                                     try_recv_races_disconnect, ping_pong, observers_race>;

// Seeded bugs that show under sequential consistency on the mpsc flavors, with the
// implementation each lives in.
template <bug B, implementation I>
void add_mutant(std::vector<search_case>& cases) {
    search_engine::add_cases<mpsc_channel<I, with_bug<sched_sync, B>>, mpsc_scenarios>(cases, B);
}

std::vector<search_case> all_cases() {
    std::vector<search_case> cases;
    search_engine::add_cases<mpsc_channel<implementation::lock_free, sched_sync>, mpsc_scenarios>(cases);
    search_engine::add_cases<mpsc_channel<implementation::locked, sched_sync>, mpsc_scenarios>(cases);
    add_mutant<bug::list_lost_wakeup, implementation::lock_free>(cases);
    add_mutant<bug::list_recheck_ignores_disconnect, implementation::lock_free>(cases);
    add_mutant<bug::array_discard_skips_destroy, implementation::lock_free>(cases);
    add_mutant<bug::counter_split_swap, implementation::lock_free>(cases);
    add_mutant<bug::locked_disconnect_outside_lock, implementation::locked>(cases);
    return cases;
}

struct options {
    selection sel;
    std::vector<std::string> case_names;
    bool list = false;
    bool bug_zoo = false;
    bool exhaustive = false;
    unsigned bound = 2;
    bool one_bound = false;
    std::uint64_t max_executions = 200'000;
    double seconds_per_case = 60;
    unsigned estimate_probes = 20;
    std::string replay;
    std::string results_dir;
};

// Reference cases by default; with --bug-zoo every mutant's cases, with --mutant one's.
bool is_selected(const search_case& c, const options& o, std::size_t index) {
    if (!o.case_names.empty()) return std::find(o.case_names.begin(), o.case_names.end(), c.name) != o.case_names.end();
    const bool wanted = c.injected == bug::none ? !o.bug_zoo && o.sel.mutant == bug::none
                                                : o.sel.mutant == c.injected || (o.bug_zoo && o.sel.mutant == bug::none);
    return wanted && o.sel.wants_kind(c.kind) && o.sel.wants_flavor(c.flav) && o.sel.in_shard(index);
}

// What a search of one case found, as the results file and the table say it.
struct case_result {
    const search_case* c = nullptr;
    sched::search_result r;
    double estimated_total = 0;
    double seconds = 0;
    std::string coverage;  // proved | bounded | sampled; "-" after a failure
    bool failed = false;   // the channel misbehaved
    bool expected = true;  // a reference case passed, or a mutant case failed as its class
    bool caught = false;   // a mutant case failed as its bug's class
};

case_result search_one(const search_case& c, const options& o) {
    case_result out;
    out.c = &c;
    const auto start = std::chrono::steady_clock::now();
    sched::search_options so;
    so.max_executions = o.max_executions;
    if (o.seconds_per_case > 0)
        so.deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(o.seconds_per_case));
    if (o.exhaustive) {
        out.r = sched::search(c.run, so);
    } else if (o.one_bound) {
        so.preemption_bound = o.bound;
        out.r = sched::search(c.run, so);
    } else {
        out.r = sched::search_by_preemptions(c.run, o.bound, so);
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o.estimate_probes > 0) out.estimated_total = sched::estimate_executions(c.run, o.estimate_probes);
    // What the search covered; a search that stopped at a failure covered no whole space.
    out.coverage = out.r.failure ? "-" : !out.r.complete ? "sampled" : out.r.preemption_bound ? "bounded" : "proved";
    out.failed = out.r.failure.has_value();
    if (c.injected == bug::none) {
        out.expected = !out.failed;
    } else {
        // A mutant is caught when one of its cases fails as its class; a case that passes
        // did not exercise it, a failure of another class is not a catch.
        out.caught = out.failed && kind_of_class(search_engine::failure_kind_name(out.r.failure->outcome), class_of(c.injected));
        out.expected = !out.failed || out.caught;
    }
    return out;
}

nlohmann::json to_json(const case_result& x, const std::string& self) {
    const search_case& c = *x.c;
    nlohmann::json j{{"case", c.name},
                     {"scenario", c.scenario},
                     {"kind", to_string(c.kind)},
                     {"flavor", to_string(c.flav)},
                     {"capacity", c.capacity ? nlohmann::json(*c.capacity) : nlohmann::json(nullptr)},
                     {"mutant", c.injected == bug::none ? nlohmann::json(nullptr) : nlohmann::json(bug_name(c.injected))},
                     {"search", "dpor"},
                     {"complete", x.r.complete},
                     {"coverage", x.coverage},
                     {"preemption_bound", x.r.preemption_bound ? nlohmann::json(*x.r.preemption_bound) : nlohmann::json(nullptr)},
                     {"executions", x.r.executions},
                     {"sleep_blocked", x.r.sleep_blocked},
                     {"estimated_total", x.estimated_total},
                     {"seconds", x.seconds},
                     {"verdict", x.failed ? "fail" : "pass"},
                     {"expected", x.expected}};
    if (x.r.failure) {
        const auto& f = *x.r.failure;
        j["failure"] = {{"kind", search_engine::failure_kind_name(f.outcome)},
                        {"message", f.outcome.message},
                        {"preemptions", f.preemptions},
                        {"execution", f.execution},
                        {"schedule", f.schedule},
                        {"replay", self + " --case '" + c.name + "' --replay '" + f.schedule + "'"}};
    }
    return j;
}

int replay(const search_case& c, const std::string& text) {
    sched::schedule s;
    try {
        s = sched::parse_schedule(text);
    } catch (const std::invalid_argument& e) {
        std::cerr << "chancheck_search: --replay: " << e.what() << "\n";
        return 2;
    }
    const sched::run_outcome out = c.run(s, sched::scheduler::options{});
    if (out.ok()) {
        std::cout << c.name << " under " << text << ": passes\n";
        return 0;
    }
    std::cout << c.name << " under " << text << ": " << search_engine::failure_kind_name(out) << "\n" << out.message << "\n";
    for (const auto& step : out.last_steps) std::cout << "  " << step << "\n";
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    CLI::App app{"chancheck_search: the mpsc scenarios under the exhaustive search (source-DPOR with sleep sets)"};
    add_selection(app, o.sel);
    app.add_option("--case", o.case_names, "only this case (repeatable; names as --list prints them)");
    app.add_flag("--list", o.list, "print the cases and exit");
    app.add_flag("--bug-zoo", o.bug_zoo, "the seeded bugs' cases instead of the reference ones; each bug must be caught");
    auto* exhaustive = app.add_flag("--exhaustive", o.exhaustive, "no preemption bound");
    app.add_option("--bound", o.bound, "the largest preemption bound (bounds 0, 1, ... K; default 2)")->excludes(exhaustive);
    app.add_flag("--one-bound", o.one_bound, "only bound K, not 0 .. K")->excludes(exhaustive);
    app.add_option("--max-executions", o.max_executions, "executions per case before the search stops as sampled (0: none)");
    app.add_option("--seconds-per-case", o.seconds_per_case, "time per case before the search stops as sampled (0: none)");
    app.add_option("--estimate", o.estimate_probes, "random probes for Knuth's estimate of the unreduced tree (0: none)");
    app.add_option("--replay", o.replay, "run the one --case under this schedule and print what happens");
    app.add_option("--results", o.results_dir, "write search.json into this directory");
    if (const auto status = parse(app, argc, argv)) return *status;

    const std::vector<search_case> cases = all_cases();
    if (o.sel.list_mutants) {
        std::vector<bug> seen;
        for (const auto& c : cases)
            if (c.injected != bug::none && std::find(seen.begin(), seen.end(), c.injected) == seen.end()) {
                seen.push_back(c.injected);
                std::cout << bug_name(c.injected) << "\n";
            }
        return 0;
    }
    std::vector<const search_case*> chosen;
    for (std::size_t i = 0; i < cases.size(); ++i)
        if (is_selected(cases[i], o, i)) chosen.push_back(&cases[i]);
    for (const std::string& name : o.case_names)
        if (std::none_of(cases.begin(), cases.end(), [&](const search_case& c) { return c.name == name; })) {
            std::cerr << "chancheck_search: --case: no case named '" << name << "' (--list prints them)\n";
            return 2;
        }
    if (o.list) {
        for (const search_case* c : chosen) std::cout << c->name << "\n";
        return 0;
    }
    if (!o.replay.empty()) {
        if (chosen.size() != 1) {
            std::cerr << "chancheck_search: --replay needs exactly one --case\n";
            return 2;
        }
        return replay(*chosen[0], o.replay);
    }

    const std::string self = self_path(argv[0]);
    nlohmann::json results{{"schema", "chancheck-search/1"}, {"cases", nlohmann::json::array()}};
    bool all_expected = true;
    std::vector<bug> mutants, caught;  // the mutants searched, and those caught
    std::printf("%-72s %-8s %5s %10s %14s %8s  %s\n", "case", "coverage", "bound", "executions", "estimated", "seconds",
                "verdict");
    for (const search_case* c : chosen) {
        if (c->injected != bug::none) {
            if (std::find(caught.begin(), caught.end(), c->injected) != caught.end()) continue;  // caught already
            if (std::find(mutants.begin(), mutants.end(), c->injected) == mutants.end()) mutants.push_back(c->injected);
        }
        const case_result x = search_one(*c, o);
        if (x.caught) caught.push_back(c->injected);
        all_expected = all_expected && x.expected;
        std::printf("%-72s %-8s %5s %10llu %14.3g %8.2f  %s%s\n", c->name.c_str(), x.coverage.c_str(),
                    x.r.preemption_bound ? std::to_string(*x.r.preemption_bound).c_str() : "-",
                    static_cast<unsigned long long>(x.r.executions), x.estimated_total, x.seconds,
                    x.failed ? ("fail: " + search_engine::failure_kind_name(x.r.failure->outcome)).c_str() : "pass",
                    x.expected ? "" : "  (NOT AS EXPECTED)");
        if (x.r.failure && (!x.expected || c->injected != bug::none))
            std::printf("    replay: %s --case '%s' --replay '%s'\n", self.c_str(), c->name.c_str(),
                        x.r.failure->schedule.c_str());
        if (x.r.failure && !x.expected) std::printf("    %s\n", x.r.failure->outcome.message.c_str());
        std::fflush(stdout);
        results["cases"].push_back(to_json(x, self));
    }
    for (bug b : mutants)
        if (std::find(caught.begin(), caught.end(), b) == caught.end()) {
            std::printf("mutant %s: NOT CAUGHT by any of its cases\n", bug_name(b));
            all_expected = false;
        }
    if (!o.results_dir.empty()) {
        std::filesystem::create_directories(o.results_dir);
        std::ofstream(std::filesystem::path(o.results_dir) / "search.json") << results.dump(2) << "\n";
    }
    return all_expected ? 0 : 1;
}
