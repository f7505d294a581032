#pragma once

// The throttling errors the capacity model answers with. Kept apart from
// dynamodb_errors.h so the model builds alone; the names, HTTP statuses and
// flags are the same as there (and as the DynamoDB API reference's), and the
// catalogue registry keeps the first registration of a name.
//   ProvisionedThroughputExceededException: a partition (key range) over its
//     3,000 RCU / 1,000 WCU, a provisioned table over its RCU/WCU (and burst),
//     an on-demand table over double its previous peak.
//   ThrottlingException: an on-demand table over its configured
//     MaxRead/WriteRequestUnits (ThrottlingReason ...MaxOnDemandThroughputExceeded).
//   RequestLimitExceeded: an on-demand table over the per-table account quota
//     (default 40,000 RRU / 40,000 WRU; reason ...AccountLimitExceeded).
// All three are retryable throttles for the SDK retry policy.

#include "emulators/common/aws_error.h"

namespace emu::dynamodb::capacity_errors {

using sim::StatusCode;

inline constexpr AwsErrorType kProvisionedThroughputExceededException =
    MakeAwsError("ProvisionedThroughputExceededException", StatusCode::kResourceExhausted, 400, true, true);
inline constexpr const AwsErrorType& kThrottlingException = emu::errors::kThrottlingException;
inline constexpr AwsErrorType kRequestLimitExceeded =
    MakeAwsError("RequestLimitExceeded", StatusCode::kResourceExhausted, 400, true, true);

// Idempotent; the capacity model's constructor calls it.
inline void RegisterCapacityErrors() {
  RegisterAwsErrors({&kProvisionedThroughputExceededException, &kThrottlingException, &kRequestLimitExceeded});
}

}  // namespace emu::dynamodb::capacity_errors
