// SQS and SNS benchmark (issue 4): messages per second through the facades,
// with validation, real MD5s of bodies and attributes, billing and metrics —
// not the bare models. Zero latency, 1 KiB bodies (the size of an S3 event)
// with 2 message attributes. Modes:
//   sqs-batch   SendMessageBatch(10) + ReceiveMessage(10) + DeleteMessageBatch(10)
//   sqs-single  SendMessage + ReceiveMessage(1) + DeleteMessage
//   sns-fanout  Publish to a topic with 2 SQS subscriptions, each copy then
//               received and deleted in batches of 10 from its queue
// Only successful operations count; failures are counted and printed (the
// run is invalid unless that count is 0). Medians over --repeat runs, timed
// by the thread's CPU clock.

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "bench_util.h"
#include "emulators/common/env.h"
#include "emulators/sns/sns_api.h"
#include "emulators/sqs/sqs_api.h"
#include "sim/scheduler.h"

namespace {

using emu::sqs::SqsApi;

struct Counts {
  uint64_t messages = 0;  // full cycles completed
  uint64_t errors = 0;
};

std::string Body(uint64_t i) {
  std::string body(1024, 'x');
  const std::string tag = std::to_string(i);
  body.replace(0, tag.size(), tag);
  return body;
}

emu::sqs::MessageAttributes TwoAttributes() {
  emu::sqs::MessageAttributes attributes;
  attributes.emplace("bucket", emu::sqs::MessageAttributeValue::String("adp-raw-logs"));
  attributes.emplace("size", emu::sqs::MessageAttributeValue::Number("1024"));
  return attributes;
}

// What a consumer of these messages asks for: its message attributes (the
// MD5 of the returned attributes is checked by SDKs), no system attributes.
emu::sqs::ReceiveMessageRequest ConsumerReceive(const std::string& url, int max) {
  emu::sqs::ReceiveMessageRequest receive{url, max, std::nullopt, 0};
  receive.message_attribute_names = std::vector<std::string>{"All"};
  return receive;
}

sim::Task<std::string> MakeQueue(SqsApi& sqs, std::string name, Counts& counts) {
  emu::sqs::CreateQueueRequest request{name, {}};
  sim::StatusOr<emu::sqs::CreateQueueResponse> r = co_await sqs.CreateQueue(std::move(request));
  if (!r.ok()) {
    ++counts.errors;
    co_return std::string();
  }
  co_return r->queue_url;
}

// Receives up to 10 and deletes what came, in one batch; returns how many.
sim::Task<uint64_t> DrainBatch(SqsApi& sqs, std::string url, Counts& counts) {
  emu::sqs::ReceiveMessageRequest receive = ConsumerReceive(url, 10);
  sim::StatusOr<emu::sqs::ReceiveMessageResponse> got = co_await sqs.ReceiveMessage(std::move(receive));
  if (!got.ok()) {
    ++counts.errors;
    co_return 0;
  }
  if (got->messages.empty()) co_return 0;
  emu::sqs::DeleteMessageBatchRequest del{url, {}};
  del.entries.reserve(got->messages.size());
  for (std::size_t i = 0; i < got->messages.size(); ++i) {
    del.entries.push_back({std::to_string(i), got->messages[i].receipt_handle});
  }
  sim::StatusOr<emu::sqs::BatchResponse> deleted = co_await sqs.DeleteMessageBatch(std::move(del));
  if (!deleted.ok() || !deleted->failed.empty()) {
    ++counts.errors;
    co_return 0;
  }
  co_return static_cast<uint64_t>(deleted->successful.size());
}

sim::Task<void> SqsBatchCycles(SqsApi& sqs, uint64_t messages, Counts& counts) {
  const std::string url = co_await MakeQueue(sqs, "bench-batch", counts);
  const emu::sqs::MessageAttributes attributes = TwoAttributes();
  for (uint64_t sent = 0; sent < messages; sent += 10) {
    emu::sqs::SendMessageBatchRequest batch{url, {}};
    batch.entries.reserve(10);
    for (uint64_t i = 0; i < 10; ++i) {
      emu::sqs::SendMessageBatchRequestEntry entry{std::to_string(i), Body(sent + i)};
      entry.typed_message_attributes = attributes;
      batch.entries.push_back(std::move(entry));
    }
    sim::StatusOr<emu::sqs::SendMessageBatchResponse> r = co_await sqs.SendMessageBatch(std::move(batch));
    if (!r.ok() || !r->failed.empty()) {
      ++counts.errors;
      continue;
    }
    const uint64_t done = co_await DrainBatch(sqs, url, counts);
    counts.messages += done;
  }
}

sim::Task<void> SqsSingleCycles(SqsApi& sqs, uint64_t messages, Counts& counts) {
  const std::string url = co_await MakeQueue(sqs, "bench-single", counts);
  const emu::sqs::MessageAttributes attributes = TwoAttributes();
  for (uint64_t i = 0; i < messages; ++i) {
    emu::sqs::SendMessageRequest send{url, Body(i), std::nullopt, {}};
    send.typed_message_attributes = attributes;
    sim::StatusOr<emu::sqs::SendMessageResponse> sent = co_await sqs.SendMessage(std::move(send));
    if (!sent.ok()) {
      ++counts.errors;
      continue;
    }
    emu::sqs::ReceiveMessageRequest receive = ConsumerReceive(url, 1);
    sim::StatusOr<emu::sqs::ReceiveMessageResponse> got = co_await sqs.ReceiveMessage(std::move(receive));
    if (!got.ok() || got->messages.size() != 1) {
      ++counts.errors;
      continue;
    }
    emu::sqs::DeleteMessageRequest del{url, got->messages[0].receipt_handle};
    sim::Status deleted = co_await sqs.DeleteMessage(std::move(del));
    if (!deleted.ok()) {
      ++counts.errors;
      continue;
    }
    ++counts.messages;
  }
}

sim::Task<void> SnsFanoutCycles(sim::Scheduler& sched, emu::sns::SnsApi& sns, SqsApi& sqs, uint64_t publishes,
                                Counts& counts) {
  const std::string url_a = co_await MakeQueue(sqs, "fanout-a", counts);
  const std::string url_b = co_await MakeQueue(sqs, "fanout-b", counts);
  emu::sns::CreateTopicRequest create;
  create.name = "raw-created";
  sim::StatusOr<emu::sns::CreateTopicResponse> topic = co_await sns.CreateTopic(std::move(create));
  if (!topic.ok()) {
    ++counts.errors;
    co_return;
  }
  for (const char* queue : {"fanout-a", "fanout-b"}) {
    emu::sns::SubscribeRequest subscribe;
    subscribe.topic_arn = topic->topic_arn;
    subscribe.protocol = "sqs";
    subscribe.endpoint = std::string("arn:aws:sqs:us-east-1:000000000000:") + queue;
    sim::StatusOr<emu::sns::SubscribeResponse> sub = co_await sns.Subscribe(std::move(subscribe));
    if (!sub.ok()) ++counts.errors;
  }
  for (uint64_t published = 0; published < publishes; published += 10) {
    for (uint64_t i = 0; i < 10; ++i) {
      emu::sns::PublishRequest publish;
      publish.topic_arn = topic->topic_arn;
      publish.message = Body(published + i);
      publish.message_attributes = {{"bucket", "adp-raw-logs"}, {"size", "1024"}};
      publish.message_attribute_types = {{"size", "Number"}};
      sim::StatusOr<emu::sns::PublishResponse> r = co_await sns.Publish(std::move(publish));
      if (!r.ok()) ++counts.errors;
    }
    // Let the fan-out deliveries (zero delay, but events) happen.
    sim::Status slept = co_await sched.Sleep(sim::Milliseconds(1));
    if (!slept.ok()) ++counts.errors;
    const uint64_t a = co_await DrainBatch(sqs, url_a, counts);
    const uint64_t b = co_await DrainBatch(sqs, url_b, counts);
    if (a != 10 || b != 10) ++counts.errors;
    counts.messages += std::min(a, b);
  }
}

struct Result {
  double per_second = 0;
  uint64_t errors = 0;
};

Result RunMode(const std::string& mode, uint64_t messages) {
  sim::Scheduler sched;
  emu::Env env(sched, 42);
  env.set_zero_latency(true);
  SqsApi sqs(env);
  emu::sns::SnsApi sns(env);
  sns.delivery_delay = emu::LatencySpec::Zero();
  Counts counts;
  if (mode == "sqs-batch") {
    sched.Spawn(SqsBatchCycles(sqs, messages, counts), "bench");
  } else if (mode == "sqs-single") {
    sched.Spawn(SqsSingleCycles(sqs, messages, counts), "bench");
  } else {
    sched.Spawn(SnsFanoutCycles(sched, sns, sqs, messages, counts), "bench");
  }
  const double t0 = bench::CpuSeconds();
  sched.Run();
  const double cpu = bench::CpuSeconds() - t0;
  return {static_cast<double>(counts.messages) / cpu, counts.errors};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"SQS/SNS facade benchmark: full message cycles per second"};
  uint64_t messages = 500'000;
  int repeat = 3;
  std::vector<std::string> modes = {"sqs-batch", "sqs-single", "sns-fanout"};
  app.add_option("--messages", messages, "messages per run (publishes for sns-fanout)")->check(CLI::PositiveNumber);
  app.add_option("--repeat", repeat, "runs per mode; the median is printed")->check(CLI::PositiveNumber);
  app.add_option("--mode", modes, "modes to run")->check(CLI::IsMember({"sqs-batch", "sqs-single", "sns-fanout"}));
  CLI11_PARSE(app, argc, argv);

  uint64_t total_errors = 0;
  std::printf("%-11s %14s %8s   (1 KiB bodies, 2 attributes, zero latency, median of %d)\n", "mode",
              "messages/s", "errors", repeat);
  for (const std::string& mode : modes) {
    std::vector<double> rates;
    uint64_t errors = 0;
    for (int r = 0; r < repeat; ++r) {
      const Result result = RunMode(mode, messages);
      rates.push_back(result.per_second);
      errors += result.errors;
    }
    total_errors += errors;
    std::printf("%-11s %14.0f %8llu\n", mode.c_str(), bench::Median(rates), static_cast<unsigned long long>(errors));
  }
  return total_errors == 0 ? 0 : 1;
}
