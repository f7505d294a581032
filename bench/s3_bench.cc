// S3 facade benchmark (issue 5): requests through S3Api with validation,
// real MD5 ETags, the request-rate model, billing and metrics — not the
// bare model. Zero latency. Modes:
//   put-get  PutObject of a 1 KiB object, then GetObject of it (checking the
//            body size and ETag): pairs per second. Keys are spread over 256
//            first segments "00/".."ff/" and the bucket declares those 256
//            partitions, so the rate model (enabled, default rates) never
//            throttles: with zero latency simulated time stays at 0, so each
//            partition has only its burst of 3,500 writes, 5,500 reads.
//   list     ListObjectsV2 pages (MaxKeys 1,000) over a bucket of --keys
//            keys (1 M by default, stored through the model beforehand,
//            untimed): pages per second, every key visited once.
// Only successful replies count; SlowDowns and other errors are counted and
// printed, and the run fails (exit 1) unless both are 0. Medians over
// --repeat runs, timed by the thread's CPU clock.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "bench_util.h"
#include "emulators/common/env.h"
#include "emulators/s3/s3_api.h"
#include "emulators/s3/s3_model.h"
#include "sim/scheduler.h"

namespace {

using emu::s3::S3Api;

struct Counts {
  uint64_t done = 0;  // pairs or pages
  uint64_t slowdowns = 0;
  uint64_t errors = 0;
};

void CountError(const sim::Status& s, Counts& counts) {
  if (s.name() == "SlowDown") {
    ++counts.slowdowns;
  } else {
    ++counts.errors;
  }
}

std::string Segment(uint64_t i) {
  static constexpr char kHex[] = "0123456789abcdef";
  const uint64_t h = (i * 0x9E3779B97F4A7C15ull) >> 56;  // spreads consecutive i
  return {kHex[h >> 4], kHex[h & 15], '/'};
}

std::string Body(uint64_t i) {
  std::string body(1024, 'x');
  const std::string tag = std::to_string(i);
  body.replace(0, tag.size(), tag);
  return body;
}

sim::Task<void> PutGetPairs(S3Api& s3, uint64_t pairs, Counts& counts) {
  for (uint64_t i = 0; i < pairs; ++i) {
    std::string key = Segment(i) + "obj-" + std::to_string(i);
    emu::s3::PutObjectRequest put{"bench", key, emu::s3::ObjectBody::FromBytes(Body(i))};
    sim::StatusOr<emu::s3::PutObjectResponse> stored = co_await s3.PutObject(std::move(put));
    if (!stored.ok()) {
      CountError(stored.status(), counts);
      continue;
    }
    emu::s3::GetObjectRequest get{"bench", std::move(key)};
    sim::StatusOr<emu::s3::GetObjectResponse> got = co_await s3.GetObject(std::move(get));
    if (!got.ok()) {
      CountError(got.status(), counts);
      continue;
    }
    if (got->body.size() != 1024 || got->info.etag != stored->etag) {
      ++counts.errors;
      continue;
    }
    ++counts.done;
  }
}

sim::Task<void> ListAll(S3Api& s3, uint64_t keys, Counts& counts) {
  uint64_t seen = 0;
  std::string token;
  while (true) {
    emu::s3::ListObjectsV2Request request;
    request.bucket = "list";
    request.max_keys = 1000;
    request.continuation_token = token;
    sim::StatusOr<emu::s3::ListObjectsV2Response> page = co_await s3.ListObjectsV2(std::move(request));
    if (!page.ok()) {
      CountError(page.status(), counts);
      co_return;
    }
    ++counts.done;
    seen += page->contents.size();
    if (!page->is_truncated) break;
    token = page->next_continuation_token;
  }
  if (seen != keys) ++counts.errors;
}

sim::Task<void> CreateBucket(S3Api& s3, std::string bucket, Counts& counts) {
  emu::s3::CreateBucketRequest request{std::move(bucket)};
  sim::Status s = co_await s3.CreateBucket(std::move(request));
  if (!s.ok()) ++counts.errors;
}

struct Result {
  double per_second = 0;
  Counts counts;
};

Result RunPutGet(uint64_t pairs) {
  sim::Scheduler sched;
  emu::Env env(sched, 42);
  env.set_zero_latency(true);
  S3Api s3(env);
  std::vector<std::string> splits;
  for (uint64_t i = 1; i < 256; ++i) {
    char b[4];
    std::snprintf(b, sizeof b, "%02llx/", static_cast<unsigned long long>(i));
    splits.emplace_back(b);
  }
  s3.settings.split_points["bench"] = splits;
  Counts counts;
  sched.Spawn(CreateBucket(s3, "bench", counts), "create");
  sched.Run();
  sched.Spawn(PutGetPairs(s3, pairs, counts), "bench");
  const double t0 = bench::CpuSeconds();
  sched.Run();
  const double cpu = bench::CpuSeconds() - t0;
  counts.slowdowns = std::max<uint64_t>(counts.slowdowns, env.metrics().GetCounter("s3.bench.slowdowns").value());
  return {static_cast<double>(counts.done) / cpu, counts};
}

Result RunList(uint64_t keys) {
  sim::Scheduler sched;
  emu::Env env(sched, 42);
  env.set_zero_latency(true);
  S3Api s3(env);
  Counts counts;
  // Untimed setup: the bucket through the facade (so listing goes through
  // the rate model: 1,000 pages at one instant fit the 5,500-read burst),
  // the objects through the model (one shared 16-byte body).
  sched.Spawn(CreateBucket(s3, "list", counts), "create");
  sched.Run();
  emu::s3::S3Model& model = s3.model();
  const auto body = emu::s3::ObjectBody::FromBytes("0123456789abcdef");
  char key[64];
  for (uint64_t i = 0; i < keys; ++i) {
    std::snprintf(key, sizeof key, "raw/dt=2026-01-%02llu/hr=%02llu/file-%07llu.jsonl",
                  static_cast<unsigned long long>(1 + i % 28), static_cast<unsigned long long>(i % 24),
                  static_cast<unsigned long long>(i));
    if (!model.PutObject({"list", key, body}, sched.Now()).ok()) ++counts.errors;
  }
  sched.Spawn(ListAll(s3, keys, counts), "bench");
  const double t0 = bench::CpuSeconds();
  sched.Run();
  const double cpu = bench::CpuSeconds() - t0;
  return {static_cast<double>(counts.done) / cpu, counts};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"S3 facade benchmark: put+get pairs and listing pages per second"};
  uint64_t pairs = 300'000;
  uint64_t keys = 1'000'000;
  int repeat = 3;
  app.add_option("--pairs", pairs, "put+get pairs per run (at most 256 x 3,500)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{800'000}));
  app.add_option("--keys", keys, "keys in the listed bucket")->check(CLI::PositiveNumber);
  app.add_option("--repeat", repeat, "runs per mode; the median is printed")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  uint64_t failures = 0;
  std::printf("%-8s %14s %10s %8s   (zero latency, median of %d)\n", "mode", "per second", "slowdowns", "errors",
              repeat);
  const auto report = [&](const char* mode, const char* unit, const std::vector<Result>& results) {
    std::vector<double> rates;
    uint64_t slowdowns = 0, errors = 0;
    for (const Result& r : results) {
      rates.push_back(r.per_second);
      slowdowns += r.counts.slowdowns;
      errors += r.counts.errors;
    }
    failures += slowdowns + errors;
    std::printf("%-8s %14.0f %10llu %8llu   %s\n", mode, bench::Median(rates), static_cast<unsigned long long>(slowdowns),
                static_cast<unsigned long long>(errors), unit);
  };
  std::vector<Result> put_get, list;
  for (int r = 0; r < repeat; ++r) put_get.push_back(RunPutGet(pairs));
  report("put-get", "pairs/s of 1 KiB objects, MD5 ETags", put_get);
  for (int r = 0; r < repeat; ++r) list.push_back(RunList(keys));
  report("list", "ListObjectsV2 pages/s (MaxKeys 1000)", list);
  return failures == 0 ? 0 : 1;
}
