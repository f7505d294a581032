#include "emulators/sns/sns_message.h"

#include "emulators/common/hashing.h"
#include "emulators/common/json_text.h"
#include "emulators/common/uuid.h"
#include "sim/time.h"

namespace emu::sns {

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

namespace {

// The members of an attribute map, as {"Type":..,"Value":..} objects.
// Binary values travel base64-encoded, as in AWS's JSON formats.
void AppendAttributeMembers(std::string& out, const SnsNotification& n, std::string_view separator,
                            std::string_view colon) {
  bool first = true;
  for (const auto& [name, value] : n.attributes) {
    if (!first) out.append(separator);
    first = false;
    auto type = n.attribute_types.find(name);
    const std::string_view t = type == n.attribute_types.end() ? std::string_view("String") : type->second;
    AppendJsonString(out, name);
    out.append(colon);
    out.append("{\"Type\":");
    AppendJsonString(out, t);
    out.append(",\"Value\":");
    AppendJsonString(out, t.starts_with("Binary") ? Base64Encode(value) : value);
    out.push_back('}');
  }
}

// One member of the pretty-printed envelope: `  "Key" : "value"`.
void AppendEnvelopeMember(std::string& out, std::string_view key, std::string_view value) {
  out.append(",\n  ");
  AppendJsonString(out, key);
  out.append(" : ");
  AppendJsonString(out, value);
}

void AppendMember(std::string& out, std::string_view key, std::string_view value) {
  out.push_back(',');
  AppendJsonMember(out, key, value);
}

const std::string& SignatureFor(const SnsNotification& n, std::string& scratch) {
  if (!n.signature.empty()) return n.signature;
  scratch = SignatureOf(n);
  return scratch;
}

}  // namespace

std::string SignatureOf(const SnsNotification& n) {
  // 256 bytes (an RSA-2048 signature's size) derived from a SHA-256 of the
  // fields SNS signs (Message, MessageId, Subject, Timestamp, TopicArn,
  // Type): one digest, then a SplitMix64 stream seeded from it.
  std::string signed_fields;
  signed_fields.reserve(n.message.size() + n.subject.size() + 160);
  for (std::string_view part : {std::string_view(n.message), std::string_view(n.message_id),
                                std::string_view(n.subject), std::string_view(n.topic_arn)}) {
    signed_fields.append(part);
    signed_fields.push_back('\n');
  }
  signed_fields.append(std::to_string(n.timestamp_unix_nanos));
  signed_fields.append("\nNotification");
  const std::string digest = Sha256Hex(signed_fields);
  uint64_t state = std::stoull(digest.substr(0, 16), nullptr, 16) ^ std::stoull(digest.substr(16, 16), nullptr, 16);
  std::string bytes(256, '\0');
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    state += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    for (int b = 0; b < 8; ++b) bytes[i + b] = static_cast<char>((z >> (8 * b)) & 0xFF);
  }
  return Base64Encode(bytes);
}

std::string SigningCertUrl(std::string_view region) {
  return "https://sns." + std::string(region) +
         ".amazonaws.com/SimpleNotificationService-00000000000000000000000000000000.pem";
}

std::string UnsubscribeUrl(std::string_view region, std::string_view subscription_arn) {
  return "https://sns." + std::string(region) +
         ".amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + std::string(subscription_arn);
}

std::string BuildSqsEnvelope(const SnsNotification& n) {
  std::string scratch;
  std::string out;
  out.reserve(n.message.size() + n.subject.size() + 900 + 64 * n.attributes.size());
  out.append("{\n  \"Type\" : \"Notification\"");
  AppendEnvelopeMember(out, "MessageId", n.message_id);
  if (!n.sequence_number.empty()) AppendEnvelopeMember(out, "SequenceNumber", n.sequence_number);
  AppendEnvelopeMember(out, "TopicArn", n.topic_arn);
  if (!n.subject.empty()) AppendEnvelopeMember(out, "Subject", n.subject);
  AppendEnvelopeMember(out, "Message", n.message);
  AppendEnvelopeMember(out, "Timestamp", sim::FormatIso8601(n.timestamp_unix_nanos));
  AppendEnvelopeMember(out, "SignatureVersion", "1");
  AppendEnvelopeMember(out, "Signature", SignatureFor(n, scratch));
  AppendEnvelopeMember(out, "SigningCertURL", SigningCertUrl(n.region));
  AppendEnvelopeMember(out, "UnsubscribeURL", UnsubscribeUrl(n.region, n.subscription_arn));
  if (!n.attributes.empty()) {
    out.append(",\n  \"MessageAttributes\" : {\n    ");
    AppendAttributeMembers(out, n, ",\n    ", " : ");
    out.append("\n  }");
  }
  out.append("\n}");
  return out;
}

std::string BuildLambdaEvent(const SnsNotification& n) {
  std::string scratch;
  std::string out;
  out.reserve(n.message.size() + n.subject.size() + 1000 + 64 * n.attributes.size());
  out.append(R"({"Records":[{"EventSource":"aws:sns","EventVersion":"1.0",)");
  AppendJsonMember(out, "EventSubscriptionArn", n.subscription_arn);
  out.append(R"(,"Sns":{"Type":"Notification")");
  AppendMember(out, "MessageId", n.message_id);
  if (!n.sequence_number.empty()) AppendMember(out, "SequenceNumber", n.sequence_number);
  AppendMember(out, "TopicArn", n.topic_arn);
  if (n.subject.empty()) {
    out.append(R"(,"Subject":null)");
  } else {
    AppendMember(out, "Subject", n.subject);
  }
  AppendMember(out, "Message", n.message);
  AppendMember(out, "Timestamp", sim::FormatIso8601(n.timestamp_unix_nanos));
  AppendMember(out, "SignatureVersion", "1");
  AppendMember(out, "Signature", SignatureFor(n, scratch));
  AppendMember(out, "SigningCertUrl", SigningCertUrl(n.region));
  AppendMember(out, "UnsubscribeUrl", UnsubscribeUrl(n.region, n.subscription_arn));
  out.append(R"(,"MessageAttributes":{)");
  AppendAttributeMembers(out, n, ",", ":");
  out.append("}}}]}");
  return out;
}

std::string NewUuid(sim::Rng& rng) { return NewUuidV4(rng); }

}  // namespace emu::sns
