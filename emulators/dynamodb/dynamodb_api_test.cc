#include "emulators/dynamodb/dynamodb_api.h"

#include <gtest/gtest.h>

#include "emulators/dynamodb/dynamodb_errors.h"

namespace emu::dynamodb {
namespace {

using sim::Time;

template <class T>
sim::Task<void> Capture(sim::Task<T> task, std::optional<T>* out, Time* done_at, sim::Scheduler* sched) {
  T value = co_await std::move(task);
  *out = std::move(value);
  *done_at = sched->Now();
}

class DynamoDbApiTest : public ::testing::Test {
 protected:
  template <class T>
  T Run(sim::Task<T> task) {
    std::optional<T> out;
    sched_.Spawn(Capture(std::move(task), &out, &done_at_, &sched_));
    sched_.Run();
    EXPECT_TRUE(out.has_value());
    return out.has_value() ? std::move(*out) : T(sim::InternalError("did not finish"));
  }
  void CreateTable() {
    CreateTableRequest r;
    r.table_name = "counters";
    r.attribute_definitions = {{"pk", "S"}};
    r.key_schema = {{"pk", "HASH"}};
    r.billing_mode = "PAY_PER_REQUEST";
    ASSERT_TRUE(Run(api_.CreateTable(std::move(r))).ok());
  }

  sim::Scheduler sched_;
  Env env_{sched_, 1};
  DynamoDbApi api_{env_};
  Time done_at_;
};

TEST_F(DynamoDbApiTest, OperationsTakeTheirLatencyAndRecordMetrics) {
  CreateTable();
  api_.behaviour().Get("PutItem").latency = LatencySpec::Constant(0.005);
  PutItemRequest p;
  p.table_name = "counters";
  p.item = {{"pk", AttributeValue::S("a")}};
  ASSERT_TRUE(Run(api_.PutItem(std::move(p))).ok());
  EXPECT_EQ(done_at_, Time::Zero() + sim::Milliseconds(5));
  EXPECT_EQ(env_.metrics().GetCounter("dynamodb.PutItem.requests").value(), 1);
  GetItemRequest g;
  g.table_name = "missing";
  g.key = {{"pk", AttributeValue::S("a")}};
  sim::StatusOr<GetItemResponse> r = Run(api_.GetItem(std::move(g)));
  EXPECT_EQ(AwsErrorOf(r.status()), &errors::kResourceNotFoundException);
  EXPECT_EQ(env_.metrics().GetCounter("dynamodb.GetItem.errors").value(), 1);
}

TEST_F(DynamoDbApiTest, OnDemandRequestUnitsAreBilled) {
  CreateTable();
  PutItemRequest p;
  p.table_name = "counters";
  p.item = {{"pk", AttributeValue::S("a")}, {"blob", AttributeValue::S(std::string(1500, 'x'))}};
  ASSERT_TRUE(Run(api_.PutItem(std::move(p))).ok());
  GetItemRequest g;
  g.table_name = "counters";
  g.key = {{"pk", AttributeValue::S("a")}};
  ASSERT_TRUE(Run(api_.GetItem(std::move(g))).ok());
  EXPECT_EQ(env_.cost().units("dynamodb", "write_request_unit"), 2.0);  // 1,507 bytes -> 2 KB
  EXPECT_EQ(env_.cost().units("dynamodb", "read_request_unit"), 0.5);   // eventually consistent
}

TEST_F(DynamoDbApiTest, TtlSweepRunsAsDaemonEventsAndDeletesExpiredItems) {
  CreateTable();
  UpdateTimeToLiveRequest ttl{"counters", {"exp", true}};
  ASSERT_TRUE(Run(api_.UpdateTimeToLive(std::move(ttl))).ok());
  const int64_t epoch = api_.model().settings().epoch_unix_seconds;
  Item item{{"pk", AttributeValue::S("a")}, {"exp", AttributeValue::N(epoch + 60)}};
  PutItemRequest p;
  p.table_name = "counters";
  p.item = item;
  ASSERT_TRUE(Run(api_.PutItem(std::move(p))).ok());
  EXPECT_EQ(sched_.Now(), Time::Zero());  // the sweep is a daemon: Run() did not wait for it
  const Time deletion = api_.model().TtlDeletionTime("counters", item);
  sched_.RunUntil(deletion + sim::Minutes(15));
  EXPECT_EQ(env_.metrics().GetCounter("dynamodb.ttl_deleted_items").value(), 1);
  EXPECT_EQ(api_.ttl_sweeps(), (deletion + sim::Minutes(15)).SinceStart() / sim::Minutes(15));
}

}  // namespace
}  // namespace emu::dynamodb
