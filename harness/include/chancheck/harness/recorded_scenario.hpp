// chancheck/harness/recorded_scenario.hpp — the machinery every harness scenario shares.
//
// A scenario is written once, against the channel concept (channel.hpp), for every engine:
// it is a class template over an adapter A (already bound to its message type, counted, and
// to the Sync policy of the engine running it) with
//   static constexpr unsigned threads;  static constexpr const char* name;
//   static constexpr std::size_t model_size;     messages per producer under a model checker
//   static constexpr channel_kind kind;          the report's row (select for select scenarios)
//   static constexpr bool fits;                  A has the kind and capabilities it uses
//   static bool applies(std::optional<std::size_t> capacity);   ... and at this capacity
//   Scenario(capacity, size);  run_thread(i);  drop_handles();  check(history) (its oracles)
// and the base below gives it one recorder per thread, counted messages, the recorded
// operations (harness::channel_ops) and the judgement: its oracles plus destruction balance.
// Engines are thin adapters: the Relacy models run `run_thread(i)` as Relacy threads, the
// unit tests run them on real threads. `size` is the number of messages per producer: 1–2
// for the model checker, thousands for real threads.
//
// Every container a scenario owns is a plain_vector (plain_allocator.hpp): under Relacy,
// harness bookkeeping must add no scheduling choices and no model-visible memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "chancheck/harness/channel.hpp"
#include "chancheck/harness/oracles.hpp"
#include "chancheck/harness/plain_allocator.hpp"
#include "chancheck/harness/recorder.hpp"

namespace chancheck::harness {

template <class A, unsigned Threads>
class recorded_scenario {
public:
    static constexpr unsigned threads = Threads;
    using adapter = A;
    using sender = typename A::sender;
    using receiver = typename A::receiver;
    using ops = channel_ops<A>;
    using traits = channel_traits<A, counted>;

    recorded_scenario(std::optional<std::size_t> capacity, std::size_t size) : capacity_(capacity), size_(size) {
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
        append(out, destruction_balance(counters_.constructed.load(), counters_.destroyed.load()));
        return out;
    }

    // The history judged by the last judge().
    const history& recorded() const { return history_; }

    // The same, one event per line.
    std::string history_text() const {
        std::string text;
        for (const event& e : history_) text += describe(e) + "\n";
        return text;
    }

protected:
    // The scenario's oracles over the merged history (destruction balance is added by judge()).
    virtual violations check(const history& h) const = 0;

    // The queue oracles: exactly once, per-producer FIFO, len() within the capacity,
    // Disconnected only once drained.
    violations queue_checks(const history& h) const {
        violations out = exactly_once(h);
        append(out, per_producer_fifo(h));
        append(out, capacity_bound(h, capacity_));
        append(out, disconnect_after_drain(h));
        return out;
    }

    recorder& rec(unsigned thread) { return recorders_[thread]; }

    // A channel of the scenario's capacity.
    std::pair<sender, receiver> open() const { return A::open(capacity_); }

    // One blocking send of a counted message; returns whether it succeeded.
    bool send(unsigned thread, sender& tx, std::int64_t value, std::uint32_t channel = 0) {
        return ops::send(rec(thread), tx, op_code::send, value, counters_, channel);
    }
    // One receive (recv, try_recv or recv_timeout); returns its result. A receive that got
    // no message records `key` (the channel's key, for scenarios with several channels).
    op_result recv(unsigned thread, receiver& rx, op_code code = op_code::recv, std::int64_t key = 0, std::uint32_t channel = 0) {
        return ops::recv(rec(thread), rx, code, channel, key);
    }
    // Receives until Disconnected (or Closed).
    void recv_all(unsigned thread, receiver& rx) {
        while (recv(thread, rx) != op_result::disconnected) {
        }
    }
    // Sends `size_` messages numbered for producer `producer`, then drops the sender.
    void send_all_then_drop(unsigned thread, std::optional<sender>& tx, unsigned producer) {
        for (std::size_t k = 0; k < size_; ++k) send(thread, *tx, encode(producer, static_cast<std::int64_t>(k)));
        drop(thread, op_kind::drop_sender, tx);
    }
    // Records the drop (op_kind::drop_sender or drop_receiver), then destroys the handle.
    template <class Handle>
    void drop(unsigned thread, op_kind kind, std::optional<Handle>& handle) {
        ops::drop(rec(thread), kind, handle);
    }

    std::optional<std::size_t> capacity_;
    std::size_t size_;
    message_counters counters_;
    stamp_clock clock_;
    plain_vector<recorder> recorders_;
    history history_;
};

}  // namespace chancheck::harness
