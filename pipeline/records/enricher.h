#pragma once

// Enrichment of a valid record: product family and licence type from the
// catalogue, sales region from the country. Writes the clean JSON line.

#include <string>

#include "pipeline/records/record_parser.h"

namespace pipeline {

// Appends the enriched record as one JSON line (with '\n').
void AppendCleanLine(const ParsedRecord& r, std::string& out);
// Appends a dirty-log line: {"reason":..,"detail":..,"line":"<escaped raw line>"}.
void AppendDirtyLine(const ValidationResult& v, std::string_view raw_line, std::string& out);
void AppendJsonEscaped(std::string_view s, std::string& out);

}  // namespace pipeline
