#include "pipeline/conservation.h"

#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "emulators/s3/s3_model.h"
#include "emulators/sqs/sqs_model.h"
#include "pipeline/stages/s3_event.h"
#include "pipeline/topology.h"

namespace pipeline {

uint64_t ConservationReport::in_flight_records() const {
  uint64_t n = 0;
  for (const auto& [where, t] : in_flight) n += t.records;
  return n;
}

uint64_t ConservationReport::lost_records() const {
  uint64_t n = 0;
  for (const auto& [why, t] : lost) n += t.records;
  return n;
}

bool ConservationReport::ok() const {
  const uint64_t accounted = clean_records + dirty_records + failed.records + in_flight_records() + lost_records();
  return violations.empty() && accounted == generated_records && lost_records() == expected_lost_records;
}

std::string ConservationReport::Table() const {
  std::string out;
  char line[256];
  auto row = [&](const std::string& name, uint64_t files, uint64_t records) {
    std::snprintf(line, sizeof line, "  %-44s %10llu files %14llu records\n", name.c_str(),
                  static_cast<unsigned long long>(files), static_cast<unsigned long long>(records));
    out += line;
  };
  row("generated", generated_files, generated_records);
  std::snprintf(line, sizeof line, "  %-44s %10s       %14llu records\n", "clean", "",
                static_cast<unsigned long long>(clean_records));
  out += line;
  std::snprintf(line, sizeof line, "  %-44s %10s       %14llu records\n", "dirty", "",
                static_cast<unsigned long long>(dirty_records));
  out += line;
  row("  (committed files)", committed.files, committed.records);
  row("failed", failed.files, failed.records);
  for (const auto& [where, t] : in_flight) row("in flight: " + where, t.files, t.records);
  for (const auto& [why, t] : lost) row("lost: " + why, t.files, t.records);
  std::snprintf(line, sizeof line, "  lost %llu records, expected %llu: %s\n",
                static_cast<unsigned long long>(lost_records()), static_cast<unsigned long long>(expected_lost_records),
                lost_records() == expected_lost_records ? "as expected" : "NOT AS EXPECTED");
  out += line;
  for (const std::string& v : violations) out += "  violation: " + v + "\n";
  out += ok() ? "  conservation: OK\n" : "  conservation: FAILED\n";
  return out;
}

namespace {

// Raw key -> where its message is, for every message in the pipeline's queues.
std::map<std::string, std::string> LocateMessages(Pipeline& p) {
  std::map<std::string, std::string> where;
  emu::sqs::SqsModel& model = p.sqs().model();
  auto scan = [&](const std::string& queue, bool dlq) {
    sim::Status s = model.ForEachMessage(queue, p.env().Now(), [&](const emu::sqs::StoredMessage& m,
                                                                   emu::sqs::MessageState state) {
      sim::StatusOr<std::vector<S3ObjectEvent>> events = ParseS3Notification(m.body);
      if (!events.ok()) return;
      std::string place;
      if (dlq) {
        place = "in " + queue + " (dead-letter queue), awaiting file-copy";
      } else if (state == emu::sqs::MessageState::kInFlight) {
        place = "being processed (in flight in " + queue + ")";
      } else {
        place = "waiting in " + queue;
      }
      // A file can have several messages (duplicates, replays); the one
      // furthest along wins: processing > DLQ > waiting.
      for (const S3ObjectEvent& e : *events) {
        auto [it, inserted] = where.emplace(e.key, place);
        if (!inserted && place.starts_with("being processed")) it->second = place;
      }
    });
    s.IgnoreError();
  };
  scan(p.config().queue, false);
  scan(p.config().dlq, true);
  return where;
}

}  // namespace

ConservationReport CheckConservation(Pipeline& p, uint64_t expected_lost_records) {
  ConservationReport r;
  r.expected_lost_records = expected_lost_records;
  const Layout& layout = p.config().layout;
  const emu::s3::S3Model& s3 = p.s3().model();
  const std::map<std::string, std::string> located = LocateMessages(p);
  const std::map<std::string, sim::Time>& delivered = p.tap().delivered();

  for (const FileEntry& f : p.registry().files()) {
    ++r.generated_files;
    r.generated_records += f.truth.records;
    const uint64_t n = f.truth.records;
    if (f.put_failed) {
      r.lost["raw PUT failed after retries"].Add(n);
      continue;
    }
    if (f.landed == sim::Time::Max()) {
      r.in_flight["being written to S3 by the producer"].Add(n);
      continue;
    }
    if (const emu::s3::StoredObject* manifest = s3.FindObject(layout.bucket, layout.ManifestKey(f.key, f.etag))) {
      const nlohmann::json m = nlohmann::json::parse(manifest->body->Read(), nullptr, false);
      if (m.is_discarded() || !m.is_object()) {
        r.violations.push_back("unreadable manifest for " + f.key);
        r.lost["manifest unreadable"].Add(n);
        continue;
      }
      const uint64_t records = m.value("records", uint64_t{0});
      const uint64_t clean = m.value("clean", uint64_t{0});
      const uint64_t dirty = m.value("dirty", uint64_t{0});
      if (records != f.truth.records || clean != f.truth.clean || dirty != f.truth.dirty_total()) {
        r.violations.push_back("manifest of " + f.key + " says " + std::to_string(clean) + " clean + " +
                               std::to_string(dirty) + " dirty of " + std::to_string(records) +
                               ", ground truth " + std::to_string(f.truth.clean) + " + " +
                               std::to_string(f.truth.dirty_total()) + " of " + std::to_string(f.truth.records));
      }
      for (const auto& part : m.value("parts", nlohmann::json::array())) {
        const std::string key = part.value("key", "");
        if (!s3.FindObject(layout.bucket, key)) r.violations.push_back("manifest of " + f.key + " names missing part " + key);
      }
      r.committed.Add(n);
      r.clean_records += f.truth.clean;
      r.dirty_records += f.truth.dirty_total();
      continue;
    }
    if (s3.FindObject(layout.bucket, layout.FailedKey(f.key))) {
      r.failed.Add(n);
      continue;
    }
    if (auto it = located.find(f.key); it != located.end()) {
      r.in_flight[it->second].Add(n);
      continue;
    }
    if (auto it = p.expired().find(f.key); it != p.expired().end()) {
      r.lost[it->second].Add(n);
      continue;
    }
    const auto last_delivery = delivered.find(f.key);
    const auto replayed = p.copy_stage().replayed().find(f.key);
    if (last_delivery == delivered.end()) {
      r.in_flight["notification not yet delivered (S3 -> SNS -> SQS)"].Add(n);
      continue;
    }
    if (replayed != p.copy_stage().replayed().end() && replayed->second >= last_delivery->second) {
      // Replayed from failed/: the new notification is still travelling.
      r.in_flight["replayed, notification not yet delivered"].Add(n);
      continue;
    }
    r.lost["unexplained: message gone, no manifest, no failed copy"].Add(n);
    r.violations.push_back("records of " + f.key + " vanished");
  }
  return r;
}

}  // namespace pipeline
