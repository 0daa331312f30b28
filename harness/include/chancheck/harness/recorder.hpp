// chancheck/harness/recorder.hpp — recording a scenario thread's operations, and a message
// type that counts its own constructions and destructions.
//
// Both deliberately use plain std::atomic, not the Sync policy's: under Relacy a std::atomic
// is invisible to the model checker (no scheduling point, no happens-before edge), so
// recording can never hide a missing synchronization in the channel under test; under real
// threads the counter's read-modify-writes are acq_rel so that "A responded before B was
// invoked" in stamp order implies A happens-before B, the real-time order the
// linearizability checker relies on (on x86 it is the same locked instruction as relaxed).
// The stamps of one run form one total order consistent with each thread's program order.
// Both are bookkeeping (bookkeeping.hpp): no scheduling points under controlled scheduling.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "chancheck/harness/bookkeeping.hpp"
#include "chancheck/harness/history.hpp"

namespace chancheck::harness {

// Counts constructions (including copies and moves) and destructions of counted messages.
struct message_counters {
    std::atomic<long> constructed{0};
    std::atomic<long> destroyed{0};
    long live() const { return constructed.load() - destroyed.load(); }
};

// A message carrying an encoded value; every object is counted, moved-from ones included,
// so a message destroyed twice or never shows up as an imbalance. A move leaves the source
// holding moved_out, so a send that fails without handing its value back (the caller's
// message is only a moved-from shell) shows as value_not_returned.
class counted {
public:
    static constexpr std::int64_t moved_out = std::numeric_limits<std::int64_t>::min();

    counted(std::int64_t value, message_counters& c) : value_(value), counters_(&c) { bump_constructed(); }
    counted(const counted& o) : value_(o.value_), counters_(o.counters_) { bump_constructed(); }
    counted(counted&& o) noexcept : value_(std::exchange(o.value_, moved_out)), counters_(o.counters_) {
        bump_constructed();
    }
    counted& operator=(const counted& o) {
        value_ = o.value_;
        return *this;
    }
    counted& operator=(counted&& o) noexcept {
        if (this != &o) value_ = std::exchange(o.value_, moved_out);
        return *this;
    }
    ~counted() {
        const bookkeeping_scope bookkeeping;
        counters_->destroyed.fetch_add(1, std::memory_order::relaxed);
    }

    std::int64_t value() const noexcept { return value_; }

private:
    void bump_constructed() {
        const bookkeeping_scope bookkeeping;
        counters_->constructed.fetch_add(1, std::memory_order::relaxed);
    }
    std::int64_t value_;
    message_counters* counters_;
};

// The stamp source shared by the threads of one run.
class stamp_clock {
public:
    std::uint64_t next() noexcept {
        const bookkeeping_scope bookkeeping;
        return now_.fetch_add(1, std::memory_order::acq_rel) + 1;
    }

private:
    std::atomic<std::uint64_t> now_{0};
};

// One thread's log. `record` stamps an operation around the call and stores what it did.
class recorder {
public:
    recorder(unsigned thread, stamp_clock& clock) : thread_(thread), clock_(&clock) {}

    // op() returns the event fields it learned: {result, value, returned, skipped}.
    template <class Op>
    void record(op_kind kind, std::int64_t value, Op op) {
        event e;
        e.thread = thread_;
        e.kind = kind;
        e.value = value;
        e.invoked = clock_->next();
        op(e);
        e.responded = clock_->next();
        log_.push_back(e);
    }

    void mark(op_kind kind) {
        record(kind, 0, [](event&) {});
    }

    const history& log() const noexcept { return log_; }
    unsigned thread() const noexcept { return thread_; }

private:
    unsigned thread_;
    stamp_clock* clock_;
    history log_;
};

// Merges per-thread logs into one history in response order.
inline history merge(const plain_vector<recorder>& recorders) {
    history all;
    for (const recorder& r : recorders) all.insert(all.end(), r.log().begin(), r.log().end());
    std::sort(all.begin(), all.end(), [](const event& a, const event& b) { return a.responded < b.responded; });
    return all;
}

}  // namespace chancheck::harness
