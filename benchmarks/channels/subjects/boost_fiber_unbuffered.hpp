// benchmarks/channels/subjects/boost_fiber_unbuffered.hpp —
// boost::fibers::unbuffered_channel (Boost 1.74, libboost-fiber-dev): a rendezvous channel
// (push returns once a consumer took the value) under a spinlock; waiting suspends the
// fiber, and a thread's main fiber then waits in its scheduler (round_robin: a
// std::condition_variable).
//
// The bounded0 cells only: it is Boost.Fiber's rendezvous. Cells it does not have:
//   bounded1, boundedN, unbounded  it has no buffer (boost_fiber_buffered is the buffered
//                                  one; no Boost.Fiber channel is unbounded);
//   select_*                       Boost.Fiber has no select over channels.
#pragma once

#include <boost/fiber/channel_op_status.hpp>
#include <boost/fiber/unbuffered_channel.hpp>

#include <cstdint>

#include "../grid.hpp"

namespace chancheck_bench {

class boost_fiber_unbuffered_subject {
public:
    using channel_type = boost::fibers::unbuffered_channel<std::uint64_t>;

    static constexpr const char* name = "boost_fiber_unbuffered";
    static constexpr const char* label = "blocking: fiber suspend, thread waits on a condvar";
    static constexpr bool has_select = false;

    static const char* skip_reason(scenario s, flavor_kind f) {
        if (is_select(s)) return "Boost.Fiber has no select over channels";
        if (f != flavor_kind::bounded0) return "unbuffered_channel is a rendezvous only; see boost_fiber_buffered";
        return nullptr;
    }

    explicit boost_fiber_unbuffered_subject(const capacity&) {}

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
    channel_type channel_;
};

}  // namespace chancheck_bench
