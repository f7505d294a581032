#pragma once

// DynamoDB request and response structs, shared by the model
// (dynamodb_model.h) and the facade (dynamodb_api.h). Field names follow the
// AWS API reference in snake_case; string-typed enums (KeyType,
// AttributeType, BillingMode, ReturnValues, Select) stay strings so the
// documented ValidationExceptions for bad values can be produced.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "emulators/dynamodb/attribute_value.h"
#include "emulators/dynamodb/capacity_units.h"
#include "emulators/dynamodb/expression.h"
#include "sim/time.h"

namespace emu::dynamodb {

struct KeySchemaElement {
  std::string attribute_name;
  std::string key_type;  // "HASH" or "RANGE"
};
struct AttributeDefinition {
  std::string attribute_name;
  std::string attribute_type;  // "S", "N" or "B"
};
struct ProvisionedThroughput {
  int64_t read_capacity_units = 0;
  int64_t write_capacity_units = 0;
};
struct Projection {
  std::string projection_type = "ALL";  // KEYS_ONLY, INCLUDE, ALL
  std::vector<std::string> non_key_attributes{};
};
struct GlobalSecondaryIndex {
  std::string index_name;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  std::optional<ProvisionedThroughput> provisioned_throughput{};  // PROVISIONED tables only
};
struct LocalSecondaryIndex {
  std::string index_name;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
};

struct IndexDescription {
  std::string index_name;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  std::string index_status;  // GSIs: CREATING / ACTIVE; LSIs: empty
  std::optional<ProvisionedThroughput> provisioned_throughput;
  int64_t item_count = 0;
  int64_t index_size_bytes = 0;
};
struct TableDescription {
  std::string table_name;
  std::string table_arn;
  std::string table_status;  // CREATING, ACTIVE
  sim::Time creation_date_time;
  std::vector<KeySchemaElement> key_schema;
  std::vector<AttributeDefinition> attribute_definitions;
  std::string billing_mode;                      // PROVISIONED or PAY_PER_REQUEST
  ProvisionedThroughput provisioned_throughput;  // zeros for PAY_PER_REQUEST
  int64_t item_count = 0;
  int64_t table_size_bytes = 0;
  std::vector<IndexDescription> global_secondary_indexes;
  std::vector<IndexDescription> local_secondary_indexes;
};

// ---- Control plane ----

struct CreateTableRequest {
  std::string table_name;
  std::vector<AttributeDefinition> attribute_definitions;
  std::vector<KeySchemaElement> key_schema;
  std::string billing_mode = "PROVISIONED";
  std::optional<ProvisionedThroughput> provisioned_throughput{};
  std::vector<GlobalSecondaryIndex> global_secondary_indexes{};
  std::vector<LocalSecondaryIndex> local_secondary_indexes{};
};
struct CreateTableResponse {
  TableDescription table_description;
};
struct DescribeTableRequest {
  std::string table_name;
};
struct DescribeTableResponse {
  TableDescription table;
};
struct GlobalSecondaryIndexUpdate {
  std::optional<GlobalSecondaryIndex> create{};
  std::optional<std::string> delete_index_name{};
};
struct UpdateTableRequest {
  std::string table_name;
  std::optional<std::string> billing_mode{};
  std::optional<ProvisionedThroughput> provisioned_throughput{};
  std::vector<AttributeDefinition> attribute_definitions{};  // for new GSIs' keys
  std::vector<GlobalSecondaryIndexUpdate> global_secondary_index_updates{};
};
struct UpdateTableResponse {
  TableDescription table_description;
};
struct DeleteTableRequest {
  std::string table_name;
};
struct DeleteTableResponse {
  TableDescription table_description;
};
struct ListTablesRequest {
  std::optional<std::string> exclusive_start_table_name{};
  std::optional<int> limit{};  // 1..100; unset: 100
};
struct ListTablesResponse {
  std::vector<std::string> table_names;  // byte order
  std::optional<std::string> last_evaluated_table_name;
};

// ---- Data plane ----

enum class ReturnConsumedCapacity : uint8_t { kNone, kTotal, kIndexes };

struct ConsumedCapacity {
  std::string table_name;
  CapacityUnits capacity_units;  // TOTAL and INDEXES
  CapacityUnits read_capacity_units;
  CapacityUnits write_capacity_units;
  // INDEXES only.
  std::optional<CapacityUnits> table;
  std::map<std::string, CapacityUnits> global_secondary_indexes;
  std::map<std::string, CapacityUnits> local_secondary_indexes;
};

// The expression parameters every item operation shares.
struct ExpressionParameters {
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  std::optional<ExpressionAttributeValues> expression_attribute_values{};
};

struct PutItemRequest {
  std::string table_name;
  Item item;
  std::optional<std::string> condition_expression{};
  ExpressionParameters expression{};
  std::string return_values = "NONE";                             // NONE or ALL_OLD
  std::string return_values_on_condition_check_failure = "NONE";  // NONE or ALL_OLD
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  // AWS returns the existing item in the ConditionalCheckFailedException
  // body; a Status cannot carry it, so with ALL_OLD it is written here.
  std::optional<Item>* condition_check_failure_item = nullptr;
};
struct PutItemResponse {
  std::optional<Item> attributes;
  std::optional<ConsumedCapacity> consumed_capacity;
};

struct GetItemRequest {
  std::string table_name;
  Item key;
  bool consistent_read = false;
  std::optional<std::string> projection_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
};
struct GetItemResponse {
  std::optional<Item> item;  // unset when there is no such item
  std::optional<ConsumedCapacity> consumed_capacity;
};

struct DeleteItemRequest {
  std::string table_name;
  Item key;
  std::optional<std::string> condition_expression{};
  ExpressionParameters expression{};
  std::string return_values = "NONE";  // NONE or ALL_OLD
  std::string return_values_on_condition_check_failure = "NONE";
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  std::optional<Item>* condition_check_failure_item = nullptr;
};
struct DeleteItemResponse {
  std::optional<Item> attributes;
  std::optional<ConsumedCapacity> consumed_capacity;
};

struct UpdateItemRequest {
  std::string table_name;
  Item key;
  std::optional<std::string> update_expression{};
  std::optional<std::string> condition_expression{};
  ExpressionParameters expression{};
  std::string return_values = "NONE";  // NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW
  std::string return_values_on_condition_check_failure = "NONE";
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  std::optional<Item>* condition_check_failure_item = nullptr;
};
struct UpdateItemResponse {
  std::optional<Item> attributes;
  std::optional<ConsumedCapacity> consumed_capacity;
};

struct QueryRequest {
  std::string table_name;
  std::optional<std::string> index_name{};
  std::string key_condition_expression;
  std::optional<std::string> filter_expression{};
  std::optional<std::string> projection_expression{};
  ExpressionParameters expression{};
  bool scan_index_forward = true;
  std::optional<int> limit{};
  std::string select{};  // "", ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, SPECIFIC_ATTRIBUTES, COUNT
  std::optional<Item> exclusive_start_key{};
  bool consistent_read = false;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
};
struct ScanRequest {
  std::string table_name;
  std::optional<std::string> index_name{};
  std::optional<std::string> filter_expression{};
  std::optional<std::string> projection_expression{};
  ExpressionParameters expression{};
  std::optional<int> limit{};
  std::string select{};
  std::optional<Item> exclusive_start_key{};
  bool consistent_read = false;
  std::optional<int> segment{};
  std::optional<int> total_segments{};
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
};
struct QueryResponse {
  std::vector<Item> items;  // empty for Select COUNT
  int64_t count = 0;
  int64_t scanned_count = 0;
  std::optional<Item> last_evaluated_key;
  std::optional<ConsumedCapacity> consumed_capacity;
};
using ScanResponse = QueryResponse;

struct WriteRequest {
  std::optional<Item> put_item{};    // PutRequest.Item
  std::optional<Item> delete_key{};  // DeleteRequest.Key
};
struct BatchWriteItemRequest {
  std::map<std::string, std::vector<WriteRequest>> request_items;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
};
struct BatchWriteItemResponse {
  std::map<std::string, std::vector<WriteRequest>> unprocessed_items;
  std::vector<ConsumedCapacity> consumed_capacity;
};
struct KeysAndAttributes {
  std::vector<Item> keys;
  bool consistent_read = false;
  std::optional<std::string> projection_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
};
struct BatchGetItemRequest {
  std::map<std::string, KeysAndAttributes> request_items;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
};
struct BatchGetItemResponse {
  std::map<std::string, std::vector<Item>> responses;
  std::map<std::string, KeysAndAttributes> unprocessed_keys;
  std::vector<ConsumedCapacity> consumed_capacity;
};

// TransactWriteItems: one action (Put, Update, Delete or ConditionCheck).
struct TransactWriteItem {
  enum class Kind : uint8_t { kPut, kUpdate, kDelete, kConditionCheck };
  Kind kind = Kind::kPut;
  std::string table_name;
  Item item{};                                        // kPut
  Item key{};                                         // the others
  std::optional<std::string> update_expression{};     // kUpdate
  std::optional<std::string> condition_expression{};  // required for kConditionCheck
  ExpressionParameters expression{};
  std::string return_values_on_condition_check_failure = "NONE";
};
// One entry of TransactionCanceledException.CancellationReasons, in action order.
struct CancellationReason {
  std::string code;  // "None", "ConditionalCheckFailed", "ThrottlingError"
  std::string message;
  std::optional<Item> item;  // ReturnValuesOnConditionCheckFailure ALL_OLD
};
struct TransactWriteItemsRequest {
  std::vector<TransactWriteItem> transact_items;
  std::optional<std::string> client_request_token{};
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  // The exception's CancellationReasons (a Status cannot carry them).
  std::vector<CancellationReason>* cancellation_reasons = nullptr;
};
struct TransactWriteItemsResponse {
  std::vector<ConsumedCapacity> consumed_capacity;
};
struct TransactGetItem {
  std::string table_name;
  Item key;
  std::optional<std::string> projection_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
};
struct TransactGetItemsRequest {
  std::vector<TransactGetItem> transact_items;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::kNone;
  std::vector<CancellationReason>* cancellation_reasons = nullptr;
};
struct TransactGetItemsResponse {
  std::vector<std::optional<Item>> responses;  // in request order; unset: no such item
  std::vector<ConsumedCapacity> consumed_capacity;
};

struct TimeToLiveSpecification {
  std::string attribute_name;
  bool enabled = false;
};
struct UpdateTimeToLiveRequest {
  std::string table_name;
  TimeToLiveSpecification time_to_live_specification;
};
struct UpdateTimeToLiveResponse {
  TimeToLiveSpecification time_to_live_specification;
};
struct DescribeTimeToLiveRequest {
  std::string table_name;
};
struct DescribeTimeToLiveResponse {
  std::string time_to_live_status;  // ENABLED or DISABLED
  std::string attribute_name;       // empty when DISABLED
};

}  // namespace emu::dynamodb
