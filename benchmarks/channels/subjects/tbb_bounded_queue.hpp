// benchmarks/channels/subjects/tbb_bounded_queue.hpp — oneTBB
// tbb::concurrent_bounded_queue (libtbb-dev 2021.8): an MPMC queue whose push blocks while
// the queue holds `capacity` items and whose pop blocks while it is empty (oneTBB's
// concurrent_monitor: a short spin, then a futex-backed wait).
//
// bounded(n) is set_capacity(n); unbounded is the default capacity. Cells it does not have:
//   bounded0  set_capacity(0) makes every push wait for room that never comes — no
//             rendezvous;
//   select_*  no select over several queues.
#pragma once

#include <oneapi/tbb/concurrent_queue.h>

#include <cstddef>
#include <cstdint>

#include "../grid.hpp"

namespace chancheck_bench {

class tbb_bounded_queue_subject {
public:
    static constexpr const char* name = "tbb_concurrent_bounded_queue";
    static constexpr const char* label = "blocking: oneTBB concurrent_monitor";
    static constexpr bool has_select = false;

    static const char* skip_reason(scenario s, flavor_kind f) {
        if (is_select(s)) return "tbb::concurrent_bounded_queue has no select over several queues";
        if (f == flavor_kind::bounded0)
            return "tbb::concurrent_bounded_queue has no rendezvous (capacity 0 blocks every push for good)";
        return nullptr;
    }

    explicit tbb_bounded_queue_subject(const capacity& cap) {
        if (const auto c = cap.value()) queue_.set_capacity(static_cast<std::ptrdiff_t>(*c));
    }

    struct sender_handle {
        tbb::concurrent_bounded_queue<std::uint64_t>* q;
        bool send(std::uint64_t v) {
            q->push(v);
            return true;
        }
    };
    struct receiver_handle {
        tbb::concurrent_bounded_queue<std::uint64_t>* q;
        bool recv(std::uint64_t& out) {
            q->pop(out);
            return true;
        }
    };

    sender_handle sender() { return {&queue_}; }
    receiver_handle receiver() { return {&queue_}; }

private:
    tbb::concurrent_bounded_queue<std::uint64_t> queue_;
};

}  // namespace chancheck_bench
