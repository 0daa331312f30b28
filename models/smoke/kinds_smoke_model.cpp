// models/smoke/kinds_smoke_model.cpp — MPMC, broadcast, oneshot and select under Relacy.
//
// One small scenario per channel kind and flavor, run through relacy_sync, so the same
// sources are checked for data races, leaks, double frees and deadlocks under Relacy's
// scheduler. The full scenario suite and the bug zoo live in later models.
// Usage: see models/common/model_runner.hpp.

#include <chrono>
#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include "chancheck/sync/relacy_sync.hpp"
// Channel headers after the policy.
#include "chancheck/broadcast.hpp"
#include "chancheck/mpmc.hpp"
#include "chancheck/oneshot.hpp"
#include "chancheck/select.hpp"
#include "common/model_runner.hpp"

namespace {

using chancheck::implementation;
using chancheck::relacy_sync;
using chancheck::models::model_case;
using sync_t = relacy_sync;

struct config {
    std::optional<std::size_t> capacity;  // nullopt: unbounded
    implementation kind;
};

auto open_mpmc(const config& c) {
    return c.capacity ? chancheck::mpmc::bounded<int, sync_t>(*c.capacity, c.kind)
                      : chancheck::mpmc::unbounded<int, sync_t>(c.kind);
}

// One producer sends 1 and 2 then drops; two consumers receive until Disconnected. Each
// message reaches exactly one of them.
template <const config& C>
struct mpmc_two_consumers : rl::test_suite<mpmc_two_consumers<C>, 3> {
    std::optional<chancheck::mpmc::sender<int, sync_t>> tx;
    std::optional<chancheck::mpmc::receiver<int, sync_t>> rx[2];
    rl::var<int> seen[2];

    void before() {
        auto pair = open_mpmc(C);
        tx.emplace(std::move(pair.first));
        rx[0].emplace(pair.second);
        rx[1].emplace(std::move(pair.second));
    }
    void thread(unsigned index) {
        if (index == 0) {
            RL_ASSERT(tx->send(1).has_value());
            RL_ASSERT(tx->send(2).has_value());
            tx.reset();
            return;
        }
        int mask = 0;
        for (auto r = rx[index - 1]->recv(); r; r = rx[index - 1]->recv()) mask |= 1 << r.value();
        seen[index - 1]($) = mask;
        rx[index - 1].reset();
    }
    void after() {
        const int a = seen[0]($), b = seen[1]($);
        RL_ASSERT((a & b) == 0);           // never delivered twice
        RL_ASSERT((a | b) == (2 | 4));     // never lost
    }
};

// Capacity 1: the producer sends 1, 2, 3 then drops; the receiver's messages plus the
// lagged counts add up to 3, in increasing order.
template <implementation F, class Sync = sync_t>
struct broadcast_lag_accounting : rl::test_suite<broadcast_lag_accounting<F, Sync>, 2> {
    std::optional<chancheck::broadcast::sender<int, Sync>> tx;
    std::optional<chancheck::broadcast::receiver<int, Sync>> rx;

    void before() {
        auto pair = chancheck::broadcast::channel<int, Sync>(1, F);
        tx.emplace(std::move(pair.first));
        rx.emplace(std::move(pair.second));
    }
    void thread(unsigned index) {
        if (index == 0) {
            for (int v = 1; v <= 3; ++v) RL_ASSERT(tx->send(v).has_value());
            tx.reset();
            return;
        }
        std::uint64_t accounted = 0;
        int last = 0;
        for (;;) {
            auto r = rx->recv();
            if (r) {
                RL_ASSERT(r.value() > last);
                last = r.value();
                ++accounted;
            } else if (r.error().is_lagged()) {
                accounted += r.error().skipped;
            } else {
                RL_ASSERT(r.error().is_closed());
                break;
            }
        }
        RL_ASSERT(accounted == 3);
        rx.reset();
    }
    void after() {
        tx.reset();
        rx.reset();
    }
};

// The sender either sends 5 or is dropped unsent while the receiver waits with a timeout
// and then blocks; the receiver's verdict must match what the sender did.
template <implementation F, bool Sends, class Sync = sync_t>
struct oneshot_reply : rl::test_suite<oneshot_reply<F, Sends, Sync>, 2> {
    std::optional<chancheck::oneshot::sender<int, Sync>> tx;
    std::optional<chancheck::oneshot::receiver<int, Sync>> rx;

    void before() {
        auto pair = chancheck::oneshot::channel<int, Sync>(F);
        tx.emplace(std::move(pair.first));
        rx.emplace(std::move(pair.second));
    }
    void thread(unsigned index) {
        if (index == 0) {
            if (Sends) RL_ASSERT(tx->send(5).has_value()); else tx->reset();
            return;
        }
        auto first = rx->recv_timeout(std::chrono::milliseconds(1));
        if (!first && first.error() == chancheck::recv_timeout_error::timeout) {
            auto again = rx->recv();
            RL_ASSERT(Sends ? (again && again.value() == 5) : !again);
        } else {
            RL_ASSERT(Sends ? (first && first.value() == 5) : !first);
        }
    }
    void after() {
        tx.reset();
        rx.reset();
    }
};

// Sender and receiver dropped at the same time: exactly one of them frees the channel.
template <implementation F>
struct oneshot_both_drop : rl::test_suite<oneshot_both_drop<F>, 2> {
    std::optional<chancheck::oneshot::sender<int, sync_t>> tx;
    std::optional<chancheck::oneshot::receiver<int, sync_t>> rx;

    void before() {
        auto pair = chancheck::oneshot::channel<int, sync_t>(F);
        tx.emplace(std::move(pair.first));
        rx.emplace(std::move(pair.second));
    }
    void thread(unsigned index) {
        if (index == 0) {
            auto r = tx->send(9);
            if (!r) RL_ASSERT(r.error().value == 9);
        } else {
            rx.reset();
        }
    }
    void after() {
        tx.reset();
        rx.reset();
    }
};

// A select over two channels races a send on the second: it must return that arm, and the
// first channel is left untouched. Capacity from C.
template <const config& C>
struct select_two_channels : rl::test_suite<select_two_channels<C>, 2> {
    std::optional<chancheck::mpmc::sender<int, sync_t>> tx[2];
    std::optional<chancheck::mpmc::receiver<int, sync_t>> rx[2];

    void before() {
        for (int i = 0; i < 2; ++i) {
            auto pair = open_mpmc(C);
            tx[i].emplace(std::move(pair.first));
            rx[i].emplace(std::move(pair.second));
        }
    }
    void thread(unsigned index) {
        if (index == 0) {
            RL_ASSERT(tx[1]->send(20).has_value());
            return;
        }
        chancheck::basic_select<sync_t> sel;
        const std::size_t a = sel.recv(*rx[0]);
        const std::size_t b = sel.recv(*rx[1]);
        (void)a;
        auto op = sel.select();
        RL_ASSERT(op.index() == b);
        auto r = op.recv(*rx[1]);
        RL_ASSERT(r && r.value() == 20);
        RL_ASSERT(rx[0]->try_recv().error() == chancheck::try_recv_error::empty);
    }
    void after() {
        for (int i = 0; i < 2; ++i) {
            tx[i].reset();
            rx[i].reset();
        }
    }
};

// Two threads each select {send mine, receive} on one rendezvous channel: a thread never
// receives its own value, and the two selects pair up (no deadlock).
struct select_rendezvous_pair : rl::test_suite<select_rendezvous_pair, 2> {
    std::optional<chancheck::mpmc::sender<int, sync_t>> tx[2];
    std::optional<chancheck::mpmc::receiver<int, sync_t>> rx[2];
    rl::var<int> outcome[2];  // 1 sent, 2 received

    void before() {
        auto pair = chancheck::mpmc::bounded<int, sync_t>(0);
        tx[0].emplace(pair.first);
        tx[1].emplace(std::move(pair.first));
        rx[0].emplace(pair.second);
        rx[1].emplace(std::move(pair.second));
    }
    void thread(unsigned index) {
        const int me = static_cast<int>(index) + 1;
        chancheck::basic_select<sync_t> sel;
        const std::size_t send_arm = sel.send(*tx[index]);
        sel.recv(*rx[index]);
        auto op = sel.select();
        if (op.index() == send_arm) {
            RL_ASSERT(op.send(*tx[index], me).has_value());
            outcome[index]($) = 1;
        } else {
            auto r = op.recv(*rx[index]);
            RL_ASSERT(r && r.value() != me);
            outcome[index]($) = 2;
        }
    }
    void after() {
        RL_ASSERT(outcome[0]($) + outcome[1]($) == 3);  // one sent, the other received
        for (int i = 0; i < 2; ++i) {
            tx[i].reset();
            rx[i].reset();
        }
    }
};

constexpr config unbounded_lockfree{std::nullopt, implementation::lock_free};
constexpr config unbounded_locked{std::nullopt, implementation::locked};
constexpr config bounded1_lockfree{1, implementation::lock_free};
constexpr config bounded1_locked{1, implementation::locked};
constexpr config rendezvous_lockfree{0, implementation::lock_free};
constexpr config rendezvous_locked{0, implementation::locked};

template <class Suite>
model_case reference(const char* name) {
    return chancheck::models::named_case(name, "success", [](rl::test_params& p) { return rl::simulate<Suite>(p); });
}

// A seeded bug that Relacy must reject with the `expected` kind of failure.
template <class Suite>
model_case mutant(const char* name, const char* expected) {
    return chancheck::models::named_case(name, expected, [](rl::test_params& p) { return rl::simulate<Suite>(p); });
}

template <chancheck::bug B>
using buggy = chancheck::with_bug<relacy_sync, B>;

// Not a model: a self-test of the runner. Its thread ends the process with SIGSEGV, as a use
// after free in channel code can; the results file and the report must still name the case
// and its replay (models/check_crash_report.py). Run only by name.
struct crashes_the_process : rl::test_suite<crashes_the_process, 1> {
    void thread(unsigned) { std::raise(SIGSEGV); }
};

model_case self_test_crash() {
    model_case c = chancheck::models::named_case("self_test/crash", "success",
                                                 [](rl::test_params& p) { return rl::simulate<crashes_the_process>(p); });
    c.by_name_only = true;
    return c;
}

std::vector<model_case> all_cases() {
    return {
        reference<mpmc_two_consumers<unbounded_lockfree>>("mpmc_two_consumers/list"),
        reference<mpmc_two_consumers<unbounded_locked>>("mpmc_two_consumers/locked_unbounded"),
        reference<mpmc_two_consumers<bounded1_lockfree>>("mpmc_two_consumers/array"),
        reference<mpmc_two_consumers<bounded1_locked>>("mpmc_two_consumers/locked_bounded"),
        reference<mpmc_two_consumers<rendezvous_lockfree>>("mpmc_two_consumers/zero"),
        reference<mpmc_two_consumers<rendezvous_locked>>("mpmc_two_consumers/locked_rendezvous"),
        reference<broadcast_lag_accounting<implementation::lock_free>>("broadcast_lag_accounting/slots"),
        reference<broadcast_lag_accounting<implementation::locked>>("broadcast_lag_accounting/locked"),
        reference<oneshot_reply<implementation::lock_free, true>>("oneshot_reply_sent/lockfree"),
        reference<oneshot_reply<implementation::locked, true>>("oneshot_reply_sent/locked"),
        reference<oneshot_reply<implementation::lock_free, false>>("oneshot_reply_dropped/lockfree"),
        reference<oneshot_reply<implementation::locked, false>>("oneshot_reply_dropped/locked"),
        reference<oneshot_both_drop<implementation::lock_free>>("oneshot_both_drop/lockfree"),
        reference<oneshot_both_drop<implementation::locked>>("oneshot_both_drop/locked"),
        reference<select_two_channels<unbounded_lockfree>>("select_two_channels/list"),
        reference<select_two_channels<bounded1_lockfree>>("select_two_channels/array"),
        reference<select_two_channels<rendezvous_lockfree>>("select_two_channels/zero"),
        reference<select_two_channels<bounded1_locked>>("select_two_channels/locked_bounded"),
        reference<select_rendezvous_pair>("select_rendezvous_pair/zero"),
        mutant<oneshot_reply<implementation::lock_free, true, buggy<chancheck::bug::oneshot_relaxed_publish>>>(
            "mutant/oneshot_relaxed_publish", "data_race"),
        mutant<broadcast_lag_accounting<implementation::lock_free, buggy<chancheck::bug::broadcast_lag_off_by_one>>>(
            "mutant/broadcast_lag_off_by_one", "assertion"),
        self_test_crash(),
    };
}

}  // namespace

int main(int argc, char** argv) { return chancheck::models::run_cases(argc, argv, all_cases()); }
