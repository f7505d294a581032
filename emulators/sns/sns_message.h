#pragma once

// The bodies SNS delivers: the JSON envelope an SQS queue receives (unless
// RawMessageDelivery is on) and the event a Lambda function is invoked
// with. Field names and order follow AWS's examples
// (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html):
// the SQS envelope is pretty-printed as SNS sends it, the Lambda event is
// compact (the runtime hands the handler a parsed object). Both are written
// by appending (json_text.h), not through a JSON DOM: they are built once per
// delivery, millions of times in a run. The signature is a deterministic stand-in with the
// shape of a real one (344 base64 characters, as an RSA-2048 signature);
// nothing verifies it.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "sim/rng.h"

namespace emu::sns {

struct SnsNotification {
  std::string region = "us-east-1";
  std::string message_id;
  std::string sequence_number;  // FIFO topics; empty: no SequenceNumber field
  std::string topic_arn;
  std::string subscription_arn;
  std::string subject;  // empty: no Subject field (null in the Lambda event)
  std::string message;
  int64_t timestamp_unix_nanos = 0;
  std::map<std::string, std::string> attributes;
  std::map<std::string, std::string> attribute_types;  // absent: "String"; Binary values are raw bytes
  // SignatureOf(*this), when the caller has it (one per publish, however
  // many subscriptions); empty: computed by the builders.
  std::string signature = {};
};

// The body an SQS queue receives, laid out as SNS does (AWS's example in
// sns-sqs-as-subscriber.html): one member per line, "Key" : "value",
//   {
//     "Type" : "Notification",
//     "MessageId" : .., ["SequenceNumber" : ..,] "TopicArn" : .., ["Subject" : ..,]
//     "Message" : .., "Timestamp" : .., "SignatureVersion" : "1", "Signature" : ..,
//     "SigningCertURL" : .., "UnsubscribeURL" : ..[,
//     "MessageAttributes" : {
//       "name" : {"Type":"String","Value":".."}
//     }]
//   }
std::string BuildSqsEnvelope(const SnsNotification& n);
// {"Records":[{"EventSource":"aws:sns","EventVersion":"1.0",
//  "EventSubscriptionArn":..,"Sns":{..., "SigningCertUrl", "UnsubscribeUrl",
//  "MessageAttributes":{..}}}]}
std::string BuildLambdaEvent(const SnsNotification& n);

std::string SignatureOf(const SnsNotification& n);
std::string SigningCertUrl(std::string_view region);
std::string UnsubscribeUrl(std::string_view region, std::string_view subscription_arn);
std::string Base64Encode(std::string_view bytes);

// A version-4 UUID from the stream ("8-4-4-4-12" lower-case hex).
std::string NewUuid(sim::Rng& rng);

}  // namespace emu::sns
