// chancheck/harness/plain_allocator.hpp — harness containers that stay out of the model.
//
// Under Relacy every operator new/delete goes through the model's allocator, and every free
// is a scheduling choice (Relacy may defer its reuse). Harness bookkeeping — the recorded
// history, the per-thread logs — is not part of the channel under test, so it must add no
// choices: a tree-search scheduler would otherwise explore 2^k orders of the harness's own
// frees. These containers allocate with the C library's malloc/free, which Relacy neither
// sees nor checks; under real threads they behave like std::allocator.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace chancheck::harness {

template <class T>
struct plain_allocator {
    using value_type = T;

    plain_allocator() noexcept = default;
    template <class U>
    plain_allocator(const plain_allocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        void* p = std::malloc(n * sizeof(T));
        if (p == nullptr) throw std::bad_alloc();
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t) noexcept { std::free(p); }

    template <class U>
    bool operator==(const plain_allocator<U>&) const noexcept {
        return true;
    }
};

template <class T>
using plain_vector = std::vector<T, plain_allocator<T>>;

}  // namespace chancheck::harness
