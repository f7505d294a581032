#include "pipeline/generator/file_registry.h"

#include "sim/check.h"

namespace pipeline {

std::size_t FileRegistry::Add(FileEntry entry) {
  SIM_CHECK_MSG(by_key_.count(entry.key) == 0, "raw key generated twice: " << entry.key);
  total_records_ += entry.truth.records;
  by_key_[entry.key] = files_.size();
  files_.push_back(std::move(entry));
  return files_.size() - 1;
}

int64_t FileRegistry::Find(const std::string& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? -1 : static_cast<int64_t>(it->second);
}

}  // namespace pipeline
