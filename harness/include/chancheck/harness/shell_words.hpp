// chancheck/harness/shell_words.hpp — replay commands as a shell reads them: every engine
// prints the one command that replays a failure, and its arguments (program texts, case names,
// schedules) carry spaces, '|' and quotes.
#pragma once

#include <cctype>
#include <string>
#include <vector>

namespace chancheck::harness {

// One argument as a shell word: as it is when it is only [A-Za-z0-9_./:=+-], else
// single-quoted (a quote inside as '\'').
inline std::string shell_word(const std::string& s) {
    bool plain = !s.empty();
    for (char ch : s)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || std::string("_./:=+-").find(ch) != std::string::npos)) plain = false;
    if (plain) return s;
    std::string out = "'";
    for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

// Arguments as one shell line.
inline std::string shell_line(const std::vector<std::string>& args) {
    std::string out;
    for (const std::string& a : args) out += (out.empty() ? "" : " ") + shell_word(a);
    return out;
}

}  // namespace chancheck::harness
