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

#include "chancheck/controlled/explore.hpp"
#include "small_channel.hpp"
#include "test_cli.hpp"

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
// neither is a deadlock.
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
    if (cv.wait_for(lock, std::chrono::seconds(30)) != std::cv_status::timeout) cc::fail("a wait nothing notifies did not time out");
}

int failures = 0;
const char* program = "controlled_test";

void expect(const char* name, void (*body)(), cc::verdict wanted, const cc::options& o) {
    const cc::exploration x = cc::explore(body, o);
    const cc::verdict got = x.failure ? x.failure->result : cc::verdict::pass;
    std::printf("%-34s %-10s after %u executions", name, cc::to_string(got), x.executions);
    if (x.failure) {
        std::printf(", seed %llu, %llu steps\n  replay: %s --case '%s' --replay %s\n  %s", static_cast<unsigned long long>(x.failure->seed),
                    static_cast<unsigned long long>(x.failure->steps), program, name, x.failure->schedule.c_str(),
                    x.failure->message.c_str());
        if (x.failure->message.empty() || x.failure->message.back() != '\n') std::printf("\n");
    } else {
        std::printf("\n");
    }
    if (got != wanted) {
        std::printf("  FAILED: expected %s\n", cc::to_string(wanted));
        ++failures;
        return;
    }
    if (!x.failure || o.replay) return;
    // The schedule replays to the same verdict.
    cc::options replay = o;
    replay.replay = x.failure->schedule;
    const cc::exploration again = cc::explore(body, replay);
    const cc::verdict replayed = again.failure ? again.failure->result : cc::verdict::pass;
    std::printf("  replayed: %s\n", cc::to_string(replayed));
    if (replayed != wanted) {
        std::printf("  FAILED: the schedule replays to %s\n", cc::to_string(replayed));
        ++failures;
    }
}

struct test_case {
    const char* name;
    void (*body)();
    cc::verdict wanted;
};

const test_case cases[] = {
    {"two senders, correct", &two_senders_then_recv<sender_count_bug::none>, cc::verdict::pass},
    {"two senders, load-then-store count", &two_senders_then_recv<sender_count_bug::load_then_store>, cc::verdict::deadlock},
    {"try_recv poll, correct", &send_then_poll<sender_count_bug::none>, cc::verdict::pass},
    {"try_recv poll, queue-then-count", &send_then_poll<sender_count_bug::queue_then_count>, cc::verdict::failed},
    {"atomic wait and a timed wait", &atomic_wait_and_timeout, cc::verdict::pass},
};

}  // namespace

int main(int argc, char** argv) {
    program = argv[0];
    controlled_tests::command_line cli;
    if (const auto status = controlled_tests::parse(argc, argv, 500, false, cli)) return *status;
    const cc::options& o = cli.explore;
    const std::string& only = cli.only;
    std::printf("%s: seed %llu, up to %u executions per case\n", program, static_cast<unsigned long long>(o.seed), o.executions);
    bool found = false;
    for (const test_case& c : cases) {
        if (!only.empty() && only != c.name) continue;
        found = true;
        expect(c.name, c.body, c.wanted, o);
    }
    if (!found) {
        std::fprintf(stderr, "%s: no case '%s'\n", program, only.c_str());
        return 2;
    }
    std::printf("%s\n", failures == 0 ? "every case as expected" : "FAILED");
    return failures == 0 ? 0 : 1;
}
