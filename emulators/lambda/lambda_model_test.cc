#include "emulators/lambda/lambda_model.h"

#include <gtest/gtest.h>

#include "emulators/lambda/lambda_test_util.h"

namespace emu::lambda {
namespace {

using test_util::Config;
using test_util::Echo;

class LambdaModelTest : public ::testing::Test {
 protected:
  LambdaModelTest() : env_(sched_, 7), model_(env_) {}

  Function& Make(FunctionConfig c) {
    sim::StatusOr<Function*> fn = model_.CreateFunction(std::move(c), Echo(sim::Milliseconds(1)), 10, 0);
    EXPECT_TRUE(fn.ok()) << fn.status().ToString();
    return **fn;
  }

  sim::Scheduler sched_;
  Env env_;
  LambdaModel model_;
};

TEST_F(LambdaModelTest, BilledDurationRoundsUpToTheNextMillisecond) {
  EXPECT_EQ(LambdaModel::BilledDuration(sim::Duration::Zero()), sim::Duration::Zero());
  EXPECT_EQ(LambdaModel::BilledDuration(sim::Nanoseconds(1)), sim::Milliseconds(1));
  EXPECT_EQ(LambdaModel::BilledDuration(sim::Microseconds(12'300)), sim::Milliseconds(13));
  EXPECT_EQ(LambdaModel::BilledDuration(sim::Milliseconds(13)), sim::Milliseconds(13));
  EXPECT_EQ(LambdaModel::BilledDuration(sim::Milliseconds(13) + sim::Nanoseconds(1)), sim::Milliseconds(14));
}

TEST_F(LambdaModelTest, GbSecondsAreMemoryInGbTimesBilledSeconds) {
  EXPECT_DOUBLE_EQ(LambdaModel::GbSeconds(512, sim::Milliseconds(13)), 0.0065);
  EXPECT_DOUBLE_EQ(LambdaModel::GbSeconds(1024, sim::Seconds(1)), 1.0);
  EXPECT_DOUBLE_EQ(LambdaModel::GbSeconds(10240, sim::Seconds(900)), 9000.0);
}

TEST_F(LambdaModelTest, ReservedConcurrencyComesOutOfTheUnreservedPool) {
  FunctionConfig a = Config("a");
  a.reserved_concurrency = 4;
  Function& fa = Make(a);
  Function& fb = Make(Config("b"));
  EXPECT_EQ(model_.UnreservedPool(10), 6);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(model_.AcquireConcurrency(fa, 10).ok());
  EXPECT_EQ(model_.AcquireConcurrency(fa, 10).name(), "TooManyRequestsException");
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(model_.AcquireConcurrency(fb, 10).ok());
  EXPECT_EQ(model_.AcquireConcurrency(fb, 10).name(), "TooManyRequestsException");
  EXPECT_EQ(model_.concurrent_executions(), 10);
  EXPECT_EQ(model_.unreserved_in_use(), 6);
  model_.ReleaseConcurrency(fb);
  EXPECT_TRUE(model_.AcquireConcurrency(fb, 10).ok());
  EXPECT_EQ(fa.stats.throttles, 1u);
  EXPECT_EQ(fb.stats.throttles, 1u);
  EXPECT_EQ(fb.stats.peak_concurrent, 6);
}

TEST_F(LambdaModelTest, AcquireEnvironmentTakesTheMostRecentlyReleasedIdleOne) {
  Function& f = Make(Config("f"));
  const LambdaModel::Lease first = model_.AcquireEnvironment(f);
  const LambdaModel::Lease second = model_.AcquireEnvironment(f);
  EXPECT_TRUE(first.cold && second.cold);
  EXPECT_NE(first.environment_id, second.environment_id);
  model_.ReleaseEnvironment(f, first.environment_id, sim::Time::Zero() + sim::Seconds(1));
  model_.ReleaseEnvironment(f, second.environment_id, sim::Time::Zero() + sim::Seconds(2));
  const LambdaModel::Lease reused = model_.AcquireEnvironment(f);
  EXPECT_FALSE(reused.cold);
  EXPECT_EQ(reused.environment_id, second.environment_id);
  EXPECT_EQ(LambdaModel::Environments(f), 2);
}

TEST_F(LambdaModelTest, ReapRemovesOnlyIdleEnvironments) {
  Function& f = Make(Config("f"));
  const LambdaModel::Lease a = model_.AcquireEnvironment(f);
  const LambdaModel::Lease b = model_.AcquireEnvironment(f);
  model_.ReleaseEnvironment(f, a.environment_id, sim::Time::Zero());
  EXPECT_TRUE(model_.ReapEnvironment(f, a.environment_id));
  EXPECT_FALSE(model_.ReapEnvironment(f, a.environment_id));
  EXPECT_FALSE(model_.ReapEnvironment(f, b.environment_id));  // busy
  EXPECT_EQ(LambdaModel::Environments(f), 1);
  model_.DiscardEnvironment(f, b.environment_id);
  EXPECT_EQ(LambdaModel::Environments(f), 0);
}

TEST_F(LambdaModelTest, RequestIdsComeFromTheSeededStream) {
  Env other_env(sched_, 7);
  LambdaModel other(other_env);
  const std::string id = model_.NextRequestId();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
  EXPECT_EQ(id, other.NextRequestId());  // same seed, same ids
  EXPECT_NE(id, model_.NextRequestId());
}

}  // namespace
}  // namespace emu::lambda
