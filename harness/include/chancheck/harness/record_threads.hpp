// chancheck/harness/record_threads.hpp — recording a history from real threads.
#pragma once

#include <functional>
#include <thread>
#include <vector>

#include "chancheck/harness/recorder.hpp"

namespace chancheck::harness {

// Runs body(i, recorder) on thread i for each i < n, all on one stamp clock; returns the
// merged history.
inline history record_threads(unsigned n, const std::function<void(unsigned, recorder&)>& body) {
    stamp_clock clock;
    plain_vector<recorder> recs;
    recs.reserve(n);
    for (unsigned i = 0; i < n; ++i) recs.emplace_back(i, clock);
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < n; ++i) threads.emplace_back([&, i] { body(i, recs[i]); });
    for (auto& t : threads) t.join();
    return merge(recs);
}

}  // namespace chancheck::harness
