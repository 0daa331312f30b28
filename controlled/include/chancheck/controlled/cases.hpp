// chancheck/controlled/cases.hpp — named cases explored under controlled scheduling, each with
// the verdict it must end with, and the loop that runs them: explore each case, shrink a
// failure's schedule (explore.hpp: shrink), print its verdict and the command that replays it,
// replay that schedule once to check it reproduces, write the results file
// (results_json.hpp), and say whether every case ended as it must.
//
// run_scenario<Scenario>(capacity[, size]) is the body for a harness scenario
// (harness/scenarios.hpp), `size` messages per producer (default: the models' size): its
// threads on std::thread, then its oracles; a violation fails the execution with the
// failure kind "oracle:<first violation>", as the stress engine names it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "chancheck/controlled/command_line.hpp"
#include "chancheck/controlled/explore.hpp"
#include "chancheck/controlled/results_json.hpp"
#include "chancheck/harness/engine_cli.hpp"
#include "chancheck/harness/oracles.hpp"
#include "chancheck/harness/scenarios.hpp"
#include "chancheck/harness/shell_words.hpp"

namespace chancheck::controlled {

struct explore_case {
    std::string name{};
    std::function<void()> body{};
    verdict wanted = verdict::pass;
    std::string names{};  // with a failure wanted: text its failure kind or message must contain
    bool quick = true;    // in --quick
    bug mutant = bug::none;  // the seeded bug it carries (results file)
    std::string channel{};   // the channel it runs: an adapter's name, or a kind (results file: the report's row)
    std::string flavor = "adapter";
};

template <class Scenario>
void run_scenario(int capacity, std::size_t size = Scenario::model_size) {
    Scenario s(harness::capacity_of(capacity), size);
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < Scenario::threads; ++i) threads.emplace_back([&s, i] { s.run_thread(i); });
    for (std::thread& t : threads) t.join();
    const harness::violations v = s.finish();
    if (!v.empty()) fail(std::string("oracle:") + harness::to_string(v.front().kind), harness::describe(v));
}

namespace cases_detail {

// Replay commands with a longer schedule (a runaway's) rerun the exploration instead.
inline constexpr std::size_t longest_replay = 4096;

inline void print_message(const std::string& message) {
    std::printf("%s", message.c_str());
    if (!message.empty() && message.back() != '\n') std::printf("\n");
}

}  // namespace cases_detail

// Runs the selected cases; 0 when each ended as it must, 1 otherwise, 2 when --case names none.
// A case that must pass gets a share (1/pass_share) of the executions unless it is alone.
inline int run_cases(const std::vector<explore_case>& cases, const command_line& cli, const char* argv0,
                     unsigned pass_share = 10) {
    using cases_detail::longest_replay;
    const auto quoted = harness::shell_word;
    const options& o = cli.explore;
    const std::string program = harness::self_path(argv0);
    const std::string program_name = program.substr(program.find_last_of('/') + 1);
    std::printf("%s: seed %llu, up to %u executions per case\n", argv0, static_cast<unsigned long long>(o.seed), o.executions);
    results_file results(cli.results, program_name, o.seed, o.replay ? "replay" : cli.budget);
    int failures = 0, ran = 0;
    for (const explore_case& c : cases) {
        if ((!cli.only.empty() && cli.only != c.name) || (cli.quick && !c.quick)) continue;
        ++ran;
        const std::string per_process = o.executions_per_process == options{}.executions_per_process
                                            ? ""
                                            : " --executions-per-process " + std::to_string(o.executions_per_process);
        const std::string rerun = program + " --case " + quoted(c.name) + " --seed " + std::to_string(o.seed) +
                                  " --executions " + std::to_string(o.executions) + per_process;
        results.begin(c.name, c.channel, c.flavor, rerun);
        const auto started = std::chrono::steady_clock::now();
        options mine = o;
        if (c.wanted == verdict::pass && !o.replay && cli.only.empty()) mine.executions = std::max(1u, o.executions / pass_share);
        const exploration x = explore(c.body, mine);
        std::optional<execution> failure = x.failure;
        std::optional<shrunk> small;
        // A failure that needs the executions before it in its process: shrinking replays its
        // schedule alone, which does not fail; the exploration again does.
        const bool alone = !failure || failure->replays_alone;
        if (failure && !o.replay && cli.shrink && alone) {
            small = shrink(c.body, *failure, mine);
            failure = small->failure;
        }
        const verdict got = failure ? failure->result : verdict::pass;
        const std::string kind = failure ? failure_kind(*failure) : "";
        bool ok = got == c.wanted &&
                  (c.names.empty() || (failure && (kind.find(c.names) != std::string::npos || failure->message.find(c.names) != std::string::npos)));
        std::printf("%-64s %-10s after %5u executions%s\n", c.name.c_str(), failure ? kind.c_str() : "pass", x.executions,
                    ok ? "" : "  FAILED");
        case_outcome out{.name = c.name, .channel = c.channel, .flavor = c.flavor, .mutant = c.mutant, .must_fail = c.wanted != verdict::pass,
                         .passed = !failure, .failure_kind = kind, .as_expected = ok, .executions = x.executions};
        if (failure) {
            out.schedule = failure->schedule;
            // A schedule too long to paste, or one that does not fail alone: the exploration
            // again, which fails the same way.
            out.replay = failure->schedule.size() <= longest_replay && alone ? program + " --case " + quoted(c.name) + " --replay " + failure->schedule
                                                                    : program + " --case " + quoted(c.name) + " --seed " + std::to_string(o.seed) +
                                                                          " --executions " + std::to_string(x.executions) + per_process + " --no-shrink";
            out.message = failure->message;
            if (small) {
                out.shrinks = small->steps;
                std::printf("  shrunk: %u decisions, %u preemptions (found: %u, %u; %u replays)\n", small->decisions_after,
                            small->preemptions_after, small->decisions_before, small->preemptions_before, small->attempts);
            }
            std::printf("  replay: %s\n", out.replay.c_str());
            if (!ok || got != verdict::failed || c.wanted == verdict::pass) cases_detail::print_message(failure->message);
        }
        if (ok && failure && !o.replay) {
            options again = mine;
            if (alone) again.replay = failure->schedule;
            else again.executions = x.executions;
            const exploration r = explore(c.body, again);
            if (!r.failure || r.failure->result != got || failure_kind(*r.failure) != kind) {
                std::printf("  FAILED: the schedule replays to %s\n", r.failure ? failure_kind(*r.failure).c_str() : "pass");
                out.as_expected = ok = false;
            }
        }
        if (!ok) {
            std::printf("  expected %s%s%s\n", to_string(c.wanted), c.names.empty() ? "" : " naming ", c.names.c_str());
            ++failures;
        }
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        results.add(out);
    }
    if (ran == 0) {
        std::fprintf(stderr, "%s: no case '%s'\n", argv0, cli.only.c_str());
        return 2;
    }
    results.finish();
    std::printf("%s\n", failures == 0 ? "every case as expected" : "FAILED");
    return failures == 0 ? 0 : 1;
}

}  // namespace chancheck::controlled
