// chancheck/detail/token.hpp — what the two phases of an operation hand each other.
//
// crossbeam-channel splits every operation in two: `start_send` / `start_recv` reserve a
// slot (or find the channel disconnected) and fill a token; `write` / `read` complete the
// operation with that token. The split is the seam that lets `select` reserve on exactly one
// channel and complete there, so no arm that was not chosen ever consumes a message.
#pragma once

#include <cstddef>

namespace chancheck::detail {

// Outcome of a flavor operation; the public handles turn it into Rust-style errors.
enum class op_status { ok, would_block, timeout, disconnected };

struct token {
    struct {
        void* slot = nullptr;       // reserved slot, or null when disconnected
        std::size_t stamp = 0;      // stamp to publish when the operation completes
    } array;
    struct {
        void* block = nullptr;      // block of the reserved slot, or null when disconnected
        std::size_t offset = 0;
    } list;
    struct {
        void* packet = nullptr;     // the partner's rendezvous packet, or null when disconnected
    } zero;
};

}  // namespace chancheck::detail
