// chancheck/stress/driver.hpp — the stress driver's command line, shared by chancheck-stress
// and every driver made for a user's channel (chancheck_add_channel, adapter_driver.hpp).
//
// One run: a channel kind and flavor, producers x consumers, a capacity, a workload
// (workloads.hpp), a message count or a duration, a seed, optional chaos noise, and a
// watchdog. --all sweeps every kind x flavor x topology (1x1, 4x1, 1x4, 4x4) x capacity
// (0, 1, 16, unbounded) x workload within a time budget; --bug-zoo runs the seeded bugs where
// stress can see them (bug_zoo_targets.hpp) and says which it caught and how. Every run is a
// child process (supervisor.hpp) and leaves a JSON file (result_json.hpp).
//
// What differs between drivers is a subject_table: the program name and help text, the
// kinds and flavors it runs, whether chaos noise and the bug zoo mean anything for it, the
// runners, and any check a configuration must pass beyond config.hpp's validate.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "chancheck/stress/bug_zoo_targets.hpp"
#include "chancheck/stress/config.hpp"
#include "chancheck/stress/result_json.hpp"
#include "chancheck/stress/runners.hpp"
#include "chancheck/stress/supervisor.hpp"

namespace chancheck::stress {

struct subject_table {
    std::string program;                  // in messages and headings, e.g. "chancheck-stress"
    std::string usage;                    // the --help text
    std::vector<stress_kind> kinds;      // what --kind accepts, in this order (the sweep skips stuck)
    std::vector<channel_flavor> flavors;  // what --flavor accepts
    stress_kind default_kind = stress_kind::mpmc;
    channel_flavor default_flavor = channel_flavor::lock_free;
    bool chaos = true;    // chaos noise reaches the channel (it is written over chancheck's Sync policy)
    bool bug_zoo = true;  // --bug and --bug-zoo: chancheck's seeded bugs
    runner (*reference)(stress_kind kind, bool chaos) = nullptr;
    runner (*mutant)(bug mutant, stress_kind kind) = nullptr;  // null when bug_zoo is false
    std::string (*check)(const run_config&) = nullptr;          // extra checks; "" when fine
};

int driver_main(int argc, char** argv, const subject_table& table);

namespace driver_detail {

namespace cs = chancheck::stress;

// The table of the driver this process runs (one driver per executable; set by driver_main).
inline const subject_table*& active_table() {
    static const subject_table* table = nullptr;
    return table;
}
inline const subject_table& table() { return *active_table(); }

struct options {
    enum class mode { single, all, bug_zoo, list, child } what = mode::single;
    cs::run_config run;
    bool seed_given = false;
    bool kind_given = false, flavor_given = false, workload_given = false, messages_given = false;
    std::uint64_t budget_ms = 0;
    std::string chaos_mode = "both";
    std::vector<bug> only;
    std::map<bug, std::string> expect;
    std::string results;
    std::uint64_t hard_limit_ms = 0;
    std::string fragment;  // --child: where to write the outcome
};

[[noreturn]] inline void usage_error(const std::string& message) {
    const char* program = table().program.c_str();
    std::fprintf(stderr, "%s: %s\n(see %s --help)\n", program, message.c_str(), program);
    std::exit(cs::exit_usage);
}

template <class T>
bool listed(const std::vector<T>& list, T item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// "a, b, c" of the table's kinds (stuck included) or flavors.
template <class T>
std::string names_of(const std::vector<T>& list) {
    std::string out;
    for (T item : list) out += (out.empty() ? "" : ", ") + std::string(to_string(item));
    return out;
}

// What is wrong with a configuration for this driver, or "".
inline std::string problem_with(const run_config& c) {
    std::string problem = cs::validate(c);
    if (problem.empty() && table().check != nullptr) problem = table().check(c);
    return problem;
}

inline std::uint64_t parse_count(const std::string& option, const std::string& text) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
        usage_error(option + " needs a whole number, got '" + text + "'");
    try {
        return std::stoull(text);
    } catch (const std::exception&) {
        usage_error(option + ": '" + text + "' is too large");
    }
}

// "250ms", "2s", "1m"; a bare 0 is allowed (off).
inline std::uint64_t parse_duration_ms(const std::string& option, const std::string& text) {
    if (text == "0") return 0;
    std::size_t digits = text.find_first_not_of("0123456789");
    if (digits == 0 || digits == std::string::npos)
        usage_error(option + " needs a duration with a unit (e.g. 500ms, 2s, 1m), got '" + text + "'");
    const std::uint64_t n = parse_count(option, text.substr(0, digits));
    const std::string unit = text.substr(digits);
    if (unit == "ms") return n;
    if (unit == "s") return n * 1000;
    if (unit == "m") return n * 60'000;
    usage_error(option + ": unknown unit '" + unit + "' in '" + text + "' (use ms, s or m)");
}

inline options parse(int argc, char** argv) {
    options o;
    o.run.messages = 100'000;
    o.run.kind = table().default_kind;
    o.run.flavor = table().default_flavor;
    if (!table().chaos) o.chaos_mode = "off";
    auto value = [&](int& i) -> std::string {
        if (i + 1 >= argc) usage_error(std::string(argv[i]) + " needs a value");
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::fputs(table().usage.c_str(), stdout);
            std::exit(0);
        } else if (a == "--all") {
            o.what = options::mode::all;
        } else if (a == "--bug-zoo") {
            if (!table().bug_zoo) usage_error("--bug-zoo: the bug zoo seeds bugs into chancheck's own channels; " + table().program + " has none");
            o.what = options::mode::bug_zoo;
        } else if (a == "--list") {
            o.what = options::mode::list;
        } else if (a == "--child") {
            o.what = options::mode::child;
        } else if (a == "--fragment") {
            o.fragment = value(i);
        } else if (a == "--kind") {
            const std::string v = value(i);
            auto k = cs::parse_kind(v);
            if (!k || !listed(table().kinds, *k)) usage_error("--kind: unknown kind '" + v + "' (" + names_of(table().kinds) + ")");
            o.run.kind = *k;
            o.kind_given = true;
        } else if (a == "--flavor") {
            const std::string v = value(i);
            auto f = cs::parse_flavor(v);
            if (!f || !listed(table().flavors, *f)) usage_error("--flavor: unknown flavor '" + v + "' (" + names_of(table().flavors) + ")");
            o.run.flavor = *f;
            o.flavor_given = true;
        } else if (a == "--workload") {
            const std::string v = value(i);
            auto w = cs::parse_workload(v);
            if (!w) usage_error("--workload: unknown workload '" + v + "' (stream, round_trip, receiver_quits)");
            o.run.load = *w;
            o.workload_given = true;
        } else if (a == "--producers") {
            o.run.producers = static_cast<unsigned>(parse_count(a, value(i)));
        } else if (a == "--consumers") {
            o.run.consumers = static_cast<unsigned>(parse_count(a, value(i)));
        } else if (a == "--capacity") {
            const std::string v = value(i);
            if (v == "unbounded") o.run.capacity.reset();
            else o.run.capacity = parse_count(a, v);
        } else if (a == "--messages") {
            o.run.messages = parse_count(a, value(i));
            o.messages_given = true;
        } else if (a == "--duration") {
            o.run.duration_ms = parse_duration_ms(a, value(i));
        } else if (a == "--seed") {
            o.run.seed = parse_count(a, value(i));
            o.seed_given = true;
        } else if (a == "--chaos") {
            if (!table().chaos) usage_error("--chaos: the noise is injected by chancheck's Sync policy, which " + table().program + "'s channel does not use");
            o.run.chaos = true;
        } else if (a == "--watchdog") {
            o.run.watchdog_ms = parse_duration_ms(a, value(i));
        } else if (a == "--bug") {
            if (!table().bug_zoo) usage_error("--bug: the seeded bugs live in chancheck's own channels; " + table().program + " has none");
            const std::string v = value(i);
            auto b = cs::parse_bug(v);
            if (!b) usage_error("--bug: unknown mutant '" + v + "' (see " + table().program + " --list)");
            o.run.mutant = *b;
        } else if (a == "--budget") {
            o.budget_ms = parse_duration_ms(a, value(i));
        } else if (a == "--chaos-mode") {
            o.chaos_mode = value(i);
            if (o.chaos_mode != "off" && o.chaos_mode != "on" && o.chaos_mode != "both")
                usage_error("--chaos-mode must be off, on or both, got '" + o.chaos_mode + "'");
            if (!table().chaos && o.chaos_mode != "off")
                usage_error("--chaos-mode: only off, as the noise is injected by chancheck's Sync policy, which " + table().program + "'s channel does not use");
        } else if (a == "--only") {
            const std::string v = value(i);
            auto b = cs::parse_bug(v);
            if (!b || *b == bug::none) usage_error("--only: unknown mutant '" + v + "' (see " + table().program + " --list)");
            o.only.push_back(*b);
        } else if (a == "--expect") {
            const std::string v = value(i);
            const auto eq = v.find('=');
            auto b = cs::parse_bug(v.substr(0, eq));
            if (eq == std::string::npos || !b || *b == bug::none || eq + 1 == v.size())
                usage_error("--expect needs MUTANT=KIND with a known mutant, got '" + v + "'");
            o.expect[*b] = v.substr(eq + 1);
        } else if (a == "--results") {
            o.results = value(i);
        } else if (a == "--hard-limit") {
            o.hard_limit_ms = parse_duration_ms(a, value(i));
        } else {
            usage_error("unknown argument '" + a + "'");
        }
    }
    if (!o.seed_given) o.run.seed = std::random_device{}() % 1'000'000'000u + 1;
    return o;
}

// ------------------------------------------------------------------------------------------
// The child: run one configuration in this process and report through exit status, stdout
// (one summary line) and the fragment file.

inline void write_fragment(const std::string& path, const std::string& members) {
    if (path.empty()) return;
    cs::write_atomically(path, members);
}

inline int run_child(const options& o) {
    const cs::run_config& c = o.run;
    cs::runner run = c.mutant == bug::none ? table().reference(c.kind, c.chaos) : table().mutant(c.mutant, c.kind);
    if (run == nullptr) {
        std::fprintf(stderr, "%s: mutant %s is not built for --kind %s\n", table().program.c_str(), chancheck::bug_name(c.mutant),
                     cs::to_string(c.kind));
        return cs::exit_usage;
    }
    chancheck::chaos::configure({.enabled = c.chaos, .seed = c.seed});
    cs::run_context ctx;
    ctx.config = c;
    const std::string fragment = o.fragment;
    ctx.start_watchdog = [&](const cs::progress_board& board) {
        return std::make_unique<cs::watchdog>(board, std::chrono::milliseconds(c.watchdog_ms), [fragment](const std::string& dump) {
            std::fputs(dump.c_str(), stderr);
            write_fragment(fragment, cs::outcome_members(cs::run_outcome{}, dump));
            std::printf("summary watchdog\n");
            std::fflush(stdout);
            std::fflush(stderr);
            std::_Exit(cs::exit_watchdog);  // the blocked threads cannot be unwound
        });
    };
    const cs::run_outcome out = run(ctx);
    write_fragment(fragment, cs::outcome_members(out, ""));
    std::printf("summary messages=%llu seconds=%.6f first_violation=%s\n",
                static_cast<unsigned long long>(out.messages_verified), out.seconds,
                out.found.empty() ? "-" : chancheck::harness::to_string(out.found.front().kind));
    for (const auto& v : out.found) std::fprintf(stderr, "violation %s: %s\n", chancheck::harness::to_string(v.kind), v.detail.c_str());
    return out.found.empty() ? cs::exit_pass : cs::exit_oracle;
}

// ------------------------------------------------------------------------------------------
// The parent: run children, classify, record.

inline std::string self_path() { return std::filesystem::canonical("/proc/self/exe").string(); }

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
    const std::string exe = self_path();
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
        r.outcome = cs::read_file(fragment_path);
        std::filesystem::remove(fragment_path);
    }
    r.messages_verified = std::strtoull(summary_field(child.out, "messages").c_str(), nullptr, 10);
    r.run_seconds = std::strtod(summary_field(child.out, "seconds").c_str(), nullptr);

    const cs::sanitizer_finding san = cs::find_sanitizer_report(child.err);
    auto first_line = [](const std::string& s) { return s.substr(0, s.find('\n')); };
    r.verdict = "fail";
    if (child.spawn_failed) {
        r.verdict = "error";
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
        r.verdict = "pass";
    } else if (child.exit_code == cs::exit_usage) {
        r.verdict = "error";
        r.failure_kind = "error";
        r.detail = first_line(child.err);
    } else {
        r.failure_kind = "crash";
        r.detail = child.signal ? "killed by " + cs::signal_name(child.signal) : "exit status " + std::to_string(child.exit_code);
    }
    r.detail = cs::printable(r.detail, 400);
    if (r.verdict != "pass") r.stderr_tail = cs::printable(cs::tail_of(child.err, 8 * 1024), 9 * 1024);
    return r;
}

inline std::string run_file_path(const options& o, const cs::run_config& c) {
    return o.results.empty() ? "" : o.results + "/stress/runs/" + cs::run_id(c) + ".json";
}

inline std::string write_run(const options& o, const cs::run_record& r) {
    const std::string path = run_file_path(o, r.config);
    if (!path.empty()) cs::write_atomically(path, cs::run_json(r));
    return path;
}

inline std::string scratch_dir(const options& o) {
    return o.results.empty() ? std::filesystem::temp_directory_path().string() : o.results + "/stress/scratch";
}

inline void print_run(std::size_t index, std::size_t total, const cs::run_record& r) {
    const double rate = r.run_seconds > 0 ? r.messages_verified / r.run_seconds : 0;
    std::printf("[%3zu/%zu] %-58s %-4s %10llu msgs %9.3f M msg/s %6.2f s", index, total, cs::run_id(r.config).c_str(),
                r.verdict.c_str(), static_cast<unsigned long long>(r.messages_verified), rate / 1e6, r.wall_seconds);
    if (r.verdict != "pass") std::printf("\n         %s: %s\n         replay: %s", r.failure_kind.c_str(), r.detail.c_str(), r.replay.c_str());
    std::printf("\n");
    std::fflush(stdout);
}

// ------------------------------------------------------------------------------------------
// Modes.

inline std::vector<cs::run_config> sweep_configs(const options& o) {
    using namespace chancheck::stress;
    std::vector<run_config> out;
    const std::pair<unsigned, unsigned> topologies[] = {{1, 1}, {4, 1}, {1, 4}, {4, 4}};
    const std::optional<std::size_t> capacities[] = {0, 1, 16, std::nullopt};
    std::vector<bool> chaos_modes;
    if (o.chaos_mode != "on") chaos_modes.push_back(false);
    if (o.chaos_mode != "off") chaos_modes.push_back(true);
    for (stress_kind k : table().kinds) {
        if (k == stress_kind::stuck) continue;  // hangs by design: a watchdog demonstration, not a subject
        if (o.kind_given && k != o.run.kind) continue;
        for (channel_flavor f : table().flavors) {
            if (o.flavor_given && f != o.run.flavor) continue;
            for (workload w : {workload::stream, workload::round_trip, workload::receiver_quits}) {
                if (o.workload_given && w != o.run.load) continue;
                for (auto [p, c] : topologies) {
                    for (auto cap : capacities) {
                        // A oneshot carries one message whatever the capacity: one entry.
                        if (k == stress_kind::oneshot && cap) continue;
                        for (bool chaos : chaos_modes) {
                            run_config r;
                            r.kind = k;
                            r.flavor = f;
                            r.load = w;
                            r.producers = p;
                            r.consumers = c;
                            r.capacity = cap;
                            r.chaos = chaos;
                            r.watchdog_ms = o.run.watchdog_ms;
                            r.duration_ms = 1;  // set per run from the budget
                            if (problem_with(r).empty()) out.push_back(r);
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
    if (configs.empty()) usage_error("--all: the filters leave no configuration to run");
    const std::uint64_t budget_ms = o.budget_ms > 0 ? o.budget_ms : 60'000;
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
        failed += r.verdict == "pass" ? 0 : 1;
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

inline int run_bug_zoo(const options& o) {
    const std::uint64_t budget_ms = o.budget_ms > 0 ? o.budget_ms : 10'000;
    const std::uint64_t watchdog_ms = o.run.watchdog_ms != 10'000 ? o.run.watchdog_ms : 2'000;
    std::vector<bug> mutants;
    for (const cs::mutant_kind& m : cs::mutant_kinds) {
        bool listed = false;
        for (bug b : mutants) listed = listed || b == m.mutant;
        if (listed) continue;
        if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), m.mutant) == o.only.end()) continue;
        mutants.push_back(m.mutant);
    }
    for (const auto& [b, kind] : o.expect)
        if (std::find(mutants.begin(), mutants.end(), b) == mutants.end())
            usage_error(std::string("--expect ") + chancheck::bug_name(b) + ": that mutant is not in this run");
    std::printf("%s bug zoo: %zu mutants, %.1f s each at most, watchdog %.1f s, seed %llu, sanitizer %s\n",
                table().program.c_str(), mutants.size(), budget_ms / 1000.0, watchdog_ms / 1000.0, static_cast<unsigned long long>(o.run.seed),
                cs::sanitizer_name());
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
        z.catches_as = targets.front()->catches_as;
        z.note = targets.front()->note;
        const auto start = std::chrono::steady_clock::now();
        // A catch that is asserted gets three times the budget before it counts as missed:
        // real threads catch by chance, and a gate must not fail on a slow streak.
        const std::uint64_t mutant_budget_ms = o.expect.count(b) ? 3 * budget_ms : budget_ms;
        cs::run_record last;
        // Round-robin over the mutant's targets, a fresh seed each run, until a catch.
        do {
            const cs::zoo_target& t = *targets[z.runs % targets.size()];
            last = supervise(o, cs::zoo_config(t, seed++, watchdog_ms), scratch_dir(o));
            ++z.runs;
            if (last.verdict == "fail") {
                z.caught_by = last.failure_kind;
                z.note = t.note;
                break;
            }
            if (last.verdict == "error") break;
        } while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(mutant_budget_ms));
        z.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        z.run_file = write_run(o, last);
        z.replay = last.replay;
        if (auto e = o.expect.find(b); e != o.expect.end()) {
            z.expectation = e->second;
            z.expectation_met = z.caught_by.rfind(e->second, 0) == 0;
            unmet += z.expectation_met ? 0 : 1;
        }
        if (last.verdict == "error") {
            ++unmet;
            z.expectation_met = false;
        }
        std::printf("%-34s %-8s %-32s %4u runs %6.2f s%s\n", chancheck::bug_name(b), z.caught_by.empty() ? "missed" : "caught",
                    z.caught_by.empty() ? ("(" + z.catches_as + " expected)").c_str() : z.caught_by.c_str(), z.runs, z.seconds,
                    z.expectation.empty() ? "" : (z.expectation_met ? "  [expectation met]" : "  [EXPECTATION NOT MET]"));
        if (!z.caught_by.empty() || !z.expectation_met) std::printf("    replay: %s\n", z.replay.c_str());
        if (last.verdict == "error") std::printf("    error: %s\n", last.detail.c_str());
        std::fflush(stdout);
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
    if (c.duration_ms > 0 && !o.messages_given) c.messages = 0;  // --duration alone: run for the duration
    if (c.mutant != bug::none && table().mutant(c.mutant, c.kind) == nullptr) {
        std::string kinds;
        for (const cs::mutant_kind& m : cs::mutant_kinds)
            if (m.mutant == c.mutant) kinds += std::string(kinds.empty() ? "" : ", ") + cs::to_string(m.kind);
        usage_error(std::string("--bug ") + chancheck::bug_name(c.mutant) + " is built for --kind " + kinds + " only");
    }
    std::printf("%s: %s, seed %llu, sanitizer %s\n", table().program.c_str(), cs::run_id(c).c_str(), static_cast<unsigned long long>(c.seed),
                cs::sanitizer_name());
    cs::summary_file summary(o.results.empty() ? "" : o.results + "/stress/summary.single.json", "single", c.seed, "");
    const cs::run_record r = supervise(o, c, scratch_dir(o));
    print_run(1, 1, r);
    if (!r.sanitizer_report.empty()) std::printf("%s\n", r.sanitizer_report.c_str());
    else if (r.verdict != "pass") std::printf("%s\n", r.stderr_tail.c_str());
    summary.add_run(r, write_run(o, r));
    summary.write(true);
    return r.verdict == "pass" ? 0 : 1;
}

inline int list_all(const options& o) {
    std::printf("sweep configurations (--all):\n");
    for (const cs::run_config& c : sweep_configs(o)) std::printf("  %s\n", cs::run_id(c).c_str());
    if (!table().bug_zoo) return 0;
    std::printf("bug-zoo targets (--bug-zoo):\n");
    for (const cs::zoo_target& t : cs::zoo_targets)
        std::printf("  %-34s %s (%s)\n      %s\n", chancheck::bug_name(t.mutant), cs::run_id(cs::zoo_config(t, 1, 0)).c_str(),
                    t.catches_as, t.note);
    return 0;
}


}  // namespace driver_detail

inline int driver_main(int argc, char** argv, const subject_table& table) {
    using namespace driver_detail;
    // Each result line is out as soon as it ends, even into a pipe: a gate step killed by its
    // time limit still shows the runs it finished. (No crash handler here: every run is a
    // child process the parent reports on, and the sanitizers' own handlers must stay.)
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    active_table() = &table;
    const options o = parse(argc, argv);
    switch (o.what) {
        case options::mode::list: return list_all(o);
        case options::mode::all: return run_sweep(o);
        case options::mode::bug_zoo: return run_bug_zoo(o);
        case options::mode::child: return run_child(o);
        case options::mode::single: break;
    }
    run_config c = o.run;
    if (c.duration_ms > 0 && !o.messages_given) c.messages = 0;  // --duration alone: run for the duration
    const std::string problem = problem_with(c);
    if (!problem.empty()) usage_error(problem);
    return run_single(o);
}

}  // namespace chancheck::stress
