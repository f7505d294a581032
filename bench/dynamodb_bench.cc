// DynamoDB benchmark (issue 7): PutItem, GetItem and UpdateItem per second
// through the facade (behaviour layer, validation, item sizes, capacity
// admission, billing, metrics), zero latency, ~200 B items over --keys keys.
// UpdateItem is "ADD #c :one" with the same text every call, so the parsed
// expression comes from the ExpressionCache.
//
// Nothing must throttle: the table is on-demand with a pre-raised previous
// peak (initial_peak_read_equivalent 4,000,000 -> 8 M read-equivalent units/s
// and 2,667 partitions) and the per-table account quota raised to 1e9, and
// the driver advances simulated time 1 ms every 1,000 operations (1 M ops/s
// of simulated traffic, ~1,000 units/s per partition at most). Only
// successes are counted; throttles and other errors are printed and the run
// exits 1 if there are any. Medians over --repeat runs, timed by the
// thread's CPU clock.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "bench_util.h"
#include "emulators/common/env.h"
#include "emulators/dynamodb/dynamodb_api.h"
#include "emulators/dynamodb/dynamodb_errors.h"
#include "sim/scheduler.h"

namespace {

using emu::dynamodb::AttributeValue;
using emu::dynamodb::DynamoDbApi;
using emu::dynamodb::Item;

struct Counts {
  uint64_t ok = 0;
  uint64_t throttles = 0;
  uint64_t errors = 0;
};

constexpr const char* kTable = "bench_items";
constexpr uint64_t kOpsPerTick = 1000;

std::string Key(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "user#%08llu", static_cast<unsigned long long>(i));
  return buf;
}

// pk (2 + 13) + payload (7 + 160) + count (5 + 2) + ts (2 + 6) = 197 bytes.
Item MakeItem(uint64_t i) {
  return Item{{"pk", AttributeValue::S(Key(i))},
              {"payload", AttributeValue::S(std::string(160, 'p'))},
              {"count", AttributeValue::N(int64_t{1})},
              {"ts", AttributeValue::N(static_cast<int64_t>(1'767'225'600 + i))}};
}

void Count(const sim::Status& s, Counts& counts) {
  if (s.ok()) {
    ++counts.ok;
  } else if (const emu::AwsErrorType* e = emu::AwsErrorOf(s); e != nullptr && e->throttling) {
    ++counts.throttles;
  } else {
    ++counts.errors;
  }
}

// Requests are built from items and keys prepared before the timed region
// (the client's side), so the timing is the service's.
sim::Task<void> Puts(sim::Scheduler& sched, DynamoDbApi& api, uint64_t ops, const std::vector<Item>& items,
                     Counts& counts) {
  const uint64_t keys = items.size();
  for (uint64_t i = 0; i < ops; ++i) {
    emu::dynamodb::PutItemRequest request;
    request.table_name = kTable;
    request.item = items[i % keys];
    sim::StatusOr<emu::dynamodb::PutItemResponse> r = co_await api.PutItem(std::move(request));
    Count(r.status(), counts);
    if ((i + 1) % kOpsPerTick == 0) {
      sim::Status slept = co_await sched.Sleep(sim::Milliseconds(1));
      slept.IgnoreError();
    }
  }
}

sim::Task<void> Gets(sim::Scheduler& sched, DynamoDbApi& api, uint64_t ops, const std::vector<Item>& key_items,
                     Counts& counts) {
  const uint64_t keys = key_items.size();
  for (uint64_t i = 0; i < ops; ++i) {
    emu::dynamodb::GetItemRequest request;
    request.table_name = kTable;
    request.key = key_items[i % keys];
    sim::StatusOr<emu::dynamodb::GetItemResponse> r = co_await api.GetItem(std::move(request));
    Count(r.status(), counts);
    if (r.ok() && !r->item.has_value()) ++counts.errors;  // every key was written
    if ((i + 1) % kOpsPerTick == 0) {
      sim::Status slept = co_await sched.Sleep(sim::Milliseconds(1));
      slept.IgnoreError();
    }
  }
}

sim::Task<void> Updates(sim::Scheduler& sched, DynamoDbApi& api, uint64_t ops, const std::vector<Item>& key_items,
                        Counts& counts) {
  const uint64_t keys = key_items.size();
  const emu::dynamodb::ExpressionAttributeNames names{{"#c", "count"}};
  const emu::dynamodb::ExpressionAttributeValues values{{":one", AttributeValue::N(int64_t{1})}};
  for (uint64_t i = 0; i < ops; ++i) {
    emu::dynamodb::UpdateItemRequest request;
    request.table_name = kTable;
    request.key = key_items[i % keys];
    request.update_expression = "ADD #c :one";
    request.expression.expression_attribute_names = names;
    request.expression.expression_attribute_values = values;
    sim::StatusOr<emu::dynamodb::UpdateItemResponse> r = co_await api.UpdateItem(std::move(request));
    Count(r.status(), counts);
    if ((i + 1) % kOpsPerTick == 0) {
      sim::Status slept = co_await sched.Sleep(sim::Milliseconds(1));
      slept.IgnoreError();
    }
  }
}

sim::Task<void> Setup(DynamoDbApi& api, Counts& counts) {
  emu::dynamodb::CreateTableRequest request;
  request.table_name = kTable;
  request.attribute_definitions = {{"pk", "S"}};
  request.key_schema = {{"pk", "HASH"}};
  request.billing_mode = "PAY_PER_REQUEST";
  sim::StatusOr<emu::dynamodb::CreateTableResponse> r = co_await api.CreateTable(std::move(request));
  if (!r.ok()) ++counts.errors;
}

struct Result {
  double per_second = 0;
  Counts counts;
};

Result RunMode(const std::string& mode, uint64_t ops, uint64_t keys) {
  sim::Scheduler sched;
  emu::Env env(sched, 42);
  env.set_zero_latency(true);
  emu::dynamodb::DynamoDbApiSettings settings;
  settings.model.capacity_defaults.initial_peak_read_equivalent = 4'000'000;
  settings.model.capacity_defaults.account_table_max_read_units = 1'000'000'000;
  settings.model.capacity_defaults.account_table_max_write_units = 1'000'000'000;
  DynamoDbApi api(env, settings);
  std::vector<Item> items;
  std::vector<Item> key_items;
  for (uint64_t k = 0; k < keys; ++k) {
    items.push_back(MakeItem(k));
    key_items.push_back(Item{{"pk", AttributeValue::S(Key(k))}});
  }
  Counts setup;
  sched.Spawn(Setup(api, setup), "setup");
  sched.Run();
  if (mode != "put") {
    sched.Spawn(Puts(sched, api, keys, items, setup), "prefill");
    sched.Run();
  }
  Counts counts;
  counts.errors = setup.errors + setup.throttles;
  if (mode == "put") {
    sched.Spawn(Puts(sched, api, ops, items, counts), "bench");
  } else if (mode == "get") {
    sched.Spawn(Gets(sched, api, ops, key_items, counts), "bench");
  } else {
    sched.Spawn(Updates(sched, api, ops, key_items, counts), "bench");
  }
  const double t0 = bench::CpuSeconds();
  sched.Run();
  const double cpu = bench::CpuSeconds() - t0;
  return {static_cast<double>(counts.ok) / cpu, counts};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"DynamoDB facade benchmark: PutItem / GetItem / UpdateItem per second"};
  uint64_t ops = 1'000'000;
  uint64_t keys = 100'000;
  int repeat = 3;
  std::vector<std::string> modes = {"put", "get", "update"};
  app.add_option("--ops", ops, "operations per run")->check(CLI::PositiveNumber);
  app.add_option("--keys", keys, "distinct partition keys")->check(CLI::PositiveNumber);
  app.add_option("--repeat", repeat, "runs per mode; the median is printed")->check(CLI::PositiveNumber);
  app.add_option("--mode", modes, "modes to run")->check(CLI::IsMember({"put", "get", "update"}));
  CLI11_PARSE(app, argc, argv);

  uint64_t bad = 0;
  std::printf("%-7s %14s %10s %8s   (~200 B items, %llu keys, zero latency, median of %d)\n", "mode", "ops/s",
              "throttles", "errors", static_cast<unsigned long long>(keys), repeat);
  for (const std::string& mode : modes) {
    std::vector<double> rates;
    Counts total;
    for (int r = 0; r < repeat; ++r) {
      const Result result = RunMode(mode, ops, keys);
      rates.push_back(result.per_second);
      total.throttles += result.counts.throttles;
      total.errors += result.counts.errors;
    }
    bad += total.throttles + total.errors;
    std::printf("%-7s %14.0f %10llu %8llu\n", mode.c_str(), bench::Median(rates),
                static_cast<unsigned long long>(total.throttles), static_cast<unsigned long long>(total.errors));
  }
  return bad == 0 ? 0 : 1;
}
