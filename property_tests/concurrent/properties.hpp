// property_tests/concurrent/properties.hpp — what a concurrent property is, and how one is
// checked.
//
// A property draws a program (program.hpp) over one of its *subjects* — channels of the
// concept (harness/channel.hpp), each with the runner of one case: under the deterministic
// scheduler (the adapter over sched_sync, or a bug-zoo mutant of it, which must FAIL with a
// failure kind of its bug's class) or many times on real threads — together with a
// schedule, runs it and judges it (judge.hpp). check_property drives RapidCheck
// (rc::detail::checkTestable) with a given seed and case budget and keeps the last failing
// (program, schedule) pair, which after shrinking is the minimal counterexample.
#pragma once

#include <rapidcheck.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/harness/crash_note.hpp"
#include "chancheck/harness/shell_words.hpp"
#include "run_case.hpp"

namespace chancheck::props {

using case_runner = case_outcome (*)(const program&, const sched::schedule&);

// One channel a property runs programs on, how it runs one case, and (optional) how a failure's
// message is finished for people once, for the counterexample only (controlled scheduling:
// stacks as source lines, which cost tenths of a second each).
struct subject {
    channel_caps caps;
    case_runner run;
    std::string (*finish_message)(const std::string&) = nullptr;
};

// How a property's schedules are drawn: the longest list of random-walk choices (a seeded tail
// follows), and the range of PCT's change points.
struct schedule_shape {
    int choices = 400;
    std::uint32_t change_points = 400;
};

// Cases per property at the quick and the full budget.
struct case_budget {
    int quick = 0;
    int full = 0;
};

struct property_spec {
    std::string name;
    channel_kind kind = channel_kind::mpsc;  // what the report files its check under
    std::vector<subject> subjects;
    gen_options options{};
    std::vector<int> capacities{};  // empty: every capacity a subject supports; else only these
    bug mutant = bug::none;       // none: correct channels, which must pass; else it must fail
                                  // with a failure kind of the bug's class (bug_zoo.hpp)
    bool real_threads = false;    // a counterexample is rerun, not replayed: real threads have no schedule
    bool controlled = false;      // the cases run under controlled scheduling (controlled_properties.hpp)
    std::string executable = "concurrent_properties";  // what replays a counterexample
    std::optional<case_budget> budget{};  // none: check_property's, by how the cases run
    schedule_shape schedules{};           // how its schedules are drawn
    int shrink_seconds = 0;               // > 0: shrinking stops after this long (the smallest failure so far stands)

    // How the cases run, in the results file's words.
    const char* engine() const { return real_threads ? "real_threads" : controlled ? "controlled" : "sched_sync"; }
    bool is_mutant() const { return mutant != bug::none; }
    std::string mutant_name() const { return is_mutant() ? bug_name(mutant) : ""; }
    // "pass", or the failure kinds the mutant may be caught as.
    std::string expected() const { return is_mutant() ? std::string(accepted_kinds(class_of(mutant))) : "pass"; }
    // A correct channel passes; a mutant fails with a kind of its bug's class.
    bool as_expected(bool passed, const std::string& failure_kind) const {
        return is_mutant() ? !passed && kind_of_class(failure_kind, class_of(mutant)) : passed;
    }
    const subject* find(const std::string& subject_name) const {
        for (const subject& s : subjects)
            if (s.caps.name == subject_name) return &s;
        return nullptr;
    }
    program parse(const std::string& text) const {
        return parse_program(text, [&](const std::string& n) -> const channel_caps* {
            const subject* s = find(n);
            return s != nullptr ? &s->caps : nullptr;
        });
    }
    // Runs one case; a program naming no subject of this property is bad input.
    case_outcome run(const program& p, const sched::schedule& s) const {
        const subject* sub = find(p.subject);
        if (sub == nullptr) throw std::invalid_argument("property " + name + " has no channel '" + p.subject + "'");
        return sub->run(p, s);
    }
};

// The subject A under the deterministic scheduler (A over sched_sync or a mutant of it).
template <class A>
subject scheduled_subject() {
    return {caps_of<A>(), &run_scheduled<A>};
}

// A deadlock-free program 50 times on real threads; a hang is a deadlock verdict
// (run_real_threads).
template <class A>
case_outcome real_threads_case(const program& p, const sched::schedule&) {
    return run_real_threads<A>(p, 50);
}

// The subject A on real threads (A over std_sync, or a plain adapter): 50 runs per program.
template <class A>
subject real_threads_subject() {
    return {caps_of<A>(), &real_threads_case<A>};
}

// Schedules: a random walk (up to `shape.choices` choices, then a seeded tail) or a PCT
// schedule of depth up to 3. Both shrink toward fewer, smaller choices.
inline rc::Gen<sched::schedule> gen_schedule(unsigned threads, schedule_shape shape = {}) {
    return rc::gen::exec([threads, shape] {
        sched::schedule s;
        if (*rc::gen::arbitrary<bool>()) {
            s.kind = sched::policy::random_walk;
            s.choices = *rc::gen::resize(shape.choices, rc::gen::arbitrary<std::vector<std::uint8_t>>());
            s.tail_seed = *rc::gen::arbitrary<std::uint64_t>();
        } else {
            s.kind = sched::policy::pct;
            s.priorities = *rc::gen::container<std::vector<std::uint8_t>>(threads, rc::gen::arbitrary<std::uint8_t>());
            const std::size_t changes = *rc::gen::inRange<std::size_t>(0, 3);
            s.change_points = *rc::gen::container<std::vector<std::uint32_t>>(changes, rc::gen::inRange<std::uint32_t>(0, shape.change_points));
            s.choices = *rc::gen::resize(16, rc::gen::arbitrary<std::vector<std::uint8_t>>());
        }
        return s;
    });
}

// A program over one of the property's subjects (earlier subjects are simpler: shrinking
// moves toward them), at one of the capacities it allows.
inline rc::Gen<program> gen_case_program(const property_spec& spec) {
    return rc::gen::exec([&spec] {
        const subject& s = spec.subjects[*rc::gen::inRange<std::size_t>(0, spec.subjects.size())];
        channel_caps caps = s.caps;
        if (!spec.capacities.empty()) {
            std::vector<int> kept;
            for (int c : caps.capacities)
                if (std::find(spec.capacities.begin(), spec.capacities.end(), c) != spec.capacities.end()) kept.push_back(c);
            caps.capacities = kept;
        }
        return *gen_program(caps, spec.options);
    });
}

struct property_result {
    bool passed = true;
    int cases = 0;
    int program_deadlocks = 0;
    int shrinks = 0;
    bool shrink_stopped = false;  // at the spec's shrink_seconds
    bool replay_diverged = false;  // the counterexample's replay did not fail the same way
    double seconds = 0;
    std::string failure_kind, message;
    harness::history events;  // the counterexample's recorded operations
    std::string program, schedule, replay;
    std::string subject;            // the counterexample's channel
    harness::flavor flavor = harness::flavor::adapter;  // ... and its flavor at its capacity
    std::optional<std::size_t> capacity;
    std::size_t counterexample_ops = 0, counterexample_threads = 0;
};

// The one command that replays case (p, s) of `spec`: exactly under a scheduler, as a rerun
// of the program on real threads.
inline std::string replay_command(const property_spec& spec, const program& p, const sched::schedule& s) {
    std::string replay = spec.executable + " --property " + spec.name + " --program " + harness::shell_word(to_text(p));
    if (!spec.real_threads) replay += " --schedule " + harness::shell_word(to_string(s));
    const long hang_ms = static_cast<long>(hang_after().count());
    if (spec.real_threads && hang_after() != default_hang_after)
        replay += " --hang-after " + (hang_ms % 1000 == 0 ? std::to_string(hang_ms / 1000) : std::to_string(hang_ms / 1000.0));
    return replay;
}

inline property_result check_property(const property_spec& spec, std::uint64_t seed, bool full) {
    property_result res;
    struct failing_case {
        program p;
        sched::schedule s;
        case_outcome out;
        std::chrono::steady_clock::time_point at;  // of the first failure: shrinking began
    };
    std::optional<failing_case> last;
    const auto start = std::chrono::steady_clock::now();
    const auto property = [&] {
        const program p = *gen_case_program(spec);
        // Shrinking stops at the time limit: the candidates left count as passing, so the
        // smallest failure found so far is the counterexample.
        if (last && spec.shrink_seconds > 0 && std::chrono::steady_clock::now() - last->at > std::chrono::seconds(spec.shrink_seconds)) {
            res.shrink_stopped = true;
            return;
        }
        const sched::schedule s = *gen_schedule(static_cast<unsigned>(p.threads.size()), spec.schedules);
        // Should the case crash the process, its replay is on stderr (crash_note.hpp).
        harness::crash_note::set("property " + spec.name + ", case " + std::to_string(res.cases + 1) +
                                 "; replay: " + replay_command(spec, p, s));
        case_outcome out = spec.run(p, s);
        ++res.cases;
        if (out.v.program_deadlock) ++res.program_deadlocks;
        if (out.v.failed) {
            last = failing_case{p, s, out, last ? last->at : std::chrono::steady_clock::now()};
            RC_FAIL(out.v.kind + ": " + out.v.message);
        }
    };
    rc::detail::TestMetadata meta;
    meta.id = spec.name;
    meta.description = spec.name;
    rc::detail::TestParams params;
    params.seed = seed;
    // Quick: seconds per property in a Debug build. A mutant's search stops at its first
    // failure, so a large budget costs time only when the bug hides; it must be large enough
    // that no seed lets a mutant escape: list_recheck_ignores_disconnect, the hardest, needs
    // about 7000 cases on average and escaped 2 seeds in 50 at 20000 (at 100000 that chance is
    // about e^-14).
    const int reference_budget = full ? 50000 : 3000;
    const int mutant_budget = full ? 200000 : 100000;
    params.maxSuccess = spec.real_threads ? (full ? 1000 : 100) : (spec.is_mutant() ? mutant_budget : reference_budget);
    if (spec.budget) params.maxSuccess = full ? spec.budget->full : spec.budget->quick;
    params.maxSize = 100;
    params.maxDiscardRatio = 10;
    const rc::detail::TestResult result = rc::detail::checkTestable(property, meta, params);
    harness::crash_note::clear();
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rc::detail::FailureResult failure;
    if (result.match(failure)) {
        res.passed = false;
        res.shrinks = static_cast<int>(failure.reproduce.shrinkPath.size());
        if (last) {
            res.failure_kind = last->out.v.kind;
            res.message = last->out.v.message;
            if (const subject* sub = spec.find(last->p.subject); sub != nullptr && sub->finish_message != nullptr)
                res.message = sub->finish_message(res.message);
            if (res.shrink_stopped)
                res.message += "\n  (shrinking stopped after " + std::to_string(spec.shrink_seconds) + " s: the smallest failure found by then)";
            res.events = last->out.events;
            res.program = to_text(last->p);
            res.schedule = to_string(last->s);
            res.subject = last->p.subject;
            res.capacity = last->p.capacity;
            if (const subject* sub = spec.find(last->p.subject)) res.flavor = sub->caps.flavor_of(last->p.capacity);
            res.counterexample_ops = last->p.op_count();
            res.counterexample_threads = last->p.threads.size();
            res.replay = replay_command(spec, last->p, last->s);
            // A scheduled counterexample must replay exactly; one that does not depends on
            // something the scheduler does not control (a clock, I/O, a synchronization the
            // controlled runtime does not see): said, not silent.
            if (!spec.real_threads) {
                const case_outcome again = spec.run(last->p, last->s);
                if (!again.v.failed || again.v.kind != res.failure_kind) {
                    res.replay_diverged = true;
                    res.message += "\n  NOT REPRODUCIBLE: its replay ended as " + (again.v.failed ? again.v.kind : std::string("a pass")) +
                                   ": the execution depends on something the scheduler does not control (a clock, I/O, an "
                                   "uninstrumented synchronization)";
                }
            }
        } else {
            res.failure_kind = "error";
            res.message = failure.description;
        }
    } else if (!result.template is<rc::detail::SuccessResult>()) {
        res.passed = false;
        res.failure_kind = "error";
        std::ostringstream text;
        rc::detail::printResultMessage(result, text);
        res.message = text.str();
    }
    return res;
}

}  // namespace chancheck::props
