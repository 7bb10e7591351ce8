#include "diff_tokens.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace accord::drafting::internal {
namespace {

std::vector<std::string> Texts(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& token : Tokenize(text)) out.emplace_back(token.text);
  return out;
}

std::string Joined(std::string_view text) {
  std::string out;
  for (const Token& token : Tokenize(text)) out += token.text;
  return out;
}

using Strings = std::vector<std::string>;

TEST(Tokenize, WordsSpacesAndPunctuation) {
  EXPECT_EQ(Texts("Hello,  world!\n"), (Strings{"Hello", ",", "  ", "world", "!", "\n"}));
  auto tokens = Tokenize("a 1.");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kWord);
  EXPECT_EQ(tokens[1].kind, TokenKind::kSpace);
  EXPECT_EQ(tokens[2].kind, TokenKind::kWord);
  EXPECT_EQ(tokens[3].kind, TokenKind::kOther);
  EXPECT_TRUE(Tokenize("").empty());
}

TEST(Tokenize, ApostrophesAndHyphensStayInsideWords) {
  EXPECT_EQ(Texts("don't well-known Nato’s"), (Strings{"don't", " ", "well-known", " ", "Nato’s"}));
  // At a word's edge they are punctuation of their own.
  EXPECT_EQ(Texts("-x x- 'q'"), (Strings{"-", "x", " ", "x", "-", " ", "'", "q", "'"}));
  EXPECT_EQ(Texts("a--b"), (Strings{"a", "-", "-", "b"}));
}

TEST(Tokenize, MarkdownMarkupIsPunctuation) {
  EXPECT_EQ(Texts("**bold** [a](b) \\*"), (Strings{"*", "*", "bold", "*", "*", " ", "[", "a", "]",
                                                   "(", "b", ")", " ", "\\", "*"}));
  EXPECT_EQ(Texts("_em_ `c`"), (Strings{"_", "em", "_", " ", "`", "c", "`"}));
}

TEST(Tokenize, NonAsciiLettersAreWordCharacters) {
  EXPECT_EQ(Texts("Simón Bolívar, São Paulo"),
            (Strings{"Simón", " ", "Bolívar", ",", " ", "São", " ", "Paulo"}));
  EXPECT_EQ(Texts("мир и труд"), (Strings{"мир", " ", "и", " ", "труд"}));
}

TEST(Tokenize, TypographicPunctuationAndSpacesAreNotLetters) {
  EXPECT_EQ(Texts("“peace” — now…"), (Strings{"“", "peace", "”", " ", "—", " ", "now", "…"}));
  EXPECT_EQ(Texts("a\u00a0b"), (Strings{"a", "\u00a0", "b"}));
  EXPECT_EQ(Texts("«oui»"), (Strings{"«", "oui", "»"}));
}

TEST(Tokenize, HanAndKanaAreOneTokenPerCharacter) {
  EXPECT_EQ(Texts("和平与发展。"), (Strings{"和", "平", "与", "发", "展", "。"}));
  EXPECT_EQ(Texts("へいわ"), (Strings{"へ", "い", "わ"}));
  EXPECT_EQ(Tokenize("和")[0].kind, TokenKind::kWord);
}

TEST(Tokenize, EmojiKeepTheirModifiersAndJoinedParts) {
  // dove + VS16, thumbs up + skin tone, family joined by ZWJ.
  std::string text = "peace🕊️ 👍🏽 👨‍👩‍👧!";
  EXPECT_EQ(Texts(text),
            (Strings{"peace", "🕊️", " ", "👍🏽", " ", "👨‍👩‍👧", "!"}));
}

TEST(Tokenize, InvalidBytesAreSingleTokensAndNothingIsLost) {
  std::string text =
      "a\xff"
      "b\xc3 \xe2\x82"
      "c\xed\xa0\x80";  // stray, truncated, surrogate
  EXPECT_EQ(Joined(text), text);
  auto texts = Texts("\xff\xfe");
  EXPECT_EQ(texts, (Strings{"\xff", "\xfe"}));
}

TEST(Tokenize, ConcatenationGivesTheInputBack) {
  for (std::string text : {"", " ", "x", "a b\n\nc", "Ça va? 和平 🕊️ **x**", "'-' - '"}) {
    EXPECT_EQ(Joined(text), text);
  }
}

TEST(ValidUtf8, ReplacesOnlyInvalidBytes) {
  EXPECT_EQ(ValidUtf8("Ça va 和平 🕊️"), "Ça va 和平 🕊️");
  EXPECT_EQ(ValidUtf8("a\xff"
                      "b\xe2\x82"),
            "a\uFFFDb\uFFFD\uFFFD");
  EXPECT_EQ(ValidUtf8(""), "");
}

TEST(WordBag, DiceOnWordMultisets) {
  EXPECT_DOUBLE_EQ(Dice(WordBag("a b c"), WordBag("a b d")), 2.0 * 2 / 6);
  EXPECT_DOUBLE_EQ(Dice(WordBag("Peace, now!"), WordBag("peace now")), 1.0);  // case, punct.
  EXPECT_DOUBLE_EQ(Dice(WordBag("a a b"), WordBag("a b b")), 2.0 * 2 / 6);    // multisets
  EXPECT_DOUBLE_EQ(Dice(WordBag("x"), WordBag("y")), 0.0);
  EXPECT_DOUBLE_EQ(Dice(WordBag("..."), WordBag("!!!")), 0.0);
  EXPECT_EQ(WordBag("b a, c").size(), 3u);
}

}  // namespace
}  // namespace accord::drafting::internal
