// The bug zoo's stress runners: with_bug<chaos_sync, B> for each (mutant, kind) pair of
// mutant_kinds, and nothing else (each instantiation costs compile time).
#include <cstddef>
#include <utility>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/stress/bug_zoo_targets.hpp"
#include "chancheck/stress/runners.hpp"
#include "chancheck/sync/chaos_sync.hpp"

namespace chancheck::stress {

namespace {

template <std::size_t... I>
runner find_mutant_runner(bug mutant, channel_kind kind, std::index_sequence<I...>) {
    runner found = nullptr;
    ((mutant_kinds[I].mutant == mutant && mutant_kinds[I].kind == kind
          ? (found = &run_kind<with_bug<chaos_sync, mutant_kinds[I].mutant>, mutant_kinds[I].kind>)
          : found),
     ...);
    return found;
}

}  // namespace

runner mutant_runner(bug mutant, channel_kind kind) {
    return find_mutant_runner(mutant, kind, std::make_index_sequence<mutant_kinds.size()>{});
}

}  // namespace chancheck::stress
