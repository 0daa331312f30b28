// chancheck/detail/counter.hpp — sender/receiver reference counts around one channel.
//
// crossbeam-channel's `counter` (counter.rs). The channel is shared by every sender and
// receiver handle. When the last sender goes, the channel is disconnected for receivers;
// when the last receiver goes, it is disconnected for senders (and its messages are
// discarded). Both sides then race to free the channel: the `destroy` flag is *swapped*, so
// exactly one of them — the second to finish — frees it. (Splitting that swap into a load and
// a store is a classic double free; see the bug zoo.)
#pragma once

#include <atomic>
#include <cstddef>
#include <utility>

#include "chancheck/detail/bug_zoo.hpp"

namespace chancheck::detail {

template <class Chan, class Sync>
class counter {
public:
    template <class... Args>
    static counter* create(Args&&... args) {
        return Sync::template make<counter>(std::forward<Args>(args)...);
    }

    template <class... Args>
    explicit counter(Args&&... args)
        : senders_(1), receivers_(1), destroy_(false), chan_(std::forward<Args>(args)...) {}

    Chan& chan() noexcept { return chan_; }

    void acquire_sender() noexcept { senders_.fetch_add(1, std::memory_order::relaxed); }
    void acquire_receiver() noexcept { receivers_.fetch_add(1, std::memory_order::relaxed); }

    // acq_rel: the last handle must see everything the other handles did to the channel.
    void release_sender() {
        if (senders_.fetch_sub(1, std::memory_order::acq_rel) == 1) {
            chan_.disconnect_senders();
            if constexpr (has_bug<Sync>(bug::counter_free_by_peer_count)) {
                if (receivers_.load(std::memory_order::acquire) == 0) Sync::destroy(this);
                return;
            }
            finish();
        }
    }
    void release_receiver() {
        if (receivers_.fetch_sub(1, std::memory_order::acq_rel) == 1) {
            chan_.disconnect_receivers();
            if constexpr (has_bug<Sync>(bug::counter_free_by_peer_count)) {
                if (senders_.load(std::memory_order::acquire) == 0) Sync::destroy(this);
                return;
            }
            finish();
        }
    }

private:
    void finish() {
        if constexpr (has_bug<Sync>(bug::counter_split_swap)) {
            const bool other_side_done = destroy_.load(std::memory_order::acquire);
            if (!other_side_done) destroy_.store(true, std::memory_order::release);
            if (other_side_done) Sync::destroy(this);
            return;
        }
        if (destroy_.exchange(true, std::memory_order::acq_rel)) Sync::destroy(this);
    }

    typename Sync::template atomic<std::size_t> senders_;
    typename Sync::template atomic<std::size_t> receivers_;
    typename Sync::template atomic<bool> destroy_;
    Chan chan_;
};

}  // namespace chancheck::detail
