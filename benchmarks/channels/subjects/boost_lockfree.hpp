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

class boost_lockfree_queue_peer {
public:
    static constexpr const char* name = "boost_lockfree_queue";
    static constexpr const char* label = "blocking: adapter's std::counting_semaphore (Boost has none)";
    static constexpr missing_cells missing{
        .select = "boost::lockfree::queue has no select over several queues",
        .rendezvous = "boost::lockfree::queue has no rendezvous (zero-capacity hand-off)",
    };

    explicit boost_lockfree_queue_peer(const capacity& cap) : queue_(initial_nodes), counts_(cap.value()) {}
    // push fails only when a node cannot be allocated; a permit means an item is there.
    bool push(std::uint64_t v) { return counts_.push(queue_, v); }
    bool pop(std::uint64_t& out) { return counts_.pop(queue_, out); }

private:
    static constexpr std::size_t initial_nodes = 64;

    boost::lockfree::queue<std::uint64_t> queue_;
    semaphore_counts counts_;
};
using boost_lockfree_queue_subject = peer_subject<boost_lockfree_queue_peer>;

class boost_spsc_queue_peer {
public:
    static constexpr const char* name = "boost_spsc_queue";
    static constexpr const char* label = "blocking: adapter's std::counting_semaphore (Boost has none)";
    static constexpr missing_cells missing{
        .many_producers = "boost::lockfree::spsc_queue allows one producer and one consumer only",
        .rendezvous = "boost::lockfree::spsc_queue has no rendezvous (zero-capacity hand-off)",
        .unbounded = "boost::lockfree::spsc_queue is a ring of fixed capacity",
    };

    // Only bounded capacity classes reach here (missing), so value() has a capacity >= 1.
    explicit boost_spsc_queue_peer(const capacity& cap) : queue_(*cap.value()), counts_(cap.value()) {}
    bool push(std::uint64_t v) { return counts_.push(queue_, v); }
    bool pop(std::uint64_t& out) { return counts_.pop(queue_, out); }

private:
    boost::lockfree::spsc_queue<std::uint64_t> queue_;
    semaphore_counts counts_;
};
using boost_spsc_queue_subject = peer_subject<boost_spsc_queue_peer>;

}  // namespace chancheck_bench
