// controlled/src/scheduler.cpp — the baton scheduler (scheduler.hpp), the child's side of one
// execution: at every scheduling point the next thread from sched_sync's candidate order
// (a random walk, PCT, or a replayed rw/ schedule), timed waits and spurious wake-ups as
// choices, virtual time, deadlock, busy-wait and runaway detection, and chaos noise outside
// executions. The parent's side (fork, result, shrinking) is explore.cpp.
#include "scheduler.hpp"

#include <dlfcn.h>
#include <execinfo.h>
#include <malloc.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/controlled/explore.hpp"
#include "chancheck/sync/chaos_sync.hpp"
#include "chancheck/sync/sched/schedule.hpp"

namespace chancheck::controlled {

const char* to_string(verdict v) {
    switch (v) {
        case verdict::pass: return "pass";
        case verdict::deadlock: return "deadlock";
        case verdict::busy_wait: return "busy_wait";
        case verdict::step_limit: return "step_limit";
        case verdict::diverged: return "diverged";
        case verdict::uncontrolled: return "uncontrolled";
        case verdict::crashed: return "crashed";
        case verdict::failed: return "failed";
    }
    return "?";
}

namespace detail {
namespace {

enum class state { runnable, blocked, finished };
enum class wait_kind { none, mutex, cond, join, futex, semaphore, all_threads };

const char* describe(wait_kind k) {
    switch (k) {
        case wait_kind::none: return "nothing";
        case wait_kind::mutex: return "a mutex lock";
        case wait_kind::cond: return "a condition variable wait";
        case wait_kind::join: return "a thread join";
        case wait_kind::futex: return "a futex wait (std::atomic::wait)";
        case wait_kind::semaphore: return "a semaphore wait";
        case wait_kind::all_threads: return "the end of the other threads";
    }
    return "?";
}

struct thread_rec {
    unsigned id = 0;
    sem_t baton;
    state st = state::runnable;
    wait_kind waits = wait_kind::none;
    const void* on = nullptr;  // the object it waits for
    bool timed = false;
    deadline until = 0;  // virtual ns, when timed
    bool timed_out = false;
    const void* caller = nullptr;  // where the blocking call was made, for the deadlock message
    void* frames[16] = {};         // the stack of the blocking call, for the deadlock message
    int frame_count = 0;
    void* (*start)(void*) = nullptr;
    void* arg = nullptr;
    pthread_t handle{};
    bool joined = false;  // a join has begun (the body's real join waits for the real thread's end)
};

struct mutex_state {
    const void* mutex;
    thread_rec* owner;
    unsigned depth;
    thread_rec* last_owner = nullptr;  // a lock that changes hands is progress (busy-wait detection)
};

struct semaphore_state {
    const void* sem;
    long count;
};

struct world {
    bool running = false;
    std::vector<std::unique_ptr<thread_rec>> threads;
    // The records of earlier executions in this process, taken again by new threads: a thread
    // that has ended may still be leaving its last hand-over (hand_over), so a record is never
    // freed while the process lives.
    std::vector<std::unique_ptr<thread_rec>> spare;
    std::vector<mutex_state> mutexes;
    std::vector<semaphore_state> semaphores;
    std::uint64_t rng = 0;
    std::uint64_t steps = 0;
    std::uint64_t max_steps = 0;
    std::vector<std::uint8_t> choices;  // the bytes of this execution's decisions (schedule.hpp)
    sched::schedule replay;             // with `replaying`
    std::size_t replay_at = 0;
    std::uint64_t tail_state = 0;       // the replay's tail PRNG
    bool replaying = false;
    bool strict_replay = true;          // options::strict_replay
    std::vector<std::uint8_t> replay_priorities;  // a replayed PCT schedule's, by thread id - 1
    const std::function<void()>* on_stuck = nullptr;  // options::on_stuck
    const std::function<bool()>* on_time_passes = nullptr;  // options::on_time_passes
    bool spurious_wakeups = true;
    std::uint64_t since_progress = 0;  // scheduling points since the last progress (busy_wait_points)
    bool yielding = false;             // the point being passed is a yield or a sleep
    std::vector<thread_rec*> candidates;  // next_thread's, kept between points
    int result_fd = -1;
    // PCT: priorities by thread id (higher runs first) and the steps where the running thread
    // drops to priority (depth - 1 - i); empty change points and priorities: a random walk.
    std::vector<std::uint64_t> priority;
    std::vector<std::uint64_t> change_points;
    unsigned depth = 0;
    std::uint64_t lowest_priority = 1ull << 20;  // a yield's: below every other, decreasing
    unsigned last_chosen = 0;
    unsigned run_length = 0;  // decisions in a row won by last_chosen
    deadline now = 0;                  // virtual ns since the execution began
    timespec realtime_base{}, monotonic_base{};  // the real clocks when it began
};

// Never destroyed: at the end of an execution the child ends with threads still parked.
world& w() {
    static world* const x = new world;
    return *x;
}

thread_local thread_rec* self = nullptr;

// Set while the runtime itself calls into libraries that may call an interposed function
// (backtrace: libgcc's unwinder locks a pthread mutex): those calls must be the real ones,
// not scheduling points inside the scheduler.
thread_local bool inside_runtime = false;

struct runtime_call {
    runtime_call() { inside_runtime = true; }
    ~runtime_call() { inside_runtime = false; }
    runtime_call(const runtime_call&) = delete;
    runtime_call& operator=(const runtime_call&) = delete;
};

// Under PCT, consecutive decisions one thread may win before it counts as spinning.
constexpr unsigned spin_bound = 256;

// Scheduling points in a row without progress (a write to an atomic, a lock passing to another
// thread, a notify or post that wakes one, a thread starting or ending), per thread that can run, after which those
// threads wait for something only a blocked thread could change: time passes if some wait has
// a deadline, otherwise that is a busy wait (sched_sync's rule, counted in points). Large
// enough for the bounded spins real code does before it parks (moodycamel's semaphore spins
// up to 10 000 loads).
constexpr std::uint64_t busy_wait_points = 16384;

std::uint64_t stalled_after() {
    std::uint64_t runnable = 0;
    for (const auto& t : w().threads) runnable += t->st == state::runnable ? 1 : 0;
    return busy_wait_points * std::max<std::uint64_t>(1, runnable);
}

// Points in a row without progress after which the running thread counts as spinning.
constexpr std::uint64_t spin_points = 64;

// Schedule bytes from this one up admit spurious wake-ups (sched_sync's rule: rare, 1 in 16).
constexpr unsigned spurious_floor = 240;

// Found when the program loads, not in each execution's child.
using create_fn = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
create_fn const real_create = reinterpret_cast<create_fn>(dlsym(RTLD_NEXT, "pthread_create"));

// The execution's result, to the parent (explore.cpp reads it).
void write_result(verdict v, const std::string& message, const std::string& kind) {
    const world& s = w();
    sched::schedule done;
    done.choices = s.choices;
    const std::string result = std::string(to_string(v)) + "\n" + kind + "\n" + std::to_string(s.steps) + "\n" + sched::to_string(done) + "\n" + message;
    // Framed by its length, so the parent knows it has all of it before this process is gone.
    const std::string out = std::to_string(result.size()) + "\n" + result;
    const char* p = out.data();
    std::size_t left = out.size();
    while (left > 0) {
        const ssize_t n = ::write(s.result_fd, p, left);
        if (n <= 0) break;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

// The execution ends here, whichever thread sees it: the result goes to the parent and the
// child process exits without running anything else (the other threads stay parked).
[[noreturn]] void finish(verdict v, const std::string& message, const std::string& kind = "") {
    write_result(v, message, kind);
    ::_exit(0);
}

// The execution ends stuck (deadlock, busy wait, step limit): the test's hook first
// (options::on_stuck), outside the scheduler's control.
[[noreturn]] void finish_stuck(verdict v, const std::string& message) {
    if (w().on_stuck != nullptr) {
        inside_runtime = true;  // not reset: finish() ends the process
        (*w().on_stuck)();
    }
    finish(v, message);
}

// A code address as "module+0xoffset" (the parent turns it into function and source line:
// with_source_lines()). A return address points after its call: one byte back is inside it.
std::string where(const void* address) {
    if (address == nullptr) return "?";
    Dl_info info{};
    char text[64];
    const runtime_call call;
    if (dladdr(address, &info) != 0 && info.dli_fname != nullptr) {
        std::snprintf(text, sizeof text, "+0x%zx", static_cast<std::size_t>(static_cast<const char*>(address) - 1 -
                                                                           static_cast<const char*>(info.dli_fbase)));
        return std::string(info.dli_fname) + text;
    }
    std::snprintf(text, sizeof text, "%p", address);
    return text;
}

// The calling thread's stack, as "at" lines (its caller's frame first).
std::string own_stack() {
    const runtime_call call;
    void* frames[16];
    const int n = backtrace(frames, 16);
    std::string out;
    for (int i = 2; i < n; ++i) out += "    at " + where(frames[i]) + "\n";
    return out;
}

std::string blocked_threads() {
    std::string out;
    for (const auto& t : w().threads) {
        if (t->st == state::finished) continue;
        char on[64];
        std::snprintf(on, sizeof on, "%p", t->on);
        if (t->st == state::runnable) {
            out += "thread " + std::to_string(t->id) + ": runnable\n";
            continue;
        }
        out += "thread " + std::to_string(t->id) + ": blocked in " + describe(t->waits) + (t->timed ? " (timed)" : "") +
               " on " + on + "\n";
        for (int i = 0; i < t->frame_count; ++i) out += "    at " + where(t->frames[i]) + "\n";
    }
    return out;
}

std::uint64_t next_random() {  // splitmix64
    std::uint64_t z = (w().rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// The next byte of the schedule (sched_sync's format, chancheck/sync/sched/schedule.hpp):
// replaying, the recorded list and then its tail (a seeded PRNG, or 0s: no preemption);
// exploring, a fresh random byte.
std::uint8_t next_byte() {
    world& s = w();
    if (s.replaying) {
        if (s.replay_at < s.replay.choices.size()) return s.replay.choices[s.replay_at++];
        ++s.replay_at;
        if (s.replay.tail_seed == 0) return 0;
        return static_cast<std::uint8_t>(sched::splitmix64(s.tail_state) >> 56);
    }
    return static_cast<std::uint8_t>(next_random() >> 56);
}

// Records that decision number choices.size() picked `index` of `n` candidates (`spurious`:
// a spurious wake-up, which a replay draws only from bytes >= spurious_floor). The byte
// written is the smallest that replays to the same pick, so a replay whose decision has
// fewer candidates than recorded is seen (diverged) rather than wrapped around.
void record(std::size_t index, std::size_t n, bool spurious) {
    std::uint8_t byte = static_cast<std::uint8_t>(index);
    if (spurious)
        for (unsigned b = spurious_floor; b <= 255; ++b)
            if (b % n == index) {
                byte = static_cast<std::uint8_t>(b);
                break;
            }
    w().choices.push_back(byte);
}

// A replayed byte that names a candidate past the end (not a spurious draw): the replay has
// left the recorded execution.
void check_replayed(std::uint8_t byte, std::size_t n, const char* what) {
    const world& s = w();
    if (!s.replaying || !s.strict_replay || s.replay_at > s.replay.choices.size() || byte >= spurious_floor || byte < n) return;
    finish(verdict::diverged, "decision " + std::to_string(s.replay_at - 1) + " of the replayed schedule picks " + what +
                                  " " + std::to_string(byte) + ", but there are only " + std::to_string(n) +
                                  ": something the runtime does not control (a clock, I/O, an uninstrumented "
                                  "synchronization) changed the execution");
}

// Under PCT: the runnable thread of highest priority. A thread that has run this many points
// in a row while others could run spins on something only they can change (a spin hint is no
// scheduling point): it drops below every other, as a yield would make it.
std::size_t pct_pick(const std::vector<thread_rec*>& candidates, std::size_t runnable_count) {
    world& s = w();
    const auto highest = [&] {
        std::size_t best = 0;
        for (std::size_t i = 1; i < runnable_count; ++i)
            if (s.priority[candidates[i]->id] > s.priority[candidates[best]->id]) best = i;
        return best;
    };
    std::size_t chosen = highest();
    s.run_length = candidates[chosen]->id == s.last_chosen ? s.run_length + 1 : 0;
    s.last_chosen = candidates[chosen]->id;
    if (s.run_length >= spin_bound) {
        s.priority[candidates[chosen]->id] = s.lowest_priority--;
        s.run_length = 0;
        chosen = highest();
        s.last_chosen = candidates[chosen]->id;
    }
    return chosen;
}

bool may_wake_spuriously(const thread_rec& t) {
    return w().spurious_wakeups && t.st == state::blocked && (t.waits == wait_kind::cond || t.waits == wait_kind::futex);
}

// Virtual time has moved: the test may end the execution here (options::on_time_passes).
void time_passed() {
    world& s = w();
    if (s.on_time_passes == nullptr) return;
    bool ended = false;
    {
        const runtime_call call;
        ended = (*s.on_time_passes)();
    }
    if (ended)
        finish_stuck(verdict::deadlock, "virtual time passes and the test says nothing else can happen (options::on_time_passes): "
                                        "the threads wait for good, polling\n" + blocked_threads());
}

// Which thread runs next, `current` being the one that holds the baton. The candidates come
// in sched_sync's order: the current thread (it goes on: no preemption), the other runnable
// threads by id, then the timed waits, any of which may time out now (virtual time moves to
// its deadline). A random walk or a replay draws one byte per decision; a byte of 240 or more
// also admits spurious wake-ups of the condition-variable and futex waits, as long as some
// thread could run otherwise (a real program cannot count on one). PCT runs the runnable
// thread of highest priority and, with none, times out the earliest deadline. No candidate at
// all: every thread is blocked for good, a deadlock.
thread_rec* next_thread(thread_rec* current) {
    world& s = w();
    std::vector<thread_rec*>& all = s.candidates;  // reused: a scheduling point allocates nothing
    all.clear();
    // A thread that yields, or that goes on while nobody makes progress, spins: it goes last,
    // so "no preemption" (byte 0) lets the others run, as a fair scheduler would.
    const bool current_runnable = current != nullptr && current->st == state::runnable;
    const bool spinning = current_runnable && (s.yielding || s.since_progress >= spin_points);
    if (current_runnable && !spinning) all.push_back(current);
    for (const auto& t : s.threads)
        if (t.get() != current && t->st == state::runnable) all.push_back(t.get());
    if (spinning) all.push_back(current);
    const std::size_t runnable_count = all.size();
    for (const auto& t : s.threads)
        if (t->st == state::blocked && t->timed) all.push_back(t.get());
    const std::size_t timed_end = all.size();
    bool spurious_possible = false;
    for (const auto& t : s.threads) spurious_possible = spurious_possible || may_wake_spuriously(*t);
    if (all.empty()) finish_stuck(verdict::deadlock, blocked_threads());
    std::size_t index = 0;
    if (s.since_progress >= stalled_after() && timed_end > runnable_count) {
        // The runnable threads spin on each other: time passes, the earliest deadline first
        // (no decision: a function of the state, so a replay does the same).
        index = runnable_count;
        for (std::size_t i = runnable_count + 1; i < timed_end; ++i)
            if (all[i]->until < all[index]->until) index = i;
        s.since_progress = 0;
    } else if (all.size() > 1 || spurious_possible) {
        if (s.depth > 0 && !s.replaying) {
            if (runnable_count > 0) {
                index = pct_pick(all, runnable_count);
            } else {
                for (std::size_t i = 1; i < all.size(); ++i)
                    if (all[i]->until < all[index]->until) index = i;
            }
            record(index, all.size(), false);
        } else {
            const std::uint8_t byte = next_byte();
            if (byte >= spurious_floor)
                for (const auto& t : s.threads)
                    if (may_wake_spuriously(*t) && !t->timed) all.push_back(t.get());
            check_replayed(byte, all.size(), "candidate");
            index = byte % all.size();
            record(index, all.size(), index >= timed_end);
        }
    }
    thread_rec* chosen = all[index];
    if (index >= runnable_count) {  // a wait ends without a wake
        chosen->timed_out = index < timed_end;  // its timeout: virtual time moves to its deadline
        if (chosen->timed_out) s.now = std::max(s.now, chosen->until);
        if (chosen->timed_out) time_passed();
        chosen->st = state::runnable;
    }
    return chosen;
}

// The waiter a notify_one or semaphore post wakes among `waiters` (by id; more than one: a
// decision).
thread_rec* pick_waiter(const std::vector<thread_rec*>& waiters) {
    world& s = w();
    if (waiters.size() == 1) return waiters[0];
    std::size_t index = 0;
    if (s.depth > 0 && !s.replaying) {
        for (std::size_t i = 1; i < waiters.size(); ++i)
            if (s.priority[waiters[i]->id] > s.priority[waiters[index]->id]) index = i;
    } else {
        const std::uint8_t byte = next_byte();
        check_replayed(byte, waiters.size(), "waiter");
        index = byte % waiters.size();
    }
    record(index, waiters.size(), false);
    return waiters[index];
}

// The baton's semaphores are glibc's own: sem_wait and sem_post are interposed for the
// program (interpose.cpp), and the runtime must not model its own hand-overs. Resolved when
// the program loads, not on first use: a lazy lookup (a guarded static) inside a hand-over
// re-entered the scheduler (false deadlocks and stalls, a few executions in a hundred).
using sem_fn = int (*)(sem_t*);
sem_fn const real_sem_wait = reinterpret_cast<sem_fn>(dlsym(RTLD_NEXT, "sem_wait"));
sem_fn const real_sem_post = reinterpret_cast<sem_fn>(dlsym(RTLD_NEXT, "sem_post"));

void park(thread_rec* t) {
    while (real_sem_wait(&t->baton) != 0 && errno == EINTR) {
    }
}

// Hands the baton from `from` (which holds it) to `to`; `from` waits for its next turn unless it
// has finished.
void hand_over(thread_rec* from, thread_rec* to) {
    if (from == to) return;
    // Read before the post: once `to` runs, a finished `from`'s record may belong to the next
    // execution's thread.
    const bool from_finished = from->st == state::finished;
    real_sem_post(&to->baton);  // pairs with park() in `to`: everything `from` did happens before `to` runs
    if (!from_finished) park(from);
}

// `from` cannot run (blocked or finished): the baton goes to the next thread, which may be one
// whose wait times out (next_thread).
void dispatch_away(thread_rec* from) { hand_over(from, next_thread(from)); }

// The calling thread blocks on `on` until another thread wakes it (or, with `until`, its wait
// times out).
bool block(wait_kind kind, const void* on, const deadline* until, const void* caller) {
    thread_rec* me = self;
    me->st = state::blocked;
    me->waits = kind;
    me->on = on;
    me->timed = until != nullptr;
    me->until = until != nullptr ? *until : 0;
    me->timed_out = false;
    me->caller = caller;
    {
        const runtime_call call;
        me->frame_count = backtrace(me->frames, 16);
    }
    dispatch_away(me);
    me->waits = wait_kind::none;
    me->on = nullptr;
    me->timed = false;
    return me->timed_out;
}

void wake(thread_rec* t) {
    t->st = state::runnable;
    t->timed_out = false;
}

mutex_state* find_mutex(const void* m) {
    for (mutex_state& ms : w().mutexes)
        if (ms.mutex == m) return &ms;
    return nullptr;
}

// Takes `m` for the calling thread, blocking while another holds it; no scheduling point.
void acquire(const void* m, bool recursive, unsigned depth, const void* caller) {
    for (;;) {
        mutex_state* ms = find_mutex(m);
        if (ms == nullptr) {
            w().mutexes.push_back({m, self, depth, self});
            return;
        }
        if (ms->owner == nullptr) {
            ms->owner = self;
            ms->depth = depth;
            // Taken from another thread: what it wrote under the lock (plain memory, not seen
            // here) may be news. Taken back by the thread that last held it: nothing new.
            if (ms->last_owner != self) progress();
            ms->last_owner = self;
            return;
        }
        if (ms->owner == self) {
            if (!recursive) finish_stuck(verdict::deadlock, "thread " + std::to_string(self->id) + " locks a mutex it already holds, at " + where(caller) + "\n");
            ms->depth += depth;
            return;
        }
        block(wait_kind::mutex, m, nullptr, caller);
    }
}

// Releases `m` entirely; returns the depth it had. Wakes every thread waiting for it (each retries).
unsigned release(const void* m, bool all_levels) {
    mutex_state* ms = find_mutex(m);
    if (ms == nullptr || ms->owner != self) {
        char text[64];
        std::snprintf(text, sizeof text, "%p", m);
        finish(verdict::failed, "thread " + std::to_string(self->id) + " unlocks mutex " + text + " that it does not hold");
    }
    const unsigned depth = ms->depth;
    ms->depth = all_levels ? 0 : ms->depth - 1;
    if (ms->depth == 0) {
        ms->owner = nullptr;
        for (const auto& t : w().threads)
            if (t->st == state::blocked && t->waits == wait_kind::mutex && t->on == m) wake(t.get());
    }
    return depth;
}

// A record for a new thread of this execution: a spare one of an earlier execution, or a new one.
thread_rec* new_thread_rec() {
    world& s = w();
    std::unique_ptr<thread_rec> rec;
    if (s.spare.empty()) {
        rec = std::make_unique<thread_rec>();
    } else {
        rec = std::move(s.spare.back());
        s.spare.pop_back();
        *rec = thread_rec{};
    }
    sem_init(&rec->baton, 0, 0);
    rec->id = static_cast<unsigned>(s.threads.size());
    s.threads.push_back(std::move(rec));
    return s.threads.back().get();
}

// The world as a new execution finds it; the records of the last one become spare.
void reset_world() {
    world& s = w();
    world fresh;
    fresh.spare = std::move(s.spare);
    for (auto& t : s.threads) fresh.spare.push_back(std::move(t));
    fresh.candidates = std::move(s.candidates);
    fresh.candidates.clear();
    fresh.choices = std::move(s.choices);
    fresh.choices.clear();
    s = std::move(fresh);
}

void* trampoline(void* p) {
    auto* me = static_cast<thread_rec*>(p);
    self = me;
    park(me);  // until the schedule first picks this thread
    void* result = me->start(me->arg);
    // The end of the thread: joiners may go on. Thread-local destructors run after this,
    // outside the schedule (self is cleared: their operations are the real ones).
    me->st = state::finished;
    progress();
    for (const auto& t : w().threads)
        if (t->st == state::blocked && ((t->waits == wait_kind::join && t->on == me) || t->waits == wait_kind::all_threads))
            wake(t.get());
    self = nullptr;
    dispatch_away(me);
    return result;
}

}  // namespace

std::optional<std::uint64_t> run_execution(const std::function<void()>& body, std::uint64_t seed, const options& o,
                                          unsigned depth, std::uint64_t expected_steps, int fd) {
    reset_world();
    world& s = w();
    // One malloc arena for the execution's threads: they run one at a time, and a new arena
    // per thread would map and fault in a fresh heap in every execution.
    mallopt(M_ARENA_MAX, 1);
    s.result_fd = fd;
    s.rng = seed;
    s.max_steps = o.max_steps;
    s.spurious_wakeups = o.spurious_wakeups;
    s.depth = depth;
    if (depth > 0) {
        // The change points, uniform over the steps an execution is expected to take.
        for (unsigned i = 0; i + 1 < depth; ++i) s.change_points.push_back(1 + next_random() % std::max<std::uint64_t>(1, expected_steps));
        s.priority.push_back((1ull << 22) + next_random() % (1ull << 40));  // the main thread's
    }
    // The real clocks, read before any interposed clock_gettime can answer with virtual time.
    // (clock_gettime itself answers with the real clocks: the execution has not begun.)
    clock_gettime(CLOCK_REALTIME, &s.realtime_base);
    clock_gettime(CLOCK_MONOTONIC, &s.monotonic_base);
    s.strict_replay = o.strict_replay;
    if (o.on_stuck) s.on_stuck = &o.on_stuck;
    if (o.on_time_passes) s.on_time_passes = &o.on_time_passes;
    if (o.replay) {
        const sched::schedule replay = sched::parse_schedule(*o.replay);  // explore() has checked it
        if (replay.kind == sched::policy::pct) {
            // PCT with the schedule's priorities and change points instead of drawn ones.
            s.depth = static_cast<unsigned>(replay.change_points.size()) + 1;
            s.change_points.assign(replay.change_points.begin(), replay.change_points.end());
            s.replay_priorities = replay.priorities;
            s.priority.assign(1, (1ull << 22) + (1ull << 40));  // the body's thread: above every other
        } else {
            s.replaying = true;
            s.replay = replay;
            s.tail_state = s.replay.tail_seed;
        }
    }
    thread_rec* const main_thread = new_thread_rec();
    main_thread->handle = pthread_self();
    main_thread->joined = true;  // it is this one
    self = main_thread;
    s.running = true;
    body();
    // The body is done; threads it did not join still run to their end.
    for (;;) {
        bool others = false;
        for (const auto& t : s.threads)
            if (t.get() != self && t->st != state::finished) others = true;
        if (!others) break;
        block(wait_kind::all_threads, nullptr, nullptr, __builtin_return_address(0));
    }
    s.running = false;
    self = nullptr;
    write_result(verdict::pass, "", "");
    // A thread the body did not join may still be ending for real (its thread-local
    // destructors): this process runs no other execution.
    for (const auto& t : s.threads)
        if (!t->joined) return std::nullopt;
    return s.steps;
}

bool active() { return self != nullptr && !inside_runtime && w().running; }

namespace {
thread_local unsigned ignored = 0;  // depth of the calling thread's ignored regions
}  // namespace

void ignore(bool begin) {
    if (begin) ++ignored;
    else if (ignored > 0) --ignored;
}

void progress() {
    if (active()) w().since_progress = 0;
}

void chaos_point() {
    if (ignored == 0 && !inside_runtime) chancheck::chaos::point();
}

void point(const char*, const void*, bool makes_progress) {
    if (!active()) {
        chaos_point();
        return;
    }
    if (ignored > 0) return;
    world& s = w();
    if (++s.steps > s.max_steps)
        finish_stuck(verdict::step_limit, "more than " + std::to_string(s.max_steps) +
                                        " scheduling points: a livelock, or an execution too long for --max-steps. Thread " +
                                        std::to_string(self->id) + " runs\n" + own_stack() + blocked_threads());
    if (makes_progress) s.since_progress = 0;
    else if (++s.since_progress >= stalled_after()) {
        bool timed = false;
        for (const auto& t : s.threads) timed = timed || (t->st == state::blocked && t->timed);
        if (!timed) {
            const std::string here = own_stack();
            finish_stuck(verdict::busy_wait, "thread " + std::to_string(self->id) + " and every other thread that can run made " +
                                           std::to_string(busy_wait_points) +
                                           " scheduling points each in a row without progress (no atomic write, no lock passing "
                                           "between threads, no wake-up, no thread start or end): they wait for something only a blocked thread could "
                                           "change, and should block instead. Thread " + std::to_string(self->id) +
                                           " spins\n" + here + blocked_threads());
        }
    }
    for (std::size_t i = 0; i < s.change_points.size(); ++i)
        if (s.change_points[i] == s.steps) s.priority[self->id] = (1ull << 21) + i;  // below every initial priority
    hand_over(self, next_thread(self));
}

// A yield is a scheduling point like any other, also under PCT: a spin-wait that yields a few
// times before it parks must be able to run out its spins while the thread it waits for stands
// still (that is how a lost wake-up shows). A spin that never ends is caught by spin_bound.
void yield(const char* what) {
    if (!active()) return;
    w().yielding = true;
    point(what, nullptr, false);
    w().yielding = false;
}

namespace {
// Under PCT a sleeping thread drops below every other: it asked to let the others run.
void sleep_point() {
    world& s = w();
    if (!active()) return;
    if (s.depth > 0) s.priority[self->id] = s.lowest_priority--;
    s.yielding = true;
    point("sleep", nullptr, false);
    s.yielding = false;
}
}  // namespace

void* start_thread(pthread_t* handle, const pthread_attr_t* attr, void* (*start)(void*), void* arg, int* error) {
    thread_rec* const t = new_thread_rec();
    t->start = start;
    t->arg = arg;
    if (w().depth > 0) {
        const std::vector<std::uint8_t>& given = w().replay_priorities;
        const std::size_t k = t->id - 1;
        // A replayed PCT schedule's priority, ties broken toward the earlier thread; or a drawn one.
        if (!given.empty()) w().priority.push_back((1ull << 22) + (k < given.size() ? given[k] : 0u) * 256u + (255u - std::min<std::size_t>(k, 255u)));
        else w().priority.push_back((1ull << 22) + next_random() % (1ull << 40));
    }
    *error = real_create(handle, attr, &trampoline, t);
    if (*error != 0) {
        t->st = state::finished;
        return nullptr;
    }
    t->handle = *handle;
    point("thread start", t, true);
    return t;
}

void before_join(pthread_t handle, const void* caller) {
    thread_rec* target = nullptr;
    for (const auto& t : w().threads)
        if (t.get() != self && pthread_equal(t->handle, handle)) target = t.get();
    if (target == nullptr) return;
    target->joined = true;
    point("join", target, false);
    while (target->st != state::finished) block(wait_kind::join, target, nullptr, caller);
}

void mutex_lock(const void* mutex, bool recursive, const void* caller) {
    point("mutex lock", mutex, false);
    acquire(mutex, recursive, 1, caller);
}

bool mutex_trylock(const void* mutex, bool recursive) {
    point("mutex trylock", mutex, false);
    mutex_state* ms = find_mutex(mutex);
    if (ms != nullptr && ms->owner != nullptr && !(ms->owner == self && recursive)) return false;
    progress();
    acquire(mutex, recursive, 1, nullptr);
    return true;
}

void mutex_unlock(const void* mutex) {
    release(mutex, false);
    point("mutex unlock", mutex, false);  // a waiter may take it now
}

bool cond_wait(const void* cond, const void* mutex, bool recursive, const deadline* until, const void* caller) {
    point("condition wait", cond, false);
    const unsigned depth = release(mutex, true);
    const bool timed_out = block(wait_kind::cond, cond, until, caller);
    acquire(mutex, recursive, depth, caller);
    return timed_out;
}

void cond_notify(const void* cond, bool all) {
    point(all ? "notify all" : "notify one", cond, false);
    std::vector<thread_rec*> waiters;
    for (const auto& t : w().threads)
        if (t->st == state::blocked && t->waits == wait_kind::cond && t->on == cond) waiters.push_back(t.get());
    if (waiters.empty()) return;
    progress();  // a notify that wakes a thread
    if (all) {
        for (thread_rec* t : waiters) wake(t);
    } else {
        wake(pick_waiter(waiters));  // POSIX wakes "at least one" of them, any one: the schedule picks
    }
}

int futex_wait(const void* word, int expected, const deadline* until, const void* caller) {
    point("futex wait", word, false);
    if (*static_cast<const volatile int*>(word) != expected) return EAGAIN;
    return block(wait_kind::futex, word, until, caller) ? ETIMEDOUT : 0;
}

namespace {
semaphore_state& find_semaphore(const void* sem, int initial) {
    for (semaphore_state& st : w().semaphores)
        if (st.sem == sem) return st;
    w().semaphores.push_back({sem, initial});
    return w().semaphores.back();
}
}  // namespace
bool semaphore_wait(const void* sem, int initial, const deadline* until, const void* caller) {
    point("semaphore wait", sem, false);
    for (;;) {
        semaphore_state& st = find_semaphore(sem, initial);
        if (st.count > 0) {
            --st.count;
            progress();
            return true;
        }
        if (block(wait_kind::semaphore, sem, until, caller)) return false;
    }
}
bool semaphore_trywait(const void* sem, int initial) {
    point("semaphore trywait", sem, false);
    semaphore_state& st = find_semaphore(sem, initial);
    if (st.count == 0) return false;
    progress();
    --st.count;
    return true;
}
void semaphore_post(const void* sem, int initial) {
    ++find_semaphore(sem, initial).count;
    // Every waiter retries; the schedule decides which one gets the count.
    for (const auto& t : w().threads)
        if (t->st == state::blocked && t->waits == wait_kind::semaphore && t->on == sem) wake(t.get());
    point("semaphore post", sem, true);
}
void semaphore_forget(const void* sem) {
    auto& all = w().semaphores;
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].sem == sem) {
            all.erase(all.begin() + static_cast<std::ptrdiff_t>(i));
            return;
        }
}
namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;

std::int64_t to_ns(const timespec& t) { return static_cast<std::int64_t>(t.tv_sec) * ns_per_s + t.tv_nsec; }

timespec from_ns(std::int64_t ns) {
    timespec t{};
    t.tv_sec = static_cast<time_t>(ns / ns_per_s);
    t.tv_nsec = static_cast<long>(ns % ns_per_s);
    return t;
}

// The base of a clock the runtime keeps virtual; null for the others (CPU-time clocks).
const timespec* base_of(clockid_t clock) {
    switch (clock) {
        case CLOCK_REALTIME:
        case CLOCK_REALTIME_COARSE: return &w().realtime_base;
        case CLOCK_MONOTONIC:
        case CLOCK_MONOTONIC_RAW:
        case CLOCK_MONOTONIC_COARSE:
        case CLOCK_BOOTTIME: return &w().monotonic_base;
        default: return nullptr;
    }
}

}  // namespace

deadline deadline_at(clockid_t clock, const timespec& absolute) {
    const timespec* base = base_of(clock);
    return base == nullptr ? w().now : std::max(w().now, to_ns(absolute) - to_ns(*base));
}

deadline deadline_after(const timespec& relative) { return w().now + std::max<std::int64_t>(0, to_ns(relative)); }

bool read_clock(clockid_t clock, timespec* out) {
    const timespec* base = base_of(clock);
    if (base == nullptr) return false;
    *out = from_ns(to_ns(*base) + w().now);
    return true;
}

void sleep_for(const timespec& duration) {
    sleep_point();
    w().now += std::max<std::int64_t>(0, to_ns(duration));
    time_passed();
}

int futex_wake(const void* word, int count) {
    point("futex wake", word, false);
    int woken = 0;
    for (const auto& t : w().threads)
        if (woken < count && t->st == state::blocked && t->waits == wait_kind::futex && t->on == word) {
            wake(t.get());
            ++woken;
        }
    if (woken > 0) progress();
    return woken;
}

}  // namespace detail

void fail(const std::string& message) { fail("check", message); }

void fail(const std::string& kind, const std::string& message) {
    if (detail::active()) detail::finish(verdict::failed, message, kind);
    std::fprintf(stderr, "controlled::fail outside an execution: %s\n", message.c_str());
    std::abort();
}

}  // namespace chancheck::controlled
