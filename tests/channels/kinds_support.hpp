// tests/channels/kinds_support.hpp — helpers for the mpmc / broadcast / oneshot / select tests.
//
// Reuses flavor_cases.hpp (channel configurations, the `tracked` counting message, the
// watchdog, `scaled`) and adds:
//   - make_mpmc<T>(cfg): the mpmc (sender, receiver) pair of one configuration;
//   - flavor_case / all_flavors(): the two flavors, for kinds without a capacity choice;
//   - locked_rendezvous(cfg): the one configuration select rejects;
//   - kinds_scaled(n): iteration counts, lowered under sanitizers;
//   - busy_work(n): a deliberately slow consumer step (yields and arithmetic, never a sleep).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "chancheck/mpmc.hpp"
#include "flavor_cases.hpp"

namespace chancheck_test {

template <class T>
using mpmc_pair = std::pair<chancheck::mpmc::sender<T>, chancheck::mpmc::receiver<T>>;

template <class T>
mpmc_pair<T> make_mpmc(const channel_config& cfg) {
    if (cfg.capacity) return chancheck::mpmc::bounded<T>(*cfg.capacity, cfg.flavor);
    return chancheck::mpmc::unbounded<T>(cfg.flavor);
}

// select() rejects exactly this configuration (capacity 0 with implementation::locked).
inline bool locked_rendezvous(const channel_config& cfg) {
    return cfg.rendezvous() && cfg.flavor == chancheck::implementation::locked;
}

struct flavor_case {
    const char* name;
    chancheck::implementation flavor;
};

inline std::ostream& operator<<(std::ostream& os, const flavor_case& f) { return os << f.name; }

inline const std::vector<flavor_case>& all_flavors() {
    static const std::vector<flavor_case> flavors = {
        {"lock_free", chancheck::implementation::lock_free},
        {"locked", chancheck::implementation::locked},
    };
    return flavors;
}

inline std::string flavor_name(const testing::TestParamInfo<flavor_case>& info) { return info.param.name; }

// Iteration counts for these tests: `n` in a plain build; under TSan a quarter, under ASan a
// half (these suites are small enough to afford more than flavor_cases.hpp's `scaled`).
constexpr int kinds_scaled(int n) { return scaled_by(n, 4, 2); }

// A slow consumer's extra work per message: some arithmetic and a few yields. It makes the
// thread fall behind without relying on timing for correctness.
inline std::uint64_t busy_work(int rounds) {
    volatile std::uint64_t acc = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < rounds; ++i) {
        for (int k = 0; k < 64; ++k) acc = acc * 6364136223846793005ull + 1442695040888963407ull;
        std::this_thread::yield();
    }
    return acc;
}

}  // namespace chancheck_test
