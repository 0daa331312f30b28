// chancheck/harness/mpsc_scenarios.hpp — mpsc scenarios, written once for every engine.
//
// A scenario owns one channel (of the configured capacity and flavor, over the Sync policy
// of the engine running it), says how many threads it needs, what thread i does, and, in
// finish(), drops what is left and judges the recorded history with the harness oracles.
// Engines are thin adapters: the Relacy models run `run_thread(i)` as Relacy threads, the
// unit tests and the stress driver run them on real threads. `size` is the number of
// messages per producer: 1–2 for the model checker, thousands for real threads.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chancheck/harness/oracles.hpp"
#include "chancheck/harness/recorded_scenario.hpp"
#include "chancheck/harness/recorder.hpp"
#include "chancheck/mpsc.hpp"

namespace chancheck::harness {

struct channel_config {
    const char* name;
    std::optional<std::size_t> capacity;  // nullopt: unbounded
    implementation kind;
};

// The channel configurations every scenario runs on: each lock-free flavor and its oracle.
inline constexpr std::array<channel_config, 6> mpsc_config_list = {{
    {"list", std::nullopt, implementation::lock_free}, {"locked_unbounded", std::nullopt, implementation::locked},
    {"array", 1, implementation::lock_free},           {"locked_bounded", 1, implementation::locked},
    {"zero", 0, implementation::lock_free},            {"locked_rendezvous", 0, implementation::locked},
}};
inline const std::array<channel_config, 6>& mpsc_configs() { return mpsc_config_list; }

// The mpsc family: the channel (a sender, optional extra senders, the receiver) over the
// shared recording machinery, judged by the mpsc oracles.
template <class Sync, unsigned Threads>
class mpsc_scenario : public recorded_scenario<Threads> {
public:
    static constexpr const char* channel = "mpsc";
    static const auto& configs() { return mpsc_configs(); }
    using sender = mpsc::sender<counted, Sync>;
    using receiver = mpsc::receiver<counted, Sync>;

    mpsc_scenario(const channel_config& config, std::size_t size) : recorded_scenario<Threads>(size), config_(config) {
        auto pair = open(config);
        tx_.emplace(std::move(pair.first));
        rx_.emplace(std::move(pair.second));
    }

    // A channel of the configured capacity and flavor.
    static std::pair<sender, receiver> open(const channel_config& config) {
        return config.capacity ? mpsc::sync_channel<counted, Sync>(*config.capacity, config.kind)
                               : mpsc::channel<counted, Sync>(config.kind);
    }

    // Scenarios owning more handles override this and call the base.
    void drop_handles() override {
        for (auto& t : extra_tx_) t.reset();
        tx_.reset();
        rx_.reset();
    }

protected:
    violations check(const history& h) const override {
        violations out;
        auto add = [&](const violations& v) { out.insert(out.end(), v.begin(), v.end()); };
        add(exactly_once(h));
        add(per_producer_fifo(h));
        add(capacity_bound(h, config_.capacity));
        add(disconnect_after_drain(h));
        return out;
    }

    // Sends `size_` messages numbered for producer `thread`, then drops the sender.
    void send_all_then_drop(unsigned thread, std::optional<sender>& tx) {
        for (std::size_t k = 0; k < this->size_; ++k) this->send(thread, *tx, encode(thread, k));
        drop_sender(thread, tx);
    }

    void recv_all(unsigned thread, receiver& rx) {
        while (this->recv(thread, rx)) {
        }
    }

    void sample_len(unsigned thread, const sender& tx) {
        this->rec(thread).record(op_kind::len_sample, 0,
                                 [&](event& e) { e.value = static_cast<std::int64_t>(tx.len()); });
    }

    void drop_sender(unsigned thread, std::optional<sender>& tx) { this->drop(thread, op_kind::drop_sender, tx); }
    void drop_receiver(unsigned thread) { this->drop(thread, op_kind::drop_receiver, rx_); }

    channel_config config_;
    std::optional<sender> tx_;
    plain_vector<std::optional<sender>> extra_tx_;
    std::optional<receiver> rx_;
};

// One producer sends `size` messages and drops its sender; the consumer receives until
// Disconnected.
template <class Sync>
struct spsc : mpsc_scenario<Sync, 2> {
    using base = mpsc_scenario<Sync, 2>;
    static constexpr const char* name = "spsc";
    using base::base;
    void run_thread(unsigned i) {
        if (i == 0) {
            this->send_all_then_drop(0, this->tx_);
        } else {
            this->recv_all(1, *this->rx_);
        }
    }
};

// Two producers (the second on a copied sender) and one consumer; per-producer FIFO and
// exactly-once across them, and len() never above the capacity.
template <class Sync>
struct mpsc_two_producers : mpsc_scenario<Sync, 3> {
    using base = mpsc_scenario<Sync, 3>;
    static constexpr const char* name = "mpsc_two_producers";
    mpsc_two_producers(const channel_config& c, std::size_t size) : base(c, size) {
        this->extra_tx_.emplace_back(*this->tx_);
    }
    void run_thread(unsigned i) {
        if (i < 2) {
            auto& tx = i == 0 ? this->tx_ : this->extra_tx_[0];
            for (std::size_t k = 0; k < this->size_; ++k) {
                this->send(i, *tx, encode(i, k));
                this->sample_len(i, *tx);
            }
            this->drop_sender(i, tx);
        } else {
            this->recv_all(2, *this->rx_);
        }
    }
};

// The last sender sends one message and goes while the receiver is (or is about to be)
// blocked in recv: the receiver gets the message, then Disconnected — it must not stay asleep.
template <class Sync>
struct last_sender_dropped_while_receiver_blocked : mpsc_scenario<Sync, 2> {
    using base = mpsc_scenario<Sync, 2>;
    static constexpr const char* name = "last_sender_dropped_while_receiver_blocked";
    using base::base;
    void run_thread(unsigned i) {
        if (i == 0) {
            this->send(0, *this->tx_, encode(0, 0));
            this->drop_sender(0, this->tx_);
        } else {
            this->recv_all(1, *this->rx_);
        }
    }
};

// The receiver takes one message and goes while the producer may be blocked on a full (or
// rendezvous) channel: blocked sends fail handing their values back, nothing leaks, and
// messages left in the channel are destroyed exactly once. The producer then drops its
// sender, racing the receiver's drop: exactly one of them must free the channel.
template <class Sync>
struct receiver_dropped_while_sender_blocked : mpsc_scenario<Sync, 2> {
    using base = mpsc_scenario<Sync, 2>;
    static constexpr const char* name = "receiver_dropped_while_sender_blocked";
    using base::base;
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < this->size_ + 1; ++k) this->send(0, *this->tx_, encode(0, k));
            this->drop_sender(0, this->tx_);
        } else {
            this->recv(1, *this->rx_);
            this->drop_receiver(1);
        }
    }
};

// recv_timeout races a send: a timeout must not lose the message; the receiver then
// drains until Disconnected.
template <class Sync>
struct recv_timeout_races_send : mpsc_scenario<Sync, 2> {
    using base = mpsc_scenario<Sync, 2>;
    static constexpr const char* name = "recv_timeout_races_send";
    using base::base;
    void run_thread(unsigned i) {
        if (i == 0) {
            this->send_all_then_drop(0, this->tx_);
        } else {
            while (this->recv_timeout(1, *this->rx_) != op_result::disconnected) {
            }
        }
    }
};

// try_recv polls while the sender sends and goes: Empty until something arrives, every
// message, then Disconnected only after the last one.
template <class Sync>
struct try_recv_races_disconnect : mpsc_scenario<Sync, 2> {
    using base = mpsc_scenario<Sync, 2>;
    static constexpr const char* name = "try_recv_races_disconnect";
    using base::base;
    void run_thread(unsigned i) {
        if (i == 0) {
            // On a rendezvous channel try_recv must take the value of a blocked sender.
            this->send_all_then_drop(0, this->tx_);
        } else {
            while (this->try_recv(1, *this->rx_) != op_result::disconnected) Sync::yield();
        }
    }
};

// Hand-off: the producer waits for a reply (on a second channel of the same configuration)
// before each next message, so neither side is ever rescued by a later message or by the
// final disconnect: a lost wake-up is a deadlock here.
template <class Sync>
struct ping_pong : mpsc_scenario<Sync, 2> {
    using base = mpsc_scenario<Sync, 2>;
    static constexpr const char* name = "ping_pong";
    ping_pong(const channel_config& c, std::size_t size) : base(c, size) {
        auto pair = base::open(c);
        reply_tx_.emplace(std::move(pair.first));
        reply_rx_.emplace(std::move(pair.second));
    }
    void run_thread(unsigned i) {
        for (std::size_t k = 0; k < this->size_; ++k) {
            if (i == 0) {
                this->send(0, *this->tx_, encode(0, k));
                this->recv(0, *reply_rx_);
            } else {
                this->recv(1, *this->rx_);
                this->send(1, *reply_tx_, encode(1, k));
            }
        }
    }
    void drop_handles() override {
        reply_tx_.reset();
        reply_rx_.reset();
        base::drop_handles();
    }

private:
    std::optional<typename base::sender> reply_tx_;
    std::optional<typename base::receiver> reply_rx_;
};

}  // namespace chancheck::harness
