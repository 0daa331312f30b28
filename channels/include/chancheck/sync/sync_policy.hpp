// chancheck/sync/sync_policy.hpp — what a Sync policy is.
//
// Every channel is `template <class T, class Sync = std_sync>` and reaches shared memory,
// locks, parking, time and allocation only through its policy. A policy that drifts from
// this surface (a member renamed, a signature changed) fails to compile at its own
// static_assert, not deep inside a channel: std_sync asserts it here, and each testing policy
// (chancheck::testing: sched_sync, relacy_sync, chaos_sync) in its own header.
#pragma once

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace chancheck {

template <class S>
concept sync_policy = requires(std::size_t n, int* p, std::unique_lock<typename S::mutex>& lock) {
    { S::is_model } -> std::convertible_to<bool>;
    { S::spin_limit } -> std::convertible_to<unsigned>;
    { S::yield_limit } -> std::convertible_to<unsigned>;
    typename S::template atomic<std::size_t>;
    typename S::template cell<int>;
    typename S::mutex;
    typename S::condvar;
    typename S::parker;
    typename S::clock::time_point;
    { S::clock::now() } -> std::same_as<typename S::clock::time_point>;
    S::fence(std::memory_order::seq_cst);
    S::spin_hint();
    S::yield();
    { S::thread_id() } -> std::convertible_to<std::uintptr_t>;
    { S::random_index(n) } -> std::convertible_to<std::size_t>;
    { S::template make<int>(1) } -> std::same_as<int*>;
    S::destroy(p);
    { S::template make_array<int>(n) } -> std::same_as<int*>;
    S::destroy_array(p, n);
    lock.mutex()->lock();
} && requires(typename S::template atomic<std::size_t>& a, std::size_t v) {
    { a.load(std::memory_order::acquire) } -> std::convertible_to<std::size_t>;
    a.store(v, std::memory_order::release);
    { a.exchange(v, std::memory_order::acq_rel) } -> std::convertible_to<std::size_t>;
    { a.compare_exchange_weak(v, v, std::memory_order::acq_rel, std::memory_order::acquire) } -> std::same_as<bool>;
    { a.compare_exchange_strong(v, v, std::memory_order::acq_rel, std::memory_order::acquire) } -> std::same_as<bool>;
    { a.fetch_add(v, std::memory_order::relaxed) } -> std::convertible_to<std::size_t>;
    { a.fetch_sub(v, std::memory_order::relaxed) } -> std::convertible_to<std::size_t>;
    { a.fetch_or(v, std::memory_order::relaxed) } -> std::convertible_to<std::size_t>;
    { a.fetch_and(v, std::memory_order::relaxed) } -> std::convertible_to<std::size_t>;
};

}  // namespace chancheck
