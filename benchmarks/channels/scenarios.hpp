// benchmarks/channels/scenarios.hpp — the scenarios every subject can run: seq, spsc, mpsc,
// mpmc and ping_pong, written once over the subject adapter of grid.hpp.
//
// Workloads from crossbeam-channel's benchmarks (crossbeam-channel/benchmarks/README.md):
//   seq        one thread sends N messages, then receives N;
//   spsc       one thread sends N, another receives N;
//   mpsc       T threads send N/T each, one thread receives N;
//   mpmc       T threads send N/T each, T other threads receive N/T each;
//   ping_pong  a message goes there on one channel and comes back on another, R times.
// One benchmark iteration is one run; the benchmark thread takes the receiving role where
// crossbeam's main thread does. Items per second count messages (round trips for
// ping_pong).
//
// Every run checks what arrived: sender p sends p·(N/T)+1 … (p+1)·(N/T), so the N values
// are exactly 1…N, and the receivers' count and sum must be N and N(N+1)/2; ping_pong checks
// each reply is the request plus one. A failed send or receive is counted, never retried,
// and the loops still finish (no thread is left blocked), so the check fails loudly with
// state.SkipWithError.
#pragma once

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "grid.hpp"

namespace chancheck_bench {

// What the receivers of one run saw.
struct tally {
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum{0};
    std::atomic<std::uint64_t> failures{0};  // failed sends and receives, wrong replies

    void add(std::uint64_t n, std::uint64_t s) {
        count.fetch_add(n, std::memory_order_relaxed);
        sum.fetch_add(s, std::memory_order_relaxed);
    }
    void fail() { failures.fetch_add(1, std::memory_order_relaxed); }
};

// True when the run received exactly 1…n; otherwise reports the error and returns false.
inline bool verify(benchmark::State& state, const tally& t, std::uint64_t n) {
    const std::uint64_t count = t.count.load(), sum = t.sum.load(), failures = t.failures.load();
    const std::uint64_t want = n * (n + 1) / 2;
    if (failures == 0 && count == n && sum == want) return true;
    const std::string msg = "wrong delivery: received " + std::to_string(count) + " of " + std::to_string(n) +
                            " messages, sum " + std::to_string(sum) + " (want " + std::to_string(want) + "), " +
                            std::to_string(failures) + " failed operations";
    state.SkipWithError(msg.c_str());
    return false;
}

// Sends first+1 … first+count.
template <class Tx>
void send_values(Tx& tx, std::uint64_t first, std::uint64_t count, tally& t) {
    for (std::uint64_t i = 1; i <= count; ++i)
        if (!tx.send(first + i)) t.fail();
}

// Receives `count` messages and adds them to the tally.
template <class Rx>
void receive_values(Rx& rx, std::uint64_t count, tally& t) {
    std::uint64_t sum = 0, got = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        std::uint64_t v = 0;
        if (rx.recv(v)) {
            sum += v;
            ++got;
        } else {
            t.fail();
        }
    }
    t.add(got, sum);
}

inline void join_all(std::vector<std::thread>& threads) {
    for (auto& th : threads) th.join();
}

template <class S>
void run_seq(benchmark::State& state, const capacity& cap, const sizes& sz) {
    const std::uint64_t n = sz.messages;
    for (auto _ : state) {
        S ch(cap);
        tally t;
        auto tx = ch.sender();
        auto rx = ch.receiver();
        send_values(tx, 0, n, t);
        receive_values(rx, n, t);
        if (!verify(state, t, n)) break;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

template <class S>
void run_spsc(benchmark::State& state, const capacity& cap, const sizes& sz) {
    const std::uint64_t n = sz.messages;
    for (auto _ : state) {
        S ch(cap);
        tally t;
        std::thread producer([&t, n, tx = ch.sender()]() mutable { send_values(tx, 0, n, t); });
        auto rx = ch.receiver();
        receive_values(rx, n, t);
        producer.join();
        if (!verify(state, t, n)) break;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

template <class S>
void run_mpsc(benchmark::State& state, const capacity& cap, const sizes& sz) {
    const std::uint64_t per = sz.messages / sz.threads, n = per * sz.threads;
    for (auto _ : state) {
        S ch(cap);
        tally t;
        std::vector<std::thread> producers;
        for (unsigned p = 0; p < sz.threads; ++p)
            producers.emplace_back([&t, p, per, tx = ch.sender()]() mutable { send_values(tx, p * per, per, t); });
        auto rx = ch.receiver();
        receive_values(rx, n, t);
        join_all(producers);
        if (!verify(state, t, n)) break;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
    state.counters["threads"] = sz.threads + 1;
}

template <class S>
void run_mpmc(benchmark::State& state, const capacity& cap, const sizes& sz) {
    const std::uint64_t per = sz.messages / sz.threads, n = per * sz.threads;
    for (auto _ : state) {
        S ch(cap);
        tally t;
        std::vector<std::thread> threads;
        for (unsigned p = 0; p < sz.threads; ++p)
            threads.emplace_back([&t, p, per, tx = ch.sender()]() mutable { send_values(tx, p * per, per, t); });
        for (unsigned c = 0; c < sz.threads; ++c)
            threads.emplace_back([&t, per, rx = ch.receiver()]() mutable { receive_values(rx, per, t); });
        join_all(threads);
        if (!verify(state, t, n)) break;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
    state.counters["threads"] = 2 * sz.threads;
}

// The benchmark thread sends v on `there`; the echo thread receives it and sends v + 1 on
// `back`; the benchmark thread checks the reply and sends reply + 1 next.
template <class S>
void run_ping_pong(benchmark::State& state, const capacity& cap, const sizes& sz) {
    const std::uint64_t rounds = sz.rounds;
    for (auto _ : state) {
        S there(cap);
        S back(cap);
        tally t;
        std::thread echo([&t, rounds, rx = there.receiver(), tx = back.sender()]() mutable {
            for (std::uint64_t r = 0; r < rounds; ++r) {
                std::uint64_t v = 0;
                if (!rx.recv(v)) t.fail();
                if (!tx.send(v + 1)) t.fail();
            }
        });
        auto tx = there.sender();
        auto rx = back.receiver();
        std::uint64_t v = 1;
        for (std::uint64_t r = 0; r < rounds; ++r) {
            std::uint64_t reply = 0;
            if (!tx.send(v)) t.fail();
            if (!rx.recv(reply) || reply != v + 1) t.fail();
            v = reply + 1;
        }
        echo.join();
        if (t.failures.load() != 0) {
            state.SkipWithError(("ping_pong: " + std::to_string(t.failures.load()) +
                                 " failed operations or wrong replies").c_str());
            break;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rounds));
    // Seconds per round trip (printed with an SI prefix, e.g. 150n).
    state.counters["round_trip"] = benchmark::Counter(static_cast<double>(rounds),
                                                      benchmark::Counter::kIsIterationInvariantRate |
                                                          benchmark::Counter::kInvert);
}

}  // namespace chancheck_bench
