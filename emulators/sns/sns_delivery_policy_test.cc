#include "emulators/sns/sns_delivery_policy.h"

#include <gtest/gtest.h>

#include <vector>

namespace emu::sns {
namespace {

TEST(SnsDeliveryRetryPolicy, AwsManagedEndpointsMake100015AttemptsOverAbout23Days) {
  const DeliveryRetryPolicy p = DeliveryRetryPolicy::AwsManagedEndpoints();
  EXPECT_EQ(p.Retries(), 100'014);
  EXPECT_EQ(p.MaxAttempts(), 100'015);
  // 2 x 1 s + the 10 backoff waits (68.106 s) + 100,000 x 20 s.
  EXPECT_EQ(p.TotalBaseDelay(), sim::Milliseconds(2'000'070'106));
  EXPECT_EQ(p.TotalBaseDelay() / sim::Seconds(86'400).nanos(), sim::Nanoseconds(23));
}

TEST(SnsDeliveryRetryPolicy, PhasesAreImmediateThenOneSecondThenBackoffThenTwentySeconds) {
  const DeliveryRetryPolicy p = DeliveryRetryPolicy::AwsManagedEndpoints();
  std::vector<int64_t> ms;
  for (int64_t r = 1; r <= 16; ++r) ms.push_back(p.BaseDelay(r).nanos() / 1'000'000);
  const std::vector<int64_t> expected = {0,    0,    1000, 1000,  1000,  1395,  1946,  2714,
                                         3786, 5282, 7368, 10278, 14337, 20000, 20000, 20000};
  EXPECT_EQ(ms, expected);
  EXPECT_EQ(p.BaseDelay(p.Retries()), sim::Seconds(20));
}

TEST(SnsDeliveryRetryPolicy, JitterScalesNonZeroWaitsWithinTheFractionFromTheStream) {
  DeliveryRetryPolicy p;
  p.jitter = 0.1;
  sim::Rng rng(5), replay(5);
  EXPECT_EQ(p.Delay(1, rng), sim::Duration::Zero());  // immediate retries draw nothing
  for (int64_t r = 3; r <= 20; ++r) {
    const sim::Duration d = p.Delay(r, rng);
    const double base = p.BaseDelay(r).ToSeconds();
    EXPECT_EQ(d, sim::SecondsF(base * (0.9 + 0.2 * replay.NextDouble())));
    EXPECT_GE(d.ToSeconds(), base * 0.9);
    EXPECT_LE(d.ToSeconds(), base * 1.1);
  }
  p.jitter = 0;
  EXPECT_EQ(p.Delay(3, rng), sim::Seconds(1));
}

}  // namespace
}  // namespace emu::sns
