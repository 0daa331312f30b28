// chancheck/sync/sched/search.hpp — every schedule of a program, up to equivalence: dynamic
// partial-order reduction over the deterministic scheduler's decisions.
//
// Stateless model checking (Godefroid, VeriSoft): each execution runs the program from the
// start; a guide (scheduler.hpp) takes the scheduler's decisions, records each thread's
// events (from one decision to the next) with the shared state they accessed, and after the
// execution finds the races between them. Two events are dependent when they are by the same
// thread or access the same object and one of them writes; executions that differ only in
// the order of independent events are one Mazurkiewicz trace and need one run.
//
// The algorithm is source-DPOR with sleep sets (Abdulla, Aronis, Jonsson, Sagonas, "Optimal
// Dynamic Partial Order Reduction", POPL 2014, Algorithm 1): for a race between an event e
// and a later e' (e happens before e' and nothing happens between them), the threads that
// could start the reversed order (the initials of notdep(e).e') must meet the backtrack set
// of the state before e, or one of them joins it; a thread explored from a state sleeps in
// the states after it until an event dependent on its own next one runs. Choices that are
// not about threads (notify_one's waiter, select's arm) are explored exhaustively.
//
// Spin loops. A spin or yield is an event that touches nothing, so by default the spinner
// goes on at once (others interleave at its next access, where the search branches anyway).
// After `spin_rechecks` spins in a row with nobody else running, the spinner waits for
// another thread as an await does in GenMC, and fairly, as a yield does in CHESS (Musuvathi &
// Qadeer, "Fair stateless model checking", PLDI 2008): it is not chosen again until every
// thread that could run when it yielded has run (or cannot run any more). So a loop that
// polls until another thread writes is one blocking wait to the search, spinners cannot
// starve the thread they wait for, and the search ends; a loop that gives up after a few
// polls (the model policies' backoff: one spin, one yield, then park) is explored through
// every one of its polls as long as they number at most spin_rechecks + 1. "Every trace"
// below means every fair one.
//
// A preemption bound (CHESS: Musuvathi & Qadeer, PLDI 2007) keeps the executions whose
// running thread was switched away from while it could go on at most k times. Reduction and
// bounding together follow Coons, Musuvathi, McKinley ("Bounded Partial-Order Reduction",
// OOPSLA 2013): a reversal that the bound forbids before e is tried also where e's thread
// last started running, and sleep sets are off. search_by_preemptions() runs bound 0, 1, 2 …
// so the first failure found has the fewest preemptions.
//
// Accesses are named as scheduler.hpp's `access` says (the n-th object a thread made through
// the policy, a thread's stack); anything else by its address, which must then be the same in
// every run: a program under search makes its shared objects through the policy, or keeps
// them where the run_once function's frame puts them on each call.
//
// What "complete" means: under sequential consistency, every trace of the program (with a
// bound: every trace with at most k preemptions) was explored — with timed waits timing out
// wherever they can, without spurious wake-ups (the random walk draws those), and assuming
// the plain memory (cells) is free of data races, which ThreadSanitizer checks.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "chancheck/sync/sched/schedule.hpp"
#include "chancheck/sync/sched/scheduler.hpp"

namespace chancheck::sched {

struct search_options {
    bool reduction = true;                     // false: every schedule (the unreduced tree)
    std::optional<unsigned> preemption_bound;  // none: no bound
    std::uint64_t max_executions = 0;          // 0: no budget
    std::optional<std::chrono::steady_clock::time_point> deadline;  // no execution starts after it
    unsigned spin_rechecks = 2;                // polls of a spin loop before it waits for another thread
    scheduler::options run_options{};          // for each execution (its guide is the search's)
};

struct search_failure {
    run_outcome outcome;
    std::string schedule;  // a random-walk schedule that replays it (parse_schedule)
    unsigned preemptions = 0;
    std::uint64_t execution = 0;  // 1-based
};

struct search_result {
    bool complete = false;           // every trace explored (with a bound: every one within it)
    std::uint64_t executions = 0;    // programs run
    std::uint64_t sleep_blocked = 0; // of them, runs cut short as repeats of an explored trace
    std::uint64_t bounded_out = 0;   // reversals the preemption bound left out
    std::optional<unsigned> preemption_bound;
    std::optional<search_failure> failure;
};

// One execution of the program: runs it under a scheduler made from these arguments and
// returns the outcome (after tear-down and the leak check).
using run_once = std::function<run_outcome(const schedule&, const scheduler::options&)>;

namespace search_detail {

inline bool conflict(const access& a, const access& b) {
    if (!a.write && !b.write) return false;
    return a.same_region(b) && a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

using footprint = std::vector<access>;

inline bool dependent(const footprint& x, const footprint& y) {
    for (const access& a : x)
        for (const access& b : y)
            if (conflict(a, b)) return true;
    return false;
}

struct asleep {
    unsigned thread;
    footprint next;  // the thread's next event, as explored from an earlier state
};

// One decision of the current execution, kept across executions as the search's stack.
struct node {
    bool thread_choice = true;
    std::vector<unsigned> threads;  // thread decision: the candidates, in the scheduler's order
    std::size_t values = 0;         // value decision: how many
    std::size_t chosen = 0;         // index into threads, or the value
    unsigned running = ~0u;         // the thread that ran before this decision
    bool spinning = false;
    unsigned preemptions = 0;       // before this decision
    bool spinner_waits = false;     // spinning, and polled again spin_rechecks times already
    std::vector<bool> fair;         // per candidate: no thread it yielded to is still to run
    // Thread decisions only.
    std::vector<unsigned> backtrack;  // threads to explore from here
    std::vector<asleep> done;         // explored from here, with their event's footprint
    std::vector<asleep> sleep;        // asleep on arrival
    footprint chosen_event;           // the event of the chosen thread, last time it ran

    node() = default;  // a value decision
    node(std::vector<unsigned> candidates, unsigned ran, bool spun, unsigned preempted, bool waits)
        : threads(std::move(candidates)), running(ran), spinning(spun), preemptions(preempted), spinner_waits(waits) {}

    unsigned chosen_thread() const { return threads[chosen]; }
    bool preempts(std::size_t index) const {
        return !spinning && !threads.empty() && threads[0] == running && index != 0;
    }
    // A thread that yielded waits until the threads it yielded to have run.
    bool waits_for_others(std::size_t index) const { return !fair[index]; }
    bool tried(unsigned t) const {
        if (chosen_thread() == t) return true;
        for (const asleep& d : done)
            if (d.thread == t) return true;
        return false;
    }
    // Explored here already, or to be.
    bool planned(unsigned t) const { return tried(t) || std::find(backtrack.begin(), backtrack.end(), t) != backtrack.end(); }
    bool sleeps(unsigned t) const {
        for (const asleep& s : sleep)
            if (s.thread == t) return true;
        return false;
    }
};

struct event {
    unsigned thread;
    std::size_t node;  // the decision that started it
    footprint accesses;
};

inline std::string replay_text(std::vector<std::size_t> choices) {
    while (!choices.empty() && choices.back() == 0) choices.pop_back();  // tail=0 continues with 0s
    schedule s;
    s.kind = policy::random_walk;
    for (std::size_t c : choices) s.choices.push_back(static_cast<std::uint8_t>(c));
    return to_string(s);
}

class explorer final : public decision_guide {
public:
    explicit explorer(const search_options& o) : options_(o) {}

    search_result run(const run_once& program) {
        search_result result;
        result.preemption_bound = options_.preemption_bound;
        for (;;) {
            if (options_.max_executions != 0 && result.executions >= options_.max_executions) return result;
            if (options_.deadline && std::chrono::steady_clock::now() >= *options_.deadline) return result;
            begin_execution();
            scheduler::options so = options_.run_options;
            so.guide = this;
            schedule s;
            s.kind = policy::random_walk;  // the guide decides; tail 0 is never read
            const run_outcome out = program(s, so);
            ++result.executions;
            if (blocked_at_) ++result.sleep_blocked;
            if (!out.ok()) {
                result.failure = search_failure{out, replay_text(choices_), preemptions_, result.executions};
                return result;
            }
            end_execution();
            result.bounded_out = bounded_out_;
            if (!next_branch()) {
                result.complete = true;
                return result;
            }
        }
    }

    // ---- guide ---------------------------------------------------------------------------

    std::size_t choose_thread(const std::vector<unsigned>& threads, unsigned running, unsigned spins) override {
        const std::size_t k = depth_++;
        if (k < replay_until_) {
            node& n = nodes_[k];
            if (!n.thread_choice || n.threads != threads)
                throw std::runtime_error(
                    "chancheck::sched::search: decision " + std::to_string(k) +
                    " offered other threads than in an earlier run under the same decisions; the program must "
                    "depend only on the scheduler's decisions (no clock, random number or unmodelled shared state)");
            (void)fairness(threads, running, n.spinner_waits);  // the yields of the replayed prefix
            return open_event(k);
        }
        if (blocked_at_) return record_choice(0);
        const bool spinning = spins > 0;
        node n(threads, running, spinning, preemptions_, /*spinner_waits=*/spins > options_.spin_rechecks);
        n.fair = fairness(threads, running, n.spinner_waits);
        if (sleep_sets()) n.sleep = sleep_after_last_event();
        std::optional<std::size_t> pick;
        if (spinning && !n.spinner_waits && !n.sleeps(running) && can_choose(n, threads.size() - 1))
            pick = threads.size() - 1;  // the spinner polls again
        for (std::size_t i = 0; i < threads.size() && !pick; ++i)
            if (!n.sleeps(threads[i]) && can_choose(n, i)) pick = i;
        if (!pick) {  // every thread asleep: this trace was explored already
            blocked_at_ = k;
            return record_choice(0);
        }
        n.chosen = *pick;
        nodes_.push_back(std::move(n));
        return open_event(k);
    }

    std::size_t choose_value(std::size_t n) override {
        const std::size_t k = depth_++;
        if (k < replay_until_) {
            if (nodes_[k].thread_choice || nodes_[k].values != n)
                throw std::runtime_error("chancheck::sched::search: decision " + std::to_string(k) +
                                         " is another choice than in an earlier run under the same decisions");
            return record_choice(nodes_[k].chosen);
        }
        if (blocked_at_) return record_choice(0);
        node v;
        v.thread_choice = false;
        v.values = n;
        v.preemptions = preemptions_;
        nodes_.push_back(std::move(v));
        return record_choice(0);
    }

    void accessed(const access& a) override {
        if (!events_.empty() && !blocked_at_) events_.back().accesses.push_back(a);
    }

private:
    bool sleep_sets() const { return options_.reduction && !options_.preemption_bound; }

    bool within_bound(const node& n, std::size_t index) const {
        return !options_.preemption_bound || n.preemptions + (n.preempts(index) ? 1u : 0u) <= *options_.preemption_bound;
    }
    bool can_choose(const node& n, std::size_t index) const { return !n.waits_for_others(index) && within_bound(n, index); }

    void begin_execution() {
        depth_ = 0;
        preemptions_ = 0;
        blocked_at_.reset();
        events_.clear();
        choices_.clear();
        yielded_to_.clear();
    }

    std::size_t record_choice(std::size_t c) {
        choices_.push_back(c);
        return c;
    }

    // Which candidates are fair to choose; when the spinner stops polling, it yields to every
    // other candidate.
    std::vector<bool> fairness(const std::vector<unsigned>& threads, unsigned running, bool spinner_waits) {
        if (yielded_to_.size() <= running && running != ~0u) yielded_to_.resize(running + 1);
        if (spinner_waits) {
            yielded_to_[running].clear();
            for (unsigned t : threads)
                if (t != running) yielded_to_[running].push_back(t);
        }
        std::vector<bool> fair(threads.size(), true);
        bool any = false;
        for (std::size_t i = 0; i < threads.size(); ++i) {
            if (threads[i] < yielded_to_.size())
                for (unsigned u : yielded_to_[threads[i]])
                    if (std::find(threads.begin(), threads.end(), u) != threads.end()) fair[i] = false;
            any = any || fair[i];
        }
        if (!any) fair.assign(threads.size(), true);  // cannot happen (the relation has no cycle); never stall
        return fair;
    }

    std::size_t open_event(std::size_t k) {
        node& n = nodes_[k];
        if (n.preempts(n.chosen)) ++preemptions_;
        const unsigned t = n.chosen_thread();
        for (auto& waits : yielded_to_) waits.erase(std::remove(waits.begin(), waits.end(), t), waits.end());
        events_.push_back(event{t, k, {}});
        return record_choice(n.chosen);
    }

    // The sleep set on arrival at a new decision: whoever slept, or was explored, at the
    // decision that started the last event, and is independent of that event.
    std::vector<asleep> sleep_after_last_event() const {
        std::vector<asleep> out;
        if (events_.empty()) return out;
        const event& last = events_.back();
        const node& from = nodes_[last.node];
        auto keep = [&](const asleep& s) {
            if (s.thread != last.thread && !dependent(s.next, last.accesses)) out.push_back(s);
        };
        for (const asleep& s : from.sleep) keep(s);
        for (const asleep& s : from.done) keep(s);
        return out;
    }

    void end_execution() {
        for (const event& e : events_) nodes_[e.node].chosen_event = e.accesses;
        if (options_.reduction) add_reversals();
        else
            for (node& n : nodes_)  // unreduced: every candidate of every decision
                if (n.thread_choice)
                    for (std::size_t i = 0; i < n.threads.size(); ++i) add_backtrack(n, n.threads[i]);
    }

    // Happens-before over this execution's events (vector clocks over program order and
    // dependence), then a backtrack point for every race.
    void add_reversals() {
        const std::size_t count = events_.size();
        unsigned threads = 0;
        for (const event& e : events_) threads = std::max(threads, e.thread + 1);
        std::vector<std::vector<unsigned>> clock(count, std::vector<unsigned>(threads, 0));
        std::vector<unsigned> seq(count, 0);
        std::vector<std::size_t> last_of(threads, count);
        for (std::size_t i = 0; i < count; ++i) {
            const unsigned t = events_[i].thread;
            if (last_of[t] != count) clock[i] = clock[last_of[t]];
            for (std::size_t j = 0; j < i; ++j)
                if (events_[j].thread != t && dependent(events_[j].accesses, events_[i].accesses))
                    for (unsigned u = 0; u < threads; ++u) clock[i][u] = std::max(clock[i][u], clock[j][u]);
            seq[i] = (last_of[t] == count ? 0 : seq[last_of[t]]) + 1;
            clock[i][t] = seq[i];
            last_of[t] = i;
        }
        auto before = [&](std::size_t a, std::size_t b) { return a == b || clock[b][events_[a].thread] >= seq[a]; };
        for (std::size_t b = 0; b < count; ++b)
            for (std::size_t a = 0; a < b; ++a) {
                if (events_[a].thread == events_[b].thread || !dependent(events_[a].accesses, events_[b].accesses)) continue;
                bool direct = true;  // no event between them in happens-before
                for (std::size_t c = a + 1; c < b && direct; ++c) direct = !(before(a, c) && before(c, b));
                if (direct) reverse(a, b, before);
            }
    }

    template <class Before>
    void reverse(std::size_t a, std::size_t b, const Before& before) {
        // v = notdep(a).b: the events after a that do not happen after it, then b. Its
        // initials are the threads whose first event in v nothing in v happens before.
        std::vector<std::size_t> v;
        for (std::size_t c = a + 1; c < b; ++c)
            if (!before(a, c)) v.push_back(c);
        v.push_back(b);
        std::vector<unsigned> initials;
        for (std::size_t i = 0; i < v.size(); ++i) {
            bool first = true;
            for (std::size_t j = 0; j < i && first; ++j) first = !before(v[j], v[i]);
            if (first && std::find(initials.begin(), initials.end(), events_[v[i]].thread) == initials.end())
                initials.push_back(events_[v[i]].thread);
        }
        offer(events_[a].node, initials);
        if (options_.preemption_bound) {
            // Also where a's thread last started running: there the reversal may cost no
            // preemption (Coons et al.).
            std::size_t start = a;
            while (start > 0 && events_[start - 1].thread == events_[a].thread) --start;
            if (start != a) offer(events_[start].node, initials);
        }
    }

    // Source sets: nothing to do when one of the initials is (or will be) explored at node k;
    // else the first initial that can run there, or, when none can (it is blocked there),
    // every thread that can.
    void offer(std::size_t k, const std::vector<unsigned>& initials) {
        node& n = nodes_[k];
        for (unsigned t : initials)
            if (n.planned(t)) return;
        for (unsigned t : initials) {
            const auto at = std::find(n.threads.begin(), n.threads.end(), t);
            if (at != n.threads.end() && !n.waits_for_others(static_cast<std::size_t>(at - n.threads.begin()))) {
                add_backtrack(n, t);
                return;
            }
        }
        for (unsigned t : n.threads) add_backtrack(n, t);
    }

    void add_backtrack(node& n, unsigned t) {
        if (n.planned(t)) return;
        const auto index = static_cast<std::size_t>(std::find(n.threads.begin(), n.threads.end(), t) - n.threads.begin());
        if (n.waits_for_others(index)) return;
        if (!within_bound(n, index)) {
            ++bounded_out_;
            return;
        }
        n.backtrack.push_back(t);
    }

    // The deepest decision with something left to explore becomes the new last decision of
    // the prefix; false when there is none (the search is complete).
    bool next_branch() {
        while (!nodes_.empty()) {
            node& n = nodes_.back();
            if (!n.thread_choice) {
                if (n.chosen + 1 < n.values) {
                    ++n.chosen;
                    replay_until_ = nodes_.size();
                    return true;
                }
            } else {
                while (!n.backtrack.empty()) {
                    const unsigned t = n.backtrack.front();
                    n.backtrack.erase(n.backtrack.begin());
                    if (n.tried(t) || n.sleeps(t)) continue;
                    n.done.push_back(asleep{n.chosen_thread(), n.chosen_event});
                    n.chosen = static_cast<std::size_t>(std::find(n.threads.begin(), n.threads.end(), t) - n.threads.begin());
                    replay_until_ = nodes_.size();
                    return true;
                }
            }
            nodes_.pop_back();
        }
        return false;
    }

    search_options options_;
    std::vector<node> nodes_;
    std::size_t replay_until_ = 0;  // decisions below this replay nodes_
    std::size_t depth_ = 0;
    unsigned preemptions_ = 0;
    std::optional<std::size_t> blocked_at_;
    std::vector<event> events_;
    std::vector<std::size_t> choices_;
    std::vector<std::vector<unsigned>> yielded_to_;  // per thread: who must run before it runs again
    std::uint64_t bounded_out_ = 0;
};

// Knuth's estimator ("Estimating the efficiency of backtrack programs", 1975): a random path
// from the root, and the product of the branching factors along it, is an unbiased estimate
// of the number of leaves. Here the leaves are the unreduced tree's executions.
class random_probe final : public decision_guide {
public:
    explicit random_probe(std::uint64_t seed) : state_(seed) {}
    std::size_t choose_thread(const std::vector<unsigned>& threads, unsigned, unsigned) override { return pick(threads.size()); }
    std::size_t choose_value(std::size_t n) override { return pick(n); }
    void accessed(const access&) override {}
    double leaves() const { return leaves_; }

private:
    std::size_t pick(std::size_t n) {
        leaves_ *= static_cast<double>(n);
        return static_cast<std::size_t>(splitmix64(state_) % n);
    }
    std::uint64_t state_;
    double leaves_ = 1;
};

}  // namespace search_detail

// Explores the program's schedules as `o` says: exhaustively, within a preemption bound, or
// until the execution budget; stops at the first failing execution.
inline search_result search(const run_once& program, const search_options& o = {}) {
    search_detail::explorer x(o);
    return x.run(program);
}

// Bound 0, 1, … max_bound, until one is complete with nothing left out by the bound (then
// the search was exhaustive: complete, no bound) or a failure is found (then with the fewest
// preemptions). The budget counts the executions of all rounds together.
inline search_result search_by_preemptions(const run_once& program, unsigned max_bound, search_options o = {}) {
    search_result total;
    const std::uint64_t budget = o.max_executions;
    for (unsigned bound = 0;; ++bound) {
        o.preemption_bound = bound;
        if (budget != 0) o.max_executions = budget - std::min(budget, total.executions);
        if (budget != 0 && o.max_executions == 0) return total;
        if (o.deadline && std::chrono::steady_clock::now() >= *o.deadline) return total;
        search_result r = search(program, o);
        r.executions += total.executions;
        r.sleep_blocked += total.sleep_blocked;
        if (r.failure) r.failure->execution += total.executions;
        total = r;
        if (r.failure || !r.complete) return total;
        if (r.bounded_out == 0) {
            total.preemption_bound.reset();  // nothing was left out: exhaustive
            return total;
        }
        if (bound == max_bound) return total;
    }
}

// The number of executions of the unreduced tree, by Knuth's estimator over `probes` random
// executions (0 when the program fails in every probe).
inline double estimate_executions(const run_once& program, unsigned probes, std::uint64_t seed = 1,
                                  scheduler::options so = {}) {
    double sum = 0;
    unsigned counted = 0;
    for (unsigned i = 0; i < probes; ++i) {
        search_detail::random_probe probe(seed + i);
        so.guide = &probe;
        schedule s;
        s.kind = policy::random_walk;
        if (program(s, so).ok()) {
            sum += probe.leaves();
            ++counted;
        }
    }
    return counted == 0 ? 0 : sum / counted;
}

}  // namespace chancheck::sched
