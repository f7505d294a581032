#include "emulators/s3/s3_notification.h"

#include <gtest/gtest.h>

#include "emulators/common/env.h"

namespace emu::s3 {
namespace {

S3EventRecord SampleRecord() {
  S3EventRecord r;
  r.event_name = "ObjectCreated:Put";
  r.event_time_unix_nanos = Env::kDefaultEpochUnixNanos + 12'345'000'000;
  r.request_id = "0123456789ABCDEF";
  r.host_id = "aG9zdA==";
  r.configuration_id = "logs-to-sns";
  r.bucket = "raw-logs";
  r.key = "logs/dt=2026-01-01/my file.json";
  r.size = 5;
  r.etag_hex = "5d41402abc4b2a76b9719d911017c592";
  r.sequencer = FormatSequencer(42);
  return r;
}

TEST(S3Notification, ObjectCreatedEventMatchesTheAwsLayout) {
  const std::string expected =
      R"({"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",)"
      R"("eventTime":"2026-01-01T00:00:12.345Z","eventName":"ObjectCreated:Put",)"
      R"("userIdentity":{"principalId":"AWS:000000000000"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},)"
      R"("responseElements":{"x-amz-request-id":"0123456789ABCDEF","x-amz-id-2":"aG9zdA=="},)"
      R"("s3":{"s3SchemaVersion":"1.0","configurationId":"logs-to-sns",)"
      R"("bucket":{"name":"raw-logs","ownerIdentity":{"principalId":"000000000000"},"arn":"arn:aws:s3:::raw-logs"},)"
      R"("object":{"key":"logs/dt%3D2026-01-01/my+file.json","size":5,"eTag":"5d41402abc4b2a76b9719d911017c592",)"
      R"("sequencer":"000000000000002A"}}}]})";
  EXPECT_EQ(BuildS3EventJson(SampleRecord()), expected);
}

TEST(S3Notification, ObjectRemovedEventHasNoSizeOrETag) {
  S3EventRecord r = SampleRecord();
  r.event_name = "ObjectRemoved:Delete";
  r.size.reset();
  r.etag_hex.clear();
  const std::string json = BuildS3EventJson(r);
  EXPECT_NE(json.find(R"("eventName":"ObjectRemoved:Delete")"), std::string::npos);
  EXPECT_NE(json.find(R"("object":{"key":"logs/dt%3D2026-01-01/my+file.json","sequencer":"000000000000002A"})"),
            std::string::npos);
}

TEST(S3Notification, KeyEncodingIsFormEncodingKeepingSlashes) {
  EXPECT_EQ(UrlEncodeEventKey("a/b c=d+e"), "a/b+c%3Dd%2Be");
  EXPECT_EQ(UrlEncodeEventKey("x-y_z.*~:"), "x-y_z.*%7E%3A");
  EXPECT_EQ(UrlEncodeEventKey("caf\xC3\xA9"), "caf%C3%A9");
  EXPECT_EQ(UrlEncodeEventKey(""), "");
}

TEST(S3Notification, SequencerIsFixedWidthUpperHex) {
  EXPECT_EQ(FormatSequencer(1), "0000000000000001");
  EXPECT_EQ(FormatSequencer(0xABCDEF), "0000000000ABCDEF");
  EXPECT_LT(FormatSequencer(9), FormatSequencer(10));  // string order = change order
}

TEST(S3Notification, Base64RoundTripsAndRejectsNonCanonicalText) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Decode("Zm9vYmE="), std::optional<std::string>("fooba"));
  EXPECT_EQ(Base64Decode("Zg=="), std::optional<std::string>("f"));
  EXPECT_EQ(Base64Decode("Zh=="), std::nullopt);  // non-zero padding bits
  EXPECT_EQ(Base64Decode("Zm9"), std::nullopt);
  EXPECT_EQ(Base64Decode("Z=9v"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9v!A=="), std::nullopt);
}

}  // namespace
}  // namespace emu::s3
