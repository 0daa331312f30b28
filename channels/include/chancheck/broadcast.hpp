// chancheck/broadcast.hpp — multi-producer, multi-consumer broadcast with tokio
// `sync::broadcast` semantics.
//
//   auto [tx, rx1] = chancheck::broadcast::channel<Event>(16);
//   auto rx2 = tx.subscribe();            // sees every message sent from now on
//   auto n = tx.send(e);                  // n receivers will see it; never blocks
//
// Every receiver sees every message while it keeps up. A receiver that falls more than
// `capacity` messages behind gets `lagged` with the exact number it missed
// (`error().skipped`), then continues from the oldest retained message. Once every sender is
// gone, a receiver drains what it has not seen and then gets `closed`. `send` fails, handing
// the value back, only when there is no receiver. Messages must be copyable: each receiver
// gets its own copy. Unlike tokio, the capacity is used as given (not rounded up to a power
// of two), so Lagged counts follow the capacity you asked for.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>

#include "chancheck/detail/either_ref.hpp"
#include "chancheck/detail/handles.hpp"
#include "chancheck/flavors/broadcast.hpp"
#include "chancheck/result.hpp"
#include "chancheck/sync/std_sync.hpp"

namespace chancheck::broadcast {

// Why a receive returned no message.
enum class recv_status { empty, timeout, lagged, closed };

struct recv_error {
    recv_status status;
    std::uint64_t skipped = 0;  // the number of missed messages, with `lagged`
    bool is_lagged() const noexcept { return status == recv_status::lagged; }
    bool is_closed() const noexcept { return status == recv_status::closed; }
};

inline const char* to_string(recv_status s) noexcept {
    switch (s) {
        case recv_status::empty: return "empty";
        case recv_status::timeout: return "timeout";
        case recv_status::lagged: return "lagged";
        case recv_status::closed: return "closed";
    }
    return "unknown";
}

namespace detail_ {
template <class T, class Sync>
using shared_ref = chancheck::detail::either_ref<chancheck::detail::broadcast_slots<T, Sync>, chancheck::detail::broadcast_locked<T, Sync>>;

// A handle's share of the channel (either_share): moves, and gives it back on reset().
template <class T, class Sync, chancheck::detail::handle_side Side>
using share = chancheck::detail::either_share<shared_ref<T, Sync>, Side>;
}  // namespace detail_

template <class T, class Sync>
class receiver;

template <class T, class Sync = std_sync>
class sender : public detail_::share<T, Sync, chancheck::detail::handle_side::sender> {
    using share = detail_::share<T, Sync, chancheck::detail::handle_side::sender>;
    using share::s_;

public:
    using share::share;
    sender(const sender& other) : share(other.s_) {
        if (s_.connected()) s_.visit([](auto& c) { c.add_sender(); });
    }
    sender(sender&&) noexcept = default;
    sender& operator=(sender other) noexcept {
        std::swap(s_, other.s_);
        return *this;
    }

    // Never blocks. Returns how many receivers will see the value; with no receiver at all
    // the value comes back in the error.
    result<std::size_t, send_error<T>> send(T value) {
        std::size_t n = 0;
        if (s_.connected()) n = s_.visit([&](auto& c) { return c.send(value); });
        if (n > 0) return {success, n};
        return {failure, send_error<T>{std::move(value)}};
    }

    // A new receiver that sees every message sent after this call.
    receiver<T, Sync> subscribe() const;

    std::size_t receiver_count() const {
        return s_.connected() ? s_.visit([](auto& c) { return c.receiver_count(); }) : 0;
    }
};

template <class T, class Sync = std_sync>
class receiver : public detail_::share<T, Sync, chancheck::detail::handle_side::receiver> {
    using share = detail_::share<T, Sync, chancheck::detail::handle_side::receiver>;
    using share::s_;

public:
    using time_point = typename Sync::clock::time_point;

    receiver() noexcept = default;
    receiver(detail_::shared_ref<T, Sync> s, std::uint64_t next) noexcept : share(s), next_(next) {}

    // Blocks until a message, Lagged(n), or Closed.
    result<T, recv_error> recv() { return receive(true, std::nullopt); }
    result<T, recv_error> try_recv() { return receive(false, std::nullopt); }
    template <class Rep, class Period>
    result<T, recv_error> recv_timeout(std::chrono::duration<Rep, Period> timeout) {
        return receive(true, chancheck::detail::deadline_after<Sync>(timeout));
    }
    result<T, recv_error> recv_until(time_point deadline) { return receive(true, deadline); }

    // A new receiver starting at the newest position (tokio's `resubscribe`).
    receiver resubscribe() const {
        if (!s_.connected()) return receiver();
        return receiver(s_, s_.visit([](auto& c) { return c.subscribe(); }));
    }

    // Messages sent that this receiver has not seen yet (lagged ones included).
    std::uint64_t len() const {
        return s_.connected() ? s_.visit([](auto& c) { return c.tail(); }) - next_ : 0;
    }
    std::size_t capacity() const {
        return s_.connected() ? s_.visit([](auto& c) { return c.capacity(); }) : 0;
    }

private:
    result<T, recv_error> receive(bool may_wait, const std::optional<time_point>& deadline) {
        if (!s_.connected()) return {failure, recv_error{recv_status::closed}};
        std::optional<T> out;
        const chancheck::detail::bc_outcome r =
            s_.visit([&](auto& c) { return c.recv(next_, out, may_wait, deadline); });
        using chancheck::detail::bc_status;
        switch (r.status) {
            case bc_status::ok: return {success, std::move(*out)};
            case bc_status::lagged: return {failure, recv_error{recv_status::lagged, r.skipped}};
            case bc_status::empty: return {failure, recv_error{recv_status::empty}};
            case bc_status::timeout: return {failure, recv_error{recv_status::timeout}};
            case bc_status::closed: break;
        }
        return {failure, recv_error{recv_status::closed}};
    }

    std::uint64_t next_ = 0;
};

template <class T, class Sync>
receiver<T, Sync> sender<T, Sync>::subscribe() const {
    if (!s_.connected()) return receiver<T, Sync>();
    return receiver<T, Sync>(s_, s_.visit([](auto& c) { return c.subscribe(); }));
}

// A broadcast channel keeping the last `capacity` messages (capacity >= 1; 0 throws
// std::invalid_argument; a capacity too large to allocate throws capacity_error).
template <class T, class Sync = std_sync>
std::pair<sender<T, Sync>, receiver<T, Sync>> channel(std::size_t capacity, implementation f = implementation::lock_free) {
    if (capacity == 0) throw std::invalid_argument("chancheck: broadcast::channel: capacity must be at least 1, got 0");
    const std::size_t max = chancheck::detail::array_flavor<T, Sync>::max_capacity();
    if (capacity > max) throw capacity_error("broadcast::channel", capacity, max);
    detail_::shared_ref<T, Sync> s;
    try {
        if (f == implementation::locked)
            s = detail_::shared_ref<T, Sync>(Sync::template make<chancheck::detail::broadcast_locked<T, Sync>>(capacity));
        else
            s = detail_::shared_ref<T, Sync>(Sync::template make<chancheck::detail::broadcast_slots<T, Sync>>(capacity));
    } catch (const std::bad_alloc&) {
        throw capacity_error("broadcast::channel", capacity, max);
    } catch (const std::length_error&) {
        throw capacity_error("broadcast::channel", capacity, max);
    }
    return {sender<T, Sync>(s), receiver<T, Sync>(s, 0)};
}

}  // namespace chancheck::broadcast
