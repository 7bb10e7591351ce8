// JavaScript's String() of plain values and the node-name lowercasing the XML rendering uses
// (expected strings are what Node prints for the same values).
#include <gtest/gtest.h>

#include <cmath>

#include "xml_internal.h"

namespace accord::crdt {
namespace {

TEST(XmlStringTest, JsStringOfPlainValues) {
  EXPECT_EQ(JsString(Any()), "undefined");
  EXPECT_EQ(JsString(Any(Null{})), "null");
  EXPECT_EQ(JsString(Any(true)), "true");
  EXPECT_EQ(JsString(Any(1e21)), "1e+21");
  EXPECT_EQ(JsString(Any(0.1)), "0.1");
  EXPECT_EQ(JsString(Any(-0.0)), "0");
  EXPECT_EQ(JsString(Any(NAN)), "NaN");
  EXPECT_EQ(JsString(Any(-HUGE_VAL)), "-Infinity");
  EXPECT_EQ(JsString(Any(BigInt{-5})), "-5");
  EXPECT_EQ(JsString(Any("s")), "s");
  EXPECT_EQ(JsString(Any(Bytes{1, 200})), "1,200");
  EXPECT_EQ(JsString(Any(AnyArray{Any(1), Any(Null{}), Any(), Any("x"),
                                  Any(AnyArray{Any(2), Any(3)}), Any::Object({{"a", 1}})})),
            "1,,,x,2,3,[object Object]");
  EXPECT_EQ(JsString(Any::Object({})), "[object Object]");
}

TEST(XmlStringTest, NodeNamesLowercaseAsJavaScript) {
  EXPECT_EQ(LowerNodeName("DIV"), "div");
  EXPECT_EQ(LowerNodeName("ÄÖÜ-Élan"), "äöü-élan");
  EXPECT_EQ(LowerNodeName("ŁÓDŹ"), "łódź");
  EXPECT_EQ(LowerNodeName("ПРИВЕТ Ё"), "привет ё");
  EXPECT_EQ(LowerNodeName("ΑΒΓ"), "αβγ");
  EXPECT_EQ(LowerNodeName("ΟΔΟΣ"), "οδος");
  EXPECT_EQ(LowerNodeName("ΣΑ ΑΣ-Σ"), "σα ας-σ");
  EXPECT_EQ(LowerNodeName("İ"), "i\xCC\x87");
  EXPECT_EQ(LowerNodeName("×😀"), "×😀");
}

TEST(XmlStringTest, TypesWithoutToStringPrintAsObjects) {
  EXPECT_EQ(*TypeToJsString(nullptr, true), "");
}

}  // namespace
}  // namespace accord::crdt
