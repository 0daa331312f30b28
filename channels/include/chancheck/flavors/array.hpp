// chancheck/flavors/array.hpp — bounded channel on a ring buffer with per-slot stamps.
//
// Algorithm: Dmitry Vyukov's bounded MPMC queue (1024cores.net, "Bounded MPMC queue"), as
// extended by crossbeam-channel's `flavors/array.rs` with a mark bit for disconnection and
// wakers for blocking. `head` and `tail` are (lap, index) pairs packed in one word; each slot
// has a stamp saying whether it is ready for the sender of this lap (stamp == tail) or for
// the receiver of this lap (stamp == head + 1). A sender reserves a slot by CAS on `tail`,
// writes the message, then publishes it by storing the next stamp with release ordering;
// the receiver's acquire load of that stamp is what makes reading the message safe.
// The mark bit in `tail` means "disconnected".
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <limits>
#include <new>
#include <optional>

#include "chancheck/detail/backoff.hpp"
#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/detail/context.hpp"
#include "chancheck/detail/token.hpp"
#include "chancheck/detail/uninit.hpp"
#include "chancheck/detail/waker.hpp"
#include "chancheck/result.hpp"

namespace chancheck::detail {

template <class T, class Sync>
class array_flavor {
    struct slot {
        typename Sync::template atomic<std::size_t> stamp;
        typename Sync::template cell<uninit<T>> msg;
    };

public:
    using time_point = typename Sync::clock::time_point;

    // The largest capacity whose (lap, mark, index) encoding fits a word.
    static constexpr std::size_t max_capacity() noexcept {
        constexpr std::size_t by_encoding = std::size_t(1) << (std::numeric_limits<std::size_t>::digits - 4);
        constexpr std::size_t by_memory = std::numeric_limits<std::ptrdiff_t>::max() / sizeof(slot);
        return std::min(by_encoding, by_memory);
    }

    explicit array_flavor(std::size_t cap)
        : head_(0), tail_(0), cap_(cap), mark_bit_(std::bit_ceil(cap + 1)), one_lap_(mark_bit_ * 2) {
        if (cap == 0 || cap > max_capacity()) throw capacity_error("array_flavor", cap, max_capacity());
        buffer_ = Sync::template make_array<slot>(cap);  // std::bad_alloc: see make_channel
        // Slot i starts ready for the sender of lap 0 at index i.
        for (std::size_t i = 0; i < cap; ++i) buffer_[i].stamp.store(i, std::memory_order::relaxed);
    }

    array_flavor(const array_flavor&) = delete;
    array_flavor& operator=(const array_flavor&) = delete;

    ~array_flavor() {
        // Only the last handle gets here, so plain (relaxed) loads see the final state.
        const std::size_t head = head_.load(std::memory_order::relaxed);
        const std::size_t tail = tail_.load(std::memory_order::relaxed) & ~mark_bit_;
        for (std::size_t pos = head; pos != tail; pos = next_position(pos)) {
            buffer_[pos & (mark_bit_ - 1)].msg.with_mut([](uninit<T>* m) { m->destroy(); });
        }
        Sync::destroy_array(buffer_, cap_);
    }

    // Reserves a slot for sending. False: the channel is full. True with a null slot: the
    // channel is disconnected.
    bool start_send(token& tk) {
        backoff<Sync> b;
        std::size_t tail = tail_.load(std::memory_order::relaxed);
        for (;;) {
            if (tail & mark_bit_) {
                tk.array.slot = nullptr;
                return true;
            }
            slot& s = buffer_[tail & (mark_bit_ - 1)];
            const std::size_t stamp = s.stamp.load(std::memory_order::acquire);
            if (tail == stamp) {
                // The slot is ready for this lap's sender: try to move the tail past it.
                // seq_cst: pairs with the fence in start_recv so empty/full checks agree.
                if (tail_.compare_exchange_weak(tail, next_position(tail), std::memory_order::seq_cst,
                                                std::memory_order::relaxed)) {
                    tk.array.slot = &s;
                    tk.array.stamp = tail + 1;
                    return true;
                }
                b.spin();
            } else if (stamp + one_lap_ == tail + 1) {
                // The slot still holds last lap's message: the channel may be full.
                Sync::fence(std::memory_order::seq_cst);
                const std::size_t head = head_.load(std::memory_order::relaxed);
                if (head + one_lap_ == tail) return false;
                b.spin();
                tail = tail_.load(std::memory_order::relaxed);
            } else {
                // Another sender is mid-write on this slot; wait for it.
                b.snooze();
                tail = tail_.load(std::memory_order::relaxed);
            }
        }
    }

    // Completes a send reserved by start_send. Moves from `value` only when it returns true.
    bool write(token& tk, T& value) {
        if (tk.array.slot == nullptr) return false;
        slot& s = *static_cast<slot*>(tk.array.slot);
        s.msg.with_mut([&](uninit<T>* m) { m->construct(std::move(value)); });
        // release: publishes the message to the receiver that acquires this stamp.
        constexpr auto publish = has_bug<Sync>(bug::array_relaxed_publish) ? std::memory_order::relaxed
                                                                           : std::memory_order::release;
        s.stamp.store(tk.array.stamp, publish);
        receivers_.notify();
        return true;
    }

    // Reserves a message for receiving. False: empty. True with a null slot: disconnected
    // and drained.
    bool start_recv(token& tk) {
        backoff<Sync> b;
        std::size_t head = head_.load(std::memory_order::relaxed);
        for (;;) {
            slot& s = buffer_[head & (mark_bit_ - 1)];
            const std::size_t stamp = s.stamp.load(std::memory_order::acquire);
            if (head + 1 == stamp) {
                if (head_.compare_exchange_weak(head, next_position(head), std::memory_order::seq_cst,
                                                std::memory_order::relaxed)) {
                    tk.array.slot = &s;
                    tk.array.stamp = head + one_lap_;
                    return true;
                }
                b.spin();
            } else if (stamp == head) {
                // The slot is not written yet: the channel may be empty.
                Sync::fence(std::memory_order::seq_cst);
                const std::size_t tail = tail_.load(std::memory_order::relaxed);
                if ((tail & ~mark_bit_) == head) {
                    if (tail & mark_bit_) {
                        tk.array.slot = nullptr;
                        return true;
                    }
                    return false;
                }
                b.spin();
                head = head_.load(std::memory_order::relaxed);
            } else {
                // A sender reserved this slot but has not published it yet.
                b.snooze();
                head = head_.load(std::memory_order::relaxed);
            }
        }
    }

    // Completes a receive reserved by start_recv. Empty optional: disconnected.
    std::optional<T> read(token& tk) {
        if (tk.array.slot == nullptr) return std::nullopt;
        slot& s = *static_cast<slot*>(tk.array.slot);
        std::optional<T> out(s.msg.with_mut([](uninit<T>* m) { return m->take(); }));
        // release: the next lap's sender must not write before this read finished.
        s.stamp.store(tk.array.stamp, std::memory_order::release);
        senders_.notify();
        return out;
    }

    op_status try_send(T& value) { return try_send_once(*this, value); }

    op_status send(T& value, const std::optional<time_point>& deadline) {
        return blocking_send(*this, senders_, deadline, value, [this] { return !is_full() || is_disconnected(); });
    }

    op_status try_recv(std::optional<T>& out) { return try_recv_once(*this, out); }

    op_status recv(std::optional<T>& out, const std::optional<time_point>& deadline) {
        return blocking_recv(*this, receivers_, deadline, out, [this] { return !is_empty() || is_disconnected(); });
    }

    static constexpr bool selectable() noexcept { return true; }

    // select(): park-side hooks. `register_*` links the operation and says whether it is
    // ready already; `accept` retries the reservation after the operation was selected.
    bool register_send(waker_entry<Sync>& e, std::uintptr_t oper, context<Sync>* cx) {
        senders_.link(e, oper, cx);
        return !is_full() || is_disconnected();
    }
    bool register_recv(waker_entry<Sync>& e, std::uintptr_t oper, context<Sync>* cx) {
        receivers_.link(e, oper, cx);
        return !is_empty() || is_disconnected();
    }
    void unregister_send(waker_entry<Sync>& e) { senders_.unlink(e); }
    void unregister_recv(waker_entry<Sync>& e) { receivers_.unlink(e); }
    bool accept_send(token& tk, context<Sync>*) { return start_send(tk); }
    bool accept_recv(token& tk, context<Sync>*) { return start_recv(tk); }

    // Sets the mark bit; true for the caller that disconnected first.
    bool disconnect_senders() {
        const std::size_t tail = tail_.fetch_or(mark_bit_, std::memory_order::seq_cst);
        if (tail & mark_bit_) return false;
        senders_.disconnect();
        receivers_.disconnect();
        return true;
    }

    // Disconnects and destroys every unreceived message at once.
    bool disconnect_receivers() {
        const std::size_t tail = tail_.fetch_or(mark_bit_, std::memory_order::seq_cst);
        const bool first = (tail & mark_bit_) == 0;
        if (first) {
            senders_.disconnect();
            receivers_.disconnect();
        }
        discard_all_messages(tail & ~mark_bit_);
        return first;
    }

    bool is_disconnected() const { return tail_.load(std::memory_order::seq_cst) & mark_bit_; }

    bool is_empty() const {
        const std::size_t head = head_.load(std::memory_order::seq_cst);
        const std::size_t tail = tail_.load(std::memory_order::seq_cst);
        // Is the tail equal to the head? (A lagging tail still means "empty" here.)
        return (tail & ~mark_bit_) == head;
    }

    bool is_full() const {
        const std::size_t tail = tail_.load(std::memory_order::seq_cst);
        const std::size_t head = head_.load(std::memory_order::seq_cst);
        return head + one_lap_ == (tail & ~mark_bit_);
    }

    std::size_t len() const {
        for (;;) {
            const std::size_t tail = tail_.load(std::memory_order::seq_cst);
            const std::size_t head = head_.load(std::memory_order::seq_cst);
            // Retry unless the tail did not move while we read the head: a consistent pair.
            if (!has_bug<Sync>(bug::array_len_reads_unpaired) && tail_.load(std::memory_order::seq_cst) != tail) continue;
            const std::size_t hix = head & (mark_bit_ - 1);
            const std::size_t tix = tail & (mark_bit_ - 1);
            if (hix < tix) return tix - hix;
            if (hix > tix) return cap_ - hix + tix;
            return (tail & ~mark_bit_) == head ? 0 : cap_;
        }
    }

    std::size_t capacity() const noexcept { return cap_; }

private:
    // The position after `pos`: next index in this lap, or index 0 of the next lap.
    std::size_t next_position(std::size_t pos) const noexcept {
        const std::size_t index = pos & (mark_bit_ - 1);
        const std::size_t lap = pos & ~(one_lap_ - 1);
        return index + 1 < cap_ ? pos + 1 : lap + one_lap_;
    }

    // Only the last receiver calls this (and no receive is in progress), so `head` moves
    // only here. Waits for senders that reserved a slot before the disconnect to finish.
    void discard_all_messages(std::size_t tail) {
        std::size_t head = head_.load(std::memory_order::relaxed);
        backoff<Sync> b;
        while (head != tail) {
            slot& s = buffer_[head & (mark_bit_ - 1)];
            if (s.stamp.load(std::memory_order::acquire) == head + 1) {
                if constexpr (!has_bug<Sync>(bug::array_discard_skips_destroy))
                    s.msg.with_mut([](uninit<T>* m) { m->destroy(); });
                s.stamp.store(head + one_lap_, std::memory_order::relaxed);
                head = next_position(head);
            } else {
                b.snooze();  // a sender reserved this slot and is still writing
            }
        }
        head_.store(head, std::memory_order::release);
    }

    alignas(64) typename Sync::template atomic<std::size_t> head_;
    alignas(64) typename Sync::template atomic<std::size_t> tail_;
    alignas(64) slot* buffer_ = nullptr;
    std::size_t cap_;
    std::size_t mark_bit_;  // above the index bits: set in `tail` when disconnected
    std::size_t one_lap_;   // the lowest lap bit, above the mark bit
    sync_waker<Sync> senders_;
    sync_waker<Sync> receivers_;
};

}  // namespace chancheck::detail
