// benchmarks/schedulers/schedule_rate.hpp — the one scenario schedule_rate_benchmark measures,
// in its controlled-scheduling form (controlled_body.cpp, instrumented).
#pragma once

#include "chancheck/controlled/explore.hpp"

namespace chancheck_bench {

void controlled_two_producers(int messages);

}  // namespace chancheck_bench
