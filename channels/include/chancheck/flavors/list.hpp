// chancheck/flavors/list.hpp — unbounded channel on a linked list of blocks.
//
// Algorithm: crossbeam-channel's `flavors/list.rs` (after Vyukov's unbounded MPSC/MPMC list
// queues): messages live in blocks of BLOCK_CAP slots linked into a list. `head` and `tail`
// are (index, block) positions; an index counts slots in steps of 1 << SHIFT, and every
// LAP-th index is a sentinel meaning "the next block is being installed". A sender reserves a
// slot by CAS on the tail index, writes, then sets the slot's WRITE bit with release ordering.
// The sender that takes the last slot of a block installs the next block (allocated in
// advance, outside the CAS loop). Blocks are freed by readers: the reader of the last slot
// starts destruction, and a reader still busy with an earlier slot finishes it (DESTROY bit).
// The mark bit of the tail index means "disconnected"; the mark bit of the head index means
// "head and tail are in different blocks" (an optimisation that skips the tail check).
#pragma once

#include <atomic>
#include <cstddef>
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
class list_flavor {
    static constexpr std::size_t write_bit = 1;    // the message is written
    static constexpr std::size_t read_bit = 2;     // the message is read
    static constexpr std::size_t destroy_bit = 4;  // the block is being destroyed

    static constexpr std::size_t lap = 32;              // indices per block, with the sentinel
    static constexpr std::size_t block_cap = lap - 1;   // slots per block
    static constexpr std::size_t shift = 1;             // low bits of an index hold metadata
    static constexpr std::size_t mark_bit = 1;

    struct slot {
        typename Sync::template cell<uninit<T>> msg;
        typename Sync::template atomic<std::size_t> state{0};

        void wait_write() {
            backoff<Sync> b;
            while ((state.load(std::memory_order::acquire) & write_bit) == 0) b.snooze();
        }
    };

    struct block {
        typename Sync::template atomic<block*> next{nullptr};
        slot slots[block_cap];

        block* wait_next() {
            backoff<Sync> b;
            for (;;) {
                block* n = next.load(std::memory_order::acquire);
                if (n != nullptr) return n;
                b.snooze();
            }
        }

        // Frees block `b` once every slot from `start` on has been read. A reader still
        // using a slot sees DESTROY when it sets READ and continues the destruction itself.
        static void destroy(block* b, std::size_t start) {
            // The last slot needs no check: its reader is the one that started destruction.
            for (std::size_t i = start; i + 1 < block_cap; ++i) {
                slot& s = b->slots[i];
                if ((s.state.load(std::memory_order::acquire) & read_bit) == 0 &&
                    (s.state.fetch_or(destroy_bit, std::memory_order::acq_rel) & read_bit) == 0) {
                    return;  // that slot's reader will continue from i + 1
                }
            }
            Sync::destroy(b);
        }
    };

    struct position {
        typename Sync::template atomic<std::size_t> index{0};
        typename Sync::template atomic<block*> blk{nullptr};
    };

public:
    using time_point = typename Sync::clock::time_point;

    list_flavor() = default;
    list_flavor(const list_flavor&) = delete;
    list_flavor& operator=(const list_flavor&) = delete;

    ~list_flavor() {
        // Only the last handle gets here: relaxed loads see the final state.
        std::size_t head = head_.index.load(std::memory_order::relaxed) & ~mark_bit;
        const std::size_t tail = tail_.index.load(std::memory_order::relaxed) & ~mark_bit;
        block* b = head_.blk.load(std::memory_order::relaxed);
        while (head != tail) {
            const std::size_t offset = (head >> shift) % lap;
            if (offset < block_cap) {
                b->slots[offset].msg.with_mut([](uninit<T>* m) { m->destroy(); });
            } else {
                block* next = b->next.load(std::memory_order::relaxed);
                Sync::destroy(b);
                b = next;
            }
            head += std::size_t(1) << shift;
        }
        Sync::destroy(b);
    }

    // Reserves a slot. Always succeeds (unbounded); a null block means disconnected.
    bool start_send(token& tk) {
        backoff<Sync> b;
        std::size_t tail = tail_.index.load(std::memory_order::acquire);
        block* blk = tail_.blk.load(std::memory_order::acquire);
        block* next_block = nullptr;
        for (;;) {
            if (tail & mark_bit) {
                tk.list.block = nullptr;
                Sync::destroy(next_block);
                return true;
            }
            const std::size_t offset = (tail >> shift) % lap;
            if (offset == block_cap) {
                // Another sender is installing the next block: wait for it.
                b.snooze();
                tail = tail_.index.load(std::memory_order::acquire);
                blk = tail_.blk.load(std::memory_order::acquire);
                continue;
            }
            // About to take the last slot: allocate the next block before the CAS so the
            // window in which others wait for it stays short.
            if (offset + 1 == block_cap && next_block == nullptr) next_block = Sync::template make<block>();

            if (blk == nullptr) {
                // The very first message: install the first block.
                block* fresh = Sync::template make<block>();
                block* expected = nullptr;
                if (tail_.blk.compare_exchange_strong(expected, fresh, std::memory_order::release,
                                                      std::memory_order::relaxed)) {
                    head_.blk.store(fresh, std::memory_order::release);
                    blk = fresh;
                } else {
                    Sync::destroy(fresh);
                    tail = tail_.index.load(std::memory_order::acquire);
                    blk = tail_.blk.load(std::memory_order::acquire);
                    continue;
                }
            }

            const std::size_t new_tail = tail + (std::size_t(1) << shift);
            if (tail_.index.compare_exchange_weak(tail, new_tail, std::memory_order::seq_cst,
                                                  std::memory_order::acquire)) {
                if (offset + 1 == block_cap) {
                    // We took the last slot: install the next block and skip the sentinel.
                    tail_.blk.store(next_block, std::memory_order::release);
                    // fetch_add, not store: a disconnect may have set the mark bit meanwhile,
                    // and a store would erase it (senders would then write into freed blocks).
                    tail_.index.fetch_add(std::size_t(1) << shift, std::memory_order::release);
                    blk->next.store(next_block, std::memory_order::release);
                    next_block = nullptr;
                }
                Sync::destroy(next_block);
                tk.list.block = blk;
                tk.list.offset = offset;
                return true;
            }
            blk = tail_.blk.load(std::memory_order::acquire);
            b.spin();
        }
    }

    bool write(token& tk, T& value) {
        if (tk.list.block == nullptr) return false;
        slot& s = static_cast<block*>(tk.list.block)->slots[tk.list.offset];
        s.msg.with_mut([&](uninit<T>* m) { m->construct(std::move(value)); });
        // release: publishes the message to the reader that acquires WRITE.
        s.state.fetch_or(write_bit, std::memory_order::release);
        if constexpr (!has_bug<Sync>(bug::list_lost_wakeup)) receivers_.notify();
        return true;
    }

    // Reserves a message. False: empty. True with a null block: disconnected and drained.
    bool start_recv(token& tk) {
        backoff<Sync> b;
        std::size_t head = head_.index.load(std::memory_order::acquire);
        block* blk = head_.blk.load(std::memory_order::acquire);
        for (;;) {
            const std::size_t offset = (head >> shift) % lap;
            if (offset == block_cap) {
                // Another receiver is moving the head to the next block: wait for it.
                b.snooze();
                head = head_.index.load(std::memory_order::acquire);
                blk = head_.blk.load(std::memory_order::acquire);
                continue;
            }
            std::size_t new_head = head + (std::size_t(1) << shift);
            if ((new_head & mark_bit) == 0) {
                // seq_cst fence: pairs with the senders' seq_cst tail CAS (empty check).
                Sync::fence(std::memory_order::seq_cst);
                const std::size_t tail = tail_.index.load(std::memory_order::relaxed);
                if ((head >> shift) == (tail >> shift)) {
                    if (tail & mark_bit) {
                        tk.list.block = nullptr;
                        return true;
                    }
                    return false;
                }
                // Head and tail in different blocks: later receives of this block need not
                // look at the tail again.
                if ((head >> shift) / lap != (tail >> shift) / lap) new_head |= mark_bit;
            }
            if (blk == nullptr) {
                // The first message's sender has not installed the first block yet.
                b.snooze();
                head = head_.index.load(std::memory_order::acquire);
                blk = head_.blk.load(std::memory_order::acquire);
                continue;
            }
            if (head_.index.compare_exchange_weak(head, new_head, std::memory_order::seq_cst,
                                                  std::memory_order::acquire)) {
                if (offset + 1 == block_cap) {
                    // We took the last slot: move the head to the next block.
                    block* next = blk->wait_next();
                    std::size_t next_index = (new_head & ~mark_bit) + (std::size_t(1) << shift);
                    if (next->next.load(std::memory_order::relaxed) != nullptr) next_index |= mark_bit;
                    head_.blk.store(next, std::memory_order::release);
                    head_.index.store(next_index, std::memory_order::release);
                }
                tk.list.block = blk;
                tk.list.offset = offset;
                return true;
            }
            blk = head_.blk.load(std::memory_order::acquire);
            b.spin();
        }
    }

    std::optional<T> read(token& tk) {
        if (tk.list.block == nullptr) return std::nullopt;
        block* blk = static_cast<block*>(tk.list.block);
        const std::size_t offset = tk.list.offset;
        slot& s = blk->slots[offset];
        s.wait_write();
        std::optional<T> out(s.msg.with_mut([](uninit<T>* m) { return m->take(); }));
        // Destroy the block if we read its last slot, or if a destroyer is waiting for us.
        if (offset + 1 == block_cap) {
            block::destroy(blk, 0);
        } else if (s.state.fetch_or(read_bit, std::memory_order::acq_rel) & destroy_bit) {
            block::destroy(blk, offset + 1);
        }
        return out;
    }

    op_status try_send(T& value) { return try_send_once(*this, value); }

    // Never blocks: the deadline is accepted for a uniform interface.
    op_status send(T& value, const std::optional<time_point>&) { return try_send(value); }

    op_status try_recv(std::optional<T>& out) { return try_recv_once(*this, out); }

    op_status recv(std::optional<T>& out, const std::optional<time_point>& deadline) {
        return blocking_recv(*this, receivers_, deadline, out, [this] {
            if constexpr (has_bug<Sync>(bug::list_recheck_ignores_disconnect)) return !is_empty();
            return !is_empty() || is_disconnected();
        });
    }

    static constexpr bool selectable() noexcept { return true; }

    // select() hooks (see array.hpp). Sends never wait, so a send arm is always ready.
    bool register_send(waker_entry<Sync>&, std::uintptr_t, context<Sync>*) { return true; }
    bool register_recv(waker_entry<Sync>& e, std::uintptr_t oper, context<Sync>* cx) {
        receivers_.link(e, oper, cx);
        return !is_empty() || is_disconnected();
    }
    void unregister_send(waker_entry<Sync>&) {}
    void unregister_recv(waker_entry<Sync>& e) { receivers_.unlink(e); }
    bool accept_send(token& tk, context<Sync>*) { return start_send(tk); }
    bool accept_recv(token& tk, context<Sync>*) { return start_recv(tk); }

    bool disconnect_senders() {
        const std::size_t tail = tail_.index.fetch_or(mark_bit, std::memory_order::seq_cst);
        if (tail & mark_bit) return false;
        receivers_.disconnect();
        return true;
    }

    bool disconnect_receivers() {
        const std::size_t tail = tail_.index.fetch_or(mark_bit, std::memory_order::seq_cst);
        if (tail & mark_bit) return false;
        // No receiver can run any more: drop every message now rather than at the end.
        discard_all_messages();
        return true;
    }

    bool is_disconnected() const { return tail_.index.load(std::memory_order::seq_cst) & mark_bit; }

    bool is_empty() const {
        const std::size_t head = head_.index.load(std::memory_order::seq_cst);
        const std::size_t tail = tail_.index.load(std::memory_order::seq_cst);
        return (head >> shift) == (tail >> shift);
    }

    bool is_full() const noexcept { return false; }

    std::size_t len() const {
        for (;;) {
            std::size_t tail = tail_.index.load(std::memory_order::seq_cst);
            std::size_t head = head_.index.load(std::memory_order::seq_cst);
            if (tail_.index.load(std::memory_order::seq_cst) != tail) continue;
            tail &= ~((std::size_t(1) << shift) - 1);
            head &= ~((std::size_t(1) << shift) - 1);
            // A position on a sentinel counts as the first slot of the next block.
            if (((tail >> shift) & (lap - 1)) == lap - 1) tail += std::size_t(1) << shift;
            if (((head >> shift) & (lap - 1)) == lap - 1) head += std::size_t(1) << shift;
            // Rebase both on the head's block, then subtract the sentinels in between.
            const std::size_t base = ((head >> shift) / lap) * lap;
            const std::size_t t = (tail >> shift) - base;
            const std::size_t h = (head >> shift) - base;
            return t - h - t / lap;
        }
    }

    std::optional<std::size_t> capacity() const noexcept { return std::nullopt; }

private:
    // Called by the last receiver after setting the mark bit: no receive runs concurrently,
    // and no new slot can be reserved, but senders may still be writing reserved slots.
    void discard_all_messages() {
        backoff<Sync> b;
        std::size_t tail;
        for (;;) {
            tail = tail_.index.load(std::memory_order::acquire);
            if (((tail >> shift) % lap) != block_cap) break;  // not mid block installation
            b.snooze();
        }
        std::size_t head = head_.index.load(std::memory_order::acquire);
        // Take the head block out so the destructor cannot free it a second time.
        block* blk = head_.blk.exchange(nullptr, std::memory_order::acq_rel);
        if ((head >> shift) != (tail >> shift)) {
            // Messages exist, so their first block exists too; wait until it is installed.
            while (blk == nullptr) {
                b.snooze();
                blk = head_.blk.exchange(nullptr, std::memory_order::acq_rel);
            }
        }
        while ((head >> shift) != (tail >> shift)) {
            const std::size_t offset = (head >> shift) % lap;
            if (offset < block_cap) {
                slot& s = blk->slots[offset];
                s.wait_write();
                s.msg.with_mut([](uninit<T>* m) { m->destroy(); });
            } else {
                block* next = blk->wait_next();
                Sync::destroy(blk);
                blk = next;
            }
            head += std::size_t(1) << shift;
        }
        Sync::destroy(blk);
        head_.index.store(head & ~mark_bit, std::memory_order::release);
    }

    alignas(64) position head_;
    alignas(64) position tail_;
    sync_waker<Sync> receivers_;
};

}  // namespace chancheck::detail
