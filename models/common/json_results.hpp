// models/common/json_results.hpp — the JSON results file of one model program run.
//
// Layout and meaning of every field: harness/RESULTS.md (schema "chancheck.model-results/1").
// The file is rewritten after every case with "complete": false until the last one, so a
// run that crashes or is killed by a watchdog still leaves the cases it finished. Strings
// are escaped here and only shown (never interpreted) by the report.
#pragma once

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/harness/json_text.hpp"

namespace chancheck::models {

struct case_result {
    std::string name, scenario, channel, flavor, mutant;
    std::string expected;  // "success" or the failure kind a seeded bug must produce
    std::string outcome;   // what happened: "success" or a failure kind
    std::string verdict;   // "pass" when outcome == expected, else "fail"
    std::string replay;    // the one command that replays this case
    std::string history;   // Relacy's execution history of the failing iteration, if any
    std::string detail;    // the harness oracles' findings and recorded history, if any
    unsigned long long iterations = 0;  // iterations run (up to and including a failure)
    double seconds = 0;
};

using harness::json_string;
using harness::json_string_or_null;

class results_file {
public:
    // An empty `dir` writes nothing. `program` is argv[0]; the file is named after its
    // basename and the scheduler.
    results_file(std::string dir, const std::string& program, std::string scheduler, std::string budget,
                 unsigned long iterations)
        : scheduler_(std::move(scheduler)), budget_(std::move(budget)), iterations_(iterations) {
        program_ = std::filesystem::path(program).filename().string();
        if (dir.empty()) return;
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            std::fprintf(stderr, "%s: cannot create results directory '%s': %s\n", program_.c_str(), dir.c_str(),
                         ec.message().c_str());
            std::exit(2);
        }
        path_ = (std::filesystem::path(dir) / (program_ + "." + scheduler_ + ".json")).string();
        char stamp[32];
        const std::time_t now = std::time(nullptr);
        std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
        started_ = stamp;
        write(false);
    }

    // Before a case runs: its entry as it will stand if the process dies during the case
    // (a crash, a signal or a kill), so the results still name the case and its replay.
    void begin(case_result if_it_dies) {
        pending_ = std::move(if_it_dies);
        write(false);
    }
    void add(case_result r) {
        pending_.reset();
        runs_.push_back(std::move(r));
        write(false);
    }
    void finish() { write(true); }

private:
    void write(bool complete) const {
        if (path_.empty()) return;
        const std::string tmp = path_ + ".tmp";
        {
            std::ofstream out(tmp, std::ios::trunc);
            std::vector<case_result> runs = runs_;
            if (pending_) runs.push_back(*pending_);
            std::size_t passed = 0;
            for (const auto& r : runs) passed += r.verdict == "pass";
            out << "{\n  \"schema\": \"chancheck.model-results/1\",\n  \"engine\": \"relacy\",\n"
                << "  \"program\": " << json_string(program_) << ",\n"
                << "  \"scheduler\": " << json_string(scheduler_) << ",\n"
                << "  \"budget\": " << json_string(budget_) << ",\n"
                << "  \"iteration_budget\": " << iterations_ << ",\n"
                << "  \"started\": " << json_string(started_) << ",\n"
                << "  \"complete\": " << (complete ? "true" : "false") << ",\n"
                << "  \"passed\": " << passed << ",\n  \"failed\": " << runs.size() - passed << ",\n"
                << "  \"runs\": [";
            for (std::size_t i = 0; i < runs.size(); ++i) {
                const case_result& r = runs[i];
                out << (i ? ",\n" : "\n") << "    {\"case\": " << json_string(r.name)
                    << ", \"scenario\": " << json_string(r.scenario) << ", \"channel\": " << json_string(r.channel)
                    << ", \"flavor\": " << json_string(r.flavor) << ", \"mutant\": " << json_string_or_null(r.mutant)
                    << ", \"scheduler\": " << json_string(scheduler_) << ", \"iterations\": " << r.iterations
                    << ", \"seconds\": " << r.seconds << ", \"expected\": " << json_string(r.expected)
                    << ", \"outcome\": " << json_string(r.outcome) << ", \"verdict\": " << json_string(r.verdict)
                    << ", \"failure_kind\": " << json_string_or_null(r.outcome == "success" ? "" : r.outcome)
                    << ", \"replay\": " << json_string(r.replay) << ", \"history\": " << json_string_or_null(r.history)
                    << ", \"detail\": " << json_string_or_null(r.detail) << "}";
            }
            out << "\n  ]\n}\n";
        }
        std::filesystem::rename(tmp, path_);  // readers never see a half-written file
    }

    std::string program_, scheduler_, budget_, path_, started_;
    unsigned long iterations_;
    std::vector<case_result> runs_;
    std::optional<case_result> pending_;
};

}  // namespace chancheck::models
