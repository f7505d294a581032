#pragma once

// The generator's ground truth: every raw file it produced, with its recipe,
// its truth (records by outcome) and when it landed; plus clean records by
// hour x product x event type. The conservation check and the freshness
// report read it; nothing stores individual records.

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/generator/raw_file.h"
#include "sim/time.h"

namespace pipeline {

struct FileEntry {
  std::string key;
  RawFileSpec spec;
  FileTruth truth;
  sim::Time created;          // when the producer started the PUT
  sim::Time landed;           // when the PUT succeeded (Time::Max if it never did)
  std::string etag;           // without quotes
  bool put_failed = false;    // the producer gave up after its retries
  std::string put_error;
};

class FileRegistry {
 public:
  std::size_t Add(FileEntry entry);
  FileEntry& at(std::size_t i) { return files_[i]; }
  const std::vector<FileEntry>& files() const { return files_; }
  Cube& cube() { return cube_; }
  const Cube& cube() const { return cube_; }
  uint64_t total_records() const { return total_records_; }
  // Index of the file with this raw key, or -1.
  int64_t Find(const std::string& key) const;

 private:
  std::vector<FileEntry> files_;
  std::map<std::string, std::size_t> by_key_;
  Cube cube_;
  uint64_t total_records_ = 0;
};

}  // namespace pipeline
