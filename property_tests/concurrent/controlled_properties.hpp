// property_tests/concurrent/controlled_properties.hpp — the property engine over a plain
// adapter (a channel written with std::atomic, std::mutex, std::condition_variable) under
// controlled scheduling (controlled/explore.hpp): the same generated programs, judge and
// shrinking as under sched_sync, but the channel's own unmodified code runs on real threads
// that take turns at every atomic operation, lock, wait and notify, as the case's schedule says.
//
// A case is one execution in a forked child (controlled::explore with the schedule as its
// replay, bytes taken modulo the candidates as sched_sync takes them; a PCT schedule's
// priorities and change points as they are). The child runs the program and, when it ends or
// gets stuck, copies the recorded history and each thread's state into memory it shares with
// this process (controlled_snapshot); the judge (judge.hpp: oracles, linearizability, the
// deadlock judgement) runs here, on real clocks. A program may deadlock by itself (generated
// without the real-thread engine's role split): the judge tells that from the channel's
// deadlock, as it does under sched_sync. RapidCheck shrinks program and schedule together, and
// the replay command (--property --program --schedule) forks the same execution again.
//
// chancheck_add_channel(... ADAPTER ...) builds <name>-properties on this where the controlled
// runtime can be built (cmake/ChancheckControlled.cmake), its sources instrumented:
//   int main(int argc, char** argv) {
//       return chancheck::props::controlled_adapter_properties_main<my_adapter>(argc, argv);
//   }
#pragma once

#include <sys/mman.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "adapter_properties.hpp"
#include "chancheck/controlled/explore.hpp"

namespace chancheck::props {

// What the judge needs of a run, written by the execution's process (the child) and read by
// this one: an anonymous shared mapping made before the fork. Plain data only.
class controlled_snapshot {
public:
    static constexpr std::size_t max_events = 2048;
    static constexpr std::size_t max_threads = 8;
    static constexpr std::size_t max_channels = 2;

private:
    static_assert(std::is_trivially_copyable_v<event>);
    struct block {
        bool taken;
        std::size_t count;
        event events[max_events];
        long constructed, destroyed;
        int pending[max_threads];
        bool finished[max_threads];
        bool holds_sender[max_threads][max_channels];
        bool holds_receiver[max_threads][max_channels];
    };

public:
    controlled_snapshot() {
        void* m = ::mmap(nullptr, sizeof(block), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) throw std::runtime_error("controlled properties: mmap of the shared snapshot failed");
        b_ = static_cast<block*>(m);
    }
    ~controlled_snapshot() { ::munmap(b_, sizeof(block)); }
    controlled_snapshot(const controlled_snapshot&) = delete;
    controlled_snapshot& operator=(const controlled_snapshot&) = delete;

    void clear() { b_->taken = false; }
    bool taken() const { return b_->taken; }

    // In the child: the run as it stands (every thread stopped or finished).
    template <class Run>
    void take(const Run& run) {
        const harness::history h = run.history();
        const program& p = run.prog();
        b_->count = std::min(h.size(), max_events);
        std::memcpy(b_->events, h.data(), b_->count * sizeof(event));
        b_->constructed = run.counters().constructed.load();
        b_->destroyed = run.counters().destroyed.load();
        for (unsigned t = 0; t < p.threads.size() && t < max_threads; ++t) {
            b_->pending[t] = run.pending(t);
            b_->finished[t] = run.finished(t);
            for (unsigned c = 0; c < p.channels && c < max_channels; ++c) {
                b_->holds_sender[t][c] = run.holds_sender(t, c);
                b_->holds_receiver[t][c] = run.holds_receiver(t, c);
            }
        }
        b_->taken = true;
    }

    // Here: the run as the judge reads one (judge_completed, judge_deadlock).
    class run_view {
    public:
        run_view(const program& p, const controlled_snapshot& s) : p_(p), s_(*s.b_) {
            counters_.constructed = s_.constructed;
            counters_.destroyed = s_.destroyed;
        }
        const program& prog() const { return p_; }
        harness::history history() const { return harness::history(s_.events, s_.events + s_.count); }
        const harness::message_counters& counters() const { return counters_; }
        int pending(unsigned t) const { return s_.pending[t]; }
        bool finished(unsigned t) const { return s_.finished[t]; }
        bool holds_sender(unsigned t, unsigned c) const { return s_.holds_sender[t][c]; }
        bool holds_receiver(unsigned t, unsigned c) const { return s_.holds_receiver[t][c]; }

    private:
        const program& p_;
        const controlled_snapshot::block& s_;
        harness::message_counters counters_;
    };
    run_view view(const program& p) const { return run_view(p, *this); }

private:
    block* b_ = nullptr;
};

// Runs program `p` of adapter A once under controlled scheduling with schedule `s`, and judges it.
template <class A>
case_outcome run_controlled(const program& p, const sched::schedule& s) {
    static controlled_snapshot snapshot;  // one mapping for the process: cases run one at a time
    snapshot.clear();
    program_run<A>* current = nullptr;  // the child's run, for on_stuck (in the child)
    const auto body = [&] {
        // Never freed: a deadlocked execution's threads still point into it when the child ends.
        auto* run = new program_run<A>(p);
        current = run;
        std::vector<std::thread> threads;
        for (unsigned t = 0; t < p.threads.size(); ++t) threads.emplace_back([run, t] { run->run_thread(t); });
        for (std::thread& th : threads) th.join();
        snapshot.take(*run);
    };
    controlled::options o;
    o.replay = to_string(s);
    o.strict_replay = false;  // generated bytes: modulo the candidates
    o.executions = 1;
    o.source_lines = false;  // only the counterexample's: subject::finish_message
    o.on_stuck = [&] {
        if (current != nullptr) snapshot.take(*current);
    };
    // Virtual time moves (a timed wait times out, a sleep ends). If every thread that has not
    // finished is inside an operation without a timeout and the judge finds none the channel
    // could complete, the program has deadlocked by itself, and a channel that waits in timed
    // slices would poll until the step limit: end it here.
    o.on_time_passes = [&] {
        if (current == nullptr) return false;
        for (unsigned t = 0; t < p.threads.size(); ++t) {
            if (current->finished(t)) continue;
            const int i = current->pending(t);
            if (i < 0) return false;  // starting, or dropping its handles
            const op_code c = p.threads[t].ops[static_cast<std::size_t>(i)].code;
            if (c == op_code::send_timeout || c == op_code::recv_timeout) return false;
        }
        return judge_deadlock(*current, "").program_deadlock;
    };
    const controlled::exploration x = controlled::explore(body, o);
    case_outcome out;
    out.decisions = x.failure ? x.failure->steps : 0;
    const auto run = snapshot.view(p);
    if (!x.failure) {
        if (!snapshot.taken()) {
            out.v = {.failed = true, .kind = "error", .message = "the execution passed without leaving its history"};
            return out;
        }
        out.v = judge_completed(run, harness::channel_traits<A, counted>::global_fifo);
    } else {
        const controlled::execution& e = *x.failure;
        // Stuck: every thread blocked (a program's own deadlock passes, the judge says which),
        // or threads spinning (busy_wait) or running on (step_limit) without an end.
        const bool stuck = e.result == controlled::verdict::deadlock || e.result == controlled::verdict::busy_wait ||
                           e.result == controlled::verdict::step_limit;
        if (stuck && snapshot.taken()) {
            out.v = judge_deadlock(run, e.message);
            if (e.result != controlled::verdict::deadlock) {
                // Spinning or running on where every thread should be blocked: a fault of the
                // channel's even when the program deadlocked by itself (it burns a core for good).
                if (out.v.program_deadlock)
                    out.v = {.failed = true, .kind = "", .message = "the program waits forever (its own deadlock), and the channel keeps running "
                                                        "instead of blocking\n" + e.message};
                out.v.kind = controlled::failure_kind(e);
            }
        } else {
            out.v = {.failed = true, .kind = controlled::failure_kind(e), .message = e.message};
        }
        if (out.v.failed) out.v.message += "\n  (controlled execution, " + std::to_string(e.steps) + " scheduling points)";
    }
    if (out.v.failed && snapshot.taken()) out.events = run.history();
    return out;
}

template <class A>
subject controlled_subject() {
    return {caps_of<A>(), &run_controlled<A>, &controlled::with_source_lines};
}

// Property `name` over adapter A (counted messages) under controlled scheduling.
template <class A>
property_spec controlled_property(const std::string& name) {
    property_spec p{.name = name, .kind = harness::channel_traits<A, counted>::kind, .subjects = {controlled_subject<A>()}};
    p.controlled = true;
    // A case forks an execution (milliseconds): fewer of them than sched_sync's fibers run.
    p.budget = case_budget{.quick = 500, .full = 5000};
    // Short random-walk lists (a seeded tail goes on): a program's executions take tens of
    // decisions, and each byte RapidCheck tries to take out costs a fork.
    p.schedules = schedule_shape{.choices = 48, .change_points = 200};
    p.shrink_seconds = 60;
    return p;
}

// A plain adapter A<T> under controlled scheduling as property "<name>" (any generated
// program, deadlocks judged) and on real threads as "<name>.real_threads".
template <template <class> class A>
int controlled_adapter_properties_main(int argc, char** argv) {
    using adapted = A<counted>;
    check_adapter<adapted>();
    const std::string name = adapted::name;
    std::vector<property_spec> props{controlled_property<adapted>(name), real_threads_property<adapted>(name + ".real_threads")};
    return properties_main(argc, argv, std::move(props),
                           "Property tests of " + name + " through its chancheck adapter, under controlled scheduling and on real threads.",
                           "adapter");
}

}  // namespace chancheck::props
