// chancheck/harness/results_json.hpp — what every engine's results file shares, on
// nlohmann-json (Debian nlohmann-json3-dev). The schemas are documented in harness/RESULTS.md.
//
//   verdict_json    the one verdict vocabulary of every engine: `verdict` is how the channel
//                   behaved (pass or fail), `expected` what it had to do (a seeded bug must
//                   fail), `accepted_kinds` the failure kinds that count as its catch,
//                   `as_expected` the engine's judgement of the two together
//   events_json     a recorded history (history.hpp) as objects, one per operation
//   violations_json the oracles' findings
//   write_atomically  through a temporary file and a rename: a reader never sees half a file
//   property_results  a chancheck.property-results/2 file rewritten after every entry, with an
//                   entry for the one running now should the process die
// Strings in a results file come from the code under test: invalid UTF-8 is replaced, not
// thrown on, and the report only ever shows them.
#pragma once

#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/harness/history.hpp"
#include "chancheck/harness/oracles.hpp"

namespace chancheck::harness {

using json = nlohmann::json;

inline json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

inline std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return buf;
}

// The accepted failure kinds of bug class `c`, as a list.
inline json accepted_kinds_json(bug mutant) {
    json out = json::array();
    if (mutant == bug::none) return out;
    std::string_view all = accepted_kinds(class_of(mutant));
    for (;;) {
        const std::size_t bar = all.find(" | ");
        out.push_back(std::string(all.substr(0, bar)));
        if (bar == std::string_view::npos) break;
        all.remove_prefix(bar + 3);
    }
    return out;
}

// The verdict fields of one check or trial: `passed` is how the channel behaved; `mutant` the
// seeded bug it carries (bug::none: a reference channel, which must pass).
inline json verdict_json(bool passed, bug mutant, const std::string& failure_kind, bool as_expected) {
    return {
        {"verdict", passed ? "pass" : "fail"},
        {"expected", mutant == bug::none ? "pass" : "fail"},
        {"accepted_kinds", accepted_kinds_json(mutant)},
        {"failure_kind", passed ? json(nullptr) : or_null(failure_kind.empty() ? std::string("unknown") : failure_kind)},
        {"as_expected", as_expected},
        {"mutant", mutant == bug::none ? json(nullptr) : json(bug_name(mutant))},
    };
}

inline json event_json(const event& e) {
    json j = {
        {"thread", e.thread},
        {"op", to_string(e.kind)},
        {"result", to_string(e.result)},
        {"invoked", e.invoked},
        {"responded", e.responded},
    };
    if (e.channel != 0) j["channel"] = e.channel;
    if (e.kind == op_kind::send || e.kind == op_kind::recv || e.kind == op_kind::len_sample || e.kind == op_kind::empty_sample)
        j["value"] = e.value;
    if (e.returned >= 0) j["returned"] = e.returned;
    if (e.result == op_result::lagged) j["skipped"] = e.skipped;
    return j;
}

inline json events_json(const history& h) {
    json out = json::array();
    for (const event& e : h) out.push_back(event_json(e));
    return out;
}

inline json violations_json(const violations& v) {
    json out = json::array();
    for (const violation& x : v) out.push_back({{"kind", to_string(x.kind)}, {"detail", x.detail}});
    return out;
}

inline std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

inline void write_atomically(const std::string& path, const std::string& text) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
    }
    std::filesystem::rename(tmp, path);
}

inline void write_atomically(const std::string& path, const json& j) { write_atomically(path, dump(j)); }

// A chancheck.property-results/2 file (the property engine's, the controlled engine's):
// `header` holds the top-level fields ("engine", "program", "mode", "seed", "budget"); the file
// is rewritten with "complete": false after every entry until finish(), and with the entry
// begin() gave for the one running now, as it stands if the process dies during it.
class property_results {
public:
    // Writes `path`; an empty `path` writes nothing.
    property_results(std::string path, json header) : path_(std::move(path)), header_(std::move(header)) {
        header_["schema"] = "chancheck.property-results/2";
        header_["started"] = utc_now();
        write(false);
    }

    void begin(json running) {
        pending_ = std::move(running);
        write(false);
    }

    void add(json entry) {
        pending_ = nullptr;
        entries_.push_back(std::move(entry));
        write(false);
    }

    void finish() { write(true); }

private:
    void write(bool complete) {
        if (path_.empty()) return;
        json doc = header_;
        doc["complete"] = complete;
        doc["properties"] = entries_;
        if (!pending_.is_null()) doc["properties"].push_back(pending_);
        write_atomically(path_, doc);
    }

    std::string path_;
    json header_;
    json entries_ = json::array();
    json pending_;  // null: none running
};

}  // namespace chancheck::harness
