#pragma once

// How services plug together: a notification or fan-out names its target by
// ARN, the Account resolves the ARN to a DeliveryTarget, and the source
// service calls Deliver() when its (modelled) delivery delay has passed. S3
// never knows it talks to SNS; SNS never knows the queue's internals.

#include <map>
#include <string>

#include "sim/status.h"

namespace emu {

struct Delivery {
  std::string body;
  std::string source_arn;  // the bucket, topic or function that sent it
  // Message attributes carried to SQS / Lambda, name -> value, with their
  // DataType ("Number", "Binary", custom labels) where not "String".
  std::map<std::string, std::string> attributes;
  std::map<std::string, std::string> attribute_types = {};
  // FIFO sources (SNS FIFO topics -> SQS FIFO queues); empty otherwise.
  std::string message_group_id = {};
  std::string message_deduplication_id = {};
};

class DeliveryTarget {
 public:
  virtual ~DeliveryTarget() = default;
  // Accepts the delivery into the target's state at the current simulated
  // time, or says why not (the source decides whether to retry).
  virtual sim::Status Deliver(const Delivery& delivery) = 0;
};

}  // namespace emu
