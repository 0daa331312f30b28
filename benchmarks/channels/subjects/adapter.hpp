// benchmarks/channels/subjects/adapter.hpp — a grid subject over any channel of the concept
// (harness/channel.hpp): a user's channel, and chancheck's own channels through their adapters
// (subjects/chancheck.hpp), on the cells they support.
//
// Cells it does not have: select_rx without select_recv, select_both without select_recv
// and select_send, a select at a capacity the adapter's select rejects, and every flavor whose
// capacity the adapter's supports() refuses. Each thread gets its own sender or receiver
// copy; a single-consumer adapter only runs the cells with one receiving thread.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "../grid.hpp"
#include "chancheck/harness/channel.hpp"

namespace chancheck_bench {

template <template <class> class A>
class adapter_subject {
public:
    using adapted = A<std::uint64_t>;
    using traits = chancheck::harness::channel_traits<adapted, std::uint64_t>;

    static constexpr const char* name = adapted::name;
    static constexpr const char* label = [] {
        if constexpr (requires { adapted::benchmark_label; }) return adapted::benchmark_label;
        else return "user channel through its chancheck adapter";
    }();
    static constexpr bool can_select_recv = chancheck::harness::has_select<adapted, std::uint64_t>;
    static constexpr bool can_select_send = chancheck::harness::has_select_send<adapted, std::uint64_t>;
    static constexpr bool has_select = can_select_recv;

    static const char* skip_reason(scenario s, capacity_class f) {
        // Any N stands for boundedN here: supports() answers for a capacity, not a size.
        const auto cap = capacity{f, 1000}.value();
        if (s == scenario::select_rx && !can_select_recv) return "the adapter has no select_recv";
        if (s == scenario::select_both && !(can_select_recv && can_select_send))
            return "the adapter has no select over send arms (select_send)";
        if (is_select(s) && !traits::selectable(cap)) return "the adapter's select rejects this capacity";
        if (!adapted::multi_consumer && s == scenario::mpmc) return "the adapter has one receiver (multi_consumer is false)";
        if (!adapted::supports(cap)) return "the adapter's supports() refuses this capacity";
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
            auto m = chancheck::harness::as_received<std::uint64_t>(rx.recv());
            if (!m.value) return false;
            out = *m.value;
            return true;
        }
    };

    sender_handle sender() { return {ch_.first}; }
    // A single-consumer adapter's receiver moves out: the scenarios ask for one receiver only.
    receiver_handle receiver() {
        if constexpr (adapted::multi_consumer) return {ch_.second};
        else return {std::move(ch_.second)};
    }

    // Receives from whichever receiver is ready first; false when the chosen one is disconnected.
    static bool select_recv(std::vector<receiver_handle>& rxs, std::uint64_t& out) {
        if constexpr (can_select_recv) {
            std::vector<typename adapted::receiver*> arms;
            for (auto& h : rxs) arms.push_back(&h.rx);
            auto s = adapted::select_recv(arms);
            if (!s.got.value) return false;
            out = *s.got.value;
            return true;
        }
        return false;
    }
    // Sends v on whichever sender is ready first; false when every channel is disconnected.
    static bool select_send(std::vector<sender_handle>& txs, std::uint64_t v) {
        if constexpr (can_select_send) {
            std::vector<typename adapted::sender*> arms;
            for (auto& h : txs) arms.push_back(&h.tx);
            return adapted::select_send(arms, v).has_value();
        }
        return false;
    }

private:
    std::pair<typename adapted::sender, typename adapted::receiver> ch_;
};

}  // namespace chancheck_bench
