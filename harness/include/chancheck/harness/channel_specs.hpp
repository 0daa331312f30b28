// chancheck/harness/channel_specs.hpp — sequential specifications of the channel kinds, for
// the linearizability checker (linearizability.hpp, which documents the Spec concept).
//
//   queue_spec      mpsc / mpmc channels (Rust std::sync::mpsc, crossbeam-channel):
//                   unbounded, bounded(n > 0), and rendezvous (n == 0)
//   oneshot_spec    one value, sent at most once
//   broadcast_spec  tokio sync::broadcast: every receiver sees every message, or Lagged(n)
//                   (in channel_specs_broadcast.hpp)
//
// A spec is configured with the channel's capacity and the handles alive when the threads
// start (handles made before the run are not in the history; clones, subscriptions and drops
// made during the run are). Operations come from the events: send (ok, full, timeout,
// disconnected), recv (ok with its value, empty, timeout, disconnected, lagged with
// `skipped`), drop_sender, drop_receiver, clone_sender, clone_receiver, subscribe, and
// len_sample (`value` = the length observed), empty_sample (`value` = is_empty()). An event a kind does not have (a subscribe on a
// queue, a full broadcast send) never takes effect, so a history holding one is rejected.
//
// Exact state keys for the memo: the sequence of messages pushed along the search path is
// interned in a trie (sequence_trie), so a queue's key is a node id, a head index and handle
// counts — a few words, compared exactly, however many messages the queue holds. The
// incremental state hash is the XOR of mix(value, absolute position) over held messages
// (a push adds the term at the tail index, a pop removes it at the head index) plus the
// handle counts.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "chancheck/harness/history.hpp"
#include "chancheck/harness/linearizability.hpp"

namespace chancheck::harness {

// Interns sequences of values as trie nodes: the node for (parent, value) is the same id
// every time it is asked for, so two sequences are equal exactly when their ids are.
class sequence_trie {
public:
    static constexpr std::uint32_t root = 0;

    std::uint32_t child(std::uint32_t parent, std::int64_t value) {
        const auto [it, added] = index_.try_emplace(edge{parent, value}, static_cast<std::uint32_t>(parent_.size() + 1));
        if (added) parent_.push_back(parent);
        return it->second;
    }
    std::uint32_t parent(std::uint32_t node) const { return parent_[node - 1]; }

private:
    struct edge {
        std::uint32_t parent;
        std::int64_t value;
        bool operator==(const edge&) const = default;
    };
    struct edge_hash {
        std::size_t operator()(const edge& e) const noexcept {
            return static_cast<std::size_t>(lin_mix(e.parent, static_cast<std::uint64_t>(e.value)));
        }
    };
    std::unordered_map<edge, std::uint32_t, edge_hash> index_;
    std::vector<std::uint32_t> parent_;  // parent_[node - 1]
};

namespace spec_detail {

inline bool is_failed_recv(op_result r) {
    return r == op_result::empty || r == op_result::timeout || r == op_result::disconnected;
}

// Order hints shared by the queue and broadcast specs: a send is tried in the order its value
// was first received (the invocation of the earliest receive that got it); a send whose value
// nobody received after all others; every other operation by its own invocation.
inline std::vector<std::uint64_t> hints_by_receive(const history& part) {
    std::unordered_map<std::int64_t, std::uint64_t> first_receive;
    for (const event& e : part) {
        if (e.kind != op_kind::recv || e.result != op_result::ok || is_pending(e)) continue;
        const auto [it, added] = first_receive.try_emplace(e.value, e.invoked);
        if (!added) it->second = std::min(it->second, e.invoked);
    }
    std::vector<std::uint64_t> hints(part.size());
    for (std::size_t i = 0; i < part.size(); ++i) {
        const event& e = part[i];
        hints[i] = e.invoked;
        if (e.kind != op_kind::send || (!is_pending(e) && e.result != op_result::ok)) continue;
        const auto it = first_receive.find(e.value);
        hints[i] = it != first_receive.end() ? it->second : (std::uint64_t{1} << 62) + e.invoked;
    }
    return hints;
}

// Violation patterns of a FIFO channel, after Henzinger, Sezgin & Vafeiadis, "Aspect-oriented
// linearizability proofs" (CONCUR 2013); each is sound on its own (a history showing one is
// not linearizable), none is needed for completeness (the search is complete):
//   - a value received more often than sent (or never sent at all);
//   - a value received by a receive that returned before its send was called;
//   - FIFO inversion: send(a) returned before send(b) was called, yet b was received by a
//     receive that returned before a's receive was called, or a was never received;
//   - Empty, Timeout or Disconnected while a value was certainly held: its send returned
//     before the receive was called, and its receive was called after that one returned, or
//     it was never received (no discard can intervene: the failed receive's own receiver is
//     alive, so the last receiver was not dropped before it).
// The order patterns use values sent once; "never received" counts only when no receive is
// pending (a pending receive may have taken any value).
inline std::optional<lin_refutation> fifo_refute(const history& part) {
    constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();
    constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    struct value_ops {
        unsigned sends = 0, receives = 0;
        std::size_t send = none, recv = none;
    };
    std::unordered_map<std::int64_t, value_ops> values;
    bool pending_recv = false;
    auto received_ok = [&](const event& e) { return e.kind == op_kind::recv && !is_pending(e) && e.result == op_result::ok; };
    for (std::size_t i = 0; i < part.size(); ++i) {
        const event& e = part[i];
        if (e.kind == op_kind::send && (is_pending(e) || e.result == op_result::ok)) {
            value_ops& v = values[e.value];
            ++v.sends;
            v.send = i;
        } else if (e.kind == op_kind::recv && is_pending(e)) {
            pending_recv = true;
        } else if (received_ok(e)) {
            value_ops& v = values[e.value];
            ++v.receives;
            v.recv = i;
        }
    }
    // Values in the order of their receives, so that the first violation reported is stable.
    for (std::size_t i = 0; i < part.size(); ++i) {
        if (!received_ok(part[i])) continue;
        const value_ops& v = values[part[i].value];
        if (v.receives > v.sends)
            return lin_refutation{{i}, v.sends == 0 ? "received a value no send sent: " + describe(part[i])
                                                    : "received more often than sent: " + describe(part[i])};
        if (v.sends == 1 && v.receives == 1 && part[i].responded < part[v.send].invoked)
            return lin_refutation{{v.send, i}, "received before it was sent: " + describe(part[i]) + " returned before " +
                                                   describe(part[v.send]) + " was called"};
    }
    // Values sent once by a completed send, by response: when was each certainly held until?
    struct held {
        std::uint64_t sent;         // its send's response
        std::uint64_t recv_called;  // its receive's invocation; never; or 0 when a pending receive may have it
        std::size_t send, recv;
    };
    std::vector<held> once;
    for (const auto& [value, v] : values) {
        if (v.sends != 1 || is_pending(part[v.send])) continue;
        const std::uint64_t called = v.receives == 1 ? part[v.recv].invoked : pending_recv ? 0 : never;
        once.push_back({part[v.send].responded, called, v.send, v.receives == 1 ? v.recv : none});
    }
    std::sort(once.begin(), once.end(), [](const held& a, const held& b) { return a.sent < b.sent; });
    // Queries, by their start: a FIFO inversion for each value b received (does a value a sent
    // before send(b) was called stay held beyond recv(b)?), an Empty check for each failed receive.
    struct query {
        std::uint64_t from, until;
        std::size_t event;  // recv(b), or the failed receive
        std::size_t send;   // send(b), or none
    };
    std::vector<query> queries;
    for (const held& b : once)
        if (b.recv != none) queries.push_back({part[b.send].invoked, part[b.recv].responded, b.recv, b.send});
    for (std::size_t i = 0; i < part.size(); ++i) {
        const event& e = part[i];
        if (e.kind == op_kind::recv && !is_pending(e) && is_failed_recv(e.result))
            queries.push_back({e.invoked, e.responded, i, none});
    }
    std::sort(queries.begin(), queries.end(), [](const query& a, const query& b) { return a.from < b.from; });
    std::size_t next = 0, longest = none;  // longest: of once[0, next), the one held the longest
    for (const query& q : queries) {
        for (; next < once.size() && once[next].sent < q.from; ++next)
            if (longest == none || once[next].recv_called > once[longest].recv_called) longest = next;
        if (longest == none || once[longest].recv_called <= q.until) continue;
        const held& a = once[longest];
        const std::string fate = a.recv != none ? ", and " + describe(part[a.recv]) + " was called after it returned"
                                                : ", and it was never received";
        if (q.send == none)
            return lin_refutation{{a.send, q.event}, describe(part[q.event]) + " while a value was certainly in the channel: " +
                                                         describe(part[a.send]) + " returned before it was called" + fate};
        std::vector<std::size_t> events{a.send, q.send, q.event};
        if (a.recv != none) events.push_back(a.recv);
        return lin_refutation{events, "FIFO order broken: " + describe(part[a.send]) + " returned before " +
                                          describe(part[q.send]) + " was called, but " + describe(part[q.event]) +
                                          " took the later value" + fate};
    }
    return std::nullopt;
}

// "[a, b, c … y, z]": the first and last few of a sequence.
inline std::string show_values(const std::vector<std::int64_t>& v, std::size_t from) {
    std::string s = "[";
    const std::size_t n = v.size() - from;
    for (std::size_t i = from; i < v.size(); ++i) {
        if (n > 10 && i == from + 5) {
            s += " …";
            i = v.size() - 5;
        }
        if (i != from) s += ", ";
        s += std::to_string(v[i]);
    }
    return s + "]";
}

}  // namespace spec_detail

// ---------------------------------------------------------------------------------------
// A drop or a clone of a handle in a spec's state: it needs a live handle of that kind (a
// count above zero); the count moves by `delta` and `done` records `effect` for undo().
template <class Effect>
bool count_handle(unsigned& count, int delta, Effect& done, Effect effect) {
    if (count == 0) return false;
    count = static_cast<unsigned>(static_cast<int>(count) + delta);
    done = effect;
    return true;
}

// queue_spec: a FIFO channel with sender and receiver counts (std::sync::mpsc, crossbeam).
//   send ok            a receiver is alive and there is room: pushes the value
//   send full/timeout  bounded: a receiver is alive and len == capacity;
//                      rendezvous: a receiver is alive (none was waiting); unbounded: never
//   send disconnected  no receiver is alive (the value comes back)
//   recv ok(v)         pops the front, which must be v
//   recv empty/timeout the queue is empty and a sender is alive
//   recv disconnected  the queue is empty and no sender is alive
//   len_sample         `value` == len
//   empty_sample       `value` == 1 exactly when len == 0
//   drop/clone         the counts. The last receiver's drop disconnects the channel at once
//                      and then discards the held messages one by one (crossbeam's
//                      disconnect, then discard_all_messages), so once no receiver is left an
//                      observer may see any count from the held ones down to 0. Nothing else
//                      can see them: sends fail and nobody receives.
// A rendezvous (capacity 0) has no linearization point for a lone send: it is modelled as
// capacity 1, a send pushing and the matching receive popping. The hand-off property (the
// receive of a value began before its send returned) is not part of this model; it is
// checked separately by handed_off (oracles.hpp).
// Pending events: a send pushes (or is left out), a receive pops whatever is in front.
class queue_spec {
public:
    struct config {
        std::optional<std::size_t> capacity;  // nullopt: unbounded; 0: rendezvous
        unsigned senders = 1;                 // sender handles alive when the threads start
        unsigned receivers = 1;               // receiver handles alive when the threads start
    };

    static queue_spec unbounded(unsigned senders = 1, unsigned receivers = 1) {
        return queue_spec(config{std::nullopt, senders, receivers});
    }
    static queue_spec bounded(std::size_t capacity, unsigned senders = 1, unsigned receivers = 1) {
        return queue_spec(config{capacity, senders, receivers});
    }
    static queue_spec rendezvous(unsigned senders = 1, unsigned receivers = 1) { return bounded(0, senders, receivers); }

    explicit queue_spec(config c) : config_(c) {}

    struct state {
        std::vector<std::int64_t> buf;  // every value pushed along the search path; [head, end) are held
        std::size_t head = 0;
        std::uint32_t pushes = sequence_trie::root;  // buf, interned
        std::uint64_t held_hash = 0;                 // XOR of lin_mix(value, position) over held messages
        unsigned senders = 0;
        unsigned receivers = 0;
        std::size_t len() const noexcept { return buf.size() - head; }
    };
    enum class effect : std::uint8_t { none, push, pop, sender_dropped, sender_cloned, receiver_dropped, receiver_cloned };
    struct undo_record {
        effect done = effect::none;
    };
    struct key {
        std::uint32_t pushes;
        std::size_t head;
        unsigned senders, receivers;
        bool operator==(const key&) const = default;
    };

    state init() const {
        state s;
        s.senders = config_.senders;
        s.receivers = config_.receivers;
        return s;
    }

    bool apply(state& s, const event& e, undo_record& u) {
        u = {};
        const bool pending = is_pending(e);
        switch (e.kind) {
            case op_kind::send:
                if (pending || e.result == op_result::ok) {
                    if (s.receivers == 0 || s.len() >= room()) return false;
                    push(s, e.value);
                    u.done = effect::push;
                    return true;
                }
                if (e.result == op_result::full || e.result == op_result::timeout)
                    return config_.capacity && s.receivers > 0 && (*config_.capacity == 0 || s.len() == *config_.capacity);
                return e.result == op_result::disconnected && s.receivers == 0;
            case op_kind::recv:
                if (pending || e.result == op_result::ok) {
                    if (s.len() == 0 || (!pending && s.buf[s.head] != e.value)) return false;
                    pop(s);
                    u.done = effect::pop;
                    return true;
                }
                if (e.result == op_result::empty || e.result == op_result::timeout) return s.len() == 0 && s.senders > 0;
                return e.result == op_result::disconnected && s.len() == 0 && s.senders == 0;
            case op_kind::len_sample:
                if (s.receivers == 0) return !pending && e.value >= 0 && e.value <= static_cast<std::int64_t>(s.len());
                return !pending && e.value == static_cast<std::int64_t>(s.len());
            case op_kind::empty_sample:
                if (s.receivers == 0) return !pending && (e.value != 0 || s.len() > 0);
                return !pending && (e.value != 0) == (s.len() == 0);
            case op_kind::drop_sender: return count_handle(s.senders, -1, u.done, effect::sender_dropped);
            case op_kind::clone_sender: return count_handle(s.senders, +1, u.done, effect::sender_cloned);
            case op_kind::drop_receiver:  // the held messages stay, invisible but to observers (see above)
                return count_handle(s.receivers, -1, u.done, effect::receiver_dropped);
            case op_kind::clone_receiver: return count_handle(s.receivers, +1, u.done, effect::receiver_cloned);
            case op_kind::subscribe:
                return false;
        }
        return false;
    }

    void undo(state& s, const event&, const undo_record& u) {
        switch (u.done) {
            case effect::none: break;
            case effect::push:
                s.held_hash ^= lin_mix(static_cast<std::uint64_t>(s.buf.back()), s.buf.size() - 1);
                s.buf.pop_back();
                s.pushes = trie_.parent(s.pushes);
                break;
            case effect::pop:
                --s.head;
                s.held_hash ^= lin_mix(static_cast<std::uint64_t>(s.buf[s.head]), s.head);
                break;
            case effect::sender_dropped: ++s.senders; break;
            case effect::sender_cloned: --s.senders; break;
            case effect::receiver_dropped: ++s.receivers; break;
            case effect::receiver_cloned: --s.receivers; break;
        }
    }

    std::uint64_t hash(const state& s) const { return s.held_hash ^ lin_mix(s.senders, s.receivers); }
    key key_of(const state& s) const { return {s.pushes, s.head, s.senders, s.receivers}; }

    bool read_only(const event& e) const {
        if (e.kind == op_kind::send) return e.result != op_result::ok;
        if (e.kind == op_kind::recv) return spec_detail::is_failed_recv(e.result) || e.result == op_result::lagged;
        return e.kind == op_kind::len_sample || e.kind == op_kind::empty_sample;
    }
    std::vector<std::uint64_t> order_hints(const history& part) const { return spec_detail::hints_by_receive(part); }
    std::optional<lin_refutation> refute(const history& part) const { return spec_detail::fifo_refute(part); }

    std::string describe_state(const state& s) const {
        return "queue " + spec_detail::show_values(s.buf, s.head) + " (len " + std::to_string(s.len()) +
               "), senders " + std::to_string(s.senders) + ", receivers " + std::to_string(s.receivers);
    }

private:
    // The most messages the model holds: a rendezvous holds its one hand-off in flight.
    std::size_t room() const {
        if (!config_.capacity) return std::numeric_limits<std::size_t>::max();
        return std::max<std::size_t>(*config_.capacity, 1);
    }
    void push(state& s, std::int64_t v) {
        s.held_hash ^= lin_mix(static_cast<std::uint64_t>(v), s.buf.size());
        s.buf.push_back(v);
        s.pushes = trie_.child(s.pushes, v);
    }
    void pop(state& s) {
        s.held_hash ^= lin_mix(static_cast<std::uint64_t>(s.buf[s.head]), s.head);
        ++s.head;
    }
    config config_;
    sequence_trie trie_;
};

// ---------------------------------------------------------------------------------------
// oneshot_spec: one value, sent at most once; the sender is spent by its first send.
//   send ok            the sender is not spent and the receiver is alive: the value is in
//   send disconnected  the receiver was dropped, or the sender is spent (the value comes back)
//   recv ok(v)         the value v is in: taken
//   recv empty/timeout nothing sent yet and the sender not dropped
//   recv disconnected  the sender was dropped unsent, or the value was already taken
//   drop_sender        an unspent sender goes: the receiver will see Disconnected
//   drop_receiver      the receiver goes (a value in the channel is destroyed)
//   len_sample         1 while the value is in, else 0
// Pending events: a send sends (or is left out); a receive takes the value if it is in.
class oneshot_spec {
public:
    enum class phase : std::uint8_t { empty, message, taken, sender_gone };
    struct state {
        phase ph = phase::empty;
        std::int64_t value = 0;
        bool sender_spent = false;
        bool receiver_alive = true;
        bool operator==(const state&) const = default;
    };
    struct undo_record {
        state before;
    };
    using key = state;

    state init() const { return {}; }

    bool apply(state& s, const event& e, undo_record& u) {
        u.before = s;
        const bool pending = is_pending(e);
        switch (e.kind) {
            case op_kind::send:
                if (pending || e.result == op_result::ok) {
                    if (s.sender_spent || !s.receiver_alive) return false;
                    s.ph = phase::message;
                    s.value = e.value;
                    s.sender_spent = true;
                    return true;
                }
                return e.result == op_result::disconnected && (s.sender_spent || !s.receiver_alive);
            case op_kind::recv:
                if (!s.receiver_alive) return false;
                if (pending || e.result == op_result::ok) {
                    if (s.ph != phase::message || (!pending && s.value != e.value)) return false;
                    s.ph = phase::taken;
                    return true;
                }
                if (e.result == op_result::empty || e.result == op_result::timeout) return s.ph == phase::empty;
                return e.result == op_result::disconnected && (s.ph == phase::sender_gone || s.ph == phase::taken);
            case op_kind::len_sample:
                return !pending && e.value == (s.ph == phase::message ? 1 : 0);
            case op_kind::empty_sample:
                return !pending && (e.value != 0) == (s.ph != phase::message);
            case op_kind::drop_sender:
                if (!s.sender_spent && s.ph == phase::empty) s.ph = phase::sender_gone;
                s.sender_spent = true;
                return true;
            case op_kind::drop_receiver:
                if (!s.receiver_alive) return false;
                s.receiver_alive = false;
                return true;
            case op_kind::clone_sender:
            case op_kind::clone_receiver:
            case op_kind::subscribe:
                return false;
        }
        return false;
    }
    void undo(state& s, const event&, const undo_record& u) { s = u.before; }

    std::uint64_t hash(const state& s) const {
        const std::uint64_t flags = static_cast<std::uint64_t>(s.ph) | (s.sender_spent ? 4u : 0u) | (s.receiver_alive ? 8u : 0u);
        return lin_mix(flags, static_cast<std::uint64_t>(s.value));
    }
    key key_of(const state& s) const { return s; }

    // A failed send changes nothing observable: the receiver is gone, or the sender was spent.
    bool read_only(const event& e) const {
        if (e.kind == op_kind::send) return e.result != op_result::ok;
        if (e.kind == op_kind::recv) return spec_detail::is_failed_recv(e.result);
        return e.kind == op_kind::len_sample || e.kind == op_kind::empty_sample;
    }

    std::string describe_state(const state& s) const {
        static const char* const names[] = {"empty", "message", "taken", "sender_gone"};
        std::string r = std::string("oneshot ") + names[static_cast<int>(s.ph)];
        if (s.ph == phase::message || s.ph == phase::taken) r += " " + std::to_string(s.value);
        r += s.sender_spent ? ", sender spent" : ", sender unspent";
        return r + (s.receiver_alive ? ", receiver alive" : ", receiver dropped");
    }
};

}  // namespace chancheck::harness
