// controlled/src/scheduler.hpp — the baton scheduler behind explore.hpp, as the interposed
// calls (interpose.cpp) and the TSan ABI (tsan_abi.cpp) see it.
//
// Every controlled thread is a real thread with a semaphore of its own; exactly one holds the
// baton and runs, the others wait on their semaphores. A scheduling point asks the schedule
// which runnable thread goes next and hands the baton over. Locks, condition variables,
// futexes and joins are modelled here (the real pthread objects are never touched while a
// controlled execution runs), so a thread that would block instead leaves the runnable set
// and gives the baton away. Only the baton holder reads or writes this state; the semaphores'
// post/wait order every hand-over.
//
// This file is compiled without -fsanitize=thread: nothing here is a scheduling point.
#pragma once

#include <pthread.h>
#include <time.h>

#include <cstdint>
#include <functional>
#include <optional>

#include "chancheck/controlled/explore.hpp"

namespace chancheck::controlled::detail {

// In a forked child: runs one execution of `body` (seed: the random walk's or PCT's; depth: 0 for
// a random walk, PCT's d otherwise) and writes its result to `fd` for the parent (explore.cpp).
// Returns only when it passed: its scheduling points, or nullopt when a thread the body did not
// join may still be running its end (the process must run no other execution). Any other
// verdict ends the process.
std::optional<std::uint64_t> run_execution(const std::function<void()>& body, std::uint64_t seed, const options& o,
                                          unsigned depth, std::uint64_t expected_steps, int fd);

// In explore()'s process before the first fork: every interposed function finds its real one
// now, once, rather than in each execution's child (interpose.cpp).
void bind_real_functions();

// Whether the calling thread is a controlled thread of a running execution. Everything else
// (the parent process, a child before its execution starts) runs the real operations.
bool active();

// A scheduling point before an operation on `address` (`what` names it for messages).
// `makes_progress`: the operation changes what other threads can see (an atomic write); a point
// without (a load, a yield, a lock taken back by the thread that last held it) may be part of a
// busy wait. Operations that make progress only when they succeed or wake someone call
// progress() when they do.
void point(const char* what, const void* address, bool makes_progress);

// Outside an execution (a stress run of an instrumented program): chaos_sync's noise, a random
// yield or short sleep, when chancheck::chaos::configure turned it on (chancheck/sync/chaos_sync.hpp);
// every scheduling point and every interposed lock, wait and notify passes here.
void chaos_point();

// The operation after a point without progress did make some (a compare-exchange that
// succeeded, a trylock that took the lock).
void progress();

// Begins (true) or ends (false) a region of the calling thread without scheduling points;
// regions nest.
void ignore(bool begin);

// Threads.
void* start_thread(pthread_t* handle, const pthread_attr_t* attr, void* (*start)(void*), void* arg, int* error);
void before_join(pthread_t handle, const void* caller);

// std::mutex and friends: pthread_mutex_t modelled by address. `recursive` as the mutex's kind.
void mutex_lock(const void* mutex, bool recursive, const void* caller);
bool mutex_trylock(const void* mutex, bool recursive);
void mutex_unlock(const void* mutex);

// Virtual time. Inside an execution the clocks (clock_gettime) stand still but for two
// things: a timed wait that times out moves them to its deadline, a sleep moves them by its
// length. A timed wait times out only when no thread can run otherwise, the earliest deadline
// first; so an execution's times are a function of its schedule, and replays are exact.
// Deadlines are nanoseconds of virtual time.
using deadline = std::int64_t;
deadline deadline_at(clockid_t clock, const timespec& absolute);
deadline deadline_after(const timespec& relative);
bool read_clock(clockid_t clock, timespec* out);  // false: a clock the runtime leaves alone
void sleep_for(const timespec& duration);

// Condition variables: wait releases `mutex`, blocks, and takes it back; true when a timed
// wait (`until` not null) timed out.
bool cond_wait(const void* cond, const void* mutex, bool recursive, const deadline* until, const void* caller);
void cond_notify(const void* cond, bool all);

// futex(2) as std::atomic::wait uses it: wait returns 0 when woken, EAGAIN when
// *word != expected, ETIMEDOUT when a timed wait timed out.
int futex_wait(const void* word, int expected, const deadline* until, const void* caller);
int futex_wake(const void* word, int count);

// POSIX semaphores (sem_t: moodycamel's queues block on them), modelled by address from the
// count they have when first used. wait returns false when a timed wait timed out.
bool semaphore_wait(const void* sem, int initial, const deadline* until, const void* caller);
bool semaphore_trywait(const void* sem, int initial);
void semaphore_post(const void* sem, int initial);
void semaphore_forget(const void* sem);

// sched_yield: a scheduling point.
void yield(const char* what);

}  // namespace chancheck::controlled::detail
