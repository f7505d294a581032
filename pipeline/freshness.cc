#include "pipeline/freshness.h"

#include "emulators/s3/s3_model.h"
#include "pipeline/topology.h"

namespace pipeline {

FreshnessReport MeasureFreshness(Pipeline& p) {
  FreshnessReport r;
  const Layout& layout = p.config().layout;
  const emu::s3::S3Model& s3 = p.s3().model();
  for (const FileEntry& f : p.registry().files()) {
    if (f.landed == sim::Time::Max()) continue;
    const emu::s3::StoredObject* manifest = s3.FindObject(layout.bucket, layout.ManifestKey(f.key, f.etag));
    if (!manifest) continue;
    const int64_t landed_ns = p.env().UnixNanos(f.landed);
    const int64_t ms = (manifest->last_modified_unix_nanos - landed_ns) / 1'000'000;
    r.millis.Record(ms < 0 ? 0 : ms, f.truth.records);
    ++r.files;
  }
  return r;
}

}  // namespace pipeline
