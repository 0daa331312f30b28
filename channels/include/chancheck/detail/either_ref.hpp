// chancheck/detail/either_ref.hpp — a handle's reference to a channel of one of two flavors.
//
// Oneshot and broadcast come in a fast flavor and a locked oracle; a handle holds a pointer
// to one of them (or to nothing, once moved from or dropped) and dispatches each operation
// to the flavor it holds.
#pragma once

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

}  // namespace chancheck::detail
