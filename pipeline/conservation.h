#pragma once

// Conservation of records, asserted at the end of every run: every generated
// record is in exactly one place — clean | dirty | failed | in flight
// (where) | lost (why) — and `lost` must equal what the scenario expects.
// Committed files are also checked against the generator's ground truth
// (a manifest whose counts differ, or whose part files are missing, is a
// violation), so "clean" means "verified clean", not "claimed clean".

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/time.h"

namespace pipeline {

class Pipeline;

struct RecordTally {
  uint64_t files = 0;
  uint64_t records = 0;
  void Add(uint64_t n) {
    ++files;
    records += n;
  }
};

struct ConservationReport {
  uint64_t generated_files = 0;
  uint64_t generated_records = 0;
  uint64_t clean_records = 0;
  uint64_t dirty_records = 0;
  RecordTally committed;
  RecordTally failed;
  std::map<std::string, RecordTally> in_flight;  // where
  std::map<std::string, RecordTally> lost;       // why
  uint64_t expected_lost_records = 0;
  std::vector<std::string> violations;  // truth mismatches, missing parts

  uint64_t in_flight_records() const;
  uint64_t lost_records() const;
  // Every record accounted for once, no violation, lost as expected.
  bool ok() const;
  // The table printed at the end of a run.
  std::string Table() const;
};

ConservationReport CheckConservation(Pipeline& pipeline, uint64_t expected_lost_records);

}  // namespace pipeline
