#include "emulators/s3/s3_range.h"

#include <string>

#include "emulators/common/aws_error.h"
#include "emulators/s3/s3_errors.h"

namespace emu::s3 {

namespace {

// Digits only, at least one; saturates at UINT64_MAX.
std::optional<uint64_t> ParseDigits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
  }
  return v;
}

}  // namespace

std::optional<ByteRangeSpec> ParseRangeHeader(std::string_view header) {
  constexpr std::string_view kUnit = "bytes=";
  if (!header.starts_with(kUnit)) return std::nullopt;
  header.remove_prefix(kUnit.size());
  if (header.find(',') != std::string_view::npos) return std::nullopt;  // S3: one range only
  const std::size_t dash = header.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view a = header.substr(0, dash);
  const std::string_view b = header.substr(dash + 1);
  ByteRangeSpec spec;
  if (a.empty()) {
    std::optional<uint64_t> n = ParseDigits(b);
    if (!n) return std::nullopt;
    spec.kind = ByteRangeSpec::Kind::kSuffix;
    spec.suffix = *n;
    return spec;
  }
  std::optional<uint64_t> first = ParseDigits(a);
  if (!first) return std::nullopt;
  spec.first = *first;
  if (b.empty()) {
    spec.kind = ByteRangeSpec::Kind::kFrom;
    return spec;
  }
  std::optional<uint64_t> last = ParseDigits(b);
  if (!last || *last < *first) return std::nullopt;  // RFC 9110: invalid, ignored
  spec.kind = ByteRangeSpec::Kind::kFromTo;
  spec.last = *last;
  return spec;
}

sim::StatusOr<ResolvedRange> ResolveRange(const ByteRangeSpec& spec, uint64_t size) {
  auto unsatisfiable = [] { return AwsError(errors::kInvalidRange, "The requested range is not satisfiable"); };
  if (size == 0) return unsatisfiable();
  switch (spec.kind) {
    case ByteRangeSpec::Kind::kSuffix:
      if (spec.suffix == 0) return unsatisfiable();
      return ResolvedRange{spec.suffix >= size ? 0 : size - spec.suffix, spec.suffix >= size ? size : spec.suffix};
    case ByteRangeSpec::Kind::kFrom:
      if (spec.first >= size) return unsatisfiable();
      return ResolvedRange{spec.first, size - spec.first};
    case ByteRangeSpec::Kind::kFromTo:
      if (spec.first >= size) return unsatisfiable();
      return ResolvedRange{spec.first, (spec.last >= size ? size - 1 : spec.last) - spec.first + 1};
  }
  return unsatisfiable();
}

std::string ContentRange(const ResolvedRange& r, uint64_t size) {
  return "bytes " + std::to_string(r.offset) + "-" + std::to_string(r.offset + r.length - 1) + "/" +
         std::to_string(size);
}

sim::StatusOr<ResolvedRange> ParseCopySourceRange(std::string_view header, uint64_t size) {
  std::optional<ByteRangeSpec> spec = ParseRangeHeader(header);
  if (!spec || spec->kind != ByteRangeSpec::Kind::kFromTo) {
    return AwsError(errors::kInvalidArgument,
                    "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are "
                    "the zero-based offsets of the first and last bytes to copy");
  }
  if (spec->last >= size) {
    return AwsError(errors::kInvalidArgument,
                    "Range specified is not valid for source object of size: " + std::to_string(size));
  }
  return ResolvedRange{spec->first, spec->last - spec->first + 1};
}

}  // namespace emu::s3
