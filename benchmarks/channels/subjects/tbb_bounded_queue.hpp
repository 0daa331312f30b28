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

#include "peer.hpp"

namespace chancheck_bench {

class tbb_bounded_queue_peer {
public:
    static constexpr peer_about about{
        "tbb_concurrent_bounded_queue", "blocking: oneTBB concurrent_monitor",
        {.select = "tbb::concurrent_bounded_queue has no select over several queues",
         .rendezvous = "tbb::concurrent_bounded_queue has no rendezvous (capacity 0 blocks every push for good)"}};

    explicit tbb_bounded_queue_peer(const capacity& cap) {
        if (const auto c = cap.value()) queue_.set_capacity(static_cast<std::ptrdiff_t>(*c));
    }
    bool push(std::uint64_t v) {
        queue_.push(v);
        return true;
    }
    bool pop(std::uint64_t& out) {
        queue_.pop(out);
        return true;
    }

private:
    tbb::concurrent_bounded_queue<std::uint64_t> queue_;
};
using tbb_bounded_queue_subject = peer_subject<tbb_bounded_queue_peer>;

}  // namespace chancheck_bench
