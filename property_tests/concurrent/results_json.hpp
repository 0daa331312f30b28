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
    results_file(std::string dir, std::string mode, std::uint64_t seed, std::string budget, std::string program)
        : dir_(std::move(dir)), mode_(std::move(mode)), seed_(seed), budget_(std::move(budget)), program_(std::move(program)),
          started_(harness::utc_now()) {
        write(false);
    }

    // Before a property runs: its entry as it will stand if the process dies during the
    // property (a crash, a signal or a kill), with the command that runs it again.
    void begin(const property_spec& spec, const std::string& rerun) {
        property_result died;
        died.passed = false;
        died.failure_kind = "crash";
        died.message = "the program ended during this property before it could record an outcome (a crash, a signal "
                       "or a kill); its output names the case it was running and that case's replay";
        died.replay = rerun;
        pending_ = entry(spec, died, false);
        write(false);
    }

    void add(const property_spec& spec, const property_result& r, bool as_expected) {
        pending_.reset();
        entries_.push_back(entry(spec, r, as_expected));
        write(false);
    }

    void finish() { write(true); }

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
            {"engine", spec.real_threads ? "real_threads" : "sched_sync"},
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

    void write(bool complete) {
        if (dir_.empty()) return;
        json doc = {
            {"schema", "chancheck.property-results/2"},
            {"engine", "rapidcheck"},
            {"program", program_},
            {"mode", mode_},
            {"seed", seed_},
            {"budget", budget_},
            {"started", started_},
            {"complete", complete},
            {"properties", entries_},
        };
        if (pending_) doc["properties"].push_back(*pending_);
        harness::write_atomically(dir_ + "/" + program_ + "." + mode_ + ".json", doc);
    }

    std::string dir_, mode_;
    std::uint64_t seed_;
    std::string budget_, program_, started_;
    std::vector<json> entries_;
    std::optional<json> pending_;  // the property running now, as it stands if the process dies
};

}  // namespace chancheck::props
