#pragma once

// DynamoDB capacity-unit arithmetic, from item byte sizes to read and write
// units exactly as the developer guide's "read and write operations" page
// counts them:
//   read  : one unit per 4 KB (rounded up), strongly consistent = 1,
//           eventually consistent = 1/2, transactional = 2;
//   write : one unit per 1 KB (rounded up), transactional = 2;
//   BatchGetItem / BatchWriteItem / Transact*: each item rounded, then summed;
//   Query / Scan: the sizes of every item *read* summed, then rounded once;
//   PutItem / UpdateItem: the larger of the item before and after;
//   DeleteItem: the deleted item; a failed condition: the existing item;
//   secondary indexes: one write per index entry put or deleted, two when the
//   index key changes (delete the old entry, put the new one).
// Zero bytes (item not found, empty page) still costs one 4 KB / 1 KB block.
//
// Units are kept in thousandths (CapacityUnits::milli) so 0.5 RCU and the
// per-partition shares of a table's rate are exact integers.

#include <compare>
#include <cstdint>
#include <optional>
#include <span>

namespace emu::dynamodb {

inline constexpr int64_t kReadUnitBytes = 4 * 1024;
inline constexpr int64_t kWriteUnitBytes = 1024;

class CapacityUnits {
 public:
  constexpr CapacityUnits() = default;
  static constexpr CapacityUnits FromMilli(int64_t milli) { return CapacityUnits(milli); }
  static constexpr CapacityUnits FromUnits(int64_t units) { return CapacityUnits(units * 1000); }
  static constexpr CapacityUnits Zero() { return CapacityUnits(0); }

  constexpr int64_t milli() const { return milli_; }
  // What ConsumedCapacity.CapacityUnits reports (0.5, 1, 2.5, ...).
  constexpr double ToDouble() const { return static_cast<double>(milli_) / 1000.0; }

  constexpr auto operator<=>(const CapacityUnits&) const = default;
  constexpr CapacityUnits operator+(CapacityUnits o) const { return CapacityUnits(milli_ + o.milli_); }
  constexpr CapacityUnits operator-(CapacityUnits o) const { return CapacityUnits(milli_ - o.milli_); }
  constexpr CapacityUnits operator*(int64_t k) const { return CapacityUnits(milli_ * k); }
  constexpr CapacityUnits& operator+=(CapacityUnits o) {
    milli_ += o.milli_;
    return *this;
  }

 private:
  constexpr explicit CapacityUnits(int64_t milli) : milli_(milli) {}
  int64_t milli_ = 0;
};

enum class ReadConsistency { kEventual, kStrong, kTransactional };

// Number of 4 KB (read) or 1 KB (write) blocks, at least one.
int64_t ReadBlocks(int64_t bytes);
int64_t WriteBlocks(int64_t bytes);

// One item read (GetItem, one BatchGetItem or TransactGetItems entry).
CapacityUnits ReadUnitsForItem(int64_t item_bytes, ReadConsistency consistency);
// One item written (the size that counts, see PutItemWriteUnits).
CapacityUnits WriteUnitsForItem(int64_t item_bytes, bool transactional = false);

// GetItem: a missing item (nullopt) costs the minimum, one 4 KB block.
CapacityUnits GetItemReadUnits(std::optional<int64_t> item_bytes, ReadConsistency consistency);
// PutItem and UpdateItem: the larger of the old item (nullopt: none) and the new.
CapacityUnits PutItemWriteUnits(std::optional<int64_t> old_bytes, int64_t new_bytes);
CapacityUnits UpdateItemWriteUnits(std::optional<int64_t> old_bytes, int64_t new_bytes);
// DeleteItem: the deleted item; deleting a missing item costs one unit.
CapacityUnits DeleteItemWriteUnits(std::optional<int64_t> old_bytes);
// A write whose ConditionExpression failed: the existing item (minimum 1).
CapacityUnits FailedConditionWriteUnits(std::optional<int64_t> existing_bytes);

// BatchGetItem: each item rounded up to 4 KB, then summed (1.5 KB + 6.5 KB = 12 KB).
CapacityUnits BatchGetReadUnits(std::span<const int64_t> item_bytes, ReadConsistency consistency);
// BatchWriteItem: each put/delete rounded up to 1 KB, then summed.
CapacityUnits BatchWriteUnits(std::span<const int64_t> item_bytes);
// TransactGetItems / TransactWriteItems: twice the per-item units, summed.
CapacityUnits TransactGetReadUnits(std::span<const int64_t> item_bytes);
CapacityUnits TransactWriteUnits(std::span<const int64_t> item_bytes);
// Query and Scan: the sizes of all items read (before any FilterExpression)
// summed, then rounded up to 4 KB once (40.8 KB -> 44 KB -> 11 RCU strong).
CapacityUnits QueryReadUnits(int64_t total_bytes_read, ReadConsistency consistency);
CapacityUnits QueryReadUnits(std::span<const int64_t> item_bytes, ReadConsistency consistency);

// The write units one table write costs in one secondary index, from the
// item's index entry before and after (nullopt: the item is not in the
// index then, e.g. a sparse-index attribute missing). Same index key on both
// sides: one write of the larger entry; different key: delete + put.
CapacityUnits IndexWriteUnits(std::optional<int64_t> old_entry_bytes, std::optional<int64_t> new_entry_bytes,
                              bool index_key_changed);

}  // namespace emu::dynamodb
