// models/common/model_runner.hpp — the command line shared by every Relacy model program.
//
// A model program is a list of named cases, each one Relacy simulation with the test result
// it must end with (SUCCESS for reference flavors, the expected failure kind for a seeded
// bug). Usage: PROGRAM [--all | --case NAME]... [--iterations N] [--list]
//                      [--scheduler random|bound|full]
// A case that ends otherwise prints Relacy's execution history and the command that replays
// it; the program exits non-zero. --verbose prints that report for expected failures too
// (to see what a seeded bug looks like when it is caught).
//
// Include after chancheck/sync/relacy_sync.hpp.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

namespace chancheck::models {

struct model_case {
    const char* name;
    rl::test_result_e expected;  // test_result_success for reference flavors
    std::function<bool(rl::test_params&)> run;
};

// Relacy prints a failing execution's history while its own allocator is active, so the
// stream it writes to must not allocate (an ostringstream growing inside libstdc++ would hand
// Relacy memory it never allocated). This one writes into a fixed buffer and truncates.
class fixed_buffer : public std::streambuf {
public:
    fixed_buffer() { reset(); }
    void reset() { setp(data_, data_ + sizeof(data_) - 1); truncated_ = false; }
    std::string text() const {
        std::string out(pbase(), pptr());
        if (truncated_) out += "\n[history truncated]\n";
        return out;
    }

protected:
    int_type overflow(int_type ch) override {
        truncated_ = true;
        return traits_type::not_eof(ch);
    }

private:
    char data_[1 << 20];
    bool truncated_ = false;
};

inline int usage(const char* argv0, int status) {
    std::fprintf(status == 0 ? stdout : stderr,
                 "usage: %s [--all | --case NAME]... [--iterations N] [--scheduler random|bound|full] [--list] [--verbose]\n",
                 argv0);
    return status;
}

// Runs the selected cases; exit status 0 when every one ended as expected.
// `failure_detail`, when given, is called after each case and returns (and clears) what the
// program's own checks recorded about a failure, e.g. oracle violations.
inline int run_cases(int argc, char** argv, const std::vector<model_case>& cases,
                     const std::function<std::string()>& failure_detail = {}) {
    std::vector<const model_case*> selected;
    unsigned long iterations = 20000;
    rl::scheduler_type_e scheduler = rl::random_scheduler_type;
    const char* scheduler_name = "random";
    bool verbose = false;

    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next = [&](const char* what) -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s: %s needs a value\n", argv[0], what);
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--all") {
            for (const auto& c : cases) selected.push_back(&c);
        } else if (arg == "--case") {
            const char* name = next("--case");
            const model_case* found = nullptr;
            for (const auto& c : cases) if (std::strcmp(c.name, name) == 0) found = &c;
            if (found == nullptr) {
                std::fprintf(stderr, "%s: unknown case '%s' (see --list)\n", argv[0], name);
                return 2;
            }
            selected.push_back(found);
        } else if (arg == "--iterations") {
            char* end = nullptr;
            const char* text = next("--iterations");
            iterations = std::strtoul(text, &end, 10);
            if (*end != '\0' || iterations == 0) {
                std::fprintf(stderr, "%s: --iterations needs a positive number, got '%s'\n", argv[0], text);
                return 2;
            }
        } else if (arg == "--scheduler") {
            scheduler_name = next("--scheduler");
            if (std::strcmp(scheduler_name, "random") == 0) scheduler = rl::random_scheduler_type;
            else if (std::strcmp(scheduler_name, "bound") == 0) scheduler = rl::fair_context_bound_scheduler_type;
            else if (std::strcmp(scheduler_name, "full") == 0) scheduler = rl::fair_full_search_scheduler_type;
            else {
                std::fprintf(stderr, "%s: unknown scheduler '%s'\n", argv[0], scheduler_name);
                return 2;
            }
        } else if (arg == "--verbose") {
            verbose = true;
        } else if (arg == "--list") {
            for (const auto& c : cases) std::printf("%s\n", c.name);
            return 0;
        } else if (arg == "--help" || arg == "-h") {
            return usage(argv[0], 0);
        } else {
            std::fprintf(stderr, "%s: unknown argument '%s'\n", argv[0], arg.c_str());
            return usage(argv[0], 2);
        }
    }
    if (selected.empty()) return usage(argv[0], 2);

    int unexpected = 0;
    static fixed_buffer history_buffer;
    std::ostream history(&history_buffer);
    for (const model_case* c : selected) {
        history_buffer.reset();
        rl::test_params params;
        params.iteration_count = iterations;
        params.search_type = scheduler;
        params.output_stream = &history;
        params.progress_stream = &history;
        const auto start = std::chrono::steady_clock::now();
        c->run(params);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const bool as_expected = params.test_result == c->expected;
        const std::string detail = failure_detail ? failure_detail() : std::string();
        std::printf("%-32s %-8s result=%-24s expected=%-24s iterations=%llu %.2fs\n", c->name,
                    as_expected ? "OK" : "FAILED", rl::test_result_str(params.test_result),
                    rl::test_result_str(c->expected), static_cast<unsigned long long>(params.stop_iteration),
                    seconds);
        if (!as_expected || (verbose && params.test_result != rl::test_result_success)) {
            if (!as_expected) ++unexpected;
            if (!detail.empty()) std::printf("%s", detail.c_str());
            std::printf("%s\nreplay: %s --case %s --iterations %lu --scheduler %s\n", history_buffer.text().c_str(),
                        argv[0], c->name, iterations, scheduler_name);
        }
    }
    std::printf("%zu passed, %d failed\n", selected.size() - unexpected, unexpected);
    return unexpected == 0 ? 0 : 1;
}

}  // namespace chancheck::models
