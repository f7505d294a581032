#include "emulators/dynamodb/dynamodb_model.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "emulators/dynamodb/dynamodb_errors.h"
#include "emulators/dynamodb/item_size.h"
#include "sim/check.h"
#include "sim/uint128.h"

namespace emu::dynamodb {

namespace internal {

// The position of an item (or index entry) in a store.
struct EntryKey {
  std::string pk;                    // canonical partition-key bytes
  std::optional<AttributeValue> sk;  // sort-key value; nullopt sorts first
  std::string tk;                    // index entries: the table key bytes (unique)
};

}  // namespace internal

namespace {

using errors::ValidationError;
using internal::EntryKey;
struct EntryLess {
  bool operator()(const EntryKey& a, const EntryKey& b) const {
    if (int c = a.pk.compare(b.pk); c != 0) return c < 0;
    if (a.sk.has_value() != b.sk.has_value()) return !a.sk.has_value();
    if (a.sk.has_value()) {
      std::strong_ordering o = CompareKeyValues(*a.sk, *b.sk);
      if (o != 0) return o < 0;
    }
    return a.tk < b.tk;
  }
};
using Store = std::map<EntryKey, Item, EntryLess>;

sim::Status NotFound() { return AwsError(errors::kResourceNotFoundException, "Requested resource not found"); }
sim::Status TableNotFound(const std::string& name) {
  return AwsError(errors::kResourceNotFoundException, "Requested resource not found: Table: " + name + " not found");
}
sim::Status Invalid(const std::string& what) {
  return ValidationError("One or more parameter values were invalid: " + what);
}

const AttributeValue* Attr(const Item& item, const std::string& name) {
  auto it = item.find(name);
  return it == item.end() ? nullptr : &it->second;
}

std::string TableKeyBytes(const KeySchema& schema, const Item& item) {
  std::string pk = CanonicalKeyBytes(*Attr(item, schema.partition.name));
  std::string out = std::to_string(pk.size()) + ":" + pk;
  if (schema.sort) out += CanonicalKeyBytes(*Attr(item, schema.sort->name));
  return out;
}

EntryKey TableEntryKey(const KeySchema& schema, const Item& item) {
  EntryKey k;
  k.pk = CanonicalKeyBytes(*Attr(item, schema.partition.name));
  if (schema.sort) k.sk = *Attr(item, schema.sort->name);
  return k;
}

bool ValidName(const std::string& name, size_t min_len) {
  if (name.size() < min_len || name.size() > 255) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

sim::Status CheckThroughput(const ProvisionedThroughput& t, const std::string& field) {
  if (t.read_capacity_units < 1) {
    return ValidationError("1 validation error detected: Value '" + std::to_string(t.read_capacity_units) + "' at '" +
                           field +
                           ".readCapacityUnits' failed to satisfy constraint: Member must have value greater than or "
                           "equal to 1");
  }
  if (t.write_capacity_units < 1) {
    return ValidationError("1 validation error detected: Value '" + std::to_string(t.write_capacity_units) + "' at '" +
                           field +
                           ".writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or "
                           "equal to 1");
  }
  return sim::OkStatus();
}

// KeySchema elements -> KeySchema, against the attribute definitions.
sim::StatusOr<KeySchema> ParseKeySchema(const std::vector<KeySchemaElement>& elems,
                                        const std::vector<AttributeDefinition>& defs) {
  if (elems.empty() || elems.size() > 2) {
    return ValidationError(
        "1 validation error detected: Value at 'keySchema' failed to satisfy constraint: Member must have length "
        "less than or equal to 2 and greater than or equal to 1");
  }
  if (elems[0].key_type != "HASH")
    return ValidationError("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (elems.size() == 2) {
    if (elems[1].key_type != "RANGE") {
      return ValidationError("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    }
    if (elems[0].attribute_name == elems[1].attribute_name) {
      return Invalid("Both the Hash Key and the Range Key element in the KeySchema have the same name");
    }
  }
  KeySchema schema;
  std::vector<std::string> missing;
  auto resolve = [&](const KeySchemaElement& e, KeyElement& out) {
    out.name = e.attribute_name;
    for (const AttributeDefinition& d : defs) {
      if (d.attribute_name == e.attribute_name) {
        ParseAttrTypeName(d.attribute_type, &out.type);
        return;
      }
    }
    missing.push_back(e.attribute_name);
  };
  resolve(elems[0], schema.partition);
  if (elems.size() == 2) {
    schema.sort.emplace();
    resolve(elems[1], *schema.sort);
  }
  if (!missing.empty()) {
    std::string keys, names;
    for (const std::string& m : missing) keys += (keys.empty() ? "" : ", ") + m;
    for (const AttributeDefinition& d : defs) names += (names.empty() ? "" : ", ") + d.attribute_name;
    return Invalid("Some index key attributes are not defined in AttributeDefinitions. Keys: [" + keys +
                   "], AttributeDefinitions: [" + names + "]");
  }
  return schema;
}

sim::Status CheckProjection(const Projection& p) {
  if (p.projection_type == "INCLUDE") {
    if (p.non_key_attributes.empty())
      return Invalid("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
    return sim::OkStatus();
  }
  if (p.projection_type == "KEYS_ONLY" || p.projection_type == "ALL") {
    if (!p.non_key_attributes.empty()) {
      return Invalid("ProjectionType is " + p.projection_type + ", but NonKeyAttributes is specified");
    }
    return sim::OkStatus();
  }
  return ValidationError("1 validation error detected: Value '" + p.projection_type +
                         "' at 'projection.projectionType' failed to satisfy constraint: Member must satisfy enum "
                         "value set: [ALL, INCLUDE, KEYS_ONLY]");
}

int64_t ItemBytes(const Item& item) { return static_cast<int64_t>(ItemSize(item)); }

const ExpressionAttributeNames* NamesPtr(const std::optional<ExpressionAttributeNames>& n) { return n ? &*n : nullptr; }
const ExpressionAttributeValues* ValuesPtr(const std::optional<ExpressionAttributeValues>& v) {
  return v ? &*v : nullptr;
}

ReadConsistency Consistency(bool consistent) {
  return consistent ? ReadConsistency::kStrong : ReadConsistency::kEventual;
}

sim::StatusOr<ReturnValues> ParseReturnValuesFor(const std::string& text, bool put_or_delete) {
  SIM_ASSIGN_OR_RETURN(ReturnValues rv, ParseReturnValues(text));
  if (put_or_delete && rv != ReturnValues::kNone && rv != ReturnValues::kAllOld) {
    return ValidationError("Return values set to invalid value");
  }
  return rv;
}

sim::StatusOr<bool> ParseOnFailure(const std::string& text) {
  if (text == "NONE") return false;
  if (text == "ALL_OLD") return true;
  return ValidationError("1 validation error detected: Value '" + text +
                         "' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must "
                         "satisfy enum value set: [ALL_OLD, NONE]");
}

sim::Status CheckLimit(const std::optional<int>& limit) {
  if (limit && *limit < 1) {
    return ValidationError("1 validation error detected: Value '" + std::to_string(*limit) +
                           "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal "
                           "to 1");
  }
  return sim::OkStatus();
}

uint64_t Mix(uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::string CanonicalKeyBytes(const AttributeValue& value) {
  switch (value.type()) {
    case AttrType::kS:
      return "S" + value.s();
    case AttrType::kB:
      return "B" + value.b();
    case AttrType::kN:
      return "N" + value.n().ToString();
    default:
      SIM_CHECK_MSG(false, "not a key type: " << AttrTypeName(value.type()));
      return {};
  }
}

// ---- State ----

struct DynamoDbModel::Index {
  std::string name;
  bool global = false;
  std::vector<KeySchemaElement> key_schema;
  KeySchema key;
  Projection projection;
  std::set<std::string, std::less<>> include;
  Store entries;
  int64_t size_bytes = 0;
  std::unique_ptr<CapacityModel> capacity;  // GSIs only
  std::optional<ProvisionedThroughput> throughput;
  sim::Time active_at;

  // The index entry of a table item; nullopt when the item lacks an index key (sparse).
  std::optional<Item> EntryOf(const KeySchema& table_key, const Item& item) const {
    if (Attr(item, key.partition.name) == nullptr) return std::nullopt;
    if (key.sort && Attr(item, key.sort->name) == nullptr) return std::nullopt;
    if (projection.projection_type == "ALL") return item;
    Item out;
    for (const auto& [n, v] : item) {
      const bool is_key = n == table_key.partition.name || (table_key.sort && n == table_key.sort->name) ||
                          n == key.partition.name || (key.sort && n == key.sort->name);
      if (is_key || include.contains(n)) out.emplace(n, v);
    }
    return out;
  }
  EntryKey KeyOf(const KeySchema& table_key, const Item& item) const {
    EntryKey k;
    k.pk = CanonicalKeyBytes(*Attr(item, key.partition.name));
    if (key.sort) k.sk = *Attr(item, key.sort->name);
    k.tk = TableKeyBytes(table_key, item);
    return k;
  }
};

struct DynamoDbModel::Table {
  std::string name;
  std::string arn;
  std::vector<KeySchemaElement> key_schema;
  KeySchema key;
  std::vector<AttributeDefinition> defs;
  bool pay_per_request = false;
  ProvisionedThroughput throughput;
  sim::Time created;
  sim::Time active_at;
  Store items;
  // (A hash index for point lookups measured slower than the tree here.)
  const Item* Find(const EntryKey& k) const {
    auto it = items.find(k);
    return it == items.end() ? nullptr : &it->second;
  }
  int64_t size_bytes = 0;
  std::map<std::string, Index, std::less<>> indexes;
  std::unique_ptr<CapacityModel> capacity;
  bool ttl_enabled = false;
  std::string ttl_attribute;
  sim::Counter* ttl_deleted = nullptr;
};

struct DynamoDbModel::Prepared {
  EntryKey key;
  std::string pk_bytes;
  const Item* old_item = nullptr;  // in the store
  std::optional<Item> new_item;    // nullopt: delete
  int64_t old_size = 0;
  int64_t new_size = 0;
  CapacityUnits table_units;
  CapacityUnits lsi_units;
  struct IndexChange {
    Index* index;
    std::optional<EntryKey> old_key;
    std::optional<EntryKey> new_key;
    std::optional<Item> new_entry;
    int64_t old_bytes = 0;
    int64_t new_bytes = 0;
    CapacityUnits units;
  };
  std::vector<IndexChange> changes;
};

DynamoDbModel::DynamoDbModel(DynamoDbSettings settings, sim::MetricsRegistry* metrics, CostMeter* cost)
    : settings_(std::move(settings)), metrics_(metrics), cost_(cost) {
  errors::RegisterDynamoDbErrors();
  if (cost_ != nullptr) {
    rru_slot_ = &cost_->UsageSlot("dynamodb", "read_request_unit");
    wru_slot_ = &cost_->UsageSlot("dynamodb", "write_request_unit");
  }
}

DynamoDbModel::~DynamoDbModel() = default;

bool DynamoDbModel::HasTable(const std::string& name) const { return tables_.contains(name); }

DynamoDbModel::Table* DynamoDbModel::FindTable(const std::string& name) {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second.get();
}
const DynamoDbModel::Table* DynamoDbModel::FindTable(const std::string& name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second.get();
}

sim::StatusOr<DynamoDbModel::Table*> DynamoDbModel::FindActiveTable(const std::string& name, sim::Time now) {
  Table* t = FindTable(name);
  if (t == nullptr || now < t->active_at) return NotFound();
  return t;
}

CapacityModel* DynamoDbModel::TableCapacity(const std::string& table_name) {
  Table* t = FindTable(table_name);
  return t == nullptr ? nullptr : t->capacity.get();
}
CapacityModel* DynamoDbModel::IndexCapacity(const std::string& table_name, const std::string& index_name) {
  Table* t = FindTable(table_name);
  if (t == nullptr) return nullptr;
  auto it = t->indexes.find(index_name);
  return it == t->indexes.end() ? nullptr : it->second.capacity.get();
}

TableDescription DynamoDbModel::Describe(const Table& t, sim::Time now) const {
  TableDescription d;
  d.table_name = t.name;
  d.table_arn = t.arn;
  d.table_status = now < t.active_at ? "CREATING" : "ACTIVE";
  d.creation_date_time = t.created;
  d.key_schema = t.key_schema;
  d.attribute_definitions = t.defs;
  d.billing_mode = t.pay_per_request ? "PAY_PER_REQUEST" : "PROVISIONED";
  d.provisioned_throughput = t.throughput;
  d.item_count = static_cast<int64_t>(t.items.size());
  d.table_size_bytes = t.size_bytes;
  for (const auto& [name, ix] : t.indexes) {
    IndexDescription id;
    id.index_name = name;
    id.key_schema = ix.key_schema;
    id.projection = ix.projection;
    id.item_count = static_cast<int64_t>(ix.entries.size());
    id.index_size_bytes = ix.size_bytes;
    if (ix.global) {
      id.index_status = now < ix.active_at ? "CREATING" : "ACTIVE";
      id.provisioned_throughput = ix.throughput;
      d.global_secondary_indexes.push_back(std::move(id));
    } else {
      d.local_secondary_indexes.push_back(std::move(id));
    }
  }
  return d;
}

// ---- Control plane ----

sim::Status DynamoDbModel::AddGsi(Table& table, const GlobalSecondaryIndex& gsi,
                                  const std::vector<AttributeDefinition>& defs, bool pay_per_request, sim::Time now) {
  Index ix;
  ix.name = gsi.index_name;
  ix.global = true;
  ix.key_schema = gsi.key_schema;
  SIM_ASSIGN_OR_RETURN(ix.key, ParseKeySchema(gsi.key_schema, defs));
  ix.projection = gsi.projection;
  ix.include.insert(gsi.projection.non_key_attributes.begin(), gsi.projection.non_key_attributes.end());
  CapacityConfig config = settings_.capacity_defaults;
  config.is_index = true;
  config.metrics_name = table.name + "." + gsi.index_name;
  if (pay_per_request) {
    config.billing_mode = BillingMode::kPayPerRequest;
  } else {
    ix.throughput = gsi.provisioned_throughput;
    config.billing_mode = BillingMode::kProvisioned;
    config.read_capacity_units = gsi.provisioned_throughput->read_capacity_units;
    config.write_capacity_units = gsi.provisioned_throughput->write_capacity_units;
  }
  ix.capacity = std::make_unique<CapacityModel>(config, now, metrics_);
  ix.active_at = now + settings_.table_creation_delay;
  // Backfill from the table's items.
  for (const auto& [k, item] : table.items) {
    std::optional<Item> entry = ix.EntryOf(table.key, item);
    if (!entry) continue;
    ix.size_bytes += ItemBytes(*entry);
    ix.entries.emplace(ix.KeyOf(table.key, item), std::move(*entry));
  }
  table.indexes.emplace(ix.name, std::move(ix));
  return sim::OkStatus();
}

sim::StatusOr<CreateTableResponse> DynamoDbModel::CreateTable(const CreateTableRequest& r, sim::Time now) {
  if (r.table_name.size() < 3 || r.table_name.size() > 255) {
    return ValidationError("1 validation error detected: Value '" + r.table_name +
                           "' at 'tableName' failed to satisfy constraint: Member must have length " +
                           (r.table_name.size() < 3 ? "greater than or equal to 3" : "less than or equal to 255"));
  }
  if (!ValidName(r.table_name, 3)) {
    return ValidationError("1 validation error detected: Value '" + r.table_name +
                           "' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression "
                           "pattern: [a-zA-Z0-9_.-]+");
  }
  for (size_t i = 0; i < r.attribute_definitions.size(); ++i) {
    AttrType t;
    const std::string& type = r.attribute_definitions[i].attribute_type;
    if (!ParseAttrTypeName(type, &t) || !IsKeyType(t)) {
      return ValidationError("1 validation error detected: Value '" + type + "' at 'attributeDefinitions." +
                             std::to_string(i + 1) +
                             ".member.attributeType' failed to satisfy constraint: Member must satisfy enum value "
                             "set: [B, N, S]");
    }
  }
  SIM_ASSIGN_OR_RETURN(KeySchema key, ParseKeySchema(r.key_schema, r.attribute_definitions));
  bool ppr;
  if (r.billing_mode == "PAY_PER_REQUEST") {
    ppr = true;
  } else if (r.billing_mode == "PROVISIONED") {
    ppr = false;
  } else {
    return ValidationError("1 validation error detected: Value '" + r.billing_mode +
                           "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: "
                           "[PROVISIONED, PAY_PER_REQUEST]");
  }
  if (ppr && r.provisioned_throughput) {
    return Invalid(
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
        "PAY_PER_REQUEST");
  }
  if (!ppr && !r.provisioned_throughput) {
    return ValidationError("No provisioned throughput specified for the table");
  }
  if (!ppr) SIM_RETURN_IF_ERROR(CheckThroughput(*r.provisioned_throughput, "provisionedThroughput"));

  std::set<std::string> key_attrs{key.partition.name};
  if (key.sort) key_attrs.insert(key.sort->name);
  std::set<std::string> index_names;
  if (r.local_secondary_indexes.size() > 5) return Invalid("Number of LocalSecondaryIndexes exceeds the limit of 5");
  if (r.global_secondary_indexes.size() > 20)
    return Invalid("Number of GlobalSecondaryIndexes exceeds the limit of 20");
  for (const LocalSecondaryIndex& lsi : r.local_secondary_indexes) {
    if (!key.sort) {
      return Invalid(
          "Table KeySchema does not have a range key, which is required when specifying a "
          "LocalSecondaryIndex");
    }
    if (!index_names.insert(lsi.index_name).second) return Invalid("Duplicate index name: " + lsi.index_name);
    SIM_ASSIGN_OR_RETURN(KeySchema ik, ParseKeySchema(lsi.key_schema, r.attribute_definitions));
    if (!ik.sort) return Invalid("Index KeySchema does not have a range key for index: " + lsi.index_name);
    if (ik.partition.name != key.partition.name) {
      return Invalid(
          "Index KeySchema does not have the same leading hash key as table KeySchema for index: " + lsi.index_name +
          ". index hash key: " + ik.partition.name + ", table hash key: " + key.partition.name);
    }
    SIM_RETURN_IF_ERROR(CheckProjection(lsi.projection));
    key_attrs.insert(ik.sort->name);
  }
  for (const GlobalSecondaryIndex& gsi : r.global_secondary_indexes) {
    if (!index_names.insert(gsi.index_name).second) return Invalid("Duplicate index name: " + gsi.index_name);
    SIM_ASSIGN_OR_RETURN(KeySchema ik, ParseKeySchema(gsi.key_schema, r.attribute_definitions));
    SIM_RETURN_IF_ERROR(CheckProjection(gsi.projection));
    if (ppr && gsi.provisioned_throughput) {
      return Invalid("ProvisionedThroughput should not be specified for index: " + gsi.index_name +
                     " when BillingMode is PAY_PER_REQUEST");
    }
    if (!ppr && !gsi.provisioned_throughput) {
      return Invalid("ProvisionedThroughput must be specified for index: " + gsi.index_name);
    }
    if (!ppr) SIM_RETURN_IF_ERROR(CheckThroughput(*gsi.provisioned_throughput, "provisionedThroughput"));
    key_attrs.insert(ik.partition.name);
    if (ik.sort) key_attrs.insert(ik.sort->name);
  }
  if (key_attrs.size() != r.attribute_definitions.size()) {
    return Invalid(
        "Number of attributes in KeySchema does not exactly match number of attributes defined in "
        "AttributeDefinitions");
  }
  if (tables_.contains(r.table_name)) {
    return AwsError(errors::kResourceInUseException, "Table already exists: " + r.table_name);
  }

  auto t = std::make_unique<Table>();
  t->name = r.table_name;
  t->arn = "arn:aws:dynamodb:" + settings_.region + ":" + settings_.account_id + ":table/" + r.table_name;
  t->key_schema = r.key_schema;
  t->key = key;
  t->defs = r.attribute_definitions;
  t->pay_per_request = ppr;
  if (!ppr) t->throughput = *r.provisioned_throughput;
  t->created = now;
  t->active_at = now + settings_.table_creation_delay;
  CapacityConfig config = settings_.capacity_defaults;
  config.billing_mode = ppr ? BillingMode::kPayPerRequest : BillingMode::kProvisioned;
  if (!ppr) {
    config.read_capacity_units = t->throughput.read_capacity_units;
    config.write_capacity_units = t->throughput.write_capacity_units;
  }
  config.metrics_name = r.table_name;
  t->capacity = std::make_unique<CapacityModel>(config, now, metrics_);
  if (metrics_ != nullptr) t->ttl_deleted = &metrics_->GetCounter("dynamodb." + r.table_name + ".ttl_deleted_items");
  for (const LocalSecondaryIndex& lsi : r.local_secondary_indexes) {
    Index ix;
    ix.name = lsi.index_name;
    ix.key_schema = lsi.key_schema;
    ix.key = *ParseKeySchema(lsi.key_schema, r.attribute_definitions);
    ix.projection = lsi.projection;
    ix.include.insert(lsi.projection.non_key_attributes.begin(), lsi.projection.non_key_attributes.end());
    ix.active_at = t->active_at;
    t->indexes.emplace(ix.name, std::move(ix));
  }
  for (const GlobalSecondaryIndex& gsi : r.global_secondary_indexes) {
    SIM_CHECK(AddGsi(*t, gsi, r.attribute_definitions, ppr, now).ok());
  }
  Table& table = *t;
  tables_.emplace(r.table_name, std::move(t));
  return CreateTableResponse{Describe(table, now)};
}

sim::StatusOr<DescribeTableResponse> DynamoDbModel::DescribeTable(const DescribeTableRequest& r, sim::Time now) {
  const Table* t = FindTable(r.table_name);
  if (t == nullptr) return TableNotFound(r.table_name);
  return DescribeTableResponse{Describe(*t, now)};
}

sim::StatusOr<UpdateTableResponse> DynamoDbModel::UpdateTable(const UpdateTableRequest& r, sim::Time now) {
  Table* t = FindTable(r.table_name);
  if (t == nullptr) return TableNotFound(r.table_name);
  if (!r.billing_mode && !r.provisioned_throughput && r.global_secondary_index_updates.empty()) {
    return ValidationError(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or "
        "SSESpecification or ReplicaUpdates is required");
  }
  if (now < t->active_at) {
    return AwsError(errors::kResourceInUseException,
                    "Attempt to change a resource which is still in use: Table is being created: " + r.table_name);
  }
  bool ppr = t->pay_per_request;
  if (r.billing_mode) {
    if (*r.billing_mode == "PAY_PER_REQUEST") {
      ppr = true;
    } else if (*r.billing_mode == "PROVISIONED") {
      ppr = false;
    } else {
      return ValidationError("1 validation error detected: Value '" + *r.billing_mode +
                             "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: "
                             "[PROVISIONED, PAY_PER_REQUEST]");
    }
  }
  if (ppr && r.provisioned_throughput) {
    return Invalid(
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
        "PAY_PER_REQUEST");
  }
  if (!ppr && t->pay_per_request && !r.provisioned_throughput) {
    return Invalid("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
  }
  if (r.provisioned_throughput) {
    SIM_RETURN_IF_ERROR(CheckThroughput(*r.provisioned_throughput, "provisionedThroughput"));
    const ProvisionedThroughput& p = *r.provisioned_throughput;
    if (!t->pay_per_request && p.read_capacity_units == t->throughput.read_capacity_units &&
        p.write_capacity_units == t->throughput.write_capacity_units) {
      return ValidationError(
          "The provisioned throughput for the table will not change. The requested value equals the current value. "
          "Current ReadCapacityUnits provisioned for the table: " +
          std::to_string(p.read_capacity_units) +
          ". Requested ReadCapacityUnits: " + std::to_string(p.read_capacity_units) +
          ". Current WriteCapacityUnits provisioned for the table: " + std::to_string(p.write_capacity_units) +
          ". Requested WriteCapacityUnits: " + std::to_string(p.write_capacity_units) +
          ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
    }
  }
  // Validate every GSI update before changing anything.
  std::vector<AttributeDefinition> defs = t->defs;
  for (const AttributeDefinition& d : r.attribute_definitions) {
    bool known = false;
    for (const AttributeDefinition& e : defs) known = known || e.attribute_name == d.attribute_name;
    if (!known) defs.push_back(d);
  }
  std::set<std::string> creating, deleting;
  for (const GlobalSecondaryIndexUpdate& u : r.global_secondary_index_updates) {
    if (u.create.has_value() == u.delete_index_name.has_value()) {
      return ValidationError(
          "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate's Create "
          "or Delete must be specified");
    }
    if (u.create) {
      const GlobalSecondaryIndex& g = *u.create;
      if (t->indexes.contains(g.index_name) || creating.contains(g.index_name)) {
        return Invalid("Index already exists: " + g.index_name);
      }
      SIM_ASSIGN_OR_RETURN(KeySchema ik, ParseKeySchema(g.key_schema, defs));
      (void)ik;
      SIM_RETURN_IF_ERROR(CheckProjection(g.projection));
      if (ppr && g.provisioned_throughput) {
        return Invalid("ProvisionedThroughput should not be specified for index: " + g.index_name +
                       " when BillingMode is PAY_PER_REQUEST");
      }
      if (!ppr && !g.provisioned_throughput) {
        return Invalid("ProvisionedThroughput must be specified for index: " + g.index_name);
      }
      creating.insert(g.index_name);
    } else {
      auto it = t->indexes.find(*u.delete_index_name);
      if (it == t->indexes.end() || !it->second.global) {
        return AwsError(errors::kResourceNotFoundException, "Requested resource not found: Table: " + r.table_name +
                                                                " index: " + *u.delete_index_name + " not found");
      }
      deleting.insert(*u.delete_index_name);
    }
  }
  // Apply.
  if (ppr != t->pay_per_request) {
    t->pay_per_request = ppr;
    if (!ppr) {
      t->throughput = *r.provisioned_throughput;
      t->capacity->UpdateBillingMode(BillingMode::kProvisioned, now);
      t->capacity->UpdateProvisionedThroughput(t->throughput.read_capacity_units, t->throughput.write_capacity_units,
                                               now);
      for (auto& [n, ix] : t->indexes) {
        if (!ix.global) continue;
        ix.throughput = t->throughput;
        ix.capacity->UpdateBillingMode(BillingMode::kProvisioned, now);
        ix.capacity->UpdateProvisionedThroughput(t->throughput.read_capacity_units, t->throughput.write_capacity_units,
                                                 now);
      }
    } else {
      t->throughput = {};
      t->capacity->UpdateBillingMode(BillingMode::kPayPerRequest, now);
      for (auto& [n, ix] : t->indexes) {
        if (!ix.global) continue;
        ix.throughput.reset();
        ix.capacity->UpdateBillingMode(BillingMode::kPayPerRequest, now);
      }
    }
  } else if (r.provisioned_throughput) {
    t->throughput = *r.provisioned_throughput;
    t->capacity->UpdateProvisionedThroughput(t->throughput.read_capacity_units, t->throughput.write_capacity_units,
                                             now);
  }
  for (const std::string& name : deleting) t->indexes.erase(name);
  for (const GlobalSecondaryIndexUpdate& u : r.global_secondary_index_updates) {
    if (u.create) SIM_CHECK(AddGsi(*t, *u.create, defs, ppr, now).ok());
  }
  if (!creating.empty()) t->defs = defs;
  return UpdateTableResponse{Describe(*t, now)};
}

sim::StatusOr<DeleteTableResponse> DynamoDbModel::DeleteTable(const DeleteTableRequest& r, sim::Time now) {
  auto it = tables_.find(r.table_name);
  if (it == tables_.end()) return TableNotFound(r.table_name);
  if (now < it->second->active_at) {
    return AwsError(errors::kResourceInUseException,
                    "Attempt to change a resource which is still in use: Table is being created: " + r.table_name);
  }
  DeleteTableResponse response{Describe(*it->second, now)};
  response.table_description.table_status = "DELETING";
  tables_.erase(it);
  return response;
}

sim::StatusOr<ListTablesResponse> DynamoDbModel::ListTables(const ListTablesRequest& r, sim::Time) const {
  if (r.limit && (*r.limit < 1 || *r.limit > 100)) {
    return ValidationError("1 validation error detected: Value '" + std::to_string(*r.limit) +
                           "' at 'limit' failed to satisfy constraint: Member must have value " +
                           (*r.limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
  }
  const size_t limit = static_cast<size_t>(r.limit.value_or(100));
  ListTablesResponse out;
  auto it = r.exclusive_start_table_name ? tables_.upper_bound(*r.exclusive_start_table_name) : tables_.begin();
  for (; it != tables_.end() && out.table_names.size() < limit; ++it) out.table_names.push_back(it->first);
  if (it != tables_.end() && !out.table_names.empty()) out.last_evaluated_table_name = out.table_names.back();
  return out;
}

// ---- Write path ----

sim::Status DynamoDbModel::PrepareWrite(Table& table, EntryKey key, std::optional<Item> new_item, Prepared& p,
                                        int64_t new_size, std::optional<const Item*> known_old) {
  p.key = std::move(key);
  p.pk_bytes = p.key.pk;
  p.old_item = known_old ? *known_old : table.Find(p.key);
  std::optional<int64_t> old_size;
  if (p.old_item != nullptr) old_size = ItemBytes(*p.old_item);
  p.old_size = old_size.value_or(0);
  p.new_size = new_item ? (new_size >= 0 ? new_size : ItemBytes(*new_item)) : 0;
  if (new_item) {
    // Index key attributes must have their defined types.
    for (const auto& [n, ix] : table.indexes) {
      for (const KeyElement* ke : {&ix.key.partition, ix.key.sort ? &*ix.key.sort : nullptr}) {
        if (ke == nullptr) continue;
        const AttributeValue* v = Attr(*new_item, ke->name);
        if (v == nullptr) continue;
        if (v->type() != ke->type) {
          return Invalid("Type mismatch for Index Key " + ke->name +
                         " Expected: " + std::string(AttrTypeName(ke->type)) +
                         " Actual: " + std::string(AttrTypeName(v->type())) + " IndexName: " + n);
        }
        if ((v->Is(AttrType::kS) && v->s().empty()) || (v->Is(AttrType::kB) && v->b().empty())) {
          return Invalid(
              "One or more parameter values are not valid. A value specified for a secondary index key "
              "is not supported. The AttributeValue for a key attribute cannot contain an empty string "
              "value. IndexName: " +
              n + ", IndexKey: " + ke->name);
        }
      }
    }
    p.table_units = PutItemWriteUnits(old_size, p.new_size);
  } else {
    p.table_units = DeleteItemWriteUnits(old_size);
  }
  p.new_item = std::move(new_item);
  p.changes.clear();
  p.lsi_units = CapacityUnits::Zero();
  for (auto& [n, ix] : table.indexes) {
    Prepared::IndexChange c{&ix, std::nullopt, std::nullopt, std::nullopt, 0, 0, CapacityUnits::Zero()};
    std::optional<Item> old_entry = p.old_item ? ix.EntryOf(table.key, *p.old_item) : std::nullopt;
    if (old_entry) {
      c.old_key = ix.KeyOf(table.key, *p.old_item);
      c.old_bytes = ItemBytes(*old_entry);
    }
    if (p.new_item) c.new_entry = ix.EntryOf(table.key, *p.new_item);
    if (c.new_entry) {
      c.new_key = ix.KeyOf(table.key, *p.new_item);
      c.new_bytes = ItemBytes(*c.new_entry);
    }
    if (!c.old_key && !c.new_key) continue;
    const bool key_changed =
        c.old_key && c.new_key && (EntryLess()(*c.old_key, *c.new_key) || EntryLess()(*c.new_key, *c.old_key));
    c.units = IndexWriteUnits(c.old_key ? std::optional<int64_t>(c.old_bytes) : std::nullopt,
                              c.new_key ? std::optional<int64_t>(c.new_bytes) : std::nullopt, key_changed);
    if (!ix.global) p.lsi_units += c.units;
    p.changes.push_back(std::move(c));
  }
  return sim::OkStatus();
}

sim::Status DynamoDbModel::Admit(Table& table, Prepared& p, sim::Time now) {
  // LSIs share the table's capacity; each GSI has its own.
  SIM_RETURN_IF_ERROR(table.capacity->ConsumeWrite(p.pk_bytes, p.table_units + p.lsi_units, now));
  for (Prepared::IndexChange& c : p.changes) {
    if (!c.index->global) continue;
    const std::string& ipk = c.new_key ? c.new_key->pk : c.old_key->pk;
    SIM_RETURN_IF_ERROR(c.index->capacity->ConsumeWrite(ipk, c.units, now));
  }
  CapacityUnits total = p.table_units + p.lsi_units;
  for (const Prepared::IndexChange& c : p.changes)
    if (c.index->global) total += c.units;
  BillWrite(table, total);
  return sim::OkStatus();
}

void DynamoDbModel::Commit(Table& table, Prepared& p) {
  for (Prepared::IndexChange& c : p.changes) {
    if (c.old_key) {
      c.index->entries.erase(*c.old_key);
      c.index->size_bytes -= c.old_bytes;
    }
    if (c.new_key) {
      c.index->entries.insert_or_assign(std::move(*c.new_key), std::move(*c.new_entry));
      c.index->size_bytes += c.new_bytes;
    }
  }
  if (p.old_item != nullptr) table.size_bytes -= p.old_size;
  if (p.new_item) {
    table.size_bytes += p.new_size;
    if (p.old_item != nullptr) {
      *const_cast<Item*>(p.old_item) = std::move(*p.new_item);
    } else {
      table.items.emplace(std::move(p.key), std::move(*p.new_item));
    }
  } else if (p.old_item != nullptr) {
    table.items.erase(p.key);
  }
  p.old_item = nullptr;
}

std::optional<ConsumedCapacity> DynamoDbModel::Report(const Table& table, const Prepared& p,
                                                      ReturnConsumedCapacity rcc) const {
  if (rcc == ReturnConsumedCapacity::kNone) return std::nullopt;
  ConsumedCapacity c;
  c.table_name = table.name;
  CapacityUnits total = p.table_units;
  for (const Prepared::IndexChange& ch : p.changes) total += ch.units;
  c.capacity_units = total;
  c.write_capacity_units = total;
  if (rcc == ReturnConsumedCapacity::kIndexes) {
    c.table = p.table_units;
    for (const Prepared::IndexChange& ch : p.changes) {
      (ch.index->global ? c.global_secondary_indexes : c.local_secondary_indexes)[ch.index->name] = ch.units;
    }
  }
  return c;
}

void DynamoDbModel::BillRead(const Table& table, CapacityUnits units) {
  if (rru_slot_ != nullptr && table.pay_per_request) *rru_slot_ += units.ToDouble();
}
void DynamoDbModel::BillWrite(const Table& table, CapacityUnits units) {
  if (wru_slot_ != nullptr && table.pay_per_request) *wru_slot_ += units.ToDouble();
}

sim::Status DynamoDbModel::ReadAdmit(Table& table, Index* index, const std::string& pk, CapacityUnits units,
                                     sim::Time now) {
  CapacityModel& model = (index != nullptr && index->global) ? *index->capacity : *table.capacity;
  SIM_RETURN_IF_ERROR(model.ConsumeRead(pk, units, now));
  BillRead(table, units);
  return sim::OkStatus();
}

namespace {

std::optional<ConsumedCapacity> ReadReport(const std::string& table_name, const std::string* index_name, bool global,
                                           CapacityUnits units, ReturnConsumedCapacity rcc) {
  if (rcc == ReturnConsumedCapacity::kNone) return std::nullopt;
  ConsumedCapacity c;
  c.table_name = table_name;
  c.capacity_units = units;
  c.read_capacity_units = units;
  if (rcc == ReturnConsumedCapacity::kIndexes) {
    if (index_name == nullptr) {
      c.table = units;
    } else {
      c.table = CapacityUnits::Zero();
      (global ? c.global_secondary_indexes : c.local_secondary_indexes)[*index_name] = units;
    }
  }
  return c;
}

// Parsed and bound condition of one write request.
struct WriteExpressions {
  std::shared_ptr<const ConditionExpression> condition;
  std::shared_ptr<const UpdateExpression> update;
  BoundValues condition_values;
  BoundValues update_values;
};

sim::StatusOr<WriteExpressions> PrepareWriteExpressions(ExpressionCache& cache,
                                                        const std::optional<std::string>& condition,
                                                        const std::optional<std::string>& update,
                                                        const ExpressionParameters& params) {
  const ExpressionAttributeNames* names = NamesPtr(params.expression_attribute_names);
  const ExpressionAttributeValues* values = ValuesPtr(params.expression_attribute_values);
  SIM_RETURN_IF_ERROR(ValidateAttributeMaps(names, values));
  WriteExpressions w;
  std::vector<const ParsedExpression*> all;
  if (update) {
    SIM_ASSIGN_OR_RETURN(w.update, cache.Update(*update, names));
    all.push_back(w.update.get());
  }
  if (condition) {
    SIM_ASSIGN_OR_RETURN(w.condition, cache.Condition(*condition, names));
    all.push_back(w.condition.get());
  }
  SIM_RETURN_IF_ERROR(CheckUnusedNamesAndValues(all, names, values));
  if (w.update) {
    SIM_ASSIGN_OR_RETURN(w.update_values, BindValues(*w.update, values));
  }
  if (w.condition) {
    SIM_ASSIGN_OR_RETURN(w.condition_values, BindValues(*w.condition, values));
  }
  return w;
}

}  // namespace

// ---- Items ----

sim::StatusOr<PutItemResponse> DynamoDbModel::PutItem(PutItemRequest r, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(r.table_name, now));
  SIM_ASSIGN_OR_RETURN(ReturnValues rv, ParseReturnValuesFor(r.return_values, true));
  SIM_ASSIGN_OR_RETURN(bool old_on_failure, ParseOnFailure(r.return_values_on_condition_check_failure));
  SIM_RETURN_IF_ERROR(ValidateItemKey(t->key, r.item));
  const int64_t size = ItemBytes(r.item);
  if (size > static_cast<int64_t>(kMaxItemSizeBytes)) return CheckItemSize(r.item);
  SIM_RETURN_IF_ERROR(CheckNestingDepth(r.item));
  SIM_ASSIGN_OR_RETURN(WriteExpressions w,
                       PrepareWriteExpressions(cache_, r.condition_expression, std::nullopt, r.expression));
  Prepared p;
  EntryKey key = TableEntryKey(t->key, r.item);
  SIM_RETURN_IF_ERROR(PrepareWrite(*t, std::move(key), std::move(r.item), p, size));
  if (w.condition && !EvaluateCondition(*w.condition, p.old_item, w.condition_values)) {
    const CapacityUnits units =
        FailedConditionWriteUnits(p.old_item ? std::optional<int64_t>(p.old_size) : std::nullopt);
    SIM_RETURN_IF_ERROR(t->capacity->ConsumeWrite(p.pk_bytes, units, now));
    BillWrite(*t, units);
    if (old_on_failure && r.condition_check_failure_item != nullptr && p.old_item != nullptr) {
      *r.condition_check_failure_item = *p.old_item;
    }
    return errors::ConditionalCheckFailed();
  }
  SIM_RETURN_IF_ERROR(Admit(*t, p, now));
  PutItemResponse out;
  if (rv == ReturnValues::kAllOld && p.old_item != nullptr) out.attributes = *p.old_item;
  out.consumed_capacity = Report(*t, p, r.return_consumed_capacity);
  Commit(*t, p);
  t->capacity->OnSizeChanged(t->size_bytes, now);
  return out;
}

sim::StatusOr<GetItemResponse> DynamoDbModel::GetItem(const GetItemRequest& r, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(r.table_name, now));
  SIM_RETURN_IF_ERROR(ValidateKey(t->key, r.key));
  const ExpressionAttributeNames* names = NamesPtr(r.expression_attribute_names);
  SIM_RETURN_IF_ERROR(ValidateAttributeMaps(names, nullptr));
  std::shared_ptr<const ProjectionExpression> projection;
  if (r.projection_expression) {
    SIM_ASSIGN_OR_RETURN(projection, cache_.Projection(*r.projection_expression, names));
  }
  {
    std::vector<const ParsedExpression*> all;
    if (projection) all.push_back(projection.get());
    SIM_RETURN_IF_ERROR(CheckUnusedNamesAndValues(all, names, nullptr));
  }
  EntryKey key = TableEntryKey(t->key, r.key);
  const Item* item = t->Find(key);
  const CapacityUnits units =
      GetItemReadUnits(item ? std::optional<int64_t>(ItemBytes(*item)) : std::nullopt, Consistency(r.consistent_read));
  SIM_RETURN_IF_ERROR(ReadAdmit(*t, nullptr, key.pk, units, now));
  GetItemResponse out;
  if (item != nullptr) out.item = projection ? Project(*projection, *item) : *item;
  out.consumed_capacity = ReadReport(t->name, nullptr, false, units, r.return_consumed_capacity);
  return out;
}

sim::StatusOr<DeleteItemResponse> DynamoDbModel::DeleteItem(const DeleteItemRequest& r, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(r.table_name, now));
  SIM_ASSIGN_OR_RETURN(ReturnValues rv, ParseReturnValuesFor(r.return_values, true));
  SIM_ASSIGN_OR_RETURN(bool old_on_failure, ParseOnFailure(r.return_values_on_condition_check_failure));
  SIM_RETURN_IF_ERROR(ValidateKey(t->key, r.key));
  SIM_ASSIGN_OR_RETURN(WriteExpressions w,
                       PrepareWriteExpressions(cache_, r.condition_expression, std::nullopt, r.expression));
  Prepared p;
  SIM_RETURN_IF_ERROR(PrepareWrite(*t, TableEntryKey(t->key, r.key), std::nullopt, p));
  if (w.condition && !EvaluateCondition(*w.condition, p.old_item, w.condition_values)) {
    const CapacityUnits units =
        FailedConditionWriteUnits(p.old_item ? std::optional<int64_t>(p.old_size) : std::nullopt);
    SIM_RETURN_IF_ERROR(t->capacity->ConsumeWrite(p.pk_bytes, units, now));
    BillWrite(*t, units);
    if (old_on_failure && r.condition_check_failure_item != nullptr && p.old_item != nullptr) {
      *r.condition_check_failure_item = *p.old_item;
    }
    return errors::ConditionalCheckFailed();
  }
  SIM_RETURN_IF_ERROR(Admit(*t, p, now));
  DeleteItemResponse out;
  if (rv == ReturnValues::kAllOld && p.old_item != nullptr) out.attributes = *p.old_item;
  out.consumed_capacity = Report(*t, p, r.return_consumed_capacity);
  Commit(*t, p);
  t->capacity->OnSizeChanged(t->size_bytes, now);
  return out;
}

sim::StatusOr<UpdateItemResponse> DynamoDbModel::UpdateItem(const UpdateItemRequest& r, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(r.table_name, now));
  SIM_ASSIGN_OR_RETURN(ReturnValues rv, ParseReturnValuesFor(r.return_values, false));
  SIM_ASSIGN_OR_RETURN(bool old_on_failure, ParseOnFailure(r.return_values_on_condition_check_failure));
  SIM_RETURN_IF_ERROR(ValidateKey(t->key, r.key));
  SIM_ASSIGN_OR_RETURN(WriteExpressions w,
                       PrepareWriteExpressions(cache_, r.condition_expression, r.update_expression, r.expression));
  if (w.update) SIM_RETURN_IF_ERROR(CheckUpdateDoesNotTouchKey(*w.update, t->key));
  EntryKey key = TableEntryKey(t->key, r.key);
  const Item* old_item = t->Find(key);
  if (w.condition && !EvaluateCondition(*w.condition, old_item, w.condition_values)) {
    const CapacityUnits units =
        FailedConditionWriteUnits(old_item ? std::optional<int64_t>(ItemBytes(*old_item)) : std::nullopt);
    SIM_RETURN_IF_ERROR(t->capacity->ConsumeWrite(key.pk, units, now));
    BillWrite(*t, units);
    if (old_on_failure && r.condition_check_failure_item != nullptr && old_item != nullptr) {
      *r.condition_check_failure_item = *old_item;
    }
    return errors::ConditionalCheckFailed();
  }
  Item new_item = old_item ? *old_item : r.key;
  if (w.update) SIM_RETURN_IF_ERROR(ApplyUpdate(*w.update, w.update_values, new_item));
  SIM_RETURN_IF_ERROR(CheckUpdatedItemSize(new_item));
  SIM_RETURN_IF_ERROR(CheckNestingDepth(new_item));
  UpdateItemResponse out;
  if (w.update) {
    out.attributes = UpdateReturnImage(*w.update, rv, old_item, new_item);
  } else if (rv == ReturnValues::kAllOld && old_item != nullptr) {
    out.attributes = *old_item;
  } else if (rv == ReturnValues::kAllNew) {
    out.attributes = new_item;
  }
  Prepared p;
  SIM_RETURN_IF_ERROR(PrepareWrite(*t, std::move(key), std::move(new_item), p, -1, old_item));
  p.table_units = UpdateItemWriteUnits(p.old_item ? std::optional<int64_t>(p.old_size) : std::nullopt, p.new_size);
  SIM_RETURN_IF_ERROR(Admit(*t, p, now));
  out.consumed_capacity = Report(*t, p, r.return_consumed_capacity);
  Commit(*t, p);
  t->capacity->OnSizeChanged(t->size_bytes, now);
  return out;
}

// ---- Query and Scan ----

namespace {

struct ReadExpressions {
  std::shared_ptr<const KeyConditionExpression> key_condition;
  std::shared_ptr<const ConditionExpression> filter;
  std::shared_ptr<const ProjectionExpression> projection;
  BoundValues key_values;
  BoundValues filter_values;
};

sim::StatusOr<ReadExpressions> PrepareReadExpressions(ExpressionCache& cache, const std::string* key_condition,
                                                      const std::optional<std::string>& filter,
                                                      const std::optional<std::string>& projection,
                                                      const ExpressionParameters& params) {
  const ExpressionAttributeNames* names = NamesPtr(params.expression_attribute_names);
  const ExpressionAttributeValues* values = ValuesPtr(params.expression_attribute_values);
  SIM_RETURN_IF_ERROR(ValidateAttributeMaps(names, values));
  ReadExpressions e;
  std::vector<const ParsedExpression*> all;
  if (key_condition != nullptr) {
    SIM_ASSIGN_OR_RETURN(e.key_condition, cache.KeyCondition(*key_condition, names));
    all.push_back(e.key_condition.get());
  }
  if (filter) {
    SIM_ASSIGN_OR_RETURN(e.filter, cache.Condition(*filter, names, ExpressionKind::kFilter));
    all.push_back(e.filter.get());
  }
  if (projection) {
    SIM_ASSIGN_OR_RETURN(e.projection, cache.Projection(*projection, names));
    all.push_back(e.projection.get());
  }
  SIM_RETURN_IF_ERROR(CheckUnusedNamesAndValues(all, names, values));
  if (e.key_condition) {
    SIM_ASSIGN_OR_RETURN(e.key_values, BindValues(*e.key_condition, values));
  }
  if (e.filter) {
    SIM_ASSIGN_OR_RETURN(e.filter_values, BindValues(*e.filter, values));
  }
  return e;
}

sim::Status CheckSelect(const std::string& select, bool has_projection) {
  if (select.empty() || select == "ALL_ATTRIBUTES" || select == "ALL_PROJECTED_ATTRIBUTES" || select == "COUNT") {
    if (has_projection && !select.empty()) {
      return ValidationError("Cannot specify the ProjectionExpression when choosing to get " + select);
    }
    return sim::OkStatus();
  }
  if (select == "SPECIFIC_ATTRIBUTES") {
    if (!has_projection) {
      return ValidationError("Select type SPECIFIC_ATTRIBUTES requires ProjectionExpression to be specified");
    }
    return sim::OkStatus();
  }
  return ValidationError("1 validation error detected: Value '" + select +
                         "' at 'select' failed to satisfy constraint: Member must satisfy enum value set: "
                         "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
}

}  // namespace

namespace {

// One page of a Query or Scan over `store` (the table's items or an index's entries).
struct PageWalker {
  const KeySchema& table_key;
  const KeySchema& store_key;  // the key the store is ordered by
  bool is_index;
  const ReadExpressions& e;
  const ProjectionExpression* projection;
  bool count_only;
  std::optional<int> limit;
  int64_t page_bytes;
  QueryResponse out;
  int64_t bytes = 0;
  std::string first_pk;

  // Returns false to stop.
  bool Visit(const EntryKey& k, const Item& item) {
    if (out.scanned_count == 0) first_pk = k.pk;
    bytes += ItemBytes(item);
    ++out.scanned_count;
    if (!e.filter || EvaluateCondition(*e.filter, &item, e.filter_values)) {
      ++out.count;
      if (!count_only) out.items.push_back(projection ? Project(*projection, item) : item);
    }
    if ((limit && out.scanned_count >= *limit) || bytes >= page_bytes) {
      Item lek = ExtractKey(table_key, item);
      if (is_index) {
        for (const KeyElement* ke : {&store_key.partition, store_key.sort ? &*store_key.sort : nullptr}) {
          if (ke != nullptr) lek.insert_or_assign(ke->name, *Attr(item, ke->name));
        }
      }
      out.last_evaluated_key = std::move(lek);
      return false;
    }
    return true;
  }
};

// The store position of an ExclusiveStartKey.
sim::StatusOr<EntryKey> StartKey(const Item& esk, const KeySchema& table_key, const KeySchema& store_key,
                                 bool is_index) {
  auto invalid = [] {
    return ValidationError("The provided starting key is invalid: The provided key element does not match the schema");
  };
  std::vector<const KeyElement*> needed{&table_key.partition};
  if (table_key.sort) needed.push_back(&*table_key.sort);
  if (is_index) {
    needed.push_back(&store_key.partition);
    if (store_key.sort) needed.push_back(&*store_key.sort);
  }
  for (const KeyElement* ke : needed) {
    const AttributeValue* v = Attr(esk, ke->name);
    if (v == nullptr || v->type() != ke->type) return invalid();
  }
  for (const auto& [n, v] : esk) {
    bool known = false;
    for (const KeyElement* ke : needed) known = known || ke->name == n;
    if (!known) return invalid();
  }
  EntryKey k;
  k.pk = CanonicalKeyBytes(*Attr(esk, store_key.partition.name));
  if (store_key.sort) k.sk = *Attr(esk, store_key.sort->name);
  if (is_index) k.tk = TableKeyBytes(table_key, esk);
  return k;
}

}  // namespace

sim::StatusOr<QueryResponse> DynamoDbModel::Query(const QueryRequest& r, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(r.table_name, now));
  Index* ix = nullptr;
  if (r.index_name) {
    auto it = t->indexes.find(*r.index_name);
    if (it == t->indexes.end() || now < it->second.active_at) {
      return ValidationError("The table does not have the specified index: " + *r.index_name);
    }
    ix = &it->second;
    if (ix->global && r.consistent_read) {
      return ValidationError("Consistent reads are not supported on global secondary indexes");
    }
  }
  SIM_RETURN_IF_ERROR(CheckLimit(r.limit));
  SIM_RETURN_IF_ERROR(CheckSelect(r.select, r.projection_expression.has_value()));
  SIM_ASSIGN_OR_RETURN(ReadExpressions e,
                       PrepareReadExpressions(cache_, &r.key_condition_expression, r.filter_expression,
                                              r.projection_expression, r.expression));
  const KeySchema& store_key = ix ? ix->key : t->key;
  SIM_RETURN_IF_ERROR(ValidateKeyCondition(*e.key_condition, store_key, e.key_values));
  const KeyRange range = BindKeyCondition(*e.key_condition, store_key, e.key_values);
  const Store& store = ix ? ix->entries : t->items;
  std::optional<EntryKey> start;
  if (r.exclusive_start_key) {
    SIM_ASSIGN_OR_RETURN(start, StartKey(*r.exclusive_start_key, t->key, store_key, ix != nullptr));
  }
  EntryKey first;
  first.pk = CanonicalKeyBytes(*range.partition);
  PageWalker w{
      t->key, store_key, ix != nullptr, e, e.projection.get(), r.select == "COUNT", r.limit, settings_.page_bytes, {},
      0,      {}};
  auto in_partition = [&](const EntryKey& k) { return k.pk == first.pk; };
  if (r.scan_index_forward) {
    auto it = start ? store.upper_bound(*start) : store.lower_bound(first);
    for (; it != store.end() && in_partition(it->first); ++it) {
      if (range.has_sort_condition() && !range.SortMatches(*it->first.sk)) continue;
      if (!w.Visit(it->first, it->second)) break;
    }
  } else {
    auto it = start ? store.lower_bound(*start) : store.end();
    if (!start) {
      first.pk.push_back('\0');  // just past the partition: the next larger pk
      it = store.lower_bound(first);
      first.pk.pop_back();
    }
    while (it != store.begin()) {
      --it;
      if (!in_partition(it->first)) break;
      if (range.has_sort_condition() && !range.SortMatches(*it->first.sk)) continue;
      if (!w.Visit(it->first, it->second)) break;
    }
  }
  const CapacityUnits units = QueryReadUnits(w.bytes, Consistency(r.consistent_read));
  SIM_RETURN_IF_ERROR(ReadAdmit(*t, ix, first.pk, units, now));
  w.out.consumed_capacity =
      ReadReport(t->name, ix ? &ix->name : nullptr, ix && ix->global, units, r.return_consumed_capacity);
  return std::move(w.out);
}

sim::StatusOr<ScanResponse> DynamoDbModel::Scan(const ScanRequest& r, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(r.table_name, now));
  Index* ix = nullptr;
  if (r.index_name) {
    auto it = t->indexes.find(*r.index_name);
    if (it == t->indexes.end() || now < it->second.active_at) {
      return ValidationError("The table does not have the specified index: " + *r.index_name);
    }
    ix = &it->second;
    if (ix->global && r.consistent_read) {
      return ValidationError("Consistent reads are not supported on global secondary indexes");
    }
  }
  if (r.segment && !r.total_segments) {
    return ValidationError(
        "The TotalSegments parameter is required but was not present in the request when "
        "Segment parameter is present");
  }
  if (r.total_segments && !r.segment) {
    return ValidationError(
        "The Segment parameter is required but was not present in the request when parameter "
        "TotalSegments is present");
  }
  if (r.total_segments && (*r.total_segments < 1 || *r.total_segments > 1000000)) {
    return ValidationError("1 validation error detected: Value '" + std::to_string(*r.total_segments) +
                           "' at 'totalSegments' failed to satisfy constraint: Member must have value " +
                           (*r.total_segments < 1 ? "greater than or equal to 1" : "less than or equal to 1000000"));
  }
  if (r.segment && (*r.segment < 0 || *r.segment >= *r.total_segments)) {
    return ValidationError(
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
        "Segment: " +
        std::to_string(*r.segment) + " is not less than TotalSegments: " + std::to_string(*r.total_segments));
  }
  SIM_RETURN_IF_ERROR(CheckLimit(r.limit));
  SIM_RETURN_IF_ERROR(CheckSelect(r.select, r.projection_expression.has_value()));
  SIM_ASSIGN_OR_RETURN(ReadExpressions e, PrepareReadExpressions(cache_, nullptr, r.filter_expression,
                                                                 r.projection_expression, r.expression));
  const KeySchema& store_key = ix ? ix->key : t->key;
  const Store& store = ix ? ix->entries : t->items;
  std::optional<EntryKey> start;
  if (r.exclusive_start_key) {
    SIM_ASSIGN_OR_RETURN(start, StartKey(*r.exclusive_start_key, t->key, store_key, ix != nullptr));
  }
  PageWalker w{
      t->key, store_key, ix != nullptr, e, e.projection.get(), r.select == "COUNT", r.limit, settings_.page_bytes, {},
      0,      {}};
  const uint64_t total = r.total_segments ? static_cast<uint64_t>(*r.total_segments) : 1;
  const uint64_t segment = r.segment ? static_cast<uint64_t>(*r.segment) : 0;
  for (auto it = start ? store.upper_bound(*start) : store.begin(); it != store.end(); ++it) {
    if (total > 1) {
      const sim::Uint128 h = CapacityModel::HashKey(it->first.pk);
      if (static_cast<uint64_t>((h * total) >> 64) != segment) continue;
    }
    if (!w.Visit(it->first, it->second)) break;
  }
  const CapacityUnits units = QueryReadUnits(w.bytes, Consistency(r.consistent_read));
  SIM_RETURN_IF_ERROR(ReadAdmit(*t, ix, w.first_pk, units, now));
  w.out.consumed_capacity =
      ReadReport(t->name, ix ? &ix->name : nullptr, ix && ix->global, units, r.return_consumed_capacity);
  return std::move(w.out);
}

// ---- Batches ----

sim::StatusOr<BatchWriteItemResponse> DynamoDbModel::BatchWriteItem(const BatchWriteItemRequest& r, sim::Time now) {
  size_t n = 0;
  for (const auto& [name, writes] : r.request_items) n += writes.size();
  if (r.request_items.empty()) {
    return ValidationError(
        "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  }
  if (n > 25) return ValidationError("Too many items requested for the BatchWriteItem call");
  int64_t total_bytes = 0;
  for (const auto& [name, writes] : r.request_items) {
    SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(name, now));
    std::set<EntryKey, EntryLess> seen;
    for (const WriteRequest& w : writes) {
      if (w.put_item.has_value() == w.delete_key.has_value()) {
        return ValidationError(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes");
      }
      if (w.put_item) {
        SIM_RETURN_IF_ERROR(ValidateItemKey(t->key, *w.put_item));
        SIM_RETURN_IF_ERROR(CheckItemSize(*w.put_item));
        SIM_RETURN_IF_ERROR(CheckNestingDepth(*w.put_item));
        total_bytes += ItemBytes(*w.put_item);
      } else {
        SIM_RETURN_IF_ERROR(ValidateKey(t->key, *w.delete_key));
      }
      const Item& k = w.put_item ? *w.put_item : *w.delete_key;
      if (!seen.insert(TableEntryKey(t->key, k)).second) {
        return ValidationError("Provided list of item keys contains duplicates");
      }
    }
  }
  if (total_bytes > 16 * 1024 * 1024) {
    return ValidationError("Item size has exceeded the maximum allowed size");
  }
  BatchWriteItemResponse out;
  size_t processed = 0;
  sim::Status last_throttle;
  for (const auto& [name, writes] : r.request_items) {
    Table* t = FindTable(name);
    ConsumedCapacity cc;
    cc.table_name = name;
    if (r.return_consumed_capacity == ReturnConsumedCapacity::kIndexes) cc.table = CapacityUnits::Zero();
    for (const WriteRequest& w : writes) {
      Prepared p;
      const Item& k = w.put_item ? *w.put_item : *w.delete_key;
      SIM_RETURN_IF_ERROR(PrepareWrite(*t, TableEntryKey(t->key, k), w.put_item, p));
      sim::Status admitted = Admit(*t, p, now);
      if (!admitted.ok()) {
        last_throttle = admitted;
        out.unprocessed_items[name].push_back(w);
        continue;
      }
      if (std::optional<ConsumedCapacity> c = Report(*t, p, r.return_consumed_capacity)) {
        cc.capacity_units += c->capacity_units;
        cc.write_capacity_units += c->write_capacity_units;
        if (c->table) *cc.table += *c->table;
        for (const auto& [in, u] : c->global_secondary_indexes) cc.global_secondary_indexes[in] += u;
        for (const auto& [in, u] : c->local_secondary_indexes) cc.local_secondary_indexes[in] += u;
      }
      Commit(*t, p);
      ++processed;
    }
    t->capacity->OnSizeChanged(t->size_bytes, now);
    if (r.return_consumed_capacity != ReturnConsumedCapacity::kNone) out.consumed_capacity.push_back(std::move(cc));
  }
  if (processed == 0) return last_throttle;
  return out;
}

sim::StatusOr<BatchGetItemResponse> DynamoDbModel::BatchGetItem(const BatchGetItemRequest& r, sim::Time now) {
  size_t n = 0;
  for (const auto& [name, ka] : r.request_items) n += ka.keys.size();
  if (r.request_items.empty()) {
    return ValidationError(
        "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  }
  if (n > 100) return ValidationError("Too many items requested for the BatchGetItem call");
  std::map<std::string, std::shared_ptr<const ProjectionExpression>> projections;
  for (const auto& [name, ka] : r.request_items) {
    SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(name, now));
    std::set<EntryKey, EntryLess> seen;
    for (const Item& k : ka.keys) {
      SIM_RETURN_IF_ERROR(ValidateKey(t->key, k));
      if (!seen.insert(TableEntryKey(t->key, k)).second) {
        return ValidationError("Provided list of item keys contains duplicates");
      }
    }
    const ExpressionAttributeNames* names = NamesPtr(ka.expression_attribute_names);
    SIM_RETURN_IF_ERROR(ValidateAttributeMaps(names, nullptr));
    std::vector<const ParsedExpression*> all;
    if (ka.projection_expression) {
      SIM_ASSIGN_OR_RETURN(projections[name], cache_.Projection(*ka.projection_expression, names));
      all.push_back(projections[name].get());
    }
    SIM_RETURN_IF_ERROR(CheckUnusedNamesAndValues(all, names, nullptr));
  }
  BatchGetItemResponse out;
  size_t processed = 0;
  sim::Status last_throttle;
  for (const auto& [name, ka] : r.request_items) {
    Table* t = FindTable(name);
    CapacityUnits sum;
    for (const Item& k : ka.keys) {
      EntryKey key = TableEntryKey(t->key, k);
      const Item* item = t->Find(key);
      const CapacityUnits units = GetItemReadUnits(item ? std::optional<int64_t>(ItemBytes(*item)) : std::nullopt,
                                                   Consistency(ka.consistent_read));
      sim::Status admitted = ReadAdmit(*t, nullptr, key.pk, units, now);
      if (!admitted.ok()) {
        last_throttle = admitted;
        KeysAndAttributes& u = out.unprocessed_keys[name];
        if (u.keys.empty()) {
          u.consistent_read = ka.consistent_read;
          u.projection_expression = ka.projection_expression;
          u.expression_attribute_names = ka.expression_attribute_names;
        }
        u.keys.push_back(k);
        continue;
      }
      ++processed;
      sum += units;
      if (item != nullptr) {
        auto pj = projections.find(name);
        out.responses[name].push_back(pj != projections.end() ? Project(*pj->second, *item) : *item);
      }
    }
    if (std::optional<ConsumedCapacity> c = ReadReport(name, nullptr, false, sum, r.return_consumed_capacity)) {
      out.consumed_capacity.push_back(std::move(*c));
    }
  }
  if (processed == 0) return last_throttle;
  return out;
}

// ---- Transactions ----

namespace {

constexpr size_t kMaxTransactItems = 100;
const sim::Duration kTokenLifetime = sim::Minutes(10);

sim::Status Canceled(const std::vector<CancellationReason>& reasons) {
  std::string codes;
  for (const CancellationReason& r : reasons) codes += (codes.empty() ? "" : ", ") + r.code;
  return AwsError(errors::kTransactionCanceledException,
                  "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]");
}

std::string Fingerprint(const TransactWriteItemsRequest& r) {
  std::string f;
  for (const TransactWriteItem& a : r.transact_items) {
    f += std::to_string(static_cast<int>(a.kind)) + "|" + a.table_name + "|" + DebugString(a.item) + "|" +
         DebugString(a.key) + "|" + a.update_expression.value_or("") + "|" + a.condition_expression.value_or("") + "|";
    if (a.expression.expression_attribute_names) {
      for (const auto& [k, v] : *a.expression.expression_attribute_names) f += k + "=" + v + ",";
    }
    if (a.expression.expression_attribute_values) {
      for (const auto& [k, v] : *a.expression.expression_attribute_values) f += k + "=" + v.DebugString() + ",";
    }
    f += "\n";
  }
  return f;
}

}  // namespace

sim::StatusOr<TransactWriteItemsResponse> DynamoDbModel::TransactWriteItems(const TransactWriteItemsRequest& r,
                                                                            sim::Time now) {
  if (r.transact_items.empty() || r.transact_items.size() > kMaxTransactItems) {
    return ValidationError(
        "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: "
        "Member must have length less than or equal to 100 and greater than or equal to 1");
  }
  std::string fingerprint;
  if (r.client_request_token) {
    for (auto it = tokens_.begin(); it != tokens_.end();) {
      it = now - it->second.first_seen >= kTokenLifetime ? tokens_.erase(it) : std::next(it);
    }
    fingerprint = Fingerprint(r);
    auto it = tokens_.find(*r.client_request_token);
    if (it != tokens_.end()) {
      if (it->second.fingerprint != fingerprint) {
        return AwsError(
            errors::kIdempotentParameterMismatchException,
            "Transaction ClientRequestToken " + *r.client_request_token + " was used with different parameters");
      }
      return it->second.response;
    }
  }
  // Validate every action and compute its new item.
  struct Action {
    Table* table;
    WriteExpressions w;
    bool old_on_failure;
    std::optional<Item> new_item;  // kPut / kUpdate
  };
  std::vector<Action> actions;
  std::set<std::pair<std::string, std::string>> seen;
  for (const TransactWriteItem& a : r.transact_items) {
    SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(a.table_name, now));
    SIM_ASSIGN_OR_RETURN(bool old_on_failure, ParseOnFailure(a.return_values_on_condition_check_failure));
    const bool put = a.kind == TransactWriteItem::Kind::kPut;
    if (put) {
      SIM_RETURN_IF_ERROR(ValidateItemKey(t->key, a.item));
      SIM_RETURN_IF_ERROR(CheckItemSize(a.item));
      SIM_RETURN_IF_ERROR(CheckNestingDepth(a.item));
    } else {
      SIM_RETURN_IF_ERROR(ValidateKey(t->key, a.key));
    }
    if (a.kind == TransactWriteItem::Kind::kConditionCheck && !a.condition_expression) {
      return ValidationError("The ConditionExpression parameter is required for ConditionCheck");
    }
    const Item& key_source = put ? a.item : a.key;
    if (!seen.emplace(a.table_name, TableKeyBytes(t->key, key_source)).second) {
      return ValidationError("Transaction request cannot include multiple operations on one item");
    }
    const std::optional<std::string> no_update;
    SIM_ASSIGN_OR_RETURN(
        WriteExpressions w,
        PrepareWriteExpressions(cache_, a.condition_expression,
                                a.kind == TransactWriteItem::Kind::kUpdate ? a.update_expression : no_update,
                                a.expression));
    if (w.update) SIM_RETURN_IF_ERROR(CheckUpdateDoesNotTouchKey(*w.update, t->key));
    actions.push_back(Action{t, std::move(w), old_on_failure, std::nullopt});
  }
  // Conditions, on the items as they are before the transaction.
  std::vector<CancellationReason> reasons(r.transact_items.size(), CancellationReason{"None", "", std::nullopt});
  bool failed = false;
  std::vector<Prepared> prepared(actions.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    const TransactWriteItem& a = r.transact_items[i];
    Action& act = actions[i];
    const Item& key_source = a.kind == TransactWriteItem::Kind::kPut ? a.item : a.key;
    EntryKey key = TableEntryKey(act.table->key, key_source);
    const Item* old_item = act.table->Find(key);
    if (act.w.condition && !EvaluateCondition(*act.w.condition, old_item, act.w.condition_values)) {
      failed = true;
      reasons[i] = CancellationReason{"ConditionalCheckFailed", "The conditional request failed", std::nullopt};
      if (act.old_on_failure && old_item != nullptr) reasons[i].item = *old_item;
      continue;
    }
    std::optional<Item> new_item;
    switch (a.kind) {
      case TransactWriteItem::Kind::kPut:
        new_item = a.item;
        break;
      case TransactWriteItem::Kind::kUpdate: {
        Item updated = old_item ? *old_item : a.key;
        if (act.w.update) SIM_RETURN_IF_ERROR(ApplyUpdate(*act.w.update, act.w.update_values, updated));
        SIM_RETURN_IF_ERROR(CheckUpdatedItemSize(updated));
        new_item = std::move(updated);
        break;
      }
      case TransactWriteItem::Kind::kDelete:
      case TransactWriteItem::Kind::kConditionCheck:
        break;
    }
    if (a.kind == TransactWriteItem::Kind::kConditionCheck) {
      prepared[i].key = std::move(key);
      prepared[i].pk_bytes = prepared[i].key.pk;
      prepared[i].old_item = old_item;
      prepared[i].old_size = old_item ? ItemBytes(*old_item) : 0;
      prepared[i].new_item = old_item ? std::optional<Item>(*old_item) : std::nullopt;
      prepared[i].table_units = WriteUnitsForItem(prepared[i].old_size);
      continue;
    }
    SIM_RETURN_IF_ERROR(PrepareWrite(*act.table, std::move(key), std::move(new_item), prepared[i]));
  }
  if (failed) {
    if (r.cancellation_reasons != nullptr) *r.cancellation_reasons = reasons;
    return Canceled(reasons);
  }
  // Capacity: twice the units, all or nothing per table.
  std::map<Table*, std::vector<size_t>> by_table;
  for (size_t i = 0; i < actions.size(); ++i) by_table[actions[i].table].push_back(i);
  for (auto& [t, indices] : by_table) {
    std::vector<KeyedCapacity> keyed;
    for (size_t i : indices) {
      CapacityUnits units = prepared[i].table_units + prepared[i].lsi_units;
      keyed.push_back(KeyedCapacity{prepared[i].pk_bytes, units * 2, true});
    }
    sim::Status admitted = t->capacity->ConsumeAll(keyed, now);
    if (!admitted.ok()) {
      for (size_t i : indices) reasons[i] = CancellationReason{"ThrottlingError", std::string(admitted.message()), {}};
      if (r.cancellation_reasons != nullptr) *r.cancellation_reasons = reasons;
      return Canceled(reasons);
    }
  }
  TransactWriteItemsResponse out;
  for (auto& [t, indices] : by_table) {
    ConsumedCapacity cc;
    cc.table_name = t->name;
    for (size_t i : indices) {
      Prepared& p = prepared[i];
      const CapacityUnits units = (p.table_units + p.lsi_units) * 2;
      cc.capacity_units += units;
      cc.write_capacity_units += units;
      BillWrite(*t, units);
      if (r.transact_items[i].kind != TransactWriteItem::Kind::kConditionCheck) Commit(*t, p);
    }
    t->capacity->OnSizeChanged(t->size_bytes, now);
    if (r.return_consumed_capacity != ReturnConsumedCapacity::kNone) out.consumed_capacity.push_back(std::move(cc));
  }
  if (r.client_request_token) tokens_[*r.client_request_token] = TokenEntry{fingerprint, now, out};
  return out;
}

sim::StatusOr<TransactGetItemsResponse> DynamoDbModel::TransactGetItems(const TransactGetItemsRequest& r,
                                                                        sim::Time now) {
  if (r.transact_items.empty() || r.transact_items.size() > kMaxTransactItems) {
    return ValidationError(
        "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: "
        "Member must have length less than or equal to 100 and greater than or equal to 1");
  }
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<std::shared_ptr<const ProjectionExpression>> projections;
  std::vector<Table*> tables;
  for (const TransactGetItem& g : r.transact_items) {
    SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(g.table_name, now));
    SIM_RETURN_IF_ERROR(ValidateKey(t->key, g.key));
    if (!seen.emplace(g.table_name, TableKeyBytes(t->key, g.key)).second) {
      return ValidationError("Transaction request cannot include multiple operations on one item");
    }
    const ExpressionAttributeNames* names = NamesPtr(g.expression_attribute_names);
    SIM_RETURN_IF_ERROR(ValidateAttributeMaps(names, nullptr));
    std::shared_ptr<const ProjectionExpression> projection;
    if (g.projection_expression) {
      SIM_ASSIGN_OR_RETURN(projection, cache_.Projection(*g.projection_expression, names));
    }
    std::vector<const ParsedExpression*> all;
    if (projection) all.push_back(projection.get());
    SIM_RETURN_IF_ERROR(CheckUnusedNamesAndValues(all, names, nullptr));
    projections.push_back(std::move(projection));
    tables.push_back(t);
  }
  std::vector<const Item*> found(r.transact_items.size(), nullptr);
  std::vector<std::string> pks(r.transact_items.size());
  std::map<Table*, std::vector<size_t>> by_table;
  for (size_t i = 0; i < r.transact_items.size(); ++i) {
    EntryKey key = TableEntryKey(tables[i]->key, r.transact_items[i].key);
    found[i] = tables[i]->Find(key);
    pks[i] = std::move(key.pk);
    by_table[tables[i]].push_back(i);
  }
  std::vector<CancellationReason> reasons(r.transact_items.size(), CancellationReason{"None", "", std::nullopt});
  TransactGetItemsResponse out;
  for (auto& [t, indices] : by_table) {
    std::vector<KeyedCapacity> keyed;
    CapacityUnits sum;
    for (size_t i : indices) {
      const CapacityUnits units = GetItemReadUnits(
          found[i] ? std::optional<int64_t>(ItemBytes(*found[i])) : std::nullopt, ReadConsistency::kTransactional);
      keyed.push_back(KeyedCapacity{pks[i], units, false});
      sum += units;
    }
    sim::Status admitted = t->capacity->ConsumeAll(keyed, now);
    if (!admitted.ok()) {
      for (size_t i : indices) reasons[i] = CancellationReason{"ThrottlingError", std::string(admitted.message()), {}};
      if (r.cancellation_reasons != nullptr) *r.cancellation_reasons = reasons;
      return Canceled(reasons);
    }
    BillRead(*t, sum);
    if (std::optional<ConsumedCapacity> c = ReadReport(t->name, nullptr, false, sum, r.return_consumed_capacity)) {
      out.consumed_capacity.push_back(std::move(*c));
    }
  }
  for (size_t i = 0; i < r.transact_items.size(); ++i) {
    if (found[i] == nullptr) {
      out.responses.emplace_back();
    } else {
      out.responses.emplace_back(projections[i] ? Project(*projections[i], *found[i]) : *found[i]);
    }
  }
  return out;
}

// ---- TTL ----

sim::StatusOr<UpdateTimeToLiveResponse> DynamoDbModel::UpdateTimeToLive(const UpdateTimeToLiveRequest& r,
                                                                        sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Table * t, FindActiveTable(r.table_name, now));
  const TimeToLiveSpecification& s = r.time_to_live_specification;
  if (s.attribute_name.empty() || s.attribute_name.size() > 255) {
    return ValidationError("1 validation error detected: Value '" + s.attribute_name +
                           "' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must "
                           "have length greater than or equal to 1");
  }
  if (s.enabled && t->ttl_enabled) return ValidationError("TimeToLive is already enabled");
  if (!s.enabled && !t->ttl_enabled) return ValidationError("TimeToLive is already disabled");
  if (!s.enabled && s.attribute_name != t->ttl_attribute) {
    return ValidationError("TimeToLive attribute name " + s.attribute_name + " does not match the enabled one");
  }
  t->ttl_enabled = s.enabled;
  t->ttl_attribute = s.enabled ? s.attribute_name : "";
  return UpdateTimeToLiveResponse{s};
}

sim::StatusOr<DescribeTimeToLiveResponse> DynamoDbModel::DescribeTimeToLive(const DescribeTimeToLiveRequest& r,
                                                                            sim::Time) const {
  const Table* t = FindTable(r.table_name);
  if (t == nullptr) return NotFound();
  if (!t->ttl_enabled) return DescribeTimeToLiveResponse{"DISABLED", ""};
  return DescribeTimeToLiveResponse{"ENABLED", t->ttl_attribute};
}

sim::Time DynamoDbModel::TtlDeletionTime(const std::string& table_name, const Item& item) const {
  const Table* t = FindTable(table_name);
  if (t == nullptr || !t->ttl_enabled) return sim::Time::Max();
  const AttributeValue* v = Attr(item, t->ttl_attribute);
  if (v == nullptr || !v->Is(AttrType::kN)) return sim::Time::Max();
  const double expiry = std::strtod(v->n().ToString().c_str(), nullptr);
  const double since_zero = expiry - static_cast<double>(settings_.epoch_unix_seconds);
  if (since_zero > 1e11) return sim::Time::Max();
  const uint64_t h = Mix(CapacityModel::HashKey(TableKeyBytes(t->key, item)) ^ settings_.ttl_seed);
  const auto max_ns = static_cast<sim::Uint128>(settings_.ttl_max_deletion_delay.nanos());
  const auto delay_ns = static_cast<int64_t>((static_cast<sim::Uint128>(h) * (max_ns + 1)) >> 64);
  const int64_t at = static_cast<int64_t>(since_zero) * 1'000'000'000 + delay_ns;
  return sim::Time::FromNanos(std::max<int64_t>(at, 0));
}

int64_t DynamoDbModel::SweepExpiredItems(sim::Time now) {
  int64_t deleted = 0;
  for (auto& [name, tp] : tables_) {
    Table& t = *tp;
    if (!t.ttl_enabled || now < t.active_at) continue;
    std::vector<Item> expired;
    for (const auto& [k, item] : t.items) {
      if (TtlDeletionTime(name, item) <= now) expired.push_back(ExtractKey(t.key, item));
    }
    for (const Item& key : expired) {
      Prepared p;
      SIM_CHECK(PrepareWrite(t, TableEntryKey(t.key, key), std::nullopt, p).ok());
      Commit(t, p);
    }
    if (!expired.empty()) t.capacity->OnSizeChanged(t.size_bytes, now);
    if (t.ttl_deleted != nullptr) t.ttl_deleted->Add(static_cast<int64_t>(expired.size()));
    deleted += static_cast<int64_t>(expired.size());
  }
  return deleted;
}

}  // namespace emu::dynamodb
