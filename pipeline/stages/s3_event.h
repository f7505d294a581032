#pragma once

// Reading the notifications the stages are triggered by: an SQS message body
// that is an SNS envelope (or, with raw delivery, the message itself)
// holding an S3 event.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/status.h"

namespace pipeline {

struct S3ObjectEvent {
  std::string event_name;  // "ObjectCreated:Put"
  std::string bucket;
  std::string key;  // URL-decoded
  std::string etag;
  uint64_t size = 0;
};

// Every S3 record in the message (an S3 event holds one in practice).
// InvalidArgument if the body is neither an SNS envelope nor an S3 event;
// an empty list for S3's s3:TestEvent.
sim::StatusOr<std::vector<S3ObjectEvent>> ParseS3Notification(std::string_view sqs_body);

// S3 event keys are URL-encoded with '+' for spaces.
std::string UrlDecodeKey(std::string_view encoded);

}  // namespace pipeline
