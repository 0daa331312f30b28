// chancheck/harness/vocabulary.hpp — the words every engine, every results file and the report
// share, one enum each:
//   kind     what the user sees: mpsc, mpmc, broadcast, oneshot, and select (a program or
//            scenario selecting over several mpsc/mpmc channels);
//   flavor   the algorithm: list (linked blocks), array (stamped ring), zero (rendezvous),
//            locked (the mutex + condition variable oracle), slots (broadcast ring with a lock
//            per slot), state_machine (oneshot's one atomic word), adapter (a user's channel,
//            whatever its algorithm);
//   verdict  how the channel behaved in a check: pass or fail. Whether a failure was the point
//            (a seeded bug must fail) is said apart, as `expected`, never folded into the verdict.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace chancheck::harness {

enum class channel_kind { mpsc, mpmc, broadcast, oneshot, select };
enum class flavor { list, array, zero, locked, slots, state_machine, adapter };
enum class verdict { pass, fail };

inline constexpr std::array<channel_kind, 5> all_kinds = {channel_kind::mpsc, channel_kind::mpmc, channel_kind::broadcast,
                                                          channel_kind::oneshot, channel_kind::select};
inline constexpr std::array<flavor, 7> all_flavors = {flavor::list,  flavor::array,         flavor::zero,   flavor::locked,
                                                      flavor::slots, flavor::state_machine, flavor::adapter};

inline constexpr const char* to_string(channel_kind k) noexcept {
    switch (k) {
        case channel_kind::mpsc: return "mpsc";
        case channel_kind::mpmc: return "mpmc";
        case channel_kind::broadcast: return "broadcast";
        case channel_kind::oneshot: return "oneshot";
        case channel_kind::select: return "select";
    }
    return "unknown";
}

inline constexpr const char* to_string(flavor f) noexcept {
    switch (f) {
        case flavor::list: return "list";
        case flavor::array: return "array";
        case flavor::zero: return "zero";
        case flavor::locked: return "locked";
        case flavor::slots: return "slots";
        case flavor::state_machine: return "state_machine";
        case flavor::adapter: return "adapter";
    }
    return "unknown";
}

inline constexpr const char* to_string(verdict v) noexcept { return v == verdict::pass ? "pass" : "fail"; }

inline constexpr std::optional<channel_kind> parse_kind(std::string_view text) noexcept {
    for (channel_kind k : all_kinds)
        if (text == to_string(k)) return k;
    return std::nullopt;
}

inline constexpr std::optional<flavor> parse_flavor(std::string_view text) noexcept {
    for (flavor f : all_flavors)
        if (text == to_string(f)) return f;
    return std::nullopt;
}

}  // namespace chancheck::harness
