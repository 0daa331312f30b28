// benchmarks/channels/subjects/adapter.hpp — a grid subject over a user's channel adapter
// (harness/channel_adapter.hpp), so a channel brought by a user is benchmarked on the cells
// it supports next to chancheck's lock-free flavor (adapter_benchmark.hpp).
//
// Cells it does not have: select_* (the concept has no select) and every flavor whose
// capacity the adapter's supports() refuses. Each thread gets its own sender or receiver
// copy; a single-consumer adapter only runs the cells with one receiving thread.
#pragma once

#include <cstdint>
#include <utility>

#include "../grid.hpp"
#include "chancheck/harness/channel_adapter.hpp"

namespace chancheck_bench {

template <template <class> class A>
class adapter_subject {
public:
    using adapted = A<std::uint64_t>;

    static constexpr const char* name = adapted::name;
    static constexpr const char* label = "user channel through its chancheck adapter";
    static constexpr bool has_select = false;

    static const char* skip_reason(scenario s, flavor_kind f) {
        if (is_select(s)) return "the channel concept has no select over several channels";
        if (!adapted::multi_consumer && s == scenario::mpmc) return "the adapter has one receiver (multi_consumer is false)";
        // Any N stands for boundedN here: supports() answers for a capacity, not a size.
        if (!adapted::supports(capacity{f, 1000}.value())) return "the adapter's supports() refuses this capacity";
        return nullptr;
    }

    explicit adapter_subject(const capacity& cap) : ch_(adapted::open(cap.value())) {}

    struct sender_handle {
        typename adapted::sender tx;
        bool send(std::uint64_t v) { return tx.send(v); }
    };
    struct receiver_handle {
        typename adapted::receiver rx;
        bool recv(std::uint64_t& out) {
            auto m = rx.recv();
            if (!m) return false;
            out = *m;
            return true;
        }
    };

    sender_handle sender() { return {ch_.first}; }
    // A single-consumer adapter's receiver moves out: the scenarios ask for one receiver only.
    receiver_handle receiver() {
        if constexpr (adapted::multi_consumer) return {ch_.second};
        else return {std::move(ch_.second)};
    }

private:
    std::pair<typename adapted::sender, typename adapted::receiver> ch_;
};

}  // namespace chancheck_bench
