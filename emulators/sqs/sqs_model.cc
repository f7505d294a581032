#include "emulators/sqs/sqs_model.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>

#include "emulators/sqs/sqs_errors.h"
#include "sim/check.h"

namespace emu::sqs {

namespace {

// Index entries point at (slot, sequence); `token` is the message's
// visibility generation when the entry was made (see Slot::token).
struct TimedEntry {
  sim::Time at;
  uint64_t seq;
  uint32_t slot;
  uint32_t token;
};
// Heap order: earliest first, ties by arrival sequence.
struct Later {
  bool operator()(const TimedEntry& a, const TimedEntry& b) const { return a.at != b.at ? a.at > b.at : a.seq > b.seq; }
};
struct SlotEntry {
  uint64_t seq;
  uint32_t slot;
  uint32_t token;
};

// Rebuild an index when it holds this many entries beyond twice the live ones.
constexpr std::size_t kCompactSlack = 1024;

constexpr char kHex[] = "0123456789abcdef";

// Writes v as `digits` lowercase hex digits at out (formatting into a buffer
// and building the string once keeps ids and handles cheap).
void PutHex(char* out, uint64_t v, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = kHex[v & 15];
    v >>= 4;
  }
}

constexpr std::array<int8_t, 256> MakeHexValues() {
  std::array<int8_t, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = -1;
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<int8_t>(i);
  for (int i = 0; i < 6; ++i) t['a' + i] = static_cast<int8_t>(10 + i);
  return t;
}
constexpr std::array<int8_t, 256> kHexValue = MakeHexValues();

bool ParseHex(std::string_view s, uint64_t& out) {
  uint64_t v = 0;
  for (char c : s) {
    const int d = kHexValue[static_cast<unsigned char>(c)];
    if (d < 0) return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  out = v;
  return true;
}

// Receipt handle: "AQEB" + queue uid (8) + slot (8) + sequence (16) +
// receive number (8), hex. Opaque to callers; decodes in O(1).
constexpr std::string_view kHandlePrefix = "AQEB";
constexpr std::size_t kHandleLength = 4 + 8 + 8 + 16 + 8;

struct Handle {
  uint32_t queue_uid = 0;
  uint32_t slot = 0;
  uint64_t seq = 0;
  uint32_t receive_count = 0;
};

std::string EncodeHandle(const Handle& h) {
  char buf[kHandleLength];
  std::copy(kHandlePrefix.begin(), kHandlePrefix.end(), buf);
  PutHex(buf + 4, h.queue_uid, 8);
  PutHex(buf + 12, h.slot, 8);
  PutHex(buf + 20, h.seq, 16);
  PutHex(buf + 36, h.receive_count, 8);
  return std::string(buf, kHandleLength);
}

std::optional<Handle> DecodeHandle(std::string_view s) {
  if (s.size() != kHandleLength || !s.starts_with(kHandlePrefix)) return std::nullopt;
  uint64_t uid, slot, seq, rc;
  if (!ParseHex(s.substr(4, 8), uid) || !ParseHex(s.substr(12, 8), slot) || !ParseHex(s.substr(20, 16), seq) ||
      !ParseHex(s.substr(36, 8), rc)) {
    return std::nullopt;
  }
  return Handle{static_cast<uint32_t>(uid), static_cast<uint32_t>(slot), seq, static_cast<uint32_t>(rc)};
}

// SQS accepts #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF,
// as valid UTF-8.
bool IsValidMessageContents(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  constexpr uint64_t kSpaces = 0x2020202020202020ULL;
  // Fast path: printable ASCII (no high bit, no byte < 0x20), 32 then 8
  // bytes at a time; anything else goes through the UTF-8 decoder below.
  const auto plain = [&](const unsigned char* q) {
    uint64_t w;
    std::memcpy(&w, q, 8);
    return (w & kHighBits) | ((w - kSpaces) & ~w & kHighBits);
  };
  while (end - p >= 32 && (plain(p) | plain(p + 8) | plain(p + 16) | plain(p + 24)) == 0) p += 32;
  while (p < end) {
    if (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (((w & kHighBits) | ((w - kSpaces) & ~w & kHighBits)) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned c = *p;
    if (c < 0x80) {
      if (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) return false;
      ++p;
      continue;
    }
    int n;
    uint32_t cp;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      const unsigned b = p[i];
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return false;
    p += n + 1;
  }
  return true;
}

sim::Status InvalidParameter(std::string_view parameter, std::string_view value, std::string_view reason) {
  return AwsError(errors::kInvalidParameterValue, "Value " + std::string(value) + " for parameter " +
                                                      std::string(parameter) +
                                                      " is invalid. Reason: " + std::string(reason) + ".");
}

sim::Status InvalidAttributeValue(std::string_view attribute) {
  return AwsError(errors::kInvalidAttributeValue, "Invalid value for the parameter " + std::string(attribute) + ".");
}

bool IsAttributeNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(s[i]) != lower(prefix[i])) return false;
  }
  return true;
}

// [+-] digits [. digits] [e [+-] digits], at least one mantissa digit, at
// most 38 significant digits.
bool IsValidNumber(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::string digits;
  bool dot = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (digits.empty()) return false;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return false;
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
  }
  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return true;  // zero
  const std::size_t last = digits.find_last_not_of('0');
  return last - first + 1 <= 38;
}

sim::Status BadMessageAttribute(std::string message) {
  return AwsError(errors::kInvalidParameterValue, std::move(message));
}

}  // namespace

MessageAttributes StringAttributes(const std::map<std::string, std::string>& attributes) {
  MessageAttributes out;
  for (const auto& [name, value] : attributes) out.emplace(name, MessageAttributeValue::String(value));
  return out;
}

std::map<std::string, std::string> StringValuesOf(const MessageAttributes& attributes) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : attributes) {
    if (!value.data_type.starts_with("Binary")) out.emplace(name, value.string_value);
  }
  return out;
}

std::string Md5OfMessageAttributes(const MessageAttributes& attributes) {
  if (attributes.empty()) return {};
  const Md5Digest d = DigestOfMessageAttributes(attributes);
  return ToHex(d.data(), d.size());
}

Md5Digest DigestOfMessageAttributes(const MessageAttributes& attributes) {
  // One buffer and one digest (a digest per field costs more than the
  // hashing for attributes this small); on the stack when it fits.
  const auto value_of = [](const MessageAttributeValue& v) -> const std::string& {
    return v.data_type.starts_with("Binary") ? v.binary_value : v.string_value;
  };
  std::size_t total = 0;
  for (const auto& [name, value] : attributes) total += 13 + name.size() + value.data_type.size() + value_of(value).size();
  const auto encode = [&](char* out) {
    const auto put = [&](std::string_view field) {
      const std::size_t n = field.size();
      const char len[4] = {static_cast<char>((n >> 24) & 0xFF), static_cast<char>((n >> 16) & 0xFF),
                           static_cast<char>((n >> 8) & 0xFF), static_cast<char>(n & 0xFF)};
      std::memcpy(out, len, 4);
      std::memcpy(out + 4, field.data(), n);
      out += 4 + n;
    };
    for (const auto& [name, value] : attributes) {  // std::map: sorted by name (bytewise)
      put(name);
      put(value.data_type);
      *out++ = value.data_type.starts_with("Binary") ? 2 : 1;  // transport type
      put(value_of(value));
    }
  };
  constexpr std::size_t kStackBytes = 1024;
  if (total <= kStackBytes) {
    char buf[kStackBytes];
    encode(buf);
    return Md5(std::string_view(buf, total));
  }
  std::string encoded(total, '\0');
  encode(encoded.data());
  return Md5(encoded);
}

std::size_t MessagePayloadBytes(std::string_view body, const MessageAttributes& attributes) {
  std::size_t size = body.size();
  for (const auto& [name, value] : attributes) {
    size += name.size() + value.data_type.size() + value.string_value.size() + value.binary_value.size();
  }
  return size;
}

sim::Status ValidateMessageAttributes(const MessageAttributes& attributes) {
  if (attributes.size() > static_cast<std::size_t>(kMaxMessageAttributes)) {
    return BadMessageAttribute("Number of message attributes [" + std::to_string(attributes.size()) +
                               "] exceeds the allowed maximum [10].");
  }
  for (const auto& [name, value] : attributes) {
    const bool name_ok = !name.empty() && name.size() <= static_cast<std::size_t>(kMaxMessageAttributeNameLength) &&
                         std::all_of(name.begin(), name.end(), IsAttributeNameChar) && name.front() != '.' &&
                         name.back() != '.' && name.find("..") == std::string::npos &&
                         !StartsWithNoCase(name, "AWS.") && !StartsWithNoCase(name, "Amazon.");
    if (!name_ok) {
      return BadMessageAttribute("Message (user) attribute name '" + name +
                                 "' is invalid. The attribute name can contain A-Z, a-z, 0-9, underscore (_), "
                                 "hyphen (-), and period (.) characters, up to 256, not start or end with a period "
                                 "nor have successive periods, and not start with AWS. or Amazon.");
    }
    const std::string& type = value.data_type;
    if (type.empty()) {
      return BadMessageAttribute("The message attribute '" + name + "' must contain non-empty message attribute type.");
    }
    const std::string_view base = std::string_view(type).substr(0, type.find('.'));
    if (type.size() > static_cast<std::size_t>(kMaxMessageAttributeTypeLength) ||
        (base != "String" && base != "Number" && base != "Binary")) {
      return BadMessageAttribute("The type of message (user) attribute '" + name +
                                 "' is invalid. You must use only the following supported type prefixes: Binary, "
                                 "Number, String.");
    }
    if (base == "Binary") {
      if (value.binary_value.empty() || !value.string_value.empty()) {
        return BadMessageAttribute("Message (user) attribute '" + name +
                                   "' must contain a non-empty value of type 'Binary'.");
      }
      continue;
    }
    if (value.string_value.empty() || !value.binary_value.empty()) {
      return BadMessageAttribute("Message (user) attribute '" + name + "' must contain a non-empty value of type '" +
                                 std::string(base) + "'.");
    }
    if (base == "Number" && !IsValidNumber(value.string_value)) {
      return BadMessageAttribute("Can't cast the value of message (user) attribute '" + name + "' to a number.");
    }
    if (!IsValidMessageContents(value.string_value)) {
      return AwsError(errors::kInvalidMessageContents, "Message attribute '" + name + "' contains invalid characters.");
    }
  }
  return sim::OkStatus();
}

std::string_view MessageStateName(MessageState state) {
  switch (state) {
    case MessageState::kVisible:
      return "visible";
    case MessageState::kInFlight:
      return "in_flight";
    case MessageState::kDelayed:
      return "delayed";
  }
  return "?";
}

std::string StoredMessage::message_id() const {
  char buf[36];
  PutHex(buf, id_hi >> 32, 8);
  buf[8] = '-';
  PutHex(buf + 9, (id_hi >> 16) & 0xFFFF, 4);
  buf[13] = '-';
  PutHex(buf + 14, id_hi & 0xFFFF, 4);
  buf[18] = '-';
  PutHex(buf + 19, id_lo >> 48, 4);
  buf[23] = '-';
  PutHex(buf + 24, id_lo & 0xFFFF'FFFF'FFFFull, 12);
  return std::string(buf, sizeof buf);
}

std::string StoredMessage::md5_of_body() const { return ToHex(md5.data(), md5.size()); }

std::string StoredMessage::md5_of_message_attributes() const {
  return message_attributes.empty() ? std::string() : ToHex(attributes_md5.data(), attributes_md5.size());
}

// --- queue state ------------------------------------------------------------

struct SqsModel::Queue {
  struct Slot {
    StoredMessage msg;
    // Bumped whenever the message's visibility changes (receive, change of
    // visibility, removal), which makes older index entries stale.
    uint32_t token = 0;
    MessageState state = MessageState::kVisible;
    bool live = false;
    // A duplicate delivery was armed at the last receive: the next receive
    // of this message is counted in duplicates_delivered.
    bool duplicate_armed = false;
  };

  // What a FIFO queue adds (null for a standard queue: one branch on it).
  struct FifoState {
    explicit FifoState(const fifo::FifoConfig& c, uint32_t salt)
        : dedup(c.deduplication_scope), sequence_numbers(salt) {}
    fifo::DeduplicationWindow dedup;
    fifo::SequenceNumberGenerator sequence_numbers;
    fifo::MessageGroupIndex groups;  // handle = slot, sequence = arrival sequence
  };

  std::string name;
  std::string url;
  std::string arn;
  uint32_t uid = 0;
  QueueConfig config;
  std::unique_ptr<FifoState> fifo;
  sim::Time created_at;
  sim::Time last_modified_at;
  std::map<std::string, std::string> tags;
  std::optional<sim::Time> last_purge;
  // The RedrivePolicy target's name (resolved when the policy is set: the
  // ARN names one queue name for good), so a receive finds the DLQ with one
  // lookup and no parsing.
  std::string dlq_name;
  std::optional<QueueCounts> counts_snapshot;  // ApproximateCounts with a lag
  sim::Time counts_snapshot_at;

  std::deque<Slot> slots;  // a deque: growing never moves a message
  std::vector<uint32_t> free_slots;
  uint64_t next_seq = 1;

  std::deque<SlotEntry> ready;      // visible, in order of becoming available
  std::vector<TimedEntry> pending;  // heap: delayed and in flight, by visible_at
  std::vector<TimedEntry> expiry;   // heap: every message, by sent_at + retention
  std::deque<SlotEntry> arrival;    // every message, in arrival order

  int64_t visible = 0;
  int64_t in_flight = 0;
  int64_t delayed = 0;
  int64_t live = 0;
  QueueStats stats;

  sim::Counter* sent_counter = nullptr;
  sim::Counter* received_counter = nullptr;
  sim::Counter* deleted_counter = nullptr;
  sim::Counter* expired_counter = nullptr;
  sim::Counter* moved_counter = nullptr;
  sim::Counter* purged_counter = nullptr;

  // Well-formed for this queue: a handle it could have issued.
  bool CouldHaveIssued(const Handle& h) const {
    return h.receive_count > 0 && h.seq > 0 && h.seq < next_seq && h.slot < slots.size();
  }
  bool Holds(uint32_t slot, uint64_t seq) const {
    return slot < slots.size() && slots[slot].live && slots[slot].msg.sequence == seq;
  }
  bool ReadyValid(const SlotEntry& e) const {
    return Holds(e.slot, e.seq) && slots[e.slot].token == e.token && slots[e.slot].state == MessageState::kVisible;
  }
  bool PendingValid(const TimedEntry& e) const {
    return Holds(e.slot, e.seq) && slots[e.slot].token == e.token && slots[e.slot].state != MessageState::kVisible;
  }

  int64_t& CountOf(MessageState s) {
    switch (s) {
      case MessageState::kVisible:
        return visible;
      case MessageState::kInFlight:
        return in_flight;
      case MessageState::kDelayed:
        return delayed;
    }
    return visible;
  }

  void PushPending(uint32_t slot) {
    const Slot& s = slots[slot];
    pending.push_back(TimedEntry{s.msg.visible_at, s.msg.sequence, slot, s.token});
    std::push_heap(pending.begin(), pending.end(), Later{});
  }

  // Stores a new message (its sequence is assigned here) as visible or
  // delayed according to visible_at.
  uint32_t Insert(StoredMessage&& msg, sim::Time now) {
    uint32_t slot;
    if (!free_slots.empty()) {
      slot = free_slots.back();
      free_slots.pop_back();
    } else {
      slot = static_cast<uint32_t>(slots.size());
      slots.emplace_back();
    }
    Slot& s = slots[slot];
    s.msg = std::move(msg);
    s.msg.sequence = next_seq++;
    s.live = true;
    s.duplicate_armed = false;
    ++s.token;
    ++live;
    const uint64_t seq = s.msg.sequence;
    arrival.push_back(SlotEntry{seq, slot, 0});
    expiry.push_back(TimedEntry{RetentionStart(s.msg) + sim::Seconds(config.message_retention_period), seq, slot, 0});
    std::push_heap(expiry.begin(), expiry.end(), Later{});
    if (s.msg.visible_at > now) {
      s.state = MessageState::kDelayed;
      ++delayed;
      PushPending(slot);
    } else {
      s.state = MessageState::kVisible;
      ++visible;
      ready.push_back(SlotEntry{seq, slot, s.token});
      if (fifo) fifo->groups.Enqueue(s.msg.message_group_id, slot, seq);
    }
    return slot;
  }

  // Retention counts from the original send in a standard queue (kept
  // across a DLQ move) and from the arrival in this queue in a FIFO one.
  sim::Time RetentionStart(const StoredMessage& m) const { return fifo ? m.enqueued_at : m.sent_at; }

  // `index`: also take it out of the FIFO group index (false when the index
  // was cleared first, PurgeQueue).
  void Remove(uint32_t slot, bool index = true) {
    Slot& s = slots[slot];
    if (fifo && index && s.state != MessageState::kDelayed) {
      fifo->groups.OnRemoved(s.msg.message_group_id, slot, s.msg.sequence);
    }
    --CountOf(s.state);
    --live;
    s.live = false;
    ++s.token;
    std::string().swap(s.msg.body);  // a free slot may stay unused a long time
    s.msg.message_attributes.clear();
    if (fifo) {
      std::string().swap(s.msg.message_group_id);
      std::string().swap(s.msg.message_deduplication_id);
      std::string().swap(s.msg.sequence_number);
    }
    free_slots.push_back(slot);
  }

  // Re-times every stored message's expiry (a MessageRetentionPeriod change).
  void RebuildExpiry() {
    expiry.clear();
    for (const SlotEntry& e : arrival) {
      if (!Holds(e.slot, e.seq)) continue;
      const StoredMessage& m = slots[e.slot].msg;
      expiry.push_back(TimedEntry{RetentionStart(m) + sim::Seconds(config.message_retention_period), e.seq, e.slot, 0});
    }
    std::make_heap(expiry.begin(), expiry.end(), Later{});
  }

  void DropStaleReadyFront() {
    while (!ready.empty() && !ReadyValid(ready.front())) ready.pop_front();
  }

  void MaybeCompact() {
    const auto limit = [](int64_t valid) { return 2 * static_cast<std::size_t>(valid) + kCompactSlack; };
    if (ready.size() > limit(visible)) {
      std::erase_if(ready, [this](const SlotEntry& e) { return !ReadyValid(e); });
    }
    if (pending.size() > limit(in_flight + delayed)) {
      std::erase_if(pending, [this](const TimedEntry& e) { return !PendingValid(e); });
      std::make_heap(pending.begin(), pending.end(), Later{});
    }
    if (expiry.size() > limit(live)) {
      std::erase_if(expiry, [this](const TimedEntry& e) { return !Holds(e.slot, e.seq); });
      std::make_heap(expiry.begin(), expiry.end(), Later{});
    }
    if (arrival.size() > limit(live)) {
      std::erase_if(arrival, [this](const SlotEntry& e) { return !Holds(e.slot, e.seq); });
    }
  }

  void DropStaleTops() {
    while (!pending.empty() && !PendingValid(pending.front())) {
      std::pop_heap(pending.begin(), pending.end(), Later{});
      pending.pop_back();
    }
    while (!expiry.empty() && !Holds(expiry.front().slot, expiry.front().seq)) {
      std::pop_heap(expiry.begin(), expiry.end(), Later{});
      expiry.pop_back();
    }
    while (!arrival.empty() && !Holds(arrival.front().slot, arrival.front().seq)) arrival.pop_front();
  }
};

// --- model ------------------------------------------------------------------

SqsModel::SqsModel(const Account& account, sim::MetricsRegistry& metrics, sim::Rng id_rng, SqsSettings settings)
    : account_(account), metrics_(metrics), id_rng_(id_rng), settings_(settings) {
  errors::RegisterSqsErrors();
  SIM_CHECK_MSG(settings_.duplicate_probability >= 0 && settings_.duplicate_probability <= 1,
                "SqsSettings::duplicate_probability " << settings_.duplicate_probability);
  SIM_CHECK_MSG(settings_.reorder_window >= 1, "SqsSettings::reorder_window " << settings_.reorder_window);
  SIM_CHECK_MSG(settings_.short_poll_sample_fraction > 0 && settings_.short_poll_sample_fraction <= 1,
                "SqsSettings::short_poll_sample_fraction " << settings_.short_poll_sample_fraction);
  effects_on_ = settings_.duplicate_probability > 0 || settings_.reorder_window > 1 || settings_.short_poll_sampling;
}

std::string_view MoveTaskStatusName(MoveTaskStatus status) {
  switch (status) {
    case MoveTaskStatus::kRunning:
      return "RUNNING";
    case MoveTaskStatus::kCompleted:
      return "COMPLETED";
    case MoveTaskStatus::kCancelling:
      return "CANCELLING";
    case MoveTaskStatus::kCancelled:
      return "CANCELLED";
    case MoveTaskStatus::kFailed:
      return "FAILED";
  }
  return "?";
}

SqsModel::~SqsModel() = default;

bool SqsModel::IsValidQueueName(std::string_view name) {
  if (name.empty() || name.size() > static_cast<std::size_t>(kMaxQueueNameLength)) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

SqsModel::Queue* SqsModel::FindQueue(std::string_view name) {
  auto it = queues_.find(name);
  return it == queues_.end() ? nullptr : it->second.get();
}

const SqsModel::Queue* SqsModel::FindQueue(std::string_view name) const {
  auto it = queues_.find(name);
  return it == queues_.end() ? nullptr : it->second.get();
}

SqsModel::Queue* SqsModel::FindQueueByUid(uint32_t uid) {
  for (auto& [name, q] : queues_) {
    if (q->uid == uid) return q.get();
  }
  return nullptr;
}

bool SqsModel::IsDeadLetterQueue(const Queue& q) const {
  for (const auto& [name, other] : queues_) {
    if (other->config.redrive_policy && other->config.redrive_policy->dead_letter_target_arn == q.arn) return true;
  }
  return false;
}

void SqsModel::Touch(sim::Time now) {
  SIM_CHECK_MSG(now >= last_now_, "SqsModel called at " << sim::ToString(now) << " after " << sim::ToString(last_now_)
                                                        << ": time went backwards");
  last_now_ = now;
}

sim::StatusOr<SqsModel::Queue*> SqsModel::GetQueue(std::string_view name, sim::Time now) {
  Touch(now);
  Queue* q = FindQueue(name);
  if (q == nullptr) {
    return AwsError(errors::kQueueDoesNotExist, "The specified queue does not exist (" + std::string(name) + ").");
  }
  ApplyDue(*q, now);
  return q;
}

std::optional<std::string> SqsModel::QueueNameForArn(std::string_view arn) const {
  auto parsed = Account::ParseArn(arn);
  if (!parsed || parsed->service != "sqs") return std::nullopt;
  const Queue* q = FindQueue(parsed->resource);
  if (q == nullptr || q->arn != arn) return std::nullopt;
  return q->name;
}

sim::Status SqsModel::ValidateConfig(const QueueConfig& c, std::string_view queue_arn) const {
  if (c.visibility_timeout < 0 || c.visibility_timeout > kMaxVisibilityTimeout) {
    return InvalidAttributeValue("VisibilityTimeout");
  }
  if (c.message_retention_period < kMinMessageRetentionPeriod ||
      c.message_retention_period > kMaxMessageRetentionPeriod) {
    return InvalidAttributeValue("MessageRetentionPeriod");
  }
  if (c.delay_seconds < 0 || c.delay_seconds > kMaxDelaySeconds) return InvalidAttributeValue("DelaySeconds");
  if (c.receive_message_wait_time_seconds < 0 ||
      c.receive_message_wait_time_seconds > kMaxReceiveMessageWaitTimeSeconds) {
    return InvalidAttributeValue("ReceiveMessageWaitTimeSeconds");
  }
  if (c.maximum_message_size < kMinMaximumMessageSize || c.maximum_message_size > settings_.max_message_size_limit) {
    return InvalidAttributeValue("MaximumMessageSize");
  }
  if (c.redrive_policy) {
    const RedrivePolicy& r = *c.redrive_policy;
    if (r.max_receive_count < kMinMaxReceiveCount || r.max_receive_count > kMaxMaxReceiveCount) {
      return AwsError(errors::kInvalidAttributeValue,
                      "Invalid value for the parameter RedrivePolicy. Reason: maxReceiveCount must be between 1 and "
                      "1000.");
    }
    std::optional<std::string> dlq_name = QueueNameForArn(r.dead_letter_target_arn);
    if (!dlq_name) {
      return AwsError(errors::kInvalidAttributeValue,
                      "Invalid value for the parameter RedrivePolicy. Reason: Dead letter target does not exist (" +
                          r.dead_letter_target_arn + ").");
    }
    const bool dlq_is_fifo = FindQueue(*dlq_name)->config.fifo.has_value();
    if (dlq_is_fifo != c.fifo.has_value()) {
      const std::string raw = "{\"deadLetterTargetArn\":\"" + r.dead_letter_target_arn +
                              "\",\"maxReceiveCount\":" + std::to_string(r.max_receive_count) + "}";
      SIM_RETURN_IF_ERROR(fifo::ValidateDeadLetterQueueType(c.fifo.has_value(), dlq_is_fifo, raw));
    }
    const std::optional<RedriveAllowPolicy>& allow = FindQueue(*dlq_name)->config.redrive_allow_policy;
    const bool allowed = !allow || allow->redrive_permission == RedriveAllowPolicy::Permission::kAllowAll ||
                         (allow->redrive_permission == RedriveAllowPolicy::Permission::kByQueue &&
                          std::find(allow->source_queue_arns.begin(), allow->source_queue_arns.end(), queue_arn) !=
                              allow->source_queue_arns.end());
    if (!allowed) {
      return InvalidParameter(
          "RedrivePolicy", r.dead_letter_target_arn,
          "Queue " + std::string(queue_arn) + " is not allowed to use it as a dead-letter queue (RedriveAllowPolicy)");
    }
  }
  if (c.fifo && c.fifo->fifo_throughput_limit == fifo::FifoThroughputLimit::kPerMessageGroupId &&
      c.fifo->deduplication_scope != fifo::DeduplicationScope::kMessageGroup) {
    return AwsError(errors::kInvalidAttributeValue,
                    "Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId value is "
                    "allowed only when the value for DeduplicationScope is messageGroup.");
  }
  if (c.redrive_allow_policy) {
    const RedriveAllowPolicy& a = *c.redrive_allow_policy;
    const std::size_t n = a.source_queue_arns.size();
    if ((a.redrive_permission == RedriveAllowPolicy::Permission::kByQueue &&
         (n == 0 || n > static_cast<std::size_t>(kMaxRedriveAllowSourceArns))) ||
        (a.redrive_permission != RedriveAllowPolicy::Permission::kByQueue && n != 0)) {
      return AwsError(errors::kInvalidAttributeValue,
                      "Invalid value for the parameter RedriveAllowPolicy. Reason: sourceQueueArns needs 1 to 10 "
                      "ARNs with byQueue and none otherwise.");
    }
  }
  return sim::OkStatus();
}

sim::StatusOr<std::string> SqsModel::CreateQueue(std::string_view queue_name, const QueueConfig& config,
                                                 sim::Time now) {
  Touch(now);
  if (config.fifo) {
    if (!fifo::IsFifoQueueName(queue_name)) {
      return InvalidParameter("QueueName", queue_name,
                              "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
                              "underscores, must end with .fifo suffix and be 1 to 80 in length");
    }
  } else if (!IsValidQueueName(queue_name)) {
    return InvalidParameter("QueueName", queue_name,
                            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  }
  SIM_RETURN_IF_ERROR(ValidateConfig(config, account_.Arn("sqs", queue_name)));
  if (Queue* existing = FindQueue(queue_name)) {
    ApplyDue(*existing, now);
    if (existing->config == config) return existing->url;
    return AwsError(errors::kQueueAlreadyExists,
                    "A queue already exists with the same name and a different value for an attribute (" +
                        std::string(queue_name) + ").");
  }
  if (auto d = deleted_at_.find(queue_name); d != deleted_at_.end()) {
    if (now < d->second + kQueueDeletedRecentlyInterval) {
      return AwsError(errors::kQueueDeletedRecently,
                      "You must wait 60 seconds after deleting a queue before you can create another queue with the "
                      "same name (" +
                          std::string(queue_name) + ").");
    }
    deleted_at_.erase(d);
  }
  auto q = std::make_unique<Queue>();
  q->name = std::string(queue_name);
  q->url = account_.QueueUrl(queue_name);
  q->arn = account_.Arn("sqs", queue_name);
  q->uid = next_queue_uid_++;
  q->config = config;
  if (config.fifo) q->fifo = std::make_unique<Queue::FifoState>(*config.fifo, q->uid);
  q->dlq_name = config.redrive_policy ? *QueueNameForArn(config.redrive_policy->dead_letter_target_arn) : "";
  q->created_at = now;
  q->last_modified_at = now;
  const std::string prefix = "sqs." + q->name + ".";
  q->sent_counter = &metrics_.GetCounter(prefix + "sent");
  q->received_counter = &metrics_.GetCounter(prefix + "received");
  q->deleted_counter = &metrics_.GetCounter(prefix + "deleted");
  q->expired_counter = &metrics_.GetCounter(prefix + "expired");
  q->moved_counter = &metrics_.GetCounter(prefix + "moved_to_dlq");
  q->purged_counter = &metrics_.GetCounter(prefix + "purged");
  std::string url = q->url;
  queues_.emplace(q->name, std::move(q));
  return url;
}

bool SqsModel::HasQueue(std::string_view queue_name) const { return FindQueue(queue_name) != nullptr; }

std::vector<std::string> SqsModel::ListQueues() const {
  std::vector<std::string> names;
  names.reserve(queues_.size());
  for (const auto& [name, q] : queues_) names.push_back(name);
  return names;
}

sim::StatusOr<QueueInfo> SqsModel::GetQueueInfo(std::string_view queue_name) const {
  const Queue* q = FindQueue(queue_name);
  if (q == nullptr) {
    return AwsError(errors::kQueueDoesNotExist,
                    "The specified queue does not exist (" + std::string(queue_name) + ").");
  }
  return QueueInfo{q->name, q->url, q->arn, q->config, q->created_at, q->last_modified_at, q->tags};
}

sim::Status SqsModel::SetQueueAttributes(std::string_view queue_name, const QueueConfig& config, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  if (config.fifo.has_value() != q->config.fifo.has_value()) {
    return AwsError(errors::kInvalidAttributeName, "Unknown Attribute FifoQueue.");
  }
  SIM_RETURN_IF_ERROR(ValidateConfig(config, q->arn));
  const bool retention_changed = config.message_retention_period != q->config.message_retention_period;
  q->config = config;
  if (q->fifo) q->fifo->dedup.SetScope(config.fifo->deduplication_scope);
  q->dlq_name = config.redrive_policy ? *QueueNameForArn(config.redrive_policy->dead_letter_target_arn) : "";
  q->last_modified_at = now;
  if (retention_changed) {
    q->RebuildExpiry();
    ApplyDue(*q, now);  // a shorter retention can expire messages at once
  }
  return sim::OkStatus();
}

sim::Status SqsModel::DeleteQueue(std::string_view queue_name, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  for (const SlotEntry& e : q->arrival) {
    if (!q->Holds(e.slot, e.seq)) continue;
    for (const QueueDeletedObserver& observer : queue_deleted_observers_) observer(q->name, q->slots[e.slot].msg, now);
    ++q->stats.deleted_with_queue;
    ++total_deleted_with_queue_;
  }
  metrics_.GetCounter("sqs." + q->name + ".deleted_with_queue").Add(q->stats.deleted_with_queue);
  for (MessageMoveTask& t : move_tasks_) {
    if (t.source_arn == q->arn && (t.status == MoveTaskStatus::kRunning || t.status == MoveTaskStatus::kCancelling)) {
      t.status = MoveTaskStatus::kFailed;
      t.failure_reason = "The source queue was deleted.";
    }
  }
  deleted_at_[q->name] = now;
  queues_.erase(queues_.find(queue_name));
  return sim::OkStatus();
}

sim::StatusOr<std::vector<std::string>> SqsModel::ListDeadLetterSourceQueues(std::string_view queue_name) const {
  const Queue* q = FindQueue(queue_name);
  if (q == nullptr) {
    return AwsError(errors::kQueueDoesNotExist,
                    "The specified queue does not exist (" + std::string(queue_name) + ").");
  }
  std::vector<std::string> out;
  for (const auto& [name, other] : queues_) {
    if (other->config.redrive_policy && other->config.redrive_policy->dead_letter_target_arn == q->arn) {
      out.push_back(name);
    }
  }
  return out;
}

namespace {
sim::Status ValidateTagKey(const std::string& key) {
  if (key.empty() || key.size() > static_cast<std::size_t>(kMaxTagKeyLength) || StartsWithNoCase(key, "aws:") ||
      !IsValidMessageContents(key)) {
    return AwsError(errors::kInvalidParameterValue,
                    "Tag key '" + key + "' is invalid: 1 to 128 characters, not starting with aws:.");
  }
  return sim::OkStatus();
}
}  // namespace

sim::Status SqsModel::TagQueue(std::string_view queue_name, const std::map<std::string, std::string>& tags,
                               sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  if (tags.empty()) return AwsError(errors::kMissingParameter, "The request must contain the parameter Tags.");
  std::size_t total = q->tags.size();
  for (const auto& [key, value] : tags) {
    SIM_RETURN_IF_ERROR(ValidateTagKey(key));
    if (value.size() > static_cast<std::size_t>(kMaxTagValueLength) || !IsValidMessageContents(value)) {
      return AwsError(errors::kInvalidParameterValue, "Tag value for key '" + key + "' is over 256 characters.");
    }
    if (!q->tags.count(key)) ++total;
  }
  if (total > static_cast<std::size_t>(kMaxQueueTags)) {
    return AwsError(errors::kInvalidParameterValue,
                    "Too many tags: a queue can have at most 50 (would have " + std::to_string(total) + ").");
  }
  for (const auto& [key, value] : tags) q->tags[key] = value;
  return sim::OkStatus();
}

sim::Status SqsModel::UntagQueue(std::string_view queue_name, const std::vector<std::string>& tag_keys, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  if (tag_keys.empty()) return AwsError(errors::kMissingParameter, "The request must contain the parameter TagKeys.");
  for (const std::string& key : tag_keys) SIM_RETURN_IF_ERROR(ValidateTagKey(key));
  for (const std::string& key : tag_keys) q->tags.erase(key);
  return sim::OkStatus();
}

sim::StatusOr<std::map<std::string, std::string>> SqsModel::ListQueueTags(std::string_view queue_name) const {
  const Queue* q = FindQueue(queue_name);
  if (q == nullptr) {
    return AwsError(errors::kQueueDoesNotExist,
                    "The specified queue does not exist (" + std::string(queue_name) + ").");
  }
  return q->tags;
}

const QueueConfig* SqsModel::FindConfig(std::string_view queue_name) const {
  const Queue* q = FindQueue(queue_name);
  return q == nullptr ? nullptr : &q->config;
}

void SqsModel::ApplyDue(Queue& q, sim::Time now) {
  // Retention first: a message past its expiry is gone whatever else was due.
  while (!q.expiry.empty() && q.expiry.front().at <= now) {
    const TimedEntry e = q.expiry.front();
    std::pop_heap(q.expiry.begin(), q.expiry.end(), Later{});
    q.expiry.pop_back();
    if (!q.Holds(e.slot, e.seq)) continue;
    for (const ExpiryObserver& observer : expiry_observers_) observer(q.name, q.slots[e.slot].msg, e.at);
    ++q.stats.expired;
    q.expired_counter->Add();
    q.Remove(e.slot);
  }
  while (!q.pending.empty() && q.pending.front().at <= now) {
    const TimedEntry e = q.pending.front();
    std::pop_heap(q.pending.begin(), q.pending.end(), Later{});
    q.pending.pop_back();
    if (!q.PendingValid(e)) continue;
    Queue::Slot& s = q.slots[e.slot];
    const MessageState was = s.state;
    --q.CountOf(s.state);
    s.state = MessageState::kVisible;
    ++q.visible;
    q.ready.push_back(SlotEntry{e.seq, e.slot, s.token});
    if (q.fifo) {
      // A delay ended: first arrival in its group. A visibility timeout ended
      // (or was set to 0): back to its group's head, blocking later messages.
      if (was == MessageState::kDelayed) {
        q.fifo->groups.Enqueue(s.msg.message_group_id, e.slot, e.seq);
      } else {
        q.fifo->groups.OnInFlightEnded(s.msg.message_group_id, e.slot, e.seq, /*back_to_visible=*/true);
      }
    }
  }
  q.MaybeCompact();
}

void SqsModel::Advance(sim::Time now) {
  Touch(now);
  for (auto& [name, q] : queues_) ApplyDue(*q, now);
}

std::optional<sim::Time> SqsModel::NextVisibleTime(std::string_view queue_name, sim::Time now) {
  Touch(now);
  Queue* q = FindQueue(queue_name);
  if (q == nullptr) return std::nullopt;
  ApplyDue(*q, now);
  q->DropStaleTops();
  if (q->pending.empty()) return std::nullopt;
  return q->pending.front().at;
}

int64_t SqsModel::ReceivableNow(std::string_view queue_name, sim::Time now) {
  Touch(now);
  Queue* q = FindQueue(queue_name);
  if (q == nullptr) return 0;
  ApplyDue(*q, now);
  if (q->fifo) return static_cast<int64_t>(q->fifo->groups.unlocked_groups());
  return q->visible;
}

bool SqsModel::IsFifoQueue(std::string_view queue_name) const {
  const Queue* q = FindQueue(queue_name);
  return q != nullptr && q->fifo != nullptr;
}

std::optional<sim::Time> SqsModel::NextExpiryTime(std::string_view queue_name, sim::Time now) {
  Touch(now);
  Queue* q = FindQueue(queue_name);
  if (q == nullptr) return std::nullopt;
  ApplyDue(*q, now);
  q->DropStaleTops();
  if (q->expiry.empty()) return std::nullopt;
  return q->expiry.front().at;
}

sim::StatusOr<SendResult> SqsModel::SendMessage(std::string_view queue_name, std::string body,
                                                MessageAttributes message_attributes, std::optional<int> delay_seconds,
                                                sim::Time now, const FifoSendFields& fifo_fields) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  if (body.empty()) {
    return AwsError(errors::kMissingParameter, "The request must contain the parameter MessageBody.");
  }
  std::string deduplication_id;  // FIFO: the effective id
  if (q->fifo) {
    SIM_ASSIGN_OR_RETURN(deduplication_id, fifo::ValidateFifoSend(*q->config.fifo, body, fifo_fields.message_group_id,
                                                                  fifo_fields.message_deduplication_id, delay_seconds));
  } else if (fifo_fields.message_group_id || fifo_fields.message_deduplication_id) {
    SIM_RETURN_IF_ERROR(fifo::ValidateStandardSend(fifo_fields.message_group_id, fifo_fields.message_deduplication_id));
  }
  const int delay = delay_seconds.value_or(q->config.delay_seconds);
  if (delay < 0 || delay > kMaxDelaySeconds) {
    return InvalidParameter("DelaySeconds", std::to_string(delay), "Must be >= 0 and <= 900");
  }
  SIM_RETURN_IF_ERROR(ValidateMessageAttributes(message_attributes));
  const std::size_t size = MessagePayloadBytes(body, message_attributes);
  if (size > static_cast<std::size_t>(q->config.maximum_message_size)) {
    return InvalidParameter(
        "MessageBody", "(" + std::to_string(size) + " bytes)",
        "Message must be shorter than " + std::to_string(q->config.maximum_message_size) + " bytes");
  }
  if (!IsValidMessageContents(body)) {
    return AwsError(errors::kInvalidMessageContents, "Invalid binary character in the message body.");
  }

  if (q->fifo) {
    // Validated first, as AWS does: a malformed duplicate is still an error.
    if (const fifo::DeduplicationRecord* original =
            q->fifo->dedup.FindDuplicate(*fifo_fields.message_group_id, deduplication_id, now)) {
      ++q->stats.deduplicated;
      SendResult dup{original->message_id, Md5Hex(body), Md5OfMessageAttributes(message_attributes),
                     original->sequence_number};
      dup.deduplicated = true;
      return dup;
    }
  }

  StoredMessage m;
  // A version-4 UUID from the model's stream.
  m.id_hi = (id_rng_.NextU64() & ~0xF000ull) | 0x4000ull;
  m.id_lo = (id_rng_.NextU64() & 0x3FFF'FFFF'FFFF'FFFFull) | 0x8000'0000'0000'0000ull;
  m.md5 = Md5(body);
  m.body = std::move(body);
  m.message_attributes = std::move(message_attributes);
  if (!m.message_attributes.empty()) m.attributes_md5 = DigestOfMessageAttributes(m.message_attributes);
  m.sent_at = now;
  m.enqueued_at = now;
  m.visible_at = now + sim::Seconds(delay);
  SendResult result{m.message_id(), m.md5_of_body(), m.md5_of_message_attributes()};
  if (q->fifo) {
    m.message_group_id = *fifo_fields.message_group_id;
    m.sequence_number = q->fifo->sequence_numbers.Next();
    result.sequence_number = m.sequence_number;
    q->fifo->dedup.Record(m.message_group_id, deduplication_id, result.message_id, m.sequence_number, now);
    m.message_deduplication_id = std::move(deduplication_id);
  }
  q->Insert(std::move(m), now);
  ++q->stats.sent;
  q->sent_counter->Add();
  return result;
}

void SqsModel::MoveMessage(Queue& from, Queue& to, uint32_t slot, sim::Time now) {
  StoredMessage& m0 = from.slots[slot].msg;
  StoredMessage m;
  m.id_hi = m0.id_hi;
  m.id_lo = m0.id_lo;
  m.md5 = m0.md5;
  m.attributes_md5 = m0.attributes_md5;
  m.body = std::move(m0.body);
  m.message_attributes = std::move(m0.message_attributes);
  m.sent_at = m0.sent_at;  // SentTimestamp; a standard queue also keeps it for retention
  m.enqueued_at = now;     // a FIFO queue's retention restarts here (Queue::RetentionStart)
  m.visible_at = now;
  if (from.fifo) {
    m.message_group_id = m0.message_group_id;  // copied: Remove() below still needs it
    m.message_deduplication_id = std::move(m0.message_deduplication_id);
    m.sequence_number = std::move(m0.sequence_number);
  }
  from.Remove(slot);
  to.Insert(std::move(m), now);
  ++to.stats.moved_in;
}

void SqsModel::MoveToDeadLetterQueue(Queue& source, Queue& dlq, uint32_t slot, sim::Time now, ReceiveResult& result) {
  ApplyDue(dlq, now);
  MoveMessage(source, dlq, slot, now);
  // The slot just filled in the DLQ is the newest arrival.
  dlq.slots[dlq.arrival.back().slot].msg.dead_letter_source_uid = source.uid;
  ++source.stats.moved_to_dlq;
  source.moved_counter->Add();
  ++result.moved_to_dlq;
  result.dead_letter_queue = dlq.name;
}

sim::StatusOr<ReceiveResult> SqsModel::ReceiveMessage(std::string_view queue_name, int max_number_of_messages,
                                                      std::optional<int> visibility_timeout, sim::Time now,
                                                      bool short_poll) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  if (max_number_of_messages < 1 || max_number_of_messages > kMaxNumberOfMessages) {
    return InvalidParameter("MaxNumberOfMessages", std::to_string(max_number_of_messages),
                            "Must be between 1 and 10, if provided");
  }
  if (visibility_timeout && (*visibility_timeout < 0 || *visibility_timeout > kMaxVisibilityTimeout)) {
    return InvalidParameter("VisibilityTimeout", std::to_string(*visibility_timeout),
                            "Must be >= 0 and <= 43200, if provided");
  }
  if (!q->fifo && q->in_flight >= settings_.max_in_flight) {
    return AwsError(errors::kOverLimit, "Too many messages in flight in queue " + q->name + ".");
  }
  const sim::Duration visibility = sim::Seconds(visibility_timeout.value_or(q->config.visibility_timeout));
  // The DLQ, if the policy's target still exists (a deleted DLQ stops redrive).
  Queue* dlq = q->config.redrive_policy ? FindQueue(q->dlq_name) : nullptr;
  ReceiveResult result;
  result.messages.reserve(static_cast<std::size_t>(std::min<int64_t>(max_number_of_messages, q->visible)));
  const auto want_more = [&] {
    return result.messages.size() < static_cast<std::size_t>(max_number_of_messages) &&
           q->in_flight < settings_.max_in_flight;
  };
  // Receives (or redrives) the message in `slot`; false if it was redriven.
  const auto take = [&](uint32_t slot) {
    if (dlq != nullptr && q->slots[slot].msg.receive_count >= q->config.redrive_policy->max_receive_count) {
      MoveToDeadLetterQueue(*q, *dlq, slot, now, result);
      return;
    }
    Queue::Slot& s = q->slots[slot];
    StoredMessage& m = s.msg;
    ++m.receive_count;
    if (m.receive_count == 1) m.first_received_at = now;
    m.last_received_at = now;
    m.visible_at = now + visibility;
    if (s.duplicate_armed) {
      s.duplicate_armed = false;
      ++q->stats.duplicates_delivered;
    }
    if (effects_on_ && !q->fifo && settings_.duplicate_probability > 0 &&
        effect_rngs_.duplicates.Bernoulli(settings_.duplicate_probability)) {
      // Another server still holds a visible copy: it is delivered again
      // after the redelivery delay (within the visibility timeout).
      m.visible_at = now + std::min(visibility, settings_.duplicate_redelivery_delay);
      s.duplicate_armed = true;
    }
    ++s.token;
    s.state = MessageState::kInFlight;
    --q->visible;
    ++q->in_flight;
    q->PushPending(slot);
    ++q->stats.received;
    q->received_counter->Add();

    ReceivedMessage& out = result.messages.emplace_back();
    out.message_id = m.message_id();
    out.receipt_handle = EncodeHandle(Handle{q->uid, slot, m.sequence, static_cast<uint32_t>(m.receive_count)});
    out.body = m.body;
    out.md5_of_body = m.md5_of_body();
    out.message_attributes = m.message_attributes;
    out.md5_of_message_attributes = m.md5_of_message_attributes();
    out.receive_count = m.receive_count;
    out.sent_at = m.sent_at;
    out.first_received_at = m.first_received_at;
    if (m.dead_letter_source_uid != 0) {
      if (const Queue* src = FindQueueByUid(m.dead_letter_source_uid)) out.dead_letter_source_arn = src->arn;
    }
    if (q->fifo) {
      out.message_group_id = m.message_group_id;
      out.message_deduplication_id = m.message_deduplication_id;
      out.sequence_number = m.sequence_number;
    }
  };

  if (q->fifo) {
    // Strict order per group, one in-flight batch per group; a message at
    // maxReceiveCount goes to the DLQ (which unlocks its group when it was
    // the last in flight) and the batch is topped up from what is left.
    while (result.messages.size() < static_cast<std::size_t>(max_number_of_messages) &&
           q->in_flight < kFifoMaxInFlight) {
      const int room = max_number_of_messages - static_cast<int>(result.messages.size());
      const std::vector<uint64_t> slots = q->fifo->groups.TakeForReceive(room);
      if (slots.empty()) break;
      for (uint64_t slot : slots) take(static_cast<uint32_t>(slot));
    }
  } else if (!effects_on_) {
    // Strict order of availability: the hot path, no draws.
    while (want_more() && !q->ready.empty()) {
      const SlotEntry e = q->ready.front();
      q->ready.pop_front();
      if (!q->ReadyValid(e)) continue;
      take(e.slot);
    }
  } else {
    // Scan the ready list in place: a message this poll does not see (short
    // poll sampling) stays where it is; a taken one leaves a stale entry.
    double seen = 1.0;
    if (short_poll && settings_.short_poll_sampling && q->visible < settings_.short_poll_full_depth) {
      seen = std::max(settings_.short_poll_sample_fraction,
                      static_cast<double>(q->visible) / static_cast<double>(settings_.short_poll_full_depth));
    }
    const std::size_t window_size = static_cast<std::size_t>(settings_.reorder_window);
    std::vector<std::size_t> window;  // indexes into ready, candidates for the next pick
    std::size_t pos = 0;
    while (want_more()) {
      while (window.size() < window_size && pos < q->ready.size()) {
        const std::size_t i = pos++;
        if (!q->ReadyValid(q->ready[i])) continue;
        if (seen < 1.0 && !effect_rngs_.short_poll.Bernoulli(seen)) continue;
        window.push_back(i);
      }
      if (window.empty()) break;
      const std::size_t pick = window.size() > 1 ? effect_rngs_.reorder.UniformInt(window.size()) : 0;
      const std::size_t index = window[pick];
      window.erase(window.begin() + static_cast<std::ptrdiff_t>(pick));
      take(q->ready[index].slot);
    }
    q->DropStaleReadyFront();
  }
  q->MaybeCompact();
  return result;
}

sim::Status SqsModel::DeleteMessage(std::string_view queue_name, std::string_view receipt_handle, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  const std::optional<Handle> h = DecodeHandle(receipt_handle);
  if (h && h->queue_uid != q->uid) {
    return AwsError(errors::kReceiptHandleIsInvalid, "The receipt handle isn't valid for this queue.");
  }
  if (!h || !q->CouldHaveIssued(*h)) {
    return AwsError(errors::kReceiptHandleIsInvalid,
                    "The input receipt handle \"" + std::string(receipt_handle) + "\" is not a valid receipt handle.");
  }
  if (!q->Holds(h->slot, h->seq) || q->slots[h->slot].msg.receive_count != static_cast<int>(h->receive_count)) {
    // Documented: an old handle "will still succeed, but the message might
    // not be deleted"; we never delete with it.
    ++q->stats.stale_deletes;
    return sim::OkStatus();
  }
  q->Remove(h->slot);
  ++q->stats.deleted;
  q->deleted_counter->Add();
  q->MaybeCompact();
  return sim::OkStatus();
}

sim::Status SqsModel::ChangeMessageVisibility(std::string_view queue_name, std::string_view receipt_handle,
                                              int visibility_timeout, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  if (visibility_timeout < 0 || visibility_timeout > kMaxVisibilityTimeout) {
    return InvalidParameter("VisibilityTimeout", std::to_string(visibility_timeout), "Must be >= 0 and <= 43200");
  }
  const std::optional<Handle> h = DecodeHandle(receipt_handle);
  if (!h || h->queue_uid != q->uid || !q->CouldHaveIssued(*h)) {
    return AwsError(errors::kReceiptHandleIsInvalid,
                    "The input receipt handle \"" + std::string(receipt_handle) + "\" is not a valid receipt handle.");
  }
  if (!q->Holds(h->slot, h->seq) || q->slots[h->slot].msg.receive_count != static_cast<int>(h->receive_count)) {
    return InvalidParameter("ReceiptHandle", receipt_handle, "The receipt handle has expired");
  }
  Queue::Slot& s = q->slots[h->slot];
  if (s.state != MessageState::kInFlight) {
    return AwsError(errors::kMessageNotInflight, "The message referred to isn't in flight.");
  }
  const sim::Time deadline = now + sim::Seconds(visibility_timeout);
  if (deadline > s.msg.last_received_at + sim::Seconds(kMaxVisibilityTimeout)) {
    return InvalidParameter("VisibilityTimeout", std::to_string(visibility_timeout),
                            "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]");
  }
  s.msg.visible_at = deadline;
  ++s.token;
  q->PushPending(h->slot);
  return sim::OkStatus();
}

sim::Status SqsModel::PurgeQueue(std::string_view queue_name, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  if (q->last_purge && now < *q->last_purge + kPurgeInterval) {
    return AwsError(errors::kPurgeQueueInProgress,
                    "Only one PurgeQueue operation on " + q->name + " is allowed every 60 seconds.");
  }
  if (q->fifo) q->fifo->groups.Clear();  // the deduplication window is kept
  for (const SlotEntry& e : q->arrival) {
    if (!q->Holds(e.slot, e.seq)) continue;
    q->Remove(e.slot, /*index=*/false);
    ++q->stats.purged;
    q->purged_counter->Add();
  }
  q->ready.clear();
  q->pending.clear();
  q->expiry.clear();
  q->arrival.clear();
  q->last_purge = now;
  return sim::OkStatus();
}

sim::StatusOr<QueueCounts> SqsModel::Counts(std::string_view queue_name, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  q->DropStaleTops();
  QueueCounts c;
  c.visible = q->visible;
  c.in_flight = q->in_flight;
  c.delayed = q->delayed;
  // CloudWatch: a message received 3+ times is "moved to the back of the
  // queue" for this metric; the scan is bounded to keep the call cheap.
  constexpr std::size_t kMaxOldestScan = 10'000;
  std::size_t scanned = 0;
  for (const SlotEntry& e : q->arrival) {
    if (++scanned > kMaxOldestScan) break;
    if (!q->Holds(e.slot, e.seq)) continue;
    const StoredMessage& m = q->slots[e.slot].msg;
    if (!c.oldest_enqueued_at) c.oldest_enqueued_at = m.enqueued_at;  // fallback: every message received 3+ times
    if (m.receive_count < kOldestMessageReceiveCountCutoff) {
      c.oldest_enqueued_at = m.enqueued_at;
      break;
    }
  }
  return c;
}

sim::StatusOr<QueueCounts> SqsModel::ApproximateCounts(std::string_view queue_name, sim::Time now) {
  if (settings_.approximate_counters_lag <= sim::Duration::Zero()) return Counts(queue_name, now);
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  if (!q->counts_snapshot || now - q->counts_snapshot_at >= settings_.approximate_counters_lag) {
    SIM_ASSIGN_OR_RETURN(QueueCounts c, Counts(queue_name, now));
    q->counts_snapshot = c;
    q->counts_snapshot_at = now;
  }
  return *q->counts_snapshot;
}

sim::StatusOr<QueueStats> SqsModel::Stats(std::string_view queue_name) const {
  const Queue* q = FindQueue(queue_name);
  if (q == nullptr) {
    return AwsError(errors::kQueueDoesNotExist,
                    "The specified queue does not exist (" + std::string(queue_name) + ").");
  }
  return q->stats;
}

sim::Status SqsModel::ForEachMessage(std::string_view queue_name, sim::Time now, const MessageVisitor& visit) {
  SIM_ASSIGN_OR_RETURN(Queue * q, GetQueue(queue_name, now));
  for (const SlotEntry& e : q->arrival) {
    if (!q->Holds(e.slot, e.seq)) continue;
    visit(q->slots[e.slot].msg, q->slots[e.slot].state);
  }
  return sim::OkStatus();
}

// --- message move tasks -------------------------------------------------------

sim::StatusOr<std::string> SqsModel::StartMessageMoveTask(std::string_view source_arn, std::string_view destination_arn,
                                                          std::optional<int> max_messages_per_second, sim::Time now) {
  Touch(now);
  std::optional<std::string> source_name = QueueNameForArn(source_arn);
  if (!source_name) {
    return AwsError(
        errors::kResourceNotFoundException,
        "The resource that you specified for the SourceArn parameter doesn't exist (" + std::string(source_arn) + ").");
  }
  Queue* source = FindQueue(*source_name);
  if (!IsDeadLetterQueue(*source)) {
    return InvalidParameter("SourceArn", source_arn, "Source queue must be configured as a Dead Letter Queue");
  }
  if (!destination_arn.empty()) {
    if (!QueueNameForArn(destination_arn)) {
      return AwsError(errors::kResourceNotFoundException,
                      "The resource that you specified for the DestinationArn parameter doesn't exist (" +
                          std::string(destination_arn) + ").");
    }
    if (destination_arn == source_arn) {
      return InvalidParameter("DestinationArn", destination_arn, "Source and destination must differ");
    }
    if ((FindQueue(*QueueNameForArn(destination_arn))->fifo != nullptr) != (source->fifo != nullptr)) {
      return InvalidParameter("DestinationArn", destination_arn,
                              "The destination queue must be of the same type as the source queue");
    }
  }
  if (max_messages_per_second && (*max_messages_per_second < 1 || *max_messages_per_second > kMaxMoveTaskRate)) {
    return InvalidParameter("MaxNumberOfMessagesPerSecond", std::to_string(*max_messages_per_second),
                            "Must be between 1 and 500");
  }
  for (const MessageMoveTask& t : move_tasks_) {
    if (t.source_arn == source_arn &&
        (t.status == MoveTaskStatus::kRunning || t.status == MoveTaskStatus::kCancelling)) {
      return AwsError(errors::kUnsupportedOperation,
                      "There is already a message move task running on " + std::string(source_arn) + ".");
    }
  }
  ApplyDue(*source, now);
  MessageMoveTask t;
  char buf[16];
  PutHex(buf, next_task_number_++, 16);
  t.task_handle = "mmt-" + std::string(buf, 16);
  t.source_arn = std::string(source_arn);
  t.destination_arn = std::string(destination_arn);
  t.rate_given = max_messages_per_second.has_value();
  t.max_messages_per_second = max_messages_per_second.value_or(kDefaultMoveTaskRate);
  t.to_move = source->visible;
  t.started_at = now;
  move_tasks_.push_back(t);
  return t.task_handle;
}

bool SqsModel::MoveTaskStep(std::string_view task_handle, sim::Time now) {
  Touch(now);
  auto it = std::find_if(move_tasks_.begin(), move_tasks_.end(),
                         [&](const MessageMoveTask& t) { return t.task_handle == task_handle; });
  if (it == move_tasks_.end()) return false;
  MessageMoveTask& t = *it;
  if (t.status == MoveTaskStatus::kCancelling) t.status = MoveTaskStatus::kCancelled;
  if (t.status != MoveTaskStatus::kRunning) return false;
  const auto fail = [&](std::string reason) {
    t.status = MoveTaskStatus::kFailed;
    t.failure_reason = std::move(reason);
    return false;
  };
  std::optional<std::string> source_name = QueueNameForArn(t.source_arn);
  if (!source_name) return fail("The source queue does not exist.");
  Queue& source = *FindQueue(*source_name);
  ApplyDue(source, now);
  Queue* fixed_destination = nullptr;
  if (!t.destination_arn.empty()) {
    std::optional<std::string> d = QueueNameForArn(t.destination_arn);
    if (!d) return fail("The destination queue does not exist.");
    fixed_destination = FindQueue(*d);
    ApplyDue(*fixed_destination, now);
  }
  for (int n = 0; n < t.max_messages_per_second && t.moved < t.to_move; ++n) {
    source.DropStaleReadyFront();
    if (source.ready.empty()) break;
    const uint32_t slot = source.ready.front().slot;
    Queue* to = fixed_destination;
    if (to == nullptr) {
      const uint32_t origin = source.slots[slot].msg.dead_letter_source_uid;
      to = origin == 0 ? nullptr : FindQueueByUid(origin);
      if (to == nullptr) return fail("A message's original source queue does not exist.");
      ApplyDue(*to, now);
    }
    source.ready.pop_front();
    MoveMessage(source, *to, slot, now);
    ++source.stats.moved_out;
    ++t.moved;
  }
  source.DropStaleReadyFront();
  source.MaybeCompact();
  if (t.moved >= t.to_move || source.ready.empty()) t.status = MoveTaskStatus::kCompleted;
  return t.status == MoveTaskStatus::kRunning;
}

sim::StatusOr<int64_t> SqsModel::CancelMessageMoveTask(std::string_view task_handle, sim::Time now) {
  Touch(now);
  auto it = std::find_if(move_tasks_.begin(), move_tasks_.end(),
                         [&](const MessageMoveTask& t) { return t.task_handle == task_handle; });
  if (it == move_tasks_.end() || it->status != MoveTaskStatus::kRunning) {
    return AwsError(errors::kResourceNotFoundException,
                    "No running message move task with handle " + std::string(task_handle) + ".");
  }
  it->status = MoveTaskStatus::kCancelling;
  return it->moved;
}

sim::StatusOr<std::vector<MessageMoveTask>> SqsModel::ListMessageMoveTasks(std::string_view source_arn, int max_results,
                                                                           sim::Time now) const {
  SIM_CHECK(now >= last_now_);
  if (!QueueNameForArn(source_arn)) {
    return AwsError(
        errors::kResourceNotFoundException,
        "The resource that you specified for the SourceArn parameter doesn't exist (" + std::string(source_arn) + ").");
  }
  if (max_results < 1 || max_results > 10) {
    return InvalidParameter("MaxResults", std::to_string(max_results), "Must be between 1 and 10");
  }
  std::vector<MessageMoveTask> out;
  for (auto it = move_tasks_.rbegin(); it != move_tasks_.rend() && out.size() < static_cast<std::size_t>(max_results);
       ++it) {
    if (it->source_arn == source_arn) out.push_back(*it);
  }
  return out;
}

}  // namespace emu::sqs
