// chancheck-stress — stress runs of chancheck's channels on real threads.
//
// One run: a channel (named after its kind: mpsc, mpmc, broadcast, oneshot, select; or
// stuck, a deliberately broken one that shows the watchdog firing) at a flavor, producers x
// consumers, a capacity, a workload (workloads.hpp), a message count or a duration, a seed,
// optional chaos noise, and a watchdog. --all sweeps, --bug-zoo runs the seeded bugs where
// stress can see them; every run is a child process (supervisor.hpp) and leaves a JSON file
// (result_json.hpp); see --help. The command line itself is driver.hpp's, shared with the
// drivers made for users' channels; this file names chancheck's channels and runners.
#include "chancheck/harness/chancheck_channels.hpp"
#include "chancheck/stress/driver.hpp"
#include "chancheck/stress/runners.hpp"

namespace {

using namespace chancheck::stress;
using chancheck::implementation;

// Kind K's channel (select: an mpmc channel per producer) of implementation I.
template <channel_kind K, implementation I>
using channel_of = typename chancheck::harness::chancheck_channel<K == channel_kind::select ? channel_kind::mpmc : K,
                                                                  I>::template adapter<counted>;

template <channel_kind K>
flavor flavor_of(implementation impl, std::optional<std::size_t> capacity) {
    return impl == implementation::locked ? channel_of<K, implementation::locked>::flavor_of(capacity)
                                          : channel_of<K, implementation::lock_free>::flavor_of(capacity);
}

template <channel_kind K>
bool supports(std::optional<std::size_t> capacity) {
    return channel_of<K, implementation::lock_free>::supports(capacity);
}

template <channel_kind K>
runner reference(bool chaos) {
    return reference_runner(K, chaos);
}

template <channel_kind K>
stress_channel own(bool multi_consumer) {
    return {chancheck::harness::to_string(K), K, {implementation::lock_free, implementation::locked}, &flavor_of<K>,
            &supports<K>, multi_consumer, &reference<K>};
}

runner stuck(bool) { return &run_stuck; }
flavor stuck_flavor(implementation, std::optional<std::size_t>) { return flavor::adapter; }
bool any_capacity(std::optional<std::size_t>) { return true; }

}  // namespace

int main(int argc, char** argv) {
    stress_channel stuck_channel{"stuck", channel_kind::mpmc, {implementation::lock_free}, &stuck_flavor, &any_capacity, true, &stuck};
    stuck_channel.test_only = true;
    const driver_table table{
        .program = "chancheck-stress",
        .description = "Stress runs of chancheck's channels on real threads: one run, --all (a sweep within --budget), "
                       "--bug-zoo (the seeded bugs), --list. stuck is a deliberately broken channel, to see the watchdog "
                       "fire.",
        .channels = {own<channel_kind::mpsc>(false), own<channel_kind::mpmc>(true), own<channel_kind::broadcast>(false),
                     own<channel_kind::select>(false), own<channel_kind::oneshot>(true), stuck_channel},
        .default_channel = "mpmc",
        .chaos = true,
        .bug_zoo = true,
        .mutant = &mutant_runner,
    };
    return driver_main(argc, argv, table);
}
