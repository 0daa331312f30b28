// examples/moodycamel/broken_adapter.hpp — a deliberately broken variant of the moodycamel
// adapter (adapter.hpp), to show that the bring-your-own gate bites.
//
// The bug, a common one: recv looks at `closed` first and reports Disconnected as soon as
// every sender is gone, without draining what they sent. Messages still in the queue are
// never received. Expected catches: the stress stream workload's exactly-once oracle
// (oracle:lost_message) and, in the property tests, the drain oracle (a receive that says
// Disconnected while a message whose send had returned was never received:
// oracle:early_disconnect; moodycamel orders per producer only, so the property engine
// checks oracles rather than linearizability against one FIFO queue).
#pragma once

#include "adapter.hpp"

namespace moodycamel_example {

template <class T>
class early_disconnect_receiver {
public:
    explicit early_disconnect_receiver(std::shared_ptr<shared_state<T>> s) : h_(std::move(s)) {}

    std::optional<T> recv() {
        shared_state<T>& s = h_.state();
        std::optional<T> item;
        for (;;) {
            if (s.closed.load(std::memory_order::acquire)) return std::nullopt;  // BUG: not drained
            if (s.queue.wait_dequeue_timed(item, std::chrono::milliseconds(1))) return item;
        }
    }

private:
    handle<T, false> h_;
};

template <class T>
struct moodycamel_broken_adapter {
    static constexpr const char* name = "moodycamel_broken";
    static constexpr bool multi_consumer = true;
    static constexpr bool global_fifo = false;  // as moodycamel_adapter
    using sender = moodycamel_example::sender<T>;
    using receiver = early_disconnect_receiver<T>;

    static bool supports(std::optional<std::size_t> capacity) { return !capacity.has_value(); }

    static std::pair<sender, receiver> open(std::optional<std::size_t>) {
        auto s = std::make_shared<shared_state<T>>();
        return {sender(s), receiver(s)};
    }
};

}  // namespace moodycamel_example
