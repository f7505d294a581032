#include "pipeline/stages/file_copy.h"

#include "sim/time.h"

namespace pipeline {

using emu::lambda::InvocationContext;
using emu::lambda::InvocationInput;
using emu::lambda::InvocationResult;

FileCopyStage::FileCopyStage(emu::Env& env, emu::s3::S3Api& s3, Layout layout, emu::RetryConfig retry)
    : env_(env), s3_(s3), layout_(std::move(layout)), retry_(env, retry, "file_copy") {}

emu::lambda::Handler FileCopyStage::AsHandler() {
  return [this](InvocationContext& ctx, const InvocationInput& input) { return Handle(ctx, input); };
}

sim::Task<sim::StatusOr<InvocationResult>> FileCopyStage::Handle(InvocationContext& ctx, InvocationInput input) {
  InvocationResult result;
  for (const emu::lambda::SqsRecord& record : input.sqs_records) {
    sim::StatusOr<std::vector<S3ObjectEvent>> events = ParseS3Notification(record.body);
    if (!events.ok()) {
      ++stats_.unparseable_messages;
      continue;
    }
    auto count = record.attributes.find("ApproximateReceiveCount");
    const std::string receive_count = count == record.attributes.end() ? "" : count->second;
    for (S3ObjectEvent& event : *events) {
      sim::Status copied = co_await CopyToFailed(std::move(event), receive_count);
      if (!copied.ok()) {
        if (copied.code() == sim::StatusCode::kInterrupted) co_return copied;
        result.batch_item_failures.push_back(record.message_id);
        break;
      }
    }
    sim::Status computed = co_await ctx.Compute(1, 0);
    if (!computed.ok()) co_return computed;
  }
  co_return result;
}

sim::Task<sim::Status> FileCopyStage::CopyToFailed(S3ObjectEvent event, std::string receive_count) {
  // The clean/enrich stage leaves the last error of a file under errors/.
  std::string reason = "dead-lettered: maxReceiveCount exceeded";
  emu::s3::GetObjectRequest get{event.bucket, layout_.ErrorKey(event.key)};
  sim::StatusOr<emu::s3::GetObjectResponse> error =
      co_await retry_.Call<emu::s3::GetObjectResponse>([this, &get] { return s3_.GetObject(get); });
  if (error.ok()) reason = error->body;

  emu::s3::CopyObjectRequest copy;
  copy.source_bucket = event.bucket;
  copy.source_key = event.key;
  copy.bucket = event.bucket;
  copy.key = layout_.FailedKey(event.key);
  copy.metadata_directive = emu::s3::MetadataDirective::kReplace;
  copy.metadata["failure-reason"] = reason.substr(0, 1024);
  copy.metadata["source-etag"] = event.etag;
  copy.metadata["dead-lettered-at"] = sim::FormatIso8601(env_.UnixNanos(env_.Now()));
  if (!receive_count.empty()) copy.metadata["dlq-receive-count"] = receive_count;
  sim::StatusOr<emu::s3::CopyObjectResponse> copied =
      co_await retry_.Call<emu::s3::CopyObjectResponse>([this, &copy] { return s3_.CopyObject(copy); });
  if (!copied.ok()) co_return copied.status();
  ++stats_.files_copied;
  SIM_LOG(env_.sched().log(), kInfo, "file-copy", "copied " << event.key << " to " << copy.key << ": " << reason);
  co_return sim::OkStatus();
}

sim::Task<sim::StatusOr<uint64_t>> FileCopyStage::ReplayFailed() {
  uint64_t replayed = 0;
  std::string token;
  std::vector<std::string> keys;
  do {
    emu::s3::ListObjectsV2Request list;
    list.bucket = layout_.bucket;
    list.prefix = layout_.failed_prefix;
    list.continuation_token = token;
    sim::StatusOr<emu::s3::ListObjectsV2Response> page =
        co_await retry_.Call<emu::s3::ListObjectsV2Response>([this, &list] { return s3_.ListObjectsV2(list); });
    if (!page.ok()) co_return page.status();
    for (const auto& obj : page->contents) keys.push_back(obj.key);
    token = page->is_truncated ? page->next_continuation_token : "";
  } while (!token.empty());

  for (const std::string& failed_key : keys) {
    emu::s3::CopyObjectRequest copy;
    copy.source_bucket = layout_.bucket;
    copy.source_key = failed_key;
    copy.bucket = layout_.bucket;
    copy.key = layout_.RawKeyFromFailed(failed_key);
    copy.metadata_directive = emu::s3::MetadataDirective::kReplace;
    copy.metadata["replayed-at"] = sim::FormatIso8601(env_.UnixNanos(env_.Now()));
    sim::StatusOr<emu::s3::CopyObjectResponse> copied =
        co_await retry_.Call<emu::s3::CopyObjectResponse>([this, &copy] { return s3_.CopyObject(copy); });
    if (!copied.ok()) co_return copied.status();
    emu::s3::DeleteObjectRequest del{layout_.bucket, failed_key};
    sim::Status deleted = co_await retry_.CallStatus([this, &del] { return s3_.DeleteObject(del); });
    if (!deleted.ok()) co_return deleted;
    replayed_[copy.key] = env_.Now();
    ++replayed;
  }
  stats_.replayed += replayed;
  co_return replayed;
}

}  // namespace pipeline
