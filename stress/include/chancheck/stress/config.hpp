// chancheck/stress/config.hpp — one stress run's configuration, its id and its arguments.
//
// A run stresses one *channel* of the driver's table (driver.hpp): for chancheck-stress the
// channels are named after their kind — mpsc, mpmc, broadcast, oneshot, select (an mpmc channel
// per producer, one consumer selecting) — plus `stuck`, a deliberately broken channel that
// shows the watchdog firing; for a user's driver, the one channel of their adapter. Kind and
// flavor are the harness's words (harness/vocabulary.hpp): a run's flavor is the algorithm at
// its capacity (list, array, zero, locked, slots, state_machine; adapter for a user's channel).
#pragma once

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/detail/handles.hpp"
#include "chancheck/harness/shell_words.hpp"
#include "chancheck/harness/vocabulary.hpp"

namespace chancheck::stress {

using harness::channel_kind;
using harness::flavor;

// stream: producers send, consumers receive until Disconnected.
// round_trip: clients send a request and wait for its reply (a lost wake-up is a hang here).
// receiver_quits: consumers leave early; later sends must fail and hand their value back.
enum class workload { stream, round_trip, receiver_quits, timed_send };

inline constexpr workload all_workloads[] = {workload::stream, workload::round_trip, workload::receiver_quits,
                                             workload::timed_send};

inline const char* to_string(workload w) {
    switch (w) {
        case workload::stream: return "stream";
        case workload::round_trip: return "round_trip";
        case workload::receiver_quits: return "receiver_quits";
        case workload::timed_send: return "timed_send";
    }
    return "?";
}

inline std::optional<workload> parse_workload(const std::string& s) {
    for (workload w : all_workloads)
        if (s == to_string(w)) return w;
    return std::nullopt;
}

struct run_config {
    std::string channel = "mpmc";  // the table's channel this run stresses
    channel_kind kind = channel_kind::mpmc;
    flavor flav = flavor::list;    // the algorithm at this capacity (set with the channel)
    implementation impl = implementation::lock_free;  // chancheck's channels: which implementation
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

inline std::string capacity_text(const std::optional<std::size_t>& c) { return c ? std::to_string(*c) : "unbounded"; }

// A file-name-safe identifier: mpmc.array.stream.4x4.cap16[.chaos][.bug-name]
inline std::string run_id(const run_config& c) {
    std::string id = c.channel + "." + to_string(c.flav) + "." + to_string(c.load) + "." + std::to_string(c.producers) + "x" +
                     std::to_string(c.consumers) + ".cap" + capacity_text(c.capacity);
    if (c.chaos) id += ".chaos";
    if (c.mutant != bug::none) id += std::string(".bug-") + bug_name(c.mutant);
    return id;
}

// The options that reproduce this configuration (the seed included).
inline std::vector<std::string> to_args(const run_config& c) {
    std::vector<std::string> a = {"--channel",   c.channel,
                                  "--flavor",    to_string(c.flav),
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
        a.push_back("--mutant");
        a.push_back(bug_name(c.mutant));
    }
    return a;
}

// Arguments as one shell line (harness/shell_words.hpp).
using harness::shell_line;

// What is wrong with a configuration whatever its channel, or an empty string.
inline std::string validate(const run_config& c) {
    if (c.producers < 1 || c.producers > 64) return "--producers must be 1..64 (got " + std::to_string(c.producers) + ")";
    if (c.consumers < 1 || c.consumers > 64) return "--consumers must be 1..64 (got " + std::to_string(c.consumers) + ")";
    if (c.messages == 0 && c.duration_ms == 0) return "give --messages N (per producer) or --duration D, or both";
    if (c.watchdog_ms < 10) return "--watchdog must be at least 10ms";
    if (c.messages >= (std::uint64_t{1} << 40)) return "--messages must be below 2^40";
    return "";
}

}  // namespace chancheck::stress
