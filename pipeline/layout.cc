#include "pipeline/layout.h"

#include <cstdio>

#include "sim/fingerprint.h"
#include "sim/time.h"

namespace pipeline {

std::string Layout::Partition(int64_t unix_ms) {
  const sim::CivilTime c = sim::ToCivil(unix_ms * 1'000'000);
  char buf[32];
  std::snprintf(buf, sizeof buf, "dt=%04d-%02d-%02d/hr=%02d/", c.year, c.month, c.day, c.hour);
  return buf;
}

std::string Layout::RawKey(int64_t arrival_unix_ms, std::string_view name) const {
  return raw_prefix + Partition(arrival_unix_ms) + std::string(name);
}

namespace {
std::string PartName(std::string_view raw_key, std::string_view etag) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "part-%016llx-%.8s.jsonl",
                static_cast<unsigned long long>(sim::HashName(raw_key)), std::string(etag).c_str());
  return buf;
}
}  // namespace

std::string Layout::CleanPartKey(std::string_view partition, std::string_view raw_key, std::string_view etag) const {
  return clean_prefix + std::string(partition) + PartName(raw_key, etag);
}

std::string Layout::DirtyPartKey(std::string_view partition, std::string_view raw_key, std::string_view etag) const {
  return dirty_prefix + std::string(partition) + PartName(raw_key, etag);
}

std::string Layout::WithoutRawPrefix(std::string_view raw_key) const {
  if (raw_key.starts_with(raw_prefix)) raw_key.remove_prefix(raw_prefix.size());
  return std::string(raw_key);
}

std::string Layout::ManifestKey(std::string_view raw_key, std::string_view etag) const {
  return manifest_prefix + WithoutRawPrefix(raw_key) + "." + std::string(etag) + ".json";
}

std::string Layout::FailedKey(std::string_view raw_key) const { return failed_prefix + WithoutRawPrefix(raw_key); }

std::string Layout::ErrorKey(std::string_view raw_key) const {
  return error_prefix + WithoutRawPrefix(raw_key) + ".txt";
}

std::string Layout::RawKeyFromFailed(std::string_view failed_key) const {
  if (failed_key.starts_with(failed_prefix)) failed_key.remove_prefix(failed_prefix.size());
  return raw_prefix + std::string(failed_key);
}

std::string Layout::RawPartition(std::string_view raw_key) const {
  const std::string rest = WithoutRawPrefix(raw_key);
  const std::size_t hr = rest.find("hr=");
  if (!rest.starts_with("dt=") || hr == std::string::npos) return "";
  const std::size_t slash = rest.find('/', hr);
  return slash == std::string::npos ? "" : rest.substr(0, slash + 1);
}

}  // namespace pipeline
