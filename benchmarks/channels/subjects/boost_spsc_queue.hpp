// benchmarks/channels/subjects/boost_spsc_queue.hpp — boost::lockfree::spsc_queue (Boost
// 1.74, libboost-dev): a wait-free single-producer single-consumer ring buffer of a fixed
// capacity chosen at run time, non-blocking only.
//
// Blocking is this adapter's, not Boost's: std::counting_semaphore for items and free slots
// (semaphore_counts.hpp). Cells it does not have:
//   mpsc, mpmc, select_*  one producer and one consumer only;
//   bounded0              a ring buffer has no rendezvous;
//   unbounded             the ring's capacity is fixed.
#pragma once

#include <boost/lockfree/spsc_queue.hpp>

#include <cstddef>
#include <cstdint>

#include "../grid.hpp"
#include "semaphore_counts.hpp"

namespace chancheck_bench {

class boost_spsc_queue_subject {
public:
    static constexpr const char* name = "boost_spsc_queue";
    static constexpr const char* label = "blocking: adapter's std::counting_semaphore (Boost has none)";
    static constexpr bool has_select = false;

    static const char* skip_reason(scenario s, flavor_kind f) {
        if (s == scenario::mpsc || s == scenario::mpmc || is_select(s))
            return "boost::lockfree::spsc_queue allows one producer and one consumer only";
        if (f == flavor_kind::bounded0) return "boost::lockfree::spsc_queue has no rendezvous (zero-capacity hand-off)";
        if (f == flavor_kind::unbounded) return "boost::lockfree::spsc_queue is a ring of fixed capacity";
        return nullptr;
    }

    // Only bounded flavors reach here (skip_reason), so value() has a capacity >= 1.
    explicit boost_spsc_queue_subject(const capacity& cap) : queue_(*cap.value()), counts_(cap.value()) {}

    struct sender_handle {
        boost_spsc_queue_subject* s;
        bool send(std::uint64_t v) {
            s->counts_.before_push();
            if (!s->queue_.push(v)) return false;  // cannot happen: a free slot was counted
            s->counts_.after_push();
            return true;
        }
    };
    struct receiver_handle {
        boost_spsc_queue_subject* s;
        bool recv(std::uint64_t& out) {
            s->counts_.before_pop();
            if (!s->queue_.pop(out)) return false;  // cannot happen: an item was counted
            s->counts_.after_pop();
            return true;
        }
    };

    sender_handle sender() { return {this}; }
    receiver_handle receiver() { return {this}; }

private:
    boost::lockfree::spsc_queue<std::uint64_t> queue_;
    semaphore_counts counts_;
};

}  // namespace chancheck_bench
