// chancheck/detail/uninit.hpp — storage for a T that may or may not hold a live object.
//
// A channel slot holds a message only between its write and its read; this is the C++
// counterpart of Rust's MaybeUninit<T>. Construction and destruction are explicit; the
// slot's protocol (stamps, state bits) says when the object is alive.
#pragma once

#include <memory>
#include <new>
#include <utility>

namespace chancheck::detail {

template <class T>
class uninit {
public:
    uninit() noexcept {}
    ~uninit() {}
    uninit(const uninit&) = delete;
    uninit& operator=(const uninit&) = delete;

    template <class... Args>
    void construct(Args&&... args) {
        ::new (static_cast<void*>(&value_)) T(std::forward<Args>(args)...);
    }
    void destroy() noexcept { value_.~T(); }
    // Moves the live object out and ends its lifetime.
    T take() {
        T out(std::move(value_));
        value_.~T();
        return out;
    }
    T& get() noexcept { return value_; }

private:
    union {
        T value_;
    };
};

}  // namespace chancheck::detail
