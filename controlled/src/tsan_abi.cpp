// controlled/src/tsan_abi.cpp — chancheck's runtime for the ThreadSanitizer instrumentation
// ABI (the functions `-fsanitize=thread` makes g++ and clang call; their declarations are
// compiler-rt's tsan_interface.h and tsan_interface_atomic.h). The whole ABI is defined, since
// g++ and clang emit different parts of it (compare_exchange_strong/weak against _val, 16-byte
// accesses, vptr reads):
//   atomics, every width and operation, and thread fences: a scheduling point, then the
//     operation itself, sequentially consistent (one thread runs at a time);
//   plain reads and writes, function entry/exit, vptr updates, annotations: nothing (data
//     races on plain memory are ThreadSanitizer's to find, in the tsan preset);
//   __tsan_ignore_thread_begin/end: no scheduling points in between (the harness's bookkeeping).
// Compiled without -fsanitize=thread, so the operations here are the processor's own.
#include <atomic>
#include <cstdint>

#include "scheduler.hpp"

namespace cd = chancheck::controlled::detail;

namespace {

// 16-byte atomics without libatomic: a lock of their own (only outside executions can two
// threads get here at once).
std::atomic_flag wide_lock = ATOMIC_FLAG_INIT;
struct wide_guard {
    wide_guard() {
        while (wide_lock.test_and_set(std::memory_order_acquire)) {  // pairs with the release in ~wide_guard
        }
    }
    ~wide_guard() { wide_lock.clear(std::memory_order_release); }
};

// A compare-exchange that swapped made progress (busy-wait detection, scheduler.hpp); one that
// failed only read.
bool swapped(bool ok) {
    if (ok) cd::progress();
    return ok;
}

}  // namespace

// One width's atomics. T: the operand type; N: the width in bits, as the ABI names it.
#define CHANCHECK_TSAN_ATOMICS(N, T)                                                                            \
    T __tsan_atomic##N##_load(const volatile T* a, int) {                                                      \
        cd::point("atomic load", const_cast<const T*>(a), false);                                                     \
        return __atomic_load_n(a, __ATOMIC_SEQ_CST);                                                           \
    }                                                                                                          \
    void __tsan_atomic##N##_store(volatile T* a, T v, int) {                                                   \
        cd::point("atomic store", const_cast<const T*>(a), true);                                                    \
        __atomic_store_n(a, v, __ATOMIC_SEQ_CST);                                                              \
    }                                                                                                          \
    T __tsan_atomic##N##_exchange(volatile T* a, T v, int) {                                                   \
        cd::point("atomic exchange", const_cast<const T*>(a), true);                                                 \
        return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);                                                    \
    }                                                                                                          \
    T __tsan_atomic##N##_fetch_add(volatile T* a, T v, int) {                                                  \
        cd::point("atomic fetch_add", const_cast<const T*>(a), true);                                                \
        return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST);                                                     \
    }                                                                                                          \
    T __tsan_atomic##N##_fetch_sub(volatile T* a, T v, int) {                                                  \
        cd::point("atomic fetch_sub", const_cast<const T*>(a), true);                                                \
        return __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST);                                                     \
    }                                                                                                          \
    T __tsan_atomic##N##_fetch_and(volatile T* a, T v, int) {                                                  \
        cd::point("atomic fetch_and", const_cast<const T*>(a), true);                                                \
        return __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST);                                                     \
    }                                                                                                          \
    T __tsan_atomic##N##_fetch_or(volatile T* a, T v, int) {                                                   \
        cd::point("atomic fetch_or", const_cast<const T*>(a), true);                                                 \
        return __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST);                                                      \
    }                                                                                                          \
    T __tsan_atomic##N##_fetch_xor(volatile T* a, T v, int) {                                                  \
        cd::point("atomic fetch_xor", const_cast<const T*>(a), true);                                                \
        return __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST);                                                     \
    }                                                                                                          \
    T __tsan_atomic##N##_fetch_nand(volatile T* a, T v, int) {                                                 \
        cd::point("atomic fetch_nand", const_cast<const T*>(a), true);                                               \
        return __atomic_fetch_nand(a, v, __ATOMIC_SEQ_CST);                                                    \
    }                                                                                                          \
    int __tsan_atomic##N##_compare_exchange_strong(volatile T* a, T* expected, T desired, int, int) {          \
        cd::point("atomic compare_exchange", const_cast<const T*>(a), false);                                  \
        return swapped(__atomic_compare_exchange_n(a, expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)); \
    }                                                                                                          \
    /* A weak CAS that fails spuriously is a behaviour the schedule does not explore: it succeeds. */          \
    int __tsan_atomic##N##_compare_exchange_weak(volatile T* a, T* expected, T desired, int, int) {            \
        cd::point("atomic compare_exchange", const_cast<const T*>(a), false);                                  \
        return swapped(__atomic_compare_exchange_n(a, expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)); \
    }                                                                                                          \
    T __tsan_atomic##N##_compare_exchange_val(volatile T* a, T expected, T desired, int, int) {                \
        cd::point("atomic compare_exchange", const_cast<const T*>(a), false);                                  \
        swapped(__atomic_compare_exchange_n(a, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)); \
        return expected;                                                                                       \
    }

// 16-byte atomics: the same, under wide_lock.
#define CHANCHECK_TSAN_WIDE_RMW(op, expr)                                                        \
    __int128 __tsan_atomic128_##op(volatile __int128* a, __int128 v, int) {                     \
        cd::point("atomic " #op, const_cast<const __int128*>(a), true);                                \
        wide_guard g;                                                                           \
        const __int128 old = *a;                                                                \
        *a = (expr);                                                                            \
        return old;                                                                             \
    }

extern "C" {

CHANCHECK_TSAN_ATOMICS(8, char)
CHANCHECK_TSAN_ATOMICS(16, short)
CHANCHECK_TSAN_ATOMICS(32, int)
CHANCHECK_TSAN_ATOMICS(64, long)

__int128 __tsan_atomic128_load(const volatile __int128* a, int) {
    cd::point("atomic load", const_cast<const __int128*>(a), false);
    wide_guard g;
    return *a;
}
void __tsan_atomic128_store(volatile __int128* a, __int128 v, int) {
    cd::point("atomic store", const_cast<const __int128*>(a), true);
    wide_guard g;
    *a = v;
}
CHANCHECK_TSAN_WIDE_RMW(exchange, v)
CHANCHECK_TSAN_WIDE_RMW(fetch_add, old + v)
CHANCHECK_TSAN_WIDE_RMW(fetch_sub, old - v)
CHANCHECK_TSAN_WIDE_RMW(fetch_and, old & v)
CHANCHECK_TSAN_WIDE_RMW(fetch_or, old | v)
CHANCHECK_TSAN_WIDE_RMW(fetch_xor, old ^ v)
CHANCHECK_TSAN_WIDE_RMW(fetch_nand, ~(old & v))
int __tsan_atomic128_compare_exchange_strong(volatile __int128* a, __int128* expected, __int128 desired, int, int) {
    cd::point("atomic compare_exchange", const_cast<const __int128*>(a), false);
    wide_guard g;
    if (*a == *expected) {
        *a = desired;
        cd::progress();
        return 1;
    }
    *expected = *a;
    return 0;
}
int __tsan_atomic128_compare_exchange_weak(volatile __int128* a, __int128* expected, __int128 desired, int mo, int fail_mo) {
    return __tsan_atomic128_compare_exchange_strong(a, expected, desired, mo, fail_mo);
}
__int128 __tsan_atomic128_compare_exchange_val(volatile __int128* a, __int128 expected, __int128 desired, int mo, int fail_mo) {
    __tsan_atomic128_compare_exchange_strong(a, &expected, desired, mo, fail_mo);
    return expected;
}

void __tsan_atomic_thread_fence(int) {
    cd::point("atomic fence", nullptr, false);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}
void __tsan_atomic_signal_fence(int) {}

// A thread's ignored region (the harness's bookkeeping, harness/bookkeeping.hpp): no
// scheduling points until it ends.
void __tsan_ignore_thread_begin() { cd::ignore(true); }
void __tsan_ignore_thread_end() { cd::ignore(false); }

// Plain accesses and bookkeeping: not scheduling points.
void __tsan_init() {}
void __tsan_flush_memory() {}
void __tsan_func_entry(void*) {}
void __tsan_func_exit() {}
void __tsan_vptr_read(void**) {}
void __tsan_vptr_update(void**, void*) {}
void __tsan_read_range(void*, unsigned long) {}
void __tsan_write_range(void*, unsigned long) {}
void __tsan_read_range_pc(void*, unsigned long, void*) {}
void __tsan_write_range_pc(void*, unsigned long, void*) {}
void __tsan_acquire(void*) {}
void __tsan_release(void*) {}
void __tsan_external_read(void*, void*, void*) {}
void __tsan_external_write(void*, void*, void*) {}
#define CHANCHECK_TSAN_ACCESS(N)                                \
    void __tsan_read##N(void*) {}                               \
    void __tsan_write##N(void*) {}                              \
    void __tsan_read##N##_pc(void*, void*) {}                   \
    void __tsan_write##N##_pc(void*, void*) {}                  \
    void __tsan_volatile_read##N(void*) {}                      \
    void __tsan_volatile_write##N(void*) {}
CHANCHECK_TSAN_ACCESS(1)
CHANCHECK_TSAN_ACCESS(2)
CHANCHECK_TSAN_ACCESS(4)
CHANCHECK_TSAN_ACCESS(8)
CHANCHECK_TSAN_ACCESS(16)
#define CHANCHECK_TSAN_UNALIGNED(N)                             \
    void __tsan_unaligned_read##N(void*) {}                     \
    void __tsan_unaligned_write##N(void*) {}                    \
    void __tsan_unaligned_read##N##_pc(void*, void*) {}         \
    void __tsan_unaligned_write##N##_pc(void*, void*) {}
CHANCHECK_TSAN_UNALIGNED(2)
CHANCHECK_TSAN_UNALIGNED(4)
CHANCHECK_TSAN_UNALIGNED(8)
CHANCHECK_TSAN_UNALIGNED(16)
// The public annotation interface (sanitizer/tsan_interface.h): lock annotations of code
// that has its own mutexes. Not scheduling points.
void __tsan_mutex_create(void*, unsigned) {}
void __tsan_mutex_destroy(void*, unsigned) {}
void __tsan_mutex_pre_lock(void*, unsigned) {}
void __tsan_mutex_post_lock(void*, unsigned, int) {}
int __tsan_mutex_pre_unlock(void*, unsigned) { return 0; }
void __tsan_mutex_post_unlock(void*, unsigned) {}
void __tsan_mutex_pre_signal(void*, unsigned) {}
void __tsan_mutex_post_signal(void*, unsigned) {}
void __tsan_mutex_pre_divert(void*, unsigned) {}
void __tsan_mutex_post_divert(void*, unsigned) {}

}  // extern "C"
