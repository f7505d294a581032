#pragma once

// Loads a TOML scenario file into a ScenarioConfig. Unknown tables or keys,
// wrong types and out-of-range values are rejected with
// "file:line:col: field: what is wrong" (ScenarioError); nothing is run.

#include <stdexcept>
#include <string>
#include <string_view>

#include "scenarios/scenario_config.h"

namespace scenarios {

class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

ScenarioConfig LoadScenarioFile(const std::string& path);
// `source_name` is what error messages call the file.
ScenarioConfig LoadScenarioText(std::string_view toml, const std::string& source_name);

// "3h", "20m", "45s", "250ms", "1h30m", "2d"; false if malformed.
bool ParseDuration(std::string_view text, sim::Duration* out);
std::string FormatDuration(sim::Duration d);

}  // namespace scenarios
