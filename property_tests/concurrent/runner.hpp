// property_tests/concurrent/runner.hpp — runs a generated program on any channel of the
// concept and records what every operation did.
//
// `program_run<A>` (A: an adapter over harness::counted, harness/channel.hpp) opens the
// program's channels, hands each thread the handles the program gives it (copies and
// subscriptions happen before any thread starts), and runs one thread's operation list per
// call of run_thread(t). Every operation goes through harness::channel_ops, which records it
// with its channel, so the oracles and the linearizability checker judge the run; a thread
// drops the handles it still holds when its list ends. The same class runs under the
// deterministic scheduler (the adapter over sched_sync), on real threads, and under any
// other scheduler that runs `bodies()`.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chancheck/harness/channel.hpp"
#include "chancheck/harness/plain_allocator.hpp"
#include "chancheck/harness/recorder.hpp"
#include "chancheck/sync/sched/scheduler.hpp"
#include "program.hpp"

namespace chancheck::props {

using harness::counted;
using harness::event;
using harness::op_kind;
using harness::op_result;

template <class A>
class program_run {
public:
    using sender = typename A::sender;
    using receiver = typename A::receiver;
    using ops = harness::channel_ops<A>;

    explicit program_run(const program& p) : p_(p) {
        const std::size_t n = p.threads.size();
        recorders_.reserve(n);
        for (unsigned t = 0; t < n; ++t) recorders_.emplace_back(t, clock_);
        senders_.resize(n);
        receivers_.resize(n);
        for (auto& v : senders_) v.resize(p.channels);
        for (auto& v : receivers_) v.resize(p.channels);
        pending_.assign(n, -1);
        finished_.assign(n, false);
        send_count_.assign(n, 0);
        for (unsigned c = 0; c < p.channels; ++c) {
            auto [tx, rx] = A::open(p.capacity);
            // Receivers first: a broadcast subscription made from a sender joins at its tail.
            std::optional<receiver> original_rx(std::move(rx));
            for (unsigned t = 0; t < n; ++t) {
                if (!p.threads[t].receiver[c]) continue;
                if (original_rx) receivers_[t][c].emplace(std::move(*original_rx)), original_rx.reset();
                else receivers_[t][c].emplace(more_receivers(tx, *receivers_[first_receiver(c)][c]));
            }
            std::optional<sender> original_tx(std::move(tx));
            for (unsigned t = 0; t < n; ++t) {
                if (!p.threads[t].sender[c]) continue;
                if (original_tx) senders_[t][c].emplace(std::move(*original_tx)), original_tx.reset();
                else senders_[t][c].emplace(more_senders(*senders_[first_sender(c)][c]));
            }
            // Handles nobody was given go now (a channel may start with no receiver at all).
        }
    }

    std::vector<std::function<void()>> bodies() {
        std::vector<std::function<void()>> out;
        for (unsigned t = 0; t < p_.threads.size(); ++t) out.push_back([this, t] { run_thread(t); });
        return out;
    }

    void run_thread(unsigned t) {
        const auto& list = p_.threads[t].ops;
        for (std::size_t i = 0; i < list.size(); ++i) {
            pending_[t] = static_cast<int>(i);
            if (auto* s = sched::scheduler::active(); s != nullptr)
                s->set_activity("op " + std::to_string(i) + ": " + to_text(list[i]));
            execute(t, list[i]);
            pending_[t] = -1;
        }
        for (unsigned c = 0; c < p_.channels; ++c) {
            if (senders_[t][c]) ops::drop(recorders_[t], op_kind::drop_sender, senders_[t][c], c);
            if (receivers_[t][c]) ops::drop(recorders_[t], op_kind::drop_receiver, receivers_[t][c], c);
        }
        finished_[t] = true;
    }

    harness::history history() const { return harness::merge(recorders_); }
    const harness::message_counters& counters() const { return counters_; }
    const program& prog() const { return p_; }
    int pending(unsigned t) const { return pending_[t]; }
    bool finished(unsigned t) const { return finished_[t]; }
    bool holds_sender(unsigned t, unsigned c) const { return senders_[t][c].has_value(); }
    bool holds_receiver(unsigned t, unsigned c) const { return receivers_[t][c].has_value(); }

private:
    static receiver more_receivers(const sender& tx, const receiver& rx) {
        if constexpr (harness::has_subscribe<A>) {
            return tx.subscribe();
        } else if constexpr (std::copy_constructible<receiver>) {
            return rx;
        } else {
            throw std::logic_error(std::string(A::name) + " has one receiver");
        }
    }
    static sender more_senders(const sender& tx) {
        if constexpr (std::copy_constructible<sender>) return tx;
        else throw std::logic_error(std::string(A::name) + " has one sender");
    }

    unsigned first_receiver(unsigned c) const {
        for (unsigned t = 0; t < receivers_.size(); ++t)
            if (receivers_[t][c]) return t;
        return 0;
    }
    unsigned first_sender(unsigned c) const {
        for (unsigned t = 0; t < senders_.size(); ++t)
            if (senders_[t][c]) return t;
        return 0;
    }

    void execute(unsigned t, const op& o) {
        const unsigned c = o.channel;
        harness::recorder& rec = recorders_[t];
        switch (o.code) {
            case op_code::send:
            case op_code::try_send:
            case op_code::send_timeout:
                if (!senders_[t][c]) return;  // dropped or spent: nothing to do
                ops::send(rec, *senders_[t][c], o.code, harness::encode(t, send_count_[t]++), counters_, c);
                if (p_.kind == channel_kind::oneshot) senders_[t][c].reset();  // a oneshot sender is spent
                return;
            case op_code::recv:
            case op_code::try_recv:
            case op_code::recv_timeout:
                if (receivers_[t][c]) ops::recv(rec, *receivers_[t][c], o.code, c);
                return;
            case op_code::len:
            case op_code::is_empty:
                if (senders_[t][c]) ops::observe(rec, *senders_[t][c], o.code, c);
                return;
            case op_code::select_recv: select_recv(t); return;
            case op_code::drop_sender:
                if (senders_[t][c]) ops::drop(rec, op_kind::drop_sender, senders_[t][c], c);
                return;
            case op_code::drop_receiver:
                if (receivers_[t][c]) ops::drop(rec, op_kind::drop_receiver, receivers_[t][c], c);
                return;
        }
    }

    // A blocking select over the receivers the thread still holds, recorded as one receive
    // on the chosen arm's channel (Disconnected for a disconnected arm).
    void select_recv(unsigned t) {
        std::vector<receiver*> arms;
        std::vector<std::uint32_t> channel_of;
        for (unsigned c = 0; c < p_.channels; ++c)
            if (receivers_[t][c]) arms.push_back(&*receivers_[t][c]), channel_of.push_back(c);
        if (!arms.empty()) ops::select(recorders_[t], arms, channel_of);
    }

    program p_;
    harness::message_counters counters_;
    harness::stamp_clock clock_;
    harness::plain_vector<harness::recorder> recorders_;
    std::vector<std::vector<std::optional<sender>>> senders_;
    std::vector<std::vector<std::optional<receiver>>> receivers_;
    std::vector<int> pending_;
    std::vector<bool> finished_;
    std::vector<std::int64_t> send_count_;
};

}  // namespace chancheck::props
