#include "emulators/lambda/event_source_mapping.h"

#include <gtest/gtest.h>

#include "emulators/lambda/lambda_test_util.h"
#include "emulators/sqs/sqs_api.h"
#include "emulators/sqs/sqs_model.h"

namespace emu::lambda {
namespace {

using test_util::Capture;
using test_util::Config;

struct BatchProbe {
  std::vector<sim::Time> starts;
  std::vector<std::vector<SqsRecord>> batches;
};

enum class Mode {
  kSucceed,
  kFailFirstReceive,       // error status while ApproximateReceiveCount is 1
  kReportBadFirstReceive,  // reports the "bad" record while its count is 1
  kReportUnknownId,        // reports an id that is not in the batch
};

template <class T>
sim::Task<bool> Succeeds(sim::Task<T> task) {
  T result = co_await std::move(task);
  co_return result.ok();
}

std::string ReceiveCount(const SqsRecord& r) { return r.attributes.at("ApproximateReceiveCount"); }

// 100 ms of work per batch, then the outcome `mode` asks for.
sim::Task<sim::StatusOr<InvocationResult>> HandleBatch(InvocationContext& ctx, InvocationInput input, Mode mode,
                                                       BatchProbe* probe) {
  probe->starts.push_back(ctx.env().Now());
  probe->batches.push_back(input.sqs_records);
  sim::Status slept = co_await ctx.env().sched().Sleep(sim::Milliseconds(100));
  if (!slept.ok()) co_return slept;
  InvocationResult result;
  switch (mode) {
    case Mode::kSucceed:
      break;
    case Mode::kFailFirstReceive:
      if (ReceiveCount(input.sqs_records[0]) == "1") co_return sim::InternalError("transient failure");
      break;
    case Mode::kReportBadFirstReceive:
      for (const SqsRecord& r : input.sqs_records)
        if (r.body == "bad" && ReceiveCount(r) == "1") result.batch_item_failures.push_back(r.message_id);
      break;
    case Mode::kReportUnknownId:
      result.batch_item_failures.push_back("not-a-message-id");
      break;
  }
  co_return result;
}

Handler Batches(Mode mode, BatchProbe* probe) {
  return [mode, probe](InvocationContext& ctx, const InvocationInput& in) { return HandleBatch(ctx, in, mode, probe); };
}

class EventSourceMappingTest : public ::testing::Test {
 protected:
  EventSourceMappingTest() : env_(sched_, 42), sqs_(env_), api_(env_, &sqs_) {}

  // The end of a run as a runner does it: stop the pollers and let them
  // unwind at the current time, before anything is destroyed.
  void TearDown() override {
    api_.StopEventSourceMappings();
    sched_.RunUntil(sched_.Now());
    EXPECT_EQ(sqs_.waiting_pollers(), 0u);
    EXPECT_EQ(sched_.LiveProcesses(), 0u);
  }

  template <class T>
  T Await(sim::Task<T> task) {
    std::optional<T> out;
    sched_.Spawn(Capture<T>(std::move(task), &out, nullptr, &sched_));
    sched_.RunUntil(sched_.Now());
    SIM_CHECK(out.has_value());
    return std::move(*out);
  }

  void CreateQueue(const std::string& name, int visibility_timeout_s = 30) {
    sqs::CreateQueueRequest request;
    request.queue_name = name;
    request.attributes["VisibilityTimeout"] = std::to_string(visibility_timeout_s);
    ASSERT_TRUE(Await(sqs_.CreateQueue(std::move(request))).ok());
  }
  void Send(const std::string& queue, const std::string& body) {
    DeliveryTarget* q = env_.account().ResolveTarget(env_.account().Arn("sqs", queue));
    ASSERT_NE(q, nullptr);
    ASSERT_TRUE(q->Deliver(Delivery{body, "", {}}).ok());
  }
  sqs::QueueCounts Counts(const std::string& queue) { return sqs_.model().Counts(queue, sched_.Now()).value(); }

  void CreateFunction(FunctionConfig config, Handler handler) {
    ASSERT_TRUE(Await(api_.CreateFunction(std::move(config), std::move(handler))).ok());
  }
  EventSourceMappingConfig MappingFor(const std::string& queue, const std::string& function) {
    EventSourceMappingConfig c;
    c.event_source_arn = env_.account().Arn("sqs", queue);
    c.function_name = function;
    c.pollers = 1;
    return c;
  }
  sim::StatusOr<std::string> Map(EventSourceMappingConfig config) {
    return Await(api_.CreateEventSourceMapping(std::move(config)));
  }
  const EventSourceMappingStats& StatsOf(const std::string& uuid) { return api_.FindEventSourceMapping(uuid)->stats(); }

  static sim::Time At(int64_t ms) { return sim::Time::Zero() + sim::Milliseconds(ms); }

  sim::Scheduler sched_;
  Env env_;
  sqs::SqsApi sqs_;
  LambdaApi api_;
  BatchProbe probe_;
};

// --- CreateEventSourceMapping validation ----------------------------------------------

TEST_F(EventSourceMappingTest, CreateRejectsBatchSizeOutsideOneToTenThousand) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  for (int size : {0, 10'001}) {
    EventSourceMappingConfig c = MappingFor("q", "f");
    c.batch_size = size;
    c.maximum_batching_window = sim::Seconds(1);
    EXPECT_EQ(Map(c).status().name(), "InvalidParameterValueException") << size;
  }
}

TEST_F(EventSourceMappingTest, CreateRejectsBatchAboveTenWithoutABatchingWindow) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.batch_size = 11;
  sim::StatusOr<std::string> m = Map(c);
  EXPECT_EQ(m.status().name(), "InvalidParameterValueException");
  EXPECT_EQ(m.status().message(),
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
  c.maximum_batching_window = sim::Seconds(1);
  EXPECT_TRUE(Map(c).ok());
}

TEST_F(EventSourceMappingTest, CreateRejectsBatchingWindowAboveThreeHundredSeconds) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.maximum_batching_window = sim::Seconds(301);
  EXPECT_EQ(Map(c).status().name(), "InvalidParameterValueException");
  c.maximum_batching_window = sim::Seconds(300);
  EXPECT_TRUE(Map(c).ok());
}

TEST_F(EventSourceMappingTest, CreateRejectsUnknownFunction) {
  CreateQueue("q");
  EXPECT_EQ(Map(MappingFor("q", "nope")).status().name(), "ResourceNotFoundException");
}

TEST_F(EventSourceMappingTest, CreateRejectsAQueueThatDoesNotExist) {
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  sim::StatusOr<std::string> m = Map(MappingFor("missing", "f"));
  EXPECT_EQ(m.status().name(), "InvalidParameterValueException");
  EXPECT_NE(m.status().message().find("QueueDoesNotExist"), std::string_view::npos) << m.status().message();
}

TEST_F(EventSourceMappingTest, CreateRejectsFunctionTimeoutAboveQueueVisibilityTimeout) {
  CreateQueue("q", 30);
  FunctionConfig f = Config("f");
  f.timeout = sim::Seconds(60);
  CreateFunction(f, Batches(Mode::kSucceed, &probe_));
  sim::StatusOr<std::string> m = Map(MappingFor("q", "f"));
  EXPECT_EQ(m.status().name(), "InvalidParameterValueException");
  EXPECT_EQ(m.status().message(), "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds");
}

// --- processing ----------------------------------------------------------------------------

TEST_F(EventSourceMappingTest, MessagesSentToTheQueueAreProcessedAndDeleted) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  sim::StatusOr<std::string> uuid = Map(MappingFor("q", "f"));
  ASSERT_TRUE(uuid.ok()) << uuid.status().ToString();
  sched_.RunUntil(At(1000));
  Send("q", "m1");
  Send("q", "m2");
  Send("q", "m3");
  sched_.RunUntil(At(2000));
  ASSERT_EQ(probe_.batches.size(), 1u);
  EXPECT_EQ(probe_.starts[0], At(1250));  // received at 1 s, 250 ms cold start
  const std::vector<SqsRecord>& batch = probe_.batches[0];
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0].body, "m1");
  EXPECT_EQ(batch[1].body, "m2");
  EXPECT_EQ(batch[2].body, "m3");
  EXPECT_EQ(ReceiveCount(batch[0]), "1");
  EXPECT_EQ(batch[0].event_source_arn, "arn:aws:sqs:us-east-1:000000000000:q");
  EXPECT_EQ(Counts("q").total(), 0);
  const EventSourceMappingStats& st = StatsOf(*uuid);
  EXPECT_EQ(st.batches, 1u);
  EXPECT_EQ(st.batches_succeeded, 1u);
  EXPECT_EQ(st.records_deleted, 3u);
  EXPECT_EQ(api_.Stats("f")->invocations, 1u);
}

TEST_F(EventSourceMappingTest, FailedBatchIsRedeliveredAfterTheVisibilityTimeoutWithReceiveCountIncremented) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Batches(Mode::kFailFirstReceive, &probe_));
  sim::StatusOr<std::string> uuid = Map(MappingFor("q", "f"));
  ASSERT_TRUE(uuid.ok());
  Send("q", "m");
  sched_.RunUntil(At(1000));
  EXPECT_EQ(Counts("q").in_flight, 1);  // not deleted
  EXPECT_EQ(StatsOf(*uuid).batches_failed, 1u);
  sched_.RunUntil(At(29'999));
  EXPECT_EQ(probe_.batches.size(), 1u);
  sched_.RunUntil(At(31'000));
  ASSERT_EQ(probe_.batches.size(), 2u);
  EXPECT_EQ(probe_.starts[0], At(250));
  EXPECT_EQ(probe_.starts[1], At(30'000));  // received at 0 s + 30 s visibility; warm
  EXPECT_EQ(ReceiveCount(probe_.batches[0][0]), "1");
  EXPECT_EQ(ReceiveCount(probe_.batches[1][0]), "2");
  EXPECT_EQ(probe_.batches[1][0].message_id, probe_.batches[0][0].message_id);
  EXPECT_EQ(Counts("q").total(), 0);
  EXPECT_EQ(StatsOf(*uuid).records_deleted, 1u);
}

TEST_F(EventSourceMappingTest, PartialBatchFailureDeletesOnlyTheSucceededMessages) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Batches(Mode::kReportBadFirstReceive, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.report_batch_item_failures = true;
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  Send("q", "a");
  Send("q", "bad");
  Send("q", "c");
  sched_.RunUntil(At(1000));
  ASSERT_EQ(probe_.batches.size(), 1u);
  EXPECT_EQ(probe_.batches[0].size(), 3u);
  EXPECT_EQ(StatsOf(*uuid).records_deleted, 2u);
  EXPECT_EQ(Counts("q").in_flight, 1);
  sched_.RunUntil(At(31'000));
  ASSERT_EQ(probe_.batches.size(), 2u);
  ASSERT_EQ(probe_.batches[1].size(), 1u);
  EXPECT_EQ(probe_.batches[1][0].body, "bad");
  EXPECT_EQ(ReceiveCount(probe_.batches[1][0]), "2");
  EXPECT_EQ(Counts("q").total(), 0);
}

TEST_F(EventSourceMappingTest, UnknownBatchItemIdentifierFailsTheWholeBatch) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Batches(Mode::kReportUnknownId, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.report_batch_item_failures = true;
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  Send("q", "a");
  Send("q", "b");
  sched_.RunUntil(At(1000));
  EXPECT_EQ(StatsOf(*uuid).batches_failed, 1u);
  EXPECT_EQ(StatsOf(*uuid).records_deleted, 0u);
  EXPECT_EQ(Counts("q").in_flight, 2);
}

TEST_F(EventSourceMappingTest, BatchItemFailuresAreIgnoredWithoutReportBatchItemFailures) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Batches(Mode::kReportUnknownId, &probe_));
  sim::StatusOr<std::string> uuid = Map(MappingFor("q", "f"));
  ASSERT_TRUE(uuid.ok());
  Send("q", "a");
  sched_.RunUntil(At(1000));
  EXPECT_EQ(StatsOf(*uuid).records_deleted, 1u);
  EXPECT_EQ(Counts("q").total(), 0);
}

TEST_F(EventSourceMappingTest, ThrottledBatchIsNotDeletedAndReappearsAfterTheVisibilityTimeout) {
  CreateQueue("q", 30);
  FunctionConfig f = Config("f");
  f.reserved_concurrency = 0;
  CreateFunction(f, Batches(Mode::kSucceed, &probe_));
  sim::StatusOr<std::string> uuid = Map(MappingFor("q", "f"));
  ASSERT_TRUE(uuid.ok());
  Send("q", "m");
  sched_.RunUntil(At(29'999));
  EXPECT_EQ(StatsOf(*uuid).batches_throttled, 1u);
  EXPECT_EQ(Counts("q").in_flight, 1);
  sched_.RunUntil(At(30'000));
  EXPECT_EQ(StatsOf(*uuid).batches_throttled, 2u);  // received again at 30 s, throttled again
  EXPECT_TRUE(probe_.batches.empty());
  EXPECT_EQ(api_.Stats("f")->throttles, 2u);
  EXPECT_EQ(api_.Stats("f")->invocations, 0u);
}

TEST_F(EventSourceMappingTest, BatchingWindowGathersMessagesUntilTheWindowEnds) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.batch_size = 20;
  c.maximum_batching_window = sim::Seconds(2);
  ASSERT_TRUE(Map(c).ok());
  for (int i = 0; i < 5; ++i) Send("q", "early" + std::to_string(i));  // the window opens at 0 s
  sched_.RunUntil(At(1000));
  EXPECT_TRUE(probe_.batches.empty());
  for (int i = 0; i < 5; ++i) Send("q", "late" + std::to_string(i));
  sched_.RunUntil(At(3000));
  ASSERT_EQ(probe_.batches.size(), 1u);
  EXPECT_EQ(probe_.batches[0].size(), 10u);
  EXPECT_EQ(probe_.starts[0], At(2250));  // invoked when the window closed at 2 s
}

TEST_F(EventSourceMappingTest, FullBatchIsInvokedWithoutWaitingForTheWindow) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.batch_size = 15;
  c.maximum_batching_window = sim::Seconds(10);
  ASSERT_TRUE(Map(c).ok());
  for (int i = 0; i < 20; ++i) Send("q", "m" + std::to_string(i));
  sched_.RunUntil(At(300));
  ASSERT_EQ(probe_.batches.size(), 1u);
  EXPECT_EQ(probe_.batches[0].size(), 15u);  // two receives: 10 + 5
  EXPECT_EQ(probe_.starts[0], At(250));
}

TEST_F(EventSourceMappingTest, ConcurrentPollersInvokeBatchesInParallel) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.batch_size = 2;
  c.pollers = 3;
  ASSERT_TRUE(Map(c).ok());
  for (int i = 0; i < 6; ++i) Send("q", "m" + std::to_string(i));
  sched_.RunUntil(At(1000));
  ASSERT_EQ(probe_.batches.size(), 3u);
  for (const auto& b : probe_.batches) EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(api_.Stats("f")->peak_concurrent, 3);
  EXPECT_EQ(Counts("q").total(), 0);
}

// --- lifetime ----------------------------------------------------------------------------

TEST_F(EventSourceMappingTest, DisabledMappingStopsPollingAndEnableResumes) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.pollers = 2;
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  ASSERT_TRUE(api_.DisableEventSourceMapping(*uuid).ok());
  sched_.RunUntil(sched_.Now());
  EXPECT_EQ(api_.FindEventSourceMapping(*uuid)->live_pollers(), 0);
  EXPECT_EQ(sqs_.waiting_pollers(), 0u);
  Send("q", "m");
  sched_.RunUntil(At(5000));
  EXPECT_TRUE(probe_.batches.empty());
  EXPECT_EQ(Counts("q").visible, 1);
  ASSERT_TRUE(api_.EnableEventSourceMapping(*uuid).ok());
  sched_.RunUntil(At(6000));
  ASSERT_EQ(probe_.batches.size(), 1u);
  EXPECT_EQ(probe_.starts[0], At(5250));
  EXPECT_EQ(api_.EnableEventSourceMapping("no-such-uuid").name(), "ResourceNotFoundException");
}

TEST_F(EventSourceMappingTest, DisableLetsAnInFlightBatchFinishAndDeleteIt) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  sim::StatusOr<std::string> uuid = Map(MappingFor("q", "f"));
  ASSERT_TRUE(uuid.ok());
  Send("q", "m");
  sched_.RunUntil(At(300));  // handler running (250..350 ms)
  ASSERT_TRUE(api_.DisableEventSourceMapping(*uuid).ok());
  EXPECT_EQ(api_.EnableEventSourceMapping(*uuid).name(), "ResourceInUseException");
  sched_.RunUntil(At(1000));
  EXPECT_EQ(StatsOf(*uuid).records_deleted, 1u);
  EXPECT_EQ(api_.FindEventSourceMapping(*uuid)->live_pollers(), 0);
  EXPECT_EQ(Counts("q").total(), 0);
}

TEST_F(EventSourceMappingTest, StopInterruptsAnInFlightInvocationAndDeletesNothing) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  sim::StatusOr<std::string> uuid = Map(MappingFor("q", "f"));
  ASSERT_TRUE(uuid.ok());
  Send("q", "m");
  sched_.RunUntil(At(300));
  api_.StopEventSourceMappings();
  sched_.RunUntil(sched_.Now());
  EXPECT_EQ(sched_.LiveProcesses(), 0u);  // pollers and the handler have unwound
  EXPECT_EQ(StatsOf(*uuid).records_deleted, 0u);
  EXPECT_EQ(Counts("q").in_flight, 1);
  EXPECT_EQ(api_.Stats("f")->concurrent, 0);
}

TEST_F(EventSourceMappingTest, IdleMappingDoesNotKeepRunAliveWithDaemonLongPolls) {
  sqs_.set_long_poll_daemon(true);
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  ASSERT_TRUE(Map(MappingFor("q", "f")).ok());
  Send("q", "m");
  sched_.Run();  // processes the message, then only daemon events remain
  EXPECT_EQ(probe_.batches.size(), 1u);
  EXPECT_EQ(sched_.Now(), At(350));
  EXPECT_EQ(Counts("q").total(), 0);
}

// Runners should stop mappings first (TearDown above); destroying the
// services and the scheduler with pollers long-polling and an invocation in
// flight must still free everything (checked under ASan).
TEST(EventSourceMappingLifetime, DestroyingEverythingWithPollersStillRunningIsClean) {
  sim::Scheduler sched;
  Env env(sched, 1);
  sqs::SqsApi sqs(env);
  LambdaApi api(env, &sqs);
  auto await = [&sched](sim::Task<bool> task) {
    std::optional<bool> ok;
    sched.Spawn(Capture<bool>(std::move(task), &ok, nullptr, &sched));
    sched.RunUntil(sched.Now());
    return ok.value_or(false);
  };
  sqs::CreateQueueRequest q;
  q.queue_name = "q";
  ASSERT_TRUE(await(Succeeds(sqs.CreateQueue(q))));
  ASSERT_TRUE(await(Succeeds(api.CreateFunction(Config("f"), test_util::Echo(sim::Seconds(2))))));
  EventSourceMappingConfig c;
  c.event_source_arn = env.account().Arn("sqs", "q");
  c.function_name = "f";
  c.pollers = 3;
  ASSERT_TRUE(await(Succeeds(api.CreateEventSourceMapping(c))));
  ASSERT_TRUE(env.account().ResolveTarget(c.event_source_arn)->Deliver(Delivery{"m", "", {}}).ok());
  sched.RunUntil(sim::Time::Zero() + sim::Seconds(1));
  EXPECT_EQ(sqs.waiting_pollers(), 2u);      // two idle pollers
  EXPECT_EQ(api.Stats("f")->concurrent, 1);  // one batch in flight
}

}  // namespace
}  // namespace emu::lambda
