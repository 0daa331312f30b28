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

#include "chancheck/sync/sched_sync.hpp"
#include "chancheck/sync/std_sync.hpp"
#include "judge.hpp"

namespace chancheck::props {

struct case_outcome {
    verdict v;
    std::string history;  // the recorded history, one event per line (failures only)
    std::uint64_t decisions = 0;
};

inline std::string history_text(const harness::history& h) {
    std::string s;
    for (const event& e : h) s += harness::describe(e) + "\n";
    return s;
}

// Runs `p` under the deterministic scheduler with schedule `s`. SchedSync is sched_sync or a
// bug-zoo mutant of it.
template <class SchedSync>
case_outcome run_scheduled(const program& p, const sched::schedule& s) {
    return with_family<SchedSync>(p.kind, [&]<class Family>() {
        case_outcome out;
        sched::scheduler sch(s);
        auto run = std::make_unique<program_run<SchedSync, Family>>(p);
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
                out.history = history_text(run->history());
            }
            (void)run.release();  // abandoned threads may still point into it: leak it
            return out;
        }
        out.v = judge_completed(*run);
        if (out.v.failed) out.history = history_text(run->history());
        run.reset();  // every handle is gone already; this frees the harness's bookkeeping
        const sched::run_outcome leaks = sch.check_leaks();
        if (!out.v.failed && !leaks.ok()) {
            out.v.failed = true;
            out.v.kind = sched::to_string(leaks.kind);
            out.v.message = leaks.message;
        }
        return out;
    });
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

// Runs a deadlock-free program (gen_limits::deadlock_free) on real threads `repetitions`
// times (Sync: std_sync, or a bug-zoo mutant of it). A run that does not finish within `watchdog` is a hang: the process cannot unblock
// real threads, so it prints the program and exits with status 3.
template <class Sync = std_sync>
case_outcome run_real_threads(const program& p, int repetitions, std::chrono::seconds watchdog) {
    return with_family<Sync>(p.kind, [&]<class Family>() {
        case_outcome out;
        for (int rep = 0; rep < repetitions && !out.v.failed; ++rep) {
            program_run<Sync, Family> run(p);
            run_threads_or_exit(run, p, watchdog, [&] {
                std::fprintf(stderr,
                             "chancheck: real-thread run %d of program\n  %s\nhung for %lld s (watchdog); replay: "
                             "concurrent_properties --real-threads 1000 --program '%s'\n",
                             rep, to_text(p).c_str(), static_cast<long long>(watchdog.count()), to_text(p).c_str());
            });
            out.v = judge_completed(run);
            if (out.v.failed) {
                out.v.message += "\n  (real threads, repetition " + std::to_string(rep) + ")";
                out.history = history_text(run.history());
            }
        }
        return out;
    });
}

}  // namespace chancheck::props
