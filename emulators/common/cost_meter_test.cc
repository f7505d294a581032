#include "emulators/common/cost_meter.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sim/check.h"

namespace emu {
namespace {

TEST(CostMeter, DefaultTableParsesWithEveryRowSourced) {
  const CostMeter m = CostMeter::WithDefaultPrices();
  EXPECT_EQ(m.prices().size(), 14u);
  for (const auto& [key, price] : m.prices()) {
    EXPECT_TRUE(price.source.starts_with("https://aws.amazon.com/")) << key.first << "/" << key.second;
    EXPECT_FALSE(price.unit.empty()) << key.first << "/" << key.second;
  }
  EXPECT_TRUE(m.usage().empty());
}

// Values from shared/reference/aws-semantics.md (us-east-1 list prices).
TEST(CostMeter, DefaultPricesMatchTheReference) {
  const CostMeter m = CostMeter::WithDefaultPrices();
  EXPECT_DOUBLE_EQ(m.PriceOf("s3", "put_request").usd_per_unit, 0.005 / 1000);   // $0.005 per 1,000
  EXPECT_DOUBLE_EQ(m.PriceOf("s3", "get_request").usd_per_unit, 0.0004 / 1000);  // $0.0004 per 1,000
  EXPECT_DOUBLE_EQ(m.PriceOf("s3", "delete_request").usd_per_unit, 0.0);
  EXPECT_DOUBLE_EQ(m.PriceOf("s3", "storage").usd_per_unit, 0.023);  // per GB-month
  EXPECT_EQ(m.PriceOf("s3", "storage").unit, "GB-month");
  // Not in aws-semantics.md; the table's row cites https://aws.amazon.com/sqs/pricing/ ($0.40 per million).
  EXPECT_DOUBLE_EQ(m.PriceOf("sqs", "request").usd_per_unit, 0.40 / 1e6);
  EXPECT_DOUBLE_EQ(m.PriceOf("lambda", "request").usd_per_unit, 0.20 / 1e6);  // $0.20 per 1M
  EXPECT_DOUBLE_EQ(m.PriceOf("lambda", "compute_x86").usd_per_unit, 0.0000166667);
  EXPECT_EQ(m.PriceOf("lambda", "compute_x86").unit, "GB-second");
  EXPECT_DOUBLE_EQ(m.PriceOf("lambda", "compute_arm64").usd_per_unit, 0.0000133334);
  EXPECT_DOUBLE_EQ(m.PriceOf("sns", "publish").usd_per_unit, 0.50 / 1e6);
}

TEST(CostMeter, FromTableReadsRowsAndSkipsComments) {
  sim::StatusOr<CostMeter> m = CostMeter::FromTable(
      "# service\titem\tunit\tusd\tsource\n"
      "\n"
      "svc\tcall\trequest\t0.25\thttps://example.com/pricing (a note)\n");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_TRUE(m->HasPrice("svc", "call"));
  EXPECT_FALSE(m->HasPrice("svc", "other"));
  EXPECT_EQ(m->PriceOf("svc", "call").unit, "request");
  EXPECT_EQ(m->PriceOf("svc", "call").usd_per_unit, 0.25);
  EXPECT_EQ(m->PriceOf("svc", "call").source, "https://example.com/pricing (a note)");
}

void ExpectErrorNaming(std::string_view table, const std::string& fragment) {
  sim::StatusOr<CostMeter> m = CostMeter::FromTable(table);
  ASSERT_FALSE(m.ok()) << table;
  EXPECT_EQ(m.status().code(), sim::StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find(fragment), std::string_view::npos) << m.status().message();
}

TEST(CostMeter, FromTableErrorsNameTheLine) {
  ExpectErrorNaming("# header\nsvc\tcall\trequest\t0.1\n", "line 2: expected 5 tab-separated fields");
  ExpectErrorNaming("svc\tcall\trequest\tcheap\tsrc\n", "line 1: bad price 'cheap'");
  ExpectErrorNaming("svc\tcall\trequest\t-1\tsrc\n", "line 1: bad price '-1'");
  ExpectErrorNaming("svc\tcall\trequest\t0.1x\tsrc\n", "line 1: bad price '0.1x'");
  ExpectErrorNaming("svc\tcall\trequest\t0.1\tsrc\n\n# c\nsvc\tcall\trequest\t0.2\tsrc\n",
                    "line 4: duplicate svc/call");
}

TEST(CostMeter, TotalsByService) {
  CostMeter m = CostMeter::WithDefaultPrices();
  m.Add("s3", "put_request", 1000);
  m.Add("s3", "get_request", 5000);
  m.Add("s3", "get_request", 5000);
  m.Add("sqs", "request", 1'000'000);
  m.Add("lambda", "compute_x86", 400'000);
  EXPECT_EQ(m.units("s3", "get_request"), 10000.0);
  EXPECT_EQ(m.units("s3", "storage"), 0.0);
  EXPECT_DOUBLE_EQ(m.UsdFor("s3"), 0.005 + 0.004);
  EXPECT_DOUBLE_EQ(m.UsdFor("sqs"), 0.40);
  EXPECT_DOUBLE_EQ(m.UsdFor("lambda"), 400'000 * 0.0000166667);
  EXPECT_DOUBLE_EQ(m.UsdFor("sns"), 0.0);
  EXPECT_DOUBLE_EQ(m.TotalUsd(), 0.009 + 0.40 + 400'000 * 0.0000166667);
  // Usage is kept in (service, item) name order.
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& [key, units] : m.usage()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::pair<std::string, std::string>>{
                      {"lambda", "compute_x86"}, {"s3", "get_request"}, {"s3", "put_request"}, {"sqs", "request"}}));
}

TEST(CostMeter, UnknownItemIsABug) {
  CostMeter m = CostMeter::WithDefaultPrices();
  EXPECT_THROW(m.Add("s3", "teleport", 1), sim::InvariantViolation);
  EXPECT_THROW(m.PriceOf("ec2", "instance_hour"), sim::InvariantViolation);
}

TEST(CostMeter, ByteSecondsToGbMonths) {
  const double gib = 1024.0 * 1024 * 1024;
  const double month_s = 730.0 * 3600;
  EXPECT_DOUBLE_EQ(ByteSecondsToGbMonths(gib * month_s), 1.0);
  EXPECT_DOUBLE_EQ(ByteSecondsToGbMonths(gib / 2 * month_s * 2), 1.0);
  EXPECT_DOUBLE_EQ(ByteSecondsToGbMonths(0), 0.0);
  // 100 GiB for one day, priced as S3 storage.
  const double gb_months = ByteSecondsToGbMonths(100 * gib * 86400);
  EXPECT_DOUBLE_EQ(gb_months, 100.0 * 24 / 730);
  CostMeter m = CostMeter::WithDefaultPrices();
  m.Add("s3", "storage", gb_months);
  EXPECT_DOUBLE_EQ(m.UsdFor("s3"), 100.0 * 24 / 730 * 0.023);
}

}  // namespace
}  // namespace emu
