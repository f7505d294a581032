// ListObjectsV2 and ListObjects (v1): delimiters, markers, tokens,
// encoding, owners, and a matrix against a reference model.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/s3/s3_model.h"

namespace emu::s3 {
namespace {

sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

using Strings = std::vector<std::string>;

class S3ListingTest : public ::testing::Test {
 protected:
  S3ListingTest() : cost_(CostMeter::WithDefaultPrices()), model_(cost_) {
    EXPECT_TRUE(model_.CreateBucket({"bucket"}, At(0)).ok());
  }
  void PutAll(const Strings& keys) {
    for (const std::string& k : keys) {
      ASSERT_TRUE(model_.PutObject({"bucket", k, ObjectBody::FromBytes("x")}, At(0)).ok()) << k;
    }
  }
  ListObjectsV2Response V2(ListObjectsV2Request r) {
    r.bucket = "bucket";
    sim::StatusOr<ListObjectsV2Response> out = model_.ListObjectsV2(r);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : ListObjectsV2Response{};
  }
  static Strings KeysOf(const std::vector<ObjectInfo>& contents) {
    Strings keys;
    for (const ObjectInfo& o : contents) keys.push_back(o.key);
    return keys;
  }

  CostMeter cost_;
  S3Model model_;
};

TEST_F(S3ListingTest, DelimiterRollsKeysUpIntoCommonPrefixes) {
  PutAll({"a.txt", "photos/2006/jan.jpg", "photos/2006/feb.jpg", "photos/2007/x.jpg", "photos/top.jpg", "z"});
  ListObjectsV2Request r;
  r.delimiter = "/";
  ListObjectsV2Response top = V2(r);
  EXPECT_EQ(KeysOf(top.contents), (Strings{"a.txt", "z"}));
  EXPECT_EQ(top.common_prefixes, (Strings{"photos/"}));
  EXPECT_EQ(top.key_count, 3);
  EXPECT_FALSE(top.is_truncated);
  r.prefix = "photos/";
  ListObjectsV2Response photos = V2(r);
  EXPECT_EQ(KeysOf(photos.contents), (Strings{"photos/top.jpg"}));
  EXPECT_EQ(photos.common_prefixes, (Strings{"photos/2006/", "photos/2007/"}));
  EXPECT_EQ(photos.key_count, 3);
  EXPECT_EQ(photos.prefix, "photos/");
  EXPECT_EQ(photos.delimiter, "/");
}

TEST_F(S3ListingTest, CommonPrefixesCountAgainstMaxKeysAndAreListedOnceAcrossPages) {
  PutAll({"a/1", "a/2", "a/3", "b", "c/1", "c/2", "d"});
  ListObjectsV2Request r;
  r.delimiter = "/";
  r.max_keys = 2;
  ListObjectsV2Response p1 = V2(r);
  EXPECT_EQ(p1.common_prefixes, (Strings{"a/"}));
  EXPECT_EQ(KeysOf(p1.contents), (Strings{"b"}));
  EXPECT_EQ(p1.key_count, 2);
  ASSERT_TRUE(p1.is_truncated);
  r.continuation_token = p1.next_continuation_token;
  ListObjectsV2Response p2 = V2(r);
  EXPECT_EQ(p2.common_prefixes, (Strings{"c/"}));
  EXPECT_EQ(KeysOf(p2.contents), (Strings{"d"}));
  EXPECT_EQ(p2.key_count, 2);
  EXPECT_FALSE(p2.is_truncated);  // nothing after "d"
  EXPECT_EQ(p2.next_continuation_token, "");
  // A page ending on a common prefix resumes after its whole group.
  r.continuation_token.clear();
  r.max_keys = 1;
  ListObjectsV2Response q1 = V2(r);
  EXPECT_EQ(q1.common_prefixes, (Strings{"a/"}));
  r.continuation_token = q1.next_continuation_token;
  ListObjectsV2Response q2 = V2(r);
  EXPECT_TRUE(q2.common_prefixes.empty());
  EXPECT_EQ(KeysOf(q2.contents), (Strings{"b"}));
}

TEST_F(S3ListingTest, StartAfterListsOnlyLaterEntries) {
  PutAll({"a", "b", "c", "d/1", "d/2", "e"});
  ListObjectsV2Request r;
  r.start_after = "b";
  ListObjectsV2Response all = V2(r);
  EXPECT_EQ(KeysOf(all.contents), (Strings{"c", "d/1", "d/2", "e"}));
  EXPECT_EQ(all.start_after, "b");
  r.start_after = "bb";  // need not be a key
  EXPECT_EQ(KeysOf(V2(r).contents), (Strings{"c", "d/1", "d/2", "e"}));
  // Inside a rolled-up group: the group was listed before the marker.
  r.start_after = "d/1";
  r.delimiter = "/";
  ListObjectsV2Response after_group = V2(r);
  EXPECT_TRUE(after_group.common_prefixes.empty());
  EXPECT_EQ(KeysOf(after_group.contents), (Strings{"e"}));
  r.start_after = "c";
  ListObjectsV2Response before_group = V2(r);
  EXPECT_EQ(before_group.common_prefixes, (Strings{"d/"}));
}

TEST_F(S3ListingTest, ContinuationTokenTakesPrecedenceOverStartAfter) {
  PutAll({"a", "b", "c", "d"});
  ListObjectsV2Request r;
  r.max_keys = 1;
  ListObjectsV2Response p1 = V2(r);
  ASSERT_EQ(KeysOf(p1.contents), (Strings{"a"}));
  r.continuation_token = p1.next_continuation_token;
  r.start_after = "c";  // ignored with a token
  ListObjectsV2Response p2 = V2(r);
  EXPECT_EQ(KeysOf(p2.contents), (Strings{"b"}));
  EXPECT_EQ(p2.continuation_token, p1.next_continuation_token);
  EXPECT_EQ(p2.start_after, "c");
}

TEST_F(S3ListingTest, EncodingTypeUrlEncodesKeysPrefixesAndEchoes) {
  PutAll({"a b.txt", "a+b.txt", "100%.csv", "dt=1/x", "\xED\x95\x9C/x.txt", "run books/x.txt"});
  ListObjectsV2Request r;
  r.encoding_type = "url";
  r.delimiter = "/";
  r.start_after = "0 0";
  ListObjectsV2Response out = V2(r);
  EXPECT_EQ(KeysOf(out.contents), (Strings{"100%25.csv", "a+b.txt", "a%2Bb.txt"}));
  EXPECT_EQ(out.common_prefixes, (Strings{"dt%3D1/", "run+books/", "%ED%95%9C/"}));
  EXPECT_EQ(out.encoding_type, "url");
  EXPECT_EQ(out.delimiter, "/");
  EXPECT_EQ(out.start_after, "0+0");
  ListObjectsV2Request bad;
  bad.bucket = "bucket";
  bad.encoding_type = "base64";
  sim::StatusOr<ListObjectsV2Response> rejected = model_.ListObjectsV2(bad);
  EXPECT_EQ(rejected.status().name(), "InvalidArgument");
  EXPECT_EQ(HttpStatusOf(rejected.status()), 400);
}

TEST_F(S3ListingTest, FetchOwnerAddsTheOwnerToContents) {
  PutAll({"k"});
  ListObjectsV2Request r;
  EXPECT_FALSE(V2(r).contents[0].owner.has_value());
  r.fetch_owner = true;
  ListObjectsV2Response with = V2(r);
  ASSERT_TRUE(with.contents[0].owner.has_value());
  EXPECT_EQ(with.contents[0].owner->id, OwnerOfAccount("000000000000").id);
  EXPECT_EQ(with.contents[0].owner->display_name, "adpsim-000000000000");
}

TEST_F(S3ListingTest, MaxKeysIsZeroToOneThousand) {
  PutAll({"a", "b"});
  ListObjectsV2Request r;
  r.max_keys = 0;
  ListObjectsV2Response zero = V2(r);
  EXPECT_TRUE(zero.contents.empty());
  EXPECT_EQ(zero.key_count, 0);
  EXPECT_FALSE(zero.is_truncated);
  r.max_keys = 5000;
  EXPECT_EQ(V2(r).max_keys, 1000);
  ListObjectsV2Request negative;
  negative.bucket = "bucket";
  negative.max_keys = -1;
  EXPECT_EQ(model_.ListObjectsV2(negative).status().name(), "InvalidArgument");
}

TEST_F(S3ListingTest, ListObjectsV1GivesNextMarkerOnlyWithADelimiter) {
  PutAll({"a/1", "a/2", "b", "c"});
  ListObjectsRequest r;
  r.bucket = "bucket";
  r.max_keys = 2;
  sim::StatusOr<ListObjectsResponse> flat = model_.ListObjects(r);
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(KeysOf(flat->contents), (Strings{"a/1", "a/2"}));
  EXPECT_TRUE(flat->is_truncated);
  EXPECT_EQ(flat->next_marker, "");                  // page on with the last key
  ASSERT_TRUE(flat->contents[0].owner.has_value());  // v1 always has owners
  r.marker = flat->contents.back().key;
  sim::StatusOr<ListObjectsResponse> flat2 = model_.ListObjects(r);
  EXPECT_EQ(KeysOf(flat2->contents), (Strings{"b", "c"}));
  EXPECT_FALSE(flat2->is_truncated);
  EXPECT_EQ(flat2->marker, "a/2");

  r.marker.clear();
  r.delimiter = "/";
  sim::StatusOr<ListObjectsResponse> grouped = model_.ListObjects(r);
  EXPECT_EQ(grouped->common_prefixes, (Strings{"a/"}));
  EXPECT_EQ(KeysOf(grouped->contents), (Strings{"b"}));
  EXPECT_TRUE(grouped->is_truncated);
  EXPECT_EQ(grouped->next_marker, "b");
  r.max_keys = 1;
  sim::StatusOr<ListObjectsResponse> prefix_last = model_.ListObjects(r);
  EXPECT_EQ(prefix_last->next_marker, "a/");  // the last entry may be a prefix
  r.marker = prefix_last->next_marker;
  sim::StatusOr<ListObjectsResponse> next = model_.ListObjects(r);
  EXPECT_TRUE(next->common_prefixes.empty());
  EXPECT_EQ(KeysOf(next->contents), (Strings{"b"}));
}

// --- listing matrix --------------------------------------------------------

// The reference: every entry (key, or common prefix when the delimiter
// occurs after the prefix) once, in UTF-8 binary order, after the marker.
Strings ReferenceEntries(const Strings& keys, const std::string& prefix, const std::string& delimiter,
                         const std::string& after) {
  std::set<std::string> entries;
  for (const std::string& k : keys) {
    if (!k.starts_with(prefix)) continue;
    std::size_t pos = delimiter.empty() ? std::string::npos : k.find(delimiter, prefix.size());
    entries.insert(pos == std::string::npos ? k : k.substr(0, pos + delimiter.size()));
  }
  Strings out;
  for (const std::string& e : entries)
    if (after.empty() || e > after) out.push_back(e);
  return out;
}

TEST_F(S3ListingTest, ListingMatrixVisitsEveryEntryOnceInBinaryOrder) {
  const Strings keys = {"a",
                        "a b",
                        "a b/c",
                        "a/b",
                        "a/b/c",
                        "a/b=c/d",
                        "a/c",
                        "a=b",
                        "a=b/c",
                        "b/",
                        "b//x",
                        "b/x y/z",
                        "dt=2026-01-01/hr=00/f 1",
                        "dt=2026-01-01/hr=01/f",
                        "dt=2026-01-02/hr=00/f",
                        "z",
                        "\xC3\xA9t\xC3\xA9/x",                    // été/x
                        "\xC3\xA9t\xC3\xA9=1",                    // été=1
                        "\xE6\x97\xA5\xE6\x9C\xAC/\xE8\xAA\x9E",  // 日本/語
                        "\xF0\x9F\x98\x80/a",                     // emoji
                        "\xF0\x9F\x98\x80 b"};
  PutAll(keys);
  const Strings prefixes = {"", "a", "a/", "b/", "dt=2026-01-01/", "\xC3\xA9", "nothing"};
  const Strings delimiters = {"", "/", "=", " ", "/hr="};
  const Strings starts = {"", "a/b", "a=", "b/x", "dt=2026-01-01/hr=00/f 1", "\xC3\xA9t\xC3\xA9/x"};
  const std::vector<int> page_sizes = {1, 2, 3, 1000};
  int combinations = 0;
  for (const std::string& prefix : prefixes) {
    for (const std::string& delimiter : delimiters) {
      for (const std::string& start : starts) {
        for (int page_size : page_sizes) {
          const Strings expected = ReferenceEntries(keys, prefix, delimiter, start);
          std::string where = "prefix='" + prefix + "' delimiter='" + delimiter + "' start='" + start +
                              "' page=" + std::to_string(page_size);
          // V2 with continuation tokens.
          Strings seen;
          ListObjectsV2Request r;
          r.bucket = "bucket";
          r.prefix = prefix;
          r.delimiter = delimiter;
          r.start_after = start;
          r.max_keys = page_size;
          for (int pages = 0;; ++pages) {
            ASSERT_LT(pages, 100) << where;
            sim::StatusOr<ListObjectsV2Response> page = model_.ListObjectsV2(r);
            ASSERT_TRUE(page.ok()) << where;
            ASSERT_LE(page->key_count, page_size) << where;
            ASSERT_EQ(page->key_count, static_cast<int>(page->contents.size() + page->common_prefixes.size()));
            // Within a page, keys and prefixes interleave in binary order.
            Strings entries = KeysOf(page->contents);
            entries.insert(entries.end(), page->common_prefixes.begin(), page->common_prefixes.end());
            std::sort(entries.begin(), entries.end());
            seen.insert(seen.end(), entries.begin(), entries.end());
            if (!page->is_truncated) break;
            ASSERT_EQ(page->key_count, page_size) << where;
            r.continuation_token = page->next_continuation_token;
          }
          EXPECT_EQ(seen, expected) << "V2 " << where;
          // V1 with markers: NextMarker with a delimiter, else the last key.
          Strings seen_v1;
          ListObjectsRequest v1;
          v1.bucket = "bucket";
          v1.prefix = prefix;
          v1.delimiter = delimiter;
          v1.marker = start;
          v1.max_keys = page_size;
          for (int pages = 0;; ++pages) {
            ASSERT_LT(pages, 100) << where;
            sim::StatusOr<ListObjectsResponse> page = model_.ListObjects(v1);
            ASSERT_TRUE(page.ok()) << where;
            Strings entries = KeysOf(page->contents);
            entries.insert(entries.end(), page->common_prefixes.begin(), page->common_prefixes.end());
            std::sort(entries.begin(), entries.end());
            seen_v1.insert(seen_v1.end(), entries.begin(), entries.end());
            if (!page->is_truncated) break;
            ASSERT_EQ(page->next_marker.empty(), delimiter.empty()) << where;
            v1.marker = delimiter.empty() ? page->contents.back().key : page->next_marker;
          }
          EXPECT_EQ(seen_v1, expected) << "V1 " << where;
          ++combinations;
        }
      }
    }
  }
  EXPECT_EQ(combinations, 7 * 5 * 6 * 4);
}

}  // namespace
}  // namespace emu::s3
