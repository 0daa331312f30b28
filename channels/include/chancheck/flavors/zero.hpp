// chancheck/flavors/zero.hpp — zero-capacity (rendezvous) channel.
//
// Algorithm: crossbeam-channel's `flavors/zero.rs`. There is no buffer: a sender and a
// receiver meet directly. Whoever arrives first registers its operation, with a *packet* on
// its own stack, in the waker of its side and parks; whoever arrives second selects that
// operation under the channel's lock and completes it through the packet:
//   - a receiver that finds a blocked sender moves the message out of the sender's packet
//     and sets `ready`, releasing the sender (whose send returns only then);
//   - a sender that finds a blocked receiver writes the message into the receiver's packet
//     and sets `ready`; the receiver waits for `ready`, then takes it.
// A waiter that times out or sees a disconnect takes its entry (and its message) back under
// the lock, so a message is never lost between the two sides.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
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
class zero_flavor {
    // A rendezvous slot: on the stack of a thread blocked in send/recv, or on the heap for
    // an operation registered by select (whose frame cannot hold the message).
    struct packet {
        explicit packet(bool on_stack_) : on_stack(on_stack_) {}
        const bool on_stack;
        typename Sync::template atomic<bool> ready{false};
        typename Sync::template cell<uninit<T>> msg;

        void wait_ready() {
            backoff<Sync> b;
            while (!ready.load(std::memory_order::acquire)) b.snooze();
        }
    };

public:
    using time_point = typename Sync::clock::time_point;

    zero_flavor() : disconnected_(false) {}
    zero_flavor(const zero_flavor&) = delete;
    zero_flavor& operator=(const zero_flavor&) = delete;

    // Pairs with a blocked receiver. False: none is waiting. True with a null packet:
    // disconnected. Caller holds no lock.
    bool start_send(token& tk) { return pair_with(receivers_, tk); }

    bool write(token& tk, T& value) {
        if (tk.zero.packet == nullptr) return false;
        packet& p = *static_cast<packet*>(tk.zero.packet);
        p.msg.with_mut([&](uninit<T>* m) { m->construct(std::move(value)); });
        // release: the receiver acquires `ready` before it takes the message.
        p.ready.store(true, std::memory_order::release);
        return true;
    }

    // Pairs with a blocked sender, as start_send with a receiver.
    bool start_recv(token& tk) { return pair_with(senders_, tk); }

    std::optional<T> read(token& tk) {
        if (tk.zero.packet == nullptr) return std::nullopt;
        packet* p = static_cast<packet*>(tk.zero.packet);
        if (p->on_stack) {
            // A blocked sender's packet holds the message already.
            std::optional<T> out(p->msg.with_mut([](uninit<T>* m) { return m->take(); }));
            // release: the sender may return (and pop its packet off the stack) only after
            // the message was moved out.
            p->ready.store(true, std::memory_order::release);
            return out;
        }
        // A selecting sender's heap packet: it writes once its select wakes; we free it.
        p->wait_ready();
        std::optional<T> out(p->msg.with_mut([](uninit<T>* m) { return m->take(); }));
        Sync::destroy(p);
        return out;
    }

    static constexpr bool selectable() noexcept { return true; }

    // select() hooks. A registered operation gets a heap packet; `accept` learns which
    // packet the partner chose (the selector stored it in our context).
    bool register_send(waker_entry<Sync>& e, std::uintptr_t oper, context<Sync>* cx) {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        senders_.link(e, oper, cx, Sync::template make<packet>(false));
        return receivers_.can_select() || disconnected_.load();
    }
    bool register_recv(waker_entry<Sync>& e, std::uintptr_t oper, context<Sync>* cx) {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        receivers_.link(e, oper, cx, Sync::template make<packet>(false));
        return senders_.can_select() || disconnected_.load();
    }
    void unregister_send(waker_entry<Sync>& e) { unregister(senders_, e); }
    void unregister_recv(waker_entry<Sync>& e) { unregister(receivers_, e); }
    bool accept_send(token& tk, context<Sync>* cx) {
        tk.zero.packet = cx->wait_packet();
        return true;
    }
    bool accept_recv(token& tk, context<Sync>* cx) {
        tk.zero.packet = cx->wait_packet();
        return true;
    }

    op_status try_send(T& value) { return try_send_once(*this, value); }

    op_status send(T& value, const std::optional<time_point>& deadline) {
        std::unique_lock<typename Sync::mutex> lock(mutex_);
        selected_operation op{};
        if (receivers_.try_select(&op)) {
            lock.unlock();
            token tk;
            tk.zero.packet = op.packet;
            write(tk, value);
            return op_status::ok;
        }
        if (disconnected_.load()) return op_status::disconnected;
        if (deadline && Sync::clock::now() >= *deadline) return op_status::timeout;

        // Wait for a receiver, with the message in a packet on this stack.
        context_ref<Sync> cx;
        packet pk(true);
        pk.msg.with_mut([&](uninit<T>* m) { m->construct(std::move(value)); });
        waker_entry<Sync> entry;
        senders_.link(entry, reinterpret_cast<std::uintptr_t>(&entry), cx.get(), &pk);
        lock.unlock();

        const std::uintptr_t sel = cx->wait_until(deadline);
        if (sel == sel_aborted || sel == sel_disconnected) {
            lock.lock();
            senders_.unlink(entry);
            lock.unlock();
            // Nobody took the message: it goes back to the caller.
            value = pk.msg.with_mut([](uninit<T>* m) { return m->take(); });
            return sel == sel_aborted ? op_status::timeout : op_status::disconnected;
        }
        pk.wait_ready();  // the receiver has moved the message out
        return op_status::ok;
    }

    op_status try_recv(std::optional<T>& out) { return try_recv_once(*this, out); }

    op_status recv(std::optional<T>& out, const std::optional<time_point>& deadline) {
        std::unique_lock<typename Sync::mutex> lock(mutex_);
        selected_operation op{};
        if (senders_.try_select(&op)) {
            lock.unlock();
            token tk;
            tk.zero.packet = op.packet;
            out = read(tk);
            return op_status::ok;
        }
        if (disconnected_.load()) return op_status::disconnected;
        if (deadline && Sync::clock::now() >= *deadline) return op_status::timeout;

        context_ref<Sync> cx;
        packet pk(true);
        waker_entry<Sync> entry;
        receivers_.link(entry, reinterpret_cast<std::uintptr_t>(&entry), cx.get(), &pk);
        lock.unlock();

        const std::uintptr_t sel = cx->wait_until(deadline);
        if (sel == sel_aborted || sel == sel_disconnected) {
            lock.lock();
            receivers_.unlink(entry);
            return sel == sel_aborted ? op_status::timeout : op_status::disconnected;
        }
        pk.wait_ready();  // the sender has written the message
        out.emplace(pk.msg.with_mut([](uninit<T>* m) { return m->take(); }));
        return op_status::ok;
    }

    bool disconnect() {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        if (disconnected_.load()) return false;
        disconnected_.store(true);
        senders_.disconnect();
        receivers_.disconnect();
        return true;
    }
    bool disconnect_senders() { return disconnect(); }
    bool disconnect_receivers() { return disconnect(); }

    bool is_disconnected() {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        return disconnected_.load();
    }
    bool is_empty() const noexcept { return true; }
    bool is_full() const noexcept { return true; }
    std::size_t len() const noexcept { return 0; }
    std::size_t capacity() const noexcept { return 0; }

private:
    // Selects the oldest blocked operation in `peers` (the other side's waker) and takes
    // its packet; with none, a disconnected channel still starts the operation (null packet).
    bool pair_with(waker<Sync>& peers, token& tk) {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        selected_operation op{};
        if (peers.try_select(&op)) {
            tk.zero.packet = op.packet;
            return true;
        }
        if (disconnected_.load()) {
            tk.zero.packet = nullptr;
            return true;
        }
        return false;
    }

    // Takes back a select registration nobody selected, with its unused heap packet.
    void unregister(waker<Sync>& side, waker_entry<Sync>& e) {
        std::lock_guard<typename Sync::mutex> lock(mutex_);
        if (side.unlink(e)) Sync::destroy(static_cast<packet*>(e.packet));
    }

    typename Sync::mutex mutex_;
    typename Sync::template cell<bool> disconnected_;  // guarded by mutex_
    waker<Sync> senders_;                             // guarded by mutex_
    waker<Sync> receivers_;                           // guarded by mutex_
};

}  // namespace chancheck::detail
