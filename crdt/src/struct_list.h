// struct_list.h: one client's structs in clock order, as a gap buffer (the storage behind
// StructStore::Structs).
//
// Yjs keeps a plain array and splices it: every split of an old item and every merge after a
// transaction moves all later structs. Editing sessions split and merge near the same places
// again and again (the cursor, the end of the clock range), so the list keeps one gap where the
// last insertion or erasure happened: an operation next to the gap moves only the structs between
// the gap and its position, one near the end moves only the structs behind it. Appending is a
// vector push_back. Element access maps an index over the gap.
//
// Code that wants a contiguous std::vector may convert implicitly; the conversion closes the gap
// (so it costs as much as one splice would) and the reference stays valid until the list is next
// changed. Single-threaded, like the store; the conversion mutates internally although the list
// is const.
#ifndef ACCORD_CRDT_SRC_STRUCT_LIST_H_
#define ACCORD_CRDT_SRC_STRUCT_LIST_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <vector>

namespace accord::crdt {

struct Item;

class StructList {
 public:
  template <typename List, typename Ref>
  class Iter {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Item*;
    using difference_type = ptrdiff_t;
    using pointer = Item**;
    using reference = Ref;

    Iter() = default;
    Iter(List* list, size_t i) : list_(list), i_(i) {}
    Ref operator*() const { return (*list_)[i_]; }
    Ref operator[](difference_type n) const { return (*list_)[i_ + n]; }
    Iter& operator++() {
      ++i_;
      return *this;
    }
    Iter operator++(int) { return Iter(list_, i_++); }
    Iter& operator--() {
      --i_;
      return *this;
    }
    Iter operator--(int) { return Iter(list_, i_--); }
    Iter& operator+=(difference_type n) {
      i_ += n;
      return *this;
    }
    Iter& operator-=(difference_type n) {
      i_ -= n;
      return *this;
    }
    friend Iter operator+(Iter it, difference_type n) { return it += n; }
    friend Iter operator+(difference_type n, Iter it) { return it += n; }
    friend Iter operator-(Iter it, difference_type n) { return it -= n; }
    friend difference_type operator-(const Iter& a, const Iter& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const Iter& a, const Iter& b) { return a.i_ == b.i_; }
    friend auto operator<=>(const Iter& a, const Iter& b) { return a.i_ <=> b.i_; }
    size_t index() const { return i_; }

   private:
    List* list_ = nullptr;
    size_t i_ = 0;
  };
  using iterator = Iter<StructList, Item*&>;
  using const_iterator = Iter<const StructList, Item* const&>;
  using value_type = Item*;

  StructList() = default;
  StructList(std::initializer_list<Item*> items) : v_(items) {}

  size_t size() const { return v_.size() - gap_len_; }
  bool empty() const { return size() == 0; }
  Item*& operator[](size_t i) { return v_[i < gap_begin_ ? i : i + gap_len_]; }
  Item* const& operator[](size_t i) const { return v_[i < gap_begin_ ? i : i + gap_len_]; }
  Item* front() const { return (*this)[0]; }
  Item* back() const { return (*this)[size() - 1]; }

  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, size()); }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size()); }

  void push_back(Item* s) {
    if (gap_len_ > 0 && gap_begin_ == size()) {  // the gap is at the end: fill it
      v_[gap_begin_++] = s;
      --gap_len_;
    } else {
      // Grow by a quarter rather than double: a large document keeps less idle capacity, and
      // growth stays geometric.
      if (v_.size() == v_.capacity()) Grow();
      v_.push_back(s);
    }
  }
  void Insert(size_t pos, Item* s);
  // Erases [first, last).
  void Erase(size_t first, size_t last);
  // std::vector-style splices, for code written against the vector this list replaced.
  template <typename It>
  iterator insert(It pos, Item* s) {
    Insert(pos.index(), s);
    return iterator(this, pos.index());
  }
  template <typename It>
  iterator erase(It first, It last) {
    Erase(first.index(), last.index());
    return iterator(this, first.index());
  }

  // Closes the gap and gives back idle capacity beyond a quarter of the size (after a large
  // transaction's merges have erased most of the list).
  void ShrinkToFit();

  // The index of the last lookup (FindIndexSS), a guess for the next one; may be stale.
  size_t hint() const { return hint_; }
  void set_hint(size_t i) const { hint_ = i; }

  // The structs as one contiguous vector (closes the gap).
  operator const std::vector<Item*>&() const {
    CloseGap();
    return v_;
  }

 private:
  // Makes room for a quarter more structs (see push_back).
  void Grow();
  // Moves the gap so that it starts at logical index `pos`.
  void MoveGap(size_t pos) const;
  void CloseGap() const;

  // Physical storage: [0, gap_begin_) and [gap_begin_ + gap_len_, v_.size()) hold the structs.
  mutable std::vector<Item*> v_;
  mutable size_t gap_begin_ = 0;
  mutable size_t gap_len_ = 0;
  mutable size_t hint_ = 0;
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_STRUCT_LIST_H_
