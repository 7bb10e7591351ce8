// Merging accepted amendments into a statement's draft, and the amendment-as-a-diff view
// (server/drafting/AMENDMENTS.md, "Merging"; the CRDT side is amendment_analysis.h).
//
//   GET  /api/v1/statements/{slug}/amendments/{number}/diff[?layout=inline|side-by-side]
//   GET  /api/v1/statements/{slug}/merges                       oldest first (read-statement)
//   POST /api/v1/statements/{slug}/merges  {amendments: [n...], decisions?: [{amendments:
//        [n...], take: n} | {amendments: [n...], compromise: true}], label?}
//        (settle-amendment, consolidation phase)
//
// A merge applies each chosen amendment's own changes (its state minus its base's) to the live
// draft as a server update — peers editing the draft receive it like anyone's edit — then takes
// the next version and records which amendments went in, in one transaction. Amendments that
// collide are applied only after a decision for their group: take one of them, or leave them
// all out because the secretariat wrote a compromise in the draft itself. Without a decision
// the merge stops before changing anything and answers 409 with the colliding groups.
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <numeric>
#include <set>

#include "amendment_workbench.h"
#include "api.h"
#include "api_json.h"
#include "api_statements.h"
#include "document_access.h"
#include "document_service.h"
#include "router.h"

namespace accord::server {
namespace json = boost::json;

namespace {

constexpr size_t kMaxMergeAmendments = 200;  // far more than a conference settles at once

json::array Numbers(const std::vector<int64_t>& numbers) {
  json::array out;
  for (int64_t n : numbers) out.push_back(n);
  return out;
}

json::value UserJson(ApiContext& ctx, auth::Id id) {
  auto user = ctx.store->GetUser(id);
  return json::object{{"id", id}, {"name", user.ok() ? user->display_name : std::string()}};
}

json::object MergeJson(ApiContext& ctx, const Merge& m, const Version* version) {
  json::array merged, skipped;
  for (const MergeEntry& e : m.entries) {
    if (e.outcome == MergeOutcome::kMerged) {
      merged.push_back(e.amendment_number);
      continue;
    }
    json::object s{{"number", e.amendment_number}, {"reason", MergeOutcomeName(e.outcome)}};
    if (e.outcome == MergeOutcome::kCollision) s["taken"] = e.taken;
    skipped.push_back(std::move(s));
  }
  json::object v{{"number", m.version_number}};
  if (version != nullptr) {
    v["label"] = version->label;
    v["sha256"] = version->sha256;
    v["created_at"] = FormatTime(version->created_at);
  }
  return json::object{{"id", m.id},
                      {"version", std::move(v)},
                      {"merged", std::move(merged)},
                      {"skipped", std::move(skipped)},
                      {"created_by", UserJson(ctx, m.created_by)},
                      {"created_at", FormatTime(m.created_at)}};
}

// A JSON array of distinct amendment numbers, `min`..`max` long; nullopt (with the error
// added) otherwise.
std::optional<std::vector<int64_t>> NumberList(JsonBody& body, std::string_view field,
                                               const json::value* value, size_t min, size_t max) {
  const std::string expected = "must be a list of " + std::to_string(min) + " to " +
                               std::to_string(max) + " distinct amendment numbers";
  if (value == nullptr || !value->is_array() || value->as_array().size() < min ||
      value->as_array().size() > max) {
    body.AddError(field, expected);
    return std::nullopt;
  }
  std::vector<int64_t> out;
  for (const json::value& v : value->as_array()) {
    if (!v.is_int64() || v.as_int64() < 1) {
      body.AddError(field, expected);
      return std::nullopt;
    }
    out.push_back(v.as_int64());
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
    body.AddError(field, expected);
    return std::nullopt;
  }
  return out;
}

struct Decision {
  std::vector<int64_t> amendments;  // sorted
  int64_t take = 0;                 // 0: compromise written in the draft
};

std::optional<std::vector<Decision>> ParseDecisions(JsonBody& body) {
  std::vector<Decision> out;
  const json::value* value = body.Field("decisions");
  if (value == nullptr) return out;
  if (!value->is_array() || value->as_array().size() > kMaxMergeAmendments) {
    body.AddError("decisions", "must be a list of decisions");
    return std::nullopt;
  }
  for (const json::value& d : value->as_array()) {
    const json::object* o = d.if_object();
    const std::string how =
        "each decision is {\"amendments\": [n, ...], \"take\": n} or "
        "{\"amendments\": [n, ...], \"compromise\": true}";
    if (o == nullptr) {
      body.AddError("decisions", how);
      return std::nullopt;
    }
    for (const auto& [key, v] : *o) {
      if (key != "amendments" && key != "take" && key != "compromise") {
        body.AddError("decisions", "unknown field '" + std::string(key) + "': " + how);
        return std::nullopt;
      }
    }
    Decision decision;
    auto numbers =
        NumberList(body, "decisions", o->if_contains("amendments"), 2, kMaxMergeAmendments);
    if (!numbers) return std::nullopt;
    decision.amendments = std::move(*numbers);
    const json::value* take = o->if_contains("take");
    const json::value* compromise = o->if_contains("compromise");
    if ((take == nullptr) == (compromise == nullptr)) {
      body.AddError("decisions", how);
      return std::nullopt;
    }
    if (take != nullptr) {
      if (!take->is_int64() || !std::binary_search(decision.amendments.begin(),
                                                   decision.amendments.end(), take->as_int64())) {
        body.AddError("decisions", "\"take\" must be one of the decision's amendments");
        return std::nullopt;
      }
      decision.take = take->as_int64();
    } else if (!compromise->is_bool() || !compromise->as_bool()) {
      body.AddError("decisions", "\"compromise\" must be true");
      return std::nullopt;
    }
    out.push_back(std::move(decision));
  }
  return out;
}

// Groups of colliding amendments (connected through collisions), each sorted, in order.
std::vector<std::vector<int64_t>> CollisionGroups(
    const std::vector<std::pair<uint64_t, uint64_t>>& collisions) {
  std::map<int64_t, int64_t> parent;
  auto find = [&](int64_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const auto& [a, b] : collisions) {
    for (int64_t n : {static_cast<int64_t>(a), static_cast<int64_t>(b)}) parent.try_emplace(n, n);
    int64_t ra = find(static_cast<int64_t>(a)), rb = find(static_cast<int64_t>(b));
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
  }
  std::map<int64_t, std::vector<int64_t>> groups;
  for (const auto& [n, p] : parent) groups[find(n)].push_back(n);
  std::vector<std::vector<int64_t>> out;
  for (auto& [root, members] : groups) out.push_back(std::move(members));
  return out;
}

std::string JoinNumbers(const std::vector<int64_t>& numbers) {
  std::string out;
  for (size_t i = 0; i < numbers.size(); ++i) {
    if (i > 0) out += i + 1 == numbers.size() ? " and " : ", ";
    out += std::to_string(numbers[i]);
  }
  return out;
}

HttpResponse CollisionProblem(const std::vector<std::vector<int64_t>>& undecided) {
  std::string detail =
      "these amendments change overlapping or adjacent text; decide for each "
      "group which one to take, or write a compromise in the draft:";
  json::array groups;
  for (const auto& g : undecided) {
    detail += " " + JoinNumbers(g) + ";";
    groups.push_back(json::object{{"amendments", Numbers(g)}});
  }
  detail.back() = '.';
  HttpResponse r = Problem(409, "collision", "Amendments collide", detail);
  json::object body = json::parse(r.body).as_object();
  body["collisions"] = std::move(groups);
  r.body = json::serialize(body);
  return r;
}

HttpResponse AmendmentDiff(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto amendment = LoadAmendment(ctx, req, *loaded, &problem);
  if (!amendment) return problem;
  std::string layout;
  if (auto it = req.query.find("layout"); it != req.query.end()) layout = it->second;
  if (!layout.empty() && layout != "inline" && layout != "side-by-side") {
    return DiffResponse("", "", layout, {});
  }
  AmendmentWorkbench bench(ctx, loaded->statement);
  auto base = bench.Base(amendment->base_version);
  if (!base.ok()) return StoreProblem(base.status());
  auto text = bench.CanonicalText(*amendment);
  if (!text.ok()) return StoreProblem(text.status());
  return DiffResponse(
      (*base)->canonical_text, *text, layout,
      json::object{
          {"amendment", amendment->number}, {"from", (*base)->number}, {"to", "amendment"}});
}

HttpResponse ListMerges(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto merges = ctx.drafting->ListMerges(loaded->statement.id);
  if (!merges.ok()) return StoreProblem(merges.status());
  auto versions = ctx.drafting->ListVersions(loaded->statement.id);
  if (!versions.ok()) return StoreProblem(versions.status());
  json::array items;
  for (const Merge& m : *merges) {
    const Version* v = nullptr;
    for (const Version& candidate : *versions) {
      if (candidate.number == m.version_number) v = &candidate;
    }
    items.push_back(MergeJson(ctx, m, v));
  }
  return JsonResponse(200, json::serialize(json::object{{"merges", std::move(items)}}));
}

HttpResponse CreateMerge(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  JsonBody body;
  if (!body.Parse(req, {"amendments", "decisions", "label"}, &problem)) return problem;
  auto numbers = NumberList(body, "amendments", body.Field("amendments"), 1, kMaxMergeAmendments);
  auto decisions = ParseDecisions(body);
  auto label = body.String("label", false, 1, 200);
  if (numbers && decisions) {
    for (const Decision& d : *decisions) {
      for (int64_t n : d.amendments) {
        if (!std::binary_search(numbers->begin(), numbers->end(), n)) {
          body.AddError("decisions", "amendment " + std::to_string(n) +
                                         " is in a decision but not in \"amendments\"");
        }
      }
    }
  }
  if (!body.ok()) return body.Problem();

  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kSettleAmendment, &problem);
  if (!loaded) return problem;
  if (loaded->statement.phase != auth::Phase::kConsolidation) {
    return ApiError(409, "wrong-phase", "Wrong phase",
                    "amendments are merged in the consolidation phase; the statement is in " +
                        std::string(auth::PhaseName(loaded->statement.phase)));
  }
  AmendmentWorkbench bench(ctx, loaded->statement);
  auto merged_in = bench.MergedIn();
  if (!merged_in.ok()) return StoreProblem(merged_in.status());
  std::vector<Amendment> chosen;
  for (int64_t n : *numbers) {
    auto a = ctx.drafting->GetAmendment(loaded->statement.id, n);
    if (!a.ok()) {
      if (a.status().code() == Status::Code::kNotFound) {
        return ValidationProblem("amendments",
                                 "the statement has no amendment " + std::to_string(n));
      }
      return StoreProblem(a.status());
    }
    if (a->state != AmendmentState::kAccepted &&
        a->state != AmendmentState::kAcceptedWithModification) {
      return ApiError(409, "conflict", "Conflict",
                      "amendment " + std::to_string(n) + " is " +
                          std::string(AmendmentStateName(a->state)) +
                          ": only accepted amendments are merged");
    }
    if (auto it = merged_in->find(n); it != merged_in->end()) {
      return ApiError(409, "conflict", "Conflict",
                      "amendment " + std::to_string(n) + " was merged in version " +
                          std::to_string(it->second));
    }
    chosen.push_back(std::move(*a));
  }

  auto analysis = bench.Analyze(chosen);
  if (!analysis.ok()) return StoreProblem(analysis.status());
  const std::set<uint64_t> obsolete(analysis->obsolete.begin(), analysis->obsolete.end());
  std::vector<std::pair<uint64_t, uint64_t>> live_collisions;
  for (const auto& c : analysis->collisions) {
    if (!obsolete.count(c.first) && !obsolete.count(c.second)) live_collisions.push_back(c);
  }
  // Each colliding group needs exactly its decision; a decision for anything else is a
  // mistake worth telling (the client's view of the collisions is out of date).
  std::map<int64_t, MergeEntry> outcomes;  // for the amendments not merged
  std::vector<std::vector<int64_t>> undecided;
  std::vector<std::vector<int64_t>> groups = CollisionGroups(live_collisions);
  for (const auto& group : groups) {
    auto d = std::find_if(decisions->begin(), decisions->end(),
                          [&](const Decision& x) { return x.amendments == group; });
    if (d == decisions->end()) {
      undecided.push_back(group);
      continue;
    }
    for (int64_t n : group) {
      if (n == d->take) continue;
      MergeEntry e;
      e.amendment_number = n;
      e.outcome = d->take == 0 ? MergeOutcome::kCompromise : MergeOutcome::kCollision;
      e.taken = d->take;
      outcomes[n] = e;
    }
  }
  for (const Decision& d : *decisions) {
    if (std::find(groups.begin(), groups.end(), d.amendments) == groups.end()) {
      return ValidationProblem("decisions", "amendments " + JoinNumbers(d.amendments) +
                                                " are not a group of colliding amendments");
    }
  }
  if (!undecided.empty()) return CollisionProblem(undecided);

  Merge merge;
  merge.statement_id = loaded->statement.id;
  merge.created_by = caller->user.id;
  merge.created_at = ctx.now();
  std::vector<int64_t> merged_numbers;
  for (const Amendment& a : chosen) {
    MergeEntry e;
    if (auto it = outcomes.find(a.number); it != outcomes.end()) e = it->second;
    if (obsolete.count(static_cast<uint64_t>(a.number))) e.outcome = MergeOutcome::kObsolete;
    e.amendment_id = a.id;
    e.amendment_number = a.number;
    merge.entries.push_back(e);
    if (e.outcome != MergeOutcome::kMerged) continue;
    merged_numbers.push_back(a.number);
    // The amendment's own changes, by the authors who wrote them in its document.
    auto base = bench.Base(a.base_version);
    auto state = bench.State(a);
    if (!base.ok() || !state.ok()) return StoreProblem(base.ok() ? state.status() : base.status());
    auto update = drafting::AmendmentUpdate(
        drafting::AmendmentInput{static_cast<uint64_t>(a.number), (*base)->state, **state});
    if (!update.ok()) return StoreProblem(Status::Corruption(update.status().message()));
    auto authors = ctx.documents->Authors(a.document);
    if (!authors.ok()) return StoreProblem(authors.status());
    Status applied = ctx.documents->Apply(DraftDocumentName(loaded->statement.slug),
                                          std::move(*update), std::move(*authors));
    if (!applied.ok()) return StoreProblem(applied);
  }
  std::string name = label.value_or(
      merged_numbers.empty()
          ? std::string("Merge: compromises written in the draft")
          : (merged_numbers.size() == 1 ? "Merge of amendment " : "Merge of amendments ") +
                JoinNumbers(merged_numbers));
  auto version = SnapshotDraft(ctx, loaded->statement, name, VersionReason::kMerge,
                               loaded->statement.phase, caller->user.id);
  if (!version.ok()) return StoreProblem(version.status());
  auto stored = ctx.drafting->RecordMerge(merge, *version);
  if (!stored.ok()) {
    if (stored.status().code() == Status::Code::kFailedPrecondition) {
      return ApiError(409, "conflict", "Conflict", stored.status().message());
    }
    return StoreProblem(stored.status());
  }
  ctx.Audit("amendments-merged", req, caller->user.id,
            "statement:" + std::to_string(loaded->statement.id),
            json::serialize(json::object{{"merged", Numbers(merged_numbers)},
                                         {"version", stored->version_number}}));
  version->number = stored->version_number;
  HttpResponse r = JsonResponse(201, json::serialize(MergeJson(ctx, *stored, &*version)));
  r.headers.emplace_back("Location", "/api/v1/statements/" + loaded->statement.slug + "/versions/" +
                                         std::to_string(stored->version_number));
  return r;
}

}  // namespace

std::vector<ApiRoute> MergeRoutes() {
  return {
      {"GET", "/api/v1/statements/{slug}/amendments/{number}/diff", AmendmentDiff},
      {"GET", "/api/v1/statements/{slug}/merges", ListMerges},
      {"POST", "/api/v1/statements/{slug}/merges", CreateMerge},
  };
}

}  // namespace accord::server
