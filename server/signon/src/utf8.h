// Internal text and byte codecs shared by the signon sources: strict UTF-8, hex and standard
// (padded) base64 as the signed-note and checkpoint formats use them. Pure; thread-safe.
#ifndef ACCORD_SIGNON_UTF8_H_
#define ACCORD_SIGNON_UTF8_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace accord::signon {

// Decodes the code point at s[pos], advancing pos past it. False (pos unchanged) on anything
// that is not shortest-form UTF-8 of a scalar value (no surrogates, nothing above U+10FFFF).
bool DecodeUtf8(std::string_view s, size_t& pos, char32_t& cp);
bool IsValidUtf8(std::string_view s);
void AppendUtf8(char32_t cp, std::string& out);
// UTF-16 code units of valid UTF-8 (what JCS sorts member names by).
std::u16string Utf8ToUtf16(std::string_view utf8);

std::string HexEncode(std::string_view bytes);  // lowercase
std::optional<std::string> HexDecode(std::string_view hex);
std::string Base64Encode(std::string_view bytes);  // RFC 4648 section 4, with padding
// Only the canonical encoding is accepted (padding present, no stray bits, no whitespace), so
// every value has exactly one text form.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace accord::signon

#endif  // ACCORD_SIGNON_UTF8_H_
