#pragma once

// The log producers: files arrive as a Poisson process whose rate follows
// the load profile (records/s divided by records per file); each file is
// PUT under raw/dt=YYYY-MM-DD/hr=HH/ by arrival time through the S3
// emulator, with the shared retry policy. Event times inside a file span the
// time it took to collect it. A configured number of poison files are
// spread evenly over the run.

#include <cstdint>
#include <string>

#include "emulators/common/retry_policy.h"
#include "emulators/s3/s3_api.h"
#include "pipeline/generator/file_registry.h"
#include "pipeline/generator/load_profile.h"
#include "pipeline/layout.h"

namespace pipeline {

struct ProducerConfig {
  LoadProfile load;
  uint32_t records_per_file = 2000;
  int producers = 4;  // collector hosts, used in file names
  double dirty_ratio = 0.02;
  int poison_files = 0;
};

class Producer {
 public:
  Producer(emu::Env& env, emu::s3::S3Api& s3, Layout layout, ProducerConfig config, emu::RetryConfig retry,
           FileRegistry& registry);

  // The arrival process; spawns one PUT per file. Ends with the load.
  sim::Task<void> Run();
  uint64_t files_started() const { return files_started_; }
  uint64_t puts_in_flight() const { return puts_in_flight_; }

 private:
  sim::Task<void> PutFile(std::size_t index, std::shared_ptr<const RawFileSource> source);

  emu::Env& env_;
  emu::s3::S3Api& s3_;
  Layout layout_;
  ProducerConfig config_;
  emu::RetryPolicy retry_;
  FileRegistry& registry_;
  sim::Rng arrivals_;
  uint64_t seed_base_;
  uint64_t files_started_ = 0;
  uint64_t puts_in_flight_ = 0;
};

}  // namespace pipeline
