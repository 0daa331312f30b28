// property_tests/concurrent/reference_properties.hpp — the properties of chancheck's own
// channels: every kind and flavor under the deterministic scheduler, select, real threads,
// and the bug zoo (each SC-visible mutant where it lives, which must be caught).
#pragma once

#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/harness/chancheck_channels.hpp"
#include "chancheck/sync/sched_sync.hpp"
#include "chancheck/sync/std_sync.hpp"
#include "properties.hpp"

namespace chancheck::props {

template <channel_kind K, implementation I, class Sync>
using own = typename harness::chancheck_channel<K, I>::template adapter<counted, Sync>;

// Kind K's channels of the listed implementations, under the deterministic scheduler over Sync.
template <channel_kind K, class Sync, implementation... Is>
std::vector<subject> scheduled() {
    return {scheduled_subject<own<K, Is, Sync>>()...};
}

template <class Sync>
std::vector<subject> every_kind_on_real_threads() {
    using I = implementation;
    using K = channel_kind;
    return {real_threads_subject<own<K::mpsc, I::lock_free, Sync>>(), real_threads_subject<own<K::mpsc, I::locked, Sync>>(),
            real_threads_subject<own<K::mpmc, I::lock_free, Sync>>(), real_threads_subject<own<K::mpmc, I::locked, Sync>>(),
            real_threads_subject<own<K::broadcast, I::lock_free, Sync>>(), real_threads_subject<own<K::broadcast, I::locked, Sync>>(),
            real_threads_subject<own<K::oneshot, I::lock_free, Sync>>(), real_threads_subject<own<K::oneshot, I::locked, Sync>>()};
}

template <bug B>
using mutant = with_bug<sched_sync, B>;

inline const std::vector<property_spec>& all_properties() {
    using I = implementation;
    using K = channel_kind;
    static const std::vector<property_spec> props = [] {
        std::vector<property_spec> v;
        // The reference channels: every kind and flavor.
        v.push_back({"mpsc", K::mpsc, scheduled<K::mpsc, sched_sync, I::lock_free, I::locked>()});
        v.push_back({"mpmc", K::mpmc, scheduled<K::mpmc, sched_sync, I::lock_free, I::locked>()});
        v.push_back({"broadcast", K::broadcast, scheduled<K::broadcast, sched_sync, I::lock_free, I::locked>()});
        v.push_back({"oneshot", K::oneshot, scheduled<K::oneshot, sched_sync, I::lock_free, I::locked>()});
        {
            property_spec sel{"select", K::select, scheduled<K::mpsc, sched_sync, I::lock_free>()};
            sel.subjects.push_back(scheduled_subject<own<K::mpmc, I::lock_free, sched_sync>>());
            sel.options.two_channels_only = true;
            v.push_back(sel);
        }
        {
            property_spec real{"real_threads", K::mpmc, every_kind_on_real_threads<std_sync>()};
            real.options.deadlock_free = true;
            real.real_threads = true;
            v.push_back(real);
        }
        // The bug zoo: each mutant where it lives. `shows_as` is the kind it is found as here
        // (a catch is any kind of the bug's class).
        auto add = [&](bug b, K kind, std::vector<subject> subjects, std::vector<int> capacities, const char* shows_as) {
            if (!kind_of_class(shows_as, class_of(b))) throw std::logic_error("bug zoo: a catch outside the bug's class");
            property_spec p{std::string("bug_zoo.") + bug_name(b), kind, std::move(subjects)};
            p.capacities = std::move(capacities);
            p.mutant = b;
            v.push_back(std::move(p));
        };
        const std::vector<int> unbounded{-1}, every{}, buffered{1, 2, 3, 4};
        // The mutants of the lock-free queue flavors, on both queue kinds.
        auto queues = [](auto mutant_sync) {
            using S = decltype(mutant_sync);
            return std::vector<subject>{scheduled_subject<own<K::mpsc, I::lock_free, S>>(),
                                        scheduled_subject<own<K::mpmc, I::lock_free, S>>()};
        };
        auto locked_queues = [](auto mutant_sync) {
            using S = decltype(mutant_sync);
            return std::vector<subject>{scheduled_subject<own<K::mpsc, I::locked, S>>(),
                                        scheduled_subject<own<K::mpmc, I::locked, S>>()};
        };
        add(bug::list_lost_wakeup, K::mpsc, queues(mutant<bug::list_lost_wakeup>{}), unbounded, "deadlock");
        add(bug::list_recheck_ignores_disconnect, K::mpsc, queues(mutant<bug::list_recheck_ignores_disconnect>{}), unbounded,
            "deadlock");
        add(bug::locked_disconnect_outside_lock, K::mpsc, locked_queues(mutant<bug::locked_disconnect_outside_lock>{}), every,
            "deadlock");
        add(bug::locked_notify_one_on_disconnect, K::mpmc,
            {scheduled_subject<own<K::mpmc, I::locked, mutant<bug::locked_notify_one_on_disconnect>>>()}, every, "deadlock");
        add(bug::broadcast_notify_one, K::broadcast,
            {scheduled_subject<own<K::broadcast, I::lock_free, mutant<bug::broadcast_notify_one>>>()}, every, "deadlock");
        {
            add(bug::select_ignores_ready_arm, K::select, queues(mutant<bug::select_ignores_ready_arm>{}), unbounded, "deadlock");
            v.back().options.two_channels_only = true;
        }
        add(bug::array_discard_skips_destroy, K::mpsc, queues(mutant<bug::array_discard_skips_destroy>{}), buffered,
            "oracle:destruction_mismatch");
        add(bug::array_len_reads_unpaired, K::mpsc, queues(mutant<bug::array_len_reads_unpaired>{}), {2, 3, 4},
            "not_linearizable");
        add(bug::counter_split_swap, K::mpsc, queues(mutant<bug::counter_split_swap>{}), every, "memory_leak");
        add(bug::counter_free_by_peer_count, K::mpsc, queues(mutant<bug::counter_free_by_peer_count>{}), every,
            "use_after_free");
        add(bug::broadcast_lag_off_by_one, K::broadcast,
            {scheduled_subject<own<K::broadcast, I::lock_free, mutant<bug::broadcast_lag_off_by_one>>>()}, every,
            "not_linearizable");
        {
            // The real-threads engine must bite too: a mutant that shows in any interleaving.
            using real_mutant = with_bug<std_sync, bug::array_discard_skips_destroy>;
            property_spec real{"bug_zoo.real_threads.array_discard_skips_destroy", K::mpsc,
                               {real_threads_subject<own<K::mpsc, I::lock_free, real_mutant>>(),
                                real_threads_subject<own<K::mpmc, I::lock_free, real_mutant>>()}};
            real.capacities = buffered;
            real.options.deadlock_free = true;
            real.mutant = bug::array_discard_skips_destroy;
            real.real_threads = true;
            v.push_back(std::move(real));
        }
        add(bug::blocked_wait_spins, K::mpsc, queues(mutant<bug::blocked_wait_spins>{}), every, "busy_wait");
        return v;
    }();
    return props;
}

}  // namespace chancheck::props
