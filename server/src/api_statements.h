// api_statements.h: what the statement handlers share — loading the statement named by a
// request's {slug} with its participants and asking the policy about it (api_statements.cc),
// and taking a version of its draft (api_versions.cc). Internal to the API.
//
// Thread-safety: as api.h (handlers on worker threads; everything here is reentrant).
#ifndef ACCORD_SERVER_API_STATEMENTS_H_
#define ACCORD_SERVER_API_STATEMENTS_H_

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api.h"
#include "drafting_store.h"

namespace accord::server {

struct LoadedStatement {
  auth::StatementRef statement;
  std::vector<auth::Participation> participants;
};

// The statement named by the {slug} parameter; nullopt with `problem` set (404, or the store's
// error) if there is none.
std::optional<LoadedStatement> LoadStatement(ApiContext& ctx, const ApiRequest& req,
                                             HttpResponse* problem);
// LoadStatement, then the policy's answer for `action` on it (403 problem when denied).
std::optional<LoadedStatement> LoadStatementFor(ApiContext& ctx, const ApiRequest& req,
                                                const ApiCaller& caller, auth::Action action,
                                                HttpResponse* problem);
// The policy target for `loaded` (valid while `loaded` lives).
auth::Target TargetOf(ApiContext& ctx, const LoadedStatement& loaded);

// A version of the statement's draft as it is now (DocumentService::CurrentState), rendered to
// canonical text; not stored yet (DraftingStore::AddVersion / RecordPhaseChange store it).
Result<Version> SnapshotDraft(ApiContext& ctx, const auth::StatementRef& statement,
                              std::string label, VersionReason reason, auth::Phase phase,
                              auth::Id author);

// The amendment named by the {number} parameter of `loaded`; nullopt with `problem` set (404,
// or the store's error) if there is none (api_amendments.cc).
std::optional<Amendment> LoadAmendment(ApiContext& ctx, const ApiRequest& req,
                                       const LoadedStatement& loaded, HttpResponse* problem);

// GET diff's answer for two canonical texts: JSON ({head..., "diff": DIFF.md schema v1}) when
// `layout` is empty, else the HTML rendering, "inline" or "side-by-side" (api_versions.cc).
// A 400 problem for another layout.
HttpResponse DiffResponse(std::string_view old_text, std::string_view new_text,
                          std::string_view layout, boost::json::object head);

// "YYYY-MM-DDTHH:MM:SSZ" (UTC only, as FormatTime writes it) to Unix seconds.
std::optional<auth::UnixTime> ParseTime(std::string_view s);

// A phase change as the API shows it.
boost::json::object ToJson(const PhaseChange& change);

}  // namespace accord::server

#endif  // ACCORD_SERVER_API_STATEMENTS_H_
