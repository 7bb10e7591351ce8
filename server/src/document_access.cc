#include "document_access.h"

#include <boost/json.hpp>

#include "accord/auth/policy.h"
#include "account_admin.h"

namespace accord::server {

namespace {
constexpr std::string_view kStatementPrefix = "statement.";
}  // namespace

std::string DraftDocumentName(std::string_view slug) {
  return std::string(kStatementPrefix) + std::string(slug);
}

std::optional<std::string> StatementSlugOf(std::string_view document) {
  if (!document.starts_with(kStatementPrefix)) return std::nullopt;
  std::string_view rest = document.substr(kStatementPrefix.size());
  std::string_view slug = rest.substr(0, rest.find('.'));
  if (slug.empty()) return std::nullopt;
  return std::string(slug);
}

Result<DocumentRights> AuthorizeDocument(auth::AccountStore& store, const ApiCaller& caller,
                                         std::string_view document, auth::UnixTime now) {
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
