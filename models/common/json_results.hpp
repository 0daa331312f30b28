// models/common/json_results.hpp — the JSON results file of one model program run.
//
// Schema "chancheck.model-results/2" (harness/RESULTS.md), written with the harness's shared
// results helpers (harness/results_json.hpp). The file is rewritten after every case with
// "complete": false until the last one, and with an entry for the case running now as it
// stands should the process die, so a crashed or killed run still leaves the cases it
// finished and names the one it was in. The report only shows the strings.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/harness/results_json.hpp"

namespace chancheck::models {

using harness::json;

class results_file {
public:
    // An empty `dir` writes nothing. `program` names the file, with the scheduler.
    results_file(std::string dir, std::string program, std::string scheduler, std::string budget, unsigned long iterations)
        : program_(std::move(program)), scheduler_(std::move(scheduler)), budget_(std::move(budget)), iterations_(iterations) {
        if (dir.empty()) return;
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            std::fprintf(stderr, "%s: cannot create results directory '%s': %s\n", program_.c_str(), dir.c_str(),
                         ec.message().c_str());
            std::exit(2);
        }
        path_ = (std::filesystem::path(dir) / (program_ + "." + scheduler_ + ".json")).string();
        started_ = harness::utc_now();
        write(false);
    }

    // Before a case runs: its entry as it will stand if the process dies during the case.
    void begin(json if_it_dies) {
        pending_ = std::move(if_it_dies);
        write(false);
    }
    void add(json run) {
        pending_.reset();
        runs_.push_back(std::move(run));
        write(false);
    }
    void finish() { write(true); }

private:
    void write(bool complete) const {
        if (path_.empty()) return;
        json runs = runs_;
        if (pending_) runs.push_back(*pending_);
        std::size_t as_expected = 0;
        for (const json& r : runs) as_expected += r.value("as_expected", false) ? 1 : 0;
        harness::write_atomically(path_, json{
                                             {"schema", "chancheck.model-results/2"},
                                             {"engine", "relacy"},
                                             {"program", program_},
                                             {"scheduler", scheduler_},
                                             {"budget", budget_},
                                             {"iteration_budget", iterations_},
                                             {"started", started_},
                                             {"complete", complete},
                                             {"as_expected", as_expected},
                                             {"unexpected", runs.size() - as_expected},
                                             {"runs", runs},
                                         });
    }

    std::string program_, scheduler_, budget_, path_, started_;
    unsigned long iterations_;
    std::vector<json> runs_;
    std::optional<json> pending_;
};

}  // namespace chancheck::models
