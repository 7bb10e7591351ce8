// accord/drafting/canonical_text.h: the canonical text of a statement draft — the one rendering
// of a document state that versions are hashed over, diffs compare, exports contain and
// organizations sign. server/drafting/CANONICAL.md specifies it (a Markdown subset); this is
// its only implementation, so every consumer gets byte-identical text.
//
// The document is the Y.XmlFragment "prosemirror" as y-prosemirror 1.3.7 writes it with the
// schema of web-client/src/schema.ts. Content from foreign updates that the schema does not
// allow is rendered without losing its words (CANONICAL.md, "Content outside the schema").
//
// Pure functions of their input; safe from any thread (RenderCanonical uses the Doc as doc.h
// requires: by one thread at a time).
#ifndef ACCORD_DRAFTING_CANONICAL_TEXT_H_
#define ACCORD_DRAFTING_CANONICAL_TEXT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "accord/crdt/doc.h"
#include "accord/status.h"

namespace accord::drafting {

// The root the editor's document lives in.
inline constexpr std::string_view kFragmentName = "prosemirror";

struct Canonical {
  std::string markdown;    // the canonical text (server/drafting/CANONICAL.md)
  std::string html;        // the same document as safe, deterministic HTML
  std::string sha256_hex;  // SHA-256 of `markdown`, 64 lowercase hex digits
};

// Renders the "prosemirror" XmlFragment of `doc` (a Doc without that root renders as the empty
// document). Reading may give an untyped root its XmlFragment type, as any reader does; the
// document's content is not changed. Errors: FailedPrecondition if the root has another type,
// ResourceExhausted if elements nest deeper than 64 levels.
Result<Canonical> RenderCanonical(const crdt::Doc& doc);

// Applies one Yjs v1 update to a fresh Doc and renders it (Corruption if it does not decode).
Result<Canonical> RenderCanonicalUpdate(std::span<const uint8_t> update_v1);

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

}  // namespace accord::drafting

#endif  // ACCORD_DRAFTING_CANONICAL_TEXT_H_
