// benchmarks/channels/subjects/peer.hpp — what every peer library's subject shares.
//
// A peer (another library's queue or channel) is one small class: what it is (peer_about:
// its name, a label saying how it blocks, the grid cells it lacks and why), a constructor
// from the capacity, and a blocking push/pop. peer_subject<P> gives it the subject interface of
// grid.hpp: a sender and a receiver handle that call push/pop, skip_reason from its
// missing cells, and has_select = false (only chancheck's channels take part in
// chancheck::select).
#pragma once

#include <cstdint>

#include "../grid.hpp"

namespace chancheck_bench {

// Why a peer has no cell of a kind; nullptr: it has those cells.
struct missing_cells {
    const char* many_producers = nullptr;  // mpsc, mpmc and select_* (one producer, one consumer)
    const char* select = nullptr;          // select_*
    const char* rendezvous = nullptr;      // bounded0
    const char* buffered = nullptr;        // bounded1 and boundedN
    const char* unbounded = nullptr;       // unbounded

    const char* reason(scenario s, capacity_class c) const {
        if (many_producers && (s == scenario::mpsc || s == scenario::mpmc || is_select(s))) return many_producers;
        if (select && is_select(s)) return select;
        if (rendezvous && c == capacity_class::bounded0) return rendezvous;
        if (buffered && (c == capacity_class::bounded1 || c == capacity_class::bounded_n)) return buffered;
        if (unbounded && c == capacity_class::unbounded) return unbounded;
        return nullptr;
    }
};

// What a peer is, as the grid names it.
struct peer_about {
    const char* name;   // the subject's name in benchmark names
    const char* label;  // how it blocks, shown as the benchmark's label
    missing_cells missing;
};

// Peer: static constexpr peer_about about; Peer(const capacity&); bool push(std::uint64_t);
// bool pop(std::uint64_t&) — both blocking, false only when the peer itself fails.
template <class Peer>
class peer_subject : public Peer {
public:
    using Peer::Peer;
    static constexpr const char* name = Peer::about.name;
    static constexpr const char* label = Peer::about.label;
    static constexpr bool has_select = false;
    static const char* skip_reason(scenario s, capacity_class c) { return Peer::about.missing.reason(s, c); }

    struct sender_handle {
        peer_subject* s;
        bool send(std::uint64_t v) { return s->push(v); }
    };
    struct receiver_handle {
        peer_subject* s;
        bool recv(std::uint64_t& out) { return s->pop(out); }
    };
    sender_handle sender() { return {this}; }
    receiver_handle receiver() { return {this}; }
};

}  // namespace chancheck_bench
