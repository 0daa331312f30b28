// chancheck/harness/json_text.hpp — JSON string literals for the engines' results files.
//
// Names and messages in a results file come from the run (scenario names, oracle findings,
// histories); they are escaped here and the report only ever shows them.
#pragma once

#include <cstdio>
#include <string>

namespace chancheck::harness {

// Escapes a string for a JSON string literal (control characters as \u00XX).
inline std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

inline std::string json_string_or_null(const std::string& s) { return s.empty() ? "null" : json_string(s); }

}  // namespace chancheck::harness
