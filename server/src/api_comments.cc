// Threaded comments on a statement (server/drafting/COMMENTS.md): on one of its amendments or
// anchored to a place in its live draft, with replies; the statement secretariat resolves
// threads. Every change is audited.
//
//   GET   /api/v1/statements/{slug}/comments[?amendment=N|?target=paragraph|amendment]
//                                             [&resolved=true|false]        (read-statement)
//   POST  /api/v1/statements/{slug}/comments {body, amendment? | anchor? | parent_id?} (comment)
//   PATCH /api/v1/statements/{slug}/comments/{id} {resolved}               (resolve-comment)
//
// Anchors are resolved against the live draft on every read, so a comment shows whether its
// text is still there and what it says now. Request bodies are checked before the statement is
// looked up, as in the other statement handlers.
#include <sodium.h>

#include <boost/json.hpp>
#include <map>

#include "accord/crdt/doc.h"
#include "accord/drafting/anchor.h"
#include "api.h"
#include "api_json.h"
#include "api_statements.h"
#include "comment_store.h"
#include "document_access.h"
#include "document_service.h"

namespace accord::server {
namespace json = boost::json;

namespace {

// Bounds (server/drafting/COMMENTS.md, proto/openapi.yaml).
constexpr size_t kMaxBodyChars = 4000;
constexpr size_t kMaxAnchorBytes = 1024;
constexpr size_t kMaxAnchorChars = (kMaxAnchorBytes + 2) / 3 * 4;  // its padded base64
constexpr int64_t kMaxCommentsPerStatement = 10000;

// Names of users and organizations, looked up once per request.
class Names {
 public:
  explicit Names(ApiContext& ctx) : ctx_(ctx) {}
  const std::string& User(auth::Id id) {
    auto it = users_.find(id);
    if (it == users_.end()) {
      auto user = ctx_.store->GetUser(id);
      it = users_.emplace(id, user.ok() ? user->display_name : std::string()).first;
    }
    return it->second;
  }
  const std::string& Org(auth::Id id) {
    auto it = orgs_.find(id);
    if (it == orgs_.end()) {
      auto org = ctx_.store->GetOrganization(id);
      it = orgs_.emplace(id, org.ok() ? org->name : std::string()).first;
    }
    return it->second;
  }

 private:
  ApiContext& ctx_;
  std::map<auth::Id, std::string> users_;
  std::map<auth::Id, std::string> orgs_;
};

std::string Base64(const std::vector<uint8_t>& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// Standard base64 with padding, as btoa and Buffer write it; nullopt if it is not that.
std::optional<std::vector<uint8_t>> FromBase64(std::string_view text) {
  std::vector<uint8_t> out(text.size() / 4 * 3 + 3);
  size_t length = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

// The anchors of one request, resolved against one state of the live draft, loaded on first
// use (a list of amendment comments never loads it).
class Anchors {
 public:
  Anchors(ApiContext& ctx, std::string document) : ctx_(ctx), document_(std::move(document)) {}

  // The resolver; nullptr (with `error` set) if the draft could not be read.
  drafting::AnchorResolver* Resolver(Status* error) {
    if (!resolver_ && status_.ok()) {
      auto state = ctx_.documents->CurrentState(document_);
      if (!state.ok()) {
        status_ = state.status();
      } else if (Status s = doc_.ApplyUpdate(*state); !s.ok()) {
        status_ = s;
      } else {
        resolver_.emplace(doc_);
      }
    }
    *error = status_;
    return resolver_ ? &*resolver_ : nullptr;
  }
  const drafting::AnchorState& Resolve(auth::Id thread, const std::vector<uint8_t>& anchor) {
    auto it = resolved_.find(thread);
    if (it != resolved_.end()) return it->second;
    Status ignored;
    drafting::AnchorResolver* resolver = Resolver(&ignored);
    drafting::AnchorState state = resolver ? resolver->Resolve(anchor) : drafting::AnchorState{};
    return resolved_.emplace(thread, std::move(state)).first->second;
  }

 private:
  ApiContext& ctx_;
  std::string document_;
  crdt::Doc doc_;
  Status status_;
  std::optional<drafting::AnchorResolver> resolver_;
  std::map<auth::Id, drafting::AnchorState> resolved_;
};

// `c` as the API shows it; `thread` is its top-level comment (itself when it is one).
json::object CommentJson(const Comment& c, const Comment& thread, Names& names, Anchors& anchors) {
  json::object target;
  if (thread.amendment_id != 0) {
    target = {{"kind", "amendment"}, {"number", thread.amendment_number}};
  } else {
    const drafting::AnchorState& state = anchors.Resolve(thread.id, thread.anchor);
    target = {{"kind", "paragraph"},
              {"anchor", Base64(thread.anchor)},
              {"attached", state.attached},
              {"excerpt", state.excerpt}};
  }
  json::object author{{"user_id", c.author_user_id}, {"name", names.User(c.author_user_id)}};
  if (c.author_organization_id != 0) {
    author["organization_id"] = c.author_organization_id;
    author["organization_name"] = names.Org(c.author_organization_id);
  } else {
    author["organization_id"] = nullptr;
    author["organization_name"] = nullptr;
  }
  json::value resolved = nullptr;
  if (c.parent_id == 0 && c.resolved_by != 0) {
    resolved = json::object{
        {"by", json::object{{"user_id", c.resolved_by}, {"name", names.User(c.resolved_by)}}},
        {"at", FormatTime(c.resolved_at)}};
  }
  return json::object{{"id", c.id},
                      {"parent_id", c.parent_id != 0 ? json::value(c.parent_id) : nullptr},
                      {"target", std::move(target)},
                      {"author", std::move(author)},
                      {"body", c.body},
                      {"created_at", FormatTime(c.created_at)},
                      {"resolved", std::move(resolved)}};
}

// The organization the caller speaks for on this statement: a participant they are a delegate
// of, else the convening participant or host organization whose secretariat they are; 0 if
// none (the policy has let them comment for another reason).
auth::Id SpeakingFor(const ApiCaller& caller, const LoadedStatement& loaded) {
  auto participant = [&](auth::Id org) -> const auth::Participation* {
    for (const auto& p : loaded.participants) {
      if (p.organization_id == org) return &p;
    }
    return nullptr;
  };
  for (const auto& m : caller.principal.memberships) {
    if (m.role == auth::Role::kDelegate && participant(m.organization_id)) return m.organization_id;
  }
  for (const auto& m : caller.principal.memberships) {
    if (m.role != auth::Role::kSecretariat) continue;
    const auth::Participation* p = participant(m.organization_id);
    if ((p && p->convener) || m.organization_id == caller.principal.host_organization_id) {
      return m.organization_id;
    }
  }
  return 0;
}

// The "body" field: like JsonBody::String, but a comment may have line breaks and tabs.
std::optional<std::string> CommentBody(JsonBody& body) {
  const json::value* v = body.Field("body");
  if (v == nullptr) {
    body.AddError("body", "is required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    body.AddError("body", "must be a string");
    return std::nullopt;
  }
  std::string text(v->as_string());
  std::string check = text;
  bool blank = true;
  for (char& c : check) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    if (c != ' ') blank = false;
  }
  auto length = Utf8Length(check);
  if (!length) {
    body.AddError("body",
                  "must be valid UTF-8 without control characters (line breaks and "
                  "tabs are fine)");
    return std::nullopt;
  }
  if (blank || *length > kMaxBodyChars) {
    body.AddError("body", "must be 1 to " + std::to_string(kMaxBodyChars) +
                              " characters long, not only white space");
    return std::nullopt;
  }
  return text;
}

std::string Subject(const Comment& c) {
  return "statement:" + std::to_string(c.statement_id) + ":comment:" + std::to_string(c.id);
}

HttpResponse List(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  std::optional<int64_t> amendment;
  std::optional<std::string> kind;
  std::optional<bool> resolved;
  if (auto it = req.query.find("amendment"); it != req.query.end()) {
    const std::string& n = it->second;
    if (n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(n) == 0) {
      return ApiError(400, "bad-request", "Bad request", "?amendment= is an amendment number");
    }
    amendment = std::stoll(n);
    kind = "amendment";
  }
  if (auto it = req.query.find("target"); it != req.query.end()) {
    if (it->second != "paragraph" && it->second != "amendment") {
      return ApiError(400, "bad-request", "Bad request", "?target= is paragraph or amendment");
    }
    if (kind && *kind != it->second) {
      return ApiError(400, "bad-request", "Bad request",
                      "?amendment= lists amendment comments, not paragraph ones");
    }
    kind = it->second;
  }
  if (auto it = req.query.find("resolved"); it != req.query.end()) {
    if (it->second != "true" && it->second != "false") {
      return ApiError(400, "bad-request", "Bad request", "?resolved= is true or false");
    }
    resolved = it->second == "true";
  }
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto comments = ctx.comments->ListComments(loaded->statement.id);
  if (!comments.ok()) return StoreProblem(comments.status());
  // Threads first (ids grow, so a reply always follows its thread).
  std::map<auth::Id, const Comment*> threads;
  for (const auto& c : *comments) {
    if (c.parent_id == 0) threads[c.id] = &c;
  }
  Names names(ctx);
  Anchors anchors(ctx, DraftDocumentName(loaded->statement.slug));
  json::array items;
  for (const auto& c : *comments) {
    auto it = threads.find(c.parent_id == 0 ? c.id : c.parent_id);
    if (it == threads.end()) continue;  // the schema keeps replies on threads; be safe anyway
    const Comment& thread = *it->second;
    bool on_amendment = thread.amendment_id != 0;
    if (kind && (*kind == "amendment") != on_amendment) continue;
    if (amendment && thread.amendment_number != *amendment) continue;
    if (resolved && (thread.resolved_by != 0) != *resolved) continue;
    items.push_back(CommentJson(c, thread, names, anchors));
  }
  return JsonResponse(200, json::serialize(json::object{{"comments", std::move(items)}}));
}

HttpResponse Create(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  JsonBody body;
  if (!body.Parse(req, {"body", "amendment", "anchor", "parent_id"}, &problem)) return problem;
  auto text = CommentBody(body);
  auto amendment = body.Int("amendment", false, 1, INT64_MAX);
  auto anchor_text = body.String("anchor", false, 1, kMaxAnchorChars);
  auto parent = body.Int("parent_id", false, 1, INT64_MAX);
  // Which target, once every field is well-formed on its own (so that a body wrong in every
  // field hears about each field once).
  int targets = body.Has("amendment") + body.Has("anchor") + body.Has("parent_id");
  if (!body.ok()) {
    // reported below
  } else if (targets == 0) {
    body.AddError("anchor", "give one of amendment, anchor or parent_id");
  } else if (targets > 1) {
    body.AddError(body.Has("parent_id") ? "parent_id" : "anchor",
                  "give only one of amendment, anchor and parent_id");
  }
  std::optional<std::vector<uint8_t>> anchor;
  if (anchor_text) {
    anchor = FromBase64(*anchor_text);
    if (!anchor || anchor->empty() || anchor->size() > kMaxAnchorBytes) {
      body.AddError("anchor", "must be the base64 of Y.encodeRelativePosition (at most " +
                                  std::to_string(kMaxAnchorBytes) + " bytes)");
    }
  }
  if (!body.ok()) return body.Problem();
  auto loaded = LoadStatement(ctx, req, &problem);
  if (!loaded) return problem;
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kComment, TargetOf(ctx, *loaded))) {
    return *denied;
  }
  Comment c;
  c.statement_id = loaded->statement.id;
  c.author_user_id = caller->user.id;
  c.author_organization_id = SpeakingFor(*caller, *loaded);
  c.body = *text;
  c.created_at = ctx.now();
  Anchors anchors(ctx, DraftDocumentName(loaded->statement.slug));
  Comment thread;
  if (amendment) {
    auto a = ctx.drafting->GetAmendment(loaded->statement.id, *amendment);
    if (!a.ok()) {
      if (a.status().code() != Status::Code::kNotFound) return StoreProblem(a.status());
      return ValidationProblem("amendment", "the statement has no such amendment");
    }
    c.amendment_id = a->id;
  } else if (parent) {
    auto p = ctx.comments->GetComment(loaded->statement.id, *parent);
    if (!p.ok()) {
      if (p.status().code() != Status::Code::kNotFound) return StoreProblem(p.status());
      return ValidationProblem("parent_id", "the statement has no such comment");
    }
    // Threads are one level deep: a reply to a reply joins the same thread.
    c.parent_id = p->parent_id != 0 ? p->parent_id : p->id;
    if (p->parent_id != 0) {
      p = ctx.comments->GetComment(loaded->statement.id, c.parent_id);
      if (!p.ok()) return StoreProblem(p.status());
    }
    thread = std::move(*p);
  } else {
    Status read;
    drafting::AnchorResolver* resolver = anchors.Resolver(&read);
    if (resolver == nullptr) return StoreProblem(read);
    auto position = resolver->Parse(*anchor);
    if (!position.ok()) return ValidationProblem("anchor", position.status().message());
    c.anchor = std::move(*anchor);
  }
  auto stored = ctx.comments->AddComment(c, kMaxCommentsPerStatement);
  if (!stored.ok()) {
    if (stored.status().code() == Status::Code::kResourceExhausted) {
      return ApiError(409, "conflict", "Conflict", stored.status().message());
    }
    return StoreProblem(stored.status());
  }
  if (stored->parent_id == 0) thread = *stored;
  json::object detail{{"target", thread.amendment_id != 0 ? "amendment" : "paragraph"}};
  if (thread.amendment_id != 0) detail["amendment"] = thread.amendment_number;
  if (stored->parent_id != 0) detail["parent_id"] = stored->parent_id;
  ctx.Audit("comment-created", req, caller->user.id, Subject(*stored), json::serialize(detail));
  Names names(ctx);
  return JsonResponse(201, json::serialize(CommentJson(*stored, thread, names, anchors)));
}

HttpResponse Patch(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  JsonBody body;
  if (!body.Parse(req, {"resolved"}, &problem)) return problem;
  auto resolved = body.Bool("resolved", true);
  if (!body.ok()) return body.Problem();
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("comment");
  auto loaded = LoadStatement(ctx, req, &problem);
  if (!loaded) return problem;
  if (auto denied =
          Deny(ctx, req, *caller, auth::Action::kResolveComment, TargetOf(ctx, *loaded))) {
    return *denied;
  }
  auto c = ctx.comments->GetComment(loaded->statement.id, *id);
  if (!c.ok()) return StoreProblem(c.status());
  if (c->parent_id != 0) {
    return ValidationProblem("resolved", "a reply is resolved with its thread: resolve comment " +
                                             std::to_string(c->parent_id));
  }
  if ((c->resolved_by != 0) != *resolved) {
    auth::UnixTime at = *resolved ? ctx.now() : 0;
    auth::Id by = *resolved ? caller->user.id : 0;
    Status s = ctx.comments->SetResolved(loaded->statement.id, c->id, by, at);
    if (!s.ok()) return StoreProblem(s);
    c->resolved_by = by;
    c->resolved_at = at;
    ctx.Audit(*resolved ? "comment-resolved" : "comment-reopened", req, caller->user.id,
              Subject(*c), "");
  }
  Names names(ctx);
  Anchors anchors(ctx, DraftDocumentName(loaded->statement.slug));
  return JsonResponse(200, json::serialize(CommentJson(*c, *c, names, anchors)));
}

}  // namespace

std::vector<ApiRoute> CommentRoutes() {
  return {
      {"GET", "/api/v1/statements/{slug}/comments", List},
      {"POST", "/api/v1/statements/{slug}/comments", Create},
      {"PATCH", "/api/v1/statements/{slug}/comments/{id}", Patch},
  };
}

}  // namespace accord::server
