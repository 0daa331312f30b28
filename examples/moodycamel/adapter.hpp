// examples/moodycamel/adapter.hpp — moodycamel::BlockingConcurrentQueue (Cameron Desrochers'
// lock-free MPMC queue; Debian libconcurrentqueue-dev) through chancheck's channel concept
// (harness/channel.hpp), the worked "bring your own channel" example.
//
// The queue has no senders, receivers or disconnect, so the adapter adds them:
//   - a shared state (the queue, the numbers of live senders and receivers, a `closed` flag)
//     held by every handle; copying a handle counts one more of its role;
//   - the last sender gone sets `closed`. BlockingConcurrentQueue cannot wake its waiters
//     from outside, so a blocked recv waits in wait_dequeue_timed slices of 1 ms and looks at
//     `closed` between them: a disconnect is seen within about a millisecond, messages are
//     taken at once;
//   - recv reports Disconnected only after one more attempt that started after it saw
//     `closed` found nothing: every send happened before the close, so that attempt sees
//     every message still in the queue (the queue's semaphore counts them);
//   - the last receiver gone makes later sends fail (handing the value back) and destroys
//     the messages left in the queue; a send racing that drop may still enqueue its message,
//     which the queue destroys with the state (destruction stays balanced).
// The queue is unbounded only: enqueue never blocks and a fixed-size queue's try_enqueue
// fails instead of applying back-pressure, so supports() says unbounded only.
// The queue moves items out by assignment, so it holds std::optional<T>: T needs no default
// constructor.
#pragma once

#include <concurrentqueue/blockingconcurrentqueue.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <new>
#include <optional>
#include <utility>

#include "chancheck/harness/channel.hpp"

namespace moodycamel_example {

template <class T>
struct shared_state {
    moodycamel::BlockingConcurrentQueue<std::optional<T>> queue;
    std::atomic<long> senders{1};
    std::atomic<long> receivers{1};
    std::atomic<bool> closed{false};  // every sender is gone
};

// One sender or receiver's share of the state. A copy is one more of its role; the last one
// of a role to go closes the channel (senders) or empties it (receivers).
template <class T, bool IsSender>
class handle {
public:
    explicit handle(std::shared_ptr<shared_state<T>> s) : s_(std::move(s)) {}
    handle(const handle& other) : s_(other.s_) {
        // Relaxed: the copied-from handle keeps the count above zero while we add to it.
        count().fetch_add(1, std::memory_order::relaxed);
    }
    handle(handle&&) noexcept = default;  // the moved-from handle holds nothing and counts nothing
    handle& operator=(const handle&) = delete;
    handle& operator=(handle&&) = delete;
    ~handle() {
        // acq_rel: each holder's operations happen before the last holder's leave().
        if (s_ && count().fetch_sub(1, std::memory_order::acq_rel) == 1) leave();
    }

    shared_state<T>& state() const { return *s_; }

private:
    std::atomic<long>& count() const { return IsSender ? s_->senders : s_->receivers; }
    void leave() {
        if constexpr (IsSender) {
            // Release: every send happens before a receiver that sees `closed`.
            s_->closed.store(true, std::memory_order::release);
        } else {
            std::optional<T> item;
            while (s_->queue.try_dequeue(item)) item.reset();  // unreceived messages go now
        }
    }

    std::shared_ptr<shared_state<T>> s_;
};

template <class T>
class sender {
public:
    explicit sender(std::shared_ptr<shared_state<T>> s) : h_(std::move(s)) {}

    bool send(T& v) {
        shared_state<T>& s = h_.state();
        if (s.receivers.load(std::memory_order::acquire) == 0) return false;  // v keeps the value
        std::optional<T> item(std::move(v));
        // enqueue fails only when it cannot allocate; the item is not moved then.
        if (!s.queue.enqueue(std::move(item))) {
            v = std::move(*item);
            throw std::bad_alloc();
        }
        return true;
    }

private:
    handle<T, true> h_;
};

template <class T>
class receiver {
public:
    explicit receiver(std::shared_ptr<shared_state<T>> s) : h_(std::move(s)) {}

    std::optional<T> recv() {
        shared_state<T>& s = h_.state();
        std::optional<T> item;
        for (;;) {
            // Acquire, and read BEFORE the attempt: when it says closed, every message was
            // enqueued before this attempt, so a failed attempt means drained.
            const bool closed = s.closed.load(std::memory_order::acquire);
            if (s.queue.try_dequeue(item)) return item;
            if (closed) return std::nullopt;
            if (s.queue.wait_dequeue_timed(item, std::chrono::milliseconds(1))) return item;
        }
    }

    chancheck::harness::received<T> try_recv() {
        shared_state<T>& s = h_.state();
        const bool closed = s.closed.load(std::memory_order::acquire);  // before the attempt, as in recv
        std::optional<T> item;
        if (s.queue.try_dequeue(item)) return chancheck::harness::received<T>::message(std::move(*item));
        return chancheck::harness::received<T>::of(closed ? chancheck::harness::op_result::disconnected
                                                          : chancheck::harness::op_result::empty);
    }

private:
    handle<T, false> h_;
};

template <class T>
struct moodycamel_adapter {
    static constexpr const char* name = "moodycamel";
    static constexpr bool multi_consumer = true;
    // ConcurrentQueue keeps a sub-queue per producer and promises FIFO order per producer
    // only: a message sent after another producer's send returned may still be received
    // first. The property engine found exactly that against a single-FIFO spec (t0 sends a,
    // then t2 sends b; a receiver gets b, then a), so the adapter declares it.
    static constexpr bool global_fifo = false;
    using sender = moodycamel_example::sender<T>;
    using receiver = moodycamel_example::receiver<T>;

    static bool supports(std::optional<std::size_t> capacity) { return !capacity.has_value(); }

    static std::pair<sender, receiver> open(std::optional<std::size_t>) {
        auto s = std::make_shared<shared_state<T>>();
        return {sender(s), receiver(s)};
    }
};

}  // namespace moodycamel_example
