// chancheck/harness/crash_note.hpp — what an engine was doing when its process died.
//
// An engine's findings must survive the engine: a use after free in a model run can end the
// process with SIGSEGV or SIGBUS, and stdout, fully buffered when it goes to a file or a pipe
// (as in the gate), would lose every line printed before. So every engine program starts
// with `crash_note::install(program)`, which
//   - makes stdout line-buffered (std::cout writes through it: sync_with_stdio stays on),
//     so each finding and replay command is out as soon as its line ends;
//   - installs handlers for the signals of a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
//     SIGABRT) on an alternate stack, which write the current note — "case X; replay: …",
//     set by the engine before each case with `crash_note::set` — to stderr with write(2)
//     (nothing else is async-signal-safe), then re-raise the signal with its default action
//     so the exit status still says how the process died.
// The note lives in a fixed buffer: setting it copies, the handler only reads.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

namespace chancheck::harness::crash_note {

namespace detail {

inline char g_program[128] = "chancheck";
inline char g_note[4096] = "";
inline volatile sig_atomic_t g_note_length = 0;

inline void write_all(const char* s, std::size_t n) noexcept {
    while (n > 0) {
        const ssize_t w = ::write(STDERR_FILENO, s, n);
        if (w <= 0) return;
        s += w;
        n -= static_cast<std::size_t>(w);
    }
}

inline const char* signal_text(int sig) noexcept {
    switch (sig) {
        case SIGSEGV: return "SIGSEGV";
        case SIGBUS: return "SIGBUS";
        case SIGFPE: return "SIGFPE";
        case SIGILL: return "SIGILL";
        case SIGABRT: return "SIGABRT";
    }
    return "a signal";
}

inline void on_crash(int sig) noexcept {
    static const char crashed[] = ": crashed with ";
    static const char during[] = " during ";
    static const char nothing[] = " outside any case\n";
    write_all("\n", 1);
    write_all(g_program, std::strlen(g_program));
    write_all(crashed, sizeof crashed - 1);
    const char* name = signal_text(sig);
    write_all(name, std::strlen(name));
    if (g_note_length > 0) {
        write_all(during, sizeof during - 1);
        write_all(g_note, static_cast<std::size_t>(g_note_length));
        write_all("\n", 1);
    } else {
        write_all(nothing, sizeof nothing - 1);
    }
    std::signal(sig, SIG_DFL);
    ::raise(sig);
}

}  // namespace detail

// Names the program in crash messages, line-buffers stdout and installs the handlers.
inline void install(const std::string& program) {
    std::snprintf(detail::g_program, sizeof detail::g_program, "%s", program.c_str());
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    // An alternate stack: a stack overflow, or a crash on a fiber's small stack, still reports.
    static char alt_stack[64 * 1024];
    stack_t ss{};
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    ::sigaltstack(&ss, nullptr);
    struct sigaction sa{};
    sa.sa_handler = &detail::on_crash;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::sigaction(sig, &sa, nullptr);
}

// What is running now, e.g. "case mpsc/spsc/list; replay: mpsc_scenarios_model --case …".
inline void set(const std::string& note) {
    detail::g_note_length = 0;
    const std::size_t n = std::min(note.size(), sizeof detail::g_note - 1);
    std::memcpy(detail::g_note, note.data(), n);
    detail::g_note_length = static_cast<sig_atomic_t>(n);
}

inline void clear() { detail::g_note_length = 0; }

}  // namespace chancheck::harness::crash_note
