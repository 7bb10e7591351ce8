#include "struct_list.h"

#include "prefault.h"

namespace accord::crdt {
namespace {

// Splices this close to the end shift the tail instead of moving the gap there.
constexpr size_t kTailShift = 32;

}  // namespace

void StructList::MoveGap(size_t pos) const {
  if (gap_len_ == 0) {
    gap_begin_ = pos;
    return;
  }
  if (pos < gap_begin_) {
    std::move_backward(v_.begin() + static_cast<ptrdiff_t>(pos),
                       v_.begin() + static_cast<ptrdiff_t>(gap_begin_),
                       v_.begin() + static_cast<ptrdiff_t>(gap_begin_ + gap_len_));
  } else if (pos > gap_begin_) {
    std::move(v_.begin() + static_cast<ptrdiff_t>(gap_begin_ + gap_len_),
              v_.begin() + static_cast<ptrdiff_t>(pos + gap_len_),
              v_.begin() + static_cast<ptrdiff_t>(gap_begin_));
  }
  gap_begin_ = pos;
}

void StructList::CloseGap() const {
  if (gap_len_ == 0) return;
  MoveGap(size());
  v_.resize(size());
  gap_len_ = 0;
  gap_begin_ = v_.size();
}

void StructList::ShrinkToFit() {
  CloseGap();
  if (v_.capacity() > v_.size() + v_.size() / 4 + 16) v_.shrink_to_fit();
}

void StructList::Grow() {
  // A large transaction grows one client's list to hundreds of thousands of structs, each
  // growth into a fresh block: prefault it rather than take a fault per page while copying.
  std::vector<Item*> bigger;
  bigger.reserve(v_.size() + v_.size() / 4 + 16);
  PrefaultForWrite(bigger.data(), bigger.capacity() * sizeof(Item*));
  bigger.assign(v_.begin(), v_.end());
  v_.swap(bigger);
}

void StructList::Insert(size_t pos, Item* s) {
  const size_t n = size();
  if (pos == n) {
    push_back(s);
    return;
  }
  const bool after_gap = gap_len_ == 0 || pos >= gap_begin_;
  if (after_gap && n - pos <= kTailShift) {
    v_.insert(v_.begin() + static_cast<ptrdiff_t>(pos + gap_len_), s);
    return;
  }
  if (gap_len_ == 0) {
    // Open a gap here: later splices nearby fill it instead of moving the tail each time.
    const size_t grow = std::max<size_t>(16, n / 64);
    v_.insert(v_.begin() + static_cast<ptrdiff_t>(pos), grow, nullptr);
    gap_begin_ = pos;
    gap_len_ = grow;
  } else {
    MoveGap(pos);
  }
  v_[gap_begin_++] = s;
  --gap_len_;
}

void StructList::Erase(size_t first, size_t last) {
  if (first >= last) return;
  const size_t n = size();
  const bool after_gap = gap_len_ == 0 || first >= gap_begin_;
  if (after_gap && n - last <= kTailShift) {
    v_.erase(v_.begin() + static_cast<ptrdiff_t>(first + gap_len_),
             v_.begin() + static_cast<ptrdiff_t>(last + gap_len_));
    return;
  }
  // The erased structs join the gap.
  MoveGap(first);
  gap_len_ += last - first;
  // A gap larger than the structs would only waste memory.
  if (gap_len_ > 1024 && gap_len_ > size()) CloseGap();
}

}  // namespace accord::crdt
