// benchmarks/channels/subjects/moodycamel.hpp — moodycamel::BlockingConcurrentQueue
// (libconcurrentqueue-dev 1.0.3): Cameron Desrochers' lock-free MPMC queue of per-producer
// sub-queues, with a lightweight semaphore (spin, then sem_wait) for blocking receives.
//
// Used as its author recommends for throughput: each sending thread holds a ProducerToken,
// each receiving thread a ConsumerToken; receive is wait_dequeue. Cells it does not have:
//   bounded0, bounded1, boundedN  enqueue never blocks: a fixed-size queue makes
//       try_enqueue fail when full, so there is no back-pressure, and no rendezvous;
//   select_*  no select over several queues.
#pragma once

#include <concurrentqueue/blockingconcurrentqueue.h>

#include <cstdint>

#include "peer.hpp"

namespace chancheck_bench {

class moodycamel_subject {
public:
    using queue_type = moodycamel::BlockingConcurrentQueue<std::uint64_t>;

    // Its handles hold moodycamel's producer and consumer tokens, so it is not a
    // peer_subject; what it is and the cells it lacks are said the same way.
    static constexpr peer_about about{
        "moodycamel_blocking", "blocking: moodycamel LightweightSemaphore",
        {.select = "BlockingConcurrentQueue has no select over several queues",
         .rendezvous = "BlockingConcurrentQueue has no rendezvous",
         .buffered = "BlockingConcurrentQueue has no blocking bounded send (try_enqueue fails when full)"}};
    static constexpr const char* name = about.name;
    static constexpr const char* label = about.label;
    static constexpr bool has_select = false;
    static const char* skip_reason(scenario s, capacity_class c) { return about.missing.reason(s, c); }

    explicit moodycamel_subject(const capacity&) {}

    struct sender_handle {
        queue_type* q;
        moodycamel::ProducerToken token;
        bool send(std::uint64_t v) { return q->enqueue(token, v); }  // false: out of memory
    };
    struct receiver_handle {
        queue_type* q;
        moodycamel::ConsumerToken token;
        bool recv(std::uint64_t& out) {
            q->wait_dequeue(token, out);
            return true;
        }
    };

    sender_handle sender() { return {&queue_, moodycamel::ProducerToken(queue_)}; }
    receiver_handle receiver() { return {&queue_, moodycamel::ConsumerToken(queue_)}; }

private:
    queue_type queue_;
};

}  // namespace chancheck_bench
