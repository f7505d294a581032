#pragma once

// Prices usage: requests x price and storage x time, from the price table
// data file (price_table.tsv, compiled in, each row with its source). Every
// service reports usage in the table's units; the meter keeps totals by
// (service, item) in a stable order for reports.

#include <map>
#include <string>
#include <utility>

#include "sim/status.h"

namespace emu {

struct Price {
  std::string unit;
  double usd_per_unit = 0;
  std::string source;
};

class CostMeter {
 public:
  // Parses a table in price_table.tsv's format; errors name the line.
  static sim::StatusOr<CostMeter> FromTable(std::string_view tsv);
  static CostMeter WithDefaultPrices();

  // Unknown (service, item) pairs are a bug in the caller (SIM_CHECK).
  void Add(const std::string& service, const std::string& item, double units);
  // The running total of one (service, item), for callers that bill on a
  // hot path (every API request): add to it directly, no lookup per call.
  // Stable for the meter's lifetime; unknown pairs are a bug (SIM_CHECK).
  double& UsageSlot(const std::string& service, const std::string& item);
  const Price& PriceOf(const std::string& service, const std::string& item) const;
  bool HasPrice(const std::string& service, const std::string& item) const;

  double units(const std::string& service, const std::string& item) const;
  double UsdFor(const std::string& service) const;
  double TotalUsd() const;
  // (service, item) -> units used, in name order.
  const std::map<std::pair<std::string, std::string>, double>& usage() const { return usage_; }
  const std::map<std::pair<std::string, std::string>, Price>& prices() const { return prices_; }

 private:
  std::map<std::pair<std::string, std::string>, Price> prices_;
  std::map<std::pair<std::string, std::string>, double> usage_;
};

// Storage is priced per GB-month: GiB (2^30 bytes) held for 730 hours.
double ByteSecondsToGbMonths(double byte_seconds);

}  // namespace emu
