// benchmarks/channels/select_scenarios.hpp — select_rx and select_both, for subjects whose
// handles take part in chancheck::select (S::has_select; only chancheck's own channels:
// no peer library in Debian offers a select over its queues).
//
// Workloads from crossbeam-channel's benchmarks (crossbeam-channel/benchmarks/README.md):
//   select_rx    T threads send N/T messages each into their own channel; one thread
//                receives N by selecting over the T channels;
//   select_both  T threads send N/T each by selecting over T channels; T other threads
//                receive N/T each by selecting over the T channels.
// As in crossbeam, every message builds a fresh select. The arms are added in channel
// order, so the chosen arm's index is the channel's index. Verification as in
// scenarios.hpp: the received values must be exactly 1…N.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "grid.hpp"
#include "scenarios.hpp"

namespace chancheck_bench {

// Receives `count` messages, each by a select over every receiver in `rxs`.
// Receives `count` values through subject S's select over `rxs`.
template <class S>
void select_receive_values(std::vector<typename S::receiver_handle>& rxs, std::uint64_t count, tally& t) {
    std::uint64_t sum = 0, got = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        std::uint64_t v = 0;
        if (S::select_recv(rxs, v)) {
            sum += v;
            ++got;
        } else {
            t.fail();
        }
    }
    t.add(got, sum);
}

// Sends first+1 .. first+count through subject S's select over `txs`.
template <class S>
void select_send_values(std::vector<typename S::sender_handle>& txs, std::uint64_t first, std::uint64_t count, tally& t) {
    for (std::uint64_t i = 1; i <= count; ++i)
        if (!S::select_send(txs, first + i)) t.fail();
}

// `count` channels of subject S.
template <class S>
std::vector<S> open_channels(unsigned count, const capacity& cap) {
    std::vector<S> chans;
    chans.reserve(count);
    for (unsigned c = 0; c < count; ++c) chans.emplace_back(cap);
    return chans;
}

// A receiver of each channel, for one thread's select.
template <class S>
auto receivers_of(std::vector<S>& chans) {
    std::vector<decltype(chans[0].receiver())> rxs;
    for (auto& ch : chans) rxs.push_back(ch.receiver());
    return rxs;
}

template <class S>
void run_select_rx(benchmark::State& state, const capacity& cap, const sizes& sz) {
    const std::uint64_t per = sz.messages / sz.threads, n = per * sz.threads;
    for (auto _ : state) {
        auto chans = open_channels<S>(sz.threads, cap);
        tally t;
        std::vector<std::thread> producers;
        for (unsigned p = 0; p < sz.threads; ++p)
            producers.emplace_back(
                [&t, p, per, tx = chans[p].sender()]() mutable { send_values(tx, p * per, per, t); });
        auto rxs = receivers_of(chans);
        select_receive_values<S>(rxs, n, t);
        join_all(producers);
        if (!verify(state, t, n)) break;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
    state.counters["threads"] = sz.threads + 1;
}

template <class S>
void run_select_both(benchmark::State& state, const capacity& cap, const sizes& sz) {
    const std::uint64_t per = sz.messages / sz.threads, n = per * sz.threads;
    for (auto _ : state) {
        auto chans = open_channels<S>(sz.threads, cap);
        tally t;
        std::vector<std::thread> threads;
        // Each thread gets its own handles (copies of the channels' senders or receivers).
        for (unsigned p = 0; p < sz.threads; ++p) {
            std::vector<decltype(chans[0].sender())> txs;
            for (auto& ch : chans) txs.push_back(ch.sender());
            threads.emplace_back([&t, p, per, txs = std::move(txs)]() mutable { select_send_values<S>(txs, p * per, per, t); });
        }
        for (unsigned c = 0; c < sz.threads; ++c)
            threads.emplace_back([&t, per, rxs = receivers_of(chans)]() mutable { select_receive_values<S>(rxs, per, t); });
        join_all(threads);
        if (!verify(state, t, n)) break;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
    state.counters["threads"] = 2 * sz.threads;
}

}  // namespace chancheck_bench
