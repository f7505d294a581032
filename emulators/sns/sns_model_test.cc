#include "emulators/sns/sns_model.h"

#include <gtest/gtest.h>

#include "emulators/common/aws_error.h"
#include "emulators/sns/sns_message.h"

namespace emu::sns {
namespace {

sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

// "8-4-4-4-12" lower-case hex with version 4 and the RFC 4122 variant
// (no std::regex: GCC 12 warns inside it under -O1 + sanitizers).
bool IsUuidV4(std::string_view u) {
  if (u.size() != 36) return false;
  for (std::size_t i = 0; i < u.size(); ++i) {
    const char c = u[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return u[14] == '4' && std::string_view("89ab").find(u[19]) != std::string_view::npos;
}

constexpr const char* kTopic = "arn:aws:sns:us-east-1:000000000000:events";
constexpr const char* kQueue = "arn:aws:sqs:us-east-1:000000000000:q";
constexpr const char* kRawQueue = "arn:aws:sqs:us-east-1:000000000000:raw";
constexpr const char* kFunction = "arn:aws:lambda:us-east-1:000000000000:function:f";

class SnsModelTest : public ::testing::Test {
 protected:
  SnsModelTest() { EXPECT_TRUE(model_.CreateTopic({"events"}).ok()); }

  std::string SubscribeOk(const std::string& protocol, const std::string& endpoint,
                          std::map<std::string, std::string> attributes = {}) {
    sim::StatusOr<SubscribeResponse> r = model_.Subscribe({kTopic, protocol, endpoint, std::move(attributes)});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->subscription_arn : "";
  }
  sim::Status PublishStatus(const std::string& message, const std::string& subject = "",
                            std::map<std::string, std::string> attributes = {}) {
    return model_.Publish({kTopic, message, subject, std::move(attributes)}, At(1)).status();
  }

  SnsModel model_;
};

TEST(SnsTopicNames, ValidAndInvalidNames) {
  for (const std::string& name : {std::string("a"), std::string("my-topic_1"), std::string(256, 'T')}) {
    EXPECT_TRUE(SnsModel::ValidateTopicName(name).ok()) << name;
  }
  for (const std::string& name : {std::string(""), std::string(257, 't'), std::string("my.topic"),
                                  std::string("my topic"), std::string("t\xC3\xA9")}) {
    sim::Status s = SnsModel::ValidateTopicName(name);
    EXPECT_EQ(s.name(), "InvalidParameter") << name;
    EXPECT_EQ(HttpStatusOf(s), 400);
  }
}

TEST_F(SnsModelTest, CreateTopicIsIdempotentAndUsesTheAccountArn) {
  sim::StatusOr<CreateTopicResponse> again = model_.CreateTopic({"events"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->topic_arn, kTopic);
  EXPECT_EQ(model_.TopicArns(), std::vector<std::string>{kTopic});
  EXPECT_EQ(model_.FindTopic(kTopic)->name, "events");
  EXPECT_EQ(model_.CreateTopic({"bad name"}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.TopicArns().size(), 1u);
}

TEST_F(SnsModelTest, SubscriptionArnIsTopicArnPlusUuid) {
  const std::string arn = SubscribeOk("sqs", kQueue);
  const std::string prefix = std::string(kTopic) + ":";
  EXPECT_TRUE(arn.starts_with(prefix) && IsUuidV4(std::string_view(arn).substr(prefix.size()))) << arn;
  const Subscription* s = model_.FindSubscription(arn);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->endpoint, kQueue);
  EXPECT_FALSE(s->raw_message_delivery);
}

TEST_F(SnsModelTest, SubscribingTheSameEndpointAgainReturnsTheSameSubscription) {
  const std::string arn = SubscribeOk("sqs", kQueue, {{"RawMessageDelivery", "true"}});
  EXPECT_EQ(SubscribeOk("sqs", kQueue, {{"RawMessageDelivery", "true"}}), arn);
  sim::StatusOr<SubscribeResponse> differs =
      model_.Subscribe({kTopic, "sqs", kQueue, {{"RawMessageDelivery", "false"}}});
  EXPECT_EQ(differs.status().name(), "InvalidParameter");
  EXPECT_EQ(model_.FindTopic(kTopic)->subscriptions.size(), 1u);
}

TEST_F(SnsModelTest, SubscribeRejectsBadRequestsAndChangesNothing) {
  EXPECT_EQ(model_.Subscribe({"arn:aws:sns:us-east-1:000000000000:nope", "sqs", kQueue}).status().name(), "NotFound");
  EXPECT_EQ(model_.Subscribe({kTopic, "http", "https://example.com"}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.Subscribe({kTopic, "sqs", kFunction}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.Subscribe({kTopic, "lambda", kFunction, {{"RawMessageDelivery", "true"}}}).status().name(),
            "InvalidParameter");
  EXPECT_EQ(model_.Subscribe({kTopic, "sqs", kQueue, {{"RawMessageDelivery", "yes"}}}).status().name(),
            "InvalidParameter");
  EXPECT_EQ(model_.Subscribe({kTopic, "sqs", kQueue, {{"FilterPolicy", "{}"}}}).status().name(), "InvalidParameter");
  EXPECT_TRUE(model_.FindTopic(kTopic)->subscriptions.empty());
}

TEST_F(SnsModelTest, PublishBuildsEnvelopeRawAndLambdaBodies) {
  const std::string sqs_arn = SubscribeOk("sqs", kQueue);
  const std::string raw_arn = SubscribeOk("sqs", kRawQueue, {{"RawMessageDelivery", "true"}});
  const std::string fn_arn = SubscribeOk("lambda", kFunction);
  sim::StatusOr<PublishOutcome> out = model_.Publish({kTopic, "payload", "subj", {{"k", "v"}}}, At(1.05));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->deliveries.size(), 3u);

  SnsNotification n;
  n.message_id = out->message_id;
  n.topic_arn = kTopic;
  n.subject = "subj";
  n.message = "payload";
  n.timestamp_unix_nanos = Env::kDefaultEpochUnixNanos + 1'050'000'000;
  n.attributes = {{"k", "v"}};

  const OutgoingDelivery& envelope = out->deliveries[0];
  n.subscription_arn = sqs_arn;
  EXPECT_EQ(envelope.endpoint, kQueue);
  EXPECT_EQ(envelope.delivery.body, BuildSqsEnvelope(n));
  EXPECT_TRUE(envelope.delivery.attributes.empty());
  EXPECT_EQ(envelope.delivery.source_arn, kTopic);

  const OutgoingDelivery& raw = out->deliveries[1];
  EXPECT_EQ(raw.endpoint, kRawQueue);
  EXPECT_EQ(raw.delivery.body, "payload");
  EXPECT_EQ(raw.delivery.attributes, (std::map<std::string, std::string>{{"k", "v"}}));

  const OutgoingDelivery& lambda = out->deliveries[2];
  n.subscription_arn = fn_arn;
  EXPECT_EQ(lambda.delivery.body, BuildLambdaEvent(n));
}

TEST_F(SnsModelTest, MessageSizeLimitCountsBodyAndAttributes) {
  EXPECT_TRUE(PublishStatus(std::string(262'144, 'm')).ok());
  EXPECT_EQ(PublishStatus(std::string(262'145, 'm')).name(), "InvalidParameter");
  // 262,134 + "k" + "String" + "vvvv" = 262,145 bytes.
  EXPECT_EQ(PublishStatus(std::string(262'134, 'm'), "", {{"k", "vvvv"}}).name(), "InvalidParameter");
  EXPECT_TRUE(PublishStatus(std::string(262'134, 'm'), "", {{"k", "vvv"}}).ok());
}

TEST_F(SnsModelTest, PublishIsBilledPer64KbChunk) {
  auto billed = [&](std::size_t n) { return model_.Publish({kTopic, std::string(n, 'm')}, At(1))->billed_requests; };
  EXPECT_EQ(billed(1), 1u);
  EXPECT_EQ(billed(65'536), 1u);
  EXPECT_EQ(billed(65'537), 2u);
  EXPECT_EQ(billed(262'144), 4u);
}

TEST_F(SnsModelTest, InvalidPublishesFailWithInvalidParameterOrNotFound) {
  EXPECT_EQ(model_.Publish({"arn:aws:sns:us-east-1:000000000000:nope", "m"}, At(1)).status().name(), "NotFound");
  EXPECT_EQ(HttpStatusOf(model_.Publish({"arn:aws:sns:us-east-1:000000000000:nope", "m"}, At(1)).status()), 404);
  EXPECT_EQ(PublishStatus("").name(), "InvalidParameter");
  EXPECT_EQ(PublishStatus("bad \xC3(").name(), "InvalidParameter");  // invalid UTF-8
  EXPECT_EQ(PublishStatus("m", std::string(101, 's')).name(), "InvalidParameter");
  EXPECT_EQ(PublishStatus("m", "two\nlines").name(), "InvalidParameter");
  EXPECT_EQ(PublishStatus("m", "", {{"bad name", "v"}}).name(), "InvalidParameter");
  EXPECT_EQ(PublishStatus("m", "", {{"AWS.x", "v"}}).name(), "InvalidParameter");
  EXPECT_EQ(PublishStatus("m", "", {{"k", ""}}).name(), "InvalidParameter");
  EXPECT_TRUE(PublishStatus("caf\xC3\xA9 \xF0\x9F\x98\x80", std::string(100, 's')).ok());
}

TEST_F(SnsModelTest, FailedPublishesConsumeNoMessageId) {
  ASSERT_FALSE(PublishStatus("").ok());
  ASSERT_FALSE(PublishStatus(std::string(300'000, 'm')).ok());
  sim::StatusOr<PublishOutcome> first = model_.Publish({kTopic, "m"}, At(1));
  SnsModel fresh;
  ASSERT_TRUE(fresh.CreateTopic({"events"}).ok());
  sim::StatusOr<PublishOutcome> expected = fresh.Publish({kTopic, "m"}, At(1));
  ASSERT_TRUE(first.ok() && expected.ok());
  EXPECT_EQ(first->message_id, expected->message_id);
  EXPECT_NE(model_.Publish({kTopic, "m"}, At(1))->message_id, first->message_id);
}

}  // namespace
}  // namespace emu::sns
