#include "emulators/common/cost_meter.h"

#include <cstdlib>
#include <sstream>

#include "sim/check.h"

namespace emu {

extern const char kPriceTableTsv[];  // generated from price_table.tsv

sim::StatusOr<CostMeter> CostMeter::FromTable(std::string_view tsv) {
  CostMeter m;
  std::istringstream in{std::string(tsv)};
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string service, item, unit, price, source;
    if (!std::getline(fields, service, '\t') || !std::getline(fields, item, '\t') ||
        !std::getline(fields, unit, '\t') || !std::getline(fields, price, '\t') || !std::getline(fields, source)) {
      return sim::InvalidArgumentError("price table line " + std::to_string(line_no) +
                                       ": expected 5 tab-separated fields");
    }
    char* end = nullptr;
    const double usd = std::strtod(price.c_str(), &end);
    if (end == price.c_str() || *end != '\0' || usd < 0) {
      return sim::InvalidArgumentError("price table line " + std::to_string(line_no) + ": bad price '" + price + "'");
    }
    if (!m.prices_.emplace(std::make_pair(service, item), Price{unit, usd, source}).second) {
      return sim::InvalidArgumentError("price table line " + std::to_string(line_no) + ": duplicate " + service + "/" +
                                       item);
    }
  }
  return m;
}

CostMeter CostMeter::WithDefaultPrices() {
  static const CostMeter defaults = FromTable(kPriceTableTsv).value();
  return defaults;
}

bool CostMeter::HasPrice(const std::string& service, const std::string& item) const {
  return prices_.count({service, item}) != 0;
}

const Price& CostMeter::PriceOf(const std::string& service, const std::string& item) const {
  auto it = prices_.find({service, item});
  SIM_CHECK_MSG(it != prices_.end(), "no price for " << service << "/" << item);
  return it->second;
}

void CostMeter::Add(const std::string& service, const std::string& item, double units) {
  SIM_CHECK_MSG(HasPrice(service, item), "no price for " << service << "/" << item);
  usage_[{service, item}] += units;
}

double& CostMeter::UsageSlot(const std::string& service, const std::string& item) {
  SIM_CHECK_MSG(HasPrice(service, item), "no price for " << service << "/" << item);
  return usage_[{service, item}];
}

double CostMeter::units(const std::string& service, const std::string& item) const {
  auto it = usage_.find({service, item});
  return it == usage_.end() ? 0 : it->second;
}

double CostMeter::UsdFor(const std::string& service) const {
  double usd = 0;
  for (const auto& [key, units] : usage_)
    if (key.first == service) usd += units * prices_.at(key).usd_per_unit;
  return usd;
}

double CostMeter::TotalUsd() const {
  double usd = 0;
  for (const auto& [key, units] : usage_) usd += units * prices_.at(key).usd_per_unit;
  return usd;
}

double ByteSecondsToGbMonths(double byte_seconds) { return byte_seconds / (1024.0 * 1024 * 1024) / (730.0 * 3600); }

}  // namespace emu
