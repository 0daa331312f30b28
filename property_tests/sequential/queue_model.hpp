// property_tests/sequential/queue_model.hpp — the sequential model of the queue channels,
// chancheck::mpsc (Rust std::sync::mpsc) and chancheck::mpmc (crossbeam-channel), and the
// rc::state commands that drive a real channel against it, one command at a time.
//
// The model is harness::queue_spec, the sequential specification the linearizability
// checker judges concurrent histories with (spec_model.hpp): it says which result each
// operation may have. A single thread adds one rule: a send never meets a waiting receiver,
// so a rendezvous (capacity 0) send is always "no room". The model adds what the spec cannot
// say: one liveness flag per sender slot and receiver slot — a dropped handle stays in its
// slot, connected to nothing, and operations on it are tested too (they must fail with
// Disconnected and hand the value back) — and the message objects the channel holds (the
// last receiver's drop destroys the queue at once). Blocking send/recv are generated only
// when the spec says they return at once (checkPreconditions): a single thread that blocks
// is never woken. After every command the live message objects must equal the held ones;
// after the sequence and the drop of every handle, constructions must equal destructions.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "chancheck/mpmc.hpp"
#include "chancheck/mpsc.hpp"
#include "spec_model.hpp"
#include "support.hpp"

namespace chancheck_seq::queue {

// One channel configuration: capacity and flavor.
struct config {
    const char* name;                     // test-name suffix, e.g. "bounded3_locked"
    std::optional<std::size_t> capacity;  // nullopt: unbounded; 0: rendezvous
    chancheck::implementation flavor;
};

inline std::ostream& operator<<(std::ostream& os, const config& c) { return os << c.name; }

// Unbounded, bounded 1..4 and rendezvous, each on both flavors.
inline const std::vector<config>& all_configs() {
    static const std::vector<config> configs = {
        {"unbounded_lock_free", std::nullopt, chancheck::implementation::lock_free},
        {"unbounded_locked", std::nullopt, chancheck::implementation::locked},
        {"bounded1_lock_free", std::size_t{1}, chancheck::implementation::lock_free},
        {"bounded1_locked", std::size_t{1}, chancheck::implementation::locked},
        {"bounded2_lock_free", std::size_t{2}, chancheck::implementation::lock_free},
        {"bounded2_locked", std::size_t{2}, chancheck::implementation::locked},
        {"bounded3_lock_free", std::size_t{3}, chancheck::implementation::lock_free},
        {"bounded3_locked", std::size_t{3}, chancheck::implementation::locked},
        {"bounded4_lock_free", std::size_t{4}, chancheck::implementation::lock_free},
        {"bounded4_locked", std::size_t{4}, chancheck::implementation::locked},
        {"rendezvous_lock_free", std::size_t{0}, chancheck::implementation::lock_free},
        {"rendezvous_locked", std::size_t{0}, chancheck::implementation::locked},
    };
    return configs;
}

// The quick budget, with longer sequences for the unbounded channels: 32 messages must pass
// through a channel to cross one of the list flavor's 31-slot blocks.
inline budget budget_for(const config& c) {
    budget b;
    if (!c.capacity) b.max_size = 400;
    return b;
}

// The two channel kinds: same operations, only the receiver's copyability differs.
template <class Sync>
struct mpsc_kind {
    static constexpr bool cloneable_receivers = false;
    using sender = chancheck::mpsc::sender<counted, Sync>;
    using receiver = chancheck::mpsc::receiver<counted, Sync>;
    static std::pair<sender, receiver> make(const config& c) {
        if (c.capacity) return chancheck::mpsc::sync_channel<counted, Sync>(*c.capacity, c.flavor);
        return chancheck::mpsc::channel<counted, Sync>(c.flavor);
    }
};

template <class Sync>
struct mpmc_kind {
    static constexpr bool cloneable_receivers = true;
    using sender = chancheck::mpmc::sender<counted, Sync>;
    using receiver = chancheck::mpmc::receiver<counted, Sync>;
    static std::pair<sender, receiver> make(const config& c) {
        if (c.capacity) return chancheck::mpmc::bounded<counted, Sync>(*c.capacity, c.flavor);
        return chancheck::mpmc::unbounded<counted, Sync>(c.flavor);
    }
};

// ---------------------------------------------------------------------------------------
// The model: harness::queue_spec (the specification the linearizability checker uses) for
// the channel, and what it cannot say — which handle slot is live.

struct model {
    model(std::optional<std::size_t> cap, std::size_t receivers_at_most)
        : capacity(cap),
          max_receivers(receivers_at_most),
          spec(chancheck::harness::queue_spec({cap, /*senders=*/1, /*receivers=*/1})) {}

    std::optional<std::size_t> capacity;
    std::size_t max_receivers = 1;  // 1 for mpsc (move-only receiver), else up to 3 clones
    spec_model<chancheck::harness::queue_spec> spec;
    slot_array<bool, 3> senders{true};  // per slot: live, or dropped
    slot_array<bool, 3> receivers{true};
    std::int64_t next_value = 1;  // the value the next send carries (every send gets a new one)
    std::uint64_t sent_total = 0;  // successful sends so far

    std::size_t live_senders() const {
        return static_cast<std::size_t>(std::count(senders.begin(), senders.end(), true));
    }
    std::size_t live_receivers() const {
        return static_cast<std::size_t>(std::count(receivers.begin(), receivers.end(), true));
    }
    std::size_t queued() const { return spec.state().len(); }
    std::int64_t front() const { return queued() > 0 ? spec.state().buf[spec.state().head] : 0; }
    // Message objects the channel holds: the queue, until the last receiver's drop destroys it
    // (the spec lets a concurrent observer see that discard half done; one thread cannot).
    std::size_t held() const { return live_receivers() == 0 ? 0 : queued(); }
};

enum class send_expect { ok, full, disconnected };

// A lone thread's send never meets a waiting receiver, so where the spec allows both a
// rendezvous hand-off and "no room", a single thread sees "no room": full before ok.
inline send_expect expected_send(const model& m, std::size_t slot) {
    if (!m.senders[slot]) return send_expect::disconnected;
    const auto r = m.spec.first_allowed(spec_event(op_kind::send, op_result::ok, m.next_value),
                                        {op_result::disconnected, op_result::full, op_result::ok});
    if (!r) throw std::logic_error("queue_spec allows no result for a send");
    return *r == op_result::ok ? send_expect::ok : *r == op_result::full ? send_expect::full : send_expect::disconnected;
}

enum class recv_expect { message, empty, disconnected };

inline recv_expect expected_recv(const model& m, std::size_t slot) {
    if (!m.receivers[slot]) return recv_expect::disconnected;
    const auto r = m.spec.first_allowed(spec_event(op_kind::recv, op_result::ok, m.front()),
                                        {op_result::ok, op_result::empty, op_result::disconnected});
    if (!r) throw std::logic_error("queue_spec allows no result for a receive");
    return *r == op_result::ok ? recv_expect::message : *r == op_result::empty ? recv_expect::empty : recv_expect::disconnected;
}

inline void apply_send(model& m, std::size_t slot) {
    if (expected_send(m, slot) == send_expect::ok) {
        m.spec.take(spec_event(op_kind::send, op_result::ok, m.next_value));
        ++m.sent_total;
    }
    ++m.next_value;
}

inline void apply_recv(model& m, std::size_t slot) {
    if (expected_recv(m, slot) == recv_expect::message) m.spec.take(spec_event(op_kind::recv, op_result::ok, m.front()));
}

// ---------------------------------------------------------------------------------------
// The system under test: the handles in their slots.

template <class Kind>
struct handles : slot_handles<typename Kind::sender, typename Kind::receiver> {
    handles(const config& cfg, message_counters& c)
        : slot_handles<typename Kind::sender, typename Kind::receiver>(Kind::make(cfg), c) {}
};

// ---------------------------------------------------------------------------------------
// Result checks shared by the commands.

inline const char* name_of(send_expect e, const char* no_room) {
    switch (e) {
        case send_expect::ok: return "ok";
        case send_expect::full: return no_room;
        case send_expect::disconnected: break;
    }
    return "disconnected";
}

// `got`: "ok" or the error's name; `returned`: the value the error carries.
inline void check_send(const std::string& op, const std::string& want, const std::string& got,
                       std::optional<std::int64_t> returned, std::int64_t sent) {
    if (got != want) fail(kind::wrong_outcome, op + ": expected " + want + ", got " + got);
    if (got != "ok" && returned != sent) {
        fail(kind::value_not_returned, op + ": sent " + std::to_string(sent) + ", the error carries " +
                                           (returned ? std::to_string(*returned) : std::string("nothing")));
    }
}

// `got`: the message received, or nothing and the error's name in `error`.
inline void check_recv(const std::string& op, const model& m, recv_expect want, const char* none_name,
                       std::optional<std::int64_t> got, const std::string& error) {
    const std::string got_text = got ? "message " + std::to_string(*got) : error;
    switch (want) {
        case recv_expect::message: {
            const std::int64_t front = m.front();
            if (!got) {
                fail(error == "disconnected" ? kind::early_disconnect : kind::wrong_outcome,
                     op + ": expected message " + std::to_string(front) + " (" + std::to_string(m.queued()) +
                         " queued), got " + error);
            }
            if (*got != front) {
                fail(kind::wrong_value, op + ": expected message " + std::to_string(front) + ", got message " +
                                            std::to_string(*got));
            }
            return;
        }
        case recv_expect::empty: return check_no_message(op, none_name, got_text);
        case recv_expect::disconnected: return check_no_message(op, "disconnected", got_text);
    }
}

// ---------------------------------------------------------------------------------------
// Commands. Each runs one operation on the channel and checks its result against the model
// (exercise), then the live message objects against the model after the command (run).

inline std::size_t held_objects(const model& m) { return m.held(); }

inline void note_events(const model& before, const model& after, event_log& log) {
    if (after.capacity && *after.capacity > 0 && after.queued() == *after.capacity) log.note("buffer full");
    if (after.sent_total > before.sent_total && after.sent_total == 32) log.note("32 messages sent (a list block)");
    if (after.next_value > before.next_value && after.sent_total == before.sent_total) log.note("a send refused");
    if (before.live_receivers() > 0 && after.live_receivers() == 0 && before.queued() > 0)
        log.note("last receiver dropped with messages queued");
    if (before.live_senders() > 0 && after.live_senders() == 0 && after.held() > 0)
        log.note("last sender dropped with messages queued");
    if (after.live_senders() == 0 && after.live_receivers() > 0 && after.queued() < before.queued())
        log.note("drained after the last sender");
}

template <class Kind>
using command = model_command<model, handles<Kind>>;

// send, try_send or send_timeout, as `How` says.
template <class Kind, call How>
struct send_cmd : command<Kind> {
    std::size_t slot;
    call_style<How> how;
    explicit send_cmd(const model& m) : slot(pick_slot(m.senders.size())) {}
    void checkPreconditions(const model& m) const override {
        RC_PRE(slot < m.senders.size());
        if constexpr (How == call::blocking) RC_PRE(expected_send(m, slot) != send_expect::full);  // it would block for ever
    }
    void apply(model& m) const override { apply_send(m, slot); }
    void exercise(const model& m, handles<Kind>& s) const override {
        auto r = how.send(s.senders[slot], s.message(m.next_value));
        std::string got = "ok";
        std::optional<std::int64_t> back;
        if (!r) {
            back = r.error().value.value();
            if constexpr (How == call::blocking) got = "disconnected";  // send's only error
            else got = chancheck::to_string(r.error().status);
        }
        check_send(shown(*this), name_of(expected_send(m, slot), how.nothing("full")), got, back, m.next_value);
    }
    void show(std::ostream& os) const override { how.show(os, "send", "sender " + std::to_string(slot)); }
};

// recv, try_recv or recv_timeout, as `How` says.
template <class Kind, call How>
struct recv_cmd : command<Kind> {
    std::size_t slot;
    call_style<How> how;
    explicit recv_cmd(const model& m) : slot(pick_slot(m.receivers.size())) {}
    void checkPreconditions(const model& m) const override {
        RC_PRE(slot < m.receivers.size());
        if constexpr (How == call::blocking) RC_PRE(expected_recv(m, slot) != recv_expect::empty);  // it would block for ever
    }
    void apply(model& m) const override { apply_recv(m, slot); }
    void exercise(const model& m, handles<Kind>& s) const override {
        auto r = how.recv(s.receivers[slot]);
        std::optional<std::int64_t> got;
        if (r) got = r.value().value();
        check_recv(shown(*this), m, expected_recv(m, slot), how.nothing("empty"), got,
                   r ? "" : chancheck::to_string(r.error()));
    }
    void show(std::ostream& os) const override { how.show(os, "recv", "receiver " + std::to_string(slot)); }
};

// Copies a sender into a new slot (a dropped one copies to a dropped one).
template <class Kind> using copy_sender_cmd = copy_sender_command<command<Kind>, model, handles<Kind>>;

// Clones a receiver into a new slot (mpmc only).
template <class Kind>
struct clone_receiver_cmd : command<Kind> {
    std::size_t slot;
    explicit clone_receiver_cmd(const model& m) : slot(pick_slot(m.receivers.size())) {}
    void checkPreconditions(const model& m) const override {
        RC_PRE(slot < m.receivers.size());
        RC_PRE(m.receivers.size() < m.max_receivers);
    }
    void apply(model& m) const override {
        if (m.receivers[slot]) m.spec.take(spec_event(op_kind::clone_receiver, op_result::ok));
        m.receivers.push_back(m.receivers[slot]);
    }
    void exercise(const model&, handles<Kind>& s) const override {
        typename Kind::receiver copy = s.receivers[slot];
        s.receivers.push_back(std::move(copy));
    }
    void show(std::ostream& os) const override { os << "clone(receiver " << slot << ")"; }
};

template <class Kind> using drop_sender_cmd = drop_command<command<Kind>, model, handles<Kind>, side::sender>;
template <class Kind> using drop_receiver_cmd = drop_command<command<Kind>, model, handles<Kind>, side::receiver>;

// len(), is_empty(), capacity(), is_disconnected() and valid() of one handle.
struct queue_queries {
    template <class Handles>
    static void check(const std::string& op, const model& m, Handles& s, const either_handle& h) {
        if (h.sender) check_handle(op, m, m.senders[h.slot], m.live_receivers() == 0, s.senders[h.slot]);
        else check_handle(op, m, m.receivers[h.slot], m.live_senders() == 0, s.receivers[h.slot]);
    }

private:
    template <class Handle>
    static void check_handle(const std::string& op, const model& m, bool live, bool other_side_gone, const Handle& h) {
        const std::uint64_t len = live ? m.held() : 0;
        check_query<std::uint64_t>(op, "len()", h.len(), len);
        check_query(op, "is_empty()", h.is_empty(), len == 0);
        check_query(op, "capacity()", h.capacity(), live ? m.capacity : std::nullopt);
        check_query(op, "is_disconnected()", h.is_disconnected(), !live || other_side_gone);
        check_query(op, "valid()", h.valid(), live);
    }
};
template <class Kind> using query_cmd = query_command<command<Kind>, model, handles<Kind>, queue_queries>;

// Sends and receives most of the time, so that sequences fill, drain and wrap the buffer
// (and, unbounded, cross a 31-slot list block) before the handles are gone; dropping the
// last live handle of a side (after which little can happen) is the rarest command.
template <class Kind>
auto command_generator() {
    using namespace rc::state::gen;
    using command_ptr = std::shared_ptr<const rc::state::Command<model, handles<Kind>>>;
    return [](const model& m) {
        auto sends = execOneOfWithArgs<send_cmd<Kind, call::blocking>, send_cmd<Kind, call::at_once>,
                                       send_cmd<Kind, call::timed>>()(m);
        auto receives = execOneOfWithArgs<recv_cmd<Kind, call::blocking>, recv_cmd<Kind, call::at_once>,
                                          recv_cmd<Kind, call::timed>>()(m);
        auto queries = execOneOfWithArgs<query_cmd<Kind>>()(m);
        auto copies = [&m] {
            if constexpr (Kind::cloneable_receivers) {
                return execOneOfWithArgs<copy_sender_cmd<Kind>, clone_receiver_cmd<Kind>>()(m);
            } else {
                return execOneOfWithArgs<copy_sender_cmd<Kind>>()(m);
            }
        }();
        auto drop_senders = execOneOfWithArgs<drop_sender_cmd<Kind>>()(m);
        auto drop_receivers = execOneOfWithArgs<drop_receiver_cmd<Kind>>()(m);
        const std::size_t drop_sender_weight = m.live_senders() > 1 ? 10 : 1;
        const std::size_t drop_receiver_weight = m.live_receivers() > 1 ? 10 : 1;
        return rc::gen::weightedOneOf<command_ptr>({{60, sends},
                                                    {50, receives},
                                                    {10, queries},
                                                    {10, copies},
                                                    {drop_sender_weight, drop_senders},
                                                    {drop_receiver_weight, drop_receivers}});
    };
}

// The model-based property of one configuration, run under `id` (check_commands).
template <class Kind>
outcome check(const config& cfg, const std::string& id, const budget& b = {}, counting checks = counting::both) {
    const model initial(cfg.capacity, Kind::cloneable_receivers ? 3 : 1);
    return check_commands<handles<Kind>>(id, cfg, initial, command_generator<Kind>(), b, checks);
}

}  // namespace chancheck_seq::queue
