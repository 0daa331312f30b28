// property_tests/concurrent/run_case.hpp — one generated program under one schedule
// (deterministic scheduler) or many times on real threads, judged.
#pragma once

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

// Runs `run.run_thread(t)` for every thread t of `p` on real threads and joins them. When they
// do not all finish within `watchdog`, `on_hang()` prints what hung; the process then ends
// with status 3, because a thread blocked in a channel cannot be unwound.
template <class Run, class OnHang>
void run_threads_or_exit(Run& run, const program& p, std::chrono::seconds watchdog, OnHang on_hang) {
    std::mutex m;
    std::condition_variable cv;
    unsigned done = 0;
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < p.threads.size(); ++t)
        threads.emplace_back([&, t] {
            run.run_thread(t);
            std::lock_guard lock(m);
            ++done;
            cv.notify_all();
        });
    {
        std::unique_lock lock(m);
        if (!cv.wait_for(lock, watchdog, [&] { return done == p.threads.size(); })) {
            on_hang();
            std::fflush(stderr);
            std::_Exit(3);
        }
    }
    for (auto& th : threads) th.join();
}

// Runs a deadlock-free program (gen_options::deadlock_free) on real threads `repetitions`
// times (A: the channel adapter over std_sync, or a plain adapter). A run that does not
// finish within `watchdog` is a hang: real threads cannot be unblocked, so `on_hang` prints
// the program and its replay command and the process ends with status 3.
template <class A, class OnHang>
case_outcome run_real_threads(const program& p, int repetitions, std::chrono::seconds watchdog, OnHang on_hang) {
    case_outcome out;
    for (int rep = 0; rep < repetitions && !out.v.failed; ++rep) {
        program_run<A> run(p);
        run_threads_or_exit(run, p, watchdog, [&] { on_hang(rep); });
        out.v = judge_completed(run, harness::channel_traits<A, counted>::global_fifo);
        if (out.v.failed) {
            out.v.message += "\n  (real threads, repetition " + std::to_string(rep) + ")";
            out.events = run.history();
        }
    }
    return out;
}

}  // namespace chancheck::props
