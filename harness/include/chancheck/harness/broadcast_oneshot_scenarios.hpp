// chancheck/harness/broadcast_oneshot_scenarios.hpp — scenarios over broadcast and oneshot
// channels of the concept (channel.hpp), written once for every engine (see
// recorded_scenario.hpp for the shape of a scenario).
//
//   broadcast_lagging_receiver  a receiver subscribed before the sends lags by exactly what it
//                               missed; another races the producer; received + Σ Lagged == sent
//   broadcast_fanout            two blocked subscribers must both wake for each send (the
//                               acknowledgements make a receiver left asleep a deadlock)
//   oneshot_concurrent_drop     the receiver looks once and goes while the sender sends or goes
//   oneshot_reply               a reply waited for with recv_timeout, then recv
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "chancheck/harness/recorded_scenario.hpp"

namespace chancheck::harness {

// One producer sends `capacity + size` messages (more than the channel retains) and drops its
// sender, then drains a receiver it subscribed before the first send: that one surely lags,
// by exactly `size`. Another thread receives until Closed, racing the producer, and may lag
// anywhere. For each receiver: messages in order, received + Σ Lagged == sent, Closed last.
template <class A>
struct broadcast_lagging_receiver : recorded_scenario<A, 2> {
    using base = recorded_scenario<A, 2>;
    static constexpr const char* name = "broadcast_lagging_receiver";
    static constexpr std::size_t model_size = 1;  // messages per producer under a model checker
    static constexpr channel_kind kind = channel_kind::broadcast;
    static constexpr bool fits = channel_traits<A, counted>::kind == channel_kind::broadcast && has_subscribe<A>;
    static bool applies(std::optional<std::size_t> capacity) { return capacity && *capacity >= 1; }

    broadcast_lagging_receiver(std::optional<std::size_t> capacity, std::size_t size)
        : base(capacity, size), sent_(*capacity + size) {
        auto pair = this->open();
        tx_.emplace(std::move(pair.first));
        racing_rx_.emplace(std::move(pair.second));
        if constexpr (has_subscribe<A>) late_rx_.emplace(tx_->subscribe());
    }
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < sent_; ++k) this->send(0, *tx_, encode(0, static_cast<std::int64_t>(k)));
            this->drop(0, op_kind::drop_sender, tx_);
            this->recv_all(0, *late_rx_);
        } else {
            this->recv_all(1, *racing_rx_);
        }
    }
    void drop_handles() override {
        tx_.reset();
        racing_rx_.reset();
        late_rx_.reset();
    }

protected:
    violations check(const history& h) const override {
        violations out = broadcast_accounting(h, sent_);
        append(out, broadcast_positions(h, static_cast<std::int64_t>(sent_)));
        // The late receiver's first receive comes after every send: Lagged(sent - capacity).
        const std::size_t capacity = *this->capacity_;
        for (const event& e : h) {
            if (e.thread != 0 || e.kind != op_kind::recv) continue;
            if (e.result != op_result::lagged || e.skipped != sent_ - capacity)
                out.push_back({violation_kind::lag_accounting, "the late receiver's first receive should be Lagged(" +
                                                                   std::to_string(sent_ - capacity) + "): " + describe(e)});
            break;
        }
        return out;
    }

private:
    std::size_t sent_;
    std::optional<typename A::sender> tx_;
    std::optional<typename A::receiver> racing_rx_;
    std::optional<typename A::receiver> late_rx_;
};

// One sender, two subscribers that block together. Nothing lags (the capacity is raised to
// hold every message), so each send must wake *every* blocked receiver. Each receiver
// acknowledges every message on a second broadcast channel and the producer waits for both
// acknowledgements before going on, so a receiver left asleep is not rescued by a later send
// or by the final Closed: a wake-one bug becomes a deadlock.
template <class A>
struct broadcast_fanout : recorded_scenario<A, 3> {
    using base = recorded_scenario<A, 3>;
    static constexpr const char* name = "broadcast_fanout";
    static constexpr std::size_t model_size = 2;  // messages per producer under a model checker
    static constexpr channel_kind kind = channel_kind::broadcast;
    static constexpr bool fits = broadcast_lagging_receiver<A>::fits;
    static bool applies(std::optional<std::size_t> capacity) { return capacity && *capacity >= 1; }

    broadcast_fanout(std::optional<std::size_t> capacity, std::size_t size)
        : base(std::max<std::size_t>(capacity.value_or(1), size), size) {
        auto pair = this->open();
        tx_.emplace(std::move(pair.first));
        rx_[0].emplace(std::move(pair.second));
        // Acknowledgements: room for both receivers' acks of every message.
        auto acks = A::open(2 * size);
        ack_tx_[0].emplace(std::move(acks.first));
        ack_rx_.emplace(std::move(acks.second));
        if constexpr (has_subscribe<A>) {
            rx_[1].emplace(tx_->subscribe());
            ack_tx_[1].emplace(*ack_tx_[0]);
        }
    }
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < this->size_; ++k) {
                this->send(0, *tx_, encode(0, static_cast<std::int64_t>(k)));
                for (int n = 0; n < 2; ++n) (void)ack_rx_->recv();  // both subscribers got it
            }
            this->drop(0, op_kind::drop_sender, tx_);
        } else {
            auto& rx = *rx_[i - 1];
            auto& ack = *ack_tx_[i - 1];
            while (this->recv(i, rx) != op_result::disconnected) {
                counted a(-1, acks_);  // acknowledgements are counted apart: they are not the scenario's messages
                (void)ack.send(a);
            }
        }
    }
    void drop_handles() override {
        tx_.reset();
        rx_[0].reset();
        rx_[1].reset();
        ack_tx_[0].reset();
        ack_tx_[1].reset();
        ack_rx_.reset();
    }

protected:
    violations check(const history& h) const override {
        violations out = broadcast_accounting(h, this->size_);
        append(out, broadcast_positions(h, static_cast<std::int64_t>(this->size_)));
        append(out, destruction_balance(acks_.constructed.load(), acks_.destroyed.load()));
        return out;
    }

private:
    std::optional<typename A::sender> tx_;
    std::optional<typename A::receiver> rx_[2];
    std::optional<typename A::sender> ack_tx_[2];
    std::optional<typename A::receiver> ack_rx_;
    message_counters acks_;
};

// `size` rounds, each on its own oneshot channel, all opened up front. Thread 0 is the
// sending side: in even rounds it sends the round's value encode(0, round), in odd rounds it
// drops the sender unsent. A receive that gets nothing records the round's value as its key.
template <class A>
class oneshot_rounds : public recorded_scenario<A, 2> {
public:
    using base = recorded_scenario<A, 2>;
    static constexpr channel_kind kind = channel_kind::oneshot;
    static bool applies(std::optional<std::size_t>) { return true; }

    oneshot_rounds(std::optional<std::size_t> capacity, std::size_t size) : base(capacity, size) {
        tx_.reserve(size);
        rx_.reserve(size);
        for (std::size_t k = 0; k < size; ++k) {
            auto pair = this->open();
            tx_.emplace_back(std::move(pair.first));
            rx_.emplace_back(std::move(pair.second));
        }
    }
    void drop_handles() override {
        for (auto& tx : tx_) tx.reset();
        for (auto& rx : rx_) rx.reset();
    }
    // Thread 0 is the sending side; thread 1 receives each round in the scenario's way.
    void run_thread(unsigned i) {
        if (i == 0) {
            sending_side(0);
        } else {
            for (std::size_t k = 0; k < this->size_; ++k) receive_round(k);
        }
    }

protected:
    static std::int64_t value_of_round(std::size_t round) { return encode(0, static_cast<std::int64_t>(round)); }
    // Thread 1's receive of round k (its receiver is rx_[k]).
    virtual void receive_round(std::size_t k) = 0;

    void sending_side(unsigned thread) {
        for (std::size_t k = 0; k < this->size_; ++k) {
            if (k % 2 == 0) {
                this->send(thread, *tx_[k], value_of_round(k));
                tx_[k].reset();  // a oneshot sender is spent after its send
            } else {
                this->drop(thread, op_kind::drop_sender, tx_[k]);
            }
        }
    }

    plain_vector<std::optional<typename A::sender>> tx_;
    plain_vector<std::optional<typename A::receiver>> rx_;
};

// The receiver of each round looks once (try_recv) and is dropped while the sending side
// sends or drops its sender: a send that loses the race hands its value back, a value sent
// before the receiver went is destroyed with the channel — exactly once, whoever goes last.
template <class A>
struct oneshot_concurrent_drop : oneshot_rounds<A> {
    static constexpr const char* name = "oneshot_concurrent_drop";
    static constexpr std::size_t model_size = 2;  // messages per producer under a model checker
    static constexpr bool fits = channel_traits<A, counted>::kind == channel_kind::oneshot && has_try_recv<A, counted>;
    using oneshot_rounds<A>::oneshot_rounds;

protected:
    void receive_round(std::size_t k) override {
        this->recv(1, *this->rx_[k], op_code::try_recv, this->value_of_round(k));
        this->drop(1, op_kind::drop_receiver, this->rx_[k]);
    }

    violations check(const history& h) const override {
        return exactly_once(h);  // receivers drop: checks returned values, duplicates, unknowns
    }
};

// Request/reply: the receiver of each round waits with recv_timeout, then (on timeout) with
// recv. A sent reply is received, never lost to the timeout; a sender dropped unsent gives
// Disconnected, never a value and never a hang.
template <class A>
struct oneshot_reply : oneshot_rounds<A> {
    static constexpr const char* name = "oneshot_reply";
    static constexpr std::size_t model_size = 2;  // messages per producer under a model checker
    static constexpr bool fits = channel_traits<A, counted>::kind == channel_kind::oneshot && has_recv_timeout<A, counted>;
    using oneshot_rounds<A>::oneshot_rounds;

protected:
    void receive_round(std::size_t k) override {
        const std::int64_t key = this->value_of_round(k);
        if (this->recv(1, *this->rx_[k], op_code::recv_timeout, key) == op_result::timeout)
            this->recv(1, *this->rx_[k], op_code::recv, key);
    }

    violations check(const history& h) const override {
        violations out = exactly_once(h);
        append(out, disconnect_after_drain_per_channel(h, [](const event& e) { return e.value; }));
        return out;
    }
};

}  // namespace chancheck::harness
