#include "document_access.h"

#include <boost/json.hpp>

#include "accord/auth/policy.h"
#include "account_admin.h"
#include "amendment_rules.h"

namespace accord::server {

namespace {
constexpr std::string_view kStatementPrefix = "statement.";
}  // namespace

std::string DraftDocumentName(std::string_view slug) {
  return std::string(kStatementPrefix) + std::string(slug);
}

std::string AmendmentDocumentPrefix(std::string_view slug) {
  return DraftDocumentName(slug) + ".amendment.";
}

std::optional<std::string> StatementSlugOf(std::string_view document) {
  if (!document.starts_with(kStatementPrefix)) return std::nullopt;
  std::string_view rest = document.substr(kStatementPrefix.size());
  std::string_view slug = rest.substr(0, rest.find('.'));
  if (slug.empty()) return std::nullopt;
  return std::string(slug);
}

namespace {

// The rights on an amendment's document, once the caller may read the statement.
Result<DocumentRights> AmendmentDocumentRights(DraftingStore* drafting, const ApiCaller& caller,
                                               std::string_view document,
                                               const auth::Target& target, DocumentRights rights) {
  if (drafting == nullptr) return Status::PermissionDenied("amendments are not available here");
  auto amendment = drafting->FindAmendmentByDocument(std::string(document));
  if (!amendment.ok()) {
    if (amendment.status().code() == Status::Code::kNotFound) {
      return Status::PermissionDenied("there is no amendment '" + std::string(document) + "'");
    }
    return amendment.status();
  }
  auto settings = drafting->GetAmendmentSettings(amendment->statement_id);
  if (!settings.ok()) return settings.status();
  if ((caller.principal.scopes & auth::kScopeDocumentsWrite) == 0) {
    rights.why_read_only = "the API token lacks the documents:write scope";
    return rights;
  }
  // Writing a document is what documents:write grants (as for the draft); the rules below ask
  // the policy about amendment actions, which it would tie to api:write.
  auth::Principal who = caller.principal;
  who.scopes |= auth::kScopeApiRead | auth::kScopeApiWrite;
  AmendmentRequest edit;
  edit.kind = AmendmentRequest::Kind::kEdit;
  auth::Decision proposer = DecideAmendment(who, target, *amendment, *settings, edit);
  AmendmentRequest compromise;
  compromise.kind = AmendmentRequest::Kind::kWriteCompromise;
  auth::Decision secretariat = DecideAmendment(who, target, *amendment, *settings, compromise);
  if (secretariat) {
    rights.write = true;  // the secretariat is bound by no deadline
  } else if (proposer) {
    rights.write = true;
    // Delegates write until the phase deadline, as on the draft.
    if (target.statement->phase_deadline) rights.write_until = *target.statement->phase_deadline;
  } else {
    // The reason that concerns the caller: the proposer's side for its own delegates and for
    // drafts, the secretariat's otherwise.
    const bool own = auth::HasRole(who, amendment->organization_id, auth::Role::kDelegate);
    rights.why_read_only =
        own || amendment->state == AmendmentState::kDraft ? proposer.reason : secretariat.reason;
  }
  return rights;
}

}  // namespace

Result<DocumentRights> AuthorizeDocument(auth::AccountStore& store, DraftingStore* drafting,
                                         const ApiCaller& caller, std::string_view document,
                                         auth::UnixTime now) {
  const auth::Principal& who = caller.principal;
  if (caller.token_id != 0) {
    if (!DocumentPatternCovers(caller.token_pattern, document)) {
      return Status::PermissionDenied("the API token does not cover the document '" +
                                      std::string(document) + "'");
    }
    if ((who.scopes & auth::kScopeDocumentsRead) == 0) {
      return Status::PermissionDenied("the API token lacks the documents:read scope");
    }
  }
  DocumentRights rights;
  rights.user_id = caller.user.id;
  rights.valid_until = caller.expires_at;
  auto slug = StatementSlugOf(document);
  if (!slug) {
    if (!auth::IsInstanceSecretariat(who)) {
      return Status::PermissionDenied(
          "only the instance secretariat may open documents that belong to no statement");
    }
    rights.write = (who.scopes & auth::kScopeDocumentsWrite) != 0;
    if (!rights.write) rights.why_read_only = "the API token lacks the documents:write scope";
    return rights;
  }
  auto statement = store.FindStatementBySlug(*slug);
  if (!statement.ok()) {
    if (statement.status().code() == Status::Code::kNotFound) {
      return Status::PermissionDenied("there is no statement '" + *slug + "'");
    }
    return statement.status();
  }
  auto participants = store.ListParticipants(statement->id);
  if (!participants.ok()) return participants.status();
  auth::Target target;
  target.statement = &*statement;
  target.participants = &*participants;
  target.now = now;
  auth::Decision read = auth::Authorize(who, auth::Action::kReadStatement, target);
  if (!read) return Status::PermissionDenied(read.reason);
  if (document.starts_with(AmendmentDocumentPrefix(*slug))) {
    return AmendmentDocumentRights(drafting, caller, document, target, std::move(rights));
  }
  if (document != DraftDocumentName(*slug)) {
    rights.why_read_only = "this document of the statement is read-only";
    return rights;
  }
  auth::Decision edit = auth::Authorize(who, auth::Action::kEditDraft, target);
  rights.write = edit.allowed;
  rights.why_read_only = edit.reason;
  if (rights.write && statement->phase_deadline) {
    // Whether this caller is bound by the deadline (delegates are, the secretariat is not).
    target.now = *statement->phase_deadline;
    if (!auth::Authorize(who, auth::Action::kEditDraft, target)) {
      rights.write_until = *statement->phase_deadline;
    }
  }
  return rights;
}

void AuditDocumentDenial(ApiContext& ctx, const ApiRequest& req, const ApiCaller& caller,
                         std::string_view document, std::string_view reason) {
  boost::json::object detail{{"action", "open-document"}, {"reason", reason}};
  ctx.Audit("permission-denied", req, caller.user.id, "document:" + std::string(document),
            boost::json::serialize(detail));
}

}  // namespace accord::server
