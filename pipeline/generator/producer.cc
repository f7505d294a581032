#include "pipeline/generator/producer.h"

#include <cmath>
#include <cstdio>

#include "sim/distributions.h"

namespace pipeline {

Producer::Producer(emu::Env& env, emu::s3::S3Api& s3, Layout layout, ProducerConfig config, emu::RetryConfig retry,
                   FileRegistry& registry)
    : env_(env),
      s3_(s3),
      layout_(std::move(layout)),
      config_(config),
      retry_(env, retry, "producer"),
      registry_(registry),
      arrivals_(env.Stream("generator.arrivals")),
      seed_base_(env.streams().StreamSeed("generator.files")) {}

sim::Task<void> Producer::Run() {
  sim::Scheduler& sched = env_.sched();
  const sim::Time end = sim::Time::Zero() + config_.load.duration;
  int poison_done = 0;
  sim::Time t = sched.Now();
  while (t < end) {
    // Piecewise-constant rate: draw an Exp gap at the current rate; if it
    // crosses a rate change, restart the (memoryless) draw from there.
    const double files_per_s = config_.load.RateAt(t) / config_.records_per_file;
    const sim::Time change = config_.load.NextChangeAfter(t);
    sim::Time next = sim::Time::Max();
    if (files_per_s > 0) next = t + sim::SecondsF(sim::ExponentialDist{1.0 / files_per_s}.Sample(arrivals_));
    if (next >= change) {
      t = change;
      if (t >= end) break;
      sim::Status slept = co_await sched.SleepUntil(t);
      if (!slept.ok()) co_return;
      continue;
    }
    t = next;
    sim::Status slept = co_await sched.SleepUntil(t);
    if (!slept.ok()) co_return;

    const uint64_t seq = files_started_++;
    RawFileSpec spec;
    spec.seed = seed_base_ ^ (0x9E3779B97F4A7C15ULL * (seq + 1));
    spec.records = config_.records_per_file;
    spec.dirty_ratio = config_.dirty_ratio;
    // Events were collected over the time this file took to fill.
    const double span_s = config_.records_per_file / std::max(1e-9, config_.load.RateAt(t));
    const int64_t now_ms = env_.UnixMillis(t);
    spec.window_end_ms = now_ms;
    spec.window_start_ms = now_ms - static_cast<int64_t>(std::min(span_s, 3600.0) * 1000);
    if (poison_done < config_.poison_files) {
      const sim::Duration slot = config_.load.duration / (config_.poison_files + 1);
      if (t >= sim::Time::Zero() + slot * (poison_done + 1)) {
        spec.poison = true;
        ++poison_done;
      }
    }
    char name[64];
    std::snprintf(name, sizeof name, "collector-%02d-%08llu.jsonl", static_cast<int>(seq % config_.producers),
                  static_cast<unsigned long long>(seq));
    FileEntry entry;
    entry.key = layout_.RawKey(now_ms, name);
    entry.spec = spec;
    // One generation pass learns the truth, the size and the MD5 (ETag).
    auto source = std::make_shared<const RawFileSource>(spec, &entry.truth, &registry_.cube());
    entry.created = t;
    entry.landed = sim::Time::Max();
    const std::size_t index = registry_.Add(std::move(entry));
    sched.Spawn(PutFile(index, std::move(source)), "producer.put");
  }
}

sim::Task<void> Producer::PutFile(std::size_t index, std::shared_ptr<const RawFileSource> source) {
  ++puts_in_flight_;
  FileEntry& entry = registry_.at(index);
  emu::s3::PutObjectRequest put;
  put.bucket = layout_.bucket;
  put.key = entry.key;
  put.content_type = "application/x-ndjson";
  put.metadata["producer"] = entry.key.substr(entry.key.rfind('/') + 1, 12);
  put.body = emu::s3::ObjectBody::FromSource(std::move(source));
  sim::StatusOr<emu::s3::PutObjectResponse> done =
      co_await retry_.Call<emu::s3::PutObjectResponse>([this, &put] { return s3_.PutObject(put); });
  --puts_in_flight_;
  FileEntry& e = registry_.at(index);  // the registry may have grown meanwhile
  if (!done.ok()) {
    e.put_failed = true;
    e.put_error = done.status().ToString();
    co_return;
  }
  e.landed = env_.Now();
  std::string etag = done->etag;
  if (etag.size() >= 2 && etag.front() == '"') etag = etag.substr(1, etag.size() - 2);
  e.etag = etag;
}

}  // namespace pipeline
