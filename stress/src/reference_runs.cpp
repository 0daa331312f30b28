// The reference channels' stress runners: every kind over std_sync and over chaos_sync.
#include "chancheck/stress/runners.hpp"
#include "chancheck/sync/chaos_sync.hpp"
#include "chancheck/sync/std_sync.hpp"

namespace chancheck::stress {

namespace {

template <class Sync>
runner runner_for(stress_kind kind) {
    switch (kind) {
        case stress_kind::mpsc: return &run_kind<Sync, stress_kind::mpsc>;
        case stress_kind::mpmc: return &run_kind<Sync, stress_kind::mpmc>;
        case stress_kind::broadcast: return &run_kind<Sync, stress_kind::broadcast>;
        case stress_kind::select: return &run_kind<Sync, stress_kind::select>;
        case stress_kind::oneshot: return &run_kind<Sync, stress_kind::oneshot>;
        case stress_kind::stuck: return &run_kind<Sync, stress_kind::stuck>;
        case stress_kind::user: break;  // a user's channel has its own driver (adapter_rig.hpp)
    }
    return &run_kind<Sync, stress_kind::mpmc>;
}

}  // namespace

runner reference_runner(stress_kind kind, bool chaos) {
    return chaos ? runner_for<chaos_sync>(kind) : runner_for<std_sync>(kind);
}

}  // namespace chancheck::stress
