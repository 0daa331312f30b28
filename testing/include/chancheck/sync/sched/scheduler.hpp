// chancheck/sync/sched/scheduler.hpp — a deterministic scheduler for the sched_sync policy.
//
// The idea of folly's DeterministicSchedule and of CHESS (Musuvathi & Qadeer): run a
// program's threads one at a time and decide, at every synchronization operation, which
// thread goes next. The decisions come from a `schedule` (schedule.hpp), so the same
// schedule always replays the same interleaving, and memory is sequentially consistent by
// construction (weak-memory bugs are Relacy's job, see models/).
//
// Threads are fibers (POSIX ucontext) on the calling OS thread. That makes a switch cheap and
// lets a failing run simply stop: the scheduler jumps back to `run`'s caller and abandons the
// fibers without unwinding them — a deadlocked thread can never be joined, and its objects
// are in an unknown state, so they are deliberately leaked rather than destroyed.
//
// Besides choosing interleavings the scheduler
//   - simulates time: a timed wait may time out whenever the schedule picks it (random walk)
//     or once nothing else can run (PCT); the virtual clock then jumps to its deadline;
//   - simulates spurious wake-ups of untimed condition-variable waits (random walk);
//   - detects deadlock (every live thread blocked), listing each blocked operation;
//   - detects busy waiting: a thread that spins `busy_wait_spins` times in a row while no
//     other thread can run is waiting for something only it could change, and should park;
//     and when every runnable thread spins — `busy_wait_spins` spins each with no write to
//     shared state, lock, notify or finished thread in between — they wait for each other:
//     time passes (the earliest timed wait times out) if anyone waits with a deadline,
//     otherwise that is busy waiting too (spinners that would park would be a deadlock);
//   - tracks every object the channel allocates through the policy: a second destroy is a
//     double free, an object never destroyed is a leak, and an atomic, cell, mutex or condvar
//     touched after its destruction is a use after free (destroyed memory is kept, poisoned,
//     until the run ends, so the check reads valid memory);
//   - lets a guide take the decisions instead of the schedule (options.guide): the
//     exhaustive search (search.hpp) sees each decision's candidates and each access to
//     shared state, and picks. A guide picks among the random walk's candidates in the
//     random walk's order, without spurious wake-ups, so the indices it picked, written as
//     a random-walk schedule, replay the run.
#pragma once

#include <ucontext.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "chancheck/sync/sched/schedule.hpp"

namespace chancheck::sched {

// One access to shared state by the running thread: an atomic, a mutex, a condition variable,
// or the destruction of an object made through the policy (its whole size). Addresses differ
// from run to run (the heap, the fibers' stacks), so an access names its memory by where it
// lies: in the n-th object made through the policy, on thread t's stack, or elsewhere (the
// address itself). An object is named by the thread that made it and how many it had made
// before, so its name does not depend on what other threads made meanwhile.
struct access {
    enum class where : std::uint8_t { elsewhere, stack, made };
    where in = where::elsewhere;
    std::uint32_t owner = 0;   // stack: its thread; made: the thread that made it (~0u: set-up)
    std::uint64_t number = 0;  // made: the owner's n-th object
    std::uint64_t offset = 0;  // within the region (elsewhere: the address)
    std::size_t size = 0;
    bool write = false;

    bool same_region(const access& o) const { return in == o.in && owner == o.owner && number == o.number; }
};

// Takes the decisions of a run in place of its schedule (scheduler::options::guide).
class decision_guide {
public:
    // A decision among the threads that can go on, in the random walk's order: index 0 is
    // the running thread when it can go on and is not spinning. `running` is the thread
    // that ran last (no thread: ~0u); `spins`, when it stopped at a spin or yield, how many
    // it made in a row since another thread last ran, this one included (0: it did not spin).
    // Returns an index into `threads`.
    virtual std::size_t choose_thread(const std::vector<unsigned>& threads, unsigned running, unsigned spins) = 0;
    // A choice that is not about threads (notify_one's waiter, select's starting arm): 0..n-1.
    virtual std::size_t choose_value(std::size_t n) = 0;
    // The running thread accessed shared state.
    virtual void accessed(const access& a) = 0;

protected:
    ~decision_guide() = default;
};

// oracle: the run ended and the program's own judge rejected it (set by the caller, never here).
enum class failure_kind { none, deadlock, busy_wait, step_limit, double_free, use_after_free, memory_leak, misuse, exception, oracle };

inline const char* to_string(failure_kind k) noexcept {
    switch (k) {
        case failure_kind::none: return "none";
        case failure_kind::deadlock: return "deadlock";
        case failure_kind::busy_wait: return "busy_wait";
        case failure_kind::step_limit: return "step_limit";
        case failure_kind::double_free: return "double_free";
        case failure_kind::use_after_free: return "use_after_free";
        case failure_kind::memory_leak: return "memory_leak";
        case failure_kind::misuse: return "misuse";
        case failure_kind::exception: return "exception";
        case failure_kind::oracle: return "oracle";
    }
    return "unknown";
}

struct run_outcome {
    failure_kind kind = failure_kind::none;
    std::string message;                  // what failed, with the blocked operations for a deadlock
    std::uint64_t decisions = 0;          // scheduling decisions taken
    std::uint64_t switches = 0;           // decisions that changed the running thread
    std::vector<std::string> last_steps;  // the last context switches, oldest first
    bool ok() const noexcept { return kind == failure_kind::none; }
};

// Where a synchronization operation was called from. std::source_location would do, but
// clang 14 with libstdc++ lacks it; the builtins behind it work on both compilers, and used
// in a default argument they name the caller's line.
struct here {
    const char* file = "";
    unsigned line_number = 0;
    static constexpr here current(const char* f = __builtin_FILE(), unsigned l = __builtin_LINE()) noexcept {
        return here{f, l};
    }
    const char* file_name() const noexcept { return file; }
    unsigned line() const noexcept { return line_number; }
};

inline std::string where(const here& loc) {
    std::string file = loc.file_name();
    const std::size_t cut = file.find("chancheck/");
    if (cut != std::string::npos) file = file.substr(cut);
    return file + ":" + std::to_string(loc.line());
}

class scheduler {
public:
    struct options {
        std::uint64_t max_decisions = 200'000;  // beyond this the run is a livelock
        unsigned busy_wait_spins = 64;
        bool spurious_wakeups = true;           // random walk only
        std::size_t stack_bytes = 256 * 1024;
        decision_guide* guide = nullptr;                 // takes the decisions (random-walk schedules only)
    };

    // Why a blocked thread became runnable again.
    enum class wake { none, notified, timeout, spurious };

    explicit scheduler(schedule s) : scheduler(std::move(s), options{}) {}
    scheduler(schedule s, options o) : schedule_(std::move(s)), options_(o), tail_state_(schedule_.tail_seed) {
        if (active_ != nullptr) throw std::logic_error("chancheck::sched::scheduler: one scheduler at a time per OS thread");
        active_ = this;
    }
    scheduler(const scheduler&) = delete;
    scheduler& operator=(const scheduler&) = delete;

    ~scheduler() {
        active_ = nullptr;
        // After an abandoned run the channel's objects may still point at anything: leak them.
        if (abandoned_) return;
        for (auto& [p, rec] : allocations_) ::operator delete(const_cast<void*>(p), std::align_val_t(rec.align));
    }

    static scheduler* active() noexcept { return active_; }

    // Runs `bodies` as threads 0..n-1 until all finish or the run fails. Before and after,
    // the policy's operations run directly on the calling thread (set-up and tear-down).
    run_outcome run(std::vector<std::function<void()>> bodies) {
        threads_.clear();
        threads_.resize(bodies.size());
        for (std::size_t i = 0; i < bodies.size(); ++i) {
            sim_thread& t = threads_[i];
            t.body = std::move(bodies[i]);
            t.stack.reset(static_cast<char*>(std::malloc(options_.stack_bytes)));
            if (!t.stack) throw std::bad_alloc();
            getcontext(&t.context);
            t.context.uc_stack.ss_sp = t.stack.get();
            t.context.uc_stack.ss_size = options_.stack_bytes;
            t.context.uc_link = &main_context_;
            const auto self = reinterpret_cast<std::uintptr_t>(this);
            makecontext(&t.context, reinterpret_cast<void (*)()>(&scheduler::trampoline), 3,
                        static_cast<unsigned>(self >> 32), static_cast<unsigned>(self & 0xffffffffu),
                        static_cast<unsigned>(i));
        }
        running_ = no_thread;
        if (!threads_.empty()) {
            const unsigned first = decide(/*spinning=*/false);
            if (first != no_thread) {
                running_ = first;
                swapcontext(&main_context_, &threads_[first].context);
            }
        }
        running_ = no_thread;
        if (outcome_.kind != failure_kind::none) abandoned_ = true;
        if (!abandoned_) threads_.clear();  // frees the fiber stacks; an abandoned run keeps them
        outcome_.decisions = decisions_;
        outcome_.switches = switches_;
        outcome_.last_steps.assign(trace_.begin(), trace_.end());
        return outcome_;
    }

    // After tear-down: reports objects made through the policy and never destroyed.
    run_outcome check_leaks() {
        if (outcome_.kind == failure_kind::none) {
            std::string leaked;
            std::size_t count = 0;
            for (const auto& [p, rec] : allocations_)
                if (!rec.destroyed) {
                    ++count;
                    if (count <= 8) leaked += std::string(leaked.empty() ? "" : ", ") + rec.type;
                }
            if (count > 0)
                record_failure(failure_kind::memory_leak, std::to_string(count) + " object(s) made by the channel were never "
                                                          "destroyed: " + leaked + (count > 8 ? ", ..." : ""));
        }
        return outcome_;
    }

    bool failed() const noexcept { return outcome_.kind != failure_kind::none; }
    const run_outcome& outcome() const noexcept { return outcome_; }
    bool in_thread() const noexcept { return running_ != no_thread; }
    unsigned current() const noexcept { return running_; }
    std::int64_t now() const noexcept { return clock_ns_; }

    // What the running thread is doing, for deadlock reports ("t1 op 3: send(1000002)").
    void set_activity(std::string text) {
        if (in_thread()) threads_[running_].activity = std::move(text);
    }

    // ---- hooks for the sched_sync policy ---------------------------------------------------

    // A scheduling point before a synchronization operation.
    void point(const char* what, const here& loc) {
        if (!in_thread()) return;
        switch_to(decide(false), what, loc);
    }

    // An access to shared state by the running thread, for a guide's dependence relation.
    void touch(const void* object, std::size_t size, bool write) {
        if (options_.guide != nullptr && in_thread()) options_.guide->accessed(located(object, size, write));
    }

    // Something changed that a spinning thread may be waiting for (a write to shared state, a
    // lock taken or released, a notify, a thread finished or woken).
    void progress() noexcept { spins_since_progress_ = 0; }

    // A spin or yield: the thread waits for another one's progress.
    void spin_point(const here& loc) {
        if (!in_thread()) return;
        sim_thread& t = threads_[running_];
        if (++t.spins >= options_.busy_wait_spins && !anyone_else_can_run())
            fail(failure_kind::busy_wait, "t" + std::to_string(running_) + " (" + t.activity + ") spun " +
                                              std::to_string(t.spins) + " times at " + where(loc) +
                                              " while every other thread was blocked or finished: a blocked "
                                              "operation must park, not poll");
        if (++spins_since_progress_ >= options_.busy_wait_spins * std::max<std::uint64_t>(1, runnable_count())) {
            // Every runnable thread spins, waiting for another: time passes for a timed waiter,
            // else nobody will ever change what they poll.
            if (!fire_earliest_timeout()) {
                std::string who;
                for (unsigned i = 0; i < threads_.size(); ++i)
                    if (threads_[i].st == state::runnable)
                        who += "\n  t" + std::to_string(i) + (threads_[i].activity.empty() ? "" : " (" + threads_[i].activity + ")");
                fail(failure_kind::busy_wait, std::to_string(spins_since_progress_) + " spins (the last at " + where(loc) +
                                                  ") with no write, lock, notify or finished thread in between: every "
                                                  "runnable thread polls for another's progress, and a blocked operation "
                                                  "must park, not poll; spinning:" + who);
            }
            spins_since_progress_ = 0;
        }
        if (schedule_.kind == policy::pct) demote(running_);
        switch_to(decide(true), "spin", loc);
    }

    // Blocks the running thread on `object` until made runnable; returns why it woke.
    wake block(const void* object, bool is_mutex, const std::int64_t* deadline, const here& loc) {
        if (!in_thread()) {
            record_failure(failure_kind::deadlock, std::string("a blocking ") + (is_mutex ? "lock" : "wait") + " at " +
                                                       where(loc) + " outside the program's threads (set-up or tear-down) "
                                                       "would wait forever");
            return wake::timeout;
        }
        sim_thread& t = threads_[running_];
        if (deadline != nullptr && *deadline <= clock_ns_) return wake::timeout;  // already expired
        t.st = is_mutex ? state::blocked_on_mutex : state::blocked_on_condvar;
        t.waiting_on = object;
        t.timed = deadline != nullptr;
        t.deadline = deadline != nullptr ? *deadline : 0;
        t.blocked_at = loc;
        t.woken = wake::none;
        t.wait_order = ++wait_counter_;
        switch_to(decide(false), is_mutex ? "block on mutex" : "wait", loc);
        // Waking is this thread's first access after the wait: a notify or a timeout wrote
        // the condition variable's waiter list, a release the mutex.
        touch(object, 1, !is_mutex);
        return t.woken;
    }

    // Makes every thread blocked on mutex `m` runnable (they retry the lock).
    void release_mutex_waiters(const void* m) {
        for (sim_thread& t : threads_)
            if (t.st == state::blocked_on_mutex && t.waiting_on == m) t.st = state::runnable;
    }

    // Wakes one (by the schedule's choice) or all waiters of condvar `cv`.
    void notify(const void* cv, bool all) {
        std::vector<unsigned> waiters;
        for (unsigned i = 0; i < threads_.size(); ++i)
            if (threads_[i].st == state::blocked_on_condvar && threads_[i].waiting_on == cv) waiters.push_back(i);
        if (waiters.empty()) return;
        std::sort(waiters.begin(), waiters.end(),
                  [&](unsigned a, unsigned b) { return threads_[a].wait_order < threads_[b].wait_order; });
        if (all) {
            for (unsigned i : waiters) wake_up(i, wake::notified);
        } else {
            wake_up(waiters[pick_index(waiters.size())], wake::notified);
        }
    }

    // A choice that is not about threads (select's starting arm).
    std::size_t pick_index(std::size_t n) {
        if (n <= 1) return 0;
        if (options_.guide != nullptr && schedule_.kind == policy::random_walk) return options_.guide->choose_value(n);
        return next_choice() % n;
    }

    // Aborts the run: never returns when called from a program thread.
    [[noreturn]] void fail(failure_kind kind, std::string message) {
        record_failure(kind, std::move(message));
        if (in_thread()) {
            const unsigned me = running_;
            running_ = no_thread;
            swapcontext(&threads_[me].context, &main_context_);
        }
        std::abort();  // unreachable: an abandoned fiber is never resumed
    }

    // Outside a program thread a failure cannot stop anything: it is recorded (first wins).
    void record_failure(failure_kind kind, std::string message) {
        if (outcome_.kind != failure_kind::none) return;
        outcome_.kind = kind;
        outcome_.message = std::move(message);
    }

    // ---- allocation tracking ---------------------------------------------------------------

    template <class U, class... Args>
    U* make(Args&&... args) {
        void* p = ::operator new(sizeof(U), std::align_val_t(alignof(U)));
        U* obj = ::new (p) U(std::forward<Args>(args)...);
        allocations_[p] = allocation{alignof(U), false, type_name<U>()};
        if (options_.guide != nullptr) note_made(p, sizeof(U));
        return obj;
    }

    template <class U>
    void destroy(U* p, const here& loc) {
        if (p == nullptr) return;
        auto it = allocations_.find(p);
        if (it == allocations_.end())
            fail_or_record(failure_kind::misuse, "destroy at " + where(loc) + " of an object the channel never made");
        else if (it->second.destroyed)
            fail_or_record(failure_kind::double_free, std::string("a ") + it->second.type + " destroyed twice, the second time at " +
                                                          where(loc));
        else {
            it->second.destroyed = true;
            touch(p, sizeof(U), /*write=*/true);
            p->~U();  // the memory stays (poisoned by the destructors) until the scheduler goes
        }
    }

    template <class U>
    U* make_array(std::size_t n) {
        const std::size_t count = n == 0 ? 1 : n;
        void* p = ::operator new(sizeof(U) * count, std::align_val_t(alignof(U)));
        U* first = static_cast<U*>(p);
        for (std::size_t i = 0; i < n; ++i) ::new (first + i) U();
        allocations_[p] = allocation{alignof(U), false, type_name<U[]>()};
        if (options_.guide != nullptr) note_made(p, sizeof(U) * count);
        return first;
    }

    template <class U>
    void destroy_array(U* p, std::size_t n, const here& loc) {
        if (p == nullptr) return;
        auto it = allocations_.find(p);
        if (it == allocations_.end() || it->second.destroyed) {
            fail_or_record(it == allocations_.end() ? failure_kind::misuse : failure_kind::double_free,
                           "array destroyed twice or never made, at " + where(loc));
            return;
        }
        it->second.destroyed = true;
        touch(p, sizeof(U) * n, /*write=*/true);
        for (std::size_t i = 0; i < n; ++i) p[i].~U();
    }

    void fail_or_record(failure_kind kind, std::string message) {
        if (in_thread()) fail(kind, std::move(message));
        record_failure(kind, std::move(message));
    }

private:
    static constexpr unsigned no_thread = ~0u;
    enum class state { runnable, blocked_on_mutex, blocked_on_condvar, finished };

    struct free_deleter {
        void operator()(char* p) const noexcept { std::free(p); }
    };

    struct sim_thread {
        std::function<void()> body;
        std::unique_ptr<char, free_deleter> stack;
        ucontext_t context{};
        state st = state::runnable;
        const void* waiting_on = nullptr;
        bool timed = false;
        std::int64_t deadline = 0;
        here blocked_at{};
        wake woken = wake::none;
        std::uint64_t wait_order = 0;
        unsigned spins = 0;
        int priority = 0;  // pct
        std::string activity;
    };

    struct allocation {
        std::size_t align;
        bool destroyed;
        const char* type;
    };

    struct candidate {
        unsigned thread;
        wake how;  // none: just run it; timeout / spurious: wake it that way first
    };

    template <class U>
    static const char* type_name() {
        return __PRETTY_FUNCTION__;  // "... [with U = T]": names the leaked type in reports
    }

    static void trampoline(unsigned hi, unsigned lo, unsigned index) {
        auto* self = reinterpret_cast<scheduler*>((static_cast<std::uintptr_t>(hi) << 32) | lo);
        self->thread_main(index);
    }

    void thread_main(unsigned index) {
        try {
            threads_[index].body();
        } catch (const std::exception& e) {
            fail(failure_kind::exception, "t" + std::to_string(index) + " threw: " + e.what());
        } catch (...) {
            fail(failure_kind::exception, "t" + std::to_string(index) + " threw a non-standard exception");
        }
        threads_[index].st = state::finished;
        progress();
        const unsigned next = decide(false);
        if (next == no_thread) {  // everyone finished
            running_ = no_thread;
            swapcontext(&threads_[index].context, &main_context_);
        }
        switch_to(next, "finish", here::current());
        std::abort();  // a finished thread is never resumed
    }

    std::uint64_t runnable_count() const {
        std::uint64_t n = 0;
        for (const sim_thread& t : threads_) n += t.st == state::runnable ? 1 : 0;
        return n;
    }

    // Wakes the timed waiter with the earliest deadline by its timeout; false if there is none.
    bool fire_earliest_timeout() {
        unsigned earliest = no_thread;
        for (unsigned i = 0; i < threads_.size(); ++i) {
            const sim_thread& t = threads_[i];
            if (t.st == state::blocked_on_condvar && t.timed && (earliest == no_thread || t.deadline < threads_[earliest].deadline))
                earliest = i;
        }
        if (earliest == no_thread) return false;
        wake_up(earliest, wake::timeout);
        return true;
    }

    bool anyone_else_can_run() const {
        for (unsigned i = 0; i < threads_.size(); ++i) {
            if (i == running_) continue;
            const sim_thread& t = threads_[i];
            if (t.st == state::runnable || (t.st == state::blocked_on_condvar && t.timed)) return true;
        }
        return false;
    }

    std::uint8_t next_choice() {
        if (choice_cursor_ < schedule_.choices.size()) return schedule_.choices[choice_cursor_++];
        ++choice_cursor_;
        if (schedule_.kind == policy::random_walk && schedule_.tail_seed != 0)
            return static_cast<std::uint8_t>(splitmix64(tail_state_) >> 56);
        return 0;
    }

    void wake_up(unsigned i, wake how) {
        progress();
        sim_thread& t = threads_[i];
        t.st = state::runnable;
        t.woken = how;
        t.waiting_on = nullptr;
        if (how == wake::timeout) clock_ns_ = std::max(clock_ns_, t.deadline);
    }

    void demote(unsigned i) {
        threads_[i].priority = --lowest_priority_;
    }

    int initial_priority(unsigned i) const {
        // Distinct priorities above every demoted one: the schedule's byte, ties broken by index.
        const int p = i < schedule_.priorities.size() ? schedule_.priorities[i] : 0;
        return 1'000'000 + p * 16 + static_cast<int>(i);
    }

    void note_made(const void* p, std::size_t size) {
        const std::uint32_t owner = in_thread() ? running_ : ~0u;
        made_[static_cast<const char*>(p)] = made{size, owner, made_by_[owner]++};
    }

    // Where an access lies, in names that do not depend on the run's addresses (access).
    access located(const void* object, std::size_t size, bool write) const {
        const auto* at = static_cast<const char*>(object);
        access a;
        a.size = size;
        a.write = write;
        auto it = made_.upper_bound(at);
        if (it != made_.begin()) {
            --it;
            if (at < it->first + it->second.size) {
                a.in = access::where::made;
                a.owner = it->second.owner;
                a.number = it->second.number;
                a.offset = static_cast<std::uint64_t>(at - it->first);
                return a;
            }
        }
        for (std::size_t i = 0; i < threads_.size(); ++i) {
            const char* base = threads_[i].stack.get();
            if (base != nullptr && at >= base && at < base + options_.stack_bytes) {
                a.in = access::where::stack;
                a.owner = static_cast<std::uint32_t>(i);
                a.offset = static_cast<std::uint64_t>(at - base);
                return a;
            }
        }
        a.offset = reinterpret_cast<std::uintptr_t>(object);
        return a;
    }

    // Chooses the next thread to run (or no_thread when all finished); fails on deadlock.
    unsigned decide(bool spinning) {
        if (++decisions_ > options_.max_decisions)
            fail_or_record(failure_kind::step_limit, "no end after " + std::to_string(options_.max_decisions) +
                                                          " scheduling decisions (a livelock?)");
        if (!priorities_set_) {
            for (unsigned i = 0; i < threads_.size(); ++i) threads_[i].priority = initial_priority(i);
            priorities_set_ = true;
        }
        std::vector<candidate> runnable;
        const bool current_runnable = running_ != no_thread && threads_[running_].st == state::runnable;
        if (current_runnable && !spinning) runnable.push_back({running_, wake::none});
        for (unsigned i = 0; i < threads_.size(); ++i)
            if (i != running_ && threads_[i].st == state::runnable) runnable.push_back({i, wake::none});
        if (current_runnable && spinning) runnable.push_back({running_, wake::none});  // a spinner goes last

        std::vector<candidate> wakeable;  // timeouts, spurious wake-ups
        for (unsigned i = 0; i < threads_.size(); ++i) {
            const sim_thread& t = threads_[i];
            if (t.st != state::blocked_on_condvar) continue;
            if (t.timed) wakeable.push_back({i, wake::timeout});
            else if (options_.spurious_wakeups && schedule_.kind == policy::random_walk) wakeable.push_back({i, wake::spurious});
        }

        candidate chosen{no_thread, wake::none};
        if (options_.guide != nullptr && schedule_.kind == policy::random_walk) {
            chosen = guided_choice(runnable, wakeable, current_runnable && spinning ? threads_[running_].spins : 0);
        } else if (schedule_.kind == policy::random_walk) {
            std::vector<candidate> all = runnable;
            // Spurious wake-ups are possible but rare: they enter the draw only when the choice
            // byte is in its top 1/16, so most schedules exercise the plain protocol.
            // A spurious wake-up never rescues a run where nothing else can happen: a real
            // program cannot count on one, so that state is a deadlock.
            const std::uint8_t c = runnable.empty() && wakeable.empty() ? 0 : next_choice();
            bool can_progress = !runnable.empty();
            for (const candidate& w : wakeable)
                if (w.how == wake::timeout) {
                    all.push_back(w);
                    can_progress = true;
                }
            if (can_progress && c >= 240)
                for (const candidate& w : wakeable)
                    if (w.how == wake::spurious) all.push_back(w);
            if (!all.empty()) chosen = all[c % all.size()];
        } else {
            ++pct_step_;
            if (running_ != no_thread &&
                std::find(schedule_.change_points.begin(), schedule_.change_points.end(), pct_step_) != schedule_.change_points.end())
                demote(running_);
            for (const candidate& r : runnable)
                if (chosen.thread == no_thread || threads_[r.thread].priority > threads_[chosen.thread].priority) chosen = r;
            if (chosen.thread == no_thread) {
                // Time passes only when no thread can run: the earliest deadline fires first.
                for (const candidate& w : wakeable)
                    if (w.how == wake::timeout &&
                        (chosen.thread == no_thread || threads_[w.thread].deadline < threads_[chosen.thread].deadline))
                        chosen = w;
            }
        }

        if (chosen.thread == no_thread) {
            bool all_finished = true;
            for (const sim_thread& t : threads_) all_finished = all_finished && t.st == state::finished;
            if (all_finished) return no_thread;
            fail_or_record(failure_kind::deadlock, deadlock_report());
            return no_thread;
        }
        if (chosen.how != wake::none) wake_up(chosen.thread, chosen.how);
        return chosen.thread;
    }

    // The random walk's candidates without spurious wake-ups (choice bytes below 240),
    // picked by the guide.
    candidate guided_choice(const std::vector<candidate>& runnable, const std::vector<candidate>& wakeable, unsigned spins) {
        std::vector<candidate> all = runnable;
        for (const candidate& w : wakeable)
            if (w.how == wake::timeout) all.push_back(w);
        if (all.empty()) return {no_thread, wake::none};
        std::vector<unsigned> threads;
        for (const candidate& c : all) threads.push_back(c.thread);
        const std::size_t i = options_.guide->choose_thread(threads, running_, spins);
        if (i >= all.size()) throw std::logic_error("chancheck::sched::guide chose candidate " + std::to_string(i) + " of " + std::to_string(all.size()));
        return all[i];
    }

    std::string deadlock_report() const {
        std::string s = "deadlock: every live thread is blocked";
        for (unsigned i = 0; i < threads_.size(); ++i) {
            const sim_thread& t = threads_[i];
            if (t.st == state::finished) continue;
            s += "\n  t" + std::to_string(i) + " " + (t.activity.empty() ? "" : "(" + t.activity + ") ") +
                 (t.st == state::blocked_on_mutex ? "waits for a mutex" : "waits on a condition variable") + " at " +
                 where(t.blocked_at);
        }
        return s;
    }

    void switch_to(unsigned next, const char* what, const here& loc) {
        if (next == running_ || next == no_thread) return;
        ++switches_;
        trace_.push_back("decision " + std::to_string(decisions_) + ": t" + std::to_string(running_) + " -> t" +
                         std::to_string(next) + " at " + what + " (" + where(loc) + ")");
        if (trace_.size() > 24) trace_.pop_front();
        const unsigned me = running_;
        running_ = next;
        threads_[next].spins = 0;  // others ran since it last spun
        swapcontext(&threads_[me].context, &threads_[next].context);
    }

    static inline thread_local scheduler* active_ = nullptr;

    schedule schedule_;
    options options_;
    std::uint64_t tail_state_;
    std::size_t choice_cursor_ = 0;
    std::vector<sim_thread> threads_;
    ucontext_t main_context_{};
    unsigned running_ = no_thread;
    std::int64_t clock_ns_ = 0;
    std::uint64_t decisions_ = 0;
    std::uint64_t switches_ = 0;
    std::uint64_t wait_counter_ = 0;
    std::uint32_t pct_step_ = 0;
    std::uint64_t spins_since_progress_ = 0;
    int lowest_priority_ = 0;
    bool priorities_set_ = false;
    bool abandoned_ = false;
    run_outcome outcome_;
    std::deque<std::string> trace_;
    std::unordered_map<const void*, allocation> allocations_;
    struct made {
        std::size_t size;
        std::uint32_t owner;   // the thread that made it (~0u: set-up)
        std::uint64_t number;  // its owner's n-th object
    };
    std::map<const char*, made> made_;                       // with a guide: for access names
    std::unordered_map<std::uint32_t, std::uint64_t> made_by_;  // objects made so far, per thread
};

}  // namespace chancheck::sched
