// chancheck/harness/queue_scenarios.hpp — scenarios over the queue kinds (mpsc and mpmc
// channels of the concept, channel.hpp), written once for every engine.
//
// Each scenario says which channels it fits (`fits`: the kind and the capabilities it uses,
// known at compile time) and at which capacities it applies (`applies`), and judges its run
// with the harness oracles (oracles.hpp):
//   spsc                          a stream, then Disconnected once drained
//   two_producers                 two producers on copied senders; len()/is_empty() sampled
//   last_sender_dropped_while_receiver_blocked   the receiver must wake to Disconnected
//   receiver_dropped_while_sender_blocked        blocked sends fail, handing values back
//   recv_timeout_races_send       a timeout must not lose the message
//   try_recv_races_disconnect     Empty until something arrives, Disconnected only after it
//   ping_pong                     a hand-off where a lost wake-up is a deadlock
//   two_by_two                    MPMC: two producers, two consumers
//   rendezvous_hand_off           capacity 0: each send returns only once its value is taken
//   select_racing_send            select over two channels racing their sender
//   observers_race                len() and is_empty() racing sends and receives, judged
//                                 against the sequential specification (linearizability)
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "chancheck/harness/channel_specs.hpp"
#include "chancheck/harness/linearizability.hpp"
#include "chancheck/harness/recorded_scenario.hpp"

namespace chancheck::harness {

// The base of the scenarios below: one channel (a sender, extra senders, a receiver).
template <class A, unsigned Threads>
class queue_scenario : public recorded_scenario<A, Threads> {
public:
    using base = recorded_scenario<A, Threads>;
    using typename base::receiver;
    using typename base::sender;
    static constexpr channel_kind kind = channel_traits<A, counted>::kind;
    static constexpr bool fits = channel_traits<A, counted>::queue;
    static bool applies(std::optional<std::size_t>) { return true; }

    queue_scenario(std::optional<std::size_t> capacity, std::size_t size) : base(capacity, size) {
        auto pair = this->open();
        tx_.emplace(std::move(pair.first));
        rx_.emplace(std::move(pair.second));
    }

    void drop_handles() override {
        tx_.reset();
        extra_tx_.reset();
        rx_.reset();
    }

protected:
    violations check(const history& h) const override { return this->queue_checks(h); }

    std::optional<sender> tx_;
    std::optional<sender> extra_tx_;
    std::optional<receiver> rx_;
};

template <class A>
struct spsc : queue_scenario<A, 2> {
    static constexpr const char* name = "spsc";
    static constexpr std::size_t model_size = 2;  // messages per producer under a model checker
    using queue_scenario<A, 2>::queue_scenario;
    void run_thread(unsigned i) {
        if (i == 0) this->send_all_then_drop(0, this->tx_, 0);
        else this->recv_all(1, *this->rx_);
    }
};

// Two producers (the second on a copied sender) and one consumer; per-producer FIFO and
// exactly-once across them, and, where the channel has them, len() never above the capacity
// and is_empty() consistent with it.
template <class A>
struct two_producers : queue_scenario<A, 3> {
    static constexpr const char* name = "two_producers";
    static constexpr std::size_t model_size = 1;  // messages per producer under a model checker
    two_producers(std::optional<std::size_t> capacity, std::size_t size) : queue_scenario<A, 3>(capacity, size) {
        this->extra_tx_.emplace(*this->tx_);
    }
    void run_thread(unsigned i) {
        if (i < 2) {
            auto& tx = i == 0 ? this->tx_ : this->extra_tx_;
            for (std::size_t k = 0; k < this->size_; ++k) {
                this->send(i, *tx, encode(i, static_cast<std::int64_t>(k)));
                if constexpr (has_len<A>) channel_ops<A>::observe(this->rec(i), *tx, op_code::len);
            }
            this->drop(i, op_kind::drop_sender, tx);
        } else {
            this->recv_all(2, *this->rx_);
        }
    }
};

// The last sender sends one message and goes while the receiver is (or is about to be)
// blocked in recv: the receiver gets the message, then Disconnected — it must not stay asleep.
template <class A>
struct last_sender_dropped_while_receiver_blocked : queue_scenario<A, 2> {
    static constexpr const char* name = "last_sender_dropped_while_receiver_blocked";
    static constexpr std::size_t model_size = 1;  // messages per producer under a model checker
    using queue_scenario<A, 2>::queue_scenario;
    void run_thread(unsigned i) {
        if (i == 0) {
            this->send(0, *this->tx_, encode(0, 0));
            this->drop(0, op_kind::drop_sender, this->tx_);
        } else {
            this->recv_all(1, *this->rx_);
        }
    }
};

// The receiver takes one message and goes while the producer may be blocked on a full (or
// rendezvous) channel: blocked sends fail handing their values back, nothing leaks, and
// messages left in the channel are destroyed exactly once. The producer then drops its
// sender, racing the receiver's drop: exactly one of them must free the channel.
template <class A>
struct receiver_dropped_while_sender_blocked : queue_scenario<A, 2> {
    static constexpr const char* name = "receiver_dropped_while_sender_blocked";
    static constexpr std::size_t model_size = 1;  // messages per producer under a model checker
    using queue_scenario<A, 2>::queue_scenario;
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < this->size_ + 1; ++k) this->send(0, *this->tx_, encode(0, static_cast<std::int64_t>(k)));
            this->drop(0, op_kind::drop_sender, this->tx_);
        } else {
            this->recv(1, *this->rx_);
            this->drop(1, op_kind::drop_receiver, this->rx_);
        }
    }
};

// recv_timeout races a send: a timeout must not lose the message; the receiver then drains
// until Disconnected. Under a model checker the clock is frozen and the checker chooses
// whether (and where) the wait times out.
template <class A>
struct recv_timeout_races_send : queue_scenario<A, 2> {
    static constexpr const char* name = "recv_timeout_races_send";
    static constexpr std::size_t model_size = 1;  // messages per producer under a model checker
    static constexpr bool fits = channel_traits<A, counted>::queue && has_recv_timeout<A, counted>;
    using queue_scenario<A, 2>::queue_scenario;
    void run_thread(unsigned i) {
        if (i == 0) {
            this->send_all_then_drop(0, this->tx_, 0);
        } else {
            while (this->recv(1, *this->rx_, op_code::recv_timeout) != op_result::disconnected) {
            }
        }
    }
};

// try_recv polls while the sender sends and goes: Empty until something arrives, every
// message, then Disconnected only after the last one. (On a rendezvous channel try_recv must
// take the value of a blocked sender.)
template <class A>
struct try_recv_races_disconnect : queue_scenario<A, 2> {
    static constexpr const char* name = "try_recv_races_disconnect";
    static constexpr std::size_t model_size = 1;  // messages per producer under a model checker
    static constexpr bool fits = channel_traits<A, counted>::queue && has_try_recv<A, counted>;
    using queue_scenario<A, 2>::queue_scenario;
    void run_thread(unsigned i) {
        if (i == 0) {
            this->send_all_then_drop(0, this->tx_, 0);
        } else {
            while (this->recv(1, *this->rx_, op_code::try_recv) != op_result::disconnected) {
                // A polling loop lets the sender run (an adapter over the Sync policy says how).
                if constexpr (requires { A::yield(); }) A::yield();
            }
        }
    }
};

// Hand-off: the producer waits for a reply (on a second channel of the same capacity) before
// each next message, so neither side is ever rescued by a later message or by the final
// disconnect: a lost wake-up is a deadlock here.
template <class A>
struct ping_pong : queue_scenario<A, 2> {
    static constexpr const char* name = "ping_pong";
    static constexpr std::size_t model_size = 2;  // messages per producer under a model checker
    ping_pong(std::optional<std::size_t> capacity, std::size_t size) : queue_scenario<A, 2>(capacity, size) {
        auto pair = this->open();
        reply_tx_.emplace(std::move(pair.first));
        reply_rx_.emplace(std::move(pair.second));
    }
    void run_thread(unsigned i) {
        for (std::size_t k = 0; k < this->size_; ++k) {
            const auto seq = static_cast<std::int64_t>(k);
            if (i == 0) {
                this->send(0, *this->tx_, encode(0, seq));
                this->recv(0, *reply_rx_);
            } else {
                this->recv(1, *this->rx_);
                this->send(1, *reply_tx_, encode(1, seq));
            }
        }
    }
    void drop_handles() override {
        reply_tx_.reset();
        reply_rx_.reset();
        queue_scenario<A, 2>::drop_handles();
    }

private:
    std::optional<typename A::sender> reply_tx_;
    std::optional<typename A::receiver> reply_rx_;
};

// Two producers and two consumers, each on its own (copied) handle. Every message reaches
// exactly one consumer, each consumer sees each producer's messages in order, and
// Disconnected comes only once the channel is drained.
template <class A>
struct two_by_two : queue_scenario<A, 4> {
    static constexpr const char* name = "two_by_two";
    static constexpr std::size_t model_size = 1;  // messages per producer under a model checker
    static constexpr bool fits = channel_traits<A, counted>::queue && A::multi_consumer;
    two_by_two(std::optional<std::size_t> capacity, std::size_t size) : queue_scenario<A, 4>(capacity, size) {
        this->extra_tx_.emplace(*this->tx_);
        if constexpr (A::multi_consumer) extra_rx_.emplace(*this->rx_);
    }
    void run_thread(unsigned i) {
        if (i < 2) this->send_all_then_drop(i, i == 0 ? this->tx_ : this->extra_tx_, i);
        else this->recv_all(i, i == 2 ? *this->rx_ : *extra_rx_);
    }
    void drop_handles() override {
        extra_rx_.reset();
        queue_scenario<A, 4>::drop_handles();
    }

private:
    std::optional<typename A::receiver> extra_rx_;
};

// Rendezvous hand-off: the producer sends `size + 2` messages on a zero-capacity channel; the
// receiver takes `size` of them and drops its receiver. Each successful send returned only
// after a receiver took its value; the send blocked when the receiver went (and the one after
// it) fails, handing its value back; nothing is buffered, lost or leaked.
template <class A>
struct rendezvous_hand_off : queue_scenario<A, 2> {
    static constexpr const char* name = "rendezvous_hand_off";
    static constexpr std::size_t model_size = 1;  // messages per producer under a model checker
    static bool applies(std::optional<std::size_t> capacity) { return capacity && *capacity == 0; }
    using queue_scenario<A, 2>::queue_scenario;
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < this->size_ + 2; ++k) this->send(0, *this->tx_, encode(0, static_cast<std::int64_t>(k)));
            this->drop(0, op_kind::drop_sender, this->tx_);
        } else {
            for (std::size_t k = 0; k < this->size_; ++k) this->recv(1, *this->rx_);
            this->drop(1, op_kind::drop_receiver, this->rx_);
        }
    }

protected:
    violations check(const history& h) const override {
        violations out = exactly_once(h);  // the receiver drops: this checks returned values
        append(out, per_producer_fifo(h));
        append(out, handed_off(h));
        return out;
    }
};

// A producer sends `size` messages on each of two channels, alternating (channel c's k-th
// message is encode(c, k), so "producer" c in the oracles is channel c), and drops both
// senders; it races a thread that selects over a receive arm on each channel until both are
// Disconnected. The selected arm is always ready: its receive yields a message, or
// Disconnected only once that channel is drained (its arm then leaves later selects).
template <class A>
struct select_racing_send : recorded_scenario<A, 2> {
    using base = recorded_scenario<A, 2>;
    static constexpr const char* name = "select_racing_send";
    static constexpr std::size_t model_size = 1;  // messages per producer under a model checker
    static constexpr channel_kind kind = channel_kind::select;
    static constexpr bool fits = channel_traits<A, counted>::queue && has_select<A, counted>;
    static bool applies(std::optional<std::size_t> capacity) { return channel_traits<A, counted>::selectable(capacity); }
    select_racing_send(std::optional<std::size_t> capacity, std::size_t size) : base(capacity, size) {
        for (unsigned ch = 0; ch < 2; ++ch) {
            auto pair = this->open();
            tx_[ch].emplace(std::move(pair.first));
            rx_[ch].emplace(std::move(pair.second));
        }
    }
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < this->size_; ++k)
                for (unsigned ch = 0; ch < 2; ++ch) this->send(0, *tx_[ch], encode(ch, static_cast<std::int64_t>(k)), ch);
            for (auto& tx : tx_) this->drop(0, op_kind::drop_sender, tx);
        } else {
            // Each select over the channels still open is one recorded receive on the chosen
            // arm's channel; a Disconnected one records encode(ch, 0) as its key.
            bool open[2] = {true, true};
            while (open[0] || open[1]) {
                typename A::receiver* arms[2];
                std::uint32_t channel_of[2];
                std::size_t n = 0;
                for (unsigned ch = 0; ch < 2; ++ch)
                    if (open[ch]) arms[n] = &*rx_[ch], channel_of[n++] = ch;
                const std::size_t before = this->recorders_[1].log().size();
                const std::size_t chosen = channel_ops<A>::select(this->rec(1), std::span(arms, n), std::span(channel_of, n));
                const event& e = this->recorders_[1].log()[before];
                if (e.result == op_result::disconnected) open[channel_of[chosen]] = false;
            }
        }
    }
    void drop_handles() override {
        for (auto& tx : tx_) tx.reset();
        for (auto& rx : rx_) rx.reset();
    }

protected:
    violations check(const history& h) const override {
        violations out = exactly_once(h);
        append(out, per_producer_fifo(h));
        append(out, disconnect_after_drain_per_channel(h, [](const event& e) { return std::int64_t{e.channel}; }));
        return out;
    }

private:
    std::array<std::optional<typename A::sender>, 2> tx_;
    std::array<std::optional<typename A::receiver>, 2> rx_;
};

// The observers racing the operations: a producer sends `size` messages and goes, a consumer
// receives until Disconnected, and a third thread samples len() and is_empty() in between.
// Judged by the oracles and by the linearizability checker against the queue specification:
// every observation must be a value some moment of the run had (never above the capacity).
template <class A>
struct observers_race : queue_scenario<A, 3> {
    static constexpr const char* name = "observers_race";
    static constexpr std::size_t model_size = 1;  // messages per producer under a model checker
    static constexpr bool fits = channel_traits<A, counted>::queue && has_len<A>;
    observers_race(std::optional<std::size_t> capacity, std::size_t size) : queue_scenario<A, 3>(capacity, size) {
        this->extra_tx_.emplace(*this->tx_);
    }
    void run_thread(unsigned i) {
        if (i == 0) {
            this->send_all_then_drop(0, this->tx_, 0);
        } else if (i == 1) {
            this->recv_all(1, *this->rx_);
        } else {
            if constexpr (has_len<A>) {
                for (std::size_t k = 0; k < this->size_ + 1; ++k) {
                    channel_ops<A>::observe(this->rec(2), *this->extra_tx_, op_code::len);
                    channel_ops<A>::observe(this->rec(2), *this->extra_tx_, op_code::is_empty);
                }
            }
            this->drop(2, op_kind::drop_sender, this->extra_tx_);
        }
    }

protected:
    violations check(const history& h) const override {
        violations out = this->queue_checks(h);
        // Two senders and one receiver when the threads start.
        const lin_result lin = check_linearizable(h, queue_spec(queue_spec::config{this->capacity_, 2, 1}),
                                                  lin_options::within(std::chrono::seconds(5)));
        if (lin.verdict == lin_verdict::not_linearizable)
            out.push_back({violation_kind::not_linearizable, describe(lin, h)});
        return out;
    }
};

}  // namespace chancheck::harness
