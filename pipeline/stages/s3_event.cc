#include "pipeline/stages/s3_event.h"

#include <nlohmann/json.hpp>

namespace pipeline {

std::string UrlDecodeKey(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

namespace {

sim::StatusOr<std::vector<S3ObjectEvent>> ParseS3NotificationOrThrow(std::string_view sqs_body) {
  nlohmann::json doc = nlohmann::json::parse(sqs_body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return sim::InvalidArgumentError("message body is not JSON");
  if (doc.value("Type", "") == "Notification" && doc.contains("Message") && doc["Message"].is_string()) {
    doc = nlohmann::json::parse(doc["Message"].get<std::string>(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      return sim::InvalidArgumentError("SNS message is not JSON");
  }
  std::vector<S3ObjectEvent> events;
  if (doc.value("Event", "") == "s3:TestEvent") return events;
  if (!doc.contains("Records") || !doc["Records"].is_array())
    return sim::InvalidArgumentError("no S3 Records in the message");
  for (const auto& rec : doc["Records"]) {
    if (!rec.is_object() || !rec.contains("s3")) return sim::InvalidArgumentError("S3 record without s3 field");
    const auto& s3 = rec["s3"];
    S3ObjectEvent e;
    e.event_name = rec.value("eventName", "");
    if (!s3.contains("bucket") || !s3.contains("object")) return sim::InvalidArgumentError("S3 record incomplete");
    e.bucket = s3["bucket"].value("name", "");
    e.key = UrlDecodeKey(s3["object"].value("key", ""));
    e.etag = s3["object"].value("eTag", "");
    e.size = s3["object"].value("size", uint64_t{0});
    if (e.bucket.empty() || e.key.empty()) return sim::InvalidArgumentError("S3 record without bucket or key");
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace

sim::StatusOr<std::vector<S3ObjectEvent>> ParseS3Notification(std::string_view sqs_body) {
  // json::value() and get() throw type_error when a field has the wrong type
  // (e.g. "size":"12"); a malformed message is an expected failure, not a crash.
  try {
    return ParseS3NotificationOrThrow(sqs_body);
  } catch (const nlohmann::json::exception& e) {
    return sim::InvalidArgumentError(std::string("S3 event field of the wrong type: ") + e.what());
  }
}

}  // namespace pipeline
