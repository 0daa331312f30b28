// chancheck/detail/handles.hpp — sender and receiver handles over any flavor.
//
// As in Rust's std::sync::mpmc, a handle holds a reference-counted channel of one of several
// flavors and dispatches on the flavor at run time (a capacity chosen at run time decides
// between rendezvous and ring buffer). A moved-from handle is connected to nothing: its
// sends hand the value back as Disconnected and its receives report Disconnected — a defined
// error that loses nothing, the same outcome as a channel whose other side is gone.
#pragma once

#include <chrono>
#include <cstddef>
#include <iterator>
#include <new>
#include <optional>
#include <utility>

#include "chancheck/detail/counter.hpp"
#include "chancheck/detail/token.hpp"
#include "chancheck/flavors/array.hpp"
#include "chancheck/flavors/list.hpp"
#include "chancheck/flavors/locked.hpp"
#include "chancheck/flavors/zero.hpp"
#include "chancheck/result.hpp"

namespace chancheck {

// Which implementation a channel uses: the lock-free flavors (list, array, zero — chosen by
// capacity) or the mutex+condvar oracle.
enum class implementation { lock_free, locked };

namespace detail {

// A counted reference to a channel of one flavor, or to nothing.
template <class T, class Sync>
class channel_ref {
public:
    enum class kind : unsigned char { none, array, list, zero, locked };

    channel_ref() noexcept = default;
    template <class Flavor>
    channel_ref(kind k, counter<Flavor, Sync>* c) noexcept : kind_(k), ptr_(c) {}

    kind which() const noexcept { return kind_; }
    bool connected() const noexcept { return kind_ != kind::none; }

    // Calls f(counter&) with the concrete counter type. Precondition: connected().
    template <class F>
    decltype(auto) visit(F&& f) const {
        switch (kind_) {
            case kind::array: return f(*static_cast<counter<array_flavor<T, Sync>, Sync>*>(ptr_));
            case kind::list: return f(*static_cast<counter<list_flavor<T, Sync>, Sync>*>(ptr_));
            case kind::zero: return f(*static_cast<counter<zero_flavor<T, Sync>, Sync>*>(ptr_));
            case kind::locked:
            case kind::none: break;
        }
        return f(*static_cast<counter<locked_flavor<T, Sync>, Sync>*>(ptr_));
    }

    friend bool operator==(const channel_ref& a, const channel_ref& b) noexcept { return a.ptr_ == b.ptr_; }

private:
    kind kind_ = kind::none;
    void* ptr_ = nullptr;
};

template <class T, class Sync>
channel_ref<T, Sync> make_channel(std::optional<std::size_t> capacity, implementation f, const char* function) {
    using ref = channel_ref<T, Sync>;
    using kind = typename ref::kind;
    const std::size_t max = array_flavor<T, Sync>::max_capacity();
    if (capacity && *capacity > max) throw capacity_error(function, *capacity, max);
    if (f == implementation::locked) return ref(kind::locked, counter<locked_flavor<T, Sync>, Sync>::create(capacity));
    if (!capacity) return ref(kind::list, counter<list_flavor<T, Sync>, Sync>::create());
    if (*capacity == 0) return ref(kind::zero, counter<zero_flavor<T, Sync>, Sync>::create());
    try {
        return ref(kind::array, counter<array_flavor<T, Sync>, Sync>::create(*capacity));
    } catch (const std::bad_alloc&) {
        throw capacity_error(function, *capacity, max);  // within the encoding, but not in memory
    }
}

template <class Sync, class Rep, class Period>
std::optional<typename Sync::clock::time_point> deadline_after(std::chrono::duration<Rep, Period> d) {
    using clock_duration = typename Sync::clock::duration;
    // A timeout too long to represent is no timeout at all. Compare in floating-point
    // seconds: converting the clock's limit into d's type could overflow a narrow Rep.
    using seconds = std::chrono::duration<double>;
    if (seconds(d) > seconds(clock_duration::max() / 2)) return std::nullopt;
    if (d <= d.zero()) return Sync::clock::now();
    return Sync::clock::now() + std::chrono::duration_cast<clock_duration>(d);
}

// The Rust-style results of a receive, from a flavor's status (and message on `ok`).
template <class T>
result<T, recv_error> as_recv_result(op_status st, std::optional<T>& out) {
    if (st == op_status::ok) return {success, std::move(*out)};
    return {failure, recv_error{}};
}
template <class T>
result<T, try_recv_error> as_try_recv_result(op_status st, std::optional<T>& out) {
    if (st == op_status::ok) return {success, std::move(*out)};
    return {failure, st == op_status::would_block ? try_recv_error::empty : try_recv_error::disconnected};
}
template <class T>
result<T, recv_timeout_error> as_recv_timeout_result(op_status st, std::optional<T>& out) {
    if (st == op_status::ok) return {success, std::move(*out)};
    return {failure, st == op_status::timeout ? recv_timeout_error::timeout : recv_timeout_error::disconnected};
}

// What either handle of a queue channel observes of it (Rust's and crossbeam's len(),
// is_empty(), capacity()); a dropped handle sees an empty, disconnected channel of no
// capacity. The handles derive from it and own `ch_`.
template <class T, class Sync>
class channel_observers {
public:
    bool valid() const noexcept { return ch_.connected(); }
    bool is_disconnected() const {
        return !ch_.connected() || ch_.visit([](auto& c) { return c.chan().is_disconnected(); });
    }
    std::size_t len() const { return ch_.connected() ? ch_.visit([](auto& c) { return c.chan().len(); }) : 0; }
    bool is_empty() const { return len() == 0; }
    std::optional<std::size_t> capacity() const {
        if (!ch_.connected()) return std::nullopt;
        return ch_.visit([](auto& c) { return std::optional<std::size_t>(c.chan().capacity()); });
    }
    // The channel behind this handle (for select).
    const channel_ref<T, Sync>& channel() const noexcept { return ch_; }

    using time_point = typename Sync::clock::time_point;

    // The handles inherit these: a dropped handle, and the handle that owns one count of `ch`.
    channel_observers() noexcept = default;
    explicit channel_observers(channel_ref<T, Sync> ch) noexcept : ch_(ch) {}

protected:
    channel_ref<T, Sync> ch_;
};

template <class T, class Sync>
class basic_sender : public channel_observers<T, Sync> {
    using observers = channel_observers<T, Sync>;
    using observers::ch_;

public:
    using typename observers::time_point;
    using observers::observers;
    basic_sender(const basic_sender& other) : observers(other.ch_) {
        if (ch_.connected()) ch_.visit([](auto& c) { c.acquire_sender(); });
    }
    basic_sender(basic_sender&& other) noexcept : observers(std::exchange(other.ch_, {})) {}
    basic_sender& operator=(basic_sender other) noexcept {
        std::swap(ch_, other.ch_);
        return *this;
    }
    ~basic_sender() { reset(); }

    // Drops this handle now (the last sender's drop disconnects the channel).
    void reset() {
        if (ch_.connected()) std::exchange(ch_, {}).visit([](auto& c) { c.release_sender(); });
    }

    // Blocks only while a bounded channel is full (or, with capacity 0, until a receiver
    // takes the value). Disconnected: the value comes back in the error.
    result<void, send_error<T>> send(T value) {
        if (send_status(value, std::nullopt) == op_status::ok) return {success};
        return {failure, send_error<T>{std::move(value)}};
    }

    result<void, try_send_error<T>> try_send(T value) {
        op_status st = op_status::disconnected;
        if (ch_.connected()) st = ch_.visit([&](auto& c) { return c.chan().try_send(value); });
        if (st == op_status::ok) return {success};
        const auto status = st == op_status::would_block ? try_send_status::full : try_send_status::disconnected;
        return {failure, try_send_error<T>{status, std::move(value)}};
    }

    template <class Rep, class Period>
    result<void, send_timeout_error<T>> send_timeout(T value, std::chrono::duration<Rep, Period> timeout) {
        return send_with_deadline(std::move(value), deadline_after<Sync>(timeout));
    }
    result<void, send_timeout_error<T>> send_until(T value, time_point deadline) {
        return send_with_deadline(std::move(value), deadline);
    }

    // True when both handles send into the same channel.
    bool same_channel(const basic_sender& other) const noexcept { return ch_ == other.ch_; }

private:
    op_status send_status(T& value, const std::optional<time_point>& deadline) {
        if (!ch_.connected()) return op_status::disconnected;
        return ch_.visit([&](auto& c) { return c.chan().send(value, deadline); });
    }

    result<void, send_timeout_error<T>> send_with_deadline(T value, const std::optional<time_point>& deadline) {
        const op_status st = send_status(value, deadline);
        if (st == op_status::ok) return {success};
        const auto status = st == op_status::timeout ? send_timeout_status::timeout : send_timeout_status::disconnected;
        return {failure, send_timeout_error<T>{status, std::move(value)}};
    }
};

template <class T, class Sync, bool Copyable>
class basic_receiver : public channel_observers<T, Sync> {
    using observers = channel_observers<T, Sync>;
    using observers::ch_;

public:
    using typename observers::time_point;
    using observers::observers;
    basic_receiver(const basic_receiver& other) requires Copyable : observers(other.ch_) {
        if (ch_.connected()) ch_.visit([](auto& c) { c.acquire_receiver(); });
    }
    basic_receiver(basic_receiver&& other) noexcept : observers(std::exchange(other.ch_, {})) {}
    basic_receiver& operator=(const basic_receiver& other) requires Copyable {
        basic_receiver copy(other);
        std::swap(ch_, copy.ch_);
        return *this;
    }
    basic_receiver& operator=(basic_receiver&& other) noexcept {
        basic_receiver moved(std::move(other));
        std::swap(ch_, moved.ch_);
        return *this;
    }
    ~basic_receiver() { reset(); }

    // Drops this handle now. The last receiver's drop disconnects the channel and destroys
    // every message still in it.
    void reset() {
        if (ch_.connected()) std::exchange(ch_, {}).visit([](auto& c) { c.release_receiver(); });
    }

    // Blocks until a message arrives; Disconnected once every sender is gone and the
    // channel is drained.
    result<T, recv_error> recv() {
        std::optional<T> out;
        return as_recv_result(recv_status(out, std::nullopt), out);
    }

    result<T, try_recv_error> try_recv() {
        std::optional<T> out;
        op_status st = op_status::disconnected;
        if (ch_.connected()) st = ch_.visit([&](auto& c) { return c.chan().try_recv(out); });
        return as_try_recv_result(st, out);
    }

    template <class Rep, class Period>
    result<T, recv_timeout_error> recv_timeout(std::chrono::duration<Rep, Period> timeout) {
        return recv_with_deadline(deadline_after<Sync>(timeout));
    }
    result<T, recv_timeout_error> recv_until(time_point deadline) { return recv_with_deadline(deadline); }

    bool same_channel(const basic_receiver& other) const noexcept { return ch_ == other.ch_; }

    // Blocking iteration: `for (T v : rx)` receives until the channel is disconnected and
    // drained (Rust's `Receiver::iter`).
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = T*;
        using reference = T&;

        iterator() noexcept = default;
        explicit iterator(basic_receiver* rx) : rx_(rx) { advance(); }
        T& operator*() { return *current_; }
        T* operator->() { return &*current_; }
        iterator& operator++() {
            advance();
            return *this;
        }
        void operator++(int) { advance(); }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.rx_ == b.rx_; }

    private:
        void advance() {
            auto r = rx_->recv();
            if (r) {
                current_.emplace(std::move(r).value());
            } else {
                current_.reset();
                rx_ = nullptr;  // the end
            }
        }
        basic_receiver* rx_ = nullptr;
        std::optional<T> current_;
    };
    iterator begin() { return iterator(this); }
    iterator end() noexcept { return iterator(); }

private:
    op_status recv_status(std::optional<T>& out, const std::optional<time_point>& deadline) {
        if (!ch_.connected()) return op_status::disconnected;
        return ch_.visit([&](auto& c) { return c.chan().recv(out, deadline); });
    }

    result<T, recv_timeout_error> recv_with_deadline(const std::optional<time_point>& deadline) {
        std::optional<T> out;
        return as_recv_timeout_result(recv_status(out, deadline), out);
    }
};

// A new queue channel and its first two handles (a copyable receiver for mpmc); `function`
// names the caller in a capacity_error.
template <class T, class Sync, bool CopyableReceiver>
std::pair<basic_sender<T, Sync>, basic_receiver<T, Sync, CopyableReceiver>> open_channel(
    std::optional<std::size_t> capacity, implementation f, const char* function) {
    auto ch = make_channel<T, Sync>(capacity, f, function);
    return {basic_sender<T, Sync>(ch), basic_receiver<T, Sync, CopyableReceiver>(ch)};
}

}  // namespace detail
}  // namespace chancheck
