// models/bug_zoo/bug_zoo_model.cpp — every seeded bug, each with the failure it must produce.
//
// The bug zoo (channels/include/chancheck/detail/bug_zoo.hpp) compiles deliberately broken
// variants of the reference flavors in by wrapping the Sync policy. Each case runs one
// harness scenario on one mutant and passes only when Relacy (or a harness oracle) fails the
// run with the expected kind — proof that the checkers bite. The reference flavors pass the
// same scenarios in mpsc_scenarios_model and kinds_scenarios_model.
// Usage: see models/common/model_runner.hpp.

#include "chancheck/sync/relacy_sync.hpp"
// Channel and harness headers after the policy.
#include "chancheck/harness/broadcast_fanout_scenario.hpp"
#include "chancheck/harness/kinds_scenarios.hpp"
#include "chancheck/harness/mpsc_scenarios.hpp"
#include "common/scenario_adapter.hpp"

namespace {

using namespace chancheck::harness;
using chancheck::bug;
using chancheck::models::add_case;
template <bug B>
using mutant = chancheck::with_bug<chancheck::relacy_sync, B>;

// Configuration indexes in mpsc_configs() (and select_configs(), which starts alike), in
// broadcast_configs() and in oneshot_configs().
constexpr std::size_t list = 0, locked_unbounded = 1, array = 2, zero = 4;
constexpr std::size_t slots_cap1 = 0, oneshot_lock_free = 0;

std::vector<chancheck::models::model_case> all_cases() {
    std::vector<chancheck::models::model_case> cases;
    // Weakened publication: the receiver reads the slot before the sender's write is visible.
    add_case<spsc, 2, mutant<bug::array_relaxed_publish>, array>(cases, "data_race");
    // Lost wake-ups: ping_pong, because neither side is rescued by a later message or by
    // the final disconnect.
    add_case<ping_pong, 2, mutant<bug::list_lost_wakeup>, list>(cases, "deadlock");
    add_case<ping_pong, 2, mutant<bug::waker_relaxed_empty_check>, list>(cases, "deadlock");
    // Disconnect handling: the receiver must wake when the last sender goes.
    // (Two producers: with one, Relacy's scheduler lets the producer finish while the
    // receiver yields in its backoff, and the window before registration is never hit.)
    add_case<mpsc_two_producers, 1, mutant<bug::list_recheck_ignores_disconnect>, list>(cases, "deadlock");
    add_case<last_sender_dropped_while_receiver_blocked, 1, mutant<bug::locked_disconnect_outside_lock>,
             locked_unbounded>(cases, "deadlock");
    // Discard and free: the last sender and the last receiver go together.
    add_case<receiver_dropped_while_sender_blocked, 1, mutant<bug::array_discard_skips_destroy>, array>(
        cases, "oracle:destruction_mismatch");
    // zero: no message is buffered, so the unfreed channel is all that leaks (on a buffering
    // flavor the oracle reports the undestroyed message first).
    add_case<receiver_dropped_while_sender_blocked, 1, mutant<bug::counter_split_swap>, zero>(cases, "memory_leak");
    // One side frees the channel while the other is still discarding its messages: Relacy
    // reports the unordered access to the freed block as a data race (iteration 4).
    add_case<receiver_dropped_while_sender_blocked, 1, mutant<bug::counter_free_by_peer_count>, list>(cases,
                                                                                                    "data_race");
    // The other channel kinds.
    add_case<oneshot_reply, 2, mutant<bug::oneshot_relaxed_publish>, oneshot_lock_free>(cases, "data_race");
    add_case<broadcast_lagging_receiver, 1, mutant<bug::broadcast_lag_off_by_one>, slots_cap1>(cases,
                                                                                             "oracle:lag_accounting");
    add_case<broadcast_fanout, 2, mutant<bug::broadcast_notify_one>, slots_cap1>(cases, "deadlock");
    add_case<mpmc_two_by_two, 1, mutant<bug::locked_notify_one_on_disconnect>, locked_unbounded>(cases, "deadlock");
    add_case<select_racing_send, 2, mutant<bug::select_ignores_ready_arm>, list>(cases, "deadlock");
    return cases;
}

}  // namespace

int main(int argc, char** argv) {
    return chancheck::models::run_cases(argc, argv, all_cases(), chancheck::models::take_oracle_finding);
}
