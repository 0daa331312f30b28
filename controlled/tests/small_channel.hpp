// controlled/tests/small_channel.hpp — a small blocking channel in the style of a library
// author's own (std::mutex, std::condition_variable, std::atomic; nothing of chancheck's),
// with the two bugs whose window is a few nanoseconds that real threads almost never hit:
//   sender_count_bug::load_then_store  the last-sender check decrements the sender count as a
//       load and a store: two senders dropping together both store 1, neither sees 0, and a
//       receiver blocked in recv() is never woken (a deadlock);
//   sender_count_bug::queue_then_count try_recv looks at the queue, then at the sender count:
//       a message sent and its sender dropped in between, it reports disconnected with the
//       message still queued (a lost message).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace small {

enum class sender_count_bug { none, load_then_store, queue_then_count };
enum class try_result { ok, empty, disconnected };

template <sender_count_bug Bug>
class channel {
public:
    explicit channel(int senders) : senders_(senders) {}

    void send(int v) {
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(v);
        }
        ready_.notify_one();
    }

    void drop_sender() {
        bool last = false;
        if constexpr (Bug == sender_count_bug::load_then_store) {
            const int n = senders_.load();
            senders_.store(n - 1);
            last = n == 1;
        } else {
            last = senders_.fetch_sub(1) == 1;
        }
        if (last) {
            std::lock_guard lock(mutex_);  // a receiver between its check and its wait must not miss this
            ready_.notify_all();
        }
    }

    std::optional<int> recv() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !queue_.empty() || senders_.load() == 0; });
        if (queue_.empty()) return std::nullopt;
        const int v = queue_.front();
        queue_.pop_front();
        return v;
    }

    try_result try_recv(int& out) {
        if constexpr (Bug == sender_count_bug::queue_then_count) {
            {
                std::lock_guard lock(mutex_);
                if (!queue_.empty()) return pop(out);
            }
            return senders_.load() == 0 ? try_result::disconnected : try_result::empty;
        } else {
            const bool none_left = senders_.load() == 0;  // before the queue: a message queued after it is seen below
            std::lock_guard lock(mutex_);
            if (!queue_.empty()) return pop(out);
            return none_left ? try_result::disconnected : try_result::empty;
        }
    }

private:
    try_result pop(int& out) {
        out = queue_.front();
        queue_.pop_front();
        return try_result::ok;
    }

    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<int> queue_;
    std::atomic<int> senders_;
};

}  // namespace small
