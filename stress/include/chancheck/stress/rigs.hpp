// chancheck/stress/rigs.hpp — a channel kind's handles for P producers and C consumers.
//
// The workloads (workloads.hpp) are written once against this small surface; a rig owns every
// handle of one channel topology and gives producer p and consumer c their own:
//   send(p, value, tally) -> bool     a counted message; a failure checks the value handed back
//   recv(c) -> received               a message, Lagged(n) or Disconnected
//   len(p) -> optional<size_t>        for the capacity bound, where the kind has one
//   drop_producer(p), drop_consumer(c)
// Rigs: mpsc, mpmc, broadcast (subscribers join before the run), select (one channel per
// producer, one consumer selecting over the open ones) and stuck (a receive that never
// returns: the watchdog's own test subject).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "chancheck/broadcast.hpp"
#include "chancheck/harness/recorder.hpp"
#include "chancheck/harness/stream_checks.hpp"
#include "chancheck/mpmc.hpp"
#include "chancheck/mpsc.hpp"
#include "chancheck/select.hpp"

namespace chancheck::stress {

using harness::counted;
using harness::message_counters;
using harness::producer_tally;

struct rig_shape {
    unsigned producers = 1;
    unsigned consumers = 1;
    std::optional<std::size_t> capacity;  // nullopt: unbounded
    implementation kind = implementation::lock_free;
};

struct received {
    enum class status { message, lagged, disconnected } what = status::disconnected;
    std::int64_t value = -1;
    std::uint64_t skipped = 0;
};

// Shared by the queue rigs: a send that reports failure must hand back its own value.
template <class Result>
bool finish_send(const Result& r, std::int64_t value, producer_tally& tally) {
    if (r) return true;
    tally.check_returned(value, r.error().value.value());
    return false;
}

template <class Result>
received from_queue_recv(Result r) {
    if (r) return {received::status::message, r.value().value(), 0};
    return {};
}

// mpsc and mpmc: one channel, the sender copied to every producer, the receiver to every
// consumer (mpmc) or owned by the single consumer (mpsc).
template <class Sender, class Receiver>
class queue_rig {
public:
    template <class Open>
    queue_rig(const rig_shape& shape, message_counters& counters, Open open)
        : shape_(shape), counters_(counters) {
        auto [tx, rx] = open(shape);
        for (unsigned p = 1; p < shape.producers; ++p) tx_.emplace_back(tx);
        tx_.emplace_back(std::move(tx));
        if constexpr (std::is_copy_constructible_v<Receiver>)
            for (unsigned c = 1; c < shape.consumers; ++c) rx_.emplace_back(rx);
        rx_.emplace_back(std::move(rx));
    }

    bool send(unsigned p, std::int64_t value, producer_tally& tally) {
        return finish_send(tx_[p]->send(counted(value, counters_)), value, tally);
    }
    received recv(unsigned c) { return from_queue_recv(rx_[c]->recv()); }
    std::optional<std::size_t> len(unsigned p) const {
        return shape_.capacity ? std::optional<std::size_t>(tx_[p]->len()) : std::nullopt;
    }
    void drop_producer(unsigned p) { tx_[p].reset(); }
    void drop_consumer(unsigned c) { rx_[c].reset(); }

private:
    rig_shape shape_;
    message_counters& counters_;
    std::vector<std::optional<Sender>> tx_;
    std::vector<std::optional<Receiver>> rx_;
};

template <class Sync>
struct mpsc_rig : queue_rig<mpsc::sender<counted, Sync>, mpsc::receiver<counted, Sync>> {
    static constexpr harness::stream_semantics semantics = harness::stream_semantics::queue;
    mpsc_rig(const rig_shape& shape, message_counters& counters)
        : mpsc_rig::queue_rig(shape, counters, [](const rig_shape& s) {
              return s.capacity ? mpsc::sync_channel<counted, Sync>(*s.capacity, s.kind) : mpsc::channel<counted, Sync>(s.kind);
          }) {}
};

template <class Sync>
struct mpmc_rig : queue_rig<mpmc::sender<counted, Sync>, mpmc::receiver<counted, Sync>> {
    static constexpr harness::stream_semantics semantics = harness::stream_semantics::queue;
    mpmc_rig(const rig_shape& shape, message_counters& counters)
        : mpmc_rig::queue_rig(shape, counters, [](const rig_shape& s) {
              return s.capacity ? mpmc::bounded<counted, Sync>(*s.capacity, s.kind) : mpmc::unbounded<counted, Sync>(s.kind);
          }) {}
};

// Every consumer subscribes before the run starts, so each must account for every message.
template <class Sync>
class broadcast_rig {
public:
    static constexpr harness::stream_semantics semantics = harness::stream_semantics::broadcast;
    broadcast_rig(const rig_shape& shape, message_counters& counters) : counters_(counters) {
        auto [tx, rx] = broadcast::channel<counted, Sync>(*shape.capacity, shape.kind);
        for (unsigned c = 1; c < shape.consumers; ++c) rx_.emplace_back(tx.subscribe());
        rx_.emplace_back(std::move(rx));
        for (unsigned p = 1; p < shape.producers; ++p) tx_.emplace_back(tx);
        tx_.emplace_back(std::move(tx));
    }

    bool send(unsigned p, std::int64_t value, producer_tally& tally) {
        return finish_send(tx_[p]->send(counted(value, counters_)), value, tally);
    }
    received recv(unsigned c) {
        auto r = rx_[c]->recv();
        if (r) return {received::status::message, r.value().value(), 0};
        if (r.error().is_lagged()) return {received::status::lagged, -1, r.error().skipped};
        return {};
    }
    std::optional<std::size_t> len(unsigned) const { return std::nullopt; }  // a receiver's backlog, not a bound
    void drop_producer(unsigned p) { tx_[p].reset(); }
    void drop_consumer(unsigned c) { rx_[c].reset(); }

private:
    message_counters& counters_;
    std::vector<std::optional<broadcast::sender<counted, Sync>>> tx_;
    std::vector<std::optional<broadcast::receiver<counted, Sync>>> rx_;
};

// Producer p owns channel p; the one consumer selects over every channel still open and
// completes the chosen arm. Disconnected arms leave the select; all gone is Disconnected.
template <class Sync>
class select_rig {
public:
    static constexpr harness::stream_semantics semantics = harness::stream_semantics::queue;
    select_rig(const rig_shape& shape, message_counters& counters) : shape_(shape), counters_(counters) {
        for (unsigned p = 0; p < shape.producers; ++p) {
            auto [tx, rx] = shape.capacity ? mpmc::bounded<counted, Sync>(*shape.capacity, shape.kind)
                                           : mpmc::unbounded<counted, Sync>(shape.kind);
            tx_.emplace_back(std::move(tx));
            rx_.emplace_back(std::move(rx));
        }
    }

    bool send(unsigned p, std::int64_t value, producer_tally& tally) {
        return finish_send(tx_[p]->send(counted(value, counters_)), value, tally);
    }
    received recv(unsigned) {
        for (;;) {
            basic_select<Sync> sel;
            std::vector<unsigned> channel_of;  // arm index -> channel
            for (unsigned p = 0; p < rx_.size(); ++p) {
                if (!rx_[p]) continue;
                const std::size_t arm = sel.recv(*rx_[p]);
                channel_of.resize(arm + 1);
                channel_of[arm] = p;
            }
            if (channel_of.empty()) return {};
            auto op = sel.select();
            const unsigned p = channel_of[op.index()];
            auto r = op.recv(*rx_[p]);
            if (r) return {received::status::message, r.value().value(), 0};
            rx_[p].reset();  // this producer is gone and its channel drained
        }
    }
    std::optional<std::size_t> len(unsigned p) const {
        return shape_.capacity ? std::optional<std::size_t>(tx_[p]->len()) : std::nullopt;
    }
    void drop_producer(unsigned p) { tx_[p].reset(); }
    void drop_consumer(unsigned) {
        for (auto& rx : rx_) rx.reset();
    }

private:
    rig_shape shape_;
    message_counters& counters_;
    std::vector<std::optional<mpmc::sender<counted, Sync>>> tx_;
    std::vector<std::optional<mpmc::receiver<counted, Sync>>> rx_;
};

// A deliberately broken channel: sends are kept; consumer 0's receive waits for a condition
// that never becomes true (a deadlock), every other consumer's receive reports Lagged(1) at
// once, forever (a livelock: it returns, but nothing moves). Only the watchdog can end a run
// on it.
template <class Sync>
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
