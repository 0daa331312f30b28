// chancheck/stress/result_json.hpp — the JSON files a stress run leaves behind.
//
// Schemas (documented in harness/RESULTS.md):
//   chancheck.stress-run/1      one file per run: configuration, seed, messages, rates,
//                               verdict, failure kind, violations, sanitizer report or
//                               watchdog dump, exit status and the command that reruns it.
//   chancheck.stress-summary/1  one file per driver invocation (sweep, bug zoo or single
//                               run), rewritten after every run with "complete": false until
//                               the end, so a killed sweep still says what ran.
// Every string that comes from a run is escaped (harness/json_text.hpp); the report shows it.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "chancheck/harness/json_text.hpp"
#include "chancheck/harness/oracles.hpp"
#include "chancheck/stress/config.hpp"
#include "chancheck/stress/workloads.hpp"

namespace chancheck::stress {

using harness::json_string;
using harness::json_string_or_null;

inline std::string json_number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

inline std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return buf;
}

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

inline std::string build_json() {
    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
#ifdef CHANCHECK_BUILD_TYPE
    const char* build_type = CHANCHECK_BUILD_TYPE;
#else
    const char* build_type = "unknown";
#endif
    return "{\"sanitizer\": " + json_string(sanitizer_name()) + ", \"compiler\": " + json_string(__VERSION__) +
           ", \"build_type\": " + json_string(build_type) + ", \"host\": " + json_string(host) +
           ", \"cores\": " + std::to_string(std::thread::hardware_concurrency()) + "}";
}

inline std::string config_json(const run_config& c) {
    return "{\"kind\": " + json_string(to_string(c.kind)) + ", \"flavor\": " + json_string(to_string(c.flavor)) +
           ", \"workload\": " + json_string(to_string(c.load)) + ", \"producers\": " + std::to_string(c.producers) +
           ", \"consumers\": " + std::to_string(c.consumers) +
           ", \"capacity\": " + (c.capacity ? std::to_string(*c.capacity) : std::string("null")) +
           ", \"messages_per_producer\": " + std::to_string(c.messages) + ", \"duration_ms\": " + std::to_string(c.duration_ms) +
           ", \"seed\": " + std::to_string(c.seed) + ", \"chaos\": " + (c.chaos ? "true" : "false") +
           ", \"watchdog_ms\": " + std::to_string(c.watchdog_ms) +
           ", \"mutant\": " + (c.mutant == bug::none ? std::string("null") : json_string(bug_name(c.mutant))) + "}";
}

inline std::string violations_json(const harness::violations& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ", ";
        out += "{\"kind\": " + json_string(harness::to_string(v[i].kind)) + ", \"detail\": " + json_string(v[i].detail) + "}";
    }
    return out + "]";
}

// The child's account of its run: JSON object members, written by the child itself.
inline std::string outcome_members(const run_outcome& o, const std::string& watchdog_dump) {
    const double s = o.seconds > 0 ? o.seconds : 1e-9;
    return "\"messages_verified\": " + std::to_string(o.messages_verified) + ", \"operations\": " +
           std::to_string(o.operations) + ", \"seconds\": " + json_number(o.seconds) +
           ", \"messages_per_second\": " + json_number(o.messages_verified / s) +
           ", \"operations_per_second\": " + json_number(o.operations / s) + ", \"constructed\": " +
           std::to_string(o.constructed) + ", \"destroyed\": " + std::to_string(o.destroyed) +
           ", \"violations\": " + violations_json(o.found) + ", \"watchdog_dump\": " + json_string_or_null(watchdog_dump);
}

// What the parent concluded about one run.
struct run_record {
    run_config config;
    std::string verdict;       // pass | fail | error
    std::string failure_kind;  // empty on pass
    std::string detail;        // one line for the console and the report
    std::string sanitizer_report;
    std::string stderr_tail;
    std::string outcome;  // the child's members, or empty when it left none
    std::uint64_t messages_verified = 0;
    double run_seconds = 0;   // the workload's own time (threads started to joined)
    double wall_seconds = 0;  // the child process, start to end
    int exit_code = -1;
    int signal = 0;
    bool timed_out = false;
    std::string replay;
};

inline std::string run_json(const run_record& r) {
    return "{\n  \"schema\": \"chancheck.stress-run/1\",\n  \"engine\": \"stress\",\n  \"run_id\": " +
           json_string(run_id(r.config)) + ",\n  \"finished\": " + json_string(utc_now()) + ",\n  \"build\": " +
           build_json() + ",\n  \"config\": " + config_json(r.config) + ",\n  \"verdict\": " + json_string(r.verdict) +
           ",\n  \"failure_kind\": " + json_string_or_null(r.failure_kind) + ",\n  \"detail\": " +
           json_string_or_null(r.detail) + ",\n  \"outcome\": " + (r.outcome.empty() ? "null" : "{" + r.outcome + "}") +
           ",\n  \"sanitizer_report\": " + json_string_or_null(r.sanitizer_report) + ",\n  \"stderr_tail\": " +
           json_string_or_null(r.stderr_tail) + ",\n  \"exit\": {\"code\": " +
           (r.exit_code >= 0 ? std::to_string(r.exit_code) : std::string("null")) + ", \"signal\": " +
           (r.signal ? std::to_string(r.signal) : std::string("null")) + ", \"timed_out\": " +
           (r.timed_out ? "true" : "false") + "},\n  \"wall_seconds\": " + json_number(r.wall_seconds) +
           ",\n  \"replay\": " + json_string(r.replay) + "\n}\n";
}

// Writes `text` to `path` through a temporary file and a rename, so a reader never sees half.
inline void write_atomically(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
    }
    std::filesystem::rename(tmp, path);
}

// One line of a summary's bug-zoo table.
struct zoo_record {
    bug mutant = bug::none;
    std::string catches_as;  // what a catch was expected to look like
    std::string caught_by;   // failure kind of the first failing run, empty when missed
    std::string expectation; // from --expect, empty when none
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
        runs_.push_back("    {\"run_id\": " + json_string(run_id(r.config)) + ", \"file\": " + json_string_or_null(file) +
                        ", \"kind\": " + json_string(to_string(r.config.kind)) + ", \"flavor\": " +
                        json_string(to_string(r.config.flavor)) + ", \"workload\": " + json_string(to_string(r.config.load)) +
                        ", \"topology\": " + json_string(std::to_string(r.config.producers) + "x" + std::to_string(r.config.consumers)) +
                        ", \"capacity\": " + (r.config.capacity ? std::to_string(*r.config.capacity) : std::string("null")) +
                        ", \"chaos\": " + (r.config.chaos ? "true" : "false") + ", \"mutant\": " +
                        (r.config.mutant == bug::none ? std::string("null") : json_string(bug_name(r.config.mutant))) +
                        ", \"seed\": " + std::to_string(r.config.seed) + ", \"verdict\": " + json_string(r.verdict) +
                        ", \"failure_kind\": " + json_string_or_null(r.failure_kind) + ", \"messages_verified\": " +
                        std::to_string(r.messages_verified) + ", \"seconds\": " + json_number(r.run_seconds) +
                        ", \"messages_per_second\": " +
                        json_number(r.run_seconds > 0 ? r.messages_verified / r.run_seconds : 0) + "}");
    }
    void add_zoo(const zoo_record& z) {
        zoo_.push_back("    {\"mutant\": " + json_string(bug_name(z.mutant)) + ", \"catches_as\": " + json_string(z.catches_as) +
                       ", \"caught\": " + (z.caught_by.empty() ? "false" : "true") + ", \"caught_by\": " +
                       json_string_or_null(z.caught_by) + ", \"expectation\": " + json_string_or_null(z.expectation) +
                       ", \"expectation_met\": " + (z.expectation_met ? "true" : "false") + ", \"runs\": " +
                       std::to_string(z.runs) + ", \"seconds\": " + json_number(z.seconds) + ", \"run_file\": " +
                       json_string_or_null(z.run_file) + ", \"replay\": " + json_string_or_null(z.replay) +
                       ", \"note\": " + json_string(z.note) + "}");
    }
    void write(bool complete) const {
        if (path_.empty()) return;
        std::string text = "{\n  \"schema\": \"chancheck.stress-summary/1\",\n  \"engine\": \"stress\",\n  \"mode\": " +
                           json_string(mode_) + ",\n  \"started\": " + json_string(started_) + ",\n  \"updated\": " +
                           json_string(utc_now()) + ",\n  \"complete\": " + (complete ? "true" : "false") +
                           ",\n  \"seed\": " + std::to_string(seed_) + ",\n  \"budget\": " + json_string(budget_) +
                           ",\n  \"build\": " + build_json() + ",\n  \"runs\": [\n" + join(runs_) + "\n  ],\n  \"bug_zoo\": [\n" +
                           join(zoo_) + "\n  ]\n}\n";
        write_atomically(path_, text);
    }

private:
    static std::string join(const std::vector<std::string>& lines) {
        std::string out;
        for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? ",\n" : "") + lines[i];
        return out;
    }
    std::string path_, mode_;
    std::uint64_t seed_;
    std::string budget_, started_;
    std::vector<std::string> runs_, zoo_;
};

}  // namespace chancheck::stress
