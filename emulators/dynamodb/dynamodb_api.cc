#include "emulators/dynamodb/dynamodb_api.h"

#include "emulators/dynamodb/dynamodb_errors.h"

namespace emu::dynamodb {

struct DynamoDbApi::Ops {
  explicit Ops(ServiceBehaviour& b)
      : create_table(b.Declare("CreateTable", "")),
        describe_table(b.Declare("DescribeTable", "")),
        update_table(b.Declare("UpdateTable", "")),
        delete_table(b.Declare("DeleteTable", "")),
        list_tables(b.Declare("ListTables", "")),
        put_item(b.Declare("PutItem", "")),
        get_item(b.Declare("GetItem", "")),
        delete_item(b.Declare("DeleteItem", "")),
        update_item(b.Declare("UpdateItem", "")),
        query(b.Declare("Query", "")),
        scan(b.Declare("Scan", "")),
        batch_write_item(b.Declare("BatchWriteItem", "")),
        batch_get_item(b.Declare("BatchGetItem", "")),
        transact_write_items(b.Declare("TransactWriteItems", "")),
        transact_get_items(b.Declare("TransactGetItems", "")),
        update_time_to_live(b.Declare("UpdateTimeToLive", "")),
        describe_time_to_live(b.Declare("DescribeTimeToLive", "")) {}
  // Request units are billed by the model as consumed, not per request.
  Operation& create_table;
  Operation& describe_table;
  Operation& update_table;
  Operation& delete_table;
  Operation& list_tables;
  Operation& put_item;
  Operation& get_item;
  Operation& delete_item;
  Operation& update_item;
  Operation& query;
  Operation& scan;
  Operation& batch_write_item;
  Operation& batch_get_item;
  Operation& transact_write_items;
  Operation& transact_get_items;
  Operation& update_time_to_live;
  Operation& describe_time_to_live;
};

DynamoDbApi::DynamoDbApi(Env& env, DynamoDbApiSettings settings)
    : env_(env),
      settings_(std::move(settings)),
      behaviour_(env, "dynamodb"),
      model_(std::make_unique<DynamoDbModel>(settings_.model, &env.metrics(), &env.cost())),
      ops_(std::make_unique<Ops>(behaviour_)) {
  errors::RegisterDynamoDbErrors();
  ttl_deleted_ = &env.metrics().GetCounter("dynamodb.ttl_deleted_items");
}

DynamoDbApi::~DynamoDbApi() { env_.sched().Cancel(sweep_event_); }

void DynamoDbApi::EnsureSweep() {
  if (sweep_scheduled_) return;
  sweep_scheduled_ = true;
  sweep_event_ = env_.sched().ScheduleAfter(
      settings_.ttl_sweep_interval, [this] { Sweep(); }, sim::kDaemon);
}

// One sweep, then the next as a daemon event (the api must outlive the
// scheduler's run, as every facade here).
void DynamoDbApi::Sweep() {
  ++ttl_sweeps_;
  ttl_deleted_->Add(model_->SweepExpiredItems(env_.Now()));
  sweep_event_ = env_.sched().ScheduleAfter(
      settings_.ttl_sweep_interval, [this] { Sweep(); }, sim::kDaemon);
}

// Each operation: run the model at the completion time through the behaviour layer.
#define ADPSIM_DYNAMODB_OP(Name, Member)                                              \
  sim::Task<sim::StatusOr<Name##Response>> DynamoDbApi::Name(Name##Request request) { \
    sim::StatusOr<Name##Response> result = co_await RunOperation<Name##Response>(     \
        ops_->Member, [&]() -> sim::StatusOr<Name##Response> {                        \
          return model_->Name(std::move(request), env_.Now());                        \
        });                                                                           \
    co_return result;                                                                 \
  }

ADPSIM_DYNAMODB_OP(CreateTable, create_table)
ADPSIM_DYNAMODB_OP(DescribeTable, describe_table)
ADPSIM_DYNAMODB_OP(UpdateTable, update_table)
ADPSIM_DYNAMODB_OP(DeleteTable, delete_table)
ADPSIM_DYNAMODB_OP(ListTables, list_tables)
ADPSIM_DYNAMODB_OP(PutItem, put_item)
ADPSIM_DYNAMODB_OP(GetItem, get_item)
ADPSIM_DYNAMODB_OP(DeleteItem, delete_item)
ADPSIM_DYNAMODB_OP(UpdateItem, update_item)
ADPSIM_DYNAMODB_OP(Query, query)
ADPSIM_DYNAMODB_OP(Scan, scan)
ADPSIM_DYNAMODB_OP(BatchWriteItem, batch_write_item)
ADPSIM_DYNAMODB_OP(BatchGetItem, batch_get_item)
ADPSIM_DYNAMODB_OP(TransactWriteItems, transact_write_items)
ADPSIM_DYNAMODB_OP(TransactGetItems, transact_get_items)
ADPSIM_DYNAMODB_OP(DescribeTimeToLive, describe_time_to_live)

#undef ADPSIM_DYNAMODB_OP

sim::Task<sim::StatusOr<UpdateTimeToLiveResponse>> DynamoDbApi::UpdateTimeToLive(UpdateTimeToLiveRequest request) {
  sim::StatusOr<UpdateTimeToLiveResponse> result = co_await RunOperation<UpdateTimeToLiveResponse>(
      ops_->update_time_to_live, [&]() -> sim::StatusOr<UpdateTimeToLiveResponse> {
        sim::StatusOr<UpdateTimeToLiveResponse> r = model_->UpdateTimeToLive(request, env_.Now());
        if (r.ok() && r->time_to_live_specification.enabled) EnsureSweep();
        return r;
      });
  co_return result;
}

}  // namespace emu::dynamodb
