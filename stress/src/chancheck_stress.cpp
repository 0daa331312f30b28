// chancheck-stress — stress runs of chancheck's channels on real threads.
//
// One run: a channel kind and flavor, producers x consumers, a capacity, a workload
// (workloads.hpp), a message count or a duration, a seed, optional chaos noise, and a
// watchdog. --all sweeps every kind x flavor x topology (1x1, 4x1, 1x4, 4x4) x capacity
// (0, 1, 16, unbounded) x workload within a time budget; --bug-zoo runs the seeded bugs where
// stress can see them (bug_zoo_targets.hpp) and says which it caught and how. Every run is a
// child process (supervisor.hpp) and leaves a JSON file (result_json.hpp); see --help.
// The command line itself is driver.hpp's, shared with the drivers made for users' channels;
// this file names chancheck's kinds, flavors and runners.
#include "chancheck/stress/driver.hpp"
#include "chancheck/stress/runners.hpp"

namespace {

const char* const usage_text = R"(Usage: chancheck-stress [options]            one run
       chancheck-stress --all [options]      sweep every configuration within --budget
       chancheck-stress --bug-zoo [options]  run the seeded bugs; report which were caught
       chancheck-stress --list               print the sweep and the bug-zoo targets

One run:
  --kind K          mpsc | mpmc | broadcast | select | oneshot | stuck   (default mpmc)
                    (stuck: a deliberately broken channel, to see the watchdog fire)
  --flavor F        lock_free | locked                                  (default lock_free)
  --workload W      stream | round_trip | receiver_quits                (default stream)
  --producers N     producer (client) threads, 1..64                    (default 1)
  --consumers N     consumer (server) threads, 1..64                    (default 1)
  --capacity C      0 (rendezvous), N, or unbounded                     (default unbounded)
  --messages N      messages per producer (0: until --duration ends)    (default 100000)
  --duration D      run for D (e.g. 500ms, 2s); 0 to use --messages only
  --seed S          chaos noise seed (default: random, printed)
  --chaos           inject random yields and short sleeps at every synchronization point
  --watchdog D      fail when no thread completes an operation for D     (default 10s)
  --bug NAME        run a seeded bug (a mutant) instead of the reference channel
Sweep (--all):
  --budget D        total time for the sweep                            (default 60s)
  --chaos-mode M    off | on | both: plain runs, chaos runs, or each configuration twice
                    (default both)
  --kind/--flavor/--workload   restrict the sweep
Bug zoo (--bug-zoo):
  --budget D        time per mutant (three times that for one with --expect) (default 10s)
  --only NAME       only this mutant (repeatable)
  --expect NAME=KIND  fail unless NAME is caught by a failure of KIND (a prefix:
                    watchdog, tsan, asan, lsan, oracle, oracle:lost_message, ...)
Common:
  --results DIR     write run files to DIR/stress/runs/ and a summary to DIR/stress/
  --hard-limit D    kill a run that outlives D even without a watchdog verdict
                    (default: duration + watchdog + 60s; 900s when only --messages is given)
  --help            this text
Exit status: 0 all runs passed (and every --expect held), 1 otherwise, 2 bad usage.
)";

}  // namespace

int main(int argc, char** argv) {
    using chancheck::stress::channel_flavor;
    using chancheck::stress::stress_kind;
    const chancheck::stress::subject_table table{
        .program = "chancheck-stress",
        .usage = usage_text,
        .kinds = {stress_kind::mpsc, stress_kind::mpmc, stress_kind::broadcast, stress_kind::select,
                  stress_kind::oneshot, stress_kind::stuck},
        .flavors = {channel_flavor::lock_free, channel_flavor::locked},
        .default_kind = stress_kind::mpmc,
        .default_flavor = channel_flavor::lock_free,
        .chaos = true,
        .bug_zoo = true,
        .reference = &chancheck::stress::reference_runner,
        .mutant = &chancheck::stress::mutant_runner,
        .check = nullptr,
    };
    return chancheck::stress::driver_main(argc, argv, table);
}
