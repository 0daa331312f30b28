// chancheck/stress/config.hpp — one stress run's configuration, its checks and its names.
//
// A configuration is plain data with a command-line form (to_args) that the driver uses both
// to start the run in a child process and to print the command that reruns it.
#pragma once

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"

namespace chancheck::stress {

// stuck: a deliberately hanging channel (its receive never returns), so a user can see the
// watchdog fire on their machine. user: a channel brought through an adapter
// (harness/channel.hpp, adapter_driver.hpp); its name is the adapter's, set once by its
// driver (user_kind_name), and its one flavor is "adapter".
enum class stress_kind { mpsc, mpmc, broadcast, select, oneshot, stuck, user };
enum class channel_flavor { lock_free, locked, adapter };

// The name stress_kind::user goes by in options, run ids and JSON (one adapter per driver).
inline std::string& user_kind_name() {
    static std::string name = "user";
    return name;
}
// stream: producers send, consumers receive until Disconnected.
// round_trip: clients send a request and wait for its reply (a lost wake-up is a hang here).
// receiver_quits: consumers leave early; later sends must fail and hand their value back.
enum class workload { stream, round_trip, receiver_quits };

inline const char* to_string(stress_kind k) {
    switch (k) {
        case stress_kind::mpsc: return "mpsc";
        case stress_kind::mpmc: return "mpmc";
        case stress_kind::broadcast: return "broadcast";
        case stress_kind::select: return "select";
        case stress_kind::oneshot: return "oneshot";
        case stress_kind::stuck: return "stuck";
        case stress_kind::user: return user_kind_name().c_str();
    }
    return "?";
}
inline const char* to_string(channel_flavor f) {
    switch (f) {
        case channel_flavor::lock_free: return "lock_free";
        case channel_flavor::locked: return "locked";
        case channel_flavor::adapter: return "adapter";
    }
    return "?";
}
inline const char* to_string(workload w) {
    switch (w) {
        case workload::stream: return "stream";
        case workload::round_trip: return "round_trip";
        case workload::receiver_quits: return "receiver_quits";
    }
    return "?";
}

inline std::optional<stress_kind> parse_kind(const std::string& s) {
    for (auto k : {stress_kind::mpsc, stress_kind::mpmc, stress_kind::broadcast, stress_kind::select,
                   stress_kind::oneshot, stress_kind::stuck, stress_kind::user})
        if (s == to_string(k)) return k;
    return std::nullopt;
}
inline std::optional<channel_flavor> parse_flavor(const std::string& s) {
    for (auto f : {channel_flavor::lock_free, channel_flavor::locked, channel_flavor::adapter})
        if (s == to_string(f)) return f;
    return std::nullopt;
}
inline std::optional<workload> parse_workload(const std::string& s) {
    for (auto w : {workload::stream, workload::round_trip, workload::receiver_quits})
        if (s == to_string(w)) return w;
    return std::nullopt;
}
inline std::optional<bug> parse_bug(const std::string& s) {
    if (s == "none") return bug::none;
    const bug b = chancheck::parse_bug(s);
    return b == bug::none ? std::nullopt : std::optional<bug>(b);
}

struct run_config {
    stress_kind kind = stress_kind::mpmc;
    channel_flavor flavor = channel_flavor::lock_free;
    workload load = workload::stream;
    unsigned producers = 1;
    unsigned consumers = 1;
    std::optional<std::size_t> capacity;  // nullopt: unbounded
    std::uint64_t messages = 0;           // per producer; 0: until the duration ends
    std::uint64_t duration_ms = 0;        // 0: until `messages` are sent
    std::uint64_t seed = 1;
    bool chaos = false;
    std::uint64_t watchdog_ms = 10'000;
    bug mutant = bug::none;
};

inline std::string capacity_text(const std::optional<std::size_t>& c) {
    return c ? std::to_string(*c) : "unbounded";
}

// A file-name-safe identifier: mpmc.lock_free.stream.4x4.cap16[.chaos][.bug-name]
inline std::string run_id(const run_config& c) {
    std::string id = std::string(to_string(c.kind)) + "." + to_string(c.flavor) + "." + to_string(c.load) + "." +
                     std::to_string(c.producers) + "x" + std::to_string(c.consumers) + ".cap" + capacity_text(c.capacity);
    if (c.chaos) id += ".chaos";
    if (c.mutant != bug::none) id += std::string(".bug-") + bug_name(c.mutant);
    return id;
}

// The options that reproduce this configuration (the seed included).
inline std::vector<std::string> to_args(const run_config& c) {
    std::vector<std::string> a = {"--kind",      to_string(c.kind),
                                  "--flavor",    to_string(c.flavor),
                                  "--workload",  to_string(c.load),
                                  "--producers", std::to_string(c.producers),
                                  "--consumers", std::to_string(c.consumers),
                                  "--capacity",  capacity_text(c.capacity),
                                  "--messages",  std::to_string(c.messages),
                                  "--duration",  std::to_string(c.duration_ms) + "ms",
                                  "--seed",      std::to_string(c.seed),
                                  "--watchdog",  std::to_string(c.watchdog_ms) + "ms"};
    if (c.chaos) a.push_back("--chaos");
    if (c.mutant != bug::none) {
        a.push_back("--bug");
        a.push_back(bug_name(c.mutant));
    }
    return a;
}

// Arguments as one shell line; anything but [A-Za-z0-9_./:=+-] is single-quoted.
inline std::string shell_line(const std::vector<std::string>& args) {
    std::string out;
    for (const std::string& a : args) {
        bool plain = !a.empty();
        for (char ch : a)
            if (!(std::isalnum(static_cast<unsigned char>(ch)) || std::string("_./:=+-").find(ch) != std::string::npos))
                plain = false;
        if (!out.empty()) out += ' ';
        if (plain) {
            out += a;
        } else {
            out += '\'';
            for (char ch : a) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
            out += '\'';
        }
    }
    return out;
}

// What is wrong with a configuration, or an empty string.
inline std::string validate(const run_config& c) {
    if (c.producers < 1 || c.producers > 64) return "--producers must be 1..64 (got " + std::to_string(c.producers) + ")";
    if (c.consumers < 1 || c.consumers > 64) return "--consumers must be 1..64 (got " + std::to_string(c.consumers) + ")";
    if (c.messages == 0 && c.duration_ms == 0) return "give --messages N (per producer) or --duration D, or both";
    if (c.watchdog_ms < 10) return "--watchdog must be at least 10ms";
    const bool single_consumer = c.kind == stress_kind::mpsc || c.kind == stress_kind::select;
    if (single_consumer && c.consumers != 1)
        return std::string("--kind ") + to_string(c.kind) + " has one receiver: --consumers must be 1 (got " +
               std::to_string(c.consumers) + ")";
    if (c.kind == stress_kind::broadcast) {
        if (!c.capacity || *c.capacity == 0) return "--kind broadcast needs a capacity of at least 1 (got " + capacity_text(c.capacity) + ")";
        if (c.load == workload::round_trip) return "--kind broadcast has no round_trip workload (replies would go to every client)";
    }
    if (c.kind == stress_kind::oneshot && c.load != workload::round_trip)
        return "--kind oneshot runs only the round_trip workload (one reply channel per request)";
    if (c.kind == stress_kind::select && c.flavor == channel_flavor::locked && c.capacity && *c.capacity == 0)
        return "--kind select: the locked rendezvous flavor cannot take part in select (use --flavor lock_free or a capacity >= 1)";
    if (c.messages >= (std::uint64_t{1} << 40)) return "--messages must be below 2^40";
    return "";
}

}  // namespace chancheck::stress
