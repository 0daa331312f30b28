// chancheck/sync/model_sync_base.hpp — what the two model policies share.
//
// relacy_sync (Relacy's fibers) and sched_sync (chancheck's scheduler over real threads)
// each bring their own atomic, cell, mutex, condition variable and clock, and say the same
// about them: they are models (is_model), and their blocking paths are short. Every spin
// step is a scheduling point of the model, so a waiter spins not at all and yields once
// before it parks: a longer spin only multiplies the schedules without adding a behaviour.
#pragma once

#include <chrono>
#include <cstdint>
#include <ratio>

namespace chancheck {

// A model's clock counts nanoseconds of the model's own time, not the machine's; the
// concrete clock adds now().
template <class Clock>
struct model_clock_base {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = std::chrono::nanoseconds;
    using time_point = std::chrono::time_point<Clock, duration>;  // not Clock::duration: Clock is incomplete here
    static constexpr bool is_steady = true;
};

template <template <class> class Atomic, template <class> class Cell, class Mutex, class Condvar, class Clock>
struct model_sync_base {
    static constexpr bool is_model = true;

    template <class T>
    using atomic = Atomic<T>;
    template <class T>
    using cell = Cell<T>;
    using mutex = Mutex;
    using condvar = Condvar;
    using clock = Clock;

    static constexpr unsigned spin_limit = 0;
    static constexpr unsigned yield_limit = 1;
};

}  // namespace chancheck
