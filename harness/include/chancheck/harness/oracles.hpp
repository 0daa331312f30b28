// chancheck/harness/oracles.hpp — what must hold at the end of every scenario run.
//
// Each oracle reads a recorded history (history.hpp) and returns the violations it finds,
// each naming its kind and the events involved, so an engine can report *why* a run failed.
// The oracles are engine-neutral and know nothing about flavors:
//   - exactly_once:      every successfully sent value is received once, or discarded
//                        because the receiver was dropped; every failed send got its value
//                        back; nothing is received that was not sent.
//   - per_producer_fifo: each receiver sees each producer's values in the order sent (holds
//                        for any FIFO channel, MPMC included: a later value cannot overtake an
//                        earlier one).
//   - capacity_bound:    no len() observation exceeds the capacity.
//   - disconnect_after_drain: a receive that reports Disconnected comes after every value
//                        whose send completed before it began was received, and no receive
//                        succeeds after it.
//   - destruction_balance: every message object constructed was destroyed exactly once.
//   - broadcast_accounting: per receiver, received + sum of Lagged(n) == sent, in order.
//   - broadcast_positions: stricter, for receivers subscribed before the first send: each
//                        message is the one at the receiver's position.
//   - handed_off:        a rendezvous send returns only after a receiver took its value.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chancheck/harness/history.hpp"
#include "chancheck/harness/recorder.hpp"

namespace chancheck::harness {

enum class violation_kind {
    lost_message,
    duplicated_message,
    unknown_message,
    value_not_returned,
    fifo_violation,
    capacity_exceeded,
    early_disconnect,
    destruction_mismatch,
    lag_accounting,
    not_linearizable,  // a scenario that checks linearizability: no linearization exists
};

inline const char* to_string(violation_kind k) noexcept {
    switch (k) {
        case violation_kind::lost_message: return "lost_message";
        case violation_kind::duplicated_message: return "duplicated_message";
        case violation_kind::unknown_message: return "unknown_message";
        case violation_kind::value_not_returned: return "value_not_returned";
        case violation_kind::fifo_violation: return "fifo_violation";
        case violation_kind::capacity_exceeded: return "capacity_exceeded";
        case violation_kind::early_disconnect: return "early_disconnect";
        case violation_kind::destruction_mismatch: return "destruction_mismatch";
        case violation_kind::lag_accounting: return "lag_accounting";
        case violation_kind::not_linearizable: return "not_linearizable";
    }
    return "unknown";
}

struct violation {
    violation_kind kind;
    std::string detail;
};

using violations = std::vector<violation>;

namespace oracle_detail {

inline bool receiver_dropped(const history& h) {
    for (const event& e : h)
        if (e.kind == op_kind::drop_receiver) return true;
    return false;
}

inline bool is_send(const event& e, op_result r) { return e.kind == op_kind::send && e.result == r; }
inline bool is_recv_ok(const event& e) { return e.kind == op_kind::recv && e.result == op_result::ok; }

}  // namespace oracle_detail

inline violations exactly_once(const history& h) {
    using namespace oracle_detail;
    violations out;
    std::set<std::int64_t> sent;
    for (const event& e : h) {
        if (e.kind != op_kind::send) continue;
        if (e.result == op_result::ok) {
            sent.insert(e.value);
        } else if (e.returned != e.value) {
            out.push_back({violation_kind::value_not_returned,
                           std::string(e.returned == counted::moved_out
                                           ? "a failed send kept only a moved-from shell of its value: "
                                           : "a failed send did not hand its value back: ") +
                               describe(e)});
        }
    }
    std::map<std::int64_t, int> received;
    for (const event& e : h) {
        if (!is_recv_ok(e)) continue;
        if (++received[e.value] == 2)
            out.push_back({violation_kind::duplicated_message, "value received twice: " + describe(e)});
        if (!sent.count(e.value))
            out.push_back({violation_kind::unknown_message, "received a value no successful send sent: " + describe(e)});
    }
    if (!receiver_dropped(h)) {
        for (std::int64_t v : sent)
            if (!received.count(v))
                out.push_back({violation_kind::lost_message,
                               "value " + std::to_string(v) + " was sent successfully but never received"});
    }
    return out;
}

inline violations per_producer_fifo(const history& h) {
    using namespace oracle_detail;
    violations out;
    // Events of one thread appear in program order when sorted by invocation stamp.
    std::map<unsigned, std::map<unsigned, const event*>> last;  // receiver -> producer -> last event
    std::vector<const event*> recvs;
    for (const event& e : h)
        if (is_recv_ok(e)) recvs.push_back(&e);
    std::stable_sort(recvs.begin(), recvs.end(), [](const event* a, const event* b) { return a->invoked < b->invoked; });
    for (const event* e : recvs) {
        const event*& prev = last[e->thread][producer_of(e->value)];
        if (prev != nullptr && sequence_of(prev->value) >= sequence_of(e->value))
            out.push_back({violation_kind::fifo_violation,
                           "receiver got a producer's values out of order: " + describe(*prev) + " then " + describe(*e)});
        prev = e;
    }
    return out;
}

inline violations capacity_bound(const history& h, std::optional<std::size_t> capacity) {
    violations out;
    if (!capacity) return out;
    for (const event& e : h) {
        if (e.kind == op_kind::len_sample && e.value > static_cast<std::int64_t>(*capacity))
            out.push_back({violation_kind::capacity_exceeded,
                           "len() " + std::to_string(e.value) + " > capacity " + std::to_string(*capacity) + ": " +
                               describe(e)});
    }
    return out;
}

// `any_receiver_drop_discards`: true (the default) skips the check when any receiver was
// dropped, since dropping receivers may discard messages. A caller may pass false when every
// recorded drop is of a receiver that was not the last one alive at a Disconnected receive:
// the receiving thread still holds a handle then, so nothing can have been discarded yet.
inline violations disconnect_after_drain(const history& h, bool any_receiver_drop_discards = true) {
    using namespace oracle_detail;
    violations out;
    if (any_receiver_drop_discards && receiver_dropped(h)) return out;  // messages may be discarded
    for (const event& d : h) {
        if (d.kind != op_kind::recv || d.result != op_result::disconnected) continue;
        std::size_t sent_before = 0, received_by = 0;
        for (const event& e : h) {
            if (is_send(e, op_result::ok) && e.responded < d.invoked) ++sent_before;
            if (is_recv_ok(e) && e.invoked < d.responded) ++received_by;
            if (is_recv_ok(e) && e.invoked > d.responded)
                out.push_back({violation_kind::early_disconnect,
                               "a receive succeeded after Disconnected was reported: " + describe(d) + " then " +
                                   describe(e)});
        }
        if (sent_before > received_by)
            out.push_back({violation_kind::early_disconnect,
                           "Disconnected before the channel was drained (" + std::to_string(sent_before) +
                               " sent, " + std::to_string(received_by) + " received): " + describe(d)});
    }
    return out;
}

inline violations destruction_balance(long constructed, long destroyed) {
    if (constructed == destroyed) return {};
    return {{violation_kind::destruction_mismatch,
             std::to_string(constructed) + " message objects constructed, " + std::to_string(destroyed) +
                 " destroyed"}};
}

// Broadcast: every receiving thread subscribed before the first send, so each must account
// for `sent` messages: received + sum of skipped == sent, values increasing.
inline violations broadcast_accounting(const history& h, std::uint64_t sent) {
    violations out;
    std::map<unsigned, std::uint64_t> accounted;
    std::map<unsigned, std::int64_t> last;
    std::vector<const event*> recvs;
    for (const event& e : h)
        if (e.kind == op_kind::recv) recvs.push_back(&e);
    std::stable_sort(recvs.begin(), recvs.end(), [](const event* a, const event* b) { return a->invoked < b->invoked; });
    for (const event* e : recvs) {
        accounted.try_emplace(e->thread, 0);
        if (e->result == op_result::lagged) {
            accounted[e->thread] += e->skipped;
        } else if (e->result == op_result::ok) {
            accounted[e->thread] += 1;
            auto it = last.find(e->thread);
            if (it != last.end() && it->second >= e->value)
                out.push_back({violation_kind::fifo_violation, "broadcast values out of order: " + describe(*e)});
            last[e->thread] = e->value;
        }
    }
    for (const auto& [thread, n] : accounted) {
        if (n != sent)
            out.push_back({violation_kind::lag_accounting,
                           "receiver t" + std::to_string(thread) + " accounted for " + std::to_string(n) +
                               " messages (received + lagged), " + std::to_string(sent) + " were sent"});
    }
    return out;
}

inline void append(violations& out, const violations& more) { out.insert(out.end(), more.begin(), more.end()); }

// The send and receive events of a history grouped by channel; `key_of(e)` names the channel
// of an event (for a receive that got no message, from the key it recorded in `value`).
// Drop events are left out: the per-channel histories are for disconnect_after_drain, which
// reads only sends and receives — and no scenario using them drops a receiver.
template <class KeyOf>
std::map<std::int64_t, history> split_by_channel(const history& h, KeyOf key_of) {
    std::map<std::int64_t, history> parts;
    for (const event& e : h)
        if (e.kind == op_kind::send || e.kind == op_kind::recv) parts[key_of(e)].push_back(e);
    return parts;
}

template <class KeyOf>
violations disconnect_after_drain_per_channel(const history& h, KeyOf key_of) {
    violations out;
    for (const auto& part : split_by_channel(h, key_of)) append(out, disconnect_after_drain(part.second));
    return out;
}

// A rendezvous hands each value over: a send succeeds only once a receiver took its value,
// so every successful send's value was received, by a receive that began before the send
// returned (a send returning earlier buffered the value in a zero-capacity channel).
inline violations handed_off(const history& h) {
    violations out;
    std::map<std::int64_t, const event*> taken;
    for (const event& e : h)
        if (e.kind == op_kind::recv && e.result == op_result::ok) taken.emplace(e.value, &e);
    for (const event& e : h) {
        if (e.kind != op_kind::send || e.result != op_result::ok) continue;
        const auto it = taken.find(e.value);
        if (it == taken.end())
            out.push_back({violation_kind::lost_message,
                           "a rendezvous send succeeded but no receiver took its value: " + describe(e)});
        else if (it->second->invoked > e.responded)
            out.push_back({violation_kind::capacity_exceeded,
                           "a rendezvous send returned before any receiver took its value: " + describe(e) +
                               " then " + describe(*it->second)});
    }
    return out;
}

// Broadcast receivers subscribed before the first send walk the sent sequence 0..sent-1 of
// producer 0: each message is the one at the receiver's position, Lagged(n) (n > 0) moves
// the position on by n, and Closed comes only once the position reached `sent`. Stricter than
// broadcast_accounting: a Lagged count that is off but compensated later is caught too.
inline violations broadcast_positions(const history& h, std::int64_t sent) {
    violations out;
    std::map<unsigned, std::int64_t> position;  // per receiving thread; h is in program order per thread
    for (const event& e : h) {
        if (e.kind != op_kind::recv) continue;
        std::int64_t& pos = position[e.thread];
        if (e.result == op_result::ok) {
            if (e.value != encode(0, pos))
                out.push_back({violation_kind::lag_accounting, "expected the message at position " +
                                                                   std::to_string(pos) + ": " + describe(e)});
            pos = sequence_of(e.value) + 1;
        } else if (e.result == op_result::lagged) {
            if (e.skipped == 0) out.push_back({violation_kind::lag_accounting, "Lagged(0): " + describe(e)});
            pos += static_cast<std::int64_t>(e.skipped);
        } else if (e.result == op_result::disconnected && pos != sent) {
            out.push_back({violation_kind::lag_accounting, "Closed at position " + std::to_string(pos) + " of " +
                                                               std::to_string(sent) + ": " + describe(e)});
        }
    }
    return out;
}

inline std::string describe(const violations& vs) {
    std::string s;
    for (const violation& v : vs) s += std::string(to_string(v.kind)) + ": " + v.detail + "\n";
    return s;
}

}  // namespace chancheck::harness
