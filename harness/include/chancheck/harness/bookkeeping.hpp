// chancheck/harness/bookkeeping.hpp — marking the harness's own bookkeeping (history stamps,
// message counts) as not part of the channel under test.
//
// Under chancheck's controlled scheduling (controlled/: code compiled with -fsanitize=thread
// and linked with chancheck's runtime for that ABI) every atomic operation is a scheduling
// point; the harness's would multiply the schedules without reaching any new behaviour of the
// channel. A bookkeeping_scope brackets them with the ABI's __tsan_ignore_thread_begin/end,
// which chancheck's runtime reads as "no scheduling points here" and ThreadSanitizer itself as
// "do not check these accesses for races" (its atomics still synchronize). Without
// -fsanitize=thread it is nothing.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define CHANCHECK_THREAD_INSTRUMENTED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CHANCHECK_THREAD_INSTRUMENTED 1
#endif
#endif

#if defined(CHANCHECK_THREAD_INSTRUMENTED)
extern "C" void __tsan_ignore_thread_begin();
extern "C" void __tsan_ignore_thread_end();
#endif

namespace chancheck::harness {

struct bookkeeping_scope {
#if defined(CHANCHECK_THREAD_INSTRUMENTED)
    bookkeeping_scope() noexcept { __tsan_ignore_thread_begin(); }
    ~bookkeeping_scope() { __tsan_ignore_thread_end(); }
#else
    bookkeeping_scope() noexcept {}  // user-provided: no unused-variable warning at its uses
#endif
    bookkeeping_scope(const bookkeeping_scope&) = delete;
    bookkeeping_scope& operator=(const bookkeeping_scope&) = delete;
};

}  // namespace chancheck::harness
