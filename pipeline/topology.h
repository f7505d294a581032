#pragma once

// The case-study topology, deployed on the emulators:
//
//   producers --PUT--> S3 adp-datalake/raw/...
//     --ObjectCreated (prefix raw/)--> SNS raw-created --> SQS raw-events
//     --event source mapping--> Lambda clean-enrich --> clean/, dirty/, manifests/
//   raw-events --redrive (maxReceiveCount)--> SQS raw-events-dlq
//     --event source mapping--> Lambda file-copy --> failed/
//
// Pipeline owns the emulators and the stages; the scenario runner owns the
// scheduler and the Env.

#include <memory>
#include <string>

#include "emulators/common/env.h"
#include "emulators/common/retry_policy.h"
#include "emulators/lambda/lambda_api.h"
#include "emulators/s3/s3_api.h"
#include "emulators/sns/sns_api.h"
#include "emulators/sqs/sqs_api.h"
#include "pipeline/delivery_tap.h"
#include "pipeline/generator/file_registry.h"
#include "pipeline/generator/producer.h"
#include "pipeline/layout.h"
#include "pipeline/stages/clean_enrich.h"
#include "pipeline/stages/file_copy.h"

namespace pipeline {

struct PipelineConfig {
  Layout layout;
  ProducerConfig producer;
  emu::RetryConfig retry;

  std::string topic = "raw-created";
  std::string queue = "raw-events";
  std::string dlq = "raw-events-dlq";
  std::string clean_function = "clean-enrich";
  std::string copy_function = "file-copy";

  // clean/enrich Lambda and its mapping
  int memory_mb = 1769;
  sim::Duration timeout = sim::Seconds(60);
  int pollers = 5;
  int batch_size = 10;
  emu::lambda::ComputeProfile compute;
  // file-copy Lambda
  int copy_pollers = 1;

  // raw-events queue and its DLQ
  sim::Duration visibility_timeout = sim::Seconds(360);
  int max_receive_count = 3;
  sim::Duration retention = sim::Days(4);
  sim::Duration dlq_retention = sim::Days(14);

  emu::LatencySpec notification_delay = emu::LatencySpec::LogNormal(1.0, 0.8);
};

class Pipeline {
 public:
  Pipeline(emu::Env& env, PipelineConfig config);
  ~Pipeline();

  // Creates the bucket, topic, queues, functions and mappings.
  sim::Task<sim::Status> Deploy();
  // Starts the producers (a process that ends with the load).
  void StartLoad();

  emu::s3::S3Api& s3() { return *s3_; }
  emu::sns::SnsApi& sns() { return *sns_; }
  emu::sqs::SqsApi& sqs() { return *sqs_; }
  emu::lambda::LambdaApi& lambda() { return *lambda_; }
  const PipelineConfig& config() const { return config_; }
  FileRegistry& registry() { return registry_; }
  const FileRegistry& registry() const { return registry_; }
  CleanEnrichStage& clean_stage() { return *clean_; }
  FileCopyStage& copy_stage() { return *copy_; }
  const Producer& producer() const { return *producer_; }
  emu::Env& env() { return env_; }
  // Deliveries into the raw-events queue (valid after Deploy).
  const DeliveryTap& tap() const { return *tap_; }
  // Raw key -> why its notification was lost in SQS ("retention expiry in
  // raw-events", "queue raw-events deleted").
  const std::map<std::string, std::string>& expired() const { return expired_; }
  // Every file landed and is committed or in failed/ (nothing left to do).
  bool Drained() const;

 private:
  emu::Env& env_;
  PipelineConfig config_;
  std::unique_ptr<emu::s3::S3Api> s3_;
  std::unique_ptr<emu::sqs::SqsApi> sqs_;
  std::unique_ptr<emu::sns::SnsApi> sns_;
  std::unique_ptr<emu::lambda::LambdaApi> lambda_;
  FileRegistry registry_;
  std::unique_ptr<CleanEnrichStage> clean_;
  std::unique_ptr<FileCopyStage> copy_;
  std::unique_ptr<Producer> producer_;
  std::unique_ptr<DeliveryTap> tap_;
  std::map<std::string, std::string> expired_;
};

}  // namespace pipeline
