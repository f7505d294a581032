#pragma once

// The state of the emulated SQS standard queues: messages, visibility,
// delays, retention and dead-letter redrive. The model is passive: every
// call takes the simulated time `now`, nothing reads a clock and nothing is
// scheduled. Time-driven changes (a delay ending, a visibility timeout
// running out, retention expiring) are applied lazily, at the start of every
// call on the queue and in Advance(now), at their exact times: an expired
// message is reported with expired_at = sent + retention whenever it is
// noticed. The facade (sqs_api.h) asks NextVisibleTime() to schedule the one
// wake-up its long pollers need.
//
// Why the data structures are what they are: messages live in a per-queue
// slot table (stable, reused slots), so a receipt handle, which encodes the
// queue, slot, arrival sequence and receive number, finds its message in
// O(1). Three lazy-deletion indexes point into the table: a FIFO of visible
// messages in the order they became available, a min-heap of (visible_at,
// sequence) for delayed and in-flight messages, and a min-heap of expiry
// times. An index entry whose message has since changed is skipped when it
// surfaces, and an index is rebuilt when stale entries outnumber live ones,
// so every operation is O(log n) amortized and no receive scans the queue.
//
// Queue administration (attributes, tags, deletion), redrive allow policies
// and message move tasks live here too; a move task is only recorded and
// stepped (MoveTaskStep), the facade drives it once per simulated second.
// The distributed-system effects of SqsSettings (duplicates, reordering,
// short-poll sampling, lagging counters) draw from their own streams
// (SetEffectRngs); with all of them off a receive takes no draw.
//
// FIFO queues (QueueConfig::fifo set, names ending ".fifo") reuse the slot
// table, the timed heaps and the counters, and branch once on the queue
// type where they differ: visible messages are handed out by a
// fifo::MessageGroupIndex (strict order per MessageGroupId, one in-flight
// batch per group) instead of the ready FIFO, sends go through a 5-minute
// fifo::DeduplicationWindow, each stored message carries its group id,
// deduplication id and SequenceNumber, and a DLQ move restarts retention
// (AWS: the enqueue timestamp resets for FIFO). The ready FIFO is still kept
// for FIFO queues, in arrival order, for message move tasks only. The
// distributed-system effects never apply to FIFO queues (exactly once, in
// order).
//
// Errors are AWS errors (sqs_errors.h) returned as values; a failed call
// changes nothing. `now` must never decrease between calls (SIM_CHECK).
// Expiry observers and ForEachMessage visitors must not call the model.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/common/account.h"
#include "emulators/common/hashing.h"
#include "emulators/sqs/sqs_fifo.h"
#include "sim/metrics.h"
#include "sim/rng.h"
#include "sim/status.h"
#include "sim/time.h"

namespace emu::sqs {

// AWS limits (seconds unless named otherwise).
inline constexpr int kMaxVisibilityTimeout = 43'200;  // 12 h
inline constexpr int kDefaultVisibilityTimeout = 30;
inline constexpr int kMinMessageRetentionPeriod = 60;
inline constexpr int kMaxMessageRetentionPeriod = 1'209'600;    // 14 d
inline constexpr int kDefaultMessageRetentionPeriod = 345'600;  // 4 d
inline constexpr int kMaxDelaySeconds = 900;
inline constexpr int kMaxReceiveMessageWaitTimeSeconds = 20;
inline constexpr int kMinMaximumMessageSize = 1'024;
inline constexpr int kDefaultMaximumMessageSize = 1'048'576;  // 1 MiB since 2025 (256 KiB before)
inline constexpr int kMaxNumberOfMessages = 10;
inline constexpr int kMinMaxReceiveCount = 1;
inline constexpr int kMaxMaxReceiveCount = 1'000;
inline constexpr int kMaxMessageAttributes = 10;
inline constexpr int kMaxQueueNameLength = 80;
inline constexpr int kMaxMessageAttributeNameLength = 256;
inline constexpr int kMaxMessageAttributeTypeLength = 256;
inline constexpr sim::Duration kPurgeInterval = sim::Seconds(60);
// CreateQueue of a name deleted less than this ago: QueueDeletedRecently.
inline constexpr sim::Duration kQueueDeletedRecentlyInterval = sim::Seconds(60);
inline constexpr int kMaxQueueTags = 50;
inline constexpr int kMaxTagKeyLength = 128;
inline constexpr int kMaxTagValueLength = 256;
inline constexpr int kMaxRedriveAllowSourceArns = 10;
inline constexpr int kMaxMoveTaskRate = 500;  // MaxNumberOfMessagesPerSecond
// "System optimised" move rate when MaxNumberOfMessagesPerSecond is unset
// (AWS does not publish it; we pick the documented maximum).
inline constexpr int kDefaultMoveTaskRate = 500;
// FIFO queues: receives return nothing while this many messages are in
// flight (no OverLimit error, unlike standard queues).
inline constexpr int64_t kFifoMaxInFlight = 120'000;
// ApproximateAgeOfOldestMessage skips messages received this many times or
// more (CloudWatch: such a message "is moved to the back of the queue").
inline constexpr int kOldestMessageReceiveCountCutoff = 3;

// Service-level settings. The distributed-system effects default OFF (exact,
// in order, exactly once) so runs and tests stay simple to reason about;
// each comment gives the AWS-like value a scenario can turn on. Each effect
// draws from its own named stream (see SqsModel::EffectRngs).
struct SqsSettings {
  // Upper bound of the MaximumMessageSize attribute (and its default). AWS
  // raised it from 262,144 to 1,048,576 bytes in 2025.
  int max_message_size_limit = kDefaultMaximumMessageSize;
  // In-flight messages per standard queue before ReceiveMessage says
  // OverLimit (AWS-like default; a long poll returns empty instead).
  int64_t max_in_flight = 120'000;
  // Probability that a received message is also made visible again after
  // duplicate_redelivery_delay: a second *delivery* of the same stored
  // message (new receipt handle, receive count + 1), never a new message.
  // Off: 0. AWS documents "occasionally"; 0.0001 is a plausible value.
  double duplicate_probability = 0.0;
  sim::Duration duplicate_redelivery_delay = sim::Seconds(0);
  // Best-effort order: each pick of a receive takes a uniformly random one
  // of the first `reorder_window` visible messages. Off: 1 (strict order of
  // availability). AWS-like: 10 or more.
  int reorder_window = 1;
  // Short polls (WaitTimeSeconds 0) query a weighted random subset of
  // servers: with fewer than short_poll_full_depth visible messages each is
  // seen with probability max(short_poll_sample_fraction, visible / full
  // depth); at or beyond it every message is seen. Long polls query all.
  // Off: false. AWS-like: true with fraction 0.3, full depth 1000.
  bool short_poll_sampling = false;
  double short_poll_sample_fraction = 0.3;
  int64_t short_poll_full_depth = 1'000;
  // ApproximateNumberOf* (GetQueueAttributes) report a snapshot refreshed at
  // most every counters_lag; 0 = exact. AWS-like: about 60 s. Counts() stays
  // exact for tests and conservation.
  sim::Duration approximate_counters_lag = sim::Seconds(0);
};

// RedriveAllowPolicy: which source queues may use this queue as their DLQ.
struct RedriveAllowPolicy {
  enum class Permission { kAllowAll, kDenyAll, kByQueue };
  Permission redrive_permission = Permission::kAllowAll;
  std::vector<std::string> source_queue_arns;  // byQueue only, 1..10
  friend bool operator==(const RedriveAllowPolicy&, const RedriveAllowPolicy&) = default;
};

struct RedrivePolicy {
  std::string dead_letter_target_arn;
  int max_receive_count = 0;  // 1..1000
  friend bool operator==(const RedrivePolicy&, const RedrivePolicy&) = default;
};

// Queue attributes, typed, with AWS names and defaults.
struct QueueConfig {
  int visibility_timeout = kDefaultVisibilityTimeout;             // 0..43200
  int message_retention_period = kDefaultMessageRetentionPeriod;  // 60..1209600
  int delay_seconds = 0;                                          // 0..900
  int receive_message_wait_time_seconds = 0;                      // 0..20
  int maximum_message_size = kDefaultMaximumMessageSize;          // 1024..settings limit
  std::optional<RedrivePolicy> redrive_policy;                    // the DLQ must exist and allow us
  std::optional<RedriveAllowPolicy> redrive_allow_policy;         // unset: allowAll
  // Set: a FIFO queue (FifoQueue=true; the name must end in ".fifo"). Fixed
  // at creation. A RedrivePolicy's DLQ must be of the same type.
  std::optional<fifo::FifoConfig> fifo = std::nullopt;
  friend bool operator==(const QueueConfig&, const QueueConfig&) = default;
};

struct QueueInfo {
  std::string name;
  std::string url;
  std::string arn;
  QueueConfig config;
  sim::Time created_at;
  sim::Time last_modified_at;
  std::map<std::string, std::string> tags;
};

enum class MoveTaskStatus { kRunning, kCompleted, kCancelling, kCancelled, kFailed };
std::string_view MoveTaskStatusName(MoveTaskStatus status);  // "RUNNING", ...

// A StartMessageMoveTask: moves a DLQ's messages back to their source queue
// (or to destination_arn) at max_messages_per_second.
struct MessageMoveTask {
  std::string task_handle;
  std::string source_arn;
  std::string destination_arn;  // empty: each message's own source queue
  int max_messages_per_second = kDefaultMoveTaskRate;
  bool rate_given = false;
  MoveTaskStatus status = MoveTaskStatus::kRunning;
  int64_t moved = 0;    // ApproximateNumberOfMessagesMoved
  int64_t to_move = 0;  // ApproximateNumberOfMessagesToMove (visible at the start)
  std::string failure_reason;
  sim::Time started_at;
};

// A message attribute as AWS types it. data_type is "String", "Number" or
// "Binary", optionally with a custom label ("Number.float", "Binary.gif").
// String and Number carry string_value, Binary carries binary_value (raw
// bytes); the other must be empty.
struct MessageAttributeValue {
  std::string data_type;
  std::string string_value;
  std::string binary_value;
  static MessageAttributeValue String(std::string v) { return {"String", std::move(v), {}}; }
  static MessageAttributeValue Number(std::string v) { return {"Number", std::move(v), {}}; }
  static MessageAttributeValue Binary(std::string bytes) { return {"Binary", {}, std::move(bytes)}; }
  friend bool operator==(const MessageAttributeValue&, const MessageAttributeValue&) = default;
};
using MessageAttributes = std::map<std::string, MessageAttributeValue>;

// name -> value as String-typed attributes (the String-only API).
MessageAttributes StringAttributes(const std::map<std::string, std::string>& attributes);
// The attributes that carry a string value (String and Number types), name -> value.
std::map<std::string, std::string> StringValuesOf(const MessageAttributes& attributes);
// MD5OfMessageAttributes as AWS computes it: attributes sorted by name, each
// encoded as 4-byte big-endian length + name, length + data type, one
// transport byte (1 String/Number, 2 Binary), length + value; lowercase hex.
// Empty when there are no attributes (AWS omits the field).
std::string Md5OfMessageAttributes(const MessageAttributes& attributes);
// The same digest as bytes (computed once at send and kept with the message).
Md5Digest DigestOfMessageAttributes(const MessageAttributes& attributes);
// Bytes a message counts against MaximumMessageSize: the body plus every
// attribute's name, data type and value.
std::size_t MessagePayloadBytes(std::string_view body, const MessageAttributes& attributes);
// Checks names, types and values as SendMessage does (count, name rules,
// type prefixes, value presence, Number syntax, characters): the AWS error
// or OK.
sim::Status ValidateMessageAttributes(const MessageAttributes& attributes);

enum class MessageState {
  kVisible,   // can be received now
  kInFlight,  // received, not deleted, visibility timeout running
  kDelayed,   // sent with a delay that has not ended (never received)
};
std::string_view MessageStateName(MessageState state);

// A message as the queue stores it. The id and the body digest are kept as
// bytes (no allocation per message); message_id() / md5_of_body() format them.
struct StoredMessage {
  uint64_t id_hi = 0;
  uint64_t id_lo = 0;
  Md5Digest md5{};
  Md5Digest attributes_md5{};  // of message_attributes, when there are any
  std::string body;
  MessageAttributes message_attributes;
  sim::Time sent_at;                    // original enqueue time: SentTimestamp and retention (kept across a DLQ move)
  sim::Time enqueued_at;                // entered this queue (the move time in a DLQ)
  sim::Time visible_at;                 // receivable from (delay end, visibility deadline)
  sim::Time first_received_at;          // valid when receive_count > 0
  sim::Time last_received_at;           // valid when receive_count > 0
  int receive_count = 0;                // ApproximateReceiveCount, in this queue
  uint64_t sequence = 0;                // arrival order in this queue
  uint32_t dead_letter_source_uid = 0;  // in a DLQ: the queue it was redriven from (0: none)
  // FIFO queues only (empty in standard queues).
  std::string message_group_id;
  std::string message_deduplication_id;  // the effective one (content-based: SHA-256 hex of the body)
  std::string sequence_number;           // kept across a DLQ move

  std::string message_id() const;                 // UUID form
  std::string md5_of_body() const;                // lowercase hex
  std::string md5_of_message_attributes() const;  // lowercase hex; empty without attributes
};

struct SendResult {
  std::string message_id;
  std::string md5_of_message_body;
  std::string md5_of_message_attributes{};  // empty without attributes
  std::string sequence_number{};            // FIFO queues only
  bool deduplicated = false;                // FIFO: a duplicate within 5 min; nothing was stored
};

// The FIFO fields of a send. On a standard queue a MessageDeduplicationId is
// InvalidParameterValue and a MessageGroupId is only validated (fair queues
// are not modelled: it is not stored).
struct FifoSendFields {
  std::optional<std::string> message_group_id{};
  std::optional<std::string> message_deduplication_id{};
};

struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  std::string md5_of_body;
  MessageAttributes message_attributes;
  std::string md5_of_message_attributes{};  // empty without attributes
  int receive_count = 0;
  sim::Time sent_at;
  sim::Time first_received_at;
  std::string dead_letter_source_arn{};  // set when the message was redriven into this queue
  // FIFO queues only (empty otherwise).
  std::string message_group_id{};
  std::string message_deduplication_id{};
  std::string sequence_number{};
};

struct ReceiveResult {
  std::vector<ReceivedMessage> messages;
  // Messages this call moved to the dead-letter queue instead of returning.
  int moved_to_dlq = 0;
  std::string dead_letter_queue;  // its name, when moved_to_dlq > 0
};

struct QueueCounts {
  int64_t visible = 0;    // ApproximateNumberOfMessages
  int64_t in_flight = 0;  // ApproximateNumberOfMessagesNotVisible
  int64_t delayed = 0;    // ApproximateNumberOfMessagesDelayed
  // Enqueue time (into this queue) of the oldest message received fewer than
  // 3 times (ApproximateAgeOfOldestMessage); if every message was received 3+
  // times, of the oldest message.
  std::optional<sim::Time> oldest_enqueued_at;
  int64_t total() const { return visible + in_flight + delayed; }
};

// Cumulative per-queue counters. Conservation, for every queue:
//   sent + moved_in == deleted + expired + moved_to_dlq + moved_out + purged
//                      + deleted_with_queue + stored.
struct QueueStats {
  int64_t sent = 0;      // SendMessage and deliveries
  int64_t moved_in = 0;  // arrived from a source queue's redrive
  int64_t received = 0;  // messages returned by ReceiveMessage (each receive)
  int64_t deleted = 0;
  int64_t stale_deletes = 0;  // DeleteMessage that succeeded without deleting (stale handle / gone)
  int64_t expired = 0;        // retention
  int64_t moved_to_dlq = 0;
  int64_t purged = 0;
  int64_t moved_out = 0;             // moved away by a message move task
  int64_t deleted_with_queue = 0;    // stored when DeleteQueue ran (lost)
  int64_t duplicates_delivered = 0;  // receives that were a duplicate delivery
  // FIFO sends accepted as duplicates within the deduplication interval:
  // nothing stored, so outside the conservation identity.
  int64_t deduplicated = 0;
  // The right-hand side above minus `stored`; equals sent + moved_in - stored.
  int64_t removed() const { return deleted + expired + moved_to_dlq + moved_out + purged + deleted_with_queue; }
};

class SqsModel {
 public:
  using ExpiryObserver =
      std::function<void(const std::string& queue_name, const StoredMessage& message, sim::Time expired_at)>;
  // Called for every message still stored when its queue is deleted (lost).
  using QueueDeletedObserver =
      std::function<void(const std::string& queue_name, const StoredMessage& message, sim::Time deleted_at)>;
  using MessageVisitor = std::function<void(const StoredMessage& message, MessageState state)>;

  // One stream per distributed-system effect (give them named env streams:
  // "sqs.duplicates", "sqs.reorder", "sqs.short_poll").
  struct EffectRngs {
    sim::Rng duplicates;
    sim::Rng reorder;
    sim::Rng short_poll;
  };

  // `id_rng` draws message ids (give it a named stream: same seed, same ids).
  // Per-queue counters go to `metrics` as sqs.<queue>.<counter>.
  SqsModel(const Account& account, sim::MetricsRegistry& metrics, sim::Rng id_rng, SqsSettings settings = {});
  ~SqsModel();
  SqsModel(const SqsModel&) = delete;
  SqsModel& operator=(const SqsModel&) = delete;

  const SqsSettings& settings() const { return settings_; }
  const Account& account() const { return account_; }
  void SetEffectRngs(EffectRngs rngs) { effect_rngs_ = rngs; }

  // --- queues ---------------------------------------------------------------
  // Returns the queue URL. An existing name with an identical config returns
  // its URL; with a different config, QueueAlreadyExists. A name deleted
  // less than 60 s ago: QueueDeletedRecently. Bad names or values:
  // InvalidParameterValue / InvalidAttributeValue; a RedrivePolicy whose DLQ
  // does not allow this queue (RedriveAllowPolicy): InvalidParameterValue.
  sim::StatusOr<std::string> CreateQueue(std::string_view queue_name, const QueueConfig& config, sim::Time now);
  // Replaces the whole config (the facade merges the named attributes into
  // the current one), validated as CreateQueue does. Applies at once (AWS:
  // up to 60 s, 15 min for MessageRetentionPeriod); a retention change
  // re-times every stored message's expiry (sent + new retention).
  sim::Status SetQueueAttributes(std::string_view queue_name, const QueueConfig& config, sim::Time now);
  // Deletes the queue and every message in it (counted deleted_with_queue,
  // reported to the QueueDeletedObserver). Queues using it as DLQ keep their
  // policy; their messages are then not redriven (they stay in the source).
  sim::Status DeleteQueue(std::string_view queue_name, sim::Time now);
  bool HasQueue(std::string_view queue_name) const;
  std::vector<std::string> ListQueues() const;  // name order
  sim::StatusOr<QueueInfo> GetQueueInfo(std::string_view queue_name) const;
  // The queue's config without copying it; null if there is no such queue.
  // Valid until the queue is deleted or its attributes set.
  const QueueConfig* FindConfig(std::string_view queue_name) const;
  // The name of the queue with this exact ARN, if it exists.
  std::optional<std::string> QueueNameForArn(std::string_view arn) const;
  static bool IsValidQueueName(std::string_view name);
  // Names of the queues whose RedrivePolicy targets this queue, name order.
  sim::StatusOr<std::vector<std::string>> ListDeadLetterSourceQueues(std::string_view queue_name) const;

  // Tags: keys 1..128, values 0..256 characters, at most 50 per queue, keys
  // not starting with "aws:"; else InvalidParameterValue, nothing changed.
  sim::Status TagQueue(std::string_view queue_name, const std::map<std::string, std::string>& tags, sim::Time now);
  sim::Status UntagQueue(std::string_view queue_name, const std::vector<std::string>& tag_keys, sim::Time now);
  sim::StatusOr<std::map<std::string, std::string>> ListQueueTags(std::string_view queue_name) const;

  // --- messages -------------------------------------------------------------
  // delay_seconds unset: the queue's DelaySeconds. FIFO queues: a
  // per-message delay is InvalidParameterValue, the queue's DelaySeconds
  // applies; MessageGroupId is required (MissingParameter) and a
  // MessageDeduplicationId unless ContentBasedDeduplication; a duplicate
  // within 5 minutes returns the original MessageId and SequenceNumber and
  // stores nothing (SendResult::deduplicated).
  sim::StatusOr<SendResult> SendMessage(std::string_view queue_name, std::string body,
                                        MessageAttributes message_attributes, std::optional<int> delay_seconds,
                                        sim::Time now, const FifoSendFields& fifo_fields = {});
  // Up to max_number_of_messages (1..10) visible messages, in the order they
  // became available; visibility_timeout unset: the queue's. Messages
  // already received maxReceiveCount times go to the DLQ instead.
  // `short_poll`: the call samples servers (SqsSettings::short_poll_sampling).
  // FIFO queues: messages of unlocked groups in order (fifo::MessageGroupIndex),
  // the group with the oldest head first; no OverLimit, no effects.
  sim::StatusOr<ReceiveResult> ReceiveMessage(std::string_view queue_name, int max_number_of_messages,
                                              std::optional<int> visibility_timeout, sim::Time now,
                                              bool short_poll = false);
  // The latest handle deletes (in flight or visible again). A stale handle
  // (the message was received again since) or one of a message already gone
  // succeeds without deleting, as AWS documents. Malformed or another
  // queue's: ReceiptHandleIsInvalid.
  sim::Status DeleteMessage(std::string_view queue_name, std::string_view receipt_handle, sim::Time now);
  // Visible again at now + visibility_timeout (0: now). Not in flight:
  // MessageNotInflight; beyond 12 h after the receive, stale or gone handle:
  // InvalidParameterValue; malformed: ReceiptHandleIsInvalid.
  sim::Status ChangeMessageVisibility(std::string_view queue_name, std::string_view receipt_handle,
                                      int visibility_timeout, sim::Time now);
  // Deletes every message at once (AWS takes up to 60 s); a second purge
  // within 60 s: PurgeQueueInProgress.
  sim::Status PurgeQueue(std::string_view queue_name, sim::Time now);

  // --- message move tasks (DLQ redrive back) ---------------------------------
  // source_arn must be a queue that is some queue's DLQ; destination_arn
  // empty: each message goes back to the queue it was redriven from. Rate
  // 1..500 (unset: kDefaultMoveTaskRate). One RUNNING task per source, else
  // UnsupportedOperation. Bad ARNs: ResourceNotFoundException; not a DLQ or
  // bad rate: InvalidParameterValue. Returns the task handle. The model only
  // records the task; the facade calls MoveTaskStep once per second.
  sim::StatusOr<std::string> StartMessageMoveTask(std::string_view source_arn, std::string_view destination_arn,
                                                  std::optional<int> max_messages_per_second, sim::Time now);
  // Moves up to the task's rate of visible messages (arrival order). Returns
  // true while the task is still RUNNING. CANCELLING becomes CANCELLED here.
  bool MoveTaskStep(std::string_view task_handle, sim::Time now);
  // RUNNING -> CANCELLING; another state or unknown handle: ResourceNotFoundException.
  sim::StatusOr<int64_t> CancelMessageMoveTask(std::string_view task_handle, sim::Time now);
  // The source's tasks, most recent first, at most max_results (1..10).
  sim::StatusOr<std::vector<MessageMoveTask>> ListMessageMoveTasks(std::string_view source_arn, int max_results,
                                                                   sim::Time now) const;

  // --- time -----------------------------------------------------------------
  // Applies everything due at or before `now` on every queue (expiries are
  // reported to the observers).
  void Advance(sim::Time now);
  // After applying what is due: the earliest time > now at which a delayed or
  // in-flight message becomes visible, if any.
  std::optional<sim::Time> NextVisibleTime(std::string_view queue_name, sim::Time now);
  // Long pollers a receive could serve now: the visible messages of a
  // standard queue; the groups with visible messages and none in flight of a
  // FIFO queue. 0 for an unknown queue.
  int64_t ReceivableNow(std::string_view queue_name, sim::Time now);
  bool IsFifoQueue(std::string_view queue_name) const;
  // The earliest retention expiry still pending in the queue.
  std::optional<sim::Time> NextExpiryTime(std::string_view queue_name, sim::Time now);

  // --- introspection --------------------------------------------------------
  // Exact counts at `now`.
  sim::StatusOr<QueueCounts> Counts(std::string_view queue_name, sim::Time now);
  // What GetQueueAttributes reports: a snapshot of Counts() refreshed at most
  // every SqsSettings::approximate_counters_lag (exact when the lag is 0).
  sim::StatusOr<QueueCounts> ApproximateCounts(std::string_view queue_name, sim::Time now);
  sim::StatusOr<QueueStats> Stats(std::string_view queue_name) const;
  // Every stored message with its state at `now`, in arrival order.
  sim::Status ForEachMessage(std::string_view queue_name, sim::Time now, const MessageVisitor& visit);
  void AddExpiryObserver(ExpiryObserver observer) { expiry_observers_.push_back(std::move(observer)); }
  void AddQueueDeletedObserver(QueueDeletedObserver observer) {
    queue_deleted_observers_.push_back(std::move(observer));
  }
  // Messages lost to DeleteQueue, over every queue ever deleted.
  int64_t total_deleted_with_queue() const { return total_deleted_with_queue_; }

 private:
  struct Queue;
  Queue* FindQueue(std::string_view name);
  const Queue* FindQueue(std::string_view name) const;
  Queue* FindQueueByUid(uint32_t uid);
  // Every call taking `now` checks that time never goes backwards.
  void Touch(sim::Time now);
  sim::StatusOr<Queue*> GetQueue(std::string_view name, sim::Time now);
  sim::Status ValidateConfig(const QueueConfig& config, std::string_view queue_arn) const;
  void ApplyDue(Queue& q, sim::Time now);
  void MoveToDeadLetterQueue(Queue& source, Queue& dlq, uint32_t slot, sim::Time now, ReceiveResult& result);
  // Moves the stored message to `to` as a new arrival (move tasks).
  void MoveMessage(Queue& from, Queue& to, uint32_t slot, sim::Time now);
  bool IsDeadLetterQueue(const Queue& q) const;

  const Account& account_;
  sim::MetricsRegistry& metrics_;
  sim::Rng id_rng_;
  SqsSettings settings_;
  bool effects_on_ = false;  // any receive-side effect enabled (checked once per receive)
  EffectRngs effect_rngs_{sim::Rng(0x5157'0001), sim::Rng(0x5157'0002), sim::Rng(0x5157'0003)};
  sim::Time last_now_;
  uint32_t next_queue_uid_ = 1;
  std::map<std::string, std::unique_ptr<Queue>, std::less<>> queues_;
  std::map<std::string, sim::Time, std::less<>> deleted_at_;
  std::vector<MessageMoveTask> move_tasks_;  // start order
  uint64_t next_task_number_ = 1;
  int64_t total_deleted_with_queue_ = 0;
  std::vector<ExpiryObserver> expiry_observers_;
  std::vector<QueueDeletedObserver> queue_deleted_observers_;
};

}  // namespace emu::sqs
