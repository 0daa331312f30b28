// benchmarks/schedulers/controlled_body.cpp — the scenario of schedule_rate_benchmark.cpp under
// controlled scheduling: two producers on std::thread send `messages` each into chancheck's
// unbounded mpsc channel (list flavor) over std_sync (std::atomic, std::mutex,
// std::condition_variable), one consumer receives until disconnected. Compiled with
// -fsanitize=thread (chancheck_controlled_executable), so its atomics are scheduling points.
#include <optional>
#include <thread>

#include "chancheck/mpsc.hpp"
#include "chancheck/sync/std_sync.hpp"
#include "schedule_rate.hpp"

namespace chancheck_bench {

void controlled_two_producers(int messages) {
    auto [tx0, rx] = chancheck::mpsc::channel<int, chancheck::std_sync>(chancheck::implementation::lock_free);
    std::optional tx(std::move(tx0));
    std::optional tx2(*tx);
    std::thread a([&, messages] {
        for (int i = 0; i < messages; ++i) (void)tx->send(i);
        tx.reset();
    });
    std::thread b([&, messages] {
        for (int i = 0; i < messages; ++i) (void)tx2->send(i);
        tx2.reset();
    });
    int got = 0;
    while (rx.recv()) ++got;
    a.join();
    b.join();
    if (got != 2 * messages) chancheck::controlled::fail("lost messages");
}

}  // namespace chancheck_bench
