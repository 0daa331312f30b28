// chancheck/stress/rigs.hpp — one channel's handles for P producers and C consumers, over
// any channel of the concept (harness/channel.hpp).
//
// The workloads (workloads.hpp) are written once against this small surface; a rig owns every
// handle of one channel topology and gives producer p and consumer c their own:
//   send(p, value, tally) -> bool     a counted message; a failure checks the value handed back
//   recv(c) -> received               a message, Lagged(n) or Disconnected
//   len(p) -> optional<size_t>        for the capacity bound, where the channel has len()
//   drop_producer(p), drop_consumer(c)
// Rigs: channel_rig<A> (one channel: senders copied to every producer, receivers copied to
// every consumer, subscribed for broadcast, or owned by the one consumer), select_rig<A> (one
// channel per producer, one consumer selecting over the open ones: A must have select_recv),
// and stuck_rig (a channel that never delivers: the watchdog's own test subject).
#pragma once

#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "chancheck/harness/channel.hpp"
#include "chancheck/harness/recorder.hpp"
#include "chancheck/harness/stream_checks.hpp"

namespace chancheck::stress {

using harness::counted;
using harness::message_counters;
using harness::producer_tally;

struct rig_shape {
    unsigned producers = 1;
    unsigned consumers = 1;
    std::optional<std::size_t> capacity;  // nullopt: unbounded
};

struct received {
    enum class status { message, lagged, disconnected } what = status::disconnected;
    std::int64_t value = -1;
    std::uint64_t skipped = 0;

    static received from(const harness::received<counted>& r) {
        if (r.status == harness::op_result::ok && r.value) return {status::message, r.value->value(), 0};
        if (r.status == harness::op_result::lagged) return {status::lagged, -1, r.skipped};
        return {};
    }
};

// One send through the concept: a failed send keeps its value, which must be the one sent.
template <class Sender>
bool send_counted(Sender& tx, std::int64_t value, message_counters& counters, producer_tally& tally) {
    counted message(value, counters);
    if (tx.send(message)) return true;
    tally.check_returned(value, message.value());
    return false;
}

// One channel: the sender copied to every producer, the receivers given to the consumers.
template <class A>
class channel_rig {
public:
    using traits = harness::channel_traits<A, counted>;
    static constexpr harness::stream_semantics semantics =
        traits::kind == harness::channel_kind::broadcast ? harness::stream_semantics::broadcast : harness::stream_semantics::queue;

    channel_rig(const rig_shape& shape, message_counters& counters) : shape_(shape), counters_(counters) {
        auto [tx, rx] = A::open(shape.capacity);
        // Consumers first: a broadcast subscription joins at the tail, before any send.
        for (unsigned c = 1; c < shape.consumers; ++c) {
            if constexpr (harness::has_subscribe<A>) rx_.emplace_back(tx.subscribe());
            else if constexpr (std::copy_constructible<typename A::receiver>) rx_.emplace_back(rx);
        }
        rx_.emplace_back(std::move(rx));
        for (unsigned p = 1; p < shape.producers; ++p) {
            if constexpr (std::copy_constructible<typename A::sender>) tx_.emplace_back(tx);
        }
        tx_.emplace_back(std::move(tx));
    }

    bool send(unsigned p, std::int64_t value, producer_tally& tally) { return send_counted(*tx_[p], value, counters_, tally); }
    // A send that may give up (timed_send): send_timeout with a short deadline, else try_send.
    // A value it gives up on must come back intact.
    harness::op_result send_timed(unsigned p, std::int64_t value, producer_tally& tally) {
        using ops = harness::channel_ops<A>;
        counted message(value, counters_);
        const harness::op_result r = ops::send_once(*tx_[p], ops::giving_up_send(), message, std::chrono::microseconds(100));
        if (r != harness::op_result::ok) tally.check_returned(value, message.value());
        return r;
    }
    received recv(unsigned c) { return received::from(harness::channel_ops<A>::normalize(rx_[c]->recv())); }
    std::optional<std::size_t> len(unsigned p) const {
        if constexpr (harness::has_len<A>) {
            if (shape_.capacity) return std::optional<std::size_t>(tx_[p]->len());
        }
        return std::nullopt;  // unbounded: nothing to bound; a broadcast backlog is not a bound
    }
    void drop_producer(unsigned p) { tx_[p].reset(); }
    void drop_consumer(unsigned c) { rx_[c].reset(); }

private:
    rig_shape shape_;
    message_counters& counters_;
    std::vector<std::optional<typename A::sender>> tx_;
    std::vector<std::optional<typename A::receiver>> rx_;
};

// Producer p owns channel p; the one consumer selects over every channel still open and
// completes the chosen arm. Disconnected arms leave the select; all gone is Disconnected.
template <class A>
class select_rig {
public:
    static constexpr harness::stream_semantics semantics = harness::stream_semantics::queue;
    select_rig(const rig_shape& shape, message_counters& counters) : shape_(shape), counters_(counters) {
        for (unsigned p = 0; p < shape.producers; ++p) {
            auto [tx, rx] = A::open(shape.capacity);
            tx_.emplace_back(std::move(tx));
            rx_.emplace_back(std::move(rx));
        }
    }

    bool send(unsigned p, std::int64_t value, producer_tally& tally) { return send_counted(*tx_[p], value, counters_, tally); }
    received recv(unsigned) {
        if constexpr (harness::has_select<A, counted>) {
            for (;;) {
                std::vector<typename A::receiver*> arms;
                std::vector<unsigned> channel_of;  // arm index -> channel
                for (unsigned p = 0; p < rx_.size(); ++p)
                    if (rx_[p]) arms.push_back(&*rx_[p]), channel_of.push_back(p);
                if (arms.empty()) return {};
                harness::selected<counted> s = A::select_recv(arms);
                if (s.got.status == harness::op_result::ok) return received::from(s.got);
                rx_[channel_of[s.index]].reset();  // this producer is gone and its channel drained
            }
        }
        return {};
    }
    std::optional<std::size_t> len(unsigned p) const {
        if constexpr (harness::has_len<A>) {
            if (shape_.capacity) return std::optional<std::size_t>(tx_[p]->len());
        }
        return std::nullopt;
    }
    void drop_producer(unsigned p) { tx_[p].reset(); }
    void drop_consumer(unsigned) {
        for (auto& rx : rx_) rx.reset();
    }

private:
    rig_shape shape_;
    message_counters& counters_;
    std::vector<std::optional<typename A::sender>> tx_;
    std::vector<std::optional<typename A::receiver>> rx_;
};

// A deliberately broken channel: sends are kept; consumer 0's receive waits for a condition
// that never becomes true (a deadlock), every other consumer's receive reports Lagged(1) at
// once, forever (a livelock: it returns, but nothing moves). Only the watchdog can end a run
// on it.
class stuck_rig {
public:
    static constexpr harness::stream_semantics semantics = harness::stream_semantics::queue;
    stuck_rig(const rig_shape&, message_counters& counters) : counters_(counters) {}

    bool send(unsigned, std::int64_t value, producer_tally&) {
        std::lock_guard<std::mutex> lock(mutex_);
        kept_.emplace_back(value, counters_);
        return true;
    }
    received recv(unsigned c) {
        if (c > 0) {
            std::this_thread::yield();
            return {received::status::lagged, -1, 1};
        }
        std::unique_lock<std::mutex> lock(mutex_);
        never_.wait(lock, [] { return false; });
        return {};
    }
    std::optional<std::size_t> len(unsigned) const { return std::nullopt; }
    void drop_producer(unsigned) {}
    void drop_consumer(unsigned) {}

private:
    message_counters& counters_;
    std::mutex mutex_;
    std::condition_variable never_;
    std::deque<counted> kept_;
};

}  // namespace chancheck::stress
