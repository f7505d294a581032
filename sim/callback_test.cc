#include "sim/callback.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace sim {
namespace {

// Counts destructions of the live object (not of moved-from shells) and how
// often it was move-constructed, so tests can tell inline from heap storage:
// moving a Callback moves an inline capture but only the pointer to a heap one.
struct Tracker {
  int* destroyed;
  int* moves;
  bool live = true;
  Tracker(int* d, int* m) : destroyed(d), moves(m) {}
  Tracker(Tracker&& o) noexcept : destroyed(o.destroyed), moves(o.moves), live(std::exchange(o.live, false)) {
    ++*moves;
  }
  Tracker(const Tracker&) = delete;
  Tracker& operator=(const Tracker&) = delete;
  Tracker& operator=(Tracker&&) = delete;
  ~Tracker() {
    if (live) ++*destroyed;
  }
};

// Small, but its move constructor may throw: must not be stored inline.
struct ThrowingMove {
  int* moves;
  explicit ThrowingMove(int* m) : moves(m) {}
  ThrowingMove(ThrowingMove&& o) noexcept(false) : moves(o.moves) { ++*moves; }
};

TEST(Callback, DefaultIsEmpty) {
  Callback cb;
  EXPECT_FALSE(cb);
}

TEST(Callback, FitsOneEventSlot) { EXPECT_EQ(sizeof(Callback), Callback::kInlineBytes + 2 * sizeof(void*)); }

TEST(Callback, InvokesTheLambda) {
  int calls = 0;
  Callback cb = [&calls] { ++calls; };
  ASSERT_TRUE(cb);
  cb();
  EXPECT_EQ(calls, 1);
  cb();
  EXPECT_EQ(calls, 2);
}

int g_free_function_calls = 0;
void FreeFunctionTarget() { ++g_free_function_calls; }

TEST(Callback, InvokesAFunctionPointer) {
  g_free_function_calls = 0;
  Callback cb = &FreeFunctionTarget;
  cb();
  EXPECT_EQ(g_free_function_calls, 1);
}

TEST(Callback, CapturedStateIsMutable) {
  int out = 0;
  Callback cb = [n = 0, &out]() mutable { out = ++n; };
  cb();
  cb();
  cb();
  EXPECT_EQ(out, 3);
}

TEST(Callback, MoveConstructionTransfersTheCallable) {
  int calls = 0;
  Callback a = [&calls] { calls += 5; };
  Callback b = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): documented to be empty
  ASSERT_TRUE(b);
  b();
  EXPECT_EQ(calls, 5);
}

TEST(Callback, MoveAssignmentDestroysThePreviousCallable) {
  int destroyed_a = 0, destroyed_b = 0, moves = 0, calls = 0;
  Callback a = [t = Tracker(&destroyed_a, &moves)] { (void)t; };
  Callback b = [t = Tracker(&destroyed_b, &moves), &calls] {
    (void)t;
    ++calls;
  };
  a = std::move(b);
  EXPECT_EQ(destroyed_a, 1);
  EXPECT_EQ(destroyed_b, 0);
  EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move)
  a();
  EXPECT_EQ(calls, 1);
}

TEST(Callback, SelfMoveAssignmentKeepsTheCallable) {
  int calls = 0;
  Callback a = [&calls] { ++calls; };
  Callback& alias = a;
  a = std::move(alias);
  ASSERT_TRUE(a);
  a();
  EXPECT_EQ(calls, 1);
}

TEST(Callback, LargeCaptureFallsBackToTheHeapAndWorks) {
  std::array<int64_t, 16> big{};
  std::iota(big.begin(), big.end(), 1);  // 1..16, sum 136
  int64_t sum = 0;
  auto fn = [big, &sum] { sum = std::accumulate(big.begin(), big.end(), int64_t{0}); };
  static_assert(sizeof(fn) > Callback::kInlineBytes);
  Callback cb = std::move(fn);
  Callback moved = std::move(cb);
  moved();
  EXPECT_EQ(sum, 136);
}

TEST(Callback, CaptureOfExactlyInlineBytesWorks) {
  std::array<int64_t, 4> data{10, 20, 30, 40};
  int64_t* out_ptr = nullptr;
  int64_t out = 0;
  out_ptr = &out;
  auto fn = [data, out_ptr] { *out_ptr = data[0] + data[1] + data[2] + data[3]; };
  static_assert(sizeof(fn) == Callback::kInlineBytes);
  Callback cb = fn;
  Callback moved = std::move(cb);
  moved();
  EXPECT_EQ(out, 100);
}

TEST(Callback, InlineCaptureIsMovedWithTheCallback) {
  int destroyed = 0, moves = 0;
  Callback a = [t = Tracker(&destroyed, &moves)] { (void)t; };
  const int moves_after_construction = moves;
  Callback b = std::move(a);
  EXPECT_EQ(moves, moves_after_construction + 1);
  EXPECT_EQ(destroyed, 0);
}

TEST(Callback, HeapCaptureIsNotMovedWithTheCallback) {
  int destroyed = 0, moves = 0;
  std::array<char, 64> pad{};
  Callback a = [t = Tracker(&destroyed, &moves), pad] {
    (void)t;
    (void)pad;
  };
  const int moves_after_construction = moves;
  Callback b = std::move(a);
  Callback c = std::move(b);
  EXPECT_EQ(moves, moves_after_construction);  // only the pointer moved
  EXPECT_EQ(destroyed, 0);
}

TEST(Callback, ThrowingMoveCaptureIsKeptOnTheHeap) {
  int moves = 0, calls = 0;
  Callback a = [m = ThrowingMove(&moves), &calls] {
    (void)m;
    ++calls;
  };
  const int moves_after_construction = moves;
  Callback b = std::move(a);
  EXPECT_EQ(moves, moves_after_construction);
  b();
  EXPECT_EQ(calls, 1);
}

TEST(Callback, InlineCaptureDestroyedExactlyOnce) {
  int destroyed = 0, moves = 0;
  {
    Callback a = [t = Tracker(&destroyed, &moves)] { (void)t; };
    Callback b = std::move(a);
    Callback c;
    c = std::move(b);
    c();
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 1);
}

TEST(Callback, HeapCaptureDestroyedExactlyOnce) {
  int destroyed = 0, moves = 0;
  {
    std::array<char, 64> pad{};
    Callback a = [t = Tracker(&destroyed, &moves), pad] {
      (void)t;
      (void)pad;
    };
    Callback b = std::move(a);
    Callback c;
    c = std::move(b);
    c();
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 1);
}

TEST(Callback, ResetDestroysTheCaptureAndEmpties) {
  int destroyed = 0, moves = 0;
  Callback a = [t = Tracker(&destroyed, &moves)] { (void)t; };
  a.Reset();
  EXPECT_EQ(destroyed, 1);
  EXPECT_FALSE(a);
  a.Reset();  // idempotent
  EXPECT_EQ(destroyed, 1);
}

TEST(Callback, SharedCaptureReleasedOnDestruction) {
  auto shared = std::make_shared<int>(1);
  {
    Callback a = [shared] { ++*shared; };
    EXPECT_EQ(shared.use_count(), 2);
    a();
  }
  EXPECT_EQ(shared.use_count(), 1);
  EXPECT_EQ(*shared, 2);
}

TEST(Callback, MoveOnlyCaptureWorks) {
  auto owned = std::make_unique<int>(41);
  int seen = 0;
  Callback cb = [p = std::move(owned), &seen] { seen = *p + 1; };
  Callback moved = std::move(cb);
  moved();
  EXPECT_EQ(seen, 42);
}

}  // namespace
}  // namespace sim
