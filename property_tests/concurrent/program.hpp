// property_tests/concurrent/program.hpp — generated producer/consumer programs over any
// channel of the concept (harness/channel.hpp).
//
// A program is one or two channels of one adapter (the *subject*, named by its adapter's
// name) and 2 to 4 threads. Each thread holds the handles the program gives it (created
// before the threads start) and runs a short list of the concept's operations that the
// subject offers: blocking, try and timed sends and receives, the observers len() and
// is_empty(), a select over the receivers it holds, and early drops of its handles. A thread
// drops every handle it still holds when its list ends. Message values encode the sending
// thread and its send count (harness::encode), so the oracles can tell every message apart.
//
// Programs are plain data with a text form (`to_text` / `parse_program`) that a replay
// command carries, e.g.
//   "mpmc_lock_free/cap=1/ch=2 | t0[s0,r1]: send@0 recv@1 len@0 | t1[r0,r1]: select"
// RapidCheck generates them (gen_program) and shrinks them toward fewer threads, fewer
// operations and simpler subjects.
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "chancheck/harness/channel.hpp"

namespace chancheck::props {

using harness::channel_kind;
using harness::op_code;
using harness::to_string;

// What the generator needs to know of a subject: the adapter's name, kind and capabilities.
struct channel_caps {
    std::string name;
    channel_kind kind = channel_kind::mpsc;
    bool multi_consumer = false;
    bool global_fifo = true;
    std::vector<op_code> ops;      // the operations it offers
    std::vector<int> capacities;   // those it supports among unbounded (-1) and 0..4
    bool (*selectable)(std::optional<std::size_t>) = nullptr;
    harness::flavor (*flavor_of)(std::optional<std::size_t>) = nullptr;

    bool offers(op_code c) const { return std::find(ops.begin(), ops.end(), c) != ops.end(); }
    bool can_select(std::optional<std::size_t> capacity) const {
        return offers(op_code::select_recv) && selectable != nullptr && selectable(capacity);
    }
};

template <class Adapted>
channel_caps caps_of() {
    using traits = harness::channel_traits<Adapted, harness::counted>;
    channel_caps c;
    c.name = traits::name;
    c.kind = traits::kind;
    c.multi_consumer = traits::multi_consumer;
    c.global_fifo = traits::global_fifo;
    for (op_code code : harness::all_op_codes)
        if (traits::offers(code)) c.ops.push_back(code);
    for (int cap : {-1, 0, 1, 2, 3, 4})
        if (Adapted::supports(cap < 0 ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(cap))))
            c.capacities.push_back(cap);
    c.selectable = &traits::selectable;
    c.flavor_of = &traits::flavor_of;
    return c;
}

struct op {
    op_code code = op_code::send;
    unsigned channel = 0;  // ignored by select_recv
    friend bool operator==(const op&, const op&) = default;
};

struct thread_plan {
    std::vector<bool> sender;    // per channel: holds a sender at start
    std::vector<bool> receiver;  // per channel: holds a receiver at start
    std::vector<op> ops;
    friend bool operator==(const thread_plan&, const thread_plan&) = default;
};

struct program {
    std::string subject;                   // the adapter's name
    channel_kind kind = channel_kind::mpsc;  // the subject's kind (not part of the text)
    std::optional<std::size_t> capacity;   // none: unbounded
    unsigned channels = 1;
    std::vector<thread_plan> threads;
    friend bool operator==(const program&, const program&) = default;

    std::size_t op_count() const {
        std::size_t n = 0;
        for (const auto& t : threads) n += t.ops.size();
        return n;
    }
};

// One operation as the program text writes it: recv@0, select_recv (over both channels).
inline std::string to_text(const op& o) {
    std::string s = to_string(o.code);
    if (o.code != op_code::select_recv) s += "@" + std::to_string(o.channel);
    return s;
}

inline std::string to_text(const program& p) {
    std::string s = p.subject + "/cap=" + (p.capacity ? std::to_string(*p.capacity) : "inf") + "/ch=" + std::to_string(p.channels);
    for (std::size_t t = 0; t < p.threads.size(); ++t) {
        const thread_plan& th = p.threads[t];
        s += " | t" + std::to_string(t) + "[";
        bool first = true;
        for (unsigned c = 0; c < p.channels; ++c) {
            if (th.sender[c]) s += std::string(first ? "" : ",") + "s" + std::to_string(c), first = false;
            if (th.receiver[c]) s += std::string(first ? "" : ",") + "r" + std::to_string(c), first = false;
        }
        s += "]:";
        for (const op& o : th.ops) s += " " + to_text(o);
    }
    return s;
}

// Checks that a program uses only handles its threads hold and operations its subject offers;
// returns the first problem, or an empty string.
inline std::string validate(const program& p, const channel_caps& caps) {
    if (p.channels < 1 || p.channels > 2) return "ch must be 1 or 2";
    if (p.threads.empty() || p.threads.size() > 8) return "1 to 8 threads";
    const int cap = p.capacity ? static_cast<int>(*p.capacity) : -1;
    if (std::find(caps.capacities.begin(), caps.capacities.end(), cap) == caps.capacities.end())
        return caps.name + " does not support capacity " + (p.capacity ? std::to_string(*p.capacity) : "inf");
    const bool single_receiver = !caps.multi_consumer && caps.kind != channel_kind::broadcast;
    for (unsigned c = 0; c < p.channels; ++c) {
        unsigned receivers = 0, senders = 0;
        for (const auto& t : p.threads) {
            receivers += t.receiver.size() > c && t.receiver[c];
            senders += t.sender.size() > c && t.sender[c];
        }
        if (single_receiver && receivers > 1) return "channel " + std::to_string(c) + " has " + std::to_string(receivers) + " receivers";
        if (caps.kind == channel_kind::oneshot && senders > 1) return "a oneshot has one sender";
    }
    for (std::size_t t = 0; t < p.threads.size(); ++t) {
        const thread_plan& th = p.threads[t];
        const std::string who = "t" + std::to_string(t) + ": ";
        if (th.sender.size() != p.channels || th.receiver.size() != p.channels) return who + "handle lists must name every channel";
        for (const op& o : th.ops) {
            if (!caps.offers(o.code)) return who + caps.name + " does not offer " + to_string(o.code);
            if (o.code == op_code::select_recv) {
                if (!caps.can_select(p.capacity)) return who + caps.name + " cannot select at this capacity";
                continue;
            }
            if (o.channel >= p.channels) return who + "no channel " + std::to_string(o.channel);
            const bool needs_sender = harness::is_send(o.code) || harness::is_observer(o.code) || o.code == op_code::drop_sender;
            const bool needs_receiver = harness::is_recv(o.code) || o.code == op_code::drop_receiver;
            if (needs_sender && !th.sender[o.channel]) return who + to_string(o.code) + " without a sender of channel " + std::to_string(o.channel);
            if (needs_receiver && !th.receiver[o.channel])
                return who + to_string(o.code) + " without a receiver of channel " + std::to_string(o.channel);
        }
    }
    return {};
}

// Reads a program's text; `find` gives the capabilities of the subject it names (or null).
template <class Find>
program parse_program(const std::string& text, Find find) {
    auto fail = [&](const std::string& why) -> program { throw std::invalid_argument("program '" + text + "': " + why); };
    std::vector<std::string> parts;
    for (std::size_t pos = 0;;) {
        const std::size_t bar = text.find(" | ", pos);
        parts.push_back(text.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos));
        if (bar == std::string::npos) break;
        pos = bar + 3;
    }
    program p;
    const channel_caps* caps = nullptr;
    {
        std::istringstream head(parts[0]);
        std::string subject, cap, ch;
        if (!std::getline(head, subject, '/') || !std::getline(head, cap, '/') || !std::getline(head, ch))
            return fail("expected <channel>/cap=<n|inf>/ch=<n> first");
        caps = find(subject);
        if (caps == nullptr) return fail("no channel '" + subject + "' in this property");
        p.subject = subject;
        p.kind = caps->kind;
        if (cap.rfind("cap=", 0) != 0) return fail("expected cap=");
        if (cap != "cap=inf") {
            if (cap.size() == 4 || cap.find_first_not_of("0123456789", 4) != std::string::npos) return fail("bad capacity '" + cap + "'");
            p.capacity = std::stoul(cap.substr(4));
        }
        if (ch != "ch=1" && ch != "ch=2") return fail("expected ch=1 or ch=2");
        p.channels = ch == "ch=1" ? 1 : 2;
    }
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::string& part = parts[i];
        const std::size_t open = part.find('['), close = part.find("]:");
        if (open == std::string::npos || close == std::string::npos) return fail("thread '" + part + "' needs t<i>[handles]: ops");
        thread_plan th;
        th.sender.assign(p.channels, false);
        th.receiver.assign(p.channels, false);
        std::istringstream handles(part.substr(open + 1, close - open - 1));
        std::string h;
        while (std::getline(handles, h, ',')) {
            if (h.size() != 2 || (h[0] != 's' && h[0] != 'r') || h[1] < '0' || h[1] > '1') return fail("bad handle '" + h + "'");
            const unsigned c = static_cast<unsigned>(h[1] - '0');
            if (c >= p.channels) return fail("handle '" + h + "' names no channel");
            (h[0] == 's' ? th.sender : th.receiver)[c] = true;
        }
        std::istringstream ops(part.substr(close + 2));
        std::string word;
        while (ops >> word) {
            const std::size_t at = word.find('@');
            const std::string name = word.substr(0, at);
            op o;
            bool known = false;
            for (op_code c : harness::all_op_codes)
                if (name == to_string(c)) o.code = c, known = true;
            if (!known) return fail("unknown operation '" + name + "'");
            if (at != std::string::npos) {
                const std::string ch = word.substr(at + 1);
                if (ch != "0" && ch != "1") return fail("bad channel in '" + word + "'");
                o.channel = static_cast<unsigned>(ch[0] - '0');
            }
            th.ops.push_back(o);
        }
        p.threads.push_back(std::move(th));
    }
    if (const std::string why = validate(p, *caps); !why.empty()) return fail(why);
    return p;
}

// ---- generation --------------------------------------------------------------------------

struct gen_options {
    unsigned max_threads = 4;
    unsigned max_ops = 5;
    bool allow_two_channels = true;
    bool two_channels_only = false;  // select programs
    // Real threads cannot be rescued from a deadlock the program itself causes, so programs
    // for them keep roles apart: a thread only sends or only receives, on one channel, and
    // uses no operation that would wait on its own handles.
    bool deadlock_free = false;
};

inline rc::Gen<program> gen_program(const channel_caps& caps, gen_options opt) {
    return rc::gen::exec([caps, opt] {
        program p;
        p.subject = caps.name;
        p.kind = caps.kind;
        const int cap = *rc::gen::elementOf(caps.capacities);
        if (cap >= 0) p.capacity = static_cast<std::size_t>(cap);
        const bool queue = caps.kind == channel_kind::mpsc || caps.kind == channel_kind::mpmc;
        const bool multi = opt.allow_two_channels && !opt.deadlock_free && queue;
        const bool two = multi && (opt.two_channels_only || *rc::gen::arbitrary<bool>());
        p.channels = two ? 2 : 1;
        const bool single_receiver = !caps.multi_consumer && caps.kind != channel_kind::broadcast;
        const unsigned n = *rc::gen::inRange(2u, opt.max_threads + 1);
        p.threads.resize(n);
        for (auto& th : p.threads) {
            th.sender.assign(p.channels, false);
            th.receiver.assign(p.channels, false);
        }
        // Handles: a single-receiver kind has one receiver per channel; a oneshot one sender.
        for (unsigned c = 0; c < p.channels; ++c) {
            const unsigned owner = *rc::gen::inRange(0u, n);
            p.threads[owner].receiver[c] = true;
            if (caps.kind == channel_kind::oneshot) {
                p.threads[(owner + 1 + *rc::gen::inRange(0u, n - 1)) % n].sender[c] = true;
                continue;
            }
            for (unsigned t = 0; t < n; ++t) {
                if (opt.deadlock_free && p.threads[t].receiver[c]) continue;
                if (t != owner && !single_receiver && *rc::gen::arbitrary<bool>()) p.threads[t].receiver[c] = true;
                else if (!p.threads[t].receiver[c] || !opt.deadlock_free) p.threads[t].sender[c] = t != owner || *rc::gen::arbitrary<bool>();
            }
        }
        if (opt.deadlock_free)
            for (auto& th : p.threads)
                if (th.receiver[0]) th.sender[0] = false;
        for (auto& th : p.threads) {
            std::vector<op> choices;
            const auto offer = [&](op_code code, unsigned c) {
                if (caps.offers(code)) choices.push_back({code, c});
            };
            for (unsigned c = 0; c < p.channels; ++c) {
                if (th.sender[c]) {
                    for (op_code code : {op_code::send, op_code::try_send, op_code::send_timeout, op_code::len, op_code::is_empty,
                                         op_code::drop_sender})
                        offer(code, c);
                }
                if (th.receiver[c])
                    for (op_code code : {op_code::recv, op_code::try_recv, op_code::recv_timeout, op_code::drop_receiver}) offer(code, c);
            }
            if (p.channels == 2 && th.receiver[0] && th.receiver[1] && caps.can_select(p.capacity))
                choices.push_back({op_code::select_recv, 0});
            if (choices.empty()) continue;
            const unsigned count = *rc::gen::inRange(0u, opt.max_ops + 1);
            for (unsigned i = 0; i < count; ++i) th.ops.push_back(*rc::gen::elementOf(choices));
        }
        return p;
    });
}

}  // namespace chancheck::props
