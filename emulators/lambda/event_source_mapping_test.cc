#include "emulators/lambda/event_source_mapping.h"

#include <gtest/gtest.h>

#include "emulators/lambda/lambda_test_util.h"
#include "emulators/sqs/sqs_api.h"
#include "emulators/sqs/sqs_model.h"

namespace emu::lambda {
namespace {

using test_util::Capture;
using test_util::Config;
using test_util::Probe;

struct BatchProbe {
  std::vector<sim::Time> starts;
  std::vector<std::vector<SqsRecord>> batches;
};

enum class Mode {
  kSucceed,
  kFailFirstReceive,       // error status while ApproximateReceiveCount is 1
  kReportBadFirstReceive,  // reports the "bad" record while its count is 1
  kReportUnknownId,        // reports an id that is not in the batch
  kReportEmptyId,          // reports an empty itemIdentifier
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
    case Mode::kReportEmptyId:
      result.batch_item_failures.push_back("");
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

TEST_F(EventSourceMappingTest, TimedOutBatchIsRedeliveredAfterTheVisibilityTimeoutToAColdEnvironment) {
  CreateQueue("q", 30);
  FunctionConfig f = Config("f");
  f.timeout = sim::Seconds(1);
  Probe probe;
  CreateFunction(f, test_util::Echo(sim::Seconds(5), &probe));
  sim::StatusOr<std::string> uuid = Map(MappingFor("q", "f"));
  ASSERT_TRUE(uuid.ok());
  Send("q", "m");
  sched_.RunUntil(At(2000));
  ASSERT_EQ(probe.statuses.size(), 1u);
  EXPECT_EQ(probe.statuses[0].code(), sim::StatusCode::kInterrupted);  // interrupted at 1.25 s
  EXPECT_EQ(probe.ends[0], At(1250));
  EXPECT_EQ(StatsOf(*uuid).batches_failed, 1u);
  EXPECT_EQ(Counts("q").in_flight, 1);
  sched_.RunUntil(At(31'000));
  ASSERT_EQ(probe.starts.size(), 2u);
  EXPECT_EQ(probe.starts[1], At(30'250));  // visible again at 30 s; the reset environment starts cold
  EXPECT_EQ(ReceiveCount(probe.inputs[1].sqs_records[0]), "2");
  EXPECT_EQ(api_.Stats("f")->timeouts, 1u);
  EXPECT_EQ(api_.Stats("f")->cold_starts, 2u);
  // The second attempt is still running and writes to `probe`: end it here.
  api_.StopEventSourceMappings();
  sched_.RunUntil(sched_.Now());
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

// --- more validation --------------------------------------------------------------------------

TEST_F(EventSourceMappingTest, CreateRejectsMaximumConcurrencyOutsideTwoToOneThousand) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  for (int max : {1, 1001}) {
    EventSourceMappingConfig c = MappingFor("q", "f");
    c.maximum_concurrency = max;
    EXPECT_EQ(Map(c).status().name(), "InvalidParameterValueException") << max;
  }
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.maximum_concurrency = 2;
  EXPECT_TRUE(Map(c).ok());
}

TEST_F(EventSourceMappingTest, CreateRejectsInvalidFilterPatterns) {
  CreateQueue("q");
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  for (const char* p : {"not json", "[]", R"({"body":"x"})", R"({"body":{"a":[{"wildcard":"x"}]}})"}) {
    EventSourceMappingConfig c = MappingFor("q", "f");
    c.filter_patterns = {p};
    EXPECT_EQ(Map(c).status().name(), "InvalidParameterValueException") << p;
  }
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.filter_patterns = std::vector<std::string>(6, R"({"body":["x"]})");
  EXPECT_EQ(Map(c).status().name(), "InvalidParameterValueException");
}

// --- partial batch responses ----------------------------------------------------------------

TEST_F(EventSourceMappingTest, EmptyBatchItemFailuresListMeansTheWholeBatchSucceeded) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.report_batch_item_failures = true;
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  Send("q", "a");
  Send("q", "b");
  sched_.RunUntil(At(1000));
  EXPECT_EQ(StatsOf(*uuid).batches_succeeded, 1u);
  EXPECT_EQ(StatsOf(*uuid).records_deleted, 2u);
  EXPECT_EQ(Counts("q").total(), 0);
}

TEST_F(EventSourceMappingTest, EmptyItemIdentifierFailsTheWholeBatch) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Batches(Mode::kReportEmptyId, &probe_));
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

// --- filters, payload cap, queue age ---------------------------------------------------------

TEST_F(EventSourceMappingTest, FilterCriteriaDeleteNonMatchingMessagesWithoutInvoking) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.filter_patterns = {R"({"body":{"type":["keep"]}})"};
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  Send("q", R"({"type":"keep","n":1})");
  Send("q", R"({"type":"drop"})");
  Send("q", "plain text");
  sched_.RunUntil(At(1000));
  ASSERT_EQ(probe_.batches.size(), 1u);
  ASSERT_EQ(probe_.batches[0].size(), 1u);
  EXPECT_EQ(probe_.batches[0][0].body, R"({"type":"keep","n":1})");
  EXPECT_EQ(StatsOf(*uuid).records_filtered, 2u);
  EXPECT_EQ(StatsOf(*uuid).records_deleted, 1u);
  EXPECT_EQ(Counts("q").total(), 0);
}

TEST_F(EventSourceMappingTest, BatchIsCutAtTheSixMegabytePayloadCap) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.batch_size = 100;
  c.maximum_batching_window = sim::Seconds(1);
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  // 40 records of about 200.6 KB: 31 fit in 6 MiB (6,291,456 bytes).
  for (int i = 0; i < 40; ++i) Send("q", std::string(200'000, static_cast<char>('a' + i % 26)));
  sched_.RunUntil(At(5000));
  ASSERT_EQ(probe_.batches.size(), 2u);
  EXPECT_EQ(probe_.batches[0].size(), 31u);
  EXPECT_EQ(probe_.batches[1].size(), 9u);
  EXPECT_EQ(StatsOf(*uuid).batches_split, 1u);
  EXPECT_EQ(Counts("q").total(), 0);
}

TEST_F(EventSourceMappingTest, QueueAgeMetricRecordsTheOldestRecordOfEachBatch) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Batches(Mode::kSucceed, &probe_));
  sim::StatusOr<std::string> uuid = Map(MappingFor("q", "f"));
  ASSERT_TRUE(uuid.ok());
  ASSERT_TRUE(api_.DisableEventSourceMapping(*uuid).ok());
  sched_.RunUntil(sched_.Now());
  Send("q", "old");
  sched_.RunUntil(At(2000));
  Send("q", "new");
  sched_.RunUntil(At(3000));
  ASSERT_TRUE(api_.EnableEventSourceMapping(*uuid).ok());
  sched_.RunUntil(At(4000));
  const sim::Histogram& age = env_.metrics().GetHistogram("lambda.esm.f.queue_age_ns");
  EXPECT_EQ(age.count(), 1u);
  EXPECT_EQ(age.max(), sim::Seconds(3).nanos());
}

// --- scaling --------------------------------------------------------------------------------

class EventSourceMappingScalingTest : public EventSourceMappingTest {
 protected:
  void SendMany(const std::string& queue, int n) {
    DeliveryTarget* q = env_.account().ResolveTarget(env_.account().Arn("sqs", queue));
    for (int i = 0; i < n; ++i) ASSERT_TRUE(q->Deliver(Delivery{"m", "", {}}).ok());
  }
  EventSourceMapping& Mapping(const std::string& uuid) { return *api_.FindEventSourceMapping(uuid); }
  static sim::Time Sec(int64_t s) { return sim::Time::Zero() + sim::Seconds(s); }
  bool failing_ = false;
};

sim::Task<sim::StatusOr<InvocationResult>> SleepFor(InvocationContext& ctx, sim::Duration d) {
  sim::Status slept = co_await ctx.env().sched().Sleep(d);
  if (!slept.ok()) co_return slept;
  co_return InvocationResult{};
}
Handler Sleeps(sim::Duration d) {
  return [d](InvocationContext& ctx, const InvocationInput&) { return SleepFor(ctx, d); };
}

// 2 s of work, then an error while *failing is set.
sim::Task<sim::StatusOr<InvocationResult>> FailWhile(InvocationContext& ctx, const bool* failing) {
  sim::Status slept = co_await ctx.env().sched().Sleep(sim::Seconds(2));
  if (!slept.ok()) co_return slept;
  if (*failing) co_return sim::InternalError("failing");
  co_return InvocationResult{};
}
Handler FailsWhile(const bool* failing) {
  return [failing](InvocationContext& ctx, const InvocationInput&) { return FailWhile(ctx, failing); };
}

TEST_F(EventSourceMappingScalingTest, ScaleUpStartsAtFiveAndAddsThreeHundredPerMinuteUnderABacklog) {
  CreateQueue("q", 60);
  FunctionConfig f = Config("f");
  f.timeout = sim::Seconds(30);
  CreateFunction(f, Sleeps(sim::Seconds(10)));
  SendMany("q", 200'000);
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.pollers = 0;  // AWS scaling
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  EventSourceMapping& m = Mapping(*uuid);
  EXPECT_EQ(m.active_pollers(), 5);
  const std::vector<std::pair<int64_t, int>> curve = {{1, 10}, {30, 155}, {60, 305}, {120, 605}, {180, 905}};
  for (const auto& [t, expected] : curve) {
    sched_.RunUntil(Sec(t));
    EXPECT_EQ(m.target_concurrency(), expected) << t << " s";
    EXPECT_EQ(m.active_pollers(), expected) << t << " s";
  }
  sched_.RunUntil(Sec(240));
  EXPECT_EQ(m.target_concurrency(), 1000);  // the per-mapping maximum, reached at 199 s
  EXPECT_EQ(StatsOf(*uuid).peak_concurrency, 1000);
  EXPECT_EQ(StatsOf(*uuid).batches_throttled, 0u);
  EXPECT_EQ(api_.Stats("f")->throttles, 0u);
  EXPECT_EQ(env_.metrics().GetGauge("lambda.esm.f.concurrency").max(), 1000);
}

TEST_F(EventSourceMappingScalingTest, IdleMappingScalesBackDownToFive) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Sleeps(sim::Seconds(1)));
  SendMany("q", 5'000);
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.pollers = 0;
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  EventSourceMapping& m = Mapping(*uuid);
  sched_.RunUntil(Sec(60));
  EXPECT_EQ(Counts("q").total(), 0);
  EXPECT_GT(StatsOf(*uuid).peak_concurrency, 50);
  sched_.RunUntil(Sec(120));  // every poller has had a 20 s empty long poll
  EXPECT_EQ(m.target_concurrency(), 5);
  EXPECT_EQ(m.active_pollers(), 5);
  EXPECT_EQ(StatsOf(*uuid).records_deleted, 5'000u);
}

TEST_F(EventSourceMappingScalingTest, FunctionErrorsMakeTheMappingBackOffItsConcurrency) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), FailsWhile(&failing_));
  SendMany("q", 50'000);
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.pollers = 0;
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  EventSourceMapping& m = Mapping(*uuid);
  sched_.RunUntil(Sec(20));
  EXPECT_EQ(m.target_concurrency(), 105);
  failing_ = true;
  sched_.RunUntil(Sec(40));
  EXPECT_EQ(m.target_concurrency(), 5);
  EXPECT_EQ(m.active_pollers(), 5);
  EXPECT_GE(StatsOf(*uuid).batches_failed, 100u);
  failing_ = false;
  sched_.RunUntil(Sec(60));
  EXPECT_GT(m.target_concurrency(), 5);  // scales out again once the errors stop
}

TEST_F(EventSourceMappingScalingTest, MaximumConcurrencyCapsConcurrentBatches) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Sleeps(sim::Seconds(1)));
  CreateQueue("q2", 30);
  SendMany("q", 20'000);
  SendMany("q2", 100'000);
  EventSourceMappingConfig two = MappingFor("q", "f");
  two.pollers = 0;
  two.maximum_concurrency = 2;
  EventSourceMappingConfig fifty = MappingFor("q2", "f");
  fifty.pollers = 0;
  fifty.maximum_concurrency = 50;
  sim::StatusOr<std::string> a = Map(two);
  sim::StatusOr<std::string> b = Map(fifty);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Mapping(*a).active_pollers(), 2);  // starts at the cap, below 5
  sched_.RunUntil(Sec(60));
  EXPECT_EQ(Mapping(*a).target_concurrency(), 2);
  EXPECT_EQ(StatsOf(*a).peak_concurrency, 2);
  EXPECT_EQ(Mapping(*b).target_concurrency(), 50);
  EXPECT_EQ(StatsOf(*b).peak_concurrency, 50);
  EXPECT_EQ(api_.Stats("f")->throttles, 0u);
}

TEST_F(EventSourceMappingScalingTest, ThrottlesUnderALowConcurrencyCapPushHealthyMessagesToTheDlq) {
  CreateQueue("dlq", 30);
  sqs::CreateQueueRequest request;
  request.queue_name = "q";
  request.attributes["VisibilityTimeout"] = "30";
  request.attributes["RedrivePolicy"] =
      R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":1})";
  ASSERT_TRUE(Await(sqs_.CreateQueue(std::move(request))).ok());
  FunctionConfig f = Config("f");
  f.reserved_concurrency = 1;
  CreateFunction(f, Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.pollers = 5;
  c.batch_size = 1;
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  for (int i = 0; i < 5; ++i) Send("q", "healthy" + std::to_string(i));
  sched_.RunUntil(Sec(60));
  EXPECT_EQ(probe_.batches.size(), 1u);  // the handler never failed
  EXPECT_EQ(StatsOf(*uuid).batches_throttled, 4u);
  EXPECT_EQ(api_.Stats("f")->throttles, 4u);
  EXPECT_EQ(Counts("q").total(), 0);
  EXPECT_EQ(Counts("dlq").visible, 4);  // received once, throttled, then over maxReceiveCount
}

TEST_F(EventSourceMappingScalingTest, MaximumConcurrencyAtTheReservedConcurrencyAvoidsThrottles) {
  CreateQueue("q", 30);
  FunctionConfig f = Config("f");
  f.reserved_concurrency = 2;
  CreateFunction(f, Batches(Mode::kSucceed, &probe_));
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.pollers = 0;
  c.batch_size = 1;
  c.maximum_concurrency = 2;
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  for (int i = 0; i < 20; ++i) Send("q", "m" + std::to_string(i));
  sched_.RunUntil(Sec(10));
  EXPECT_EQ(probe_.batches.size(), 20u);
  EXPECT_EQ(api_.Stats("f")->throttles, 0u);
  EXPECT_EQ(api_.Stats("f")->peak_concurrent, 2);
  EXPECT_EQ(Counts("q").total(), 0);
}

TEST_F(EventSourceMappingScalingTest, PinnedPrewarmedMappingHasNoColdStartsAndNeverScales) {
  CreateQueue("q", 30);
  CreateFunction(Config("f"), Sleeps(sim::Seconds(1)));
  SendMany("q", 400);
  EventSourceMappingConfig c = MappingFor("q", "f");
  c.pollers = 4;
  c.batch_size = 1;
  c.prewarm_environments = true;
  sim::StatusOr<std::string> uuid = Map(c);
  ASSERT_TRUE(uuid.ok());
  EventSourceMapping& m = Mapping(*uuid);
  sched_.RunUntil(At(49'500));
  EXPECT_EQ(m.active_pollers(), 4);
  EXPECT_EQ(StatsOf(*uuid).peak_concurrency, 4);
  EXPECT_EQ(api_.Stats("f")->cold_starts, 0u);
  EXPECT_EQ(StatsOf(*uuid).records_deleted, 196u);  // 4 pollers x 49 one-second batches
  sched_.RunUntil(Sec(200));                        // idle: still 4
  EXPECT_EQ(m.active_pollers(), 4);
}

}  // namespace
}  // namespace emu::lambda
