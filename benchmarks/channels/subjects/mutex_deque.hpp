// benchmarks/channels/subjects/mutex_deque.hpp — the plain baseline: std::deque guarded by
// one std::mutex, with a std::condition_variable for "not empty" and one for "not full"
// (the textbook monitor). Written here; it is what a channel has to beat to be worth it.
//
// bounded(n) makes send wait while n messages are queued; unbounded never waits. Cells it
// does not have:
//   bounded0  a queue of messages has no rendezvous (chancheck_locked is the mutex-based
//             rendezvous);
//   select_*  one condition variable per queue cannot wait on several queues.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "peer.hpp"

namespace chancheck_bench {

class mutex_deque_peer {
public:
    static constexpr peer_about about{"mutex_deque", "blocking: std::mutex + std::condition_variable",
                                      {.select = "a mutex + condition variable queue cannot wait on several queues",
                                       .rendezvous = "a deque of messages has no rendezvous"}};

    explicit mutex_deque_peer(const capacity& cap) : capacity_(cap.value()) {}

    bool push(std::uint64_t v) {
        {
            std::unique_lock lock(mutex_);
            not_full_.wait(lock, [&] { return !capacity_ || queue_.size() < *capacity_; });
            queue_.push_back(v);
        }
        not_empty_.notify_one();
        return true;
    }
    bool pop(std::uint64_t& out) {
        {
            std::unique_lock lock(mutex_);
            not_empty_.wait(lock, [&] { return !queue_.empty(); });
            out = queue_.front();
            queue_.pop_front();
        }
        if (capacity_) not_full_.notify_one();
        return true;
    }

private:
    std::mutex mutex_;
    std::condition_variable not_empty_;
    std::condition_variable not_full_;
    std::deque<std::uint64_t> queue_;
    std::optional<std::size_t> capacity_;
};
using mutex_deque_subject = peer_subject<mutex_deque_peer>;

}  // namespace chancheck_bench
