#include "scenarios/scenario_config.h"

namespace scenarios {

// The defaults in ScenarioConfig are the default scenario: three hours of
// steady load with a 10x spike at 1 h for 20 min, 2% dirty records, three
// poison files. scenarios/default.toml spells the same values out (a test
// keeps the two equal).
ScenarioConfig DefaultScenario() {
  ScenarioConfig c;
  c.description = "Three hours of steady product-usage logs with a 10x ingestion spike, dirty records and poison files";
  return c;
}

}  // namespace scenarios
