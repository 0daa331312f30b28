// models/bug_zoo/bug_zoo_model.cpp — every seeded bug, each with the failure it must produce.
//
// The bug zoo (channels/include/chancheck/detail/bug_zoo.hpp) compiles deliberately broken
// variants of the reference flavors in by wrapping the Sync policy. Each case runs one
// harness scenario on one mutant (a chancheck channel adapter over the mutant policy) and
// passes only when Relacy (or a harness oracle) fails the run with a kind of the bug's class
// — proof that the checkers bite. The reference flavors pass the same scenarios in
// mpsc_scenarios_model and kinds_scenarios_model. Usage: see models/common/model_runner.hpp.

// nlohmann-json and CLI11 (the results file, the command line) before Relacy: its macros must not reach them.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "chancheck/sync/relacy_sync.hpp"
// Channel and harness headers after the policy.
#include "chancheck/harness/chancheck_channels.hpp"
#include "common/scenario_adapter.hpp"

namespace {

using namespace chancheck::harness;
using chancheck::bug;
using chancheck::implementation;
using chancheck::models::add_case;

// Kind K's channel of implementation I with seeded bug B.
template <channel_kind K, implementation I, bug B>
using mutant = typename chancheck_channel<K, I>::template adapter<counted, chancheck::with_bug<chancheck::relacy_sync, B>>;

constexpr int unbounded = -1;
constexpr auto mpsc = channel_kind::mpsc, mpmc = channel_kind::mpmc;
constexpr auto lock_free = implementation::lock_free, locked = implementation::locked;

std::vector<chancheck::models::model_case> all_cases() {
    std::vector<chancheck::models::model_case> cases;
    // Weakened publication: the receiver reads the slot before the sender's write is visible.
    add_case<spsc<mutant<mpsc, lock_free, bug::array_relaxed_publish>>, 1>(cases, bug::array_relaxed_publish, "data_race");
    // Lost wake-ups: ping_pong, because neither side is rescued by a later message or by
    // the final disconnect.
    add_case<ping_pong<mutant<mpsc, lock_free, bug::list_lost_wakeup>>, unbounded>(cases, bug::list_lost_wakeup, "deadlock");
    add_case<ping_pong<mutant<mpsc, lock_free, bug::waker_relaxed_empty_check>>, unbounded>(
        cases, bug::waker_relaxed_empty_check, "deadlock");
    // Disconnect handling: the receiver must wake when the last sender goes.
    // (Two producers: with one, Relacy's scheduler lets the producer finish while the
    // receiver yields in its backoff, and the window before registration is never hit.)
    add_case<two_producers<mutant<mpsc, lock_free, bug::list_recheck_ignores_disconnect>>, unbounded>(
        cases, bug::list_recheck_ignores_disconnect, "deadlock");
    add_case<last_sender_dropped_while_receiver_blocked<mutant<mpsc, locked, bug::locked_disconnect_outside_lock>>, unbounded>(
        cases, bug::locked_disconnect_outside_lock, "deadlock");
    // Discard and free: the last sender and the last receiver go together.
    add_case<receiver_dropped_while_sender_blocked<mutant<mpsc, lock_free, bug::array_discard_skips_destroy>>, 1>(
        cases, bug::array_discard_skips_destroy, "oracle:destruction_mismatch");
    // zero: no message is buffered, so the unfreed channel is all that leaks (on a buffering
    // flavor the oracle reports the undestroyed message first).
    add_case<receiver_dropped_while_sender_blocked<mutant<mpsc, lock_free, bug::counter_split_swap>>, 0>(
        cases, bug::counter_split_swap, "memory_leak");
    // One side frees the channel while the other is still discarding its messages: Relacy
    // reports the unordered access to the freed block as a data race.
    add_case<receiver_dropped_while_sender_blocked<mutant<mpsc, lock_free, bug::counter_free_by_peer_count>>, unbounded>(
        cases, bug::counter_free_by_peer_count, "data_race");
    // An observer reading head and tail unpaired: with capacity 3, a send and a receive
    // between its two loads make len() report 2 where the channel never held more than 1.
    add_case<observers_race<mutant<mpsc, lock_free, bug::array_len_reads_unpaired>>, 3>(
        cases, bug::array_len_reads_unpaired, "oracle:not_linearizable");
    // The other channel kinds.
    add_case<oneshot_reply<mutant<channel_kind::oneshot, lock_free, bug::oneshot_relaxed_publish>>, unbounded>(
        cases, bug::oneshot_relaxed_publish, "data_race");
    add_case<broadcast_lagging_receiver<mutant<channel_kind::broadcast, lock_free, bug::broadcast_lag_off_by_one>>, 1>(
        cases, bug::broadcast_lag_off_by_one, "oracle:lag_accounting");
    add_case<broadcast_fanout<mutant<channel_kind::broadcast, lock_free, bug::broadcast_notify_one>>, 1>(
        cases, bug::broadcast_notify_one, "deadlock");
    add_case<two_by_two<mutant<mpmc, locked, bug::locked_notify_one_on_disconnect>>, unbounded>(
        cases, bug::locked_notify_one_on_disconnect, "deadlock");
    add_case<select_racing_send<mutant<mpmc, lock_free, bug::select_ignores_ready_arm>>, unbounded>(
        cases, bug::select_ignores_ready_arm, "deadlock");
    return cases;
}

}  // namespace

int main(int argc, char** argv) {
    return chancheck::models::run_cases(argc, argv, all_cases(), chancheck::models::take_oracle_finding);
}
