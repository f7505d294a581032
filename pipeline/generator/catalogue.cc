#include "pipeline/generator/catalogue.h"

#include <array>

namespace pipeline {

namespace {

constexpr std::array kProducts = {
    Product{"AutoCAD", "AEC", "subscription", "2026.1"},
    Product{"AutoCAD LT", "AEC", "subscription", "2026.1"},
    Product{"Revit", "AEC", "named-user", "2026.2"},
    Product{"Civil 3D", "AEC", "named-user", "2026.0"},
    Product{"Navisworks Manage", "AEC", "subscription", "2026.0"},
    Product{"ReCap Pro", "AEC", "flex", "2026.0"},
    Product{"InfraWorks", "AEC", "subscription", "2026.0"},
    Product{"BIM Collaborate", "AEC", "named-user", "2026.3"},
    Product{"Inventor", "D&M", "named-user", "2026.1"},
    Product{"Fusion", "D&M", "subscription", "2.0.21"},
    Product{"Vault Professional", "D&M", "named-user", "2026.0"},
    Product{"Factory Design Utilities", "D&M", "flex", "2026.0"},
    Product{"Moldflow", "D&M", "flex", "2026.0"},
    Product{"Maya", "M&E", "subscription", "2026.2"},
    Product{"3ds Max", "M&E", "subscription", "2026.1"},
    Product{"MotionBuilder", "M&E", "flex", "2026.0"},
    Product{"Arnold", "M&E", "flex", "7.3.4"},
    Product{"ShotGrid", "M&E", "named-user", "8.20"},
    Product{"Autodesk Docs", "Platform", "named-user", "2026.4"},
    Product{"Fusion Student", "Education", "education", "2.0.21"},
};

constexpr std::array kCountries = {
    Country{"US", "AMER", 0.30}, Country{"CA", "AMER", 0.04}, Country{"BR", "AMER", 0.03},
    Country{"MX", "AMER", 0.02}, Country{"GB", "EMEA", 0.08}, Country{"DE", "EMEA", 0.09},
    Country{"FR", "EMEA", 0.06}, Country{"IT", "EMEA", 0.04}, Country{"ES", "EMEA", 0.03},
    Country{"PL", "EMEA", 0.02}, Country{"IN", "APAC", 0.07}, Country{"JP", "APAC", 0.07},
    Country{"KR", "APAC", 0.05}, Country{"CN", "APAC", 0.06}, Country{"AU", "APAC", 0.04},
};

constexpr std::array kEventTypes = {
    EventType{"launch", 0.10}, EventType{"command", 0.55}, EventType{"save", 0.12}, EventType{"export", 0.06},
    EventType{"render", 0.05}, EventType{"close", 0.10},  EventType{"crash", 0.02},
};

template <class Array>
std::optional<uint32_t> FindByName(const Array& a, std::string_view name, std::string_view(key)(const typename Array::value_type&)) {
  for (uint32_t i = 0; i < a.size(); ++i)
    if (key(a[i]) == name) return i;
  return std::nullopt;
}

}  // namespace

std::span<const Product> Products() { return kProducts; }
std::span<const Country> Countries() { return kCountries; }
std::span<const EventType> EventTypes() { return kEventTypes; }

std::optional<uint32_t> FindProduct(std::string_view name) {
  return FindByName(kProducts, name, [](const Product& p) { return p.name; });
}
std::optional<uint32_t> FindCountry(std::string_view code) {
  return FindByName(kCountries, code, [](const Country& c) { return c.code; });
}
std::optional<uint32_t> FindEventType(std::string_view name) {
  return FindByName(kEventTypes, name, [](const EventType& e) { return e.name; });
}

}  // namespace pipeline
