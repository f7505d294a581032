#include "emulators/s3/s3_notification.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "sim/time.h"

namespace emu::s3 {

namespace {
constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

std::string BuildS3EventJson(const S3EventRecord& r) {
  using Json = nlohmann::ordered_json;  // keeps AWS's field order
  Json object = {{"key", UrlEncodeEventKey(r.key)}};
  if (r.size.has_value()) {
    object["size"] = *r.size;
    object["eTag"] = r.etag_hex;
  }
  object["sequencer"] = r.sequencer;

  Json record = {
      {"eventVersion", "2.1"},
      {"eventSource", "aws:s3"},
      {"awsRegion", r.region},
      {"eventTime", sim::FormatIso8601(r.event_time_unix_nanos)},
      {"eventName", r.event_name},
      {"userIdentity", {{"principalId", "AWS:" + r.account_id}}},
      {"requestParameters", {{"sourceIPAddress", "127.0.0.1"}}},
      {"responseElements", {{"x-amz-request-id", r.request_id}, {"x-amz-id-2", r.host_id}}},
      {"s3",
       {{"s3SchemaVersion", "1.0"},
        {"configurationId", r.configuration_id},
        {"bucket",
         {{"name", r.bucket}, {"ownerIdentity", {{"principalId", r.account_id}}}, {"arn", "arn:aws:s3:::" + r.bucket}}},
        {"object", std::move(object)}}},
  };
  Json event = {{"Records", Json::array({std::move(record)})}};
  // Bucket names and encoded keys are ASCII; replace guards the rest.
  return event.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string BuildS3TestEventJson(int64_t time_unix_nanos, std::string_view bucket, std::string_view request_id,
                                 std::string_view host_id) {
  using Json = nlohmann::ordered_json;
  const Json event = {{"Service", "Amazon S3"},
                      {"Event", "s3:TestEvent"},
                      {"Time", sim::FormatIso8601(time_unix_nanos)},
                      {"Bucket", std::string(bucket)},
                      {"RequestId", std::string(request_id)},
                      {"HostId", std::string(host_id)}};
  return event.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string UrlEncodeEventKey(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(key.size());
  for (const char ch : key) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '*' || c == '/') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string FormatSequencer(uint64_t sequence) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(sequence));
  return buf;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += kBase64Alphabet[(n >> 6) & 63];
    out += kBase64Alphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i + 1])) << 8;
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const int pad = last ? (text[i + 3] == '=') + (text[i + 2] == '=') : 0;
    if (pad == 1 && text[i + 2] == '=') return std::nullopt;  // "x=y=" is not padding
    uint32_t n = 0;
    for (int k = 0; k < 4 - pad; ++k) {
      const int v = Base64Value(text[i + k]);
      if (v < 0) return std::nullopt;
      n |= static_cast<uint32_t>(v) << (18 - 6 * k);
    }
    out += static_cast<char>((n >> 16) & 255);
    if (pad < 2) out += static_cast<char>((n >> 8) & 255);
    if (pad < 1) out += static_cast<char>(n & 255);
  }
  // Canonical form only, so one token has one spelling.
  if (Base64Encode(out) != text) return std::nullopt;
  return out;
}

}  // namespace emu::s3
