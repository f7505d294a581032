#pragma once

// The S3 event notification message (event structure version 2.1), built
// exactly as S3 sends it to SNS, SQS and Lambda: compact JSON, fields in
// AWS's order, the object key URL-encoded (form encoding: ' ' -> '+',
// '=' -> "%3D"; '/' is kept, as S3 does), the eTag without quotes. See
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace emu::s3 {

struct S3EventRecord {
  std::string event_name;  // "ObjectCreated:Put" (no "s3:" prefix in the message)
  int64_t event_time_unix_nanos = 0;
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::string request_id;  // x-amz-request-id
  std::string host_id;     // x-amz-id-2
  std::string configuration_id;
  std::string bucket;
  std::string key;               // raw key; the builder encodes it
  std::optional<uint64_t> size;  // absent for ObjectRemoved events
  std::string etag_hex;          // without quotes; empty for ObjectRemoved
  std::string sequencer;
};

// {"Records":[{...}]} with one record.
std::string BuildS3EventJson(const S3EventRecord& record);

// The message S3 sends to each destination when a notification
// configuration is put:
// {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"...","Bucket":"...",
//  "RequestId":"...","HostId":"..."}
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
std::string BuildS3TestEventJson(int64_t time_unix_nanos, std::string_view bucket, std::string_view request_id,
                                 std::string_view host_id);

// application/x-www-form-urlencoded, except that '/' stays as is: letters,
// digits, '-', '_', '.', '*' and '/' are kept, ' ' becomes '+', every other
// byte %XX (upper-case hex).
std::string UrlEncodeEventKey(std::string_view key);

// "0000000000000001": 16 upper-case hex digits, so string order is the
// order of the changes (the sequencer of a key grows with each change).
std::string FormatSequencer(uint64_t sequence);

// Standard base64 with padding (request ids, continuation tokens).
std::string Base64Encode(std::string_view bytes);
// nullopt if `text` is not canonical padded base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace emu::s3
