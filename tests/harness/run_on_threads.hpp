// tests/harness/run_on_threads.hpp — running harness scenarios on real threads (std_sync).
//
// Shared by the scenario tests: run_on_threads() runs one scenario object's threads and turns
// a hang into a clear abort through a watchdog; check_scenario() runs a scenario several times
// on one configuration and, on a broken run, prints its violations and the tail of its history.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "chancheck/harness/oracles.hpp"
#include "chancheck/sync/std_sync.hpp"

namespace chancheck_test {

// Runs one scenario on real threads; aborts with a message if it does not finish in time.
template <class Scenario>
chancheck::harness::violations run_on_threads(Scenario& s, const std::string& what) {
    auto done = std::async(std::launch::async, [&] {
        std::vector<std::thread> threads;
        for (unsigned i = 0; i < Scenario::threads; ++i) threads.emplace_back([&s, i] { s.run_thread(i); });
        for (auto& t : threads) t.join();
    });
    if (done.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
        std::fprintf(stderr, "watchdog: %s did not finish within 60 s (deadlock or livelock suspected)\n", what.c_str());
        std::abort();
    }
    return s.finish();
}

// The last lines of a history, enough to see how a broken run ended.
inline std::string tail(const std::string& text, std::size_t lines) {
    std::size_t pos = text.size();
    for (std::size_t n = 0; n <= lines && pos != std::string::npos && pos > 0; ++n) pos = text.rfind('\n', pos - 1);
    return pos == std::string::npos ? text : text.substr(pos + 1);
}

// `runs` runs of Scenario (a harness scenario over a std_sync adapter) at `capacity` with
// `size` messages each, every one judged.
template <class Scenario>
void check_scenario(std::optional<std::size_t> capacity, std::size_t size, int runs, const std::string& what) {
    for (int run = 0; run < runs; ++run) {
        Scenario s(capacity, size);
        const chancheck::harness::violations v = run_on_threads(s, what);
        ASSERT_TRUE(v.empty()) << what << " run " << run << ":\n" << chancheck::harness::describe(v)
                               << "last events:\n" << tail(s.history_text(), 20);
    }
}

}  // namespace chancheck_test
