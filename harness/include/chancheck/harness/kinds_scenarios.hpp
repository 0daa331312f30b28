// chancheck/harness/kinds_scenarios.hpp — mpmc, rendezvous, broadcast, oneshot and select
// scenarios, written once for every engine.
//
// The counterpart of mpsc_scenarios.hpp for the other channel kinds, with the same shape: a
// scenario class templated on the Sync policy, with `threads`, `name`, `channel` (the kind),
// a static `configs()` list, a constructor (config, size), `run_thread(i)`, `drop_handles()`,
// `judge()`, `finish()` and `history_text()`. `size` is the number of messages per producer
// (per channel for select, the number of channel pairs for oneshot): 1–2 for the model
// checker, thousands for real threads.
//
// Every container a scenario owns is a plain_vector (see plain_allocator.hpp): under Relacy,
// harness bookkeeping must add no scheduling choices and no model-visible memory.
//
// Several scenarios here use more than one channel. The oracles of oracles.hpp that reason
// about draining (disconnect_after_drain) assume one channel per history, so those scenarios
// split their history per channel first; to make that possible a receive that got no message
// records, in `value`, the key of the channel it waited on (see channel_key_of()).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "chancheck/broadcast.hpp"
#include "chancheck/harness/mpsc_scenarios.hpp"
#include "chancheck/harness/oracles.hpp"
#include "chancheck/harness/recorded_scenario.hpp"
#include "chancheck/harness/recorder.hpp"
#include "chancheck/mpmc.hpp"
#include "chancheck/oneshot.hpp"
#include "chancheck/select.hpp"

namespace chancheck::harness {

// ---------------------------------------------------------------------------------------
// Configurations.

// Zero-capacity channels only: the lock-free zero flavor and the locked rendezvous oracle.
inline constexpr std::array<channel_config, 2> rendezvous_config_list = {{
    {"zero", 0, implementation::lock_free},
    {"locked_rendezvous", 0, implementation::locked},
}};
inline const std::array<channel_config, 2>& rendezvous_configs() { return rendezvous_config_list; }

// Every mpmc configuration that can take part in select (the locked rendezvous cannot:
// basic_select rejects it with std::logic_error).
inline constexpr std::array<channel_config, 5> select_config_list = {{
    {"list", std::nullopt, implementation::lock_free}, {"locked_unbounded", std::nullopt, implementation::locked},
    {"array", 1, implementation::lock_free},           {"locked_bounded", 1, implementation::locked},
    {"zero", 0, implementation::lock_free},
}};
inline const std::array<channel_config, 5>& select_configs() { return select_config_list; }

struct broadcast_config {
    const char* name;
    std::size_t capacity;  // messages retained; at least 1
    implementation kind;           // lock_free: the slots flavor; locked: the monitor oracle
};

inline constexpr std::array<broadcast_config, 4> broadcast_config_list = {{
    {"slots_cap1", 1, implementation::lock_free},
    {"slots_cap2", 2, implementation::lock_free},
    {"locked_cap1", 1, implementation::locked},
    {"locked_cap2", 2, implementation::locked},
}};
inline const std::array<broadcast_config, 4>& broadcast_configs() { return broadcast_config_list; }

struct oneshot_config {
    const char* name;
    implementation kind;
};

inline constexpr std::array<oneshot_config, 2> oneshot_config_list = {{
    {"lock_free", implementation::lock_free},
    {"locked", implementation::locked},
}};
inline const std::array<oneshot_config, 2>& oneshot_configs() { return oneshot_config_list; }

// ---------------------------------------------------------------------------------------
// Checks specific to these kinds (judging only: they run outside the model).

namespace kinds_detail {

inline void append(violations& out, const violations& more) { out.insert(out.end(), more.begin(), more.end()); }

// The send and receive events of a history grouped by channel; `key_of(e)` names the channel
// of an event (for a receive that got no message, from the key it recorded in `value`).
// Drop events are left out: the per-channel histories are for disconnect_after_drain, which
// reads only sends and receives — and no scenario using them drops a receiver.
template <class KeyOf>
std::map<std::int64_t, history> split_by_channel(const history& h, KeyOf key_of) {
    std::map<std::int64_t, history> parts;
    for (const event& e : h)
        if (e.kind == op_kind::send || e.kind == op_kind::recv) parts[key_of(e)].push_back(e);
    return parts;
}

template <class KeyOf>
violations disconnect_after_drain_per_channel(const history& h, KeyOf key_of) {
    violations out;
    for (const auto& part : split_by_channel(h, key_of)) append(out, disconnect_after_drain(part.second));
    return out;
}

// A rendezvous hands each value over: a send succeeds only once a receiver took its value,
// so every successful send's value was received, by a receive that began before the send
// returned (a send returning earlier buffered the value in a zero-capacity channel).
inline violations handed_off(const history& h) {
    violations out;
    std::map<std::int64_t, const event*> taken;
    for (const event& e : h)
        if (e.kind == op_kind::recv && e.result == op_result::ok) taken.emplace(e.value, &e);
    for (const event& e : h) {
        if (e.kind != op_kind::send || e.result != op_result::ok) continue;
        const auto it = taken.find(e.value);
        if (it == taken.end())
            out.push_back({violation_kind::lost_message,
                           "a rendezvous send succeeded but no receiver took its value: " + describe(e)});
        else if (it->second->invoked > e.responded)
            out.push_back({violation_kind::capacity_exceeded,
                           "a rendezvous send returned before any receiver took its value: " + describe(e) +
                               " then " + describe(*it->second)});
    }
    return out;
}

// Broadcast receivers subscribed before the first send walk the sent sequence 0..sent-1 of
// producer 0: each message is the one at the receiver's position, Lagged(n) (n > 0) moves
// the position on by n, and Closed comes only once the position reached `sent`. Stricter than
// broadcast_accounting: a Lagged count that is off but compensated later is caught too.
inline violations broadcast_positions(const history& h, std::int64_t sent) {
    violations out;
    std::map<unsigned, std::int64_t> position;  // per receiving thread; h is in program order per thread
    for (const event& e : h) {
        if (e.kind != op_kind::recv) continue;
        std::int64_t& pos = position[e.thread];
        if (e.result == op_result::ok) {
            if (e.value != encode(0, pos))
                out.push_back({violation_kind::lag_accounting, "expected the message at position " +
                                                                   std::to_string(pos) + ": " + describe(e)});
            pos = sequence_of(e.value) + 1;
        } else if (e.result == op_result::lagged) {
            if (e.skipped == 0) out.push_back({violation_kind::lag_accounting, "Lagged(0): " + describe(e)});
            pos += static_cast<std::int64_t>(e.skipped);
        } else if (e.result == op_result::disconnected && pos != sent) {
            out.push_back({violation_kind::lag_accounting, "Closed at position " + std::to_string(pos) + " of " +
                                                               std::to_string(sent) + ": " + describe(e)});
        }
    }
    return out;
}

}  // namespace kinds_detail

// ---------------------------------------------------------------------------------------
// MPMC.

template <class Sync, unsigned Threads>
class mpmc_scenario : public recorded_scenario<Threads> {
public:
    static constexpr const char* channel = "mpmc";
    using sender = mpmc::sender<counted, Sync>;
    using receiver = mpmc::receiver<counted, Sync>;

    mpmc_scenario(const channel_config& config, std::size_t size) : recorded_scenario<Threads>(size), config_(config) {}

    // A channel of the configured capacity and flavor.
    static std::pair<sender, receiver> open(const channel_config& config) {
        return config.capacity ? mpmc::bounded<counted, Sync>(*config.capacity, config.kind)
                               : mpmc::unbounded<counted, Sync>(config.kind);
    }

protected:
    channel_config config_;
};

// Two producers and two consumers, each on its own (copied) handle. Each producer sends
// `size` messages and drops its sender; each consumer receives until Disconnected. Every
// message reaches exactly one consumer, each consumer sees each producer's messages in
// order, and Disconnected comes only once the channel is drained.
template <class Sync>
struct mpmc_two_by_two : mpmc_scenario<Sync, 4> {
    using base = mpmc_scenario<Sync, 4>;
    static constexpr const char* name = "mpmc_two_by_two";
    static const auto& configs() { return mpsc_configs(); }

    mpmc_two_by_two(const channel_config& c, std::size_t size) : base(c, size) {
        auto pair = base::open(c);
        tx_[0].emplace(pair.first);
        tx_[1].emplace(std::move(pair.first));
        rx_[0].emplace(pair.second);
        rx_[1].emplace(std::move(pair.second));
    }
    void run_thread(unsigned i) {
        if (i < 2) {
            for (std::size_t k = 0; k < this->size_; ++k) this->send(i, *tx_[i], encode(i, k));
            this->drop(i, op_kind::drop_sender, tx_[i]);
        } else {
            while (this->recv(i, *rx_[i - 2])) {
            }
        }
    }
    void drop_handles() override {
        for (auto& tx : tx_) tx.reset();
        for (auto& rx : rx_) rx.reset();
    }

protected:
    violations check(const history& h) const override {
        violations out;
        kinds_detail::append(out, exactly_once(h));
        kinds_detail::append(out, per_producer_fifo(h));
        kinds_detail::append(out, disconnect_after_drain(h));
        return out;
    }

private:
    std::array<std::optional<typename base::sender>, 2> tx_;
    std::array<std::optional<typename base::receiver>, 2> rx_;
};

// Rendezvous hand-off: the producer sends `size + 2` messages on a zero-capacity channel;
// the receiver takes `size` of them and drops its receiver. Each successful send returned
// only after a receiver took its value; the send blocked when the receiver went (and the one
// after it) fails, handing its value back; nothing is buffered, lost or leaked.
template <class Sync>
struct rendezvous_hand_off : mpmc_scenario<Sync, 2> {
    using base = mpmc_scenario<Sync, 2>;
    static constexpr const char* name = "rendezvous_hand_off";
    static const auto& configs() { return rendezvous_configs(); }

    rendezvous_hand_off(const channel_config& c, std::size_t size) : base(c, size) {
        auto pair = base::open(c);
        tx_.emplace(std::move(pair.first));
        rx_.emplace(std::move(pair.second));
    }
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < this->size_ + 2; ++k) this->send(0, *tx_, encode(0, k));
            this->drop(0, op_kind::drop_sender, tx_);
        } else {
            for (std::size_t k = 0; k < this->size_; ++k) this->recv(1, *rx_);
            this->drop(1, op_kind::drop_receiver, rx_);
        }
    }
    void drop_handles() override {
        tx_.reset();
        rx_.reset();
    }

protected:
    violations check(const history& h) const override {
        violations out;
        kinds_detail::append(out, exactly_once(h));  // the receiver drops: this checks returned values
        kinds_detail::append(out, per_producer_fifo(h));
        kinds_detail::append(out, kinds_detail::handed_off(h));
        return out;
    }

private:
    std::optional<typename base::sender> tx_;
    std::optional<typename base::receiver> rx_;
};

// ---------------------------------------------------------------------------------------
// Select.

// A producer sends `size` messages on each of two channels, alternating (channel c's k-th
// message is encode(c, k), so "producer" c in the oracles is channel c), and drops both
// senders; it races a thread that selects over a receive arm on each channel until both are
// Disconnected. With buffered channels both arms are often ready at once. The selected arm
// is always ready: its recv yields a message, or Disconnected only once that channel is
// drained (its arm is then left out of later selects). Every message is received exactly
// once, in order per channel. (One producer thread, not one per channel: with three threads
// the context-bound search over the list flavor takes many minutes.)
template <class Sync>
struct select_racing_send : mpmc_scenario<Sync, 2> {
    using base = mpmc_scenario<Sync, 2>;
    static constexpr const char* name = "select_racing_send";
    static constexpr const char* channel = "select";
    static const auto& configs() { return select_configs(); }

    select_racing_send(const channel_config& c, std::size_t size) : base(c, size) {
        for (unsigned ch = 0; ch < 2; ++ch) {
            auto pair = base::open(c);
            tx_[ch].emplace(std::move(pair.first));
            rx_[ch].emplace(std::move(pair.second));
        }
    }
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < this->size_; ++k)
                for (unsigned ch = 0; ch < 2; ++ch) this->send(0, *tx_[ch], encode(ch, k));
            for (auto& tx : tx_) this->drop(0, op_kind::drop_sender, tx);
        } else {
            select_until_both_disconnected(1);
        }
    }
    void drop_handles() override {
        for (auto& tx : tx_) tx.reset();
        for (auto& rx : rx_) rx.reset();
    }

protected:
    violations check(const history& h) const override {
        violations out;
        kinds_detail::append(out, exactly_once(h));
        kinds_detail::append(out, per_producer_fifo(h));
        kinds_detail::append(out, kinds_detail::disconnect_after_drain_per_channel(
                                      h, [](const event& e) { return std::int64_t{producer_of(e.value)}; }));
        return out;
    }

private:
    // Each iteration selects over the channels still open and completes the chosen arm; the
    // whole select + recv is one recorded receive (a Disconnected one records encode(ch, 0)).
    void select_until_both_disconnected(unsigned thread) {
        bool open[2] = {true, true};
        while (open[0] || open[1]) {
            this->rec(thread).record(op_kind::recv, 0, [&](event& e) {
                basic_select<Sync> sel;
                constexpr std::size_t no_arm = static_cast<std::size_t>(-1);
                std::size_t arm_of[2] = {no_arm, no_arm};
                for (unsigned ch = 0; ch < 2; ++ch)
                    if (open[ch]) arm_of[ch] = sel.recv(*rx_[ch]);
                auto op = sel.select();
                const unsigned ch = op.index() == arm_of[0] ? 0u : 1u;
                auto r = op.recv(*rx_[ch]);
                if (r) {
                    e.value = r.value().value();
                } else {
                    e.result = op_result::disconnected;
                    e.value = encode(ch, 0);
                    open[ch] = false;
                }
            });
        }
    }

    std::array<std::optional<typename base::sender>, 2> tx_;
    std::array<std::optional<typename base::receiver>, 2> rx_;
};

// ---------------------------------------------------------------------------------------
// Broadcast.

// One producer sends `capacity + size` messages (more than the channel retains) and drops its
// sender, then drains a receiver it subscribed before the first send: that one surely lags,
// by exactly `size`. Another thread receives until Closed, racing the producer, and may lag
// anywhere. For each receiver: messages in order, received + Σ Lagged == sent, Closed last.
template <class Sync>
struct broadcast_lagging_receiver : recorded_scenario<2> {
    using base = recorded_scenario<2>;
    static constexpr const char* name = "broadcast_lagging_receiver";
    static constexpr const char* channel = "broadcast";
    static const auto& configs() { return broadcast_configs(); }
    using sender = broadcast::sender<counted, Sync>;
    using receiver = broadcast::receiver<counted, Sync>;

    broadcast_lagging_receiver(const broadcast_config& c, std::size_t size)
        : base(size), capacity_(c.capacity), sent_(c.capacity + size) {
        auto pair = broadcast::channel<counted, Sync>(c.capacity, c.kind);
        tx_.emplace(std::move(pair.first));
        racing_rx_.emplace(std::move(pair.second));
        late_rx_.emplace(tx_->subscribe());
    }
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < sent_; ++k) this->send(0, *tx_, encode(0, k));
            this->drop(0, op_kind::drop_sender, tx_);
            drain(0, *late_rx_);
        } else {
            drain(1, *racing_rx_);
        }
    }
    void drop_handles() override {
        tx_.reset();
        racing_rx_.reset();
        late_rx_.reset();
    }

protected:
    violations check(const history& h) const override {
        violations out;
        kinds_detail::append(out, broadcast_accounting(h, sent_));
        kinds_detail::append(out, kinds_detail::broadcast_positions(h, static_cast<std::int64_t>(sent_)));
        // The late receiver's first receive comes after every send: Lagged(sent - capacity).
        for (const event& e : h) {
            if (e.thread != 0 || e.kind != op_kind::recv) continue;
            if (e.result != op_result::lagged || e.skipped != sent_ - capacity_)
                out.push_back({violation_kind::lag_accounting, "the late receiver's first receive should be Lagged(" +
                                                                   std::to_string(sent_ - capacity_) +
                                                                   "): " + describe(e)});
            break;
        }
        return out;
    }

private:
    void drain(unsigned thread, receiver& rx) {
        while (broadcast_recv(thread, rx) != op_result::disconnected) {
        }
    }

    std::size_t capacity_;
    std::size_t sent_;
    std::optional<sender> tx_;
    std::optional<receiver> racing_rx_;
    std::optional<receiver> late_rx_;
};

// ---------------------------------------------------------------------------------------
// Oneshot.

// `size` rounds, each on its own oneshot channel, all opened up front. Thread 0 is the
// sending side: in even rounds it sends the round's value encode(0, round), in odd rounds it
// drops the sender unsent. A receive that gets nothing records the round's value as its key.
template <class Sync>
class oneshot_rounds : public recorded_scenario<2> {
public:
    static constexpr const char* channel = "oneshot";
    static const auto& configs() { return oneshot_configs(); }
    using sender = oneshot::sender<counted, Sync>;
    using receiver = oneshot::receiver<counted, Sync>;

    oneshot_rounds(const oneshot_config& c, std::size_t size) : recorded_scenario<2>(size) {
        tx_.reserve(size);
        rx_.reserve(size);
        for (std::size_t k = 0; k < size; ++k) {
            auto pair = oneshot::channel<counted, Sync>(c.kind);
            tx_.emplace_back(std::move(pair.first));
            rx_.emplace_back(std::move(pair.second));
        }
    }
    void drop_handles() override {
        for (auto& tx : tx_) tx.reset();
        for (auto& rx : rx_) rx.reset();
    }

protected:
    static std::int64_t value_of_round(std::size_t round) { return encode(0, static_cast<std::int64_t>(round)); }

    void sending_side(unsigned thread) {
        for (std::size_t k = 0; k < this->size_; ++k) {
            if (k % 2 == 0) this->send(thread, *tx_[k], value_of_round(k));  // the sender is spent after it
            else this->drop(thread, op_kind::drop_sender, tx_[k]);
        }
    }

    plain_vector<std::optional<sender>> tx_;
    plain_vector<std::optional<receiver>> rx_;
};

// The receiver of each round looks once (try_recv) and is dropped while the sending side
// sends or drops its sender: a send that loses the race hands its value back, a value sent
// before the receiver went is destroyed with the channel — exactly once, whoever goes last.
template <class Sync>
struct oneshot_concurrent_drop : oneshot_rounds<Sync> {
    using base = oneshot_rounds<Sync>;
    static constexpr const char* name = "oneshot_concurrent_drop";
    using base::base;

    void run_thread(unsigned i) {
        if (i == 0) {
            this->sending_side(0);
        } else {
            for (std::size_t k = 0; k < this->size_; ++k) {
                this->try_recv(1, *this->rx_[k], base::value_of_round(k));
                this->drop(1, op_kind::drop_receiver, this->rx_[k]);
            }
        }
    }

protected:
    violations check(const history& h) const override {
        return exactly_once(h);  // receivers drop: checks returned values, duplicates, unknowns
    }
};

// Request/reply: the receiver of each round waits with recv_timeout, then (on timeout) with
// recv. A sent reply is received, never lost to the timeout; a sender dropped unsent gives
// Disconnected, never a value and never a hang.
template <class Sync>
struct oneshot_reply : oneshot_rounds<Sync> {
    using base = oneshot_rounds<Sync>;
    static constexpr const char* name = "oneshot_reply";
    using base::base;

    void run_thread(unsigned i) {
        if (i == 0) {
            this->sending_side(0);
        } else {
            for (std::size_t k = 0; k < this->size_; ++k) {
                const std::int64_t key = base::value_of_round(k);
                if (this->recv_timeout(1, *this->rx_[k], key) == op_result::timeout) this->recv(1, *this->rx_[k], key);
            }
        }
    }

protected:
    violations check(const history& h) const override {
        violations out;
        kinds_detail::append(out, exactly_once(h));
        kinds_detail::append(out, kinds_detail::disconnect_after_drain_per_channel(h, [](const event& e) { return e.value; }));
        return out;
    }
};

}  // namespace chancheck::harness
