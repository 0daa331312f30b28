// models/smoke/mpsc_smoke_model.cpp — the mpsc channels under the Relacy model checker.
//
// A small run per flavor proves that the same channel source compiles against relacy_sync
// and survives Relacy's scheduler (data races on cells, leaks, double frees, deadlocks), and
// one run of a seeded bug proves that Relacy rejects a broken channel with the expected kind
// of failure. The full scenario suite lives beside this file in later models.
//
// Usage: mpsc_smoke_model [--all | --case NAME]... [--iterations N] [--list]
//        [--scheduler random|bound|full]
// Exit status 0 when every selected case ends as expected.

// Standard headers first: relacy.hpp (through relacy_sync.hpp) defines macros over them.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "chancheck/sync/relacy_sync.hpp"
// Channel headers after the policy.
#include "chancheck/mpsc.hpp"
#include "common/model_runner.hpp"

namespace {

using chancheck::models::model_case;
using chancheck::bug;
using chancheck::flavor;
using chancheck::relacy_sync;
using chancheck::with_bug;

struct channel_config {
    std::optional<std::size_t> capacity;  // nullopt: unbounded
    flavor kind;
};

template <class Sync>
auto open_channel(const channel_config& config) {
    return config.capacity ? chancheck::mpsc::sync_channel<int, Sync>(*config.capacity, config.kind)
                           : chancheck::mpsc::channel<int, Sync>(config.kind);
}

// A two-thread Relacy suite over one channel; Scenario supplies producer() and consumer().
template <class Sync, const channel_config& Config, template <class> class Scenario>
struct two_threads : rl::test_suite<two_threads<Sync, Config, Scenario>, 2> {
    std::optional<chancheck::mpsc::sender<int, Sync>> tx;
    std::optional<chancheck::mpsc::receiver<int, Sync>> rx;

    void before() {
        auto pair = open_channel<Sync>(Config);
        tx.emplace(std::move(pair.first));
        rx.emplace(std::move(pair.second));
    }
    void thread(unsigned index) {
        if (index == 0) Scenario<Sync>::producer(*tx); else Scenario<Sync>::consumer(*rx);
    }
    void after() {
        tx.reset();
        rx.reset();
    }
};

// The producer sends 1 and 2 and drops its sender; the consumer receives until
// Disconnected and must see exactly 1, 2 in order.
template <class Sync>
struct send_two_then_drop {
    static void producer(chancheck::mpsc::sender<int, Sync>& tx) {
        RL_ASSERT(tx.send(1).has_value());
        RL_ASSERT(tx.send(2).has_value());
        tx.reset();
    }
    static void consumer(chancheck::mpsc::receiver<int, Sync>& rx) {
        int expected = 1;
        for (auto r = rx.recv(); r; r = rx.recv()) {
            RL_ASSERT(r.value() == expected);
            ++expected;
        }
        RL_ASSERT(expected == 3);
    }
};

// The consumer takes one message and drops the receiver while the producer may be blocked
// on its second send: that send either succeeded (and the message is discarded with the
// channel) or fails handing 2 back. Relacy's leak and double-free checks cover the discard.
template <class Sync>
struct receiver_drops_while_sender_blocks {
    static void producer(chancheck::mpsc::sender<int, Sync>& tx) {
        RL_ASSERT(tx.send(1).has_value());
        auto second = tx.send(2);
        if (!second) RL_ASSERT(second.error().value == 2);
        auto third = tx.send(3);
        RL_ASSERT(!third && third.error().value == 3);  // by now the receiver is surely gone
    }
    static void consumer(chancheck::mpsc::receiver<int, Sync>& rx) {
        auto r = rx.recv();
        RL_ASSERT(r && r.value() == 1);
        rx.reset();
    }
};

// recv_timeout races a send: it either gets the message or times out, and after a timeout
// the message is still there for the next recv. Nothing is lost either way.
template <class Sync>
struct recv_timeout_races_send {
    static void producer(chancheck::mpsc::sender<int, Sync>& tx) {
        RL_ASSERT(tx.send(7).has_value());
        tx.reset();
    }
    static void consumer(chancheck::mpsc::receiver<int, Sync>& rx) {
        auto first = rx.recv_timeout(std::chrono::milliseconds(1));
        if (!first) {
            RL_ASSERT(first.error() == chancheck::recv_timeout_error::timeout);
            auto again = rx.recv();
            RL_ASSERT(again && again.value() == 7);
        } else {
            RL_ASSERT(first.value() == 7);
        }
        RL_ASSERT(!rx.recv());
    }
};

constexpr channel_config unbounded_lockfree{std::nullopt, flavor::lock_free};
constexpr channel_config unbounded_locked{std::nullopt, flavor::locked};
constexpr channel_config bounded1_lockfree{1, flavor::lock_free};
constexpr channel_config bounded1_locked{1, flavor::locked};
constexpr channel_config rendezvous_lockfree{0, flavor::lock_free};
constexpr channel_config rendezvous_locked{0, flavor::locked};


template <const channel_config& Config>
void add_flavor(std::vector<model_case>& cases, const std::string& flavor_name) {
    auto add = [&](const char* scenario, auto run) {
        cases.push_back(chancheck::models::named_case(std::string(scenario) + "/" + flavor_name, "success", run));
    };
    add("send_two_then_drop",
        [](rl::test_params& p) { return rl::simulate<two_threads<relacy_sync, Config, send_two_then_drop>>(p); });
    if (Config.capacity)
        add("receiver_drops_while_sender_blocks", [](rl::test_params& p) {
            return rl::simulate<two_threads<relacy_sync, Config, receiver_drops_while_sender_blocks>>(p);
        });
    add("recv_timeout_races_send", [](rl::test_params& p) {
        return rl::simulate<two_threads<relacy_sync, Config, recv_timeout_races_send>>(p);
    });
}

std::vector<model_case> all_cases() {
    std::vector<model_case> cases;
    cases.reserve(32);
    add_flavor<unbounded_lockfree>(cases, "list");
    add_flavor<unbounded_locked>(cases, "locked_unbounded");
    add_flavor<bounded1_lockfree>(cases, "array");
    add_flavor<bounded1_locked>(cases, "locked_bounded");
    add_flavor<rendezvous_lockfree>(cases, "zero");
    add_flavor<rendezvous_locked>(cases, "locked_rendezvous");
    // A seeded bug: Relacy must reject it, and with the expected kind of failure.
    using mutant = with_bug<relacy_sync, bug::array_relaxed_publish>;
    cases.push_back(chancheck::models::named_case("mutant/array_relaxed_publish", "data_race", [](rl::test_params& p) {
        return rl::simulate<two_threads<mutant, bounded1_lockfree, send_two_then_drop>>(p);
    }));
    return cases;
}

}  // namespace

int main(int argc, char** argv) { return chancheck::models::run_cases(argc, argv, all_cases()); }
