// controlled/tests/controlled_test.cpp — controlled scheduling of code written with plain
// std::thread, std::mutex, std::condition_variable and std::atomic (small_channel.hpp),
// compiled with -fsanitize=thread and linked with chancheck's runtime instead of libtsan.
// Each case says what exploration must find: the correct channel passes every execution, each
// seeded bug is found (as a deadlock, or as the test's own failed check) and its schedule
// replays to the same verdict. Exit status 0 when every case held, 1 otherwise.
//   controlled_test [--executions N] [--seed S] [--case NAME [--replay SCHEDULE]]
// (the seed is fresh and printed unless given; a failure prints the command that replays it).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "chancheck/controlled/cases.hpp"
#include "small_channel.hpp"

namespace {

namespace cc = chancheck::controlled;
using small::sender_count_bug;

// Two senders send one message each and leave; the receiver takes messages until disconnected
// and must have both.
template <sender_count_bug Bug>
void two_senders_then_recv() {
    small::channel<Bug> ch(2);
    std::thread a([&] { ch.send(1); ch.drop_sender(); });
    std::thread b([&] { ch.send(2); ch.drop_sender(); });
    std::set<int> got;
    while (auto v = ch.recv()) got.insert(*v);
    a.join();
    b.join();
    if (got != std::set<int>{1, 2}) cc::fail("recv ended with " + std::to_string(got.size()) + " of 2 messages");
}

// One sender sends and leaves; the receiver polls with try_recv until disconnected, and must
// have had the message by then.
template <sender_count_bug Bug>
void send_then_poll() {
    small::channel<Bug> ch(1);
    std::thread a([&] { ch.send(7); ch.drop_sender(); });
    int got = 0, v = 0;
    for (;;) {
        const small::try_result r = ch.try_recv(v);
        if (r == small::try_result::ok) ++got;
        if (r == small::try_result::disconnected) break;
        if (r == small::try_result::empty) std::this_thread::yield();
    }
    a.join();
    if (got != 1) cc::fail("try_recv reported disconnected with the message still queued (received " + std::to_string(got) + " of 1)");
}

// std::atomic::wait/notify (futex) and a timed condition-variable wait that nothing notifies:
// neither is a deadlock, and the timed wait times out.
void atomic_wait_and_timeout() {
    std::atomic<int> flag{0};
    std::thread t([&] {
        flag.store(1);
        flag.notify_one();
    });
    flag.wait(0);
    t.join();
    std::mutex m;
    std::condition_variable cv;
    std::unique_lock lock(m);
    // A wait may wake spuriously; nothing notifies, so in the end it times out.
    while (cv.wait_for(lock, std::chrono::seconds(30)) != std::cv_status::timeout) {
    }
}

// A hand-off that waits with `if` where it needs `while`: correct only if a condition variable
// never wakes without a notify. Spurious wake-ups are schedule choices, so exploration finds it.
template <bool WaitInLoop>
void handoff_wait() {
    std::mutex m;
    std::condition_variable cv;
    bool ready = false;
    int value = 0;
    std::thread producer([&] {
        std::lock_guard lock(m);
        value = 42;
        ready = true;
        cv.notify_one();
    });
    {
        std::unique_lock lock(m);
        if constexpr (WaitInLoop) {
            while (!ready) cv.wait(lock);
        } else if (!ready) {
            cv.wait(lock);
        }
        if (value != 42) cc::fail("the consumer went on without the value: a wake-up it took for the notify");
    }
    producer.join();
}

// Two threads that each wait for the other, one of them by spinning: the spinner makes no
// progress while the other is blocked for good (a busy wait, where a blocking wait would be a
// deadlock).
void spin_on_blocked_thread() {
    std::atomic<bool> ready{false};
    std::mutex m;
    std::condition_variable cv;
    bool go = false;
    std::thread waiter([&] {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return go; });
        ready.store(true);
    });
    while (!ready.load()) std::this_thread::yield();  // the bug: go is set only after this
    {
        std::lock_guard lock(m);
        go = true;
    }
    cv.notify_one();
    waiter.join();
}

const std::vector<cc::explore_case> cases = {
    {.name = "two senders, correct", .body = &two_senders_then_recv<sender_count_bug::none>},
    {.name = "two senders, load-then-store count",
     .body = &two_senders_then_recv<sender_count_bug::load_then_store>,
     .wanted = cc::verdict::deadlock},
    {.name = "try_recv poll, correct", .body = &send_then_poll<sender_count_bug::none>},
    {.name = "try_recv poll, queue-then-count",
     .body = &send_then_poll<sender_count_bug::queue_then_count>,
     .wanted = cc::verdict::failed,
     .names = "try_recv"},
    {.name = "atomic wait and a timed wait", .body = &atomic_wait_and_timeout},
    {.name = "hand-off, wait in a loop", .body = &handoff_wait<true>},
    {.name = "hand-off, wait without a loop", .body = &handoff_wait<false>, .wanted = cc::verdict::failed, .names = "wake-up"},
    {.name = "spin on a blocked thread", .body = &spin_on_blocked_thread, .wanted = cc::verdict::busy_wait},
};

}  // namespace

int main(int argc, char** argv) {
    cc::command_line cli;
    if (const auto status = cc::parse(argc, argv, {.quick = 500, .full = 5000}, false, cli)) return *status;
    return cc::run_cases(cases, cli, argv[0], 1);
}
