#include "emulators/sns/sns_message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "emulators/common/env.h"
#include "emulators/common/test_util.h"

namespace emu::sns {
namespace {

using emu::test_support::IsUuidV4;

constexpr const char* kTopic = "arn:aws:sns:us-east-1:000000000000:events";
constexpr const char* kSubscription = "arn:aws:sns:us-east-1:000000000000:events:9b1c7a52-3c1e-4d7a-9f1e-2b8d5e6f7a80";

SnsNotification Sample() {
  SnsNotification n;
  n.message_id = "5a1f6b2c-0d3e-4f5a-8b6c-7d8e9f0a1b2c";
  n.topic_arn = kTopic;
  n.subscription_arn = kSubscription;
  n.message = "hello \"world\"";
  n.timestamp_unix_nanos = Env::kDefaultEpochUnixNanos + 1'050'000'000;
  return n;
}

TEST(SnsMessage, SqsEnvelopeHasAwsFieldsInOrderWithoutSubjectOrAttributes) {
  const SnsNotification n = Sample();
  const std::string expected = "{\n"
                               "  \"Type\" : \"Notification\",\n"
                               "  \"MessageId\" : \"5a1f6b2c-0d3e-4f5a-8b6c-7d8e9f0a1b2c\",\n"
                               "  \"TopicArn\" : \"arn:aws:sns:us-east-1:000000000000:events\",\n"
                               "  \"Message\" : \"hello \\\"world\\\"\",\n"
                               "  \"Timestamp\" : \"2026-01-01T00:00:01.050Z\",\n"
                               "  \"SignatureVersion\" : \"1\",\n"
                               "  \"Signature\" : \"" +
                               SignatureOf(n) +
                               "\",\n"
                               "  \"SigningCertURL\" : "
                               "\"https://sns.us-east-1.amazonaws.com/"
                               "SimpleNotificationService-00000000000000000000000000000000.pem\",\n"
                               "  \"UnsubscribeURL\" : "
                               "\"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" +
                               kSubscription +
                               "\"\n"
                               "}";
  EXPECT_EQ(BuildSqsEnvelope(n), expected);
}

TEST(SnsMessage, SqsEnvelopeCarriesSubjectAndStringAttributes) {
  SnsNotification n = Sample();
  n.subject = "Amazon S3 Notification";
  n.attributes = {{"source", "s3"}, {"kind", "log"}};
  const std::string body = BuildSqsEnvelope(n);
  EXPECT_NE(body.find("  \"TopicArn\" : \"arn:aws:sns:us-east-1:000000000000:events\",\n"
                      "  \"Subject\" : \"Amazon S3 Notification\",\n"
                      "  \"Message\" : "),
            std::string::npos)
      << body;
  EXPECT_TRUE(body.ends_with("  \"MessageAttributes\" : {\n"
                             "    \"kind\" : {\"Type\":\"String\",\"Value\":\"log\"},\n"
                             "    \"source\" : {\"Type\":\"String\",\"Value\":\"s3\"}\n"
                             "  }\n"
                             "}"))
      << body;
}

TEST(SnsMessage, LambdaEventWrapsTheNotificationInRecords) {
  SnsNotification n = Sample();
  n.attributes = {{"a", "1"}};
  const std::string expected =
      R"({"Records":[{"EventSource":"aws:sns","EventVersion":"1.0","EventSubscriptionArn":")" +
      std::string(kSubscription) +
      R"(","Sns":{"Type":"Notification","MessageId":"5a1f6b2c-0d3e-4f5a-8b6c-7d8e9f0a1b2c",)"
      R"("TopicArn":"arn:aws:sns:us-east-1:000000000000:events","Subject":null,"Message":"hello \"world\"",)"
      R"("Timestamp":"2026-01-01T00:00:01.050Z","SignatureVersion":"1","Signature":")" +
      SignatureOf(n) +
      R"(","SigningCertUrl":"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-00000000000000000000000000000000.pem",)"
      R"("UnsubscribeUrl":"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=)" +
      kSubscription + R"(","MessageAttributes":{"a":{"Type":"String","Value":"1"}}}}]})";
  EXPECT_EQ(BuildLambdaEvent(n), expected);
}

TEST(SnsMessage, SignatureIsDeterministicBase64OfAnRsa2048Size) {
  const SnsNotification n = Sample();
  const std::string sig = SignatureOf(n);
  EXPECT_EQ(sig.size(), 344u);
  EXPECT_EQ(sig.substr(342), "==");
  EXPECT_EQ(sig.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"), 342u);
  EXPECT_EQ(SignatureOf(n), sig);
  SnsNotification other = n;
  other.message = "changed";
  EXPECT_NE(SignatureOf(other), sig);
}

TEST(SnsMessage, AGivenSignatureIsUsedAsIs) {
  SnsNotification n = Sample();
  n.signature = "precomputed";
  EXPECT_NE(BuildSqsEnvelope(n).find("  \"Signature\" : \"precomputed\",\n"), std::string::npos);
  EXPECT_NE(BuildLambdaEvent(n).find(R"("Signature":"precomputed",)"), std::string::npos);
}

TEST(SnsMessage, EnvelopeIsValidJsonThatRoundTripsTheMessage) {
  SnsNotification n = Sample();
  n.message = "line 1\nline 2\t\"quoted\" \\ caf\xc3\xa9 \x01";
  n.subject = "s";
  n.attributes = {{"k", "v"}};
  const nlohmann::json parsed = nlohmann::json::parse(BuildSqsEnvelope(n));
  EXPECT_EQ(parsed["Message"], n.message);
  EXPECT_EQ(parsed["MessageAttributes"]["k"]["Value"], "v");
  const nlohmann::json event = nlohmann::json::parse(BuildLambdaEvent(n));
  EXPECT_EQ(event["Records"][0]["Sns"]["Message"], n.message);
}

TEST(SnsMessage, UuidsAreVersion4AndFollowTheStream) {
  sim::Rng a(7), b(7);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string u = NewUuid(a);
    EXPECT_TRUE(IsUuidV4(u)) << u;
    EXPECT_EQ(NewUuid(b), u);
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(SnsMessage, SqsEnvelopeEncodesBinaryAttributesAsBase64) {
  SnsNotification n = Sample();
  n.attributes = {{"bin", std::string("\x00\x01\x02", 3)}, {"num", "7"}};
  n.attribute_types = {{"bin", "Binary"}, {"num", "Number"}};
  const std::string body = BuildSqsEnvelope(n);
  EXPECT_NE(body.find("    \"bin\" : {\"Type\":\"Binary\",\"Value\":\"AAEC\"},\n"
                      "    \"num\" : {\"Type\":\"Number\",\"Value\":\"7\"}\n"),
            std::string::npos)
      << body;
  EXPECT_EQ(Base64Encode("hello"), "aGVsbG8=");
}

}  // namespace
}  // namespace emu::sns
