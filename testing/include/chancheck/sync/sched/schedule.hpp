// chancheck/sync/sched/schedule.hpp — the choices that make one deterministic interleaving.
//
// The deterministic scheduler (scheduler.hpp) runs a program's threads one at a time and,
// at every synchronization operation, asks its schedule which thread goes next. A schedule
// is plain data, so a property-testing library can generate it and shrink it, and a
// failure can print it and replay it exactly:
//   - random walk: `choices[i]` picks among the candidates at the i-th decision
//     (candidate 0 is "the running thread goes on", so a choice of 0 is no preemption).
//     When the list runs out, a non-zero `tail_seed` continues with a seeded PRNG; a zero
//     one continues with 0s, i.e. without preemption. Shrinking the list toward shorter and
//     smaller values therefore shrinks toward fewer preemptions.
//   - PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, "A Randomized Scheduler with
//     Probabilistic Guarantees of Finding Bugs", ASPLOS 2010): each thread gets a priority,
//     the highest-priority runnable thread always runs, and at each of d-1 change points
//     (decision numbers) the running thread drops below every other. A bug of depth d is
//     found with probability at least 1/(n k^(d-1)) per run.
// Both policies also draw the outcome of the non-thread choices (which waiter notify_one
// wakes, select's starting arm) from `choices`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace chancheck::sched {

enum class policy { random_walk, pct };

struct schedule {
    policy kind = policy::random_walk;
    std::vector<std::uint8_t> choices;         // see the header comment
    std::uint64_t tail_seed = 0;               // random walk: continue after `choices` (0: no preemption)
    std::vector<std::uint8_t> priorities;      // pct: thread i's initial priority (higher runs first)
    std::vector<std::uint32_t> change_points;  // pct: decision numbers where the runner drops to the bottom

    friend bool operator==(const schedule&, const schedule&) = default;
};

// splitmix64 (Steele, Lea, Flood): a tiny PRNG whose whole state is one seed.
inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// A random walk whose every choice comes from `seed`.
inline schedule random_walk_from_seed(std::uint64_t seed) {
    schedule s;
    s.kind = policy::random_walk;
    s.tail_seed = seed == 0 ? 1 : seed;
    return s;
}

// A PCT schedule for `threads` threads with `depth` - 1 change points among the first
// `expected_decisions` decisions, all drawn from `seed`.
inline schedule pct_from_seed(std::uint64_t seed, unsigned threads, unsigned depth, std::uint32_t expected_decisions) {
    schedule s;
    s.kind = policy::pct;
    std::uint64_t state = seed;
    for (unsigned i = 0; i < threads; ++i) s.priorities.push_back(static_cast<std::uint8_t>(splitmix64(state) % 251));
    for (unsigned i = 1; i < depth; ++i)
        s.change_points.push_back(static_cast<std::uint32_t>(splitmix64(state) % (expected_decisions == 0 ? 1 : expected_decisions)));
    for (int i = 0; i < 64; ++i) s.choices.push_back(static_cast<std::uint8_t>(splitmix64(state)));
    return s;
}

// Text form, e.g. "rw/3.0.1/tail=0" or "pct/prio=2.0.1/change=17.40/3.0"; parse_schedule
// reads it back. Used in replay commands, so it must round-trip exactly.
inline std::string to_string(const schedule& s) {
    auto join = [](const auto& v) {
        std::string out;
        for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "." : "") + std::to_string(static_cast<std::uint64_t>(v[i]));
        return out;
    };
    if (s.kind == policy::random_walk) return "rw/" + join(s.choices) + "/tail=" + std::to_string(s.tail_seed);
    return "pct/prio=" + join(s.priorities) + "/change=" + join(s.change_points) + "/" + join(s.choices);
}

namespace schedule_detail {

inline std::vector<std::uint64_t> numbers(const std::string& text, const std::string& whole) {
    std::vector<std::uint64_t> out;
    if (text.empty()) return out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t dot = text.find('.', pos);
        const std::string item = text.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
        if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos)
            throw std::invalid_argument("schedule '" + whole + "': '" + item + "' is not a number");
        out.push_back(std::stoull(item));
        if (dot == std::string::npos) break;
        pos = dot + 1;
    }
    return out;
}

template <class T>
std::vector<T> narrow(const std::vector<std::uint64_t>& v, std::uint64_t max, const std::string& whole) {
    std::vector<T> out;
    for (std::uint64_t x : v) {
        if (x > max) throw std::invalid_argument("schedule '" + whole + "': " + std::to_string(x) + " is out of range");
        out.push_back(static_cast<T>(x));
    }
    return out;
}

inline std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, sep)) parts.push_back(part);
    if (!text.empty() && text.back() == sep) parts.push_back("");
    return parts;
}

}  // namespace schedule_detail

inline schedule parse_schedule(const std::string& text) {
    using namespace schedule_detail;
    const std::vector<std::string> parts = split(text, '/');
    schedule s;
    if (parts.size() == 3 && parts[0] == "rw" && parts[2].rfind("tail=", 0) == 0) {
        s.kind = policy::random_walk;
        s.choices = narrow<std::uint8_t>(numbers(parts[1], text), 255, text);
        const auto tail = numbers(parts[2].substr(5), text);
        if (tail.size() != 1) throw std::invalid_argument("schedule '" + text + "': tail= needs one number");
        s.tail_seed = tail[0];
        return s;
    }
    if (parts.size() == 4 && parts[0] == "pct" && parts[1].rfind("prio=", 0) == 0 && parts[2].rfind("change=", 0) == 0) {
        s.kind = policy::pct;
        s.priorities = narrow<std::uint8_t>(numbers(parts[1].substr(5), text), 255, text);
        s.change_points = narrow<std::uint32_t>(numbers(parts[2].substr(7), text), 0xffffffffu, text);
        s.choices = narrow<std::uint8_t>(numbers(parts[3], text), 255, text);
        return s;
    }
    throw std::invalid_argument("schedule '" + text +
                                "': expected rw/<choices>/tail=<seed> or pct/prio=<p>/change=<c>/<choices> "
                                "(numbers separated by '.')");
}

}  // namespace chancheck::sched
