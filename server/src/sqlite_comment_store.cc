// CommentStore on the instance's SQLite file (migration 7 of database.cc). One connection behind
// one mutex, as the other stores: comments come a few a minute.
#include <mutex>

#include "comment_store.h"
#include "database.h"
#include "sqlite_query.h"

namespace accord::server {
namespace {

using sqlite::ColumnBlob;
using sqlite::ColumnInt;
using sqlite::ColumnText;
using sqlite::Query;
using sqlite::Transaction;

#define ACCORD_COMMENT_COLUMNS                                                             \
  "c.id, c.statement_id, COALESCE(c.parent_id, 0), COALESCE(c.amendment_id, 0),"           \
  " COALESCE((SELECT number FROM amendments a WHERE a.id = c.amendment_id), 0), c.anchor," \
  " c.author_user_id, COALESCE(c.author_organization_id, 0), c.body, c.created_at,"        \
  " COALESCE(c.resolved_by, 0), COALESCE(c.resolved_at, 0)"

constexpr char kCountComments[] = "SELECT COUNT(*) FROM comments WHERE statement_id = ?1";
constexpr char kInsertComment[] =
    "INSERT INTO comments (statement_id, parent_id, amendment_id, anchor, author_user_id,"
    " author_organization_id, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " RETURNING id";
constexpr char kGetComment[] =
    "SELECT " ACCORD_COMMENT_COLUMNS " FROM comments c WHERE c.statement_id = ?1 AND c.id = ?2";
constexpr char kListComments[] =
    "SELECT " ACCORD_COMMENT_COLUMNS " FROM comments c WHERE c.statement_id = ?1 ORDER BY c.id";
constexpr char kResolve[] =
    "UPDATE comments SET resolved_by = ?3, resolved_at = ?4"
    " WHERE statement_id = ?1 AND id = ?2 AND parent_id IS NULL";
constexpr char kReopen[] =
    "UPDATE comments SET resolved_by = NULL, resolved_at = NULL"
    " WHERE statement_id = ?1 AND id = ?2 AND parent_id IS NULL";

Result<Comment> ReadComment(sqlite3_stmt* st) {
  Comment c;
  c.id = ColumnInt(st, 0);
  c.statement_id = ColumnInt(st, 1);
  c.parent_id = ColumnInt(st, 2);
  c.amendment_id = ColumnInt(st, 3);
  c.amendment_number = ColumnInt(st, 4);
  c.anchor = ColumnBlob(st, 5);
  c.author_user_id = ColumnInt(st, 6);
  c.author_organization_id = ColumnInt(st, 7);
  c.body = ColumnText(st, 8);
  c.created_at = ColumnInt(st, 9);
  c.resolved_by = ColumnInt(st, 10);
  c.resolved_at = ColumnInt(st, 11);
  return c;
}

Result<int64_t> ReadCount(sqlite3_stmt* st) { return ColumnInt(st, 0); }

std::optional<int64_t> IdOrNone(auth::Id id) {
  return id == 0 ? std::nullopt : std::optional<int64_t>(id);
}

class SqliteCommentStore final : public CommentStore {
 public:
  explicit SqliteCommentStore(std::unique_ptr<Database> db)
      : db_(std::move(db)), statements_(db_->handle()) {}

  Result<Comment> AddComment(const Comment& c, int64_t max_per_statement) override {
    std::lock_guard lock(mu_);
    // The count and the insert in one write transaction, so that concurrent posts cannot
    // together pass the cap.
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto count = Query(statements_, kCountComments)
                     .Bind(c.statement_id)
                     .One(&ReadCount, "cannot count comments", Status::Internal("no count"));
    if (!count.ok()) return count.status();
    if (*count >= max_per_statement) {
      return Status::ResourceExhausted("the statement has " + std::to_string(*count) +
                                       " comments, the most it may have");
    }
    Query insert(statements_, kInsertComment);
    insert.Bind(c.statement_id, IdOrNone(c.parent_id), IdOrNone(c.amendment_id));
    if (c.anchor.empty()) {
      insert.Null(4);
    } else {
      insert.Blob(4, c.anchor);
    }
    insert.OptInt(6, IdOrNone(c.author_organization_id));
    insert.Int(5, c.author_user_id).Text(7, c.body).Int(8, c.created_at);
    auto id = insert.One(&ReadCount, "cannot store the comment",
                         Status::Internal("INSERT RETURNING gave no row"));
    if (!id.ok()) return id.status();
    auto stored = Query(statements_, kGetComment)
                      .Bind(c.statement_id, *id)
                      .One(&ReadComment, "cannot read the comment",
                           Status::Internal("the comment just written is missing"));
    if (!stored.ok()) return stored;
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return stored;
  }

  Result<Comment> GetComment(auth::Id statement_id, auth::Id id) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kGetComment)
        .Bind(statement_id, id)
        .One(&ReadComment, "cannot read the comment",
             Status::NotFound("no comment " + std::to_string(id) + " on this statement"));
  }

  Result<std::vector<Comment>> ListComments(auth::Id statement_id) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kListComments)
        .Bind(statement_id)
        .All(&ReadComment, "cannot list comments");
  }

  Status SetResolved(auth::Id statement_id, auth::Id id, auth::Id resolved_by,
                     auth::UnixTime resolved_at) override {
    std::lock_guard lock(mu_);
    auto n =
        resolved_by != 0
            ? Query(statements_, kResolve)
                  .Bind(statement_id, id, resolved_by, resolved_at)
                  .Run("cannot resolve the comment")
            : Query(statements_, kReopen).Bind(statement_id, id).Run("cannot reopen the comment");
    if (!n.ok()) return n.status();
    if (*n == 1) return Status::Ok();
    auto existing =
        Query(statements_, kGetComment)
            .Bind(statement_id, id)
            .One(&ReadComment, "cannot read the comment",
                 Status::NotFound("no comment " + std::to_string(id) + " on this statement"));
    if (!existing.ok()) return existing.status();
    return Status::FailedPrecondition("a reply is resolved with its thread");
  }

 private:
  std::mutex mu_;
  std::unique_ptr<Database> db_;
  sqlite::StatementCache statements_;  // destroyed before db_ closes
};

}  // namespace

Result<std::unique_ptr<CommentStore>> OpenSqliteCommentStore(const std::string& data_dir) {
  auto db = Database::Open(data_dir);
  if (!db.ok()) return db.status();
  return std::unique_ptr<CommentStore>(new SqliteCommentStore(std::move(*db)));
}

}  // namespace accord::server
