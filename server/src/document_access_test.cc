// Tests of AuthorizeDocument (document_access.h): who may open which document over WebSocket,
// and who may write to it, for session callers and API token callers, case by case.
#include "document_access.h"

#include <gtest/gtest.h>

#include <string>

#include "api_service.h"
#include "api_test_support.h"

namespace accord::server::testing {
namespace {

constexpr char kDraft[] = "statement.g20";

class DocumentAccessTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    cut_ = MakeOrg("CUT");
    mst_ = MakeOrg("MST");
    ned_ = MakeOrg("NED");
    other_ = MakeOrg("OTHER");
    ana_ = MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
    obs_ = MakeUser("obs@example.org", "Obs", cut_.id, auth::Role::kObserver);
    conv_ = MakeUser("conv@example.org", "Conv", mst_.id, auth::Role::kSecretariat);
    ned_delegate_ = MakeUser("ned@example.org", "Ned", ned_.id, auth::Role::kDelegate);
    out_ = MakeUser("out@example.org", "Out", other_.id, auth::Role::kDelegate);
    auto g20 = store_->CreateStatement("g20", "G20 declaration", "en", now_);
    ASSERT_TRUE(g20.ok()) << g20.status().ToString();
    g20_ = *g20;
    Participate(cut_.id, /*convener=*/false, /*edit=*/true);
    Participate(mst_.id, /*convener=*/true, /*edit=*/true);
    Participate(ned_.id, /*convener=*/false, /*edit=*/false);
  }

  void Participate(auth::Id org, bool convener, bool edit) {
    auth::Participation p;
    p.statement_id = g20_.id;
    p.organization_id = org;
    p.convener = convener;
    p.edit = edit;
    ASSERT_TRUE(store_->SetParticipation(p).ok());
  }
  void SetPhase(auth::Phase phase, std::optional<auth::UnixTime> deadline = std::nullopt) {
    ASSERT_TRUE(store_->SetStatementPhase(g20_.id, phase, deadline).ok());
  }

  // A caller signed in with a session: every scope.
  ApiCaller Session(const auth::User& user) {
    ApiCaller caller;
    caller.user = user;
    auto principal = PrincipalFor(*store_, user);
    EXPECT_TRUE(principal.ok()) << principal.status().ToString();
    if (principal.ok()) caller.principal = *principal;
    caller.session_id = 1;
    caller.session_token = "acs_test";
    return caller;
  }
  // A caller with an API token of `user` with `scopes` over `pattern`.
  ApiCaller Token(const auth::User& user, uint32_t scopes, const std::string& pattern = "*") {
    ApiCaller caller = Session(user);
    caller.session_id = 0;
    caller.session_token.clear();
    caller.principal.scopes = scopes;
    caller.token_id = 7;
    caller.token_pattern = pattern;
    return caller;
  }

  Result<DocumentRights> Open(const ApiCaller& caller, const std::string& doc) {
    return AuthorizeDocument(*store_, drafting_.get(), caller, doc, now_);
  }
  // Expects the caller may open `doc`; returns whether they may write.
  bool Writes(const ApiCaller& caller, const std::string& doc = kDraft) {
    auto rights = Open(caller, doc);
    EXPECT_TRUE(rights.ok()) << doc << ": " << rights.status().ToString();
    if (!rights.ok()) return false;
    if (rights->write) {
      EXPECT_TRUE(rights->why_read_only.empty()) << rights->why_read_only;
    } else {
      EXPECT_FALSE(rights->why_read_only.empty()) << "a read-only connection needs a reason";
    }
    return rights->write;
  }
  std::string ReadOnlyReason(const ApiCaller& caller, const std::string& doc = kDraft) {
    auto rights = Open(caller, doc);
    EXPECT_TRUE(rights.ok()) << rights.status().ToString();
    return rights.ok() ? rights->why_read_only : "";
  }
  bool Denied(const ApiCaller& caller, const std::string& doc = kDraft) {
    auto rights = Open(caller, doc);
    return !rights.ok() && rights.status().code() == Status::Code::kPermissionDenied;
  }

  auth::Organization cut_, mst_, ned_, other_;
  auth::User ana_, obs_, conv_, ned_delegate_, out_;
  auth::StatementRef g20_;
};

// --- The draft in the drafting phase ---

TEST_F(DocumentAccessTest, DelegateOfAnEditingParticipantWritesTheDraft) {
  EXPECT_TRUE(Writes(Session(ana_)));
}

TEST_F(DocumentAccessTest, ObserverOpensTheDraftReadOnlyWithAReason) {
  EXPECT_FALSE(Writes(Session(obs_)));
  EXPECT_NE(ReadOnlyReason(Session(obs_)).find("only delegates"), std::string::npos);
}

TEST_F(DocumentAccessTest, DelegateOfAParticipantWithoutEditReadsOnly) {
  EXPECT_FALSE(Writes(Session(ned_delegate_)));
  EXPECT_NE(ReadOnlyReason(Session(ned_delegate_)).find("without the right to edit"),
            std::string::npos);
}

TEST_F(DocumentAccessTest, DelegateOfANonParticipantIsDenied) {
  auto rights = Open(Session(out_), kDraft);
  ASSERT_FALSE(rights.ok());
  EXPECT_EQ(rights.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(rights.status().message().find("not a member"), std::string::npos);
}

TEST_F(DocumentAccessTest, SecretariatsWriteTheDraftInDrafting) {
  EXPECT_TRUE(Writes(Session(sec_)));
  EXPECT_TRUE(Writes(Session(conv_)));
}

TEST_F(DocumentAccessTest, AfterTheDeadlineDelegatesReadOnly) {
  SetPhase(auth::Phase::kDrafting, now_ + 10);
  EXPECT_TRUE(Writes(Session(ana_)));
  now_ += 10;
  EXPECT_FALSE(Writes(Session(ana_)));
  EXPECT_NE(ReadOnlyReason(Session(ana_)).find("deadline"), std::string::npos);
  // The secretariat is not bound by the deadline.
  EXPECT_TRUE(Writes(Session(sec_)));
}

// --- Other phases ---

TEST_F(DocumentAccessTest, AmendmentsPhaseFreezesTheDraftForEveryone) {
  SetPhase(auth::Phase::kAmendments);
  for (const auth::User* u : {&ana_, &obs_, &conv_, &sec_}) {
    EXPECT_FALSE(Writes(Session(*u))) << u->email;
    EXPECT_NE(ReadOnlyReason(Session(*u)).find("frozen"), std::string::npos) << u->email;
  }
}

TEST_F(DocumentAccessTest, FinalPhaseFreezesTheDraftForEveryone) {
  SetPhase(auth::Phase::kFinal);
  for (const auth::User* u : {&ana_, &obs_, &conv_, &sec_}) {
    EXPECT_FALSE(Writes(Session(*u))) << u->email;
  }
  EXPECT_TRUE(Denied(Session(out_)));
}

TEST_F(DocumentAccessTest, ConsolidationLetsOnlyTheStatementSecretariatWrite) {
  SetPhase(auth::Phase::kConsolidation);
  EXPECT_TRUE(Writes(Session(sec_)));
  EXPECT_TRUE(Writes(Session(conv_)));
  EXPECT_FALSE(Writes(Session(ana_)));
  EXPECT_NE(ReadOnlyReason(Session(ana_)).find("consolidation"), std::string::npos);
  EXPECT_FALSE(Writes(Session(obs_)));
}

// --- Names ---

TEST_F(DocumentAccessTest, UnknownStatementIsDenied) {
  EXPECT_TRUE(Denied(Session(sec_), "statement.nope"));
  EXPECT_TRUE(Denied(Session(ana_), "statement.nope"));
}

TEST_F(DocumentAccessTest, OtherDocumentsOfAStatementAreReadOnly) {
  EXPECT_FALSE(Writes(Session(ana_), "statement.g20.v1"));
  EXPECT_FALSE(Writes(Session(sec_), "statement.g20.v1"));
  EXPECT_EQ(ReadOnlyReason(Session(sec_), "statement.g20.v1"),
            "this document of the statement is read-only");
  EXPECT_TRUE(Denied(Session(out_), "statement.g20.v1"));
}

// --- Amendments' documents ---

// An amendment of CUT's, in the amendments phase; returns its document name.
std::string ProposeAsCut(DraftingStore& drafting, auth::Id statement, auth::Id cut, auth::Id user) {
  Amendment a;
  a.statement_id = statement;
  a.base_version = 1;
  a.title = "Bread";
  a.organization_id = cut;
  a.created_by = user;
  a.created_at = 1;
  auto stored = drafting.CreateAmendment(a, "statement.g20.amendment.");
  EXPECT_TRUE(stored.ok()) << stored.status().ToString();
  return stored.ok() ? stored->document : "";
}

void Move(DraftingStore& drafting, const std::string& doc, AmendmentState from, AmendmentState to) {
  auto a = drafting.FindAmendmentByDocument(doc);
  ASSERT_TRUE(a.ok());
  AmendmentTransition t;
  t.amendment_id = a->id;
  t.from = from;
  t.to = to;
  t.at = 2;
  ASSERT_TRUE(drafting.TransitionAmendment(t).ok());
}

TEST_F(DocumentAccessTest, TheProposersDelegatesWriteTheirDraftAmendmentOnly) {
  SetPhase(auth::Phase::kAmendments);
  const std::string doc = ProposeAsCut(*drafting_, g20_.id, cut_.id, ana_.id);
  EXPECT_EQ(doc, "statement.g20.amendment.1");
  EXPECT_TRUE(Writes(Session(ana_), doc));
  EXPECT_EQ(Open(Session(ana_), doc)->write_until, 0);
  EXPECT_FALSE(Writes(Session(ned_delegate_), doc));
  EXPECT_FALSE(Writes(Session(obs_), doc));
  // The secretariat reads a draft amendment; it writes only once the amendment is settled.
  EXPECT_FALSE(Writes(Session(sec_), doc));
  EXPECT_FALSE(Writes(Session(conv_), doc));
  EXPECT_TRUE(Denied(Session(out_), doc));
  // A token without documents:write reads only; documents:write is enough to write.
  EXPECT_FALSE(Writes(Token(ana_, auth::kScopeDocumentsRead | auth::kScopeApiWrite), doc));
  EXPECT_TRUE(Writes(Token(ana_, auth::kScopeDocumentsRead | auth::kScopeDocumentsWrite), doc));
}

TEST_F(DocumentAccessTest, DelegatesWriteTheirAmendmentUntilThePhaseDeadline) {
  SetPhase(auth::Phase::kAmendments, now_ + 3600);
  const std::string doc = ProposeAsCut(*drafting_, g20_.id, cut_.id, ana_.id);
  auto rights = Open(Session(ana_), doc);
  ASSERT_TRUE(rights.ok());
  EXPECT_TRUE(rights->write);
  EXPECT_EQ(rights->write_until, now_ + 3600);
  SetPhase(auth::Phase::kAmendments, now_);
  EXPECT_FALSE(Writes(Session(ana_), doc));
}

TEST_F(DocumentAccessTest, TheSecretariatWritesACompromiseWhileAnAmendmentIsSettled) {
  SetPhase(auth::Phase::kAmendments);
  const std::string doc = ProposeAsCut(*drafting_, g20_.id, cut_.id, ana_.id);
  Move(*drafting_, doc, AmendmentState::kDraft, AmendmentState::kSubmitted);
  EXPECT_FALSE(Writes(Session(ana_), doc));
  EXPECT_NE(ReadOnlyReason(Session(ana_), doc).find("submitted"), std::string::npos);
  EXPECT_TRUE(Writes(Session(sec_), doc));
  EXPECT_TRUE(Writes(Session(conv_), doc));
  SetPhase(auth::Phase::kConsolidation);
  EXPECT_TRUE(Writes(Session(conv_), doc));
  Move(*drafting_, doc, AmendmentState::kSubmitted, AmendmentState::kAccepted);
  EXPECT_FALSE(Writes(Session(conv_), doc));
  EXPECT_FALSE(Writes(Session(ana_), doc));
  EXPECT_FALSE(Writes(Session(obs_), doc));
}

TEST_F(DocumentAccessTest, AnAmendmentNameWithoutAnAmendmentIsDenied) {
  SetPhase(auth::Phase::kAmendments);
  EXPECT_TRUE(Denied(Session(sec_), "statement.g20.amendment.1"));
  EXPECT_TRUE(Denied(Session(ana_), "statement.g20.amendment.x"));
}

TEST_F(DocumentAccessTest, DocumentsOfNoStatementAreTheInstanceSecretariats) {
  EXPECT_TRUE(Writes(Session(sec_), "scratch"));
  EXPECT_TRUE(Denied(Session(conv_), "scratch"));
  EXPECT_TRUE(Denied(Session(ana_), "scratch"));
  EXPECT_TRUE(Denied(Session(obs_), "statements-g20"));
}

// --- API tokens ---

TEST_F(DocumentAccessTest, TokenPatternMustCoverTheDocument) {
  const uint32_t rw = auth::kScopeDocumentsRead | auth::kScopeDocumentsWrite;
  EXPECT_TRUE(Denied(Token(ana_, rw, "statement.other*")));
  EXPECT_TRUE(Denied(Token(ana_, rw, "statement.g2")));
  EXPECT_TRUE(Denied(Token(sec_, rw, "statement.*"), "scratch"));
  EXPECT_TRUE(Writes(Token(ana_, rw, "statement.g20*")));
  EXPECT_TRUE(Writes(Token(ana_, rw, kDraft)));
  EXPECT_TRUE(Writes(Token(ana_, rw, "*")));
}

TEST_F(DocumentAccessTest, TokenPatternDoesNotWidenTheOwnersRights) {
  const uint32_t rw = auth::kScopeDocumentsRead | auth::kScopeDocumentsWrite;
  EXPECT_TRUE(Denied(Token(out_, rw, "*")));
  EXPECT_FALSE(Writes(Token(obs_, rw, "*")));
}

TEST_F(DocumentAccessTest, ReadOnlyTokenReadsOnlyEvenForTheSecretariat) {
  EXPECT_FALSE(Writes(Token(sec_, auth::kScopeDocumentsRead)));
  EXPECT_NE(ReadOnlyReason(Token(sec_, auth::kScopeDocumentsRead)).find("documents:write"),
            std::string::npos);
  EXPECT_FALSE(Writes(Token(sec_, auth::kScopeDocumentsRead), "scratch"));
  EXPECT_FALSE(Writes(Token(ana_, auth::kScopeDocumentsRead)));
}

TEST_F(DocumentAccessTest, TokenWithoutDocumentScopesIsDenied) {
  const uint32_t api = auth::kScopeApiRead | auth::kScopeApiWrite;
  auto rights = Open(Token(sec_, api), kDraft);
  ASSERT_FALSE(rights.ok());
  EXPECT_EQ(rights.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(rights.status().message().find("documents:read"), std::string::npos);
  EXPECT_TRUE(Denied(Token(sec_, api), "scratch"));
}

TEST_F(DocumentAccessTest, DeniedOpeningsCanBeAudited) {
  ApiRequest req = Req("GET", "/ws/scratch");
  AuditDocumentDenial(service_->context(), req, Session(ana_), "scratch", "no");
  auto events = store_->ListAudit(0, 1);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "permission-denied");
  EXPECT_EQ((*events)[0].subject, "document:scratch");
  EXPECT_EQ((*events)[0].actor_user_id, ana_.id);
  EXPECT_EQ((*events)[0].ip, "127.0.0.1");
}

// --- Document names of statements ---

TEST(DocumentAccessNames, DraftDocumentNameIsStatementDotSlug) {
  EXPECT_EQ(DraftDocumentName("g20"), "statement.g20");
  EXPECT_EQ(DraftDocumentName("climate-2027"), "statement.climate-2027");
}

TEST(DocumentAccessNames, StatementSlugOfFindsTheSlug) {
  EXPECT_EQ(StatementSlugOf("statement.g20"), "g20");
  EXPECT_EQ(StatementSlugOf("statement.g20.v1"), "g20");
  EXPECT_EQ(StatementSlugOf("statement.g20.amendment.3"), "g20");
  EXPECT_EQ(StatementSlugOf(DraftDocumentName("a-b")), "a-b");
}

TEST(DocumentAccessNames, StatementSlugOfRefusesOtherNames) {
  EXPECT_EQ(StatementSlugOf("statement."), std::nullopt);
  EXPECT_EQ(StatementSlugOf("statement"), std::nullopt);
  EXPECT_EQ(StatementSlugOf("statement..v1"), std::nullopt);
  EXPECT_EQ(StatementSlugOf("statements.g20"), std::nullopt);
  EXPECT_EQ(StatementSlugOf("scratch"), std::nullopt);
  EXPECT_EQ(StatementSlugOf(""), std::nullopt);
}

}  // namespace
}  // namespace accord::server::testing
