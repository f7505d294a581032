#pragma once

// The future-event set: a 4-ary min-heap of 24-byte entries ordered by
// (time, sequence number). A 4-ary heap halves the depth of a binary heap and
// its four children share a cache line, which is why it beats both
// std::priority_queue and the tree/calendar queues of ns-3 at the pending
// populations a pipeline run has (10^3..10^6). Entries carry no payload:
// the callback lives in the scheduler's slot table and `slot` points at it.

#include <cstdint>
#include <vector>

namespace sim {

struct HeapEntry {
  int64_t time;
  uint64_t seq;
  uint32_t slot;
  uint32_t meta;  // event kind and flags, see Scheduler
};

class EventHeap {
 public:
  bool empty() const { return v_.empty(); }
  std::size_t size() const { return v_.size(); }
  const HeapEntry& top() const { return v_.front(); }

  void push(const HeapEntry& e) {
    v_.push_back(e);
    SiftUp(v_.size() - 1);
  }

  void pop() {
    HeapEntry last = v_.back();
    v_.pop_back();
    if (!v_.empty()) SiftDown(0, last);
  }

  // Keep only entries for which keep(entry) is true, then re-heapify.
  template <class Pred>
  void Filter(Pred keep) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < v_.size(); ++i)
      if (keep(v_[i])) v_[out++] = v_[i];
    v_.resize(out);
    if (v_.size() > 1)
      for (std::size_t i = (v_.size() - 2) / 4 + 1; i-- > 0;) SiftDown(i, v_[i]);
  }

  std::size_t capacity_bytes() const { return v_.capacity() * sizeof(HeapEntry); }

 private:
  static bool Less(const HeapEntry& a, const HeapEntry& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }

  void SiftUp(std::size_t i) {
    HeapEntry e = v_[i];
    while (i > 0) {
      std::size_t parent = (i - 1) / 4;
      if (!Less(e, v_[parent])) break;
      v_[i] = v_[parent];
      i = parent;
    }
    v_[i] = e;
  }

  // Moves the hole at i down to where e belongs.
  void SiftDown(std::size_t i, HeapEntry e) {
    const std::size_t n = v_.size();
    for (;;) {
      std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      std::size_t last = first + 4 < n ? first + 4 : n;
      for (std::size_t c = first + 1; c < last; ++c)
        if (Less(v_[c], v_[best])) best = c;
      if (!Less(v_[best], e)) break;
      v_[i] = v_[best];
      i = best;
    }
    v_[i] = e;
  }

  std::vector<HeapEntry> v_;
};

}  // namespace sim
