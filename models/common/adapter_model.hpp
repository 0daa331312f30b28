// models/common/adapter_model.hpp — the Relacy model program of a channel brought through an
// adapter over chancheck's Sync policy.
//
// A channel written over the Sync policy (its atomics, cells, mutexes, condition variables,
// parking and yield all taken from `Sync`) can be model checked like chancheck's own: its
// adapter is a template R<T, Sync> of the channel concept (harness/channel.hpp), and
// chancheck_add_channel(SYNC_ADAPTER R) generates a program calling adapter_model_main<R>,
// which runs every harness scenario that fits R<counted, relacy_sync> (harness/scenarios.hpp:
// the kind and capabilities it has) at every capacity it supports, through the same runner,
// results file and replay commands as chancheck's own models (model_runner.hpp).
//
// Include after chancheck/sync/relacy_sync.hpp and the adapter's header.
#pragma once

#include <vector>

#include "chancheck/harness/channel.hpp"
#include "common/scenario_adapter.hpp"

namespace chancheck::models {

template <template <class, class> class R>
int adapter_model_main(int argc, char** argv) {
    using adapted = R<harness::counted, relacy_sync>;
    static_assert(harness::channel_adapter_of<adapted, harness::counted>,
                  "the Sync adapter does not model chancheck::harness::channel_adapter over relacy_sync");
    static_assert(harness::valid_adapter_name(adapted::name), "an adapter's name must be [a-z0-9_]+");
    std::vector<model_case> cases;
    add_scenarios<adapted>(cases);
    return run_cases(argc, argv, cases, take_oracle_finding);
}

}  // namespace chancheck::models
