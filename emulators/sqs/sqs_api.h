#pragma once

// SQS facade: request structs -> validate limits -> model -> response, each
// call taking its simulated latency through the behaviour layer. Operations
// keep their AWS names and parameter names. Queue attributes are given as
// AWS does, as strings ("VisibilityTimeout" -> "30", "RedrivePolicy" ->
// JSON). The model (sqs_model.h) holds the state and takes `now`; this
// class adds what needs the clock: long polling and its wake-ups.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulators/common/behaviour.h"
#include "emulators/common/env.h"
#include "emulators/sqs/sqs_model.h"
#include "sim/task.h"

namespace emu::sqs {

struct CreateQueueRequest {
  std::string queue_name;
  std::map<std::string, std::string> attributes;
  std::map<std::string, std::string> tags{};  // checked as TagQueue does, before anything is created
};
struct CreateQueueResponse {
  std::string queue_url;
};

struct GetQueueUrlRequest {
  std::string queue_name;
};
struct GetQueueUrlResponse {
  std::string queue_url;
};

struct PurgeQueueRequest {
  std::string queue_url;
};

struct SetQueueAttributesRequest {
  std::string queue_url;
  // The attributes to change (as CreateQueue takes them); the others keep
  // their values. RedrivePolicy / RedriveAllowPolicy "" removes the policy.
  std::map<std::string, std::string> attributes;
};

struct DeleteQueueRequest {
  std::string queue_url;
};

struct ListQueuesRequest {
  std::string queue_name_prefix{};
  std::optional<int> max_results{};  // 1..1000; unset: up to 1000, no paging
  std::string next_token{};          // from the previous page (needs max_results)
};
struct ListQueuesResponse {
  std::vector<std::string> queue_urls;  // name order
  std::string next_token{};             // empty on the last page
};

struct TagQueueRequest {
  std::string queue_url;
  std::map<std::string, std::string> tags;
};
struct UntagQueueRequest {
  std::string queue_url;
  std::vector<std::string> tag_keys;
};
struct ListQueueTagsRequest {
  std::string queue_url;
};
struct ListQueueTagsResponse {
  std::map<std::string, std::string> tags;
};

struct ListDeadLetterSourceQueuesRequest {
  std::string queue_url;
  std::optional<int> max_results{};  // 1..1000
  std::string next_token{};
};
struct ListDeadLetterSourceQueuesResponse {
  std::vector<std::string> queue_urls;
  std::string next_token{};
};

struct StartMessageMoveTaskRequest {
  std::string source_arn;
  std::string destination_arn{};                           // empty: each message's original source queue
  std::optional<int> max_number_of_messages_per_second{};  // 1..500; unset: kDefaultMoveTaskRate
};
struct StartMessageMoveTaskResponse {
  std::string task_handle;
};
struct CancelMessageMoveTaskRequest {
  std::string task_handle;
};
struct CancelMessageMoveTaskResponse {
  int64_t approximate_number_of_messages_moved = 0;
};
struct ListMessageMoveTasksRequest {
  std::string source_arn;
  int max_results = 1;  // 1..10
};
struct ListMessageMoveTasksResultEntry {
  std::string task_handle;  // only for a RUNNING task, as AWS
  std::string status;       // RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED
  std::string source_arn;
  std::string destination_arn;
  std::optional<int> max_number_of_messages_per_second;
  int64_t approximate_number_of_messages_moved = 0;
  int64_t approximate_number_of_messages_to_move = 0;
  std::string failure_reason;
  int64_t started_timestamp = 0;  // ms since the Unix epoch
};
struct ListMessageMoveTasksResponse {
  std::vector<ListMessageMoveTasksResultEntry> results;
};

struct SendMessageRequest {
  std::string queue_url;
  std::string message_body;
  std::optional<int> delay_seconds;
  // String-typed message attributes (name -> value).
  std::map<std::string, std::string> message_attributes;
  // Typed attributes (String, Number, Binary, custom labels); a name given
  // in both maps is InvalidParameterValue. At most 10 in all.
  MessageAttributes typed_message_attributes{};
  // FIFO queues: MessageGroupId required; MessageDeduplicationId required
  // unless ContentBasedDeduplication; delay_seconds must be unset. Standard
  // queues: MessageDeduplicationId is InvalidParameterValue.
  std::optional<std::string> message_group_id{};
  std::optional<std::string> message_deduplication_id{};
};
struct SendMessageResponse {
  std::string message_id;
  std::string md5_of_message_body;
  std::string md5_of_message_attributes{};  // empty without attributes
  std::string sequence_number{};            // FIFO queues only
};

struct ReceiveMessageRequest {
  std::string queue_url;
  int max_number_of_messages = 1;         // 1..10
  std::optional<int> visibility_timeout;  // seconds, 0..43200
  std::optional<int> wait_time_seconds;   // 0..20; unset: the queue's ReceiveMessageWaitTimeSeconds
  // Selection as AWS does it. Unset (emulator convenience, what the pipeline
  // uses): ApproximateReceiveCount, SentTimestamp and
  // ApproximateFirstReceiveTimestamp and every message attribute. Set: only
  // what is named. System attributes ("All", ApproximateReceiveCount,
  // ApproximateFirstReceiveTimestamp, SentTimestamp, SenderId,
  // DeadLetterQueueSourceArn, AWSTraceHeader; FIFO names accepted) come from
  // the union of attribute_names (legacy AttributeNames) and
  // message_system_attribute_names; unknown: InvalidAttributeName. Message
  // attributes: "All", ".*", "prefix.*" or exact names.
  std::optional<std::vector<std::string>> attribute_names{};
  std::optional<std::vector<std::string>> message_system_attribute_names{};
  std::optional<std::vector<std::string>> message_attribute_names{};
};

struct Message {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  std::string md5_of_body;
  // System attributes: ApproximateReceiveCount, SentTimestamp,
  // ApproximateFirstReceiveTimestamp (ms since the Unix epoch, as strings);
  // for FIFO queues also MessageGroupId, MessageDeduplicationId and
  // SequenceNumber (with no selection given, or when selected).
  std::map<std::string, std::string> attributes;
  // The attributes with a string value (String and Number types), name -> value.
  std::map<std::string, std::string> message_attributes;
  // Every attribute with its type (Binary included).
  MessageAttributes typed_message_attributes{};
  std::string md5_of_message_attributes{};  // of the returned attributes; empty without
};
struct ReceiveMessageResponse {
  std::vector<Message> messages;
};

struct DeleteMessageRequest {
  std::string queue_url;
  std::string receipt_handle;
};

struct ChangeMessageVisibilityRequest {
  std::string queue_url;
  std::string receipt_handle;
  int visibility_timeout = 0;
};

// --- batches: 1..10 entries, Ids of [A-Za-z0-9_-]{1,80}, distinct. A
// request-level error changes nothing; an entry's error is reported in
// `failed` and the call still succeeds.
struct BatchResultErrorEntry {
  std::string id;
  bool sender_fault = true;
  std::string code;  // the AWS error name
  std::string message;
  friend bool operator==(const BatchResultErrorEntry&, const BatchResultErrorEntry&) = default;
};

struct SendMessageBatchRequestEntry {
  std::string id;
  std::string message_body;
  std::optional<int> delay_seconds{};
  std::map<std::string, std::string> message_attributes{};
  MessageAttributes typed_message_attributes{};
  std::optional<std::string> message_group_id{};  // as in SendMessageRequest
  std::optional<std::string> message_deduplication_id{};
};
struct SendMessageBatchRequest {
  std::string queue_url;
  std::vector<SendMessageBatchRequestEntry> entries;
};
struct SendMessageBatchResultEntry {
  std::string id;
  std::string message_id;
  std::string md5_of_message_body;
  std::string md5_of_message_attributes;
  std::string sequence_number{};  // FIFO queues only
};
struct SendMessageBatchResponse {
  std::vector<SendMessageBatchResultEntry> successful;
  std::vector<BatchResultErrorEntry> failed;
};

struct DeleteMessageBatchRequestEntry {
  std::string id;
  std::string receipt_handle;
};
struct DeleteMessageBatchRequest {
  std::string queue_url;
  std::vector<DeleteMessageBatchRequestEntry> entries;
};
struct ChangeMessageVisibilityBatchRequestEntry {
  std::string id;
  std::string receipt_handle;
  int visibility_timeout = 0;
};
struct ChangeMessageVisibilityBatchRequest {
  std::string queue_url;
  std::vector<ChangeMessageVisibilityBatchRequestEntry> entries;
};
// DeleteMessageBatch and ChangeMessageVisibilityBatch results: the Ids that succeeded.
struct BatchResponse {
  std::vector<std::string> successful;
  std::vector<BatchResultErrorEntry> failed;
};

struct GetQueueAttributesRequest {
  std::string queue_url;
  // "All" or names. ApproximateAgeOfOldestMessage (seconds; a CloudWatch
  // metric in AWS) is returned only when named.
  std::vector<std::string> attribute_names;
};
struct GetQueueAttributesResponse {
  std::map<std::string, std::string> attributes;
};

// Every operation is billed as one "request" (plus one per further 64 KB
// chunk of a sent message), a long poll that returns empty included. Each
// queue is registered with the account as a DeliveryTarget (its ARN): a
// delivery enqueues the body and its attributes, typed by
// Delivery::attribute_types (Number, Binary = the raw value bytes, custom
// labels kept; String otherwise), at env.Now(); a FIFO queue also takes the
// delivery's MessageGroupId / MessageDeduplicationId (a standard queue
// ignores them). Billed
// like a SendMessage and without the behaviour layer's latency or faults
// (the sending service models its own delivery delay).
class SqsApi {
 public:
  explicit SqsApi(Env& env, SqsSettings settings = {});
  ~SqsApi();
  SqsApi(const SqsApi&) = delete;
  SqsApi& operator=(const SqsApi&) = delete;

  // Attributes as AWS strings: VisibilityTimeout, MessageRetentionPeriod,
  // DelaySeconds, ReceiveMessageWaitTimeSeconds, MaximumMessageSize,
  // RedrivePolicy (JSON), RedriveAllowPolicy (JSON), FifoQueue,
  // ContentBasedDeduplication, DeduplicationScope, FifoThroughputLimit (FIFO
  // only; validated by sqs_fifo.h). Others: InvalidAttributeName; bad
  // values: InvalidAttributeValue.
  sim::Task<sim::StatusOr<CreateQueueResponse>> CreateQueue(CreateQueueRequest request);
  sim::Task<sim::StatusOr<GetQueueUrlResponse>> GetQueueUrl(GetQueueUrlRequest request);
  sim::Task<sim::StatusOr<SendMessageResponse>> SendMessage(SendMessageRequest request);
  // Long polling (WaitTimeSeconds > 0) returns as soon as a message is
  // available, or empty when the wait ends (also over the in-flight limit,
  // where a short poll gets OverLimit). A short poll returns what is visible
  // now, or with SqsSettings::short_poll_sampling a random subset (AWS's
  // weighted server sample); long polls see every message. The behaviour
  // layer's latency and faults apply once, before the first attempt; the
  // request is billed once however long it waits.
  sim::Task<sim::StatusOr<ReceiveMessageResponse>> ReceiveMessage(ReceiveMessageRequest request);
  sim::Task<sim::Status> DeleteMessage(DeleteMessageRequest request);
  sim::Task<sim::Status> ChangeMessageVisibility(ChangeMessageVisibilityRequest request);
  // Entries are applied in order, each as its single-message operation
  // would be. Request errors: EmptyBatchRequest, TooManyEntriesInBatchRequest,
  // InvalidBatchEntryId, BatchEntryIdsNotDistinct (checked in that order),
  // BatchRequestTooLong (SendMessageBatch: the entries' bodies and attributes
  // together over the service's message size limit). Billed as one request
  // plus one per further 64 KB chunk of the whole payload.
  sim::Task<sim::StatusOr<SendMessageBatchResponse>> SendMessageBatch(SendMessageBatchRequest request);
  sim::Task<sim::StatusOr<BatchResponse>> DeleteMessageBatch(DeleteMessageBatchRequest request);
  sim::Task<sim::StatusOr<BatchResponse>> ChangeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request);
  sim::Task<sim::StatusOr<GetQueueAttributesResponse>> GetQueueAttributes(GetQueueAttributesRequest request);
  sim::Task<sim::Status> PurgeQueue(PurgeQueueRequest request);
  // Named attributes change, validated as CreateQueue; applied at once.
  sim::Task<sim::Status> SetQueueAttributes(SetQueueAttributesRequest request);
  // Deletes the queue and its messages (lost: QueueStats::deleted_with_queue,
  // SqsModel::AddQueueDeletedObserver); waiting long polls end with
  // QueueDoesNotExist; the name is reusable after 60 s.
  sim::Task<sim::Status> DeleteQueue(DeleteQueueRequest request);
  // MaxResults outside 1..1000, or a NextToken without MaxResults or not
  // from a previous page: InvalidParameterValue.
  sim::Task<sim::StatusOr<ListQueuesResponse>> ListQueues(ListQueuesRequest request);
  sim::Task<sim::Status> TagQueue(TagQueueRequest request);
  sim::Task<sim::Status> UntagQueue(UntagQueueRequest request);
  sim::Task<sim::StatusOr<ListQueueTagsResponse>> ListQueueTags(ListQueueTagsRequest request);
  sim::Task<sim::StatusOr<ListDeadLetterSourceQueuesResponse>> ListDeadLetterSourceQueues(
      ListDeadLetterSourceQueuesRequest request);
  // The move runs on simulated time: every second, up to the rate of the
  // DLQ's visible messages move (the first batch one second after the start).
  sim::Task<sim::StatusOr<StartMessageMoveTaskResponse>> StartMessageMoveTask(StartMessageMoveTaskRequest request);
  sim::Task<sim::StatusOr<CancelMessageMoveTaskResponse>> CancelMessageMoveTask(CancelMessageMoveTaskRequest request);
  sim::Task<sim::StatusOr<ListMessageMoveTasksResponse>> ListMessageMoveTasks(ListMessageMoveTasksRequest request);

  SqsModel& model() { return *model_; }
  const SqsModel& model() const { return *model_; }
  ServiceBehaviour& behaviour() { return behaviour_; }

  // Whether the events ending long polls are daemon events. Off (default): a
  // long poll keeps Run() going until it returns. On: idle pollers (Lambda
  // event source mappings) do not keep a run alive by themselves.
  void set_long_poll_daemon(bool on) { long_poll_daemon_ = on; }
  // Long polls waiting now, on every queue.
  std::size_t waiting_pollers() const;

 private:
  struct Waiters;
  struct QueueTarget;

  // The queue a URL names, or QueueDoesNotExist.
  sim::StatusOr<std::string> QueueNameOf(const std::string& queue_url) const;
  sim::Status DeliverToQueue(const std::string& queue_name, const Delivery& delivery);
  // Wakes long pollers a change made available messages for, and re-arms
  // the queue's wake-up timer.
  void OnQueueChanged(const std::string& queue_name);
  void BillExtraChunks(std::size_t payload_bytes);
  // One second of a message move task; re-arms itself while it runs.
  void RunMoveTaskStep(const std::string& task_handle);
  void ArmMoveTask(const std::string& task_handle);  // the next step, one second from now
  sim::StatusOr<std::vector<std::string>> PageOfUrls(const std::vector<std::string>& names,
                                                     std::optional<int> max_results, const std::string& next_token,
                                                     std::string& out_token) const;

  struct Ops {
    Operation* create_queue = nullptr;
    Operation* get_queue_url = nullptr;
    Operation* send_message = nullptr;
    Operation* receive_message = nullptr;
    Operation* delete_message = nullptr;
    Operation* change_message_visibility = nullptr;
    Operation* get_queue_attributes = nullptr;
    Operation* purge_queue = nullptr;
    Operation* send_message_batch = nullptr;
    Operation* delete_message_batch = nullptr;
    Operation* change_message_visibility_batch = nullptr;
    Operation* set_queue_attributes = nullptr;
    Operation* delete_queue = nullptr;
    Operation* list_queues = nullptr;
    Operation* tag_queue = nullptr;
    Operation* untag_queue = nullptr;
    Operation* list_queue_tags = nullptr;
    Operation* list_dead_letter_source_queues = nullptr;
    Operation* start_message_move_task = nullptr;
    Operation* cancel_message_move_task = nullptr;
    Operation* list_message_move_tasks = nullptr;
  };

  Env& env_;
  ServiceBehaviour behaviour_;
  Ops ops_;
  std::unique_ptr<SqsModel> model_;
  std::unique_ptr<Waiters> waiters_;
  std::map<std::string, std::unique_ptr<QueueTarget>> targets_;
  std::map<std::string, sim::EventId> move_task_events_;  // by task handle, while running
  bool long_poll_daemon_ = false;
};

}  // namespace emu::sqs
