// controlled/tests/chaos_points_test.cpp — chaos noise reaches unmodified code: compiled with
// -fsanitize=thread and linked with the controlled runtime, but outside any controlled
// execution (as the stress engine runs a channel brought through an adapter), every atomic
// operation and every lock, unlock, wait and notify is a chaos point (chancheck::chaos::point,
// chancheck/sync/chaos_sync.hpp). Each point draws one number from the thread's generator, so
// the generator's state after a known sequence of operations says exactly how many points the
// runtime passed: noise off, none; noise on, one per operation. Exit status 0 when both hold.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>

#include "chancheck/sync/chaos_sync.hpp"

namespace {

std::uint64_t advanced(std::uint64_t x, int points) {
    for (int i = 0; i < points; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

// 4 atomic operations, a lock and an unlock, a notify: 7 points.
void operations(std::atomic<int>& a, std::mutex& m, std::condition_variable& cv) {
    a.store(1);
    a.fetch_add(1);
    (void)a.load();
    int expected = 2;
    a.compare_exchange_strong(expected, 3);
    m.lock();
    m.unlock();
    cv.notify_one();
}

bool check(bool enabled, int want) {
    // Never sleep, never yield: only the draws count.
    chancheck::chaos::configure({.enabled = enabled, .seed = 7, .yield_one_in = 1u << 31, .sleep_one_in = 1u << 31});
    chancheck::chaos::seed_thread(0);
    const std::uint64_t before = chancheck::chaos::thread_state();
    std::atomic<int> a{0};
    std::mutex m;
    std::condition_variable cv;
    operations(a, m, cv);
    const std::uint64_t after = chancheck::chaos::thread_state();
    const bool ok = after == advanced(before, want);
    int seen = -1;
    for (int k = 0; k <= 64; ++k)
        if (advanced(before, k) == after) seen = k;
    std::printf("noise %-3s: %d chaos points for 7 operations (expected %d) %s\n", enabled ? "on" : "off", seen, want, ok ? "" : "FAILED");
    return ok;
}

}  // namespace

int main() {
    const bool off = check(false, 0);
    const bool on = check(true, 7);
    return off && on ? 0 : 1;
}
