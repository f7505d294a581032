#include "pipeline/delivery_tap.h"

#include "pipeline/stages/s3_event.h"
#include "sim/check.h"
#include "sim/scheduler.h"

namespace pipeline {

DeliveryTap::DeliveryTap(emu::Account& account, const std::string& arn, const sim::Scheduler& sched)
    : inner_(account.ResolveTarget(arn)), sched_(sched) {
  SIM_CHECK_MSG(inner_ != nullptr, "no delivery target to tap at " << arn);
  account.RegisterTarget(arn, this);
}

sim::Status DeliveryTap::Deliver(const emu::Delivery& delivery) {
  sim::Status accepted = inner_->Deliver(delivery);
  if (!accepted.ok()) return accepted;
  ++deliveries_;
  sim::StatusOr<std::vector<S3ObjectEvent>> events = ParseS3Notification(delivery.body);
  if (events.ok())
    for (const S3ObjectEvent& e : *events) delivered_[e.key] = sched_.Now();
  return accepted;
}

}  // namespace pipeline
