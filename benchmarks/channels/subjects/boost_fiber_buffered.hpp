// benchmarks/channels/subjects/boost_fiber_buffered.hpp —
// boost::fibers::buffered_channel (Boost 1.74, libboost-fiber-dev): a bounded MPMC ring
// under a spinlock; a full push or an empty pop suspends the calling fiber. Here every
// party is a thread's main fiber, so a suspended one waits in its thread's scheduler
// (round_robin: a std::condition_variable) until another thread makes it ready.
//
// The ring's capacity must be a power of two >= 2 and it holds one message fewer, so
// bounded1 is buffered_channel(2) and boundedN is the smallest power of two above N (it
// holds at least N: as crossbeam's bounded(N), it never fills in these scenarios).
// Cells it does not have:
//   bounded0   buffered_channel needs capacity >= 2 (the rendezvous is unbuffered_channel,
//              its own subject);
//   unbounded  Boost.Fiber channels are bounded only;
//   select_*   Boost.Fiber has no select over channels.
#pragma once

#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/channel_op_status.hpp>

#include <cstddef>
#include <cstdint>

#include "../grid.hpp"

namespace chancheck_bench {

class boost_fiber_buffered_subject {
public:
    using channel_type = boost::fibers::buffered_channel<std::uint64_t>;

    static constexpr const char* name = "boost_fiber_buffered";
    static constexpr const char* label = "blocking: fiber suspend, thread waits on a condvar";
    static constexpr bool has_select = false;

    static const char* skip_reason(scenario s, flavor_kind f) {
        if (is_select(s)) return "Boost.Fiber has no select over channels";
        if (f == flavor_kind::bounded0) return "buffered_channel needs capacity >= 2; see boost_fiber_unbuffered";
        if (f == flavor_kind::unbounded) return "Boost.Fiber channels are bounded only";
        return nullptr;
    }

    // Only bounded flavors with capacity >= 1 reach here (skip_reason).
    explicit boost_fiber_buffered_subject(const capacity& cap) : channel_(ring_size(*cap.value())) {}

    struct sender_handle {
        channel_type* ch;
        bool send(std::uint64_t v) { return ch->push(v) == boost::fibers::channel_op_status::success; }
    };
    struct receiver_handle {
        channel_type* ch;
        bool recv(std::uint64_t& out) { return ch->pop(out) == boost::fibers::channel_op_status::success; }
    };

    sender_handle sender() { return {&channel_}; }
    receiver_handle receiver() { return {&channel_}; }

private:
    // The smallest power of two that holds `messages` (a ring of size r holds r - 1).
    static std::size_t ring_size(std::size_t messages) {
        std::size_t r = 2;
        while (r - 1 < messages) r *= 2;
        return r;
    }

    channel_type channel_;
};

}  // namespace chancheck_bench
