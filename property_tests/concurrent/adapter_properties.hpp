// property_tests/concurrent/adapter_properties.hpp — RapidCheck-generated producer/consumer
// programs on real threads through a user's channel adapter (harness/channel_adapter.hpp).
//
// The programs are program.hpp's deadlock-free ones (each thread only sends or only receives,
// on one channel; 2 to 4 threads, up to 5 operations each) with the operations the concept
// offers: send, recv, try_recv (when the adapter has it), and early drops of a handle. The
// capacity is one the adapter supports. Each program runs 50 times on std::thread and is
// judged as chancheck's own channels are (judge.hpp): exactly once, per-producer FIFO,
// the rendezvous hand-off, destruction balance of the counted messages, and linearizability
// against the queue specification. RapidCheck shrinks a failing program; the results file has
// the chancheck.property-results/1 schema (harness/RESULTS.md), so the report reads it.
//
// Program text names the channel: "moodycamel/adapter/cap=inf/ch=1 | t0[s0]: send@0 | ...".
//
//   int main(int argc, char** argv) {
//       return chancheck::props::adapter_properties_main<my_adapter>(argc, argv, "my_queue-properties");
//   }
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "chancheck/harness/channel_adapter.hpp"
#include "judge.hpp"
#include "properties.hpp"
#include "results_json.hpp"

namespace chancheck::props {

// One program over the adapter: handles made before the threads start, one thread's
// operations per run_thread call, every operation recorded for the judge.
template <template <class> class A>
class adapter_program_run {
public:
    using adapted = A<counted>;
    using sender = typename adapted::sender;
    using receiver = typename adapted::receiver;

    explicit adapter_program_run(const program& p) : p_(p) {
        const std::size_t n = p.threads.size();
        recorders_.reserve(n);
        for (unsigned t = 0; t < n; ++t) recorders_.emplace_back(t, clock_);
        senders_.resize(n);
        receivers_.resize(n);
        send_count_.assign(n, 0);
        auto opened = adapted::open(p.capacity);
        for (unsigned t = 0; t < n; ++t) {
            if (p.threads[t].sender[0]) senders_[t].emplace(opened.first);
            if (p.threads[t].receiver[0]) {
                if constexpr (adapted::multi_consumer) receivers_[t].emplace(opened.second);
                else receivers_[t].emplace(std::move(opened.second));  // mpsc programs give one thread the receiver
            }
        }
        // The originals go now: only the threads' handles keep the channel open.
    }

    void run_thread(unsigned t) {
        for (const op& o : p_.threads[t].ops) execute(t, o);
        if (senders_[t]) drop(t, op_kind::drop_sender, senders_[t]);
        if (receivers_[t]) drop(t, op_kind::drop_receiver, receivers_[t]);
    }

    harness::history history() const { return harness::merge(recorders_); }
    const harness::message_counters& counters() const { return counters_; }
    const program& prog() const { return p_; }

private:
    template <class Handle>
    void drop(unsigned t, op_kind kind, std::optional<Handle>& h) {
        recorders_[t].record(kind, 0, [&](event&) { h.reset(); });
    }

    void execute(unsigned t, const op& o) {
        switch (o.code) {
            case op_code::send: {
                if (!senders_[t]) return;  // dropped earlier in the list
                harness::record_adapter_send(recorders_[t], *senders_[t], harness::encode(t, send_count_[t]++), counters_);
                return;
            }
            case op_code::recv:
                if (!receivers_[t]) return;
                harness::record_adapter_recv(recorders_[t], *receivers_[t]);
                return;
            case op_code::try_recv:
                if constexpr (harness::has_try_recv<adapted, counted>) {
                    if (!receivers_[t]) return;
                    recorders_[t].record(op_kind::recv, 0, [&](event& e) {
                        harness::try_received<counted> r = receivers_[t]->try_recv();
                        if (r.value) e.value = r.value->value();
                        else e.result = r.disconnected ? op_result::disconnected : op_result::empty;
                    });
                }
                return;
            case op_code::drop_sender:
                if (senders_[t]) drop(t, op_kind::drop_sender, senders_[t]);
                return;
            case op_code::drop_receiver:
                if (receivers_[t]) drop(t, op_kind::drop_receiver, receivers_[t]);
                return;
            default: return;  // the generator offers no other operation (adapter_limits)
        }
    }

    program p_;
    harness::message_counters counters_;
    harness::stamp_clock clock_;
    harness::plain_vector<harness::recorder> recorders_;
    std::vector<std::optional<sender>> senders_;
    std::vector<std::optional<receiver>> receivers_;
    std::vector<std::int64_t> send_count_;
};

// The program's text with the adapter's name in place of the kind, and back.
template <template <class> class A>
std::string adapter_program_text(const program& p) {
    const std::string text = to_text(p);
    const std::size_t second_slash = text.find('/', text.find('/') + 1);
    return std::string(A<counted>::name) + "/adapter" + text.substr(second_slash);
}

template <template <class> class A>
program parse_adapter_program(const std::string& text) {
    const std::string head = std::string(A<counted>::name) + "/adapter/";
    if (text.rfind(head, 0) != 0)
        throw std::invalid_argument("program '" + text + "': expected it to start with '" + head + "'");
    const std::string kind = A<counted>::multi_consumer ? "mpmc" : "mpsc";
    program p = parse_program(kind + "/lock_free/" + text.substr(head.size()));
    if (p.channels != 1) throw std::invalid_argument("program '" + text + "': an adapter program has one channel (ch=1)");
    for (const thread_plan& th : p.threads)
        for (const op& o : th.ops)
            if (o.code != op_code::send && o.code != op_code::recv && o.code != op_code::try_recv &&
                o.code != op_code::drop_sender && o.code != op_code::drop_receiver)
                throw std::invalid_argument("program '" + text + "': the channel concept has no " + to_string(o.code));
    if (!A<counted>::supports(p.capacity))
        throw std::invalid_argument("program '" + text + "': " + A<counted>::name + " does not support that capacity");
    return p;
}

// Runs the program `repetitions` times on real threads. A run that does not finish within
// `watchdog` hangs: real threads cannot be unblocked, so it prints the program and its replay
// command and ends the process with status 3.
template <template <class> class A>
case_outcome run_adapter_program(const program& p, int repetitions, std::chrono::seconds watchdog, const std::string& executable) {
    case_outcome out;
    for (int rep = 0; rep < repetitions && !out.v.failed; ++rep) {
        adapter_program_run<A> run(p);
        run_threads_or_exit(run, p, watchdog, [&] {
            const std::string text = adapter_program_text<A>(p);
            std::fprintf(stderr,
                         "%s: repetition %d of program\n  %s\nhung for %lld s (deadlock: a thread never returned from "
                         "its operation)\nreplay: %s --program %s\n",
                         executable.c_str(), rep, text.c_str(), static_cast<long long>(watchdog.count()),
                         executable.c_str(), shell_quote(text).c_str());
        });
        out.v = judge_completed(run, chancheck::harness::adapter_global_fifo<A<chancheck::harness::counted>>());
        if (out.v.failed) {
            out.v.message += "\n  (real threads, repetition " + std::to_string(rep) + ")";
            out.history = history_text(run.history());
        }
    }
    return out;
}

// RapidCheck's runner cannot carry the executable's name: one driver per process sets it.
inline std::string& adapter_executable() {
    static std::string name = "adapter-properties";
    return name;
}

template <template <class> class A>
case_outcome adapter_case(const program& p, const sched::schedule&) {
    return run_adapter_program<A>(p, 50, std::chrono::seconds(20), adapter_executable());
}

// The generator's limits for the adapter: its kind of receiver, the capacities it supports
// among unbounded and 0..4, deadlock-free roles, the concept's operations.
template <template <class> class A>
gen_limits adapter_limits() {
    using adapted = A<counted>;
    gen_limits l;
    l.kinds = {adapted::multi_consumer ? channel_kind::mpmc : channel_kind::mpsc};
    l.flavors = {implementation::lock_free};
    l.capacities.clear();
    for (int cap : {-1, 0, 1, 2, 3, 4})
        if (adapted::supports(cap < 0 ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(cap))))
            l.capacities.push_back(cap);
    l.deadlock_free = true;
    l.allow_two_channels = false;
    l.ops = {op_code::send, op_code::recv, op_code::drop_sender, op_code::drop_receiver};
    if constexpr (harness::has_try_recv<adapted, counted>) l.ops.push_back(op_code::try_recv);
    return l;
}

template <template <class> class A>
property_spec adapter_property(const std::string& executable) {
    property_spec spec{A<counted>::name, adapter_limits<A>(), &adapter_case<A>, bug::none, true};
    spec.executable = executable;
    spec.program_text = &adapter_program_text<A>;
    spec.replay_schedule = false;
    return spec;
}

// The command line: [--budget quick|full] [--seed N] [--results DIR] | --program TEXT | --help.
template <template <class> class A>
int adapter_properties_main(int argc, char** argv, const std::string& executable) {
    static_assert(harness::channel_adapter<A>, "the adapter does not model chancheck::harness::channel_adapter");
    static_assert(harness::valid_adapter_name(A<counted>::name), "an adapter's name must be [a-z0-9_]+");
    adapter_executable() = executable;
    harness::crash_note::install(executable);
    const auto usage_error = [&](const std::string& why) {
        std::cerr << executable << ": " << why << "\nusage: " << executable
                  << " [--budget quick|full] [--seed N] [--results DIR]   run the property\n       " << executable
                  << " --program TEXT                                  rerun one program (50 times)\n";
        std::exit(2);
    };
    std::string budget = "quick", results_dir, program_text;
    std::optional<std::uint64_t> seed;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            usage_error("property tests of " + std::string(A<counted>::name) + " through its chancheck adapter");
        } else if (a == "--budget") {
            budget = value();
            if (budget != "quick" && budget != "full") usage_error("--budget must be quick or full, got '" + budget + "'");
        } else if (a == "--seed") {
            const std::string s = value();
            if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos)
                usage_error("--seed needs a number, got '" + s + "'");
            seed = std::stoull(s);
        } else if (a == "--results") {
            results_dir = value();
        } else if (a == "--program") {
            program_text = value();
        } else if (a == "--property") {
            if (value() != A<counted>::name) usage_error("--property: the only property is '" + std::string(A<counted>::name) + "'");
        } else {
            usage_error("unknown argument '" + a + "'");
        }
    }
    const property_spec spec = adapter_property<A>(executable);

    if (!program_text.empty()) {  // a rerun of one program
        program p;
        try {
            p = parse_adapter_program<A>(program_text);
        } catch (const std::exception& e) {
            std::cerr << executable << ": " << e.what() << "\n";
            return 2;
        }
        const case_outcome out = adapter_case<A>(p, {});
        std::cout << "program: " << adapter_program_text<A>(p)
                  << "\n(real threads: the program runs 50 times and fails again only if some run hits the failing "
                     "interleaving)\n";
        if (!out.v.failed) {
            std::cout << "passed\n";
            return 0;
        }
        std::cout << "FAILED: " << out.v.kind << "\n" << out.v.message << "\nhistory:\n" << out.history;
        return 1;
    }

    if (!seed) {
        std::random_device rd;
        seed = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    }
    std::cout << "seed " << *seed << " (replay the whole run: " << executable << " --budget " << budget << " --seed " << *seed
              << ")\n";
    // Mode "adapter": the report files the check under this channel's own row (flavor
    // "adapter"), next to its stress runs, instead of under the reference kinds.
    results_file results(results_dir, "adapter", *seed, budget, executable);
    results.begin(spec, executable + " --budget " + budget + " --seed " + std::to_string(*seed));
    const property_result r = check_property(spec, *seed, budget == "full");
    std::printf("%-30s %-40s %5d cases %4d shrinks %7.2f s\n", spec.name.c_str(),
                r.passed ? "pass" : ("FAIL " + r.failure_kind).c_str(), r.cases, r.shrinks, r.seconds);
    if (!r.passed)
        std::printf("    minimal counterexample (%zu ops, %zu threads): %s\n    replay: %s\n%s\n%s", r.counterexample_ops,
                    r.counterexample_threads, r.program.c_str(), r.replay.c_str(), r.message.c_str(), r.history.c_str());
    results.add(spec, r, r.passed);
    results.finish();
    return r.passed ? 0 : 1;
}

}  // namespace chancheck::props
