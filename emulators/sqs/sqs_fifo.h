#pragma once

// Building blocks for SQS FIFO queues, to be wired into SqsModel: request
// validation, the 5-minute deduplication window, SequenceNumber generation
// and the per-message-group delivery index. Everything here is passive (it
// takes `now`, never reads a clock, schedules nothing) and deterministic (no
// unordered iteration reaches an output).
//
// Semantics follow the SQS developer guide (FIFO-key-terms.html,
// FIFO-queues-understanding-logic.html, quotas-fifo.html) and the API
// reference (SendMessage, CreateQueue, SetQueueAttributes); the error names
// and texts are the ones AWS returns, as far as public sources show them.
// Expected failures are AWS errors returned as values (sqs_errors.h); a
// caller breaking a documented precondition is a bug (SIM_CHECK throws).

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/status.h"
#include "sim/time.h"

namespace emu::sqs::fifo {

inline constexpr std::string_view kFifoSuffix = ".fifo";
inline constexpr std::size_t kMaxQueueNameLength = 80;  // the suffix counts
inline constexpr std::size_t kMaxMessageGroupIdLength = 128;
inline constexpr std::size_t kMaxMessageDeduplicationIdLength = 128;
// A MessageDeduplicationId is remembered this long from its first accepted send.
inline constexpr sim::Duration kDeduplicationInterval = sim::Minutes(5);
// A ReceiveRequestAttemptId can be retried this long (not modelled yet).
inline constexpr sim::Duration kReceiveRequestAttemptInterval = sim::Minutes(5);

enum class DeduplicationScope { kQueue, kMessageGroup };
enum class FifoThroughputLimit { kPerQueue, kPerMessageGroupId };
std::string_view DeduplicationScopeName(DeduplicationScope scope);    // "queue" / "messageGroup"
std::string_view FifoThroughputLimitName(FifoThroughputLimit limit);  // "perQueue" / "perMessageGroupId"

// The FIFO attributes of a queue, typed, with AWS defaults.
struct FifoConfig {
  bool content_based_deduplication = false;
  DeduplicationScope deduplication_scope = DeduplicationScope::kQueue;
  FifoThroughputLimit fifo_throughput_limit = FifoThroughputLimit::kPerQueue;
  // High-throughput mode: scope messageGroup and limit perMessageGroupId.
  bool high_throughput() const {
    return deduplication_scope == DeduplicationScope::kMessageGroup &&
           fifo_throughput_limit == FifoThroughputLimit::kPerMessageGroupId;
  }
  friend bool operator==(const FifoConfig&, const FifoConfig&) = default;
};

// The FIFO-related attributes of a CreateQueue / SetQueueAttributes request,
// as the raw strings of the API (unset = not in the request).
struct FifoAttributes {
  std::optional<std::string> fifo_queue{};
  std::optional<std::string> content_based_deduplication{};
  std::optional<std::string> deduplication_scope{};
  std::optional<std::string> fifo_throughput_limit{};
};

// --- validation --------------------------------------------------------------
// 1..80 characters of [A-Za-z0-9_-] followed by ".fifo" (the suffix counts).
bool IsFifoQueueName(std::string_view name);
// 1..128 characters, each alphanumeric or one of !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
// (MessageGroupId, MessageDeduplicationId, ReceiveRequestAttemptId).
bool IsValidFifoToken(std::string_view value);

// CreateQueue: nullopt for a standard queue, the typed config for a FIFO one.
// Errors: FifoQueue=true without a FIFO name, or a ".fifo" name without
// FifoQueue=true: InvalidParameterValue. FIFO-only attributes on a standard
// queue: InvalidAttributeName. A value outside its set, or perMessageGroupId
// with DeduplicationScope=queue: InvalidAttributeValue. `queue_name` must
// otherwise be checked by the caller (SqsModel::IsValidQueueName for standard).
sim::StatusOr<std::optional<FifoConfig>> ValidateCreateQueueAttributes(std::string_view queue_name,
                                                                       const FifoAttributes& attributes);
// SetQueueAttributes on an existing queue: the merged config (nullopt for a
// standard queue). FifoQueue cannot be changed (InvalidAttributeName); the
// other rules are those of CreateQueue, applied to the merged result.
sim::StatusOr<std::optional<FifoConfig>> ValidateSetQueueAttributes(const std::optional<FifoConfig>& current,
                                                                    const FifoAttributes& attributes);
// A redrive policy's dead-letter queue must be of the same type as its
// source: InvalidParameterValue (naming `redrive_policy`, the raw JSON) otherwise.
sim::Status ValidateDeadLetterQueueType(bool source_is_fifo, bool dead_letter_is_fifo, std::string_view redrive_policy);

// SendMessage on a FIFO queue. Returns the effective deduplication id: the
// explicit one, else (ContentBasedDeduplication) the SHA-256 hex of the body.
// Checked in this order: a per-message DelaySeconds (any value, even 0):
// InvalidParameterValue; no MessageGroupId (or empty): MissingParameter; a
// malformed MessageGroupId or MessageDeduplicationId: InvalidParameterValue;
// no MessageDeduplicationId without ContentBasedDeduplication: InvalidParameterValue.
sim::StatusOr<std::string> ValidateFifoSend(const FifoConfig& config, std::string_view body,
                                            const std::optional<std::string>& message_group_id,
                                            const std::optional<std::string>& message_deduplication_id,
                                            std::optional<int> delay_seconds);
// SendMessage on a standard queue: a MessageDeduplicationId is not valid
// there (InvalidParameterValue); a MessageGroupId is (fair queues) but must
// be well formed (InvalidParameterValue).
sim::Status ValidateStandardSend(const std::optional<std::string>& message_group_id,
                                 const std::optional<std::string>& message_deduplication_id);

// --- deduplication -----------------------------------------------------------
// What a duplicate send returns: the original message's identity.
struct DeduplicationRecord {
  std::string message_id;
  std::string sequence_number;
  sim::Time first_sent_at;
  sim::Time expires_at() const { return first_sent_at + kDeduplicationInterval; }
};

// The 5-minute deduplication interval of one queue. A deduplication id (per
// queue, or per (group, id) with scope messageGroup) is remembered from its
// first accepted send until exactly first_sent_at + 5 min, whatever happens
// to the message (received, deleted, moved, purged); a duplicate within it
// does not extend it. Every entry lives the same interval and `now` never
// decreases, so expiry order is insertion order: a FIFO of (expiry, key)
// beside an ordered map makes pruning amortized O(1) per entry and lookups
// O(log n). Stale FIFO entries (a key recorded again after expiring) are
// recognised by their expiry time and skipped.
class DeduplicationWindow {
 public:
  explicit DeduplicationWindow(DeduplicationScope scope = DeduplicationScope::kQueue) : scope_(scope) {}

  DeduplicationScope scope() const { return scope_; }
  // Entries recorded under the other scope's keys stop matching (AWS applies
  // an attribute change within about a minute; we apply it at once).
  void SetScope(DeduplicationScope scope) { scope_ = scope; }

  // The original send if this id (in this group, for scope messageGroup) was
  // accepted less than 5 minutes before `now`; null otherwise. Prunes first.
  // The pointer is valid until the next non-const call.
  const DeduplicationRecord* FindDuplicate(std::string_view message_group_id, std::string_view deduplication_id,
                                           sim::Time now);
  // Records an accepted (non-duplicate) send at `now`. Recording an id that
  // is still live is a bug (SIM_CHECK): call FindDuplicate first.
  void Record(std::string_view message_group_id, std::string_view deduplication_id, std::string message_id,
              std::string sequence_number, sim::Time now);
  // Drops every entry expired at `now` (FindDuplicate and Record call it).
  void Prune(sim::Time now);
  // Live entries after the last prune.
  std::size_t size() const { return entries_.size(); }

 private:
  std::string Key(std::string_view message_group_id, std::string_view deduplication_id) const;

  DeduplicationScope scope_;
  sim::Time last_now_;
  std::map<std::string, DeduplicationRecord, std::less<>> entries_;
  struct Expiry {
    sim::Time at;
    std::string key;
  };
  std::deque<Expiry> expiries_;  // insertion (= expiry) order
};

// --- sequence numbers ----------------------------------------------------------
// SequenceNumber as AWS shows it: a large decimal number, increasing within a
// queue (so within every group) and non-consecutive. Ours: 20 digits,
// "1" + 19 digits of (n << 16 | salt), where n counts the queue's sends and
// salt (16 bits) is derived from the queue, so two queues' numbers differ and
// a run is reproducible. Equal-length strings: string order = numeric order.
class SequenceNumberGenerator {
 public:
  explicit SequenceNumberGenerator(uint32_t queue_salt = 0) : salt_(queue_salt & 0xFFFF) {}
  std::string Next();
  uint64_t issued() const { return issued_; }

 private:
  uint64_t salt_;
  uint64_t issued_ = 0;
};

// --- receive order -------------------------------------------------------------
// The receive order of a FIFO queue's visible messages, by message group.
//
// Each group keeps its visible messages ordered by arrival sequence and the
// set of its in-flight messages. A group with any message in flight is
// locked: nothing more is returned from it until every in-flight message is
// deleted, removed or visible again (AWS: "you can't receive additional
// messages with the same message group ID until the messages are deleted or
// become visible"). A message whose visibility timeout ends goes back to its
// group at its arrival position, so it is returned again before the later
// messages of its group (per-group blocking on failure).
//
// TakeForReceive(n): AWS "attempts to return as many messages with the same
// message group ID as possible" and may fill the batch from other groups. We
// take the unlocked group whose first visible message arrived earliest, all
// of its visible messages in order up to n, then the next such group, until
// n messages or no unlocked group is left. Each taken message is in flight
// from then on, locking its group.
//
// Unlocked, non-empty groups sit in a map keyed by their head's sequence
// (unique), so choosing the next group is O(log g) and every operation is
// O(log n) (TakeForReceive: O(k log n) for k messages). Handles are opaque to
// the index (the model's slot/sequence); sequences order and identify
// messages and must be unique within the index. Misuse (unknown message,
// wrong state, duplicate sequence) is a bug: SIM_CHECK.
class MessageGroupIndex {
 public:
  struct GroupCounts {
    int64_t visible = 0;
    int64_t in_flight = 0;
  };

  // A message became visible for the first time (sent; or its delay ended).
  void Enqueue(std::string_view message_group_id, uint64_t handle, uint64_t sequence);
  // Up to max_n (>= 0) visible messages per the rule above, now in flight.
  std::vector<uint64_t> TakeForReceive(int max_n);
  // An in-flight message stops being in flight: deleted (back_to_visible =
  // false) or its visibility timeout ended / was set to 0 (true).
  void OnInFlightEnded(std::string_view message_group_id, uint64_t handle, uint64_t sequence, bool back_to_visible);
  // A message leaves the queue in whatever state it is (deleted while visible
  // again, moved to the DLQ, expired, purged).
  void OnRemoved(std::string_view message_group_id, uint64_t handle, uint64_t sequence);
  // Forgets everything (PurgeQueue).
  void Clear();

  int64_t visible() const { return visible_; }
  int64_t in_flight() const { return in_flight_; }
  // Groups holding at least one message; and those a receive could take from.
  std::size_t groups() const { return groups_.size(); }
  std::size_t unlocked_groups() const { return ready_.size(); }
  GroupCounts Counts(std::string_view message_group_id) const;
  bool IsLocked(std::string_view message_group_id) const;

 private:
  struct Group {
    std::string id;
    std::map<uint64_t, uint64_t> visible;    // sequence -> handle
    std::map<uint64_t, uint64_t> in_flight;  // sequence -> handle
  };
  Group& GetOrCreate(std::string_view message_group_id);
  Group& Get(std::string_view message_group_id);
  // Keeps ready_ in step with the group's state; erases an empty group.
  void Unready(Group& g);
  void Refresh(Group& g);

  std::map<std::string, Group, std::less<>> groups_;
  std::map<uint64_t, Group*> ready_;  // head sequence -> unlocked non-empty group
  int64_t visible_ = 0;
  int64_t in_flight_ = 0;
};

}  // namespace emu::sqs::fifo
