// property_tests/concurrent/results_json.hpp — the JSON results file of one property run,
// written with nlohmann-json (Debian nlohmann-json3-dev).
//
// Schema "chancheck.property-results/1", documented in harness/RESULTS.md. Rewritten after
// every property with "complete": false until the last, and with an entry for the property
// running now as it stands should the process die, so a crashed or killed run still leaves
// the properties it finished and names the one it was in. The report only shows the strings.
#pragma once

#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "properties.hpp"

namespace chancheck::props {

class results_file {
public:
    // Writes <dir>/<program>.<mode>.json; an empty `dir` writes nothing.
    results_file(std::string dir, std::string mode, std::uint64_t seed, std::string budget, std::string program)
        : dir_(std::move(dir)), mode_(std::move(mode)), seed_(seed), budget_(std::move(budget)), program_(std::move(program)) {
        const std::time_t now = std::time(nullptr);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
        started_ = buf;
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
    static nlohmann::json or_null(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

    static nlohmann::json entry(const property_spec& spec, const property_result& r, bool as_expected) {
        nlohmann::json e = {
            {"property", spec.name},
            {"kind", harness::to_string(spec.kind)},
            {"mutant", or_null(spec.mutant_name())},
            {"expected", spec.expected()},
            {"outcome", r.passed ? "pass" : "fail"},
            {"verdict", as_expected ? "as_expected" : "unexpected"},
            {"failure_kind", or_null(r.failure_kind)},
            {"cases", r.cases},
            {"program_deadlocks", r.program_deadlocks},
            {"shrinks", r.shrinks},
            {"seconds", r.seconds},
            {"engine", spec.real_threads ? "real_threads" : "sched_sync"},
            {"replay", or_null(r.replay)},
            {"message", or_null(r.message)},
            {"history", or_null(r.history)},
        };
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
                {"capacity", r.capacity ? nlohmann::json(*r.capacity) : nlohmann::json(nullptr)},
            };
        }
        return e;
    }

    void write(bool complete) {
        if (dir_.empty()) return;
        std::filesystem::create_directories(dir_);
        nlohmann::json doc = {
            {"schema", "chancheck.property-results/1"},
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
        const std::string path = dir_ + "/" + program_ + "." + mode_ + ".json";
        {
            std::ofstream out(path + ".tmp");
            // Invalid UTF-8 in a message (text from the code under test) is replaced, not thrown on.
            out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        }
        std::filesystem::rename(path + ".tmp", path);  // readers never see a half-written file
    }

    std::string dir_, mode_;
    std::uint64_t seed_;
    std::string budget_, started_, program_;
    std::vector<nlohmann::json> entries_;
    std::optional<nlohmann::json> pending_;  // the property running now, as it stands if the process dies
};

}  // namespace chancheck::props
