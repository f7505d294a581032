// FIFO queues wired into SqsModel / SqsApi (the building blocks themselves
// are tested in sqs_fifo_test.cc).

#include <gtest/gtest.h>

#include "emulators/common/hashing.h"
#include "emulators/sqs/sqs_api.h"
#include "emulators/sqs/sqs_errors.h"
#include "emulators/sqs/sqs_model.h"

namespace emu::sqs {
namespace {

sim::Time T(int64_t seconds) { return sim::Time::Zero() + sim::Seconds(seconds); }
constexpr const char* kArnPrefix = "arn:aws:sqs:us-east-1:000000000000:";
std::string ArnOf(const std::string& name) { return kArnPrefix + name; }

QueueConfig FifoQueueConfig(fifo::FifoConfig fifo_config = {}) {
  QueueConfig c;
  c.fifo = fifo_config;
  return c;
}

std::vector<std::string> Bodies(const std::vector<ReceivedMessage>& messages) {
  std::vector<std::string> out;
  for (const ReceivedMessage& m : messages) out.push_back(m.body);
  return out;
}

class SqsFifoQueueTest : public ::testing::Test {
 protected:
  void MakeQueue(const std::string& name, QueueConfig config = FifoQueueConfig(), sim::Time now = T(0)) {
    sim::StatusOr<std::string> url = model_.CreateQueue(name, config, now);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
  }
  sim::StatusOr<SendResult> TrySend(const std::string& queue, const std::string& body, sim::Time now,
                                    std::optional<std::string> group, std::optional<std::string> dedup) {
    return model_.SendMessage(queue, body, {}, std::nullopt, now, FifoSendFields{std::move(group), std::move(dedup)});
  }
  // Sends with the body as deduplication id.
  SendResult Send(const std::string& queue, const std::string& body, const std::string& group, sim::Time now) {
    sim::StatusOr<SendResult> r = TrySend(queue, body, now, group, body);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SendResult{};
  }
  std::vector<ReceivedMessage> Receive(const std::string& queue, sim::Time now, int max = 10,
                                       std::optional<int> visibility = std::nullopt) {
    sim::StatusOr<ReceiveResult> r = model_.ReceiveMessage(queue, max, visibility, now);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->messages : std::vector<ReceivedMessage>{};
  }
  void Delete(const std::string& queue, const ReceivedMessage& m, sim::Time now) {
    ASSERT_TRUE(model_.DeleteMessage(queue, m.receipt_handle, now).ok());
  }
  QueueStats Stats(const std::string& queue) {
    sim::StatusOr<QueueStats> s = model_.Stats(queue);
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : QueueStats{};
  }
  QueueCounts Counts(const std::string& queue, sim::Time now) {
    sim::StatusOr<QueueCounts> c = model_.Counts(queue, now);
    EXPECT_TRUE(c.ok());
    return c.ok() ? *c : QueueCounts{};
  }

  Account account_;
  sim::MetricsRegistry metrics_;
  SqsModel model_{account_, metrics_, sim::Rng(42)};
};

// --- queues -------------------------------------------------------------------

TEST_F(SqsFifoQueueTest, FifoQueueNeedsFifoNameAndStandardQueueRejectsIt) {
  EXPECT_EQ(AwsErrorOf(model_.CreateQueue("orders", FifoQueueConfig(), T(0)).status()),
            &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(model_.CreateQueue("orders.fifo", QueueConfig{}, T(0)).status()),
            &errors::kInvalidParameterValue);
  EXPECT_TRUE(model_.ListQueues().empty());
  MakeQueue("orders.fifo");
  EXPECT_TRUE(model_.IsFifoQueue("orders.fifo"));
  EXPECT_EQ(model_.ListQueues(), std::vector<std::string>{"orders.fifo"});
}

TEST_F(SqsFifoQueueTest, RedrivePolicyDeadLetterQueueTypeMustMatchTheSource) {
  MakeQueue("dlq.fifo");
  MakeQueue("std-dlq", QueueConfig{});
  QueueConfig fifo_to_standard = FifoQueueConfig();
  fifo_to_standard.redrive_policy = RedrivePolicy{ArnOf("std-dlq"), 3};
  sim::StatusOr<std::string> a = model_.CreateQueue("src.fifo", fifo_to_standard, T(0));
  EXPECT_EQ(AwsErrorOf(a.status()), &errors::kInvalidParameterValue);
  EXPECT_NE(a.status().message().find("Dead-letter queue must be same type of queue as the source"),
            std::string_view::npos);
  QueueConfig standard_to_fifo;
  standard_to_fifo.redrive_policy = RedrivePolicy{ArnOf("dlq.fifo"), 3};
  EXPECT_EQ(AwsErrorOf(model_.CreateQueue("src", standard_to_fifo, T(0)).status()), &errors::kInvalidParameterValue);
  // SetQueueAttributes on an existing FIFO queue: rejected, config unchanged.
  MakeQueue("other.fifo");
  EXPECT_EQ(AwsErrorOf(model_.SetQueueAttributes("other.fifo", fifo_to_standard, T(0))),
            &errors::kInvalidParameterValue);
  EXPECT_EQ(model_.FindConfig("other.fifo")->redrive_policy, std::nullopt);
  EXPECT_EQ(model_.ListQueues(), (std::vector<std::string>{"dlq.fifo", "other.fifo", "std-dlq"}));
}

TEST_F(SqsFifoQueueTest, SetQueueAttributesCannotChangeTheQueueType) {
  MakeQueue("q.fifo");
  EXPECT_EQ(AwsErrorOf(model_.SetQueueAttributes("q.fifo", QueueConfig{}, T(0))), &errors::kInvalidAttributeName);
  EXPECT_TRUE(model_.FindConfig("q.fifo")->fifo.has_value());
}

// --- sends ----------------------------------------------------------------------

TEST_F(SqsFifoQueueTest, SequenceNumbersIncreaseAcrossGroups) {
  MakeQueue("q.fifo");
  const SendResult a = Send("q.fifo", "a", "g1", T(0));
  const SendResult b = Send("q.fifo", "b", "g2", T(0));
  ASSERT_EQ(a.sequence_number.size(), 20u);
  ASSERT_EQ(b.sequence_number.size(), 20u);
  EXPECT_LT(a.sequence_number, b.sequence_number);
  EXPECT_FALSE(a.deduplicated);
}

TEST_F(SqsFifoQueueTest, DuplicateWithinFiveMinutesReturnsSameIdsAndStoresNothing) {
  MakeQueue("q.fifo");
  const SendResult first = Send("q.fifo", "body", "g", T(0));
  sim::StatusOr<SendResult> again = TrySend("q.fifo", "other body", T(299), "g", "body");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(again->message_id, first.message_id);
  EXPECT_EQ(again->sequence_number, first.sequence_number);
  EXPECT_EQ(again->md5_of_message_body, Md5Hex("other body"));
  EXPECT_EQ(Counts("q.fifo", T(299)).visible, 1);
  const QueueStats s = Stats("q.fifo");
  EXPECT_EQ(s.sent, 1);
  EXPECT_EQ(s.deduplicated, 1);
  EXPECT_EQ(Bodies(Receive("q.fifo", T(299))), std::vector<std::string>{"body"});
}

TEST_F(SqsFifoQueueTest, DuplicateAfterFiveMinutesIsStored) {
  MakeQueue("q.fifo");
  const SendResult first = Send("q.fifo", "body", "g", T(0));
  const SendResult second = Send("q.fifo", "body", "g", T(300));
  EXPECT_FALSE(second.deduplicated);
  EXPECT_NE(second.message_id, first.message_id);
  EXPECT_GT(second.sequence_number, first.sequence_number);
  EXPECT_EQ(Counts("q.fifo", T(300)).visible, 2);
  EXPECT_EQ(Stats("q.fifo").sent, 2);
}

TEST_F(SqsFifoQueueTest, DeduplicationIsKeptAfterDeleteAndPurge) {
  MakeQueue("q.fifo");
  const SendResult a = Send("q.fifo", "a", "g", T(0));
  std::vector<ReceivedMessage> got = Receive("q.fifo", T(1));
  ASSERT_EQ(got.size(), 1u);
  Delete("q.fifo", got[0], T(2));
  const SendResult b = Send("q.fifo", "b", "g", T(3));
  ASSERT_TRUE(model_.PurgeQueue("q.fifo", T(4)).ok());
  EXPECT_EQ(Counts("q.fifo", T(4)).total(), 0);
  sim::StatusOr<SendResult> a2 = TrySend("q.fifo", "a", T(5), "g", "a");
  sim::StatusOr<SendResult> b2 = TrySend("q.fifo", "b", T(5), "g", "b");
  ASSERT_TRUE(a2.ok() && b2.ok());
  EXPECT_EQ(a2->message_id, a.message_id);
  EXPECT_EQ(b2->message_id, b.message_id);
  EXPECT_EQ(Counts("q.fifo", T(5)).total(), 0);
  EXPECT_EQ(Stats("q.fifo").deduplicated, 2);
}

TEST_F(SqsFifoQueueTest, ContentBasedDeduplicationHashesTheBody) {
  MakeQueue("q.fifo", FifoQueueConfig(fifo::FifoConfig{.content_based_deduplication = true}));
  sim::StatusOr<SendResult> a = TrySend("q.fifo", "same", T(0), "g1", std::nullopt);
  sim::StatusOr<SendResult> dup = TrySend("q.fifo", "same", T(1), "g2", std::nullopt);  // scope queue: any group
  sim::StatusOr<SendResult> other = TrySend("q.fifo", "different", T(1), "g1", std::nullopt);
  ASSERT_TRUE(a.ok() && dup.ok() && other.ok());
  EXPECT_TRUE(dup->deduplicated);
  EXPECT_EQ(dup->message_id, a->message_id);
  EXPECT_FALSE(other->deduplicated);
  std::vector<ReceivedMessage> got = Receive("q.fifo", T(2));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].message_deduplication_id, Sha256Hex("same"));
  EXPECT_EQ(got[0].message_group_id, "g1");
  EXPECT_EQ(got[0].sequence_number, a->sequence_number);
}

TEST_F(SqsFifoQueueTest, MessageGroupScopeDeduplicatesOnlyWithinAGroup) {
  MakeQueue("q.fifo",
            FifoQueueConfig(fifo::FifoConfig{.deduplication_scope = fifo::DeduplicationScope::kMessageGroup}));
  const SendResult a = Send("q.fifo", "x", "g1", T(0));
  const SendResult other_group = Send("q.fifo", "x", "g2", T(0));
  sim::StatusOr<SendResult> same_group = TrySend("q.fifo", "x", T(1), "g1", "x");
  EXPECT_FALSE(other_group.deduplicated);
  ASSERT_TRUE(same_group.ok());
  EXPECT_TRUE(same_group->deduplicated);
  EXPECT_EQ(same_group->message_id, a.message_id);
  EXPECT_EQ(Counts("q.fifo", T(1)).visible, 2);
}

TEST_F(SqsFifoQueueTest, PerMessageDelayIsRejectedAndNothingIsStored) {
  MakeQueue("q.fifo");
  sim::StatusOr<SendResult> r =
      model_.SendMessage("q.fifo", "b", {}, 0, T(0), FifoSendFields{std::string("g"), std::string("d")});
  EXPECT_EQ(AwsErrorOf(r.status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(Counts("q.fifo", T(0)).total(), 0);
  // Not recorded for deduplication either: the same id is accepted afterwards.
  EXPECT_FALSE(Send("q.fifo", "d", "g", T(0)).deduplicated);
  EXPECT_EQ(Stats("q.fifo").sent, 1);
}

TEST_F(SqsFifoQueueTest, BadFifoSendsReturnTheAwsErrorAndChangeNothing) {
  MakeQueue("q.fifo");
  MakeQueue("std", QueueConfig{});
  EXPECT_EQ(AwsErrorOf(TrySend("q.fifo", "b", T(0), std::nullopt, "d").status()), &errors::kMissingParameter);
  EXPECT_EQ(AwsErrorOf(TrySend("q.fifo", "b", T(0), "g", std::nullopt).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(TrySend("q.fifo", "b", T(0), "bad group", "d").status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(TrySend("q.fifo", "", T(0), "g", "d").status()), &errors::kMissingParameter);
  EXPECT_EQ(AwsErrorOf(TrySend("std", "b", T(0), std::nullopt, "d").status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(Counts("q.fifo", T(0)).total(), 0);
  EXPECT_EQ(Counts("std", T(0)).total(), 0);
  EXPECT_EQ(Stats("q.fifo").sent, 0);
  EXPECT_EQ(Stats("q.fifo").deduplicated, 0);
}

TEST_F(SqsFifoQueueTest, QueueDelayIsHonouredInArrivalOrder) {
  QueueConfig c = FifoQueueConfig();
  c.delay_seconds = 10;
  MakeQueue("q.fifo", c);
  Send("q.fifo", "a1", "a", T(0));
  Send("q.fifo", "a2", "a", T(1));
  EXPECT_TRUE(Receive("q.fifo", T(9)).empty());
  EXPECT_EQ(Counts("q.fifo", T(9)).delayed, 2);
  std::vector<ReceivedMessage> first = Receive("q.fifo", T(10));
  EXPECT_EQ(Bodies(first), std::vector<std::string>{"a1"});
  EXPECT_TRUE(Receive("q.fifo", T(11)).empty());  // a2 is visible but its group is locked
  Delete("q.fifo", first[0], T(11));
  EXPECT_EQ(Bodies(Receive("q.fifo", T(11))), std::vector<std::string>{"a2"});
}

// --- receives -------------------------------------------------------------------

TEST_F(SqsFifoQueueTest, MessagesOfAGroupAreReceivedInOrderAcrossReceives) {
  MakeQueue("q.fifo");
  for (const char* body : {"a1", "a2", "a3"}) Send("q.fifo", body, "a", T(0));
  for (const char* expected : {"a1", "a2", "a3"}) {
    std::vector<ReceivedMessage> got = Receive("q.fifo", T(1), 1);
    ASSERT_EQ(Bodies(got), std::vector<std::string>{expected});
    Delete("q.fifo", got[0], T(1));
  }
  EXPECT_TRUE(Receive("q.fifo", T(1)).empty());
}

TEST_F(SqsFifoQueueTest, SecondConsumerGetsOnlyOtherGroupsWhileABatchIsInFlight) {
  MakeQueue("q.fifo");
  Send("q.fifo", "a1", "a", T(0));
  Send("q.fifo", "a2", "a", T(0));
  Send("q.fifo", "b1", "b", T(0));
  Send("q.fifo", "a3", "a", T(0));
  EXPECT_EQ(Bodies(Receive("q.fifo", T(1), 1)), std::vector<std::string>{"a1"});
  EXPECT_EQ(Bodies(Receive("q.fifo", T(1), 10)), std::vector<std::string>{"b1"});
  EXPECT_TRUE(Receive("q.fifo", T(1), 10).empty());
  EXPECT_EQ(model_.ReceivableNow("q.fifo", T(1)), 0);
  const QueueCounts c = Counts("q.fifo", T(1));
  EXPECT_EQ(c.visible, 2);
  EXPECT_EQ(c.in_flight, 2);
}

TEST_F(SqsFifoQueueTest, BatchTakesAsManyOfOneGroupAsPossibleThenOtherGroups) {
  MakeQueue("q.fifo");
  Send("q.fifo", "a1", "a", T(0));
  Send("q.fifo", "b1", "b", T(0));
  Send("q.fifo", "a2", "a", T(0));
  Send("q.fifo", "b2", "b", T(0));
  EXPECT_EQ(Bodies(Receive("q.fifo", T(1), 3)), (std::vector<std::string>{"a1", "a2", "b1"}));
}

TEST_F(SqsFifoQueueTest, FailedMessageBlocksItsGroupUntilVisibleAgainThenComesFirst) {
  MakeQueue("q.fifo");  // visibility 30 s
  Send("q.fifo", "a1", "a", T(0));
  Send("q.fifo", "a2", "a", T(0));
  EXPECT_EQ(Bodies(Receive("q.fifo", T(0), 1)), std::vector<std::string>{"a1"});
  EXPECT_TRUE(Receive("q.fifo", T(29)).empty());
  std::vector<ReceivedMessage> again = Receive("q.fifo", T(30));
  ASSERT_EQ(Bodies(again), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(again[0].receive_count, 2);
  EXPECT_EQ(again[1].receive_count, 1);
}

TEST_F(SqsFifoQueueTest, ChangeMessageVisibilityZeroReturnsTheMessageToTheHeadOfItsGroup) {
  MakeQueue("q.fifo");
  Send("q.fifo", "a1", "a", T(0));
  Send("q.fifo", "a2", "a", T(0));
  std::vector<ReceivedMessage> got = Receive("q.fifo", T(0), 1);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(model_.ChangeMessageVisibility("q.fifo", got[0].receipt_handle, 0, T(5)).ok());
  EXPECT_EQ(Bodies(Receive("q.fifo", T(5), 1)), std::vector<std::string>{"a1"});
}

TEST_F(SqsFifoQueueTest, FifoDeadLetterQueueAfterMaxReceiveCountUnblocksTheGroup) {
  QueueConfig dlq_config = FifoQueueConfig();
  dlq_config.message_retention_period = 600;
  MakeQueue("dlq.fifo", dlq_config);
  QueueConfig src = FifoQueueConfig();
  src.redrive_policy = RedrivePolicy{ArnOf("dlq.fifo"), 1};
  MakeQueue("src.fifo", src);
  const SendResult a1 = Send("src.fifo", "a1", "a", T(0));
  Send("src.fifo", "a2", "a", T(0));
  EXPECT_EQ(Bodies(Receive("src.fifo", T(0), 1)), std::vector<std::string>{"a1"});
  sim::StatusOr<ReceiveResult> r = model_.ReceiveMessage("src.fifo", 10, std::nullopt, T(100));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->moved_to_dlq, 1);
  EXPECT_EQ(r->dead_letter_queue, "dlq.fifo");
  EXPECT_EQ(Bodies(r->messages), std::vector<std::string>{"a2"});
  std::vector<ReceivedMessage> dead = Receive("dlq.fifo", T(100));
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].message_id, a1.message_id);
  EXPECT_EQ(dead[0].message_group_id, "a");
  EXPECT_EQ(dead[0].message_deduplication_id, "a1");
  EXPECT_EQ(dead[0].sequence_number, a1.sequence_number);
  EXPECT_EQ(dead[0].sent_at, T(0));
  EXPECT_EQ(dead[0].dead_letter_source_arn, ArnOf("src.fifo"));
  // FIFO: the DLQ's retention counts from the move (100 + 600), not the send.
  EXPECT_EQ(model_.NextExpiryTime("dlq.fifo", T(100)), T(700));
  EXPECT_EQ(Stats("src.fifo").moved_to_dlq, 1);
}

TEST_F(SqsFifoQueueTest, MoveTaskReturnsFifoDeadLettersToTheirGroupsInOrder) {
  MakeQueue("dlq.fifo");
  MakeQueue("std", QueueConfig{});
  QueueConfig src = FifoQueueConfig();
  src.redrive_policy = RedrivePolicy{ArnOf("dlq.fifo"), 1};
  MakeQueue("src.fifo", src);
  Send("src.fifo", "a1", "a", T(0));
  Send("src.fifo", "a2", "a", T(0));
  ASSERT_EQ(Receive("src.fifo", T(0), 10, 5).size(), 2u);
  sim::StatusOr<ReceiveResult> r = model_.ReceiveMessage("src.fifo", 10, std::nullopt, T(5));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->moved_to_dlq, 2);
  EXPECT_EQ(AwsErrorOf(model_.StartMessageMoveTask(ArnOf("dlq.fifo"), ArnOf("std"), std::nullopt, T(6)).status()),
            &errors::kInvalidParameterValue);
  sim::StatusOr<std::string> task = model_.StartMessageMoveTask(ArnOf("dlq.fifo"), "", std::nullopt, T(6));
  ASSERT_TRUE(task.ok());
  EXPECT_FALSE(model_.MoveTaskStep(*task, T(7)));
  EXPECT_EQ(Counts("dlq.fifo", T(7)).total(), 0);
  std::vector<ReceivedMessage> back = Receive("src.fifo", T(7));
  EXPECT_EQ(Bodies(back), (std::vector<std::string>{"a1", "a2"}));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].message_group_id, "a");
}

TEST_F(SqsFifoQueueTest, RetentionExpiryRemovesTheMessageFromItsGroup) {
  QueueConfig c = FifoQueueConfig();
  c.message_retention_period = 60;
  MakeQueue("q.fifo", c);
  Send("q.fifo", "a1", "a", T(0));
  ASSERT_EQ(Receive("q.fifo", T(0), 1, 300).size(), 1u);  // in flight past its expiry
  Send("q.fifo", "a2", "a", T(30));
  EXPECT_TRUE(Receive("q.fifo", T(59)).empty());
  EXPECT_EQ(Bodies(Receive("q.fifo", T(60))), std::vector<std::string>{"a2"});
  EXPECT_EQ(Stats("q.fifo").expired, 1);
}

TEST_F(SqsFifoQueueTest, PurgeUnlocksEveryGroup) {
  MakeQueue("q.fifo");
  Send("q.fifo", "a1", "a", T(0));
  Send("q.fifo", "a2", "a", T(0));
  ASSERT_EQ(Receive("q.fifo", T(0), 1).size(), 1u);
  ASSERT_TRUE(model_.PurgeQueue("q.fifo", T(1)).ok());
  Send("q.fifo", "a3", "a", T(2));
  EXPECT_EQ(Bodies(Receive("q.fifo", T(2))), std::vector<std::string>{"a3"});
  EXPECT_EQ(Stats("q.fifo").purged, 2);
}

TEST_F(SqsFifoQueueTest, DeleteQueueLosesItsMessagesAndTheNameIsReusable) {
  MakeQueue("q.fifo");
  Send("q.fifo", "a1", "a", T(0));
  ASSERT_TRUE(model_.DeleteQueue("q.fifo", T(1)).ok());
  EXPECT_EQ(model_.total_deleted_with_queue(), 1);
  MakeQueue("q.fifo", FifoQueueConfig(), T(61));
  // A new queue: a new deduplication window.
  EXPECT_FALSE(Send("q.fifo", "a1", "a", T(61)).deduplicated);
}

TEST_F(SqsFifoQueueTest, EffectsDoNotApplyToFifoQueues) {
  SqsSettings settings;
  settings.duplicate_probability = 1.0;
  settings.reorder_window = 10;
  settings.short_poll_sampling = true;
  SqsModel model(account_, metrics_, sim::Rng(7), settings);
  ASSERT_TRUE(model.CreateQueue("q.fifo", FifoQueueConfig(), T(0)).ok());
  for (const char* body : {"a1", "a2", "a3", "a4"}) {
    ASSERT_TRUE(model.SendMessage("q.fifo", body, {}, std::nullopt, T(0), FifoSendFields{"a", body}).ok());
  }
  sim::StatusOr<ReceiveResult> r = model.ReceiveMessage("q.fifo", 10, std::nullopt, T(0), /*short_poll=*/true);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Bodies(r->messages), (std::vector<std::string>{"a1", "a2", "a3", "a4"}));
  EXPECT_EQ(model.NextVisibleTime("q.fifo", T(0)), T(30));  // no early duplicate redelivery
}

// --- facade ---------------------------------------------------------------------

template <class T>
sim::Task<void> Capture(sim::Task<T> task, std::optional<T>* out) {
  T value = co_await std::move(task);
  *out = std::move(value);
}

class SqsFifoApiTest : public ::testing::Test {
 protected:
  template <class T>
  T RunNow(sim::Task<T> task) {
    std::optional<T> out;
    sched_.Spawn(Capture(std::move(task), &out));
    sched_.Run();
    EXPECT_TRUE(out.has_value());
    return out.has_value() ? std::move(*out) : T(sim::InternalError("did not finish"));
  }
  std::string MakeQueue(const std::string& name, std::map<std::string, std::string> attributes) {
    sim::StatusOr<CreateQueueResponse> r = RunNow(api_.CreateQueue({name, std::move(attributes)}));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->queue_url : "";
  }
  std::string MakeFifoQueue(const std::string& name = "q.fifo", std::map<std::string, std::string> attributes = {}) {
    attributes["FifoQueue"] = "true";
    return MakeQueue(name, std::move(attributes));
  }
  sim::StatusOr<SendMessageResponse> Send(const std::string& url, std::string body, std::string group,
                                          std::string dedup) {
    SendMessageRequest r{url, std::move(body), std::nullopt, {}};
    r.message_group_id = std::move(group);
    r.message_deduplication_id = std::move(dedup);
    return RunNow(api_.SendMessage(std::move(r)));
  }
  std::map<std::string, std::string> Attributes(const std::string& url) {
    sim::StatusOr<GetQueueAttributesResponse> r = RunNow(api_.GetQueueAttributes({url, {"All"}}));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->attributes : std::map<std::string, std::string>{};
  }

  sim::Scheduler sched_;
  Env env_{sched_, 1};
  SqsApi api_{env_};
};

TEST_F(SqsFifoApiTest, FifoAttributesAreCreatedSetAndReturned) {
  const std::string url = MakeFifoQueue("q.fifo", {{"ContentBasedDeduplication", "true"}});
  std::map<std::string, std::string> a = Attributes(url);
  EXPECT_EQ(a["FifoQueue"], "true");
  EXPECT_EQ(a["ContentBasedDeduplication"], "true");
  EXPECT_EQ(a["DeduplicationScope"], "queue");
  EXPECT_EQ(a["FifoThroughputLimit"], "perQueue");
  ASSERT_TRUE(RunNow(api_.SetQueueAttributes(
                         {url, {{"DeduplicationScope", "messageGroup"}, {"FifoThroughputLimit", "perMessageGroupId"}}}))
                  .ok());
  a = Attributes(url);
  EXPECT_EQ(a["DeduplicationScope"], "messageGroup");
  EXPECT_EQ(a["FifoThroughputLimit"], "perMessageGroupId");
  // A standard queue reports none of them.
  const std::map<std::string, std::string> standard = Attributes(MakeQueue("std", {}));
  EXPECT_EQ(standard.count("FifoQueue"), 0u);
  EXPECT_EQ(standard.count("DeduplicationScope"), 0u);
}

TEST_F(SqsFifoApiTest, BadFifoQueueAttributesReturnTheAwsErrorAndCreateNothing) {
  struct Case {
    std::string name;
    std::map<std::string, std::string> attributes;
    const AwsErrorType* error;
  };
  const Case cases[] = {
      {"q", {{"FifoQueue", "true"}}, &errors::kInvalidParameterValue},
      {"q.fifo", {}, &errors::kInvalidParameterValue},
      {"q", {{"ContentBasedDeduplication", "true"}}, &errors::kInvalidAttributeName},
      {"q.fifo", {{"FifoQueue", "true"}, {"DeduplicationScope", "group"}}, &errors::kInvalidAttributeValue},
      {"q.fifo",
       {{"FifoQueue", "true"}, {"FifoThroughputLimit", "perMessageGroupId"}},
       &errors::kInvalidAttributeValue},
  };
  for (const Case& k : cases) {
    sim::StatusOr<CreateQueueResponse> r = RunNow(api_.CreateQueue({k.name, k.attributes}));
    EXPECT_EQ(AwsErrorOf(r.status()), k.error) << k.name << ": " << r.status().ToString();
  }
  EXPECT_TRUE(api_.model().ListQueues().empty());
}

TEST_F(SqsFifoApiTest, SetQueueAttributesRejectsFifoQueueAndKeepsTheConfig) {
  const std::string url = MakeFifoQueue();
  EXPECT_EQ(AwsErrorOf(RunNow(api_.SetQueueAttributes({url, {{"FifoQueue", "true"}}}))),
            &errors::kInvalidAttributeName);
  EXPECT_EQ(AwsErrorOf(RunNow(api_.SetQueueAttributes({url, {{"FifoThroughputLimit", "perMessageGroupId"}}}))),
            &errors::kInvalidAttributeValue);
  EXPECT_EQ(Attributes(url)["FifoThroughputLimit"], "perQueue");
}

TEST_F(SqsFifoApiTest, RedrivePolicyWithAStandardDeadLetterQueueIsRejected) {
  MakeQueue("dlq", {});
  const std::string url = MakeFifoQueue();
  const std::string policy = R"({"deadLetterTargetArn":")" + ArnOf("dlq") + R"(","maxReceiveCount":2})";
  EXPECT_EQ(AwsErrorOf(RunNow(api_.SetQueueAttributes({url, {{"RedrivePolicy", policy}}}))),
            &errors::kInvalidParameterValue);
  EXPECT_EQ(Attributes(url).count("RedrivePolicy"), 0u);
}

TEST_F(SqsFifoApiTest, SendReturnsSequenceNumberAndReceiveReturnsTheSelectedFifoAttributes) {
  const std::string url = MakeFifoQueue();
  sim::StatusOr<SendMessageResponse> sent = Send(url, "hello", "g1", "d1");
  ASSERT_TRUE(sent.ok());
  ASSERT_EQ(sent->sequence_number.size(), 20u);
  ReceiveMessageRequest req{url, 10, std::nullopt, 0};
  req.message_system_attribute_names = std::vector<std::string>{"SequenceNumber", "MessageGroupId"};
  req.attribute_names = std::vector<std::string>{"MessageDeduplicationId"};
  sim::StatusOr<ReceiveMessageResponse> got = RunNow(api_.ReceiveMessage(std::move(req)));
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(
      got->messages[0].attributes,
      (std::map<std::string, std::string>{
          {"MessageDeduplicationId", "d1"}, {"MessageGroupId", "g1"}, {"SequenceNumber", sent->sequence_number}}));
}

TEST_F(SqsFifoApiTest, DuplicateSendReturnsTheOriginalIds) {
  const std::string url = MakeFifoQueue();
  sim::StatusOr<SendMessageResponse> a = Send(url, "hello", "g1", "d1");
  sim::StatusOr<SendMessageResponse> b = Send(url, "hello again", "g1", "d1");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(b->message_id, a->message_id);
  EXPECT_EQ(b->sequence_number, a->sequence_number);
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessages"], "1");
}

TEST_F(SqsFifoApiTest, PerMessageDelaySecondsIsRejectedOnAFifoQueue) {
  const std::string url = MakeFifoQueue();
  SendMessageRequest r{url, "b", 5, {}};
  r.message_group_id = "g";
  r.message_deduplication_id = "d";
  sim::StatusOr<SendMessageResponse> sent = RunNow(api_.SendMessage(std::move(r)));
  EXPECT_EQ(AwsErrorOf(sent.status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessages"], "0");
}

TEST_F(SqsFifoApiTest, SendMessageBatchFifoEntriesSucceedOrFailOnTheirOwn) {
  const std::string url = MakeFifoQueue();
  SendMessageBatchRequest req{url, {}};
  req.entries.push_back({"e1", "one", std::nullopt, {}, {}, "g", "d1"});
  req.entries.push_back({"e2", "two", 3, {}, {}, "g", "d2"});                        // per-message delay
  req.entries.push_back({"e3", "three", std::nullopt, {}, {}, std::nullopt, "d3"});  // no group
  req.entries.push_back({"e4", "one again", std::nullopt, {}, {}, "g", "d1"});       // duplicate of e1
  req.entries.push_back({"e5", "five", std::nullopt, {}, {}, "h", "d5"});
  sim::StatusOr<SendMessageBatchResponse> r = RunNow(api_.SendMessageBatch(std::move(req)));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->successful.size(), 3u);
  EXPECT_EQ(r->successful[0].id, "e1");
  EXPECT_EQ(r->successful[1].id, "e4");
  EXPECT_EQ(r->successful[2].id, "e5");
  EXPECT_EQ(r->successful[1].message_id, r->successful[0].message_id);
  EXPECT_EQ(r->successful[1].sequence_number, r->successful[0].sequence_number);
  EXPECT_LT(r->successful[0].sequence_number, r->successful[2].sequence_number);
  ASSERT_EQ(r->failed.size(), 2u);
  EXPECT_EQ(r->failed[0].id, "e2");
  EXPECT_EQ(r->failed[0].code, "InvalidParameterValue");
  EXPECT_EQ(r->failed[1].id, "e3");
  EXPECT_EQ(r->failed[1].code, "MissingParameter");
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessages"], "2");
}

TEST_F(SqsFifoApiTest, DeliveryFromAnSnsFifoTopicCarriesGroupAndDeduplicationIds) {
  MakeFifoQueue();
  DeliveryTarget* target = env_.account().ResolveTarget(ArnOf("q.fifo"));
  ASSERT_NE(target, nullptr);
  Delivery d{"event", "arn:aws:sns:us-east-1:000000000000:t.fifo", {}};
  d.message_group_id = "g";
  d.message_deduplication_id = "n1";
  ASSERT_TRUE(target->Deliver(d).ok());
  ASSERT_TRUE(target->Deliver(d).ok());  // SNS retry: deduplicated
  Delivery no_group{"event 2", "arn:aws:sns:us-east-1:000000000000:t.fifo", {}};
  no_group.message_deduplication_id = "n2";
  EXPECT_EQ(AwsErrorOf(target->Deliver(no_group)), &errors::kMissingParameter);
  ReceiveMessageRequest req{env_.account().QueueUrl("q.fifo"), 10, std::nullopt, 0};
  sim::StatusOr<ReceiveMessageResponse> got = RunNow(api_.ReceiveMessage(std::move(req)));
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "event");
  EXPECT_EQ(got->messages[0].attributes.at("MessageGroupId"), "g");
  EXPECT_EQ(got->messages[0].attributes.at("MessageDeduplicationId"), "n1");
  EXPECT_EQ(api_.model().Stats("q.fifo")->deduplicated, 1);
}

TEST_F(SqsFifoApiTest, StandardQueueDeliveryIgnoresFifoIds) {
  const std::string url = MakeQueue("std", {});
  Delivery d{"event", "arn:aws:sns:us-east-1:000000000000:t.fifo", {}};
  d.message_group_id = "g";
  d.message_deduplication_id = "n1";
  ASSERT_TRUE(env_.account().ResolveTarget(ArnOf("std"))->Deliver(d).ok());
  ASSERT_TRUE(env_.account().ResolveTarget(ArnOf("std"))->Deliver(d).ok());
  EXPECT_EQ(Attributes(url)["ApproximateNumberOfMessages"], "2");
}

TEST_F(SqsFifoApiTest, DeliveryAttributeTypesBecomeTypedAttributes) {
  const std::string url = MakeQueue("std", {});
  Delivery d{"event",
             "arn:aws:sns:us-east-1:000000000000:t",
             {{"count", "42"}, {"ratio", "0.5"}, {"blob", std::string("\x01\x02", 2)}, {"name", "x"}},
             {{"count", "Number"}, {"ratio", "Number.float"}, {"blob", "Binary.gif"}}};
  ASSERT_TRUE(env_.account().ResolveTarget(ArnOf("std"))->Deliver(d).ok());
  sim::StatusOr<ReceiveMessageResponse> got = RunNow(api_.ReceiveMessage({url, 10, std::nullopt, 0}));
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->messages.size(), 1u);
  const MessageAttributes expected{{"blob", MessageAttributeValue{"Binary.gif", "", std::string("\x01\x02", 2)}},
                                   {"count", MessageAttributeValue::Number("42")},
                                   {"name", MessageAttributeValue::String("x")},
                                   {"ratio", MessageAttributeValue{"Number.float", "0.5", ""}}};
  EXPECT_EQ(got->messages[0].typed_message_attributes, expected);
  EXPECT_EQ(got->messages[0].md5_of_message_attributes, Md5OfMessageAttributes(expected));
}

TEST_F(SqsFifoApiTest, LongPollOnALockedGroupReturnsWhenTheGroupUnlocks) {
  const std::string url = MakeFifoQueue();
  ASSERT_TRUE(Send(url, "a1", "g", "a1").ok());
  ASSERT_TRUE(Send(url, "a2", "g", "a2").ok());
  sim::StatusOr<ReceiveMessageResponse> first = RunNow(api_.ReceiveMessage({url, 1, std::nullopt, 0}));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->messages.size(), 1u);
  // Two long pollers wait on the locked group; deleting a1 at t=5 serves one.
  std::optional<sim::StatusOr<ReceiveMessageResponse>> p1, p2;
  sched_.Spawn(Capture(api_.ReceiveMessage({url, 10, std::nullopt, 20}), &p1));
  sched_.Spawn(Capture(api_.ReceiveMessage({url, 10, std::nullopt, 20}), &p2));
  sched_.RunUntil(T(4));
  EXPECT_FALSE(p1.has_value());
  EXPECT_FALSE(p2.has_value());
  std::optional<sim::Status> deleted;
  sched_.ScheduleAt(T(5), [&] {
    sched_.Spawn(Capture(api_.DeleteMessage({url, first->messages[0].receipt_handle}), &deleted));
  });
  sched_.RunUntil(T(6));
  ASSERT_TRUE(deleted.has_value() && deleted->ok());
  ASSERT_TRUE(p1.has_value());
  ASSERT_TRUE(p1->ok());
  ASSERT_EQ((*p1)->messages.size(), 1u);
  EXPECT_EQ((*p1)->messages[0].body, "a2");
  EXPECT_FALSE(p2.has_value());
  sched_.Run();
  ASSERT_TRUE(p2.has_value() && p2->ok());
  EXPECT_TRUE((*p2)->messages.empty());
  EXPECT_EQ(sched_.Now(), T(20));
}

TEST_F(SqsFifoApiTest, SendsToALockedGroupDoNotWakeItsLongPollers) {
  const std::string url = MakeFifoQueue();
  ASSERT_TRUE(Send(url, "a1", "g", "a1").ok());
  sim::StatusOr<ReceiveMessageResponse> first = RunNow(api_.ReceiveMessage({url, 1, 60, 0}));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->messages.size(), 1u);
  std::optional<sim::StatusOr<ReceiveMessageResponse>> p1, p2;
  sched_.Spawn(Capture(api_.ReceiveMessage({url, 10, std::nullopt, 20}), &p1));
  sched_.Spawn(Capture(api_.ReceiveMessage({url, 10, std::nullopt, 20}), &p2));
  std::optional<sim::StatusOr<SendMessageResponse>> sent;
  SendMessageRequest more{url, "a2", std::nullopt, {}};
  more.message_group_id = "g";
  more.message_deduplication_id = "a2";
  sched_.ScheduleAt(T(5), [&] { sched_.Spawn(Capture(api_.SendMessage(more), &sent)); });
  sched_.RunUntil(T(19));
  ASSERT_TRUE(sent.has_value() && sent->ok());
  EXPECT_FALSE(p1.has_value());
  EXPECT_FALSE(p2.has_value());
  EXPECT_EQ(api_.waiting_pollers(), 2u);
  sched_.Run();
  ASSERT_TRUE(p1.has_value() && p1->ok() && p2.has_value() && p2->ok());
  EXPECT_TRUE((*p1)->messages.empty());
  EXPECT_TRUE((*p2)->messages.empty());
  EXPECT_EQ(sched_.Now(), T(20));
}

}  // namespace
}  // namespace emu::sqs
