// chancheck/stress/workloads.hpp — the four stress workloads, written once over any rig.
//
//   stream          producers send (a count, or until the duration ends) and drop their
//                   senders; consumers receive until Disconnected. Checked: exactly once (or
//                   broadcast accounting), per-producer FIFO, sampled len() <= capacity.
//   receiver_quits  consumers take a share and drop their receivers while producers send;
//                   producers send until a send fails, which must hand its value back.
//                   Checked: nothing twice, nothing unknown, FIFO, values handed back, and
//                   every message left in the channel destroyed exactly once.
//   timed_send      stream on a bounded channel whose consumers stall now and then: producers
//                   send with a short deadline (send_timeout, else try_send) and resend the
//                   value a send gave up on. Checked as stream, and every value a timed-out
//                   send hands back must be the one it was given.
//   round_trip      each client sends a request and waits for the reply on its own reply
//                   channel (same kind and capacity); servers receive requests and reply. No
//                   later message can rescue a lost wake-up here: it hangs, and the watchdog
//                   reports it. The oneshot kind replies through a oneshot per request.
// Every workload ends with destruction balance over the counted messages (harness oracles).
// Threads report progress on a board (watchdog.hpp) with relaxed stores only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "chancheck/harness/chancheck_channels.hpp"
#include "chancheck/harness/oracles.hpp"
#include "chancheck/harness/stream_checks.hpp"
#include "chancheck/stress/config.hpp"
#include "chancheck/stress/rigs.hpp"
#include "chancheck/stress/watchdog.hpp"
#include "chancheck/sync/chaos_sync.hpp"

namespace chancheck::stress {

struct run_outcome {
    harness::violations found;
    std::uint64_t messages_verified = 0;  // messages received and checked
    std::uint64_t operations = 0;         // sends, receives and drops completed
    double seconds = 0;
    long constructed = 0;
    long destroyed = 0;
};

// What a workload needs from the driver: the configuration and how to start the watchdog.
struct run_context {
    run_config config;
    std::function<std::unique_ptr<watchdog>(const progress_board&)> start_watchdog;
};

// Starts `roles.size()` threads on `body(t)` together, ends the duration (if any) by setting
// `stop`, joins them and returns the wall time from the start signal to the last join.
class thread_team {
public:
    explicit thread_team(const run_context& ctx, std::vector<std::string> roles) : board(std::move(roles)), ctx_(ctx) {}

    std::atomic<bool> stop{false};  // relaxed: a request to wind down, not a publication
    progress_board board;

    template <class Body>
    double run(Body body) {
        const unsigned n = board.size();
        auto dog = ctx_.start_watchdog(board);
        std::vector<std::thread> threads;
        threads.reserve(n);
        for (unsigned t = 0; t < n; ++t) {
            threads.emplace_back([this, t, &body] {
                chaos::seed_thread(t);
                wait_for_start();
                body(t);
                std::lock_guard<std::mutex> lock(mutex_);
                ++finished_;
                changed_.notify_all();
            });
        }
        const auto started = std::chrono::steady_clock::now();
        {
            std::unique_lock<std::mutex> lock(mutex_);
            go_ = true;
            changed_.notify_all();
            if (ctx_.config.duration_ms > 0) {
                changed_.wait_for(lock, std::chrono::milliseconds(ctx_.config.duration_ms), [&] { return finished_ == n; });
                stop.store(true, std::memory_order::relaxed);
            }
        }
        for (auto& t : threads) t.join();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        dog->stop();
        return seconds;
    }

    bool stopping() const noexcept { return stop.load(std::memory_order::relaxed); }
    std::uint64_t operations() const {
        std::uint64_t ops = 0;
        for (unsigned t = 0; t < board.size(); ++t) ops += board.completed(t);
        return ops;
    }

private:
    void wait_for_start() {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return go_; });
    }

    const run_context& ctx_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool go_ = false;
    unsigned finished_ = 0;
};

inline std::vector<std::string> roles(const char* first, unsigned n, const char* second, unsigned m) {
    std::vector<std::string> out;
    for (unsigned i = 0; i < n; ++i) out.push_back(std::string(first) + " " + std::to_string(i));
    for (unsigned i = 0; i < m; ++i) out.push_back(std::string(second) + " " + std::to_string(i));
    return out;
}

inline rig_shape shape_of(const run_config& c) { return {c.producers, c.consumers, c.capacity}; }

inline void add_all(harness::violations& out, const harness::violations& more) {
    for (const auto& v : more) harness::add_capped(out, v);
}

// Sends sequence numbers 0.. until the limit, the stop request, or (keep_on_failure false)
// the first failed send; samples len() every 64 sends.
// timed_send: sends `value` with a deadline until it is taken (true) or the channel is
// disconnected (false); each give-up must hand the value back (checked by the rig).
template <class Rig>
bool send_until_taken(Rig& rig, unsigned p, std::int64_t value, producer_tally& tally) {
    if constexpr (requires { rig.send_timed(p, value, tally); }) {
        for (;;) {
            const harness::op_result r = rig.send_timed(p, value, tally);
            if (r == harness::op_result::ok) return true;
            if (r == harness::op_result::disconnected) return false;
        }
    } else {
        return rig.send(p, value, tally);  // a rig with no timed send (problem_with keeps it out)
    }
}

template <class Rig>
void produce(Rig& rig, thread_team& team, unsigned t, unsigned p, const run_config& c, producer_tally& tally,
             bool obey_stop) {
    for (std::uint64_t seq = 0;; ++seq) {
        if (c.messages > 0 && seq >= c.messages) break;
        if (obey_stop && team.stopping()) break;
        const std::int64_t value = harness::stream_value(p, seq);
        team.board.begin(t, activity::send, value);
        const bool ok = c.load == workload::timed_send ? send_until_taken(rig, p, value, tally) : rig.send(p, value, tally);
        team.board.end(t);
        tally.sent(seq, ok);
        if (!ok) break;
        if (seq % 64 == 63)
            if (auto len = rig.len(p)) tally.check_len(*len, c.capacity);
    }
    team.board.begin(t, activity::drop);
    rig.drop_producer(p);
}

// Client `client`'s reply to its request `value`: tallied, or (false) a lost_message
// violation when another message or Disconnected came instead; `what` names the reply path.
inline bool take_reply(harness::consumer_tally& replies, unsigned client, std::int64_t value, const received& r,
                       const char* what) {
    if (r.what == received::status::message && r.value == value) {
        replies.received(r.value);
        return true;
    }
    replies.violated({harness::violation_kind::lost_message,
                      "client " + std::to_string(client) + " waited for the " + what + " to " +
                          harness::describe_stream_value(value) + " and got " +
                          (r.what == received::status::message ? harness::describe_stream_value(r.value)
                                                               : std::string("Disconnected"))});
    return false;
}

// Receives until Disconnected, or until `quota` messages / the stop request when quitting early.
template <class Rig>
void consume(Rig& rig, thread_team& team, unsigned t, unsigned c, harness::consumer_tally& tally,
             std::optional<std::uint64_t> quota, bool quit_on_stop, bool stall = false) {
    for (;;) {
        if (quota && tally.received_count() >= *quota) break;
        if (quit_on_stop && team.stopping()) break;
        team.board.begin(t, activity::recv);
        const received r = rig.recv(c);
        // Lagged moves nothing on: a receiver that keeps reporting it is stalled.
        if (r.what == received::status::lagged) team.board.end_without_progress(t);
        else team.board.end(t);
        if (r.what == received::status::message) tally.received(r.value);
        else if (r.what == received::status::lagged) tally.lagged(r.skipped);
        else break;
        // timed_send: a consumer stalls after every 8 messages, holding its receiver, so the
        // buffer fills and timed sends give up.
        if (stall && tally.received_count() % 8 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    team.board.begin(t, activity::drop);
    rig.drop_consumer(c);
}

inline void finish_outcome(run_outcome& out, const thread_team& team, const message_counters& counters) {
    out.operations = team.operations();
    out.constructed = counters.constructed.load();
    out.destroyed = counters.destroyed.load();
    add_all(out.found, harness::destruction_balance(out.constructed, out.destroyed));
}

template <class Rig>
run_outcome run_stream(const run_context& ctx) {
    const run_config& c = ctx.config;
    const bool quits = c.load == workload::receiver_quits;
    message_counters counters;
    std::vector<producer_tally> sent(c.producers);
    std::vector<harness::consumer_tally> got(c.consumers, harness::consumer_tally(c.producers));
    thread_team team(ctx, roles("producer", c.producers, "consumer", c.consumers));
    run_outcome out;
    {
        Rig rig(shape_of(c), counters);
        std::optional<std::uint64_t> quota;
        if (quits && c.messages > 0) quota = std::max<std::uint64_t>(1, c.messages * c.producers / (2 * c.consumers));
        out.seconds = team.run([&](unsigned t) {
            if (t < c.producers) {
                produce(rig, team, t, t, c, sent[t], /*obey_stop=*/!quits);
            } else {
                consume(rig, team, t, t - c.producers, got[t - c.producers], quota, /*quit_on_stop=*/quits,
                        /*stall=*/c.load == workload::timed_send);
            }
            team.board.finish(t);
        });
        // A send that failed while every consumer was still receiving is a bug of its own.
        if (!quits)
            for (unsigned p = 0; p < c.producers; ++p)
                if (sent[p].succeeded != sent[p].attempted)
                    harness::add_capped(out.found, {harness::violation_kind::early_disconnect,
                                                    "producer " + std::to_string(p) + ": a send failed while consumers were receiving"});
    }
    const harness::stream_verdict v = harness::judge_stream(sent, got, Rig::semantics, /*all_drained=*/!quits);
    add_all(out.found, v.found);
    out.messages_verified = v.messages_verified;
    finish_outcome(out, team, counters);
    return out;
}

template <class Rig>
run_outcome run_round_trip(const run_context& ctx) {
    const run_config& c = ctx.config;
    message_counters counters;
    std::vector<producer_tally> requests(c.producers);
    std::vector<harness::consumer_tally> served(c.consumers, harness::consumer_tally(c.producers));
    std::vector<harness::consumer_tally> replies(c.producers, harness::consumer_tally(c.producers));
    std::vector<producer_tally> reply_sends(c.consumers);
    thread_team team(ctx, roles("client", c.producers, "server", c.consumers));
    run_outcome out;
    {
        Rig request_rig(shape_of(c), counters);
        rig_shape reply_shape = shape_of(c);
        reply_shape.producers = c.consumers;  // every server can answer every client
        reply_shape.consumers = 1;
        std::vector<std::unique_ptr<Rig>> reply_rigs;
        for (unsigned p = 0; p < c.producers; ++p) reply_rigs.push_back(std::make_unique<Rig>(reply_shape, counters));

        out.seconds = team.run([&](unsigned t) {
            if (t < c.producers) {
                const unsigned p = t;
                for (std::uint64_t seq = 0; !(c.messages > 0 && seq >= c.messages) && !team.stopping(); ++seq) {
                    const std::int64_t value = harness::stream_value(p, seq);
                    team.board.begin(t, activity::send, value);
                    const bool ok = request_rig.send(p, value, requests[p]);
                    team.board.end(t);
                    requests[p].sent(seq, ok);
                    if (!ok) break;
                    team.board.begin(t, activity::recv);
                    const received r = reply_rigs[p]->recv(0);
                    team.board.end(t);
                    if (!take_reply(replies[p], p, value, r, "reply")) break;
                }
                team.board.begin(t, activity::drop);
                request_rig.drop_producer(p);
                reply_rigs[p]->drop_consumer(0);
            } else {
                const unsigned s = t - c.producers;
                for (;;) {
                    team.board.begin(t, activity::recv);
                    const received r = request_rig.recv(s);
                    team.board.end(t);
                    if (r.what != received::status::message) break;
                    served[s].received(r.value);
                    const unsigned client = harness::stream_producer(r.value);
                    if (client >= c.producers) continue;  // judged as an unknown message
                    team.board.begin(t, activity::send, r.value);
                    const bool ok = reply_rigs[client]->send(s, r.value, reply_sends[s]);
                    team.board.end(t);
                    if (!ok)
                        served[s].violated({harness::violation_kind::early_disconnect,
                                            "the reply to " + harness::describe_stream_value(r.value) +
                                                " failed: the client's receiver was gone before its reply"});
                }
                team.board.begin(t, activity::drop);
                request_rig.drop_consumer(s);
                for (auto& rig : reply_rigs) rig->drop_producer(s);
            }
            team.board.finish(t);
        });
    }
    harness::stream_verdict v = harness::judge_stream(requests, served, harness::stream_semantics::queue, true);
    add_all(out.found, v.found);
    for (const auto& r : replies) add_all(out.found, r.found());
    for (const auto& r : reply_sends) add_all(out.found, r.found);
    out.messages_verified = v.messages_verified;
    for (const auto& r : replies) out.messages_verified += r.received_count();
    finish_outcome(out, team, counters);
    return out;
}

// Round trips whose replies travel on a fresh oneshot per request: the request carries the
// oneshot's sender (Reply, a oneshot adapter over counted) through a channel of Requests (an
// mpmc adapter template over the request type).
template <class Reply, template <class> class Requests>
run_outcome run_oneshot_round_trip(const run_context& ctx) {
    const run_config& c = ctx.config;
    struct request {
        counted message;
        typename Reply::sender reply;
    };
    using request_channel = Requests<request>;
    message_counters counters;
    std::vector<producer_tally> requests(c.producers);
    std::vector<harness::consumer_tally> served(c.consumers, harness::consumer_tally(c.producers));
    std::vector<harness::consumer_tally> replies(c.producers, harness::consumer_tally(c.producers));
    thread_team team(ctx, roles("client", c.producers, "server", c.consumers));
    run_outcome out;
    {
        std::vector<std::optional<typename request_channel::sender>> txs;
        std::vector<std::optional<typename request_channel::receiver>> rxs;
        {
            auto [tx, rx] = request_channel::open(std::nullopt);
            for (unsigned p = 0; p < c.producers; ++p) txs.emplace_back(tx);
            for (unsigned s = 0; s < c.consumers; ++s) rxs.emplace_back(rx);
        }  // only the per-thread copies keep the channel open
        out.seconds = team.run([&](unsigned t) {
            if (t < c.producers) {
                const unsigned p = t;
                for (std::uint64_t seq = 0; !(c.messages > 0 && seq >= c.messages) && !team.stopping(); ++seq) {
                    const std::int64_t value = harness::stream_value(p, seq);
                    auto [reply_tx, reply_rx] = Reply::open(std::nullopt);
                    request req{counted(value, counters), std::move(reply_tx)};
                    team.board.begin(t, activity::send, value);
                    const bool sent = txs[p]->send(req);
                    team.board.end(t);
                    requests[p].sent(seq, sent);
                    if (!sent) {
                        requests[p].check_returned(value, req.message.value());  // a failed send keeps the request
                        break;
                    }
                    team.board.begin(t, activity::recv);
                    const received r = received::from(harness::channel_ops<Reply>::normalize(reply_rx.recv()));
                    team.board.end(t);
                    if (!take_reply(replies[p], p, value, r, "oneshot reply")) break;
                }
                team.board.begin(t, activity::drop);
                txs[p].reset();
            } else {
                const unsigned s = t - c.producers;
                for (;;) {
                    team.board.begin(t, activity::recv);
                    std::optional<request> r = rxs[s]->recv();
                    team.board.end(t);
                    if (!r) break;
                    request& req = *r;
                    const std::int64_t value = req.message.value();
                    served[s].received(value);
                    team.board.begin(t, activity::send, value);
                    counted reply(value, counters);
                    const bool replied = req.reply.send(reply);
                    team.board.end(t);
                    if (!replied)
                        served[s].violated({harness::violation_kind::early_disconnect,
                                            "the oneshot reply to " + harness::describe_stream_value(value) +
                                                " failed: its receiver was gone"});
                }
                team.board.begin(t, activity::drop);
                rxs[s].reset();
            }
            team.board.finish(t);
        });
    }
    harness::stream_verdict v = harness::judge_stream(requests, served, harness::stream_semantics::queue, true);
    add_all(out.found, v.found);
    for (const auto& r : replies) add_all(out.found, r.found());
    out.messages_verified = v.messages_verified;
    for (const auto& r : replies) out.messages_verified += r.received_count();
    finish_outcome(out, team, counters);
    return out;
}

template <channel_kind K, implementation I, class Sync>
using own_channel = typename harness::chancheck_channel<K, I>::template adapter<counted, Sync>;

// chancheck's mpmc channel of implementation I over Sync, for any message type.
template <implementation I, class Sync>
struct own_mpmc {
    template <class T>
    using of = typename harness::chancheck_channel<channel_kind::mpmc, I>::template adapter<T, Sync>;
};

// The workload a configuration asks for, on Rig.
template <class Rig>
run_outcome run_workload(const run_context& ctx) {
    return ctx.config.load == workload::round_trip ? run_round_trip<Rig>(ctx) : run_stream<Rig>(ctx);
}

// The workload a configuration asks for, on chancheck's kind K (its lock-free flavors or the
// locked oracle, as the configuration says) over Sync, through the channel adapters; select:
// an mpmc channel per producer, one consumer selecting. Mutant builds instantiate only the
// kinds their bug lives in.
template <class Sync, channel_kind K>
run_outcome run_kind(const run_context& ctx) {
    using I = implementation;
    const bool locked = ctx.config.impl == I::locked;
    const auto with = [&]<I Impl>() {
        if constexpr (K == channel_kind::select) {
            return run_workload<select_rig<own_channel<channel_kind::mpmc, Impl, Sync>>>(ctx);
        } else if constexpr (K == channel_kind::broadcast) {
            return run_stream<channel_rig<own_channel<K, Impl, Sync>>>(ctx);
        } else if constexpr (K == channel_kind::oneshot) {
            return run_oneshot_round_trip<own_channel<K, Impl, Sync>, own_mpmc<Impl, Sync>::template of>(ctx);
        } else {
            return run_workload<channel_rig<own_channel<K, Impl, Sync>>>(ctx);
        }
    };
    return locked ? with.template operator()<I::locked>() : with.template operator()<I::lock_free>();
}

// The deliberately broken channel (rigs.hpp), to see the watchdog fire.
inline run_outcome run_stuck(const run_context& ctx) { return run_workload<stuck_rig>(ctx); }

}  // namespace chancheck::stress
