// The reference channels' stress runners: every kind over std_sync and over chaos_sync.
#include "chancheck/stress/runners.hpp"
#include "chancheck/sync/chaos_sync.hpp"
#include "chancheck/sync/std_sync.hpp"

namespace chancheck::stress {

namespace {

template <class Sync>
runner runner_for(channel_kind kind) {
    switch (kind) {
        case channel_kind::mpsc: return &run_kind<Sync, channel_kind::mpsc>;
        case channel_kind::mpmc: return &run_kind<Sync, channel_kind::mpmc>;
        case channel_kind::broadcast: return &run_kind<Sync, channel_kind::broadcast>;
        case channel_kind::select: return &run_kind<Sync, channel_kind::select>;
        case channel_kind::oneshot: break;
    }
    return &run_kind<Sync, channel_kind::oneshot>;
}

}  // namespace

runner reference_runner(channel_kind kind, bool chaos) {
    return chaos ? runner_for<chaos_sync>(kind) : runner_for<std_sync>(kind);
}

}  // namespace chancheck::stress
