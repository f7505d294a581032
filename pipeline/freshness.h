#pragma once

// Clean freshness, the pipeline's latency measure used everywhere: per raw
// file, from its PUT completing in S3 to its manifest being committed,
// weighted by the file's records (a record's freshness is its file's).

#include "sim/histogram.h"

namespace pipeline {

class Pipeline;

struct FreshnessReport {
  sim::Histogram millis;  // one entry per record, in milliseconds
  uint64_t files = 0;
};

FreshnessReport MeasureFreshness(Pipeline& pipeline);

}  // namespace pipeline
