// Tests of api_json: the strict request bodies (JsonBody), the shared value checks, time
// formatting and how store errors become problems.
#include "api_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "api.h"

namespace accord::server {
namespace {

namespace json = boost::json;

ApiRequest Body(const std::string& body, const std::string& content_type = "application/json") {
  ApiRequest r;
  r.method = "POST";
  r.path = "/api/v1/test";
  r.body = body;
  if (!content_type.empty()) r.headers["content-type"] = content_type;
  return r;
}

json::object ProblemBody(const HttpResponse& res) {
  EXPECT_EQ(res.content_type, "application/problem+json") << res.body;
  boost::system::error_code ec;
  json::value v = json::parse(res.body, ec);
  EXPECT_FALSE(ec) << res.body;
  return v.is_object() ? v.as_object() : json::object{};
}

std::string Slug(const HttpResponse& res) {
  json::object o = ProblemBody(res);
  if (!o.contains("type")) return "";
  std::string type(o.at("type").as_string());
  return type.substr(type.rfind('/') + 1);
}

// The field names of a validation-failed problem's errors[], in order.
std::vector<std::string> ErrorFields(const HttpResponse& res) {
  std::vector<std::string> out;
  json::object o = ProblemBody(res);
  if (!o.contains("errors")) return out;
  for (const auto& e : o.at("errors").as_array()) {
    out.emplace_back(e.at("field").as_string());
    EXPECT_FALSE(e.at("message").as_string().empty());
  }
  return out;
}

// --- JsonBody::Parse ---

TEST(ApiJsonTest, AcceptsAJsonObjectOfKnownFields) {
  JsonBody body;
  HttpResponse error;
  EXPECT_TRUE(body.Parse(Body(R"({"name":"x","count":2})"), {"name", "count"}, &error));
  EXPECT_TRUE(body.Has("name"));
  EXPECT_FALSE(body.Has("other"));
}

TEST(ApiJsonTest, AcceptsJsonContentTypeWithParametersInAnyCase) {
  JsonBody body;
  HttpResponse error;
  EXPECT_TRUE(body.Parse(Body("{}", "Application/JSON; charset=utf-8"), {}, &error));
}

TEST(ApiJsonTest, WrongContentTypeIsUnsupportedMediaType) {
  for (std::string type : {"text/plain", "application/x-www-form-urlencoded", "",
                           "application/jsonp", "multipart/form-data"}) {
    JsonBody body;
    HttpResponse error;
    EXPECT_FALSE(body.Parse(Body("{}", type), {}, &error)) << type;
    EXPECT_EQ(error.status, 415) << type;
    EXPECT_EQ(Slug(error), "unsupported-media-type") << type;
  }
}

TEST(ApiJsonTest, MalformedJsonIsInvalidJson) {
  for (std::string text : {"", "{", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "{} {}"}) {
    JsonBody body;
    HttpResponse error;
    EXPECT_FALSE(body.Parse(Body(text), {"a"}, &error)) << text;
    EXPECT_EQ(error.status, 400) << text;
    EXPECT_EQ(Slug(error), "invalid-json") << text;
  }
}

TEST(ApiJsonTest, ABodyThatIsNotAnObjectIsInvalidJson) {
  for (std::string text : {"[]", "1", "\"text\"", "null", "true"}) {
    JsonBody body;
    HttpResponse error;
    EXPECT_FALSE(body.Parse(Body(text), {}, &error)) << text;
    EXPECT_EQ(error.status, 400) << text;
    EXPECT_EQ(Slug(error), "invalid-json") << text;
    EXPECT_NE(ProblemBody(error).at("detail").as_string().find("must be a JSON object"),
              std::string::npos);
  }
}

TEST(ApiJsonTest, NestingDeeperThanEightLevelsIsInvalidJson) {
  auto nested = [](int depth) {  // the object itself is level 1
    return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  };
  {
    JsonBody body;
    HttpResponse error;
    EXPECT_TRUE(body.Parse(Body(nested(8)), {"a"}, &error)) << error.body;
  }
  JsonBody body;
  HttpResponse error;
  EXPECT_FALSE(body.Parse(Body(nested(9)), {"a"}, &error));
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(Slug(error), "invalid-json");
}

TEST(ApiJsonTest, AnUnknownFieldIsRejectedByName) {
  JsonBody body;
  HttpResponse error;
  EXPECT_FALSE(body.Parse(Body(R"({"email":"a@b.org","emial":"typo"})"), {"email"}, &error));
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(Slug(error), "unknown-field");
  std::string detail(ProblemBody(error).at("detail").as_string());
  EXPECT_NE(detail.find("'emial'"), std::string::npos) << detail;
  EXPECT_NE(detail.find("known: email"), std::string::npos) << detail;
}

TEST(ApiJsonTest, AnEndpointWithoutFieldsRejectsAnyField) {
  JsonBody body;
  HttpResponse error;
  EXPECT_FALSE(body.Parse(Body(R"({"x":1})"), {}, &error));
  EXPECT_EQ(Slug(error), "unknown-field");
  EXPECT_NE(ProblemBody(error).at("detail").as_string().find("takes no fields"), std::string::npos);
}

// --- field readers and validation-failed ---

TEST(ApiJsonTest, WrongTypesGiveOneErrorPerField) {
  JsonBody body;
  HttpResponse error;
  ASSERT_TRUE(body.Parse(Body(R"({"name":5,"count":"2","flag":"yes","ok":"fine"})"),
                         {"name", "count", "flag", "ok"}, &error));
  EXPECT_FALSE(body.String("name", true, 1, 10));
  EXPECT_FALSE(body.Int("count", true, 0, 10));
  EXPECT_FALSE(body.Bool("flag", true));
  EXPECT_EQ(body.String("ok", true, 1, 10), "fine");
  EXPECT_FALSE(body.ok());
  HttpResponse problem = body.Problem();
  EXPECT_EQ(problem.status, 422);
  EXPECT_EQ(Slug(problem), "validation-failed");
  EXPECT_EQ(ErrorFields(problem), (std::vector<std::string>{"name", "count", "flag"}));
  std::string detail(ProblemBody(problem).at("detail").as_string());
  EXPECT_NE(detail.find("name must be a string, not a number"), std::string::npos) << detail;
  EXPECT_NE(detail.find("flag must be a boolean, not a string"), std::string::npos) << detail;
}

TEST(ApiJsonTest, NestedObjectsReportTheirErrorsUnderTheirPrefix) {
  JsonBody body;
  HttpResponse error;
  ASSERT_TRUE(body.Parse(Body(R"({"org":{"name":"","kind":"x"},"who":{"n":1,"extra":2},)"
                              R"("flat":3})"),
                         {"org", "who", "flat", "absent"}, &error));
  auto org = body.Nested("org", true, {"name", "kind"});
  ASSERT_TRUE(org);
  EXPECT_FALSE(org->String("name", true, 1, 10));
  EXPECT_EQ(org->String("kind", true, 1, 10), "x");
  body.Merge(*org, "org");
  EXPECT_FALSE(body.Nested("who", true, {"n"}));  // "extra" is unknown: an error on "who"
  EXPECT_FALSE(body.Nested("flat", true, {"n"}));
  EXPECT_FALSE(body.Nested("absent", true, {"n"}));
  EXPECT_FALSE(body.Nested("also-absent", false, {"n"}));
  EXPECT_EQ(ErrorFields(body.Problem()),
            (std::vector<std::string>{"org.name", "who", "flat", "absent"}));
  EXPECT_NE(body.Problem().body.find("has no field 'extra'"), std::string::npos);
}

TEST(ApiJsonTest, MissingRequiredFieldsAreErrorsAndMissingOptionalOnesAreNot) {
  JsonBody body;
  HttpResponse error;
  ASSERT_TRUE(body.Parse(Body("{}"), {"a", "b", "c", "d"}, &error));
  EXPECT_FALSE(body.String("a", true, 0, 5));
  EXPECT_FALSE(body.Int("b", false, 0, 5));
  EXPECT_FALSE(body.Bool("c", false));
  EXPECT_FALSE(body.Bool("d", true));
  EXPECT_EQ(ErrorFields(body.Problem()), (std::vector<std::string>{"a", "d"}));
}

TEST(ApiJsonTest, StringLengthsCountCodePoints) {
  JsonBody body;
  HttpResponse error;
  // "ação" is 4 code points in 6 bytes.
  ASSERT_TRUE(body.Parse(Body(R"({"ok":"ação","short":"ab","long":"abcdef","empty":""})"),
                         {"ok", "short", "long", "empty"}, &error));
  EXPECT_EQ(body.String("ok", true, 4, 4), "ação");
  EXPECT_FALSE(body.String("short", true, 3, 5));
  EXPECT_FALSE(body.String("long", true, 3, 5));
  EXPECT_FALSE(body.String("empty", true, 1, 5));
  EXPECT_EQ(ErrorFields(body.Problem()), (std::vector<std::string>{"short", "long", "empty"}));
  EXPECT_NE(ProblemBody(body.Problem()).at("detail").as_string().find("3 to 5 characters"),
            std::string::npos);
}

TEST(ApiJsonTest, StringsWithControlCharactersAreRejected) {
  JsonBody body;
  HttpResponse error;
  ASSERT_TRUE(body.Parse(Body(R"({"name":"a\nb","tab":"a\tb","nul":"a\u0000b"})"),
                         {"name", "tab", "nul"}, &error));
  EXPECT_FALSE(body.String("name", true, 1, 10));
  EXPECT_FALSE(body.String("tab", true, 1, 10));
  EXPECT_FALSE(body.String("nul", true, 1, 10));
  EXPECT_EQ(ErrorFields(body.Problem()), (std::vector<std::string>{"name", "tab", "nul"}));
}

TEST(ApiJsonTest, IntegersOutOfRangeOrFractionalAreRejected) {
  JsonBody body;
  HttpResponse error;
  ASSERT_TRUE(body.Parse(Body(R"({"low":0,"high":11,"frac":1.5,"big":18446744073709551615,)"
                              R"("fine":7})"),
                         {"low", "high", "frac", "big", "fine"}, &error));
  EXPECT_FALSE(body.Int("low", true, 1, 10));
  EXPECT_FALSE(body.Int("high", true, 1, 10));
  EXPECT_FALSE(body.Int("frac", true, 1, 10));
  EXPECT_FALSE(body.Int("big", true, 1, INT64_MAX));
  EXPECT_EQ(body.Int("fine", true, 1, 10), 7);
  EXPECT_EQ(ErrorFields(body.Problem()), (std::vector<std::string>{"low", "high", "frac", "big"}));
}

TEST(ApiJsonTest, EnumFieldsNameTheAcceptedValues) {
  JsonBody body;
  HttpResponse error;
  ASSERT_TRUE(body.Parse(Body(R"({"role":"delegate","bad":"king"})"), {"role", "bad"}, &error));
  EXPECT_EQ(body.Enum<auth::Role>("role", true, &auth::ParseRole, "delegate, observer"),
            auth::Role::kDelegate);
  EXPECT_FALSE(body.Enum<auth::Role>("bad", true, &auth::ParseRole, "delegate, observer"));
  json::object problem = ProblemBody(body.Problem());
  ASSERT_EQ(problem.at("errors").as_array().size(), 1u);
  EXPECT_EQ(problem.at("errors").as_array()[0].at("message").as_string(),
            "must be one of delegate, observer");
}

TEST(ApiJsonTest, NullIsAPresentFieldThatIsNotAString) {
  JsonBody body;
  HttpResponse error;
  ASSERT_TRUE(body.Parse(Body(R"({"website":null})"), {"website"}, &error));
  EXPECT_TRUE(body.Has("website"));
  EXPECT_TRUE(body.IsNull("website"));
  EXPECT_FALSE(body.String("website", false, 0, 10));
  EXPECT_FALSE(body.ok());
}

TEST(ApiJsonTest, ValidationProblemCarriesOneError) {
  HttpResponse problem = ValidationProblem("slug", "is taken");
  EXPECT_EQ(problem.status, 422);
  EXPECT_EQ(Slug(problem), "validation-failed");
  json::object o = ProblemBody(problem);
  EXPECT_EQ(o.at("status").as_int64(), 422);
  EXPECT_EQ(o.at("detail").as_string(), "slug is taken");
  EXPECT_EQ(ErrorFields(problem), (std::vector<std::string>{"slug"}));
}

// --- Utf8Length ---

TEST(ApiJsonTest, Utf8LengthCountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("\xC3\xA7"), 1u);          // ç
  EXPECT_EQ(Utf8Length("\xE2\x82\xAC"), 1u);      // €
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1u);  // an emoji outside the BMP
  EXPECT_EQ(Utf8Length("a\xC3\xA7\xE2\x82\xAC"), 3u);
}

TEST(ApiJsonTest, Utf8LengthRejectsOverlongForms) {
  EXPECT_FALSE(Utf8Length("\xC0\xAF"));  // '/' in two bytes
  EXPECT_FALSE(Utf8Length("\xC1\xBF"));
  EXPECT_FALSE(Utf8Length("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(Utf8Length("\xF0\x80\x80\xAF"));  // '/' in four bytes
}

TEST(ApiJsonTest, Utf8LengthRejectsSurrogatesAndValuesBeyondUnicode) {
  EXPECT_FALSE(Utf8Length("\xED\xA0\x80"));       // U+D800
  EXPECT_FALSE(Utf8Length("\xED\xBF\xBF"));       // U+DFFF
  EXPECT_FALSE(Utf8Length("\xF4\x90\x80\x80"));   // U+110000
  EXPECT_EQ(Utf8Length("\xF4\x8F\xBF\xBF"), 1u);  // U+10FFFF is the last one
}

TEST(ApiJsonTest, Utf8LengthRejectsBrokenSequences) {
  EXPECT_FALSE(Utf8Length("\x80"));      // a lone continuation byte
  EXPECT_FALSE(Utf8Length("\xC3"));      // truncated
  EXPECT_FALSE(Utf8Length("\xE2\x82"));  // truncated
  EXPECT_FALSE(Utf8Length("\xC3\x41"));  // continuation missing
  EXPECT_FALSE(Utf8Length("\xFF"));
  EXPECT_FALSE(Utf8Length("\xF8\x88\x80\x80\x80"));  // five-byte form
}

TEST(ApiJsonTest, Utf8LengthRejectsAsciiControlCharacters) {
  EXPECT_FALSE(Utf8Length(std::string("a\0b", 3)));
  EXPECT_FALSE(Utf8Length("a\nb"));
  EXPECT_FALSE(Utf8Length("a\rb"));
  EXPECT_FALSE(Utf8Length("a\tb"));
  EXPECT_FALSE(Utf8Length("a\x1F"));
  EXPECT_FALSE(Utf8Length("a\x7F"));
  EXPECT_EQ(Utf8Length(" ~"), 2u);
}

// --- value checks ---

TEST(ApiJsonTest, CheckEmailAcceptsTypicalAddresses) {
  for (std::string ok : {"ana@example.org", "a.b+tag@mail.example.co.uk", "x@y.z"}) {
    EXPECT_EQ(CheckEmail(ok), "") << ok;
  }
}

TEST(ApiJsonTest, CheckEmailRejectsMalformedAddresses) {
  for (std::string bad :
       {"", "ab", "no-at.example.org", "@example.org", "ana@", "a@b@c.org", "ana @example.org",
        "ana@example", "a,b@example.org", "<ana@example.org>", "ana@exa\nmple.org"}) {
    EXPECT_NE(CheckEmail(bad), "") << bad;
  }
  EXPECT_NE(CheckEmail(std::string(250, 'a') + "@b.org"), "");
}

TEST(ApiJsonTest, CheckLanguageTagAcceptsCommonTags) {
  for (std::string ok : {"en", "fr", "pt-BR", "es-419", "zh-Hant-TW", "ast"}) {
    EXPECT_EQ(CheckLanguageTag(ok), "") << ok;
  }
}

TEST(ApiJsonTest, CheckLanguageTagRejectsOtherText) {
  for (std::string bad : {"", "e", "engl", "en-", "-en", "en--US", "e1", "12", "en_US",
                          "en-toolongsubtag", "pt BR"}) {
    EXPECT_NE(CheckLanguageTag(bad), "") << bad;
  }
  EXPECT_NE(CheckLanguageTag("en-" + std::string(40, 'a')), "");
}

TEST(ApiJsonTest, CheckCountryCodeAcceptsEmptyAndTwoCapitals) {
  EXPECT_EQ(CheckCountryCode(""), "");
  EXPECT_EQ(CheckCountryCode("BR"), "");
  EXPECT_EQ(CheckCountryCode("ZA"), "");
  for (std::string bad : {"br", "Br", "B", "BRA", "B1", "  "}) {
    EXPECT_NE(CheckCountryCode(bad), "") << bad;
  }
}

TEST(ApiJsonTest, CheckWebsiteAcceptsEmptyAndHttpUrls) {
  for (std::string ok :
       {"", "https://example.org", "http://example.org/path?q=1", "https://cut.org.br/"}) {
    EXPECT_EQ(CheckWebsite(ok), "") << ok;
  }
  for (std::string bad :
       {"example.org", "ftp://example.org", "javascript:alert(1)", "https://", "https:///path",
        "https://exa mple.org", "https://example.org/\"x\"", "https://example.org/<b>"}) {
    EXPECT_NE(CheckWebsite(bad), "") << bad;
  }
  EXPECT_NE(CheckWebsite("https://example.org/" + std::string(300, 'a')), "");
}

TEST(ApiJsonTest, CheckSlugAcceptsLowerCaseLettersDigitsAndInnerDashes) {
  for (const std::string& ok :
       std::vector<std::string>{"a", "climate-2026", "g20-joint-statement", std::string(64, 'x')}) {
    EXPECT_EQ(CheckSlug(ok), "") << ok;
  }
  for (const std::string& bad :
       std::vector<std::string>{"", "-lead", "trail-", "Upper", "with space", "under_score", "ç",
                                "a/b", std::string(65, 'x')}) {
    EXPECT_NE(CheckSlug(bad), "") << bad;
  }
}

// --- FormatTime and StoreProblem ---

TEST(ApiJsonTest, FormatTimeIsRfc3339Utc) {
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTime(1'800'000'000), "2027-01-15T08:00:00Z");
  EXPECT_EQ(FormatTime(951'782'400), "2000-02-29T00:00:00Z");  // a leap day
}

TEST(ApiJsonTest, StoreProblemMapsStatusCodesToProblems) {
  struct Case {
    Status status;
    int http;
    std::string slug;
  };
  for (const Case& c : {Case{Status::NotFound("no such user"), 404, "not-found"},
                        Case{Status::AlreadyExists("email taken"), 409, "conflict"},
                        Case{Status::FailedPrecondition("last one"), 409, "conflict"},
                        Case{Status::InvalidArgument("bad"), 422, "validation-failed"},
                        Case{Status::IOError("disk"), 500, "internal"},
                        Case{Status::Corruption("broken"), 500, "internal"}}) {
    HttpResponse r = StoreProblem(c.status);
    EXPECT_EQ(r.status, c.http) << c.status.ToString();
    EXPECT_EQ(Slug(r), c.slug) << c.status.ToString();
  }
}

TEST(ApiJsonTest, StoreProblemPassesTheMessageOnButHidesInternalErrors) {
  EXPECT_EQ(ProblemBody(StoreProblem(Status::NotFound("no such user"))).at("detail"),
            "no such user");
  std::string internal(
      ProblemBody(StoreProblem(Status::IOError("/var/secret/path: EIO"))).at("detail").as_string());
  EXPECT_EQ(internal.find("/var/secret"), std::string::npos) << internal;
}

}  // namespace
}  // namespace accord::server
