#pragma once

// A move-only void() callable with inline storage. std::function allocates for
// captures over 16 bytes and is copyable (so captures must be); event
// callbacks are moved once and called once, so this type keeps up to
// kInlineBytes of captures in place and only falls back to the heap beyond.

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace sim {

class Callback {
 public:
  // 40 bytes of captures + two function pointers = 56 bytes, so an event
  // slot (callback + sequence number) is exactly one 64-byte cache line.
  static constexpr std::size_t kInlineBytes = 40;

  Callback() = default;
  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, Callback> && std::is_invocable_r_v<void, std::decay_t<F>&>)
  Callback(F&& f) {  // NOLINT: implicit, lambdas convert
    using Fn = std::decay_t<F>;
    if constexpr (sizeof(Fn) <= kInlineBytes && alignof(Fn) <= alignof(void*) &&
                  std::is_nothrow_move_constructible_v<Fn>) {
      ::new (static_cast<void*>(buf_)) Fn(std::forward<F>(f));
      invoke_ = [](void* p) { (*static_cast<Fn*>(p))(); };
      if constexpr (!(std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>)) {
        manage_ = [](Op op, void* self, void* other) {
          Fn* fn = static_cast<Fn*>(self);
          if (op == Op::kMoveTo) ::new (other) Fn(std::move(*fn));
          fn->~Fn();
        };
      }
    } else {
      Fn* heap = new Fn(std::forward<F>(f));
      std::memcpy(buf_, &heap, sizeof heap);
      invoke_ = [](void* p) { (**static_cast<Fn**>(p))(); };
      manage_ = [](Op op, void* self, void* other) {
        if (op == Op::kMoveTo) {
          std::memcpy(other, self, sizeof(Fn*));
        } else {
          delete *static_cast<Fn**>(self);
        }
      };
    }
  }

  Callback(Callback&& o) noexcept { MoveFrom(o); }
  Callback& operator=(Callback&& o) noexcept {
    if (this != &o) {
      Reset();
      MoveFrom(o);
    }
    return *this;
  }
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  ~Callback() { Reset(); }

  explicit operator bool() const { return invoke_ != nullptr; }
  void operator()() { invoke_(buf_); }

  void Reset() {
    if (manage_) manage_(Op::kDestroy, buf_, nullptr);
    invoke_ = nullptr;
    manage_ = nullptr;
  }

 private:
  enum class Op { kMoveTo, kDestroy };
  void MoveFrom(Callback& o) noexcept {
    invoke_ = o.invoke_;
    manage_ = o.manage_;
    if (manage_) {
      manage_(Op::kMoveTo, o.buf_, buf_);
    } else if (invoke_) {
      std::memcpy(buf_, o.buf_, kInlineBytes);
    }
    o.invoke_ = nullptr;
    o.manage_ = nullptr;
  }

  alignas(void*) unsigned char buf_[kInlineBytes];
  void (*invoke_)(void*) = nullptr;
  void (*manage_)(Op, void*, void*) = nullptr;
};

}  // namespace sim
