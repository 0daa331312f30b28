// chancheck/harness/chancheck_channels.hpp — chancheck's own channels as adapters of the
// channel concept (channel.hpp), exactly as a user's channel would be.
//
//   chancheck_channel<K, I>::adapter<T, Sync>
//       K: channel_kind::mpsc, mpmc, broadcast or oneshot
//       I: chancheck::implementation::lock_free (list, array or zero by capacity; slots for
//          broadcast; the state machine for oneshot) or implementation::locked (the oracle)
//       Sync: the policy the channel runs over (std_sync on real threads, sched_sync under the
//          deterministic scheduler, relacy_sync under Relacy, a bug-zoo mutant of any)
// Each has every capability its kind has: try and timed operations, len()/is_empty() for the
// queue kinds, subscribe for broadcast, and select for mpsc and mpmc (not on the locked
// rendezvous flavor, which select rejects).
//
// chancheck_mpmc_sync_adapter is the lock-free mpmc channel under the name "chancheck_mpmc",
// the reference a user's adapter is compared with (examples/chancheck_mpmc).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "chancheck/broadcast.hpp"
#include "chancheck/harness/channel.hpp"
#include "chancheck/mpmc.hpp"
#include "chancheck/mpsc.hpp"
#include "chancheck/oneshot.hpp"
#include "chancheck/select.hpp"
#include "chancheck/sync/std_sync.hpp"

namespace chancheck::harness {

namespace chancheck_channels_detail {

// The adapter's name: <kind>_<implementation>, e.g. "mpsc_lock_free".
template <channel_kind K, implementation I>
constexpr const char* adapter_name() {
    constexpr bool lf = I == implementation::lock_free;
    switch (K) {
        case channel_kind::mpsc: return lf ? "mpsc_lock_free" : "mpsc_locked";
        case channel_kind::mpmc: return lf ? "mpmc_lock_free" : "mpmc_locked";
        case channel_kind::broadcast: return lf ? "broadcast_lock_free" : "broadcast_locked";
        case channel_kind::oneshot: return lf ? "oneshot_lock_free" : "oneshot_locked";
        case channel_kind::select: break;
    }
    return "unknown";
}

// A failed send's error carries the value back into v.
template <class Result, class T>
bool hand_back(Result r, T& v) {
    if (r) return true;
    v = std::move(r.error().value);
    return false;
}

// recv, try_recv and recv_timeout of a queue or oneshot receiver (their results have the
// same error types), in the concept's terms.
template <class T, class Rx>
class receiver_ops {
public:
    explicit receiver_ops(Rx rx) : rx_(std::move(rx)) {}
    std::optional<T> recv() {
        auto r = rx_.recv();
        if (!r) return std::nullopt;
        return std::optional<T>(std::move(r.value()));
    }
    received<T> try_recv() {
        auto r = rx_.try_recv();
        if (r) return received<T>::message(std::move(r.value()));
        return received<T>::of(r.error() == try_recv_error::empty ? op_result::empty : op_result::disconnected);
    }
    received<T> recv_timeout(std::chrono::nanoseconds timeout) {
        auto r = rx_.recv_timeout(timeout);
        if (r) return received<T>::message(std::move(r.value()));
        return received<T>::of(r.error() == recv_timeout_error::timeout ? op_result::timeout : op_result::disconnected);
    }

protected:
    Rx rx_;
};

// mpsc and mpmc: the same flavors behind a move-only or a copyable receiver.
template <class T, class Sync, channel_kind K, implementation I>
struct queue_adapter {
    static constexpr const char* name = adapter_name<K, I>();
    static constexpr channel_kind kind = K;
    static constexpr bool multi_consumer = K == channel_kind::mpmc;
    static bool supports(std::optional<std::size_t>) { return true; }
    static flavor flavor_of(std::optional<std::size_t> capacity) {
        if (I == implementation::locked) return flavor::locked;
        return !capacity ? flavor::list : *capacity == 0 ? flavor::zero : flavor::array;
    }
    // A polling loop's pause (a scheduling point under a model).
    static void yield() { Sync::yield(); }
    // select rejects the locked rendezvous flavor (its senders hand off only to receivers
    // already blocked in recv).
    static bool selectable(std::optional<std::size_t> capacity) {
        return !(I == implementation::locked && capacity && *capacity == 0);
    }

    using channel_sender = std::conditional_t<K == channel_kind::mpmc, mpmc::sender<T, Sync>, mpsc::sender<T, Sync>>;
    using channel_receiver = std::conditional_t<K == channel_kind::mpmc, mpmc::receiver<T, Sync>, mpsc::receiver<T, Sync>>;

    class receiver;

    class sender {
        friend struct queue_adapter;

    public:
        explicit sender(channel_sender tx) : tx_(std::move(tx)) {}
        bool send(T& v) { return hand_back(tx_.send(std::move(v)), v); }
        op_result try_send(T& v) {
            auto r = tx_.try_send(std::move(v));
            if (r) return op_result::ok;
            const bool full = r.error().is_full();
            v = std::move(r.error().value);
            return full ? op_result::full : op_result::disconnected;
        }
        op_result send_timeout(T& v, std::chrono::nanoseconds timeout) {
            auto r = tx_.send_timeout(std::move(v), timeout);
            if (r) return op_result::ok;
            const bool timed_out = r.error().is_timeout();
            v = std::move(r.error().value);
            return timed_out ? op_result::timeout : op_result::disconnected;
        }
        std::size_t len() const { return tx_.len(); }
        bool is_empty() const { return tx_.is_empty(); }

    private:
        channel_sender tx_;
    };

    class receiver : public receiver_ops<T, channel_receiver> {
    public:
        using receiver_ops<T, channel_receiver>::receiver_ops;

    private:
        friend struct queue_adapter;
    };

    static std::pair<sender, receiver> open(std::optional<std::size_t> capacity) {
        if constexpr (K == channel_kind::mpmc) {
            auto [tx, rx] = capacity ? mpmc::bounded<T, Sync>(*capacity, I) : mpmc::unbounded<T, Sync>(I);
            return {sender(std::move(tx)), receiver(std::move(rx))};
        } else {
            auto [tx, rx] = capacity ? mpsc::sync_channel<T, Sync>(*capacity, I) : mpsc::channel<T, Sync>(I);
            return {sender(std::move(tx)), receiver(std::move(rx))};
        }
    }

    // chancheck's select over the arms' receivers; a disconnected arm completes as Disconnected.
    static selected<T> select_recv(std::span<receiver* const> arms) {
        basic_select<Sync> sel;
        std::vector<std::size_t> index;
        for (receiver* rx : arms) index.push_back(sel.recv(rx->rx_));
        auto chosen = sel.select();
        std::size_t arm = 0;
        for (std::size_t i = 0; i < arms.size(); ++i)
            if (index[i] == chosen.index()) arm = i;
        auto r = chosen.recv(arms[arm]->rx_);
        if (r) return {arm, received<T>::message(std::move(r.value()))};
        return {arm, received<T>::of(op_result::disconnected)};
    }

    // chancheck's select over send arms: the value goes to the first arm ready; when the
    // chosen arm's channel is disconnected the value comes back and that arm leaves.
    static std::optional<std::size_t> select_send(std::span<sender* const> arms, T& v) {
        std::vector<std::size_t> open(arms.size());
        for (std::size_t i = 0; i < arms.size(); ++i) open[i] = i;
        while (!open.empty()) {
            basic_select<Sync> sel;
            std::vector<std::size_t> index;
            for (std::size_t i : open) index.push_back(sel.send(arms[i]->tx_));
            auto chosen = sel.select();
            std::size_t k = 0;
            for (std::size_t i = 0; i < open.size(); ++i)
                if (index[i] == chosen.index()) k = i;
            const std::size_t arm = open[k];
            if (hand_back(chosen.send(arms[arm]->tx_, std::move(v)), v)) return arm;
            open.erase(open.begin() + static_cast<std::ptrdiff_t>(k));
        }
        return std::nullopt;
    }
};

template <class T, class Sync, implementation I>
struct broadcast_adapter {
    static constexpr const char* name = adapter_name<channel_kind::broadcast, I>();
    static constexpr channel_kind kind = channel_kind::broadcast;
    static constexpr bool multi_consumer = false;  // more receivers come by subscribe
    static bool supports(std::optional<std::size_t> capacity) { return capacity && *capacity >= 1; }
    static flavor flavor_of(std::optional<std::size_t>) { return I == implementation::locked ? flavor::locked : flavor::slots; }

    class receiver {
    public:
        explicit receiver(broadcast::receiver<T, Sync> rx) : rx_(std::move(rx)) {}
        received<T> recv() { return from(rx_.recv()); }
        received<T> try_recv() { return from(rx_.try_recv()); }
        received<T> recv_timeout(std::chrono::nanoseconds timeout) { return from(rx_.recv_timeout(timeout)); }

    private:
        template <class R>
        static received<T> from(R r) {
            if (r) return received<T>::message(std::move(r.value()));
            switch (r.error().status) {
                case broadcast::recv_status::empty: return received<T>::of(op_result::empty);
                case broadcast::recv_status::timeout: return received<T>::of(op_result::timeout);
                case broadcast::recv_status::lagged: return received<T>::of(op_result::lagged, r.error().skipped);
                case broadcast::recv_status::closed: break;
            }
            return received<T>::of(op_result::disconnected);
        }
        broadcast::receiver<T, Sync> rx_;
    };

    class sender {
    public:
        explicit sender(broadcast::sender<T, Sync> tx) : tx_(std::move(tx)) {}
        bool send(T& v) { return hand_back(tx_.send(std::move(v)), v); }
        receiver subscribe() const { return receiver(tx_.subscribe()); }

    private:
        broadcast::sender<T, Sync> tx_;
    };

    static std::pair<sender, receiver> open(std::optional<std::size_t> capacity) {
        auto [tx, rx] = broadcast::channel<T, Sync>(*capacity, I);
        return {sender(std::move(tx)), receiver(std::move(rx))};
    }
};

template <class T, class Sync, implementation I>
struct oneshot_adapter {
    static constexpr const char* name = adapter_name<channel_kind::oneshot, I>();
    static constexpr channel_kind kind = channel_kind::oneshot;
    static constexpr bool multi_consumer = false;
    static bool supports(std::optional<std::size_t> capacity) { return !capacity; }
    static flavor flavor_of(std::optional<std::size_t>) { return I == implementation::locked ? flavor::locked : flavor::state_machine; }

    class sender {
    public:
        explicit sender(oneshot::sender<T, Sync> tx) : tx_(std::move(tx)) {}
        bool send(T& v) { return hand_back(tx_.send(std::move(v)), v); }  // spent afterwards

    private:
        oneshot::sender<T, Sync> tx_;
    };

    using receiver = receiver_ops<T, oneshot::receiver<T, Sync>>;

    static std::pair<sender, receiver> open(std::optional<std::size_t>) {
        auto [tx, rx] = oneshot::channel<T, Sync>(I);
        return {sender(std::move(tx)), receiver(std::move(rx))};
    }
};

}  // namespace chancheck_channels_detail

template <channel_kind K, implementation I>
struct chancheck_channel {
    template <class T, class Sync = std_sync>
    using adapter = std::conditional_t<
        K == channel_kind::broadcast, chancheck_channels_detail::broadcast_adapter<T, Sync, I>,
        std::conditional_t<K == channel_kind::oneshot, chancheck_channels_detail::oneshot_adapter<T, Sync, I>,
                           chancheck_channels_detail::queue_adapter<T, Sync, K, I>>>;
};

// chancheck::mpmc's lock-free flavors under the name a user's channel is compared with.
template <class T, class Sync = std_sync>
struct chancheck_mpmc_sync_adapter : chancheck_channel<channel_kind::mpmc, implementation::lock_free>::adapter<T, Sync> {
    static constexpr const char* name = "chancheck_mpmc";
};

template <class T>
using chancheck_mpmc_adapter = chancheck_mpmc_sync_adapter<T, std_sync>;

}  // namespace chancheck::harness
