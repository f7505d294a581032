#pragma once

// The clean/enrich Lambda: for each S3 event in an SQS batch it reads the raw
// file, validates and enriches every line with real code, writes clean part
// files keyed by event-time partition and one dirty part file, then the
// per-file manifest as the commit marker. Only committed manifests count.
// Every output key is a function of (raw key, ETag): a retry rewrites the
// same objects, and a duplicate notification finds the manifest and does
// nothing. A file it cannot read (a poison file) fails every time; its
// message goes to the DLQ after maxReceiveCount receives.

#include <cstdint>
#include <string>

#include "emulators/common/retry_policy.h"
#include "emulators/lambda/lambda_api.h"
#include "emulators/s3/s3_api.h"
#include "pipeline/layout.h"
#include "pipeline/stages/s3_event.h"

namespace pipeline {

struct CleanEnrichStats {
  uint64_t files_committed = 0;
  uint64_t duplicates_skipped = 0;
  uint64_t files_failed = 0;  // attempts that failed (a poison file counts each time)
  uint64_t records_clean = 0;
  uint64_t records_dirty = 0;
  uint64_t unparseable_messages = 0;
};

class CleanEnrichStage {
 public:
  CleanEnrichStage(emu::Env& env, emu::s3::S3Api& s3, Layout layout, emu::RetryConfig retry);

  // The Lambda handler (an SQS batch; reports batch item failures).
  emu::lambda::Handler AsHandler();
  sim::Task<sim::StatusOr<emu::lambda::InvocationResult>> Handle(emu::lambda::InvocationContext& ctx,
                                                                  emu::lambda::InvocationInput input);
  // Processes one raw file; OK when its manifest is committed (now or before).
  sim::Task<sim::Status> ProcessFile(emu::lambda::InvocationContext& ctx, S3ObjectEvent event);

  const CleanEnrichStats& stats() const { return stats_; }

 private:
  sim::Task<sim::Status> RecordError(const S3ObjectEvent& event, std::string message);

  emu::Env& env_;
  emu::s3::S3Api& s3_;
  Layout layout_;
  emu::RetryPolicy retry_;
  CleanEnrichStats stats_;
};

// Whether a body is not plain text logs (gzip, zstd, or NUL bytes).
bool LooksBinary(std::string_view body);

}  // namespace pipeline
