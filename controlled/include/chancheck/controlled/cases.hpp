// chancheck/controlled/cases.hpp — named cases explored under controlled scheduling, each with
// the verdict it must end with, and the loop that runs them: explore each case, print its
// verdict and the command that replays a failure, replay that schedule once to check it
// reproduces, and say whether every case ended as it must.
//
// run_scenario<Scenario>(capacity) is the body for a harness scenario (harness/scenarios.hpp):
// its threads on std::thread, then its oracles; a violation fails the execution.
#pragma once

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "chancheck/controlled/command_line.hpp"
#include "chancheck/controlled/explore.hpp"
#include "chancheck/harness/oracles.hpp"
#include "chancheck/harness/scenarios.hpp"

namespace chancheck::controlled {

struct explore_case {
    std::string name{};
    std::function<void()> body{};
    verdict wanted = verdict::pass;
    std::string names{};  // with a failure wanted: text its message must contain (an oracle's name)
    bool quick = true;   // in --quick
};

template <class Scenario>
void run_scenario(int capacity) {
    Scenario s(harness::capacity_of(capacity), Scenario::model_size);
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < Scenario::threads; ++i) threads.emplace_back([&s, i] { s.run_thread(i); });
    for (std::thread& t : threads) t.join();
    const harness::violations v = s.finish();
    if (!v.empty()) fail(harness::describe(v));
}

// Runs the selected cases; 0 when each ended as it must, 1 otherwise, 2 when --case names none.
// A case that must pass gets a tenth of the executions (`pass_share`) unless it is alone.
inline int run_cases(const std::vector<explore_case>& cases, const command_line& cli, const char* program,
                     unsigned pass_share = 10) {
    const options& o = cli.explore;
    std::printf("%s: seed %llu, up to %u executions per case\n", program, static_cast<unsigned long long>(o.seed), o.executions);
    int failures = 0, ran = 0;
    for (const explore_case& c : cases) {
        if ((!cli.only.empty() && cli.only != c.name) || (cli.quick && !c.quick)) continue;
        ++ran;
        options mine = o;
        if (c.wanted == verdict::pass && !o.replay && cli.only.empty()) mine.executions = std::max(1u, o.executions / pass_share);
        const exploration x = explore(c.body, mine);
        const verdict got = x.failure ? x.failure->result : verdict::pass;
        bool ok = got == c.wanted && (c.names.empty() || (x.failure && x.failure->message.find(c.names) != std::string::npos));
        std::printf("%-64s %-10s after %5u executions%s\n", c.name.c_str(), to_string(got), x.executions, ok ? "" : "  FAILED");
        if (x.failure) {
            std::printf("  replay: %s --case '%s' --replay %s\n", program, c.name.c_str(), x.failure->schedule.c_str());
            if (!ok || got != verdict::failed || c.wanted == verdict::pass) std::printf("%s", x.failure->message.c_str());
            if (!x.failure->message.empty() && x.failure->message.back() != '\n') std::printf("\n");
        }
        if (ok && x.failure && !o.replay) {
            options again = mine;
            again.replay = x.failure->schedule;
            const exploration r = explore(c.body, again);
            if (!r.failure || r.failure->result != c.wanted) {
                std::printf("  FAILED: the schedule replays to %s\n", r.failure ? to_string(r.failure->result) : "pass");
                ok = false;
            }
        }
        if (!ok) {
            std::printf("  expected %s%s%s\n", to_string(c.wanted), c.names.empty() ? "" : " naming ", c.names.c_str());
            ++failures;
        }
    }
    if (ran == 0) {
        std::fprintf(stderr, "%s: no case '%s'\n", program, cli.only.c_str());
        return 2;
    }
    std::printf("%s\n", failures == 0 ? "every case as expected" : "FAILED");
    return failures == 0 ? 0 : 1;
}

}  // namespace chancheck::controlled
