#include "emulators/s3/object_body.h"

#include <algorithm>

#include "sim/check.h"

namespace emu::s3 {

std::shared_ptr<const ObjectBody> ObjectBody::FromBytes(std::string bytes) {
  // The constructor is private, so no make_shared.
  std::shared_ptr<ObjectBody> body(new ObjectBody());
  body->size_ = bytes.size();
  body->bytes_ = std::move(bytes);
  return body;
}

std::shared_ptr<const ObjectBody> ObjectBody::FromSource(std::shared_ptr<const BodySource> source) {
  SIM_CHECK(source != nullptr);
  std::shared_ptr<ObjectBody> body(new ObjectBody());
  body->size_ = source->size();
  body->source_ = std::move(source);
  return body;
}

void ObjectBody::Stream(const std::function<void(std::string_view)>& sink) const {
  if (source_ == nullptr) {
    if (!bytes_.empty()) sink(bytes_);
    return;
  }
  uint64_t produced = 0;
  source_->Generate([&](std::string_view chunk) {
    produced += chunk.size();
    if (!chunk.empty()) sink(chunk);
  });
  SIM_CHECK_MSG(produced == size_, "body source '" << source_->Describe() << "' generated " << produced
                                                   << " bytes, its size() says " << size_);
}

std::string ObjectBody::Read() const {
  if (source_ == nullptr) return bytes_;
  std::string out;
  out.reserve(size_);
  Stream([&](std::string_view chunk) { out.append(chunk); });
  return out;
}

std::string ObjectBody::ReadRange(uint64_t offset, uint64_t length) const {
  if (offset >= size_ || length == 0) return {};
  const uint64_t end = offset + std::min(length, size_ - offset);
  if (source_ == nullptr) return bytes_.substr(offset, end - offset);
  // Generation is sequential: skip the chunks before the range, keep the
  // overlapping parts.
  std::string out;
  out.reserve(end - offset);
  uint64_t pos = 0;
  Stream([&](std::string_view chunk) {
    const uint64_t chunk_end = pos + chunk.size();
    if (chunk_end > offset && pos < end) {
      const uint64_t from = std::max(pos, offset) - pos;
      const uint64_t to = std::min(chunk_end, end) - pos;
      out.append(chunk.substr(from, to - from));
    }
    pos = chunk_end;
  });
  return out;
}

const Md5Digest& ObjectBody::Md5() const {
  if (!md5_ready_ && source_) {
    if (std::optional<Md5Digest> known = source_->KnownMd5()) {
      md5_ = *known;
      md5_ready_ = true;
    }
  }
  if (!md5_ready_) {
    Md5Stream md5;
    Stream([&](std::string_view chunk) { md5.Update(chunk); });
    md5_ = md5.Finish();
    md5_ready_ = true;
  }
  return md5_;
}

std::string ObjectBody::ETag() const {
  const Md5Digest& d = Md5();
  return "\"" + ToHex(d.data(), d.size()) + "\"";
}

}  // namespace emu::s3
