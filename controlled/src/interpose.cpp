// controlled/src/interpose.cpp — the pthread and libc calls libstdc++ makes for std::thread,
// std::mutex, std::condition_variable, std::this_thread and std::atomic::wait, defined in the
// executable so that they take precedence over glibc's (for calls from the program and from
// libstdc++.so alike). Inside a controlled execution they go to the scheduler's model
// (scheduler.hpp); everywhere else to the real function, found with dlsym(RTLD_NEXT).
// Compiled without -fsanitize=thread.
#include <dlfcn.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>

#include "scheduler.hpp"

namespace cd = chancheck::controlled::detail;

namespace {

template <class F>
F real(const char* name) {
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// glibc's mutex kind (PTHREAD_MUTEX_RECURSIVE_NP for std::recursive_mutex).
bool is_recursive(const pthread_mutex_t* m) { return (m->__data.__kind & 3) == PTHREAD_MUTEX_RECURSIVE_NP; }

}  // namespace

extern "C" {

int pthread_create(pthread_t* handle, const pthread_attr_t* attr, void* (*start)(void*), void* arg) {
    static const auto fn = real<int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*)>("pthread_create");
    if (!cd::active()) return fn(handle, attr, start, arg);
    int error = 0;
    cd::start_thread(handle, attr, start, arg, &error);
    return error;
}

int pthread_join(pthread_t handle, void** result) {
    static const auto fn = real<int (*)(pthread_t, void**)>("pthread_join");
    if (cd::active()) cd::before_join(handle, __builtin_return_address(0));
    return fn(handle, result);  // the thread has finished (or is not controlled): reap it
}

int pthread_mutex_lock(pthread_mutex_t* m) {
    static const auto fn = real<int (*)(pthread_mutex_t*)>("pthread_mutex_lock");
    if (!cd::active()) {
        cd::chaos_point();
        return fn(m);
    }
    cd::mutex_lock(m, is_recursive(m), __builtin_return_address(0));
    return 0;
}

int pthread_mutex_trylock(pthread_mutex_t* m) {
    static const auto fn = real<int (*)(pthread_mutex_t*)>("pthread_mutex_trylock");
    if (!cd::active()) {
        cd::chaos_point();
        return fn(m);
    }
    return cd::mutex_trylock(m, is_recursive(m)) ? 0 : EBUSY;
}

int pthread_mutex_unlock(pthread_mutex_t* m) {
    static const auto fn = real<int (*)(pthread_mutex_t*)>("pthread_mutex_unlock");
    if (!cd::active()) {
        cd::chaos_point();
        return fn(m);
    }
    cd::mutex_unlock(m);
    return 0;
}

int pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
    static const auto fn = real<int (*)(pthread_cond_t*, pthread_mutex_t*)>("pthread_cond_wait");
    if (!cd::active()) {
        cd::chaos_point();
        return fn(c, m);
    }
    cd::cond_wait(c, m, is_recursive(m), nullptr, __builtin_return_address(0));
    return 0;
}

int pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m, const struct timespec* deadline) {
    static const auto fn = real<int (*)(pthread_cond_t*, pthread_mutex_t*, const struct timespec*)>("pthread_cond_timedwait");
    if (!cd::active()) {
        cd::chaos_point();
        return fn(c, m, deadline);
    }
    // The condition variable's clock: CLOCK_REALTIME unless its attributes chose another
    // (std::condition_variable uses pthread_cond_clockwait instead).
    const cd::deadline until = cd::deadline_at(CLOCK_REALTIME, *deadline);
    return cd::cond_wait(c, m, is_recursive(m), &until, __builtin_return_address(0)) ? ETIMEDOUT : 0;
}

int pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock, const struct timespec* deadline) {
    static const auto fn =
        real<int (*)(pthread_cond_t*, pthread_mutex_t*, clockid_t, const struct timespec*)>("pthread_cond_clockwait");
    if (!cd::active()) {
        cd::chaos_point();
        return fn(c, m, clock, deadline);
    }
    const cd::deadline until = cd::deadline_at(clock, *deadline);
    return cd::cond_wait(c, m, is_recursive(m), &until, __builtin_return_address(0)) ? ETIMEDOUT : 0;
}

int pthread_cond_signal(pthread_cond_t* c) {
    static const auto fn = real<int (*)(pthread_cond_t*)>("pthread_cond_signal");
    if (!cd::active()) {
        cd::chaos_point();
        return fn(c);
    }
    cd::cond_notify(c, false);
    return 0;
}

int pthread_cond_broadcast(pthread_cond_t* c) {
    static const auto fn = real<int (*)(pthread_cond_t*)>("pthread_cond_broadcast");
    if (!cd::active()) {
        cd::chaos_point();
        return fn(c);
    }
    cd::cond_notify(c, true);
    return 0;
}

// POSIX semaphores: modelled from the count glibc's sem_t holds when the execution first uses
// it (the real sem_t is never changed during an execution).
int sem_init(sem_t* s, int shared, unsigned value) noexcept {
    static const auto fn = real<int (*)(sem_t*, int, unsigned)>("sem_init");
    if (cd::active()) cd::semaphore_forget(s);  // its next use reads the count set here
    return fn(s, shared, value);
}

int sem_destroy(sem_t* s) noexcept {
    static const auto fn = real<int (*)(sem_t*)>("sem_destroy");
    if (cd::active()) cd::semaphore_forget(s);
    return fn(s);
}

namespace {
int real_count(sem_t* s) {
    static const auto fn = real<int (*)(sem_t*, int*)>("sem_getvalue");
    int value = 0;
    fn(s, &value);
    return value;
}
}  // namespace

int sem_wait(sem_t* s) {
    static const auto fn = real<int (*)(sem_t*)>("sem_wait");
    if (!cd::active()) {
        cd::chaos_point();
        return fn(s);
    }
    cd::semaphore_wait(s, real_count(s), nullptr, __builtin_return_address(0));
    return 0;
}

int sem_trywait(sem_t* s) noexcept {
    static const auto fn = real<int (*)(sem_t*)>("sem_trywait");
    if (!cd::active()) return fn(s);
    if (cd::semaphore_trywait(s, real_count(s))) return 0;
    errno = EAGAIN;
    return -1;
}

int sem_timedwait(sem_t* s, const struct timespec* deadline) {
    static const auto fn = real<int (*)(sem_t*, const struct timespec*)>("sem_timedwait");
    if (!cd::active()) return fn(s, deadline);
    const cd::deadline until = cd::deadline_at(CLOCK_REALTIME, *deadline);
    if (cd::semaphore_wait(s, real_count(s), &until, __builtin_return_address(0))) return 0;
    errno = ETIMEDOUT;
    return -1;
}

int sem_clockwait(sem_t* s, clockid_t clock, const struct timespec* deadline) {
    static const auto fn = real<int (*)(sem_t*, clockid_t, const struct timespec*)>("sem_clockwait");
    if (!cd::active()) return fn(s, clock, deadline);
    const cd::deadline until = cd::deadline_at(clock, *deadline);
    if (cd::semaphore_wait(s, real_count(s), &until, __builtin_return_address(0))) return 0;
    errno = ETIMEDOUT;
    return -1;
}

int sem_post(sem_t* s) noexcept {
    static const auto fn = real<int (*)(sem_t*)>("sem_post");
    if (!cd::active()) {
        cd::chaos_point();
        return fn(s);
    }
    cd::semaphore_post(s, real_count(s));
    return 0;
}

int sched_yield() noexcept {
    static const auto fn = real<int (*)()>("sched_yield");
    if (!cd::active()) return fn();
    cd::yield("sched_yield");
    return 0;
}

// Inside an execution a sleep is a scheduling point that moves virtual time by its length.
int nanosleep(const struct timespec* duration, struct timespec* left) {
    static const auto fn = real<int (*)(const struct timespec*, struct timespec*)>("nanosleep");
    if (!cd::active()) return fn(duration, left);
    cd::sleep_for(*duration);
    return 0;
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec* time, struct timespec* left) {
    static const auto fn = real<int (*)(clockid_t, int, const struct timespec*, struct timespec*)>("clock_nanosleep");
    if (!cd::active()) return fn(clock, flags, time, left);
    timespec duration = *time;
    if ((flags & TIMER_ABSTIME) != 0) {
        timespec now{};
        cd::read_clock(clock, &now);
        const long long ns = (static_cast<long long>(time->tv_sec) - now.tv_sec) * 1'000'000'000LL + (time->tv_nsec - now.tv_nsec);
        duration = timespec{static_cast<time_t>(std::max(0LL, ns) / 1'000'000'000LL), static_cast<long>(std::max(0LL, ns) % 1'000'000'000LL)};
    }
    cd::sleep_for(duration);
    return 0;
}

int usleep(useconds_t micros) {
    static const auto fn = real<int (*)(useconds_t)>("usleep");
    if (!cd::active()) return fn(micros);
    cd::sleep_for(timespec{static_cast<time_t>(micros / 1'000'000), static_cast<long>(micros % 1'000'000) * 1000});
    return 0;
}

// std::chrono's clocks (through libstdc++.so) read clock_gettime: virtual time in an execution.
int clock_gettime(clockid_t clock, struct timespec* out) noexcept {
    static const auto fn = real<int (*)(clockid_t, struct timespec*)>("clock_gettime");
    if (cd::active() && cd::read_clock(clock, out)) return 0;
    return fn(clock, out);
}

// libstdc++'s std::atomic::wait/notify call syscall(SYS_futex, ...) directly.
long syscall(long number, ...) noexcept {
    static const auto fn = real<long (*)(long, ...)>("syscall");
    va_list args;
    va_start(args, number);
    long a[6];
    for (long& x : a) x = va_arg(args, long);
    va_end(args);
    if (number == SYS_futex && cd::active()) {
        const int op = static_cast<int>(a[1]) & FUTEX_CMD_MASK;
        const void* word = reinterpret_cast<const void*>(a[0]);
        if (op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET) {
            // FUTEX_WAIT's timeout is relative; FUTEX_WAIT_BITSET's absolute, on CLOCK_REALTIME
            // with FUTEX_CLOCK_REALTIME, else on CLOCK_MONOTONIC.
            const auto* timeout = reinterpret_cast<const timespec*>(a[3]);
            cd::deadline until = 0;
            if (timeout != nullptr)
                until = op == FUTEX_WAIT ? cd::deadline_after(*timeout)
                                         : cd::deadline_at((a[1] & FUTEX_CLOCK_REALTIME) != 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC, *timeout);
            const int status = cd::futex_wait(word, static_cast<int>(a[2]), timeout != nullptr ? &until : nullptr,
                                              __builtin_return_address(0));
            if (status == 0) return 0;
            errno = status;
            return -1;
        }
        if (op == FUTEX_WAKE || op == FUTEX_WAKE_BITSET) return cd::futex_wake(word, static_cast<int>(a[2]));
    }
    return fn(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

}  // extern "C"

namespace chancheck::controlled::detail {

// Each forwarding above finds its real function with dlsym on its first call (a lookup through
// every loaded library). Called here, in explore()'s process, before any execution is forked,
// so that no execution's child pays for them again; the thread made and joined leaves its stack
// in glibc's cache, which the children's threads reuse.
void bind_real_functions() {
    pthread_t t;
    if (pthread_create(&t, nullptr, [](void*) -> void* { return nullptr; }, nullptr) == 0) pthread_join(t, nullptr);
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    pthread_mutex_lock(&m);
    const timespec past{0, 0};  // long gone: the timed waits return at once
    pthread_cond_timedwait(&c, &m, &past);
    pthread_cond_clockwait(&c, &m, CLOCK_MONOTONIC, &past);
    pthread_mutex_unlock(&m);
    if (pthread_mutex_trylock(&m) == 0) pthread_mutex_unlock(&m);
    pthread_cond_signal(&c);
    pthread_cond_broadcast(&c);
    pthread_cond_destroy(&c);
    pthread_mutex_destroy(&m);
    sem_t s;
    sem_init(&s, 0, 3);
    sem_post(&s);
    sem_wait(&s);
    sem_trywait(&s);
    sem_timedwait(&s, &past);
    sem_clockwait(&s, CLOCK_MONOTONIC, &past);
    int value = 0;
    sem_getvalue(&s, &value);
    sem_destroy(&s);
    sched_yield();
    const timespec none{0, 0};
    nanosleep(&none, nullptr);
    clock_nanosleep(CLOCK_MONOTONIC, 0, &none, nullptr);
    usleep(0);
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    syscall(SYS_getpid);
}

}  // namespace chancheck::controlled::detail
