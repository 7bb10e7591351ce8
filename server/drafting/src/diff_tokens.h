// diff_tokens.h (internal): cuts a unit's text into the tokens the word diff compares.
//
// Tokens are words (runs of letters and digits, including every non-ASCII letter, with inner
// apostrophes and hyphens), whitespace runs, and single other characters (ASCII punctuation and
// Markdown markup, typographic punctuation, emoji, each Han/kana character). Tokens are views
// into the input and never split a UTF-8 code point; invalid bytes are one-byte tokens.
// Concatenating the tokens gives the input back. Pure functions; safe from any thread.
#ifndef ACCORD_DRAFTING_DIFF_TOKENS_H_
#define ACCORD_DRAFTING_DIFF_TOKENS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace accord::drafting::internal {

enum class TokenKind { kWord, kSpace, kOther };

struct Token {
  TokenKind kind;
  std::string_view text;
};

std::vector<Token> Tokenize(std::string_view text);

// Hashes of the words of `text` (ASCII letters lower-cased), sorted: the multiset that unit
// similarity compares.
std::vector<uint64_t> WordBag(std::string_view text);

// `text` with each byte that is not part of a valid UTF-8 sequence replaced by U+FFFD, so
// JSON and HTML built from it are valid. Canonical text is valid UTF-8 and comes back as is.
std::string ValidUtf8(std::string_view text);

// Dice coefficient 2|A∩B| / (|A|+|B|) of two sorted bags; 0 when both are empty.
double Dice(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

}  // namespace accord::drafting::internal

#endif  // ACCORD_DRAFTING_DIFF_TOKENS_H_
