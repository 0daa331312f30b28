// chancheck/controlled/results_json.hpp — the results file of a controlled-scheduling run:
// schema "chancheck.property-results/2" (harness/RESULTS.md) with "engine": "controlled" and
// "mode": "controlled", one entry per case in the verdict vocabulary of every engine
// (harness/results_json.hpp), its shrunk schedule as the counterexample and the command that
// replays it. Rewritten after every case with "complete": false until the last, and with an
// entry for the case running now should the process die, so a killed run still says what ran.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "chancheck/harness/results_json.hpp"

namespace chancheck::controlled {

using harness::json;

// One case's outcome as the results file records it.
struct case_outcome {
    std::string name{};
    std::string channel{};        // the channel (an adapter's name, or a kind), for the report's row
    std::string flavor = "adapter";
    bug mutant = bug::none;       // the seeded bug it carries, if any
    bool must_fail = false;       // a broken channel: a failure was the point
    bool passed = true;           // how the channel behaved
    std::string failure_kind{};   // with !passed
    bool as_expected = true;
    unsigned executions = 0;
    unsigned shrinks = 0;         // shrinking replays that kept failing
    double seconds = 0;
    std::string schedule{};       // the (shrunk) failing schedule
    std::string replay{};         // the command that replays it
    std::string message{};
};

class results_file {
public:
    // Writes <dir>/<program>.controlled.json; an empty `dir` writes nothing.
    results_file(const std::string& dir, const std::string& program, std::uint64_t seed, const std::string& budget)
        : file_(dir.empty() ? "" : dir + "/" + program + ".controlled.json",
                {{"engine", "controlled"}, {"program", program}, {"mode", "controlled"}, {"seed", seed}, {"budget", budget}}) {}

    // Before a case runs: its entry as it stands if the process dies during it.
    void begin(const std::string& name, const std::string& channel, const std::string& flavor, const std::string& rerun) {
        case_outcome died;
        died.name = name;
        died.channel = channel;
        died.flavor = flavor;
        died.passed = false;
        died.failure_kind = "crash";
        died.as_expected = false;
        died.replay = rerun;
        died.message = "the program ended during this case before it could record an outcome (a crash, a signal or a kill)";
        file_.begin(entry(died));
    }

    void add(const case_outcome& c) { file_.add(entry(c)); }

    void finish() { file_.finish(); }

private:
    static json entry(const case_outcome& c) {
        json e = harness::verdict_json(c.passed, c.mutant, c.failure_kind, c.as_expected);
        if (c.mutant == bug::none && c.must_fail) e["expected"] = "fail";
        e.update({
            {"property", c.name},
            {"channel", c.channel},
            {"flavor", c.flavor},
            {"cases", c.executions},
            {"shrinks", c.shrinks},
            {"seconds", c.seconds},
            {"engine", "controlled"},
            {"replay", harness::or_null(c.replay)},
            {"message", harness::or_null(c.message)},
        });
        e["counterexample"] = c.schedule.empty() ? json(nullptr) : json{{"schedule", c.schedule}, {"channel", c.channel}, {"flavor", c.flavor}};
        return e;
    }

    harness::property_results file_;
};

}  // namespace chancheck::controlled
