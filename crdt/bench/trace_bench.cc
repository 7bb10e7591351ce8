// crdt_trace_bench: replays a text editing trace into a Doc and times replay, encoding and
// loading, for tests/node/bench/compare.mjs, which runs the Yjs and ywasm peers on the same trace
// and holds the contract of this program:
//
//   crdt_trace_bench TRACE.bin END.txt [--single-txn] [--repeat N]
//     -> {"replay_ms", "replay_cpu_ms", "encode_v1_ms", "encode_v2_ms", "load_v1_ms",
//         "load_v1_cpu_ms", "load_v2_ms", "load_v2_cpu_ms", "v1_bytes", "v2_bytes",
//         "doc_mem_bytes", "ok"}
//   crdt_trace_bench --load-v2 FILE
//     -> {"load_ms", "load_cpu_ms", "encode_v1_ms", "v1_bytes", "doc_mem_bytes", "text_length",
//         "ok"}
//   crdt_trace_bench --load-encode FILE v1|v2 [RUNS]   (for profiling; not used by compare.mjs)
//     -> {"load_ms", "load_cpu_ms", "encode_v1_ms", "encode_v2_ms", "encode_sv_ms", "ok"}:
//        medians of RUNS
//        (default 5); encode_sv encodes v1 against a state vector holding half of every
//        client's clock, as a server answers a sync step 1.
//
// TRACE.bin (written by bench/prepare-trace.mjs) is lib0-encoded: varUint transaction count;
// per transaction a varUint patch count; per patch varUint position and deletion length (both
// in UTF-16 units) and a varString insert. The trace is replayed into the root text "text",
// each trace transaction in its own Doc transaction (or everything in one with --single-txn).
// With --repeat N it is replayed N times end to end, repetition k shifting every position by
// k * (UTF-16 length of END). ok: the final text, and the text of documents loaded from the v1
// and v2 encodings, equal END repeated N times.
//
// Times are wall-clock milliseconds: replay once; encodes and loads the median of five (each
// load into a fresh Doc, each encode after the previous result is freed), like the JavaScript
// peers. The process keeps freed memory for reuse with the settings accordd uses
// (server/src/process_memory.h): glibc's defaults would unmap every block over 128 KiB on free,
// and the page faults of mapping it again cost more than an encode on a virtual machine, while
// the peers reuse their heap (V8) or linear memory (WebAssembly) as a matter of course. The
// *_cpu_ms figures are the CPU time this thread spent on the same work (the median run's for
// loads): on a shared machine wall time also counts the time the thread waited for a core, CPU time
// does not, so it is the steadier figure to compare builds with. doc_mem_bytes is the heap the
// document holds after the replay (or the first load): this binary replaces the global operator new
// / delete with versions that count live bytes (malloc_usable_size of each block, so allocator
// rounding counts too, but malloc's own per-block header does not). The program is single-
// threaded; the counter is atomic anyway, in case a library thread allocates.
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/crdt/state_vector.h"

// ---- Counting allocator -------------------------------------------------------------------

namespace {

std::atomic<int64_t> g_live_bytes{0};

void* CountedAlloc(size_t size, size_t align) {
  if (size == 0) size = 1;
  void* p = nullptr;
  if (align <= alignof(std::max_align_t)) {
    p = std::malloc(size);
  } else if (posix_memalign(&p, align, size) != 0) {
    p = nullptr;
  }
  if (p == nullptr) throw std::bad_alloc();
  g_live_bytes.fetch_add(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  return p;
}

void CountedFree(void* p) {
  if (p == nullptr) return;
  g_live_bytes.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}

}  // namespace

void* operator new(size_t size) { return CountedAlloc(size, 0); }
void* operator new[](size_t size) { return CountedAlloc(size, 0); }
void* operator new(size_t size, std::align_val_t al) {
  return CountedAlloc(size, static_cast<size_t>(al));
}
void* operator new[](size_t size, std::align_val_t al) {
  return CountedAlloc(size, static_cast<size_t>(al));
}
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  try {
    return CountedAlloc(size, 0);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  try {
    return CountedAlloc(size, 0);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { CountedFree(p); }
void operator delete[](void* p) noexcept { CountedFree(p); }
void operator delete(void* p, size_t) noexcept { CountedFree(p); }
void operator delete[](void* p, size_t) noexcept { CountedFree(p); }
void operator delete(void* p, std::align_val_t) noexcept { CountedFree(p); }
void operator delete[](void* p, std::align_val_t) noexcept { CountedFree(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { CountedFree(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { CountedFree(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { CountedFree(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { CountedFree(p); }

// ---- The benchmark ------------------------------------------------------------------------

namespace {

using accord::crdt::Doc;
using accord::crdt::Text;
using accord::crdt::UpdateFormat;
using Bytes = std::vector<uint8_t>;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "crdt_trace_bench: %s\n", why.c_str());
  std::exit(1);
}

Bytes ReadFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die(std::string("cannot read ") + path);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Patch {
  uint64_t pos;
  uint64_t del;
  std::string insert;
};
using Trace = std::vector<std::vector<Patch>>;

// A minimal lib0 reader for the trace file (ours, not the crdt's private one: this program
// sees only the public API).
class TraceReader {
 public:
  explicit TraceReader(const Bytes& data) : data_(data) {}
  uint64_t VarUint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) Die("trace file truncated");
      uint8_t b = data_[pos_++];
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    Die("bad varuint in trace file");
  }
  std::string VarString() {
    uint64_t n = VarUint();
    if (n > data_.size() - pos_) Die("trace file truncated");
    std::string s(reinterpret_cast<const char*>(data_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  bool AtEnd() const { return pos_ == data_.size(); }

 private:
  const Bytes& data_;
  size_t pos_ = 0;
};

Trace ParseTrace(const Bytes& data) {
  TraceReader r(data);
  Trace trace;
  uint64_t txns = r.VarUint();
  for (uint64_t t = 0; t < txns; ++t) {
    uint64_t patches = r.VarUint();
    std::vector<Patch> txn;
    for (uint64_t p = 0; p < patches; ++p) {
      Patch patch;
      patch.pos = r.VarUint();
      patch.del = r.VarUint();
      patch.insert = r.VarString();
      txn.push_back(std::move(patch));
    }
    trace.push_back(std::move(txn));
  }
  if (!r.AtEnd()) Die("trailing bytes in trace file");
  return trace;
}

// UTF-16 length of UTF-8 text: one unit per code point, two for those above U+FFFF (4-byte
// sequences).
uint64_t Utf16Length(std::string_view s) {
  uint64_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xc0) != 0x80) n += (c >= 0xf0) ? 2 : 1;
  }
  return n;
}

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// CPU time of this thread, in milliseconds.
double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// One timed run: wall and CPU milliseconds.
struct Timing {
  double wall_ms;
  double cpu_ms;
};

// A stopwatch for both clocks.
class Stopwatch {
 public:
  Stopwatch() : wall0_(Clock::now()), cpu0_(CpuMs()) {}
  Timing Elapsed() const { return Timing{MsSince(wall0_), CpuMs() - cpu0_}; }

 private:
  Clock::time_point wall0_;
  double cpu0_;
};

// The run with the median wall time.
Timing MedianTiming(std::vector<Timing> v) {
  std::sort(v.begin(), v.end(),
            [](const Timing& a, const Timing& b) { return a.wall_ms < b.wall_ms; });
  return v[v.size() / 2];
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

constexpr int kRuns = 5;

Text TextOf(Doc& doc) {
  auto text = doc.GetText("text");
  if (!text.ok()) Die("GetText failed: " + text.status().ToString());
  return *text;
}

// A fixed client id, so that runs are comparable, of the size Yjs's random 32-bit ids usually
// have (five varUint bytes): with a small id our v1 updates would be a quarter smaller than the
// peers' and encoding and loading them less work.
constexpr uint64_t kClientId = 0x9e3779b9;

std::unique_ptr<Doc> NewDoc() {
  accord::crdt::DocOptions options;
  options.client_id = kClientId;
  return std::make_unique<Doc>(options);
}

// Replays `trace` `repeat` times; returns false if an edit is rejected.
bool Replay(Doc& doc, const Trace& trace, uint64_t end_len, int repeat, bool single_txn) {
  Text text = TextOf(doc);
  bool ok = true;
  auto run_txn = [&](const std::vector<Patch>& txn, uint64_t shift) {
    for (const Patch& p : txn) {
      if (p.del > 0 && !text.Delete(p.pos + shift, p.del).ok()) ok = false;
      if (!p.insert.empty() && !text.Insert(p.pos + shift, p.insert).ok()) ok = false;
    }
  };
  auto run_all = [&] {
    for (int k = 0; k < repeat; ++k) {
      const uint64_t shift = static_cast<uint64_t>(k) * end_len;
      for (const auto& txn : trace) {
        if (single_txn) {
          run_txn(txn, shift);
        } else {
          doc.Transact([&] { run_txn(txn, shift); });
        }
      }
    }
  };
  if (single_txn) {
    doc.Transact(run_all);
  } else {
    run_all();
  }
  return ok;
}

Bytes Encode(Doc& doc, UpdateFormat format) {
  auto bytes = doc.EncodeStateAsUpdate({}, format);
  if (!bytes.ok()) Die("encode failed: " + bytes.status().ToString());
  return std::move(bytes).value();
}

// Median encode time of kRuns encodes; the bytes of the last.
double EncodeTimes(Doc& doc, UpdateFormat format, Bytes* out) {
  std::vector<double> times;
  for (int i = 0; i < kRuns; ++i) {
    Bytes().swap(*out);  // each run may reuse the memory of the one before, as loads do
    auto t0 = Clock::now();
    *out = Encode(doc, format);
    times.push_back(MsSince(t0));
  }
  return Median(times);
}

// The times of `runs` loads of `update`, each into a fresh document; the last document in
// `*doc`. Clears `*ok` if a load fails.
std::vector<Timing> LoadTimes(const Bytes& update, UpdateFormat format, int runs,
                              std::unique_ptr<Doc>* doc, bool* ok) {
  std::vector<Timing> times;
  for (int i = 0; i < runs; ++i) {
    doc->reset();
    *doc = NewDoc();
    Stopwatch watch;
    accord::Status st = (*doc)->ApplyUpdate(update, format);
    times.push_back(watch.Elapsed());
    if (!st.ok()) {
      std::fprintf(stderr, "crdt_trace_bench: load failed: %s\n", st.ToString().c_str());
      *ok = false;
    }
  }
  return times;
}

int RunTrace(const char* trace_path, const char* end_path, bool single_txn, int repeat) {
  const Trace trace = ParseTrace(ReadFile(trace_path));
  const Bytes end_bytes = ReadFile(end_path);
  const std::string end(end_bytes.begin(), end_bytes.end());
  std::string expected;
  expected.reserve(end.size() * repeat);
  for (int k = 0; k < repeat; ++k) expected += end;

  const int64_t mem0 = g_live_bytes.load();
  Stopwatch replay_watch;
  auto doc = NewDoc();
  bool ok = Replay(*doc, trace, Utf16Length(end), repeat, single_txn);
  const Timing replay = replay_watch.Elapsed();
  const int64_t doc_mem = g_live_bytes.load() - mem0;
  ok = ok && TextOf(*doc).ToString() == expected;

  Bytes v1;
  Bytes v2;
  const double enc_v1 = EncodeTimes(*doc, UpdateFormat::kV1, &v1);
  const double enc_v2 = EncodeTimes(*doc, UpdateFormat::kV2, &v2);
  doc.reset();
  // For --load-encode: CRDT_BENCH_DUMP=PREFIX keeps the updates as PREFIX.v1 and PREFIX.v2.
  if (const char* prefix = std::getenv("CRDT_BENCH_DUMP")) {
    std::ofstream(std::string(prefix) + ".v1", std::ios::binary)
        .write(reinterpret_cast<const char*>(v1.data()), static_cast<std::streamsize>(v1.size()));
    std::ofstream(std::string(prefix) + ".v2", std::ios::binary)
        .write(reinterpret_cast<const char*>(v2.data()), static_cast<std::streamsize>(v2.size()));
  }
  std::unique_ptr<Doc> loaded;
  const Timing load_v1 = MedianTiming(LoadTimes(v1, UpdateFormat::kV1, kRuns, &loaded, &ok));
  ok = ok && TextOf(*loaded).ToString() == expected;
  const Timing load_v2 = MedianTiming(LoadTimes(v2, UpdateFormat::kV2, kRuns, &loaded, &ok));
  ok = ok && TextOf(*loaded).ToString() == expected;

  std::printf(
      "{\"impl\":\"accord\",\"repeat\":%d,\"single_txn\":%s,\"replay_ms\":%.3f,"
      "\"replay_cpu_ms\":%.3f,\"encode_v1_ms\":%.3f,\"encode_v2_ms\":%.3f,\"load_v1_ms\":%.3f,"
      "\"load_v1_cpu_ms\":%.3f,\"load_v2_ms\":%.3f,\"load_v2_cpu_ms\":%.3f,\"v1_bytes\":%zu,"
      "\"v2_bytes\":%zu,\"doc_mem_bytes\":%lld,\"ok\":%s}\n",
      repeat, single_txn ? "true" : "false", replay.wall_ms, replay.cpu_ms, enc_v1, enc_v2,
      load_v1.wall_ms, load_v1.cpu_ms, load_v2.wall_ms, load_v2.cpu_ms, v1.size(), v2.size(),
      static_cast<long long>(doc_mem), ok ? "true" : "false");
  return 0;
}

int RunLoadV2(const char* path) {
  const Bytes update = ReadFile(path);
  bool ok = true;
  // Memory of the first load, as the peers measure it.
  const int64_t mem0 = g_live_bytes.load();
  auto first = NewDoc();
  Stopwatch first_watch;
  accord::Status st = first->ApplyUpdate(update, UpdateFormat::kV2);
  const Timing first_load = first_watch.Elapsed();
  const int64_t doc_mem = g_live_bytes.load() - mem0;
  if (!st.ok()) {
    std::fprintf(stderr, "crdt_trace_bench: load failed: %s\n", st.ToString().c_str());
    ok = false;
  }
  first.reset();
  std::unique_ptr<Doc> doc;
  std::vector<Timing> times = LoadTimes(update, UpdateFormat::kV2, kRuns - 1, &doc, &ok);
  times.push_back(first_load);
  const Timing load = MedianTiming(times);
  Bytes v1;
  const double enc_v1 = EncodeTimes(*doc, UpdateFormat::kV1, &v1);
  const uint64_t text_length = TextOf(*doc).Length();
  std::printf(
      "{\"impl\":\"accord\",\"load_ms\":%.3f,\"load_cpu_ms\":%.3f,\"encode_v1_ms\":%.3f,"
      "\"v1_bytes\":%zu,\"doc_mem_bytes\":%lld,\"text_length\":%llu,\"ok\":%s}\n",
      load.wall_ms, load.cpu_ms, enc_v1, v1.size(), static_cast<long long>(doc_mem),
      static_cast<unsigned long long>(text_length), ok ? "true" : "false");
  return 0;
}

int RunLoadEncode(const char* path, const char* format_name, int runs) {
  const Bytes update = ReadFile(path);
  const UpdateFormat format =
      std::strcmp(format_name, "v1") == 0 ? UpdateFormat::kV1 : UpdateFormat::kV2;
  bool ok = true;
  std::unique_ptr<Doc> doc;
  const Timing load = MedianTiming(LoadTimes(update, format, runs, &doc, &ok));
  std::vector<double> v1_times, v2_times, sv_times;
  accord::crdt::StateVector half = doc->GetStateVector();
  for (auto& [client, clock] : half) clock /= 2;
  const Bytes sv = accord::crdt::EncodeStateVector(half);
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    Bytes b = Encode(*doc, UpdateFormat::kV1);
    v1_times.push_back(MsSince(t0));
    t0 = Clock::now();
    b = Encode(*doc, UpdateFormat::kV2);
    v2_times.push_back(MsSince(t0));
    t0 = Clock::now();
    auto with_sv = doc->EncodeStateAsUpdate(sv, UpdateFormat::kV1);
    sv_times.push_back(MsSince(t0));
    ok = ok && with_sv.ok();
  }
  std::printf(
      "{\"impl\":\"accord\",\"load_ms\":%.3f,\"load_cpu_ms\":%.3f,\"encode_v1_ms\":%.3f,"
      "\"encode_v2_ms\":%.3f,\"encode_sv_ms\":%.3f,\"ok\":%s}\n",
      load.wall_ms, load.cpu_ms, Median(v1_times), Median(v2_times), Median(sv_times),
      ok ? "true" : "false");
  return 0;
}

[[noreturn]] void Usage() {
  Die("usage: crdt_trace_bench TRACE.bin END.txt [--single-txn] [--repeat N]\n"
      "       crdt_trace_bench --load-v2 FILE\n"
      "       crdt_trace_bench --load-encode FILE v1|v2 [RUNS]");
}

}  // namespace

int main(int argc, char** argv) {
  // The values of accord::server::MemoryRetention (see the header comment).
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
  if (argc == 3 && std::strcmp(argv[1], "--load-v2") == 0) return RunLoadV2(argv[2]);
  if (argc >= 4 && std::strcmp(argv[1], "--load-encode") == 0) {
    const int runs = argc >= 5 ? std::atoi(argv[4]) : 5;
    if (runs < 1) Usage();
    return RunLoadEncode(argv[2], argv[3], runs);
  }
  if (argc < 3) Usage();
  bool single_txn = false;
  int repeat = 1;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--single-txn") == 0) {
      single_txn = true;
    } else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
      if (repeat < 1) Usage();
    } else {
      Usage();
    }
  }
  return RunTrace(argv[1], argv[2], single_txn, repeat);
}
