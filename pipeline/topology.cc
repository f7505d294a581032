#include "pipeline/topology.h"

#include "emulators/s3/s3_model.h"
#include "emulators/sqs/sqs_model.h"

namespace pipeline {

Pipeline::Pipeline(emu::Env& env, PipelineConfig config) : env_(env), config_(std::move(config)) {
  s3_ = std::make_unique<emu::s3::S3Api>(env);
  sqs_ = std::make_unique<emu::sqs::SqsApi>(env);
  sns_ = std::make_unique<emu::sns::SnsApi>(env);
  lambda_ = std::make_unique<emu::lambda::LambdaApi>(env, sqs_.get());
  s3_->notification_delay = config_.notification_delay;
  clean_ = std::make_unique<CleanEnrichStage>(env, *s3_, config_.layout, config_.retry);
  copy_ = std::make_unique<FileCopyStage>(env, *s3_, config_.layout, config_.retry);
  producer_ = std::make_unique<Producer>(env, *s3_, config_.layout, config_.producer, config_.retry, registry_);
  sqs_->model().AddExpiryObserver(
      [this](const std::string& queue, const emu::sqs::StoredMessage& message, sim::Time) {
        sim::StatusOr<std::vector<S3ObjectEvent>> events = ParseS3Notification(message.body);
        if (!events.ok()) return;
        for (const S3ObjectEvent& e : *events) expired_.emplace(e.key, "retention expiry in " + queue);
      });
  // A queue deleted under the pipeline (a fault scenario) loses its messages.
  sqs_->model().AddQueueDeletedObserver(
      [this](const std::string& queue, const emu::sqs::StoredMessage& message, sim::Time) {
        sim::StatusOr<std::vector<S3ObjectEvent>> events = ParseS3Notification(message.body);
        if (!events.ok()) return;
        for (const S3ObjectEvent& e : *events) expired_.emplace(e.key, "queue " + queue + " deleted");
      });
}

Pipeline::~Pipeline() = default;

sim::Task<sim::Status> Pipeline::Deploy() {
  const PipelineConfig& c = config_;
  emu::Account& account = env_.account();

  emu::s3::CreateBucketRequest create_bucket{c.layout.bucket};
  sim::Status bucket = co_await s3_->CreateBucket(create_bucket);
  SIM_CO_RETURN_IF_ERROR(bucket);

  emu::sqs::CreateQueueRequest dlq;
  dlq.queue_name = c.dlq;
  dlq.attributes["MessageRetentionPeriod"] = std::to_string(c.dlq_retention.WholeSeconds());
  dlq.attributes["VisibilityTimeout"] = std::to_string(std::max<int64_t>(c.timeout.WholeSeconds() * 6, 30));
  sim::StatusOr<emu::sqs::CreateQueueResponse> dlq_created = co_await sqs_->CreateQueue(dlq);
  SIM_CO_RETURN_IF_ERROR(dlq_created.status());

  emu::sqs::CreateQueueRequest queue;
  queue.queue_name = c.queue;
  queue.attributes["VisibilityTimeout"] = std::to_string(c.visibility_timeout.WholeSeconds());
  queue.attributes["MessageRetentionPeriod"] = std::to_string(c.retention.WholeSeconds());
  queue.attributes["RedrivePolicy"] = "{\"deadLetterTargetArn\":\"" + account.Arn("sqs", c.dlq) +
                                      "\",\"maxReceiveCount\":" + std::to_string(c.max_receive_count) + "}";
  sim::StatusOr<emu::sqs::CreateQueueResponse> queue_created = co_await sqs_->CreateQueue(queue);
  SIM_CO_RETURN_IF_ERROR(queue_created.status());

  tap_ = std::make_unique<DeliveryTap>(account, account.Arn("sqs", c.queue), env_.sched());

  emu::sns::CreateTopicRequest create_topic{c.topic};
  sim::StatusOr<emu::sns::CreateTopicResponse> topic = co_await sns_->CreateTopic(create_topic);
  SIM_CO_RETURN_IF_ERROR(topic.status());
  emu::sns::SubscribeRequest sub;
  sub.topic_arn = topic->topic_arn;
  sub.protocol = "sqs";
  sub.endpoint = account.Arn("sqs", c.queue);
  sim::StatusOr<emu::sns::SubscribeResponse> subscribed = co_await sns_->Subscribe(sub);
  SIM_CO_RETURN_IF_ERROR(subscribed.status());

  emu::s3::PutBucketNotificationConfigurationRequest notify;
  notify.bucket = c.layout.bucket;
  emu::s3::NotificationRule rule;
  rule.id = "raw-created";
  rule.target_arn = topic->topic_arn;
  rule.prefix = c.layout.raw_prefix;
  notify.rules.push_back(rule);
  sim::Status notifying = co_await s3_->PutBucketNotificationConfiguration(notify);
  SIM_CO_RETURN_IF_ERROR(notifying);

  emu::lambda::FunctionConfig clean;
  clean.function_name = c.clean_function;
  clean.memory_mb = c.memory_mb;
  clean.timeout = c.timeout;
  clean.compute = c.compute;
  emu::lambda::Handler clean_handler = clean_->AsHandler();
  sim::Status clean_created = co_await lambda_->CreateFunction(clean, clean_handler);
  SIM_CO_RETURN_IF_ERROR(clean_created);

  emu::lambda::FunctionConfig copy;
  copy.function_name = c.copy_function;
  copy.memory_mb = 512;
  copy.timeout = sim::Seconds(30);
  emu::lambda::Handler copy_handler = copy_->AsHandler();
  sim::Status copy_created = co_await lambda_->CreateFunction(copy, copy_handler);
  SIM_CO_RETURN_IF_ERROR(copy_created);

  emu::lambda::EventSourceMappingConfig clean_esm;
  clean_esm.event_source_arn = account.Arn("sqs", c.queue);
  clean_esm.function_name = c.clean_function;
  clean_esm.batch_size = c.batch_size;
  clean_esm.pollers = c.pollers;
  clean_esm.report_batch_item_failures = true;
  sim::StatusOr<std::string> clean_mapping = co_await lambda_->CreateEventSourceMapping(clean_esm);
  SIM_CO_RETURN_IF_ERROR(clean_mapping.status());

  emu::lambda::EventSourceMappingConfig copy_esm;
  copy_esm.event_source_arn = account.Arn("sqs", c.dlq);
  copy_esm.function_name = c.copy_function;
  copy_esm.batch_size = 10;
  copy_esm.pollers = c.copy_pollers;
  copy_esm.report_batch_item_failures = true;
  sim::StatusOr<std::string> copy_mapping = co_await lambda_->CreateEventSourceMapping(copy_esm);
  SIM_CO_RETURN_IF_ERROR(copy_mapping.status());
  co_return sim::OkStatus();
}

bool Pipeline::Drained() const {
  const emu::s3::S3Model& s3 = s3_->model();
  const Layout& layout = config_.layout;
  for (const FileEntry& f : registry_.files()) {
    if (f.put_failed) continue;
    if (f.landed == sim::Time::Max()) return false;
    if (expired_.count(f.key)) continue;
    if (!s3.FindObject(layout.bucket, layout.ManifestKey(f.key, f.etag)) && !s3.FindObject(layout.bucket, layout.FailedKey(f.key)))
      return false;
  }
  return true;
}

void Pipeline::StartLoad() { env_.sched().Spawn(producer_->Run(), "producer"); }

}  // namespace pipeline
