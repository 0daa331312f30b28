// property_tests/concurrent/adapter_properties.hpp — the property engine over a user's channel
// adapter (harness/channel.hpp): the same generated programs, judge, shrinking, results file
// and command line (properties_main.hpp) as chancheck's own channels.
//
// The programs use the operations the adapter offers (send and recv always; try, timed,
// observer and select operations where it has them) at the capacities it supports. A channel
// written over chancheck's Sync policy (a SYNC_ADAPTER R<T, Sync>) runs them under the
// deterministic scheduler (R<counted, sched_sync>: every interleaving decided by a schedule,
// exact replays, deadlocks judged) as property "<name>", and on real threads
// (R<counted, std_sync>) as "<name>.real_threads"; a plain adapter A<T> runs them on real
// threads, as "<name>", with deadlock-free programs (each thread only sends or only receives).
// Results have mode "adapter", which the report files under the channel's own row.
//
//   int main(int argc, char** argv) {
//       return chancheck::props::adapter_properties_main<my_adapter>(argc, argv);
//   }
#pragma once

#include <string>
#include <vector>

#include "chancheck/harness/channel.hpp"
#include "chancheck/sync/sched_sync.hpp"
#include "chancheck/sync/std_sync.hpp"
#include "properties_main.hpp"

namespace chancheck::props {

template <class A>
property_spec real_threads_property(const std::string& name) {
    using traits = harness::channel_traits<A, counted>;
    property_spec p{.name = name, .kind = traits::kind, .subjects = {real_threads_subject<A>()}};
    p.options.deadlock_free = true;
    p.real_threads = true;
    return p;
}

template <class A>
void check_adapter() {
    static_assert(harness::channel_adapter_of<A, counted>, "the adapter does not model chancheck::harness::channel_adapter");
    static_assert(harness::valid_adapter_name(A::name), "an adapter's name must be [a-z0-9_]+");
}

// A plain adapter A<T> (the channel uses std primitives): real threads.
template <template <class> class A>
int adapter_properties_main(int argc, char** argv) {
    check_adapter<A<counted>>();
    return properties_main(argc, argv, {real_threads_property<A<counted>>(A<counted>::name)},
                           std::string("Property tests of ") + A<counted>::name + " through its chancheck adapter.", "adapter");
}

// A channel over chancheck's Sync policy, R<T, Sync>: the deterministic scheduler and real threads.
template <template <class, class> class R>
int sync_adapter_properties_main(int argc, char** argv) {
    using scheduled = R<counted, sched_sync>;
    check_adapter<scheduled>();
    const std::string name = scheduled::name;
    property_spec under_scheduler{.name = name,
                                  .kind = harness::channel_traits<scheduled, counted>::kind,
                                  .subjects = {scheduled_subject<scheduled>()}};
    std::vector<property_spec> props{under_scheduler, real_threads_property<R<counted, std_sync>>(name + ".real_threads")};
    return properties_main(argc, argv, std::move(props), "Property tests of " + name + " through its chancheck adapter.",
                           "adapter");
}

}  // namespace chancheck::props
