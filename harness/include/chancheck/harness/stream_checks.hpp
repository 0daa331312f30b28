// chancheck/harness/stream_checks.hpp — the harness oracles for long runs, kept online.
//
// oracles.hpp judges a recorded history; recording millions of operations would cost memory
// and, worse, a shared stamp counter orders the threads' operations and can hide the very
// missing synchronization a sanitizer is looking for. These tallies check the same
// properties with thread-local state only and are merged after the threads are joined:
//   - exactly once (queues): every value a producer sent successfully is received by exactly
//     one consumer; nothing unknown arrives; a failed send hands its own value back.
//   - per-producer FIFO: each consumer sees each producer's sequence numbers increase.
//   - capacity bound: sampled len() never exceeds the capacity.
//   - broadcast accounting: per consumer, received + sum of Lagged(n) == sent.
//   - destruction balance (from the counted message counters, oracles.hpp).
// A value encodes (producer, sequence) in 24 + 40 bits, so a run may send up to 2^40
// messages per producer.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/harness/oracles.hpp"

namespace chancheck::harness {

inline constexpr unsigned stream_sequence_bits = 40;

inline constexpr std::int64_t stream_value(unsigned producer, std::uint64_t sequence) noexcept {
    return static_cast<std::int64_t>((static_cast<std::uint64_t>(producer) << stream_sequence_bits) | sequence);
}
inline constexpr unsigned stream_producer(std::int64_t value) noexcept {
    return static_cast<unsigned>(static_cast<std::uint64_t>(value) >> stream_sequence_bits);
}
inline constexpr std::uint64_t stream_sequence(std::int64_t value) noexcept {
    return static_cast<std::uint64_t>(value) & ((std::uint64_t{1} << stream_sequence_bits) - 1);
}

inline std::string describe_stream_value(std::int64_t v) {
    return "p" + std::to_string(stream_producer(v)) + "#" + std::to_string(stream_sequence(v));
}

// Violations are capped per tally so a badly broken channel does not produce gigabytes.
inline constexpr std::size_t max_violations_per_tally = 16;

inline void add_capped(violations& out, violation v) {
    if (out.size() < max_violations_per_tally) out.push_back(std::move(v));
}

// One producer's own record: how many of its sends succeeded (sequences 0..sent-1 when no
// send failed), and what went wrong locally.
struct producer_tally {
    std::uint64_t attempted = 0;  // sequences 0..attempted-1 were offered
    std::uint64_t succeeded = 0;
    std::vector<bool> failed;     // by sequence: the send reported Disconnected
    violations found;

    void sent(std::uint64_t sequence, bool ok) {
        attempted = sequence + 1;
        if (ok) {
            ++succeeded;
            return;
        }
        if (failed.size() <= sequence) failed.resize(sequence + 1, false);
        failed[sequence] = true;
    }
    bool failed_at(std::uint64_t sequence) const { return sequence < failed.size() && failed[sequence]; }

    // A failed send must hand back exactly the value it was given.
    void check_returned(std::int64_t sent_value, std::int64_t returned) {
        if (returned != sent_value)
            add_capped(found, {violation_kind::value_not_returned, "send of " + describe_stream_value(sent_value) +
                                                                       " failed and handed back " +
                                                                       describe_stream_value(returned)});
    }
    void check_len(std::size_t len, std::optional<std::size_t> capacity) {
        if (capacity && len > *capacity)
            add_capped(found, {violation_kind::capacity_exceeded, "len() " + std::to_string(len) + " > capacity " +
                                                                      std::to_string(*capacity)});
    }
};

// One consumer's record: per producer, the last sequence seen and which were received.
class consumer_tally {
public:
    explicit consumer_tally(unsigned producers) : last_(producers, -1), seen_(producers) {}

    void received(std::int64_t value) {
        ++received_;
        const unsigned p = stream_producer(value);
        const std::uint64_t seq = stream_sequence(value);
        if (p >= last_.size()) {
            add_capped(found_, {violation_kind::unknown_message, "received " + std::to_string(value) +
                                                                     ", which names no producer of this run"});
            return;
        }
        if (static_cast<std::int64_t>(seq) <= last_[p])
            add_capped(found_, {violation_kind::fifo_violation, "received " + describe_stream_value(value) + " after p" +
                                                                    std::to_string(p) + "#" + std::to_string(last_[p])});
        last_[p] = static_cast<std::int64_t>(seq);
        std::vector<std::uint64_t>& bits = seen_[p];
        if (bits.size() <= seq / 64) bits.resize(seq / 64 + 1, 0);
        bits[seq / 64] |= std::uint64_t{1} << (seq % 64);
    }
    void lagged(std::uint64_t skipped) { lagged_ += skipped; }
    // A check the workload makes itself (e.g. a reply that does not match its request).
    void violated(violation v) { add_capped(found_, std::move(v)); }

    std::uint64_t received_count() const { return received_; }
    std::uint64_t lagged_count() const { return lagged_; }
    const violations& found() const { return found_; }
    bool saw(unsigned producer, std::uint64_t seq) const {
        const auto& bits = seen_[producer];
        return seq / 64 < bits.size() && (bits[seq / 64] >> (seq % 64) & 1) != 0;
    }
    std::uint64_t words(unsigned producer) const { return seen_[producer].size(); }

private:
    std::uint64_t received_ = 0;
    std::uint64_t lagged_ = 0;
    std::vector<std::int64_t> last_;
    std::vector<std::vector<std::uint64_t>> seen_;
    violations found_;
};

enum class stream_semantics {
    queue,      // each message to exactly one consumer (mpsc, mpmc, select)
    broadcast,  // each message to every consumer, or counted in its Lagged(n)
};

struct stream_verdict {
    violations found;
    std::uint64_t messages_verified = 0;  // received messages whose checks ran
};

// Merges the tallies of a finished run. `all_drained`: every consumer received until
// Disconnected, so every successful send must have been received (false when consumers
// quit early; then only "nothing twice, nothing unknown, FIFO" apply).
inline stream_verdict judge_stream(const std::vector<producer_tally>& producers,
                                   const std::vector<consumer_tally>& consumers, stream_semantics semantics,
                                   bool all_drained) {
    stream_verdict v;
    auto add = [&](const violation& x) { add_capped(v.found, x); };
    for (const producer_tally& p : producers)
        for (const violation& x : p.found) add(x);
    for (const consumer_tally& c : consumers) {
        for (const violation& x : c.found()) add(x);
        v.messages_verified += c.received_count();
    }
    std::uint64_t total_sent = 0;
    for (const producer_tally& p : producers) total_sent += p.succeeded;

    for (unsigned p = 0; p < producers.size(); ++p) {
        const producer_tally& pt = producers[p];
        std::uint64_t words = 0;
        for (const consumer_tally& c : consumers) words = std::max(words, c.words(p));
        const std::uint64_t limit = std::max<std::uint64_t>(pt.attempted, words * 64);
        for (std::uint64_t seq = 0; seq < limit; ++seq) {
            unsigned receivers = 0;
            for (const consumer_tally& c : consumers) receivers += c.saw(p, seq) ? 1 : 0;
            const bool sent_ok = seq < pt.attempted && !pt.failed_at(seq);
            const std::string name = describe_stream_value(stream_value(p, seq));
            if (receivers > 0 && !sent_ok) {
                add({violation_kind::unknown_message,
                     name + " was received but " + (seq < pt.attempted ? "its send failed" : "never sent")});
            } else if (semantics == stream_semantics::queue && receivers > 1) {
                add({violation_kind::duplicated_message, name + " was received by " + std::to_string(receivers) + " consumers"});
            } else if (semantics == stream_semantics::queue && all_drained && sent_ok && receivers == 0) {
                add({violation_kind::lost_message, name + " was sent successfully but never received"});
            }
        }
    }
    if (semantics == stream_semantics::broadcast && all_drained) {
        for (std::size_t i = 0; i < consumers.size(); ++i) {
            const std::uint64_t accounted = consumers[i].received_count() + consumers[i].lagged_count();
            if (accounted != total_sent)
                add({violation_kind::lag_accounting,
                     "consumer " + std::to_string(i) + " accounted for " + std::to_string(accounted) + " messages (" +
                         std::to_string(consumers[i].received_count()) + " received + " +
                         std::to_string(consumers[i].lagged_count()) + " lagged), " + std::to_string(total_sent) +
                         " were sent"});
        }
    }
    return v;
}

}  // namespace chancheck::harness
