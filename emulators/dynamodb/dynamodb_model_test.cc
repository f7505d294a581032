#include "emulators/dynamodb/dynamodb_model.h"

#include <gtest/gtest.h>

#include "emulators/dynamodb/dynamodb_errors.h"

namespace emu::dynamodb {
namespace {

using sim::Time;

Time T(int64_t seconds) { return Time::Zero() + sim::Seconds(seconds); }
AttributeValue S(std::string s) { return AttributeValue::S(std::move(s)); }
AttributeValue N(int64_t n) { return AttributeValue::N(n); }

std::string ErrorName(const sim::Status& s) {
  const AwsErrorType* e = AwsErrorOf(s);
  return e == nullptr ? "OK" : std::string(e->name);
}
std::string Message(const sim::Status& s) { return std::string(s.message()); }

CreateTableRequest HashTable(const std::string& name) {
  CreateTableRequest r;
  r.table_name = name;
  r.attribute_definitions = {{"pk", "S"}};
  r.key_schema = {{"pk", "HASH"}};
  r.billing_mode = "PAY_PER_REQUEST";
  return r;
}
CreateTableRequest RangeTable(const std::string& name) {
  CreateTableRequest r;
  r.table_name = name;
  r.attribute_definitions = {{"pk", "S"}, {"sk", "N"}};
  r.key_schema = {{"pk", "HASH"}, {"sk", "RANGE"}};
  r.billing_mode = "PAY_PER_REQUEST";
  return r;
}

class DynamoDbModelTest : public ::testing::Test {
 protected:
  DynamoDbModelTest() : model_(DynamoDbSettings{}, &metrics_, nullptr) {}

  void Create(const CreateTableRequest& r, Time now = T(0)) {
    sim::StatusOr<CreateTableResponse> c = model_.CreateTable(r, now);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }
  void Put(const std::string& table, Item item, Time now = T(1)) {
    PutItemRequest r;
    r.table_name = table;
    r.item = std::move(item);
    sim::StatusOr<PutItemResponse> p = model_.PutItem(r, now);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
  }
  std::optional<Item> Get(const std::string& table, Item key, Time now = T(2)) {
    GetItemRequest r;
    r.table_name = table;
    r.key = std::move(key);
    r.consistent_read = true;
    sim::StatusOr<GetItemResponse> g = model_.GetItem(r, now);
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    return g.ok() ? g->item : std::nullopt;
  }
  TableDescription Describe(const std::string& table, Time now = T(2)) {
    sim::StatusOr<DescribeTableResponse> d = model_.DescribeTable({table}, now);
    EXPECT_TRUE(d.ok());
    return d.ok() ? d->table : TableDescription{};
  }
  void FillRange(const std::string& table, int n, Time now = T(1)) {
    for (int i = 0; i < n; ++i) Put(table, {{"pk", S("p")}, {"sk", N(i)}, {"v", N(i * 10)}}, now);
  }

  sim::MetricsRegistry metrics_;
  DynamoDbModel model_;
};

// ---- 1. Tables ----

TEST_F(DynamoDbModelTest, CreateTableDescribesActiveTableWithKeysAndBilling) {
  CreateTableRequest r = RangeTable("events");
  r.billing_mode = "PROVISIONED";
  r.provisioned_throughput = ProvisionedThroughput{10, 5};
  sim::StatusOr<CreateTableResponse> c = model_.CreateTable(r, T(7));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const TableDescription& d = c->table_description;
  EXPECT_EQ(d.table_name, "events");
  EXPECT_EQ(d.table_arn, "arn:aws:dynamodb:us-east-1:000000000000:table/events");
  EXPECT_EQ(d.table_status, "ACTIVE");
  EXPECT_EQ(d.creation_date_time, T(7));
  EXPECT_EQ(d.billing_mode, "PROVISIONED");
  EXPECT_EQ(d.provisioned_throughput.read_capacity_units, 10);
  EXPECT_EQ(d.provisioned_throughput.write_capacity_units, 5);
  EXPECT_EQ(d.item_count, 0);
  EXPECT_EQ(model_.TableCapacity("events")->config().write_capacity_units, 5);
}

TEST_F(DynamoDbModelTest, CreateTableRejectsInvalidKeySchemaAndDefinitions) {
  CreateTableRequest r = RangeTable("bad");
  r.key_schema = {{"pk", "RANGE"}};
  EXPECT_EQ(Message(model_.CreateTable(r, T(0)).status()),
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  r = RangeTable("bad");
  r.attribute_definitions = {{"pk", "S"}};
  EXPECT_EQ(Message(model_.CreateTable(r, T(0)).status()),
            "One or more parameter values were invalid: Some index key attributes are not defined in "
            "AttributeDefinitions. Keys: [sk], AttributeDefinitions: [pk]");
  r = HashTable("bad");
  r.attribute_definitions = {{"pk", "S"}, {"extra", "N"}};
  EXPECT_EQ(Message(model_.CreateTable(r, T(0)).status()),
            "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match "
            "number of attributes defined in AttributeDefinitions");
  r = HashTable("bad");
  r.attribute_definitions = {{"pk", "BOOL"}};
  sim::Status s = model_.CreateTable(r, T(0)).status();
  EXPECT_EQ(ErrorName(s), "ValidationException");
  EXPECT_EQ(Message(s),
            "1 validation error detected: Value 'BOOL' at 'attributeDefinitions.1.member.attributeType' failed to "
            "satisfy constraint: Member must satisfy enum value set: [B, N, S]");
  r = HashTable("bad");
  r.billing_mode = "PROVISIONED";
  EXPECT_EQ(Message(model_.CreateTable(r, T(0)).status()), "No provisioned throughput specified for the table");
  r = HashTable("bad");
  r.provisioned_throughput = ProvisionedThroughput{1, 1};
  EXPECT_EQ(Message(model_.CreateTable(r, T(0)).status()),
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
            "specified when BillingMode is PAY_PER_REQUEST");
  r = HashTable("ab");
  EXPECT_EQ(Message(model_.CreateTable(r, T(0)).status()),
            "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have "
            "length greater than or equal to 3");
  EXPECT_FALSE(model_.HasTable("bad"));
}

TEST_F(DynamoDbModelTest, CreateTableTwiceIsResourceInUse) {
  Create(HashTable("tb1"));
  sim::Status s = model_.CreateTable(HashTable("tb1"), T(1)).status();
  EXPECT_EQ(ErrorName(s), "ResourceInUseException");
  EXPECT_EQ(Message(s), "Table already exists: tb1");
}

TEST_F(DynamoDbModelTest, CreateTableWithIndexesValidatesThem) {
  CreateTableRequest r = HashTable("idx");
  r.local_secondary_indexes = {{"lsi", {{"pk", "HASH"}, {"x", "RANGE"}}, {"ALL", {}}}};
  r.attribute_definitions.push_back({"x", "N"});
  EXPECT_EQ(Message(model_.CreateTable(r, T(0)).status()),
            "One or more parameter values were invalid: Table KeySchema does not have a range key, which is "
            "required when specifying a LocalSecondaryIndex");
  r = RangeTable("idx");
  r.attribute_definitions.push_back({"g", "S"});
  r.global_secondary_indexes = {{"gsi", {{"g", "HASH"}}, {"INCLUDE", {}}}};
  EXPECT_EQ(Message(model_.CreateTable(r, T(0)).status()),
            "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not "
            "specified");
  r.global_secondary_indexes = {{"gsi", {{"g", "HASH"}}, {"KEYS_ONLY", {}}},
                                {"gsi", {{"g", "HASH"}}, {"KEYS_ONLY", {}}}};
  EXPECT_EQ(Message(model_.CreateTable(r, T(0)).status()),
            "One or more parameter values were invalid: Duplicate index name: gsi");
  r.global_secondary_indexes.pop_back();
  Create(r);
  TableDescription d = Describe("idx");
  ASSERT_EQ(d.global_secondary_indexes.size(), 1u);
  EXPECT_EQ(d.global_secondary_indexes[0].index_name, "gsi");
  EXPECT_EQ(d.global_secondary_indexes[0].index_status, "ACTIVE");
  EXPECT_NE(model_.IndexCapacity("idx", "gsi"), nullptr);
}

TEST_F(DynamoDbModelTest, DescribeTableCountsItemsAndBytes) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}, {"v", S("12345")}});  // 2 + 1 + 1 + 5 = 9 bytes
  Put("tb1", {{"pk", S("b")}});                     // 3 bytes
  TableDescription d = Describe("tb1");
  EXPECT_EQ(d.item_count, 2);
  EXPECT_EQ(d.table_size_bytes, 12);
  EXPECT_EQ(ErrorName(model_.DescribeTable({"nope"}, T(0)).status()), "ResourceNotFoundException");
  EXPECT_EQ(Message(model_.DescribeTable({"nope"}, T(0)).status()),
            "Requested resource not found: Table: nope not found");
}

TEST(DynamoDbModel, TableIsCreatingForTheConfiguredDelay) {
  DynamoDbSettings settings;
  settings.table_creation_delay = sim::Seconds(20);
  DynamoDbModel model(settings);
  ASSERT_TRUE(model.CreateTable(HashTable("slow"), T(0)).ok());
  EXPECT_EQ(model.DescribeTable({"slow"}, T(19))->table.table_status, "CREATING");
  PutItemRequest put;
  put.table_name = "slow";
  put.item = {{"pk", S("a")}};
  EXPECT_EQ(AwsErrorOf(model.PutItem(put, T(19)).status()), &errors::kResourceNotFoundException);
  EXPECT_EQ(model.DescribeTable({"slow"}, T(20))->table.table_status, "ACTIVE");
  EXPECT_TRUE(model.PutItem(put, T(20)).ok());
}

TEST_F(DynamoDbModelTest, UpdateTableChangesCapacityAndBillingMode) {
  CreateTableRequest r = HashTable("tb1");
  r.billing_mode = "PROVISIONED";
  r.provisioned_throughput = ProvisionedThroughput{5, 5};
  Create(r);
  UpdateTableRequest u;
  u.table_name = "tb1";
  u.provisioned_throughput = ProvisionedThroughput{5, 5};
  EXPECT_EQ(ErrorName(model_.UpdateTable(u, T(1)).status()), "ValidationException");
  u.provisioned_throughput = ProvisionedThroughput{100, 50};
  ASSERT_TRUE(model_.UpdateTable(u, T(1)).ok());
  EXPECT_EQ(model_.TableCapacity("tb1")->config().read_capacity_units, 100);
  EXPECT_EQ(Describe("tb1").provisioned_throughput.write_capacity_units, 50);
  UpdateTableRequest b;
  b.table_name = "tb1";
  b.billing_mode = "PAY_PER_REQUEST";
  sim::StatusOr<UpdateTableResponse> ub = model_.UpdateTable(b, T(2));
  ASSERT_TRUE(ub.ok());
  EXPECT_EQ(ub->table_description.billing_mode, "PAY_PER_REQUEST");
  EXPECT_EQ(model_.TableCapacity("tb1")->config().billing_mode, BillingMode::kPayPerRequest);
}

TEST_F(DynamoDbModelTest, UpdateTableCreatesAndDeletesGsiWithBackfill) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}, {"g", S("x")}});
  Put("tb1", {{"pk", S("b")}});
  UpdateTableRequest u;
  u.table_name = "tb1";
  u.attribute_definitions = {{"g", "S"}};
  GlobalSecondaryIndexUpdate create;
  create.create = GlobalSecondaryIndex{"by_g", {{"g", "HASH"}}, {"KEYS_ONLY", {}}};
  u.global_secondary_index_updates = {create};
  ASSERT_TRUE(model_.UpdateTable(u, T(3)).ok());
  TableDescription d = Describe("tb1", T(3));
  ASSERT_EQ(d.global_secondary_indexes.size(), 1u);
  EXPECT_EQ(d.global_secondary_indexes[0].item_count, 1);  // sparse: only the item with g
  UpdateTableRequest del;
  del.table_name = "tb1";
  GlobalSecondaryIndexUpdate drop;
  drop.delete_index_name = "by_g";
  del.global_secondary_index_updates = {drop};
  ASSERT_TRUE(model_.UpdateTable(del, T(4)).ok());
  EXPECT_TRUE(Describe("tb1", T(4)).global_secondary_indexes.empty());
  EXPECT_EQ(ErrorName(model_.UpdateTable(del, T(5)).status()), "ResourceNotFoundException");
}

TEST_F(DynamoDbModelTest, DeleteTableRemovesTable) {
  Create(HashTable("tb1"));
  sim::StatusOr<DeleteTableResponse> d = model_.DeleteTable({"tb1"}, T(1));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->table_description.table_status, "DELETING");
  EXPECT_FALSE(model_.HasTable("tb1"));
  EXPECT_EQ(ErrorName(model_.DeleteTable({"tb1"}, T(2)).status()), "ResourceNotFoundException");
}

TEST_F(DynamoDbModelTest, ListTablesPagesWithExclusiveStartAndLimit) {
  for (const char* n : {"ccc", "aaa", "bbb", "ddd"}) Create(HashTable(n));
  ListTablesRequest r;
  r.limit = 2;
  sim::StatusOr<ListTablesResponse> p1 = model_.ListTables(r, T(0));
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->table_names, (std::vector<std::string>{"aaa", "bbb"}));
  EXPECT_EQ(p1->last_evaluated_table_name, std::optional<std::string>("bbb"));
  r.exclusive_start_table_name = "bbb";
  sim::StatusOr<ListTablesResponse> p2 = model_.ListTables(r, T(0));
  EXPECT_EQ(p2->table_names, (std::vector<std::string>{"ccc", "ddd"}));
  EXPECT_FALSE(p2->last_evaluated_table_name.has_value());
  r.limit = 101;
  EXPECT_EQ(Message(model_.ListTables(r, T(0)).status()),
            "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value "
            "less than or equal to 100");
}

// ---- 2. Items ----

TEST_F(DynamoDbModelTest, PutItemThenGetItemWithProjection) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}, {"x", N(1)}, {"y", S("z")}});
  GetItemRequest g;
  g.table_name = "tb1";
  g.key = {{"pk", S("a")}};
  g.projection_expression = "#y";
  g.expression_attribute_names = ExpressionAttributeNames{{"#y", "y"}};
  sim::StatusOr<GetItemResponse> r = model_.GetItem(g, T(2));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->item, (Item{{"y", S("z")}}));
  EXPECT_EQ(Get("tb1", {{"pk", S("missing")}}), std::nullopt);
}

TEST_F(DynamoDbModelTest, PutItemValidatesKeyAndSize) {
  Create(HashTable("tb1"));
  PutItemRequest p;
  p.table_name = "tb1";
  p.item = {{"pk", N(1)}};
  EXPECT_EQ(Message(model_.PutItem(p, T(1)).status()),
            "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
  p.item = {{"pk", S("a")}, {"big", S(std::string(400 * 1024, 'x'))}};
  EXPECT_EQ(Message(model_.PutItem(p, T(1)).status()), "Item size has exceeded the maximum allowed size");
  EXPECT_EQ(Describe("tb1").item_count, 0);
}

TEST_F(DynamoDbModelTest, PutItemConditionFailureChangesNothingAndReturnsOldItem) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}, {"v", N(1)}});
  PutItemRequest p;
  p.table_name = "tb1";
  p.item = {{"pk", S("a")}, {"v", N(2)}};
  p.condition_expression = "attribute_not_exists(pk)";
  p.return_values_on_condition_check_failure = "ALL_OLD";
  std::optional<Item> old;
  p.condition_check_failure_item = &old;
  sim::Status s = model_.PutItem(p, T(2)).status();
  EXPECT_EQ(ErrorName(s), "ConditionalCheckFailedException");
  EXPECT_EQ(Message(s), "The conditional request failed");
  EXPECT_EQ(old, (Item{{"pk", S("a")}, {"v", N(1)}}));
  EXPECT_EQ(Get("tb1", {{"pk", S("a")}}), (Item{{"pk", S("a")}, {"v", N(1)}}));
}

TEST_F(DynamoDbModelTest, PutItemReturnsAllOld) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}, {"v", N(1)}});
  PutItemRequest p;
  p.table_name = "tb1";
  p.item = {{"pk", S("a")}, {"v", N(2)}};
  p.return_values = "ALL_OLD";
  sim::StatusOr<PutItemResponse> r = model_.PutItem(p, T(2));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->attributes, (Item{{"pk", S("a")}, {"v", N(1)}}));
  p.return_values = "ALL_NEW";
  EXPECT_EQ(Message(model_.PutItem(p, T(2)).status()), "Return values set to invalid value");
}

TEST_F(DynamoDbModelTest, UpdateItemAddCreatesItemAndReturnsUpdatedNew) {
  Create(HashTable("tb1"));
  UpdateItemRequest u;
  u.table_name = "tb1";
  u.key = {{"pk", S("c")}};
  u.update_expression = "ADD #n :one";
  u.expression.expression_attribute_names = ExpressionAttributeNames{{"#n", "count"}};
  u.expression.expression_attribute_values = ExpressionAttributeValues{{":one", N(1)}};
  u.return_values = "UPDATED_NEW";
  ASSERT_TRUE(model_.UpdateItem(u, T(1)).ok());
  sim::StatusOr<UpdateItemResponse> r = model_.UpdateItem(u, T(2));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->attributes, (Item{{"count", N(2)}}));
  EXPECT_EQ(Get("tb1", {{"pk", S("c")}}), (Item{{"pk", S("c")}, {"count", N(2)}}));
}

TEST_F(DynamoDbModelTest, UpdateItemConditionFailureChangesNothing) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}, {"v", N(5)}});
  UpdateItemRequest u;
  u.table_name = "tb1";
  u.key = {{"pk", S("a")}};
  u.update_expression = "SET v = :new";
  u.condition_expression = "v = :old";
  u.expression.expression_attribute_values = ExpressionAttributeValues{{":new", N(6)}, {":old", N(4)}};
  EXPECT_EQ(ErrorName(model_.UpdateItem(u, T(2)).status()), "ConditionalCheckFailedException");
  EXPECT_EQ(Get("tb1", {{"pk", S("a")}}), (Item{{"pk", S("a")}, {"v", N(5)}}));
}

TEST_F(DynamoDbModelTest, UpdateItemCannotTouchKey) {
  Create(HashTable("tb1"));
  UpdateItemRequest u;
  u.table_name = "tb1";
  u.key = {{"pk", S("a")}};
  u.update_expression = "SET pk = :v";
  u.expression.expression_attribute_values = ExpressionAttributeValues{{":v", S("b")}};
  EXPECT_EQ(Message(model_.UpdateItem(u, T(1)).status()),
            "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
  EXPECT_EQ(Describe("tb1").item_count, 0);
}

TEST_F(DynamoDbModelTest, DeleteItemReturnsAllOldAndRemovesItem) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}, {"v", N(1)}});
  DeleteItemRequest d;
  d.table_name = "tb1";
  d.key = {{"pk", S("a")}};
  d.return_values = "ALL_OLD";
  sim::StatusOr<DeleteItemResponse> r = model_.DeleteItem(d, T(2));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->attributes, (Item{{"pk", S("a")}, {"v", N(1)}}));
  EXPECT_EQ(Describe("tb1").item_count, 0);
  EXPECT_EQ(Describe("tb1").table_size_bytes, 0);
  d.key = {{"pk", S("a")}, {"v", N(1)}};
  EXPECT_EQ(Message(model_.DeleteItem(d, T(2)).status()), "The provided key element does not match the schema");
}

TEST_F(DynamoDbModelTest, ReturnConsumedCapacityIndexesCountsGsiWrites) {
  CreateTableRequest r = HashTable("tb1");
  r.attribute_definitions.push_back({"g", "S"});
  r.global_secondary_indexes = {{"by_g", {{"g", "HASH"}}, {"ALL", {}}}};
  Create(r);
  PutItemRequest p;
  p.table_name = "tb1";
  p.item = {{"pk", S("a")}, {"g", S("x")}};
  p.return_consumed_capacity = ReturnConsumedCapacity::kIndexes;
  sim::StatusOr<PutItemResponse> put = model_.PutItem(p, T(1));
  ASSERT_TRUE(put.ok());
  ASSERT_TRUE(put->consumed_capacity.has_value());
  EXPECT_EQ(put->consumed_capacity->capacity_units, CapacityUnits::FromUnits(2));
  EXPECT_EQ(put->consumed_capacity->table, CapacityUnits::FromUnits(1));
  EXPECT_EQ(put->consumed_capacity->global_secondary_indexes.at("by_g"), CapacityUnits::FromUnits(1));
  // Changing the index key: delete + put in the index.
  p.item = {{"pk", S("a")}, {"g", S("y")}};
  p.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  put = model_.PutItem(p, T(2));
  EXPECT_EQ(put->consumed_capacity->capacity_units, CapacityUnits::FromUnits(3));
  EXPECT_TRUE(put->consumed_capacity->global_secondary_indexes.empty());
}

TEST_F(DynamoDbModelTest, GetItemConsumedCapacityIsHalfForEventualReads) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}});
  GetItemRequest g;
  g.table_name = "tb1";
  g.key = {{"pk", S("a")}};
  g.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  EXPECT_EQ(model_.GetItem(g, T(2))->consumed_capacity->capacity_units, CapacityUnits::FromMilli(500));
  g.consistent_read = true;
  EXPECT_EQ(model_.GetItem(g, T(2))->consumed_capacity->capacity_units, CapacityUnits::FromUnits(1));
}

TEST_F(DynamoDbModelTest, ThrottledWriteIsProvisionedThroughputExceededAndChangesNothing) {
  CreateTableRequest r = HashTable("tb1");
  r.billing_mode = "PROVISIONED";
  r.provisioned_throughput = ProvisionedThroughput{1, 1};
  Create(r);
  // 1 WCU with 300 s of burst: a 1 KB-per-item hot loop at one instant exhausts it.
  int ok = 0;
  sim::Status last;
  for (int i = 0; i < 1000 && last.ok(); ++i) {
    PutItemRequest p;
    p.table_name = "tb1";
    p.item = {{"pk", S("k" + std::to_string(i))}};
    last = model_.PutItem(p, T(1)).status();
    if (last.ok()) ++ok;
  }
  EXPECT_EQ(ErrorName(last), "ProvisionedThroughputExceededException");
  EXPECT_EQ(Describe("tb1").item_count, ok);
  EXPECT_GT(ok, 0);
}

TEST_F(DynamoDbModelTest, ThrottledGsiRejectsTableWriteAndChangesNothing) {
  CreateTableRequest r = HashTable("tb1");
  r.billing_mode = "PROVISIONED";
  r.provisioned_throughput = ProvisionedThroughput{1000, 1000};
  r.attribute_definitions.push_back({"g", "S"});
  r.global_secondary_indexes = {{"by_g", {{"g", "HASH"}}, {"ALL", {}}, ProvisionedThroughput{1, 1}}};
  Create(r);
  int ok = 0;
  sim::Status last;
  for (int i = 0; i < 1000 && last.ok(); ++i) {
    PutItemRequest p;
    p.table_name = "tb1";
    p.item = {{"pk", S("k" + std::to_string(i))}, {"g", S("x" + std::to_string(i))}};
    last = model_.PutItem(p, T(1)).status();
    if (last.ok()) ++ok;
  }
  EXPECT_EQ(ErrorName(last), "ProvisionedThroughputExceededException");
  EXPECT_NE(Message(last).find("IndexWriteProvisionedThroughputExceeded"), std::string::npos) << Message(last);
  TableDescription d = Describe("tb1");
  EXPECT_EQ(d.item_count, ok);
  EXPECT_EQ(d.global_secondary_indexes[0].item_count, ok);
}

// ---- 3. Query and Scan ----

TEST_F(DynamoDbModelTest, QueryReturnsSortRangeInBothDirections) {
  Create(RangeTable("tb1"));
  FillRange("tb1", 6);
  Put("tb1", {{"pk", S("other")}, {"sk", N(3)}});
  QueryRequest q;
  q.table_name = "tb1";
  q.key_condition_expression = "pk = :p AND sk BETWEEN :a AND :b";
  q.expression.expression_attribute_values = ExpressionAttributeValues{{":p", S("p")}, {":a", N(1)}, {":b", N(3)}};
  sim::StatusOr<QueryResponse> r = model_.Query(q, T(2));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->items.size(), 3u);
  EXPECT_EQ(r->items[0].at("sk"), N(1));
  EXPECT_EQ(r->items[2].at("sk"), N(3));
  q.scan_index_forward = false;
  r = model_.Query(q, T(2));
  ASSERT_EQ(r->items.size(), 3u);
  EXPECT_EQ(r->items[0].at("sk"), N(3));
  EXPECT_EQ(r->count, 3);
  EXPECT_EQ(r->scanned_count, 3);
}

TEST_F(DynamoDbModelTest, QueryFilterAppliesAfterReadAndLimitPages) {
  Create(RangeTable("tb1"));
  FillRange("tb1", 5);
  QueryRequest q;
  q.table_name = "tb1";
  q.key_condition_expression = "pk = :p";
  q.filter_expression = "v > :min";
  q.expression.expression_attribute_values = ExpressionAttributeValues{{":p", S("p")}, {":min", N(15)}};
  q.limit = 3;
  sim::StatusOr<QueryResponse> r = model_.Query(q, T(2));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->scanned_count, 3);
  EXPECT_EQ(r->count, 1);  // sk 0, 1, 2 read; only v=20 passes
  ASSERT_TRUE(r->last_evaluated_key.has_value());
  EXPECT_EQ(*r->last_evaluated_key, (Item{{"pk", S("p")}, {"sk", N(2)}}));
  q.exclusive_start_key = r->last_evaluated_key;
  r = model_.Query(q, T(2));
  EXPECT_EQ(r->scanned_count, 2);
  EXPECT_EQ(r->count, 2);
  EXPECT_FALSE(r->last_evaluated_key.has_value());
}

TEST_F(DynamoDbModelTest, QuerySelectCountReturnsNoItems) {
  Create(RangeTable("tb1"));
  FillRange("tb1", 4);
  QueryRequest q;
  q.table_name = "tb1";
  q.key_condition_expression = "pk = :p";
  q.expression.expression_attribute_values = ExpressionAttributeValues{{":p", S("p")}};
  q.select = "COUNT";
  sim::StatusOr<QueryResponse> r = model_.Query(q, T(2));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->count, 4);
  EXPECT_TRUE(r->items.empty());
  q.select = "SPECIFIC_ATTRIBUTES";
  EXPECT_EQ(ErrorName(model_.Query(q, T(2)).status()), "ValidationException");
}

TEST_F(DynamoDbModelTest, QueryPagesAtOneMegabyte) {
  Create(RangeTable("tb1"));
  // One per second (a single key: 98 WCU each stays under the 1,000 WCU key cap).
  // Items of exactly 100,000 bytes: pk(2+1) + sk(2+2) + "d"(1) + 99,992 = 100,000.
  for (int i = 0; i < 15; ++i) {
    Put("tb1", {{"pk", S("p")}, {"sk", N(10 + i)}, {"d", S(std::string(99'992, 'x'))}}, T(1 + i));
  }
  QueryRequest q;
  q.table_name = "tb1";
  q.key_condition_expression = "pk = :p";
  q.expression.expression_attribute_values = ExpressionAttributeValues{{":p", S("p")}};
  q.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  sim::StatusOr<QueryResponse> r = model_.Query(q, T(20));
  ASSERT_TRUE(r.ok());
  // 11 items = 1,100,000 bytes >= 1,048,576: the page stops after the 11th.
  EXPECT_EQ(r->count, 11);
  EXPECT_EQ(r->last_evaluated_key->at("sk"), N(20));
  // 1,100,000 bytes -> 269 blocks of 4 KB, eventually consistent: 134.5 RCU.
  EXPECT_EQ(r->consumed_capacity->capacity_units, CapacityUnits::FromMilli(134'500));
}

TEST_F(DynamoDbModelTest, QueryOnGsiRejectsConsistentRead) {
  CreateTableRequest r = HashTable("tb1");
  r.attribute_definitions.push_back({"g", "S"});
  r.global_secondary_indexes = {{"by_g", {{"g", "HASH"}}, {"KEYS_ONLY", {}}}};
  Create(r);
  Put("tb1", {{"pk", S("a")}, {"g", S("x")}, {"other", N(1)}});
  Put("tb1", {{"pk", S("b")}, {"g", S("x")}});
  Put("tb1", {{"pk", S("c")}, {"g", S("y")}});
  QueryRequest q;
  q.table_name = "tb1";
  q.index_name = "by_g";
  q.key_condition_expression = "g = :g";
  q.expression.expression_attribute_values = ExpressionAttributeValues{{":g", S("x")}};
  q.consistent_read = true;
  EXPECT_EQ(Message(model_.Query(q, T(2)).status()), "Consistent reads are not supported on global secondary indexes");
  q.consistent_read = false;
  sim::StatusOr<QueryResponse> res = model_.Query(q, T(2));
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->items.size(), 2u);
  EXPECT_EQ(res->items[0], (Item{{"pk", S("a")}, {"g", S("x")}}));  // KEYS_ONLY drops "other"
  q.index_name = "nope";
  EXPECT_EQ(Message(model_.Query(q, T(2)).status()), "The table does not have the specified index: nope");
}

TEST_F(DynamoDbModelTest, QueryOnLsiOrdersByIndexSortKey) {
  CreateTableRequest r = RangeTable("tb1");
  r.attribute_definitions.push_back({"rank", "N"});
  r.local_secondary_indexes = {{"by_rank", {{"pk", "HASH"}, {"rank", "RANGE"}}, {"ALL", {}}}};
  Create(r);
  Put("tb1", {{"pk", S("p")}, {"sk", N(1)}, {"rank", N(30)}});
  Put("tb1", {{"pk", S("p")}, {"sk", N(2)}, {"rank", N(10)}});
  Put("tb1", {{"pk", S("p")}, {"sk", N(3)}, {"rank", N(20)}});
  QueryRequest q;
  q.table_name = "tb1";
  q.index_name = "by_rank";
  q.key_condition_expression = "pk = :p AND #r >= :min";
  q.expression.expression_attribute_names = ExpressionAttributeNames{{"#r", "rank"}};
  q.expression.expression_attribute_values = ExpressionAttributeValues{{":p", S("p")}, {":min", N(15)}};
  sim::StatusOr<QueryResponse> res = model_.Query(q, T(2));
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  ASSERT_EQ(res->items.size(), 2u);
  EXPECT_EQ(res->items[0].at("sk"), N(3));
  EXPECT_EQ(res->items[1].at("sk"), N(1));
}

TEST_F(DynamoDbModelTest, ScanPagesAndSegmentsPartitionTheTable) {
  Create(HashTable("tb1"));
  for (int i = 0; i < 20; ++i) Put("tb1", {{"pk", S("k" + std::to_string(i))}});
  ScanRequest s;
  s.table_name = "tb1";
  s.limit = 7;
  int64_t seen = 0;
  int pages = 0;
  for (;;) {
    sim::StatusOr<ScanResponse> r = model_.Scan(s, T(2));
    ASSERT_TRUE(r.ok());
    seen += r->count;
    ++pages;
    if (!r->last_evaluated_key) break;
    s.exclusive_start_key = r->last_evaluated_key;
  }
  EXPECT_EQ(seen, 20);
  EXPECT_EQ(pages, 3);
  int64_t total = 0;
  for (int seg = 0; seg < 3; ++seg) {
    ScanRequest ps;
    ps.table_name = "tb1";
    ps.segment = seg;
    ps.total_segments = 3;
    total += model_.Scan(ps, T(2))->count;
  }
  EXPECT_EQ(total, 20);
  ScanRequest bad;
  bad.table_name = "tb1";
  bad.segment = 3;
  bad.total_segments = 3;
  EXPECT_EQ(Message(model_.Scan(bad, T(2)).status()),
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not "
            "less than TotalSegments: 3");
}

// ---- 4. Batches ----

TEST_F(DynamoDbModelTest, BatchWriteItemValidatesLimitsAndDuplicates) {
  Create(HashTable("tb1"));
  BatchWriteItemRequest b;
  for (int i = 0; i < 26; ++i) b.request_items["tb1"].push_back({Item{{"pk", S("k" + std::to_string(i))}}, {}});
  EXPECT_EQ(Message(model_.BatchWriteItem(b, T(1)).status()), "Too many items requested for the BatchWriteItem call");
  b.request_items["tb1"].resize(2);
  b.request_items["tb1"][1] = {Item{{"pk", S("k0")}}, {}};
  EXPECT_EQ(Message(model_.BatchWriteItem(b, T(1)).status()), "Provided list of item keys contains duplicates");
  EXPECT_EQ(Describe("tb1").item_count, 0);
  b.request_items["tb1"][1] = {std::nullopt, Item{{"pk", S("k1")}}};
  sim::StatusOr<BatchWriteItemResponse> r = model_.BatchWriteItem(b, T(1));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->unprocessed_items.empty());
  EXPECT_EQ(Describe("tb1").item_count, 1);
}

TEST_F(DynamoDbModelTest, BatchWriteItemReturnsUnprocessedItemsWhenThrottled) {
  CreateTableRequest r = HashTable("tb1");
  r.billing_mode = "PROVISIONED";
  r.provisioned_throughput = ProvisionedThroughput{1, 1};
  Create(r);
  // Drain the burst bucket (300 WCU plus the first second's unit).
  for (int i = 0;; ++i) {
    PutItemRequest p;
    p.table_name = "tb1";
    p.item = {{"pk", S("fill" + std::to_string(i))}};
    if (!model_.PutItem(p, T(1)).ok()) break;
  }
  const int64_t before = Describe("tb1").item_count;
  BatchWriteItemRequest b;
  b.request_items["tb1"] = {{Item{{"pk", S("x")}}, {}}, {Item{{"pk", S("y")}}, {}}};
  EXPECT_EQ(ErrorName(model_.BatchWriteItem(b, T(1)).status()), "ProvisionedThroughputExceededException");
  // Two seconds later one unit per second has refilled: some go, the rest come back.
  sim::StatusOr<BatchWriteItemResponse> later = model_.BatchWriteItem(b, T(2));
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  const int64_t written = Describe("tb1", T(2)).item_count - before;
  EXPECT_EQ(written + static_cast<int64_t>(later->unprocessed_items["tb1"].size()), 2);
  EXPECT_GE(written, 1);
}

TEST_F(DynamoDbModelTest, BatchGetItemReturnsFoundItemsAndRejectsTooMany) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}, {"v", N(1)}});
  BatchGetItemRequest b;
  b.request_items["tb1"].keys = {{{"pk", S("a")}}, {{"pk", S("b")}}};
  sim::StatusOr<BatchGetItemResponse> r = model_.BatchGetItem(b, T(2));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->responses["tb1"], (std::vector<Item>{{{"pk", S("a")}, {"v", N(1)}}}));
  b.request_items["tb1"].keys.clear();
  for (int i = 0; i < 101; ++i) b.request_items["tb1"].keys.push_back({{"pk", S(std::to_string(i))}});
  EXPECT_EQ(Message(model_.BatchGetItem(b, T(2)).status()), "Too many items requested for the BatchGetItem call");
}

// ---- 4b. Transactions ----

TransactWriteItem TxPut(Item item, std::optional<std::string> condition = std::nullopt) {
  TransactWriteItem a;
  a.kind = TransactWriteItem::Kind::kPut;
  a.table_name = "tb1";
  a.item = std::move(item);
  a.condition_expression = std::move(condition);
  return a;
}

TEST_F(DynamoDbModelTest, TransactWriteItemsIsAllOrNothingWithCancellationReasons) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}, {"v", N(1)}});
  TransactWriteItemsRequest r;
  r.transact_items = {TxPut({{"pk", S("b")}}), TxPut({{"pk", S("a")}, {"v", N(2)}}, "attribute_not_exists(pk)")};
  r.transact_items[1].return_values_on_condition_check_failure = "ALL_OLD";
  std::vector<CancellationReason> reasons;
  r.cancellation_reasons = &reasons;
  sim::Status s = model_.TransactWriteItems(r, T(2)).status();
  EXPECT_EQ(ErrorName(s), "TransactionCanceledException");
  EXPECT_EQ(Message(s),
            "Transaction cancelled, please refer cancellation reasons for specific reasons [None, "
            "ConditionalCheckFailed]");
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0].code, "None");
  EXPECT_EQ(reasons[1].code, "ConditionalCheckFailed");
  EXPECT_EQ(reasons[1].item, (Item{{"pk", S("a")}, {"v", N(1)}}));
  EXPECT_EQ(Describe("tb1").item_count, 1);  // "b" was not written
}

TEST_F(DynamoDbModelTest, TransactWriteItemsCostsDoubleUnits) {
  Create(HashTable("tb1"));
  TransactWriteItemsRequest r;
  r.transact_items = {TxPut({{"pk", S("a")}}), TxPut({{"pk", S("b")}})};
  TransactWriteItem update;
  update.kind = TransactWriteItem::Kind::kUpdate;
  update.table_name = "tb1";
  update.key = {{"pk", S("c")}};
  update.update_expression = "ADD n :one";
  update.expression.expression_attribute_values = ExpressionAttributeValues{{":one", N(1)}};
  r.transact_items.push_back(update);
  r.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  sim::StatusOr<TransactWriteItemsResponse> out = model_.TransactWriteItems(r, T(2));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->consumed_capacity.size(), 1u);
  EXPECT_EQ(out->consumed_capacity[0].capacity_units, CapacityUnits::FromUnits(6));
  EXPECT_EQ(Get("tb1", {{"pk", S("c")}}), (Item{{"pk", S("c")}, {"n", N(1)}}));
}

TEST_F(DynamoDbModelTest, TransactWriteItemsRejectsTwoActionsOnOneItem) {
  Create(HashTable("tb1"));
  TransactWriteItemsRequest r;
  r.transact_items = {TxPut({{"pk", S("a")}}), TxPut({{"pk", S("a")}, {"v", N(1)}})};
  EXPECT_EQ(Message(model_.TransactWriteItems(r, T(2)).status()),
            "Transaction request cannot include multiple operations on one item");
  EXPECT_EQ(Describe("tb1").item_count, 0);
}

TEST_F(DynamoDbModelTest, TransactWriteItemsClientRequestTokenIsIdempotentForTenMinutes) {
  Create(HashTable("tb1"));
  TransactWriteItemsRequest r;
  TransactWriteItem add;
  add.kind = TransactWriteItem::Kind::kUpdate;
  add.table_name = "tb1";
  add.key = {{"pk", S("c")}};
  add.update_expression = "ADD n :one";
  add.expression.expression_attribute_values = ExpressionAttributeValues{{":one", N(1)}};
  r.transact_items = {add};
  r.client_request_token = "tok";
  ASSERT_TRUE(model_.TransactWriteItems(r, T(0)).ok());
  ASSERT_TRUE(model_.TransactWriteItems(r, T(599)).ok());  // replay: not applied again
  EXPECT_EQ(Get("tb1", {{"pk", S("c")}}, T(599))->at("n"), N(1));
  TransactWriteItemsRequest other = r;
  other.transact_items[0].key = {{"pk", S("d")}};
  EXPECT_EQ(ErrorName(model_.TransactWriteItems(other, T(599)).status()), "IdempotentParameterMismatchException");
  ASSERT_TRUE(model_.TransactWriteItems(r, T(600)).ok());  // token expired: applied again
  EXPECT_EQ(Get("tb1", {{"pk", S("c")}}, T(600))->at("n"), N(2));
}

TEST_F(DynamoDbModelTest, TransactGetItemsReadsAllAtTwiceTheUnits) {
  Create(HashTable("tb1"));
  Put("tb1", {{"pk", S("a")}, {"v", N(1)}});
  TransactGetItemsRequest r;
  r.transact_items = {{"tb1", {{"pk", S("a")}}}, {"tb1", {{"pk", S("zz")}}}};
  r.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  sim::StatusOr<TransactGetItemsResponse> out = model_.TransactGetItems(r, T(2));
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->responses.size(), 2u);
  EXPECT_EQ(out->responses[0], (Item{{"pk", S("a")}, {"v", N(1)}}));
  EXPECT_FALSE(out->responses[1].has_value());
  EXPECT_EQ(out->consumed_capacity[0].capacity_units, CapacityUnits::FromUnits(4));
}

// ---- 5. TTL ----

TEST_F(DynamoDbModelTest, UpdateTimeToLiveEnablesOnceAndDescribes) {
  Create(HashTable("tb1"));
  EXPECT_EQ(model_.DescribeTimeToLive({"tb1"}, T(0))->time_to_live_status, "DISABLED");
  ASSERT_TRUE(model_.UpdateTimeToLive({"tb1", {"expires", true}}, T(0)).ok());
  EXPECT_EQ(model_.DescribeTimeToLive({"tb1"}, T(0))->attribute_name, "expires");
  EXPECT_EQ(Message(model_.UpdateTimeToLive({"tb1", {"expires", true}}, T(0)).status()),
            "TimeToLive is already enabled");
}

TEST_F(DynamoDbModelTest, ExpiredItemIsReturnedUntilSweepDeletesItAfterItsDelay) {
  Create(HashTable("tb1"));
  ASSERT_TRUE(model_.UpdateTimeToLive({"tb1", {"expires", true}}, T(0)).ok());
  const int64_t epoch = model_.settings().epoch_unix_seconds;
  Item item{{"pk", S("a")}, {"expires", N(epoch + 100)}};
  Put("tb1", item, T(0));
  const Time deletion = model_.TtlDeletionTime("tb1", item);
  EXPECT_GE(deletion, T(100));
  EXPECT_LE(deletion, T(100) + sim::Hours(48));
  EXPECT_EQ(model_.SweepExpiredItems(T(101)), deletion <= T(101) ? 1 : 0);
  if (deletion > T(101)) {
    EXPECT_TRUE(Get("tb1", {{"pk", S("a")}}, T(101)).has_value());  // expired, still returned
    EXPECT_EQ(model_.SweepExpiredItems(deletion - sim::Nanoseconds(1)), 0);
    EXPECT_EQ(model_.SweepExpiredItems(deletion), 1);
  }
  EXPECT_FALSE(Get("tb1", {{"pk", S("a")}}, deletion).has_value());
  EXPECT_EQ(metrics_.GetCounter("dynamodb.tb1.ttl_deleted_items").value(), 1);
}

}  // namespace
}  // namespace emu::dynamodb
