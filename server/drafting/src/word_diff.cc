#include "word_diff.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

#include "diff_tokens.h"
#include "myers.h"

namespace accord::drafting::internal {
namespace {

// The cleanup passes merge at least one equal run each or stop, so they end after at most as
// many passes as there are runs; the cap only keeps the worst case linear times a constant.
constexpr int kMaxCleanupPasses = 8;

bool HasWord(std::string_view text) {
  for (const Token& token : Tokenize(text)) {
    if (token.kind == TokenKind::kWord) return true;
  }
  return false;
}

// A change between two equal runs: what it deletes and what it inserts.
struct Change {
  std::string del, ins;
  bool empty() const { return del.empty() && ins.empty(); }
};

// Spans as alternating equal runs and changes: equal[0], change[0], equal[1], …, equal[n] where
// the first and last equal may be empty.
struct Layout {
  std::vector<std::string> equal;
  std::vector<Change> change;
};

Layout ToLayout(const std::vector<Span>& spans) {
  Layout layout;
  layout.equal.emplace_back();
  for (const Span& span : spans) {
    if (span.kind == Span::Kind::kEqual) {
      if (!layout.change.empty() && layout.change.back().empty()) layout.change.pop_back();
      if (layout.equal.size() > layout.change.size()) {
        layout.equal.back() += span.text;
      } else {
        layout.equal.push_back(span.text);
      }
    } else {
      if (layout.change.size() < layout.equal.size()) layout.change.emplace_back();
      Change& change = layout.change.back();
      (span.kind == Span::Kind::kDelete ? change.del : change.ins) += span.text;
    }
  }
  if (layout.equal.size() == layout.change.size()) layout.equal.emplace_back();
  return layout;
}

std::vector<Span> FromLayout(const Layout& layout) {
  std::vector<Span> spans;
  for (size_t i = 0; i < layout.equal.size(); ++i) {
    if (!layout.equal[i].empty()) spans.push_back({Span::Kind::kEqual, layout.equal[i]});
    if (i < layout.change.size()) {
      const Change& change = layout.change[i];
      if (!change.del.empty()) spans.push_back({Span::Kind::kDelete, change.del});
      if (!change.ins.empty()) spans.push_back({Span::Kind::kInsert, change.ins});
    }
  }
  return spans;
}

}  // namespace

std::vector<Span> CleanupSpans(std::vector<Span> spans) {
  Layout layout = ToLayout(spans);
  for (int pass = 0; pass < kMaxCleanupPasses; ++pass) {
    bool merged = false;
    Layout next;
    next.equal.push_back(std::move(layout.equal[0]));
    size_t i = 0;
    while (i < layout.change.size()) {
      Change current = std::move(layout.change[i]);
      // Appending to `current` keeps a long chain of merges linear in the text's length.
      while (i + 1 < layout.change.size()) {
        const std::string& between = layout.equal[i + 1];
        const Change& following = layout.change[i + 1];
        size_t before_len = std::max(current.del.size(), current.ins.size());
        size_t after_len = std::max(following.del.size(), following.ins.size());
        bool absorb =
            !HasWord(between) || (between.size() <= before_len && between.size() <= after_len);
        if (!absorb) break;
        // The equal run joins both sides of the change, which then continues into the next.
        current.del += between;
        current.del += following.del;
        current.ins += between;
        current.ins += following.ins;
        merged = true;
        ++i;
      }
      next.change.push_back(std::move(current));
      next.equal.push_back(std::move(layout.equal[i + 1]));
      ++i;
    }
    layout = std::move(next);
    if (!merged) break;
  }
  return FromLayout(layout);
}

WordDiffResult WordDiff(std::string_view old_text, std::string_view new_text, uint64_t budget) {
  WordDiffResult result;
  std::vector<Token> old_tokens = Tokenize(old_text);
  std::vector<Token> new_tokens = Tokenize(new_text);
  std::unordered_map<std::string_view, uint32_t> ids;
  auto intern = [&](const std::vector<Token>& tokens) {
    std::vector<uint32_t> out;
    out.reserve(tokens.size());
    for (const Token& token : tokens) {
      out.push_back(ids.emplace(token.text, static_cast<uint32_t>(ids.size())).first->second);
    }
    return out;
  };
  std::vector<uint32_t> a = intern(old_tokens);
  std::vector<uint32_t> b = intern(new_tokens);
  SequenceDiff diff = DiffSequences(a, b, budget);
  result.work = diff.work;
  result.bounded = diff.bounded;
  std::vector<Span> spans;
  auto append = [&](Span::Kind kind, std::string_view text) {
    if (text.empty()) return;
    if (!spans.empty() && spans.back().kind == kind) {
      spans.back().text += text;
    } else {
      spans.push_back({kind, std::string(text)});
    }
  };
  // Tokens are views into the inputs, consecutive and in order, so a run of them is the
  // substring from its first token to the end of its last.
  auto slice = [](std::string_view text, const std::vector<Token>& tokens, size_t from,
                  size_t len) {
    if (len == 0) return std::string_view();
    size_t begin = static_cast<size_t>(tokens[from].text.data() - text.data());
    const Token& last = tokens[from + len - 1];
    size_t end = static_cast<size_t>(last.text.data() - text.data()) + last.text.size();
    return text.substr(begin, end - begin);
  };
  size_t ia = 0, ib = 0;
  for (const EditRun& run : diff.runs) {
    switch (run.kind) {
      case EditRun::Kind::kEqual:
        append(Span::Kind::kEqual, slice(old_text, old_tokens, ia, run.len));
        ia += run.len;
        ib += run.len;
        break;
      case EditRun::Kind::kDelete:
        append(Span::Kind::kDelete, slice(old_text, old_tokens, ia, run.len));
        ia += run.len;
        break;
      case EditRun::Kind::kInsert:
        append(Span::Kind::kInsert, slice(new_text, new_tokens, ib, run.len));
        ib += run.len;
        break;
    }
  }
  result.spans = CleanupSpans(std::move(spans));
  return result;
}

}  // namespace accord::drafting::internal
