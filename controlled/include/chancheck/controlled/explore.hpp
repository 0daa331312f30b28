// chancheck/controlled/explore.hpp — controlled scheduling of unmodified code: run a test
// body many times, each time with its real threads taking turns under a baton, so that a
// schedule (random walk over the threads that can run, from a seed) decides the interleaving
// at every scheduling point; report the first execution that deadlocks or runs away, with the
// schedule string that replays it exactly.
//
// The body's code (the channel, its test) is compiled with the compiler's ThreadSanitizer
// instrumentation (-fsanitize=thread, compile only) and linked with chancheck's runtime for
// that ABI instead of libtsan (controlled/src/tsan_abi.cpp), which turns every atomic
// operation and fence into a scheduling point; the runtime also interposes the pthread and
// libc calls libstdc++'s std::thread, std::mutex, std::condition_variable and
// std::atomic::wait make (controlled/src/interpose.cpp). What is and is not intercepted:
// controlled/README.md. The technique is CHESS's (Musuvathi et al., OSDI 2008: systematic
// testing by intercepting synchronization calls of unmodified programs) and Fray's
// (OOPSLA 2025), here over the TSan instrumentation ABI; executions are under sequential
// consistency (one thread runs at a time): weak-memory behaviour is Relacy's.
//
// Executions run in forked child processes, many one after another in each
// (options::executions_per_process): a deadlocked execution leaves threads that cannot be
// unwound, and its child simply ends. Call explore() from a single-threaded process.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace chancheck::controlled {

enum class verdict {
    pass,        // every thread ran to its end
    deadlock,    // no thread can run and none waits with a timeout
    busy_wait,   // the threads that can run make no progress (no atomic write, lock, notify...)
                 // for many points in a row, and no wait has a deadline: they spin on a blocked one
    step_limit,  // more scheduling points than max_steps: a livelock, or an execution too long
    diverged,    // a replayed schedule named a thread that cannot run at that point
    uncontrolled,  // no scheduling point for the watchdog's time: a blocking call the runtime does not see
    crashed,     // the execution's process died (a signal, or exit without a result)
    failed,      // the body reported a failed check (controlled::fail)
};

const char* to_string(verdict v);

struct execution {
    verdict result = verdict::pass;
    std::uint64_t seed = 0;
    std::string search;        // how its choices were made: random, pct depth 2, ...
    std::uint64_t steps = 0;   // scheduling points passed
    std::string schedule;      // sched_sync's format: "rw/<a byte per decision>/tail=0" (replay())
    std::string kind;          // with failed: what failed ("oracle:<violation>", or "check")
    std::string message;       // what went wrong: each blocked thread and what it waits for, or the failed check
    // False when it failed only after earlier executions in its process (a fresh process with
    // the same seed does not fail that way: options::executions_per_process): its schedule
    // alone does not replay it, the same exploration (seed, executions) does.
    bool replays_alone = true;
};

// How an execution's choices are made. random: a uniform pick among the runnable threads at
// every scheduling point. pct: Burckhardt et al.'s probabilistic concurrency testing (ASPLOS
// 2010): random thread priorities, the highest runnable runs, and at depth-1 random points the
// running thread drops below all others; a bug that needs d ordered events is found with
// probability at least 1/(n·k^(d-1)) per execution (n threads, k steps) however many other
// scheduling points there are. mixed: executions take turns, random, pct depth 2, pct depth 3.
enum class strategy { random, pct, mixed };

struct options {
    std::uint64_t seed = 1;          // execution i uses seed + i
    unsigned executions = 1000;
    strategy search = strategy::mixed;
    unsigned pct_depth = 3;          // with strategy::pct
    std::uint64_t max_steps = 200'000;
    // Run this one schedule instead: an rw/ schedule (execution::schedule, or one a generator
    // made) or sched_sync's pct/prio=<p>/change=<c>/<choices> (thread k started by the body
    // gets priority p[k-1], the body's own thread runs first; at the scheduling points c the
    // running thread drops below every other; waiters are woken by priority).
    std::optional<std::string> replay;
    // A replayed rw/ byte that names a candidate past the end is a divergence (the schedule was
    // recorded, it must fit); false: bytes are taken modulo the candidates, as sched_sync does,
    // for schedules a generator made (the property engine's).
    bool strict_replay = true;
    // Called in the execution's process when it ends in a deadlock, a busy wait or the step
    // limit, every thread stopped and the scheduler out of the way (no scheduling points, the
    // real clocks): where a test saves what its judgement in this process needs (the property
    // engine: the recorded history and each thread's operation, in shared memory).
    std::function<void()> on_stuck;
    // Called in the execution's process whenever virtual time moves (a timed wait times out, a
    // sleep ends), outside the scheduler's control: true ends the execution as a deadlock
    // (on_stuck first). For a test that knows nothing else can happen, such as a program
    // deadlocked by itself on a channel that waits in timed slices (polls): it would poll until
    // the step limit.
    std::function<bool()> on_time_passes;
    bool spurious_wakeups = true;       // condition-variable and futex waits may wake without a notify
    // A stuck execution's stacks as functions and source lines (addr2line: tenths of a second);
    // false leaves them as module+offset, for with_source_lines() when they are shown.
    bool source_lines = true;
    unsigned watchdog_seconds = 20;     // an execution that long without finishing is uncontrolled
    // Executions one child process runs one after another, as long as they pass (a fork per
    // execution costs more than the execution). A failure found after others in the same
    // process is run again alone in a fresh one, the process replays run in: its result is the
    // one reported, or the first with a NOT REPRODUCIBLE note when the fresh one differs.
    // 1: every execution in a fresh process.
    unsigned executions_per_process = 100;
    unsigned shrink_executions = 200;   // shrink(): replays it may spend
    unsigned shrink_seconds = 30;       // shrink(): time it may spend
};

struct exploration {
    unsigned executions = 0;  // run
    std::optional<execution> failure;  // the first that did not pass
};

// Runs `body` under controlled scheduling, options.executions times (or the one replay, in a
// fresh child process); stops at the first execution that does not pass.
exploration explore(const std::function<void()>& body, const options& o);

// A failure at its smallest: shrink() replays the failing schedule cut short (the rest without
// preemption) and with preemptions taken out ("the running thread goes on", byte 0), keeping
// each change that still fails the same way (verdict and failure kind). The result's schedule
// is exact: replaying it gives `failure`.
struct shrunk {
    execution failure;
    unsigned decisions_before = 0, decisions_after = 0;
    unsigned preemptions_before = 0, preemptions_after = 0;  // decisions other than "go on"
    unsigned attempts = 0;  // replays spent
    unsigned steps = 0;     // of them, the ones that kept failing
};
shrunk shrink(const std::function<void()>& body, const execution& failure, const options& o);

// A message's "at module+0xoffset" stack lines as functions and source lines, the runtime's
// own frames and the C and C++ libraries' dropped (binutils' addr2line).
std::string with_source_lines(const std::string& message);

// From inside the body: the execution fails with this message (a check of the test's own);
// `kind` names the failure for results files ("oracle:<violation>"; default "check").
[[noreturn]] void fail(const std::string& message);
[[noreturn]] void fail(const std::string& kind, const std::string& message);

// The failure kind of an execution, in the words every engine's results use: deadlock,
// busy_wait, step_limit, diverged, uncontrolled, crash, or the failed check's kind; "" for a pass.
std::string failure_kind(const execution& e);

}  // namespace chancheck::controlled
