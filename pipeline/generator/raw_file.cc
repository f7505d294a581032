#include "pipeline/generator/raw_file.h"

#include <cmath>
#include <vector>

#include "pipeline/generator/catalogue.h"
#include "sim/distributions.h"
#include "sim/rng.h"

namespace pipeline {

namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr uint32_t kUsers = 200'000;

// Cumulative weights for categorical draws, built once.
struct Categorical {
  std::vector<double> cumulative;
  template <class Span, class Weight>
  Categorical(const Span& items, Weight weight) {
    double sum = 0;
    for (const auto& it : items) cumulative.push_back(sum += weight(it));
    for (double& c : cumulative) c /= sum;
  }
  uint32_t Sample(sim::Rng& rng) const {
    const double u = rng.NextDouble();
    uint32_t i = 0;
    while (i + 1 < cumulative.size() && u >= cumulative[i]) ++i;
    return i;
  }
};

const Categorical& CountryDist() {
  static const Categorical d(Countries(), [](const Country& c) { return c.weight; });
  return d;
}
const Categorical& EventTypeDist() {
  static const Categorical d(EventTypes(), [](const EventType& e) { return e.weight; });
  return d;
}
const sim::ZipfDist& ProductDist() {
  static const sim::ZipfDist d(Products().size(), 1.1);
  return d;
}
const sim::ZipfDist& UserDist() {
  static const sim::ZipfDist d(kUsers, 0.9);
  return d;
}

}  // namespace

uint64_t FileTruth::dirty_total() const {
  uint64_t n = 0;
  for (uint64_t d : dirty) n += d;
  return n;
}

void ForEachRecord(const RawFileSpec& spec, const std::function<void(const LogRecord&)>& fn) {
  sim::Rng rng(spec.seed);
  const int64_t span = spec.window_end_ms - spec.window_start_ms;
  const sim::LogNormalDist duration = sim::LogNormalDist::FromMeanStddev(4000, 9000);
  const uint32_t session_base = static_cast<uint32_t>(rng.NextU64() % 900'000'000);
  LogRecord r;
  for (uint32_t i = 0; i < spec.records; ++i) {
    r.event_id_hi = rng.NextU64();
    r.event_id_lo = rng.NextU64();
    r.event_time_unix_ms = spec.window_start_ms + (span > 0 ? static_cast<int64_t>(rng.UniformInt(static_cast<uint64_t>(span))) : 0);
    r.product = static_cast<uint32_t>(ProductDist().Sample(rng) - 1);
    r.country = CountryDist().Sample(rng);
    r.event_type = EventTypeDist().Sample(rng);
    r.user = static_cast<uint32_t>(UserDist().Sample(rng));
    r.session = session_base + i / 8;
    r.duration_ms = static_cast<uint32_t>(std::min(3.6e6, duration.Sample(rng)));
    r.dirty = DirtyKind::kNone;
    r.dirty_variant = 0;
    if (spec.dirty_ratio > 0 && rng.NextDouble() < spec.dirty_ratio) {
      r.dirty = static_cast<DirtyKind>(1 + rng.UniformInt(kDirtyKinds));
      r.dirty_variant = static_cast<uint8_t>(rng.UniformInt(12));
    }
    fn(r);
  }
}

namespace {
void Tally(const RawFileSpec& spec, const LogRecord& r, FileTruth* t, Cube* cube) {
  ++t->records;
  if (spec.poison) return;  // unreadable: none of its records can come out clean or dirty
  if (r.dirty == DirtyKind::kNone) {
    ++t->clean;
    if (cube) ++(*cube)[CubeKey{r.event_time_unix_ms / 3'600'000, r.product, r.event_type}];
  } else {
    ++t->dirty[static_cast<int>(r.dirty) - 1];
  }
}
}  // namespace

FileTruth ComputeTruth(const RawFileSpec& spec, Cube* cube) {
  FileTruth t;
  ForEachRecord(spec, [&](const LogRecord& r) { Tally(spec, r, &t, cube); });
  return t;
}

RawFileSource::RawFileSource(RawFileSpec spec, FileTruth* truth, Cube* cube) : spec_(spec) {
  emu::Md5Stream md5;
  GenerateTallying(
      [&](std::string_view chunk) {
        size_ += chunk.size();
        md5.Update(chunk);
      },
      truth, cube);
  md5_ = md5.Finish();
}

void RawFileSource::Generate(const std::function<void(std::string_view)>& sink) const {
  GenerateTallying(sink, nullptr, nullptr);
}

void RawFileSource::GenerateTallying(const std::function<void(std::string_view)>& sink, FileTruth* truth,
                                     Cube* cube) const {
  std::string buf;
  buf.reserve(kChunkBytes + 512);
  if (spec_.poison) {
    // A gzip member header followed by deterministic "compressed" bytes.
    sim::Rng rng(spec_.seed ^ 0x9e3779b97f4a7c15ULL);
    buf.append("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    if (truth) ForEachRecord(spec_, [&](const LogRecord& r) { Tally(spec_, r, truth, cube); });
    const uint64_t n = 48ull * spec_.records;
    for (uint64_t i = 0; i < n; ++i) {
      buf += static_cast<char>(rng.NextU64() & 0xff);
      if (buf.size() >= kChunkBytes) {
        sink(buf);
        buf.clear();
      }
    }
    if (!buf.empty()) sink(buf);
    return;
  }
  ForEachRecord(spec_, [&](const LogRecord& r) {
    if (truth) Tally(spec_, r, truth, cube);
    AppendRecordLine(r, buf);
    if (buf.size() >= kChunkBytes) {
      sink(buf);
      buf.clear();
    }
  });
  if (!buf.empty()) sink(buf);
}

std::string RawFileSource::Describe() const {
  return "raw-logs seed=" + std::to_string(spec_.seed) + " records=" + std::to_string(spec_.records) +
         (spec_.poison ? " poison" : "");
}

}  // namespace pipeline
