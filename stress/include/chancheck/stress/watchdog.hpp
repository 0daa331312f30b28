// chancheck/stress/watchdog.hpp — per-thread progress and the deadlock/livelock watchdog.
//
// Every stress thread owns one slot on a progress board and writes, with relaxed stores only
// (no read-modify-write, no ordering: the board must add no happens-before edge that could
// hide a data race from ThreadSanitizer), what it is doing and how many operations that made
// progress it has completed. Progress is the workload's: a message delivered, a send
// completed (or failed, handing its value back), a handle dropped. An operation that returned
// without moving the workload — a broadcast receive reporting Lagged again and again — is no
// progress, so a thread spinning on it is stalled like a blocked one. A watchdog thread
// samples the board; when the total count has not moved for the configured time while some
// thread is still unfinished, it calls its handler with a dump naming each thread's role, its
// current or last operation and how long ago it last made progress. A blocked thread cannot
// be unwound, so the handler reports and ends the process.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "chancheck/harness/stream_checks.hpp"

namespace chancheck::stress {

enum class activity : int { starting, send, recv, select_recv, drop, between, finished };

inline const char* to_string(activity a) noexcept {
    switch (a) {
        case activity::starting: return "starting";
        case activity::send: return "send";
        case activity::recv: return "recv";
        case activity::select_recv: return "select+recv";
        case activity::drop: return "drop";
        case activity::between: return "between operations";
        case activity::finished: return "finished";
    }
    return "unknown";
}

class progress_board {
public:
    explicit progress_board(std::vector<std::string> roles) : roles_(std::move(roles)), slots_(roles_.size()) {}

    unsigned size() const noexcept { return static_cast<unsigned>(roles_.size()); }
    const std::string& role(unsigned t) const { return roles_[t]; }

    // The thread starts an operation on `value` (a message, or the channel index).
    void begin(unsigned t, activity a, std::int64_t value = -1) noexcept {
        slots_[t].value.store(value, std::memory_order::relaxed);
        slots_[t].act.store(static_cast<int>(a), std::memory_order::relaxed);
    }
    // The operation returned and moved the workload on. The slot has one writer, so load +
    // store is an increment.
    void end(unsigned t) noexcept {
        slot& s = slots_[t];
        s.completed.store(s.completed.load(std::memory_order::relaxed) + 1, std::memory_order::relaxed);
        s.act.store(static_cast<int>(activity::between), std::memory_order::relaxed);
    }
    // The operation returned without moving the workload on (e.g. Lagged): not progress.
    void end_without_progress(unsigned t) noexcept {
        slots_[t].act.store(static_cast<int>(activity::between), std::memory_order::relaxed);
    }
    void finish(unsigned t) noexcept {
        end(t);
        slots_[t].act.store(static_cast<int>(activity::finished), std::memory_order::relaxed);
    }

    std::uint64_t completed(unsigned t) const noexcept { return slots_[t].completed.load(std::memory_order::relaxed); }
    activity current(unsigned t) const noexcept {
        return static_cast<activity>(slots_[t].act.load(std::memory_order::relaxed));
    }
    std::int64_t value(unsigned t) const noexcept { return slots_[t].value.load(std::memory_order::relaxed); }
    bool all_finished() const noexcept {
        for (unsigned t = 0; t < size(); ++t)
            if (current(t) != activity::finished) return false;
        return true;
    }

private:
    struct alignas(64) slot {
        std::atomic<std::uint64_t> completed{0};
        std::atomic<int> act{static_cast<int>(activity::starting)};
        std::atomic<std::int64_t> value{-1};
    };
    std::vector<std::string> roles_;
    std::vector<slot> slots_;
};

// Samples a board every `limit / 20` (at most 100 ms) until stopped; fires once when no
// thread made progress for `limit` while some thread has not finished.
class watchdog {
public:
    using clock = std::chrono::steady_clock;
    using handler = std::function<void(const std::string& dump)>;

    watchdog(const progress_board& board, std::chrono::milliseconds limit, handler on_stall)
        : board_(board), limit_(limit), on_stall_(std::move(on_stall)), thread_([this] { watch(); }) {}
    watchdog(const watchdog&) = delete;
    watchdog& operator=(const watchdog&) = delete;
    ~watchdog() { stop(); }

    void stop() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

private:
    void watch() {
        const auto interval = std::min<std::chrono::milliseconds>(std::chrono::milliseconds(100),
                                                                   std::max(limit_ / 20, std::chrono::milliseconds(1)));
        std::vector<std::uint64_t> seen(board_.size(), 0);
        std::vector<clock::time_point> moved(board_.size(), clock::now());
        clock::time_point any_moved = clock::now();
        std::unique_lock<std::mutex> lock(mutex_);
        while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
            const clock::time_point now = clock::now();
            for (unsigned t = 0; t < board_.size(); ++t) {
                const std::uint64_t c = board_.completed(t);
                if (c != seen[t]) {
                    seen[t] = c;
                    moved[t] = now;
                    any_moved = now;
                }
            }
            if (board_.all_finished()) any_moved = now;
            if (now - any_moved >= limit_) {
                on_stall_(dump(moved, now));
                return;
            }
        }
    }

    std::string dump(const std::vector<clock::time_point>& moved, clock::time_point now) const {
        using std::chrono::duration;
        char head[160];
        std::snprintf(head, sizeof head,
                      "deadlock or livelock suspected: no thread made progress (delivered a message, "
                      "completed a send) for %.1f s\n",
                      duration<double>(limit_).count());
        std::string out = head;
        for (unsigned t = 0; t < board_.size(); ++t) {
            const activity a = board_.current(t);
            std::string what = to_string(a);
            if ((a == activity::send || a == activity::recv || a == activity::select_recv) && board_.value(t) >= 0) {
                what += a == activity::send ? "(" + harness::describe_stream_value(board_.value(t)) + ")"
                                            : " on channel " + std::to_string(board_.value(t));
            }
            char line[320];
            std::snprintf(line, sizeof line, "  thread %u (%s): %s%s, %llu operations with progress, last progress %.1f s ago\n", t,
                          board_.role(t).c_str(), a == activity::finished || a == activity::between ? "" : "in ",
                          what.c_str(), static_cast<unsigned long long>(board_.completed(t)),
                          duration<double>(now - moved[t]).count());
            out += line;
        }
        return out;
    }

    const progress_board& board_;
    std::chrono::milliseconds limit_;
    handler on_stall_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;  // last: starts after everything it reads is initialised
};

}  // namespace chancheck::stress
