#include "emulators/sns/sns_model.h"

#include <gtest/gtest.h>

#include "emulators/common/aws_error.h"
#include "emulators/common/hashing.h"
#include "emulators/common/test_util.h"
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
  EXPECT_NE(body.find("  \"MessageAttributes\" : {\n"
                      "    \"n\" : {\"Type\":\"Number\",\"Value\":\"7\"},\n"
                      "    \"s\" : {\"Type\":\"String\",\"Value\":\"x\"}\n"
                      "  }"),
            std::string::npos)
      << body;
}

// ---- FIFO topics ----

constexpr const char* kFifoTopic = "arn:aws:sns:us-east-1:000000000000:orders.fifo";
constexpr const char* kFifoQueue = "arn:aws:sqs:us-east-1:000000000000:orders.fifo";

class SnsFifoTest : public SnsModelTest {
 protected:
  SnsFifoTest() {
    EXPECT_TRUE(model_.CreateTopic({"orders.fifo", {{"FifoTopic", "true"}}}).ok());
    sim::StatusOr<SubscribeResponse> r = model_.Subscribe({kFifoTopic, "sqs", kFifoQueue});
    EXPECT_TRUE(r.ok());
  }
  sim::StatusOr<PublishOutcome> Publish(const std::string& message, const std::string& group, const std::string& dedup,
                                        double at) {
    PublishRequest r{kFifoTopic, message};
    r.message_group_id = group;
    r.message_deduplication_id = dedup;
    return model_.Publish(r, At(at));
  }
};

TEST_F(SnsModelTest, CreateTopicFifoNeedsTheSuffixAndTheAttribute) {
  sim::StatusOr<CreateTopicResponse> fifo = model_.CreateTopic({"t.fifo", {{"FifoTopic", "true"}}});
  ASSERT_TRUE(fifo.ok());
  EXPECT_EQ(fifo->topic_arn, "arn:aws:sns:us-east-1:000000000000:t.fifo");
  EXPECT_TRUE(model_.FindTopic(fifo->topic_arn)->fifo);
  EXPECT_EQ(model_.CreateTopic({"u.fifo"}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.CreateTopic({"u", {{"FifoTopic", "true"}}}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.CreateTopic({"u", {{"ContentBasedDeduplication", "true"}}}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.CreateTopic({"u.fifo", {{"FifoTopic", "maybe"}}}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.CreateTopic({"u", {{"Colour", "red"}}}).status().name(), "InvalidParameter");
  // Same name, other attributes.
  EXPECT_EQ(
      model_.CreateTopic({"t.fifo", {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}}}).status().message(),
      "Invalid parameter: Topic already exists with different attributes");
  EXPECT_EQ(model_.TopicArns().size(), 2u);
}

TEST_F(SnsFifoTest, FifoTopicsAcceptOnlySqsFifoQueueSubscriptions) {
  EXPECT_EQ(model_.Subscribe({kFifoTopic, "sqs", kQueue}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.Subscribe({kFifoTopic, "lambda", kFunction}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.Subscribe({kTopic, "sqs", kFifoQueue}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.FindTopic(kFifoTopic)->subscriptions.size(), 1u);
  EXPECT_TRUE(model_.FindTopic(kTopic)->subscriptions.empty());
}

TEST_F(SnsFifoTest, FifoPublishNeedsGroupIdAndDeduplicationId) {
  EXPECT_EQ(Publish("m", "", "d1", 1).status().message(),
            "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
  EXPECT_EQ(Publish("m", "g", "", 1).status().message(),
            "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
            "MessageDeduplicationId provided explicitly");
  EXPECT_EQ(Publish("m", std::string(129, 'g'), "d", 1).status().name(), "InvalidParameter");
  EXPECT_EQ(Publish("m", "g", "bad id", 1).status().name(), "InvalidParameter");
  // Standard topics take no deduplication id.
  PublishRequest standard{kTopic, "m"};
  standard.message_deduplication_id = "d";
  EXPECT_EQ(model_.Publish(standard, At(1)).status().name(), "InvalidParameter");
  // Nothing was published: the first good publish gets sequence number 1.
  EXPECT_EQ(Publish("m", "g", "d", 1)->sequence_number, "10000000000000000001");
}

TEST_F(SnsFifoTest, FifoDuplicateWithinFiveMinutesReturnsTheSameIdsAndDeliversNothing) {
  sim::StatusOr<PublishOutcome> first = Publish("m", "g", "d", 10);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->deliveries.size(), 1u);
  EXPECT_EQ(first->deliveries[0].delivery.message_group_id, "g");
  EXPECT_EQ(first->deliveries[0].delivery.message_deduplication_id, "d");
  sim::StatusOr<PublishOutcome> dup = Publish("other body", "g2", "d", 309.999);
  ASSERT_TRUE(dup.ok());
  EXPECT_TRUE(dup->duplicate);
  EXPECT_EQ(dup->message_id, first->message_id);
  EXPECT_EQ(dup->sequence_number, first->sequence_number);
  EXPECT_TRUE(dup->deliveries.empty());
  // At 10 s + 5 min the window has closed.
  sim::StatusOr<PublishOutcome> later = Publish("m", "g", "d", 310);
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->duplicate);
  EXPECT_NE(later->message_id, first->message_id);
  EXPECT_EQ(later->sequence_number, "10000000000000000002");
}

TEST_F(SnsFifoTest, FifoContentBasedDeduplicationUsesTheBodyHash) {
  EXPECT_TRUE(model_.SetTopicAttributes({kFifoTopic, "ContentBasedDeduplication", "true"}).ok());
  sim::StatusOr<PublishOutcome> first = Publish("same", "g", "", 1);
  sim::StatusOr<PublishOutcome> dup = Publish("same", "h", "", 2);
  sim::StatusOr<PublishOutcome> other = Publish("different", "g", "", 3);
  ASSERT_TRUE(first.ok() && dup.ok() && other.ok());
  EXPECT_TRUE(dup->duplicate);
  EXPECT_EQ(dup->message_id, first->message_id);
  EXPECT_FALSE(other->duplicate);
  EXPECT_EQ(first->deliveries[0].delivery.message_deduplication_id, Sha256Hex("same"));
  // An explicit id wins over the content.
  EXPECT_FALSE(Publish("same", "g", "explicit", 4)->duplicate);
}

TEST_F(SnsFifoTest, FifoEnvelopeCarriesTheSequenceNumberAfterTheMessageId) {
  sim::StatusOr<PublishOutcome> out = Publish("m", "g", "d", 1);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->sequence_number, "10000000000000000001");
  const std::string& body = out->deliveries[0].delivery.body;
  EXPECT_EQ(body.find("{\n  \"Type\" : \"Notification\",\n  \"MessageId\" : \"" + out->message_id +
                      "\",\n  \"SequenceNumber\" : \"10000000000000000001\",\n"
                      "  \"TopicArn\" : \"arn:aws:sns:us-east-1:000000000000:orders.fifo\",\n"),
            0u)
      << body;
}

// ---- Topic management ----

TEST_F(SnsModelTest, DeleteTopicRemovesItsSubscriptionsAndIsIdempotent) {
  const std::string sub = SubscribeOk("sqs", kQueue);
  sim::StatusOr<bool> deleted = model_.DeleteTopic({kTopic});
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);
  EXPECT_EQ(model_.FindTopic(kTopic), nullptr);
  EXPECT_EQ(model_.FindSubscription(sub), nullptr);
  EXPECT_EQ(model_.Publish({kTopic, "m"}, At(1)).status().name(), "NotFound");
  deleted = model_.DeleteTopic({kTopic});  // AWS: deleting a missing topic is not an error
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(*deleted);
  EXPECT_EQ(model_.DeleteTopic({"not-an-arn"}).status().name(), "InvalidParameter");
  // Created again, it starts with no subscriptions.
  ASSERT_TRUE(model_.CreateTopic({"events"}).ok());
  EXPECT_TRUE(model_.FindTopic(kTopic)->subscriptions.empty());
}

TEST_F(SnsModelTest, ListTopicsPagesAHundredAtATime) {
  for (int i = 0; i < 249; ++i) ASSERT_TRUE(model_.CreateTopic({"t" + std::to_string(1000 + i)}).ok());
  std::vector<std::string> all;
  std::vector<std::size_t> pages;
  ListTopicsRequest request;
  do {
    sim::StatusOr<ListTopicsResponse> page = model_.ListTopics(request);
    ASSERT_TRUE(page.ok());
    pages.push_back(page->topic_arns.size());
    all.insert(all.end(), page->topic_arns.begin(), page->topic_arns.end());
    request.next_token = page->next_token;
  } while (!request.next_token.empty());
  EXPECT_EQ(pages, (std::vector<std::size_t>{100, 100, 50}));
  EXPECT_EQ(all, model_.TopicArns());
  EXPECT_EQ(model_.ListTopics({"garbage"}).status().name(), "InvalidParameter");
}

TEST_F(SnsModelTest, GetTopicAttributesReportsTheTopic) {
  SubscribeOk("sqs", kQueue);
  const std::string gone = SubscribeOk("sqs", kRawQueue);
  ASSERT_TRUE(model_.Unsubscribe({gone}).ok());
  sim::StatusOr<AttributesResponse> a = model_.GetTopicAttributes({kTopic});
  ASSERT_TRUE(a.ok());
  const std::map<std::string, std::string> expected = {
      {"DisplayName", ""},           {"Owner", "000000000000"},     {"SubscriptionsConfirmed", "1"},
      {"SubscriptionsDeleted", "1"}, {"SubscriptionsPending", "0"}, {"TopicArn", kTopic}};
  EXPECT_EQ(a->attributes, expected);
  ASSERT_TRUE(model_.CreateTopic({"f.fifo", {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}}}).ok());
  a = model_.GetTopicAttributes({"arn:aws:sns:us-east-1:000000000000:f.fifo"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->attributes["FifoTopic"], "true");
  EXPECT_EQ(a->attributes["ContentBasedDeduplication"], "true");
  EXPECT_EQ(model_.GetTopicAttributes({"arn:aws:sns:us-east-1:000000000000:nope"}).status().name(), "NotFound");
}

TEST_F(SnsModelTest, SetTopicAttributesChangesDisplayNameAndRejectsTheRest) {
  EXPECT_TRUE(model_.SetTopicAttributes({kTopic, "DisplayName", "Events"}).ok());
  EXPECT_EQ(model_.GetTopicAttributes({kTopic})->attributes["DisplayName"], "Events");
  EXPECT_EQ(model_.SetTopicAttributes({kTopic, "DisplayName", std::string(101, 'x')}).name(), "InvalidParameter");
  EXPECT_EQ(model_.SetTopicAttributes({kTopic, "ContentBasedDeduplication", "true"}).name(), "InvalidParameter");
  EXPECT_EQ(model_.SetTopicAttributes({kTopic, "FifoTopic", "true"}).name(), "InvalidParameter");
  EXPECT_EQ(model_.SetTopicAttributes({kTopic, "DeliveryPolicy", "{}"}).name(), "InvalidParameter");
  EXPECT_EQ(model_.SetTopicAttributes({"arn:aws:sns:us-east-1:000000000000:nope", "DisplayName", "x"}).name(),
            "NotFound");
  EXPECT_EQ(model_.FindTopic(kTopic)->display_name, "Events");
  EXPECT_FALSE(model_.FindTopic(kTopic)->fifo);
}

// ---- Subscriptions ----

constexpr const char* kDlq = "arn:aws:sqs:us-east-1:000000000000:dlq";

TEST_F(SnsModelTest, RedrivePolicySetsTheSubscriptionDlq) {
  const std::string policy = std::string(R"({"deadLetterTargetArn":")") + kDlq + R"("})";
  const std::string arn = SubscribeOk("sqs", kQueue, {{"RedrivePolicy", policy}});
  EXPECT_EQ(model_.FindSubscription(arn)->dead_letter_target_arn, kDlq);
  EXPECT_TRUE(model_.SetSubscriptionAttributes({arn, "RedrivePolicy", ""}).ok());
  EXPECT_EQ(model_.FindSubscription(arn)->dead_letter_target_arn, "");
  EXPECT_TRUE(model_.SetSubscriptionAttributes({arn, "RedrivePolicy", policy}).ok());
  EXPECT_EQ(model_.FindSubscription(arn)->dead_letter_target_arn, kDlq);
}

TEST_F(SnsModelTest, BadRedrivePoliciesAreInvalidAndChangeNothing) {
  const std::string arn = SubscribeOk("sqs", kQueue);
  for (const std::string& bad :
       {std::string("{"), std::string("[]"), std::string(R"({"deadLetterTargetArn":1})"),
        std::string(R"({"deadLetterTargetArn":"arn:aws:lambda:us-east-1:000000000000:function:f"})"),
        std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:000000000000:dlq"})"),
        std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq.fifo"})"),
        std::string(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","x":1})")}) {
    EXPECT_EQ(model_.SetSubscriptionAttributes({arn, "RedrivePolicy", bad}).name(), "InvalidParameter") << bad;
    EXPECT_EQ(model_.Subscribe({kTopic, "sqs", kRawQueue, {{"RedrivePolicy", bad}}}).status().name(),
              "InvalidParameter")
        << bad;
  }
  EXPECT_EQ(model_.FindSubscription(arn)->redrive_policy, "");
  EXPECT_EQ(model_.FindTopic(kTopic)->subscriptions.size(), 1u);
}

TEST_F(SnsModelTest, UnsubscribeRemovesTheSubscriptionAndIsIdempotent) {
  const std::string arn = SubscribeOk("sqs", kQueue);
  EXPECT_TRUE(model_.Unsubscribe({arn}).ok());
  EXPECT_EQ(model_.FindSubscription(arn), nullptr);
  EXPECT_TRUE(model_.Publish({kTopic, "m"}, At(1))->deliveries.empty());
  EXPECT_TRUE(model_.Unsubscribe({arn}).ok());
  EXPECT_EQ(model_.Unsubscribe({"nonsense"}).name(), "InvalidParameter");
  EXPECT_EQ(model_.Unsubscribe({kTopic}).name(), "InvalidParameter");  // a topic ARN is not a subscription
  EXPECT_EQ(model_.FindTopic(kTopic)->subscriptions_deleted, 1u);
}

TEST_F(SnsModelTest, ListSubscriptionsByTopicPagesAHundredAtATime) {
  std::vector<std::string> arns;
  for (int i = 0; i < 205; ++i)
    arns.push_back(SubscribeOk("sqs", "arn:aws:sqs:us-east-1:000000000000:q" + std::to_string(i)));
  ASSERT_TRUE(model_.Unsubscribe({arns[3]}).ok());
  arns.erase(arns.begin() + 3);
  std::vector<std::string> listed;
  std::vector<std::size_t> pages;
  ListSubscriptionsByTopicRequest request{kTopic};
  do {
    sim::StatusOr<ListSubscriptionsByTopicResponse> page = model_.ListSubscriptionsByTopic(request);
    ASSERT_TRUE(page.ok());
    pages.push_back(page->subscriptions.size());
    for (const SubscriptionSummary& s : page->subscriptions) listed.push_back(s.subscription_arn);
    request.next_token = page->next_token;
  } while (!request.next_token.empty());
  EXPECT_EQ(pages, (std::vector<std::size_t>{100, 100, 4}));
  EXPECT_EQ(listed, arns);
  const SubscriptionSummary first = model_.ListSubscriptionsByTopic({kTopic})->subscriptions[0];
  EXPECT_EQ(first,
            (SubscriptionSummary{arns[0], "000000000000", "sqs", "arn:aws:sqs:us-east-1:000000000000:q0", kTopic}));
  EXPECT_EQ(model_.ListSubscriptionsByTopic({kTopic, "x"}).status().name(), "InvalidParameter");
  EXPECT_EQ(model_.ListSubscriptionsByTopic({"arn:aws:sns:us-east-1:000000000000:nope"}).status().name(), "NotFound");
}

TEST_F(SnsModelTest, GetSubscriptionAttributesReportsTheSubscription) {
  const std::string policy = std::string(R"({"deadLetterTargetArn":")") + kDlq + R"("})";
  const std::string arn = SubscribeOk(
      "sqs", kQueue, {{"RawMessageDelivery", "true"}, {"FilterPolicy", R"({"k":["v"]})"}, {"RedrivePolicy", policy}});
  sim::StatusOr<AttributesResponse> a = model_.GetSubscriptionAttributes({arn});
  ASSERT_TRUE(a.ok());
  const std::map<std::string, std::string> expected = {{"ConfirmationWasAuthenticated", "true"},
                                                       {"Endpoint", kQueue},
                                                       {"FilterPolicy", R"({"k":["v"]})"},
                                                       {"FilterPolicyScope", "MessageAttributes"},
                                                       {"Owner", "000000000000"},
                                                       {"PendingConfirmation", "false"},
                                                       {"Protocol", "sqs"},
                                                       {"RawMessageDelivery", "true"},
                                                       {"RedrivePolicy", policy},
                                                       {"SubscriptionArn", arn},
                                                       {"TopicArn", kTopic}};
  EXPECT_EQ(a->attributes, expected);
  EXPECT_EQ(model_.GetSubscriptionAttributes({arn + "x"}).status().name(), "NotFound");
}

// ---- PublishBatch ----

PublishBatchRequestEntry Entry(const std::string& id, const std::string& message) {
  PublishBatchRequestEntry e;
  e.id = id;
  e.message = message;
  return e;
}

TEST_F(SnsModelTest, PublishBatchRequestErrorsPublishNothing) {
  SubscribeOk("sqs", kQueue);
  auto code = [&](std::vector<PublishBatchRequestEntry> entries) {
    return std::string(model_.PublishBatch({kTopic, std::move(entries)}, At(1)).status().name());
  };
  EXPECT_EQ(code({}), "EmptyBatchRequest");
  EXPECT_EQ(code(std::vector<PublishBatchRequestEntry>(11, Entry("a", "m"))), "TooManyEntriesInBatchRequest");
  EXPECT_EQ(code({Entry("a", "m"), Entry("a", "n")}), "BatchEntryIdsNotDistinct");
  EXPECT_EQ(code({Entry("a.b", "m")}), "InvalidBatchEntryId");
  EXPECT_EQ(code({Entry(std::string(81, 'a'), "m")}), "InvalidBatchEntryId");
  EXPECT_EQ(code({Entry("", "m")}), "InvalidBatchEntryId");
  EXPECT_EQ(code({Entry("a", std::string(200'000, 'm')), Entry("b", std::string(62'145, 'm'))}), "BatchRequestTooLong");
  EXPECT_EQ(model_.PublishBatch({"arn:aws:sns:us-east-1:000000000000:nope", {Entry("a", "m")}}, At(1)).status().name(),
            "NotFound");
  // No message id was consumed.
  SnsModel fresh;
  ASSERT_TRUE(fresh.CreateTopic({"events"}).ok());
  EXPECT_EQ(model_.Publish({kTopic, "m"}, At(1))->message_id, fresh.Publish({kTopic, "m"}, At(1))->message_id);
}

TEST_F(SnsModelTest, PublishBatchReportsFailedEntriesAndPublishesTheRest) {
  SubscribeOk("sqs", kQueue);
  std::vector<PublishBatchRequestEntry> entries = {Entry("ok-1", "first"), Entry("bad", ""),
                                                   Entry("ok_2", std::string(65'537, 'x'))};
  sim::StatusOr<PublishBatchOutcome> out = model_.PublishBatch({kTopic, entries}, At(1));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->response.successful.size(), 2u);
  EXPECT_EQ(out->response.successful[0].id, "ok-1");
  EXPECT_EQ(out->response.successful[1].id, "ok_2");
  EXPECT_TRUE(IsUuidV4(out->response.successful[0].message_id));
  EXPECT_EQ(out->response.successful[0].sequence_number, "");
  ASSERT_EQ(out->response.failed.size(), 1u);
  EXPECT_EQ(out->response.failed[0].id, "bad");
  EXPECT_EQ(out->response.failed[0].code, "InvalidParameter");
  EXPECT_EQ(out->response.failed[0].message, "Invalid parameter: Empty message");
  EXPECT_TRUE(out->response.failed[0].sender_fault);
  ASSERT_EQ(out->published.size(), 2u);
  EXPECT_EQ(out->published[1].deliveries.size(), 1u);
  // Billed per 64 KB chunk of each message: 1 + 2.
  EXPECT_EQ(out->billed_requests, 3u);
}

TEST_F(SnsModelTest, PublishBatchToAFifoTopicNumbersEntriesInOrder) {
  ASSERT_TRUE(model_.CreateTopic({"b.fifo", {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}}}).ok());
  std::vector<PublishBatchRequestEntry> entries = {Entry("a", "x"), Entry("b", "y"), Entry("c", "x"), Entry("d", "z")};
  for (auto& e : entries) e.message_group_id = "g";
  entries[3].message_group_id = "";
  sim::StatusOr<PublishBatchOutcome> out =
      model_.PublishBatch({"arn:aws:sns:us-east-1:000000000000:b.fifo", entries}, At(1));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->response.successful.size(), 3u);
  EXPECT_EQ(out->response.successful[0].sequence_number, "10000000000000000001");
  EXPECT_EQ(out->response.successful[1].sequence_number, "10000000000000000002");
  // "c" repeats "x": a duplicate, same ids as "a".
  EXPECT_EQ(out->response.successful[2].message_id, out->response.successful[0].message_id);
  EXPECT_TRUE(out->published[2].duplicate);
  ASSERT_EQ(out->response.failed.size(), 1u);
  EXPECT_EQ(out->response.failed[0].id, "d");
}

TEST_F(SnsModelTest, LambdaSubscriptionsSendTheEnvelopeToTheirDlq) {
  const std::string fn = SubscribeOk("lambda", kFunction);
  sim::StatusOr<PublishOutcome> out = model_.Publish({kTopic, "m"}, At(1));
  ASSERT_TRUE(out.ok());
  SnsNotification n;
  n.message_id = out->message_id;
  n.topic_arn = kTopic;
  n.subscription_arn = fn;
  n.message = "m";
  n.timestamp_unix_nanos = Env::kDefaultEpochUnixNanos + 1'000'000'000;
  EXPECT_EQ(out->deliveries[0].dlq_body, BuildSqsEnvelope(n));
}

}  // namespace
}  // namespace emu::sns
