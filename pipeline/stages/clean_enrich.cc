#include "pipeline/stages/clean_enrich.h"

#include <map>

#include <nlohmann/json.hpp>

#include "emulators/s3/s3_errors.h"
#include "pipeline/records/enricher.h"
#include "pipeline/records/record_parser.h"

namespace pipeline {

using emu::lambda::InvocationContext;
using emu::lambda::InvocationInput;
using emu::lambda::InvocationResult;

namespace {

struct Part {
  std::string body;
  uint64_t records = 0;
};

// What one raw file becomes: clean parts by event-time partition, dirty lines.
struct Transformed {
  std::map<std::string, Part> clean;  // partition -> part
  Part dirty;
  uint64_t records = 0;
  DirtyCounts dirty_by_kind{};
};

Transformed Transform(std::string_view body) {
  Transformed t;
  ParsedRecord rec;
  std::string partition_cache_key;
  int64_t cached_hour = -1;
  Part* cached_part = nullptr;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) nl = body.size();
    std::string_view line = body.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    ++t.records;
    const ValidationResult v = ParseAndValidate(line, &rec);
    if (v.dirty != DirtyKind::kNone) {
      ++t.dirty_by_kind[static_cast<int>(v.dirty) - 1];
      AppendDirtyLine(v, line, t.dirty.body);
      ++t.dirty.records;
      continue;
    }
    const int64_t hour = rec.event_time_unix_ms / 3'600'000;
    if (hour != cached_hour) {
      cached_hour = hour;
      cached_part = &t.clean[Layout::Partition(rec.event_time_unix_ms)];
    }
    AppendCleanLine(rec, cached_part->body);
    ++cached_part->records;
  }
  return t;
}

}  // namespace

bool LooksBinary(std::string_view body) {
  if (body.size() >= 2 && static_cast<unsigned char>(body[0]) == 0x1f && static_cast<unsigned char>(body[1]) == 0x8b)
    return true;  // gzip
  if (body.size() >= 4 && body.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4)) return true;  // zstd
  return body.substr(0, 4096).find('\0') != std::string_view::npos;
}

CleanEnrichStage::CleanEnrichStage(emu::Env& env, emu::s3::S3Api& s3, Layout layout, emu::RetryConfig retry)
    : env_(env), s3_(s3), layout_(std::move(layout)), retry_(env, retry, "clean_enrich") {}

emu::lambda::Handler CleanEnrichStage::AsHandler() {
  return [this](InvocationContext& ctx, const InvocationInput& input) { return Handle(ctx, input); };
}

sim::Task<sim::StatusOr<InvocationResult>> CleanEnrichStage::Handle(InvocationContext& ctx, InvocationInput input) {
  InvocationResult result;
  for (const emu::lambda::SqsRecord& record : input.sqs_records) {
    sim::StatusOr<std::vector<S3ObjectEvent>> events = ParseS3Notification(record.body);
    if (!events.ok()) {
      // Not an S3 event: nothing to process, and retrying cannot help.
      ++stats_.unparseable_messages;
      continue;
    }
    for (S3ObjectEvent& event : *events) {
      sim::Status done = co_await ProcessFile(ctx, std::move(event));
      if (done.code() == sim::StatusCode::kInterrupted || done.code() == sim::StatusCode::kDeadlineExceeded)
        co_return done;  // the invocation timed out: the whole batch fails
      if (!done.ok()) {
        result.batch_item_failures.push_back(record.message_id);
        break;
      }
    }
  }
  co_return result;
}

sim::Task<sim::Status> CleanEnrichStage::RecordError(const S3ObjectEvent& event, std::string message) {
  ++stats_.files_failed;
  SIM_LOG(env_.sched().log(), kWarn, "clean-enrich", message);
  emu::s3::PutObjectRequest put;
  put.bucket = event.bucket;
  put.key = layout_.ErrorKey(event.key);
  put.content_type = "text/plain";
  put.body = emu::s3::ObjectBody::FromBytes(message);
  sim::StatusOr<emu::s3::PutObjectResponse> written =
      co_await retry_.Call<emu::s3::PutObjectResponse>([this, &put] { return s3_.PutObject(put); });
  written.IgnoreError();  // best effort: the failure itself is what matters
  co_return sim::UnavailableError(std::move(message));
}

sim::Task<sim::Status> CleanEnrichStage::ProcessFile(InvocationContext& ctx, S3ObjectEvent event) {
  std::string manifest_key = layout_.ManifestKey(event.key, event.etag);
  emu::s3::HeadObjectRequest head{event.bucket, manifest_key};
  sim::StatusOr<emu::s3::ObjectInfo> existing =
      co_await retry_.Call<emu::s3::ObjectInfo>([this, &head] { return s3_.HeadObject(head); });
  if (existing.ok()) {
    ++stats_.duplicates_skipped;
    co_return sim::OkStatus();
  }
  if (emu::AwsErrorOf(existing.status()) != &emu::s3::errors::kNoSuchKey) co_return existing.status();

  emu::s3::GetObjectRequest get{event.bucket, event.key};
  sim::StatusOr<emu::s3::GetObjectResponse> raw =
      co_await retry_.Call<emu::s3::GetObjectResponse>([this, &get] { return s3_.GetObject(get); });
  if (!raw.ok()) co_return raw.status();
  // Name outputs after the bytes actually read: if the object changed since
  // the event, its own notification will find this manifest.
  std::string etag = raw->info.etag;
  if (etag.size() >= 2 && etag.front() == '"') etag = etag.substr(1, etag.size() - 2);
  if (etag != event.etag) manifest_key = layout_.ManifestKey(event.key, etag);

  if (LooksBinary(raw->body)) {
    std::string why = "UnsupportedEncoding: " + event.key + " is not plain-text JSON Lines (compressed or binary)";
    sim::Status failed = co_await RecordError(event, std::move(why));
    co_return failed;
  }

  Transformed t = Transform(raw->body);
  sim::Status computed = co_await ctx.Compute(t.records, raw->body.size());
  if (!computed.ok()) co_return computed;

  nlohmann::json manifest;
  manifest["raw_key"] = event.key;
  manifest["etag"] = etag;
  manifest["records"] = t.records;
  uint64_t clean = 0;
  nlohmann::json parts = nlohmann::json::array();
  for (auto& [partition, part] : t.clean) {
    emu::s3::PutObjectRequest put;
    put.bucket = event.bucket;
    put.key = layout_.CleanPartKey(partition, event.key, etag);
    put.content_type = "application/x-ndjson";
    put.body = emu::s3::ObjectBody::FromBytes(std::move(part.body));
    sim::StatusOr<emu::s3::PutObjectResponse> written =
        co_await retry_.Call<emu::s3::PutObjectResponse>([this, &put] { return s3_.PutObject(put); });
    if (!written.ok()) co_return written.status();
    parts.push_back({{"key", put.key}, {"kind", "clean"}, {"records", part.records}});
    clean += part.records;
  }
  if (t.dirty.records > 0) {
    emu::s3::PutObjectRequest put;
    put.bucket = event.bucket;
    put.key = layout_.DirtyPartKey(layout_.RawPartition(event.key), event.key, etag);
    put.content_type = "application/x-ndjson";
    put.body = emu::s3::ObjectBody::FromBytes(std::move(t.dirty.body));
    sim::StatusOr<emu::s3::PutObjectResponse> written =
        co_await retry_.Call<emu::s3::PutObjectResponse>([this, &put] { return s3_.PutObject(put); });
    if (!written.ok()) co_return written.status();
    parts.push_back({{"key", put.key}, {"kind", "dirty"}, {"records", t.dirty.records}});
  }
  manifest["clean"] = clean;
  manifest["dirty"] = t.dirty.records;
  nlohmann::json by_reason = nlohmann::json::object();
  for (int k = 0; k < kDirtyKinds; ++k)
    by_reason[std::string(DirtyKindName(static_cast<DirtyKind>(k + 1)))] = t.dirty_by_kind[k];
  manifest["dirty_by_reason"] = by_reason;
  manifest["parts"] = parts;

  emu::s3::PutObjectRequest commit;
  commit.bucket = event.bucket;
  commit.key = manifest_key;
  commit.content_type = "application/json";
  commit.body = emu::s3::ObjectBody::FromBytes(manifest.dump());
  sim::StatusOr<emu::s3::PutObjectResponse> committed =
      co_await retry_.Call<emu::s3::PutObjectResponse>([this, &commit] { return s3_.PutObject(commit); });
  if (!committed.ok()) co_return committed.status();
  ++stats_.files_committed;
  stats_.records_clean += clean;
  stats_.records_dirty += t.dirty.records;
  co_return sim::OkStatus();
}

}  // namespace pipeline
