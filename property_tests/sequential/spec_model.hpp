// property_tests/sequential/spec_model.hpp — a kind's sequential specification
// (harness/channel_specs*.hpp, the one the linearizability checker uses) as the state of a
// sequential model-based test.
//
// The specification is an acceptance predicate: apply(state, event) says whether an
// operation with that result may happen next. A single thread has one answer, so a command
// asks which of the results it could see the spec accepts (first_allowed) and expects that
// one; the real channel's result is judged by the same predicate (allows). What the spec
// cannot say stays in each test's model: which handle slot is live (an operation on a
// dropped handle never reaches the channel) and how many message objects are alive.
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "chancheck/harness/channel_specs.hpp"
#include "chancheck/harness/channel_specs_broadcast.hpp"
#include "chancheck/harness/history.hpp"

namespace chancheck_seq {

using chancheck::harness::event;
using chancheck::harness::op_kind;
using chancheck::harness::op_result;

// An event for the spec: operation `k` by `thread` (a broadcast receiver's slot) with result
// `r`, carrying `value` (a send's message, a received message, a sampled length).
inline event spec_event(op_kind k, op_result r, std::int64_t value = 0, unsigned thread = 0, std::uint64_t skipped = 0) {
    event e;
    e.kind = k;
    e.result = r;
    e.value = value;
    e.thread = thread;
    e.skipped = skipped;
    e.invoked = 1;  // completed: invoked and responded (a pending event has responded == 0)
    e.responded = 2;
    return e;
}

template <class Spec>
class spec_model {
public:
    explicit spec_model(Spec spec) : spec_(std::make_shared<Spec>(std::move(spec))), state_(spec_->init()) {}

    const typename Spec::state& state() const { return state_; }

    // Whether the spec allows `e` next. apply() leaves the state as it was when it refuses,
    // and undo() reverts it when it accepts, so asking changes nothing.
    bool allows(const event& e) const {
        typename Spec::undo_record u{};
        if (!spec_->apply(state_, e, u)) return false;
        spec_->undo(state_, e, u);
        return true;
    }

    // The first of `results` the spec allows for `e` (its result replaced), if any.
    std::optional<op_result> first_allowed(event e, std::initializer_list<op_result> results) const {
        for (op_result r : results) {
            e.result = r;
            if (allows(e)) return r;
        }
        return std::nullopt;
    }

    // Takes `e` into the state; the model only takes what the spec allows.
    void take(const event& e) {
        typename Spec::undo_record u{};
        if (!spec_->apply(state_, e, u)) {
            throw std::logic_error("the model took an operation its specification refuses: " +
                                   std::string(chancheck::harness::to_string(e.kind)) + " in " +
                                   spec_->describe_state(state_));
        }
    }

private:
    // Shared by every copy of the model RapidCheck makes: a spec's only member state is its
    // sequence trie, which interns and never forgets, so copies can share it.
    std::shared_ptr<Spec> spec_;
    mutable typename Spec::state state_;  // allows() applies and undoes in place
};

}  // namespace chancheck_seq
