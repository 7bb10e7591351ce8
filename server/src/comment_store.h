// comment_store.h: the threaded discussion of each statement (server/drafting/COMMENTS.md) —
// comments on an amendment or anchored to a place in the live draft, and replies to them —
// behind one interface.
//
// A thread is a top-level comment with its target (an amendment, or a Yjs relative position in
// the draft kept as its encoded bytes) and its replies, which name the top-level comment as
// their parent and carry no target of their own. Comments are never edited or deleted; only a
// thread's resolution changes (who resolved it and when, or nothing). Ids are global and grow,
// so ordering by id is ordering by creation.
//
// SqliteCommentStore (migration 7 of database.cc, server/STORAGE.md) is the embedded default.
//
// Thread-safe: every method may be called from any thread.
#ifndef ACCORD_SERVER_COMMENT_STORE_H_
#define ACCORD_SERVER_COMMENT_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accord/auth/model.h"
#include "accord/status.h"

namespace accord::server {

struct Comment {
  auth::Id id = 0;
  auth::Id statement_id = 0;
  auth::Id parent_id = 0;  // 0: a top-level comment (a thread)
  // The target of a top-level comment: exactly one of these is set; replies have neither.
  auth::Id amendment_id = 0;     // the amendment's row id (not its number)
  int64_t amendment_number = 0;  // its number (read only: filled from the amendment)
  std::vector<uint8_t> anchor;   // Y.encodeRelativePosition bytes in the live draft
  auth::Id author_user_id = 0;
  auth::Id author_organization_id = 0;  // the organization the author spoke for; 0: none
  std::string body;
  auth::UnixTime created_at = 0;
  auth::Id resolved_by = 0;  // 0: open (always for replies)
  auth::UnixTime resolved_at = 0;
};

class CommentStore {
 public:
  virtual ~CommentStore() = default;

  // Stores `comment` (its id is assigned) unless its statement already has `max_per_statement`
  // comments (ResourceExhausted then). Returns it as stored.
  virtual Result<Comment> AddComment(const Comment& comment, int64_t max_per_statement) = 0;
  // NotFound if the statement has no comment `id`.
  virtual Result<Comment> GetComment(auth::Id statement_id, auth::Id id) = 0;
  // Every comment of the statement, by id.
  virtual Result<std::vector<Comment>> ListComments(auth::Id statement_id) = 0;
  // Sets (resolved_by != 0) or clears the resolution of the top-level comment `id`; NotFound if
  // there is no such comment, FailedPrecondition for a reply.
  virtual Status SetResolved(auth::Id statement_id, auth::Id id, auth::Id resolved_by,
                             auth::UnixTime resolved_at) = 0;
};

// On `<data_dir>/accord.db` (opened and migrated by Database::Open).
Result<std::unique_ptr<CommentStore>> OpenSqliteCommentStore(const std::string& data_dir);

}  // namespace accord::server

#endif  // ACCORD_SERVER_COMMENT_STORE_H_
