// chancheck/detail/backoff.hpp — exponential backoff for spin loops.
//
// The scheme of crossbeam-utils' Backoff: `spin` busy-waits 2^step pause instructions (for
// a contended CAS that will succeed soon); `snooze` spins while step is small and then yields
// the CPU (for waiting on another thread's progress); `is_completed` tells a blocking
// operation that spinning has not paid off and it should park. The limits come from the
// Sync policy so a model checker explores short spin loops.
#pragma once

#include <algorithm>

namespace chancheck::detail {

template <class Sync>
class backoff {
public:
    void spin() noexcept {
        const unsigned n = 1u << std::min(step_, Sync::spin_limit);
        for (unsigned i = 0; i < n; ++i) Sync::spin_hint();
        if (step_ <= Sync::spin_limit) ++step_;
    }

    void snooze() noexcept {
        if (step_ <= Sync::spin_limit) {
            const unsigned n = 1u << step_;
            for (unsigned i = 0; i < n; ++i) Sync::spin_hint();
        } else {
            Sync::yield();
        }
        if (step_ <= Sync::yield_limit) ++step_;
    }

    bool is_completed() const noexcept { return step_ > Sync::yield_limit; }

private:
    unsigned step_ = 0;
};

}  // namespace chancheck::detail
