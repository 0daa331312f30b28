// property_tests/concurrent/runner.hpp — runs a generated program over any Sync policy and
// records what every operation did.
//
// `program_run<Sync, Family>` opens the program's channels, hands each thread the handles the
// program gives it (clones and subscriptions happen before any thread starts), and runs one
// thread's operation list per call of run_thread(t). Every operation is recorded in the
// thread's harness::recorder with its channel, so the oracles and the linearizability
// checker judge the run; a thread drops the handles it still holds when its list ends.
//
// A Family adapts one channel kind (mpsc, mpmc, broadcast, oneshot) to the runner: its
// handle types, how to open a channel and give out more handles, and how each operation maps
// onto that kind's API and results.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chancheck/broadcast.hpp"
#include "chancheck/harness/recorder.hpp"
#include "chancheck/mpmc.hpp"
#include "chancheck/mpsc.hpp"
#include "chancheck/oneshot.hpp"
#include "chancheck/select.hpp"
#include "chancheck/sync/sched/scheduler.hpp"
#include "program.hpp"

namespace chancheck::props {

using harness::counted;
using harness::event;
using harness::op_kind;
using harness::op_result;

// Timeout of send_timeout / recv_timeout. Under sched_sync only the schedule decides when a
// timed wait times out; on real threads it is real time.
inline constexpr std::chrono::milliseconds op_timeout{1};

template <class Sync>
struct mpsc_family {
    using sender = mpsc::sender<counted, Sync>;
    using receiver = mpsc::receiver<counted, Sync>;
    static std::pair<sender, receiver> open(const program& p) {
        return p.capacity ? mpsc::sync_channel<counted, Sync>(*p.capacity, p.impl) : mpsc::channel<counted, Sync>(p.impl);
    }
    static sender more_senders(const sender& tx) { return tx; }
    static receiver more_receivers(const sender&, const receiver&) { throw std::logic_error("mpsc has one receiver"); }
};

template <class Sync>
struct mpmc_family {
    using sender = mpmc::sender<counted, Sync>;
    using receiver = mpmc::receiver<counted, Sync>;
    static std::pair<sender, receiver> open(const program& p) {
        return p.capacity ? mpmc::bounded<counted, Sync>(*p.capacity, p.impl) : mpmc::unbounded<counted, Sync>(p.impl);
    }
    static sender more_senders(const sender& tx) { return tx; }
    static receiver more_receivers(const sender&, const receiver& rx) { return rx; }
};

template <class Sync>
struct broadcast_family {
    using sender = broadcast::sender<counted, Sync>;
    using receiver = broadcast::receiver<counted, Sync>;
    static std::pair<sender, receiver> open(const program& p) { return broadcast::channel<counted, Sync>(*p.capacity, p.impl); }
    static sender more_senders(const sender& tx) { return tx; }
    static receiver more_receivers(const sender& tx, const receiver&) { return tx.subscribe(); }
};

template <class Sync>
struct oneshot_family {
    using sender = oneshot::sender<counted, Sync>;
    using receiver = oneshot::receiver<counted, Sync>;
    static std::pair<sender, receiver> open(const program& p) { return oneshot::channel<counted, Sync>(p.impl); }
    static sender more_senders(const sender&) { throw std::logic_error("a oneshot has one sender"); }
    static receiver more_receivers(const sender&, const receiver&) { throw std::logic_error("a oneshot has one receiver"); }
};

template <class Sync, class Family>
class program_run {
public:
    using sender = typename Family::sender;
    using receiver = typename Family::receiver;

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
            auto [tx, rx] = Family::open(p);
            // Receivers first: a broadcast subscription made from a sender joins at its tail.
            bool original_rx_used = false;
            for (unsigned t = 0; t < n; ++t) {
                if (!p.threads[t].receiver[c]) continue;
                if (!original_rx_used) receivers_[t][c].emplace(std::move(rx)), original_rx_used = true;
                else receivers_[t][c].emplace(Family::more_receivers(tx, *receivers_[first_receiver(c)][c]));
            }
            bool original_tx_used = false;
            for (unsigned t = 0; t < n; ++t) {
                if (!p.threads[t].sender[c]) continue;
                if (!original_tx_used) senders_[t][c].emplace(std::move(tx)), original_tx_used = true;
                else senders_[t][c].emplace(Family::more_senders(*senders_[first_sender(c)][c]));
            }
            // Handles nobody was given go now (a channel may start with no receiver at all).
            if (!original_tx_used) { sender gone(std::move(tx)); }
            if (!original_rx_used) { receiver gone(std::move(rx)); }
        }
    }

    std::vector<std::function<void()>> bodies() {
        std::vector<std::function<void()>> out;
        for (unsigned t = 0; t < p_.threads.size(); ++t) out.push_back([this, t] { run_thread(t); });
        return out;
    }

    void run_thread(unsigned t) {
        const auto& ops = p_.threads[t].ops;
        for (std::size_t i = 0; i < ops.size(); ++i) {
            pending_[t] = static_cast<int>(i);
            if (auto* s = sched::scheduler::active(); s != nullptr)
                s->set_activity("op " + std::to_string(i) + ": " + to_string(ops[i].code) + "@" + std::to_string(ops[i].channel));
            execute(t, ops[i]);
            pending_[t] = -1;
        }
        for (unsigned c = 0; c < p_.channels; ++c) {
            if (senders_[t][c]) drop(t, c, op_kind::drop_sender, senders_[t][c]);
            if (receivers_[t][c]) drop(t, c, op_kind::drop_receiver, receivers_[t][c]);
        }
        finished_[t] = true;
    }

    harness::history history() const { return harness::merge(recorders_); }
    const harness::message_counters& counters() const { return counters_; }
    const program& prog() const { return p_; }
    int pending(unsigned t) const { return pending_[t]; }
    bool finished(unsigned t) const { return finished_[t]; }
    bool holds_sender(unsigned t, unsigned c) const { return senders_[t][c].has_value() && senders_[t][c]->valid(); }
    bool holds_receiver(unsigned t, unsigned c) const { return receivers_[t][c].has_value() && receivers_[t][c]->valid(); }

private:
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

    template <class Handle>
    void drop(unsigned t, unsigned c, op_kind kind, std::optional<Handle>& h) {
        recorders_[t].record(kind, 0, [&](event& e) {
            e.channel = c;
            h.reset();
        });
    }

    void execute(unsigned t, const op& o) {
        const unsigned c = o.channel;
        switch (o.code) {
            case op_code::send:
            case op_code::try_send:
            case op_code::send_timeout: {
                if (!senders_[t][c] || !senders_[t][c]->valid()) return;  // dropped or spent: nothing to do
                const std::int64_t value = harness::encode(t, send_count_[t]++);
                recorders_[t].record(op_kind::send, value, [&](event& e) {
                    e.channel = c;
                    do_send(*senders_[t][c], o.code, counted(value, counters_), e);
                });
                if (p_.kind == channel_kind::oneshot) senders_[t][c].reset();  // a oneshot sender is spent
                return;
            }
            case op_code::recv:
            case op_code::try_recv:
            case op_code::recv_timeout: {
                if (!receivers_[t][c]) return;
                recorders_[t].record(op_kind::recv, 0, [&](event& e) {
                    e.channel = c;
                    do_recv(*receivers_[t][c], o.code, e);
                });
                return;
            }
            case op_code::select_recv: select_recv(t); return;
            case op_code::drop_sender:
                if (senders_[t][c]) drop(t, c, op_kind::drop_sender, senders_[t][c]);
                return;
            case op_code::drop_receiver:
                if (receivers_[t][c]) drop(t, c, op_kind::drop_receiver, receivers_[t][c]);
                return;
        }
    }

    void do_send(sender& tx, op_code code, counted msg, event& e) {
        if constexpr (std::is_same_v<Family, broadcast_family<Sync>> || std::is_same_v<Family, oneshot_family<Sync>>) {
            auto r = tx.send(std::move(msg));
            if (!r) e.result = op_result::disconnected, e.returned = r.error().value.value();
        } else if (code == op_code::send) {
            auto r = tx.send(std::move(msg));
            if (!r) e.result = op_result::disconnected, e.returned = r.error().value.value();
        } else if (code == op_code::try_send) {
            auto r = tx.try_send(std::move(msg));
            if (!r) {
                e.result = r.error().is_full() ? op_result::full : op_result::disconnected;
                e.returned = r.error().value.value();
            }
        } else {
            auto r = tx.send_timeout(std::move(msg), op_timeout);
            if (!r) {
                e.result = r.error().is_timeout() ? op_result::timeout : op_result::disconnected;
                e.returned = r.error().value.value();
            }
        }
    }

    void do_recv(receiver& rx, op_code code, event& e) {
        if constexpr (std::is_same_v<Family, broadcast_family<Sync>>) {
            auto r = code == op_code::recv ? rx.recv() : code == op_code::try_recv ? rx.try_recv() : rx.recv_timeout(op_timeout);
            if (r) {
                e.value = r.value().value();
                return;
            }
            switch (r.error().status) {
                case broadcast::recv_status::empty: e.result = op_result::empty; break;
                case broadcast::recv_status::timeout: e.result = op_result::timeout; break;
                case broadcast::recv_status::lagged: e.result = op_result::lagged, e.skipped = r.error().skipped; break;
                case broadcast::recv_status::closed: e.result = op_result::disconnected; break;
            }
        } else if (code == op_code::recv) {
            auto r = rx.recv();
            if (r) e.value = r.value().value();
            else e.result = op_result::disconnected;
        } else if (code == op_code::try_recv) {
            auto r = rx.try_recv();
            if (r) e.value = r.value().value();
            else e.result = r.error() == try_recv_error::empty ? op_result::empty : op_result::disconnected;
        } else {
            auto r = rx.recv_timeout(op_timeout);
            if (r) e.value = r.value().value();
            else e.result = r.error() == recv_timeout_error::timeout ? op_result::timeout : op_result::disconnected;
        }
    }

    // A blocking select over the receivers the thread still holds; the completed arm is
    // recorded as one receive on its channel (Disconnected for a disconnected arm).
    void select_recv(unsigned t) {
        if constexpr (std::is_same_v<Family, mpsc_family<Sync>> || std::is_same_v<Family, mpmc_family<Sync>>) {
            std::vector<unsigned> arms;
            for (unsigned c = 0; c < p_.channels; ++c)
                if (receivers_[t][c]) arms.push_back(c);
            if (arms.empty()) return;
            recorders_[t].record(op_kind::recv, 0, [&](event& e) {
                basic_select<Sync> sel;
                std::vector<std::size_t> index;
                for (unsigned c : arms) index.push_back(sel.recv(*receivers_[t][c]));
                auto chosen = sel.select();
                unsigned c = arms[0];
                for (std::size_t i = 0; i < arms.size(); ++i)
                    if (index[i] == chosen.index()) c = arms[i];
                e.channel = c;
                auto r = chosen.recv(*receivers_[t][c]);
                if (r) e.value = r.value().value();
                else e.result = op_result::disconnected;
            });
        }
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

// Calls f.template operator()<Family>() with the family of p's kind.
template <class Sync, class F>
decltype(auto) with_family(channel_kind k, F&& f) {
    switch (k) {
        case channel_kind::mpsc: return f.template operator()<mpsc_family<Sync>>();
        case channel_kind::mpmc: return f.template operator()<mpmc_family<Sync>>();
        case channel_kind::broadcast: return f.template operator()<broadcast_family<Sync>>();
        case channel_kind::oneshot: break;
    }
    return f.template operator()<oneshot_family<Sync>>();
}

}  // namespace chancheck::props
