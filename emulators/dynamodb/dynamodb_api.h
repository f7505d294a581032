#pragma once

// DynamoDB facade: each AWS operation as a sim::Task coroutine through the
// behaviour layer (latency, injected faults, per-operation metrics
// "dynamodb.<Op>.*"), calling the passive DynamoDbModel at the completion
// time. On-demand tables bill read/write request units (cost meter items
// dynamodb/read_request_unit, write_request_unit) as they are consumed.
// The facade also owns the TTL sweep: a daemon event every
// `ttl_sweep_interval` deletes items whose TTL plus drawn delay has passed.

#include <memory>

#include "emulators/common/behaviour.h"
#include "emulators/common/env.h"
#include "emulators/dynamodb/dynamodb_model.h"
#include "sim/task.h"

namespace emu::dynamodb {

struct DynamoDbApiSettings {
  DynamoDbSettings model{};
  // How often the TTL sweep runs (daemon events; none while no table has TTL enabled).
  sim::Duration ttl_sweep_interval = sim::Minutes(15);
};

class DynamoDbApi {
 public:
  explicit DynamoDbApi(Env& env, DynamoDbApiSettings settings = {});
  ~DynamoDbApi();

  sim::Task<sim::StatusOr<CreateTableResponse>> CreateTable(CreateTableRequest request);
  sim::Task<sim::StatusOr<DescribeTableResponse>> DescribeTable(DescribeTableRequest request);
  sim::Task<sim::StatusOr<UpdateTableResponse>> UpdateTable(UpdateTableRequest request);
  sim::Task<sim::StatusOr<DeleteTableResponse>> DeleteTable(DeleteTableRequest request);
  sim::Task<sim::StatusOr<ListTablesResponse>> ListTables(ListTablesRequest request);
  sim::Task<sim::StatusOr<PutItemResponse>> PutItem(PutItemRequest request);
  sim::Task<sim::StatusOr<GetItemResponse>> GetItem(GetItemRequest request);
  sim::Task<sim::StatusOr<DeleteItemResponse>> DeleteItem(DeleteItemRequest request);
  sim::Task<sim::StatusOr<UpdateItemResponse>> UpdateItem(UpdateItemRequest request);
  sim::Task<sim::StatusOr<QueryResponse>> Query(QueryRequest request);
  sim::Task<sim::StatusOr<ScanResponse>> Scan(ScanRequest request);
  sim::Task<sim::StatusOr<BatchWriteItemResponse>> BatchWriteItem(BatchWriteItemRequest request);
  sim::Task<sim::StatusOr<BatchGetItemResponse>> BatchGetItem(BatchGetItemRequest request);
  sim::Task<sim::StatusOr<TransactWriteItemsResponse>> TransactWriteItems(TransactWriteItemsRequest request);
  sim::Task<sim::StatusOr<TransactGetItemsResponse>> TransactGetItems(TransactGetItemsRequest request);
  sim::Task<sim::StatusOr<UpdateTimeToLiveResponse>> UpdateTimeToLive(UpdateTimeToLiveRequest request);
  sim::Task<sim::StatusOr<DescribeTimeToLiveResponse>> DescribeTimeToLive(DescribeTimeToLiveRequest request);

  DynamoDbModel& model() { return *model_; }
  ServiceBehaviour& behaviour() { return behaviour_; }
  int64_t ttl_sweeps() const { return ttl_sweeps_; }

 private:
  void EnsureSweep();
  void Sweep();

  Env& env_;
  DynamoDbApiSettings settings_;
  ServiceBehaviour behaviour_;
  std::unique_ptr<DynamoDbModel> model_;
  bool sweep_scheduled_ = false;
  sim::EventId sweep_event_{};
  int64_t ttl_sweeps_ = 0;
  sim::Counter* ttl_deleted_ = nullptr;
  struct Ops;
  std::unique_ptr<Ops> ops_;
};

}  // namespace emu::dynamodb
