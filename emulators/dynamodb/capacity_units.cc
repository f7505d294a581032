#include "emulators/dynamodb/capacity_units.h"

#include <algorithm>

namespace emu::dynamodb {

namespace {

int64_t CeilDiv(int64_t a, int64_t b) { return a <= 0 ? 0 : (a + b - 1) / b; }

// Milli-units for `blocks` 4 KB blocks read with the given consistency.
CapacityUnits ReadBlocksToUnits(int64_t blocks, ReadConsistency consistency) {
  switch (consistency) {
    case ReadConsistency::kEventual:
      return CapacityUnits::FromMilli(blocks * 500);
    case ReadConsistency::kStrong:
      return CapacityUnits::FromUnits(blocks);
    case ReadConsistency::kTransactional:
      return CapacityUnits::FromUnits(2 * blocks);
  }
  return CapacityUnits::FromUnits(blocks);
}

}  // namespace

int64_t ReadBlocks(int64_t bytes) { return std::max<int64_t>(1, CeilDiv(bytes, kReadUnitBytes)); }
int64_t WriteBlocks(int64_t bytes) { return std::max<int64_t>(1, CeilDiv(bytes, kWriteUnitBytes)); }

CapacityUnits ReadUnitsForItem(int64_t item_bytes, ReadConsistency consistency) {
  return ReadBlocksToUnits(ReadBlocks(item_bytes), consistency);
}

CapacityUnits WriteUnitsForItem(int64_t item_bytes, bool transactional) {
  return CapacityUnits::FromUnits(WriteBlocks(item_bytes) * (transactional ? 2 : 1));
}

CapacityUnits GetItemReadUnits(std::optional<int64_t> item_bytes, ReadConsistency consistency) {
  return ReadUnitsForItem(item_bytes.value_or(0), consistency);
}

CapacityUnits PutItemWriteUnits(std::optional<int64_t> old_bytes, int64_t new_bytes) {
  return WriteUnitsForItem(std::max(old_bytes.value_or(0), new_bytes));
}

CapacityUnits UpdateItemWriteUnits(std::optional<int64_t> old_bytes, int64_t new_bytes) {
  return PutItemWriteUnits(old_bytes, new_bytes);
}

CapacityUnits DeleteItemWriteUnits(std::optional<int64_t> old_bytes) {
  return WriteUnitsForItem(old_bytes.value_or(0));
}

CapacityUnits FailedConditionWriteUnits(std::optional<int64_t> existing_bytes) {
  return WriteUnitsForItem(existing_bytes.value_or(0));
}

CapacityUnits BatchGetReadUnits(std::span<const int64_t> item_bytes, ReadConsistency consistency) {
  int64_t blocks = 0;
  for (int64_t b : item_bytes) blocks += ReadBlocks(b);
  return ReadBlocksToUnits(blocks, consistency);
}

CapacityUnits BatchWriteUnits(std::span<const int64_t> item_bytes) {
  CapacityUnits total;
  for (int64_t b : item_bytes) total += WriteUnitsForItem(b);
  return total;
}

CapacityUnits TransactGetReadUnits(std::span<const int64_t> item_bytes) {
  return BatchGetReadUnits(item_bytes, ReadConsistency::kTransactional);
}

CapacityUnits TransactWriteUnits(std::span<const int64_t> item_bytes) {
  CapacityUnits total;
  for (int64_t b : item_bytes) total += WriteUnitsForItem(b, /*transactional=*/true);
  return total;
}

CapacityUnits QueryReadUnits(int64_t total_bytes_read, ReadConsistency consistency) {
  return ReadBlocksToUnits(ReadBlocks(total_bytes_read), consistency);
}

CapacityUnits QueryReadUnits(std::span<const int64_t> item_bytes, ReadConsistency consistency) {
  int64_t total = 0;
  for (int64_t b : item_bytes) total += b;
  return QueryReadUnits(total, consistency);
}

CapacityUnits IndexWriteUnits(std::optional<int64_t> old_entry_bytes, std::optional<int64_t> new_entry_bytes,
                              bool index_key_changed) {
  if (!old_entry_bytes && !new_entry_bytes) return CapacityUnits::Zero();
  if (!old_entry_bytes) return WriteUnitsForItem(*new_entry_bytes);
  if (!new_entry_bytes) return WriteUnitsForItem(*old_entry_bytes);
  if (index_key_changed) return WriteUnitsForItem(*old_entry_bytes) + WriteUnitsForItem(*new_entry_bytes);
  return WriteUnitsForItem(std::max(*old_entry_bytes, *new_entry_bytes));
}

}  // namespace emu::dynamodb
