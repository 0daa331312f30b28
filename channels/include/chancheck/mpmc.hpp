// chancheck/mpmc.hpp — multi-producer, multi-consumer channels with crossbeam-channel
// semantics.
//
//   auto [tx, rx] = chancheck::mpmc::bounded<Job>(64);   // 0 = rendezvous
//   auto [tx, rx] = chancheck::mpmc::unbounded<Job>();
//
// Both senders and receivers are copyable; each message goes to exactly one receiver. The
// channel disconnects for receivers when every sender is gone (after they drain it) and for
// senders when every receiver is gone, at which point unreceived messages are destroyed.
//
// The flavors are the mpsc ones: list, array and zero follow crossbeam's algorithms, which
// are MPMC-safe as they stand, and the locked oracle is a monitor that never relied on a
// single consumer. Only the receiver handle differs: it is copyable here.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>

#include "chancheck/detail/handles.hpp"
#include "chancheck/sync/std_sync.hpp"

namespace chancheck::mpmc {

template <class T, class Sync = std_sync>
using sender = detail::basic_sender<T, Sync>;

template <class T, class Sync = std_sync>
using receiver = detail::basic_receiver<T, Sync, /*Copyable=*/true>;

template <class T, class Sync = std_sync>
std::pair<sender<T, Sync>, receiver<T, Sync>> unbounded(implementation f = implementation::lock_free) {
    return detail::open_channel<T, Sync, /*CopyableReceiver=*/true>(std::nullopt, f, "mpmc::unbounded");
}

// Throws capacity_error when the capacity is too large to allocate.
template <class T, class Sync = std_sync>
std::pair<sender<T, Sync>, receiver<T, Sync>> bounded(std::size_t capacity, implementation f = implementation::lock_free) {
    return detail::open_channel<T, Sync, /*CopyableReceiver=*/true>(capacity, f, "mpmc::bounded");
}

}  // namespace chancheck::mpmc
