// concurrent_properties — RapidCheck-generated producer/consumer programs and schedules over
// chancheck's own channels (reference_properties.hpp): every kind and flavor under the
// deterministic scheduler, select, real threads, and the bug zoo.
//
// Each property draws a program (program.hpp) and a schedule (a random walk or a PCT
// schedule, sched/schedule.hpp), runs the program under the deterministic scheduler
// (sched_sync) and judges it (judge.hpp). On a failure RapidCheck shrinks program and
// schedule together; the last failing pair it tried is the minimal counterexample, printed
// with the one command that replays it. The real-threads property runs deadlock-free
// programs many times on std::thread. The command line: properties_main.hpp; check_replay.py
// FILE BINARY replays every counterexample of a results file.
#include "properties_main.hpp"
#include "reference_properties.hpp"

int main(int argc, char** argv) {
    return chancheck::props::properties_main(
        argc, argv, chancheck::props::all_properties(),
        "Generated producer/consumer programs and schedules over chancheck's channels, judged by the oracles "
        "and the linearizability checker, shrunk and replayable.",
        "all");
}
