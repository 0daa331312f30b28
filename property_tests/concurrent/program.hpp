// property_tests/concurrent/program.hpp — generated producer/consumer programs.
//
// A program is one or two channels of one kind (mpsc, mpmc, broadcast, oneshot) and 2 to 4
// threads. Each thread holds the handles the program gives it (created before the threads
// start) and runs a short list of operations: blocking, try and timed sends and receives, a
// select over the receivers it holds, and early drops of its handles. A thread drops every
// handle it still holds when its list ends. Message values encode the sending thread and
// its send count (harness::encode), so the oracles can tell every message apart.
//
// Programs are plain data with a text form (`to_text` / `parse_program`) that a replay
// command carries; RapidCheck generates them (gen_program) and shrinks them toward fewer
// threads, fewer operations and simpler kinds.
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

#include "chancheck/detail/handles.hpp"

namespace chancheck::props {

enum class channel_kind { mpsc, mpmc, broadcast, oneshot };
enum class op_code { send, try_send, send_timeout, recv, try_recv, recv_timeout, select_recv, drop_sender, drop_receiver };

inline const char* to_string(channel_kind k) {
    switch (k) {
        case channel_kind::mpsc: return "mpsc";
        case channel_kind::mpmc: return "mpmc";
        case channel_kind::broadcast: return "broadcast";
        case channel_kind::oneshot: return "oneshot";
    }
    return "?";
}

inline const char* to_string(op_code c) {
    switch (c) {
        case op_code::send: return "send";
        case op_code::try_send: return "try_send";
        case op_code::send_timeout: return "send_timeout";
        case op_code::recv: return "recv";
        case op_code::try_recv: return "try_recv";
        case op_code::recv_timeout: return "recv_timeout";
        case op_code::select_recv: return "select";
        case op_code::drop_sender: return "drop_sender";
        case op_code::drop_receiver: return "drop_receiver";
    }
    return "?";
}

inline bool is_send(op_code c) { return c == op_code::send || c == op_code::try_send || c == op_code::send_timeout; }
inline bool is_recv(op_code c) { return c == op_code::recv || c == op_code::try_recv || c == op_code::recv_timeout; }

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
    channel_kind kind = channel_kind::mpsc;
    implementation impl = implementation::lock_free;
    std::optional<std::size_t> capacity;  // none: unbounded (mpsc, mpmc); broadcast: 1..4
    unsigned channels = 1;
    std::vector<thread_plan> threads;
    friend bool operator==(const program&, const program&) = default;

    std::size_t op_count() const {
        std::size_t n = 0;
        for (const auto& t : threads) n += t.ops.size();
        return n;
    }
};

// "mpmc/lock_free/cap=1/ch=2 | t0[s0,r1]: send@0 recv@1 | t1[r0]: select"
inline std::string to_text(const program& p) {
    std::string s = std::string(to_string(p.kind)) + "/" + (p.impl == implementation::locked ? "locked" : "lock_free") + "/cap=" +
                    (p.capacity ? std::to_string(*p.capacity) : "inf") + "/ch=" + std::to_string(p.channels);
    for (std::size_t t = 0; t < p.threads.size(); ++t) {
        const thread_plan& th = p.threads[t];
        s += " | t" + std::to_string(t) + "[";
        bool first = true;
        for (unsigned c = 0; c < p.channels; ++c) {
            if (th.sender[c]) s += std::string(first ? "" : ",") + "s" + std::to_string(c), first = false;
            if (th.receiver[c]) s += std::string(first ? "" : ",") + "r" + std::to_string(c), first = false;
        }
        s += "]:";
        for (const op& o : th.ops) {
            s += " " + std::string(to_string(o.code));
            if (o.code != op_code::select_recv) s += "@" + std::to_string(o.channel);
        }
    }
    return s;
}

// Select takes mpsc and mpmc channels of every flavor but the locked rendezvous one (it
// throws std::logic_error there, see select.hpp).
inline bool selectable(const program& p) {
    if (p.kind != channel_kind::mpsc && p.kind != channel_kind::mpmc) return false;
    return !(p.impl == implementation::locked && p.capacity && *p.capacity == 0);
}

// Checks that a program only uses handles its threads hold and fits its kind; returns the
// first problem, or an empty string.
inline std::string validate(const program& p) {
    if (p.channels < 1 || p.channels > 2) return "ch must be 1 or 2";
    if (p.threads.empty() || p.threads.size() > 8) return "1 to 8 threads";
    if (p.kind == channel_kind::broadcast && (!p.capacity || *p.capacity == 0)) return "broadcast needs cap >= 1";
    if ((p.kind == channel_kind::oneshot || p.kind == channel_kind::broadcast) && p.channels != 1) return "one channel only";
    for (unsigned c = 0; c < p.channels; ++c) {
        unsigned receivers = 0, senders = 0;
        for (const auto& t : p.threads) {
            receivers += t.receiver.size() > c && t.receiver[c];
            senders += t.sender.size() > c && t.sender[c];
        }
        if ((p.kind == channel_kind::mpsc || p.kind == channel_kind::oneshot) && receivers > 1)
            return "channel " + std::to_string(c) + " has " + std::to_string(receivers) + " receivers";
        if (p.kind == channel_kind::oneshot && senders > 1) return "a oneshot has one sender";
    }
    for (std::size_t t = 0; t < p.threads.size(); ++t) {
        const thread_plan& th = p.threads[t];
        if (th.sender.size() != p.channels || th.receiver.size() != p.channels)
            return "t" + std::to_string(t) + ": handle lists must name every channel";
        for (const op& o : th.ops) {
            if (o.code != op_code::select_recv && o.channel >= p.channels) return "t" + std::to_string(t) + ": no channel " + std::to_string(o.channel);
            if ((is_send(o.code) || o.code == op_code::drop_sender) && !th.sender[o.channel])
                return "t" + std::to_string(t) + ": " + to_string(o.code) + " without a sender of channel " + std::to_string(o.channel);
            if ((is_recv(o.code) || o.code == op_code::drop_receiver) && !th.receiver[o.channel])
                return "t" + std::to_string(t) + ": " + to_string(o.code) + " without a receiver of channel " + std::to_string(o.channel);
            if (o.code == op_code::select_recv && !selectable(p))
                return "select works on mpsc and mpmc channels, and not on the locked rendezvous flavor";
            if (p.kind == channel_kind::broadcast && (o.code == op_code::try_send || o.code == op_code::send_timeout))
                return "a broadcast send never blocks: use send";
            if (p.kind == channel_kind::oneshot && (o.code == op_code::try_send || o.code == op_code::send_timeout))
                return "a oneshot has only send";
        }
    }
    return {};
}

inline program parse_program(const std::string& text) {
    auto fail = [&](const std::string& why) -> program {
        throw std::invalid_argument("program '" + text + "': " + why);
    };
    std::vector<std::string> parts;
    {
        std::size_t pos = 0;
        for (;;) {
            const std::size_t bar = text.find(" | ", pos);
            parts.push_back(text.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos));
            if (bar == std::string::npos) break;
            pos = bar + 3;
        }
    }
    program p;
    {
        std::istringstream head(parts[0]);
        std::string kind, impl, cap, ch;
        if (!std::getline(head, kind, '/') || !std::getline(head, impl, '/') || !std::getline(head, cap, '/') || !std::getline(head, ch))
            return fail("expected <kind>/<flavor>/cap=<n|inf>/ch=<n> first");
        if (kind == "mpsc") p.kind = channel_kind::mpsc;
        else if (kind == "mpmc") p.kind = channel_kind::mpmc;
        else if (kind == "broadcast") p.kind = channel_kind::broadcast;
        else if (kind == "oneshot") p.kind = channel_kind::oneshot;
        else return fail("unknown kind '" + kind + "'");
        if (impl == "locked") p.impl = implementation::locked;
        else if (impl == "lock_free") p.impl = implementation::lock_free;
        else return fail("unknown flavor '" + impl + "'");
        if (cap.rfind("cap=", 0) != 0) return fail("expected cap=");
        if (cap != "cap=inf") p.capacity = std::stoul(cap.substr(4));
        if (ch.rfind("ch=", 0) != 0) return fail("expected ch=");
        p.channels = static_cast<unsigned>(std::stoul(ch.substr(3)));
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
            if (h.size() < 2 || (h[0] != 's' && h[0] != 'r')) return fail("bad handle '" + h + "'");
            const unsigned c = static_cast<unsigned>(std::stoul(h.substr(1)));
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
            for (op_code c : {op_code::send, op_code::try_send, op_code::send_timeout, op_code::recv, op_code::try_recv,
                              op_code::recv_timeout, op_code::select_recv, op_code::drop_sender, op_code::drop_receiver})
                if (name == to_string(c)) o.code = c, known = true;
            if (!known) return fail("unknown operation '" + name + "'");
            if (at != std::string::npos) o.channel = static_cast<unsigned>(std::stoul(word.substr(at + 1)));
            th.ops.push_back(o);
        }
        p.threads.push_back(std::move(th));
    }
    if (const std::string why = validate(p); !why.empty()) return fail(why);
    return p;
}

// ---- generation --------------------------------------------------------------------------

struct gen_limits {
    std::vector<channel_kind> kinds{channel_kind::mpsc, channel_kind::mpmc, channel_kind::broadcast, channel_kind::oneshot};
    std::vector<implementation> flavors{implementation::lock_free, implementation::locked};
    std::vector<int> capacities{-1, 0, 1, 2, 3, 4};  // mpsc / mpmc; -1: unbounded
    bool two_channels_only = false;
    unsigned max_threads = 4;
    unsigned max_ops = 5;
    bool allow_two_channels = true;
    // Real threads cannot be rescued from a deadlock the program itself causes, so programs
    // for them keep roles apart: a thread only sends or only receives, on one channel.
    bool deadlock_free = false;
    // The operations a program may use; empty: all. (A user's channel adapter offers fewer:
    // adapter_properties.hpp.)
    std::vector<op_code> ops;

    bool allows(op_code c) const { return ops.empty() || std::find(ops.begin(), ops.end(), c) != ops.end(); }
};

inline rc::Gen<program> gen_program(gen_limits lim) {
    return rc::gen::exec([lim] {
        program p;
        p.kind = *rc::gen::elementOf(lim.kinds);
        p.impl = *rc::gen::elementOf(lim.flavors);
        const bool multi = lim.allow_two_channels && !lim.deadlock_free &&
                           (p.kind == channel_kind::mpsc || p.kind == channel_kind::mpmc);
        const bool two = multi && (lim.two_channels_only || *rc::gen::arbitrary<bool>());
        p.channels = two ? 2 : 1;
        switch (p.kind) {
            case channel_kind::mpsc:
            case channel_kind::mpmc: {
                const int cap = *rc::gen::elementOf(lim.capacities);
                if (cap >= 0) p.capacity = static_cast<std::size_t>(cap);
                break;
            }
            case channel_kind::broadcast: p.capacity = static_cast<std::size_t>(*rc::gen::inRange(1, 5)); break;
            case channel_kind::oneshot: break;
        }
        const unsigned n = *rc::gen::inRange(2u, lim.max_threads + 1);
        p.threads.resize(n);
        for (auto& th : p.threads) {
            th.sender.assign(p.channels, false);
            th.receiver.assign(p.channels, false);
        }
        // Handles: mpsc and oneshot have one receiver per channel; a oneshot one sender.
        for (unsigned c = 0; c < p.channels; ++c) {
            const unsigned owner = *rc::gen::inRange(0u, n);
            p.threads[owner].receiver[c] = true;
            if (p.kind == channel_kind::oneshot) {
                p.threads[(owner + 1 + *rc::gen::inRange(0u, n - 1)) % n].sender[c] = true;
                continue;
            }
            for (unsigned t = 0; t < n; ++t) {
                if (lim.deadlock_free && p.threads[t].receiver[c]) continue;
                if (t != owner && p.kind != channel_kind::mpsc && *rc::gen::arbitrary<bool>()) p.threads[t].receiver[c] = true;
                else if (!p.threads[t].receiver[c] || !lim.deadlock_free) p.threads[t].sender[c] = t != owner || *rc::gen::arbitrary<bool>();
            }
        }
        if (lim.deadlock_free)
            for (auto& th : p.threads)
                if (th.receiver[0]) th.sender[0] = false;
        for (auto& th : p.threads) {
            std::vector<op> choices;
            const auto offer = [&](op_code code, unsigned c) {
                if (lim.allows(code)) choices.push_back({code, c});
            };
            for (unsigned c = 0; c < p.channels; ++c) {
                if (th.sender[c]) {
                    offer(op_code::send, c);
                    if (p.kind == channel_kind::mpsc || p.kind == channel_kind::mpmc) {
                        offer(op_code::try_send, c);
                        offer(op_code::send_timeout, c);
                    }
                    offer(op_code::drop_sender, c);
                }
                if (th.receiver[c]) {
                    offer(op_code::recv, c);
                    offer(op_code::try_recv, c);
                    offer(op_code::recv_timeout, c);
                    offer(op_code::drop_receiver, c);
                }
            }
            if (p.channels == 2 && th.receiver[0] && th.receiver[1] && selectable(p)) choices.push_back({op_code::select_recv, 0});
            if (choices.empty()) continue;
            const unsigned count = *rc::gen::inRange(0u, lim.max_ops + 1);
            for (unsigned i = 0; i < count; ++i) th.ops.push_back(*rc::gen::elementOf(choices));
        }
        return p;
    });
}

}  // namespace chancheck::props
