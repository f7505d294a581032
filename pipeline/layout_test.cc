#include "pipeline/layout.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace pipeline {
namespace {

constexpr int64_t kJan1Ms = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr int64_t kHourMs = 3'600'000;
constexpr std::string_view kRawKey = "raw/dt=2026-01-01/hr=00/producer-01-000001.jsonl";
constexpr std::string_view kEtag = "0123456789abcdef0123456789abcdef";

TEST(Layout, RawKeyPartitionsByArrivalTime) {
  const Layout layout;
  EXPECT_EQ(layout.RawKey(kJan1Ms + 30 * 60'000, "producer-01-000001.jsonl"),
            "raw/dt=2026-01-01/hr=00/producer-01-000001.jsonl");
  EXPECT_EQ(layout.RawKey(kJan1Ms + 13 * kHourMs + 5, "x"), "raw/dt=2026-01-01/hr=13/x");
}

TEST(Layout, RawKeyUsesTheConfiguredPrefix) {
  Layout layout;
  layout.raw_prefix = "landing/raw/";
  EXPECT_EQ(layout.RawKey(kJan1Ms, "f"), "landing/raw/dt=2026-01-01/hr=00/f");
}

TEST(Layout, PartitionChangesExactlyAtHourBoundaries) {
  EXPECT_EQ(Layout::Partition(kJan1Ms), "dt=2026-01-01/hr=00/");
  EXPECT_EQ(Layout::Partition(kJan1Ms + kHourMs - 1), "dt=2026-01-01/hr=00/");
  EXPECT_EQ(Layout::Partition(kJan1Ms + kHourMs), "dt=2026-01-01/hr=01/");
  EXPECT_EQ(Layout::Partition(kJan1Ms + 24 * kHourMs - 1), "dt=2026-01-01/hr=23/");
  EXPECT_EQ(Layout::Partition(kJan1Ms + 24 * kHourMs), "dt=2026-01-02/hr=00/");
  EXPECT_EQ(Layout::Partition(kJan1Ms - 1), "dt=2025-12-31/hr=23/");
}

TEST(Layout, PartitionHandlesLeapDays) {
  const int64_t feb29_2028 = 1'835'395'200'000;  // 2028-02-29T00:00:00Z
  EXPECT_EQ(Layout::Partition(feb29_2028 + 5 * kHourMs), "dt=2028-02-29/hr=05/");
  EXPECT_EQ(Layout::Partition(feb29_2028 + 24 * kHourMs), "dt=2028-03-01/hr=00/");
  EXPECT_EQ(Layout::Partition(feb29_2028 - 1), "dt=2028-02-28/hr=23/");
}

TEST(Layout, ManifestKeyIsTheRawKeyAndEtagUnderManifests) {
  EXPECT_EQ(Layout().ManifestKey(kRawKey, "abc"), "manifests/dt=2026-01-01/hr=00/producer-01-000001.jsonl.abc.json");
}

TEST(Layout, FailedKeyMovesTheRawKeyUnderFailed) {
  EXPECT_EQ(Layout().FailedKey(kRawKey), "failed/dt=2026-01-01/hr=00/producer-01-000001.jsonl");
}

TEST(Layout, ErrorKeyIsTheRawKeyUnderErrorsAsText) {
  EXPECT_EQ(Layout().ErrorKey(kRawKey), "errors/dt=2026-01-01/hr=00/producer-01-000001.jsonl.txt");
}

TEST(Layout, RawKeyFromFailedRoundTrips) {
  const Layout layout;
  EXPECT_EQ(layout.RawKeyFromFailed(layout.FailedKey(kRawKey)), kRawKey);
  EXPECT_EQ(layout.RawKeyFromFailed("failed/dt=2026-01-02/hr=07/f g.jsonl"), "raw/dt=2026-01-02/hr=07/f g.jsonl");
  Layout custom;
  custom.raw_prefix = "in/";
  custom.failed_prefix = "quarantine/";
  EXPECT_EQ(custom.FailedKey("in/dt=2026-01-01/hr=00/f"), "quarantine/dt=2026-01-01/hr=00/f");
  EXPECT_EQ(custom.RawKeyFromFailed(custom.FailedKey("in/dt=2026-01-01/hr=00/f")), "in/dt=2026-01-01/hr=00/f");
}

TEST(Layout, CleanPartKeyIsExact) {
  // 16 hex digits of FNV-1a-64 of the raw key, then the ETag's first 8.
  EXPECT_EQ(Layout().CleanPartKey("dt=2026-01-01/hr=00/", kRawKey, kEtag),
            "clean/dt=2026-01-01/hr=00/part-a5ad3f6fb77915d0-01234567.jsonl");
  EXPECT_EQ(Layout().DirtyPartKey("dt=2026-01-01/hr=00/", kRawKey, kEtag),
            "dirty/dt=2026-01-01/hr=00/part-a5ad3f6fb77915d0-01234567.jsonl");
}

TEST(Layout, CleanPartKeyIsDeterministic) {
  const Layout a, b;
  EXPECT_EQ(a.CleanPartKey("dt=2026-01-01/hr=03/", kRawKey, kEtag),
            b.CleanPartKey("dt=2026-01-01/hr=03/", kRawKey, kEtag));
}

TEST(Layout, CleanPartKeyIsDistinctForDistinctRawKeysAndEtags) {
  const Layout layout;
  std::set<std::string> keys;
  int made = 0;
  for (int file = 0; file < 1000; ++file) {
    const std::string raw = layout.RawKey(kJan1Ms, "producer-01-" + std::to_string(file) + ".jsonl");
    for (std::string_view etag : {"0123456789abcdef", "fedcba9876543210", "a0000000"}) {
      keys.insert(layout.CleanPartKey("dt=2026-01-01/hr=00/", raw, etag));
      ++made;
    }
  }
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(made));
  EXPECT_EQ(layout.CleanPartKey("dt=2026-01-01/hr=00/", "raw/dt=2026-01-01/hr=00/producer-01-000002.jsonl", kEtag),
            "clean/dt=2026-01-01/hr=00/part-22ced5bfa75c7055-01234567.jsonl");
}

TEST(Layout, RawPartitionIsThePartitionOfTheRawKey) {
  const Layout layout;
  EXPECT_EQ(layout.RawPartition(kRawKey), "dt=2026-01-01/hr=00/");
  EXPECT_EQ(layout.RawPartition(layout.RawKey(kJan1Ms + 17 * kHourMs, "x")), "dt=2026-01-01/hr=17/");
  EXPECT_EQ(layout.RawPartition("raw/dt=2026-01-01/hr=00/"), "dt=2026-01-01/hr=00/");
}

TEST(Layout, RawPartitionIsEmptyWithoutAPartition) {
  const Layout layout;
  EXPECT_EQ(layout.RawPartition("raw/file.jsonl"), "");
  EXPECT_EQ(layout.RawPartition("raw/dt=2026-01-01/file.jsonl"), "");
  EXPECT_EQ(layout.RawPartition("raw/dt=2026-01-01/hr=00"), "");
  EXPECT_EQ(layout.RawPartition("raw/x/dt=2026-01-01/hr=00/f"), "");
  EXPECT_EQ(layout.RawPartition(""), "");
}

}  // namespace
}  // namespace pipeline
