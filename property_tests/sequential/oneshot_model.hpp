// property_tests/sequential/oneshot_model.hpp — the sequential model of chancheck::oneshot
// and the rc::state commands that drive a real channel against it.
//
// The model is harness::oneshot_spec, the sequential specification the linearizability
// checker judges concurrent histories with (spec_model.hpp): a send from an unspent sender
// to a live receiver succeeds and spends it; a receive takes the value, else is Empty/Timeout
// while the sender is unspent and Disconnected after. The model adds what the spec cannot
// say: a send consumes its sender whatever the outcome (a failed one is the sender's drop),
// a receive on a dropped receiver is Disconnected without reaching the channel, and the
// value object is held only while the receiver lives (its drop destroys it). Blocking recv
// is generated only when the spec says it returns at once. After every command the live
// message objects must be 1 while a value is held, else 0; after the sequence and the drop
// of both handles, constructions must equal destructions.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "chancheck/oneshot.hpp"
#include "spec_model.hpp"
#include "support.hpp"

namespace chancheck_seq::oneshot {

struct config {
    const char* name;  // "lock_free" or "locked"
    chancheck::implementation flavor;
};

inline std::ostream& operator<<(std::ostream& os, const config& c) { return os << c.name; }

inline const std::vector<config>& all_configs() {
    static const std::vector<config> configs = {
        {"lock_free", chancheck::implementation::lock_free},
        {"locked", chancheck::implementation::locked},
    };
    return configs;
}

// ---------------------------------------------------------------------------------------
// The model: harness::oneshot_spec.

struct model {
    spec_model<chancheck::harness::oneshot_spec> spec{chancheck::harness::oneshot_spec{}};
    std::int64_t next_value = 1;

    bool sender_live() const { return !spec.state().sender_spent; }  // not spent by a send, not dropped
    bool receiver_live() const { return spec.state().receiver_alive; }
    // The value sent and not yet taken, while the receiver lives to hold it.
    std::optional<std::int64_t> held() const {
        const auto& s = spec.state();
        if (s.ph != chancheck::harness::oneshot_spec::phase::message || !s.receiver_alive) return std::nullopt;
        return s.value;
    }
    bool send_delivers() const { return spec.allows(spec_event(op_kind::send, op_result::ok, next_value)); }
};

enum class recv_expect { message, empty, disconnected };

inline recv_expect expected_recv(const model& m) {
    if (!m.receiver_live()) return recv_expect::disconnected;
    const auto r = m.spec.first_allowed(spec_event(op_kind::recv, op_result::ok, m.held().value_or(0)),
                                        {op_result::ok, op_result::empty, op_result::disconnected});
    if (!r) throw std::logic_error("oneshot_spec allows no result for a receive");
    return *r == op_result::ok ? recv_expect::message : *r == op_result::empty ? recv_expect::empty : recv_expect::disconnected;
}

inline void apply_recv(model& m) {
    if (expected_recv(m) == recv_expect::message) m.spec.take(spec_event(op_kind::recv, op_result::ok, *m.held()));
}

// ---------------------------------------------------------------------------------------
// The system under test.

template <class Sync>
struct handles {
    handles(const config& cfg, message_counters& c) : counters(&c) {
        auto [tx, rx] = chancheck::oneshot::channel<counted, Sync>(cfg.flavor);
        sender = std::move(tx);
        receiver = std::move(rx);
    }
    void drop_all() {
        sender.reset();
        receiver.reset();
    }

    message_counters* counters;
    bool check_live_each_step = true;
    event_log events;
    chancheck::oneshot::sender<counted, Sync> sender;
    chancheck::oneshot::receiver<counted, Sync> receiver;
};

// ---------------------------------------------------------------------------------------
// Result checks.

// A receive's result against the model; `none_name` is "empty" or "timeout".
template <class R>
void check_recv(const std::string& op, const model& m, const char* none_name, const R& r) {
    const std::string got = r ? "message " + std::to_string(r.value().value()) : chancheck::to_string(r.error());
    switch (expected_recv(m)) {
        case recv_expect::message:
            if (r && r.value().value() == *m.held()) return;
            if (r) fail(kind::wrong_value, op + ": expected message " + std::to_string(*m.held()) + ", got " + got);
            fail(got == "disconnected" ? kind::early_disconnect : kind::wrong_outcome,
                 op + ": expected message " + std::to_string(*m.held()) + ", got " + got);
        case recv_expect::empty: return check_no_message(op, none_name, got);
        case recv_expect::disconnected: return check_no_message(op, "disconnected", got);
    }
}

// ---------------------------------------------------------------------------------------
// Commands.

inline std::size_t held_objects(const model& m) { return m.held() ? 1 : 0; }

inline void note_events(const model& before, const model& after, event_log& log) {
    if (before.held() && !after.held()) log.note(after.receiver_live() ? "value received" : "value dropped with the receiver");
}

template <class Sync>
using command = model_command<model, handles<Sync>>;

template <class Sync>
struct send_cmd : command<Sync> {
    void apply(model& m) const override {
        // Spent whatever the outcome: a failed send is the sender's drop.
        if (m.send_delivers()) m.spec.take(spec_event(op_kind::send, op_result::ok, m.next_value));
        else m.spec.take(spec_event(op_kind::drop_sender, op_result::ok));
        ++m.next_value;
    }
    void exercise(const model& m, handles<Sync>& s) const override {
        const std::string op = shown(*this);
        auto r = s.sender.send(counted(m.next_value, *s.counters));
        if (m.send_delivers()) {
            if (!r) fail(kind::wrong_outcome, op + ": expected ok, got disconnected");
        } else {
            if (r) fail(kind::wrong_outcome, op + ": expected disconnected, got ok");
            if (r.error().value.value() != m.next_value) {
                fail(kind::value_not_returned, op + ": sent " + std::to_string(m.next_value) + ", the error carries " +
                                                   std::to_string(r.error().value.value()));
            }
        }
        check_query(op, "sender valid() after a send", s.sender.valid(), false);
        if (m.sender_live() && !m.receiver_live()) s.events.note("send to a dropped receiver");
    }
    void show(std::ostream& os) const override { os << "send"; }
};

// recv, try_recv or recv_timeout, as `How` says.
template <class Sync, call How>
struct recv_cmd : command<Sync> {
    call_style<How> how;
    void checkPreconditions(const model& m) const override {
        if constexpr (How == call::blocking) RC_PRE(expected_recv(m) != recv_expect::empty);  // it would block for ever
    }
    void apply(model& m) const override { apply_recv(m); }
    void exercise(const model& m, handles<Sync>& s) const override {
        check_recv(shown(*this), m, how.nothing("empty"), how.recv(s.receiver));
    }
    void show(std::ostream& os) const override { how.show(os, "recv", ""); }
};

template <class Sync>
struct drop_sender_cmd : command<Sync> {
    void apply(model& m) const override { m.spec.take(spec_event(op_kind::drop_sender, op_result::ok)); }
    void exercise(const model& m, handles<Sync>& s) const override {
        s.sender.reset();
        if (m.sender_live() && m.receiver_live()) s.events.note("sender dropped unsent, receiver waiting");
    }
    void show(std::ostream& os) const override { os << "drop(sender)"; }
};

template <class Sync>
struct drop_receiver_cmd : command<Sync> {
    void apply(model& m) const override {
        if (m.receiver_live()) m.spec.take(spec_event(op_kind::drop_receiver, op_result::ok));  // destroys a held value
    }
    void exercise(const model&, handles<Sync>& s) const override { s.receiver.reset(); }
    void show(std::ostream& os) const override { os << "drop(receiver)"; }
};

// valid() of both handles.
template <class Sync>
struct query_cmd : command<Sync> {
    void exercise(const model& m, handles<Sync>& s) const override {
        check_query("query", "sender valid()", s.sender.valid(), m.sender_live());
        check_query("query", "receiver valid()", s.receiver.valid(), m.receiver_live());
    }
    void show(std::ostream& os) const override { os << "query"; }
};

// Receives as often as everything else together: a oneshot has few states, and most of the
// sequence is spent receiving in them.
template <class Sync>
auto command_generator() {
    using namespace rc::state::gen;
    using command_ptr = std::shared_ptr<const rc::state::Command<model, handles<Sync>>>;
    return [](const model& m) {
        auto receives = execOneOfWithArgs<recv_cmd<Sync, call::blocking>, recv_cmd<Sync, call::at_once>,
                                          recv_cmd<Sync, call::timed>>()(m);
        auto others = execOneOfWithArgs<send_cmd<Sync>, drop_sender_cmd<Sync>, drop_receiver_cmd<Sync>,
                                        query_cmd<Sync>>()(m);
        return rc::gen::weightedOneOf<command_ptr>({{1, receives}, {1, others}});
    };
}

// The model-based property of one flavor, run under `id` (check_commands).
template <class Sync>
outcome check(const config& cfg, const std::string& id, const budget& b = {}, counting checks = counting::both) {
    return check_commands<handles<Sync>>(id, cfg, model{}, command_generator<Sync>(), b, checks);
}

}  // namespace chancheck_seq::oneshot
