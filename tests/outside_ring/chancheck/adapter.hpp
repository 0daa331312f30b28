// chancheck/adapter.hpp — ring::bounded as chancheck sees it: the adapter of chancheck's
// channel concept (chancheck/harness/channel.hpp). The library is untouched; this file only
// translates its handles and results.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>

#include "chancheck/harness/channel.hpp"
#include "ring/channel.hpp"

namespace ring_check {

template <class T>
struct adapter {
    static constexpr const char* name = "outside_ring";
    static constexpr bool multi_consumer = true;
    // A ring of at least one slot: bounded channels only.
    static bool supports(std::optional<std::size_t> capacity) { return capacity && *capacity > 0; }

    struct sender {
        ring::tx<T> tx;
        bool send(T& v) { return tx.send(v); }
        std::size_t len() const { return tx.queued(); }
        bool is_empty() const { return tx.queued() == 0; }
    };

    struct receiver {
        ring::rx<T> rx;
        std::optional<T> recv() {
            std::optional<T> v;
            rx.recv(v);
            return v;
        }
        chancheck::harness::received<T> try_recv() {
            std::optional<T> v;
            switch (rx.try_recv(v)) {
                case ring::status::ok: return chancheck::harness::received<T>::message(std::move(*v));
                case ring::status::empty: return chancheck::harness::received<T>::of(chancheck::harness::op_result::empty);
                case ring::status::closed: break;
            }
            return chancheck::harness::received<T>::of(chancheck::harness::op_result::disconnected);
        }
    };

    static std::pair<sender, receiver> open(std::optional<std::size_t> capacity) {
        auto [tx, rx] = ring::bounded<T>(*capacity);
        return {sender{std::move(tx)}, receiver{std::move(rx)}};
    }
};

}  // namespace ring_check
