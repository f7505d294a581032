#pragma once

// Checks shared by the S3 model's files (objects, multipart uploads).

#include <map>
#include <string>
#include <string_view>

#include "sim/status.h"

namespace emu::s3 {

inline const std::string kDefaultContentType = "binary/octet-stream";

// InvalidArgument (empty key), KeyTooLongError (above 1,024 bytes).
sim::Status ValidateKey(std::string_view key);

// Lower-cases the names (HTTP headers are case-insensitive; S3 returns
// them in lower case) and checks the 2 KB limit: MetadataTooLarge.
sim::StatusOr<std::map<std::string, std::string>> NormaliseMetadata(const std::map<std::string, std::string>& in);

}  // namespace emu::s3
