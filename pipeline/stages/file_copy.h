#pragma once

// The file-copy Lambda on the dead-letter queue: copies each raw file whose
// message kept failing to the failed/ location, with the failure reason as
// metadata, for later review and replay. Replay sends failed files back in:
// it copies them over their raw key (a new ObjectCreated:Copy event) and
// removes them from failed/.

#include <cstdint>
#include <map>
#include <string>

#include "emulators/common/retry_policy.h"
#include "emulators/lambda/lambda_api.h"
#include "emulators/s3/s3_api.h"
#include "pipeline/layout.h"
#include "pipeline/stages/s3_event.h"

namespace pipeline {

struct FileCopyStats {
  uint64_t files_copied = 0;
  uint64_t unparseable_messages = 0;
  uint64_t replayed = 0;
};

class FileCopyStage {
 public:
  FileCopyStage(emu::Env& env, emu::s3::S3Api& s3, Layout layout, emu::RetryConfig retry);

  emu::lambda::Handler AsHandler();
  sim::Task<sim::StatusOr<emu::lambda::InvocationResult>> Handle(emu::lambda::InvocationContext& ctx,
                                                                  emu::lambda::InvocationInput input);
  sim::Task<sim::Status> CopyToFailed(S3ObjectEvent event, std::string receive_count);

  // Sends every file under failed/ back through the pipeline. Returns how
  // many were replayed.
  sim::Task<sim::StatusOr<uint64_t>> ReplayFailed();

  const FileCopyStats& stats() const { return stats_; }
  // Raw key -> when it was last replayed.
  const std::map<std::string, sim::Time>& replayed() const { return replayed_; }

 private:
  emu::Env& env_;
  emu::s3::S3Api& s3_;
  Layout layout_;
  emu::RetryPolicy retry_;
  FileCopyStats stats_;
  std::map<std::string, sim::Time> replayed_;
};

}  // namespace pipeline
