// property_tests/concurrent/results_json.hpp — the JSON results file of one property run.
//
// Schema "chancheck.property-results/2" (harness/RESULTS.md), written with the harness's
// shared results helpers (harness/results_json.hpp). Rewritten after every property with
// "complete": false until the last, and with an entry for the property running now as it
// stands should the process die, so a crashed or killed run still leaves the properties it
// finished and names the one it was in. The report only shows the strings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "chancheck/harness/results_json.hpp"
#include "properties.hpp"

namespace chancheck::props {

using harness::json;

class results_file {
public:
    // Writes <dir>/<program>.<mode>.json; an empty `dir` writes nothing.
    results_file(const std::string& dir, const std::string& mode, std::uint64_t seed, const std::string& budget,
                 const std::string& program)
        : file_(dir.empty() ? "" : dir + "/" + program + "." + mode + ".json",
                {{"engine", "rapidcheck"}, {"program", program}, {"mode", mode}, {"seed", seed}, {"budget", budget}}) {}

    // Before a property runs: its entry as it will stand if the process dies during the
    // property (a crash, a signal or a kill), with the command that runs it again.
    void begin(const property_spec& spec, const std::string& rerun) {
        property_result died;
        died.passed = false;
        died.failure_kind = "crash";
        died.message = "the program ended during this property before it could record an outcome (a crash, a signal "
                       "or a kill); its output names the case it was running and that case's replay";
        died.replay = rerun;
        file_.begin(entry(spec, died, false));
    }

    void add(const property_spec& spec, const property_result& r, bool as_expected) { file_.add(entry(spec, r, as_expected)); }

    void finish() { file_.finish(); }

private:
    static json entry(const property_spec& spec, const property_result& r, bool as_expected) {
        json e = harness::verdict_json(r.passed, spec.mutant, r.failure_kind, as_expected);
        e.update({
            {"property", spec.name},
            {"kind", harness::to_string(spec.kind)},
            {"cases", r.cases},
            {"program_deadlocks", r.program_deadlocks},
            {"shrinks", r.shrinks},
            {"seconds", r.seconds},
            {"engine", spec.engine()},
            {"replay", harness::or_null(r.replay)},
            {"message", harness::or_null(r.message)},
            {"events", harness::events_json(r.events)},
        });
        if (r.program.empty()) {
            e["counterexample"] = nullptr;
        } else {
            e["counterexample"] = {
                {"program", r.program},
                {"schedule", r.schedule},
                {"operations", r.counterexample_ops},
                {"threads", r.counterexample_threads},
                {"channel", r.subject},
                {"flavor", harness::to_string(r.flavor)},
                {"capacity", r.capacity ? json(*r.capacity) : json(nullptr)},
            };
        }
        return e;
    }

    harness::property_results file_;
};

}  // namespace chancheck::props
