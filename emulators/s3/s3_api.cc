#include "emulators/s3/s3_api.h"

#include <cstdio>
#include <set>
#include <tuple>

#include "emulators/s3/s3_errors.h"
#include "emulators/s3/s3_model.h"
#include "emulators/s3/s3_notification.h"

namespace emu::s3 {

namespace {
// Fingerprint tag of S3 notification events.
constexpr uint16_t kNotificationEventKind = 0x5301;
}  // namespace

S3Api::S3Api(Env& env)
    : env_(env),
      behaviour_(env, "s3"),
      model_(std::make_unique<S3Model>(env.cost(), env.epoch_unix_nanos())),
      notification_rng_(env.Stream("s3.notifications")),
      request_id_rng_(env.Stream("s3.request_ids")),
      duplicate_rng_(env.Stream("s3.notification_duplicates")) {
  RegisterAwsErrors({&errors::kNoSuchBucket, &errors::kNoSuchKey, &errors::kBucketAlreadyOwnedByYou,
                     &errors::kBucketAlreadyExists, &errors::kInvalidBucketName, &errors::kEntityTooLarge,
                     &errors::kKeyTooLongError, &errors::kMetadataTooLarge, &errors::kInvalidArgument,
                     &errors::kInvalidRequest, &errors::kSlowDown, &errors::kInvalidRange, &errors::kBucketNotEmpty,
                     &errors::kMalformedXML, &errors::kNoSuchUpload, &errors::kInvalidPart, &errors::kInvalidPartOrder,
                     &errors::kEntityTooSmall});
  model_->SetUploadIdRng(env.Stream("s3.upload_ids"));
  model_->SetOwner(OwnerOfAccount(env.account().account_id()));
  // S3 pricing: PUT, COPY, POST and LIST are one class, GET and HEAD
  // another; DELETE is free.
  behaviour_.Declare("CreateBucket", "put_request");
  behaviour_.Declare("PutObject", "put_request");
  behaviour_.Declare("CopyObject", "put_request");
  behaviour_.Declare("ListObjectsV2", "put_request");
  behaviour_.Declare("PutBucketNotificationConfiguration", "put_request");
  behaviour_.Declare("GetObject", "get_request");
  behaviour_.Declare("HeadObject", "get_request");
  behaviour_.Declare("DeleteObject", "delete_request");
  behaviour_.Declare("HeadBucket", "get_request");
  behaviour_.Declare("ListBuckets", "put_request");
  behaviour_.Declare("DeleteBucket", "delete_request");
  behaviour_.Declare("DeleteObjects", "delete_request");
  behaviour_.Declare("ListObjects", "put_request");
  behaviour_.Declare("CreateMultipartUpload", "put_request");
  behaviour_.Declare("UploadPart", "put_request");
  behaviour_.Declare("UploadPartCopy", "put_request");
  behaviour_.Declare("CompleteMultipartUpload", "put_request");
  behaviour_.Declare("AbortMultipartUpload", "delete_request");
  behaviour_.Declare("ListParts", "put_request");
  behaviour_.Declare("ListMultipartUploads", "put_request");
}

// Pending notification callbacks capture `this`: the scheduler must not run
// events after the S3Api is gone (owners destroy both together).
S3Api::~S3Api() = default;

sim::Task<sim::Status> S3Api::CreateBucket(CreateBucketRequest request) {
  sim::Status result = co_await RunOperationStatus(behaviour_.Get("CreateBucket"), [this, &request] {
    sim::Status s = model_->CreateBucket(request, env_.Now());
    if (s.ok()) {
      BucketState& state = buckets_[request.bucket];
      auto split = settings.split_points.find(request.bucket);
      state.partitions = std::make_unique<BucketPartitions>(
          request.bucket, settings.rate,
          split == settings.split_points.end() ? std::vector<std::string>() : split->second, env_.metrics(),
          env_.Stream("s3.partitions." + request.bucket), env_.Now());
      static constexpr const char* kClasses[3] = {"put_request", "get_request", "delete_request"};
      for (int i = 0; i < 3; ++i) {
        state.requests[i] = &env_.metrics().GetCounter("s3.bucket." + request.bucket + ".requests." + kClasses[i]);
      }
      state.bytes = &env_.metrics().GetGauge("s3.bucket." + request.bucket + ".bytes");
      state.objects = &env_.metrics().GetGauge("s3.bucket." + request.bucket + ".objects");
      if (auto tracked = settings.tracked_prefixes.find(request.bucket); tracked != settings.tracked_prefixes.end()) {
        model_->SetTrackedPrefixes(request.bucket, tracked->second).IgnoreError();  // the bucket exists
      }
      RecordUsage(request.bucket);
      if (!storage_sampling_ && settings.storage_sample_interval > sim::Duration::Zero()) {
        storage_sampling_ = true;
        env_.sched().SchedulePeriodic(env_.Now(), settings.storage_sample_interval, [this] { SampleStorage(); });
      }
    }
    return s;
  });
  co_return result;
}

sim::Task<sim::Status> S3Api::HeadBucket(HeadBucketRequest request) {
  CountRequest(request.bucket, PriceClass::kGet);
  sim::Status result = co_await RunOperationStatus(behaviour_.Get("HeadBucket"),
                                                   [this, &request] { return model_->HeadBucket(request); });
  co_return result;
}

sim::Task<sim::Status> S3Api::DeleteBucket(DeleteBucketRequest request) {
  CountRequest(request.bucket, PriceClass::kDelete);
  sim::Status result = co_await RunOperationStatus(behaviour_.Get("DeleteBucket"), [this, &request] {
    sim::Status s = model_->DeleteBucket(request, env_.Now());
    if (s.ok()) {
      RecordUsage(request.bucket);
      RecordPartUsage(request.bucket);
      buckets_.erase(request.bucket);
    }
    return s;
  });
  co_return result;
}

sim::Task<sim::StatusOr<ListBucketsResponse>> S3Api::ListBuckets() {
  sim::StatusOr<ListBucketsResponse> result = co_await RunOperation<ListBucketsResponse>(
      behaviour_.Get("ListBuckets"), [this] { return sim::StatusOr<ListBucketsResponse>(model_->ListBuckets()); });
  co_return result;
}

sim::Task<sim::StatusOr<PutObjectResponse>> S3Api::PutObject(PutObjectRequest request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::StatusOr<PutObjectResponse> result = co_await RunOperation<PutObjectResponse>(
      behaviour_.Get("PutObject"), [this, &request]() -> sim::StatusOr<PutObjectResponse> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kWrite));
        sim::StatusOr<PutObjectResponse> r = model_->PutObject(request, env_.Now());
        if (r.ok()) {
          RecordUsage(request.bucket);
          Notify(request.bucket, request.key, "ObjectCreated:Put");
        }
        return r;
      });
  co_return result;
}

sim::Task<sim::StatusOr<GetObjectResponse>> S3Api::GetObject(GetObjectRequest request) {
  CountRequest(request.bucket, PriceClass::kGet);
  sim::StatusOr<GetObjectResponse> result = co_await RunOperation<GetObjectResponse>(
      behaviour_.Get("GetObject"), [this, &request]() -> sim::StatusOr<GetObjectResponse> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kRead));
        return model_->GetObject(request);
      });
  co_return result;
}

sim::Task<sim::StatusOr<ObjectInfo>> S3Api::HeadObject(HeadObjectRequest request) {
  CountRequest(request.bucket, PriceClass::kGet);
  sim::StatusOr<ObjectInfo> result =
      co_await RunOperation<ObjectInfo>(behaviour_.Get("HeadObject"), [this, &request]() -> sim::StatusOr<ObjectInfo> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kRead));
        return model_->HeadObject(request);
      });
  co_return result;
}

sim::Task<sim::Status> S3Api::DeleteObject(DeleteObjectRequest request) {
  CountRequest(request.bucket, PriceClass::kDelete);
  sim::Status result = co_await RunOperationStatus(behaviour_.Get("DeleteObject"), [this, &request] {
    SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kWrite));
    const bool existed = model_->FindObject(request.bucket, request.key) != nullptr;
    sim::Status s = model_->DeleteObject(request, env_.Now());
    if (s.ok() && existed) {
      RecordUsage(request.bucket);
      Notify(request.bucket, request.key, "ObjectRemoved:Delete");
    }
    return s;
  });
  co_return result;
}

sim::Task<sim::StatusOr<CopyObjectResponse>> S3Api::CopyObject(CopyObjectRequest request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::StatusOr<CopyObjectResponse> result = co_await RunOperation<CopyObjectResponse>(
      behaviour_.Get("CopyObject"), [this, &request]() -> sim::StatusOr<CopyObjectResponse> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kWrite));
        sim::StatusOr<CopyObjectResponse> r = model_->CopyObject(request, env_.Now());
        if (r.ok()) {
          RecordUsage(request.bucket);
          Notify(request.bucket, request.key, "ObjectCreated:Copy");
        }
        return r;
      });
  co_return result;
}

sim::Task<sim::StatusOr<DeleteObjectsResponse>> S3Api::DeleteObjects(DeleteObjectsRequest request) {
  CountRequest(request.bucket, PriceClass::kDelete);
  sim::StatusOr<DeleteObjectsResponse> result = co_await RunOperation<DeleteObjectsResponse>(
      behaviour_.Get("DeleteObjects"), [this, &request]() -> sim::StatusOr<DeleteObjectsResponse> {
        // One request, admitted once on its first key.
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.keys.empty() ? std::string_view() : request.keys.front(),
                                  RequestClass::kWrite));
        std::vector<RemovedKey> removed;
        sim::StatusOr<DeleteObjectsResponse> r = model_->DeleteObjects(request, env_.Now(), &removed);
        if (r.ok() && !removed.empty()) {
          RecordUsage(request.bucket);
          for (const RemovedKey& k : removed) Notify(request.bucket, k.key, "ObjectRemoved:Delete", k.sequencer);
        }
        return r;
      });
  co_return result;
}

sim::Task<sim::StatusOr<ListObjectsResponse>> S3Api::ListObjects(ListObjectsRequest request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::StatusOr<ListObjectsResponse> result = co_await RunOperation<ListObjectsResponse>(
      behaviour_.Get("ListObjects"), [this, &request]() -> sim::StatusOr<ListObjectsResponse> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.prefix, RequestClass::kRead));
        return model_->ListObjects(request);
      });
  co_return result;
}

sim::Task<sim::StatusOr<CreateMultipartUploadResponse>> S3Api::CreateMultipartUpload(
    CreateMultipartUploadRequest request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::StatusOr<CreateMultipartUploadResponse> result = co_await RunOperation<CreateMultipartUploadResponse>(
      behaviour_.Get("CreateMultipartUpload"), [this, &request]() -> sim::StatusOr<CreateMultipartUploadResponse> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kWrite));
        return model_->CreateMultipartUpload(request, env_.Now());
      });
  co_return result;
}

sim::Task<sim::StatusOr<UploadPartResponse>> S3Api::UploadPart(UploadPartRequest request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::StatusOr<UploadPartResponse> result = co_await RunOperation<UploadPartResponse>(
      behaviour_.Get("UploadPart"), [this, &request]() -> sim::StatusOr<UploadPartResponse> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kWrite));
        sim::StatusOr<UploadPartResponse> r = model_->UploadPart(request, env_.Now());
        if (r.ok()) RecordPartUsage(request.bucket);
        return r;
      });
  co_return result;
}

sim::Task<sim::StatusOr<UploadPartCopyResponse>> S3Api::UploadPartCopy(UploadPartCopyRequest request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::StatusOr<UploadPartCopyResponse> result = co_await RunOperation<UploadPartCopyResponse>(
      behaviour_.Get("UploadPartCopy"), [this, &request]() -> sim::StatusOr<UploadPartCopyResponse> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kWrite));
        sim::StatusOr<UploadPartCopyResponse> r = model_->UploadPartCopy(request, env_.Now());
        if (r.ok()) RecordPartUsage(request.bucket);
        return r;
      });
  co_return result;
}

sim::Task<sim::StatusOr<CompleteMultipartUploadResponse>> S3Api::CompleteMultipartUpload(
    CompleteMultipartUploadRequest request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::StatusOr<CompleteMultipartUploadResponse> result = co_await RunOperation<CompleteMultipartUploadResponse>(
      behaviour_.Get("CompleteMultipartUpload"), [this, &request]() -> sim::StatusOr<CompleteMultipartUploadResponse> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kWrite));
        sim::StatusOr<CompleteMultipartUploadResponse> r = model_->CompleteMultipartUpload(request, env_.Now());
        if (r.ok()) {
          RecordUsage(request.bucket);
          RecordPartUsage(request.bucket);
          Notify(request.bucket, request.key, "ObjectCreated:CompleteMultipartUpload");
        }
        return r;
      });
  co_return result;
}

sim::Task<sim::Status> S3Api::AbortMultipartUpload(AbortMultipartUploadRequest request) {
  CountRequest(request.bucket, PriceClass::kDelete);
  sim::Status result = co_await RunOperationStatus(behaviour_.Get("AbortMultipartUpload"), [this, &request] {
    SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kWrite));
    sim::Status s = model_->AbortMultipartUpload(request, env_.Now());
    if (s.ok()) RecordPartUsage(request.bucket);
    return s;
  });
  co_return result;
}

sim::Task<sim::StatusOr<ListPartsResponse>> S3Api::ListParts(ListPartsRequest request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::StatusOr<ListPartsResponse> result = co_await RunOperation<ListPartsResponse>(
      behaviour_.Get("ListParts"), [this, &request]() -> sim::StatusOr<ListPartsResponse> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.key, RequestClass::kRead));
        return model_->ListParts(request);
      });
  co_return result;
}

sim::Task<sim::StatusOr<ListMultipartUploadsResponse>> S3Api::ListMultipartUploads(
    ListMultipartUploadsRequest request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::StatusOr<ListMultipartUploadsResponse> result = co_await RunOperation<ListMultipartUploadsResponse>(
      behaviour_.Get("ListMultipartUploads"), [this, &request]() -> sim::StatusOr<ListMultipartUploadsResponse> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.prefix, RequestClass::kRead));
        return model_->ListMultipartUploads(request);
      });
  co_return result;
}

sim::Task<sim::StatusOr<ListObjectsV2Response>> S3Api::ListObjectsV2(ListObjectsV2Request request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::StatusOr<ListObjectsV2Response> result = co_await RunOperation<ListObjectsV2Response>(
      behaviour_.Get("ListObjectsV2"), [this, &request]() -> sim::StatusOr<ListObjectsV2Response> {
        SIM_RETURN_IF_ERROR(Admit(request.bucket, request.prefix, RequestClass::kRead));
        return model_->ListObjectsV2(request);
      });
  co_return result;
}

sim::Task<sim::Status> S3Api::PutBucketNotificationConfiguration(PutBucketNotificationConfigurationRequest request) {
  CountRequest(request.bucket, PriceClass::kPut);
  sim::Status result =
      co_await RunOperationStatus(behaviour_.Get("PutBucketNotificationConfiguration"), [this, &request] {
        // S3 checks each destination when the configuration is put (it
        // sends the test message): the ARN must resolve to a target. The
        // model checks the rest (events, services, FIFO, overlaps).
        if (model_->BucketExists(request.bucket)) {
          for (const NotificationRule& r : request.rules) {
            if (env_.account().ResolveTarget(r.target_arn) == nullptr) {
              return AwsError(errors::kInvalidArgument,
                              "Unable to validate the following destination configurations: " + r.target_arn);
            }
          }
        }
        SIM_RETURN_IF_ERROR(model_->PutBucketNotificationConfiguration(request));
        if (settings.send_test_events) SendTestEvents(request);
        return sim::OkStatus();
      });
  co_return result;
}

void S3Api::FlushStorage() { model_->FlushStorage(env_.Now()); }

void S3Api::RecordUsage(const std::string& bucket) {
  const BucketUsage u = model_->Usage(bucket);
  auto it = buckets_.find(bucket);
  if (it != buckets_.end() && it->second.bytes != nullptr) {
    it->second.bytes->Set(static_cast<double>(u.bytes));
    it->second.objects->Set(static_cast<double>(u.objects));
    return;
  }
  env_.metrics().GetGauge("s3.bucket." + bucket + ".bytes").Set(static_cast<double>(u.bytes));
  env_.metrics().GetGauge("s3.bucket." + bucket + ".objects").Set(static_cast<double>(u.objects));
}

void S3Api::RecordPartUsage(const std::string& bucket) {
  env_.metrics()
      .GetGauge("s3.bucket." + bucket + ".part_bytes")
      .Set(static_cast<double>(model_->Usage(bucket).part_bytes));
}

std::pair<std::string, std::string> S3Api::NewRequestIds() {
  char request_id[17];
  std::snprintf(request_id, sizeof request_id, "%016llX", static_cast<unsigned long long>(request_id_rng_.NextU64()));
  std::string host_id_bytes;
  for (int i = 0; i < 7; ++i) {
    const uint64_t v = request_id_rng_.NextU64();
    for (int b = 0; b < 8; ++b) host_id_bytes += static_cast<char>((v >> (8 * b)) & 0xff);
  }
  return {request_id, Base64Encode(host_id_bytes)};
}

void S3Api::Notify(const std::string& bucket, const std::string& key, const std::string& event_name,
                   uint64_t removed_sequencer) {
  const std::vector<const NotificationRule*> rules = model_->MatchingRules(bucket, event_name, key);
  if (rules.empty()) return;
  const sim::Time now = env_.Now();
  const StoredObject* object = model_->FindObject(bucket, key);  // null after a delete

  S3EventRecord record;
  record.event_name = event_name;
  record.event_time_unix_nanos = env_.UnixNanos(now);
  record.region = env_.account().region();
  record.account_id = env_.account().account_id();
  // One request id per request, shared by the events it causes.
  std::tie(record.request_id, record.host_id) = NewRequestIds();
  record.bucket = bucket;
  record.key = key;
  if (object != nullptr) {
    record.size = object->size();
    record.etag_hex = object->etag.substr(1, object->etag.size() - 2);
    record.sequencer = FormatSequencer(object->sequencer);
  } else {
    record.sequencer = FormatSequencer(removed_sequencer != 0 ? removed_sequencer : model_->last_sequencer());
  }

  const double duplicate_p = settings.notification_duplicate_probability;
  for (const NotificationRule* rule : rules) {
    record.configuration_id = rule->id;
    const sim::Duration delay = notification_delay.Sample(notification_rng_);
    NotificationDelivery n;
    n.event_time = now;
    n.delivery_time = now + delay;
    n.bucket = bucket;
    n.key = key;
    n.event_name = event_name;
    n.configuration_id = rule->id;
    n.target_arn = rule->target_arn;
    n.body = BuildS3EventJson(record);
    // At least once: a duplicate is the same message again after its own
    // delay (drawn from its own stream, so p = 0 leaves the others as they
    // were). Independent delays also reorder events.
    if (duplicate_p > 0 && duplicate_rng_.NextDouble() < duplicate_p) {
      NotificationDelivery again = n;
      const sim::Duration again_delay = notification_delay.Sample(duplicate_rng_);
      again.delivery_time = now + again_delay;
      again.duplicate = true;
      env_.metrics().GetCounter("s3.notifications.duplicates").Add();
      Schedule(std::move(n), delay);
      Schedule(std::move(again), again_delay);
    } else {
      Schedule(std::move(n), delay);
    }
  }
}

void S3Api::Schedule(NotificationDelivery n, sim::Duration delay) {
  const uint64_t id = next_pending_id_++;
  pending_.emplace(id, std::move(n));
  env_.metrics().GetCounter("s3.notifications.scheduled").Add();
  env_.sched().ScheduleAfter(
      delay, [this, id] { DeliverNotification(id); }, sim::EventOptions{.kind = kNotificationEventKind});
}

void S3Api::SendTestEvents(const PutBucketNotificationConfigurationRequest& request) {
  const auto [request_id, host_id] = NewRequestIds();
  const sim::Time now = env_.Now();
  std::set<std::string> sent;  // one test message per destination
  for (const NotificationRule& rule : request.rules) {
    if (!sent.insert(rule.target_arn).second) continue;
    NotificationDelivery n;
    n.event_time = now;
    n.delivery_time = now;
    n.bucket = request.bucket;
    n.event_name = "s3:TestEvent";
    n.target_arn = rule.target_arn;
    n.body = BuildS3TestEventJson(env_.UnixNanos(now), request.bucket, request_id, host_id);
    const uint64_t id = next_pending_id_++;
    pending_.emplace(id, std::move(n));
    env_.sched().ScheduleAfter(
        sim::Duration::Zero(), [this, id] { DeliverNotification(id); },
        sim::EventOptions{.kind = kNotificationEventKind});
  }
}

void S3Api::DeliverNotification(uint64_t id) {
  auto it = pending_.find(id);
  SIM_CHECK(it != pending_.end());
  NotificationDelivery n = std::move(it->second);
  pending_.erase(it);
  DeliveryTarget* target = env_.account().ResolveTarget(n.target_arn);
  if (target == nullptr) {
    n.status = sim::NotFoundError("no delivery target registered for " + n.target_arn);
  } else {
    n.status = target->Deliver(Delivery{n.body, env_.account().BucketArn(n.bucket), {}});
  }
  if (n.event_name == "s3:TestEvent") {
    env_.metrics().GetCounter("s3.notifications.test_events").Add();
  } else {
    env_.metrics().GetHistogram("s3.notifications.delay_ns").Record((n.delivery_time - n.event_time).nanos());
    env_.metrics().GetCounter(n.status.ok() ? "s3.notifications.delivered" : "s3.notifications.failed").Add();
  }
  if (on_notification) on_notification(n);
}

sim::Status S3Api::Admit(const std::string& bucket, std::string_view key, RequestClass cls) {
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return sim::OkStatus();  // the model answers NoSuchBucket
  return it->second.partitions->Admit(key, cls, env_.Now());
}

void S3Api::CountRequest(const std::string& bucket, PriceClass price_class) {
  auto it = buckets_.find(bucket);
  if (it != buckets_.end()) it->second.requests[static_cast<int>(price_class)]->Add();
}

BucketPartitions* S3Api::partitions(const std::string& bucket) {
  auto it = buckets_.find(bucket);
  return it == buckets_.end() ? nullptr : it->second.partitions.get();
}

void S3Api::SampleStorage() {
  const sim::Time now = env_.Now();
  sim::MetricsRegistry& m = env_.metrics();
  for (const auto& [name, state] : buckets_) {
    const BucketUsage u = model_->Usage(name);
    m.GetTimeSeries("s3.storage." + name + ".bytes").Append(now, static_cast<double>(u.bytes + u.part_bytes));
    m.GetTimeSeries("s3.storage." + name + ".objects").Append(now, static_cast<double>(u.objects));
    for (const auto& [prefix, p] : model_->PrefixUsages(name)) {
      m.GetTimeSeries("s3.storage." + name + ".prefix." + prefix + ".bytes").Append(now, static_cast<double>(p.bytes));
      m.GetTimeSeries("s3.storage." + name + ".prefix." + prefix + ".objects")
          .Append(now, static_cast<double>(p.objects));
    }
  }
}

}  // namespace emu::s3
