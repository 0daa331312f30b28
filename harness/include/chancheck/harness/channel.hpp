// chancheck/harness/channel.hpp — the channel under test: the one concept every engine knows.
//
// A channel reaches chancheck's engines (Relacy models, the property engine under the
// deterministic scheduler and on real threads, stress, benchmarks) through an *adapter*: a
// class template `A<T>` (T is the message type) that opens a channel and gives out its
// handles. chancheck's own kinds and flavors are adapters like anyone's
// (chancheck_channels.hpp); an engine never sees a channel any other way.
//
// Required (every kind):
//   static constexpr const char* name;        [a-z0-9_]+: names runs, files and report rows
//   static constexpr bool multi_consumer;     receivers may be copied (MPMC) or not
//   static bool supports(std::optional<std::size_t> capacity);
//                                             nullopt = unbounded, 0 = rendezvous, n = bounded
//   static std::pair<sender, receiver> open(std::optional<std::size_t> capacity);
//   sender:   copyable (a copy is one more producer; a oneshot's sender is move-only)
//             bool send(T& v)   true: sent (v moved from); false: every receiver is gone and
//                               v still holds the value — nothing lost, nothing destroyed
//   receiver: move-constructible; copyable when multi_consumer
//             std::optional<T> recv()   blocks; nullopt only once every sender is gone and the
//                               channel is drained  (a broadcast channel returns received<T>)
// Optional (capabilities: each engine uses what the channel has, and only that):
//   static constexpr channel_kind kind;       mpsc | mpmc (default by multi_consumer),
//                                             broadcast, oneshot
//   static constexpr bool global_fifo;        false: FIFO per producer only (default true)
//   static flavor flavor_of(std::optional<std::size_t> capacity);   default flavor::adapter
//   sender:   op_result try_send(T& v)                 ok, full or disconnected
//             op_result send_timeout(T& v, std::chrono::nanoseconds)   ok, timeout, disconnected
//             std::size_t len() const;  bool is_empty() const
//             receiver subscribe() const               broadcast: a receiver joining at the tail
//   receiver: received<T> try_recv()                   ok, empty or disconnected
//             received<T> recv_timeout(std::chrono::nanoseconds)       ok, timeout, disconnected
//   static selected<T> select_recv(std::span<receiver* const> arms)
//             blocks until one arm is ready (a message, or its channel disconnected and
//             drained), completes that arm's receive and says which it was
//   static std::optional<std::size_t> select_send(std::span<sender* const> arms, T& v)
//             blocks until one arm can send, sends v there and says which; nullopt (v kept)
//             when every arm's channel is disconnected
//   static bool selectable(std::optional<std::size_t> capacity)     default true when a select exists
// On failure a send keeps the value in v (the engines check it comes back intact). When the
// last sender goes, receivers drain and then see Disconnected; when the last receiver goes,
// later sends fail and every message left is destroyed, exactly once.
//
// channel_ops<A> below runs each operation of the concept on a handle and records it in a
// harness::recorder (history.hpp), so the scenarios, the generated programs and the stress
// workloads are written once over it.
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

#include "chancheck/harness/recorder.hpp"
#include "chancheck/harness/vocabulary.hpp"

namespace chancheck::harness {

// What a receive saw: a message (ok), or empty, timeout, disconnected (Closed, for a
// broadcast receiver), lagged (broadcast: `skipped` messages were missed).
template <class T>
struct received {
    op_result status = op_result::disconnected;
    std::optional<T> value;
    std::uint64_t skipped = 0;

    static received message(T v) { return {op_result::ok, std::optional<T>(std::move(v)), 0}; }
    static received of(op_result status, std::uint64_t skipped = 0) { return {status, std::nullopt, skipped}; }
    explicit operator bool() const noexcept { return status == op_result::ok; }
};

// A select over receive arms: which arm completed, and what it received.
template <class T>
struct selected {
    std::size_t index = 0;
    received<T> got;
};

// The operations of the concept, as the generated programs and scenarios name them.
enum class op_code { send, try_send, send_timeout, recv, try_recv, recv_timeout, len, is_empty, select_recv, drop_sender, drop_receiver };

inline constexpr op_code all_op_codes[] = {op_code::send,      op_code::try_send,    op_code::send_timeout,
                                           op_code::recv,      op_code::try_recv,    op_code::recv_timeout,
                                           op_code::len,       op_code::is_empty,    op_code::select_recv,
                                           op_code::drop_sender, op_code::drop_receiver};

inline constexpr const char* to_string(op_code c) noexcept {
    switch (c) {
        case op_code::send: return "send";
        case op_code::try_send: return "try_send";
        case op_code::send_timeout: return "send_timeout";
        case op_code::recv: return "recv";
        case op_code::try_recv: return "try_recv";
        case op_code::recv_timeout: return "recv_timeout";
        case op_code::len: return "len";
        case op_code::is_empty: return "is_empty";
        case op_code::select_recv: return "select";
        case op_code::drop_sender: return "drop_sender";
        case op_code::drop_receiver: return "drop_receiver";
    }
    return "?";
}

inline constexpr bool is_send(op_code c) noexcept { return c == op_code::send || c == op_code::try_send || c == op_code::send_timeout; }
inline constexpr bool is_recv(op_code c) noexcept { return c == op_code::recv || c == op_code::try_recv || c == op_code::recv_timeout; }
inline constexpr bool is_observer(op_code c) noexcept { return c == op_code::len || c == op_code::is_empty; }

// The timeout of send_timeout / recv_timeout. Under a scheduler only the schedule decides
// when a timed wait times out; on real threads it is real time.
inline constexpr std::chrono::milliseconds op_timeout{1};

// ---- what an adapter is and has ---------------------------------------------------------

template <class A, class T>
concept channel_adapter_of =
    requires(std::optional<std::size_t> capacity, typename A::sender& tx, typename A::receiver& rx, T& value) {
        { A::name } -> std::convertible_to<const char*>;
        { A::multi_consumer } -> std::convertible_to<bool>;
        { A::supports(capacity) } -> std::same_as<bool>;
        { A::open(capacity) } -> std::same_as<std::pair<typename A::sender, typename A::receiver>>;
        { tx.send(value) } -> std::same_as<bool>;
        rx.recv();
    } && std::move_constructible<typename A::sender> && std::move_constructible<typename A::receiver> &&
    (!A::multi_consumer || std::copy_constructible<typename A::receiver>);

template <class A, class T>
concept has_try_send = requires(typename A::sender& tx, T& v) {
    { tx.try_send(v) } -> std::same_as<op_result>;
};
template <class A, class T>
concept has_send_timeout = requires(typename A::sender& tx, T& v) {
    { tx.send_timeout(v, std::chrono::nanoseconds{}) } -> std::same_as<op_result>;
};
template <class A, class T>
concept has_try_recv = requires(typename A::receiver& rx) {
    { rx.try_recv() } -> std::same_as<received<T>>;
};
template <class A, class T>
concept has_recv_timeout = requires(typename A::receiver& rx) {
    { rx.recv_timeout(std::chrono::nanoseconds{}) } -> std::same_as<received<T>>;
};
template <class A>
concept has_len = requires(const typename A::sender& tx) {
    { tx.len() } -> std::convertible_to<std::size_t>;
    { tx.is_empty() } -> std::same_as<bool>;
};
template <class A>
concept has_subscribe = requires(const typename A::sender& tx) {
    { tx.subscribe() } -> std::same_as<typename A::receiver>;
};
template <class A, class T>
concept has_select = requires(std::span<typename A::receiver* const> arms) {
    { A::select_recv(arms) } -> std::same_as<selected<T>>;
};

template <class A, class T>
concept has_select_send = requires(std::span<typename A::sender* const> arms, T& v) {
    { A::select_send(arms, v) } -> std::same_as<std::optional<std::size_t>>;
};

// What the engines need to know of adapter A (over message type T), with the defaults.
template <class A, class T>
struct channel_traits {
    static constexpr const char* name = A::name;
    static constexpr bool multi_consumer = A::multi_consumer;
    static constexpr channel_kind kind = [] {
        if constexpr (requires { A::kind; }) return static_cast<channel_kind>(A::kind);
        else return A::multi_consumer ? channel_kind::mpmc : channel_kind::mpsc;
    }();
    static constexpr bool global_fifo = [] {
        if constexpr (requires { A::global_fifo; }) return static_cast<bool>(A::global_fifo);
        else return true;
    }();
    static constexpr bool queue = kind == channel_kind::mpsc || kind == channel_kind::mpmc;

    static harness::flavor flavor_of(std::optional<std::size_t> capacity) {
        if constexpr (requires { A::flavor_of(capacity); }) return A::flavor_of(capacity);
        else return harness::flavor::adapter;
    }
    static bool selectable(std::optional<std::size_t> capacity) {
        if constexpr (!has_select<A, T> && !has_select_send<A, T>) return false;
        else if constexpr (requires { A::selectable(capacity); }) return A::selectable(capacity);
        else return true;
    }

    // Whether programs and scenarios over this channel may use operation `c`.
    static constexpr bool offers(op_code c) {
        switch (c) {
            case op_code::send:
            case op_code::recv:
            case op_code::drop_sender:
            case op_code::drop_receiver: return true;
            case op_code::try_send: return has_try_send<A, T>;
            case op_code::send_timeout: return has_send_timeout<A, T>;
            case op_code::try_recv: return has_try_recv<A, T>;
            case op_code::recv_timeout: return has_recv_timeout<A, T>;
            case op_code::len:
            case op_code::is_empty: return has_len<A>;
            case op_code::select_recv: return has_select<A, T>;
        }
        return false;
    }
};

// A name is usable in file names and run ids: [a-z0-9_]+.
constexpr bool valid_adapter_name(const char* name) {
    if (name == nullptr || *name == '\0') return false;
    for (const char* c = name; *c != '\0'; ++c)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) return false;
    return true;
}

// The concept the engines ask of a user's adapter template: it works for the messages they
// send (counted messages for the checks, std::uint64_t for the benchmarks).
template <template <class> class A>
concept channel_adapter = channel_adapter_of<A<counted>, counted> && channel_adapter_of<A<std::uint64_t>, std::uint64_t>;

// A receive of either form the concept allows (std::optional<T> or received<T>), as received<T>.
template <class T, class R>
received<T> as_received(R&& r) {
    if constexpr (std::is_same_v<std::remove_cvref_t<R>, received<T>>) {
        return std::forward<R>(r);
    } else if (r) {
        return received<T>::message(std::move(*r));
    } else {
        return received<T>::of(op_result::disconnected);
    }
}

// ---- the operations, recorded ------------------------------------------------------------

// Runs the concept's operations on adapter A's handles (over counted messages) and records
// each in a recorder, with its result, the value a failed send handed back, and the channel
// it ran on (programs and scenarios with several channels).
template <class A>
struct channel_ops {
    using sender = typename A::sender;
    using receiver = typename A::receiver;
    using traits = channel_traits<A, counted>;

    // A receive of any form, as received<counted>.
    template <class R>
    static received<counted> normalize(R&& r) {
        return as_received<counted>(std::forward<R>(r));
    }

    // One send of `message` in form `code` (send, try_send, or send_timeout with `timeout`);
    // after a failure `message` holds what the channel handed back. A form the channel lacks
    // is never asked for (the generators offer only what it has) and sends nothing.
    static op_result send_once(sender& tx, op_code code, counted& message, std::chrono::nanoseconds timeout = op_timeout) {
        if (code == op_code::try_send) {
            if constexpr (has_try_send<A, counted>) return tx.try_send(message);
        } else if (code == op_code::send_timeout) {
            if constexpr (has_send_timeout<A, counted>) return tx.send_timeout(message, timeout);
        } else {
            return tx.send(message) ? op_result::ok : op_result::disconnected;
        }
        return op_result::ok;
    }

    // The channel's send that may give up: send_timeout, else try_send, else plain send.
    static constexpr op_code giving_up_send() {
        if constexpr (has_send_timeout<A, counted>) return op_code::send_timeout;
        else if constexpr (has_try_send<A, counted>) return op_code::try_send;
        else return op_code::send;
    }

    // One recorded send (send, try_send or send_timeout) of a counted message with `value`;
    // returns whether it was sent. A failed send records the value it handed back.
    static bool send(recorder& rec, sender& tx, op_code code, std::int64_t value, message_counters& counters,
                     std::uint32_t channel = 0) {
        bool sent = true;
        rec.record(op_kind::send, value, [&](event& e) {
            e.channel = channel;
            counted message(value, counters);
            const op_result r = send_once(tx, code, message);
            if (r != op_result::ok) {
                sent = false;
                e.result = r;
                e.returned = message.value();
            }
        });
        return sent;
    }

    // What a receive (recv, try_recv or recv_timeout) of any form gives.
    static received<counted> receive(receiver& rx, op_code code) {
        if (code == op_code::try_recv) {
            if constexpr (has_try_recv<A, counted>) return rx.try_recv();
        } else if (code == op_code::recv_timeout) {
            if constexpr (has_recv_timeout<A, counted>) return rx.recv_timeout(op_timeout);
        }
        return normalize(rx.recv());
    }

    // One recorded receive; returns its result. A receive that got no message records `key`
    // as its value (scenarios with several channels name the channel it waited on that way).
    static op_result recv(recorder& rec, receiver& rx, op_code code, std::uint32_t channel = 0, std::int64_t key = 0) {
        op_result result = op_result::ok;
        rec.record(op_kind::recv, key, [&](event& e) {
            e.channel = channel;
            record_received(e, receive(rx, code));
            result = e.result;
        });
        return result;
    }

    // One recorded observation: len() as a len_sample, is_empty() as an empty_sample.
    static void observe(recorder& rec, const sender& tx, op_code code, std::uint32_t channel = 0) {
        if constexpr (has_len<A>) {
            const op_kind kind = code == op_code::len ? op_kind::len_sample : op_kind::empty_sample;
            rec.record(kind, 0, [&](event& e) {
                e.channel = channel;
                e.value = code == op_code::len ? static_cast<std::int64_t>(tx.len()) : (tx.is_empty() ? 1 : 0);
            });
        }
    }

    // One recorded select over `arms` (receivers of channels `channel_of[i]`): recorded as one
    // receive on the chosen arm's channel. Returns the chosen arm.
    static std::size_t select(recorder& rec, std::span<receiver* const> arms, std::span<const std::uint32_t> channel_of,
                              std::int64_t key = 0) {
        std::size_t chosen = 0;
        if constexpr (has_select<A, counted>) {
            rec.record(op_kind::recv, key, [&](event& e) {
                selected<counted> s = A::select_recv(arms);
                chosen = s.index;
                e.channel = channel_of[s.index];
                record_received(e, std::move(s.got));
            });
        }
        return chosen;
    }

    // Records the drop (op_kind::drop_sender or drop_receiver), then destroys the handle.
    template <class Handle>
    static void drop(recorder& rec, op_kind kind, std::optional<Handle>& handle, std::uint32_t channel = 0) {
        rec.record(kind, 0, [&](event& e) {
            e.channel = channel;
            handle.reset();
        });
    }

private:
    static void record_received(event& e, received<counted> r) {
        e.result = r.status;
        if (r.status == op_result::ok && r.value) e.value = r.value->value();
        if (r.status == op_result::lagged) e.skipped = r.skipped;
    }
};

}  // namespace chancheck::harness
