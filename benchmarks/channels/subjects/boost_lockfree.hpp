// benchmarks/channels/subjects/boost_lockfree.hpp — Boost.Lockfree's two queues as peers
// (Boost 1.74, libboost-dev), both non-blocking only:
//   boost::lockfree::queue        a lock-free MPMC queue after Michael & Scott. It starts
//                                 with 64 nodes and allocates more when it needs them (its
//                                 freelist keeps them), so unbounded is the queue as it is
//                                 and bounded(n) is the slot semaphore's limit;
//   boost::lockfree::spsc_queue   a wait-free single-producer single-consumer ring of a
//                                 capacity fixed at run time.
// Blocking is this adapter's, not Boost's: std::counting_semaphore for items and free slots
// (semaphore_counts.hpp). The cells each lacks, and why, are its `missing` (peer.hpp).
#pragma once

#include <boost/lockfree/queue.hpp>
#include <boost/lockfree/spsc_queue.hpp>

#include <cstddef>
#include <cstdint>

#include "peer.hpp"
#include "semaphore_counts.hpp"

namespace chancheck_bench {

class boost_lockfree_queue_peer : public semaphore_gated_peer<boost::lockfree::queue<std::uint64_t>> {
public:
    static constexpr peer_about about{
        "boost_lockfree_queue", "blocking: adapter's std::counting_semaphore (Boost has none)",
        {.select = "boost::lockfree::queue has no select over several queues",
         .rendezvous = "boost::lockfree::queue has no rendezvous (zero-capacity hand-off)"}};

    // The queue's push fails only when a node cannot be allocated.
    explicit boost_lockfree_queue_peer(const capacity& cap) : semaphore_gated_peer(cap.value(), initial_nodes) {}

private:
    static constexpr std::size_t initial_nodes = 64;
};
using boost_lockfree_queue_subject = peer_subject<boost_lockfree_queue_peer>;

class boost_spsc_queue_peer : public semaphore_gated_peer<boost::lockfree::spsc_queue<std::uint64_t>> {
public:
    static constexpr peer_about about{
        "boost_spsc_queue", "blocking: adapter's std::counting_semaphore (Boost has none)",
        {.many_producers = "boost::lockfree::spsc_queue allows one producer and one consumer only",
         .rendezvous = "boost::lockfree::spsc_queue has no rendezvous (zero-capacity hand-off)",
         .unbounded = "boost::lockfree::spsc_queue is a ring of fixed capacity"}};

    // Only bounded capacity classes reach here (missing), so value() has a capacity >= 1.
    explicit boost_spsc_queue_peer(const capacity& cap) : semaphore_gated_peer(cap.value(), *cap.value()) {}
};
using boost_spsc_queue_subject = peer_subject<boost_spsc_queue_peer>;

}  // namespace chancheck_bench
