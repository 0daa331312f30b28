// benchmarks/channels/subjects/boost_fiber.hpp — Boost.Fiber's two channels as peers.
//
// boost::fibers::buffered_channel (Boost 1.74, libboost-fiber-dev): a bounded MPMC ring
// under a spinlock; a full push or an empty pop suspends the calling fiber. Here every
// party is a thread's main fiber, so a suspended one waits in its thread's scheduler
// (round_robin: a std::condition_variable) until another thread makes it ready.
//
// The ring's capacity must be a power of two >= 2 and it holds one message fewer, so
// bounded1 is buffered_channel(2) and boundedN is the smallest power of two above N (it
// holds at least N: as crossbeam's bounded(N), it never fills in these scenarios).
//
// boost::fibers::unbuffered_channel: Boost.Fiber's rendezvous (push returns once a consumer
// took the value), the bounded0 cells only; it waits the same way.
//
// The cells each lacks, and why, are its `missing` (peer.hpp).
#pragma once

#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/channel_op_status.hpp>
#include <boost/fiber/unbuffered_channel.hpp>

#include <cstddef>
#include <cstdint>

#include "peer.hpp"

namespace chancheck_bench {

// push and pop of either channel: true on success, false when the channel was closed.
template <class Channel>
class boost_fiber_peer {
public:
    bool push(std::uint64_t v) { return channel_.push(v) == boost::fibers::channel_op_status::success; }
    bool pop(std::uint64_t& out) { return channel_.pop(out) == boost::fibers::channel_op_status::success; }

protected:
    static constexpr const char* fiber_label = "blocking: fiber suspend, thread waits on a condvar";
    static constexpr const char* no_select = "Boost.Fiber has no select over channels";

    template <class... ChannelArgs>
    explicit boost_fiber_peer(ChannelArgs... args) : channel_(args...) {}

private:
    Channel channel_;
};

class boost_fiber_buffered_peer : public boost_fiber_peer<boost::fibers::buffered_channel<std::uint64_t>> {
public:
    static constexpr peer_about about{"boost_fiber_buffered", fiber_label,
                                      {.select = no_select,
                                       .rendezvous = "buffered_channel needs capacity >= 2; see boost_fiber_unbuffered",
                                       .unbounded = "Boost.Fiber channels are bounded only"}};

    // Only bounded capacity classes with capacity >= 1 reach here (missing).
    explicit boost_fiber_buffered_peer(const capacity& cap) : boost_fiber_peer(ring_size(*cap.value())) {}

private:
    // The smallest power of two that holds `messages` (a ring of size r holds r - 1).
    static std::size_t ring_size(std::size_t messages) {
        std::size_t r = 2;
        while (r - 1 < messages) r *= 2;
        return r;
    }
};
using boost_fiber_buffered_subject = peer_subject<boost_fiber_buffered_peer>;

class boost_fiber_unbuffered_peer : public boost_fiber_peer<boost::fibers::unbuffered_channel<std::uint64_t>> {
public:
    static constexpr const char* rendezvous_only = "unbuffered_channel is a rendezvous only; see boost_fiber_buffered";
    static constexpr peer_about about{"boost_fiber_unbuffered", fiber_label,
                                      {.select = no_select, .buffered = rendezvous_only, .unbounded = rendezvous_only}};

    explicit boost_fiber_unbuffered_peer(const capacity&) {}
};
using boost_fiber_unbuffered_subject = peer_subject<boost_fiber_unbuffered_peer>;

}  // namespace chancheck_bench
