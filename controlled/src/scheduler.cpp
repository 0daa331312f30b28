// controlled/src/scheduler.cpp — the baton scheduler (scheduler.hpp) and explore()
// (explore.hpp): one execution per forked child, a random walk over the runnable threads at
// every scheduling point, replay from the recorded choices, deadlock and runaway detection.
#include "scheduler.hpp"

#include <dlfcn.h>
#include <execinfo.h>
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
#include <string>
#include <vector>

#include "chancheck/controlled/explore.hpp"

namespace chancheck::controlled {

const char* to_string(verdict v) {
    switch (v) {
        case verdict::pass: return "pass";
        case verdict::deadlock: return "deadlock";
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
};

struct mutex_state {
    const void* mutex;
    thread_rec* owner;
    unsigned depth;
};

struct semaphore_state {
    const void* sem;
    long count;
};

struct world {
    bool running = false;
    std::vector<std::unique_ptr<thread_rec>> threads;
    std::vector<mutex_state> mutexes;
    std::vector<semaphore_state> semaphores;
    std::uint64_t rng = 0;
    std::uint64_t steps = 0;
    std::uint64_t max_steps = 0;
    std::string schedule;
    std::vector<unsigned> replay;
    std::size_t replay_at = 0;
    bool replaying = false;
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

using create_fn = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
create_fn real_create() {
    static const auto fn = reinterpret_cast<create_fn>(dlsym(RTLD_NEXT, "pthread_create"));
    return fn;
}

// The execution ends here, whichever thread sees it: the result goes to the parent and the
// child process exits without running anything else (the other threads stay parked).
[[noreturn]] void finish(verdict v, const std::string& message) {
    const world& s = w();
    std::string out = std::string(to_string(v)) + "\n" + std::to_string(s.steps) + "\n" + s.schedule + "\n" + message;
    const char* p = out.data();
    std::size_t left = out.size();
    while (left > 0) {
        const ssize_t n = ::write(s.result_fd, p, left);
        if (n <= 0) break;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    ::_exit(0);
}

// A code address as "module+0xoffset" (the parent turns it into function and source line:
// symbolize()). A return address points after its call: one byte back is inside it.
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

// The schedule's choice among `candidates` (more than one: a decision, recorded).
thread_rec* choose(const std::vector<thread_rec*>& candidates) {
    world& s = w();
    if (candidates.size() == 1) return candidates[0];
    thread_rec* chosen = nullptr;
    if (s.replaying) {
        if (s.replay_at >= s.replay.size())
            finish(verdict::diverged, "the replayed schedule ends at decision " + std::to_string(s.replay_at) +
                                          " but the execution goes on: it does not follow the recorded run");
        const unsigned id = s.replay[s.replay_at++];
        for (thread_rec* t : candidates)
            if (t->id == id) chosen = t;
        if (chosen == nullptr) {
            std::string ids;
            for (thread_rec* t : candidates) ids += (ids.empty() ? "" : ", ") + std::to_string(t->id);
            finish(verdict::diverged, "decision " + std::to_string(s.replay_at - 1) + " of the replayed schedule names thread " +
                                          std::to_string(id) + ", but the threads that can run are " + ids +
                                          ": something the runtime does not control (a clock, I/O, an uninstrumented "
                                          "synchronization) changed the execution");
        }
    } else if (s.depth > 0) {
        const auto highest = [&] {
            thread_rec* best = nullptr;
            for (thread_rec* t : candidates)
                if (best == nullptr || s.priority[t->id] > s.priority[best->id]) best = t;
            return best;
        };
        chosen = highest();
        // A thread that has run this many points in a row while others could run spins on
        // something only they can change (a spin hint is no scheduling point): it drops below
        // every other, as a yield would make it.
        s.run_length = chosen->id == s.last_chosen ? s.run_length + 1 : 0;
        s.last_chosen = chosen->id;
        if (s.run_length >= spin_bound) {
            s.priority[chosen->id] = s.lowest_priority--;
            s.run_length = 0;
            chosen = highest();
            s.last_chosen = chosen->id;
        }
    } else {
        chosen = candidates[next_random() % candidates.size()];
    }
    s.schedule += (s.schedule.empty() ? "" : ".") + std::to_string(chosen->id);
    return chosen;
}

std::vector<thread_rec*> runnable() {
    std::vector<thread_rec*> out;
    for (const auto& t : w().threads)
        if (t->st == state::runnable) out.push_back(t.get());
    return out;
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
    real_sem_post(&to->baton);  // pairs with park() in `to`: everything `from` did happens before `to` runs
    if (from->st != state::finished) park(from);
}

// `from` cannot run (blocked or finished): the baton goes to a runnable thread; with none, the
// timed wait with the earliest deadline times out and virtual time moves to its deadline; with
// none of those either, the execution is deadlocked.
void dispatch_away(thread_rec* from) {
    std::vector<thread_rec*> next = runnable();
    if (next.empty()) {
        std::vector<thread_rec*> earliest;
        for (const auto& t : w().threads) {
            if (t->st != state::blocked || !t->timed) continue;
            if (!earliest.empty() && t->until > earliest[0]->until) continue;
            if (!earliest.empty() && t->until < earliest[0]->until) earliest.clear();
            earliest.push_back(t.get());
        }
        if (earliest.empty()) finish(verdict::deadlock, blocked_threads());
        thread_rec* t = choose(earliest);
        w().now = std::max(w().now, t->until);
        t->timed_out = true;
        t->st = state::runnable;
        next.push_back(t);
    }
    hand_over(from, choose(next));
}

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
            w().mutexes.push_back({m, self, depth});
            return;
        }
        if (ms->owner == nullptr) {
            ms->owner = self;
            ms->depth = depth;
            return;
        }
        if (ms->owner == self) {
            if (!recursive) finish(verdict::deadlock, "thread " + std::to_string(self->id) + " locks a mutex it already holds, at " + where(caller) + "\n");
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

void* trampoline(void* p) {
    auto* me = static_cast<thread_rec*>(p);
    self = me;
    park(me);  // until the schedule first picks this thread
    void* result = me->start(me->arg);
    // The end of the thread: joiners may go on. Thread-local destructors run after this,
    // outside the schedule (self is cleared: their operations are the real ones).
    me->st = state::finished;
    for (const auto& t : w().threads)
        if (t->st == state::blocked && ((t->waits == wait_kind::join && t->on == me) || t->waits == wait_kind::all_threads))
            wake(t.get());
    self = nullptr;
    dispatch_away(me);
    return result;
}

std::vector<unsigned> parse_schedule(const std::string& text) {
    std::vector<unsigned> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t dot = text.find('.', at);
        const std::string part = text.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
        if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 6) {
            std::fprintf(stderr, "controlled: bad schedule '%s': expected thread numbers separated by dots (0.1.1.0)\n", text.c_str());
            std::exit(2);
        }
        out.push_back(static_cast<unsigned>(std::stoul(part)));
        if (dot == std::string::npos) break;
        at = dot + 1;
    }
    return out;
}

[[noreturn]] void run_execution(const std::function<void()>& body, std::uint64_t seed, const options& o, unsigned depth,
                                std::uint64_t expected_steps, int fd) {
    world& s = w();
    s.result_fd = fd;
    s.rng = seed;
    s.max_steps = o.max_steps;
    s.depth = depth;
    if (depth > 0) {
        // The change points, uniform over the steps an execution is expected to take.
        for (unsigned i = 0; i + 1 < depth; ++i) s.change_points.push_back(1 + next_random() % std::max<std::uint64_t>(1, expected_steps));
        s.priority.push_back((1ull << 22) + next_random() % (1ull << 40));  // the main thread's
    }
    // The real clocks, read before any interposed clock_gettime can answer with virtual time.
    static const auto real_clock = reinterpret_cast<int (*)(clockid_t, timespec*)>(dlsym(RTLD_NEXT, "clock_gettime"));
    real_clock(CLOCK_REALTIME, &s.realtime_base);
    real_clock(CLOCK_MONOTONIC, &s.monotonic_base);
    if (o.replay) {
        s.replaying = true;
        s.replay = parse_schedule(*o.replay);
    }
    auto main_thread = std::make_unique<thread_rec>();
    sem_init(&main_thread->baton, 0, 0);
    main_thread->handle = pthread_self();
    self = main_thread.get();
    s.threads.push_back(std::move(main_thread));
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
    finish(verdict::pass, "");
}

}  // namespace

bool active() { return self != nullptr && !inside_runtime && w().running; }

namespace {
thread_local unsigned ignored = 0;  // depth of the calling thread's ignored regions
}  // namespace

void ignore(bool begin) {
    if (begin) ++ignored;
    else if (ignored > 0) --ignored;
}

void point(const char*, const void*) {
    if (!active() || ignored > 0) return;
    world& s = w();
    if (++s.steps > s.max_steps)
        finish(verdict::step_limit, "more than " + std::to_string(s.max_steps) +
                                        " scheduling points: a livelock or a busy wait that never yields to progress\n" + blocked_threads());
    for (std::size_t i = 0; i < s.change_points.size(); ++i)
        if (s.change_points[i] == s.steps) s.priority[self->id] = (1ull << 21) + i;  // below every initial priority
    hand_over(self, choose(runnable()));
}

// A yield is a scheduling point like any other, also under PCT: a spin-wait that yields a few
// times before it parks must be able to run out its spins while the thread it waits for stands
// still (that is how a lost wake-up shows). A spin that never ends is caught by spin_bound.
void yield(const char* what) { point(what, nullptr); }

namespace {
// Under PCT a sleeping thread drops below every other: it asked to let the others run.
void sleep_point() {
    world& s = w();
    if (active() && s.depth > 0) s.priority[self->id] = s.lowest_priority--;
    point("sleep", nullptr);
}
}  // namespace

void* start_thread(pthread_t* handle, const pthread_attr_t* attr, void* (*start)(void*), void* arg, int* error) {
    auto rec = std::make_unique<thread_rec>();
    rec->id = static_cast<unsigned>(w().threads.size());
    rec->start = start;
    rec->arg = arg;
    sem_init(&rec->baton, 0, 0);
    thread_rec* t = rec.get();
    w().threads.push_back(std::move(rec));
    if (w().depth > 0) w().priority.push_back((1ull << 22) + next_random() % (1ull << 40));
    *error = real_create()(handle, attr, &trampoline, t);
    if (*error != 0) {
        t->st = state::finished;
        return nullptr;
    }
    t->handle = *handle;
    point("thread start", t);
    return t;
}

void before_join(pthread_t handle, const void* caller) {
    thread_rec* target = nullptr;
    for (const auto& t : w().threads)
        if (t.get() != self && pthread_equal(t->handle, handle)) target = t.get();
    if (target == nullptr) return;
    point("join", target);
    while (target->st != state::finished) block(wait_kind::join, target, nullptr, caller);
}

void mutex_lock(const void* mutex, bool recursive, const void* caller) {
    point("mutex lock", mutex);
    acquire(mutex, recursive, 1, caller);
}

bool mutex_trylock(const void* mutex, bool recursive) {
    point("mutex trylock", mutex);
    mutex_state* ms = find_mutex(mutex);
    if (ms != nullptr && ms->owner != nullptr && !(ms->owner == self && recursive)) return false;
    acquire(mutex, recursive, 1, nullptr);
    return true;
}

void mutex_unlock(const void* mutex) {
    release(mutex, false);
    point("mutex unlock", mutex);  // a waiter may take it now
}

bool cond_wait(const void* cond, const void* mutex, bool recursive, const deadline* until, const void* caller) {
    point("condition wait", cond);
    const unsigned depth = release(mutex, true);
    const bool timed_out = block(wait_kind::cond, cond, until, caller);
    acquire(mutex, recursive, depth, caller);
    return timed_out;
}

void cond_notify(const void* cond, bool all) {
    point(all ? "notify all" : "notify one", cond);
    std::vector<thread_rec*> waiters;
    for (const auto& t : w().threads)
        if (t->st == state::blocked && t->waits == wait_kind::cond && t->on == cond) waiters.push_back(t.get());
    if (waiters.empty()) return;
    if (all) {
        for (thread_rec* t : waiters) wake(t);
    } else {
        wake(choose(waiters));  // POSIX wakes "at least one" of them, any one: the schedule picks
    }
}

int futex_wait(const void* word, int expected, const deadline* until, const void* caller) {
    point("futex wait", word);
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
    point("semaphore wait", sem);
    for (;;) {
        semaphore_state& st = find_semaphore(sem, initial);
        if (st.count > 0) {
            --st.count;
            return true;
        }
        if (block(wait_kind::semaphore, sem, until, caller)) return false;
    }
}
bool semaphore_trywait(const void* sem, int initial) {
    point("semaphore trywait", sem);
    semaphore_state& st = find_semaphore(sem, initial);
    if (st.count == 0) return false;
    --st.count;
    return true;
}
void semaphore_post(const void* sem, int initial) {
    ++find_semaphore(sem, initial).count;
    // Every waiter retries; the schedule decides which one gets the count.
    for (const auto& t : w().threads)
        if (t->st == state::blocked && t->waits == wait_kind::semaphore && t->on == sem) wake(t.get());
    point("semaphore post", sem);
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
}

int futex_wake(const void* word, int count) {
    point("futex wake", word);
    int woken = 0;
    for (const auto& t : w().threads)
        if (woken < count && t->st == state::blocked && t->waits == wait_kind::futex && t->on == word) {
            wake(t.get());
            ++woken;
        }
    return woken;
}

}  // namespace detail

void fail(const std::string& message) {
    if (detail::active()) detail::finish(verdict::failed, message);
    std::fprintf(stderr, "controlled::fail outside an execution: %s\n", message.c_str());
    std::abort();
}

namespace {

execution parse_result(const std::string& text, std::uint64_t seed) {
    execution e;
    e.seed = seed;
    std::size_t a = text.find('\n');
    std::size_t b = a == std::string::npos ? a : text.find('\n', a + 1);
    std::size_t c = b == std::string::npos ? b : text.find('\n', b + 1);
    if (c == std::string::npos) {
        e.result = verdict::crashed;
        e.message = "the execution ended without a result";
        return e;
    }
    const std::string name = text.substr(0, a);
    for (verdict v : {verdict::pass, verdict::deadlock, verdict::step_limit, verdict::diverged, verdict::uncontrolled,
                      verdict::crashed, verdict::failed})
        if (name == to_string(v)) e.result = v;
    e.steps = std::stoull(text.substr(a + 1, b - a - 1));
    e.schedule = text.substr(b + 1, c - b - 1);
    e.message = text.substr(c + 1);
    return e;
}

// The "at module+0xoffset" lines of a deadlock message as function and source line
// (addr2line, from binutils; one run per module), keeping the frames of the program under
// test: not the runtime's own, not the C and C++ libraries' (whose headers' inlined frames
// are dropped too), at most a few per thread.
std::string symbolize(const std::string& message) {
    constexpr int frames_per_thread = 5;
    constexpr std::size_t longest_name = 150;
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < message.size();) {
        std::size_t end = message.find('\n', at);
        if (end == std::string::npos) end = message.size();
        lines.push_back(message.substr(at, end - at));
        at = end + 1;
    }
    // module -> offset -> its frames, "function (file:line)", innermost first
    std::map<std::string, std::map<std::string, std::vector<std::string>>> frames;
    for (const std::string& line : lines) {
        const std::size_t plus = line.rfind("+0x");
        if (line.rfind("    at ", 0) == 0 && plus != std::string::npos) frames[line.substr(7, plus - 7)][line.substr(plus + 1)];
    }
    for (auto& [module, offsets] : frames) {
        if (module.find("/libc.so") != std::string::npos || module.find("/libstdc++.so") != std::string::npos) continue;
        std::string command = "addr2line -a -C -f -i -e '" + module + "'";
        for (const auto& entry : offsets) command += " " + entry.first;
        FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
        if (p == nullptr) continue;
        std::vector<std::string>* current = nullptr;
        char function[2048], place[1024];
        while (std::fgets(function, sizeof function, p) != nullptr) {
            std::string f(function);
            f.erase(f.find_last_not_of('\n') + 1);
            if (f.rfind("0x", 0) == 0) {  // the next address: strip its zero padding to find it
                const std::size_t digits = f.find_first_not_of('0', 2);
                const std::string key = "0x" + (digits == std::string::npos ? std::string("0") : f.substr(digits));
                current = offsets.count(key) ? &offsets[key] : nullptr;
                continue;
            }
            if (std::fgets(place, sizeof place, p) == nullptr) break;
            std::string l(place);
            l.erase(l.find_last_not_of('\n') + 1);
            if (current == nullptr || l.find("/controlled/src/") != std::string::npos || l.rfind("/usr/", 0) == 0 || l.rfind("??", 0) == 0)
                continue;
            if (f.size() > longest_name) f = f.substr(0, longest_name) + "...";
            current->push_back(f + " (" + l + ")");
        }
        ::pclose(p);
    }
    std::string out;
    int shown = 0;
    for (const std::string& line : lines) {
        const std::size_t plus = line.rfind("+0x");
        if (line.rfind("    at ", 0) != 0 || plus == std::string::npos) {
            out += line + "\n";
            shown = 0;
            continue;
        }
        for (const std::string& frame : frames[line.substr(7, plus - 7)][line.substr(plus + 1)])
            if (shown++ < frames_per_thread) out += "    at " + frame + "\n";
    }
    return out;
}

execution run_in_child(const std::function<void()>& body, std::uint64_t seed, const options& o, unsigned depth,
                       std::uint64_t expected_steps) {
    int fds[2];
    if (pipe(fds) != 0) {
        std::perror("controlled: pipe");
        std::exit(1);
    }
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
        std::perror("controlled: fork");
        std::exit(1);
    }
    if (pid == 0) {
        ::close(fds[0]);
        detail::run_execution(body, seed, o, depth, expected_steps, fds[1]);
    }
    ::close(fds[1]);
    std::string text;
    bool timed_out = false;
    char buffer[4096];
    for (;;) {
        pollfd p{fds[0], POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(o.watchdog_seconds) * 1000);
        if (ready == 0) {
            timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        if (ready < 0 && errno == EINTR) continue;
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n <= 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    execution e;
    e.seed = seed;
    if (timed_out) {
        e.result = verdict::uncontrolled;
        e.message = "no result after " + std::to_string(o.watchdog_seconds) +
                    " s: a thread blocks in a call the runtime does not intercept (see controlled/README.md)";
        return e;
    }
    if (WIFSIGNALED(status) && text.empty()) {
        e.result = verdict::crashed;
        e.message = std::string("the execution died of signal ") + strsignal(WTERMSIG(status));
        return e;
    }
    execution e2 = parse_result(text, seed);
    if (e2.result == verdict::deadlock || e2.result == verdict::step_limit) e2.message = symbolize(e2.message);
    return e2;
}

}  // namespace

exploration explore(const std::function<void()>& body, const options& o) {
    exploration out;
    const unsigned count = o.replay ? 1 : o.executions;
    std::uint64_t expected_steps = 100;  // PCT's k: the longest execution so far
    for (unsigned i = 0; i < count; ++i) {
        unsigned depth = 0;
        if (o.search == strategy::pct) depth = std::max(1u, o.pct_depth);
        if (o.search == strategy::mixed) depth = i % 3 == 0 ? 0 : i % 3 + 1;
        execution e = run_in_child(body, o.seed + i, o, depth, expected_steps);
        e.search = depth == 0 ? "random" : "pct depth " + std::to_string(depth);
        expected_steps = std::max(expected_steps, e.steps);
        ++out.executions;
        if (e.result != verdict::pass) {
            out.failure = std::move(e);
            break;
        }
    }
    return out;
}

}  // namespace chancheck::controlled
