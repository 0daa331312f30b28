// chancheck/select.hpp — wait on several send and receive operations at once.
//
//   chancheck::select sel;
//   const auto a = sel.recv(rx1);
//   const auto b = sel.send(tx2);
//   auto op = sel.select();                       // blocks until one can proceed
//   if (op.index() == a) { auto r = op.recv(rx1); }
//   else                 { auto r = op.send(tx2, value); }
//
// Algorithm: crossbeam-channel's `select.rs`. Each arm runs in two phases: `start_*`
// reserves a slot or a message (or finds the channel disconnected — that counts as ready)
// and the selected operation's `recv` / `send` completes it, so an arm that was not chosen
// never consumes a message. Selection:
//   1. try every arm once, in a fresh random order (fairness when several are ready — a
//      random starting arm alone would favour the arm after a non-ready one);
//   2. otherwise register the operation of every arm with one context and park; whichever
//      channel selects the context first decides the arm (one CAS, so at most one arm wins);
//   3. unregister everywhere, `accept` the chosen arm (retry its reservation; on a
//      rendezvous channel, take the partner's packet), and go back to 1 if that failed.
// A rendezvous partner never pairs with its own thread, so a select that sends and receives
// on one zero-capacity channel never receives its own value.
//
// The selected operation must be completed with recv() or send() on the handle of the
// chosen arm: an uncompleted reservation would block the channel, so dropping one aborts.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/detail/handles.hpp"
#include "chancheck/sync/std_sync.hpp"

namespace chancheck {

template <class Sync = std_sync>
class basic_selected_operation {
public:
    basic_selected_operation(std::size_t index, const void* handle, bool is_send, detail::token tk) noexcept
        : index_(index), handle_(handle), is_send_(is_send), tk_(tk) {}
    basic_selected_operation(basic_selected_operation&& other) noexcept
        : index_(other.index_), handle_(other.handle_), is_send_(other.is_send_), tk_(other.tk_),
          completed_(std::exchange(other.completed_, true)) {}
    basic_selected_operation& operator=(basic_selected_operation&&) = delete;
    ~basic_selected_operation() {
        if (!completed_) {
            std::fprintf(stderr, "chancheck: select arm %zu was selected but never completed; call %s() on it\n",
                         index_, is_send_ ? "send" : "recv");
            std::abort();
        }
    }

    // The index returned by select::recv / select::send for the chosen arm.
    std::size_t index() const noexcept { return index_; }

    template <class T, bool Copyable>
    result<T, recv_error> recv(detail::basic_receiver<T, Sync, Copyable>& rx) {
        check(&rx, false);
        completed_ = true;
        std::optional<T> out;
        if (rx.channel().connected()) out = rx.channel().visit([&](auto& c) { return c.chan().read(tk_); });
        if (out) return {success, std::move(*out)};
        return {failure, recv_error{}};
    }

    template <class T>
    result<void, send_error<T>> send(detail::basic_sender<T, Sync>& tx, T value) {
        check(&tx, true);
        completed_ = true;
        bool sent = false;
        if (tx.channel().connected()) sent = tx.channel().visit([&](auto& c) { return c.chan().write(tk_, value); });
        if (sent) return {success};
        return {failure, send_error<T>{std::move(value)}};
    }

private:
    void check(const void* handle, bool is_send) const {
        if (completed_) throw std::logic_error("chancheck: select: this operation was completed already");
        if (handle != handle_ || is_send != is_send_)
            throw std::logic_error("chancheck: select: completed with a handle or direction other than the chosen arm's");
    }

    std::size_t index_;
    const void* handle_;
    bool is_send_;
    detail::token tk_;
    bool completed_ = false;
};

template <class Sync = std_sync>
class basic_select {
public:
    using time_point = typename Sync::clock::time_point;
    using selected = basic_selected_operation<Sync>;

    basic_select() = default;
    basic_select(const basic_select&) = delete;
    basic_select& operator=(const basic_select&) = delete;

    // Adds a receive arm; returns its index.
    template <class T, bool Copyable>
    std::size_t recv(const detail::basic_receiver<T, Sync, Copyable>& rx) {
        reject_unselectable(rx.channel());
        arms_.push_back(arm{&rx, false, &ops<detail::basic_receiver<T, Sync, Copyable>, false>::start,
                            &ops<detail::basic_receiver<T, Sync, Copyable>, false>::enroll,
                            &ops<detail::basic_receiver<T, Sync, Copyable>, false>::withdraw,
                            &ops<detail::basic_receiver<T, Sync, Copyable>, false>::accept, {}});
        return arms_.size() - 1;
    }

    // Adds a send arm; returns its index. The value is given when the arm is completed.
    template <class T>
    std::size_t send(const detail::basic_sender<T, Sync>& tx) {
        reject_unselectable(tx.channel());
        arms_.push_back(arm{&tx, true, &ops<detail::basic_sender<T, Sync>, true>::start,
                            &ops<detail::basic_sender<T, Sync>, true>::enroll,
                            &ops<detail::basic_sender<T, Sync>, true>::withdraw,
                            &ops<detail::basic_sender<T, Sync>, true>::accept, {}});
        return arms_.size() - 1;
    }

    // Blocks until an arm can proceed.
    selected select() {
        if (arms_.empty()) throw std::logic_error("chancheck: select() with no operations would block forever");
        return *run(/*may_block=*/true, std::nullopt);
    }
    // An arm that can proceed now, if any.
    std::optional<selected> try_select() { return run(/*may_block=*/false, std::nullopt); }
    template <class Rep, class Period>
    std::optional<selected> select_timeout(std::chrono::duration<Rep, Period> timeout) {
        return run(true, detail::deadline_after<Sync>(timeout));
    }
    std::optional<selected> select_deadline(time_point deadline) { return run(true, deadline); }

private:
    struct arm {
        const void* handle;
        bool is_send;
        bool (*start)(const void*, detail::token&);
        bool (*enroll)(const void*, detail::waker_entry<Sync>&, std::uintptr_t, detail::context<Sync>*);
        void (*withdraw)(const void*, detail::waker_entry<Sync>&);
        bool (*accept)(const void*, detail::token&, detail::context<Sync>*);
        detail::waker_entry<Sync> entry;  // linked into a channel while this select waits
    };

    // The flavor hooks of one handle type, behind plain function pointers.
    template <class Handle, bool IsSend>
    struct ops {
        static const Handle& handle(const void* h) { return *static_cast<const Handle*>(h); }
        static bool start(const void* h, detail::token& tk) {
            const auto& ch = handle(h).channel();
            if (!ch.connected()) return true;  // nothing to wait for: completes as disconnected
            return ch.visit([&](auto& c) { return IsSend ? c.chan().start_send(tk) : c.chan().start_recv(tk); });
        }
        static bool enroll(const void* h, detail::waker_entry<Sync>& e, std::uintptr_t oper, detail::context<Sync>* cx) {
            const auto& ch = handle(h).channel();
            if (!ch.connected()) return true;
            return ch.visit([&](auto& c) {
                return IsSend ? c.chan().register_send(e, oper, cx) : c.chan().register_recv(e, oper, cx);
            });
        }
        static void withdraw(const void* h, detail::waker_entry<Sync>& e) {
            const auto& ch = handle(h).channel();
            if (!ch.connected()) return;
            ch.visit([&](auto& c) {
                if (IsSend) c.chan().unregister_send(e); else c.chan().unregister_recv(e);
            });
        }
        static bool accept(const void* h, detail::token& tk, detail::context<Sync>* cx) {
            const auto& ch = handle(h).channel();
            if (!ch.connected()) return true;
            return ch.visit([&](auto& c) { return IsSend ? c.chan().accept_send(tk, cx) : c.chan().accept_recv(tk, cx); });
        }
    };

    // A flavor that cannot take part in select says so (the locked rendezvous flavor).
    template <class Ref>
    static void reject_unselectable(const Ref& ch) {
        if (ch.connected() && !ch.visit([](auto& c) { return c.chan().selectable(); }))
            throw std::logic_error("chancheck: select: the locked rendezvous flavor cannot take part in select "
                                   "(use implementation::lock_free for a zero-capacity channel in select)");
    }

    // Fisher-Yates shuffle of the arm order.
    void shuffle() {
        order_.resize(arms_.size());
        for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
        for (std::size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[Sync::random_index(i)]);
    }

    std::optional<selected> try_all() {
        for (const std::size_t i : order_) {
            detail::token tk;
            if (arms_[i].start(arms_[i].handle, tk)) return selected(i, arms_[i].handle, arms_[i].is_send, tk);
        }
        return std::nullopt;
    }

    std::optional<selected> run(bool may_block, const std::optional<time_point>& deadline) {
        const std::size_t n = arms_.size();
        if (n == 0) return std::nullopt;
        shuffle();
        for (;;) {
            if (auto op = try_all()) return op;
            if (!may_block) return std::nullopt;
            if (deadline && Sync::clock::now() >= *deadline) return std::nullopt;

            detail::context_ref<Sync> cx;
            std::size_t enrolled = 0;
            bool self_aborted = false;
            for (std::size_t k = 0; k < n; ++k) {
                arm& a = arms_[order_[k]];
                ++enrolled;
                const bool ready = a.enroll(a.handle, a.entry, oper_id(a), cx.get());
                if (ready && !has_bug<Sync>(bug::select_ignores_ready_arm)) {
                    // Ready already: do not sleep (unless a channel selected us meanwhile).
                    self_aborted = cx->try_select(detail::sel_aborted);
                    break;
                }
            }
            const std::uintptr_t sel = cx->wait_until(deadline);
            for (std::size_t k = 0; k < enrolled; ++k) {
                arm& a = arms_[order_[k]];
                a.withdraw(a.handle, a.entry);
            }
            if (sel != detail::sel_aborted && sel != detail::sel_disconnected) {
                for (std::size_t i = 0; i < n; ++i) {
                    if (oper_id(arms_[i]) != sel) continue;
                    detail::token tk;
                    if (arms_[i].accept(arms_[i].handle, tk, cx.get()))
                        return selected(i, arms_[i].handle, arms_[i].is_send, tk);
                }
            } else if (sel == detail::sel_aborted && !self_aborted) {
                // The wait timed out; one last look, so a message that arrived with the
                // deadline is not missed.
                return try_all();
            }
        }
    }

    static std::uintptr_t oper_id(const arm& a) noexcept { return reinterpret_cast<std::uintptr_t>(&a.entry); }

    std::vector<arm> arms_;
    std::vector<std::size_t> order_;  // this call's arm order
};

using select = basic_select<std_sync>;
using selected_operation = basic_selected_operation<std_sync>;

}  // namespace chancheck
