#include "emulators/sqs/sqs_api.h"

#include <gtest/gtest.h>

#include "emulators/sqs/sqs_errors.h"

namespace emu::sqs {
namespace {

sim::Time T(int64_t seconds) { return sim::Time::Zero() + sim::Seconds(seconds); }
constexpr int64_t kEpochMillis = Env::kDefaultEpochUnixNanos / 1'000'000;
constexpr const char* kQueueArn = "arn:aws:sqs:us-east-1:000000000000:q";

// Runs `task` inside a process; stores its result and completion time.
template <class T>
sim::Task<void> Capture(sim::Task<T> task, std::optional<T>* out, sim::Time* done_at, sim::Scheduler* sched) {
  T value = co_await std::move(task);
  *out = std::move(value);
  if (done_at != nullptr) *done_at = sched->Now();
}

class SqsApiTest : public ::testing::Test {
 protected:
  // Runs the call to completion (and everything else pending), from Now().
  template <class T>
  T RunNow(sim::Task<T> task) {
    std::optional<T> out;
    sched_.Spawn(Capture(std::move(task), &out, nullptr, &sched_));
    sched_.Run();
    EXPECT_TRUE(out.has_value());
    return out.has_value() ? std::move(*out) : T(sim::InternalError("did not finish"));
  }
  // Runs the call and only what is due up to Now() (later events stay pending).
  template <class T>
  T RunDueNow(sim::Task<T> task) {
    std::optional<T> out;
    sched_.Spawn(Capture(std::move(task), &out, nullptr, &sched_));
    sched_.RunUntil(sched_.Now());
    EXPECT_TRUE(out.has_value());
    return out.has_value() ? std::move(*out) : T(sim::InternalError("did not finish"));
  }
  // Starts the call as a process at time `at` without running the scheduler.
  template <class T>
  sim::ProcessId StartAt(sim::Time at, sim::Task<T> task, std::optional<T>* out, sim::Time* done_at = nullptr) {
    if (at == sched_.Now()) return sched_.Spawn(Capture(std::move(task), out, done_at, &sched_));
    auto holder = std::make_shared<sim::Task<T>>(std::move(task));
    sched_.ScheduleAt(
        at, [this, holder, out, done_at] { sched_.Spawn(Capture(std::move(*holder), out, done_at, &sched_)); });
    return {};
  }

  std::string MakeQueue(std::map<std::string, std::string> attributes = {}, const std::string& name = "q") {
    sim::StatusOr<CreateQueueResponse> r = RunNow(api_.CreateQueue({name, std::move(attributes)}));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->queue_url : "";
  }
  sim::StatusOr<SendMessageResponse> Send(const std::string& url, std::string body,
                                          std::optional<int> delay = std::nullopt) {
    return RunNow(api_.SendMessage({url, std::move(body), delay, {}}));
  }
  sim::StatusOr<ReceiveMessageResponse> Receive(const std::string& url, int max = 10,
                                                std::optional<int> visibility = std::nullopt,
                                                std::optional<int> wait = 0) {
    return RunNow(api_.ReceiveMessage({url, max, visibility, wait}));
  }
  std::map<std::string, std::string> Attributes(const std::string& url, std::vector<std::string> names = {"All"}) {
    sim::StatusOr<GetQueueAttributesResponse> r = RunNow(api_.GetQueueAttributes({url, std::move(names)}));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->attributes : std::map<std::string, std::string>{};
  }
  double Requests() { return env_.cost().units("sqs", "request"); }

  sim::Scheduler sched_;
  Env env_{sched_, 1};
  SqsApi api_{env_};
};

// --- queues -------------------------------------------------------------------

TEST_F(SqsApiTest, CreateQueueParsesStringAttributes) {
  const std::string url = MakeQueue({{"VisibilityTimeout", "60"},
                                     {"MessageRetentionPeriod", "120"},
                                     {"DelaySeconds", "3"},
                                     {"ReceiveMessageWaitTimeSeconds", "5"},
                                     {"MaximumMessageSize", "2048"}});
  EXPECT_EQ(url, "https://sqs.us-east-1.amazonaws.com/000000000000/q");
  const std::map<std::string, std::string> want = {
      {"ApproximateNumberOfMessages", "0"},
      {"ApproximateNumberOfMessagesDelayed", "0"},
      {"ApproximateNumberOfMessagesNotVisible", "0"},
      {"CreatedTimestamp", "1767225600"},
      {"DelaySeconds", "3"},
      {"LastModifiedTimestamp", "1767225600"},
      {"MaximumMessageSize", "2048"},
      {"MessageRetentionPeriod", "120"},
      {"QueueArn", kQueueArn},
      {"ReceiveMessageWaitTimeSeconds", "5"},
      {"VisibilityTimeout", "60"},
  };
  EXPECT_EQ(Attributes(url), want);
}

TEST_F(SqsApiTest, CreateQueueDefaultsAreAwsDefaults) {
  const std::string url = MakeQueue();
  std::map<std::string, std::string> a = Attributes(url);
  EXPECT_EQ(a["VisibilityTimeout"], "30");
  EXPECT_EQ(a["MessageRetentionPeriod"], "345600");
  EXPECT_EQ(a["DelaySeconds"], "0");
  EXPECT_EQ(a["ReceiveMessageWaitTimeSeconds"], "0");
  EXPECT_EQ(a["MaximumMessageSize"], "1048576");
  EXPECT_EQ(a.count("RedrivePolicy"), 0u);
}

TEST_F(SqsApiTest, CreateQueueAttributeErrorsNameTheAttributeAndCreateNothing) {
  struct Case {
    std::map<std::string, std::string> attributes;
    const AwsErrorType* error;
    const char* named;
  };
  const Case cases[] = {
      {{{"Colour", "blue"}}, &errors::kInvalidAttributeName, "Colour"},
      {{{"VisibilityTimeout", "abc"}}, &errors::kInvalidAttributeValue, "VisibilityTimeout"},
      {{{"VisibilityTimeout", "43201"}}, &errors::kInvalidAttributeValue, "VisibilityTimeout"},
      {{{"VisibilityTimeout", "-1"}}, &errors::kInvalidAttributeValue, "VisibilityTimeout"},
      {{{"MessageRetentionPeriod", "59"}}, &errors::kInvalidAttributeValue, "MessageRetentionPeriod"},
      {{{"MessageRetentionPeriod", "1209601"}}, &errors::kInvalidAttributeValue, "MessageRetentionPeriod"},
      {{{"DelaySeconds", "901"}}, &errors::kInvalidAttributeValue, "DelaySeconds"},
      {{{"ReceiveMessageWaitTimeSeconds", "21"}}, &errors::kInvalidAttributeValue, "ReceiveMessageWaitTimeSeconds"},
      {{{"MaximumMessageSize", "1023"}}, &errors::kInvalidAttributeValue, "MaximumMessageSize"},
      {{{"MaximumMessageSize", "1048577"}}, &errors::kInvalidAttributeValue, "MaximumMessageSize"},
      {{{"MaximumMessageSize", "99999999999"}}, &errors::kInvalidAttributeValue, "MaximumMessageSize"},
      {{{"FifoQueue", "maybe"}}, &errors::kInvalidAttributeValue, "FifoQueue"},
      {{{"RedrivePolicy", "{not json"}}, &errors::kInvalidAttributeValue, "RedrivePolicy"},
      {{{"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:none","maxReceiveCount":3})"}},
       &errors::kInvalidAttributeValue,
       "RedrivePolicy"},
      {{{"RedrivePolicy", R"({"maxReceiveCount":3})"}}, &errors::kInvalidAttributeValue, "RedrivePolicy"},
  };
  for (const Case& k : cases) {
    sim::StatusOr<CreateQueueResponse> r = RunNow(api_.CreateQueue({"q", k.attributes}));
    EXPECT_EQ(AwsErrorOf(r.status()), k.error) << k.named << ": " << r.status().ToString();
    EXPECT_EQ(HttpStatusOf(r.status()), 400);
    EXPECT_NE(r.status().message().find(k.named), std::string_view::npos) << r.status().message();
  }
  EXPECT_TRUE(api_.model().ListQueues().empty());
  EXPECT_EQ(env_.account().ResolveTarget(kQueueArn), nullptr);
}

TEST_F(SqsApiTest, CreateQueueOnAnExistingNameComparesAttributes) {
  const std::string url = MakeQueue({{"VisibilityTimeout", "60"}});
  sim::StatusOr<CreateQueueResponse> same = RunNow(api_.CreateQueue({"q", {{"VisibilityTimeout", "60"}}}));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->queue_url, url);
  sim::StatusOr<CreateQueueResponse> other = RunNow(api_.CreateQueue({"q", {{"VisibilityTimeout", "61"}}}));
  EXPECT_EQ(AwsErrorOf(other.status()), &errors::kQueueAlreadyExists);
}

TEST_F(SqsApiTest, RedrivePolicyIsParsedAndReturnedAsJson) {
  MakeQueue({}, "dlq");
  const std::string url =
      MakeQueue({{"RedrivePolicy",
                  R"({"maxReceiveCount": "3", "deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:dlq"})"}});
  EXPECT_EQ(Attributes(url, {"RedrivePolicy"}),
            (std::map<std::string, std::string>{
                {"RedrivePolicy",
                 R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":3})"}}));
}

TEST_F(SqsApiTest, GetQueueUrlFindsTheQueue) {
  const std::string url = MakeQueue();
  sim::StatusOr<GetQueueUrlResponse> r = RunNow(api_.GetQueueUrl({"q"}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->queue_url, url);
  EXPECT_EQ(AwsErrorOf(RunNow(api_.GetQueueUrl({"nope"})).status()), &errors::kQueueDoesNotExist);
}

TEST_F(SqsApiTest, UnknownQueueUrlIsQueueDoesNotExist) {
  sim::StatusOr<SendMessageResponse> r = Send("https://sqs.us-east-1.amazonaws.com/000000000000/nope", "x");
  EXPECT_EQ(AwsErrorOf(r.status()), &errors::kQueueDoesNotExist);
  EXPECT_EQ(r.status().name(), "QueueDoesNotExist");
  EXPECT_EQ(HttpStatusOf(r.status()), 400);
  EXPECT_EQ(AwsErrorOf(Send("not a url", "x").status()), &errors::kQueueDoesNotExist);
}

TEST_F(SqsApiTest, GetQueueAttributesUnknownNameIsInvalidAttributeName) {
  const std::string url = MakeQueue();
  sim::StatusOr<GetQueueAttributesResponse> r = RunNow(api_.GetQueueAttributes({url, {"Colour"}}));
  EXPECT_EQ(AwsErrorOf(r.status()), &errors::kInvalidAttributeName);
}

// --- messages -------------------------------------------------------------------

TEST_F(SqsApiTest, SendReceiveDeleteRoundTripWithSystemAttributes) {
  const std::string url = MakeQueue();
  sched_.RunUntil(T(2));
  sim::StatusOr<SendMessageResponse> sent = Send(url, "hello");
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->md5_of_message_body, "5d41402abc4b2a76b9719d911017c592");
  sched_.RunUntil(T(3));
  sim::StatusOr<ReceiveMessageResponse> got = Receive(url);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->messages.size(), 1u);
  const Message& m = got->messages[0];
  EXPECT_EQ(m.message_id, sent->message_id);
  EXPECT_EQ(m.body, "hello");
  EXPECT_EQ(m.md5_of_body, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(m.attributes, (std::map<std::string, std::string>{
                              {"ApproximateFirstReceiveTimestamp", std::to_string(kEpochMillis + 3000)},
                              {"ApproximateReceiveCount", "1"},
                              {"SentTimestamp", std::to_string(kEpochMillis + 2000)}}));
  EXPECT_TRUE(RunNow(api_.DeleteMessage({url, m.receipt_handle})).ok());
  EXPECT_EQ(Attributes(url, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}),
            (std::map<std::string, std::string>{{"ApproximateNumberOfMessages", "0"},
                                                {"ApproximateNumberOfMessagesNotVisible", "0"}}));
}

TEST_F(SqsApiTest, ReceiveValidationErrorsReturnTheAwsErrorAndChangeNothing) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(Send(url, "a").ok());
  EXPECT_EQ(AwsErrorOf(Receive(url, 11).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(Receive(url, 0).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(Receive(url, 1, 43201).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(Receive(url, 1, std::nullopt, 21).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(Receive(url, 1, std::nullopt, -1).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(Send(url, "a", 901).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(Attributes(url, {"ApproximateNumberOfMessages"})["ApproximateNumberOfMessages"], "1");
  EXPECT_EQ(sched_.Now(), T(0));  // no error waited
  EXPECT_EQ(env_.metrics().GetCounter("sqs.ReceiveMessage.errors").value(), 5);
}

TEST_F(SqsApiTest, SameSeedGivesIdenticalMessageIds) {
  auto ids = [](uint64_t seed) {
    sim::Scheduler sched;
    Env env(sched, seed);
    SqsApi api(env);
    std::vector<std::string> out;
    std::optional<sim::StatusOr<CreateQueueResponse>> created;
    sched.Spawn(Capture(api.CreateQueue({"q", {}}), &created, nullptr, &sched));
    sched.Run();
    for (int i = 0; i < 3; ++i) {
      std::optional<sim::StatusOr<SendMessageResponse>> sent;
      sched.Spawn(
          Capture(api.SendMessage({created->value().queue_url, "b", std::nullopt, {}}), &sent, nullptr, &sched));
      sched.Run();
      out.push_back(sent->value().message_id);
    }
    return out;
  };
  EXPECT_EQ(ids(5), ids(5));
  EXPECT_NE(ids(5), ids(6));
}

TEST_F(SqsApiTest, ChangeMessageVisibilityZeroMakesTheMessageReceivableAgain) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(Send(url, "a").ok());
  const std::string h = Receive(url)->messages.at(0).receipt_handle;
  EXPECT_TRUE(Receive(url)->messages.empty());
  EXPECT_TRUE(RunNow(api_.ChangeMessageVisibility({url, h, 0})).ok());
  sim::StatusOr<ReceiveMessageResponse> again = Receive(url);
  ASSERT_EQ(again->messages.size(), 1u);
  EXPECT_EQ(again->messages[0].attributes.at("ApproximateReceiveCount"), "2");
  EXPECT_EQ(AwsErrorOf(RunNow(api_.ChangeMessageVisibility({url, "junk", 0}))), &errors::kReceiptHandleIsInvalid);
}

TEST_F(SqsApiTest, PurgeQueueEmptiesTheQueue) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(Send(url, "a").ok());
  EXPECT_TRUE(RunNow(api_.PurgeQueue({url})).ok());
  EXPECT_EQ(AwsErrorOf(RunNow(api_.PurgeQueue({url}))), &errors::kPurgeQueueInProgress);
  EXPECT_EQ(Attributes(url, {"ApproximateNumberOfMessages"})["ApproximateNumberOfMessages"], "0");
}

TEST_F(SqsApiTest, ApproximateAgeOfOldestMessageOnlyWhenNamed) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(Send(url, "a").ok());
  sched_.RunUntil(T(42));
  EXPECT_EQ(Attributes(url, {"ApproximateAgeOfOldestMessage"}),
            (std::map<std::string, std::string>{{"ApproximateAgeOfOldestMessage", "42"}}));
  EXPECT_EQ(Attributes(url).count("ApproximateAgeOfOldestMessage"), 0u);
}

// --- long polling -------------------------------------------------------------------

TEST_F(SqsApiTest, LongPollWakesOnSendAtTheSendTime) {
  const std::string url = MakeQueue();
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  std::optional<sim::StatusOr<SendMessageResponse>> sent;
  StartAt(T(0), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &got, &done);
  StartAt(T(5), api_.SendMessage({url, "late", std::nullopt, {}}), &sent);
  sched_.Run();
  ASSERT_TRUE(got.has_value() && got->ok());
  EXPECT_EQ(done, T(5));
  ASSERT_EQ((*got)->messages.size(), 1u);
  EXPECT_EQ((*got)->messages[0].body, "late");
  EXPECT_EQ(api_.waiting_pollers(), 0u);
}

TEST_F(SqsApiTest, LongPollWakesOnVisibilityExpiry) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(Send(url, "a").ok());
  ASSERT_EQ(Receive(url, 1, 7)->messages.size(), 1u);
  sched_.RunUntil(T(1));
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  StartAt(T(1), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &got, &done);
  sched_.Run();
  EXPECT_EQ(done, T(7));
  ASSERT_EQ((*got)->messages.size(), 1u);
  EXPECT_EQ((*got)->messages[0].attributes.at("ApproximateReceiveCount"), "2");
}

TEST_F(SqsApiTest, LongPollWakesWhenADelayEnds) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(Send(url, "a", 3).ok());
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  StartAt(T(0), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &got, &done);
  sched_.Run();
  EXPECT_EQ(done, T(3));
  EXPECT_EQ((*got)->messages.size(), 1u);
}

TEST_F(SqsApiTest, LongPollWithNothingReturnsEmptyAtExactlyTheWaitEndAndIsBilledOnce) {
  const std::string url = MakeQueue();
  const double before = Requests();
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  StartAt(T(0), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &got, &done);
  sched_.Run();
  ASSERT_TRUE(got->ok());
  EXPECT_TRUE((*got)->messages.empty());
  EXPECT_EQ(done, T(20));
  EXPECT_EQ(Requests() - before, 1.0);
  EXPECT_EQ(env_.metrics().GetCounter("sqs.ReceiveMessage.requests").value(), 1);
}

TEST_F(SqsApiTest, QueueReceiveWaitTimeAppliesWhenTheCallGivesNone) {
  const std::string url = MakeQueue({{"ReceiveMessageWaitTimeSeconds", "5"}});
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  StartAt(T(0), api_.ReceiveMessage({url, 10, std::nullopt, std::nullopt}), &got, &done);
  sched_.Run();
  EXPECT_EQ(done, T(5));
  // An explicit 0 is a short poll.
  StartAt(T(5), api_.ReceiveMessage({url, 10, std::nullopt, 0}), &got, &done);
  sched_.Run();
  EXPECT_EQ(done, T(5));
}

TEST_F(SqsApiTest, TwoLongPollersAndOneMessageWakeTheFirstOnly) {
  const std::string url = MakeQueue();
  std::optional<sim::StatusOr<ReceiveMessageResponse>> first, second;
  sim::Time first_done, second_done;
  std::optional<sim::StatusOr<SendMessageResponse>> sent;
  StartAt(T(0), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &first, &first_done);
  StartAt(T(1), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &second, &second_done);
  StartAt(T(4), api_.SendMessage({url, "one", std::nullopt, {}}), &sent);
  sched_.Run();
  EXPECT_EQ(first_done, T(4));
  EXPECT_EQ((*first)->messages.size(), 1u);
  EXPECT_EQ(second_done, T(21));
  EXPECT_TRUE((*second)->messages.empty());
}

TEST_F(SqsApiTest, LongPollWakesOnChangeMessageVisibilityZero) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(Send(url, "a").ok());
  const std::string h = Receive(url)->messages.at(0).receipt_handle;
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  std::optional<sim::Status> changed;
  StartAt(T(0), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &got, &done);
  StartAt(T(2), api_.ChangeMessageVisibility({url, h, 0}), &changed);
  sched_.Run();
  EXPECT_EQ(done, T(2));
  EXPECT_EQ((*got)->messages.size(), 1u);
}

TEST_F(SqsApiTest, LongPollWakesWhenSendCompletesUnderLatency) {
  const std::string url = MakeQueue();
  api_.behaviour().SetLatency(LatencySpec::Constant(0.5));
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  std::optional<sim::StatusOr<SendMessageResponse>> sent;
  StartAt(T(0), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &got, &done);
  StartAt(T(2), api_.SendMessage({url, "a", std::nullopt, {}}), &sent);
  sched_.Run();
  EXPECT_EQ(done, T(2) + sim::Milliseconds(500));
  EXPECT_EQ((*got)->messages.size(), 1u);
}

TEST_F(SqsApiTest, InterruptedLongPollReturnsTheInterruptAndStopsWaiting) {
  const std::string url = MakeQueue();
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  const sim::ProcessId pid = StartAt(T(0), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &got, &done);
  sched_.ScheduleAt(T(3), [&] { sched_.Interrupt(pid); });
  sched_.RunUntil(T(4));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status().code(), sim::StatusCode::kInterrupted);
  EXPECT_EQ(done, T(3));
  EXPECT_EQ(api_.waiting_pollers(), 0u);
  ASSERT_TRUE(Send(url, "a").ok());
  EXPECT_EQ(Attributes(url, {"ApproximateNumberOfMessages"})["ApproximateNumberOfMessages"], "1");
}

TEST_F(SqsApiTest, IdlePollersDoNotKeepARunAliveWhenDaemon) {
  const std::string url = MakeQueue();
  api_.set_long_poll_daemon(true);
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  StartAt(T(0), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &got, &done);
  sched_.Run();
  EXPECT_EQ(sched_.Now(), T(0));
  EXPECT_EQ(api_.waiting_pollers(), 1u);
  sched_.RunUntil(T(30));
  EXPECT_EQ(done, T(20));
  EXPECT_TRUE((*got)->messages.empty());
}

TEST_F(SqsApiTest, LongPollOverTheInFlightLimitWaitsInsteadOfFailing) {
  SqsSettings settings;
  settings.max_in_flight = 1;
  SqsApi limited(env_, settings);
  const std::string url = RunNow(limited.CreateQueue({"limited", {}}))->queue_url;
  ASSERT_TRUE(RunNow(limited.SendMessage({url, "a", std::nullopt, {}})).ok());
  ASSERT_TRUE(RunNow(limited.SendMessage({url, "b", std::nullopt, {}})).ok());
  const std::string h = RunNow(limited.ReceiveMessage({url, 1, std::nullopt, 0}))->messages.at(0).receipt_handle;
  EXPECT_EQ(AwsErrorOf(RunNow(limited.ReceiveMessage({url, 1, std::nullopt, 0})).status()), &errors::kOverLimit);
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  std::optional<sim::Status> deleted;
  StartAt(T(0), limited.ReceiveMessage({url, 1, std::nullopt, 20}), &got, &done);
  StartAt(T(3), limited.DeleteMessage({url, h}), &deleted);
  sched_.Run();
  ASSERT_TRUE(got->ok());
  EXPECT_EQ(done, T(3));
  ASSERT_EQ((*got)->messages.size(), 1u);
  EXPECT_EQ((*got)->messages[0].body, "b");
}

// --- redrive and deliveries -----------------------------------------------------------

TEST_F(SqsApiTest, LongPollOnTheDlqWakesWhenAMessageIsMoved) {
  const std::string dlq = MakeQueue({}, "dlq");
  const std::string src = MakeQueue(
      {{"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":1})"}},
      "src");
  ASSERT_TRUE(Send(src, "a").ok());
  ASSERT_EQ(Receive(src, 1, 0)->messages.size(), 1u);
  std::optional<sim::StatusOr<ReceiveMessageResponse>> dead, moved;
  sim::Time done;
  StartAt(T(0), api_.ReceiveMessage({dlq, 10, std::nullopt, 20}), &dead, &done);
  StartAt(T(6), api_.ReceiveMessage({src, 10, std::nullopt, 0}), &moved);
  sched_.Run();
  EXPECT_TRUE((*moved)->messages.empty());
  EXPECT_EQ(done, T(6));
  ASSERT_EQ((*dead)->messages.size(), 1u);
  EXPECT_EQ((*dead)->messages[0].attributes.at("SentTimestamp"), std::to_string(kEpochMillis));
  EXPECT_EQ(env_.metrics().GetCounter("sqs.src.moved_to_dlq").value(), 1);
}

TEST_F(SqsApiTest, DeliverThroughTheAccountTargetEnqueuesAtNow) {
  const std::string url = MakeQueue();
  DeliveryTarget* target = env_.account().ResolveTarget(kQueueArn);
  ASSERT_NE(target, nullptr);
  sched_.RunUntil(T(4));
  ASSERT_TRUE(target->Deliver(Delivery{"event", "arn:aws:sns:us-east-1:000000000000:t", {{"k", "v"}}}).ok());
  sched_.RunUntil(T(9));
  sim::StatusOr<ReceiveMessageResponse> got = Receive(url);
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "event");
  EXPECT_EQ(got->messages[0].message_attributes, (std::map<std::string, std::string>{{"k", "v"}}));
  EXPECT_EQ(got->messages[0].attributes.at("SentTimestamp"), std::to_string(kEpochMillis + 4000));
}

TEST_F(SqsApiTest, DeliveryWakesALongPoller) {
  const std::string url = MakeQueue();
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  StartAt(T(0), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &got, &done);
  sched_.ScheduleAt(T(8), [&] {
    ASSERT_TRUE(env_.account().ResolveTarget(kQueueArn)->Deliver(Delivery{"e", "src", {}}).ok());
  });
  sched_.Run();
  EXPECT_EQ(done, T(8));
  EXPECT_EQ((*got)->messages.size(), 1u);
}

TEST_F(SqsApiTest, DeliveryOfAnOversizedBodyFailsAndEnqueuesNothing) {
  MakeQueue({{"MaximumMessageSize", "1024"}});
  const sim::Status s = env_.account().ResolveTarget(kQueueArn)->Deliver(Delivery{std::string(2000, 'x'), "src", {}});
  EXPECT_EQ(AwsErrorOf(s), &errors::kInvalidParameterValue);
  EXPECT_EQ(api_.model().Counts("q", sched_.Now())->total(), 0);
}

TEST_F(SqsApiTest, DestroyingTheApiUnregistersItsTargets) {
  {
    SqsApi other(env_);
    std::optional<sim::StatusOr<CreateQueueResponse>> created;
    sched_.Spawn(Capture(other.CreateQueue({"temp", {}}), &created, nullptr, &sched_));
    sched_.Run();
    EXPECT_NE(env_.account().ResolveTarget("arn:aws:sqs:us-east-1:000000000000:temp"), nullptr);
  }
  EXPECT_EQ(env_.account().ResolveTarget("arn:aws:sqs:us-east-1:000000000000:temp"), nullptr);
}

// --- billing ---------------------------------------------------------------------------

TEST_F(SqsApiTest, EveryOperationIsBilledAsOneRequest) {
  const std::string url = MakeQueue();                                                // 1
  ASSERT_TRUE(Send(url, "a").ok());                                                   // 2
  const std::string h = Receive(url)->messages.at(0).receipt_handle;                  // 3
  ASSERT_TRUE(RunNow(api_.ChangeMessageVisibility({url, h, 10})).ok());               // 4
  ASSERT_TRUE(RunNow(api_.DeleteMessage({url, h})).ok());                             // 5
  Attributes(url);                                                                    // 6
  EXPECT_TRUE(Receive(url)->messages.empty());                                        // 7: empty, still billed
  EXPECT_EQ(AwsErrorOf(Receive(url, 11).status()), &errors::kInvalidParameterValue);  // 8: errors too
  EXPECT_EQ(Requests(), 8.0);
  EXPECT_DOUBLE_EQ(env_.cost().UsdFor("sqs"), 8 * 0.0000004);
}

TEST_F(SqsApiTest, LargeMessagesAreBilledPer64KbChunk) {
  const std::string url = MakeQueue();
  const double before = Requests();
  ASSERT_TRUE(Send(url, std::string(64 * 1024, 'a')).ok());
  EXPECT_EQ(Requests() - before, 1.0);
  ASSERT_TRUE(Send(url, std::string(64 * 1024 + 1, 'a')).ok());
  EXPECT_EQ(Requests() - before, 3.0);
}

// --- typed message attributes ---------------------------------------------------

TEST_F(SqsApiTest, TypedAndStringAttributesRoundTripWithTheirMd5) {
  const std::string url = MakeQueue();
  SendMessageRequest req;
  req.queue_url = url;
  req.message_body = "b";
  req.message_attributes = {{"s", "v"}};
  req.typed_message_attributes = {{"n", MessageAttributeValue::Number("5")},
                                  {"b", MessageAttributeValue::Binary(std::string("\0\x01", 2))}};
  sim::StatusOr<SendMessageResponse> sent = RunNow(api_.SendMessage(std::move(req)));
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  // Hand-derived with the AWS algorithm: sorted b, n, s; Binary transport 2.
  EXPECT_EQ(sent->md5_of_message_attributes, "bf134c47c9b8f5cbe91e1850b600be32");
  sim::StatusOr<ReceiveMessageResponse> got = Receive(url);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->messages.size(), 1u);
  const Message& m = got->messages[0];
  EXPECT_EQ(m.message_attributes, (std::map<std::string, std::string>{{"n", "5"}, {"s", "v"}}));
  EXPECT_EQ(m.typed_message_attributes,
            (MessageAttributes{{"b", MessageAttributeValue::Binary(std::string("\0\x01", 2))},
                               {"n", MessageAttributeValue::Number("5")},
                               {"s", MessageAttributeValue::String("v")}}));
  EXPECT_EQ(m.md5_of_message_attributes, "bf134c47c9b8f5cbe91e1850b600be32");
}

TEST_F(SqsApiTest, StringOnlyAttributesKeepWorkingAndGetAnMd5) {
  const std::string url = MakeQueue();
  SendMessageRequest req;
  req.queue_url = url;
  req.message_body = "b";
  req.message_attributes = {{"k", "v"}};
  sim::StatusOr<SendMessageResponse> sent = RunNow(api_.SendMessage(std::move(req)));
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->md5_of_message_attributes, "0a77b0642718c3d9dd47090567d11e0d");
  EXPECT_EQ(Receive(url)->messages.at(0).message_attributes, (std::map<std::string, std::string>{{"k", "v"}}));
}

TEST_F(SqsApiTest, AttributeNamedInBothMapsIsInvalidParameterValueAndSendsNothing) {
  const std::string url = MakeQueue();
  SendMessageRequest req;
  req.queue_url = url;
  req.message_body = "b";
  req.message_attributes = {{"k", "v"}};
  req.typed_message_attributes = {{"k", MessageAttributeValue::Number("1")}};
  EXPECT_EQ(AwsErrorOf(RunNow(api_.SendMessage(std::move(req))).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(api_.model().Counts("q", sched_.Now())->total(), 0);
}

// --- batches ---------------------------------------------------------------------

SendMessageBatchRequestEntry SendEntry(std::string id, std::string body, std::optional<int> delay = std::nullopt) {
  SendMessageBatchRequestEntry e;
  e.id = std::move(id);
  e.message_body = std::move(body);
  e.delay_seconds = delay;
  return e;
}

class SqsBatchTest : public SqsApiTest {
 protected:
  sim::StatusOr<SendMessageBatchResponse> SendBatch(const std::string& url,
                                                    std::vector<SendMessageBatchRequestEntry> entries) {
    return RunNow(api_.SendMessageBatch({url, std::move(entries)}));
  }
  int64_t Stored() { return api_.model().Counts("q", sched_.Now())->total(); }
  // Ids for n entries: e0, e1, ...
  static std::vector<SendMessageBatchRequestEntry> Entries(int n) {
    std::vector<SendMessageBatchRequestEntry> out;
    for (int i = 0; i < n; ++i) out.push_back(SendEntry("e" + std::to_string(i), "m" + std::to_string(i)));
    return out;
  }
};

TEST_F(SqsBatchTest, SendMessageBatchSendsEveryEntryInOrder) {
  const std::string url = MakeQueue();
  std::vector<SendMessageBatchRequestEntry> entries = Entries(3);
  entries[1].typed_message_attributes = {{"timestamp", MessageAttributeValue::Number("1493147359900")}};
  sim::StatusOr<SendMessageBatchResponse> r = SendBatch(url, std::move(entries));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->successful.size(), 3u);
  EXPECT_TRUE(r->failed.empty());
  EXPECT_EQ(r->successful[0].id, "e0");
  EXPECT_EQ(r->successful[2].id, "e2");
  EXPECT_EQ(r->successful[0].md5_of_message_body, Md5Hex("m0"));
  EXPECT_EQ(r->successful[0].md5_of_message_attributes, "");
  EXPECT_EQ(r->successful[1].md5_of_message_attributes, "235c5c510d26fb653d073faed50ae77c");
  sim::StatusOr<ReceiveMessageResponse> got = Receive(url);
  ASSERT_EQ(got->messages.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(got->messages[i].body, "m" + std::to_string(i));
    EXPECT_EQ(got->messages[i].message_id, r->successful[i].message_id);
  }
}

TEST_F(SqsBatchTest, SendMessageBatchReportsFailedEntriesAndSendsTheRest) {
  const std::string url = MakeQueue();
  std::vector<SendMessageBatchRequestEntry> entries = {SendEntry("ok1", "a"), SendEntry("empty", ""),
                                                       SendEntry("late", "b", 901), SendEntry("ok2", "c", 5)};
  entries.push_back(SendEntry("badattr", "d"));
  entries.back().typed_message_attributes = {{"AWS.reserved", MessageAttributeValue::String("v")}};
  sim::StatusOr<SendMessageBatchResponse> r = SendBatch(url, std::move(entries));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->successful.size(), 2u);
  EXPECT_EQ(r->successful[0].id, "ok1");
  EXPECT_EQ(r->successful[1].id, "ok2");
  ASSERT_EQ(r->failed.size(), 3u);
  EXPECT_EQ(r->failed[0], (BatchResultErrorEntry{"empty", true, "MissingParameter",
                                                 "The request must contain the parameter MessageBody."}));
  EXPECT_EQ(r->failed[1].id, "late");
  EXPECT_TRUE(r->failed[1].sender_fault);
  EXPECT_EQ(r->failed[1].code, "InvalidParameterValue");
  EXPECT_EQ(r->failed[1].message, "Value 901 for parameter DelaySeconds is invalid. Reason: Must be >= 0 and <= 900.");
  EXPECT_EQ(r->failed[2].id, "badattr");
  EXPECT_EQ(r->failed[2].code, "InvalidParameterValue");
  EXPECT_EQ(api_.model().Stats("q")->sent, 2);
  sim::StatusOr<QueueCounts> c = api_.model().Counts("q", sched_.Now());
  EXPECT_EQ(c->visible, 1);
  EXPECT_EQ(c->delayed, 1);
}

TEST_F(SqsBatchTest, EmptyBatchIsEmptyBatchRequest) {
  const std::string url = MakeQueue();
  EXPECT_EQ(AwsErrorOf(SendBatch(url, {}).status()), &errors::kEmptyBatchRequest);
  EXPECT_EQ(AwsErrorOf(RunNow(api_.DeleteMessageBatch({url, {}})).status()), &errors::kEmptyBatchRequest);
  EXPECT_EQ(AwsErrorOf(RunNow(api_.ChangeMessageVisibilityBatch({url, {}})).status()), &errors::kEmptyBatchRequest);
}

TEST_F(SqsBatchTest, ElevenEntriesAreTooManyEntriesInBatchRequestAndSendNothing) {
  const std::string url = MakeQueue();
  sim::StatusOr<SendMessageBatchResponse> r = SendBatch(url, Entries(11));
  EXPECT_EQ(AwsErrorOf(r.status()), &errors::kTooManyEntriesInBatchRequest);
  EXPECT_EQ(r.status().message(), "Maximum number of entries per request are 10. You have sent 11.");
  EXPECT_EQ(Stored(), 0);
  std::vector<DeleteMessageBatchRequestEntry> deletes(11);
  for (int i = 0; i < 11; ++i) deletes[i] = {"d" + std::to_string(i), "h"};
  EXPECT_EQ(AwsErrorOf(RunNow(api_.DeleteMessageBatch({url, deletes})).status()),
            &errors::kTooManyEntriesInBatchRequest);
  sim::StatusOr<SendMessageBatchResponse> ten = SendBatch(url, Entries(10));
  ASSERT_TRUE(ten.ok());
  EXPECT_EQ(ten->successful.size(), 10u);
  EXPECT_EQ(Stored(), 10);
}

TEST_F(SqsBatchTest, RepeatedEntryIdsAreBatchEntryIdsNotDistinctAndSendNothing) {
  const std::string url = MakeQueue();
  std::vector<SendMessageBatchRequestEntry> entries = Entries(3);
  entries[2].id = "e0";
  sim::StatusOr<SendMessageBatchResponse> r = SendBatch(url, std::move(entries));
  EXPECT_EQ(AwsErrorOf(r.status()), &errors::kBatchEntryIdsNotDistinct);
  EXPECT_EQ(r.status().message(), "Id e0 repeated.");
  EXPECT_EQ(Stored(), 0);
  EXPECT_EQ(AwsErrorOf(RunNow(api_.ChangeMessageVisibilityBatch({url, {{"x", "h", 0}, {"x", "h", 0}}})).status()),
            &errors::kBatchEntryIdsNotDistinct);
}

TEST_F(SqsBatchTest, MalformedEntryIdIsInvalidBatchEntryIdAndSendsNothing) {
  const std::string url = MakeQueue();
  for (const std::string& bad : std::vector<std::string>{"", "a b", "a.b", "caf\xc3\xa9", std::string(81, 'i')}) {
    std::vector<SendMessageBatchRequestEntry> entries = Entries(2);
    entries[1].id = bad;
    EXPECT_EQ(AwsErrorOf(SendBatch(url, std::move(entries)).status()), &errors::kInvalidBatchEntryId) << bad;
  }
  EXPECT_EQ(Stored(), 0);
  std::vector<SendMessageBatchRequestEntry> entries = Entries(2);
  entries[0].id = "Az09-_";
  entries[1].id = std::string(80, 'i');
  EXPECT_EQ(SendBatch(url, std::move(entries))->successful.size(), 2u);
}

TEST_F(SqsBatchTest, PayloadOverTheMessageSizeLimitIsBatchRequestTooLongAndSendsNothing) {
  const std::string url = MakeQueue();
  // 2 x 524,288 = 1,048,576 bytes: exactly the limit.
  std::vector<SendMessageBatchRequestEntry> fits = {SendEntry("a", std::string(524'288, 'x')),
                                                    SendEntry("b", std::string(524'288, 'y'))};
  ASSERT_TRUE(SendBatch(url, std::move(fits)).ok());
  EXPECT_EQ(Stored(), 2);
  std::vector<SendMessageBatchRequestEntry> over = {SendEntry("a", std::string(524'288, 'x')),
                                                    SendEntry("b", std::string(524'284, 'y'))};
  over[1].message_attributes = {{"k", "v"}};  // 524,284 + 1 + 6 + 1 = 524,292
  sim::StatusOr<SendMessageBatchResponse> r = SendBatch(url, std::move(over));
  EXPECT_EQ(AwsErrorOf(r.status()), &errors::kBatchRequestTooLong);
  EXPECT_EQ(r.status().message(), "Batch requests cannot be longer than 1048576 bytes. You have sent 1048580 bytes.");
  EXPECT_EQ(Stored(), 2);
}

TEST_F(SqsBatchTest, BatchIsBilledAsOneRequestPer64KbChunkOfItsPayload) {
  const std::string url = MakeQueue();
  const double before = Requests();
  ASSERT_TRUE(SendBatch(url, Entries(10)).ok());
  EXPECT_EQ(Requests() - before, 1.0);
  // 3 entries, 65,536 bytes in all: one chunk.
  std::vector<SendMessageBatchRequestEntry> one = {SendEntry("a", std::string(30'000, 'a')),
                                                   SendEntry("b", std::string(30'000, 'b')),
                                                   SendEntry("c", std::string(5'536, 'c'))};
  ASSERT_TRUE(SendBatch(url, std::move(one)).ok());
  EXPECT_EQ(Requests() - before, 2.0);
  // 65,537 bytes: two chunks.
  std::vector<SendMessageBatchRequestEntry> two = {SendEntry("a", std::string(30'000, 'a')),
                                                   SendEntry("b", std::string(30'000, 'b')),
                                                   SendEntry("c", std::string(5'537, 'c'))};
  ASSERT_TRUE(SendBatch(url, std::move(two)).ok());
  EXPECT_EQ(Requests() - before, 4.0);
  sim::StatusOr<ReceiveMessageResponse> got = Receive(url, 10);
  std::vector<DeleteMessageBatchRequestEntry> deletes;
  for (std::size_t i = 0; i < got->messages.size(); ++i)
    deletes.push_back({"d" + std::to_string(i), got->messages[i].receipt_handle});
  const double before_delete = Requests();
  ASSERT_TRUE(RunNow(api_.DeleteMessageBatch({url, std::move(deletes)})).ok());
  EXPECT_EQ(Requests() - before_delete, 1.0);
  EXPECT_EQ(env_.metrics().GetCounter("sqs.SendMessageBatch.requests").value(), 3);
}

TEST_F(SqsBatchTest, DeleteMessageBatchDeletesAndReportsBadHandles) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(SendBatch(url, Entries(3)).ok());
  sim::StatusOr<ReceiveMessageResponse> got = Receive(url, 2);
  ASSERT_EQ(got->messages.size(), 2u);
  sim::StatusOr<BatchResponse> r = RunNow(api_.DeleteMessageBatch(
      {url, {{"a", got->messages[0].receipt_handle}, {"bad", "bogus"}, {"b", got->messages[1].receipt_handle}}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->successful, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_EQ(r->failed[0].id, "bad");
  EXPECT_TRUE(r->failed[0].sender_fault);
  EXPECT_EQ(r->failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_EQ(api_.model().Stats("q")->deleted, 2);
  EXPECT_EQ(Stored(), 1);
}

TEST_F(SqsBatchTest, ChangeMessageVisibilityBatchAppliesEachEntry) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(SendBatch(url, Entries(2)).ok());
  sim::StatusOr<ReceiveMessageResponse> got = Receive(url, 2);
  ASSERT_EQ(got->messages.size(), 2u);
  sim::StatusOr<BatchResponse> r =
      RunNow(api_.ChangeMessageVisibilityBatch({url,
                                                {{"now", got->messages[0].receipt_handle, 0},
                                                 {"later", got->messages[1].receipt_handle, 100},
                                                 {"bad", "bogus", 0},
                                                 {"range", got->messages[1].receipt_handle, 43'201}}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->successful, (std::vector<std::string>{"now", "later"}));
  ASSERT_EQ(r->failed.size(), 2u);
  EXPECT_EQ(r->failed[0].id, "bad");
  EXPECT_EQ(r->failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_EQ(r->failed[1].id, "range");
  EXPECT_EQ(r->failed[1].code, "InvalidParameterValue");
  sim::StatusOr<QueueCounts> c = api_.model().Counts("q", sched_.Now());
  EXPECT_EQ(c->visible, 1);
  EXPECT_EQ(c->in_flight, 1);
  EXPECT_EQ(api_.model().NextVisibleTime("q", sched_.Now()), sched_.Now() + sim::Seconds(100));
}

TEST_F(SqsBatchTest, BatchOnAnUnknownQueueIsQueueDoesNotExist) {
  EXPECT_EQ(AwsErrorOf(SendBatch("https://sqs.us-east-1.amazonaws.com/000000000000/nope", Entries(1)).status()),
            &errors::kQueueDoesNotExist);
}

TEST_F(SqsBatchTest, SendMessageBatchWakesALongPoller) {
  const std::string url = MakeQueue();
  std::optional<sim::StatusOr<ReceiveMessageResponse>> polled;
  sim::Time done_at;
  StartAt(sched_.Now(), api_.ReceiveMessage({url, 10, std::nullopt, 20}), &polled, &done_at);
  const sim::Time send_at = sched_.Now() + sim::Seconds(3);
  std::optional<sim::StatusOr<SendMessageBatchResponse>> sent;
  StartAt(send_at, api_.SendMessageBatch({url, Entries(2)}), &sent);
  sched_.Run();
  ASSERT_TRUE(polled.has_value() && polled->ok());
  EXPECT_EQ(done_at, send_at);
  EXPECT_EQ((*polled)->messages.size(), 2u);
}

// --- queue admin through the facade ---------------------------------------------------

TEST_F(SqsApiTest, SetQueueAttributesChangesOnlyTheNamedAttributes) {
  const std::string dlq = MakeQueue({}, "dlq");
  const std::string url = MakeQueue({{"DelaySeconds", "3"}});
  sched_.RunUntil(T(100));
  ASSERT_TRUE(
      RunNow(api_.SetQueueAttributes(
                 {url,
                  {{"VisibilityTimeout", "45"},
                   {"RedrivePolicy",
                    R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":4})"}}}))
          .ok());
  std::map<std::string, std::string> a = Attributes(url);
  EXPECT_EQ(a["VisibilityTimeout"], "45");
  EXPECT_EQ(a["DelaySeconds"], "3");
  EXPECT_EQ(a["RedrivePolicy"],
            R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":4})");
  EXPECT_EQ(a["CreatedTimestamp"], "1767225600");
  EXPECT_EQ(a["LastModifiedTimestamp"], "1767225700");
  ASSERT_TRUE(RunNow(api_.SetQueueAttributes({url, {{"RedrivePolicy", ""}}})).ok());
  EXPECT_EQ(Attributes(url).count("RedrivePolicy"), 0u);
}

TEST_F(SqsApiTest, SetQueueAttributesBadInputReturnsTheAwsErrorAndChangesNothing) {
  const std::string url = MakeQueue();
  const std::map<std::string, std::string> before = Attributes(url);
  sched_.RunUntil(T(10));
  EXPECT_EQ(AwsErrorOf(RunNow(api_.SetQueueAttributes({url, {{"VisibilityTimeout", "60"}, {"DelaySeconds", "901"}}}))),
            &errors::kInvalidAttributeValue);
  EXPECT_EQ(AwsErrorOf(RunNow(api_.SetQueueAttributes({url, {{"Colour", "blue"}}}))), &errors::kInvalidAttributeName);
  EXPECT_EQ(
      AwsErrorOf(RunNow(api_.SetQueueAttributes({url, {{"RedriveAllowPolicy", R"({"redrivePermission":"some"})"}}}))),
      &errors::kInvalidAttributeValue);
  EXPECT_EQ(Attributes(url), before);
}

TEST_F(SqsApiTest, GetQueueAttributesAllIncludesArnTimestampsAndRedriveAllowPolicy) {
  const std::string url =
      MakeQueue({{"RedriveAllowPolicy",
                  R"({"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:src"]})"}});
  std::map<std::string, std::string> a = Attributes(url);
  EXPECT_EQ(a["QueueArn"], kQueueArn);
  EXPECT_EQ(a["CreatedTimestamp"], "1767225600");
  EXPECT_EQ(a["LastModifiedTimestamp"], "1767225600");
  EXPECT_EQ(a["RedriveAllowPolicy"],
            R"({"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:000000000000:src"]})");
  EXPECT_EQ(a.size(), 12u);  // every "All" attribute but RedrivePolicy (unset)
  sim::StatusOr<CreateQueueResponse> denied = RunNow(api_.CreateQueue(
      {"other",
       {{"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:q","maxReceiveCount":1})"}}}));
  EXPECT_EQ(AwsErrorOf(denied.status()), &errors::kInvalidParameterValue);  // not in sourceQueueArns
  EXPECT_FALSE(api_.model().HasQueue("other"));
}

TEST_F(SqsApiTest, DeleteQueueEndsLongPollsAndUnregistersTheDeliveryTarget) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(Send(url, "a").ok());
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  std::optional<sim::Status> deleted;
  StartAt(T(0), api_.ReceiveMessage({url, 1, std::nullopt, 20}), &got, &done);  // takes "a"
  std::optional<sim::StatusOr<ReceiveMessageResponse>> waiting;
  sim::Time waiting_done;
  StartAt(T(1), api_.ReceiveMessage({url, 1, std::nullopt, 20}), &waiting, &waiting_done);
  StartAt(T(5), api_.DeleteQueue({url}), &deleted);
  sched_.Run();
  ASSERT_TRUE(deleted->ok());
  EXPECT_EQ(waiting_done, T(5));
  EXPECT_EQ(AwsErrorOf(waiting->status()), &errors::kQueueDoesNotExist);
  EXPECT_EQ(env_.account().ResolveTarget(kQueueArn), nullptr);
  EXPECT_EQ(api_.model().total_deleted_with_queue(), 1);
  EXPECT_EQ(AwsErrorOf(Send(url, "b").status()), &errors::kQueueDoesNotExist);
  EXPECT_EQ(AwsErrorOf(RunNow(api_.CreateQueue({"q", {}})).status()), &errors::kQueueDeletedRecently);
  sched_.RunUntil(T(65));
  EXPECT_EQ(MakeQueue(), url);
  EXPECT_NE(env_.account().ResolveTarget(kQueueArn), nullptr);
}

TEST_F(SqsApiTest, ListQueuesFiltersByPrefixAndPagesWithNextToken) {
  for (const char* name : {"logs-b", "logs-a", "metrics", "logs-c"}) MakeQueue({}, name);
  const std::string base = "https://sqs.us-east-1.amazonaws.com/000000000000/";
  sim::StatusOr<ListQueuesResponse> all = RunNow(api_.ListQueues({}));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->queue_urls.size(), 4u);
  EXPECT_EQ(all->next_token, "");
  sim::StatusOr<ListQueuesResponse> p1 = RunNow(api_.ListQueues({"logs-", 2, ""}));
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->queue_urls, (std::vector<std::string>{base + "logs-a", base + "logs-b"}));
  ASSERT_NE(p1->next_token, "");
  sim::StatusOr<ListQueuesResponse> p2 = RunNow(api_.ListQueues({"logs-", 2, p1->next_token}));
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->queue_urls, (std::vector<std::string>{base + "logs-c"}));
  EXPECT_EQ(p2->next_token, "");
}

TEST_F(SqsApiTest, ListQueuesBadMaxResultsOrNextTokenIsInvalidParameterValue) {
  MakeQueue();
  EXPECT_EQ(AwsErrorOf(RunNow(api_.ListQueues({"", 0, ""})).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(RunNow(api_.ListQueues({"", 1001, ""})).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(RunNow(api_.ListQueues({"", std::nullopt, "NT71"})).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(AwsErrorOf(RunNow(api_.ListQueues({"", 5, "garbage"})).status()), &errors::kInvalidParameterValue);
  EXPECT_EQ(RunNow(api_.ListQueues({"", 1000, ""}))->queue_urls.size(), 1u);
}

TEST_F(SqsApiTest, TagQueueUntagQueueAndListQueueTagsRoundTrip) {
  const std::string url = MakeQueue();
  ASSERT_TRUE(RunNow(api_.TagQueue({url, {{"team", "logs"}, {"cost", "42"}}})).ok());
  ASSERT_TRUE(RunNow(api_.UntagQueue({url, {"cost"}})).ok());
  EXPECT_EQ(RunNow(api_.ListQueueTags({url}))->tags, (std::map<std::string, std::string>{{"team", "logs"}}));
  EXPECT_EQ(AwsErrorOf(RunNow(api_.TagQueue({url, {{"", "x"}}}))), &errors::kInvalidParameterValue);
}

TEST_F(SqsApiTest, CreateQueueWithTooManyTagsCreatesNothing) {
  std::map<std::string, std::string> tags;
  for (int i = 0; i < 51; ++i) tags["k" + std::to_string(i)] = "v";
  EXPECT_EQ(AwsErrorOf(RunNow(api_.CreateQueue({"q", {}, tags})).status()), &errors::kInvalidParameterValue);
  EXPECT_FALSE(api_.model().HasQueue("q"));
  tags.erase("k0");
  ASSERT_TRUE(RunNow(api_.CreateQueue({"q", {}, tags})).ok());
  EXPECT_EQ(api_.model().ListQueueTags("q")->size(), 50u);
}

TEST_F(SqsApiTest, ListDeadLetterSourceQueuesReturnsTheSourceUrls) {
  const std::string dlq = MakeQueue({}, "dlq");
  MakeQueue(
      {{"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":1})"}},
      "src");
  sim::StatusOr<ListDeadLetterSourceQueuesResponse> r = RunNow(api_.ListDeadLetterSourceQueues({dlq}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->queue_urls, (std::vector<std::string>{"https://sqs.us-east-1.amazonaws.com/000000000000/src"}));
}

TEST_F(SqsApiTest, LongPollOverTheInFlightLimitReturnsEmptyAtTheWaitEnd) {
  SqsSettings settings;
  settings.max_in_flight = 1;
  SqsApi limited(env_, settings);
  const std::string url = RunNow(limited.CreateQueue({"limited", {}}))->queue_url;
  ASSERT_TRUE(RunNow(limited.SendMessage({url, "a", std::nullopt, {}})).ok());
  ASSERT_TRUE(RunNow(limited.SendMessage({url, "b", std::nullopt, {}})).ok());
  ASSERT_EQ(RunNow(limited.ReceiveMessage({url, 1, 300, 0}))->messages.size(), 1u);
  std::optional<sim::StatusOr<ReceiveMessageResponse>> got;
  sim::Time done;
  StartAt(T(0), limited.ReceiveMessage({url, 1, std::nullopt, 20}), &got, &done);
  sched_.RunUntil(T(25));
  ASSERT_TRUE(got.has_value());
  ASSERT_TRUE(got->ok());
  EXPECT_EQ(done, T(20));
  EXPECT_TRUE((*got)->messages.empty());
}

// --- ReceiveMessage attribute selection ---------------------------------------------

class SqsSelectionTest : public SqsApiTest {
 protected:
  void SetUp() override {
    url_ = MakeQueue();
    SendMessageRequest r{url_, "body", std::nullopt, {}};
    r.typed_message_attributes = {{"trace.id", MessageAttributeValue::String("t1")},
                                  {"trace.span", MessageAttributeValue::Number("7")},
                                  {"colour", MessageAttributeValue::String("red")}};
    ASSERT_TRUE(RunNow(api_.SendMessage(std::move(r))).ok());
    sched_.RunUntil(T(2));
  }
  Message ReceiveWith(ReceiveMessageRequest r) {
    r.queue_url = url_;
    sim::StatusOr<ReceiveMessageResponse> got = RunNow(api_.ReceiveMessage(std::move(r)));
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() && !got->messages.empty() ? got->messages[0] : Message{};
  }
  std::string url_;
};

TEST_F(SqsSelectionTest, ReceiveReturnsOnlyTheNamedSystemAttributes) {
  ReceiveMessageRequest r;
  r.message_system_attribute_names = std::vector<std::string>{"SentTimestamp", "SenderId"};
  r.visibility_timeout = 0;
  const Message m = ReceiveWith(r);
  EXPECT_EQ(m.attributes, (std::map<std::string, std::string>{{"SenderId", "000000000000"},
                                                              {"SentTimestamp", std::to_string(kEpochMillis)}}));
  EXPECT_TRUE(m.typed_message_attributes.empty());
  EXPECT_EQ(m.md5_of_message_attributes, "");
  ReceiveMessageRequest all;
  all.attribute_names = std::vector<std::string>{"All"};
  const Message m2 = ReceiveWith(all);
  EXPECT_EQ(m2.attributes.at("ApproximateReceiveCount"), "2");
  EXPECT_EQ(m2.attributes.at("ApproximateFirstReceiveTimestamp"), std::to_string(kEpochMillis + 2000));
  EXPECT_EQ(m2.attributes.size(), 4u);
}

TEST_F(SqsSelectionTest, ReceiveSelectsMessageAttributesByPrefixAndMd5CoversOnlyThoseReturned) {
  ReceiveMessageRequest r;
  r.message_attribute_names = std::vector<std::string>{"trace.*"};
  const Message m = ReceiveWith(r);
  const MessageAttributes want = {{"trace.id", MessageAttributeValue::String("t1")},
                                  {"trace.span", MessageAttributeValue::Number("7")}};
  EXPECT_EQ(m.typed_message_attributes, want);
  EXPECT_EQ(m.md5_of_message_attributes, Md5OfMessageAttributes(want));
  EXPECT_EQ(m.message_attributes, (std::map<std::string, std::string>{{"trace.id", "t1"}, {"trace.span", "7"}}));
  EXPECT_TRUE(m.attributes.empty());
}

TEST_F(SqsSelectionTest, ReceiveSelectsExactNamesAndAll) {
  ReceiveMessageRequest exact;
  exact.message_attribute_names = std::vector<std::string>{"colour", "absent"};
  exact.visibility_timeout = 0;
  EXPECT_EQ(ReceiveWith(exact).typed_message_attributes,
            (MessageAttributes{{"colour", MessageAttributeValue::String("red")}}));
  ReceiveMessageRequest all;
  all.message_attribute_names = std::vector<std::string>{".*"};
  const Message m = ReceiveWith(all);
  EXPECT_EQ(m.typed_message_attributes.size(), 3u);
  EXPECT_EQ(m.md5_of_message_attributes, Md5OfMessageAttributes(m.typed_message_attributes));
}

TEST_F(SqsSelectionTest, UnknownSystemAttributeNameIsInvalidAttributeNameAndReceivesNothing) {
  ReceiveMessageRequest r{url_, 1, std::nullopt, 0};
  r.attribute_names = std::vector<std::string>{"Colour"};
  EXPECT_EQ(AwsErrorOf(RunNow(api_.ReceiveMessage(std::move(r))).status()), &errors::kInvalidAttributeName);
  EXPECT_EQ(api_.model().Counts("q", env_.Now())->visible, 1);
}

// --- message move tasks through the facade -----------------------------------------

TEST_F(SqsApiTest, MoveTaskRunsOnSimulatedTimeAtTheRate) {
  MakeQueue({}, "dlq");
  const std::string src = MakeQueue(
      {{"VisibilityTimeout", "10"},
       {"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":1})"}},
      "src");
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Send(src, "m" + std::to_string(i)).ok());
  ASSERT_EQ(Receive(src, 10)->messages.size(), 5u);
  sched_.RunUntil(T(10));
  ASSERT_TRUE(Receive(src, 10)->messages.empty());  // all five moved to the DLQ
  const std::string dlq_arn = "arn:aws:sqs:us-east-1:000000000000:dlq";
  sim::StatusOr<StartMessageMoveTaskResponse> started = RunDueNow(api_.StartMessageMoveTask({dlq_arn, "", 2}));
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  sched_.RunUntil(T(11));
  EXPECT_EQ(api_.model().Counts("src", T(11))->visible, 2);
  sim::StatusOr<ListMessageMoveTasksResponse> running = RunDueNow(api_.ListMessageMoveTasks({dlq_arn, 10}));
  ASSERT_EQ(running->results.size(), 1u);
  EXPECT_EQ(running->results[0].status, "RUNNING");
  EXPECT_EQ(running->results[0].task_handle, started->task_handle);
  EXPECT_EQ(running->results[0].approximate_number_of_messages_moved, 2);
  EXPECT_EQ(running->results[0].approximate_number_of_messages_to_move, 5);
  EXPECT_EQ(running->results[0].max_number_of_messages_per_second, 2);
  sched_.Run();
  EXPECT_EQ(sched_.Now(), T(13));
  EXPECT_EQ(api_.model().Counts("src", T(13))->visible, 5);
  sim::StatusOr<ListMessageMoveTasksResponse> done = RunNow(api_.ListMessageMoveTasks({dlq_arn, 10}));
  EXPECT_EQ(done->results[0].status, "COMPLETED");
  EXPECT_EQ(done->results[0].task_handle, "");
  EXPECT_EQ(done->results[0].started_timestamp, kEpochMillis + 10'000);
}

TEST_F(SqsApiTest, CancelMessageMoveTaskThroughTheFacadeStopsTheMove) {
  MakeQueue({}, "dlq");
  const std::string src = MakeQueue(
      {{"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":1})"}},
      "src");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Send(src, "m").ok());
  ASSERT_EQ(Receive(src, 10, 0)->messages.size(), 3u);
  ASSERT_TRUE(Receive(src, 10)->messages.empty());
  const std::string dlq_arn = "arn:aws:sqs:us-east-1:000000000000:dlq";
  sim::StatusOr<StartMessageMoveTaskResponse> started = RunDueNow(api_.StartMessageMoveTask({dlq_arn, "", 1}));
  ASSERT_TRUE(started.ok());
  sched_.RunUntil(T(1));
  sim::StatusOr<CancelMessageMoveTaskResponse> cancelled =
      RunDueNow(api_.CancelMessageMoveTask({started->task_handle}));
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->approximate_number_of_messages_moved, 1);
  sched_.Run();
  EXPECT_EQ(RunNow(api_.ListMessageMoveTasks({dlq_arn, 1}))->results[0].status, "CANCELLED");
  EXPECT_EQ(api_.model().Counts("dlq", env_.Now())->visible, 2);
}

// --- distributed-system effects through the facade ---------------------------------

TEST_F(SqsApiTest, ShortPollSamplingAppliesToShortPollsOnly) {
  SqsSettings settings;
  settings.short_poll_sampling = true;
  SqsApi sampled(env_, settings);
  const std::string url = RunNow(sampled.CreateQueue({"sampled", {}}))->queue_url;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(RunNow(sampled.SendMessage({url, "m", std::nullopt, {}})).ok());
  // Each of the 10 seen with probability 0.3; stream "sqs.short_poll" of seed 1.
  const std::size_t short_poll = RunNow(sampled.ReceiveMessage({url, 10, std::nullopt, 0}))->messages.size();
  EXPECT_EQ(short_poll, 6u);
  // A long poll queries every server: it gets every remaining message.
  const std::size_t long_poll = RunNow(sampled.ReceiveMessage({url, 10, std::nullopt, 1}))->messages.size();
  EXPECT_EQ(long_poll, 10u - short_poll);
}

TEST_F(SqsApiTest, GetQueueAttributesReportsLaggingCountersWhenConfigured) {
  SqsSettings settings;
  settings.approximate_counters_lag = sim::Seconds(60);
  SqsApi lagging(env_, settings);
  const std::string url = RunNow(lagging.CreateQueue({"lagging", {}}))->queue_url;
  const auto visible = [&] {
    return RunNow(lagging.GetQueueAttributes({url, {"ApproximateNumberOfMessages"}}))
        ->attributes.at("ApproximateNumberOfMessages");
  };
  EXPECT_EQ(visible(), "0");
  ASSERT_TRUE(RunNow(lagging.SendMessage({url, "m", std::nullopt, {}})).ok());
  sched_.RunUntil(T(59));
  EXPECT_EQ(visible(), "0");
  EXPECT_EQ(lagging.model().Counts("lagging", T(59))->visible, 1);
  sched_.RunUntil(T(60));
  EXPECT_EQ(visible(), "1");
}

}  // namespace
}  // namespace emu::sqs
