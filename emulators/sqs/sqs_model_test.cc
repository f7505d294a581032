#include "emulators/sqs/sqs_model.h"

#include <gtest/gtest.h>

#include "emulators/common/test_util.h"
#include "emulators/sqs/sqs_errors.h"
#include "sim/check.h"

namespace emu::sqs {
namespace {

sim::Time T(int64_t seconds) { return sim::Time::Zero() + sim::Seconds(seconds); }
sim::Time Tns(int64_t nanos) { return sim::Time::FromNanos(nanos); }

const AwsErrorType* ErrorOf(const sim::Status& s) { return AwsErrorOf(s); }

class SqsModelTest : public ::testing::Test {
 protected:
  SqsModel& Model() { return *model_; }

  std::string MakeQueue(const std::string& name, QueueConfig config = {}, sim::Time now = T(0)) {
    sim::StatusOr<std::string> url = model_->CreateQueue(name, config, now);
    EXPECT_TRUE(url.ok()) << url.status().ToString();
    return url.ok() ? *url : "";
  }
  SendResult Send(const std::string& queue, const std::string& body, sim::Time now,
                  std::optional<int> delay = std::nullopt) {
    sim::StatusOr<SendResult> r = model_->SendMessage(queue, body, {}, delay, now);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SendResult{};
  }
  std::vector<ReceivedMessage> Receive(const std::string& queue, sim::Time now, int max = 10,
                                       std::optional<int> visibility = std::nullopt) {
    sim::StatusOr<ReceiveResult> r = model_->ReceiveMessage(queue, max, visibility, now);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->messages : std::vector<ReceivedMessage>{};
  }
  QueueCounts Counts(const std::string& queue, sim::Time now) {
    sim::StatusOr<QueueCounts> c = model_->Counts(queue, now);
    EXPECT_TRUE(c.ok());
    return c.ok() ? *c : QueueCounts{};
  }

  Account account_;
  sim::MetricsRegistry metrics_;
  std::unique_ptr<SqsModel> model_ = std::make_unique<SqsModel>(account_, metrics_, sim::Rng(42));
};

// --- queues -------------------------------------------------------------------

TEST_F(SqsModelTest, CreateQueueReturnsUrlAndArnFromAccount) {
  EXPECT_EQ(MakeQueue("orders"), "https://sqs.us-east-1.amazonaws.com/000000000000/orders");
  sim::StatusOr<QueueInfo> info = Model().GetQueueInfo("orders");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->arn, "arn:aws:sqs:us-east-1:000000000000:orders");
  EXPECT_EQ(Model().QueueNameForArn("arn:aws:sqs:us-east-1:000000000000:orders"), "orders");
  EXPECT_EQ(Model().QueueNameForArn("arn:aws:sqs:us-east-1:111111111111:orders"), std::nullopt);
}

TEST_F(SqsModelTest, CreateQueueWithIdenticalConfigReturnsSameUrl) {
  QueueConfig c;
  c.visibility_timeout = 60;
  const std::string url = MakeQueue("q", c);
  sim::StatusOr<std::string> again = Model().CreateQueue("q", c, T(5));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, url);
  EXPECT_EQ(Model().ListQueues(), std::vector<std::string>{"q"});
}

TEST_F(SqsModelTest, CreateQueueWithDifferentConfigIsQueueAlreadyExists) {
  MakeQueue("q");
  QueueConfig c;
  c.delay_seconds = 5;
  sim::StatusOr<std::string> again = Model().CreateQueue("q", c, T(1));
  EXPECT_EQ(ErrorOf(again.status()), &errors::kQueueAlreadyExists);
  EXPECT_EQ(Model().GetQueueInfo("q")->config.delay_seconds, 0);
}

TEST_F(SqsModelTest, InvalidQueueNamesAreRejected) {
  for (const std::string& name :
       {std::string(), std::string(81, 'a'), std::string("a.b"), std::string("a b"), std::string("q.fifo")}) {
    sim::StatusOr<std::string> r = Model().CreateQueue(name, {}, T(0));
    EXPECT_EQ(ErrorOf(r.status()), &errors::kInvalidParameterValue) << name;
  }
  EXPECT_TRUE(Model().CreateQueue(std::string(80, 'a'), {}, T(0)).ok());
  EXPECT_TRUE(Model().CreateQueue("Az09-_", {}, T(0)).ok());
  EXPECT_EQ(Model().ListQueues().size(), 2u);
}

TEST_F(SqsModelTest, OutOfRangeConfigIsInvalidAttributeValueNamingTheAttribute) {
  struct Case {
    const char* attribute;
    void (*set)(QueueConfig&);
  };
  const Case cases[] = {
      {"VisibilityTimeout", [](QueueConfig& c) { c.visibility_timeout = 43201; }},
      {"VisibilityTimeout", [](QueueConfig& c) { c.visibility_timeout = -1; }},
      {"MessageRetentionPeriod", [](QueueConfig& c) { c.message_retention_period = 59; }},
      {"MessageRetentionPeriod", [](QueueConfig& c) { c.message_retention_period = 1209601; }},
      {"DelaySeconds", [](QueueConfig& c) { c.delay_seconds = 901; }},
      {"ReceiveMessageWaitTimeSeconds", [](QueueConfig& c) { c.receive_message_wait_time_seconds = 21; }},
      {"MaximumMessageSize", [](QueueConfig& c) { c.maximum_message_size = 1023; }},
      {"MaximumMessageSize", [](QueueConfig& c) { c.maximum_message_size = 1048577; }},
  };
  for (const Case& k : cases) {
    QueueConfig c;
    k.set(c);
    sim::StatusOr<std::string> r = Model().CreateQueue("q", c, T(0));
    EXPECT_EQ(ErrorOf(r.status()), &errors::kInvalidAttributeValue) << k.attribute;
    EXPECT_NE(r.status().message().find(k.attribute), std::string_view::npos) << r.status().message();
  }
  EXPECT_TRUE(Model().ListQueues().empty());
}

TEST_F(SqsModelTest, BoundaryConfigValuesAreAccepted) {
  QueueConfig c;
  c.visibility_timeout = 43200;
  c.message_retention_period = 60;
  c.delay_seconds = 900;
  c.receive_message_wait_time_seconds = 20;
  c.maximum_message_size = 1024;
  EXPECT_TRUE(Model().CreateQueue("a", c, T(0)).ok());
  c.visibility_timeout = 0;
  c.message_retention_period = 1209600;
  c.maximum_message_size = 1048576;
  EXPECT_TRUE(Model().CreateQueue("b", c, T(0)).ok());
}

TEST_F(SqsModelTest, MaximumMessageSizeLimitIsASetting) {
  SqsSettings old_limits;
  old_limits.max_message_size_limit = 262144;
  SqsModel model(account_, metrics_, sim::Rng(1), old_limits);
  QueueConfig c;
  EXPECT_EQ(ErrorOf(model.CreateQueue("big", c, T(0)).status()), &errors::kInvalidAttributeValue);
  c.maximum_message_size = 262144;
  EXPECT_TRUE(model.CreateQueue("ok", c, T(0)).ok());
}

TEST_F(SqsModelTest, RedrivePolicyNeedsAnExistingDlqAndCountInRange) {
  QueueConfig c;
  c.redrive_policy = RedrivePolicy{"arn:aws:sqs:us-east-1:000000000000:dlq", 3};
  EXPECT_EQ(ErrorOf(Model().CreateQueue("src", c, T(0)).status()), &errors::kInvalidAttributeValue);
  MakeQueue("dlq");
  c.redrive_policy->max_receive_count = 0;
  EXPECT_EQ(ErrorOf(Model().CreateQueue("src", c, T(0)).status()), &errors::kInvalidAttributeValue);
  c.redrive_policy->max_receive_count = 1001;
  EXPECT_EQ(ErrorOf(Model().CreateQueue("src", c, T(0)).status()), &errors::kInvalidAttributeValue);
  c.redrive_policy->max_receive_count = 1000;
  EXPECT_TRUE(Model().CreateQueue("src", c, T(0)).ok());
}

TEST_F(SqsModelTest, MissingQueueIsQueueDoesNotExist) {
  EXPECT_EQ(ErrorOf(Model().SendMessage("nope", "x", {}, std::nullopt, T(0)).status()), &errors::kQueueDoesNotExist);
  EXPECT_EQ(ErrorOf(Model().ReceiveMessage("nope", 1, std::nullopt, T(0)).status()), &errors::kQueueDoesNotExist);
  EXPECT_EQ(HttpStatusOf(Model().DeleteMessage("nope", "h", T(0))), 400);
}

// --- send -----------------------------------------------------------------------

TEST_F(SqsModelTest, Md5OfMessageBodyIsTheRealMd5) {
  MakeQueue("q");
  EXPECT_EQ(Send("q", "hello", T(0)).md5_of_message_body, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(Receive("q", T(0))[0].md5_of_body, "5d41402abc4b2a76b9719d911017c592");
}

TEST_F(SqsModelTest, MessageIdIsAVersion4Uuid) {
  MakeQueue("q");
  const std::string id = Send("q", "x", T(0)).message_id;
  EXPECT_TRUE(emu::test_support::IsUuidV4(id)) << id;
}

TEST_F(SqsModelTest, SameSeedGivesIdenticalMessageIds) {
  auto ids = [this](uint64_t seed) {
    SqsModel m(account_, metrics_, sim::Rng(seed));
    EXPECT_TRUE(m.CreateQueue("q", {}, T(0)).ok());
    std::vector<std::string> out;
    for (int i = 0; i < 5; ++i) out.push_back(m.SendMessage("q", "b", {}, std::nullopt, T(i)).value().message_id);
    return out;
  };
  const std::vector<std::string> a = ids(7);
  EXPECT_EQ(a, ids(7));
  EXPECT_NE(a, ids(8));
  EXPECT_NE(a[0], a[1]);
}

TEST_F(SqsModelTest, SendValidationErrorsChangeNothing) {
  QueueConfig c;
  c.maximum_message_size = 1024;
  MakeQueue("q", c);
  const auto err = [&](std::string body, std::map<std::string, std::string> attrs, std::optional<int> delay) {
    return ErrorOf(Model().SendMessage("q", std::move(body), StringAttributes(attrs), delay, T(1)).status());
  };
  EXPECT_EQ(err("", {}, std::nullopt), &errors::kMissingParameter);
  EXPECT_EQ(err("x", {}, 901), &errors::kInvalidParameterValue);
  EXPECT_EQ(err("x", {}, -1), &errors::kInvalidParameterValue);
  EXPECT_EQ(err(std::string(1025, 'a'), {}, std::nullopt), &errors::kInvalidParameterValue);
  EXPECT_EQ(err(std::string(1000, 'a'), {{"attr", std::string(30, 'v')}}, std::nullopt),
            &errors::kInvalidParameterValue);  // 1000 + 4 + 6 + 30 > 1024
  EXPECT_EQ(err(std::string("a\x01"
                            "b"),
                {}, std::nullopt),
            &errors::kInvalidMessageContents);
  EXPECT_EQ(err("\xff", {}, std::nullopt), &errors::kInvalidMessageContents);
  EXPECT_EQ(err("\xed\xa0\x80", {}, std::nullopt), &errors::kInvalidMessageContents);  // a UTF-16 surrogate
  std::map<std::string, std::string> eleven;
  for (int i = 0; i < 11; ++i) eleven["a" + std::to_string(i)] = "v";
  EXPECT_EQ(err("x", eleven, std::nullopt), &errors::kInvalidParameterValue);
  EXPECT_EQ(Counts("q", T(1)).total(), 0);
  EXPECT_EQ(Model().Stats("q")->sent, 0);
  // No id was drawn: the next id is the first id of a fresh model with the same seed.
  SqsModel fresh(account_, metrics_, sim::Rng(42));
  ASSERT_TRUE(fresh.CreateQueue("q", c, T(0)).ok());
  EXPECT_EQ(Send("q", "ok", T(1)).message_id, fresh.SendMessage("q", "ok", {}, std::nullopt, T(1))->message_id);
}

TEST_F(SqsModelTest, ValidUnicodeBodyIsAccepted) {
  MakeQueue("q");
  EXPECT_TRUE(
      Model().SendMessage("q", "tab\there\r\n caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", {}, std::nullopt, T(0)).ok());
}

TEST_F(SqsModelTest, MessageAttributesAreStoredAndReturned) {
  MakeQueue("q");
  ASSERT_TRUE(Model().SendMessage("q", "b", StringAttributes({{"kind", "log"}}), std::nullopt, T(0)).ok());
  std::vector<ReceivedMessage> got = Receive("q", T(0));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].message_attributes, (MessageAttributes{{"kind", MessageAttributeValue::String("log")}}));
}

// --- typed message attributes -------------------------------------------------------

// Reference values from the AWS SDK's message-attribute checksum samples
// (reproduced in ydb's attributes_md5_ut.cpp and localstack's SQS tests).
TEST_F(SqsModelTest, Md5OfMessageAttributesMatchesTheAwsStringSample) {
  const MessageAttributes attrs{{"test_attribute_name_2", MessageAttributeValue::String("test_attribute_value_2")},
                                {"test_attribute_name_1", MessageAttributeValue::String("test_attribute_value_1")}};
  EXPECT_EQ(Md5OfMessageAttributes(attrs), "d53f3b558fe951154770f25cb63dbba9");
}

TEST_F(SqsModelTest, Md5OfMessageAttributesMatchesTheAwsBinarySample) {
  const MessageAttributes attrs{{"test_attribute_name", MessageAttributeValue::Binary("test_attribute_value")}};
  EXPECT_EQ(Md5OfMessageAttributes(attrs), "23f6bd27ea87aab7dfeadcc9aebee495");
}

TEST_F(SqsModelTest, Md5OfMessageAttributesMatchesTheAwsNumberSample) {
  EXPECT_EQ(Md5OfMessageAttributes({{"timestamp", MessageAttributeValue::Number("1493147359900")}}),
            "235c5c510d26fb653d073faed50ae77c");
  EXPECT_EQ(Md5OfMessageAttributes(
                {{"ordinal", MessageAttributeValue::Number("1")}, {"category", MessageAttributeValue::String("test")}}),
            "d21ae90c49061e927f57df5f5d72be1f");
}

TEST_F(SqsModelTest, Md5OfMessageAttributesIsEmptyWithoutAttributes) {
  EXPECT_EQ(Md5OfMessageAttributes({}), "");
  MakeQueue("q");
  EXPECT_EQ(Send("q", "b", T(0)).md5_of_message_attributes, "");
  EXPECT_EQ(Receive("q", T(0)).at(0).md5_of_message_attributes, "");
}

TEST_F(SqsModelTest, CustomTypeLabelsAreStoredReturnedAndHashedWithTheLabel) {
  MakeQueue("q");
  const MessageAttributes attrs{
      {"price", {"Number.float", "1.5", {}}}, {"doc", {"String.json", "{}", {}}}, {"img", {"Binary.gif", {}, "GIF"}}};
  sim::StatusOr<SendResult> sent = Model().SendMessage("q", "b", attrs, std::nullopt, T(0));
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->md5_of_message_attributes, "2858a7fffda3a49a4e73ebdb7ccec581");
  std::vector<ReceivedMessage> got = Receive("q", T(0));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].message_attributes, attrs);
  EXPECT_EQ(got[0].md5_of_message_attributes, "2858a7fffda3a49a4e73ebdb7ccec581");
}

TEST_F(SqsModelTest, AttributeNameRulesAreEnforcedAndChangeNothing) {
  MakeQueue("q");
  const auto err = [&](const std::string& name) {
    return ErrorOf(
        Model().SendMessage("q", "b", {{name, MessageAttributeValue::String("v")}}, std::nullopt, T(0)).status());
  };
  for (const std::string& bad : std::vector<std::string>{"AWS.x", "aws.x", "Amazon.x", "aMaZoN.x", "a..b", ".a", "a.",
                                                         "a b", "a/b", "caf\xc3\xa9", std::string(257, 'n')}) {
    EXPECT_EQ(err(bad), &errors::kInvalidParameterValue) << bad;
  }
  EXPECT_EQ(Counts("q", T(0)).total(), 0);
  for (const std::string& good :
       std::vector<std::string>{"a.b-c_D9", "AWSx", "Amazon", "x.AWS.y", std::string(256, 'n')}) {
    EXPECT_EQ(err(good), nullptr) << good;
  }
  EXPECT_EQ(Counts("q", T(0)).total(), 5);
}

TEST_F(SqsModelTest, AttributeTypeAndValueRulesAreEnforcedAndChangeNothing) {
  MakeQueue("q");
  const auto err = [&](MessageAttributeValue v) {
    return ErrorOf(Model().SendMessage("q", "b", {{"a", std::move(v)}}, std::nullopt, T(0)).status());
  };
  const MessageAttributeValue bad[] = {
      {"", "v", {}},         {"Integer", "1", {}},
      {"string", "v", {}},   {"String." + std::string(250, 'x'), "v", {}},  // 257 characters
      {"String", "", {}},    {"String", "v", "bytes"},
      {"Number", "abc", {}}, {"Number", "1e", {}},
      {"Number", ".", {}},   {"Number", "1" + std::string(38, '2'), {}},  // 39 significant digits
      {"Binary", {}, {}},    {"Binary", "text", "bytes"}};
  for (const MessageAttributeValue& v : bad) {
    EXPECT_EQ(err(v), &errors::kInvalidParameterValue) << v.data_type << " " << v.string_value;
  }
  EXPECT_EQ(err({"String", "a\x01", {}}), &errors::kInvalidMessageContents);
  EXPECT_EQ(Counts("q", T(0)).total(), 0);
  const MessageAttributeValue good[] = {{"Number", "-1.5e10", {}},
                                        {"Number", "+.5", {}},
                                        {"Number", "000" + std::string(38, '9') + ".000", {}},  // 38 significant digits
                                        {"Number.int", "7", {}},
                                        {"String." + std::string(249, 'x'), "v", {}},  // 256 characters
                                        {"Binary", {}, std::string("\0\xff", 2)}};
  for (const MessageAttributeValue& v : good) EXPECT_EQ(err(v), nullptr) << v.data_type << " " << v.string_value;
  EXPECT_EQ(Counts("q", T(0)).total(), 6);
}

TEST_F(SqsModelTest, AttributeNameTypeAndValueBytesCountTowardTheMessageSize) {
  QueueConfig c;
  c.maximum_message_size = 1024;
  MakeQueue("q", c);
  // 1000 body + 1 name + 6 "Binary" + 17 value = 1024: fits exactly.
  EXPECT_TRUE(Model()
                  .SendMessage("q", std::string(1000, 'a'),
                               {{"n", MessageAttributeValue::Binary(std::string(17, 'x'))}}, std::nullopt, T(0))
                  .ok());
  EXPECT_EQ(ErrorOf(Model()
                        .SendMessage("q", std::string(1000, 'a'),
                                     {{"n", MessageAttributeValue::Binary(std::string(18, 'x'))}}, std::nullopt, T(0))
                        .status()),
            &errors::kInvalidParameterValue);
  EXPECT_EQ(MessagePayloadBytes("body", {{"name", {"Number.float", "1.5", {}}}}), 4u + 4u + 12u + 3u);
  EXPECT_EQ(Counts("q", T(0)).total(), 1);
}

TEST_F(SqsModelTest, ElevenTypedAttributesAreRejected) {
  MakeQueue("q");
  MessageAttributes attrs;
  for (int i = 0; i < 10; ++i) attrs["a" + std::to_string(i)] = MessageAttributeValue::Number(std::to_string(i));
  EXPECT_TRUE(Model().SendMessage("q", "b", attrs, std::nullopt, T(0)).ok());
  attrs["a10"] = MessageAttributeValue::Binary("x");
  EXPECT_EQ(ErrorOf(Model().SendMessage("q", "b", attrs, std::nullopt, T(0)).status()),
            &errors::kInvalidParameterValue);
  EXPECT_EQ(Counts("q", T(0)).total(), 1);
}

// --- receive ----------------------------------------------------------------------

TEST_F(SqsModelTest, ReceiveReturnsMessagesInOrderOfAvailability) {
  MakeQueue("q");
  Send("q", "a", T(0));
  Send("q", "b", T(1));
  Send("q", "c", T(2));
  std::vector<ReceivedMessage> got = Receive("q", T(3), 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].body, "a");
  EXPECT_EQ(got[1].body, "b");
  got = Receive("q", T(3), 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "c");
}

TEST_F(SqsModelTest, ReceiveCountIncrementsOnEachReceive) {
  QueueConfig c;
  c.visibility_timeout = 10;
  MakeQueue("q", c);
  Send("q", "a", T(0));
  for (int i = 1; i <= 4; ++i) {
    std::vector<ReceivedMessage> got = Receive("q", T(10 * i));
    ASSERT_EQ(got.size(), 1u) << i;
    EXPECT_EQ(got[0].receive_count, i);
    EXPECT_EQ(got[0].first_received_at, T(10));
    EXPECT_EQ(got[0].sent_at, T(0));
  }
  EXPECT_EQ(Model().Stats("q")->received, 4);
  EXPECT_EQ(metrics_.GetCounter("sqs.q.received").value(), 4);
}

TEST_F(SqsModelTest, VisibilityExpiryRedeliversAtExactlyTheDeadline) {
  MakeQueue("q");  // VisibilityTimeout 30
  Send("q", "a", T(0));
  ASSERT_EQ(Receive("q", T(1)).size(), 1u);
  EXPECT_EQ(Model().NextVisibleTime("q", T(1)), T(31));
  EXPECT_TRUE(Receive("q", T(31) - sim::Nanoseconds(1)).empty());
  std::vector<ReceivedMessage> again = Receive("q", T(31));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);
}

TEST_F(SqsModelTest, ReceiveVisibilityTimeoutOverridesTheQueues) {
  MakeQueue("q");
  Send("q", "a", T(0));
  ASSERT_EQ(Receive("q", T(0), 1, 5).size(), 1u);
  EXPECT_TRUE(Receive("q", T(4)).empty());
  EXPECT_EQ(Receive("q", T(5)).size(), 1u);
}

TEST_F(SqsModelTest, VisibilityTimeoutZeroMakesTheMessageVisibleAtOnceButNotTwiceInOneReceive) {
  MakeQueue("q");
  Send("q", "a", T(0));
  EXPECT_EQ(Receive("q", T(0), 10, 0).size(), 1u);
  std::vector<ReceivedMessage> again = Receive("q", T(0), 10, 0);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);
}

TEST_F(SqsModelTest, EachReceiveGivesANewReceiptHandle) {
  QueueConfig c;
  c.visibility_timeout = 1;
  MakeQueue("q", c);
  Send("q", "a", T(0));
  const std::string h1 = Receive("q", T(0))[0].receipt_handle;
  const std::string h2 = Receive("q", T(1))[0].receipt_handle;
  EXPECT_NE(h1, h2);
}

TEST_F(SqsModelTest, DelayedMessageBecomesVisibleWhenTheDelayEnds) {
  MakeQueue("q");
  Send("q", "a", T(0), 10);
  QueueCounts c = Counts("q", T(0));
  EXPECT_EQ(c.delayed, 1);
  EXPECT_EQ(c.visible, 0);
  EXPECT_TRUE(Receive("q", T(10) - sim::Nanoseconds(1)).empty());
  EXPECT_EQ(Receive("q", T(10)).size(), 1u);
}

TEST_F(SqsModelTest, QueueDelaySecondsAppliesWhenTheMessageGivesNone) {
  QueueConfig c;
  c.delay_seconds = 4;
  MakeQueue("q", c);
  Send("q", "a", T(0));
  Send("q", "b", T(0), 0);
  std::vector<ReceivedMessage> got = Receive("q", T(0));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "b");
  EXPECT_EQ(Model().NextVisibleTime("q", T(0)), T(4));
}

TEST_F(SqsModelTest, BatchOutOfRangeIsInvalidParameterValueAndChangesNothing) {
  MakeQueue("q");
  Send("q", "a", T(0));
  EXPECT_EQ(ErrorOf(Model().ReceiveMessage("q", 11, std::nullopt, T(0)).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(ErrorOf(Model().ReceiveMessage("q", 0, std::nullopt, T(0)).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(ErrorOf(Model().ReceiveMessage("q", 1, 43201, T(0)).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(ErrorOf(Model().ReceiveMessage("q", 1, -1, T(0)).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(Counts("q", T(0)).visible, 1);
  std::vector<ReceivedMessage> got = Receive("q", T(0), 10);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].receive_count, 1);
}

TEST_F(SqsModelTest, ReceiveBeyondTheInFlightLimitIsOverLimit) {
  SqsSettings s;
  s.max_in_flight = 2;
  SqsModel m(account_, metrics_, sim::Rng(1), s);
  ASSERT_TRUE(m.CreateQueue("q", {}, T(0)).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(m.SendMessage("q", "x", {}, std::nullopt, T(0)).ok());
  EXPECT_EQ(m.ReceiveMessage("q", 10, std::nullopt, T(0))->messages.size(), 2u);
  EXPECT_EQ(ErrorOf(m.ReceiveMessage("q", 10, std::nullopt, T(0)).status()), &errors::kOverLimit);
}

// --- delete ---------------------------------------------------------------------

TEST_F(SqsModelTest, DeleteWithTheLatestHandleDeletes) {
  MakeQueue("q");
  Send("q", "a", T(0));
  const std::string h = Receive("q", T(0))[0].receipt_handle;
  EXPECT_TRUE(Model().DeleteMessage("q", h, T(1)).ok());
  EXPECT_EQ(Counts("q", T(1)).total(), 0);
  EXPECT_TRUE(Receive("q", T(100)).empty());
  EXPECT_EQ(Model().Stats("q")->deleted, 1);
}

TEST_F(SqsModelTest, DeleteAfterTheVisibilityTimeoutWithTheLatestHandleStillDeletes) {
  MakeQueue("q");
  Send("q", "a", T(0));
  const std::string h = Receive("q", T(0))[0].receipt_handle;
  EXPECT_EQ(Counts("q", T(40)).visible, 1);
  EXPECT_TRUE(Model().DeleteMessage("q", h, T(40)).ok());
  EXPECT_EQ(Counts("q", T(40)).total(), 0);
}

TEST_F(SqsModelTest, StaleReceiptHandleDeleteSucceedsWithoutDeleting) {
  MakeQueue("q");
  Send("q", "a", T(0));
  const std::string old_handle = Receive("q", T(0))[0].receipt_handle;
  const std::string new_handle = Receive("q", T(30))[0].receipt_handle;
  EXPECT_TRUE(Model().DeleteMessage("q", old_handle, T(31)).ok());
  EXPECT_EQ(Counts("q", T(31)).in_flight, 1);
  EXPECT_EQ(Model().Stats("q")->stale_deletes, 1);
  EXPECT_TRUE(Model().DeleteMessage("q", new_handle, T(31)).ok());
  EXPECT_EQ(Counts("q", T(31)).total(), 0);
  // Deleting again (the message is gone) also succeeds, and deletes nothing.
  EXPECT_TRUE(Model().DeleteMessage("q", new_handle, T(32)).ok());
  EXPECT_EQ(Model().Stats("q")->deleted, 1);
  EXPECT_EQ(Model().Stats("q")->stale_deletes, 2);
}

TEST_F(SqsModelTest, MalformedOrForeignReceiptHandleIsReceiptHandleIsInvalid) {
  MakeQueue("q");
  MakeQueue("other");
  Send("other", "a", T(0));
  const std::string foreign = Receive("other", T(0))[0].receipt_handle;
  EXPECT_EQ(ErrorOf(Model().DeleteMessage("q", "garbage", T(0))), &errors::kReceiptHandleIsInvalid);
  EXPECT_EQ(ErrorOf(Model().DeleteMessage("q", "", T(0))), &errors::kReceiptHandleIsInvalid);
  EXPECT_EQ(ErrorOf(Model().DeleteMessage("q", foreign, T(0))), &errors::kReceiptHandleIsInvalid);
  EXPECT_EQ(ErrorOf(Model().ChangeMessageVisibility("q", foreign, 5, T(0))), &errors::kReceiptHandleIsInvalid);
  EXPECT_EQ(Counts("other", T(0)).in_flight, 1);
}

// --- change visibility -------------------------------------------------------------

TEST_F(SqsModelTest, ChangeMessageVisibilityZeroMakesTheMessageVisibleNow) {
  MakeQueue("q");
  Send("q", "a", T(0));
  const std::string h = Receive("q", T(0))[0].receipt_handle;
  ASSERT_TRUE(Model().ChangeMessageVisibility("q", h, 0, T(5)).ok());
  EXPECT_EQ(Counts("q", T(5)).visible, 1);
  std::vector<ReceivedMessage> again = Receive("q", T(5));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);
}

TEST_F(SqsModelTest, ChangeMessageVisibilityCountsFromTheCallTime) {
  MakeQueue("q");
  Send("q", "a", T(0));
  const std::string h = Receive("q", T(0))[0].receipt_handle;
  ASSERT_TRUE(Model().ChangeMessageVisibility("q", h, 15, T(20)).ok());
  EXPECT_EQ(Model().NextVisibleTime("q", T(20)), T(35));
  EXPECT_TRUE(Receive("q", T(34)).empty());  // the original deadline (30) no longer applies
  EXPECT_EQ(Receive("q", T(35)).size(), 1u);
}

TEST_F(SqsModelTest, ChangeMessageVisibilityCannotExtendBeyond12HoursAfterTheReceive) {
  MakeQueue("q");
  Send("q", "a", T(0));
  const std::string h = Receive("q", T(10))[0].receipt_handle;
  EXPECT_EQ(ErrorOf(Model().ChangeMessageVisibility("q", h, 43200, T(20))), &errors::kInvalidParameterValue);
  EXPECT_EQ(Model().NextVisibleTime("q", T(20)), T(40));                    // unchanged
  EXPECT_TRUE(Model().ChangeMessageVisibility("q", h, 43190, T(20)).ok());  // exactly 12 h after the receive
  EXPECT_EQ(Model().NextVisibleTime("q", T(20)), T(43210));
  EXPECT_EQ(ErrorOf(Model().ChangeMessageVisibility("q", h, 43201, T(20))), &errors::kInvalidParameterValue);
}

TEST_F(SqsModelTest, ChangeMessageVisibilityOnAVisibleMessageIsMessageNotInflight) {
  MakeQueue("q");
  Send("q", "a", T(0));
  const std::string h = Receive("q", T(0))[0].receipt_handle;
  EXPECT_EQ(ErrorOf(Model().ChangeMessageVisibility("q", h, 10, T(30))), &errors::kMessageNotInflight);
}

TEST_F(SqsModelTest, ChangeMessageVisibilityWithAStaleHandleIsInvalidParameterValue) {
  MakeQueue("q");
  Send("q", "a", T(0));
  const std::string old_handle = Receive("q", T(0))[0].receipt_handle;
  ASSERT_EQ(Receive("q", T(30)).size(), 1u);
  EXPECT_EQ(ErrorOf(Model().ChangeMessageVisibility("q", old_handle, 10, T(31))), &errors::kInvalidParameterValue);
  EXPECT_EQ(Model().NextVisibleTime("q", T(31)), T(60));
}

// --- redrive ----------------------------------------------------------------------

class SqsRedriveTest : public SqsModelTest {
 protected:
  void SetUp() override {
    QueueConfig dlq;
    dlq.message_retention_period = 3600;
    MakeQueue("dlq", dlq);
    QueueConfig src;
    src.visibility_timeout = 10;
    src.redrive_policy = RedrivePolicy{"arn:aws:sqs:us-east-1:000000000000:dlq", 3};
    MakeQueue("src", src);
  }
};

TEST_F(SqsRedriveTest, MessageMovesToDlqOnTheReceiveAfterMaxReceiveCount) {
  Send("src", "a", T(0));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Receive("src", T(10 * i)).size(), 1u) << i;
  sim::StatusOr<ReceiveResult> fourth = Model().ReceiveMessage("src", 10, std::nullopt, T(30));
  ASSERT_TRUE(fourth.ok());
  EXPECT_TRUE(fourth->messages.empty());
  EXPECT_EQ(fourth->moved_to_dlq, 1);
  EXPECT_EQ(fourth->dead_letter_queue, "dlq");
  EXPECT_EQ(Counts("src", T(30)).total(), 0);
  EXPECT_EQ(Counts("dlq", T(30)).visible, 1);
  EXPECT_EQ(metrics_.GetCounter("sqs.src.moved_to_dlq").value(), 1);
  EXPECT_EQ(Model().Stats("src")->moved_to_dlq, 1);
  EXPECT_EQ(Model().Stats("dlq")->moved_in, 1);
  std::vector<ReceivedMessage> dead = Receive("dlq", T(31));
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].body, "a");
  EXPECT_EQ(dead[0].sent_at, T(0));
  EXPECT_EQ(dead[0].receive_count, 1);
}

TEST_F(SqsRedriveTest, MovedMessagesAreSkippedAndTheBatchFilledWithOthers) {
  Send("src", "a", T(0));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Receive("src", T(10 * i)).size(), 1u);
  Send("src", "b", T(25));
  std::vector<ReceivedMessage> got = Receive("src", T(30));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "b");
  EXPECT_EQ(Counts("dlq", T(30)).visible, 1);
}

TEST_F(SqsRedriveTest, DlqKeepsTheOriginalEnqueueTimeForRetention) {
  std::vector<std::pair<std::string, sim::Time>> expired;
  Model().AddExpiryObserver(
      [&](const std::string& q, const StoredMessage&, sim::Time at) { expired.emplace_back(q, at); });
  Send("src", "a", T(0));
  for (int i = 0; i < 4; ++i) Receive("src", T(10 * i));     // moved at 30
  EXPECT_EQ(Model().NextExpiryTime("dlq", T(30)), T(3600));  // sent + DLQ retention, not 30 + 3600
  EXPECT_EQ(Counts("dlq", T(3599)).visible, 1);
  Model().Advance(T(4000));
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].first, "dlq");
  EXPECT_EQ(expired[0].second, T(3600));
  EXPECT_EQ(Counts("dlq", T(4000)).total(), 0);
}

TEST_F(SqsRedriveTest, DlqAgeOfOldestMessageCountsFromTheMove) {
  Send("src", "a", T(0));
  for (int i = 0; i < 4; ++i) Receive("src", T(10 * i));
  EXPECT_EQ(Counts("dlq", T(100)).oldest_enqueued_at, T(30));
}

// --- retention ----------------------------------------------------------------------

TEST_F(SqsModelTest, RetentionExpiryIsObservedWithItsExactExpiryTime) {
  QueueConfig c;
  c.message_retention_period = 60;
  MakeQueue("q", c);
  std::vector<std::tuple<std::string, std::string, sim::Time>> seen;
  Model().AddExpiryObserver(
      [&](const std::string& q, const StoredMessage& m, sim::Time at) { seen.emplace_back(q, m.body, at); });
  Send("q", "a", T(5));
  Send("q", "b", T(7));
  Model().Advance(T(65) - sim::Nanoseconds(1));
  EXPECT_TRUE(seen.empty());
  Model().Advance(T(1000));  // noticed late, reported at the exact times
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_tuple(std::string("q"), std::string("a"), T(65)));
  EXPECT_EQ(seen[1], std::make_tuple(std::string("q"), std::string("b"), T(67)));
  EXPECT_EQ(Model().Stats("q")->expired, 2);
  EXPECT_EQ(metrics_.GetCounter("sqs.q.expired").value(), 2);
}

TEST_F(SqsModelTest, RetentionExpiresInFlightMessagesToo) {
  QueueConfig c;
  c.message_retention_period = 60;
  c.visibility_timeout = 600;
  MakeQueue("q", c);
  Send("q", "a", T(0));
  const std::string h = Receive("q", T(1))[0].receipt_handle;
  EXPECT_EQ(Counts("q", T(59)).in_flight, 1);
  EXPECT_EQ(Counts("q", T(60)).total(), 0);
  EXPECT_TRUE(Model().DeleteMessage("q", h, T(61)).ok());  // gone: succeeds, deletes nothing
  EXPECT_EQ(Model().Stats("q")->deleted, 0);
}

TEST_F(SqsModelTest, ExpiryIsAppliedOnAccessWithoutAdvance) {
  QueueConfig c;
  c.message_retention_period = 60;
  MakeQueue("q", c);
  Send("q", "a", T(0));
  EXPECT_TRUE(Receive("q", T(60)).empty());
  EXPECT_EQ(Model().Stats("q")->expired, 1);
}

// --- introspection ------------------------------------------------------------------

TEST_F(SqsModelTest, CountsSplitVisibleInFlightAndDelayed) {
  MakeQueue("q");
  Send("q", "a", T(0));
  Send("q", "b", T(1));
  Send("q", "c", T(2), 100);
  ASSERT_EQ(Receive("q", T(3), 1).size(), 1u);
  QueueCounts c = Counts("q", T(3));
  EXPECT_EQ(c.visible, 1);
  EXPECT_EQ(c.in_flight, 1);
  EXPECT_EQ(c.delayed, 1);
  EXPECT_EQ(c.oldest_enqueued_at, T(0));
}

TEST_F(SqsModelTest, ForEachMessageVisitsInArrivalOrderWithStates) {
  MakeQueue("q");
  Send("q", "a", T(0));
  Send("q", "b", T(1), 50);
  Send("q", "c", T(2));
  ASSERT_EQ(Receive("q", T(3), 1).size(), 1u);  // a
  std::vector<std::pair<std::string, MessageState>> seen;
  ASSERT_TRUE(
      Model()
          .ForEachMessage("q", T(3), [&](const StoredMessage& m, MessageState s) { seen.emplace_back(m.body, s); })
          .ok());
  const std::vector<std::pair<std::string, MessageState>> want = {
      {"a", MessageState::kInFlight}, {"b", MessageState::kDelayed}, {"c", MessageState::kVisible}};
  EXPECT_EQ(seen, want);
}

TEST_F(SqsModelTest, StatsConserveMessages) {
  QueueConfig dlq;
  dlq.message_retention_period = 60;
  MakeQueue("dlq", dlq);
  QueueConfig c;
  c.visibility_timeout = 5;
  c.redrive_policy = RedrivePolicy{"arn:aws:sqs:us-east-1:000000000000:dlq", 2};
  MakeQueue("q", c);
  for (int t = 0; t < 300; ++t) {
    Send("q", "m" + std::to_string(t), T(t));
    std::vector<ReceivedMessage> got = Receive("q", T(t), 3);
    for (std::size_t i = 0; i < got.size(); ++i) {
      if ((t + i) % 3 == 0) {
        ASSERT_TRUE(Model().DeleteMessage("q", got[i].receipt_handle, T(t)).ok());
      }
    }
  }
  for (const std::string& q : {std::string("q"), std::string("dlq")}) {
    const int64_t stored = Counts(q, T(300)).total();  // first: it applies what is due
    const QueueStats s = *Model().Stats(q);
    EXPECT_EQ(s.sent + s.moved_in, s.deleted + s.expired + s.moved_to_dlq + s.purged + stored) << q;
  }
  EXPECT_GT(Model().Stats("q")->moved_to_dlq, 0);
  EXPECT_GT(Model().Stats("q")->deleted, 0);
  EXPECT_GT(Model().Stats("dlq")->expired, 0);
}

TEST_F(SqsModelTest, ManyCyclesCompactTheIndexesAndKeepCountsExact) {
  MakeQueue("q");
  for (int i = 0; i < 10000; ++i) {
    const sim::Time t = Tns(int64_t{i} * 1000);
    Send("q", "m", t);
    std::vector<ReceivedMessage> got = Receive("q", t, 1);
    ASSERT_EQ(got.size(), 1u);
    ASSERT_TRUE(Model().DeleteMessage("q", got[0].receipt_handle, t).ok());
  }
  const sim::Time end = Tns(10000 * 1000);
  EXPECT_EQ(Counts("q", end).total(), 0);
  EXPECT_EQ(Model().NextVisibleTime("q", end), std::nullopt);
  EXPECT_EQ(Model().NextExpiryTime("q", end), std::nullopt);
  EXPECT_EQ(Model().Stats("q")->deleted, 10000);
}

TEST_F(SqsModelTest, PurgeRemovesEveryMessageOncePerMinute) {
  MakeQueue("q");
  Send("q", "a", T(0));
  Send("q", "b", T(0), 10);
  Receive("q", T(0));
  ASSERT_TRUE(Model().PurgeQueue("q", T(1)).ok());
  EXPECT_EQ(Counts("q", T(1)).total(), 0);
  EXPECT_EQ(Model().Stats("q")->purged, 2);
  EXPECT_EQ(ErrorOf(Model().PurgeQueue("q", T(60))), &errors::kPurgeQueueInProgress);
  EXPECT_TRUE(Model().PurgeQueue("q", T(61)).ok());
}

TEST_F(SqsModelTest, TimeGoingBackwardsIsAnInvariantViolation) {
  MakeQueue("q", {}, T(10));
  EXPECT_THROW(Model().SendMessage("q", "a", {}, std::nullopt, T(9)).IgnoreError(), sim::InvariantViolation);
}

// --- queue admin ----------------------------------------------------------------

constexpr const char* kArnPrefix = "arn:aws:sqs:us-east-1:000000000000:";
std::string ArnOf(const std::string& name) { return kArnPrefix + name; }

TEST_F(SqsModelTest, SetQueueAttributesValidatesAsCreateQueueAndChangesNothingOnError) {
  MakeQueue("q");
  QueueConfig bad;
  bad.visibility_timeout = 43'201;
  EXPECT_EQ(ErrorOf(Model().SetQueueAttributes("q", bad, T(5))), &errors::kInvalidAttributeValue);
  QueueConfig no_dlq;
  no_dlq.redrive_policy = RedrivePolicy{ArnOf("missing"), 3};
  EXPECT_EQ(ErrorOf(Model().SetQueueAttributes("q", no_dlq, T(5))), &errors::kInvalidAttributeValue);
  EXPECT_EQ(ErrorOf(Model().SetQueueAttributes("nope", QueueConfig{}, T(5))), &errors::kQueueDoesNotExist);
  sim::StatusOr<QueueInfo> info = Model().GetQueueInfo("q");
  EXPECT_EQ(info->config, QueueConfig{});
  EXPECT_EQ(info->last_modified_at, T(0));
}

TEST_F(SqsModelTest, SetQueueAttributesAppliesAtOnceAndSetsLastModified) {
  MakeQueue("q");
  Send("q", "a", T(0));
  QueueConfig c;
  c.visibility_timeout = 5;
  ASSERT_TRUE(Model().SetQueueAttributes("q", c, T(10)).ok());
  EXPECT_EQ(Model().GetQueueInfo("q")->last_modified_at, T(10));
  EXPECT_EQ(Model().GetQueueInfo("q")->created_at, T(0));
  ASSERT_EQ(Receive("q", T(10)).size(), 1u);
  EXPECT_EQ(Model().NextVisibleTime("q", T(10)), T(15));  // the new timeout, at once
}

TEST_F(SqsModelTest, SetQueueAttributesShorterRetentionExpiresExistingMessages) {
  std::vector<sim::Time> expired;
  Model().AddExpiryObserver([&](const std::string&, const StoredMessage&, sim::Time at) { expired.push_back(at); });
  MakeQueue("q");
  Send("q", "old", T(0));
  Send("q", "new", T(100));
  QueueConfig c;
  c.message_retention_period = 60;
  ASSERT_TRUE(Model().SetQueueAttributes("q", c, T(120)).ok());
  EXPECT_EQ(expired, (std::vector<sim::Time>{T(60)}));
  EXPECT_EQ(Counts("q", T(120)).visible, 1);
  EXPECT_EQ(Model().NextExpiryTime("q", T(120)), T(160));
}

TEST_F(SqsModelTest, DeleteQueueCountsStoredMessagesAsDeletedWithQueue) {
  std::vector<std::pair<std::string, std::string>> lost;
  Model().AddQueueDeletedObserver([&](const std::string& queue, const StoredMessage& m, sim::Time at) {
    EXPECT_EQ(at, T(7));
    lost.emplace_back(queue, m.body);
  });
  MakeQueue("q");
  Send("q", "a", T(0));
  Send("q", "b", T(1));
  Send("q", "c", T(2), 60);                     // delayed
  ASSERT_EQ(Receive("q", T(3), 1).size(), 1u);  // in flight
  const QueueStats before = *Model().Stats("q");
  EXPECT_EQ(before.sent + before.moved_in, before.removed() + Counts("q", T(3)).total());
  ASSERT_TRUE(Model().DeleteQueue("q", T(7)).ok());
  EXPECT_EQ(lost, (std::vector<std::pair<std::string, std::string>>{{"q", "a"}, {"q", "b"}, {"q", "c"}}));
  EXPECT_EQ(Model().total_deleted_with_queue(), 3);
  EXPECT_EQ(metrics_.GetCounter("sqs.q.deleted_with_queue").value(), 3);
  EXPECT_FALSE(Model().HasQueue("q"));
  EXPECT_EQ(ErrorOf(Model().DeleteQueue("q", T(8))), &errors::kQueueDoesNotExist);
}

TEST_F(SqsModelTest, CreatingADeletedQueueNameWithin60SecondsIsQueueDeletedRecently) {
  MakeQueue("q");
  ASSERT_TRUE(Model().DeleteQueue("q", T(10)).ok());
  EXPECT_EQ(ErrorOf(Model().CreateQueue("q", {}, T(69)).status()), &errors::kQueueDeletedRecently);
  EXPECT_FALSE(Model().HasQueue("q"));
  ASSERT_TRUE(Model().CreateQueue("q", {}, T(70)).ok());
  EXPECT_EQ(Model().Stats("q")->sent, 0);
}

TEST_F(SqsModelTest, TagQueueEnforcesLimitsAndUntagQueueRemoves) {
  MakeQueue("q");
  ASSERT_TRUE(Model().TagQueue("q", {{"team", "logs"}, {"env", ""}}, T(1)).ok());
  EXPECT_EQ(*Model().ListQueueTags("q"), (std::map<std::string, std::string>{{"env", ""}, {"team", "logs"}}));
  std::map<std::string, std::string> many;
  for (int i = 0; i < 49; ++i) many["k" + std::to_string(i)] = "v";
  EXPECT_EQ(ErrorOf(Model().TagQueue("q", many, T(2))), &errors::kInvalidParameterValue);  // 51 in all
  EXPECT_EQ(ErrorOf(Model().TagQueue("q", {{std::string(129, 'k'), "v"}}, T(2))), &errors::kInvalidParameterValue);
  EXPECT_EQ(ErrorOf(Model().TagQueue("q", {{"k", std::string(257, 'v')}}, T(2))), &errors::kInvalidParameterValue);
  EXPECT_EQ(ErrorOf(Model().TagQueue("q", {{"aws:x", "v"}}, T(2))), &errors::kInvalidParameterValue);
  EXPECT_EQ(Model().ListQueueTags("q")->size(), 2u);
  many.erase("k48");
  ASSERT_TRUE(Model().TagQueue("q", many, T(3)).ok());  // exactly 50
  EXPECT_EQ(Model().ListQueueTags("q")->size(), 50u);
  ASSERT_TRUE(Model().UntagQueue("q", {"team", "absent"}, T(4)).ok());
  EXPECT_EQ(Model().ListQueueTags("q")->count("team"), 0u);
  EXPECT_EQ(Model().ListQueueTags("q")->size(), 49u);
}

TEST_F(SqsModelTest, ListDeadLetterSourceQueuesNamesTheQueuesRedrivingToIt) {
  MakeQueue("dlq");
  MakeQueue("other");
  QueueConfig src;
  src.redrive_policy = RedrivePolicy{ArnOf("dlq"), 2};
  MakeQueue("b-src", src);
  MakeQueue("a-src", src);
  EXPECT_EQ(*Model().ListDeadLetterSourceQueues("dlq"), (std::vector<std::string>{"a-src", "b-src"}));
  EXPECT_TRUE(Model().ListDeadLetterSourceQueues("other")->empty());
}

TEST_F(SqsModelTest, AgeOfOldestMessageSkipsMessagesReceivedThreeTimesOrMore) {
  MakeQueue("q");
  Send("q", "a", T(0));
  ASSERT_EQ(Receive("q", T(10), 1, 30).size(), 1u);
  ASSERT_EQ(Receive("q", T(50), 1, 30).size(), 1u);
  EXPECT_EQ(Counts("q", T(60)).oldest_enqueued_at, T(0));  // received twice: still the oldest
  ASSERT_EQ(Receive("q", T(90), 1, 30).size(), 1u);
  // Received 3 times and alone in the queue: it is still what the age measures.
  EXPECT_EQ(Counts("q", T(95)).oldest_enqueued_at, T(0));
  Send("q", "b", T(100));
  EXPECT_EQ(Counts("q", T(100)).oldest_enqueued_at, T(100));  // "a" moved to the back for the metric
}

// --- redrive allow policy, chains, move tasks -------------------------------------

TEST_F(SqsModelTest, RedriveAllowPolicyDenyAllRejectsEverySource) {
  QueueConfig dlq;
  dlq.redrive_allow_policy = RedriveAllowPolicy{RedriveAllowPolicy::Permission::kDenyAll, {}};
  MakeQueue("dlq", dlq);
  QueueConfig src;
  src.redrive_policy = RedrivePolicy{ArnOf("dlq"), 2};
  EXPECT_EQ(ErrorOf(Model().CreateQueue("src", src, T(1)).status()), &errors::kInvalidParameterValue);
  EXPECT_FALSE(Model().HasQueue("src"));
}

TEST_F(SqsModelTest, RedriveAllowPolicyByQueueAllowsOnlyTheListedSources) {
  QueueConfig dlq;
  dlq.redrive_allow_policy = RedriveAllowPolicy{RedriveAllowPolicy::Permission::kByQueue, {ArnOf("good")}};
  MakeQueue("dlq", dlq);
  QueueConfig src;
  src.redrive_policy = RedrivePolicy{ArnOf("dlq"), 2};
  EXPECT_TRUE(Model().CreateQueue("good", src, T(1)).ok());
  EXPECT_EQ(ErrorOf(Model().CreateQueue("bad", src, T(1)).status()), &errors::kInvalidParameterValue);
  MakeQueue("plain", {}, T(1));
  EXPECT_EQ(ErrorOf(Model().SetQueueAttributes("plain", src, T(2))), &errors::kInvalidParameterValue);
  EXPECT_FALSE(Model().GetQueueInfo("plain")->config.redrive_policy.has_value());
}

TEST_F(SqsModelTest, RedriveAllowPolicyByQueueNeedsOneToTenSourceArns) {
  QueueConfig c;
  c.redrive_allow_policy = RedriveAllowPolicy{RedriveAllowPolicy::Permission::kByQueue, {}};
  EXPECT_EQ(ErrorOf(Model().CreateQueue("d", c, T(0)).status()), &errors::kInvalidAttributeValue);
  for (int i = 0; i < 11; ++i) c.redrive_allow_policy->source_queue_arns.push_back(ArnOf("s" + std::to_string(i)));
  EXPECT_EQ(ErrorOf(Model().CreateQueue("d", c, T(0)).status()), &errors::kInvalidAttributeValue);
  c.redrive_allow_policy->source_queue_arns.pop_back();
  EXPECT_TRUE(Model().CreateQueue("d", c, T(0)).ok());
  QueueConfig all;
  all.redrive_allow_policy = RedriveAllowPolicy{RedriveAllowPolicy::Permission::kAllowAll, {ArnOf("x")}};
  EXPECT_EQ(ErrorOf(Model().CreateQueue("e", all, T(0)).status()), &errors::kInvalidAttributeValue);
}

TEST_F(SqsModelTest, ChainedDlqsMoveQ1ToQ2ToQ3KeepingTheOriginalEnqueueTime) {
  std::vector<std::pair<std::string, sim::Time>> expired;
  Model().AddExpiryObserver(
      [&](const std::string& queue, const StoredMessage&, sim::Time at) { expired.emplace_back(queue, at); });
  QueueConfig q3;
  q3.message_retention_period = 1000;
  MakeQueue("q3", q3);
  QueueConfig q2;
  q2.visibility_timeout = 10;
  q2.redrive_policy = RedrivePolicy{ArnOf("q3"), 1};
  MakeQueue("q2", q2);
  QueueConfig q1;
  q1.visibility_timeout = 10;
  q1.redrive_policy = RedrivePolicy{ArnOf("q2"), 2};
  MakeQueue("q1", q1);
  Send("q1", "m", T(0));
  ASSERT_EQ(Receive("q1", T(0)).size(), 1u);
  ASSERT_EQ(Receive("q1", T(10)).size(), 1u);
  EXPECT_TRUE(Receive("q1", T(20)).empty());  // moved to q2
  std::vector<ReceivedMessage> in_q2 = Receive("q2", T(20));
  ASSERT_EQ(in_q2.size(), 1u);
  EXPECT_EQ(in_q2[0].dead_letter_source_arn, ArnOf("q1"));
  EXPECT_TRUE(Receive("q2", T(30)).empty());  // moved to q3
  std::vector<ReceivedMessage> in_q3 = Receive("q3", T(30), 10, 0);
  ASSERT_EQ(in_q3.size(), 1u);
  EXPECT_EQ(in_q3[0].body, "m");
  EXPECT_EQ(in_q3[0].sent_at, T(0));
  EXPECT_EQ(in_q3[0].dead_letter_source_arn, ArnOf("q2"));
  EXPECT_EQ(Model().Stats("q1")->moved_to_dlq, 1);
  EXPECT_EQ(Model().Stats("q2")->moved_in, 1);
  EXPECT_EQ(Model().Stats("q2")->moved_to_dlq, 1);
  EXPECT_EQ(Model().Stats("q3")->moved_in, 1);
  // Q3's retention (1000 s) counts from the send to Q1 at 0, not the move at 30.
  EXPECT_EQ(Model().NextExpiryTime("q3", T(31)), T(1000));
  Model().Advance(T(1000));
  EXPECT_EQ(expired, (std::vector<std::pair<std::string, sim::Time>>{{"q3", T(1000)}}));
}

TEST_F(SqsModelTest, DeletedDlqStopsRedriveAndTheMessageIsReturned) {
  MakeQueue("dlq");
  QueueConfig src;
  src.redrive_policy = RedrivePolicy{ArnOf("dlq"), 1};
  src.visibility_timeout = 10;
  MakeQueue("src", src);
  Send("src", "a", T(0));
  ASSERT_EQ(Receive("src", T(0)).size(), 1u);
  ASSERT_TRUE(Model().DeleteQueue("dlq", T(5)).ok());
  std::vector<ReceivedMessage> again = Receive("src", T(10));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].receive_count, 2);
}

class SqsMoveTaskTest : public SqsModelTest {
 protected:
  // src1, src2 -> dlq (maxReceiveCount 1); `n1` and `n2` messages redriven.
  void SetUpDlq(int n1, int n2) {
    MakeQueue("dlq");
    QueueConfig src;
    src.visibility_timeout = 10;
    src.redrive_policy = RedrivePolicy{ArnOf("dlq"), 1};
    MakeQueue("src1", src);
    MakeQueue("src2", src);
    for (int i = 0; i < n1; ++i) Send("src1", "one" + std::to_string(i), T(0));
    for (int i = 0; i < n2; ++i) Send("src2", "two" + std::to_string(i), T(0));
    while (!Receive("src1", T(0)).empty()) {
    }
    while (!Receive("src2", T(0)).empty()) {
    }
    EXPECT_TRUE(Receive("src1", T(10)).empty());
    EXPECT_TRUE(Receive("src2", T(10)).empty());
    EXPECT_EQ(Counts("dlq", T(10)).visible, n1 + n2);
  }
};

TEST_F(SqsMoveTaskTest, MoveTaskMovesMessagesBackToTheirSourceQueuesAtTheRate) {
  SetUpDlq(3, 2);
  sim::StatusOr<std::string> h = Model().StartMessageMoveTask(ArnOf("dlq"), "", 2, T(10));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_TRUE(Model().MoveTaskStep(*h, T(11)));
  EXPECT_EQ(Counts("dlq", T(11)).visible, 3);
  EXPECT_TRUE(Model().MoveTaskStep(*h, T(12)));
  EXPECT_FALSE(Model().MoveTaskStep(*h, T(13)));  // the last one: COMPLETED
  EXPECT_EQ(Counts("dlq", T(13)).total(), 0);
  EXPECT_EQ(Counts("src1", T(13)).visible, 3);
  EXPECT_EQ(Counts("src2", T(13)).visible, 2);
  EXPECT_EQ(Model().Stats("dlq")->moved_out, 5);
  EXPECT_EQ(Model().Stats("src1")->moved_in, 3);
  std::vector<ReceivedMessage> back = Receive("src1", T(13));
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0].body, "one0");
  EXPECT_EQ(back[0].receive_count, 1);
  EXPECT_EQ(back[0].sent_at, T(0));
  EXPECT_EQ(back[0].dead_letter_source_arn, "");
  sim::StatusOr<std::vector<MessageMoveTask>> tasks = Model().ListMessageMoveTasks(ArnOf("dlq"), 10, T(13));
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].status, MoveTaskStatus::kCompleted);
  EXPECT_EQ((*tasks)[0].moved, 5);
  EXPECT_EQ((*tasks)[0].to_move, 5);
}

TEST_F(SqsMoveTaskTest, MoveTaskToADestinationMovesEveryMessageThere) {
  SetUpDlq(1, 1);
  MakeQueue("elsewhere", {}, T(10));
  sim::StatusOr<std::string> h = Model().StartMessageMoveTask(ArnOf("dlq"), ArnOf("elsewhere"), std::nullopt, T(10));
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(Model().MoveTaskStep(*h, T(11)));
  EXPECT_EQ(Counts("elsewhere", T(11)).visible, 2);
  EXPECT_EQ(Model().ListMessageMoveTasks(ArnOf("dlq"), 1, T(11))->at(0).max_messages_per_second, kDefaultMoveTaskRate);
}

TEST_F(SqsMoveTaskTest, MoveTaskBadRequestsReturnTheAwsErrorAndStartNothing) {
  SetUpDlq(2, 0);
  const auto name = [](const sim::Status& s) { return std::string(AwsErrorOf(s)->name); };
  EXPECT_EQ(name(Model().StartMessageMoveTask(ArnOf("nope"), "", std::nullopt, T(10)).status()),
            "ResourceNotFoundException");
  EXPECT_EQ(ErrorOf(Model().StartMessageMoveTask(ArnOf("src1"), "", std::nullopt, T(10)).status()),
            &errors::kInvalidParameterValue);  // not a DLQ
  EXPECT_EQ(ErrorOf(Model().StartMessageMoveTask(ArnOf("dlq"), "", 0, T(10)).status()),
            &errors::kInvalidParameterValue);
  EXPECT_EQ(ErrorOf(Model().StartMessageMoveTask(ArnOf("dlq"), "", 501, T(10)).status()),
            &errors::kInvalidParameterValue);
  EXPECT_EQ(name(Model().StartMessageMoveTask(ArnOf("dlq"), ArnOf("nope"), std::nullopt, T(10)).status()),
            "ResourceNotFoundException");
  EXPECT_TRUE(Model().ListMessageMoveTasks(ArnOf("dlq"), 10, T(10))->empty());
  sim::StatusOr<std::string> h = Model().StartMessageMoveTask(ArnOf("dlq"), "", 1, T(10));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(ErrorOf(Model().StartMessageMoveTask(ArnOf("dlq"), "", 1, T(10)).status()),
            &errors::kUnsupportedOperation);  // one running task per source
  EXPECT_EQ(Model().ListMessageMoveTasks(ArnOf("dlq"), 10, T(10))->size(), 1u);
}

TEST_F(SqsMoveTaskTest, CancelMessageMoveTaskStopsItAtTheNextStep) {
  SetUpDlq(3, 0);
  sim::StatusOr<std::string> h = Model().StartMessageMoveTask(ArnOf("dlq"), "", 1, T(10));
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(Model().MoveTaskStep(*h, T(11)));
  EXPECT_EQ(*Model().CancelMessageMoveTask(*h, T(11)), 1);
  EXPECT_EQ(Model().ListMessageMoveTasks(ArnOf("dlq"), 1, T(11))->at(0).status, MoveTaskStatus::kCancelling);
  EXPECT_FALSE(Model().MoveTaskStep(*h, T(12)));
  EXPECT_EQ(Model().ListMessageMoveTasks(ArnOf("dlq"), 1, T(12))->at(0).status, MoveTaskStatus::kCancelled);
  EXPECT_EQ(Counts("dlq", T(12)).visible, 2);
  EXPECT_EQ(std::string(AwsErrorOf(Model().CancelMessageMoveTask(*h, T(12)).status())->name),
            "ResourceNotFoundException");
  EXPECT_TRUE(Model().StartMessageMoveTask(ArnOf("dlq"), "", 1, T(12)).ok());  // a new one may start
}

TEST_F(SqsMoveTaskTest, MoveTaskFailsWhenTheSourceQueueIsGone) {
  SetUpDlq(1, 0);
  sim::StatusOr<std::string> h = Model().StartMessageMoveTask(ArnOf("dlq"), "", 1, T(10));
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(Model().DeleteQueue("src1", T(10)).ok());
  EXPECT_FALSE(Model().MoveTaskStep(*h, T(11)));
  const MessageMoveTask t = Model().ListMessageMoveTasks(ArnOf("dlq"), 1, T(11))->at(0);
  EXPECT_EQ(t.status, MoveTaskStatus::kFailed);
  EXPECT_EQ(t.failure_reason, "A message's original source queue does not exist.");
  EXPECT_EQ(Counts("dlq", T(11)).visible, 1);
}

// --- distributed-system effects --------------------------------------------------

class SqsEffectsTest : public SqsModelTest {
 protected:
  SqsModel& With(SqsSettings s) {
    model_ = std::make_unique<SqsModel>(account_, metrics_, sim::Rng(42), s);
    model_->SetEffectRngs(SqsModel::EffectRngs{sim::Rng(7), sim::Rng(8), sim::Rng(9)});
    return *model_;
  }
};

TEST_F(SqsEffectsTest, DuplicatesAreDeliveredAtTheConfiguredRate) {
  SqsSettings s;
  s.duplicate_probability = 0.1;
  With(s);
  MakeQueue("q");
  constexpr int kMessages = 10'000;
  for (int i = 0; i < kMessages; ++i) Send("q", "m" + std::to_string(i), T(0));
  // Consumers receive, then delete with the handle they got; a duplicate
  // copy armed by a receive is received again before that delete.
  int64_t deliveries = 0;
  for (int round = 0; round < 3; ++round) {
    std::vector<ReceivedMessage> batch;
    while (true) {
      std::vector<ReceivedMessage> got = Receive("q", T(1), 10, 300);
      if (got.empty()) break;
      deliveries += static_cast<int64_t>(got.size());
      for (ReceivedMessage& m : got) batch.push_back(std::move(m));
    }
    for (const ReceivedMessage& m : batch) ASSERT_TRUE(Model().DeleteMessage("q", m.receipt_handle, T(1)).ok());
  }
  const QueueStats st = *Model().Stats("q");
  EXPECT_EQ(st.duplicates_delivered, 1121);  // fixed seed; E = 10000 * (0.1 + 0.01 + ...) = 1111
  EXPECT_EQ(deliveries, kMessages + st.duplicates_delivered);
  EXPECT_EQ(st.deleted, kMessages);  // each stored message deleted once: conservation is exact
  EXPECT_EQ(st.stale_deletes, st.duplicates_delivered);
  EXPECT_EQ(Counts("q", T(1)).total(), 0);
}

TEST_F(SqsEffectsTest, ReorderingPicksAmongTheFirstKVisibleMessages) {
  SqsSettings s;
  s.reorder_window = 4;
  With(s);
  MakeQueue("q");
  constexpr int kMessages = 1'000;
  for (int i = 0; i < kMessages; ++i) Send("q", std::to_string(i), T(0));
  int out_of_order = 0;
  int max_jump = 0;
  int delivered = 0;
  int last = -1;
  std::vector<bool> seen(kMessages, false);
  while (true) {
    std::vector<ReceivedMessage> got = Receive("q", T(1), 10);
    if (got.empty()) break;
    for (const ReceivedMessage& m : got) {
      const int v = std::stoi(m.body);
      EXPECT_FALSE(seen[v]);
      seen[v] = true;
      if (v < last) ++out_of_order;
      max_jump = std::max(max_jump, v - delivered);
      last = v;
      ++delivered;
    }
  }
  EXPECT_EQ(delivered, kMessages);
  EXPECT_EQ(max_jump, 3);        // never beyond the window of 4
  EXPECT_EQ(out_of_order, 370);  // fixed seed
}

TEST_F(SqsEffectsTest, ShortPollSamplingReturnsFewerMessagesFromASmallQueue) {
  SqsSettings s;
  s.short_poll_sampling = true;
  s.short_poll_sample_fraction = 0.3;
  s.short_poll_full_depth = 1000;
  With(s);
  MakeQueue("q");
  for (int i = 0; i < 20; ++i) Send("q", std::to_string(i), T(0));
  int total = 0;
  std::vector<std::size_t> sizes;
  for (int i = 0; i < 5; ++i) {
    sim::StatusOr<ReceiveResult> r = Model().ReceiveMessage("q", 10, std::nullopt, T(1), /*short_poll=*/true);
    ASSERT_TRUE(r.ok());
    sizes.push_back(r->messages.size());
    total += static_cast<int>(r->messages.size());
  }
  // Each message seen with probability 0.3 (depth < 1000); fixed seed.
  EXPECT_EQ(sizes, (std::vector<std::size_t>{6, 7, 3, 2, 0}));
  EXPECT_EQ(total, 18);
  EXPECT_EQ(Counts("q", T(1)).visible, 2);
  // A long poll (short_poll false) queries every server: it gets both.
  EXPECT_EQ(Model().ReceiveMessage("q", 10, std::nullopt, T(1), false)->messages.size(), 2u);
}

TEST_F(SqsEffectsTest, ShortPollSamplingSeesEveryMessageAtTheFullDepth) {
  SqsSettings s;
  s.short_poll_sampling = true;
  s.short_poll_full_depth = 100;
  With(s);
  MakeQueue("q");
  for (int i = 0; i < 100; ++i) Send("q", std::to_string(i), T(0));
  std::vector<ReceivedMessage> got = Model().ReceiveMessage("q", 10, std::nullopt, T(1), true)->messages;
  ASSERT_EQ(got.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(got[i].body, std::to_string(i));
}

TEST_F(SqsEffectsTest, ApproximateCountersLagByTheConfiguredPeriod) {
  SqsSettings s;
  s.approximate_counters_lag = sim::Seconds(60);
  With(s);
  MakeQueue("q");
  EXPECT_EQ(Model().ApproximateCounts("q", T(0))->visible, 0);
  Send("q", "a", T(1));
  Send("q", "b", T(2));
  EXPECT_EQ(Model().ApproximateCounts("q", T(59))->visible, 0);  // snapshot from 0
  EXPECT_EQ(Counts("q", T(59)).visible, 2);                      // exact
  EXPECT_EQ(Model().ApproximateCounts("q", T(60))->visible, 2);  // refreshed
  ASSERT_EQ(Receive("q", T(61), 1, 300).size(), 1u);
  EXPECT_EQ(Model().ApproximateCounts("q", T(119))->in_flight, 0);
  EXPECT_EQ(Model().ApproximateCounts("q", T(120))->in_flight, 1);
}

TEST_F(SqsEffectsTest, SameSeedGivesTheSameEffectDraws) {
  SqsSettings s;
  s.reorder_window = 5;
  s.duplicate_probability = 0.2;
  std::vector<std::string> runs[2];
  for (auto& run : runs) {
    With(s);
    MakeQueue("q");
    for (int i = 0; i < 50; ++i) Send("q", std::to_string(i), T(0));
    for (int k = 0; k < 8; ++k) {
      for (const ReceivedMessage& m : Receive("q", T(1), 10)) run.push_back(m.body);
    }
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0].size(), 65u);  // 50 messages + 15 duplicate deliveries (fixed seed)
}

}  // namespace
}  // namespace emu::sqs
