#pragma once

// A pass-through DeliveryTarget placed in front of a queue's own target (by
// its ARN, in the account registry), recording which raw files' notifications
// reached the queue and when. The conservation check needs it to tell a file
// whose notification is still travelling (S3 -> SNS -> SQS) from one whose
// message vanished.

#include <map>
#include <string>

#include "emulators/common/account.h"
#include "emulators/common/delivery.h"
#include "sim/scheduler.h"
#include "sim/time.h"

namespace pipeline {

class DeliveryTap : public emu::DeliveryTarget {
 public:
  // Wraps the target currently registered under `arn`; SIM_CHECKs it exists.
  DeliveryTap(emu::Account& account, const std::string& arn, const sim::Scheduler& sched);
  sim::Status Deliver(const emu::Delivery& delivery) override;

  // Latest successful delivery time per raw key.
  const std::map<std::string, sim::Time>& delivered() const { return delivered_; }
  uint64_t deliveries() const { return deliveries_; }

 private:
  emu::DeliveryTarget* inner_;
  const sim::Scheduler& sched_;
  std::map<std::string, sim::Time> delivered_;
  uint64_t deliveries_ = 0;
};

}  // namespace pipeline
