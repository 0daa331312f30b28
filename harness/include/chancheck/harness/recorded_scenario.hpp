// chancheck/harness/recorded_scenario.hpp — the machinery every harness scenario shares.
//
// One recorder per thread, counted messages, the recorded operations (send, recv, try_recv,
// recv_timeout, broadcast recv, drops) over any channel kind's handles, and the judgement:
// the scenario's own oracles (check()) plus destruction balance. Scenario families
// (mpsc_scenarios.hpp, kinds_scenarios.hpp) derive from it and add their channel handles.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "chancheck/harness/oracles.hpp"
#include "chancheck/harness/plain_allocator.hpp"
#include "chancheck/harness/recorder.hpp"
#include "chancheck/result.hpp"

namespace chancheck::harness {

// Shared machinery: one recorder per thread, counted messages, recorded operations over any
// channel kind's handles, and the judgement (the scenario's checks plus destruction balance).

template <unsigned Threads>
class recorded_scenario {
public:
    static constexpr unsigned threads = Threads;

    explicit recorded_scenario(std::size_t size) : size_(size) {
        recorders_.reserve(Threads);
        for (unsigned i = 0; i < Threads; ++i) recorders_.emplace_back(i, clock_);
    }
    recorded_scenario(const recorded_scenario&) = delete;
    recorded_scenario& operator=(const recorded_scenario&) = delete;
    virtual ~recorded_scenario() = default;

    // Drops every handle still alive, then judges the whole run.
    violations finish() {
        drop_handles();
        return judge();
    }

    // Destroys every handle the scenario still owns (channel code: inside the model).
    virtual void drop_handles() = 0;

    // Judges the recorded run; call after drop_handles().
    violations judge() {
        history_ = merge(recorders_);
        violations out = check(history_);
        const violations balance = destruction_balance(counters_.constructed.load(), counters_.destroyed.load());
        out.insert(out.end(), balance.begin(), balance.end());
        return out;
    }

    // The history judged by the last judge(), one event per line.
    std::string history_text() const {
        std::string text;
        for (const event& e : history_) text += describe(e) + "\n";
        return text;
    }

protected:
    // The scenario's oracles over the merged history (destruction balance is added by judge()).
    virtual violations check(const history& h) const = 0;

    recorder& rec(unsigned thread) { return recorders_[thread]; }

    // One blocking send of a counted message on an mpmc, oneshot or broadcast sender;
    // returns whether it succeeded (a failure records the value handed back).
    template <class Sender>
    bool send(unsigned thread, Sender& tx, std::int64_t value) {
        bool ok = true;
        rec(thread).record(op_kind::send, value, [&](event& e) {
            auto r = tx.send(counted(value, counters_));
            if (!r) {
                ok = false;
                e.result = op_result::disconnected;
                e.returned = r.error().value.value();
            }
        });
        return ok;
    }

    // One blocking receive on an mpmc or oneshot receiver; returns false on Disconnected,
    // recorded with `key` (the channel's key) as its value.
    template <class Receiver>
    bool recv(unsigned thread, Receiver& rx, std::int64_t key = 0) {
        bool got = false;
        rec(thread).record(op_kind::recv, key, [&](event& e) {
            auto r = rx.recv();
            if (r) {
                e.value = r.value().value();
                got = true;
            } else {
                e.result = op_result::disconnected;
            }
        });
        return got;
    }

    template <class Receiver>
    op_result try_recv(unsigned thread, Receiver& rx, std::int64_t key = 0) {
        op_result result = op_result::ok;
        rec(thread).record(op_kind::recv, key, [&](event& e) {
            auto r = rx.try_recv();
            if (r) e.value = r.value().value();
            else e.result = r.error() == try_recv_error::empty ? op_result::empty : op_result::disconnected;
            result = e.result;
        });
        return result;
    }

    // recv_timeout(1 ms): under Relacy the clock is frozen and the model checker chooses
    // whether (and where) the wait times out.
    template <class Receiver>
    op_result recv_timeout(unsigned thread, Receiver& rx, std::int64_t key = 0) {
        op_result result = op_result::ok;
        rec(thread).record(op_kind::recv, key, [&](event& e) {
            auto r = rx.recv_timeout(std::chrono::milliseconds(1));
            if (r) e.value = r.value().value();
            else e.result = r.error() == recv_timeout_error::timeout ? op_result::timeout : op_result::disconnected;
            result = e.result;
        });
        return result;
    }

    // One blocking receive: a message, Lagged(n) (recorded with `skipped`), or Closed
    // (recorded as disconnected).
    template <class Receiver>
    op_result broadcast_recv(unsigned thread, Receiver& rx) {
        op_result result = op_result::ok;
        this->rec(thread).record(op_kind::recv, 0, [&](event& e) {
            auto r = rx.recv();
            if (r) {
                e.value = r.value().value();
            } else if (r.error().is_lagged()) {
                e.result = op_result::lagged;
                e.skipped = r.error().skipped;
            } else {
                e.result = op_result::disconnected;
            }
            result = e.result;
        });
        return result;
    }
    // Records the drop (op_kind::drop_sender or drop_receiver), then destroys the handle.
    template <class Handle>
    void drop(unsigned thread, op_kind kind, std::optional<Handle>& handle) {
        rec(thread).mark(kind);
        handle.reset();
    }

    std::size_t size_;
    message_counters counters_;
    stamp_clock clock_;
    plain_vector<recorder> recorders_;
    history history_;
};

}  // namespace chancheck::harness
