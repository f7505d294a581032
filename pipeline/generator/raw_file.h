#pragma once

// A raw log file as a deterministic recipe: (seed, record count, dirty
// ratio, event-time window, poison flag). Its bytes are generated on demand
// (an S3 BodySource), and its ground truth — records by outcome, and clean
// records by hour x product x event type — comes from the same record
// stream without materialising the file.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "emulators/s3/object_body.h"
#include "pipeline/generator/log_record.h"

namespace pipeline {

struct RawFileSpec {
  uint64_t seed = 0;
  uint32_t records = 0;
  double dirty_ratio = 0;
  // Event times are drawn in [window_start, window_end) (Unix ms).
  int64_t window_start_ms = 0;
  int64_t window_end_ms = 0;
  // A poison file is uploaded compressed into the plain-text prefix: the
  // clean/enrich stage cannot read it and fails every time.
  bool poison = false;
};

// (hour since Unix epoch, product index, event type index) -> clean records.
using CubeKey = std::tuple<int64_t, uint32_t, uint32_t>;
using Cube = std::map<CubeKey, uint64_t>;

struct FileTruth {
  uint64_t records = 0;
  uint64_t clean = 0;
  DirtyCounts dirty{};
  uint64_t dirty_total() const;
};

// Calls fn for every record of the file, in file order.
void ForEachRecord(const RawFileSpec& spec, const std::function<void(const LogRecord&)>& fn);
// Ground truth of one file; adds its clean records to *cube if given.
FileTruth ComputeTruth(const RawFileSpec& spec, Cube* cube);

// Generates its bytes once when built, learning size and MD5 (and, if
// asked, the ground truth) in that one pass; GetObject generates them again.
class RawFileSource : public emu::s3::BodySource {
 public:
  explicit RawFileSource(RawFileSpec spec, FileTruth* truth = nullptr, Cube* cube = nullptr);
  uint64_t size() const override { return size_; }
  std::optional<emu::Md5Digest> KnownMd5() const override { return md5_; }
  void Generate(const std::function<void(std::string_view)>& sink) const override;
  std::string Describe() const override;
  const RawFileSpec& spec() const { return spec_; }

 private:
  void GenerateTallying(const std::function<void(std::string_view)>& sink, FileTruth* truth, Cube* cube) const;

  RawFileSpec spec_;
  uint64_t size_ = 0;
  emu::Md5Digest md5_{};
};

}  // namespace pipeline
