// controlled/tests/process_reuse_test.cpp — explore() runs many executions in one child process
// (options::executions_per_process) and must still report what a fresh process per execution
// would. Each check below can fail:
//   1. the same failing execution, schedule and message with 100 executions per process as
//      with 1, for a seeded bug of small_channel.hpp, over several seeds (the failure found
//      after others in a process is confirmed in a fresh one: it must agree, no NOT
//      REPRODUCIBLE note);
//   2. executions are spread over processes as asked (the body writes its process id into a
//      shared page): 10 executions at 4 per process take 3 processes, at 1 take 10;
//   3. a body that fails only after earlier executions in its process left state behind (a
//      static counter) is reported with the NOT REPRODUCIBLE note, and passes with 1 per
//      process;
//   4. a thread the body does not join ends its process's run of executions: the next
//      execution runs in a new process;
//   5. run_cases gives such a failure (3.) as a replay the exploration again, not its schedule
//      alone, and its replay check passes (the schedule alone would replay to a pass).
// Exit status 0 when every check held, 1 otherwise.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "chancheck/controlled/cases.hpp"
#include "chancheck/controlled/explore.hpp"
#include "small_channel.hpp"

namespace {

namespace cc = chancheck::controlled;

int failures = 0;

void check(bool ok, const std::string& what) {
    std::printf("%s %s\n", ok ? "ok    " : "FAILED", what.c_str());
    if (!ok) ++failures;
}

// Two senders of small_channel with the load-then-store sender count: a deadlock some
// schedules reach.
void two_senders_load_then_store() {
    small::channel<small::sender_count_bug::load_then_store> ch(2);
    std::thread a([&] { ch.send(1); ch.drop_sender(); });
    std::thread b([&] { ch.send(2); ch.drop_sender(); });
    while (ch.recv()) {
    }
    a.join();
    b.join();
}

// A deadlock message's first lines, what each thread waits for and its innermost frames,
// without the objects' addresses ("on 0x7ffd..."): the body's stack lies deeper or shallower
// in the process as the parent forked it, and its outer frames are those of the test's calls.
std::string blocked_where(const std::string& message) {
    std::string out;
    std::size_t at = 0;
    for (int line = 0; line < 3 && at < message.size(); ++line) {
        const std::size_t end = std::min(message.find('\n', at), message.size());
        out += message.substr(at, end - at) + "\n";
        at = end + 1;
    }
    return std::regex_replace(out, std::regex(" on 0x[0-9a-f]+"), " on ?");
}

// A page every child process writes to: the process id of each execution, by its number.
struct shared_page {
    int executions = 0;
    pid_t pid[64] = {};
};
shared_page* page = nullptr;

void record_process() {
    if (page->executions < 64) page->pid[page->executions] = getpid();
    ++page->executions;
}

std::size_t processes_used() {
    std::set<pid_t> pids(page->pid, page->pid + std::min(page->executions, 64));
    return pids.size();
}

void one_thread_joined() {
    record_process();
    std::thread t([] {});
    t.join();
}

void one_thread_detached() {
    record_process();
    std::thread([] {}).detach();
}

// Fails in the third execution of a process: its verdict hangs on what earlier executions left.
void fails_third_time_in_a_process() {
    static int runs = 0;
    std::thread t([] {});
    t.join();
    if (++runs == 3) cc::fail("the third execution in this process");
}

}  // namespace

int main(int, char** argv) {
    page = static_cast<shared_page*>(mmap(nullptr, sizeof(shared_page), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    if (page == MAP_FAILED) {
        std::perror("mmap");
        return 1;
    }

    for (std::uint64_t seed : {1u, 101u, 202u, 303u}) {
        cc::options reused, fresh;
        reused.seed = fresh.seed = seed;
        reused.executions = fresh.executions = 300;
        fresh.executions_per_process = 1;
        const cc::exploration a = cc::explore(&two_senders_load_then_store, reused);
        const cc::exploration b = cc::explore(&two_senders_load_then_store, fresh);
        check(a.failure && b.failure && a.executions == b.executions && a.failure->result == cc::verdict::deadlock &&
                  a.failure->schedule == b.failure->schedule && blocked_where(a.failure->message) == blocked_where(b.failure->message) &&
                  a.failure->message.find("NOT REPRODUCIBLE") == std::string::npos,
              "seed " + std::to_string(seed) + ": the same deadlock at the same execution (" + std::to_string(a.executions) + ", " +
                  std::to_string(b.executions) + ") and schedule with 100 executions per process as with 1");
    }

    for (unsigned per_process : {4u, 1u}) {
        *page = shared_page{};
        cc::options o;
        o.executions = 10;
        o.executions_per_process = per_process;
        const cc::exploration x = cc::explore(&one_thread_joined, o);
        const std::size_t want = (10 + per_process - 1) / per_process;
        check(!x.failure && x.executions == 10 && page->executions == 10 && processes_used() == want,
              "10 executions at " + std::to_string(per_process) + " per process ran in " + std::to_string(processes_used()) +
                  " processes (want " + std::to_string(want) + ")");
    }

    {
        cc::options o;
        o.executions = 10;
        o.executions_per_process = 100;
        const cc::exploration x = cc::explore(&fails_third_time_in_a_process, o);
        check(x.failure && x.executions == 3 && x.failure->result == cc::verdict::failed &&
                  x.failure->message.find("NOT REPRODUCIBLE in a fresh process") != std::string::npos &&
                  x.failure->message.find("it passes") != std::string::npos,
              "a failure that needs earlier executions' state is reported NOT REPRODUCIBLE, at execution 3");
        o.executions_per_process = 1;
        const cc::exploration y = cc::explore(&fails_third_time_in_a_process, o);
        check(!y.failure && y.executions == 10, "with 1 execution per process it passes");
    }

    {
        *page = shared_page{};
        cc::options o;
        o.executions = 5;
        o.executions_per_process = 100;
        const cc::exploration x = cc::explore(&one_thread_detached, o);
        check(!x.failure && page->executions == 5 && processes_used() == 5,
              "a thread left unjoined ends its process's executions: 5 executions in " + std::to_string(processes_used()) + " processes");
    }

    {
        cc::command_line cli;
        cli.explore.seed = 1;
        cli.explore.executions = 10;
        const std::vector<cc::explore_case> cases = {{.name = "fails the third time in a process",
                                                      .body = &fails_third_time_in_a_process,
                                                      .wanted = cc::verdict::failed,
                                                      .names = "NOT REPRODUCIBLE"}};
        check(cc::run_cases(cases, cli, argv[0], 1) == 0,
              "run_cases reports it as expected and its replay (the exploration again) fails the same way");
    }

    std::printf("%s\n", failures == 0 ? "every check held" : "FAILED");
    return failures == 0 ? 0 : 1;
}
