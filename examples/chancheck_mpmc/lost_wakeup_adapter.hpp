// examples/chancheck_mpmc/lost_wakeup_adapter.hpp — a deliberately broken channel over the
// Sync policy, for the Relacy engine of chancheck_add_channel to catch.
//
// chancheck's mpmc with the bug zoo's list_lost_wakeup seeded in (channels/include/chancheck/
// detail/bug_zoo.hpp): a receiver about to sleep on the unbounded (list) channel can miss
// the wake-up of the send that fills it. Streams are rescued by the next message or the final
// disconnect; the ping_pong hand-off is not, so Relacy finds a deadlock there.
#pragma once

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/harness/chancheck_channels.hpp"

namespace chancheck_mpmc_example {

template <class T, class Sync>
struct lost_wakeup_adapter
    : chancheck::harness::chancheck_mpmc_sync_adapter<T, chancheck::with_bug<Sync, chancheck::bug::list_lost_wakeup>> {
    static constexpr const char* name = "chancheck_mpmc_lost_wakeup";
};

}  // namespace chancheck_mpmc_example
