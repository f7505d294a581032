#pragma once

// The emulated AWS account: one region and account id, ARNs and queue URLs
// in AWS form, and the registry that resolves an ARN to the resource that
// accepts deliveries.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "emulators/common/delivery.h"

namespace emu {

struct ParsedArn {
  std::string partition, service, region, account, resource;
};

class Account {
 public:
  explicit Account(std::string region = "us-east-1", std::string account_id = "000000000000")
      : region_(std::move(region)), account_id_(std::move(account_id)) {}

  const std::string& region() const { return region_; }
  const std::string& account_id() const { return account_id_; }

  // arn:aws:<service>:<region>:<account>:<resource>; S3 buckets have no
  // region or account in their ARN (arn:aws:s3:::bucket).
  std::string Arn(std::string_view service, std::string_view resource) const;
  std::string BucketArn(std::string_view bucket) const { return "arn:aws:s3:::" + std::string(bucket); }
  std::string FunctionArn(std::string_view function) const { return Arn("lambda", "function:" + std::string(function)); }
  // https://sqs.<region>.amazonaws.com/<account>/<name>
  std::string QueueUrl(std::string_view queue_name) const;
  static std::optional<ParsedArn> ParseArn(std::string_view arn);
  // The queue name from a queue URL or ARN; nullopt if it is neither.
  static std::optional<std::string> QueueNameFromUrl(std::string_view url);

  // Delivery targets by ARN. Registering an ARN twice replaces the target
  // (a resource deleted and created again); Unregister on delete.
  void RegisterTarget(const std::string& arn, DeliveryTarget* target) { targets_[arn] = target; }
  void UnregisterTarget(const std::string& arn) { targets_.erase(arn); }
  DeliveryTarget* ResolveTarget(std::string_view arn) const;

 private:
  std::string region_;
  std::string account_id_;
  std::map<std::string, DeliveryTarget*, std::less<>> targets_;
};

}  // namespace emu
