// signon_bench_gb: the benchmark of issue 8 (sign-on) for `make bench` — durable endorsements
// per second with group commit, and bundle verification throughput, each against its peer
// measured in the same run: one core doing Ed25519 verifies with libsodium. Figures and ratios,
// never pass/fail (server/bench/README.md, "Sign-on").
//
//   (a) Ed25519Verify: crypto_sign_verify_detached on one core over a realistic endorsement
//       (its JCS bytes, ~330 bytes), per CPU second. The ceiling of anything that checks one
//       signature per item.
//   (b) DurableEndorse/threads:T: T submitters, each taking the next signed request and running
//       the steps of POST /api/v1/statements/{slug}/endorsements (api_endorsements.cc) with the
//       server's own functions — ParseEndorsement (JCS, exact members), the caller's key from
//       the SignonStore, VerifySignature, the key's state, the organization from the account
//       store, CurrentManifest, the clock window, the log entry's JCS — then SignonWriter::Commit
//       into SqliteSignonStore::CommitBatch (store checks, rows + AppendLogEntry, one
//       transaction, synchronous=FULL, WAL) on a real file. Left out: HTTP, session and CSRF, the
//       policy call and the reply's JSON (the same for every route; not sign-on's cost).
//   (c) VerifyBundle: the bundle GET /api/v1/statements/{slug}/bundle serves (ApiService::Handle,
//       the real route) after (b), parsed once, then signon::VerifyBundle timed per pass.
//       items_per_second counts endorsements verified.
//
// The data directory is $ACCORD_BENCH_DIR (default: the system temp directory) and must be on
// the disk you mean to measure: on tmpfs an fsync costs nothing. It is removed at the end.
#include <benchmark/benchmark.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "accord/signon/bundle.h"
#include "accord/signon/canonical_json.h"
#include "accord/signon/signed_note.h"
#include "api.h"
#include "api_json.h"
#include "api_service.h"
#include "database.h"
#include "drafting_store.h"
#include "endorsement.h"
#include "manifest.h"
#include "signon_encoding.h"
#include "signon_store.h"
#include "signon_writer.h"
#include "sqlite_account_store.h"
#include "sqlite_signon_store.h"
#include "sqlite_transparency_log.h"
#include "transparency_log.h"

namespace {

namespace json = boost::json;
using namespace accord;
using namespace accord::server;

// Submitter counts of (b) and how many endorsements each submitter makes: every organization
// endorses once (a second one would be refused, already-endorsed), so the runs use up
// organizations made in advance and their total fixes the setup's size.
constexpr int kThreadCounts[] = {1, 8, 64};
int PerThread(int threads) { return threads == 1 ? 200 : threads == 8 ? 50 : 16; }
constexpr char kSlug[] = "bench";
constexpr char kLogOrigin[] = "bench.accord.test/log";

[[noreturn]] void Die(const std::string& what, const Status& status) {
  std::fprintf(stderr, "signon_bench: %s: %s\n", what.c_str(), status.ToString().c_str());
  std::exit(2);
}
template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.status());
  return std::move(*r);
}

// A signed request as a signatory's browser sends it.
struct SignedRequest {
  std::string text;       // the endorsement's JCS
  std::string signature;  // base64
  auth::Id key_id = 0;
  auth::Id user_id = 0;
};

// The instance the benchmark writes to: one final statement with a manifest, organizations each
// with one approved key (approved through the store, so the log holds their key-approval
// entries as the bundle needs), and one signed endorsement request per organization.
struct World {
  std::filesystem::path dir;
  std::unique_ptr<SqliteAccountStore> accounts;
  std::unique_ptr<DraftingStore> drafting;
  std::unique_ptr<TransparencyLog> log;
  std::unique_ptr<SignonStore> signon;
  std::unique_ptr<SignonWriter> writer;
  auth::Id statement_id = 0;
  std::string manifest_sha256;
  std::vector<SignedRequest> requests;
  std::atomic<size_t> next{0};
  std::atomic<size_t> refused{0};

  ~World() {
    writer.reset();
    signon.reset();
    log.reset();
    drafting.reset();
    accounts.reset();
    std::filesystem::remove_all(dir);
  }
};

World* g_world = nullptr;

void Setup(World& w, size_t organizations) {
  const char* base = std::getenv("ACCORD_BENCH_DIR");
  w.dir = std::filesystem::path(base && *base ? base : std::filesystem::temp_directory_path()) /
          ("accord-signon-bench-" + std::to_string(getpid()));
  std::filesystem::remove_all(w.dir);
  std::filesystem::create_directories(w.dir);
  const std::string dir = w.dir.string();
  const int64_t now = std::time(nullptr);
  const std::string text = "We declare.\nPeace and bread.\n";

  // Bulk rows nobody times (the statement, its final version, the organizations), in one
  // transaction with synchronous=OFF on a connection of their own.
  {
    auto db = Must(Database::Open(dir), "open database");
    std::string sql = "PRAGMA synchronous=OFF; BEGIN;";
    sql += "INSERT INTO statements (id, slug, title, phase, created_at, language) VALUES (1, '" +
           std::string(kSlug) + "', 'Benchmark declaration', 'final', " + std::to_string(now) +
           ", 'en');";
    sql +=
        "INSERT INTO statement_versions (id, statement_id, number, label, reason, phase,"
        " created_at, state, canonical_text, canonical_html, sha256) VALUES (1, 1, 1, 'Final',"
        " 'phase', 'final', " +
        std::to_string(now) + ", X'', '" + text + "', '<p>We declare.</p>', '" + Sha256Hex(text) +
        "');";
    for (size_t i = 1; i <= organizations; ++i) {
      sql +=
          "INSERT INTO organizations (id, name, short_name, country, kind, created_at) VALUES (" +
          std::to_string(i + 1) + ", 'Union number " + std::to_string(i) + "', 'U" +
          std::to_string(i) + "', 'FR', 'union', " + std::to_string(now) + ");";
    }
    sql += "COMMIT;";
    if (Status s = db->Exec(sql); !s.ok()) Die("bulk rows", s);
  }
  w.statement_id = 1;
  w.accounts = Must(SqliteAccountStore::Open(dir), "account store");
  w.drafting = Must(OpenSqliteDraftingStore(dir), "drafting store");
  auto signer = Must(signon::NoteSigner::FromSeed(kLogOrigin, std::string(32, '\x42')), "signer");
  w.log = Must(OpenSqliteTransparencyLog(dir, signer, {}), "log");
  w.signon = Must(OpenSqliteSignonStore(dir), "signon store");

  ManifestInput in;
  in.origin = w.log->verifier().name();
  in.public_key = std::string(w.log->verifier().public_key());
  in.statement_id = 1;
  in.slug = kSlug;
  in.title = "Benchmark declaration";
  in.version_id = 1;
  in.version_number = 1;
  in.source_language = "en";
  in.text_sha256["en"] = Sha256Hex(text);
  in.created_at = now;
  auto built = Must(BuildManifest(in), "manifest");
  FinalManifest row;
  row.statement_id = 1;
  row.version_id = 1;
  row.canonical = built.canonical;
  row.sha256 = built.sha256;
  row.created_at = now;
  Must(w.signon->PublishManifest(row, built.log_body), "publish manifest");
  w.manifest_sha256 = built.sha256;

  // Keys registered and approved through the store (two durable transactions each), and the
  // requests signed in advance: signing is the browser's work, not the server's.
  std::fprintf(stderr, "signon_bench: setting up %zu organizations in %s ...\n", organizations,
               dir.c_str());
  for (size_t i = 1; i <= organizations; ++i) {
    const auth::Id org = static_cast<auth::Id>(i + 1);
    const auth::Id user = static_cast<auth::Id>(1000 + i);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    SigningKey key;
    key.organization_id = org;
    key.user_id = user;
    key.public_key = Base64(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk));
    key.label = "laptop";
    key.created_at = now;
    key = Must(w.signon->CreateKey(key), "create key");
    const std::string org_name = "Union number " + std::to_string(i);
    auto approval = Must(signon::CanonicalizeJsonValue(json::object{
                             {"kind", "key-approval"},
                             {"key_id", key.id},
                             {"public_key", key.public_key},
                             {"organization", {{"id", org}, {"name", org_name}, {"country", "FR"}}},
                             {"signatory", {{"user_id", user}, {"name", "Signatory"}}},
                             {"approved_at", FormatTime(now)},
                             {"replaces", nullptr},
                         }),
                         "approval body");
    Must(w.signon->ApproveKey(key.id, 1, now, approval, ""), "approve key");

    unsigned char nonce[16];
    randombytes_buf(nonce, sizeof nonce);
    json::object e{
        {"format", "accord-endorsement-v1"},
        {"manifest_sha256", w.manifest_sha256},
        {"organization", {{"id", org}, {"name", org_name}, {"country", "FR"}}},
        {"signatory", {{"name", "Ana Pérez"}, {"title", "General Secretary"}}},
        {"kind", "adheres"},
        {"signed_at", FormatTime(now)},
        {"nonce", Base64(std::string_view(reinterpret_cast<const char*>(nonce), sizeof nonce))},
    };
    SignedRequest r;
    r.text = Must(signon::CanonicalizeJsonValue(e), "endorsement JCS");
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(r.text.data()),
                         r.text.size(), sk);
    r.signature = Base64(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
    r.key_id = key.id;
    r.user_id = user;
    w.requests.push_back(std::move(r));
  }
  w.writer = std::make_unique<SignonWriter>(*w.signon);
}

// The steps of PostEndorsement (api_endorsements.cc) after routing, session and policy, with
// the same server functions in the same order; false (and why) if any check refuses.
bool Endorse(World& w, const SignedRequest& req, std::string* why) {
  auto e = ParseEndorsement(req.text);
  if (!e.ok()) return *why = e.status().ToString(), false;
  auto key = w.signon->GetKey(req.key_id);
  if (!key.ok() || key->user_id != req.user_id || key->organization_id != e->organization_id) {
    return *why = "wrong key", false;
  }
  if (!VerifySignature(e->canonical, req.signature, key->public_key)) {
    return *why = "bad signature", false;
  }
  if (key->state != KeyState::kApproved) return *why = "key not approved", false;
  auto org = w.accounts->GetOrganization(e->organization_id);
  if (!org.ok() || org->name != e->organization_name || org->country != e->country) {
    return *why = "organization mismatch", false;
  }
  auto manifest = w.signon->CurrentManifest(w.statement_id);
  if (!manifest.ok() || manifest->sha256 != e->manifest_sha256) {
    return *why = "stale manifest", false;
  }
  const int64_t now = std::time(nullptr);
  if (std::llabs(e->signed_at - now) > 15 * 60) return *why = "bad time", false;

  SignonWrite write;
  write.statement_id = w.statement_id;
  write.manifest_sha256 = e->manifest_sha256;
  Endorsement& row = write.endorsement;
  row.organization_id = e->organization_id;
  row.user_id = req.user_id;
  row.key_id = key->id;
  row.kind = e->kind;
  row.canonical = e->canonical;
  row.sha256 = e->sha256;
  row.signature = req.signature;
  row.nonce = e->nonce;
  row.signed_at = e->signed_at;
  row.received_at = now;
  auto body = signon::CanonicalizeJsonValue(json::object{
      {"kind", "endorsement"},
      {"endorsement", e->object},
      {"endorsement_sha256", e->sha256},
      {"key_id", key->id},
      {"public_key", key->public_key},
      {"signature", req.signature},
  });
  if (!body.ok()) return *why = body.status().ToString(), false;
  write.log_body = std::move(*body);
  SignonOutcome outcome = w.writer->Commit(std::move(write));
  if (!outcome.status.ok()) return *why = outcome.status.ToString(), false;
  return true;
}

// (a) The peer: one core verifying Ed25519 signatures of a realistic endorsement.
void BM_Ed25519Verify(benchmark::State& state) {
  const SignedRequest& r = g_world->requests.front();
  auto sig = DecodeBase64(r.signature, crypto_sign_BYTES);
  auto key = g_world->signon->GetKey(r.key_id);
  auto pk = key.ok() ? DecodeBase64(key->public_key, crypto_sign_PUBLICKEYBYTES) : std::nullopt;
  if (!sig || !pk) return state.SkipWithError("cannot decode the sample signature or key");
  const auto* m = reinterpret_cast<const unsigned char*>(r.text.data());
  const auto* s = reinterpret_cast<const unsigned char*>(sig->data());
  const auto* k = reinterpret_cast<const unsigned char*>(pk->data());
  for (auto _ : state) {
    int rc = crypto_sign_verify_detached(s, m, r.text.size(), k);
    benchmark::DoNotOptimize(rc);
    if (rc != 0) return state.SkipWithError("the sample signature does not verify");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(r.text.size()) + "-byte endorsement");
}

// (b) Durable endorsements through the group-commit writer.
uint64_t g_batches_before = 0;
size_t g_done_before = 0;
void BeforeDurable(const benchmark::State&) {
  g_batches_before = g_world->writer->batches();
  g_done_before = g_world->next.load();
}
void AfterDurable(const benchmark::State& state) {
  const uint64_t batches = g_world->writer->batches() - g_batches_before;
  const size_t done = g_world->next.load() - g_done_before;
  std::fprintf(stderr, "  [%d submitters: %zu endorsements in %llu commits, %.1f per commit]\n",
               state.threads(), done, static_cast<unsigned long long>(batches),
               batches ? static_cast<double>(done) / static_cast<double>(batches) : 0.0);
}
void BM_DurableEndorse(benchmark::State& state) {
  World& w = *g_world;
  for (auto _ : state) {
    const size_t i = w.next.fetch_add(1);
    if (i >= w.requests.size()) return state.SkipWithError("out of prepared organizations");
    std::string why;
    if (!Endorse(w, w.requests[i], &why)) {
      w.refused.fetch_add(1);
      return state.SkipWithError(("refused: " + why).c_str());
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// (c) Bundle verification: the bundle as the server serves it, verified offline. The bundle is
// fetched once (Google Benchmark calls this function more than once to size the run).
struct ServedBundle {
  std::string error;  // why there is none
  size_t bytes = 0;
  signon::Bundle bundle;
};
ServedBundle FetchBundle(World& w) {
  auto ctx = std::make_unique<ApiContext>();
  ctx->store = w.accounts.get();
  ctx->drafting = w.drafting.get();
  ctx->log = w.log.get();
  ctx->signon = w.signon.get();
  ApiConfig config;
  ctx->config = &config;
  ctx->instance_key = std::string(32, 'k');
  ctx->now = [] { return static_cast<auth::UnixTime>(std::time(nullptr)); };
  ctx->steady_now = [] { return auth::RateLimiter::Clock::now(); };
  ApiService service(std::move(ctx));
  ApiRequest req;
  req.method = "GET";
  req.path = std::string("/api/v1/statements/") + kSlug + "/bundle";
  req.ip = "127.0.0.1";
  HttpResponse res = service.Handle(std::move(req));
  ServedBundle out;
  if (res.status != 200) {
    out.error = "bundle route: " + std::to_string(res.status) + " " + res.body;
    return out;
  }
  auto bundle = signon::ParseBundle(res.body);
  if (!bundle.ok()) {
    out.error = bundle.status().ToString();
    return out;
  }
  out.bytes = res.body.size();
  out.bundle = std::move(*bundle);
  return out;
}
void BM_VerifyBundle(benchmark::State& state) {
  static const ServedBundle served = FetchBundle(*g_world);
  if (!served.error.empty()) return state.SkipWithError(served.error.c_str());
  const signon::Bundle* bundle = &served.bundle;
  size_t endorsements = 0;
  for (auto _ : state) {
    signon::VerifyReport report = signon::VerifyBundle(*bundle, {});
    if (!report.ok()) {
      return state.SkipWithError(("bundle does not verify: " + report.findings.front().check + " " +
                                  report.findings.front().message)
                                     .c_str());
    }
    endorsements = report.endorsements_valid;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * endorsements));
  state.SetLabel(std::to_string(endorsements) + " endorsements, " +
                 std::to_string(bundle->entries.size()) + " entries, log size " +
                 std::to_string(bundle->log_size) + ", " + std::to_string(served.bytes) + " bytes");
}

// Prints what Google Benchmark prints and keeps each run's items per second for the ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      auto it = run.counters.find("items_per_second");
      if (it != run.counters.end()) rates_[run.benchmark_name()] = it->second.value;
    }
  }
  const std::map<std::string, double>& rates() const { return rates_; }

 private:
  std::map<std::string, double> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 2;
  benchmark::Initialize(&argc, argv);
  size_t organizations = 0;
  for (int t : kThreadCounts) organizations += static_cast<size_t>(t * PerThread(t));
  World world;
  g_world = &world;
  Setup(world, organizations);

  benchmark::RegisterBenchmark("Ed25519Verify", BM_Ed25519Verify)->MinTime(1.0);
  for (int t : kThreadCounts) {
    // A fixed count per submitter: each endorsement uses up one prepared organization.
    benchmark::RegisterBenchmark("DurableEndorse", BM_DurableEndorse)
        ->Threads(t)
        ->Iterations(PerThread(t))
        ->UseRealTime()
        ->Setup(BeforeDurable)
        ->Teardown(AfterDurable);
  }
  benchmark::RegisterBenchmark("VerifyBundle", BM_VerifyBundle)->MinTime(1.0)->UseRealTime();

  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const auto& rates = reporter.rates();
  auto peer = rates.find("Ed25519Verify/min_time:1.000");
  if (peer == rates.end()) {
    for (auto it = rates.begin(); it != rates.end(); ++it) {
      if (it->first.starts_with("Ed25519Verify")) peer = it;
    }
  }
  if (peer == rates.end() || peer->second <= 0) {
    std::printf("no Ed25519 figure: no ratios\n");
    return 0;
  }
  std::printf("\nsign-on against one core of Ed25519 verifies (%.0f/s, same run):\n", peer->second);
  for (const auto& [name, rate] : rates) {
    if (name.starts_with("Ed25519Verify")) continue;
    std::printf("  %-55s %10.0f/s  %6.3f x one-core verify\n", name.c_str(), rate,
                rate / peer->second);
  }
  return 0;
}
