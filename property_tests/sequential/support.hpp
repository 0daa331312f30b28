// property_tests/sequential/support.hpp — what every sequential model-based test shares.
//
//   - counted messages (harness::counted) and the destruction checks: after each command the
//     number of live message objects must equal what the model says the channel holds, and
//     after the sequence and the drop of every handle, constructed == destroyed;
//   - failure kinds: every failure description starts with one of `kind::*`, so a test can
//     assert that a seeded bug is caught *as the right kind* of failure;
//   - run_property(): runs one RapidCheck property with a quick budget (RC_PARAMS overrides
//     it), without RapidCheck's console listener, and reports the seed, the shrunk
//     counterexample and the exact command that replays a failure.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "chancheck/harness/recorder.hpp"
#include "spec_model.hpp"

namespace chancheck_seq {

using chancheck::harness::counted;
using chancheck::harness::message_counters;

// ---------------------------------------------------------------------------------------
// Failure kinds.

namespace kind {
// Success where an error was due, an error where success was due, or the wrong error.
inline constexpr std::string_view wrong_outcome = "wrong outcome";
// A received message that is not the one the model expects (order, duplicate, loss).
inline constexpr std::string_view wrong_value = "wrong value";
// A failed send whose error does not carry the value that was sent.
inline constexpr std::string_view value_not_returned = "value not handed back";
// Disconnected (or Closed) while the model still holds messages for this receiver.
inline constexpr std::string_view early_disconnect = "disconnected before drained";
// Broadcast: Lagged(n) with the wrong n.
inline constexpr std::string_view wrong_lagged = "wrong Lagged count";
// len(), is_empty(), capacity(), is_disconnected(), valid(), receiver_count(), send's count.
inline constexpr std::string_view wrong_query = "wrong query result";
// Message objects constructed and destroyed do not balance as the model says they must.
inline constexpr std::string_view destruction_imbalance = "destruction imbalance";
}  // namespace kind

// Fails the current RapidCheck case with "<kind>: <detail>".
[[noreturn]] inline void fail(std::string_view what, const std::string& detail) {
    throw rc::detail::CaseResult(rc::detail::CaseResult::Type::Failure, std::string(what) + ": " + detail);
}

// The live message objects must be exactly the `expected` ones the channel holds (every
// temporary of the command is gone by now).
inline void check_live_messages(const message_counters& c, std::size_t expected, const std::string& after) {
    const long live = c.live();
    if (live != static_cast<long>(expected)) {
        fail(kind::destruction_imbalance, "after " + after + ": " + std::to_string(live) +
                                              " message objects alive, the model says the channel holds " +
                                              std::to_string(expected));
    }
}

// After every handle is gone: each message object constructed was destroyed exactly once.
inline void check_all_destroyed(const message_counters& c) {
    const long made = c.constructed.load();
    const long gone = c.destroyed.load();
    if (made != gone) {
        fail(kind::destruction_imbalance, "after dropping every handle: " + std::to_string(made) +
                                              " message objects constructed, " + std::to_string(gone) +
                                              " destroyed");
    }
}

// Which message-object checks a property makes: both (the default), or one alone — to show
// that each bites on its own.
enum class counting { both, live_each_step_only, final_balance_only };

// A query's result (len(), capacity(), valid(), ...) against the model's answer.
inline std::string text(std::uint64_t v) { return std::to_string(v); }
inline std::string text(bool v) { return v ? "true" : "false"; }
inline std::string text(const std::optional<std::size_t>& v) { return v ? std::to_string(*v) : std::string("none"); }

template <class T>
void check_query(const std::string& op, const char* what, const T& got, const T& want) {
    if (!(got == want)) fail(kind::wrong_query, op + ": " + what + " is " + text(got) + ", expected " + text(want));
}

// A command's show() as a string (for failure messages).
template <class Command>
std::string shown(const Command& c) {
    std::ostringstream os;
    c.show(os);
    return os.str();
}

// ---------------------------------------------------------------------------------------
// Handle slots of a model: a few entries stored inline, because RapidCheck copies the model
// many times per generated command (a std::vector<bool> made that the bulk of the run time).

template <class T, std::size_t N>
class slot_array {
public:
    slot_array() = default;
    explicit slot_array(const T& first) { push_back(first); }

    std::size_t size() const { return count_; }
    static constexpr std::size_t max_size() { return N; }
    const T& operator[](std::size_t i) const { return items_[i]; }
    T& operator[](std::size_t i) { return items_[i]; }
    void push_back(const T& v) { items_[count_++] = v; }  // precondition: size() < N
    const T* begin() const { return items_.data(); }
    const T* end() const { return items_.data() + count_; }

private:
    std::array<T, N> items_{};
    std::size_t count_ = 0;
};

// ---------------------------------------------------------------------------------------
// Coverage: the notable states a sequence reached ("send refused: full", "lagged", ...).
// A system under test collects the events of one sequence; a property counts in how many
// sequences each event happened, and report() prints it, so a reader sees what was exercised.

using coverage = std::map<std::string, int>;

struct event_log {
    std::set<std::string> seen;
    void note(const std::string& event) { seen.insert(event); }
    void count_into(coverage& c) const {
        for (const auto& e : seen) ++c[e];
    }
};

// ---------------------------------------------------------------------------------------
// Running a property.

// The default budget: quick (a few hundred milliseconds per property in a Debug build).
struct budget {
    int max_success = 200;  // test cases (command sequences)
    int max_size = 150;     // a sequence has at most max_size + 1 commands
};

// What one run_property() produced, and how to replay it.
struct outcome {
    std::string id;  // the RapidCheck test id: the gtest name (plus a label)
    rc::detail::TestParams params;
    rc::detail::TestResult result = rc::detail::Error("not run");
    bool not_selected = false;  // RC_PARAMS reproduces another property: this one did not run
    std::shared_ptr<coverage> covered = std::make_shared<coverage>();  // filled by the property
    double seconds = 0;  // wall time of the search and the shrinking

    bool passed() const { return result.is<rc::detail::SuccessResult>(); }
    bool failed() const { return result.is<rc::detail::FailureResult>(); }
    const rc::detail::FailureResult& failure() const { return result.get<rc::detail::FailureResult>(); }

    // The number of commands in the shrunk counterexample (one line each when shown).
    std::size_t counterexample_commands() const {
        if (!failed()) return 0;
        std::size_t n = 0;
        for (const auto& [type, value] : failure().counterExample) {
            if (type.find("Command") == std::string::npos) continue;
            for (char ch : value) n += ch == '\n' ? 1 : 0;
        }
        return n;
    }

    // RC_PARAMS that replays exactly this failure: the seed, the budget and the shrink path.
    std::string replay_params() const {
        rc::detail::Configuration c;
        c.testParams = params;
        if (failed()) c.reproduce[id] = failure().reproduce;
        return rc::detail::configToMinimalString(c);
    }

    std::string replay_command() const {
        std::error_code ec;
        const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
        const std::string gtest_name = id.substr(0, id.find('#'));
        return "RC_PARAMS=\"" + replay_params() + "\" " + (ec ? std::string("sequential_properties") : exe.string()) +
               " --gtest_filter='" + gtest_name + "'";
    }

    std::string report() const {
        std::ostringstream os;
        os << "[property] " << id << ": seed=" << params.seed << " max_success=" << params.maxSuccess
           << " max_size=" << params.maxSize << " (" << static_cast<long>(seconds * 1000) << " ms)\n";
        if (not_selected) {
            os << "  not run: RC_PARAMS reproduces another property\n";
        } else if (passed()) {
            const int n = result.get<rc::detail::SuccessResult>().numSuccess;
            os << "  passed " << n << " cases\n";
            for (const auto& [event, cases] : *covered) {
                os << "    " << event << ": in " << cases << " of " << n << " cases\n";
            }
        } else if (failed()) {
            const auto& f = failure();
            os << "  FAILED after " << f.numSuccess << " successful cases\n"
               << "  " << f.description << "\n"
               << "  shrunk counterexample (" << counterexample_commands() << " commands):\n";
            for (const auto& [type, value] : f.counterExample) {
                std::istringstream lines(value);
                for (std::string line; std::getline(lines, line);) os << "    " << line << "\n";
            }
            os << "  replay: " << replay_command() << "\n";
        } else {
            os << "  did not finish: ";
            rc::detail::printResultMessage(result, os);
            os << "\n";
        }
        return os.str();
    }
};

// RapidCheck's default listener prints progress and, at exit, a reproduce line for every
// failure — including the failures a mutant test expects. Ours stays silent; report() says
// everything instead.
class quiet_listener : public rc::detail::TestListener {
public:
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

// The test parameters: the quick budget, with RapidCheck's seed (random per process unless
// RC_PARAMS sets one); any key RC_PARAMS sets (seed, max_success, max_size, ...) wins.
inline rc::detail::TestParams params_for(const budget& b) {
    rc::detail::Configuration defaults;
    defaults.testParams.seed = rc::detail::configuration().testParams.seed;
    defaults.testParams.maxSuccess = b.max_success;
    defaults.testParams.maxSize = b.max_size;
    if (const char* env = std::getenv("RC_PARAMS")) return rc::detail::configFromString(env, defaults).testParams;
    return defaults.testParams;
}

// "Suite.Name" of the running gtest, plus "#label" when one test runs several properties.
inline std::string current_test_id(std::string_view label = {}) {
    const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
    std::string id = info ? std::string(info->test_suite_name()) + "." + info->name() : "no_test";
    if (!label.empty()) id += "#" + std::string(label);
    return id;
}

// Runs the property that `make_property(coverage&)` returns (a callable with RapidCheck
// assertion semantics) under `id`.
template <class MakeProperty>
outcome run_property(const std::string& id, MakeProperty&& make_property, const budget& b = {}) {
    outcome o;
    o.id = id;
    auto property = make_property(*o.covered);
    o.params = params_for(b);
    const auto& reproduce = rc::detail::configuration().reproduce;
    o.not_selected = !reproduce.empty() && reproduce.count(id) == 0;
    rc::detail::TestMetadata metadata;
    metadata.id = id;
    metadata.description = id;
    quiet_listener listener;
    const auto start = std::chrono::steady_clock::now();
    o.result = rc::detail::checkTestable(std::move(property), metadata, o.params, listener, reproduce);
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return o;
}

// ---------------------------------------------------------------------------------------
// gtest expectations.

// The correct channel must pass.
inline void expect_passes(const outcome& o) {
    std::cout << o.report() << std::flush;
    if (o.not_selected) GTEST_SKIP() << "RC_PARAMS reproduces another property";
    EXPECT_TRUE(o.passed()) << o.report();
}

// A mutant must fail, as a failure of the expected kind.
inline void expect_caught(const outcome& o, std::string_view expected_kind) {
    std::cout << "(a seeded bug: this property is expected to FAIL with \"" << expected_kind << "\")\n"
              << o.report() << std::flush;
    if (o.not_selected) GTEST_SKIP() << "RC_PARAMS reproduces another property";
    ASSERT_TRUE(o.failed()) << "the seeded bug was not caught\n" << o.report();
    EXPECT_EQ(o.failure().description.rfind(expected_kind, 0), 0u)
        << "caught, but as another kind of failure than \"" << expected_kind << "\"\n"
        << o.report();
}

// Which handle of a command's kind it acts on.
inline std::size_t pick_slot(std::size_t slots) { return *rc::gen::inRange<std::size_t>(0, slots); }

// Short timeouts: zero (an immediate answer) or a few microseconds (a real timed wait).
inline std::chrono::microseconds pick_timeout() {
    return std::chrono::microseconds(*rc::gen::element<int>(0, 1, 20));
}

// A kind's command: exercise() runs one operation on the channel and checks its result
// against the model; then the live message objects must be what the model holds after the
// command, and the notable states it reached are noted. The kind's namespace defines, for
// its model, `held_objects(after)` and `note_events(before, after, log)` (found by ADL).
template <class Model, class Sut>
struct model_command : rc::state::Command<Model, Sut> {
    void run(const Model& m, Sut& s) const final {
        exercise(m, s);
        const Model after = this->nextState(m);
        if (s.check_live_each_step) check_live_messages(*s.counters, held_objects(after), shown(*this));
        note_events(m, after, s.events);
    }
    virtual void exercise(const Model& m, Sut& s) const = 0;
};

// A receive that was due to find no message: it must answer `want` ("empty", "timeout",
// "disconnected", "closed"); `got` is its answer.
inline void check_no_message(const std::string& op, const std::string& want, const std::string& got) {
    if (got != want) fail(kind::wrong_outcome, op + ": expected " + want + ", got " + got);
}

// How a command calls a blocking operation: waiting as long as it takes, not waiting (try_),
// or waiting at most a generated timeout. One command class per operation serves all three:
// call_style<How> makes the call and names it.
enum class call { blocking, at_once, timed };

template <call How>
struct call_style {
    std::chrono::microseconds timeout = How == call::timed ? pick_timeout() : std::chrono::microseconds{0};

    // What a call that cannot complete answers: "timeout" when timed, else `otherwise`
    // ("empty" for a receive, "full" for a send that finds no room).
    static const char* nothing(const char* otherwise) { return How == call::timed ? "timeout" : otherwise; }

    template <class Receiver>
    auto recv(Receiver& r) const {
        if constexpr (How == call::blocking) return r.recv();
        else if constexpr (How == call::at_once) return r.try_recv();
        else return r.recv_timeout(timeout);
    }
    template <class Sender, class Message>
    auto send(Sender& s, Message message) const {
        if constexpr (How == call::blocking) return s.send(std::move(message));
        else if constexpr (How == call::at_once) return s.try_send(std::move(message));
        else return s.send_timeout(std::move(message), timeout);
    }
    // "recv(receiver 2)", "try_recv(receiver 2)", "recv_timeout(receiver 2, 20us)"; with no
    // handle named, "recv_timeout(20us)".
    void show(std::ostream& os, const char* op, const std::string& handle) const {
        os << (How == call::at_once ? "try_" : "") << op << (How == call::timed ? "_timeout(" : "(") << handle;
        if constexpr (How == call::timed) os << (handle.empty() ? "" : ", ") << timeout.count() << "us";
        os << ")";
    }
};

// The system under test of a kind whose handles sit in slots: every sender and receiver
// made so far, a dropped one reset in its slot (operations on it are tested too).
template <class Sender, class Receiver>
struct slot_handles {
    slot_handles(std::pair<Sender, Receiver> channel, message_counters& c) : counters(&c) {
        senders.push_back(std::move(channel.first));
        receivers.push_back(std::move(channel.second));
    }
    counted message(std::int64_t v) const { return counted(v, *counters); }
    void drop_all() {
        for (auto& s : senders) s.reset();
        for (auto& r : receivers) r.reset();
    }

    message_counters* counters;
    bool check_live_each_step = true;
    event_log events;
    std::vector<Sender> senders;
    std::vector<Receiver> receivers;
};

// The model-based property of one configuration, run under `id`: command sequences from
// `generator`, each against a fresh Sut(cfg, counters) starting from `initial`; then every
// handle is dropped and the message objects must balance. `checks` selects the
// message-object checks (both by default; one alone shows that it bites on its own).
template <class Sut, class Config, class Model, class Generator>
outcome check_commands(const std::string& id, const Config& cfg, const Model& initial, Generator generator,
                       const budget& b, counting checks) {
    return run_property(
        id,
        [&](coverage& covered) {
            return [cfg, initial, generator, checks, &covered] {
                message_counters counters;
                {
                    Sut sut(cfg, counters);
                    sut.check_live_each_step = checks != counting::final_balance_only;
                    rc::state::check(initial, sut, generator);
                    sut.drop_all();
                    sut.events.count_into(covered);
                }
                if (checks != counting::live_each_step_only) check_all_destroyed(counters);
            };
        },
        b);
}

// gtest's name for a configuration parameter: its `name` ("bounded2_locked").
struct config_name {
    template <class Config>
    std::string operator()(const testing::TestParamInfo<Config>& info) const {
        return std::string(info.param.name);
    }
};

// The handle a command acts on when it may be either side's (a query, a subscribe): a sender
// slot or a receiver slot.
struct either_handle {
    bool sender;
    std::size_t slot;
    template <class Model>
    explicit either_handle(const Model& m)
        : sender(*rc::gen::arbitrary<bool>()), slot(pick_slot(sender ? m.senders.size() : m.receivers.size())) {}
    template <class Model>
    bool exists(const Model& m) const { return slot < (sender ? m.senders.size() : m.receivers.size()); }
    std::string name() const { return (sender ? "sender " : "receiver ") + std::to_string(slot); }
};

// Calls the observers of one handle, either side, and checks what they return against the
// model. Queries::check(op, model, system, handle) is a kind's list of observers and the
// value the model gives each; op names the command in a failure.
template <class Base, class Model, class Sut, class Queries>
struct query_command : Base {
    either_handle h;
    explicit query_command(const Model& m) : h(m) {}
    void checkPreconditions(const Model& m) const override { RC_PRE(h.exists(m)); }
    void exercise(const Model& m, Sut& s) const override { Queries::check(shown(*this), m, s, h); }
    void show(std::ostream& os) const override { os << "query(" << h.name() << ")"; }
};

// Commands on sender handles that read the same for every kind whose model keeps a
// `senders` list of live flags and its spec (spec_model.hpp), and whose handles keep a
// `senders` slot list. Base is the
// kind's command class (an rc::state::Command<Model, Sut> with an exercise() hook).
template <class Base, class Model, class Sut>
struct copy_sender_command : Base {
    std::size_t slot;
    explicit copy_sender_command(const Model& m) : slot(pick_slot(m.senders.size())) {}
    void checkPreconditions(const Model& m) const override {
        RC_PRE(slot < m.senders.size());
        RC_PRE(m.senders.size() < m.senders.max_size());
    }
    void apply(Model& m) const override {
        if (m.senders[slot]) m.spec.take(spec_event(op_kind::clone_sender, op_result::ok));  // a dropped one reaches nothing
        m.senders.push_back(m.senders[slot]);
    }
    void exercise(const Model&, Sut& s) const override {
        auto copy = s.senders[slot];  // a dropped sender copies to a dropped one
        s.senders.push_back(std::move(copy));
    }
    void show(std::ostream& os) const override { os << "copy(sender " << slot << ")"; }
};

// Drops the handle in a slot of one side; the slot stays, connected to nothing. The slot is
// the spec event's thread (broadcast_spec keeps a position per receiver; the other specs do
// not read it).
enum class side { sender, receiver };

template <class Base, class Model, class Sut, side Side>
struct drop_command : Base {
    std::size_t slot;
    explicit drop_command(const Model& m) : slot(pick_slot(slots(m).size())) {}
    void checkPreconditions(const Model& m) const override { RC_PRE(slot < slots(m).size()); }
    void apply(Model& m) const override {
        const op_kind drop = Side == side::sender ? op_kind::drop_sender : op_kind::drop_receiver;
        if (slots(m)[slot]) m.spec.take(spec_event(drop, op_result::ok, 0, static_cast<unsigned>(slot)));
        slots(m)[slot] = false;
    }
    void exercise(const Model&, Sut& s) const override { slots(s)[slot].reset(); }
    void show(std::ostream& os) const override {
        os << "drop(" << (Side == side::sender ? "sender " : "receiver ") << slot << ")";
    }

private:
    // The model's live flags or the system's handles of this side.
    template <class Slots>
    static decltype(auto) slots(Slots& x) {
        if constexpr (Side == side::sender) return (x.senders);
        else return (x.receivers);
    }
};

}  // namespace chancheck_seq
