#pragma once

// The reference data of the synthetic product-usage logs: ~20 Autodesk-like
// products with their family and licence type (what the clean/enrich stage
// adds), event types, and countries with their sales region. Generator and
// enricher share it, so a record's enrichment can be checked exactly.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace pipeline {

struct Product {
  std::string_view name;
  std::string_view family;        // AEC, D&M, M&E, Platform
  std::string_view licence_type;  // subscription, named-user, flex, education
  std::string_view latest_version;
};

struct Country {
  std::string_view code;    // ISO 3166-1 alpha-2
  std::string_view region;  // AMER, EMEA, APAC
  double weight;            // share of events
};

struct EventType {
  std::string_view name;
  double weight;
};

std::span<const Product> Products();
std::span<const Country> Countries();
std::span<const EventType> EventTypes();

// Index in Products() / Countries() / EventTypes(), or nullopt.
std::optional<uint32_t> FindProduct(std::string_view name);
std::optional<uint32_t> FindCountry(std::string_view code);
std::optional<uint32_t> FindEventType(std::string_view name);

}  // namespace pipeline
