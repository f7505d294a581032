#include "emulators/common/account.h"

namespace emu {

std::string Account::Arn(std::string_view service, std::string_view resource) const {
  std::string arn = "arn:aws:";
  arn += service;
  arn += ':';
  arn += region_;
  arn += ':';
  arn += account_id_;
  arn += ':';
  arn += resource;
  return arn;
}

std::string Account::QueueUrl(std::string_view queue_name) const {
  return "https://sqs." + region_ + ".amazonaws.com/" + account_id_ + "/" + std::string(queue_name);
}

std::optional<ParsedArn> Account::ParseArn(std::string_view arn) {
  // arn:partition:service:region:account:resource (resource may hold ':')
  ParsedArn p;
  std::string* parts[] = {nullptr, &p.partition, &p.service, &p.region, &p.account};
  std::size_t pos = 0;
  for (int i = 0; i < 5; ++i) {
    const std::size_t colon = arn.find(':', pos);
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view field = arn.substr(pos, colon - pos);
    if (i == 0 && field != "arn") return std::nullopt;
    if (parts[i]) *parts[i] = std::string(field);
    pos = colon + 1;
  }
  p.resource = std::string(arn.substr(pos));
  if (p.partition.empty() || p.service.empty() || p.resource.empty()) return std::nullopt;
  return p;
}

std::optional<std::string> Account::QueueNameFromUrl(std::string_view url) {
  if (url.starts_with("arn:")) {
    auto p = ParseArn(url);
    if (!p || p->service != "sqs") return std::nullopt;
    return p->resource;
  }
  if (!url.starts_with("http://") && !url.starts_with("https://")) return std::nullopt;
  const std::size_t slash = url.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == url.size()) return std::nullopt;
  return std::string(url.substr(slash + 1));
}

DeliveryTarget* Account::ResolveTarget(std::string_view arn) const {
  auto it = targets_.find(arn);
  return it == targets_.end() ? nullptr : it->second;
}

}  // namespace emu
