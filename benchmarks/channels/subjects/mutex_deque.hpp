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

#include "../grid.hpp"

namespace chancheck_bench {

class mutex_deque_subject {
public:
    static constexpr const char* name = "mutex_deque";
    static constexpr const char* label = "blocking: std::mutex + std::condition_variable";
    static constexpr bool has_select = false;

    static const char* skip_reason(scenario s, flavor_kind f) {
        if (is_select(s)) return "a mutex + condition variable queue cannot wait on several queues";
        if (f == flavor_kind::bounded0) return "a deque of messages has no rendezvous";
        return nullptr;
    }

    explicit mutex_deque_subject(const capacity& cap) : capacity_(cap.value()) {}

    struct sender_handle {
        mutex_deque_subject* s;
        bool send(std::uint64_t v) {
            {
                std::unique_lock lock(s->mutex_);
                s->not_full_.wait(lock, [&] { return !s->capacity_ || s->queue_.size() < *s->capacity_; });
                s->queue_.push_back(v);
            }
            s->not_empty_.notify_one();
            return true;
        }
    };
    struct receiver_handle {
        mutex_deque_subject* s;
        bool recv(std::uint64_t& out) {
            {
                std::unique_lock lock(s->mutex_);
                s->not_empty_.wait(lock, [&] { return !s->queue_.empty(); });
                out = s->queue_.front();
                s->queue_.pop_front();
            }
            if (s->capacity_) s->not_full_.notify_one();
            return true;
        }
    };

    sender_handle sender() { return {this}; }
    receiver_handle receiver() { return {this}; }

private:
    std::mutex mutex_;
    std::condition_variable not_empty_;
    std::condition_variable not_full_;
    std::deque<std::uint64_t> queue_;
    std::optional<std::size_t> capacity_;
};

}  // namespace chancheck_bench
