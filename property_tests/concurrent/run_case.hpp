// property_tests/concurrent/run_case.hpp — one generated program under one schedule
// (deterministic scheduler) or many times on real threads, judged.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "chancheck/sync/sched/scheduler.hpp"
#include "judge.hpp"

namespace chancheck::props {

struct case_outcome {
    verdict v;
    harness::history events;  // the recorded operations (failures only)
    std::uint64_t decisions = 0;
};

inline std::string history_text(const harness::history& h) {
    std::string s;
    for (const event& e : h) s += harness::describe(e) + "\n";
    return s;
}

// Runs `p` under the deterministic scheduler with schedule `s`. A is the program's channel
// adapter over counted messages and sched_sync (or a bug-zoo mutant of it).
template <class A>
case_outcome run_scheduled(const program& p, const sched::schedule& s) {
    case_outcome out;
    sched::scheduler sch(s);
    auto run = std::make_unique<program_run<A>>(p);
    const sched::run_outcome r = sch.run(run->bodies());
    out.decisions = r.decisions;
    if (!r.ok()) {
        std::string steps;
        for (const auto& line : r.last_steps) steps += "    " + line + "\n";
        if (r.kind == sched::failure_kind::deadlock) {
            out.v = judge_deadlock(*run, r.message);
        } else {
            out.v.failed = true;
            out.v.kind = sched::to_string(r.kind);
            out.v.message = r.message;
        }
        if (out.v.failed) {
            out.v.message += "\n  last context switches:\n" + steps;
            out.events = run->history();
        }
        (void)run.release();  // abandoned threads may still point into it: leak it
        return out;
    }
    out.v = judge_completed(*run, harness::channel_traits<A, counted>::global_fifo);
    if (out.v.failed) out.events = run->history();
    run.reset();  // every handle is gone already; this frees the harness's bookkeeping
    const sched::run_outcome leaks = sch.check_leaks();
    if (!out.v.failed && !leaks.ok()) {
        out.v.failed = true;
        out.v.kind = sched::to_string(leaks.kind);
        out.v.message = leaks.message;
    }
    return out;
}

// Runs `run.run_thread(t)` for every thread t of `p` on real threads and joins them: true.
// When they do not all finish within `watchdog`, false: a thread blocked in a channel cannot
// be unwound, so the threads are detached and left blocked, and the caller must leak `run`,
// which they still use. What they share with this function lives on the heap for the same
// reason.
template <class Run>
bool run_threads_or_abandon(Run& run, const program& p, std::chrono::milliseconds watchdog) {
    struct finish_line {
        std::mutex m;
        std::condition_variable cv;
        unsigned done = 0;
    };
    auto line = std::make_shared<finish_line>();
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < p.threads.size(); ++t)
        threads.emplace_back([&run, line, t] {
            run.run_thread(t);
            std::lock_guard lock(line->m);
            ++line->done;
            line->cv.notify_all();
        });
    std::unique_lock lock(line->m);
    if (!line->cv.wait_for(lock, watchdog, [&] { return line->done == p.threads.size(); })) {
        for (auto& th : threads) th.detach();
        return false;
    }
    lock.unlock();
    for (auto& th : threads) th.join();
    return true;
}

// How long a real-thread run may take before it counts as hung (properties_main's
// --hang-after, default_hang_after unless set); shrinking gives each candidate at most 3 s.
inline constexpr std::chrono::milliseconds default_hang_after{20'000};
inline std::chrono::milliseconds& hang_after() {
    static std::chrono::milliseconds limit = default_hang_after;
    return limit;
}

// Real-thread runs abandoned so far in this process (their threads are still blocked).
inline int& abandoned_runs() {
    static int n = 0;
    return n;
}

// At most this many runs are abandoned per process: each leaves its threads blocked (or
// spinning) for good. Past it, shrinking a hang stops where it is (see run_real_threads).
inline constexpr int max_abandoned_runs = 12;

// The verdict on a run whose threads did not all return: deadlock, naming each thread still
// inside an operation. (The thread's own note of its operation is read without
// synchronisation: it was written before the thread blocked, `watchdog` ago.)
template <class Run>
verdict judge_hang(const Run& run, int repetition, std::chrono::milliseconds watchdog) {
    verdict v;
    v.failed = true;
    v.kind = "deadlock";
    v.message = "real threads, repetition " + std::to_string(repetition) + ": threads did not return within " +
                std::to_string(watchdog.count()) + " ms";
    const program& p = run.prog();
    for (unsigned t = 0; t < p.threads.size(); ++t) {
        if (run.finished(t)) continue;
        const int i = run.pending(t);
        v.message += "\n  thread " + std::to_string(t) + ": " +
                     (i < 0 ? std::string("dropping its handles")
                            : "op " + std::to_string(i) + " " + to_text(p.threads[t].ops[static_cast<std::size_t>(i)]));
    }
    return v;
}

// Runs a deadlock-free program (gen_options::deadlock_free) on real threads `repetitions`
// times (A: the channel adapter over std_sync, or a plain adapter). A run whose threads do
// not all return within hang_after() is the channel's deadlock (the program cannot block by
// itself): it is judged like any failure, so RapidCheck shrinks it and the results file holds
// it with its replay. After the first hang a candidate gets at most 3 s. After
// max_abandoned_runs hangs a candidate is not run and counts as passing, which ends the
// shrinking at the smallest hang found.
template <class A>
case_outcome run_real_threads(const program& p, int repetitions) {
    const std::chrono::milliseconds watchdog = hang_after();
    const std::chrono::milliseconds shrink_watchdog = std::min(watchdog, std::chrono::milliseconds(3'000));
    case_outcome out;
    if (abandoned_runs() >= max_abandoned_runs) return out;
    for (int rep = 0; rep < repetitions && !out.v.failed; ++rep) {
        auto run = std::make_unique<program_run<A>>(p);
        const auto limit = abandoned_runs() == 0 ? watchdog : shrink_watchdog;
        if (!run_threads_or_abandon(*run, p, limit)) {
            ++abandoned_runs();
            out.v = judge_hang(*run, rep, limit);
            if (abandoned_runs() >= max_abandoned_runs)
                out.v.message += "\n  (shrinking stopped here: " + std::to_string(max_abandoned_runs) +
                                 " hung runs are left blocked in this process)";
            out.events = run->history();
            (void)run.release();  // its threads are still blocked in it
            return out;
        }
        out.v = judge_completed(*run, harness::channel_traits<A, counted>::global_fifo);
        if (out.v.failed) {
            out.v.message += "\n  (real threads, repetition " + std::to_string(rep) + ")";
            out.events = run->history();
        }
    }
    return out;
}

}  // namespace chancheck::props
