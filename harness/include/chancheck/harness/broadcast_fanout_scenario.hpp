// chancheck/harness/broadcast_fanout_scenario.hpp — one broadcast sender, two blocked
// subscribers.
//
// Every subscriber must see every message (nothing lags: the channel retains them all), so
// a send has to wake *all* blocked receivers. broadcast_lagging_receiver has at most one
// receiver waiting at a time; here two wait together, which is what a wake-one (notify_one
// for notify_all) bug needs. Each receiver acknowledges every message on an mpsc channel and
// the producer waits for both acknowledgements before going on, so a receiver left asleep
// is not rescued by a later send or by the final Closed: the bug becomes a deadlock.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>

#include "chancheck/harness/kinds_scenarios.hpp"
#include "chancheck/mpsc.hpp"

namespace chancheck::harness {

template <class Sync>
struct broadcast_fanout : recorded_scenario<3> {
    using base = recorded_scenario<3>;
    static constexpr const char* name = "broadcast_fanout";
    static constexpr const char* channel = "broadcast";
    static const auto& configs() { return broadcast_configs(); }
    using sender = broadcast::sender<counted, Sync>;
    using receiver = broadcast::receiver<counted, Sync>;

    // `size` messages; the capacity is raised to hold them all so that nobody lags.
    broadcast_fanout(const broadcast_config& c, std::size_t size) : base(size) {
        auto pair = broadcast::channel<counted, Sync>(std::max(c.capacity, size), c.kind);
        tx_.emplace(std::move(pair.first));
        rx_[0].emplace(std::move(pair.second));
        rx_[1].emplace(tx_->subscribe());
        auto acks = mpsc::channel<int, Sync>();
        ack_tx_.emplace(std::move(acks.first));
        ack_rx_.emplace(std::move(acks.second));
    }
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < this->size_; ++k) {
                this->send(0, *tx_, encode(0, k));
                for (int n = 0; n < 2; ++n) (void)ack_rx_->recv();  // both subscribers got it
            }
            this->drop(0, op_kind::drop_sender, tx_);
        } else {
            receiver& rx = *rx_[i - 1];
            auto ack = *ack_tx_;  // each receiver acknowledges on its own copy of the sender
            while (this->broadcast_recv(i, rx) != op_result::disconnected) (void)ack.send(static_cast<int>(i));
        }
    }
    void drop_handles() override {
        tx_.reset();
        rx_[0].reset();
        rx_[1].reset();
        ack_tx_.reset();
        ack_rx_.reset();
    }

protected:
    violations check(const history& h) const override {
        violations out = broadcast_accounting(h, this->size_);
        kinds_detail::append(out, kinds_detail::broadcast_positions(h, static_cast<std::int64_t>(this->size_)));
        return out;
    }

private:
    std::optional<sender> tx_;
    std::optional<receiver> rx_[2];
    std::optional<mpsc::sender<int, Sync>> ack_tx_;
    std::optional<mpsc::receiver<int, Sync>> ack_rx_;
};

}  // namespace chancheck::harness
