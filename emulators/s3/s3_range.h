#pragma once

// HTTP byte ranges as S3 reads them (RFC 9110 section 14, one range only).
// GetObject: a header that does not parse as a single range is ignored
// (the whole object, 200); a range starting at or past the end, or any
// range of an empty object, is InvalidRange (416); an end past the object
// is clipped. UploadPartCopy's x-amz-copy-source-range must be exactly
// "bytes=first-last" inside the source, else InvalidArgument.

#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/status.h"

namespace emu::s3 {

struct ByteRangeSpec {
  enum class Kind { kFromTo, kFrom, kSuffix };
  Kind kind = Kind::kFromTo;
  uint64_t first = 0;   // kFromTo, kFrom
  uint64_t last = 0;    // kFromTo (inclusive)
  uint64_t suffix = 0;  // kSuffix: the last `suffix` bytes
};

// nullopt: not a single well-formed byte range (S3 ignores the header).
// Numbers too large for 64 bits saturate.
std::optional<ByteRangeSpec> ParseRangeHeader(std::string_view header);

// The bytes of a range over an object of `size` bytes.
struct ResolvedRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};
// InvalidRange (416) if nothing of the object is selected.
sim::StatusOr<ResolvedRange> ResolveRange(const ByteRangeSpec& spec, uint64_t size);

// "bytes a-b/size" for a resolved range.
std::string ContentRange(const ResolvedRange& r, uint64_t size);

// x-amz-copy-source-range: "bytes=first-last" with last < size, else
// InvalidArgument.
sim::StatusOr<ResolvedRange> ParseCopySourceRange(std::string_view header, uint64_t size);

}  // namespace emu::s3
