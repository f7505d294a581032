#include "emulators/dynamodb/dynamodb_errors.h"

#include <gtest/gtest.h>

namespace emu::dynamodb {
namespace {

TEST(DynamoDbErrors, CatalogueIsRegisteredByName) {
  errors::RegisterDynamoDbErrors();
  EXPECT_EQ(FindAwsError("ValidationException"), &errors::kValidationException);
  EXPECT_EQ(FindAwsError("ConditionalCheckFailedException"), &errors::kConditionalCheckFailedException);
  EXPECT_EQ(FindAwsError("ProvisionedThroughputExceededException"),
            &capacity_errors::kProvisionedThroughputExceededException);
  EXPECT_EQ(FindAwsError("TransactionCanceledException"), &errors::kTransactionCanceledException);
}

TEST(DynamoDbErrors, ThrottlesAreRetryableAndValidationIsNot) {
  sim::Status throttle = AwsError(errors::kProvisionedThroughputExceededException, "x");
  EXPECT_TRUE(IsRetryableError(throttle));
  EXPECT_TRUE(IsThrottlingError(throttle));
  EXPECT_EQ(HttpStatusOf(throttle), 400);
  sim::Status invalid = errors::ValidationError("bad");
  EXPECT_FALSE(IsRetryableError(invalid));
  EXPECT_EQ(HttpStatusOf(invalid), 400);
  EXPECT_EQ(HttpStatusOf(AwsError(errors::kInternalServerError, "x")), 500);
}

TEST(DynamoDbErrors, ConditionalCheckFailedCarriesAwsMessage) {
  sim::Status s = errors::ConditionalCheckFailed();
  EXPECT_EQ(AwsErrorOf(s), &errors::kConditionalCheckFailedException);
  EXPECT_EQ(s.message(), "The conditional request failed");
}

}  // namespace
}  // namespace emu::dynamodb
