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

#include "chancheck/detail/backoff.hpp"
#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/detail/context.hpp"
#include "chancheck/detail/token.hpp"

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

// A lock-free flavor's blocking send or recv (crossbeam's loop around `Context::with`):
// `start(tk)` with backoff until it claims a slot, then `finish(tk)` completes the operation
// and says how it went; once the backoff is spent, block_on `waker` (re-checking `ready()`)
// and start over when woken, until the deadline.
template <class Sync, class Start, class Finish, class Ready>
op_status spin_then_block(sync_waker<Sync>& waker, const std::optional<typename Sync::clock::time_point>& deadline,
                          Start start, Finish finish, Ready ready) {
    token tk;
    for (;;) {
        backoff<Sync> b;
        for (;;) {
            if (start(tk)) return finish(tk);
            if (b.is_completed()) break;
            b.snooze();
        }
        if (deadline && Sync::clock::now() >= *deadline) return op_status::timeout;
        if (!block_on(waker, reinterpret_cast<std::uintptr_t>(&tk), deadline, ready)) return op_status::timeout;
    }
}

// The token protocol of a lock-free flavor: start_send/start_recv claim a slot (false: none
// now), then write/read complete the operation on it; a claimed slot with no channel behind
// it (write false, read nothing) means disconnected. The operations below are written once
// over it.
template <class Flavor, class T>
op_status finish_send(Flavor& f, token& tk, T& value) {
    return f.write(tk, value) ? op_status::ok : op_status::disconnected;
}

template <class Flavor, class T>
op_status finish_recv(Flavor& f, token& tk, std::optional<T>& out) {
    out = f.read(tk);
    return out ? op_status::ok : op_status::disconnected;
}

template <class Flavor, class T>
op_status try_send_once(Flavor& f, T& value) {
    token tk;
    return f.start_send(tk) ? finish_send(f, tk, value) : op_status::would_block;
}

template <class Flavor, class T>
op_status try_recv_once(Flavor& f, std::optional<T>& out) {
    token tk;
    return f.start_recv(tk) ? finish_recv(f, tk, out) : op_status::would_block;
}

// send and recv that wait: `ready()` is the flavor's re-check before parking (room or
// disconnected; a message or disconnected).
template <class Sync, class Flavor, class T, class Ready>
op_status blocking_send(Flavor& f, sync_waker<Sync>& senders, const std::optional<typename Sync::clock::time_point>& deadline,
                        T& value, Ready ready) {
    return spin_then_block(
        senders, deadline, [&f](token& tk) { return f.start_send(tk); },
        [&](token& tk) { return finish_send(f, tk, value); }, ready);
}

template <class Sync, class Flavor, class T, class Ready>
op_status blocking_recv(Flavor& f, sync_waker<Sync>& receivers,
                        const std::optional<typename Sync::clock::time_point>& deadline, std::optional<T>& out,
                        Ready ready) {
    return spin_then_block(
        receivers, deadline, [&f](token& tk) { return f.start_recv(tk); },
        [&](token& tk) { return finish_recv(f, tk, out); }, ready);
}

}  // namespace chancheck::detail
