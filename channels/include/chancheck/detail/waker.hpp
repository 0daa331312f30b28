// chancheck/detail/waker.hpp — the list of operations blocked on one side of a channel.
//
// crossbeam-channel's `Waker` / `SyncWaker` (waker.rs). A blocked operation links an entry
// (living in its own stack frame) into the list; a thread that makes the operation possible
// *selects* the first entry whose context it can move from `waiting` to that operation,
// unlinks it and unparks its thread. `disconnect` selects every entry with `disconnected`;
// those waiters unlink themselves.
//
// Ownership of the context reference: linking an entry retains the context; whoever unlinks
// the entry (the selector or the waiter itself) inherits that reference and releases it.
//
// Lifetime of an entry: a selector still touches the entry (its packet, its links) after the
// CAS that wakes the waiter, under the waker's lock. So the waiter must take that lock (by
// calling unlink, which is harmless when the selector already unlinked it) before the frame
// holding the entry ends — even when it was selected. Returning straight after the wake-up
// is a stack use after return.
//
// `waker` is not thread-safe (the zero-capacity flavor guards it with its own lock);
// `sync_waker` adds a mutex and an `is_empty` flag so a notify on the fast path costs one
// atomic load when nobody is blocked.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/detail/context.hpp"

namespace chancheck::detail {

template <class Sync>
struct waker_entry {
    std::uintptr_t oper = 0;       // operation id: the address of the waiter's token
    void* packet = nullptr;        // rendezvous slot of the waiter, or null
    context<Sync>* cx = nullptr;
    waker_entry* prev = nullptr;
    waker_entry* next = nullptr;
};

// What a selector learns about the operation it selected.
struct selected_operation {
    std::uintptr_t oper;
    void* packet;
};

template <class Sync>
class waker {
public:
    using entry = waker_entry<Sync>;

    bool empty() const noexcept { return head_ == nullptr; }

    void link(entry& e, std::uintptr_t oper, context<Sync>* cx, void* packet = nullptr) {
        e.oper = oper;
        e.packet = packet;
        e.cx = cx;
        cx->retain();
        e.next = nullptr;
        e.prev = tail_;
        if (tail_ != nullptr) tail_->next = &e; else head_ = &e;
        tail_ = &e;
    }

    // The waiter takes its own entry back (after a timeout, an abort or a disconnect).
    // Returns false when a selector already unlinked it.
    bool unlink(entry& e) {
        for (entry* p = head_; p != nullptr; p = p->next) {
            if (p == &e) {
                remove(e);
                e.cx->release();
                return true;
            }
        }
        return false;
    }

    // Selects the oldest entry of another thread that can still be selected; FIFO order
    // keeps blocked threads from starving. Unparks its thread.
    bool try_select(selected_operation* out) {
        const std::uintptr_t me = Sync::thread_id();
        for (entry* e = head_; e != nullptr; e = e->next) {
            context<Sync>* cx = e->cx;
            if (cx->thread_id() == me) continue;  // never pair a thread with itself
            if (!cx->try_select(e->oper)) continue;
            cx->store_packet(e->packet);
            if (out != nullptr) *out = selected_operation{e->oper, e->packet};
            remove(*e);
            cx->unpark();
            cx->release();
            return true;
        }
        return false;
    }

    // Is an operation of another thread waiting that could still be selected?
    bool can_select() const {
        const std::uintptr_t me = Sync::thread_id();
        for (entry* e = head_; e != nullptr; e = e->next) {
            if (e->cx->thread_id() != me && e->cx->selected() == sel_waiting) return true;
        }
        return false;
    }

    // Wakes every waiter with `disconnected`; each unlinks its own entry.
    void disconnect() {
        for (entry* e = head_; e != nullptr; e = e->next) {
            if (e->cx->try_select(sel_disconnected)) e->cx->unpark();
        }
    }

private:
    void remove(entry& e) noexcept {
        if (e.prev != nullptr) e.prev->next = e.next; else head_ = e.next;
        if (e.next != nullptr) e.next->prev = e.prev; else tail_ = e.prev;
        e.prev = e.next = nullptr;
    }

    entry* head_ = nullptr;
    entry* tail_ = nullptr;
};

template <class Sync>
class sync_waker {
public:
    using entry = waker_entry<Sync>;

    sync_waker() : is_empty_(true) {}

    void link(entry& e, std::uintptr_t oper, context<Sync>* cx) {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        inner_.link(e, oper, cx);
        // seq_cst pairs with the seq_cst load in notify(): either the notifier sees this
        // entry, or the waiter's re-check after linking sees the notifier's update.
        is_empty_.store(false, std::memory_order::seq_cst);
    }

    bool unlink(entry& e) {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        const bool found = inner_.unlink(e);
        is_empty_.store(inner_.empty(), std::memory_order::seq_cst);
        return found;
    }

    // Wakes one blocked operation, if any.
    void notify() {
        constexpr auto fast_check = has_bug<Sync>(bug::waker_relaxed_empty_check) ? std::memory_order::relaxed
                                                                                : std::memory_order::seq_cst;
        if (is_empty_.load(fast_check)) return;
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        if (is_empty_.load(std::memory_order::seq_cst)) return;
        inner_.try_select(nullptr);
        is_empty_.store(inner_.empty(), std::memory_order::seq_cst);
    }

    void disconnect() {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        inner_.disconnect();
        is_empty_.store(inner_.empty(), std::memory_order::seq_cst);
    }

private:
    typename Sync::mutex mutex_;
    waker<Sync> inner_;
    typename Sync::template atomic<bool> is_empty_;
};

}  // namespace chancheck::detail

namespace chancheck::detail {

// The blocking step shared by the lock-free flavors (crossbeam's `Context::with` block in
// send/recv): link an entry for operation `oper` into `waker`, re-check `ready()` (the
// channel may have become ready between the caller's last attempt and the linking), park
// until selected, and take the entry back unless a selector already did.
// Returns false only when the wait ended by timing out.
template <class Sync, class Ready>
bool block_on(sync_waker<Sync>& waker, std::uintptr_t oper,
              const std::optional<typename Sync::clock::time_point>& deadline, Ready ready) {
    context_ref<Sync> cx;
    waker_entry<Sync> entry;
    waker.link(entry, oper, cx.get());
    const bool self_aborted = ready() && cx->try_select(sel_aborted);
    const std::uintptr_t sel = cx->wait_until(deadline);
    // Always: a selector may still be using `entry` under the waker's lock (see above).
    waker.unlink(entry);
    return !(sel == sel_aborted && !self_aborted);
}

}  // namespace chancheck::detail
