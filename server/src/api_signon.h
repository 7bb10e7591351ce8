// api_signon.h: what the sign-on handlers share (api_signing_keys.cc, api_manifest.cc,
// api_endorsements.cc) and the hook api_statements.cc calls when a statement enters `final`.
// Internal to the API.
//
// Thread-safety: as api.h (handlers on worker threads; everything here is reentrant).
#ifndef ACCORD_SERVER_API_SIGNON_H_
#define ACCORD_SERVER_API_SIGNON_H_

#include <boost/json.hpp>
#include <optional>

#include "api.h"
#include "signon_store.h"

namespace accord::server {

// 503 `unavailable`: the server keeps no sign-on store (ctx.signon is null).
HttpResponse NoSignon();
// A Key as the API shows it (contract section 5).
boost::json::object KeyJson(ApiContext& ctx, const SigningKey& key);
// A log index or null.
boost::json::value OptIndex(const std::optional<int64_t>& index);

// Publishes the manifest of version `version_number` of `statement`, which has just entered
// `final`: the manifest row and its final-version log entry in one transaction. Returns the
// manifest's members plus "manifest_sha256" and "log_index" (the PATCH reply's "manifest").
// FailedPrecondition when the server keeps no sign-on store or no log.
Result<boost::json::object> PublishFinalManifest(ApiContext& ctx,
                                                 const auth::StatementRef& statement,
                                                 int64_t version_number);

}  // namespace accord::server

#endif  // ACCORD_SERVER_API_SIGNON_H_
