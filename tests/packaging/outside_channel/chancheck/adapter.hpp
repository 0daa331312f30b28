// chancheck/adapter.hpp — outside::channel as chancheck sees it: the adapter of
// chancheck's channel concept (chancheck/harness/channel.hpp). The library is untouched;
// this file only translates its handles and results.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <utility>

#include "chancheck/harness/channel.hpp"
#include "outside/channel.hpp"

namespace outside_check {

using chancheck::harness::op_result;
using chancheck::harness::received;

inline op_result result_of(outside::status s) {
    switch (s) {
        case outside::status::ok: return op_result::ok;
        case outside::status::empty: return op_result::empty;
        case outside::status::timed_out: return op_result::timeout;
        case outside::status::closed: break;
    }
    return op_result::disconnected;
}

template <class T>
struct adapter {
    static constexpr const char* name = "outside_channel";
    static constexpr bool multi_consumer = true;
    // No rendezvous: a capacity of 0 would never have room.
    static bool supports(std::optional<std::size_t> capacity) { return !capacity || *capacity > 0; }

    struct sender {
        outside::sender<T> tx;
        bool send(T& v) {
            std::optional<T> back = tx.send(std::move(v));
            if (!back) return true;
            v = std::move(*back);
            return false;
        }
        op_result send_timeout(T& v, std::chrono::nanoseconds timeout) {
            outside::outcome<T> r = tx.send_for(std::move(v), timeout);
            if (r.value) v = std::move(*r.value);
            return result_of(r.what);
        }
        std::size_t len() const { return tx.size(); }
        bool is_empty() const { return tx.size() == 0; }
    };

    struct receiver {
        outside::receiver<T> rx;
        std::optional<T> recv() { return rx.recv(); }
        received<T> try_recv() { return from(rx.try_recv()); }
        received<T> recv_timeout(std::chrono::nanoseconds timeout) { return from(rx.recv_for(timeout)); }

    private:
        static received<T> from(outside::outcome<T> r) {
            if (r.what == outside::status::ok) return received<T>::message(std::move(*r.value));
            return received<T>::of(result_of(r.what));
        }
    };

    static std::pair<sender, receiver> open(std::optional<std::size_t> capacity) {
        auto [tx, rx] = outside::make_channel<T>(capacity);
        return {sender{std::move(tx)}, receiver{std::move(rx)}};
    }
};

}  // namespace outside_check
