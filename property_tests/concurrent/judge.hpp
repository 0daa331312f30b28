// property_tests/concurrent/judge.hpp — the verdict on one run of a generated program.
//
// Safety: the harness oracles per channel (exactly once, per-producer FIFO, the rendezvous
// hand-off), destruction balance of the counted messages, and the linearizability checker
// against the channel kind's sequential specification.
//
// Liveness at quiescence: a generated program may deadlock by itself (a thread waits on a
// channel whose only sender it holds), which is the program's fault, not the channel's. So
// when every thread is blocked the judge asks, for each blocked operation, whether the
// channel's state — computed from the completed operations — allows it to proceed:
//   - a receive with a message waiting, or with every sender gone        (lost wake-up / missed disconnect)
//   - a bounded send with room, or with every receiver gone
//   - a rendezvous send while a receiver waits on the same channel (and vice versa)
//   - a broadcast receive behind the tail, or with every sender gone
//   - a oneshot receive after the send completed or the sender went
//   - any thread waiting for a mutex (a lock is never held across a wait)
// If one could proceed, the deadlock is the channel's bug; otherwise the run passes as a
// program deadlock.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "chancheck/harness/channel_specs.hpp"
#include "chancheck/harness/channel_specs_broadcast.hpp"
#include "chancheck/harness/linearizability.hpp"
#include "chancheck/harness/oracles.hpp"
#include "runner.hpp"

namespace chancheck::props {

struct verdict {
    bool failed = false;
    bool program_deadlock = false;  // the program deadlocked by itself: a pass
    bool lin_unknown = false;       // the linearizability check ran out of time
    std::string kind;               // failure kind, e.g. deadlock, oracle:lost_message
    std::string message;
};

inline std::map<unsigned, harness::history> by_channel(const harness::history& h, unsigned channels) {
    std::map<unsigned, harness::history> parts;
    for (unsigned c = 0; c < channels; ++c) parts[c];
    for (const event& e : h) parts[e.channel].push_back(e);
    return parts;
}

// The linearizability checker, with each channel's specification configured by the handles
// the program hands out before its threads start.
inline harness::lin_result check_against_spec(const program& p, const harness::history& h) {
    auto spec_for = [&](std::uint32_t c) {
        unsigned senders = 0, receivers = 0;
        std::vector<unsigned> receiver_threads;
        for (unsigned t = 0; t < p.threads.size(); ++t) {
            senders += p.threads[t].sender[c] ? 1u : 0u;
            if (p.threads[t].receiver[c]) ++receivers, receiver_threads.push_back(t);
        }
        return std::pair{harness::queue_spec::config{p.capacity, senders, receivers},
                         harness::broadcast_spec::config{p.capacity.value_or(1), senders, receiver_threads}};
    };
    const auto options = harness::lin_options::within(std::chrono::seconds(2));
    switch (p.kind) {
        case channel_kind::mpsc:
        case channel_kind::mpmc:
        case channel_kind::select:
            return harness::check_linearizable(h, [&](std::uint32_t c) { return harness::queue_spec(spec_for(c).first); }, options);
        case channel_kind::broadcast:
            return harness::check_linearizable(h, [&](std::uint32_t c) { return harness::broadcast_spec(spec_for(c).second); }, options);
        case channel_kind::oneshot: break;
    }
    return harness::check_linearizable(h, harness::oneshot_spec{}, options);
}

// Safety oracles over a completed run (every thread finished and dropped its handles).
// `global_fifo` false (an adapter that orders per producer only): no linearizability check
// against one FIFO queue, and "Disconnected only once drained" is checked as an oracle.
template <class Run>
verdict judge_completed(const Run& run, bool global_fifo = true) {
    const program& p = run.prog();
    const harness::history h = run.history();
    harness::violations found;
    for (const auto& [c, part] : by_channel(h, p.channels)) {
        if (p.kind == channel_kind::broadcast) {
            // Each receiver sees each producer's messages in order; checked per receiving thread.
            std::map<unsigned, harness::history> per_receiver;
            for (const event& e : part)
                if (e.kind == op_kind::recv) per_receiver[e.thread].push_back(e);
            for (const auto& [t, mine] : per_receiver) harness::append(found, harness::per_producer_fifo(mine));
            continue;
        }
        harness::append(found, harness::exactly_once(part));
        harness::append(found, harness::per_producer_fifo(part));
        if (p.capacity) harness::append(found, harness::capacity_bound(part, p.capacity));
        if (!global_fifo) harness::append(found, harness::disconnect_after_drain(part, false));
        if (p.capacity && *p.capacity == 0 && p.kind != channel_kind::oneshot) harness::append(found, harness::handed_off(part));
    }
    harness::append(found, harness::destruction_balance(run.counters().constructed.load(), run.counters().destroyed.load()));
    verdict v;
    if (!found.empty()) {
        v.failed = true;
        v.kind = std::string("oracle:") + harness::to_string(found.front().kind);
        v.message = harness::describe(found);
        return v;
    }
    if (!global_fifo) return v;
    const harness::lin_result lin = check_against_spec(p, h);
    if (lin.verdict == harness::lin_verdict::not_linearizable) {
        v.failed = true;
        v.kind = "not_linearizable";
        v.message = harness::describe(lin, h);
    } else if (lin.verdict == harness::lin_verdict::unknown) {
        v.lin_unknown = true;  // out of time: never a pass of the check, never a failure either
    }
    return v;
}

// The deadlock judgement described in the header comment.
template <class Run>
verdict judge_deadlock(const Run& run, const std::string& scheduler_message) {
    const program& p = run.prog();
    const harness::history h = run.history();
    verdict v;
    auto bug = [&](std::string why) {
        v.failed = true;
        v.kind = "deadlock";
        v.message = why + "\n" + scheduler_message;
        return v;
    };
    // sched_sync's words and the controlled runtime's (controlled/src/scheduler.cpp: describe).
    if (scheduler_message.find("waits for a mutex") != std::string::npos || scheduler_message.find("blocked in a mutex lock") != std::string::npos)
        return bug("a thread waits for a mutex forever");

    const unsigned n = static_cast<unsigned>(p.threads.size());
    for (unsigned c = 0; c < p.channels; ++c) {
        long sent = 0, received = 0;
        std::map<unsigned, long> position;  // broadcast: messages consumed or skipped per receiver
        bool oneshot_sent = false;
        for (const event& e : h) {
            if (e.channel != c) continue;
            if (e.kind == op_kind::send && e.result == op_result::ok) ++sent, oneshot_sent = true;
            if (e.kind == op_kind::recv && e.result == op_result::ok) ++received, ++position[e.thread];
            if (e.kind == op_kind::recv && e.result == op_result::lagged) position[e.thread] += static_cast<long>(e.skipped);
        }
        bool senders_alive = false, receivers_alive = false;
        for (unsigned t = 0; t < n; ++t) {
            senders_alive = senders_alive || run.holds_sender(t, c);
            receivers_alive = receivers_alive || run.holds_receiver(t, c);
        }
        bool blocked_send = false, blocked_recv = false;
        for (unsigned t = 0; t < n; ++t) {
            if (run.finished(t) || run.pending(t) < 0) continue;
            const op& o = p.threads[t].ops[static_cast<std::size_t>(run.pending(t))];
            const bool on_c = o.code == op_code::select_recv ? run.holds_receiver(t, c) : o.channel == c;
            if (!on_c) continue;
            const std::string who = "t" + std::to_string(t) + " blocked in " + to_string(o.code) + " on channel " + std::to_string(c);
            if (o.code == op_code::recv || o.code == op_code::select_recv) {
                blocked_recv = true;
                if (!senders_alive) return bug(who + " although every sender is gone (missed disconnect)");
                if (p.kind == channel_kind::broadcast && position[t] < sent)
                    return bug(who + " although " + std::to_string(sent - position[t]) + " message(s) wait for it (lost wake-up)");
                if (p.kind == channel_kind::oneshot && oneshot_sent && received == 0)
                    return bug(who + " although the value was sent (lost wake-up)");
                if ((p.kind == channel_kind::mpsc || p.kind == channel_kind::mpmc) && sent > received)
                    return bug(who + " although " + std::to_string(sent - received) + " message(s) wait (lost wake-up)");
            } else if (o.code == op_code::send) {
                blocked_send = true;
                if (!receivers_alive) return bug(who + " although every receiver is gone (missed disconnect)");
                if (p.capacity && *p.capacity > 0 && sent - received < static_cast<long>(*p.capacity))
                    return bug(who + " although the channel has room (lost wake-up)");
            }
        }
        if (blocked_send && blocked_recv && p.capacity && *p.capacity == 0)
            return bug("a sender and a receiver wait on rendezvous channel " + std::to_string(c) + " at once (lost hand-off)");
    }
    v.program_deadlock = true;
    return v;
}

}  // namespace chancheck::props
