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
// A handle's share of the channel (either_share): moves, and gives it back on reset().
template <class T, class Sync, chancheck::detail::handle_side Side>
using share = chancheck::detail::either_share<shared_ref<T, Sync>, Side>;
}  // namespace detail_

template <class T, class Sync = std_sync>
class sender : public detail_::share<T, Sync, chancheck::detail::handle_side::sender> {
    using share = detail_::share<T, Sync, chancheck::detail::handle_side::sender>;
    using share::s_;

public:
    using share::share;

    // Sends the value; the sender is spent afterwards whatever the outcome.
    result<void, send_error<T>> send(T value) {
        if (!s_.connected()) return {failure, send_error<T>{std::move(value)}};
        const auto st = s_.visit([&](auto& c) { return c.send(value); });
        this->reset();
        if (st == chancheck::detail::op_status::ok) return {success};
        return {failure, send_error<T>{std::move(value)}};
    }
    // reset() drops the sender without sending: the receiver sees Disconnected.
};

template <class T, class Sync = std_sync>
class receiver : public detail_::share<T, Sync, chancheck::detail::handle_side::receiver> {
    using share = detail_::share<T, Sync, chancheck::detail::handle_side::receiver>;
    using share::s_;

public:
    using time_point = typename Sync::clock::time_point;

    using share::share;

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

    // reset() drops the receiver: a later send hands its value back; a sent value is
    // destroyed now.

private:
    chancheck::detail::op_status recv_status(std::optional<T>& out, const std::optional<time_point>& deadline) {
        if (!s_.connected()) return chancheck::detail::op_status::disconnected;
        return s_.visit([&](auto& c) { return c.recv(out, deadline); });
    }
    result<T, recv_timeout_error> recv_with_deadline(const std::optional<time_point>& deadline) {
        std::optional<T> out;
        return chancheck::detail::as_recv_timeout_result(recv_status(out, deadline), out);
    }
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
