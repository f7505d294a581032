#include "pipeline/stages/s3_event.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace pipeline {
namespace {

// An S3 ObjectCreated:Put event, laid out as S3 sends it
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
constexpr std::string_view kS3Event =
    R"({"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",)"
    R"("eventTime":"2026-01-01T00:30:00.123Z","eventName":"ObjectCreated:Put",)"
    R"("userIdentity":{"principalId":"AWS:AIDAJDPLRKLG7UEXAMPLE"},)"
    R"("requestParameters":{"sourceIPAddress":"172.16.0.1"},)"
    R"("responseElements":{"x-amz-request-id":"C3D13FE58DE4C810",)"
    R"("x-amz-id-2":"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},)"
    R"("s3":{"s3SchemaVersion":"1.0","configurationId":"raw-object-created",)"
    R"("bucket":{"name":"adp-datalake","ownerIdentity":{"principalId":"A3NL1KOZZKExample"},)"
    R"("arn":"arn:aws:s3:::adp-datalake"},)"
    R"("object":{"key":"raw/dt%3D2026-01-01/hr%3D00/producer+01-000001.jsonl","size":1048576,)"
    R"("eTag":"d41d8cd98f00b204e9800998ecf8427e","sequencer":"0055AED6DCD90281E5"}}}]})";

// The same event delivered by SNS to an SQS queue without raw message
// delivery: the SQS body is the SNS envelope, its Message the S3 event as a
// JSON string (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).
constexpr std::string_view kSnsEnvelope = R"({
  "Type" : "Notification",
  "MessageId" : "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  "TopicArn" : "arn:aws:sns:us-east-1:123456789012:adp-raw-created",
  "Subject" : "Amazon S3 Notification",
  "Message" : "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",\"eventTime\":\"2026-01-01T00:30:00.123Z\",\"eventName\":\"ObjectCreated:Put\",\"userIdentity\":{\"principalId\":\"AWS:AIDAJDPLRKLG7UEXAMPLE\"},\"requestParameters\":{\"sourceIPAddress\":\"172.16.0.1\"},\"responseElements\":{\"x-amz-request-id\":\"C3D13FE58DE4C810\",\"x-amz-id-2\":\"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD\"},\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"raw-object-created\",\"bucket\":{\"name\":\"adp-datalake\",\"ownerIdentity\":{\"principalId\":\"A3NL1KOZZKExample\"},\"arn\":\"arn:aws:s3:::adp-datalake\"},\"object\":{\"key\":\"raw/dt%3D2026-01-01/hr%3D00/producer+01-000001.jsonl\",\"size\":1048576,\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\",\"sequencer\":\"0055AED6DCD90281E5\"}}}]}",
  "Timestamp" : "2026-01-01T00:30:00.250Z",
  "SignatureVersion" : "1",
  "Signature" : "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
  "SigningCertURL" : "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
  "UnsubscribeURL" : "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:adp-raw-created:c9135db0-26c4-47ec-8998-413945fb5a96"
})";

void ExpectTheSampleObject(const sim::StatusOr<std::vector<S3ObjectEvent>>& events) {
  ASSERT_TRUE(events.ok()) << events.status().message();
  ASSERT_EQ(events->size(), 1u);
  const S3ObjectEvent& e = (*events)[0];
  EXPECT_EQ(e.event_name, "ObjectCreated:Put");
  EXPECT_EQ(e.bucket, "adp-datalake");
  EXPECT_EQ(e.key, "raw/dt=2026-01-01/hr=00/producer 01-000001.jsonl");
  EXPECT_EQ(e.etag, "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(e.size, 1'048'576u);
}

sim::StatusCode Code(std::string_view body) { return ParseS3Notification(body).status().code(); }

TEST(S3Event, ParsesTheSnsEnvelopeAroundAnS3Event) { ExpectTheSampleObject(ParseS3Notification(kSnsEnvelope)); }

TEST(S3Event, ParsesARawS3Event) { ExpectTheSampleObject(ParseS3Notification(kS3Event)); }

TEST(S3Event, ParsesEveryRecordInOrder) {
  const std::string body =
      R"({"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b1"},"object":{"key":"k1","size":1,"eTag":"e1"}}},)"
      R"({"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b2"},"object":{"key":"k2","sequencer":"01"}}}]})";
  const auto events = ParseS3Notification(body);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].key, "k1");
  EXPECT_EQ((*events)[0].size, 1u);
  EXPECT_EQ((*events)[1].event_name, "ObjectRemoved:Delete");
  EXPECT_EQ((*events)[1].bucket, "b2");
  EXPECT_EQ((*events)[1].etag, "");  // delete events carry no eTag or size
  EXPECT_EQ((*events)[1].size, 0u);
}

TEST(S3Event, UrlDecodesKeys) {
  EXPECT_EQ(UrlDecodeKey("a+b"), "a b");
  EXPECT_EQ(UrlDecodeKey("dt%3D2026-01-01"), "dt=2026-01-01");
  EXPECT_EQ(UrlDecodeKey("dt%3d2026"), "dt=2026");
  EXPECT_EQ(UrlDecodeKey("a%2Bb"), "a+b");
  EXPECT_EQ(UrlDecodeKey("%25"), "%");
  EXPECT_EQ(UrlDecodeKey("caf%C3%A9"), "caf\xc3\xa9");
  EXPECT_EQ(UrlDecodeKey("plain/key.jsonl"), "plain/key.jsonl");
}

TEST(S3Event, UrlDecodeKeepsIncompleteOrInvalidEscapes) {
  EXPECT_EQ(UrlDecodeKey("100%"), "100%");
  EXPECT_EQ(UrlDecodeKey("a%3"), "a%3");
  EXPECT_EQ(UrlDecodeKey("a%zz"), "a%zz");
  EXPECT_EQ(UrlDecodeKey("%%3D"), "%=");
  EXPECT_EQ(UrlDecodeKey("%3D"), "=");
  EXPECT_EQ(UrlDecodeKey(""), "");
}

TEST(S3Event, TestEventGivesAnEmptyList) {
  constexpr std::string_view kTestEvent =
      R"({"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-01-01T00:00:00.000Z",)"
      R"("Bucket":"adp-datalake","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"})";
  const auto raw = ParseS3Notification(kTestEvent);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 0u);

  const std::string enveloped =
      R"({"Type":"Notification","MessageId":"m","TopicArn":"arn:aws:sns:us-east-1:123456789012:t",)"
      R"("Message":"{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"adp-datalake\"}"})";
  const auto via_sns = ParseS3Notification(enveloped);
  ASSERT_TRUE(via_sns.ok());
  EXPECT_EQ(via_sns->size(), 0u);
}

TEST(S3Event, GarbageIsInvalidArgument) {
  for (std::string_view body : {"", "not json", "{", "[]", "[{\"Records\":[]}]", "42", "\"Records\"", "{}",
                                R"({"Records":5})", R"({"Records":{}})", R"({"Type":"Notification","Message":"nope"})",
                                R"({"Type":"Notification","Message":"[1]"})"}) {
    EXPECT_EQ(Code(body), sim::StatusCode::kInvalidArgument) << body;
  }
}

TEST(S3Event, RecordWithoutBucketOrKeyIsInvalidArgument) {
  for (std::string_view body : {R"({"Records":[5]})", R"({"Records":[{}]})", R"({"Records":[{"s3":{}}]})",
                                R"({"Records":[{"s3":{"bucket":{"name":"b"}}}]})",
                                R"({"Records":[{"s3":{"bucket":{"name":""},"object":{"key":"k"}}}]})",
                                R"({"Records":[{"s3":{"bucket":{"name":"b"},"object":{"key":""}}}]})"}) {
    EXPECT_EQ(Code(body), sim::StatusCode::kInvalidArgument) << body;
  }
}

TEST(S3Event, FieldsOfTheWrongTypeAreInvalidArgument) {
  for (std::string_view body :
       {R"({"Type":5})", R"({"Event":7})",
        R"({"Records":[{"eventName":1,"s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]})",
        R"({"Records":[{"s3":5}]})", R"({"Records":[{"s3":{"bucket":"b","object":{"key":"k"}}}]})",
        R"({"Records":[{"s3":{"bucket":{"name":7},"object":{"key":"k"}}}]})",
        R"({"Records":[{"s3":{"bucket":{"name":"b"},"object":{"key":["k"]}}}]})",
        R"({"Records":[{"s3":{"bucket":{"name":"b"},"object":{"key":"k","size":"12"}}}]})",
        R"({"Records":[{"s3":{"bucket":{"name":"b"},"object":{"key":"k","eTag":null}}}]})"}) {
    EXPECT_EQ(Code(body), sim::StatusCode::kInvalidArgument) << body;
  }
}

}  // namespace
}  // namespace pipeline
