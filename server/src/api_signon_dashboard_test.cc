// The secretariat's sign-on dashboard: each participant's state in words, reminders (mail when
// SMTP is configured, links otherwise; not twice within an hour), and the signatory export in
// CSV (RFC 4180, formula-safe) and JSON — all for the statement's secretariat only.
#include <gtest/gtest.h>

#include <algorithm>

#include "api_signon_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

constexpr char kSignon[] = "/api/v1/statements/paris/signon";
constexpr char kReminders[] = "/api/v1/statements/paris/signon/reminders";
constexpr char kSignatories[] = "/api/v1/statements/paris/signatories";

class ApiSignonDashboardTest : public ApiSignonTest {
 protected:
  // The organization entry of `id` in a dashboard reply.
  static json::object OrgOf(const json::value& dashboard, auth::Id id) {
    for (const auto& o : dashboard.at("organizations").as_array()) {
      if (o.at("id").as_int64() == id) return o.as_object();
    }
    ADD_FAILURE() << "no organization " << id;
    return {};
  }
  // CGT (ana) endorses the current manifest, signed by `key`, with `obj` as the object.
  void EndorseAsCgt(const TestKey& key, const json::object& obj) {
    HttpResponse r = Endorse(ana_, key, Jcs(obj));
    ASSERT_EQ(r.status, 201) << r.body;
  }
};

TEST_F(ApiSignonDashboardTest, StatesCountsAndTimeline) {
  json::value before = Json(Get(sec_b_, kSignon));
  EXPECT_TRUE(before.at("manifest_sha256").is_null());
  EXPECT_EQ(before.at("counts").at("participants").as_int64(), 2);
  EXPECT_EQ(before.at("counts").at("not_signed").as_int64(), 2);

  TestKey key = Approved(ana_, cgt_.id);
  Register(bea_, mst_.id);  // pending: MST awaits its key's approval
  const std::string manifest = GoFinal();
  EndorseAsCgt(key, EndorsementObject(manifest));

  json::value d = Json(Get(sec_b_, kSignon));
  EXPECT_EQ(d.at("manifest_sha256").as_string(), manifest);
  const json::value& counts = d.at("counts");
  EXPECT_EQ(counts.at("participants").as_int64(), 2);
  EXPECT_EQ(counts.at("signed").as_int64(), 1);
  EXPECT_EQ(counts.at("awaiting_key").as_int64(), 1);
  EXPECT_EQ(counts.at("not_signed").as_int64(), 0);
  json::object cgt = OrgOf(d, cgt_.id);
  EXPECT_EQ(cgt.at("state").as_string(), "signed");
  EXPECT_EQ(cgt.at("endorsement").at("signatory").as_string(), "Ana Pérez");
  EXPECT_EQ(cgt.at("endorsement").at("kind").as_string(), "adheres");
  json::object mst = OrgOf(d, mst_.id);
  EXPECT_EQ(mst.at("state").as_string(), "awaiting-key");
  EXPECT_EQ(mst.at("keys_pending").as_int64(), 1);
  EXPECT_TRUE(mst.at("endorsement").is_null());
  EXPECT_TRUE(mst.at("last_reminded_at").is_null());
  const json::array& timeline = d.at("timeline").as_array();
  ASSERT_EQ(timeline.size(), 1u);
  EXPECT_EQ(timeline[0].at("date").as_string(), FormatTime(now_).substr(0, 10));
  EXPECT_EQ(timeline[0].at("endorsements").as_int64(), 1);
  EXPECT_EQ(timeline[0].at("cumulative").as_int64(), 1);
}

TEST_F(ApiSignonDashboardTest, ReservationsAreTheirOwnState) {
  TestKey key = Approved(ana_, cgt_.id);
  json::object obj = EndorsementObject(GoFinal());
  obj["kind"] = "adheres-with-reservations";
  obj["reservations"] = "Paragraph 2 goes too far.";
  EndorseAsCgt(key, obj);
  json::value d = Json(Get(sec_b_, kSignon));
  EXPECT_EQ(OrgOf(d, cgt_.id).at("state").as_string(), "signed-with-reservations");
  EXPECT_EQ(d.at("counts").at("with_reservations").as_int64(), 1);
  EXPECT_EQ(d.at("counts").at("not_signed").as_int64(), 1);
}

TEST_F(ApiSignonDashboardTest, OnlyTheSecretariat) {
  for (const Browser* who : {&ana_, &del_}) {
    EXPECT_EQ(ProblemType(Get(*who, kSignon)), "forbidden");
    EXPECT_EQ(ProblemType(Get(*who, std::string(kSignatories) + "?format=csv")), "forbidden");
    EXPECT_EQ(ProblemType(Post(*who, kReminders, "")), "forbidden");
  }
  EXPECT_EQ(Call(Req("GET", kSignon)).status, 401);
  EXPECT_EQ(Get(sec_b_, "/api/v1/statements/nope/signon").status, 404);
}

TEST_F(ApiSignonDashboardTest, RemindersGiveLinksWithoutMailAndWaitAnHour) {
  EXPECT_EQ(ProblemType(Post(sec_b_, kReminders, "")), "not-final");
  TestKey key = Approved(ana_, cgt_.id);
  EndorseAsCgt(key, EndorsementObject(GoFinal()));

  HttpResponse r = Post(sec_b_, kReminders, "");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value out = Json(r);
  ASSERT_EQ(out.at("reminded").as_array().size(), 1u);
  EXPECT_EQ(out.at("reminded").at(0).at("organization_id").as_int64(), mst_.id);
  EXPECT_EQ(out.at("reminded").at(0).at("emailed").as_int64(), 0);
  ASSERT_EQ(out.at("links").as_array().size(), 1u);
  const json::value& link = out.at("links").at(0);
  EXPECT_EQ(link.at("email").as_string(), "bea@example.org");
  EXPECT_EQ(link.at("link").as_string(), config_.public_url + "/#/statements/paris/sign");
  ASSERT_EQ(out.at("skipped").as_array().size(), 1u);
  EXPECT_EQ(out.at("skipped").at(0).at("reason").as_string(), "signed");
  EXPECT_TRUE(mails_.empty());

  // Recorded: the dashboard shows when.
  json::value d = Json(Get(sec_b_, kSignon));
  EXPECT_EQ(OrgOf(d, mst_.id).at("last_reminded_at").as_string(), FormatTime(now_));

  // Not again within the hour, whether named or not; nothing is recorded then.
  now_ += 600;
  const std::string named = R"({"organization_ids":[)" + std::to_string(mst_.id) + "]}";
  EXPECT_EQ(Post(sec_b_, kReminders, named).status, 429);
  EXPECT_EQ(Post(sec_b_, kReminders, "").status, 429);
  d = Json(Get(sec_b_, kSignon));
  EXPECT_EQ(OrgOf(d, mst_.id).at("last_reminded_at").as_string(), FormatTime(now_ - 600));

  now_ += 3600;
  r = Post(sec_b_, kReminders, named);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("reminded").as_array().size(), 1u);
}

TEST_F(ApiSignonDashboardTest, RemindersAreMailedWhenSmtpIsConfigured) {
  GoFinal();
  mail_enabled_ = true;
  HttpResponse r = Post(sec_b_, kReminders, "");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value out = Json(r);
  EXPECT_EQ(out.at("reminded").as_array().size(), 2u);
  EXPECT_TRUE(out.at("links").as_array().empty());
  ASSERT_EQ(mails_.size(), 2u);
  for (const auto& mail : mails_) {
    EXPECT_NE(mail.body.find("/#/statements/paris/sign"), std::string::npos) << mail.body;
  }
}

TEST_F(ApiSignonDashboardTest, RemindersAreMailedInTheRecipientsLanguage) {
  auth::UserPatch spanish;
  spanish.language = "es";
  ASSERT_TRUE(store_->UpdateUser(bea_user_.id, spanish).ok());
  GoFinal();
  mail_enabled_ = true;
  HttpResponse r = Post(sec_b_, kReminders, "");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(mails_.size(), 2u);
  for (const auto& mail : mails_) {
    if (mail.to == "bea@example.org") {
      EXPECT_EQ(mail.subject.rfind("Recordatorio: ", 0), 0u) << mail.subject;
      EXPECT_NE(mail.body.find("Estimado/a Bea Souza:"), std::string::npos) << mail.body;
      EXPECT_NE(mail.body.find("espera la firma de " + mst_.name), std::string::npos) << mail.body;
      EXPECT_NE(mail.body.find("/#/statements/paris/sign"), std::string::npos) << mail.body;
    } else {
      EXPECT_EQ(mail.subject.rfind("Reminder: ", 0), 0u) << mail.subject;
    }
  }
}

TEST_F(ApiSignonDashboardTest, BadReminderRequestsChangeNothing) {
  GoFinal();
  EXPECT_EQ(ProblemType(Post(sec_b_, kReminders, R"({"organization_ids":"all"})")),
            "validation-failed");
  EXPECT_EQ(ProblemType(Post(sec_b_, kReminders, R"({"organization_ids":[0]})")),
            "validation-failed");
  EXPECT_EQ(ProblemType(Post(sec_b_, kReminders, R"({"organization_ids":[999]})")),
            "validation-failed");
  EXPECT_EQ(ProblemType(Post(sec_b_, kReminders, R"({"everyone":true})")), "unknown-field");
  json::value d = Json(Get(sec_b_, kSignon));
  for (const auto& o : d.at("organizations").as_array()) {
    EXPECT_TRUE(o.at("last_reminded_at").is_null());
  }
}

TEST_F(ApiSignonDashboardTest, SignatoriesExportIsFormulaSafeCsvAndJson) {
  TestKey key = Approved(ana_, cgt_.id);
  json::object obj = EndorsementObject(GoFinal());
  obj["signatory"] =
      json::object{{"name", "=HYPERLINK(\"http://x\")"}, {"title", "Secretary, \"General\""}};
  EndorseAsCgt(key, obj);

  HttpResponse csv = Get(sec_b_, std::string(kSignatories) + "?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type.rfind("text/csv; charset=utf-8", 0), 0u);
  bool attachment = false;
  for (const auto& [name, value] : csv.headers) {
    if (name == "Content-Disposition") {
      attachment = value == "attachment; filename=\"paris-signatories.csv\"";
    }
  }
  EXPECT_TRUE(attachment);
  const std::string header =
      "organization,short_name,country,signatory,title,kind,reservations,signed_at,"
      "endorsement_sha256,log_index\r\n";
  ASSERT_EQ(csv.body.rfind(header, 0), 0u) << csv.body;
  const std::string row = csv.body.substr(header.size());
  EXPECT_EQ(row.rfind(cgt_.name + ",CGT,FR,\"'=HYPERLINK(\"\"http://x\"\")\","
                                  "\"Secretary, \"\"General\"\"\",adheres,,",
                      0),
            0u)
      << row;
  EXPECT_EQ(row.substr(row.size() - 2), "\r\n");
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 2);  // header + one signatory

  HttpResponse js = Get(sec_b_, std::string(kSignatories) + "?format=json");
  ASSERT_EQ(js.status, 200) << js.body;
  json::value list = Json(js);
  ASSERT_EQ(list.as_array().size(), 1u);
  EXPECT_EQ(list.at(0).at("signatory").as_string(), "=HYPERLINK(\"http://x\")");
  EXPECT_EQ(list.at(0).at("organization").as_string(), cgt_.name);

  EXPECT_EQ(ProblemType(Get(sec_b_, std::string(kSignatories) + "?format=xml")),
            "validation-failed");
}

}  // namespace
}  // namespace accord::server::testing
