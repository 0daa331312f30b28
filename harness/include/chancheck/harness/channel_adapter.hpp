// chancheck/harness/channel_adapter.hpp — the channel concept: what a user's queue or channel
// must offer, through a small adapter, to be run by chancheck's engines (property tests,
// stress driver, benchmarks; see examples/README.md and cmake/ChancheckAddChannel.cmake).
//
// An adapter is a class template `A<T>` (T is the message type; the engines use
// harness::counted, which counts constructions and destructions, and std::uint64_t for the
// benchmarks) with:
//
//   static constexpr const char* name;       lower-case [a-z0-9_]+: kind name in run ids, JSON
//                                            and the report
//   static constexpr bool multi_consumer;    receivers may be copied (MPMC) or not (MPSC)
//   static bool supports(std::optional<std::size_t> capacity);
//                                            nullopt = unbounded, 0 = rendezvous, n = bounded;
//                                            the engines only open capacities it supports
//   static std::pair<sender, receiver> open(std::optional<std::size_t> capacity);
//
//   sender: copyable; a copy is one more producer (a clone). When the last sender is
//       destroyed the channel is disconnected for receivers.
//       bool send(T& v)  blocks while a bounded channel is full. true: sent (v is moved-from).
//                        false: every receiver is gone; v still holds the value — nothing
//                        is lost and nothing is destroyed.
//   receiver: move-constructible; copyable when multi_consumer. Each message goes to exactly
//       one receiver. When the last receiver is destroyed, later sends fail and messages still
//       in the channel are destroyed, each exactly once.
//       std::optional<T> recv()  blocks until a message arrives; nullopt only once every
//                                sender is gone and the channel is drained.
//       try_received<T> try_recv()  (optional) never blocks.
//   static constexpr bool global_fifo;       (optional, default true) false: messages keep
//                                            their order per producer only (moodycamel's
//                                            queues). The property engine then does not check
//                                            linearizability against one FIFO queue; it checks
//                                            the oracles, including "Disconnected only once
//                                            drained", instead.
//
// A channel written over chancheck's Sync policy (channels/include/chancheck/sync/: every
// atomic, cell, mutex, condition variable, park and yield taken from `Sync`) can also be model
// checked by Relacy. Its adapter is then a template over the message type and the policy,
// `R<T, Sync>`, with the members above; chancheck_add_channel(SYNC_ADAPTER R) builds the
// Relacy program (models/common/adapter_model.hpp) and uses R<T, std_sync> for the other
// engines.
//
// These are Rust's std::sync::mpsc / crossbeam-channel semantics, the ones chancheck's own
// channels have; the oracles judge exactly that (exactly once, per-producer FIFO, a failed
// send hands its value back, destruction balance, linearizability against a queue).
//
// chancheck_mpmc_sync_adapter below adapts chancheck::mpmc (lock-free flavor) itself, over any
// Sync policy: it is the reference every engine's adapter path is tested with (Relacy's too),
// and a model for writing one.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "chancheck/harness/recorder.hpp"
#include "chancheck/mpmc.hpp"

namespace chancheck::harness {

// What a non-blocking receive saw.
template <class T>
struct try_received {
    std::optional<T> value;     // the message, when there was one
    bool disconnected = false;  // no message: every sender is gone and the channel is drained
                                // (false: merely empty for now)
};

// The concept for one message type.
template <class Adapted, class T>
concept channel_adapter_of =
    requires(std::optional<std::size_t> capacity, typename Adapted::sender& tx, typename Adapted::receiver& rx, T& value) {
        { Adapted::name } -> std::convertible_to<const char*>;
        { Adapted::multi_consumer } -> std::convertible_to<bool>;
        { Adapted::supports(capacity) } -> std::same_as<bool>;
        { Adapted::open(capacity) } -> std::same_as<std::pair<typename Adapted::sender, typename Adapted::receiver>>;
        { tx.send(value) } -> std::same_as<bool>;
        { rx.recv() } -> std::same_as<std::optional<T>>;
    } && std::copy_constructible<typename Adapted::sender> && std::move_constructible<typename Adapted::receiver> &&
    (!Adapted::multi_consumer || std::copy_constructible<typename Adapted::receiver>);

// Whether the adapter promises one FIFO order across producers (the default) or only per producer.
template <class Adapted>
constexpr bool adapter_global_fifo() {
    if constexpr (requires { Adapted::global_fifo; }) {
        return Adapted::global_fifo;
    } else {
        return true;
    }
}

// The concept the engines ask for: the adapter works for the messages they send.
template <template <class> class A>
concept channel_adapter = channel_adapter_of<A<counted>, counted> && channel_adapter_of<A<std::uint64_t>, std::uint64_t>;

// The optional non-blocking receive.
template <class Adapted, class T>
concept has_try_recv = requires(typename Adapted::receiver& rx) {
    { rx.try_recv() } -> std::same_as<try_received<T>>;
};

// One recorded send through the concept, of a counted message with `value`; a failed send
// keeps the value in the message, which is recorded as handed back. Returns whether it was sent.
template <class Sender>
bool record_adapter_send(recorder& rec, Sender& tx, std::int64_t value, message_counters& counters) {
    bool sent = true;
    rec.record(op_kind::send, value, [&](event& e) {
        counted message(value, counters);
        if (!tx.send(message)) {
            sent = false;
            e.result = op_result::disconnected;
            e.returned = message.value();
        }
    });
    return sent;
}

// One recorded blocking receive through the concept; false on Disconnected.
template <class Receiver>
bool record_adapter_recv(recorder& rec, Receiver& rx) {
    bool got = false;
    rec.record(op_kind::recv, 0, [&](event& e) {
        std::optional<counted> m = rx.recv();
        if (m) {
            e.value = m->value();
            got = true;
        } else {
            e.result = op_result::disconnected;
        }
    });
    return got;
}

// A name is usable in file names and run ids: [a-z0-9_]+.
constexpr bool valid_adapter_name(const char* name) {
    if (name == nullptr || *name == '\0') return false;
    for (const char* c = name; *c != '\0'; ++c)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) return false;
    return true;
}

// chancheck::mpmc, lock-free flavor, through the concept: every capacity, MPMC, over the
// Sync policy `Sync` (std_sync on real threads, relacy_sync under the model checker).
template <class T, class Sync = std_sync>
struct chancheck_mpmc_sync_adapter {
    static constexpr const char* name = "chancheck_mpmc";
    static constexpr bool multi_consumer = true;
    static bool supports(std::optional<std::size_t>) { return true; }

    class sender {
    public:
        explicit sender(mpmc::sender<T, Sync> tx) : tx_(std::move(tx)) {}
        bool send(T& v) {
            auto r = tx_.send(std::move(v));
            if (r) return true;
            v = std::move(r.error().value);  // the channel handed the value back
            return false;
        }

    private:
        mpmc::sender<T, Sync> tx_;
    };

    class receiver {
    public:
        explicit receiver(mpmc::receiver<T, Sync> rx) : rx_(std::move(rx)) {}
        std::optional<T> recv() {
            auto r = rx_.recv();
            if (!r) return std::nullopt;
            return std::optional<T>(std::move(r.value()));
        }
        try_received<T> try_recv() {
            auto r = rx_.try_recv();
            if (r) return {std::optional<T>(std::move(r.value())), false};
            return {std::nullopt, r.error() == try_recv_error::disconnected};
        }

    private:
        mpmc::receiver<T, Sync> rx_;
    };

    static std::pair<sender, receiver> open(std::optional<std::size_t> capacity) {
        auto [tx, rx] = capacity ? mpmc::bounded<T, Sync>(*capacity) : mpmc::unbounded<T, Sync>();
        return {sender(std::move(tx)), receiver(std::move(rx))};
    }
};

// The same on real threads.
template <class T>
using chancheck_mpmc_adapter = chancheck_mpmc_sync_adapter<T, std_sync>;

static_assert(channel_adapter<chancheck_mpmc_adapter>);
static_assert(has_try_recv<chancheck_mpmc_adapter<counted>, counted>);

}  // namespace chancheck::harness
