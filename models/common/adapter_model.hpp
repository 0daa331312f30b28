// models/common/adapter_model.hpp — Relacy models of a channel brought through an adapter.
//
// A channel written over chancheck's Sync policy (its atomics, cells, mutexes, condition
// variables, parking and yield all come from `Sync`) can be model checked like chancheck's
// own. Its adapter is then a template over the message type and the policy, `R<T, Sync>`,
// with the members of the channel concept (harness/channel_adapter.hpp). chancheck_add_channel
// (SYNC_ADAPTER R) generates a program that calls adapter_model_main<R>, which runs the
// scenarios below with R<counted, relacy_sync> under Relacy, on every capacity R supports out
// of unbounded, 1 and 0 (rendezvous), through the same runner, results file and replay
// commands as models/scenarios/ (common/model_runner.hpp).
//
// The scenarios are those of harness/mpsc_scenarios.hpp that need only the concept's
// operations (send, recv, dropping handles): a stream, two producers, the last sender leaving
// while the receiver is blocked, the receiver leaving while the sender is blocked, and
// ping_pong, where neither side is rescued by a later message, so a lost wake-up is a
// deadlock. Judged by the harness oracles (exactly once, per-producer FIFO, Disconnected only
// once drained, destruction balance) on top of Relacy's own checks.
//
// Include after chancheck/sync/relacy_sync.hpp and the adapter's header.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chancheck/harness/channel_adapter.hpp"
#include "chancheck/harness/mpsc_scenarios.hpp"
#include "common/scenario_adapter.hpp"

namespace chancheck::models {

// The capacities tried, as the harness names its configurations (the flavor field is unused:
// the adapter has one implementation).
inline constexpr std::array<harness::channel_config, 3> adapter_config_list = {{
    {"unbounded", std::nullopt, implementation::lock_free},
    {"bounded1", 1, implementation::lock_free},
    {"rendezvous", 0, implementation::lock_free},
}};

// One channel of the adapter (its sender and receiver) over the recording machinery, plus
// the recorded operations in the concept's terms: send(T&) -> bool, recv() -> optional<T>.
template <class Adapted, unsigned Threads>
class adapter_scenario : public harness::recorded_scenario<Threads> {
public:
    using sender = typename Adapted::sender;
    using receiver = typename Adapted::receiver;
    static constexpr const char* channel = Adapted::name;
    static const auto& configs() { return adapter_config_list; }

    adapter_scenario(const harness::channel_config& config, std::size_t size)
        : harness::recorded_scenario<Threads>(size), config_(config) {
        auto pair = Adapted::open(config.capacity);
        tx_.emplace(std::move(pair.first));
        rx_.emplace(std::move(pair.second));
    }

    void drop_handles() override {
        tx_.reset();
        extra_tx_.reset();
        rx_.reset();
    }

protected:
    harness::violations check(const harness::history& h) const override {
        harness::violations out;
        auto add = [&](const harness::violations& v) { out.insert(out.end(), v.begin(), v.end()); };
        add(harness::exactly_once(h));
        add(harness::per_producer_fifo(h));
        add(harness::disconnect_after_drain(h));
        return out;
    }

    // The concept's operations, recorded (harness/channel_adapter.hpp).
    bool send(unsigned thread, sender& tx, std::int64_t value) {
        return harness::record_adapter_send(this->rec(thread), tx, value, this->counters_);
    }
    bool recv(unsigned thread, receiver& rx) { return harness::record_adapter_recv(this->rec(thread), rx); }

    void send_all_then_drop(unsigned thread, std::optional<sender>& tx) {
        for (std::size_t k = 0; k < this->size_; ++k) send(thread, *tx, harness::encode(thread, k));
        this->drop(thread, harness::op_kind::drop_sender, tx);
    }

    void recv_all(unsigned thread) {
        while (recv(thread, *rx_)) {
        }
    }

    harness::channel_config config_;
    std::optional<sender> tx_;
    std::optional<sender> extra_tx_;
    std::optional<receiver> rx_;
};

template <class Adapted>
struct adapter_spsc : adapter_scenario<Adapted, 2> {
    static constexpr const char* name = "spsc";
    using adapter_scenario<Adapted, 2>::adapter_scenario;
    void run_thread(unsigned i) {
        if (i == 0) this->send_all_then_drop(0, this->tx_);
        else this->recv_all(1);
    }
};

template <class Adapted>
struct adapter_two_producers : adapter_scenario<Adapted, 3> {
    static constexpr const char* name = "two_producers";
    adapter_two_producers(const harness::channel_config& c, std::size_t size) : adapter_scenario<Adapted, 3>(c, size) {
        this->extra_tx_.emplace(*this->tx_);  // a copy is one more producer
    }
    void run_thread(unsigned i) {
        if (i == 0) this->send_all_then_drop(0, this->tx_);
        else if (i == 1) this->send_all_then_drop(1, this->extra_tx_);
        else this->recv_all(2);
    }
};

template <class Adapted>
struct adapter_last_sender_dropped_while_receiver_blocked : adapter_scenario<Adapted, 2> {
    static constexpr const char* name = "last_sender_dropped_while_receiver_blocked";
    using adapter_scenario<Adapted, 2>::adapter_scenario;
    void run_thread(unsigned i) {
        if (i == 0) {
            this->send(0, *this->tx_, harness::encode(0, 0));
            this->drop(0, harness::op_kind::drop_sender, this->tx_);
        } else {
            this->recv_all(1);
        }
    }
};

// The sender offers one more message than the receiver takes: on a bounded or rendezvous
// channel it blocks, and the receiver's leaving must fail that send with the value returned.
template <class Adapted>
struct adapter_receiver_dropped_while_sender_blocked : adapter_scenario<Adapted, 2> {
    static constexpr const char* name = "receiver_dropped_while_sender_blocked";
    using adapter_scenario<Adapted, 2>::adapter_scenario;
    void run_thread(unsigned i) {
        if (i == 0) {
            for (std::size_t k = 0; k < this->size_ + 1; ++k) this->send(0, *this->tx_, harness::encode(0, k));
            this->drop(0, harness::op_kind::drop_sender, this->tx_);
        } else {
            this->recv(1, *this->rx_);
            this->drop(1, harness::op_kind::drop_receiver, this->rx_);
        }
    }
};

// Hand-off over two channels of the same capacity: each side waits for the other's message.
template <class Adapted>
struct adapter_ping_pong : adapter_scenario<Adapted, 2> {
    static constexpr const char* name = "ping_pong";
    adapter_ping_pong(const harness::channel_config& c, std::size_t size) : adapter_scenario<Adapted, 2>(c, size) {
        auto pair = Adapted::open(c.capacity);
        reply_tx_.emplace(std::move(pair.first));
        reply_rx_.emplace(std::move(pair.second));
    }
    void run_thread(unsigned i) {
        for (std::size_t k = 0; k < this->size_; ++k) {
            if (i == 0) {
                this->send(0, *this->tx_, harness::encode(0, k));
                this->recv(0, *reply_rx_);
            } else {
                this->recv(1, *this->rx_);
                this->send(1, *reply_tx_, harness::encode(1, k));
            }
        }
    }
    void drop_handles() override {
        reply_tx_.reset();
        reply_rx_.reset();
        adapter_scenario<Adapted, 2>::drop_handles();
    }

private:
    std::optional<typename Adapted::sender> reply_tx_;
    std::optional<typename Adapted::receiver> reply_rx_;
};

// Registers one scenario on every capacity the adapter supports. The case is named
// <adapter>/<scenario>/<capacity>; the results file says channel <adapter>, flavor
// "adapter" (the report's row for this channel, as its stress runs and property say).
template <class Scenario, std::size_t Size, std::size_t ConfigIndex>
void add_adapter_case(std::vector<model_case>& cases, const std::string& adapter) {
    const harness::channel_config& config = adapter_config_list[ConfigIndex];
    model_case c;
    c.scenario = std::string(Scenario::name) + " (" + config.name + ")";
    c.channel = adapter;
    c.flavor = "adapter";
    c.name = adapter + "/" + Scenario::name + "/" + config.name;
    c.expected = "success";
    c.small = Scenario::threads <= 2 && Size <= 2;
    c.run = [](rl::test_params& p) { return rl::simulate<scenario_suite<Scenario, ConfigIndex, Size>>(p); };
    cases.push_back(std::move(c));
}

template <template <class> class Scenario, std::size_t Size, class Adapted>
void add_adapter_scenario(std::vector<model_case>& cases) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((Adapted::supports(adapter_config_list[I].capacity)
              ? add_adapter_case<Scenario<Adapted>, Size, I>(cases, Adapted::name)
              : void()),
         ...);
    }(std::make_index_sequence<adapter_config_list.size()>{});
}

// The model program of adapter R: the scenarios on R<counted, relacy_sync>, with the
// command line of every model program (--all, --case, --budget, --scheduler, --results ...).
template <template <class, class> class R>
int adapter_model_main(int argc, char** argv) {
    using adapted = R<harness::counted, relacy_sync>;
    static_assert(harness::channel_adapter_of<adapted, harness::counted>,
                  "the Sync adapter does not model chancheck::harness::channel_adapter over relacy_sync");
    static_assert(harness::valid_adapter_name(adapted::name), "an adapter's name must be [a-z0-9_]+");
    std::vector<model_case> cases;
    add_adapter_scenario<adapter_spsc, 2, adapted>(cases);
    add_adapter_scenario<adapter_two_producers, 1, adapted>(cases);
    add_adapter_scenario<adapter_last_sender_dropped_while_receiver_blocked, 1, adapted>(cases);
    add_adapter_scenario<adapter_receiver_dropped_while_sender_blocked, 1, adapted>(cases);
    add_adapter_scenario<adapter_ping_pong, 2, adapted>(cases);
    return run_cases(argc, argv, cases, take_oracle_finding);
}

}  // namespace chancheck::models
