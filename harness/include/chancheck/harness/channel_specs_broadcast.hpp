// chancheck/harness/channel_specs_broadcast.hpp — the sequential specification of a tokio
// sync::broadcast channel, for the linearizability checker (linearizability.hpp). The
// queue and oneshot specifications and the shared pieces (sequence_trie, order hints) are in
// channel_specs.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "chancheck/harness/channel_specs.hpp"
#include "chancheck/harness/history.hpp"
#include "chancheck/harness/linearizability.hpp"

namespace chancheck::harness {

// ---------------------------------------------------------------------------------------
// broadcast_spec: tokio's sync::broadcast. Sends append to a log of which the last
// `capacity` messages are retained; each receiver (one per thread, named by event.thread)
// has a next position.
//   send ok            at least one receiver is alive: appends the value
//   send disconnected  no receiver is alive (the value comes back)
//   recv, behind = tail - next:
//     ok(v)            0 < behind <= capacity and log[next] == v: next + 1
//     lagged(n)        behind > capacity and n == tail - capacity - next: next = tail - capacity
//     empty/timeout    behind == 0 and a sender is alive
//     disconnected     behind == 0 and no sender is alive (Closed)
//   len_sample         the receiving thread's behind (tokio's Receiver::len)
//   subscribe          the thread gets a receiver at the tail; drop_receiver removes it
//   drop/clone_sender  the sender count (a broadcast receiver is not cloned: clone_receiver
//                      never takes effect; tokio's resubscribe is a subscribe)
// Pending events: a send appends (or is left out); a receive lags or takes the next message.
class broadcast_spec {
public:
    struct config {
        std::size_t capacity = 1;
        unsigned senders = 1;                    // sender handles alive when the threads start
        std::vector<unsigned> receiver_threads;  // threads holding a receiver when they start
    };

    explicit broadcast_spec(config c) : config_(std::move(c)) {}

    static constexpr std::uint64_t no_receiver = std::numeric_limits<std::uint64_t>::max();

    struct state {
        std::vector<std::int64_t> log;  // every message sent along the search path
        std::uint32_t sent = sequence_trie::root;  // log, interned
        std::uint64_t log_hash = 0;                // XOR of lin_mix(value, position) over the log
        std::vector<std::uint64_t> next;           // per thread: its receiver's next position, or no_receiver
        std::uint64_t receivers_hash = 0;          // XOR of lin_mix(thread, next) over live receivers
        unsigned senders = 0;
        unsigned receivers = 0;
        std::uint64_t tail() const noexcept { return log.size(); }
        bool has_receiver(unsigned t) const noexcept { return t < next.size() && next[t] != no_receiver; }
    };
    enum class effect : std::uint8_t { none, append, move_receiver, subscribed, receiver_dropped, sender_dropped, sender_cloned };
    struct undo_record {
        effect done = effect::none;
        std::uint64_t next = 0;  // the receiver's position before
    };
    // `next` may carry trailing no_receiver entries in one key and not another: a finer key
    // than state equality, which only costs pruning.
    struct key {
        std::uint32_t sent;
        unsigned senders;
        std::vector<std::uint64_t> next;
        bool operator==(const key&) const = default;
    };

    state init() const {
        state s;
        s.senders = config_.senders;
        for (unsigned t : config_.receiver_threads) {
            if (s.has_receiver(t)) continue;
            set_next(s, t, 0);
            ++s.receivers;
        }
        return s;
    }

    bool apply(state& s, const event& e, undo_record& u) {
        u = {};
        const bool pending = is_pending(e);
        const unsigned t = e.thread;
        switch (e.kind) {
            case op_kind::send:
                if (pending || e.result == op_result::ok) {
                    if (s.receivers == 0) return false;
                    s.log_hash ^= lin_mix(static_cast<std::uint64_t>(e.value), s.log.size());
                    s.log.push_back(e.value);
                    s.sent = trie_.child(s.sent, e.value);
                    u.done = effect::append;
                    return true;
                }
                return e.result == op_result::disconnected && s.receivers == 0;
            case op_kind::recv: {
                if (!s.has_receiver(t)) return false;
                const std::uint64_t pos = s.next[t];
                const std::uint64_t behind = s.tail() - pos;
                const std::uint64_t oldest = behind > config_.capacity ? s.tail() - config_.capacity : pos;
                if (pending) {
                    if (behind == 0) return false;
                    move(s, t, behind > config_.capacity ? oldest : pos + 1, u);
                    return true;
                }
                switch (e.result) {
                    case op_result::ok:
                        if (behind == 0 || behind > config_.capacity || s.log[pos] != e.value) return false;
                        move(s, t, pos + 1, u);
                        return true;
                    case op_result::lagged:
                        if (behind <= config_.capacity || e.skipped != oldest - pos) return false;
                        move(s, t, oldest, u);
                        return true;
                    case op_result::empty:
                    case op_result::timeout: return behind == 0 && s.senders > 0;
                    case op_result::disconnected: return behind == 0 && s.senders == 0;
                    default: return false;
                }
            }
            case op_kind::len_sample:
                return !pending && s.has_receiver(t) && e.value == static_cast<std::int64_t>(s.tail() - s.next[t]);
            case op_kind::empty_sample:
                return !pending && s.has_receiver(t) && (e.value != 0) == (s.tail() == s.next[t]);
            case op_kind::subscribe:
                if (s.has_receiver(t)) return false;
                set_next(s, t, s.tail());
                ++s.receivers;
                u.done = effect::subscribed;
                return true;
            case op_kind::drop_receiver:
                if (!s.has_receiver(t)) return false;
                u.next = s.next[t];
                set_next(s, t, no_receiver);
                --s.receivers;
                u.done = effect::receiver_dropped;
                return true;
            case op_kind::drop_sender: return count_handle(s.senders, -1, u.done, effect::sender_dropped);
            case op_kind::clone_sender: return count_handle(s.senders, +1, u.done, effect::sender_cloned);
            case op_kind::clone_receiver:
                return false;
        }
        return false;
    }

    void undo(state& s, const event& e, const undo_record& u) {
        const unsigned t = e.thread;
        switch (u.done) {
            case effect::none: break;
            case effect::append:
                s.log_hash ^= lin_mix(static_cast<std::uint64_t>(s.log.back()), s.log.size() - 1);
                s.log.pop_back();
                s.sent = trie_.parent(s.sent);
                break;
            case effect::move_receiver: set_next(s, t, u.next); break;
            case effect::subscribed:
                set_next(s, t, no_receiver);
                --s.receivers;
                break;
            case effect::receiver_dropped:
                set_next(s, t, u.next);
                ++s.receivers;
                break;
            case effect::sender_dropped: ++s.senders; break;
            case effect::sender_cloned: --s.senders; break;
        }
    }

    std::uint64_t hash(const state& s) const { return s.log_hash ^ s.receivers_hash ^ lin_mix(s.senders, s.receivers); }
    key key_of(const state& s) const { return {s.sent, s.senders, s.next}; }

    bool read_only(const event& e) const {
        if (e.kind == op_kind::send) return e.result != op_result::ok;
        if (e.kind == op_kind::recv) return spec_detail::is_failed_recv(e.result);
        return e.kind == op_kind::len_sample || e.kind == op_kind::empty_sample;
    }
    std::vector<std::uint64_t> order_hints(const history& part) const { return spec_detail::hints_by_receive(part); }

    std::string describe_state(const state& s) const {
        std::string r = "log " + spec_detail::show_values(s.log, 0) + " (tail " + std::to_string(s.tail()) +
                        ", capacity " + std::to_string(config_.capacity) + "), receivers:";
        for (unsigned t = 0; t < s.next.size(); ++t)
            if (s.has_receiver(t)) r += " t" + std::to_string(t) + " at " + std::to_string(s.next[t]);
        return r + ", senders " + std::to_string(s.senders);
    }

private:
    // Sets thread t's position (no_receiver: none), keeping receivers_hash.
    static void set_next(state& s, unsigned t, std::uint64_t pos) {
        if (t >= s.next.size()) s.next.resize(t + 1, no_receiver);
        if (s.next[t] != no_receiver) s.receivers_hash ^= lin_mix(t, s.next[t]);
        s.next[t] = pos;
        if (pos != no_receiver) s.receivers_hash ^= lin_mix(t, pos);
    }
    static void move(state& s, unsigned t, std::uint64_t pos, undo_record& u) {
        u.done = effect::move_receiver;
        u.next = s.next[t];
        set_next(s, t, pos);
    }

    config config_;
    sequence_trie trie_;
};

}  // namespace chancheck::harness
