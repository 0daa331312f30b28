// chancheck/harness/history.hpp — what a scenario run did, recorded for the oracles.
//
// Every engine (Relacy, the deterministic scheduler, sanitized stress) runs the same
// scenario; each scenario thread appends the operations it performed, with their results,
// to its own log (no sharing, so recording adds no synchronization to the run). Each event
// carries an invocation and a response stamp taken from one counter, the partial order the
// linearizability checker needs (Wing & Gong; Herlihy & Wing's histories).
//
// Message values encode their origin: value = producer * value_stride + sequence, so
// oracles can check exactly-once delivery and per-producer FIFO without side tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chancheck/harness/plain_allocator.hpp"

namespace chancheck::harness {

inline constexpr std::int64_t value_stride = 1'000'000;

inline constexpr std::int64_t encode(unsigned producer, std::int64_t sequence) noexcept {
    return static_cast<std::int64_t>(producer) * value_stride + sequence;
}
inline constexpr unsigned producer_of(std::int64_t value) noexcept {
    return static_cast<unsigned>(value / value_stride);
}
inline constexpr std::int64_t sequence_of(std::int64_t value) noexcept { return value % value_stride; }

enum class op_kind {
    send,            // send / try_send / send_timeout: `value` is the message
    recv,            // recv / try_recv / recv_timeout: `value` is the message on ok
    len_sample,      // an observation of len(): `value` is the length
    empty_sample,    // an observation of is_empty(): `value` is 1 (empty) or 0
    drop_sender,     // this thread destroyed a sender handle
    drop_receiver,   // this thread destroyed a receiver handle
    clone_sender,    // this thread made one more sender handle
    clone_receiver,  // this thread made one more receiver handle (MPMC)
    subscribe,       // broadcast: this thread's receiver joined at the current tail
};

enum class op_result {
    ok,
    full,           // try_send on a full channel (value returned)
    empty,          // try_recv on an empty channel
    timeout,        // value returned, for a send
    disconnected,   // value returned, for a send
    lagged,         // broadcast: `skipped` messages were missed
};

struct event {
    unsigned thread = 0;
    op_kind kind = op_kind::send;
    op_result result = op_result::ok;
    std::int64_t value = 0;         // see op_kind
    std::int64_t returned = -1;     // a failed send: the value handed back (must equal value)
    std::uint64_t skipped = 0;      // with op_result::lagged
    std::uint64_t invoked = 0;      // stamp before the operation started
    std::uint64_t responded = 0;    // stamp after it returned
    std::uint32_t channel = 0;      // which channel, when a program uses several (select)
};

inline const char* to_string(op_kind k) noexcept {
    switch (k) {
        case op_kind::send: return "send";
        case op_kind::recv: return "recv";
        case op_kind::len_sample: return "len";
        case op_kind::empty_sample: return "is_empty";
        case op_kind::drop_sender: return "drop_sender";
        case op_kind::drop_receiver: return "drop_receiver";
        case op_kind::clone_sender: return "clone_sender";
        case op_kind::clone_receiver: return "clone_receiver";
        case op_kind::subscribe: return "subscribe";
    }
    return "unknown";
}

inline const char* to_string(op_result r) noexcept {
    switch (r) {
        case op_result::ok: return "ok";
        case op_result::full: return "full";
        case op_result::empty: return "empty";
        case op_result::timeout: return "timeout";
        case op_result::disconnected: return "disconnected";
        case op_result::lagged: return "lagged";
    }
    return "unknown";
}

// One line per event, e.g. "t1 recv -> ok 1000002 [5,8]".
inline std::string describe(const event& e) {
    std::string s = "t" + std::to_string(e.thread) + " " + to_string(e.kind);
    if (e.channel != 0) s += "@c" + std::to_string(e.channel);
    s += " -> " + std::string(to_string(e.result));
    if (e.kind == op_kind::send || e.kind == op_kind::recv || e.kind == op_kind::len_sample || e.kind == op_kind::empty_sample)
        s += " " + std::to_string(e.value);
    if (e.result == op_result::lagged) s += " skipped=" + std::to_string(e.skipped);
    if (e.returned >= 0) s += " returned=" + std::to_string(e.returned);
    s += " [" + std::to_string(e.invoked) + "," + std::to_string(e.responded) + "]";
    return s;
}

// The merged history of one run, in response order (kept out of the model checker's
// allocator, see plain_allocator.hpp).
using history = plain_vector<event>;

}  // namespace chancheck::harness
