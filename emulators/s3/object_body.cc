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
  std::string out;
  out.reserve(end - offset);
  StreamRange(offset, length, [&](std::string_view chunk) { out.append(chunk); });
  return out;
}

void ObjectBody::StreamRange(uint64_t offset, uint64_t length,
                             const std::function<void(std::string_view)>& sink) const {
  if (offset >= size_ || length == 0) return;
  const uint64_t end = offset + std::min(length, size_ - offset);
  if (source_ == nullptr) {
    sink(std::string_view(bytes_).substr(offset, end - offset));
    return;
  }
  uint64_t produced = 0;
  source_->GenerateRange(offset, end, [&](std::string_view chunk) {
    produced += chunk.size();
    if (!chunk.empty()) sink(chunk);
  });
  SIM_CHECK_MSG(produced == end - offset, "body source '" << source_->Describe() << "' generated " << produced
                                                          << " bytes for a range of " << end - offset);
}

void BodySource::GenerateRange(uint64_t offset, uint64_t end, const std::function<void(std::string_view)>& sink) const {
  // Generation is sequential: skip the chunks before the range, pass the
  // overlapping parts on.
  uint64_t pos = 0;
  Generate([&](std::string_view chunk) {
    const uint64_t chunk_end = pos + chunk.size();
    if (chunk_end > offset && pos < end) {
      const uint64_t from = std::max(pos, offset) - pos;
      const uint64_t to = std::min(chunk_end, end) - pos;
      sink(chunk.substr(from, to - from));
    }
    pos = chunk_end;
  });
}

namespace {

// Parts laid end to end; `ends_[i]` is the offset just past part i, so a
// range finds its first part by binary search.
class ConcatSource : public BodySource {
 public:
  explicit ConcatSource(std::vector<std::shared_ptr<const ObjectBody>> parts) : parts_(std::move(parts)) {
    uint64_t end = 0;
    for (const auto& p : parts_) {
      SIM_CHECK(p != nullptr);
      end += p->size();
      ends_.push_back(end);
    }
  }
  uint64_t size() const override { return ends_.empty() ? 0 : ends_.back(); }
  void Generate(const std::function<void(std::string_view)>& sink) const override {
    for (const auto& p : parts_) p->Stream(sink);
  }
  void GenerateRange(uint64_t offset, uint64_t end, const std::function<void(std::string_view)>& sink) const override {
    std::size_t i = std::upper_bound(ends_.begin(), ends_.end(), offset) - ends_.begin();
    for (; i < parts_.size() && offset < end; ++i) {
      const uint64_t start = ends_[i] - parts_[i]->size();
      const uint64_t to = std::min(end, ends_[i]);
      parts_[i]->StreamRange(offset - start, to - offset, sink);
      offset = to;
    }
  }
  std::string Describe() const override { return "concat of " + std::to_string(parts_.size()) + " parts"; }

 private:
  std::vector<std::shared_ptr<const ObjectBody>> parts_;
  std::vector<uint64_t> ends_;
};

class SliceSource : public BodySource {
 public:
  SliceSource(std::shared_ptr<const ObjectBody> body, uint64_t offset, uint64_t length)
      : body_(std::move(body)), offset_(offset), length_(length) {}
  uint64_t size() const override { return length_; }
  void Generate(const std::function<void(std::string_view)>& sink) const override {
    body_->StreamRange(offset_, length_, sink);
  }
  void GenerateRange(uint64_t offset, uint64_t end, const std::function<void(std::string_view)>& sink) const override {
    body_->StreamRange(offset_ + offset, end - offset, sink);
  }
  std::string Describe() const override {
    return "bytes " + std::to_string(offset_) + "+" + std::to_string(length_) + " of " +
           (body_->source() ? body_->source()->Describe() : std::string("stored bytes"));
  }

 private:
  std::shared_ptr<const ObjectBody> body_;
  uint64_t offset_;
  uint64_t length_;
};

}  // namespace

std::shared_ptr<const ObjectBody> ObjectBody::Concat(std::vector<std::shared_ptr<const ObjectBody>> parts) {
  if (parts.size() == 1) return std::move(parts[0]);
  return FromSource(std::make_shared<ConcatSource>(std::move(parts)));
}

std::shared_ptr<const ObjectBody> ObjectBody::Slice(std::shared_ptr<const ObjectBody> body, uint64_t offset,
                                                    uint64_t length) {
  SIM_CHECK(body != nullptr);
  if (offset >= body->size()) return FromBytes("");
  length = std::min(length, body->size() - offset);
  if (offset == 0 && length == body->size()) return body;
  if (!body->generated()) return FromBytes(body->bytes_.substr(offset, length));
  return FromSource(std::make_shared<SliceSource>(std::move(body), offset, length));
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
