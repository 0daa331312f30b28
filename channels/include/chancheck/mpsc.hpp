// chancheck/mpsc.hpp — multi-producer, single-consumer channels with Rust std::sync::mpsc
// semantics.
//
//   auto [tx, rx] = chancheck::mpsc::channel<int>();        // unbounded
//   auto [tx, rx] = chancheck::mpsc::sync_channel<int>(16); // bounded; 0 = rendezvous
//
// `sender` is copyable (each copy is one more producer); `receiver` is move-only. Sends fail
// only when the receiver is gone, and hand the value back. When the last sender goes, the
// receiver still gets every buffered message, then Disconnected. When the receiver goes,
// every unreceived message is destroyed at once.
//
// Flavors (crossbeam-channel / Rust std layout): `channel()` uses the linked-block list,
// `sync_channel(0)` the rendezvous flavor, `sync_channel(n)` the stamped ring buffer.
// `implementation::locked` selects the mutex+condvar oracle instead, for any capacity.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>

#include "chancheck/detail/handles.hpp"
#include "chancheck/sync/std_sync.hpp"

namespace chancheck::mpsc {

template <class T, class Sync = std_sync>
using sender = detail::basic_sender<T, Sync>;

template <class T, class Sync = std_sync>
using receiver = detail::basic_receiver<T, Sync, /*Copyable=*/false>;

// An unbounded channel: send never blocks.
template <class T, class Sync = std_sync>
std::pair<sender<T, Sync>, receiver<T, Sync>> channel(implementation f = implementation::lock_free) {
    return detail::open_channel<T, Sync, /*CopyableReceiver=*/false>(std::nullopt, f, "mpsc::channel");
}

// A bounded channel of `capacity` messages; send blocks while it is full. Capacity 0 is a
// rendezvous: a send completes only when a receiver takes the value.
// Throws capacity_error when the capacity is too large to allocate.
template <class T, class Sync = std_sync>
std::pair<sender<T, Sync>, receiver<T, Sync>> sync_channel(std::size_t capacity, implementation f = implementation::lock_free) {
    return detail::open_channel<T, Sync, /*CopyableReceiver=*/false>(capacity, f, "mpsc::sync_channel");
}

}  // namespace chancheck::mpsc
