// chancheck/result.hpp — results and error types of channel operations.
//
// The error types follow Rust's std::sync::mpsc (SendError, TrySendError, RecvError,
// TryRecvError, RecvTimeoutError) and crossbeam's SendTimeoutError: every error of a send
// carries the value back, so a failed send never loses or destroys the message.
// `result<T, E>` is a small subset of C++23 std::expected (not available in C++20).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace chancheck {

// Thrown by result::value() on an error and result::error() on a value: a defined error for
// reading the wrong side, never undefined behaviour.
class bad_result_access : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// Thrown when a bounded channel's capacity cannot be allocated.
class capacity_error : public std::length_error {
public:
    capacity_error(const char* function, std::size_t capacity, std::size_t max_capacity)
        : std::length_error(std::string("chancheck: ") + function + ": capacity " +
                            std::to_string(capacity) + " is too large to allocate (at most " +
                            std::to_string(max_capacity) + " messages of this type)"),
          capacity_(capacity) {}
    std::size_t capacity() const noexcept { return capacity_; }

private:
    std::size_t capacity_;
};

// send(): the channel is disconnected (every receiver is gone); the value comes back.
template <class T>
struct send_error {
    T value;
};

// try_send(): the channel is full (or, for a rendezvous channel, no receiver is waiting),
// or disconnected; the value comes back either way.
enum class try_send_status { full, disconnected };
template <class T>
struct try_send_error {
    try_send_status status;
    T value;
    bool is_full() const noexcept { return status == try_send_status::full; }
    bool is_disconnected() const noexcept { return status == try_send_status::disconnected; }
};

// send_timeout() / send_until(): the deadline passed, or the channel is disconnected.
enum class send_timeout_status { timeout, disconnected };
template <class T>
struct send_timeout_error {
    send_timeout_status status;
    T value;
    bool is_timeout() const noexcept { return status == send_timeout_status::timeout; }
    bool is_disconnected() const noexcept { return status == send_timeout_status::disconnected; }
};

// recv(): the channel is empty and every sender is gone.
struct recv_error {
    friend bool operator==(recv_error, recv_error) noexcept { return true; }
};

enum class try_recv_error { empty, disconnected };
enum class recv_timeout_error { timeout, disconnected };

inline const char* to_string(try_send_status s) noexcept {
    return s == try_send_status::full ? "full" : "disconnected";
}
inline const char* to_string(send_timeout_status s) noexcept {
    return s == send_timeout_status::timeout ? "timeout" : "disconnected";
}
inline const char* to_string(try_recv_error e) noexcept {
    return e == try_recv_error::empty ? "empty" : "disconnected";
}
inline const char* to_string(recv_timeout_error e) noexcept {
    return e == recv_timeout_error::timeout ? "timeout" : "disconnected";
}
inline const char* to_string(recv_error) noexcept { return "disconnected"; }

struct success_tag {};
struct failure_tag {};
inline constexpr success_tag success{};
inline constexpr failure_tag failure{};

// Either a value (T, or nothing when T is void) or an error E.
template <class T, class E>
class [[nodiscard]] result {
    using stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

public:
    template <class... A>
    result(success_tag, A&&... a) : v_(std::in_place_index<0>, std::forward<A>(a)...) {}
    template <class... A>
    result(failure_tag, A&&... a) : v_(std::in_place_index<1>, std::forward<A>(a)...) {}

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    template <class U = T, class = std::enable_if_t<!std::is_void_v<U>>>
    U& value() & { check_value(); return *std::get_if<0>(&v_); }
    template <class U = T, class = std::enable_if_t<!std::is_void_v<U>>>
    const U& value() const& { check_value(); return *std::get_if<0>(&v_); }
    template <class U = T, class = std::enable_if_t<!std::is_void_v<U>>>
    U&& value() && { check_value(); return std::move(*std::get_if<0>(&v_)); }
    template <class U = T, class = std::enable_if_t<!std::is_void_v<U>>>
    U& operator*() & { return value(); }
    template <class U = T, class = std::enable_if_t<!std::is_void_v<U>>>
    U&& operator*() && { return std::move(*this).value(); }

    E& error() & { check_error(); return *std::get_if<1>(&v_); }
    const E& error() const& { check_error(); return *std::get_if<1>(&v_); }
    E&& error() && { check_error(); return std::move(*std::get_if<1>(&v_)); }

private:
    void check_value() const {
        if (!has_value()) throw bad_result_access("chancheck::result::value() called on an error");
    }
    void check_error() const {
        if (has_value()) throw bad_result_access("chancheck::result::error() called on a value");
    }
    std::variant<stored, E> v_;
};

}  // namespace chancheck
