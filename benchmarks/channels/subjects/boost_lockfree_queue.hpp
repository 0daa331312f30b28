// benchmarks/channels/subjects/boost_lockfree_queue.hpp — boost::lockfree::queue (Boost
// 1.74, libboost-dev): a lock-free MPMC queue after Michael & Scott, non-blocking only.
//
// Blocking is this adapter's, not Boost's: std::counting_semaphore for items and free slots
// (semaphore_counts.hpp). Capacity: the queue starts with 64 nodes and allocates more when
// it needs them (its freelist keeps them), so unbounded is the queue as it is and
// bounded(n) is the slot semaphore's limit. Cells it does not have:
//   bounded0  a queue has no rendezvous (a send that waits for its receiver);
//   select_*  no select over several queues.
#pragma once

#include <boost/lockfree/queue.hpp>

#include <cstddef>
#include <cstdint>

#include "../grid.hpp"
#include "semaphore_counts.hpp"

namespace chancheck_bench {

class boost_lockfree_queue_subject {
public:
    static constexpr const char* name = "boost_lockfree_queue";
    static constexpr const char* label = "blocking: adapter's std::counting_semaphore (Boost has none)";
    static constexpr bool has_select = false;

    static const char* skip_reason(scenario s, flavor_kind f) {
        if (is_select(s)) return "boost::lockfree::queue has no select over several queues";
        if (f == flavor_kind::bounded0) return "boost::lockfree::queue has no rendezvous (zero-capacity hand-off)";
        return nullptr;
    }

    explicit boost_lockfree_queue_subject(const capacity& cap) : queue_(initial_nodes), counts_(cap.value()) {}

    struct sender_handle {
        boost_lockfree_queue_subject* s;
        bool send(std::uint64_t v) {
            s->counts_.before_push();
            if (!s->queue_.push(v)) return false;  // only when a node cannot be allocated
            s->counts_.after_push();
            return true;
        }
    };
    struct receiver_handle {
        boost_lockfree_queue_subject* s;
        bool recv(std::uint64_t& out) {
            s->counts_.before_pop();
            // A permit means an item is in the queue (see semaphore_counts.hpp).
            if (!s->queue_.pop(out)) return false;
            s->counts_.after_pop();
            return true;
        }
    };

    sender_handle sender() { return {this}; }
    receiver_handle receiver() { return {this}; }

private:
    static constexpr std::size_t initial_nodes = 64;

    boost::lockfree::queue<std::uint64_t> queue_;
    semaphore_counts counts_;
};

}  // namespace chancheck_bench
