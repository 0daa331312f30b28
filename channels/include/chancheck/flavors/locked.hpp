// chancheck/flavors/locked.hpp — the obviously-correct oracle: one mutex, two condvars.
//
// A textbook monitor (Hoare/Brinch Hansen bounded buffer): every operation runs under one
// lock; receivers wait on `not_empty_`, senders on `not_full_`. It serves every capacity:
//   - unbounded: senders never wait;
//   - bounded n > 0: senders wait while n messages are queued;
//   - rendezvous (n == 0): a blocking sender posts an *offer* — its value stays on its own
//     stack — and waits until a receiver (blocking or not) has taken it; on timeout or
//     disconnect it withdraws the offer, value untouched. try_send succeeds only for a
//     receiver already blocked in recv: it moves the value straight into that receiver's
//     own slot, so no later receiver can take it instead and the receiver returns it even
//     when its own timeout fired at the same moment. (An earlier version queued the value
//     for "some waiting receiver"; a receiver that arrived after the try_send could take it
//     while the waiting one timed out — a send that returned before any receiver took its
//     value. The property tests found it.)
// It is slower than the lock-free flavors and exists as the oracle they are compared with.
//
// For select's two phases, `start_send` / `start_recv` *reserve* room or a message (counted
// in reserved_sends_ / reserved_recvs_, which plain operations respect) and `write` / `read`
// complete them. Selects waiting on this channel are linked into two wakers and woken, one
// per state change, like the lock-free flavors' waiters. The rendezvous capacity cannot take
// part in select: pairing a selecting sender with a selecting receiver needs the
// one-CAS-per-context commitment of the lock-free flavors, which this oracle does not have.
#pragma once

#include <cstddef>
#include <algorithm>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/detail/context.hpp"
#include "chancheck/detail/token.hpp"
#include "chancheck/detail/waker.hpp"
#include "chancheck/result.hpp"

namespace chancheck::detail {

template <class T, class Sync>
class locked_flavor {
public:
    using time_point = typename Sync::clock::time_point;
    using lock_type = std::unique_lock<typename Sync::mutex>;

    // No capacity: unbounded.
    explicit locked_flavor(std::optional<std::size_t> cap) : cap_(cap) {}
    locked_flavor(const locked_flavor&) = delete;
    locked_flavor& operator=(const locked_flavor&) = delete;

    op_status try_send(T& value) { return send_impl(value, /*may_wait=*/false, std::nullopt); }

    op_status send(T& value, const std::optional<time_point>& deadline) {
        return send_impl(value, /*may_wait=*/true, deadline);
    }

    op_status try_recv(std::optional<T>& out) { return recv_impl(out, /*may_wait=*/false, std::nullopt); }

    op_status recv(std::optional<T>& out, const std::optional<time_point>& deadline) {
        return recv_impl(out, /*may_wait=*/true, deadline);
    }

    // select() two-phase operations. The token marks success; the reservation is counted.
    bool start_send(token& tk) {
        lock_type lock(mutex_);
        if (receivers_gone_) {
            tk.array.slot = nullptr;
            return true;
        }
        if (!has_room()) return false;
        ++reserved_sends_;
        tk.array.slot = this;
        return true;
    }
    bool write(token& tk, T& value) {
        if (tk.array.slot == nullptr) return false;
        lock_type lock(mutex_);
        --reserved_sends_;
        if (receivers_gone_) return false;  // cannot happen while a receiver handle lives
        queue_.push_back(std::move(value));
        wake_receivers();
        return true;
    }
    bool start_recv(token& tk) {
        lock_type lock(mutex_);
        if (available() > 0) {
            ++reserved_recvs_;
            tk.array.slot = this;
            return true;
        }
        if (senders_gone_) {
            tk.array.slot = nullptr;
            return true;
        }
        return false;
    }
    std::optional<T> read(token& tk) {
        if (tk.array.slot == nullptr) return std::nullopt;
        lock_type lock(mutex_);
        --reserved_recvs_;
        std::optional<T> out(std::move(queue_.front()));
        queue_.pop_front();
        wake_senders();
        return out;
    }
    // The rendezvous capacity cannot take part in select (see the header comment).
    bool selectable() const noexcept { return !rendezvous(); }

    bool register_send(waker_entry<Sync>& e, std::uintptr_t oper, context<Sync>* cx) {
        lock_type lock(mutex_);
        select_senders_.link(e, oper, cx);
        return receivers_gone_ || has_room();
    }
    bool register_recv(waker_entry<Sync>& e, std::uintptr_t oper, context<Sync>* cx) {
        lock_type lock(mutex_);
        select_receivers_.link(e, oper, cx);
        return available() > 0 || senders_gone_;
    }
    void unregister_send(waker_entry<Sync>& e) {
        lock_type lock(mutex_);
        select_senders_.unlink(e);
    }
    void unregister_recv(waker_entry<Sync>& e) {
        lock_type lock(mutex_);
        select_receivers_.unlink(e);
    }
    bool accept_send(token& tk, context<Sync>*) { return start_send(tk); }
    bool accept_recv(token& tk, context<Sync>*) { return start_recv(tk); }

    bool disconnect_senders() {
        if constexpr (has_bug<Sync>(bug::locked_disconnect_outside_lock)) {
            senders_gone_ = true;  // the bug: no lock around the flag and the notification
            not_empty_.notify_all();
            lock_type lock(mutex_);
            select_receivers_.disconnect();
            return true;
        }
        lock_type lock(mutex_);
        if (senders_gone_) return false;
        senders_gone_ = true;
        if constexpr (has_bug<Sync>(bug::locked_notify_one_on_disconnect)) not_empty_.notify_one();
        else not_empty_.notify_all();
        select_receivers_.disconnect();
        return true;
    }

    bool disconnect_receivers() {
        std::deque<T> discarded;
        {
            lock_type lock(mutex_);
            if (receivers_gone_) return false;
            receivers_gone_ = true;
            discarded.swap(queue_);
            not_full_.notify_all();
            select_senders_.disconnect();
        }
        // `discarded` is destroyed here, outside the lock: a message's destructor may run
        // arbitrary code (even touch another channel).
        return true;
    }

    bool is_disconnected() {
        lock_type lock(mutex_);
        return senders_gone_ || receivers_gone_;
    }
    bool is_empty() { return len() == 0; }
    bool is_full() {
        lock_type lock(mutex_);
        return cap_ && queue_.size() >= *cap_;
    }
    // A rendezvous channel holds nothing: its handoffs and offers are in flight to a
    // receiver, and len() is 0 there, as for the lock-free rendezvous.
    std::size_t len() {
        lock_type lock(mutex_);
        return rendezvous() ? 0 : queue_.size();
    }
    std::optional<std::size_t> capacity() const noexcept { return cap_; }

private:
    // Messages not reserved by a select that is about to read them.
    std::size_t available() const { return queue_.size() - reserved_recvs_; }

    bool has_room() const {
        if (!cap_) return true;
        if (*cap_ == 0) return false;  // a rendezvous holds nothing (see try_handoff)
        return queue_.size() + reserved_sends_ < *cap_;
    }

    // One state change wakes the blocked threads of its kind and one select.
    //
    // notify_all, not notify_one: glibc before 2.41 can lose a pthread_cond_signal when
    // several threads wait on one condition variable (sourceware bug 25847; Debian 12 ships
    // 2.36). Four senders blocked on a bounded(1) channel hung on it: the queue empty, every
    // sender asleep, two signals stranded in the condition variable's other group. Broadcast
    // is not affected; the waiters that find no room go back to sleep. Every waiter
    // re-checks its predicate, so the models' notify_one-or-spurious-wake-up reasoning holds.
    void wake_receivers() {
        not_empty_.notify_all();
        select_receivers_.try_select(nullptr);
    }
    void wake_senders() {
        not_full_.notify_all();
        select_senders_.try_select(nullptr);
    }

    // A blocked rendezvous sender's value, lent to whichever receiver takes it.
    struct offer {
        T* value;
        bool taken = false;
    };

    // A rendezvous receiver blocked in recv; try_send fills its slot directly.
    struct waiting_receiver {
        std::optional<T>* slot;
        bool filled = false;
    };

    // try_send on a rendezvous: hands the value to the oldest receiver blocked in recv.
    op_status try_handoff(T& value) {
        lock_type lock(mutex_);
        if (receivers_gone_) return op_status::disconnected;
        if (waiting_.empty()) return op_status::would_block;
        waiting_receiver* w = waiting_.front();
        waiting_.pop_front();
        w->slot->emplace(std::move(value));
        w->filled = true;
        not_empty_.notify_all();  // the filled receiver may not be the one notify_one would pick
        return op_status::ok;
    }

    // recv on a rendezvous: take a blocked sender's offer, or wait for an offer or a handoff.
    op_status recv_rendezvous(std::optional<T>& out, bool may_wait, const std::optional<time_point>& deadline) {
        lock_type lock(mutex_);
        waiting_receiver me{&out};
        auto ready = [&] { return me.filled || !offers_.empty() || senders_gone_; };
        if (!ready()) {
            if (!may_wait) return op_status::would_block;
            waiting_.push_back(&me);
            wait(not_empty_, lock, deadline, ready);
            std::erase(waiting_, &me);  // still listed when it woke for another reason
        }
        if (me.filled) return op_status::ok;  // handed to this receiver: it keeps it, timeout or not
        if (!offers_.empty()) {
            offer* o = offers_.front();
            offers_.pop_front();
            out.emplace(std::move(*o->value));
            o->taken = true;
            not_full_.notify_all();  // senders wait for their own offers
            return op_status::ok;
        }
        return senders_gone_ ? op_status::disconnected : op_status::timeout;
    }

    bool rendezvous() const noexcept { return cap_ && *cap_ == 0; }

    op_status send_offer(T& value, const std::optional<time_point>& deadline) {
        lock_type lock(mutex_);
        if (receivers_gone_) return op_status::disconnected;
        offer mine{&value};
        offers_.push_back(&mine);
        not_empty_.notify_all();  // not notify_one: see wake_receivers
        const bool done = wait(not_full_, lock, deadline, [&] { return mine.taken || receivers_gone_; });
        if (mine.taken) return op_status::ok;
        std::erase(offers_, &mine);  // withdrawn: the value was never touched
        return done ? op_status::disconnected : op_status::timeout;
    }

    op_status send_impl(T& value, bool may_wait, const std::optional<time_point>& deadline) {
        if (rendezvous()) return may_wait ? send_offer(value, deadline) : try_handoff(value);
        lock_type lock(mutex_);
        auto can_proceed = [this] { return receivers_gone_ || has_room(); };
        if (!can_proceed()) {
            if (!may_wait) return op_status::would_block;
            if (!wait(not_full_, lock, deadline, can_proceed)) return op_status::timeout;
        }
        if (receivers_gone_) return op_status::disconnected;
        queue_.push_back(std::move(value));
        wake_receivers();
        return op_status::ok;
    }

    op_status recv_impl(std::optional<T>& out, bool may_wait, const std::optional<time_point>& deadline) {
        if (rendezvous()) return recv_rendezvous(out, may_wait, deadline);
        lock_type lock(mutex_);
        auto can_proceed = [this] { return available() > 0 || senders_gone_; };
        if (!can_proceed()) {
            if (!may_wait) return op_status::would_block;
            if (!wait(not_empty_, lock, deadline, can_proceed)) return op_status::timeout;
        }
        if (available() > 0) {
            out.emplace(std::move(queue_.front()));
            queue_.pop_front();
            wake_senders();
            return op_status::ok;
        }
        return op_status::disconnected;
    }

    template <class Pred>
    static bool wait(typename Sync::condvar& cv, lock_type& lock, const std::optional<time_point>& deadline,
                     Pred pred) {
        if (!deadline) {
            cv.wait(lock, pred);
            return true;
        }
        return cv.wait_until(lock, *deadline, pred);
    }

    typename Sync::mutex mutex_;
    typename Sync::condvar not_empty_;
    typename Sync::condvar not_full_;
    // Everything below is guarded by mutex_.
    std::deque<T> queue_;
    const std::optional<std::size_t> cap_;
    std::size_t reserved_sends_ = 0;  // room promised to selects that will write
    std::size_t reserved_recvs_ = 0;  // messages promised to selects that will read
    waker<Sync> select_senders_;
    waker<Sync> select_receivers_;
    std::deque<offer*> offers_;  // rendezvous: values lent by blocked senders, oldest first
    std::deque<waiting_receiver*> waiting_;  // rendezvous: receivers blocked in recv, oldest first
    bool senders_gone_ = false;
    bool receivers_gone_ = false;
};

}  // namespace chancheck::detail
