#pragma once

// The DynamoDB table layer: tables, items, secondary indexes, queries,
// scans, batches and TTL, wired to the expression engine (expression.h) and
// the capacity model (capacity_model.h). Passive: every call takes the
// simulated `now` and schedules nothing; the facade (dynamodb_api.h) adds
// latency and the TTL sweep events.
//
// Storage: one ordered map per table and per index, keyed by (canonical
// partition-key bytes, sort-key value, table-key bytes). A Query is one
// lower_bound plus a walk; a Scan walks in that order (AWS's order is by
// hash, unspecified to clients). Index entries hold the projected item.
//
// Every write computes its new state on a copy, asks the capacity model for
// admission (table, then each affected GSI), and only then commits: a
// rejected request (validation, failed condition, throttle) changes no item.
// Failed requests return the AWS error (dynamodb_errors.h) as a Status.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulators/common/cost_meter.h"
#include "emulators/dynamodb/capacity_model.h"
#include "emulators/dynamodb/dynamodb_types.h"
#include "emulators/dynamodb/expression.h"
#include "sim/metrics.h"
#include "sim/status.h"
#include "sim/time.h"

namespace emu::dynamodb {

namespace internal {
struct EntryKey;  // a position in a table's or index's ordered store
}

struct DynamoDbSettings {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  // Time a new table (or GSI) stays CREATING; 0: ACTIVE at once.
  sim::Duration table_creation_delay = sim::Duration::Zero();
  // Query / Scan page limit on bytes read (1 MB).
  int64_t page_bytes = 1024 * 1024;
  // TTL: an expired item is deleted by the sweep after a per-item delay
  // drawn uniformly in [0, ttl_max_deletion_delay] (AWS: "typically within a
  // few days"; 48 h by default), deterministic from the key and ttl_seed.
  sim::Duration ttl_max_deletion_delay = sim::Hours(48);
  uint64_t ttl_seed = 0;
  // Seconds since the Unix epoch of simulated time zero (TTL attributes are epoch seconds).
  int64_t epoch_unix_seconds = 1'767'225'600;
  // Capacity model defaults for new tables (billing mode and units come from the request).
  CapacityConfig capacity_defaults{};
};

class DynamoDbModel {
 public:
  // `metrics` and `cost` may be null (no metrics / no billing).
  DynamoDbModel(DynamoDbSettings settings, sim::MetricsRegistry* metrics = nullptr, CostMeter* cost = nullptr);
  ~DynamoDbModel();
  DynamoDbModel(const DynamoDbModel&) = delete;
  DynamoDbModel& operator=(const DynamoDbModel&) = delete;

  // Control plane.
  sim::StatusOr<CreateTableResponse> CreateTable(const CreateTableRequest& request, sim::Time now);
  sim::StatusOr<DescribeTableResponse> DescribeTable(const DescribeTableRequest& request, sim::Time now);
  sim::StatusOr<UpdateTableResponse> UpdateTable(const UpdateTableRequest& request, sim::Time now);
  sim::StatusOr<DeleteTableResponse> DeleteTable(const DeleteTableRequest& request, sim::Time now);
  sim::StatusOr<ListTablesResponse> ListTables(const ListTablesRequest& request, sim::Time now) const;

  // Items.
  sim::StatusOr<PutItemResponse> PutItem(PutItemRequest request, sim::Time now);
  sim::StatusOr<GetItemResponse> GetItem(const GetItemRequest& request, sim::Time now);
  sim::StatusOr<DeleteItemResponse> DeleteItem(const DeleteItemRequest& request, sim::Time now);
  sim::StatusOr<UpdateItemResponse> UpdateItem(const UpdateItemRequest& request, sim::Time now);

  // Reads of many items.
  sim::StatusOr<QueryResponse> Query(const QueryRequest& request, sim::Time now);
  sim::StatusOr<ScanResponse> Scan(const ScanRequest& request, sim::Time now);

  // Batches: each write / key is admitted on its own; throttled ones come
  // back in UnprocessedItems / UnprocessedKeys (the whole batch throttled is
  // ProvisionedThroughputExceededException, as AWS).
  sim::StatusOr<BatchWriteItemResponse> BatchWriteItem(const BatchWriteItemRequest& request, sim::Time now);
  sim::StatusOr<BatchGetItemResponse> BatchGetItem(const BatchGetItemRequest& request, sim::Time now);

  // Transactions: all or nothing, twice the units, TransactionCanceledException
  // with one CancellationReason per action. A ClientRequestToken repeats the
  // first outcome for 10 minutes (a different request with the same token:
  // IdempotentParameterMismatchException). Requests run atomically at `now`,
  // so transactions never conflict with each other here.
  sim::StatusOr<TransactWriteItemsResponse> TransactWriteItems(const TransactWriteItemsRequest& request, sim::Time now);
  sim::StatusOr<TransactGetItemsResponse> TransactGetItems(const TransactGetItemsRequest& request, sim::Time now);

  // TTL.
  sim::StatusOr<UpdateTimeToLiveResponse> UpdateTimeToLive(const UpdateTimeToLiveRequest& request, sim::Time now);
  sim::StatusOr<DescribeTimeToLiveResponse> DescribeTimeToLive(const DescribeTimeToLiveRequest& request,
                                                               sim::Time now) const;
  // Deletes every item whose TTL attribute (epoch seconds) plus its drawn
  // deletion delay is at or before `now`; returns how many. Counted in
  // "dynamodb.<table>.ttl_deleted_items". No capacity is consumed (as AWS).
  int64_t SweepExpiredItems(sim::Time now);
  // The simulated time at which the sweep may delete an item expiring at
  // `expiry_epoch_seconds` (its TTL instant plus the per-key delay).
  sim::Time TtlDeletionTime(const std::string& table_name, const Item& item) const;

  // Inspection.
  bool HasTable(const std::string& name) const;
  CapacityModel* TableCapacity(const std::string& table_name);
  CapacityModel* IndexCapacity(const std::string& table_name, const std::string& index_name);
  ExpressionCache& expression_cache() { return cache_; }
  const DynamoDbSettings& settings() const { return settings_; }

  struct Table;
  struct Index;

 private:
  struct Prepared;  // a write computed on a copy, ready to admit and commit

  sim::StatusOr<Table*> FindActiveTable(const std::string& name, sim::Time now);
  Table* FindTable(const std::string& name);
  const Table* FindTable(const std::string& name) const;
  TableDescription Describe(const Table& table, sim::Time now) const;
  sim::Status AddGsi(Table& table, const GlobalSecondaryIndex& gsi, const std::vector<AttributeDefinition>& defs,
                     bool pay_per_request, sim::Time now);

  // The write path shared by PutItem, DeleteItem, UpdateItem and batches.
  // `key` is the item's store position; new_size < 0: compute it; known_old:
  // the caller already looked the item up (null: absent).
  sim::Status PrepareWrite(Table& table, internal::EntryKey key, std::optional<Item> new_item, Prepared& out,
                           int64_t new_size = -1, std::optional<const Item*> known_old = std::nullopt);
  sim::Status Admit(Table& table, Prepared& p, sim::Time now);
  void Commit(Table& table, Prepared& p);
  std::optional<ConsumedCapacity> Report(const Table& table, const Prepared& p, ReturnConsumedCapacity rcc) const;
  sim::Status ReadAdmit(Table& table, Index* index, const std::string& pk, CapacityUnits units, sim::Time now);
  void BillRead(const Table& table, CapacityUnits units);
  void BillWrite(const Table& table, CapacityUnits units);

  DynamoDbSettings settings_;
  sim::MetricsRegistry* metrics_;
  CostMeter* cost_;
  double* rru_slot_ = nullptr;
  double* wru_slot_ = nullptr;
  ExpressionCache cache_;
  std::map<std::string, std::unique_ptr<Table>, std::less<>> tables_;
  struct TokenEntry {
    std::string fingerprint;
    sim::Time first_seen;
    TransactWriteItemsResponse response;
  };
  std::map<std::string, TokenEntry, std::less<>> tokens_;  // ClientRequestToken -> first outcome
};

// Canonical bytes of a key value: a type tag then the bytes (S, B) or the
// number's canonical text (N). What the capacity model hashes.
std::string CanonicalKeyBytes(const AttributeValue& value);

}  // namespace emu::dynamodb
