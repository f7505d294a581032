#pragma once

// Where things live in the data lake. Raw data is the immutable master data
// set; every derived key is a pure function of (raw key, ETag), so a retry
// rewrites the same objects and a duplicate notification finds its manifest.

#include <cstdint>
#include <string>
#include <string_view>

namespace pipeline {

struct Layout {
  std::string bucket = "adp-datalake";
  std::string raw_prefix = "raw/";
  std::string clean_prefix = "clean/";
  std::string dirty_prefix = "dirty/";
  std::string manifest_prefix = "manifests/";
  std::string failed_prefix = "failed/";
  std::string error_prefix = "errors/";

  // raw/dt=YYYY-MM-DD/hr=HH/<name>
  std::string RawKey(int64_t arrival_unix_ms, std::string_view name) const;
  // "dt=YYYY-MM-DD/hr=HH/" for a Unix time in ms.
  static std::string Partition(int64_t unix_ms);
  // Part files of one raw file: <prefix><partition>part-<16 hex of the raw key hash>-<8 of the etag>.jsonl
  std::string CleanPartKey(std::string_view partition, std::string_view raw_key, std::string_view etag) const;
  std::string DirtyPartKey(std::string_view partition, std::string_view raw_key, std::string_view etag) const;
  // manifests/<raw key without raw/>.<etag>.json: the commit marker.
  std::string ManifestKey(std::string_view raw_key, std::string_view etag) const;
  // failed/<raw key without raw/>
  std::string FailedKey(std::string_view raw_key) const;
  // errors/<raw key without raw/>.txt: the last processing error of a file.
  std::string ErrorKey(std::string_view raw_key) const;
  // The raw key a failed/ key came from.
  std::string RawKeyFromFailed(std::string_view failed_key) const;
  // The partition of a raw key ("dt=.../hr=.../"), or "" if it has none.
  std::string RawPartition(std::string_view raw_key) const;

 private:
  std::string WithoutRawPrefix(std::string_view raw_key) const;
};

}  // namespace pipeline
