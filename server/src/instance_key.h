// instance_key.h: the instance's secret key, made on first start and kept in the database.
//
// It keys the CSRF tokens (auth/web_security.h), so that they can be checked without being
// stored, and survives restarts so that signed-in browsers keep working. It is not a user
// secret (those are stored hashed); whoever can read accord.db could forge CSRF tokens but
// would need a session cookie as well, which the database holds only hashed.
//
// Thread-compatible: called once at startup.
#ifndef ACCORD_SERVER_INSTANCE_KEY_H_
#define ACCORD_SERVER_INSTANCE_KEY_H_

#include <string>

#include "accord/status.h"
#include "database.h"

namespace accord::server {

// 32 raw bytes: read from instance_settings ("csrf_key", hex), or made and stored there.
Result<std::string> LoadOrCreateInstanceKey(Database& db);

}  // namespace accord::server

#endif  // ACCORD_SERVER_INSTANCE_KEY_H_
