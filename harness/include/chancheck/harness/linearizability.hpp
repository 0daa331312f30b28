// chancheck/harness/linearizability.hpp — a linearizability checker for recorded histories.
//
// A history (history.hpp) is linearizable against a sequential specification when its
// operations can be put in one order that (a) keeps every operation that returned before
// another began before it (real time), and (b) is a legal run of the specification with the
// recorded results. Operations that never returned (pending: `responded == 0` or
// `pending_stamp`, e.g. a thread stuck in a deadlocked run) respond at +infinity: each may be
// linearized anywhere after its invocation, or left out.
//
// The algorithm is Wing & Gong's tree search, in Lowe's formulation and with his cache of
// configurations, as Porcupine implements it; the code here is written anew:
//   - J. M. Wing, C. Gong, "Testing and verifying concurrent objects", Journal of Parallel
//     and Distributed Computing 17(1), 1993: depth-first search over linearization orders.
//   - G. Lowe, "Testing for linearizability", Concurrency and Computation: Practice and
//     Experience 29(4), 2017: memoize each configuration (set of linearized operations,
//     specification state) so that no configuration is explored twice.
//   - A. Horn, D. Kroening, "Faster linearizability checking via P-compositionality",
//     FORTE 2015, and Porcupine (A. Athalye, github.com/anishathalye/porcupine): the history
//     is partitioned and each part checked alone; Porcupine's entry list is the model for the
//     "calls before the first unlinearized return" window below.
//   - M. Herlihy, J. M. Wing, "Linearizability: a correctness condition for concurrent
//     objects", TOPLAS 12(3), 1990: linearizability is local, so a history is linearizable iff
//     each object's sub-history is. Partitioning by `event.channel` is therefore sound and
//     complete (channels are independent objects). Partitioning a FIFO queue further, e.g. by
//     message value, would NOT be: whether one value may be received depends on which values
//     are ahead of it, so per-value parts would each pass where the whole history fails.
//
// The search. A configuration is (set of linearized operations, specification state). Its
// candidates are the unlinearized operations invoked before the earliest response of any
// unlinearized completed operation (anything invoked later must follow that operation). The
// search applies a candidate to the state; if the new configuration was seen before it is
// skipped, else the search descends. The memo is keyed by a Zobrist hash of the set (the XOR
// of a random 64-bit key per linearized operation) mixed with the spec's incremental state
// hash, and a hash match is compared exactly (set and state key), never trusted alone. With no candidate left it undoes the last choice (the spec's undo,
// so a queue of thousands of messages is never copied). Success: every completed operation
// is linearized. A deadline and a budget of explored configurations bound the search: when
// either runs out the verdict is `unknown`, never a pass.
//
// Two additions keep histories of correct channels near-linear:
//   - Read-only operations (recv empty, send full, len samples, ...) that can take effect now
//     are committed without alternatives: an operation that leaves the state unchanged and is
//     a candidate can always be moved to the front of any linearization of the rest (it has no
//     real-time predecessor left and it changes nothing for the others).
//   - Candidates are tried in an order the spec may hint: for a queue, sends in the order
//     their values were received, so overlapping sends are rarely pushed in the wrong order.
//     Hints only order the search; they never remove a candidate.
// Failing histories are the hard case (the problem is NP-complete in general: Gibbons &
// Korach, SIAM J. Comput. 26(4), 1997): to prove that no order exists the search must
// exhaust every order, and a queue holding many messages keeps a wrong order alive for as
// many steps. A spec may therefore offer refute(), a fast sound check for the common
// violation patterns; without one, or past it, the deadline and budget give `unknown`.
//
// The Spec (concept linearizability_spec):
//   typename state;        the model state, mutated in place
//   typename undo_record;  what apply() saves for undo() (default-constructible)
//   typename key;          an exact, cheap-to-copy identity of a state (==): equal keys must
//                          mean equal states (a finer key only costs pruning). For a small
//                          state the key can be the state itself.
//   state init();
//   bool apply(state&, const event&, undo_record&);   false: the operation cannot take effect
//                          in this state with its recorded result (state left unchanged). For a
//                          pending event the result is unknown: apply its effect, or return
//                          false when it would have had none (it is then left out).
//   void undo(state&, const event&, const undo_record&);  reverts the matching apply().
//   uint64_t hash(const state&) const;                 maintained incrementally by apply/undo
//   key key_of(const state&) const;
// Optional:
//   bool read_only(const event&) const;    apply() of this completed event never changes state
//   std::vector<uint64_t> order_hints(const history& part) const;   one per event, lower first
//   std::string describe_state(const state&) const;                 for the failure report
//   std::optional<lin_refutation> refute(const history& part) const;
//       a fast, sound check for violation patterns that the search could only establish by
//       exhausting an exponential space (for a queue: a FIFO inversion between two
//       real-time-ordered sends, or Empty while a value was certainly held — a deep queue
//       keeps wrong orders alive for as many steps as it holds messages). When it refutes,
//       the verdict is not_linearizable; a short search (refute_budget configurations) still
//       looks for the longest partial linearization to report, and must not find a complete
//       one (a refute() that contradicts the search throws std::logic_error).
// Specifications of the channel kinds: channel_specs.hpp (queues, oneshot) and
// channel_specs_broadcast.hpp.
//
//   auto r = check_linearizable(h, queue_spec::unbounded(2, 2), lin_options::within(5s));
//   if (!r.linearizable()) std::cout << describe(r, h);
//   // one spec per channel: check_linearizable(h, [](std::uint32_t channel) { return ...; })
#pragma once

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "chancheck/harness/history.hpp"

namespace chancheck::harness {

// A `responded` stamp meaning "never returned" (0 means the same).
inline constexpr std::uint64_t pending_stamp = std::numeric_limits<std::uint64_t>::max();

inline bool is_pending(const event& e) noexcept { return e.responded == 0 || e.responded == pending_stamp; }

// Mixing functions shared with the specs: splitmix64's finalizer, and a pair hash on it.
inline std::uint64_t lin_mix(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
inline std::uint64_t lin_mix(std::uint64_t a, std::uint64_t b) noexcept { return lin_mix(a ^ lin_mix(b)); }

template <class S>
concept linearizability_spec =
    std::copy_constructible<S> && std::default_initializable<typename S::undo_record> &&
    std::equality_comparable<typename S::key> &&
    requires(S& spec, const S& cspec, typename S::state& st, const typename S::state& cst, const event& e,
             typename S::undo_record& u, const typename S::undo_record& cu) {
        { spec.init() } -> std::same_as<typename S::state>;
        { spec.apply(st, e, u) } -> std::same_as<bool>;
        spec.undo(st, e, cu);
        { cspec.hash(cst) } -> std::convertible_to<std::uint64_t>;
        { cspec.key_of(cst) } -> std::same_as<typename S::key>;
    };

// The optional members.
template <class S>
concept spec_with_read_only = requires(const S& s, const event& e) {
    { s.read_only(e) } -> std::same_as<bool>;
};
template <class S>
concept spec_with_order_hints = requires(const S& s, const history& h) {
    { s.order_hints(h) } -> std::same_as<std::vector<std::uint64_t>>;
};
// A quick refutation (see refute() in the header comment).
struct lin_refutation {
    std::vector<std::size_t> events;  // indices into the partition
    std::string why;
};
template <class S>
concept spec_with_refute = requires(const S& s, const history& h) {
    { s.refute(h) } -> std::same_as<std::optional<lin_refutation>>;
};
template <class S>
concept spec_with_describe_state = requires(const S& s, const typename S::state& st) {
    { s.describe_state(st) } -> std::same_as<std::string>;
};

enum class lin_verdict { linearizable, not_linearizable, unknown };

inline const char* to_string(lin_verdict v) noexcept {
    switch (v) {
        case lin_verdict::linearizable: return "linearizable";
        case lin_verdict::not_linearizable: return "not linearizable";
        case lin_verdict::unknown: return "unknown";
    }
    return "unknown";
}

struct lin_options {
    std::optional<std::chrono::steady_clock::time_point> deadline;  // none: no time limit
    std::uint64_t max_states = 0;  // configurations explored over all partitions; 0: no limit

    static lin_options within(std::chrono::steady_clock::duration d) {
        lin_options o;
        o.deadline = std::chrono::steady_clock::now() + d;
        return o;
    }
};

struct lin_result {
    lin_verdict verdict = lin_verdict::linearizable;
    // For not_linearizable / unknown: the partition (channel) concerned, its size, the
    // longest partial linearization found in it (indices into the history, in order) and the
    // operations that could not be placed after it.
    std::uint32_t channel = 0;
    std::size_t partition_size = 0;
    std::vector<std::size_t> partial;
    std::vector<std::size_t> stuck;
    std::string explanation;
    std::uint64_t states = 0;  // configurations explored, all partitions
    double seconds = 0;
    std::size_t partitions = 0;

    bool linearizable() const noexcept { return verdict == lin_verdict::linearizable; }
};

namespace lin_detail {

// The set of linearized operations (indexed in invocation order). Its exact compressed form
// is (full, words[full, top)): words below `full` are all ones, words from `top` on are zero;
// the linearized set of a correct run is nearly a prefix, so this is one or two words.
class op_set {
public:
    explicit op_set(std::size_t n) : w_((n + 63) / 64, 0) {}

    void set(std::size_t i) {
        w_[i / 64] |= std::uint64_t{1} << (i % 64);
        top_ = std::max(top_, i / 64 + 1);
        while (full_ < w_.size() && w_[full_] == ~std::uint64_t{0}) ++full_;
    }
    void reset(std::size_t i) {
        w_[i / 64] &= ~(std::uint64_t{1} << (i % 64));
        full_ = std::min(full_, i / 64);
        while (top_ > 0 && w_[top_ - 1] == 0) --top_;
    }
    std::size_t full() const noexcept { return full_; }
    const std::uint64_t* begin() const noexcept { return w_.data() + full_; }
    std::size_t count() const noexcept { return top_ > full_ ? top_ - full_ : 0; }

private:
    std::vector<std::uint64_t> w_;
    std::size_t full_ = 0;
    std::size_t top_ = 0;
};

// Seen configurations: open addressing on the 64-bit hash, each entry holding the exact set
// (compressed) and the state key, compared on every hash match.
template <class Key>
class config_memo {
public:
    // Inserts the configuration; false if it was already there.
    bool insert(std::uint64_t h, const op_set& set, const Key& key) {
        if ((entries_.size() + 1) * 2 > slots_.size()) grow();
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const std::uint32_t s = slots_[i];
            if (s == 0) {
                slots_[i] = static_cast<std::uint32_t>(entries_.size() + 1);
                entries_.push_back({h, set.full(), words_.size(), set.count()});
                words_.insert(words_.end(), set.begin(), set.begin() + set.count());
                keys_.push_back(key);
                return true;
            }
            if (same(entries_[s - 1], h, set) && keys_[s - 1] == key) return false;
        }
    }
    std::size_t size() const noexcept { return entries_.size(); }

private:
    struct entry {
        std::uint64_t hash;
        std::size_t full;
        std::size_t offset;
        std::size_t count;
    };
    bool same(const entry& e, std::uint64_t h, const op_set& set) const {
        return e.hash == h && e.full == set.full() && e.count == set.count() &&
               std::equal(set.begin(), set.begin() + set.count(), words_.begin() + static_cast<std::ptrdiff_t>(e.offset));
    }
    void grow() {
        std::vector<std::uint32_t> bigger(std::max<std::size_t>(1024, slots_.size() * 2), 0);
        const std::size_t mask = bigger.size() - 1;
        for (std::size_t k = 0; k < entries_.size(); ++k) {
            std::size_t i = entries_[k].hash & mask;
            while (bigger[i] != 0) i = (i + 1) & mask;
            bigger[i] = static_cast<std::uint32_t>(k + 1);
        }
        slots_ = std::move(bigger);
    }
    std::vector<std::uint32_t> slots_;  // entry index + 1; 0 = empty
    std::vector<entry> entries_;
    std::vector<std::uint64_t> words_;
    std::vector<Key> keys_;
};

struct part_outcome {
    lin_verdict verdict = lin_verdict::linearizable;
    std::vector<std::size_t> partial;  // indices into the partition
    std::vector<std::size_t> stuck;
    std::string explanation;
    std::uint64_t states = 0;
};

// The search over one partition.
template <linearizability_spec Spec>
class search {
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

public:
    search(Spec spec, const history& part, std::uint64_t max_states,
           std::optional<std::chrono::steady_clock::time_point> deadline)
        : spec_(std::move(spec)), part_(part), n_(part.size()), max_states_(max_states), deadline_(deadline),
          set_(n_), state_(spec_.init()) {
        prepare();
    }

    part_outcome run() {
        part_outcome out;
        push_level();
        std::uint64_t steps = 0;
        while (remaining_ > 0) {
            if ((++steps & 1023) == 0 && deadline_ && std::chrono::steady_clock::now() > *deadline_)
                return give_up("the deadline passed");
            if (max_states_ != 0 && memo_.size() >= max_states_) return give_up("the state budget ran out");
            if (!descend()) {
                // No candidate left here: undo the choice that led to this configuration.
                cands_.resize(levels_.back().begin);
                levels_.pop_back();
                if (levels_.empty()) return fail();
                retract(levels_.back());
            }
        }
        out.states = memo_.size();
        return out;
    }

private:
    struct op {
        std::size_t event = 0;     // index in the partition
        std::uint64_t invoked = 0;
        std::uint64_t responded = 0;  // pending: max
        std::uint64_t zobrist = 0;
        std::uint32_t rank = 0;    // position in the order candidates are tried
        bool pending = false;
        bool read_only = false;
    };
    struct level {
        std::size_t begin = 0, end = 0, next = 0;  // this configuration's candidates: cands_[begin, end)
        std::uint32_t chosen = none;                // the candidate applied to reach the next level
        typename Spec::undo_record undo{};
    };

    // Orders operations by invocation (their index in the set), links the call list and the
    // return list (dancing links: unlinked on linearization, relinked on undo, LIFO), gives
    // each a Zobrist key, and ranks them: read-only first, pending last, then by hint.
    void prepare() {
        std::vector<std::uint64_t> hints(n_);
        if constexpr (spec_with_order_hints<Spec>) {
            hints = spec_.order_hints(part_);
            if (hints.size() != n_) throw std::logic_error("linearizability: order_hints must give one hint per event");
        } else {
            for (std::size_t i = 0; i < n_; ++i) hints[i] = part_[i].invoked;
        }
        std::vector<std::size_t> by_call(n_);
        for (std::size_t i = 0; i < n_; ++i) by_call[i] = i;
        std::stable_sort(by_call.begin(), by_call.end(),
                         [&](std::size_t a, std::size_t b) { return part_[a].invoked < part_[b].invoked; });
        ops_.resize(n_);
        std::uint64_t seed = 0x5eed;
        for (std::size_t k = 0; k < n_; ++k) {
            const event& e = part_[by_call[k]];
            op& o = ops_[k];
            o.event = by_call[k];
            o.invoked = e.invoked;
            o.pending = is_pending(e);
            o.responded = o.pending ? pending_stamp : e.responded;
            if (!o.pending && o.responded <= o.invoked)
                throw std::invalid_argument("linearizability: an event responded before it was invoked: " + describe(e));
            o.zobrist = lin_mix(seed++);
            if constexpr (spec_with_read_only<Spec>) o.read_only = !o.pending && spec_.read_only(e);
            if (!o.pending) ++remaining_;
        }
        std::vector<std::uint32_t> order(n_);
        for (std::uint32_t k = 0; k < n_; ++k) order[k] = k;
        auto cls = [&](const op& o) { return o.read_only ? 0 : o.pending ? 2 : 1; };
        std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            const op &x = ops_[a], &y = ops_[b];
            if (cls(x) != cls(y)) return cls(x) < cls(y);
            if (hints[x.event] != hints[y.event]) return hints[x.event] < hints[y.event];
            return a < b;
        });
        for (std::uint32_t r = 0; r < n_; ++r) ops_[order[r]].rank = r;

        // Node n_ is the sentinel of both lists.
        call_next_.resize(n_ + 1);
        call_prev_.resize(n_ + 1);
        for (std::size_t k = 0; k <= n_; ++k) {
            call_next_[k] = static_cast<std::uint32_t>(k == n_ ? 0 : k + 1);
            call_prev_[k] = static_cast<std::uint32_t>(k == 0 ? n_ : k - 1);
        }
        if (n_ == 0) call_next_[0] = call_prev_[0] = 0;
        std::vector<std::uint32_t> by_return;
        for (std::uint32_t k = 0; k < n_; ++k)
            if (!ops_[k].pending) by_return.push_back(k);
        std::sort(by_return.begin(), by_return.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return ops_[a].responded < ops_[b].responded; });
        ret_next_.assign(n_ + 1, static_cast<std::uint32_t>(n_));
        ret_prev_.assign(n_ + 1, static_cast<std::uint32_t>(n_));
        std::uint32_t prev = static_cast<std::uint32_t>(n_);
        for (std::uint32_t k : by_return) {
            ret_next_[prev] = k;
            ret_prev_[k] = prev;
            prev = k;
        }
        ret_next_[prev] = static_cast<std::uint32_t>(n_);
        ret_prev_[n_] = prev;
    }

    // Pushes a level holding the current configuration's candidates, in rank order: every
    // unlinearized operation not invoked after the earliest unlinearized response (equal
    // stamps count as overlapping).
    void push_level() {
        level l;
        l.begin = l.next = cands_.size();
        const std::uint32_t first_ret = ret_next_[n_];
        const std::uint64_t limit = first_ret == n_ ? pending_stamp : ops_[first_ret].responded;
        for (std::uint32_t k = call_next_[n_]; k != n_ && ops_[k].invoked <= limit; k = call_next_[k])
            cands_.push_back(k);
        l.end = cands_.size();
        std::sort(cands_.begin() + static_cast<std::ptrdiff_t>(l.begin), cands_.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return ops_[a].rank < ops_[b].rank; });
        levels_.push_back(l);
    }

    // Tries the current level's remaining candidates; on the first that takes effect into an
    // unseen configuration, linearizes it and pushes the next level.
    bool descend() {
        level& l = levels_.back();
        while (l.next < l.end) {
            const std::uint32_t k = cands_[l.next++];
            const op& o = ops_[k];
            const event& e = part_[o.event];
            typename Spec::undo_record u{};
            if (!spec_.apply(state_, e, u)) continue;
            set_.set(k);
            const std::uint64_t zob = zobrist_ ^ o.zobrist;
            if (!memo_.insert(zob ^ lin_mix(spec_.hash(state_)), set_, spec_.key_of(state_))) {
                set_.reset(k);
                spec_.undo(state_, e, u);
                if (o.read_only) l.next = l.end;  // that configuration failed, so does this one
                continue;
            }
            if (o.read_only) l.next = l.end;  // no alternative needs trying (see the header)
            l.chosen = k;
            l.undo = u;
            zobrist_ = zob;
            unlink(k);
            note_path_push(k);
            push_level();
            return true;
        }
        return false;
    }

    // Undoes the choice made at level `l`.
    void retract(level& l) {
        const std::uint32_t k = l.chosen;
        spec_.undo(state_, part_[ops_[k].event], l.undo);
        relink(k);
        set_.reset(k);
        zobrist_ ^= ops_[k].zobrist;
        l.chosen = none;
        path_.pop_back();
        agree_ = std::min(agree_, path_.size());
    }

    void unlink(std::uint32_t k) {
        call_next_[call_prev_[k]] = call_next_[k];
        call_prev_[call_next_[k]] = call_prev_[k];
        if (!ops_[k].pending) {
            ret_next_[ret_prev_[k]] = ret_next_[k];
            ret_prev_[ret_next_[k]] = ret_prev_[k];
            --remaining_;
        }
    }
    void relink(std::uint32_t k) {
        call_next_[call_prev_[k]] = k;
        call_prev_[call_next_[k]] = k;
        if (!ops_[k].pending) {
            ret_next_[ret_prev_[k]] = k;
            ret_prev_[ret_next_[k]] = k;
            ++remaining_;
        }
    }

    // The longest path so far, kept without copying on every step: best_[0, agree_) is the
    // common prefix of best_ and the current path_.
    void note_path_push(std::uint32_t k) {
        const std::size_t d = path_.size();
        path_.push_back(k);
        if (agree_ == d && d < best_.size() && best_[d] == k) {
            ++agree_;
        } else if (agree_ == d && d == best_.size()) {
            best_.push_back(k);
            ++agree_;
        } else if (path_.size() > best_.size()) {
            best_ = path_;
            agree_ = path_.size();
        }
    }

    part_outcome give_up(const std::string& why) {
        part_outcome out = report(lin_verdict::unknown);
        out.explanation = why + " after " + std::to_string(memo_.size()) +
                          " configurations; the longest partial linearization covers " +
                          std::to_string(out.partial.size()) + " of " + std::to_string(n_) + " operations";
        return out;
    }

    part_outcome fail() {
        part_outcome out = report(lin_verdict::not_linearizable);
        std::string s = "no linearization exists; the longest partial linearization covers " +
                        std::to_string(out.partial.size()) + " of " + std::to_string(n_) + " operations";
        if constexpr (spec_with_describe_state<Spec>) s += "\nstate after it: " + spec_.describe_state(state_);
        s += "\nafter it, none of these could be placed next:";
        for (std::size_t i : out.stuck) {
            typename Spec::undo_record u{};
            const bool takes_effect = spec_.apply(state_, part_[i], u);
            if (takes_effect) spec_.undo(state_, part_[i], u);
            s += "\n  " + describe(part_[i]) +
                 (takes_effect ? "  (takes effect, but the rest cannot then be linearized)"
                               : "  (cannot take effect in this state with this result)");
        }
        out.explanation = s;
        return out;
    }

    // Rebuilds the configuration at the end of the longest path (from wherever the search
    // stands) and lists its candidates.
    part_outcome report(lin_verdict v) {
        while (!levels_.empty()) {
            if (levels_.back().chosen != none) retract(levels_.back());
            else levels_.pop_back();
        }
        cands_.clear();
        part_outcome out;
        out.verdict = v;
        out.states = memo_.size();
        const std::vector<std::uint32_t> best = best_;
        for (std::uint32_t k : best) {
            typename Spec::undo_record u{};
            if (!spec_.apply(state_, part_[ops_[k].event], u))
                throw std::logic_error("linearizability: the spec is not deterministic (replay failed)");
            unlink(k);
            out.partial.push_back(ops_[k].event);
        }
        push_level();
        for (std::size_t c = levels_.back().begin; c < levels_.back().end; ++c) out.stuck.push_back(ops_[cands_[c]].event);
        return out;
    }

    Spec spec_;
    const history& part_;
    std::size_t n_;
    std::uint64_t max_states_;
    std::optional<std::chrono::steady_clock::time_point> deadline_;
    std::vector<op> ops_;
    std::vector<std::uint32_t> call_next_, call_prev_, ret_next_, ret_prev_;
    std::size_t remaining_ = 0;  // completed operations not yet linearized
    op_set set_;
    std::uint64_t zobrist_ = 0;
    typename Spec::state state_;
    config_memo<typename Spec::key> memo_;
    std::vector<level> levels_;
    std::vector<std::uint32_t> cands_;
    std::vector<std::uint32_t> path_, best_;
    std::size_t agree_ = 0;
};

// Configurations the search may explore, after a refutation, for the partial linearization.
inline constexpr std::uint64_t refute_budget = 20'000;

// One partition: the spec's refutation first (if it has one), then the search.
template <linearizability_spec Spec>
part_outcome check_part(const Spec& spec, const history& part, const lin_options& options) {
    std::optional<lin_refutation> refuted;
    if constexpr (spec_with_refute<Spec>) refuted = spec.refute(part);
    std::uint64_t budget = options.max_states;
    if (refuted && (budget == 0 || budget > refute_budget)) budget = refute_budget;
    part_outcome out = search<Spec>(spec, part, budget, options.deadline).run();
    if (!refuted) return out;
    if (out.verdict == lin_verdict::linearizable)
        throw std::logic_error("linearizability: the spec's refute() rejected a history the search linearized: " +
                               refuted->why);
    if (out.verdict == lin_verdict::unknown) {
        out.verdict = lin_verdict::not_linearizable;
        out.stuck = refuted->events;
        out.explanation = refuted->why + "\n(the search for the longest partial linearization stopped: " +
                          out.explanation + ")";
    } else {
        out.explanation = refuted->why + "\n" + out.explanation;
    }
    return out;
}

}  // namespace lin_detail

// Checks each channel's sub-history against the spec `spec_for(channel)` returns.
template <class SpecFor>
    requires(!linearizability_spec<SpecFor>) && std::invocable<SpecFor&, std::uint32_t> &&
            linearizability_spec<std::invoke_result_t<SpecFor&, std::uint32_t>>
lin_result check_linearizable(const history& h, SpecFor spec_for, const lin_options& options = {}) {
    const auto start = std::chrono::steady_clock::now();
    std::map<std::uint32_t, std::vector<std::size_t>> parts;
    for (std::size_t i = 0; i < h.size(); ++i) parts[h[i].channel].push_back(i);

    lin_result result;
    result.partitions = parts.size();
    bool have_unknown = false;
    for (const auto& [channel, indices] : parts) {
        history part;
        part.reserve(indices.size());
        for (std::size_t i : indices) part.push_back(h[i]);
        lin_options left = options;
        if (options.max_states != 0) {
            if (result.states >= options.max_states) left.max_states = 1;  // already spent: give up at once
            else left.max_states = options.max_states - result.states;
        }
        lin_detail::part_outcome out = lin_detail::check_part(spec_for(channel), part, left);
        result.states += out.states;
        if (out.verdict == lin_verdict::linearizable) continue;
        if (out.verdict == lin_verdict::unknown && have_unknown) continue;  // keep the first unknown
        result.verdict = out.verdict;
        result.channel = channel;
        result.partition_size = indices.size();
        result.partial.clear();
        result.stuck.clear();
        for (std::size_t i : out.partial) result.partial.push_back(indices[i]);
        for (std::size_t i : out.stuck) result.stuck.push_back(indices[i]);
        result.explanation = std::move(out.explanation);
        if (out.verdict == lin_verdict::not_linearizable) break;  // a definite answer
        have_unknown = true;
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

// Checks each channel's sub-history against a copy of `spec`.
template <linearizability_spec Spec>
lin_result check_linearizable(const history& h, const Spec& spec, const lin_options& options = {}) {
    return check_linearizable(h, [&spec](std::uint32_t) { return spec; }, options);
}

// A readable report: the verdict, and for a failure the partial linearization (the last 25
// operations of it), the operations that could not follow and why.
inline std::string describe(const lin_result& r, const history& h) {
    std::string s = std::string(to_string(r.verdict)) + " (" + std::to_string(h.size()) + " operations, " +
                    std::to_string(r.partitions) + " channel(s), " + std::to_string(r.states) +
                    " configurations explored in " + std::to_string(r.seconds) + " s)";
    if (r.verdict == lin_verdict::linearizable) return s;
    s += "\nchannel " + std::to_string(r.channel) + " (" + std::to_string(r.partition_size) +
         " operations): " + r.explanation;
    const std::size_t shown = std::min<std::size_t>(r.partial.size(), 25);
    s += "\nlongest partial linearization (" + std::to_string(r.partial.size()) + " operations" +
         (shown < r.partial.size() ? ", the last " + std::to_string(shown) + " shown" : std::string()) + "):";
    for (std::size_t k = r.partial.size() - shown; k < r.partial.size(); ++k)
        s += "\n  " + std::to_string(k + 1) + ". " + describe(h[r.partial[k]]);
    s += "\n";
    return s;
}

}  // namespace chancheck::harness
