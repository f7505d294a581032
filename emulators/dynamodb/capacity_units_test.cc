#include "emulators/dynamodb/capacity_units.h"

#include <gtest/gtest.h>

#include <vector>

namespace emu::dynamodb {
namespace {

// Examples from the developer guide's "DynamoDB read and write operations".

TEST(CapacityUnits, ReadOf3500BytesCostsOneStronglyConsistentUnit) {
  EXPECT_EQ(ReadUnitsForItem(3500, ReadConsistency::kStrong).milli(), 1000);
}

TEST(CapacityUnits, ReadOf8KbCostsTwoStrongOneEventualFourTransactional) {
  EXPECT_EQ(ReadUnitsForItem(8 * 1024, ReadConsistency::kStrong).milli(), 2000);
  EXPECT_EQ(ReadUnitsForItem(8 * 1024, ReadConsistency::kEventual).milli(), 1000);
  EXPECT_EQ(ReadUnitsForItem(8 * 1024, ReadConsistency::kTransactional).milli(), 4000);
}

TEST(CapacityUnits, GetItemOf10KbRoundsUpTo12Kb) {
  EXPECT_EQ(GetItemReadUnits(10 * 1024, ReadConsistency::kStrong).milli(), 3000);
  EXPECT_EQ(GetItemReadUnits(10 * 1024, ReadConsistency::kEventual).milli(), 1500);
  EXPECT_DOUBLE_EQ(GetItemReadUnits(10 * 1024, ReadConsistency::kEventual).ToDouble(), 1.5);
}

TEST(CapacityUnits, GetItemOfMissingItemCostsOneBlock) {
  EXPECT_EQ(GetItemReadUnits(std::nullopt, ReadConsistency::kStrong).milli(), 1000);
  EXPECT_EQ(GetItemReadUnits(std::nullopt, ReadConsistency::kEventual).milli(), 500);
}

TEST(CapacityUnits, BatchGetRoundsEachItemBeforeSumming) {
  // 1.5 KB + 6.5 KB counts as 4 KB + 8 KB = 12 KB, not 8 KB.
  const std::vector<int64_t> sizes = {1536, 6656};
  EXPECT_EQ(BatchGetReadUnits(sizes, ReadConsistency::kStrong).milli(), 3000);
}

TEST(CapacityUnits, QuerySumsItemSizesThenRoundsOnce) {
  // Ten items of 40.8 KB in all: rounded to 44 KB = 11 units.
  EXPECT_EQ(QueryReadUnits(41780, ReadConsistency::kStrong).milli(), 11000);
  EXPECT_EQ(QueryReadUnits(41780, ReadConsistency::kEventual).milli(), 5500);
  // 1,500 items of 64 bytes: 96,000 bytes, 24 blocks — not 1,500 blocks.
  const std::vector<int64_t> sizes(1500, 64);
  EXPECT_EQ(QueryReadUnits(sizes, ReadConsistency::kStrong).milli(), 24000);
}

TEST(CapacityUnits, EmptyQueryCostsOneBlock) {
  EXPECT_EQ(QueryReadUnits(0, ReadConsistency::kStrong).milli(), 1000);
  EXPECT_EQ(QueryReadUnits(0, ReadConsistency::kEventual).milli(), 500);
}

TEST(CapacityUnits, WriteRoundsUpPerKilobyte) {
  EXPECT_EQ(WriteUnitsForItem(500).milli(), 1000);
  EXPECT_EQ(WriteUnitsForItem(1024).milli(), 1000);
  EXPECT_EQ(WriteUnitsForItem(1025).milli(), 2000);
  EXPECT_EQ(WriteUnitsForItem(1536).milli(), 2000);
  EXPECT_EQ(WriteUnitsForItem(400 * 1024).milli(), 400000);
}

TEST(CapacityUnits, BatchWriteRoundsEachItemBeforeSumming) {
  // 500 bytes + 3.5 KB = 1 + 4 units.
  const std::vector<int64_t> sizes = {500, 3584};
  EXPECT_EQ(BatchWriteUnits(sizes).milli(), 5000);
}

TEST(CapacityUnits, PutAndUpdateChargeTheLargerOfOldAndNewItem) {
  EXPECT_EQ(PutItemWriteUnits(3 * 1024, 1024).milli(), 3000);
  EXPECT_EQ(PutItemWriteUnits(std::nullopt, 1500).milli(), 2000);
  EXPECT_EQ(UpdateItemWriteUnits(200, 2100).milli(), 3000);
}

TEST(CapacityUnits, DeleteAndFailedConditionChargeTheExistingItem) {
  EXPECT_EQ(DeleteItemWriteUnits(2500).milli(), 3000);
  EXPECT_EQ(DeleteItemWriteUnits(std::nullopt).milli(), 1000);
  EXPECT_EQ(FailedConditionWriteUnits(5000).milli(), 5000);
  EXPECT_EQ(FailedConditionWriteUnits(std::nullopt).milli(), 1000);
}

TEST(CapacityUnits, TransactionsCostDouble) {
  const std::vector<int64_t> sizes = {1536, 500};
  EXPECT_EQ(TransactWriteUnits(sizes).milli(), 6000);  // 2 x (2 + 1)
  const std::vector<int64_t> reads = {5000, 100};
  EXPECT_EQ(TransactGetReadUnits(reads).milli(), 6000);  // 2 x (2 + 1)
}

TEST(CapacityUnits, IndexWriteCostsOnePutOrDeleteAndTwoWhenTheKeyChanges) {
  EXPECT_EQ(IndexWriteUnits(std::nullopt, std::nullopt, false).milli(), 0);
  EXPECT_EQ(IndexWriteUnits(std::nullopt, 1500, false).milli(), 2000);  // new index entry
  EXPECT_EQ(IndexWriteUnits(700, std::nullopt, false).milli(), 1000);   // entry removed
  EXPECT_EQ(IndexWriteUnits(700, 1100, false).milli(), 2000);           // same key: larger entry
  EXPECT_EQ(IndexWriteUnits(700, 1100, true).milli(), 3000);            // delete 1 + put 2
}

}  // namespace
}  // namespace emu::dynamodb
