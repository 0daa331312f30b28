// property_tests/sequential/broadcast_model.hpp — the sequential model of
// chancheck::broadcast (tokio sync::broadcast semantics) and the rc::state commands that
// drive a real channel against it.
//
// The model is harness::broadcast_spec, the sequential specification the linearizability
// checker judges concurrent histories with (spec_model.hpp): every message ever sent by
// position, the window of the last `capacity` retained, and per receiver its next position;
// a receive behind the window is Lagged(n), in it the next message, at the tail Empty while
// a sender lives and Closed after. The model adds what the spec cannot say: which sender and
// receiver slots are live (an operation on a dropped handle never reaches the channel:
// Closed, or the value handed back), the receiver count a send returns, and the message
// objects held (the retained window while any handle lives, none after). Blocking recv is
// generated only when the spec says it returns at once. After every command the live
// message objects must equal the retained count; after the sequence and the drop of every
// handle, constructions must equal destructions.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "chancheck/broadcast.hpp"
#include "spec_model.hpp"
#include "support.hpp"

namespace chancheck_seq::broadcast {

struct config {
    const char* name;  // test-name suffix, e.g. "cap2_slots"
    std::size_t capacity;
    chancheck::implementation flavor;  // lock_free: the `slots` flavor; locked: the oracle
};

inline std::ostream& operator<<(std::ostream& os, const config& c) { return os << c.name; }

// Capacities 1..4 on both flavors.
inline const std::vector<config>& all_configs() {
    static const std::vector<config> configs = {
        {"cap1_slots", 1, chancheck::implementation::lock_free}, {"cap1_locked", 1, chancheck::implementation::locked},
        {"cap2_slots", 2, chancheck::implementation::lock_free}, {"cap2_locked", 2, chancheck::implementation::locked},
        {"cap3_slots", 3, chancheck::implementation::lock_free}, {"cap3_locked", 3, chancheck::implementation::locked},
        {"cap4_slots", 4, chancheck::implementation::lock_free}, {"cap4_locked", 4, chancheck::implementation::locked},
    };
    return configs;
}

// ---------------------------------------------------------------------------------------
// The model: harness::broadcast_spec for the channel (receiver slot i is the spec's thread
// i), and what it cannot say — which handle slot is live.

struct model {
    explicit model(std::size_t cap)
        : capacity(cap), spec(chancheck::harness::broadcast_spec({cap, /*senders=*/1, /*receiver_threads=*/{0}})) {}

    std::size_t capacity = 1;
    spec_model<chancheck::harness::broadcast_spec> spec;
    slot_array<bool, 3> senders{true};    // per slot: live, or dropped
    slot_array<bool, 4> receivers{true};  // per slot: live, or dropped
    std::int64_t next_value = 1;

    std::uint64_t tail() const { return spec.state().tail(); }
    // The next position of the live receiver in `slot`.
    std::uint64_t next_of(std::size_t slot) const { return spec.state().next[slot]; }
    std::size_t live_senders() const {
        return static_cast<std::size_t>(std::count(senders.begin(), senders.end(), true));
    }
    std::size_t live_receivers() const {
        return static_cast<std::size_t>(std::count(receivers.begin(), receivers.end(), true));
    }
    // Message objects the channel holds: the retained window while any handle lives.
    std::size_t retained() const {
        if (live_senders() + live_receivers() == 0) return 0;
        return static_cast<std::size_t>(std::min<std::uint64_t>(tail(), capacity));
    }
};

struct recv_expect {
    enum what_t { message, lagged, empty, closed } what;
    std::int64_t value = 0;     // with message
    std::uint64_t skipped = 0;  // with lagged
};

// The result the spec allows a lone receive in `slot`: the next message, Lagged(n) for the
// one n it accepts, Empty, or Closed (also on a dropped handle, which never reaches it).
inline recv_expect expected_recv(const model& m, std::size_t slot) {
    if (!m.receivers[slot]) return {recv_expect::closed};
    const auto t = static_cast<unsigned>(slot);
    const std::uint64_t next = m.next_of(slot);
    if (next < m.tail()) {
        const std::int64_t v = m.spec.state().log[next];
        if (m.spec.allows(spec_event(op_kind::recv, op_result::ok, v, t))) return {recv_expect::message, v};
        for (std::uint64_t n = 1; n <= m.tail(); ++n)
            if (m.spec.allows(spec_event(op_kind::recv, op_result::lagged, 0, t, n))) return {recv_expect::lagged, 0, n};
    }
    const auto r = m.spec.first_allowed(spec_event(op_kind::recv, op_result::empty, 0, t),
                                        {op_result::empty, op_result::disconnected});
    if (!r) throw std::logic_error("broadcast_spec allows no result for a receive");
    return {*r == op_result::empty ? recv_expect::empty : recv_expect::closed};
}

inline void apply_recv(model& m, std::size_t slot) {
    const recv_expect e = expected_recv(m, slot);
    const auto t = static_cast<unsigned>(slot);
    if (e.what == recv_expect::lagged) m.spec.take(spec_event(op_kind::recv, op_result::lagged, 0, t, e.skipped));
    if (e.what == recv_expect::message) m.spec.take(spec_event(op_kind::recv, op_result::ok, e.value, t));
}

// ---------------------------------------------------------------------------------------
// The system under test.

template <class Sync>
struct handles : slot_handles<chancheck::broadcast::sender<counted, Sync>, chancheck::broadcast::receiver<counted, Sync>> {
    handles(const config& cfg, message_counters& c)
        : slot_handles<chancheck::broadcast::sender<counted, Sync>, chancheck::broadcast::receiver<counted, Sync>>(
              chancheck::broadcast::channel<counted, Sync>(cfg.capacity, cfg.flavor), c) {}
};

// ---------------------------------------------------------------------------------------
// Result checks.

// A receive's result against the model; `none_name` is "empty" or "timeout".
template <class R>
void check_recv(const std::string& op, const model& m, std::size_t slot, const char* none_name, const R& r,
                event_log& log) {
    const recv_expect e = expected_recv(m, slot);
    if (e.what == recv_expect::lagged) log.note("lagged");
    if (e.what == recv_expect::closed && m.receivers[slot]) log.note("closed after draining");
    std::string got;
    if (r) got = "message " + std::to_string(r.value().value());
    else if (r.error().is_lagged()) got = "lagged(" + std::to_string(r.error().skipped) + ")";
    else got = chancheck::broadcast::to_string(r.error().status);
    switch (e.what) {
        case recv_expect::message:
            if (r && r.value().value() == e.value) return;
            if (r) fail(kind::wrong_value, op + ": expected message " + std::to_string(e.value) + ", got " + got);
            fail(r.error().is_closed() ? kind::early_disconnect : kind::wrong_outcome,
                 op + ": expected message " + std::to_string(e.value) + ", got " + got);
        case recv_expect::lagged:
            if (!r && r.error().is_lagged()) {
                if (r.error().skipped == e.skipped) return;
                fail(kind::wrong_lagged, op + ": expected lagged(" + std::to_string(e.skipped) + "), got " + got);
            }
            fail(kind::wrong_outcome, op + ": expected lagged(" + std::to_string(e.skipped) + "), got " + got);
        case recv_expect::empty: return check_no_message(op, none_name, got);
        case recv_expect::closed: return check_no_message(op, "closed", got);
    }
}

// ---------------------------------------------------------------------------------------
// Commands.

inline std::size_t held_objects(const model& m) { return m.retained(); }

inline void note_events(const model&, const model& after, event_log& log) {
    if (after.tail() > after.capacity) log.note("ring wrapped");
    if (after.live_receivers() >= 3) log.note("3+ receivers");
}

template <class Sync>
using command = model_command<model, handles<Sync>>;

template <class Sync>
struct send_cmd : command<Sync> {
    std::size_t slot;
    explicit send_cmd(const model& m) : slot(pick_slot(m.senders.size())) {}
    void checkPreconditions(const model& m) const override { RC_PRE(slot < m.senders.size()); }
    static bool delivers(const model& m, std::size_t slot) {
        return m.senders[slot] && m.spec.allows(spec_event(op_kind::send, op_result::ok, m.next_value));
    }
    void apply(model& m) const override {
        if (delivers(m, slot)) m.spec.take(spec_event(op_kind::send, op_result::ok, m.next_value));
        ++m.next_value;
    }
    void exercise(const model& m, handles<Sync>& s) const override {
        const std::string op = shown(*this);
        auto r = s.senders[slot].send(s.message(m.next_value));
        if (delivers(m, slot)) {
            if (!r) fail(kind::wrong_outcome, op + ": expected ok, got an error (no receiver)");
            if (*r != m.live_receivers()) {
                fail(kind::wrong_query, op + ": reports " + std::to_string(*r) + " receivers, expected " +
                                            std::to_string(m.live_receivers()));
            }
            return;
        }
        if (r) fail(kind::wrong_outcome, op + ": expected an error (no receiver), got ok for " + std::to_string(*r));
        s.events.note("a send refused");
        if (r.error().value.value() != m.next_value) {
            fail(kind::value_not_returned, op + ": sent " + std::to_string(m.next_value) + ", the error carries " +
                                               std::to_string(r.error().value.value()));
        }
    }
    void show(std::ostream& os) const override { os << "send(sender " << slot << ")"; }
};

// recv, try_recv or recv_timeout, as `How` says.
template <class Sync, call How>
struct recv_cmd : command<Sync> {
    std::size_t slot;
    call_style<How> how;
    explicit recv_cmd(const model& m) : slot(pick_slot(m.receivers.size())) {}
    void checkPreconditions(const model& m) const override {
        RC_PRE(slot < m.receivers.size());
        if constexpr (How == call::blocking) RC_PRE(expected_recv(m, slot).what != recv_expect::empty);  // it would block for ever
    }
    void apply(model& m) const override { apply_recv(m, slot); }
    void exercise(const model& m, handles<Sync>& s) const override {
        check_recv(shown(*this), m, slot, how.nothing("empty"), how.recv(s.receivers[slot]), s.events);
    }
    void show(std::ostream& os) const override { how.show(os, "recv", "receiver " + std::to_string(slot)); }
};

// A new receiver from a sender (subscribe) or from a receiver (resubscribe), at the tail; from
// a dropped handle, a receiver connected to nothing.
template <class Sync>
struct subscribe_cmd : command<Sync> {
    either_handle from;
    explicit subscribe_cmd(const model& m) : from(m) {}
    void checkPreconditions(const model& m) const override {
        RC_PRE(from.exists(m));
        RC_PRE(m.receivers.size() < m.receivers.max_size());
    }
    void apply(model& m) const override {
        const bool live = from.sender ? m.senders[from.slot] : m.receivers[from.slot];
        if (live) m.spec.take(spec_event(op_kind::subscribe, op_result::ok, 0, static_cast<unsigned>(m.receivers.size())));
        m.receivers.push_back(live);
    }
    void exercise(const model&, handles<Sync>& s) const override {
        if (from.sender) s.receivers.push_back(s.senders[from.slot].subscribe());
        else s.receivers.push_back(s.receivers[from.slot].resubscribe());
    }
    void show(std::ostream& os) const override { os << (from.sender ? "subscribe(" : "resubscribe(") << from.name() << ")"; }
};

template <class Sync> using copy_sender_cmd = copy_sender_command<command<Sync>, model, handles<Sync>>;

template <class Sync> using drop_sender_cmd = drop_command<command<Sync>, model, handles<Sync>, side::sender>;
template <class Sync> using drop_receiver_cmd = drop_command<command<Sync>, model, handles<Sync>, side::receiver>;

// A receiver's len(), capacity(), valid(); a sender's receiver_count(), valid().
struct broadcast_queries {
    template <class Handles>
    static void check(const std::string& op, const model& m, Handles& s, const either_handle& h) {
        const std::size_t slot = h.slot;
        if (h.sender) {
            const bool live = m.senders[slot];
            check_query<std::uint64_t>(op, "receiver_count()", s.senders[slot].receiver_count(),
                                       live ? m.live_receivers() : 0);
            check_query(op, "valid()", s.senders[slot].valid(), live);
        } else {
            const bool live = m.receivers[slot];
            check_query<std::uint64_t>(op, "len()", s.receivers[slot].len(), live ? m.tail() - m.next_of(slot) : 0);
            check_query<std::uint64_t>(op, "capacity()", s.receivers[slot].capacity(), live ? m.capacity : 0);
            check_query(op, "valid()", s.receivers[slot].valid(), live);
        }
    }
};
template <class Sync> using query_cmd = query_command<command<Sync>, model, handles<Sync>, broadcast_queries>;

// Sends as often as receives (so receivers fall behind and lag), each three times as often as
// a query or a handle operation.
template <class Sync>
auto command_generator() {
    using namespace rc::state::gen;
    using command_ptr = std::shared_ptr<const rc::state::Command<model, handles<Sync>>>;
    return [](const model& m) {
        auto sends = execOneOfWithArgs<send_cmd<Sync>>()(m);
        auto receives = execOneOfWithArgs<recv_cmd<Sync, call::blocking>, recv_cmd<Sync, call::at_once>,
                                          recv_cmd<Sync, call::timed>>()(m);
        auto queries = execOneOfWithArgs<query_cmd<Sync>>()(m);
        auto handle_ops = execOneOfWithArgs<subscribe_cmd<Sync>, copy_sender_cmd<Sync>, drop_sender_cmd<Sync>,
                                            drop_receiver_cmd<Sync>>()(m);
        return rc::gen::weightedOneOf<command_ptr>({{3, sends}, {3, receives}, {1, queries}, {1, handle_ops}});
    };
}

// The model-based property of one configuration, run under `id` (check_commands).
template <class Sync>
outcome check(const config& cfg, const std::string& id, const budget& b = {}, counting checks = counting::both) {
    return check_commands<handles<Sync>>(id, cfg, model(cfg.capacity), command_generator<Sync>(), b, checks);
}

}  // namespace chancheck_seq::broadcast
