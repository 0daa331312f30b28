// benchmarks/channels/subjects/chancheck.hpp — chancheck's own channels in the grid, one
// subject per implementation: chancheck::implementation::lock_free (crossbeam's list, array
// and zero algorithms, chosen by capacity) and implementation::locked (the mutex + condvar
// oracle), both as chancheck::mpmc through its adapter (harness/chancheck_channels.hpp), the
// same path a user's channel takes (subjects/adapter.hpp).
//
// Every cell uses mpmc: the mpsc channels are the same flavors behind a move-only receiver,
// so the numbers hold for both. The only cells missing: the locked rendezvous flavor cannot
// take part in select, so select_rx and select_both on bounded0 exist for lock_free only.
#pragma once

#include "chancheck/harness/chancheck_channels.hpp"
#include "adapter.hpp"

namespace chancheck_bench {

template <chancheck::implementation I>
struct chancheck_mpmc {
    template <class T>
    struct adapter
        : chancheck::harness::chancheck_channel<chancheck::harness::channel_kind::mpmc, I>::template adapter<T, chancheck::std_sync> {
        static constexpr const char* name = I == chancheck::implementation::lock_free ? "chancheck_lock_free" : "chancheck_locked";
        static constexpr const char* benchmark_label = I == chancheck::implementation::lock_free
                                                           ? "blocking: spin, then park (chancheck waker)"
                                                           : "blocking: std::mutex + std::condition_variable";
    };
};

using chancheck_lock_free = adapter_subject<chancheck_mpmc<chancheck::implementation::lock_free>::adapter>;
using chancheck_locked = adapter_subject<chancheck_mpmc<chancheck::implementation::locked>::adapter>;

}  // namespace chancheck_bench
