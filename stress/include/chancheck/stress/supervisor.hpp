// chancheck/stress/supervisor.hpp — every stress run in its own child process.
//
// A sanitizer that halts, a crash, a watchdog that ends a hung run and a run that even the
// watchdog cannot end all kill a process; the sweep must go on and still say what happened.
// So the driver starts each run as a child (the same executable with --child), sends its
// stdout and stderr to files, waits for it with a hard deadline (then SIGKILL), and classifies
// what it finds: a sanitizer report in stderr wins over everything else, then the hard
// deadline, the child's own verdict (exit 0 pass, 10 oracle violation, 11 watchdog), and
// finally any other exit or signal as a crash.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace chancheck::stress {

inline constexpr int exit_pass = 0;
inline constexpr int exit_usage = 2;
inline constexpr int exit_oracle = 10;
inline constexpr int exit_watchdog = 11;

struct child_result {
    int exit_code = -1;      // when it exited
    int signal = 0;          // when a signal ended it
    bool timed_out = false;  // killed at the hard deadline
    bool spawn_failed = false;
    std::string spawn_error;
    std::string out;  // its stdout (the summary line)
    std::string err;  // its stderr (sanitizer reports, watchdog dump)
    double seconds = 0;
};

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs `exe args...` with stdout/stderr captured; kills it after `hard_limit`.
inline child_result run_child(const std::string& exe, const std::vector<std::string>& args,
                              std::chrono::milliseconds hard_limit, const std::string& scratch_prefix) {
    child_result r;
    const std::string out_path = scratch_prefix + ".stdout";
    const std::string err_path = scratch_prefix + ".stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(exe.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);

    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        r.spawn_failed = true;
        r.spawn_error = "cannot start " + exe + ": " + std::strerror(rc);
        return r;
    }
    int status = 0;
    for (;;) {
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (std::chrono::steady_clock::now() - start >= hard_limit) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            r.timed_out = true;
            break;
        }
        // Polling with a deadline: the child's end is what we wait for, the poll only bounds
        // how late we notice it.
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    std::filesystem::remove(out_path);
    std::filesystem::remove(err_path);
    return r;
}

// Where a sanitizer report starts in `err`, and its kind ("tsan:data race", "asan:double-free",
// "lsan:detected memory leaks", "ubsan:runtime error"); npos when there is none.
struct sanitizer_finding {
    std::size_t at = std::string::npos;
    std::string kind;
};

inline sanitizer_finding find_sanitizer_report(const std::string& err) {
    struct marker {
        const char* text;
        const char* tool;
    };
    static const marker markers[] = {
        {"WARNING: ThreadSanitizer: ", "tsan"},  {"ERROR: AddressSanitizer: ", "asan"},
        {"ERROR: LeakSanitizer: ", "lsan"},      {"runtime error: ", "ubsan"},
        {"ERROR: UndefinedBehaviorSanitizer: ", "ubsan"},
    };
    sanitizer_finding best;
    for (const marker& m : markers) {
        const std::size_t at = err.find(m.text);
        if (at == std::string::npos || at >= best.at) continue;
        std::size_t from = at + std::strlen(m.text);
        std::size_t to = err.find_first_of("\n(", from);
        std::string what = err.substr(from, to == std::string::npos ? std::string::npos : to - from);
        while (!what.empty() && what.back() == ' ') what.pop_back();
        if (std::string(m.tool) == "ubsan") what = "runtime error";
        if (std::string(m.tool) == "asan") what = what.substr(0, what.find(" on "));
        best.at = err.rfind('\n', at) == std::string::npos ? 0 : err.rfind('\n', at) + 1;
        best.kind = std::string(m.tool) + ":" + what;
    }
    return best;
}

inline std::string signal_name(int sig) {
    const char* name = sigabbrev_np(sig);
    return name != nullptr ? std::string("SIG") + name : "signal " + std::to_string(sig);
}

// Bytes a JSON reader could choke on (invalid UTF-8 from a crash) become '?'.
inline std::string printable(const std::string& s, std::size_t max_bytes) {
    std::string out;
    const std::size_t n = std::min(s.size(), max_bytes);
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char ch = static_cast<unsigned char>(s[i]);
        out += (ch >= 0x80) ? '?' : static_cast<char>(ch);
    }
    if (s.size() > max_bytes) out += "\n[… " + std::to_string(s.size() - max_bytes) + " more bytes cut]";
    return out;
}

inline std::string tail_of(const std::string& s, std::size_t max_bytes) {
    return s.size() <= max_bytes ? s : "[…]" + s.substr(s.size() - max_bytes);
}

}  // namespace chancheck::stress
