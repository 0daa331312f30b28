// chancheck/stress/result_json.hpp — the JSON files a stress run leaves behind, written with
// the harness's shared results helpers (harness/results_json.hpp, nlohmann-json).
//
// Schemas (documented in harness/RESULTS.md):
//   chancheck.stress-run/2      one file per run: configuration (channel, kind, flavor,
//                               capacity, workload, topology, seed), the verdict fields every
//                               engine writes, messages and rates, violations, sanitizer
//                               report or watchdog dump, exit status and the command that
//                               reruns it.
//   chancheck.stress-summary/2  one file per driver invocation (sweep, bug zoo or single
//                               run), rewritten after every run with "complete": false until
//                               the end, so a killed sweep still says what ran.
// Every string that comes from a run is only shown by the report.
#pragma once

#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "chancheck/harness/results_json.hpp"
#include "chancheck/stress/config.hpp"
#include "chancheck/stress/workloads.hpp"

namespace chancheck::stress {

using harness::json;
using harness::utc_now;
using harness::write_atomically;

// What this executable was built with.
inline const char* sanitizer_name() {
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
    return "thread";
#elif __has_feature(address_sanitizer)
    return "address+undefined";
#endif
#endif
#if defined(__SANITIZE_THREAD__)
    return "thread";
#elif defined(__SANITIZE_ADDRESS__)
    return "address+undefined";
#else
    return "none";
#endif
}

inline json build_json() {
    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
#ifdef CHANCHECK_BUILD_TYPE
    const char* build_type = CHANCHECK_BUILD_TYPE;
#else
    const char* build_type = "unknown";
#endif
    return {{"sanitizer", sanitizer_name()},
            {"compiler", __VERSION__},
            {"build_type", build_type},
            {"host", host},
            {"cores", std::thread::hardware_concurrency()}};
}

inline json config_json(const run_config& c) {
    return {{"channel", c.channel},
            {"kind", harness::to_string(c.kind)},
            {"flavor", harness::to_string(c.flav)},
            {"workload", to_string(c.load)},
            {"producers", c.producers},
            {"consumers", c.consumers},
            {"capacity", c.capacity ? json(*c.capacity) : json(nullptr)},
            {"messages_per_producer", c.messages},
            {"duration_ms", c.duration_ms},
            {"seed", c.seed},
            {"chaos", c.chaos},
            {"watchdog_ms", c.watchdog_ms},
            {"mutant", c.mutant == bug::none ? json(nullptr) : json(bug_name(c.mutant))}};
}

// The child's account of its run, written by the child itself.
inline json outcome_json(const run_outcome& o, const std::string& watchdog_dump) {
    const double s = o.seconds > 0 ? o.seconds : 1e-9;
    return {{"messages_verified", o.messages_verified},
            {"operations", o.operations},
            {"seconds", o.seconds},
            {"messages_per_second", o.messages_verified / s},
            {"operations_per_second", o.operations / s},
            {"constructed", o.constructed},
            {"destroyed", o.destroyed},
            {"violations", harness::violations_json(o.found)},
            {"watchdog_dump", harness::or_null(watchdog_dump)}};
}

// What the parent concluded about one run.
struct run_record {
    run_config config;
    bool passed = false;
    std::string failure_kind;  // empty on pass; "error" when the run could not be made
    std::string detail;        // one line for the console and the report
    std::string sanitizer_report;
    std::string stderr_tail;
    json outcome;  // the child's account, or null when it left none
    std::uint64_t messages_verified = 0;
    double run_seconds = 0;   // the workload's own time (threads started to joined)
    double wall_seconds = 0;  // the child process, start to end
    int exit_code = -1;
    int signal = 0;
    bool timed_out = false;
    std::string replay;

    // A reference channel must pass; a mutant must fail with a kind of its bug's class.
    bool as_expected() const {
        return config.mutant == bug::none ? passed : !passed && kind_of_class(failure_kind, class_of(config.mutant));
    }
};

inline json run_json(const run_record& r) {
    json j = harness::verdict_json(r.passed, r.config.mutant, r.failure_kind, r.as_expected());
    j.update({{"schema", "chancheck.stress-run/2"},
              {"engine", "stress"},
              {"run_id", run_id(r.config)},
              {"finished", utc_now()},
              {"build", build_json()},
              {"config", config_json(r.config)},
              {"detail", harness::or_null(r.detail)},
              {"outcome", r.outcome},
              {"sanitizer_report", harness::or_null(r.sanitizer_report)},
              {"stderr_tail", harness::or_null(r.stderr_tail)},
              {"exit",
               {{"code", r.exit_code >= 0 ? json(r.exit_code) : json(nullptr)},
                {"signal", r.signal ? json(r.signal) : json(nullptr)},
                {"timed_out", r.timed_out}}},
              {"wall_seconds", r.wall_seconds},
              {"replay", r.replay}});
    return j;
}

// One line of a summary's bug-zoo table.
struct zoo_record {
    bug mutant = bug::none;
    std::string caught_by;    // failure kind of the first failing run, empty when missed
    std::string expectation;  // from --expect, empty when none
    bool expectation_met = true;
    unsigned runs = 0;
    double seconds = 0;
    std::string run_file;  // the catching run (or the last one, when missed)
    std::string replay;
    std::string note;
};

class summary_file {
public:
    summary_file(std::string path, std::string mode, std::uint64_t seed, std::string budget)
        : path_(std::move(path)), mode_(std::move(mode)), seed_(seed), budget_(std::move(budget)), started_(utc_now()) {}

    void add_run(const run_record& r, const std::string& file) {
        const run_config& c = r.config;
        const double rate = r.run_seconds > 0 ? r.messages_verified / r.run_seconds : 0;
        json j = harness::verdict_json(r.passed, c.mutant, r.failure_kind, r.as_expected());
        j.update({{"run_id", run_id(c)},
                  {"file", harness::or_null(file)},
                  {"channel", c.channel},
                  {"kind", harness::to_string(c.kind)},
                  {"flavor", harness::to_string(c.flav)},
                  {"workload", to_string(c.load)},
                  {"topology", std::to_string(c.producers) + "x" + std::to_string(c.consumers)},
                  {"capacity", c.capacity ? json(*c.capacity) : json(nullptr)},
                  {"chaos", c.chaos},
                  {"seed", c.seed},
                  {"messages_verified", r.messages_verified},
                  {"seconds", r.run_seconds},
                  {"messages_per_second", rate}});
        runs_.push_back(std::move(j));
    }
    void add_zoo(const zoo_record& z) {
        zoo_.push_back({{"mutant", bug_name(z.mutant)},
                        {"accepted_kinds", harness::accepted_kinds_json(z.mutant)},
                        {"caught", !z.caught_by.empty()},
                        {"caught_by", harness::or_null(z.caught_by)},
                        {"expectation", harness::or_null(z.expectation)},
                        {"expectation_met", z.expectation_met},
                        {"runs", z.runs},
                        {"seconds", z.seconds},
                        {"run_file", harness::or_null(z.run_file)},
                        {"replay", harness::or_null(z.replay)},
                        {"note", z.note}});
    }
    void write(bool complete) const {
        if (path_.empty()) return;
        write_atomically(path_, json{{"schema", "chancheck.stress-summary/2"},
                                     {"engine", "stress"},
                                     {"mode", mode_},
                                     {"started", started_},
                                     {"updated", utc_now()},
                                     {"complete", complete},
                                     {"seed", seed_},
                                     {"budget", budget_},
                                     {"build", build_json()},
                                     {"runs", runs_},
                                     {"bug_zoo", zoo_}});
    }

private:
    std::string path_, mode_;
    std::uint64_t seed_;
    std::string budget_, started_;
    std::vector<json> runs_, zoo_;
};

}  // namespace chancheck::stress
