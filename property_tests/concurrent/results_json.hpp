// property_tests/concurrent/results_json.hpp — the JSON results file of one property run.
//
// Schema "chancheck.property-results/1", documented in harness/RESULTS.md. Rewritten after
// every property with "complete": false until the last, so a crashed or killed run still
// leaves the properties it finished. Every string is escaped; the report only shows them.
#pragma once

#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "chancheck/harness/json_text.hpp"
#include "properties.hpp"

namespace chancheck::props {

class results_file {
public:
    // Writes <dir>/<program>.<mode>.json.
    results_file(std::string dir, std::string mode, std::uint64_t seed, std::string budget,
                 std::string program = "concurrent_properties")
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
        pending_.clear();
        entries_.push_back(entry(spec, r, as_expected));
        write(false);
    }

    void finish() { write(true); }

private:
    static std::string entry(const property_spec& spec, const property_result& r, bool as_expected) {
        using harness::json_string;
        using harness::json_string_or_null;
        std::string e = "    {\"property\": " + json_string(spec.name) + ", \"mutant\": " + json_string_or_null(spec.mutant_name()) +
                        ", \"expected\": " + json_string(spec.expected()) +
                        ", \"outcome\": " + json_string(r.passed ? "pass" : "fail") +
                        ", \"verdict\": " + json_string(as_expected ? "as_expected" : "unexpected") +
                        ", \"failure_kind\": " + json_string_or_null(r.failure_kind) + ", \"cases\": " + std::to_string(r.cases) +
                        ", \"program_deadlocks\": " + std::to_string(r.program_deadlocks) +
                        ", \"shrinks\": " + std::to_string(r.shrinks) + ", \"seconds\": " + std::to_string(r.seconds) +
                        ", \"engine\": " + json_string(spec.real_threads ? "real_threads" : "sched_sync");
        if (r.passed) {
            e += ", \"counterexample\": null";
        } else {
            e += ", \"counterexample\": {\"program\": " + json_string(r.program) + ", \"schedule\": " + json_string(r.schedule) +
                 ", \"operations\": " + std::to_string(r.counterexample_ops) +
                 ", \"threads\": " + std::to_string(r.counterexample_threads) + "}";
        }
        e += ", \"replay\": " + json_string_or_null(r.replay) + ", \"message\": " + json_string_or_null(r.message) +
             ", \"history\": " + json_string_or_null(r.history) + "}";
        return e;
    }

    void write(bool complete) {
        if (dir_.empty()) return;
        std::filesystem::create_directories(dir_);
        const std::string path = dir_ + "/" + program_ + "." + mode_ + ".json";
        std::ofstream out(path + ".tmp");
        out << "{\n  \"schema\": \"chancheck.property-results/1\",\n  \"engine\": \"rapidcheck\",\n"
            << "  \"mode\": " << harness::json_string(mode_) << ",\n  \"seed\": " << seed_ << ",\n  \"budget\": "
            << harness::json_string(budget_) << ",\n  \"started\": " << harness::json_string(started_)
            << ",\n  \"complete\": " << (complete ? "true" : "false") << ",\n  \"properties\": [";
        for (std::size_t i = 0; i < entries_.size(); ++i) out << (i ? ",\n" : "\n") << entries_[i];
        if (!pending_.empty()) out << (entries_.empty() ? "\n" : ",\n") << pending_;
        out << "\n  ]\n}\n";
        out.close();
        std::filesystem::rename(path + ".tmp", path);
    }

    std::string dir_, mode_;
    std::uint64_t seed_;
    std::string budget_, started_, program_;
    std::vector<std::string> entries_;
    std::string pending_;  // the entry of the property running now, as it stands if the process dies
};

}  // namespace chancheck::props
