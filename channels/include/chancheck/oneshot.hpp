// chancheck/oneshot.hpp — a channel for exactly one value (request/reply, as in the actor
// pattern: a request carries a oneshot sender, the actor answers through it).
//
//   auto [reply_tx, reply_rx] = chancheck::oneshot::channel<int>();
//   (void)reply_tx.send(42);            // the sender is spent after one send
//   int answer = reply_rx.recv().value();
//
// The sender destroyed without sending: the receiver gets Disconnected. The receiver
// destroyed: send hands the value back as Disconnected. Both handles are move-only. A spent
// or moved-from sender hands every value back; a moved-from receiver reports Disconnected.
#pragma once

#include <chrono>
#include <optional>
#include <utility>

#include "chancheck/detail/either_ref.hpp"
#include "chancheck/detail/handles.hpp"
#include "chancheck/flavors/oneshot.hpp"
#include "chancheck/result.hpp"
#include "chancheck/sync/std_sync.hpp"

namespace chancheck::oneshot {
namespace detail_ {
template <class T, class Sync>
using shared_ref = chancheck::detail::either_ref<chancheck::detail::oneshot_lockfree<T, Sync>, chancheck::detail::oneshot_locked<T, Sync>>;
}  // namespace detail_

template <class T, class Sync = std_sync>
class sender {
public:
    sender() noexcept = default;
    explicit sender(detail_::shared_ref<T, Sync> s) noexcept : s_(s) {}
    sender(sender&& other) noexcept : s_(std::exchange(other.s_, {})) {}
    sender& operator=(sender&& other) noexcept {
        sender moved(std::move(other));
        std::swap(s_, moved.s_);
        return *this;
    }
    ~sender() { reset(); }

    // Sends the value; the sender is spent afterwards whatever the outcome.
    result<void, send_error<T>> send(T value) {
        if (!s_.connected()) return {failure, send_error<T>{std::move(value)}};
        const auto st = s_.visit([&](auto& c) { return c.send(value); });
        reset();
        if (st == chancheck::detail::op_status::ok) return {success};
        return {failure, send_error<T>{std::move(value)}};
    }

    // Drops the sender without sending: the receiver sees Disconnected.
    void reset() {
        if (s_.connected()) std::exchange(s_, {}).visit([](auto& c) { c.drop_sender(); });
    }
    bool valid() const noexcept { return s_.connected(); }

private:
    detail_::shared_ref<T, Sync> s_;
};

template <class T, class Sync = std_sync>
class receiver {
public:
    using time_point = typename Sync::clock::time_point;

    receiver() noexcept = default;
    explicit receiver(detail_::shared_ref<T, Sync> s) noexcept : s_(s) {}
    receiver(receiver&& other) noexcept : s_(std::exchange(other.s_, {})) {}
    receiver& operator=(receiver&& other) noexcept {
        receiver moved(std::move(other));
        std::swap(s_, moved.s_);
        return *this;
    }
    ~receiver() { reset(); }

    result<T, recv_error> recv() {
        std::optional<T> out;
        return chancheck::detail::as_recv_result(recv_status(out, std::nullopt), out);
    }
    result<T, try_recv_error> try_recv() {
        std::optional<T> out;
        auto st = chancheck::detail::op_status::disconnected;
        if (s_.connected()) st = s_.visit([&](auto& c) { return c.try_recv(out); });
        return chancheck::detail::as_try_recv_result(st, out);
    }
    template <class Rep, class Period>
    result<T, recv_timeout_error> recv_timeout(std::chrono::duration<Rep, Period> timeout) {
        return recv_with_deadline(chancheck::detail::deadline_after<Sync>(timeout));
    }
    result<T, recv_timeout_error> recv_until(time_point deadline) { return recv_with_deadline(deadline); }

    // Drops the receiver: a later send hands its value back; a sent value is destroyed now.
    void reset() {
        if (s_.connected()) std::exchange(s_, {}).visit([](auto& c) { c.drop_receiver(); });
    }
    bool valid() const noexcept { return s_.connected(); }

private:
    chancheck::detail::op_status recv_status(std::optional<T>& out, const std::optional<time_point>& deadline) {
        if (!s_.connected()) return chancheck::detail::op_status::disconnected;
        return s_.visit([&](auto& c) { return c.recv(out, deadline); });
    }
    result<T, recv_timeout_error> recv_with_deadline(const std::optional<time_point>& deadline) {
        std::optional<T> out;
        return chancheck::detail::as_recv_timeout_result(recv_status(out, deadline), out);
    }

    detail_::shared_ref<T, Sync> s_;
};

template <class T, class Sync = std_sync>
std::pair<sender<T, Sync>, receiver<T, Sync>> channel(implementation f = implementation::lock_free) {
    detail_::shared_ref<T, Sync> s;
    if (f == implementation::locked)
        s = detail_::shared_ref<T, Sync>(Sync::template make<chancheck::detail::oneshot_locked<T, Sync>>());
    else
        s = detail_::shared_ref<T, Sync>(Sync::template make<chancheck::detail::oneshot_lockfree<T, Sync>>());
    return {sender<T, Sync>(s), receiver<T, Sync>(s)};
}

}  // namespace chancheck::oneshot
