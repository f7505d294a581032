#include "emulators/sns/sns_model.h"

#include <gtest/gtest.h>

#include "emulators/common/test_util.h"

#include "emulators/common/aws_error.h"
#include "emulators/sns/sns_message.h"

namespace emu::sns {
namespace {

sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

using emu::test_support::IsUuidV4;

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
  EXPECT_EQ(model_.Subscribe({kTopic, "sqs", kQueue, {{"FilterPolicy", R"({"a":"x"})"}}}).status().name(),
            "InvalidParameter");
  EXPECT_EQ(model_.Subscribe({kTopic, "sqs", kQueue, {{"FilterPolicyScope", "Body"}}}).status().name(),
            "InvalidParameter");
  EXPECT_EQ(model_.Subscribe({kTopic, "sqs", kQueue, {{"Colour", "red"}}}).status().name(), "InvalidParameter");
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

TEST_F(SnsModelTest, PublishSkipsSubscriptionsWhoseFilterPolicyDoesNotMatch) {
  const std::string all = SubscribeOk("sqs", kQueue);
  const std::string logs = SubscribeOk("sqs", kRawQueue, {{"FilterPolicy", R"({"kind":["log"]})"}});
  sim::StatusOr<PublishOutcome> out = model_.Publish({kTopic, "m1", "", {{"kind", "log"}}}, At(1));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->deliveries.size(), 2u);
  EXPECT_EQ(out->deliveries[1].subscription_arn, logs);
  EXPECT_EQ(out->filtered, 0u);
  out = model_.Publish({kTopic, "m2", "", {{"kind", "metric"}}}, At(1));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->deliveries.size(), 1u);
  EXPECT_EQ(out->deliveries[0].subscription_arn, all);
  EXPECT_EQ(out->filtered, 1u);
}

TEST_F(SnsModelTest, BodyScopedPolicyMatchesTheMessageBody) {
  SubscribeOk("sqs", kQueue,
              {{"FilterPolicy", R"({"event":{"bucket":[{"prefix":"logs-"}]}})"}, {"FilterPolicyScope", "MessageBody"}});
  const Subscription& s = model_.FindTopic(kTopic)->subscriptions[0];
  EXPECT_EQ(s.filter_policy_scope, FilterPolicyScope::kMessageBody);
  sim::StatusOr<PublishOutcome> out = model_.Publish({kTopic, R"({"event":{"bucket":"logs-eu"}})"}, At(1));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->deliveries.size(), 1u);
  out = model_.Publish({kTopic, R"({"event":{"bucket":"tmp"}})", "", {{"bucket", "logs-eu"}}}, At(1));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->deliveries.size(), 0u);
  EXPECT_EQ(out->filtered, 1u);
}

TEST_F(SnsModelTest, SetSubscriptionAttributesSetsChangesAndRemovesThePolicy) {
  const std::string arn = SubscribeOk("sqs", kQueue);
  EXPECT_TRUE(model_.SetSubscriptionAttributes({arn, "FilterPolicy", R"({"kind":["log"]})"}).ok());
  EXPECT_EQ(model_.FindSubscription(arn)->filter_policy, R"({"kind":["log"]})");
  EXPECT_EQ(model_.Publish({kTopic, "m", "", {{"kind", "metric"}}}, At(1))->deliveries.size(), 0u);
  EXPECT_TRUE(model_.SetSubscriptionAttributes({arn, "FilterPolicyScope", "MessageBody"}).ok());
  EXPECT_EQ(model_.Publish({kTopic, R"({"kind":"log"})"}, At(1))->deliveries.size(), 1u);
  EXPECT_TRUE(model_.SetSubscriptionAttributes({arn, "FilterPolicy", ""}).ok());
  EXPECT_FALSE(model_.FindSubscription(arn)->compiled_filter_policy.has_value());
  EXPECT_EQ(model_.Publish({kTopic, "not json"}, At(1))->deliveries.size(), 1u);
  EXPECT_TRUE(model_.SetSubscriptionAttributes({arn, "RawMessageDelivery", "true"}).ok());
  EXPECT_TRUE(model_.FindSubscription(arn)->raw_message_delivery);
}

TEST_F(SnsModelTest, SetSubscriptionAttributesRejectsBadValuesAndChangesNothing) {
  const std::string arn =
      SubscribeOk("sqs", kQueue, {{"FilterPolicy", R"({"a":{"b":["x"]}})"}, {"FilterPolicyScope", "MessageBody"}});
  sim::Status s = model_.SetSubscriptionAttributes({arn, "FilterPolicyScope", "MessageAttributes"});
  EXPECT_EQ(s.name(), "InvalidParameter");
  EXPECT_EQ(s.message(),
            "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
  EXPECT_EQ(model_.FindSubscription(arn)->filter_policy_scope, FilterPolicyScope::kMessageBody);
  EXPECT_EQ(model_.SetSubscriptionAttributes({arn, "FilterPolicy", "{"}).message(),
            "Invalid parameter: FilterPolicy: failed to parse JSON.");
  EXPECT_EQ(model_.FindSubscription(arn)->filter_policy, R"({"a":{"b":["x"]}})");
  EXPECT_EQ(model_.SetSubscriptionAttributes({arn, "Colour", "red"}).name(), "InvalidParameter");
  const std::string fn = SubscribeOk("lambda", kFunction);
  EXPECT_EQ(model_.SetSubscriptionAttributes({fn, "RawMessageDelivery", "true"}).name(), "InvalidParameter");
  EXPECT_FALSE(model_.FindSubscription(fn)->raw_message_delivery);
  EXPECT_EQ(model_.SetSubscriptionAttributes({kTopic + std::string(":nope"), "FilterPolicy", ""}).name(), "NotFound");
}

TEST_F(SnsModelTest, SubscribingAgainWithAnotherFilterPolicyIsInvalid) {
  const std::string arn = SubscribeOk("sqs", kQueue, {{"FilterPolicy", R"({"k":["a"]})"}});
  EXPECT_EQ(SubscribeOk("sqs", kQueue, {{"FilterPolicy", R"({"k":["a"]})"}}), arn);
  EXPECT_EQ(model_.Subscribe({kTopic, "sqs", kQueue, {{"FilterPolicy", R"({"k":["b"]})"}}}).status().name(),
            "InvalidParameter");
  EXPECT_EQ(model_.FindTopic(kTopic)->subscriptions.size(), 1u);
}

TEST_F(SnsModelTest, PublishValidatesAttributeDataTypes) {
  const auto publish = [this](const std::string& type, const std::string& value) {
    return model_.Publish({kTopic, "m", "", {{"a", value}}, {{"a", type}}}, At(1)).status();
  };
  EXPECT_TRUE(publish("Number", "-1.5e3").ok());
  EXPECT_TRUE(publish("Number.float", "2").ok());
  EXPECT_TRUE(publish("String.Array", R"(["x",1])").ok());
  EXPECT_TRUE(publish("Binary", "AAEC").ok());
  EXPECT_EQ(publish("Number", "ten").message(),
            "Invalid parameter: Could not cast message attribute 'a' value to number.");
  EXPECT_EQ(publish("Number", "inf").name(), "InvalidParameter");
  EXPECT_EQ(publish("String.Array", "[x").name(), "InvalidParameter");
  EXPECT_EQ(publish("Integer", "1").message(),
            "Invalid parameter: The message attribute 'a' has an invalid message attribute type, the set of supported "
            "type prefixes is Binary, Number, and String.");
}

TEST_F(SnsModelTest, EnvelopeCarriesAttributeDataTypes) {
  SubscribeOk("sqs", kQueue);
  sim::StatusOr<PublishOutcome> out =
      model_.Publish({kTopic, "m", "", {{"n", "7"}, {"s", "x"}}, {{"n", "Number"}}}, At(1));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->deliveries.size(), 1u);
  const std::string& body = out->deliveries[0].delivery.body;
  EXPECT_NE(body.find(R"("MessageAttributes":{"n":{"Type":"Number","Value":"7"},"s":{"Type":"String","Value":"x"}})"),
            std::string::npos)
      << body;
}

}  // namespace
}  // namespace emu::sns
