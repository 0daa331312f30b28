// property_tests/concurrent/properties.hpp — the concurrent properties and how one is checked.
//
// A property is a program generator (gen_limits) and a runner: sched_sync for the correct
// channels, with_bug<sched_sync, bug::X> for a mutant of the bug zoo (which must FAIL, with
// the expected kind), or real threads. check_property drives RapidCheck
// (rc::detail::checkTestable) with a fixed seed and case budget and keeps the last failing
// (program, schedule) pair, which after shrinking is the minimal counterexample.
#pragma once

#include <rapidcheck.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "chancheck/detail/bug_zoo.hpp"
#include "chancheck/harness/crash_note.hpp"
#include "run_case.hpp"

namespace chancheck::props {

using case_runner = case_outcome (*)(const program&, const sched::schedule&);

struct property_spec {
    std::string name;
    gen_limits limits;
    case_runner run;
    bug mutant = bug::none;  // none: a correct channel, which must pass; else it must fail
                             // with a failure kind of the bug's class (bug_zoo.hpp)
    bool real_threads = false;
    // How a counterexample is written and replayed. A user's channel (adapter_properties.hpp)
    // names itself in the program text and is replayed by its own executable, without a
    // schedule (real threads have none).
    std::string executable = "concurrent_properties";
    std::string (*program_text)(const program&) = nullptr;  // null: to_text
    bool replay_schedule = true;

    bool is_mutant() const { return mutant != bug::none; }
    std::string mutant_name() const { return is_mutant() ? bug_name(mutant) : ""; }
    // "pass", or the failure kinds the mutant may be caught as.
    std::string expected() const { return is_mutant() ? std::string(accepted_kinds(class_of(mutant))) : "pass"; }
    // A correct channel passes; a mutant fails with a kind of its bug's class.
    bool as_expected(bool passed, const std::string& failure_kind) const {
        return is_mutant() ? !passed && kind_of_class(failure_kind, class_of(mutant)) : passed;
    }
};

// Schedules: a random walk (up to ~400 choices, then a seeded tail) or a PCT schedule of
// depth up to 3. Both shrink toward fewer, smaller choices.
inline rc::Gen<sched::schedule> gen_schedule(unsigned threads) {
    return rc::gen::exec([threads] {
        sched::schedule s;
        if (*rc::gen::arbitrary<bool>()) {
            s.kind = sched::policy::random_walk;
            s.choices = *rc::gen::resize(400, rc::gen::arbitrary<std::vector<std::uint8_t>>());
            s.tail_seed = *rc::gen::arbitrary<std::uint64_t>();
        } else {
            s.kind = sched::policy::pct;
            s.priorities = *rc::gen::container<std::vector<std::uint8_t>>(threads, rc::gen::arbitrary<std::uint8_t>());
            const std::size_t changes = *rc::gen::inRange<std::size_t>(0, 3);
            s.change_points = *rc::gen::container<std::vector<std::uint32_t>>(changes, rc::gen::inRange<std::uint32_t>(0, 400));
            s.choices = *rc::gen::resize(16, rc::gen::arbitrary<std::vector<std::uint8_t>>());
        }
        return s;
    });
}

template <class Sync = std_sync>
case_outcome real_threads_case(const program& p, const sched::schedule&) {
    return run_real_threads<Sync>(p, 50, std::chrono::seconds(60));
}

template <bug B>
using mutant = with_bug<sched_sync, B>;

inline gen_limits limits(std::vector<channel_kind> kinds, std::vector<implementation> flavors, std::vector<int> capacities = {-1, 0, 1, 2, 3, 4}) {
    gen_limits l;
    l.kinds = std::move(kinds);
    l.flavors = std::move(flavors);
    l.capacities = std::move(capacities);
    return l;
}

inline const std::vector<property_spec>& all_properties() {
    using K = channel_kind;
    const auto both = std::vector<implementation>{implementation::lock_free, implementation::locked};
    const auto lock_free = std::vector<implementation>{implementation::lock_free};
    const auto locked = std::vector<implementation>{implementation::locked};
    static const std::vector<property_spec> props = [&] {
        std::vector<property_spec> v;
        // The reference channels: every kind and flavor.
        v.push_back({"mpsc", limits({K::mpsc}, both), &run_scheduled<sched_sync>});
        v.push_back({"mpmc", limits({K::mpmc}, both), &run_scheduled<sched_sync>});
        v.push_back({"broadcast", limits({K::broadcast}, both), &run_scheduled<sched_sync>});
        v.push_back({"oneshot", limits({K::oneshot}, both), &run_scheduled<sched_sync>});
        {
            property_spec sel{"select", limits({K::mpsc, K::mpmc}, lock_free), &run_scheduled<sched_sync>};
            sel.limits.two_channels_only = true;
            v.push_back(sel);
        }
        {
            property_spec real{"real_threads", limits({K::mpsc, K::mpmc, K::broadcast, K::oneshot}, both), &real_threads_case<>};
            real.limits.deadlock_free = true;
            real.real_threads = true;
            v.push_back(real);
        }
        // The bug zoo: each mutant where it lives, with the failure kind it shows as here (a
        // catch is any kind of the bug's class; the one named is what these programs find).
        auto add = [&](bug b, gen_limits l, case_runner run, const char* shows_as) {
            if (!kind_of_class(shows_as, class_of(b))) throw std::logic_error("bug zoo: a catch outside the bug's class");
            v.push_back({std::string("bug_zoo.") + bug_name(b), std::move(l), run, b});
        };
        add(bug::list_lost_wakeup, limits({K::mpsc, K::mpmc}, lock_free, {-1}), &run_scheduled<mutant<bug::list_lost_wakeup>>, "deadlock");
        add(bug::list_recheck_ignores_disconnect, limits({K::mpsc, K::mpmc}, lock_free, {-1}),
            &run_scheduled<mutant<bug::list_recheck_ignores_disconnect>>, "deadlock");
        add(bug::locked_disconnect_outside_lock, limits({K::mpsc, K::mpmc}, locked),
            &run_scheduled<mutant<bug::locked_disconnect_outside_lock>>, "deadlock");
        add(bug::locked_notify_one_on_disconnect, limits({K::mpmc}, locked),
            &run_scheduled<mutant<bug::locked_notify_one_on_disconnect>>, "deadlock");
        add(bug::broadcast_notify_one, limits({K::broadcast}, lock_free), &run_scheduled<mutant<bug::broadcast_notify_one>>, "deadlock");
        {
            gen_limits l = limits({K::mpsc, K::mpmc}, lock_free, {-1});
            l.two_channels_only = true;
            add(bug::select_ignores_ready_arm, l, &run_scheduled<mutant<bug::select_ignores_ready_arm>>, "deadlock");
        }
        add(bug::array_discard_skips_destroy, limits({K::mpsc, K::mpmc}, lock_free, {1, 2, 3, 4}),
            &run_scheduled<mutant<bug::array_discard_skips_destroy>>, "oracle:destruction_mismatch");
        add(bug::counter_split_swap, limits({K::mpsc, K::mpmc}, lock_free), &run_scheduled<mutant<bug::counter_split_swap>>, "memory_leak");
        add(bug::counter_free_by_peer_count, limits({K::mpsc, K::mpmc}, lock_free),
            &run_scheduled<mutant<bug::counter_free_by_peer_count>>, "use_after_free");
        add(bug::broadcast_lag_off_by_one, limits({K::broadcast}, lock_free), &run_scheduled<mutant<bug::broadcast_lag_off_by_one>>,
            "not_linearizable");
        {
            // The real-threads engine must bite too: a mutant that shows in any interleaving.
            gen_limits l = limits({K::mpsc, K::mpmc}, lock_free, {1, 2, 3, 4});
            l.deadlock_free = true;
            property_spec real{"bug_zoo.real_threads.array_discard_skips_destroy", l,
                               &real_threads_case<with_bug<std_sync, bug::array_discard_skips_destroy>>,
                               bug::array_discard_skips_destroy, true};
            v.push_back(real);
        }
        add(bug::blocked_wait_spins, limits({K::mpsc, K::mpmc}, lock_free), &run_scheduled<mutant<bug::blocked_wait_spins>>, "busy_wait");
        return v;
    }();
    return props;
}

inline const property_spec* find_property(const std::string& name) {
    for (const property_spec& p : all_properties())
        if (p.name == name) return &p;
    return nullptr;
}

struct property_result {
    bool passed = true;
    int cases = 0;
    int program_deadlocks = 0;
    int shrinks = 0;
    double seconds = 0;
    std::string failure_kind, message, history;
    std::string program, schedule, replay;
    std::size_t counterexample_ops = 0, counterexample_threads = 0;
};

inline std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// The one command that reruns case (p, s) of `spec`.
inline std::string replay_command(const property_spec& spec, const std::string& program_text, const sched::schedule& s) {
    std::string replay = spec.executable + " --property " + spec.name + " --program " + shell_quote(program_text);
    if (spec.replay_schedule) replay += " --schedule " + shell_quote(to_string(s));
    return replay;
}

inline property_result check_property(const property_spec& spec, std::uint64_t seed, bool full) {
    property_result res;
    struct failing_case {
        program p;
        sched::schedule s;
        case_outcome out;
    };
    std::optional<failing_case> last;
    const auto start = std::chrono::steady_clock::now();
    const auto property = [&] {
        const program p = *gen_program(spec.limits);
        const sched::schedule s = *gen_schedule(static_cast<unsigned>(p.threads.size()));
        // Should the case crash the process, its replay is on stderr (crash_note.hpp).
        const std::string text = spec.program_text != nullptr ? spec.program_text(p) : to_text(p);
        harness::crash_note::set("property " + spec.name + ", case " + std::to_string(res.cases + 1) +
                                 "; replay: " + replay_command(spec, text, s));
        case_outcome out = spec.run(p, s);
        ++res.cases;
        if (out.v.program_deadlock) ++res.program_deadlocks;
        if (out.v.failed) {
            last = failing_case{p, s, out};
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
            res.history = last->out.history;
            res.program = spec.program_text != nullptr ? spec.program_text(last->p) : to_text(last->p);
            res.schedule = to_string(last->s);
            res.counterexample_ops = last->p.op_count();
            res.counterexample_threads = last->p.threads.size();
            res.replay = replay_command(spec, res.program, last->s);
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
