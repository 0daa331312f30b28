// benchmarks/channels/subjects/semaphore_counts.hpp — blocking for queues that have none.
//
// boost::lockfree::queue and spsc_queue only offer try-operations: push fails when full,
// pop fails when empty. Spinning on them is no channel (and with more threads than cores
// it would burn the cores the other side needs), so their adapters block the way
// moodycamel's BlockingConcurrentQueue does over its ConcurrentQueue: a semaphore counts the
// items (a receiver takes a permit before it pops), and, when the channel is bounded, a
// second one counts the free slots (a sender takes one before it pushes). The semaphores
// are C++20 std::counting_semaphore (libstdc++: a short spin, then a futex wait).
//
// Why a pop after a permit always finds an item: a permit is released only after its push
// completed, and every receiver pops at most one item per permit, so the permits taken
// never exceed the items pushed minus the items popped by others.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <semaphore>

namespace chancheck_bench {

class semaphore_counts {
public:
    // nullopt: unbounded (senders never wait).
    explicit semaphore_counts(std::optional<std::size_t> capacity) {
        if (capacity) slots_.emplace(static_cast<std::ptrdiff_t>(*capacity));
    }

    void before_push() {
        if (slots_) slots_->acquire();
    }
    void after_push() { items_.release(); }
    void before_pop() { items_.acquire(); }
    void after_pop() {
        if (slots_) slots_->release();
    }
    // A blocking push and pop over a queue with try-push/try-pop. The queue's own failure
    // cannot happen once a permit was taken, but is passed on rather than assumed.
    template <class Queue>
    bool push(Queue& queue, std::uint64_t v) {
        before_push();
        if (!queue.push(v)) return false;
        after_push();
        return true;
    }
    template <class Queue>
    bool pop(Queue& queue, std::uint64_t& out) {
        before_pop();
        if (!queue.pop(out)) return false;
        after_pop();
        return true;
    }

private:
    std::counting_semaphore<> items_{0};
    std::optional<std::counting_semaphore<>> slots_;
};

// A queue with try-push/try-pop made blocking by its semaphore_counts: the base of the
// peers over such queues, which add what they are (peer_about) and how the queue is built.
template <class Queue>
class semaphore_gated_peer {
public:
    bool push(std::uint64_t v) { return counts_.push(queue_, v); }
    bool pop(std::uint64_t& out) { return counts_.pop(queue_, out); }

protected:
    template <class... QueueArgs>
    explicit semaphore_gated_peer(std::optional<std::size_t> capacity, QueueArgs... queue_args)
        : queue_(queue_args...), counts_(capacity) {}

private:
    Queue queue_;
    semaphore_counts counts_;
};

}  // namespace chancheck_bench
