// chancheck/stress/driver.hpp — the stress driver, shared by chancheck-stress and every driver
// made for a user's channel (chancheck_add_channel, adapter_driver.hpp). One options struct,
// on CLI11 (PROGRAM --help).
//
// One run: a channel of the driver's table at a flavor, producers x consumers, a capacity, a
// workload (workloads.hpp), a message count or a duration, a seed, optional chaos noise, and a
// watchdog. --all sweeps every channel x implementation x workload x topology (1x1, 4x1, 1x4,
// 4x4) x capacity (0, 1, 16, unbounded) within a time budget; --bug-zoo runs the seeded bugs
// where stress can see them (bug_zoo_targets.hpp) and says which it caught and how. --kind,
// --flavor, --mutant and --shard (configurations or mutants by index) narrow both
// (harness/engine_cli.hpp). Every run is a child process (supervisor.hpp) and leaves a JSON
// file (result_json.hpp).
//
// What differs between drivers is a driver_table: the program and its description, the
// channels it stresses, whether chaos noise and the bug zoo mean anything for it, and the
// mutants' runners.
#pragma once

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "chancheck/harness/engine_cli.hpp"
#include "chancheck/stress/bug_zoo_targets.hpp"
#include "chancheck/stress/config.hpp"
#include "chancheck/stress/result_json.hpp"
#include "chancheck/stress/runners.hpp"
#include "chancheck/stress/supervisor.hpp"

namespace chancheck::stress {

// One channel a driver stresses.
struct stress_channel {
    std::string name;  // what --channel names (chancheck's: the kind's name)
    channel_kind kind;
    std::vector<implementation> impls;  // chancheck's: lock_free and locked; a user's: one
    flavor (*flavor_of)(implementation, std::optional<std::size_t>);
    bool (*supports)(std::optional<std::size_t>);
    bool multi_consumer;
    runner (*reference)(bool chaos);  // the reference channel's runner
    std::string (*check)(const run_config&) = nullptr;  // what else is wrong with a configuration, or ""
    bool test_only = false;  // a demonstration (stuck): never in a sweep
    bool timed_sends = true;  // has send_timeout or try_send: the timed_send workload applies
};

struct driver_table {
    std::string program;      // in messages and headings, e.g. "chancheck-stress"
    std::string description;  // the --help text's first line
    std::vector<stress_channel> channels;
    std::string default_channel;
    bool chaos = true;    // chaos noise reaches the channel (it is written over chancheck's Sync policy)
    bool bug_zoo = true;  // --mutant and --bug-zoo: chancheck's seeded bugs
    runner (*mutant)(bug mutant, channel_kind kind) = nullptr;  // null when bug_zoo is false
    // --all's total time at --budget quick (the default) and full.
    std::uint64_t quick_sweep_ms = 60'000;
    std::uint64_t full_sweep_ms = 180'000;
};

int driver_main(int argc, char** argv, const driver_table& table);

namespace driver_detail {

namespace cs = chancheck::stress;

// The table of the driver this process runs (one driver per executable; set by driver_main).
inline const driver_table*& active_table() {
    static const driver_table* table = nullptr;
    return table;
}
inline const driver_table& table() { return *active_table(); }

inline const stress_channel* find_channel(const std::string& name) {
    for (const stress_channel& ch : table().channels)
        if (ch.name == name) return &ch;
    return nullptr;
}

struct options {
    enum class mode { single, all, bug_zoo, list, child } what = mode::single;
    cs::run_config run;
    std::optional<std::string> channel, workload_text, capacity_text, duration_text, watchdog_text;
    std::optional<std::uint64_t> messages, seed;
    harness::selection sel;
    std::uint64_t budget_ms = 0;  // 0: the budget word's time
    bool full_budget = false;
    std::string chaos_mode = "both";
    std::map<bug, std::string> expect;  // mutant -> expected failure-kind prefix ("" : any kind of its class)
    std::string results;
    std::uint64_t hard_limit_ms = 0;
    std::string fragment;  // --child: where to write the outcome
};

[[noreturn]] inline void usage_error(const std::string& message) {
    const char* program = table().program.c_str();
    std::fprintf(stderr, "%s: %s\n(see %s --help)\n", program, message.c_str(), program);
    std::exit(cs::exit_usage);
}

// "250ms", "2s", "1m"; a bare 0 is allowed (off).
inline std::uint64_t parse_duration_ms(const std::string& option, const std::string& text) {
    if (text == "0") return 0;
    const std::size_t digits = text.find_first_not_of("0123456789");
    if (digits == 0 || digits == std::string::npos)
        usage_error(option + " needs a duration with a unit (e.g. 500ms, 2s, 1m), got '" + text + "'");
    std::uint64_t n = 0;
    try {
        n = std::stoull(text.substr(0, digits));
    } catch (const std::exception&) {
        usage_error(option + ": '" + text + "' is too large");
    }
    const std::string unit = text.substr(digits);
    if (unit == "ms") return n;
    if (unit == "s") return n * 1000;
    if (unit == "m") return n * 60'000;
    usage_error(option + ": unknown unit '" + unit + "' in '" + text + "' (use ms, s or m)");
}

// What is wrong with a configuration of channel `ch`, or "".
inline std::string problem_with(const stress_channel& ch, const run_config& c) {
    if (std::string p = cs::validate(c); !p.empty()) return p;
    if (!ch.supports(c.capacity))
        return "--capacity " + capacity_text(c.capacity) + ": " + ch.name + " does not support that capacity";
    if (!ch.multi_consumer && ch.kind != channel_kind::broadcast && c.consumers != 1)
        return ch.name + " has one receiver: --consumers must be 1 (got " + std::to_string(c.consumers) + ")";
    if (ch.kind == channel_kind::broadcast && c.load == workload::round_trip)
        return ch.name + " is a broadcast channel: it has no round_trip workload (replies would go to every client)";
    if (ch.kind == channel_kind::oneshot && c.load != workload::round_trip)
        return ch.name + " runs only the round_trip workload (one reply channel per request)";
    if (ch.kind == channel_kind::select && c.impl == implementation::locked && c.capacity && *c.capacity == 0)
        return "select: the locked rendezvous flavor cannot take part in select (use another flavor or a capacity >= 1)";
    if (c.load == workload::timed_send) {
        if (!ch.timed_sends) return ch.name + " has neither send_timeout nor try_send: no timed_send workload";
        if (ch.kind != channel_kind::mpsc && ch.kind != channel_kind::mpmc)
            return "timed_send runs on mpsc and mpmc channels (" + ch.name + " is " + harness::to_string(ch.kind) + ")";
        if (!c.capacity || *c.capacity == 0)
            return "timed_send needs a bounded capacity >= 1: only a full buffer makes a send time out";
    }
    if (ch.check != nullptr) return ch.check(c);
    return "";
}

// Fills the configuration's channel, kind, implementation and flavor: --flavor locked picks the
// locked oracle; any other flavor the lock-free implementation, whose flavor at this capacity
// it must be.
inline void resolve(const stress_channel& ch, run_config& c, const std::optional<flavor>& f) {
    c.channel = ch.name;
    c.kind = ch.kind;
    c.impl = ch.impls.front();
    if (f) {
        const auto has = [&](implementation i) { return std::find(ch.impls.begin(), ch.impls.end(), i) != ch.impls.end(); };
        if (*f == flavor::locked && has(implementation::locked)) c.impl = implementation::locked;
        if (ch.flavor_of(c.impl, c.capacity) != *f)
            usage_error(std::string("--flavor ") + to_string(*f) + ": " + ch.name + " at capacity " + capacity_text(c.capacity) +
                        " is " + to_string(ch.flavor_of(c.impl, c.capacity)));
    }
    c.flav = ch.flavor_of(c.impl, c.capacity);
}

inline options parse(int argc, char** argv) {
    options o;
    const driver_table& t = table();
    std::vector<std::string> channel_names;
    for (const auto& ch : t.channels) channel_names.push_back(ch.name);
    CLI::App app(t.description, t.program);
    app.footer("Exit status: 0 all runs passed (and every --expect held), 1 otherwise, 2 bad usage.");
    bool all = false, zoo = false, list = false, child = false, chaos = false;
    std::vector<std::string> expects;
    std::string budget_text, hard_limit_text;
    app.add_flag("--all", all, "sweep every configuration within --budget");
    if (t.bug_zoo) app.add_flag("--bug-zoo", zoo, "run the seeded bugs; report which were caught");
    app.add_flag("--list", list, "print the sweep (and the bug-zoo targets) and exit");
    app.add_option("--channel", o.channel, "the channel to stress")->check(CLI::IsMember(channel_names));
    app.add_option("--workload", o.workload_text, "stream | round_trip | receiver_quits | timed_send (default stream)")
        ->check(CLI::IsMember({"stream", "round_trip", "receiver_quits", "timed_send"}));
    app.add_option("--producers", o.run.producers, "producer (client) threads, 1..64 (default 1)");
    app.add_option("--consumers", o.run.consumers, "consumer (server) threads, 1..64 (default 1)");
    app.add_option("--capacity", o.capacity_text, "0 (rendezvous), N, or unbounded (default unbounded)");
    app.add_option("--messages", o.messages, "messages per producer; 0: until --duration ends (default 100000)");
    app.add_option("--duration", o.duration_text, "run for D (e.g. 500ms, 2s); 0 to use --messages only");
    app.add_option("--seed", o.seed, "the run's seed (default: random, printed)");
    if (t.chaos) app.add_flag("--chaos", chaos, "inject random yields and short sleeps at every synchronization point");
    app.add_option("--watchdog", o.watchdog_text, "fail when no thread makes progress for D (default 10s)");
    app.add_option("--budget", budget_text,
                   "a duration (--all: total time, --bug-zoo: time per mutant) or quick/full (--all: " +
                       std::to_string(t.quick_sweep_ms / 1000) + " s/" + std::to_string(t.full_sweep_ms / 1000) +
                       " s; --bug-zoo: 10 s/20 s per mutant); default: $" + harness::budget_environment + ", else quick")
        ->envname(harness::budget_environment);
    if (t.chaos)
        app.add_option("--chaos-mode", o.chaos_mode, "--all: plain runs, chaos runs, or each configuration twice (default both)")
            ->check(CLI::IsMember({"off", "on", "both"}));
    if (t.bug_zoo)
        app.add_option("--expect", expects,
                       "--bug-zoo: fail unless MUTANT is caught, by a failure of its bug class or, with =KIND, of that "
                       "kind (a prefix: watchdog, tsan, asan, lsan, oracle:lost_message, ...)");
    app.add_option("--results", o.results, "write run files to DIR/stress/runs/ and a summary to DIR/stress/");
    app.add_option("--hard-limit", hard_limit_text, "kill a run that outlives D even without a watchdog verdict");
    app.add_flag("--child", child)->group("");  // internal: run one configuration in this process
    app.add_option("--fragment", o.fragment)->group("");
    harness::add_selection(app, o.sel);
    if (const auto status = harness::parse(app, argc, argv)) std::exit(*status == 0 ? 0 : cs::exit_usage);

    o.what = child ? options::mode::child : list ? options::mode::list : zoo ? options::mode::bug_zoo : all ? options::mode::all
                                                                                                          : options::mode::single;
    o.run.chaos = chaos;
    o.run.mutant = o.sel.mutant;
    if (o.run.mutant != bug::none && !t.bug_zoo) usage_error("--mutant: the seeded bugs live in chancheck's own channels");
    if (!t.chaos) o.chaos_mode = "off";
    o.run.messages = o.messages.value_or(100'000);
    if (o.workload_text) o.run.load = *parse_workload(*o.workload_text);
    if (o.capacity_text && *o.capacity_text != "unbounded") {
        const std::string& v = *o.capacity_text;
        if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 12)
            usage_error("--capacity needs a whole number or unbounded, got '" + v + "'");
        o.run.capacity = std::stoull(v);
    }
    if (o.duration_text) o.run.duration_ms = parse_duration_ms("--duration", *o.duration_text);
    if (o.watchdog_text) o.run.watchdog_ms = parse_duration_ms("--watchdog", *o.watchdog_text);
    if (budget_text == "full")
        o.full_budget = true;
    else if (!budget_text.empty() && budget_text != "quick")
        o.budget_ms = parse_duration_ms("--budget", budget_text);
    if (!hard_limit_text.empty()) o.hard_limit_ms = parse_duration_ms("--hard-limit", hard_limit_text);
    for (const std::string& e : expects) {
        const auto eq = e.find('=');
        const bug b = chancheck::parse_bug(e.substr(0, eq));
        if (b == bug::none || (eq != std::string::npos && eq + 1 == e.size()))
            usage_error("--expect needs MUTANT or MUTANT=KIND with a known mutant, got '" + e + "'");
        o.expect[b] = eq == std::string::npos ? "" : e.substr(eq + 1);
    }
    o.run.seed = o.seed.value_or(std::random_device{}() % 1'000'000'000u + 1);
    // The channel of a single run: --channel, else the one named after --kind, else the default.
    std::string name = o.channel.value_or(o.sel.only_kind() ? std::string(harness::to_string(*o.sel.only_kind())) : t.default_channel);
    const stress_channel* ch = find_channel(name);
    if (ch == nullptr && o.sel.only_kind())
        for (const auto& c : t.channels)
            if (c.kind == *o.sel.only_kind() && ch == nullptr) ch = &c;
    if (ch == nullptr) usage_error("--kind " + name + ": " + t.program + " has no such channel");
    if (o.what == options::mode::single || o.what == options::mode::child) resolve(*ch, o.run, o.sel.only_flavor());
    return o;
}

// ------------------------------------------------------------------------------------------
// The child: run one configuration in this process and report through exit status, stdout
// (one summary line) and the fragment file.

inline int run_child(const options& o) {
    const cs::run_config& c = o.run;
    const stress_channel& ch = *find_channel(c.channel);
    cs::runner run = c.mutant == bug::none ? ch.reference(c.chaos) : table().mutant(c.mutant, c.kind);
    if (run == nullptr) {
        std::fprintf(stderr, "%s: mutant %s is not built for %s\n", table().program.c_str(), chancheck::bug_name(c.mutant),
                     c.channel.c_str());
        return cs::exit_usage;
    }
    chancheck::chaos::configure({.enabled = c.chaos, .seed = c.seed});
    cs::run_context ctx;
    ctx.config = c;
    const std::string fragment = o.fragment;
    ctx.start_watchdog = [&](const cs::progress_board& board) {
        return std::make_unique<cs::watchdog>(board, std::chrono::milliseconds(c.watchdog_ms), [fragment](const std::string& dump) {
            std::fputs(dump.c_str(), stderr);
            if (!fragment.empty()) cs::write_atomically(fragment, cs::outcome_json(cs::run_outcome{}, dump));
            std::printf("summary watchdog\n");
            std::fflush(stdout);
            std::fflush(stderr);
            std::_Exit(cs::exit_watchdog);  // the blocked threads cannot be unwound
        });
    };
    const cs::run_outcome out = run(ctx);
    if (!fragment.empty()) cs::write_atomically(fragment, cs::outcome_json(out, ""));
    std::printf("summary messages=%llu seconds=%.6f first_violation=%s\n",
                static_cast<unsigned long long>(out.messages_verified), out.seconds,
                out.found.empty() ? "-" : chancheck::harness::to_string(out.found.front().kind));
    for (const auto& v : out.found) std::fprintf(stderr, "violation %s: %s\n", chancheck::harness::to_string(v.kind), v.detail.c_str());
    return out.found.empty() ? cs::exit_pass : cs::exit_oracle;
}

// ------------------------------------------------------------------------------------------
// The parent: run children, classify, record.

inline std::string summary_field(const std::string& out, const std::string& key) {
    const std::size_t at = out.find(" " + key + "=");
    if (at == std::string::npos) return "";
    const std::size_t from = at + key.size() + 2;
    return out.substr(from, out.find_first_of(" \n", from) - from);
}

inline std::uint64_t hard_limit_for(const options& o, const cs::run_config& c) {
    if (o.hard_limit_ms > 0) return o.hard_limit_ms;
    if (c.duration_ms > 0) return c.duration_ms + c.watchdog_ms + 60'000;
    if (c.mutant != bug::none) return c.watchdog_ms + 120'000;  // bug-zoo runs are short
    return 900'000;
}

inline cs::run_record supervise(const options& o, const cs::run_config& c, const std::string& scratch_dir) {
    cs::run_record r;
    r.config = c;
    const std::string exe = harness::self_path("");
    std::vector<std::string> args = cs::to_args(c);
    r.replay = cs::shell_line({exe}) + " " + cs::shell_line(args);
    std::filesystem::create_directories(scratch_dir);
    const std::string scratch = scratch_dir + "/" + cs::run_id(c) + "." + std::to_string(::getpid());
    const std::string fragment_path = scratch + ".fragment";
    std::filesystem::remove(fragment_path);
    args.push_back("--child");
    args.push_back("--fragment");
    args.push_back(fragment_path);

    const cs::child_result child = cs::run_child(exe, args, std::chrono::milliseconds(hard_limit_for(o, c)), scratch);
    r.wall_seconds = child.seconds;
    r.exit_code = child.exit_code;
    r.signal = child.signal;
    r.timed_out = child.timed_out;
    if (std::filesystem::exists(fragment_path)) {
        r.outcome = json::parse(cs::read_file(fragment_path), nullptr, false);
        if (r.outcome.is_discarded()) r.outcome = nullptr;
        std::filesystem::remove(fragment_path);
    }
    r.messages_verified = std::strtoull(summary_field(child.out, "messages").c_str(), nullptr, 10);
    r.run_seconds = std::strtod(summary_field(child.out, "seconds").c_str(), nullptr);

    const cs::sanitizer_finding san = cs::find_sanitizer_report(child.err);
    auto first_line = [](const std::string& s) { return s.substr(0, s.find('\n')); };
    if (child.spawn_failed) {
        r.failure_kind = "error";
        r.detail = child.spawn_error;
    } else if (san.at != std::string::npos) {
        r.failure_kind = san.kind;
        r.sanitizer_report = cs::printable(child.err.substr(san.at), 64 * 1024);
        r.detail = first_line(child.err.substr(san.at));
    } else if (child.timed_out) {
        r.failure_kind = "hang";
        r.detail = "killed after " + std::to_string(hard_limit_for(o, c) / 1000) +
                   " s: the run neither finished nor was stopped by its watchdog";
    } else if (child.exit_code == cs::exit_watchdog) {
        r.failure_kind = "watchdog";
        r.detail = first_line(child.err);
    } else if (child.exit_code == cs::exit_oracle) {
        r.failure_kind = "oracle:" + summary_field(child.out, "first_violation");
        const std::size_t at = child.err.find("violation ");
        r.detail = at == std::string::npos ? "" : first_line(child.err.substr(at));
    } else if (child.exit_code == cs::exit_pass) {
        r.passed = true;
    } else if (child.exit_code == cs::exit_usage) {
        r.failure_kind = "error";
        r.detail = first_line(child.err);
    } else {
        r.failure_kind = "crash";
        r.detail = child.signal ? "killed by " + cs::signal_name(child.signal) : "exit status " + std::to_string(child.exit_code);
    }
    r.detail = cs::printable(r.detail, 400);
    if (!r.passed) r.stderr_tail = cs::printable(cs::tail_of(child.err, 8 * 1024), 9 * 1024);
    return r;
}

inline std::string write_run(const options& o, const cs::run_record& r) {
    if (o.results.empty()) return "";
    const std::string path = o.results + "/stress/runs/" + cs::run_id(r.config) + ".json";
    cs::write_atomically(path, cs::run_json(r));
    return path;
}

inline std::string scratch_dir(const options& o) {
    return o.results.empty() ? std::filesystem::temp_directory_path().string() : o.results + "/stress/scratch";
}

inline void print_run(std::size_t index, std::size_t total, const cs::run_record& r) {
    const double rate = r.run_seconds > 0 ? r.messages_verified / r.run_seconds : 0;
    std::printf("[%3zu/%zu] %-58s %-4s %10llu msgs %9.3f M msg/s %6.2f s", index, total, cs::run_id(r.config).c_str(),
                r.passed ? "pass" : "fail", static_cast<unsigned long long>(r.messages_verified), rate / 1e6, r.wall_seconds);
    if (!r.passed) std::printf("\n         %s: %s\n         replay: %s", r.failure_kind.c_str(), r.detail.c_str(), r.replay.c_str());
    std::printf("\n");
}

// ------------------------------------------------------------------------------------------
// Modes.

inline std::vector<cs::run_config> sweep_configs(const options& o) {
    std::vector<run_config> out;
    const std::pair<unsigned, unsigned> topologies[] = {{1, 1}, {4, 1}, {1, 4}, {4, 4}};
    const std::optional<std::size_t> capacities[] = {0, 1, 16, std::nullopt};
    std::vector<bool> chaos_modes;
    if (o.chaos_mode != "on") chaos_modes.push_back(false);
    if (o.chaos_mode != "off") chaos_modes.push_back(true);
    std::size_t index = 0;
    for (const stress_channel& ch : table().channels) {
        if (ch.test_only) continue;  // hangs by design: a watchdog demonstration, not a subject
        if (o.channel && ch.name != *o.channel) continue;
        if (!o.sel.wants_kind(ch.kind)) continue;
        for (implementation impl : ch.impls) {
            for (workload w : all_workloads) {
                if (o.workload_text && w != o.run.load) continue;
                for (auto [p, c] : topologies) {
                    for (auto cap : capacities) {
                        // A oneshot carries one message whatever the capacity: one entry.
                        if (ch.kind == channel_kind::oneshot && cap) continue;
                        for (bool chaos : chaos_modes) {
                            run_config r;
                            r.channel = ch.name;
                            r.kind = ch.kind;
                            r.impl = impl;
                            r.capacity = cap;
                            r.flav = ch.flavor_of(impl, cap);
                            r.load = w;
                            r.producers = p;
                            r.consumers = c;
                            r.chaos = chaos;
                            r.watchdog_ms = o.run.watchdog_ms;
                            r.duration_ms = 1;  // set per run from the budget
                            if (!problem_with(ch, r).empty() || !o.sel.wants_flavor(r.flav)) continue;
                            if (o.sel.in_shard(index++)) out.push_back(r);
                        }
                    }
                }
            }
        }
    }
    return out;
}

inline int run_sweep(const options& o) {
    const std::vector<cs::run_config> configs = sweep_configs(o);
    if (configs.empty()) usage_error("--all: the selection leaves no configuration to run");
    const std::uint64_t budget_ms = o.budget_ms > 0 ? o.budget_ms : o.full_budget ? table().full_sweep_ms : table().quick_sweep_ms;
    std::printf("%s sweep: %zu configurations, budget %.1f s, seed %llu, sanitizer %s\n", table().program.c_str(), configs.size(),
                budget_ms / 1000.0, static_cast<unsigned long long>(o.run.seed), cs::sanitizer_name());
    cs::summary_file summary(o.results.empty() ? "" : o.results + "/stress/summary.sweep.json", "sweep", o.run.seed,
                             std::to_string(budget_ms) + "ms");
    summary.write(false);
    const auto start = std::chrono::steady_clock::now();
    double overhead_ms = 50;  // process start and teardown, learned as runs go
    unsigned failed = 0;
    std::uint64_t messages = 0;
    double run_seconds = 0;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        const double spent = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        const double share = (static_cast<double>(budget_ms) - spent) / static_cast<double>(configs.size() - i);
        cs::run_config c = configs[i];
        c.seed = o.run.seed + i;
        c.messages = 0;
        c.duration_ms = static_cast<std::uint64_t>(std::max(20.0, share - overhead_ms));
        const cs::run_record r = supervise(o, c, scratch_dir(o));
        overhead_ms = 0.8 * overhead_ms + 0.2 * std::max(0.0, r.wall_seconds * 1000 - static_cast<double>(c.duration_ms));
        print_run(i + 1, configs.size(), r);
        summary.add_run(r, write_run(o, r));
        summary.write(false);
        failed += r.passed ? 0 : 1;
        messages += r.messages_verified;
        run_seconds += r.run_seconds;
    }
    summary.write(true);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("sweep: %zu runs, %u failed, %llu messages verified in %.1f s of runs (%.3f M msg/s), %.1f s wall\n",
                configs.size(), failed, static_cast<unsigned long long>(messages), run_seconds,
                run_seconds > 0 ? messages / run_seconds / 1e6 : 0.0, wall);
    if (!o.results.empty()) std::printf("results: %s/stress/\n", o.results.c_str());
    return failed == 0 ? 0 : 1;
}

inline flavor table_flavor(channel_kind kind, implementation impl, std::optional<std::size_t> capacity) {
    for (const stress_channel& ch : table().channels)
        if (ch.kind == kind && !ch.test_only) return ch.flavor_of(impl, capacity);
    return flavor::adapter;
}

// The mutants of the bug zoo this run covers: every one stress is built for, or --mutant's,
// split by --shard.
inline std::vector<bug> zoo_mutants(const options& o) {
    std::vector<bug> mutants;
    std::size_t index = 0;
    for (const cs::mutant_kind& m : cs::mutant_kinds) {
        if (std::find(mutants.begin(), mutants.end(), m.mutant) != mutants.end()) continue;
        if (!o.sel.wants_mutant(m.mutant)) continue;
        if (o.sel.in_shard(index++)) mutants.push_back(m.mutant);
    }
    return mutants;
}

inline int run_bug_zoo(const options& o) {
    const std::uint64_t budget_ms = o.budget_ms > 0 ? o.budget_ms : o.full_budget ? 20'000 : 10'000;
    const std::uint64_t watchdog_ms = o.watchdog_text ? o.run.watchdog_ms : 2'000;
    const std::vector<bug> mutants = zoo_mutants(o);
    for (const auto& [b, kind] : o.expect)
        if (std::find(mutants.begin(), mutants.end(), b) == mutants.end())
            usage_error(std::string("--expect ") + chancheck::bug_name(b) + ": that mutant is not in this run");
    std::printf("%s bug zoo: %zu mutants, %.1f s each at most, watchdog %.1f s, seed %llu, sanitizer %s\n",
                table().program.c_str(), mutants.size(), budget_ms / 1000.0, watchdog_ms / 1000.0,
                static_cast<unsigned long long>(o.run.seed), cs::sanitizer_name());
    cs::summary_file summary(o.results.empty() ? "" : o.results + "/stress/summary.bug_zoo.json", "bug_zoo", o.run.seed,
                             std::to_string(budget_ms) + "ms per mutant");
    unsigned unmet = 0;
    std::uint64_t seed = o.run.seed;
    for (bug b : mutants) {
        std::vector<const cs::zoo_target*> targets;
        for (const cs::zoo_target& t : cs::zoo_targets)
            if (t.mutant == b) targets.push_back(&t);
        cs::zoo_record z;
        z.mutant = b;
        z.note = targets.front()->note;
        const auto start = std::chrono::steady_clock::now();
        // A catch that is asserted gets three times the budget before it counts as missed:
        // real threads catch by chance, and a gate must not fail on a slow streak.
        const std::uint64_t mutant_budget_ms = o.expect.count(b) ? 3 * budget_ms : budget_ms;
        cs::run_record last;
        // Round-robin over the mutant's targets, a fresh seed each run, until a catch.
        do {
            const cs::zoo_target& t = *targets[z.runs % targets.size()];
            last = supervise(o, cs::zoo_config(t, seed++, watchdog_ms, &table_flavor), scratch_dir(o));
            ++z.runs;
            if (!last.passed && last.failure_kind != "error") {
                z.caught_by = last.failure_kind;
                z.note = t.note;
                break;
            }
            if (last.failure_kind == "error") break;
        } while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(mutant_budget_ms));
        z.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        z.run_file = write_run(o, last);
        z.replay = last.replay;
        if (auto e = o.expect.find(b); e != o.expect.end()) {
            z.expectation = e->second.empty() ? std::string(accepted_kinds(class_of(b))) : e->second;
            z.expectation_met = e->second.empty() ? last.as_expected() : z.caught_by.rfind(e->second, 0) == 0;
            unmet += z.expectation_met ? 0 : 1;
        }
        if (last.failure_kind == "error") {
            ++unmet;
            z.expectation_met = false;
        }
        std::printf("%-34s %-8s %-32s %4u runs %6.2f s%s\n", chancheck::bug_name(b), z.caught_by.empty() ? "missed" : "caught",
                    z.caught_by.empty() ? "" : z.caught_by.c_str(), z.runs, z.seconds,
                    z.expectation.empty() ? "" : (z.expectation_met ? "  [expectation met]" : "  [EXPECTATION NOT MET]"));
        if (!z.caught_by.empty() || !z.expectation_met) std::printf("    replay: %s\n", z.replay.c_str());
        if (last.failure_kind == "error") std::printf("    error: %s\n", last.detail.c_str());
        summary.add_run(last, z.run_file);
        summary.add_zoo(z);
        summary.write(false);
    }
    summary.write(true);
    if (!o.results.empty()) std::printf("results: %s/stress/\n", o.results.c_str());
    return unmet == 0 ? 0 : 1;
}

inline int run_single(const options& o) {
    cs::run_config c = o.run;
    if (c.duration_ms > 0 && !o.messages) c.messages = 0;  // --duration alone: run for the duration
    const stress_channel& ch = *find_channel(c.channel);
    if (const std::string p = problem_with(ch, c); !p.empty()) usage_error(p);
    if (c.mutant != bug::none && table().mutant(c.mutant, c.kind) == nullptr) {
        std::string kinds;
        for (const cs::mutant_kind& m : cs::mutant_kinds)
            if (m.mutant == c.mutant) kinds += std::string(kinds.empty() ? "" : ", ") + harness::to_string(m.kind);
        usage_error(std::string("--mutant ") + chancheck::bug_name(c.mutant) + " is built for --kind " + kinds + " only");
    }
    std::printf("%s: %s, seed %llu, sanitizer %s\n", table().program.c_str(), cs::run_id(c).c_str(),
                static_cast<unsigned long long>(c.seed), cs::sanitizer_name());
    cs::summary_file summary(o.results.empty() ? "" : o.results + "/stress/summary.single.json", "single", c.seed, "");
    const cs::run_record r = supervise(o, c, scratch_dir(o));
    print_run(1, 1, r);
    if (!r.sanitizer_report.empty()) std::printf("%s\n", r.sanitizer_report.c_str());
    else if (!r.passed) std::printf("%s\n", r.stderr_tail.c_str());
    summary.add_run(r, write_run(o, r));
    summary.write(true);
    return r.passed ? 0 : 1;
}

inline int list_all(const options& o) {
    std::printf("sweep configurations (--all):\n");
    for (const cs::run_config& c : sweep_configs(o)) std::printf("  %s\n", cs::run_id(c).c_str());
    if (!table().bug_zoo) return 0;
    std::printf("bug-zoo targets (--bug-zoo):\n");
    for (const cs::zoo_target& t : cs::zoo_targets)
        std::printf("  %-34s %s (%s)\n      %s\n", chancheck::bug_name(t.mutant),
                    cs::run_id(cs::zoo_config(t, 1, 0, &table_flavor)).c_str(), accepted_kinds(class_of(t.mutant)).data(),
                    t.note);
    return 0;
}

}  // namespace driver_detail

inline int driver_main(int argc, char** argv, const driver_table& table) {
    using namespace driver_detail;
    // Each result line is out as soon as it ends, even into a pipe: a gate step killed by its
    // time limit still shows the runs it finished. (No crash handler here: every run is a
    // child process the parent reports on, and the sanitizers' own handlers must stay.)
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    active_table() = &table;
    const options o = parse(argc, argv);
    if (o.sel.list_mutants) {
        for (bug b : zoo_mutants(o)) std::printf("%s\n", chancheck::bug_name(b));
        return 0;
    }
    switch (o.what) {
        case options::mode::list: return list_all(o);
        case options::mode::all: return run_sweep(o);
        case options::mode::bug_zoo: return run_bug_zoo(o);
        case options::mode::child: return run_child(o);
        case options::mode::single: break;
    }
    return run_single(o);
}

}  // namespace chancheck::stress
