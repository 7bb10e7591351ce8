// document_access.h: what a signed-in caller may do with a document over WebSocket.
//
// Documents are named (proto/document_name.h). The live draft of statement `slug` is the
// document "statement.<slug>"; its rights follow the statement's phase and participants
// through auth::Authorize: kReadStatement to open it, kEditDraft to send updates (otherwise
// the connection is read-only and its updates are refused with a reason). An amendment's
// document "statement.<slug>.amendment.<number>" is readable by whoever may read the statement
// and writable as amendment_rules.h says: by delegates of the proposing organization while it
// is a draft (until the phase deadline), and by the statement secretariat while it is being
// settled (submitted or supported: a compromise text); a name of that form with no amendment
// behind it is refused. Other names below "statement.<slug>." are reserved for the statement's
// other documents (versions, translations) and are read-only. Any other document is the
// instance secretariat's alone (scratch pads, imports).
//
// API tokens add two bounds: the token's document pattern must cover the name, and its
// scopes (documents:read to open, documents:write to write) cut the owner's rights.
//
// Thread-safe: reads the store only.
#ifndef ACCORD_SERVER_DOCUMENT_ACCESS_H_
#define ACCORD_SERVER_DOCUMENT_ACCESS_H_

#include <optional>
#include <string>
#include <string_view>

#include "accord/auth/account_store.h"
#include "accord/status.h"
#include "api.h"
#include "drafting_store.h"

namespace accord::server {

// "statement." + slug.
std::string DraftDocumentName(std::string_view slug);
// "statement." + slug + ".amendment." (the number follows).
std::string AmendmentDocumentPrefix(std::string_view slug);
// The statement slug a document name belongs to, if it is a statement's document.
std::optional<std::string> StatementSlugOf(std::string_view document);

struct DocumentRights {
  bool write = false;
  std::string why_read_only;  // when !write: the reason, told to the client
  // When write rights lapse by themselves (a delegate's phase deadline), in Unix seconds; 0:
  // they do not. The room refuses updates from then on without waiting for a reconnect.
  auth::UnixTime write_until = 0;
  auth::Id user_id = 0;            // the caller
  auth::UnixTime valid_until = 0;  // when the caller's session or token expires; 0: never
};

// PermissionDenied (with the policy's reason) when the caller may not open the document.
// `drafting` (may be null: amendment documents are then refused) finds amendments.
Result<DocumentRights> AuthorizeDocument(auth::AccountStore& store, DraftingStore* drafting,
                                         const ApiCaller& caller, std::string_view document,
                                         auth::UnixTime now);

// Records a refused WebSocket open in the audit log ("permission-denied").
void AuditDocumentDenial(ApiContext& ctx, const ApiRequest& req, const ApiCaller& caller,
                         std::string_view document, std::string_view reason);

}  // namespace accord::server

#endif  // ACCORD_SERVER_DOCUMENT_ACCESS_H_
