#include "emulators/sqs/sqs_fifo.h"

#include <gtest/gtest.h>

#include "emulators/common/hashing.h"
#include "emulators/sqs/sqs_errors.h"
#include "sim/check.h"

namespace emu::sqs::fifo {
namespace {

sim::Time T(int64_t seconds) { return sim::Time::Zero() + sim::Seconds(seconds); }

std::string ErrorName(const sim::Status& s) {
  const AwsErrorType* e = AwsErrorOf(s);
  return e ? std::string(e->name) : (s.ok() ? "OK" : "not an AWS error");
}

using Handles = std::vector<uint64_t>;

// The original MessageId a duplicate send would get, or "<none>".
std::string OriginalId(DeduplicationWindow& window, std::string_view group, std::string_view dedup, sim::Time now) {
  const DeduplicationRecord* d = window.FindDuplicate(group, dedup, now);
  return d ? d->message_id : "<none>";
}

// --- MessageGroupIndex: receive order -------------------------------------------

TEST(MessageGroupIndex, DeliversGroupInArrivalOrder) {
  MessageGroupIndex index;
  index.Enqueue("g", 103, 3);
  index.Enqueue("g", 101, 1);
  index.Enqueue("g", 102, 2);
  EXPECT_EQ(index.TakeForReceive(10), (Handles{101, 102, 103}));
  EXPECT_EQ(index.visible(), 0);
  EXPECT_EQ(index.in_flight(), 3);
}

TEST(MessageGroupIndex, BatchIsCappedAtMaxAndTakenInOrder) {
  MessageGroupIndex index;
  for (uint64_t s = 1; s <= 5; ++s) index.Enqueue("g", 100 + s, s);
  EXPECT_EQ(index.TakeForReceive(2), (Handles{101, 102}));
  EXPECT_EQ(index.visible(), 3);
  EXPECT_EQ(index.in_flight(), 2);
}

TEST(MessageGroupIndex, InFlightBatchBlocksItsGroup) {
  MessageGroupIndex index;
  for (uint64_t s = 1; s <= 3; ++s) index.Enqueue("g", 100 + s, s);
  EXPECT_EQ(index.TakeForReceive(2), (Handles{101, 102}));
  EXPECT_TRUE(index.IsLocked("g"));
  EXPECT_EQ(index.TakeForReceive(10), Handles{});
  // Deleting one of two in-flight messages is not enough.
  index.OnInFlightEnded("g", 101, 1, /*back_to_visible=*/false);
  EXPECT_EQ(index.TakeForReceive(10), Handles{});
  index.OnInFlightEnded("g", 102, 2, false);
  EXPECT_FALSE(index.IsLocked("g"));
  EXPECT_EQ(index.TakeForReceive(10), (Handles{103}));
}

TEST(MessageGroupIndex, NewMessageInLockedGroupWaits) {
  MessageGroupIndex index;
  index.Enqueue("g", 101, 1);
  EXPECT_EQ(index.TakeForReceive(1), (Handles{101}));
  index.Enqueue("g", 102, 2);
  EXPECT_EQ(index.TakeForReceive(10), Handles{});
  index.OnInFlightEnded("g", 101, 1, false);
  EXPECT_EQ(index.TakeForReceive(10), (Handles{102}));
}

TEST(MessageGroupIndex, TimedOutMessageBlocksGroupAndIsRedeliveredFirst) {
  MessageGroupIndex index;
  for (uint64_t s = 1; s <= 3; ++s) index.Enqueue("g", 100 + s, s);
  index.Enqueue("h", 201, 4);
  EXPECT_EQ(index.TakeForReceive(1), (Handles{101}));
  // While 101 is in flight, g is blocked: only h can be received.
  EXPECT_EQ(index.TakeForReceive(10), (Handles{201}));
  // 101's visibility timeout ends: it heads g again, before 102 and 103.
  index.OnInFlightEnded("g", 101, 1, /*back_to_visible=*/true);
  EXPECT_EQ(index.Counts("g").visible, 3);
  EXPECT_EQ(index.Counts("g").in_flight, 0);
  EXPECT_EQ(index.TakeForReceive(10), (Handles{101, 102, 103}));
}

TEST(MessageGroupIndex, TimedOutMessageWaitsForRestOfItsBatch) {
  MessageGroupIndex index;
  for (uint64_t s = 1; s <= 3; ++s) index.Enqueue("g", 100 + s, s);
  EXPECT_EQ(index.TakeForReceive(3), (Handles{101, 102, 103}));
  index.OnInFlightEnded("g", 101, 1, true);
  // 102 and 103 are still in flight: g stays locked.
  EXPECT_TRUE(index.IsLocked("g"));
  EXPECT_EQ(index.TakeForReceive(10), Handles{});
  index.OnInFlightEnded("g", 102, 2, false);
  index.OnInFlightEnded("g", 103, 3, false);
  EXPECT_EQ(index.TakeForReceive(10), (Handles{101}));
}

TEST(MessageGroupIndex, FillsBatchFromGroupWithOldestHeadThenOthers) {
  MessageGroupIndex index;
  // Arrival order interleaves groups a and b; c arrives last.
  index.Enqueue("b", 201, 2);
  index.Enqueue("a", 101, 1);
  index.Enqueue("a", 103, 3);
  index.Enqueue("b", 204, 4);
  index.Enqueue("c", 305, 5);
  // a holds the oldest message: all of a first, then b, then c.
  EXPECT_EQ(index.TakeForReceive(4), (Handles{101, 103, 201, 204}));
  EXPECT_EQ(index.TakeForReceive(4), (Handles{305}));
  EXPECT_EQ(index.unlocked_groups(), 0u);
  EXPECT_EQ(index.groups(), 3u);
}

TEST(MessageGroupIndex, EachGroupGoesToADifferentReceiver) {
  MessageGroupIndex index;
  index.Enqueue("a", 101, 1);
  index.Enqueue("b", 201, 2);
  index.Enqueue("a", 102, 3);
  index.Enqueue("b", 202, 4);
  // Three one-message receives: a's head, then b's head, then nothing (both locked).
  EXPECT_EQ(index.TakeForReceive(1), (Handles{101}));
  EXPECT_EQ(index.TakeForReceive(1), (Handles{201}));
  EXPECT_EQ(index.TakeForReceive(1), Handles{});
}

TEST(MessageGroupIndex, UnlockedGroupWithOlderHeadGoesFirst) {
  MessageGroupIndex index;
  index.Enqueue("a", 101, 1);
  index.Enqueue("b", 201, 2);
  index.Enqueue("a", 102, 3);
  EXPECT_EQ(index.TakeForReceive(1), (Handles{101}));
  index.OnInFlightEnded("a", 101, 1, true);  // a's head is sequence 1 again, older than b's 2
  EXPECT_EQ(index.TakeForReceive(3), (Handles{101, 102, 201}));
}

TEST(MessageGroupIndex, RemovedVisibleMessageIsNeverReturned) {
  MessageGroupIndex index;
  for (uint64_t s = 1; s <= 3; ++s) index.Enqueue("g", 100 + s, s);
  index.OnRemoved("g", 101, 1);  // expired at the head
  index.OnRemoved("g", 102, 2);  // purged in the middle
  EXPECT_EQ(index.visible(), 1);
  EXPECT_EQ(index.TakeForReceive(10), (Handles{103}));
}

TEST(MessageGroupIndex, RemovingInFlightMessageUnlocksGroup) {
  MessageGroupIndex index;
  index.Enqueue("g", 101, 1);
  index.Enqueue("g", 102, 2);
  EXPECT_EQ(index.TakeForReceive(1), (Handles{101}));
  index.OnRemoved("g", 101, 1);  // moved to the dead-letter queue
  EXPECT_EQ(index.in_flight(), 0);
  EXPECT_EQ(index.TakeForReceive(10), (Handles{102}));
}

TEST(MessageGroupIndex, EmptyGroupIsForgotten) {
  MessageGroupIndex index;
  index.Enqueue("g", 101, 1);
  EXPECT_EQ(index.TakeForReceive(1), (Handles{101}));
  EXPECT_EQ(index.groups(), 1u);
  index.OnInFlightEnded("g", 101, 1, false);
  EXPECT_EQ(index.groups(), 0u);
  EXPECT_EQ(index.Counts("g").visible, 0);
  EXPECT_FALSE(index.IsLocked("g"));
}

TEST(MessageGroupIndex, CountsVisibleInFlightAndGroups) {
  MessageGroupIndex index;
  index.Enqueue("a", 101, 1);
  index.Enqueue("a", 102, 2);
  index.Enqueue("b", 201, 3);
  EXPECT_EQ(index.TakeForReceive(1), (Handles{101}));
  EXPECT_EQ(index.visible(), 2);
  EXPECT_EQ(index.in_flight(), 1);
  EXPECT_EQ(index.groups(), 2u);
  EXPECT_EQ(index.unlocked_groups(), 1u);
  EXPECT_EQ(index.Counts("a").visible, 1);
  EXPECT_EQ(index.Counts("a").in_flight, 1);
  EXPECT_EQ(index.Counts("b").visible, 1);
  EXPECT_EQ(index.Counts("b").in_flight, 0);
}

TEST(MessageGroupIndex, ClearForgetsEverything) {
  MessageGroupIndex index;
  index.Enqueue("a", 101, 1);
  index.Enqueue("b", 201, 2);
  EXPECT_EQ(index.TakeForReceive(1), (Handles{101}));
  index.Clear();
  EXPECT_EQ(index.visible(), 0);
  EXPECT_EQ(index.in_flight(), 0);
  EXPECT_EQ(index.groups(), 0u);
  EXPECT_EQ(index.TakeForReceive(10), Handles{});
}

TEST(MessageGroupIndex, TakeZeroReturnsNothingAndLocksNothing) {
  MessageGroupIndex index;
  index.Enqueue("g", 101, 1);
  EXPECT_EQ(index.TakeForReceive(0), Handles{});
  EXPECT_FALSE(index.IsLocked("g"));
  EXPECT_EQ(index.TakeForReceive(1), (Handles{101}));
}

TEST(MessageGroupIndex, MisuseIsAnInvariantViolation) {
  MessageGroupIndex index;
  index.Enqueue("g", 101, 1);
  EXPECT_THROW(index.Enqueue("g", 999, 1), sim::InvariantViolation);                 // duplicate sequence
  EXPECT_THROW(index.Enqueue("h", 999, 1), sim::InvariantViolation);                 // same sequence, other group
  EXPECT_THROW(index.OnInFlightEnded("g", 101, 1, false), sim::InvariantViolation);  // not in flight
  EXPECT_THROW(index.OnRemoved("nope", 101, 1), sim::InvariantViolation);            // unknown group
}

// --- DeduplicationWindow --------------------------------------------------------

TEST(DeduplicationWindow, DuplicateWithinIntervalReturnsOriginalAndEnqueuesNothing) {
  DeduplicationWindow window;
  MessageGroupIndex index;
  // The send path as SqsModel will run it: look up, then record + enqueue only if new.
  auto send = [&](const std::string& dedup, const std::string& id, const std::string& seq, uint64_t s,
                  sim::Time now) -> std::pair<std::string, std::string> {
    if (const DeduplicationRecord* d = window.FindDuplicate("g", dedup, now))
      return {d->message_id, d->sequence_number};
    window.Record("g", dedup, id, seq, now);
    index.Enqueue("g", s, s);
    return {id, seq};
  };
  EXPECT_EQ(send("d1", "id-1", "10000000000000065536", 1, T(0)),
            (std::pair<std::string, std::string>{"id-1", "10000000000000065536"}));
  EXPECT_EQ(send("d1", "id-2", "10000000000000131072", 2, T(299)),
            (std::pair<std::string, std::string>{"id-1", "10000000000000065536"}));
  EXPECT_EQ(index.visible(), 1);
  EXPECT_EQ(window.size(), 1u);
}

TEST(DeduplicationWindow, ExpiresAtExactlyFiveMinutes) {
  DeduplicationWindow window;
  window.Record("g", "d1", "id-1", "s1", T(10));
  const sim::Time last_duplicate = T(10) + kDeduplicationInterval - sim::Nanoseconds(1);
  ASSERT_NE(window.FindDuplicate("g", "d1", last_duplicate), nullptr);
  EXPECT_EQ(window.FindDuplicate("g", "d1", last_duplicate)->first_sent_at, T(10));
  EXPECT_EQ(window.FindDuplicate("g", "d1", T(310)), nullptr);
  EXPECT_EQ(window.size(), 0u);
  // The id is free again: a new send is recorded with a new interval.
  window.Record("g", "d1", "id-2", "s2", T(310));
  ASSERT_NE(window.FindDuplicate("g", "d1", T(609)), nullptr);
  EXPECT_EQ(OriginalId(window, "g", "d1", T(609)), "id-2");
}

TEST(DeduplicationWindow, DuplicateDoesNotExtendInterval) {
  DeduplicationWindow window;
  window.Record("g", "d1", "id-1", "s1", T(0));
  ASSERT_NE(window.FindDuplicate("g", "d1", T(200)), nullptr);  // a duplicate send at 200 s
  EXPECT_EQ(window.FindDuplicate("g", "d1", T(300)), nullptr);
}

TEST(DeduplicationWindow, KeptAfterMessageIsDeleted) {
  DeduplicationWindow window;
  MessageGroupIndex index;
  window.Record("g", "d1", "id-1", "s1", T(0));
  index.Enqueue("g", 1, 1);
  EXPECT_EQ(index.TakeForReceive(1), (Handles{1}));
  index.OnInFlightEnded("g", 1, 1, /*back_to_visible=*/false);  // DeleteMessage at 5 s
  EXPECT_EQ(index.groups(), 0u);
  const DeduplicationRecord* d = window.FindDuplicate("g", "d1", T(60));
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->message_id, "id-1");
}

TEST(DeduplicationWindow, QueueScopeMatchesAcrossGroups) {
  DeduplicationWindow window(DeduplicationScope::kQueue);
  window.Record("a", "d1", "id-1", "s1", T(0));
  const DeduplicationRecord* d = window.FindDuplicate("b", "d1", T(1));
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->message_id, "id-1");
}

TEST(DeduplicationWindow, MessageGroupScopeIsPerGroup) {
  DeduplicationWindow window(DeduplicationScope::kMessageGroup);
  window.Record("a", "d1", "id-1", "s1", T(0));
  EXPECT_EQ(window.FindDuplicate("b", "d1", T(1)), nullptr);
  window.Record("b", "d1", "id-2", "s2", T(1));
  EXPECT_EQ(OriginalId(window, "a", "d1", T(2)), "id-1");
  EXPECT_EQ(OriginalId(window, "b", "d1", T(2)), "id-2");
  EXPECT_EQ(window.size(), 2u);
}

TEST(DeduplicationWindow, ContentBasedDeduplicationHashesTheBody) {
  FifoConfig config;
  config.content_based_deduplication = true;
  sim::StatusOr<std::string> a = ValidateFifoSend(config, "hello", "g", std::nullopt, std::nullopt);
  sim::StatusOr<std::string> b = ValidateFifoSend(config, "hello", "g", std::nullopt, std::nullopt);
  sim::StatusOr<std::string> c = ValidateFifoSend(config, "hello!", "g", std::nullopt, std::nullopt);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*a, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");  // SHA-256("hello")
  EXPECT_EQ(*a, Sha256Hex("hello"));
  DeduplicationWindow window;
  window.Record("g", *a, "id-1", "s1", T(0));
  EXPECT_NE(window.FindDuplicate("g", *b, T(1)), nullptr);
  EXPECT_EQ(window.FindDuplicate("g", *c, T(1)), nullptr);
}

TEST(DeduplicationWindow, ExplicitIdOverridesContentBasedDeduplication) {
  FifoConfig config;
  config.content_based_deduplication = true;
  sim::StatusOr<std::string> id = ValidateFifoSend(config, "hello", "g", "mine", std::nullopt);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "mine");
}

TEST(DeduplicationWindow, PruneDropsOnlyExpiredEntries) {
  DeduplicationWindow window;
  window.Record("g", "d1", "id-1", "s1", T(0));
  window.Record("g", "d2", "id-2", "s2", T(100));
  window.Prune(T(300));
  EXPECT_EQ(window.size(), 1u);
  EXPECT_EQ(OriginalId(window, "g", "d2", T(399)), "id-2");
  window.Prune(T(400));
  EXPECT_EQ(window.size(), 0u);
}

TEST(DeduplicationWindow, RecordingALiveIdIsAnInvariantViolation) {
  DeduplicationWindow window;
  window.Record("g", "d1", "id-1", "s1", T(0));
  EXPECT_THROW(window.Record("g", "d1", "id-2", "s2", T(1)), sim::InvariantViolation);
}

// --- SequenceNumberGenerator ------------------------------------------------------

TEST(SequenceNumberGenerator, TwentyDigitsIncreasingNonConsecutive) {
  SequenceNumberGenerator gen(7);
  EXPECT_EQ(gen.Next(), "10000000000000065543");  // (1 << 16) | 7
  EXPECT_EQ(gen.Next(), "10000000000000131079");  // (2 << 16) | 7
  std::string previous = gen.Next();
  for (int i = 0; i < 1000; ++i) {
    std::string next = gen.Next();
    EXPECT_EQ(next.size(), 20u);
    EXPECT_LT(previous, next);
    previous = next;
  }
  EXPECT_EQ(gen.issued(), 1003u);
}

TEST(SequenceNumberGenerator, SameSaltSameNumbersOtherSaltOtherNumbers) {
  SequenceNumberGenerator a(7), b(7), c(8);
  const std::string first = a.Next();
  EXPECT_EQ(b.Next(), first);
  EXPECT_EQ(c.Next(), "10000000000000065544");
}

// --- validation: queue names and attributes ---------------------------------------

TEST(FifoValidation, FifoQueueNameRules) {
  EXPECT_TRUE(IsFifoQueueName("orders.fifo"));
  EXPECT_TRUE(IsFifoQueueName("a-b_C9.fifo"));
  EXPECT_TRUE(IsFifoQueueName(std::string(75, 'q') + ".fifo"));   // 80 with the suffix
  EXPECT_FALSE(IsFifoQueueName(std::string(76, 'q') + ".fifo"));  // 81
  EXPECT_FALSE(IsFifoQueueName(".fifo"));
  EXPECT_FALSE(IsFifoQueueName("orders"));
  EXPECT_FALSE(IsFifoQueueName("orders.FIFO"));
  EXPECT_FALSE(IsFifoQueueName("ord.ers.fifo"));
  EXPECT_FALSE(IsFifoQueueName("ord ers.fifo"));
}

TEST(FifoValidation, FifoQueueTrueRequiresFifoName) {
  sim::StatusOr<std::optional<FifoConfig>> r = ValidateCreateQueueAttributes("orders", {.fifo_queue = "true"});
  EXPECT_EQ(ErrorName(r.status()), "InvalidParameterValue");
  EXPECT_EQ(r.status().message(),
            "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end "
            "with .fifo suffix and be 1 to 80 in length.");
}

TEST(FifoValidation, FifoNameRequiresFifoQueueTrue) {
  for (const FifoAttributes& a : {FifoAttributes{}, FifoAttributes{.fifo_queue = "false"}}) {
    sim::StatusOr<std::optional<FifoConfig>> r = ValidateCreateQueueAttributes("orders.fifo", a);
    EXPECT_EQ(ErrorName(r.status()), "InvalidParameterValue");
    EXPECT_EQ(r.status().message(),
              "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  }
}

TEST(FifoValidation, FifoQueueMustBeBoolean) {
  sim::StatusOr<std::optional<FifoConfig>> r = ValidateCreateQueueAttributes("orders.fifo", {.fifo_queue = "yes"});
  EXPECT_EQ(ErrorName(r.status()), "InvalidAttributeValue");
  EXPECT_EQ(r.status().message(), "Invalid value for the parameter FifoQueue.");
}

TEST(FifoValidation, FifoQueueDefaults) {
  sim::StatusOr<std::optional<FifoConfig>> r = ValidateCreateQueueAttributes("orders.fifo", {.fifo_queue = "true"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, FifoConfig{});
  EXPECT_FALSE((*r)->content_based_deduplication);
  EXPECT_EQ(DeduplicationScopeName((*r)->deduplication_scope), "queue");
  EXPECT_EQ(FifoThroughputLimitName((*r)->fifo_throughput_limit), "perQueue");
  EXPECT_FALSE((*r)->high_throughput());
}

TEST(FifoValidation, StandardQueueHasNoFifoConfig) {
  sim::StatusOr<std::optional<FifoConfig>> r = ValidateCreateQueueAttributes("orders", {.fifo_queue = "false"});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST(FifoValidation, FifoOnlyAttributesRejectedOnStandardQueue) {
  const std::pair<FifoAttributes, std::string> cases[] = {
      {{.content_based_deduplication = "true"}, "Unknown Attribute ContentBasedDeduplication."},
      {{.deduplication_scope = "queue"}, "Unknown Attribute DeduplicationScope."},
      {{.fifo_throughput_limit = "perQueue"}, "Unknown Attribute FifoThroughputLimit."},
  };
  for (const auto& [attributes, message] : cases) {
    sim::StatusOr<std::optional<FifoConfig>> r = ValidateCreateQueueAttributes("orders", attributes);
    EXPECT_EQ(ErrorName(r.status()), "InvalidAttributeName") << message;
    EXPECT_EQ(r.status().message(), message);
  }
}

TEST(FifoValidation, AttributeValuesOutsideTheirSetsAreRejected) {
  const std::pair<FifoAttributes, std::string> cases[] = {
      {{.fifo_queue = "true", .content_based_deduplication = "True"}, "ContentBasedDeduplication"},
      {{.fifo_queue = "true", .deduplication_scope = "group"}, "DeduplicationScope"},
      {{.fifo_queue = "true", .fifo_throughput_limit = "perGroup"}, "FifoThroughputLimit"},
  };
  for (const auto& [attributes, name] : cases) {
    sim::StatusOr<std::optional<FifoConfig>> r = ValidateCreateQueueAttributes("q.fifo", attributes);
    EXPECT_EQ(ErrorName(r.status()), "InvalidAttributeValue") << name;
    EXPECT_EQ(r.status().message(), "Invalid value for the parameter " + name + ".");
  }
}

TEST(FifoValidation, PerMessageGroupIdRequiresMessageGroupScope) {
  for (const FifoAttributes& a :
       {FifoAttributes{.fifo_queue = "true", .fifo_throughput_limit = "perMessageGroupId"},
        FifoAttributes{
            .fifo_queue = "true", .deduplication_scope = "queue", .fifo_throughput_limit = "perMessageGroupId"}}) {
    sim::StatusOr<std::optional<FifoConfig>> r = ValidateCreateQueueAttributes("q.fifo", a);
    EXPECT_EQ(ErrorName(r.status()), "InvalidAttributeValue");
    EXPECT_EQ(r.status().message(),
              "Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId value is allowed "
              "only when the value for DeduplicationScope is messageGroup.");
  }
}

TEST(FifoValidation, HighThroughputCombinationIsAccepted) {
  sim::StatusOr<std::optional<FifoConfig>> r =
      ValidateCreateQueueAttributes("q.fifo", {.fifo_queue = "true",
                                               .content_based_deduplication = "true",
                                               .deduplication_scope = "messageGroup",
                                               .fifo_throughput_limit = "perMessageGroupId"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE((*r)->content_based_deduplication);
  EXPECT_TRUE((*r)->high_throughput());
  // messageGroup scope with perQueue is valid too (normal throughput).
  sim::StatusOr<std::optional<FifoConfig>> s =
      ValidateCreateQueueAttributes("q.fifo", {.fifo_queue = "true", .deduplication_scope = "messageGroup"});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->deduplication_scope, DeduplicationScope::kMessageGroup);
  EXPECT_FALSE((*s)->high_throughput());
}

TEST(FifoValidation, SetQueueAttributesMergesAndRechecksTheCombination) {
  FifoConfig current;
  current.deduplication_scope = DeduplicationScope::kMessageGroup;
  sim::StatusOr<std::optional<FifoConfig>> r =
      ValidateSetQueueAttributes(current, {.fifo_throughput_limit = "perMessageGroupId"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE((*r)->high_throughput());
  // Going back to scope queue while the limit is perMessageGroupId is refused.
  sim::StatusOr<std::optional<FifoConfig>> back = ValidateSetQueueAttributes(**r, {.deduplication_scope = "queue"});
  EXPECT_EQ(ErrorName(back.status()), "InvalidAttributeValue");
}

TEST(FifoValidation, SetQueueAttributesCannotChangeFifoQueue) {
  sim::StatusOr<std::optional<FifoConfig>> r = ValidateSetQueueAttributes(FifoConfig{}, {.fifo_queue = "false"});
  EXPECT_EQ(ErrorName(r.status()), "InvalidAttributeName");
  sim::StatusOr<std::optional<FifoConfig>> s =
      ValidateSetQueueAttributes(std::nullopt, {.content_based_deduplication = "true"});
  EXPECT_EQ(ErrorName(s.status()), "InvalidAttributeName");
}

TEST(FifoValidation, DeadLetterQueueMustHaveTheSourceType) {
  EXPECT_TRUE(ValidateDeadLetterQueueType(true, true, "{}").ok());
  EXPECT_TRUE(ValidateDeadLetterQueueType(false, false, "{}").ok());
  sim::Status s = ValidateDeadLetterQueueType(true, false, "{\"maxReceiveCount\":3}");
  EXPECT_EQ(ErrorName(s), "InvalidParameterValue");
  EXPECT_EQ(s.message(),
            "Value {\"maxReceiveCount\":3} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be "
            "same type of queue as the source.");
  EXPECT_EQ(ErrorName(ValidateDeadLetterQueueType(false, true, "{}")), "InvalidParameterValue");
}

// --- validation: SendMessage ----------------------------------------------------------

TEST(FifoSendValidation, MissingMessageGroupIdIsMissingParameter) {
  for (const std::optional<std::string>& group : {std::optional<std::string>(), std::optional<std::string>("")}) {
    sim::StatusOr<std::string> r = ValidateFifoSend({}, "b", group, "d", std::nullopt);
    EXPECT_EQ(ErrorName(r.status()), "MissingParameter");
    EXPECT_EQ(r.status().message(), "The request must contain the parameter MessageGroupId.");
  }
}

TEST(FifoSendValidation, MessageGroupIdWithBadCharactersIsInvalid) {
  for (const std::string group : {"a b", "tab\t", "caf\xC3\xA9", "new\nline"}) {
    sim::StatusOr<std::string> r = ValidateFifoSend({}, "b", group, "d", std::nullopt);
    EXPECT_EQ(ErrorName(r.status()), "InvalidParameterValue") << group;
    EXPECT_EQ(r.status().message(), "Value " + group +
                                        " for parameter MessageGroupId is invalid. Reason: MessageGroupId can only "
                                        "include alphanumeric and punctuation characters. 1 to 128 in length.");
  }
}

TEST(FifoSendValidation, MessageGroupIdLongerThan128IsInvalid) {
  EXPECT_EQ(ErrorName(ValidateFifoSend({}, "b", std::string(129, 'g'), "d", std::nullopt).status()),
            "InvalidParameterValue");
  EXPECT_TRUE(ValidateFifoSend({}, "b", std::string(128, 'g'), "d", std::nullopt).ok());
}

TEST(FifoSendValidation, EveryDocumentedPunctuationCharacterIsAccepted) {
  const std::string punctuation = R"(!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)";
  EXPECT_EQ(punctuation.size(), 32u);
  sim::StatusOr<std::string> r = ValidateFifoSend({}, "b", "aZ09" + punctuation, "xY7" + punctuation, std::nullopt);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "xY7" + punctuation);
}

TEST(FifoSendValidation, MessageDeduplicationIdWithBadCharactersOrLengthIsInvalid) {
  for (const std::string& dedup : {std::string("d d"), std::string(129, 'd'), std::string()}) {
    sim::StatusOr<std::string> r = ValidateFifoSend({}, "b", "g", dedup, std::nullopt);
    EXPECT_EQ(ErrorName(r.status()), "InvalidParameterValue");
    EXPECT_EQ(r.status().message(), "Value " + dedup +
                                        " for parameter MessageDeduplicationId is invalid. Reason: "
                                        "MessageDeduplicationId can only include alphanumeric and punctuation "
                                        "characters. 1 to 128 in length.");
  }
}

TEST(FifoSendValidation, MissingDeduplicationIdWithoutContentBasedDeduplicationIsInvalid) {
  sim::StatusOr<std::string> r = ValidateFifoSend({}, "b", "g", std::nullopt, std::nullopt);
  EXPECT_EQ(ErrorName(r.status()), "InvalidParameterValue");
  EXPECT_EQ(r.status().message(),
            "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
            "explicitly");
}

TEST(FifoSendValidation, PerMessageDelaySecondsIsRejected) {
  for (int delay : {0, 5}) {
    sim::StatusOr<std::string> r = ValidateFifoSend({}, "b", "g", "d", delay);
    EXPECT_EQ(ErrorName(r.status()), "InvalidParameterValue");
    EXPECT_EQ(r.status().message(), "Value " + std::to_string(delay) +
                                        " for parameter DelaySeconds is invalid. Reason: The request include "
                                        "parameter that is not valid for this queue type.");
  }
}

TEST(FifoSendValidation, StandardQueueRejectsDeduplicationIdAndChecksGroupId) {
  sim::Status s = ValidateStandardSend(std::nullopt, "d1");
  EXPECT_EQ(ErrorName(s), "InvalidParameterValue");
  EXPECT_EQ(s.message(),
            "Value d1 for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is "
            "not valid for this queue type.");
  EXPECT_TRUE(ValidateStandardSend("tenant-1", std::nullopt).ok());
  EXPECT_EQ(ErrorName(ValidateStandardSend("a b", std::nullopt)), "InvalidParameterValue");
}

}  // namespace
}  // namespace emu::sqs::fifo
