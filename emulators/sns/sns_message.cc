#include "emulators/sns/sns_message.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "emulators/common/hashing.h"
#include "sim/time.h"

namespace emu::sns {

namespace {

using Json = nlohmann::ordered_json;  // keeps AWS's field order

}  // namespace

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

std::string HexToBytes(std::string_view hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
  return out;
}

Json AttributesJson(const SnsNotification& n) {
  Json out = Json::object();
  for (const auto& [name, value] : n.attributes) {
    auto type = n.attribute_types.find(name);
    const std::string t = type == n.attribute_types.end() ? "String" : type->second;
    // Binary values travel base64-encoded, as in AWS's JSON formats.
    out[name] = Json{{"Type", t}, {"Value", t.starts_with("Binary") ? Base64Encode(value) : value}};
  }
  return out;
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace

std::string SignatureOf(const SnsNotification& n) {
  // 256 bytes (an RSA-2048 signature's size) chained from a digest of the
  // fields SNS signs: Message, MessageId, Subject, Timestamp, TopicArn, Type.
  std::string digest = Sha256Hex(n.message + "\n" + n.message_id + "\n" + n.subject + "\n" +
                                 std::to_string(n.timestamp_unix_nanos) + "\n" + n.topic_arn + "\nNotification");
  std::string bytes;
  for (int i = 0; i < 8; ++i) {
    bytes += HexToBytes(digest);
    digest = Sha256Hex(digest);
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
  Json j = {{"Type", "Notification"}, {"MessageId", n.message_id}};
  if (!n.sequence_number.empty()) j["SequenceNumber"] = n.sequence_number;
  j["TopicArn"] = n.topic_arn;
  if (!n.subject.empty()) j["Subject"] = n.subject;
  j["Message"] = n.message;
  j["Timestamp"] = sim::FormatIso8601(n.timestamp_unix_nanos);
  j["SignatureVersion"] = "1";
  j["Signature"] = SignatureOf(n);
  j["SigningCertURL"] = SigningCertUrl(n.region);
  j["UnsubscribeURL"] = UnsubscribeUrl(n.region, n.subscription_arn);
  if (!n.attributes.empty()) j["MessageAttributes"] = AttributesJson(n);
  return Dump(j);
}

std::string BuildLambdaEvent(const SnsNotification& n) {
  Json sns = {{"Type", "Notification"}, {"MessageId", n.message_id}, {"TopicArn", n.topic_arn}};
  sns["Subject"] = n.subject.empty() ? Json(nullptr) : Json(n.subject);
  sns["Message"] = n.message;
  sns["Timestamp"] = sim::FormatIso8601(n.timestamp_unix_nanos);
  sns["SignatureVersion"] = "1";
  sns["Signature"] = SignatureOf(n);
  sns["SigningCertUrl"] = SigningCertUrl(n.region);
  sns["UnsubscribeUrl"] = UnsubscribeUrl(n.region, n.subscription_arn);
  sns["MessageAttributes"] = AttributesJson(n);
  Json record = {{"EventSource", "aws:sns"},
                 {"EventVersion", "1.0"},
                 {"EventSubscriptionArn", n.subscription_arn},
                 {"Sns", std::move(sns)}};
  return Dump(Json{{"Records", Json::array({std::move(record)})}});
}

std::string NewUuid(sim::Rng& rng) {
  uint64_t hi = rng.NextU64();
  uint64_t lo = rng.NextU64();
  hi = (hi & ~0xF000ull) | 0x4000ull;        // version 4
  lo = (lo & ~(3ull << 62)) | (2ull << 62);  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF), static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

}  // namespace emu::sns
