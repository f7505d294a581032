// The clean/enrich stage on real emulators: idempotency under duplicate
// notifications and under a retry after a timeout in the middle of writing.

#include "pipeline/stages/clean_enrich.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulators/s3/s3_model.h"
#include "pipeline/generator/raw_file.h"

namespace pipeline {
namespace {

class CleanEnrichTest : public ::testing::Test {
 protected:
  CleanEnrichTest() : env_(sched_, 7), s3_(env_), lambda_(env_, nullptr), stage_(env_, s3_, layout_, emu::RetryConfig{}) {
    env_.set_zero_latency(true);
    spec_.seed = 99;
    spec_.records = 3000;
    spec_.dirty_ratio = 0.1;
    spec_.window_end_ms = env_.UnixMillis(sim::Time::Zero() + sim::Hours(4));
    spec_.window_start_ms = spec_.window_end_ms - 3 * 3'600'000;  // three event-time hours
  }
  ~CleanEnrichTest() override { sched_.Shutdown(); }

  sim::Task<void> Setup(sim::Duration timeout) {
    emu::s3::CreateBucketRequest bucket{layout_.bucket};
    sim::Status created = co_await s3_.CreateBucket(bucket);
    EXPECT_TRUE(created.ok()) << created.ToString();
    emu::s3::PutObjectRequest put;
    put.bucket = layout_.bucket;
    put.key = raw_key_;
    put.body = emu::s3::ObjectBody::FromSource(std::make_shared<RawFileSource>(spec_, &truth_, nullptr));
    sim::StatusOr<emu::s3::PutObjectResponse> written = co_await s3_.PutObject(put);
    EXPECT_TRUE(written.ok());
    etag_ = written->etag.substr(1, 32);
    co_await AddFunction("clean", timeout);
  }

  sim::Task<void> AddFunction(std::string name, sim::Duration timeout) {
    emu::lambda::FunctionConfig f;
    f.function_name = name;
    f.timeout = timeout;
    f.compute = emu::lambda::ComputeProfile{0, 0, 0};
    emu::lambda::Handler handler = stage_.AsHandler();
    sim::Status created = co_await lambda_.CreateFunction(f, handler);
    EXPECT_TRUE(created.ok()) << created.ToString();
  }

  emu::lambda::InvocationInput EventFor(const std::string& message_id) const {
    nlohmann::json event = {{"Records",
                             {{{"eventName", "ObjectCreated:Put"},
                               {"s3",
                                {{"bucket", {{"name", layout_.bucket}}},
                                 {"object", {{"key", raw_key_}, {"eTag", etag_}, {"size", 1}}}}}}}}};
    emu::lambda::InvocationInput input;
    emu::lambda::SqsRecord record;
    record.message_id = message_id;
    record.body = event.dump();
    input.sqs_records.push_back(record);
    return input;
  }

  sim::Task<void> Invoke(std::string function, std::string message_id, emu::lambda::InvocationOutcome* out) {
    emu::lambda::InvocationInput input = EventFor(message_id);
    *out = co_await lambda_.InvokeFunction(function, input);
  }
  sim::Task<void> InvokeWith(std::string function, emu::lambda::InvocationInput input,
                             emu::lambda::InvocationOutcome* out) {
    *out = co_await lambda_.InvokeFunction(function, input);
  }

  void RunProcess(sim::Task<void> task) {
    sched_.Spawn(std::move(task));
    sched_.Run();
  }

  std::vector<std::string> Keys(const std::string& prefix) const {
    return s3_.model().KeysWithPrefix(layout_.bucket, prefix);
  }

  const emu::s3::StoredObject* Manifest() const {
    return s3_.model().FindObject(layout_.bucket, layout_.ManifestKey(raw_key_, etag_));
  }

  sim::Scheduler sched_;
  emu::Env env_;
  emu::s3::S3Api s3_;
  emu::lambda::LambdaApi lambda_;
  Layout layout_;
  CleanEnrichStage stage_;
  RawFileSpec spec_;
  FileTruth truth_;
  std::string raw_key_ = "raw/dt=2026-01-01/hr=03/collector-00-00000001.jsonl";
  std::string etag_;
};

TEST_F(CleanEnrichTest, CommitsPartsAndAManifestThatMatchTheGroundTruth) {
  emu::lambda::InvocationOutcome out;
  RunProcess(Setup(sim::Seconds(60)));
  RunProcess(Invoke("clean", "m1", &out));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_FALSE(out.function_error) << out.error_message;
  EXPECT_TRUE(out.result.batch_item_failures.empty());
  ASSERT_NE(Manifest(), nullptr);
  const auto m = nlohmann::json::parse(Manifest()->body->Read());
  EXPECT_EQ(m["records"], truth_.records);
  EXPECT_EQ(m["clean"], truth_.clean);
  EXPECT_EQ(m["dirty"], truth_.dirty_total());
  // Three event-time hours (the window may straddle a fourth) -> 3..4 clean parts, one dirty part.
  EXPECT_GE(Keys("clean/").size(), 3u);
  EXPECT_LE(Keys("clean/").size(), 4u);
  EXPECT_EQ(Keys("dirty/").size(), 1u);
  EXPECT_EQ(m["parts"].size(), Keys("clean/").size() + 1);
  uint64_t clean_lines = 0;
  for (const std::string& key : Keys("clean/")) {
    const std::string body = s3_.model().FindObject(layout_.bucket, key)->body->Read();
    clean_lines += static_cast<uint64_t>(std::count(body.begin(), body.end(), '\n'));
  }
  EXPECT_EQ(clean_lines, truth_.clean);
}

TEST_F(CleanEnrichTest, DuplicateNotificationOfTheSameKeyAndEtagIsANoOp) {
  emu::lambda::InvocationOutcome first, second;
  RunProcess(Setup(sim::Seconds(60)));
  RunProcess(Invoke("clean", "m1", &first));
  ASSERT_NE(Manifest(), nullptr);
  const uint64_t sequencer = Manifest()->sequencer;
  const auto parts_before = Keys("clean/");
  RunProcess(Invoke("clean", "m2", &second));
  EXPECT_TRUE(second.result.batch_item_failures.empty());
  EXPECT_EQ(stage_.stats().files_committed, 1u);
  EXPECT_EQ(stage_.stats().duplicates_skipped, 1u);
  EXPECT_EQ(Manifest()->sequencer, sequencer);  // not rewritten
  EXPECT_EQ(Keys("clean/"), parts_before);
}

TEST_F(CleanEnrichTest, RetryAfterATimeoutMidWriteRewritesTheSameKeysAndCountsOnce) {
  // Each PUT takes 0.5 s and the function has 1 s: it times out after the
  // first part, before the manifest.
  env_.set_zero_latency(false);
  s3_.behaviour().SetLatency(emu::LatencySpec::Zero());
  s3_.behaviour().Get("PutObject").latency = emu::LatencySpec::Constant(0.5);
  emu::lambda::InvocationOutcome timed_out, retried;
  RunProcess(Setup(sim::Seconds(1)));
  RunProcess(Invoke("clean", "m1", &timed_out));
  EXPECT_TRUE(timed_out.timed_out);
  EXPECT_EQ(Manifest(), nullptr);
  const auto partial = Keys("clean/");
  EXPECT_GE(partial.size(), 1u);
  EXPECT_LT(partial.size(), 3u);

  RunProcess(AddFunction("clean-long", sim::Seconds(60)));
  RunProcess(Invoke("clean-long", "m1", &retried));
  EXPECT_FALSE(retried.function_error) << retried.error_message;
  ASSERT_NE(Manifest(), nullptr);
  const auto all = Keys("clean/");
  for (const std::string& key : partial) EXPECT_NE(std::find(all.begin(), all.end(), key), all.end()) << key;
  const auto m = nlohmann::json::parse(Manifest()->body->Read());
  EXPECT_EQ(m["parts"].size(), all.size() + 1);  // no stray part from the first attempt
  EXPECT_EQ(m["clean"], truth_.clean);
  EXPECT_EQ(stage_.stats().files_committed, 1u);
  EXPECT_EQ(stage_.stats().records_clean, truth_.clean);
}

TEST_F(CleanEnrichTest, PoisonFileFailsEveryTimeAndLeavesItsReason) {
  spec_.poison = true;
  emu::lambda::InvocationOutcome first, second;
  RunProcess(Setup(sim::Seconds(60)));
  RunProcess(Invoke("clean", "m1", &first));
  RunProcess(Invoke("clean", "m1", &second));
  EXPECT_EQ(first.result.batch_item_failures, std::vector<std::string>{"m1"});
  EXPECT_EQ(second.result.batch_item_failures, std::vector<std::string>{"m1"});
  EXPECT_EQ(Manifest(), nullptr);
  const emu::s3::StoredObject* reason = s3_.model().FindObject(layout_.bucket, layout_.ErrorKey(raw_key_));
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->body->Read().rfind("UnsupportedEncoding: ", 0), 0u);
  EXPECT_EQ(stage_.stats().files_failed, 2u);
}

TEST_F(CleanEnrichTest, MessageThatIsNotAnS3EventIsSkippedNotRetried) {
  emu::lambda::InvocationOutcome out;
  RunProcess(Setup(sim::Seconds(60)));
  emu::lambda::InvocationInput input;
  emu::lambda::SqsRecord record;
  record.message_id = "junk";
  record.body = "hello";
  input.sqs_records.push_back(record);
  RunProcess(InvokeWith("clean", input, &out));
  EXPECT_TRUE(out.result.batch_item_failures.empty());
  EXPECT_EQ(stage_.stats().unparseable_messages, 1u);
}

TEST(LooksBinary, RecognisesGzipZstdAndNulBytes) {
  EXPECT_TRUE(LooksBinary(std::string("\x1f\x8b\x08\x00", 4)));
  EXPECT_TRUE(LooksBinary(std::string("\x28\xb5\x2f\xfd", 4)));
  EXPECT_TRUE(LooksBinary(std::string("{\"a\":1}\n\0", 9)));
  EXPECT_FALSE(LooksBinary("{\"a\":1}\n{\"b\":2}\n"));
  EXPECT_FALSE(LooksBinary(""));
}

}  // namespace
}  // namespace pipeline
