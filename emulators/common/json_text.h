#pragma once

// Writing JSON text by appending to a string, for the bodies services
// deliver by the million (SNS envelopes, S3 and Lambda events): building a
// DOM and serialising it costs several times more than the bytes. Output
// matches nlohmann::json's dump() for the same values: '"', '\\' and
// control characters escaped (\b \f \n \r \t, others \u00xx), everything
// else, UTF-8 included, copied as is. Inputs must be valid UTF-8; callers
// validate what users send.

#include <string>
#include <string_view>

namespace emu {

// Appends `s` as a JSON string literal, quotes included.
void AppendJsonString(std::string& out, std::string_view s);

// Appends `"key":` followed by `value` as a JSON string.
void AppendJsonMember(std::string& out, std::string_view key, std::string_view value);

}  // namespace emu
