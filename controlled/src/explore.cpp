// controlled/src/explore.cpp — the parent's side of explore() (explore.hpp): each execution
// forked into a child that runs the schedule (scheduler.cpp), its result read back through a
// pipe, a deadlock's stacks turned into source lines, a watchdog for a child that never
// answers; and shrink(), which replays a failure's schedule cut short and with fewer
// preemptions.
#include <execinfo.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "chancheck/controlled/explore.hpp"
#include "chancheck/sync/sched/schedule.hpp"
#include "scheduler.hpp"

namespace chancheck::controlled {

namespace {

execution parse_result(const std::string& text, std::uint64_t seed) {
    execution e;
    e.seed = seed;
    const std::size_t k = text.find('\n');
    const std::size_t a = k == std::string::npos ? k : text.find('\n', k + 1);
    const std::size_t b = a == std::string::npos ? a : text.find('\n', a + 1);
    const std::size_t c = b == std::string::npos ? b : text.find('\n', b + 1);
    if (c == std::string::npos) {
        e.result = verdict::crashed;
        e.message = "the execution ended without a result";
        return e;
    }
    const std::string name = text.substr(0, k);
    e.kind = text.substr(k + 1, a - k - 1);
    for (verdict v : {verdict::pass, verdict::deadlock, verdict::busy_wait, verdict::step_limit, verdict::diverged, verdict::uncontrolled,
                      verdict::crashed, verdict::failed})
        if (name == to_string(v)) e.result = v;
    e.steps = std::stoull(text.substr(a + 1, b - a - 1));
    e.schedule = text.substr(b + 1, c - b - 1);
    e.message = text.substr(c + 1);
    return e;
}

}  // namespace

// The "at module+0xoffset" lines of a deadlock message as function and source line
// (addr2line, from binutils; one run per module), keeping the frames of the program under
// test: not the runtime's own, not the C and C++ libraries' (whose headers' inlined frames
// are dropped too), at most a few per thread.
std::string with_source_lines(const std::string& message) {
    constexpr int frames_per_thread = 5;
    constexpr std::size_t longest_name = 150;
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < message.size();) {
        std::size_t end = message.find('\n', at);
        if (end == std::string::npos) end = message.size();
        lines.push_back(message.substr(at, end - at));
        at = end + 1;
    }
    // module -> offset -> its frames, "function (file:line)", innermost first
    std::map<std::string, std::map<std::string, std::vector<std::string>>> frames;
    for (const std::string& line : lines) {
        const std::size_t plus = line.rfind("+0x");
        if (line.rfind("    at ", 0) == 0 && plus != std::string::npos) frames[line.substr(7, plus - 7)][line.substr(plus + 1)];
    }
    for (auto& [module, offsets] : frames) {
        if (module.find("/libc.so") != std::string::npos || module.find("/libstdc++.so") != std::string::npos) continue;
        std::string command = "addr2line -a -C -f -i -e '" + module + "'";
        for (const auto& entry : offsets) command += " " + entry.first;
        FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
        if (p == nullptr) continue;
        std::vector<std::string>* current = nullptr;
        char function[2048], place[1024];
        while (std::fgets(function, sizeof function, p) != nullptr) {
            std::string f(function);
            f.erase(f.find_last_not_of('\n') + 1);
            if (f.rfind("0x", 0) == 0) {  // the next address: strip its zero padding to find it
                const std::size_t digits = f.find_first_not_of('0', 2);
                const std::string key = "0x" + (digits == std::string::npos ? std::string("0") : f.substr(digits));
                current = offsets.count(key) ? &offsets[key] : nullptr;
                continue;
            }
            if (std::fgets(place, sizeof place, p) == nullptr) break;
            std::string l(place);
            l.erase(l.find_last_not_of('\n') + 1);
            // Not the runtime's own frames (by file, or by name where there is no line table).
            if (current == nullptr || l.find("/controlled/src/") != std::string::npos || l.rfind("/usr/", 0) == 0 || l.rfind("??", 0) == 0 ||
                f.rfind("chancheck::controlled::", 0) == 0)
                continue;
            if (f.size() > longest_name) f = f.substr(0, longest_name) + "...";
            current->push_back(f + " (" + l + ")");
        }
        ::pclose(p);
    }
    std::string out;
    int shown = 0;
    for (const std::string& line : lines) {
        const std::size_t plus = line.rfind("+0x");
        if (line.rfind("    at ", 0) != 0 || plus == std::string::npos) {
            out += line + "\n";
            shown = 0;
            continue;
        }
        for (const std::string& frame : frames[line.substr(7, plus - 7)][line.substr(plus + 1)])
            if (shown++ < frames_per_thread) out += "    at " + frame + "\n";
    }
    return out;
}

namespace {

// Children whose result is in and that are exiting: reaped without waiting (`block`: waiting).
std::vector<pid_t>& exiting_children() {
    static std::vector<pid_t> pids;
    return pids;
}

void reap_children(bool block) {
    std::vector<pid_t>& pids = exiting_children();
    for (std::size_t i = 0; i < pids.size();) {
        int status = 0;
        pid_t r;
        while ((r = waitpid(pids[i], &status, block ? 0 : WNOHANG)) < 0 && errno == EINTR) {
        }
        if (r == 0) {
            ++i;
        } else {
            pids[i] = pids.back();
            pids.pop_back();
        }
    }
}

// Takes the child's next result off the front of `received` once all of it has arrived:
// "<length>\n<result>" (scheduler.cpp: write_result); a result of length 0 says the child has
// run every execution it was given.
std::optional<std::string> take_frame(std::string& received) {
    const std::size_t newline = received.find('\n');
    if (newline == std::string::npos || newline == 0 || newline > 12) return std::nullopt;
    if (received.find_first_not_of("0123456789") != newline) return std::nullopt;
    const std::size_t length = std::stoull(received.substr(0, newline));
    if (received.size() < newline + 1 + length) return std::nullopt;
    std::string frame = received.substr(newline + 1, length);
    received.erase(0, newline + 1 + length);
    return frame;
}

// PCT's depth for execution i of explore() (0: a random walk).
unsigned depth_of(unsigned i, const options& o) {
    if (o.replay) return 0;  // a replayed PCT schedule carries its own (run_execution)
    if (o.search == strategy::pct) return std::max(1u, o.pct_depth);
    if (o.search == strategy::mixed) return i % 3 == 0 ? 0 : i % 3 + 1;
    return 0;
}

// A child process running executions first, first + 1, ... of explore() one after another,
// each reporting its result through the pipe `fd`.
struct child_process {
    pid_t pid = -1;
    int fd = -1;
    std::string received;
};

// The child's threads run one at a time: on one CPU, a hand-over wakes the next thread where
// the last one goes to sleep, instead of moving it between CPUs.
void pin_to_one_cpu() {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
    const int here = sched_getcpu();
    if (here < 0 || !CPU_ISSET(here, &allowed)) return;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(here, &one);
    (void)sched_setaffinity(0, sizeof one, &one);
}

child_process start_child(const std::function<void()>& body, const options& o, unsigned first, unsigned count,
                          std::uint64_t expected_steps) {
    int fds[2];
    if (pipe(fds) != 0) {
        std::perror("controlled: pipe");
        std::exit(1);
    }
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
        std::perror("controlled: fork");
        std::exit(1);
    }
    if (pid == 0) {
        ::close(fds[0]);
        pin_to_one_cpu();
        // PCT's k evolves here as in the parent (explore): the longest execution so far.
        for (unsigned i = first; i < first + count; ++i) {
            const std::optional<std::uint64_t> steps = detail::run_execution(body, o.seed + i, o, depth_of(i, o), expected_steps, fds[1]);
            if (!steps) break;
            expected_steps = std::max(expected_steps, *steps);
        }
        const char done[] = "0\n";
        (void)!::write(fds[1], done, 2);
        ::_exit(0);
    }
    ::close(fds[1]);
    return {pid, fds[0], {}};
}

// The next result of `c`: "" once it has run all it was given; nullopt when it died, or said
// nothing for the watchdog's time (then `timed_out`, and it is killed).
std::optional<std::string> next_result(child_process& c, const options& o, bool& timed_out) {
    char buffer[4096];
    for (;;) {
        if (std::optional<std::string> frame = take_frame(c.received)) return frame;
        pollfd p{c.fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(o.watchdog_seconds) * 1000);
        if (ready == 0) {
            timed_out = true;
            ::kill(c.pid, SIGKILL);
            return std::nullopt;
        }
        if (ready < 0 && errno == EINTR) continue;
        const ssize_t n = ::read(c.fd, buffer, sizeof buffer);
        if (n <= 0) return std::nullopt;
        c.received.append(buffer, static_cast<std::size_t>(n));
    }
}

// Done with `c`. A child that sent its last result is on its way out: its teardown (unmapping
// a process costs a millisecond or so here) overlaps the next execution, and it is reaped
// later. Otherwise it is reaped now; returns its wait status.
int end_child(child_process& c, bool answered) {
    ::close(c.fd);
    int status = 0;
    if (answered) {
        exiting_children().push_back(c.pid);
        reap_children(false);
    } else {
        while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    return status;
}

// The execution that was running when its child died or went silent.
execution lost_execution(std::uint64_t seed, const options& o, bool timed_out, int status) {
    execution e;
    e.seed = seed;
    if (timed_out) {
        e.result = verdict::uncontrolled;
        e.message = "no result after " + std::to_string(o.watchdog_seconds) +
                    " s: a thread blocks in a call the runtime does not intercept (see controlled/README.md)";
        return e;
    }
    e.result = verdict::crashed;
    e.message = WIFSIGNALED(status) ? std::string("the execution died of signal ") + strsignal(WTERMSIG(status))
                                    : "the execution ended without a result (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
    return e;
}

// Execution i of explore() alone, in a child process of its own.
execution run_in_fresh_child(const std::function<void()>& body, unsigned i, const options& o, std::uint64_t expected_steps) {
    child_process c = start_child(body, o, i, 1, expected_steps);
    bool timed_out = false;
    const std::optional<std::string> frame = next_result(c, o, timed_out);
    const int status = end_child(c, frame.has_value());
    if (!frame || frame->empty()) return lost_execution(o.seed + i, o, timed_out, status);
    return parse_result(*frame, o.seed + i);
}

bool same_failure(const execution& a, const execution& b) { return a.result == b.result && failure_kind(a) == failure_kind(b); }

// Execution i failed in a process that had run executions first..i-1 before it. A failure
// reported is one a fresh process gives too (replays run in one): run i alone. The same
// failure: that one is reported (it is what explore() with one execution per process finds).
// Otherwise the first stands, saying what the fresh process did.
execution confirm_in_fresh_child(const std::function<void()>& body, unsigned i, unsigned first, const options& o,
                                 std::uint64_t expected_steps, const execution& found) {
    execution fresh = run_in_fresh_child(body, i, o, expected_steps);
    if (same_failure(fresh, found)) return fresh;
    execution out = found;
    out.replays_alone = false;
    out.message += "\n(NOT REPRODUCIBLE in a fresh process: execution " + std::to_string(o.seed + i) + " failed in a process that had run " +
                   std::to_string(i - first) + " executions before it (seeds " + std::to_string(o.seed + first) + " to " +
                   std::to_string(o.seed + i - 1) + "), and alone in a fresh process it " +
                   (fresh.result == verdict::pass ? std::string("passes") : "ends in " + failure_kind(fresh)) +
                   ": something the schedule does not control survives from one execution to the next (a static, a "
                   "thread-local of the main thread, memory an execution corrupted). Its schedule alone does not replay it, "
                   "the same exploration does; options::executions_per_process = 1 (--executions-per-process 1) searches "
                   "in a fresh process each time.)\n";
    return out;
}

}  // namespace

std::string failure_kind(const execution& e) {
    switch (e.result) {
        case verdict::pass: return "";
        case verdict::failed: return e.kind.empty() ? "check" : e.kind;
        case verdict::crashed: return "crash";
        default: return to_string(e.result);
    }
}

exploration explore(const std::function<void()>& body, const options& o) {
    {
        // libgcc's unwinder is loaded on the first backtrace(): here, once, rather than in
        // every execution's child (a blocking call keeps its stack for the deadlock message).
        void* frame = nullptr;
        backtrace(&frame, 1);
        static const bool bound = (detail::bind_real_functions(), true);
        (void)bound;
    }
    if (o.replay) {
        // Checked here, in the parent, so that bad input is an error before any execution.
        try {
            (void)sched::parse_schedule(*o.replay);
        } catch (const std::invalid_argument& e) {
            std::fprintf(stderr, "controlled: %s\n", e.what());
            std::exit(2);
        }
    }
    exploration out;
    const unsigned count = o.replay ? 1 : o.executions;
    const unsigned per_process = std::max(1u, o.executions_per_process);
    std::uint64_t expected_steps = 100;  // PCT's k: the longest execution so far
    for (unsigned i = 0; i < count && !out.failure;) {
        const unsigned first = i;
        child_process c = start_child(body, o, first, std::min(per_process, count - first), expected_steps);
        for (;;) {
            bool timed_out = false;
            const std::optional<std::string> frame = next_result(c, o, timed_out);
            if (frame && frame->empty()) {  // all it was given ran and passed
                end_child(c, true);
                break;
            }
            execution e = frame ? parse_result(*frame, o.seed + i) : lost_execution(o.seed + i, o, timed_out, end_child(c, false));
            const unsigned depth = depth_of(i, o);
            ++out.executions;
            if (e.result == verdict::pass) {
                expected_steps = std::max(expected_steps, e.steps);
                ++i;
                continue;
            }
            if (frame) end_child(c, true);
            if (i > first) e = confirm_in_fresh_child(body, i, first, o, expected_steps, e);
            e.search = o.replay ? "replay" : depth == 0 ? "random" : "pct depth " + std::to_string(depth);
            if (o.source_lines && (e.result == verdict::deadlock || e.result == verdict::busy_wait || e.result == verdict::step_limit))
                e.message = with_source_lines(e.message);
            out.failure = std::move(e);
            break;
        }
    }
    reap_children(true);
    return out;
}

}  // namespace chancheck::controlled

namespace chancheck::controlled {

namespace {

// The decisions of a recorded schedule, without the trailing 0s a tail of 0s gives anyway.
std::vector<std::uint8_t> decisions_of(const std::string& text) {
    std::vector<std::uint8_t> c = sched::parse_schedule(text).choices;
    while (!c.empty() && c.back() == 0) c.pop_back();
    return c;
}

std::string schedule_text(const std::vector<std::uint8_t>& choices) {
    sched::schedule s;
    s.choices = choices;
    return sched::to_string(s);
}

}  // namespace

shrunk shrink(const std::function<void()>& body, const execution& failure, const options& o) {
    shrunk out;
    out.failure = failure;
    std::vector<std::uint8_t> best = decisions_of(failure.schedule);
    out.failure.schedule = schedule_text(best);
    out.decisions_before = static_cast<unsigned>(best.size());
    out.preemptions_before = static_cast<unsigned>(std::count_if(best.begin(), best.end(), [](std::uint8_t b) { return b != 0; }));
    out.decisions_after = out.decisions_before;
    out.preemptions_after = out.preemptions_before;
    // Only failures a schedule decides: not a runaway, a crash, an uncontrolled call.
    if (failure.result != verdict::deadlock && failure.result != verdict::busy_wait && failure.result != verdict::failed)
        return out;
    const auto started = std::chrono::steady_clock::now();
    // Whether `candidate` still fails the same way; if so it becomes the best, as recorded.
    const auto keeps_failing = [&](const std::vector<std::uint8_t>& candidate) {
        if (out.attempts >= o.shrink_executions ||
            std::chrono::steady_clock::now() - started > std::chrono::seconds(o.shrink_seconds))
            return false;
        ++out.attempts;
        options again = o;
        again.replay = schedule_text(candidate);
        const exploration r = explore(body, again);
        if (!r.failure || !same_failure(*r.failure, failure)) return false;
        best = decisions_of(r.failure->schedule);
        out.failure = *r.failure;
        out.failure.schedule = schedule_text(best);
        ++out.steps;
        return true;
    };
    // The shortest prefix that still fails (then no preemption: a tail of 0s), by bisection.
    std::size_t low = 0, high = best.size();
    while (low < high) {
        const std::size_t mid = (low + high) / 2;
        if (keeps_failing(std::vector<std::uint8_t>(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(mid)))) high = std::min(mid, best.size());
        else low = mid + 1;
    }
    // Then each preemption left, from the last: the running thread goes on instead; again
    // while a pass takes one out.
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t i = best.size(); i-- > 0;) {
            if (i >= best.size() || best[i] == 0) continue;
            std::vector<std::uint8_t> candidate = best;
            candidate[i] = 0;
            changed = keeps_failing(candidate) || changed;
        }
    }
    out.decisions_after = static_cast<unsigned>(best.size());
    out.preemptions_after = static_cast<unsigned>(std::count_if(best.begin(), best.end(), [](std::uint8_t b) { return b != 0; }));
    return out;
}

}  // namespace chancheck::controlled
