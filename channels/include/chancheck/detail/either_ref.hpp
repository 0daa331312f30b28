// chancheck/detail/either_ref.hpp — a handle's reference to a channel of one of two flavors.
//
// Oneshot and broadcast come in a fast flavor and a locked oracle; a handle holds a pointer
// to one of them (or to nothing, once moved from or dropped) and dispatches each operation
// to the flavor it holds.
#pragma once

#include <utility>

namespace chancheck::detail {

template <class Fast, class Locked>
class either_ref {
public:
    either_ref() noexcept = default;
    explicit either_ref(Fast* p) noexcept : fast_(p) {}
    explicit either_ref(Locked* p) noexcept : locked_(p) {}

    bool connected() const noexcept { return fast_ != nullptr || locked_ != nullptr; }

    // Calls f(flavor&). Precondition: connected().
    template <class F>
    decltype(auto) visit(F&& f) const {
        if (fast_ != nullptr) return f(*fast_);
        return f(*locked_);
    }

private:
    Fast* fast_ = nullptr;
    Locked* locked_ = nullptr;
};

// Which side a handle is: what its drop tells the channel.
enum class handle_side { sender, receiver };

// A handle's share of a channel of either flavor (oneshot, broadcast): moving leaves the
// source empty, and reset() (the destructor too) gives the share back exactly once, as the
// channel's drop_sender() or drop_receiver(). The handles derive from it and reach their
// channel through `s_`.
template <class Ref, handle_side Side>
class either_share {
public:
    // Drops this handle now.
    void reset() {
        if (!s_.connected()) return;
        std::exchange(s_, {}).visit([](auto& c) {
            if constexpr (Side == handle_side::sender) c.drop_sender();
            else c.drop_receiver();
        });
    }
    bool valid() const noexcept { return s_.connected(); }

    // The handles inherit these: a dropped handle, and the handle that owns one share of `s`.
    either_share() noexcept = default;
    explicit either_share(Ref s) noexcept : s_(s) {}

protected:
    either_share(either_share&& other) noexcept : s_(std::exchange(other.s_, {})) {}
    either_share& operator=(either_share&& other) noexcept {
        either_share moved(std::move(other));  // gives our old share back when it goes
        std::swap(s_, moved.s_);
        return *this;
    }
    ~either_share() { reset(); }

    Ref s_;
};

}  // namespace chancheck::detail
