// The server benchmark of issue 4: one load generator drives accordd, @y/websocket-server and
// @hocuspocus/server in the same run, on loopback, each server in its own child process whose
// CPU time and memory come from /proc. Scenarios (see README.md):
//   A  1,000 documents, one idle client each: server RSS growth per connection
//   B  one document, 300 clients, 30 typing 5 edits/s: fan-out latency and CPU per update
//   C  cold open of a ~5 MB document
// Prints figures and ratios against the best peer; never pass/fail.
//
// Environment: BENCH_SMOKE=1 (tiny sizes, seconds), BENCH_SECONDS (B's typing time, default
// 60), BENCH_SERVERS=accordd,hocuspocus (subset), BENCH_SCENARIOS=A,C (subset), BENCH_JSON=file
// (also write the figures as JSON), BENCH_LAT_HIST=1 (B's latency histogram), ACCORD_BIN_DIR
// (accordd and accord; default build/bin). More knobs in README.md.
import fs from 'node:fs'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import * as Y from 'yjs'
import { BenchClient, openMany, sourceAddress } from './lib/client.mjs'
import { bigDocument } from './lib/doc.mjs'
import { cpuSeconds, memory } from './lib/proc.mjs'
import {
  SERVER_NAMES, accorddThreads, makeTempDir, prepareAccordData, probeWebSocket, removeTempDirs, startServer
} from './lib/servers.mjs'

const env = process.env
const SMOKE = env.BENCH_SMOKE === '1'
const num = (name, dflt) => (env[name] !== undefined && env[name] !== '' ? Number(env[name]) : dflt)
const CFG = {
  aDocs: num('BENCH_A_DOCS', SMOKE ? 20 : 1000),
  bClients: num('BENCH_B_CLIENTS', SMOKE ? 12 : 300),
  bTypists: num('BENCH_B_TYPISTS', SMOKE ? 3 : 30),
  bRate: num('BENCH_B_RATE', 5),
  bSeconds: num('BENCH_SECONDS', SMOKE ? 3 : 60),
  cBytes: num('BENCH_C_BYTES', SMOKE ? 150_000 : 5_000_000),
  cReps: num('BENCH_C_REPS', SMOKE ? 1 : 3)
}
// BENCH_B_REPLICA=1: typing clients integrate every remote update into their Y.Doc (costs the
// generator ~4,500 applies/s at full size); by default they type into their own view.
const REPLICAS = env.BENCH_B_REPLICA === '1'
// BENCH_B_WORKERS: worker threads holding B's clients, each its own event loop (see README.md).
const B_WORKERS = Math.max(1, num('BENCH_B_WORKERS', 2))
const SERVERS = env.BENCH_SERVERS ? env.BENCH_SERVERS.split(',') : SERVER_NAMES
const SCENARIOS = (env.BENCH_SCENARIOS || 'A,B,C').toUpperCase().split(',')
const PEERS = SERVER_NAMES.filter((s) => s !== 'accordd')

const log = (...a) => console.log(...a)
const live = new Set() // server handles still running, killed if we exit early
const liveWorkers = new Set() // B's worker threads, ended if their scenario fails or times out
process.on('exit', () => {
  for (const h of live) try { h.child.kill('SIGKILL') } catch {}
  removeTempDirs()
})
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130))

// --- results --------------------------------------------------------------------------------

const rows = [] // { scenario, metric, unit, target, values: {server: number|string}, digits }
function row (scenario, metric, target = '', digits = 1) {
  let r = rows.find((x) => x.scenario === scenario && x.metric === metric)
  if (!r) { r = { scenario, metric, target, values: {}, digits }; rows.push(r) }
  return r
}
const notes = []
const failures = [] // [scenario, server]

function quantile (sorted, q) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

async function withServer (name, opts, fn) {
  const h = await startServer(name, opts)
  live.add(h)
  try {
    return await fn(h)
  } catch (e) {
    await sleep(200)
    if (h.exited) {
      const tail = h.output.trim().split('\n').slice(-3).join(' | ').slice(0, 500)
      e.message = `${name} died (${h.exited.signal || 'exit ' + h.exited.code}) during the run: ${e.message}; ` +
        `last output: ${tail}`
    }
    throw e
  } finally {
    await h.stop()
    live.delete(h)
  }
}

function accordOpts () {
  const dataDir = makeTempDir('accordd')
  return { dataDir, token: prepareAccordData(dataDir) }
}

// Rejects after `ms` so that no scenario can hang the stage.
function deadline (promise, ms, what) {
  let timer
  return Promise.race([
    promise,
    new Promise((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what}: gave up after ${ms / 1000} s`)), ms) })
  ]).finally(() => clearTimeout(timer))
}

// --- scenario A: memory per idle connection ---------------------------------------------------

async function scenarioA (name, opts) {
  await withServer(name, opts, async (h) => {
    await sleep(500)
    const before = memory(h.pid)
    const t0 = performance.now()
    const clients = await openMany(CFG.aDocs,
      (i) => new BenchClient(h, `a-doc-${i}`, { localAddress: sourceAddress(i) }), 50)
    const connectSeconds = (performance.now() - t0) / 1000
    await sleep(1500) // let awareness broadcasts and allocations settle
    const after = memory(h.pid)
    for (const c of clients) c.close()
    const perConn = (after.rss - before.rss) / CFG.aDocs / 1024
    row('A', 'RSS growth per connection (KiB)', '<= 1/5 of best peer').values[name] = perConn
    row('A', 'RSS before / after (MiB)', '', 0).values[name] =
      `${(before.rss / 1048576).toFixed(0)} / ${(after.rss / 1048576).toFixed(0)}`
    row('A', 'peak RSS, VmHWM (MiB)').values[name] = after.hwm / 1048576
    row('A', `open+sync ${CFG.aDocs} docs (s)`, '', 2).values[name] = connectSeconds
    log(`  ${name}: ${perConn.toFixed(1)} KiB per connection (RSS ${(before.rss / 1048576).toFixed(1)} -> ` +
      `${(after.rss / 1048576).toFixed(1)} MiB), opened in ${connectSeconds.toFixed(2)} s`)
  })
}

// --- scenario B: fan-out latency and CPU per update -------------------------------------------

// Starts the worker threads that hold B's clients (lib/fanout-worker.mjs); client i goes to
// worker i % workers, so typists and listeners are spread evenly. Returns { maxEdits, send(msg)
// to every worker, next(type): every worker's next reply, which must be of that type, kill() }.
function startFanoutWorkers (h, count) {
  const { bClients: n, bTypists: typists, bRate: rate, bSeconds: seconds } = CFG
  const maxSeq = Math.ceil(rate * (seconds + 5) * 1.5) + 10
  const workers = []
  const inbox = [] // per worker: messages not yet taken by next()
  const waiting = [] // per worker: a resolver waiting for the next message
  for (let w = 0; w < count; w++) {
    const indices = []
    for (let i = w; i < n; i += count) indices.push(i)
    const worker = new Worker(new URL('./lib/fanout-worker.mjs', import.meta.url), {
      workerData: {
        url: h.url('b-doc'),
        framing: h.framing,
        indices,
        typists,
        rate,
        maxSeq,
        integrate: REPLICAS,
        concurrency: Math.max(1, Math.ceil(50 / count)) // 50 handshakes in flight in all
      }
    })
    inbox.push([])
    waiting.push(null)
    const deliver = (msg) => {
      if (waiting[w]) { const r = waiting[w]; waiting[w] = null; r(msg) } else inbox[w].push(msg)
    }
    worker.on('message', deliver)
    worker.on('error', (e) => deliver({ type: 'error', message: e.message }))
    worker.on('exit', (code) => deliver({ type: 'error', message: `exited (${code})` }))
    workers.push(worker)
    liveWorkers.add(worker)
  }
  const take = (w) => (inbox[w].length ? Promise.resolve(inbox[w].shift()) : new Promise((resolve) => { waiting[w] = resolve }))
  return {
    maxEdits: maxSeq * typists,
    send: (msg) => { for (const wk of workers) wk.postMessage(msg) },
    // The first worker to fail (or answer out of turn) fails the whole wait.
    next: (type) => Promise.all(workers.map((_, w) => take(w).then((m) => {
      if (m.type === type) return m
      throw new Error(`B worker ${w}: ${m.type === 'error' ? m.message : `answered ${m.type}, expected ${type}`}`)
    }))),
    async kill () {
      for (const wk of workers) liveWorkers.delete(wk)
      await Promise.all(workers.map((wk) => wk.terminate()))
    }
  }
}

async function scenarioB (name, opts) {
  const seconds = CFG.bSeconds
  await withServer(name, opts, async (h) => {
    const pool = startFanoutWorkers(h, B_WORKERS)
    try {
      await pool.next('opened')
      await sleep(1000)
      const cpu0 = cpuSeconds(h.pid)
      const gen0 = process.cpuUsage()
      const t0 = performance.now()
      pool.send({ type: 'start' })
      await sleep(seconds * 1000)
      pool.send({ type: 'stop' })
      const stopped = await pool.next('stopped')
      const typed = performance.now() - t0
      const nextId = stopped.reduce((sum, m) => sum + m.sent, 0) // edits sent in all
      pool.send({ type: 'drain', total: nextId, ms: 5000 })
      const drained = await pool.next('drained')
      const cpu1 = cpuSeconds(h.pid)
      const gen = process.cpuUsage(gen0)
      const mem = memory(h.pid)
      pool.send({ type: 'close' })
      await pool.next('closed')
      reportB(name, { typed, nextId, drained, cpu: cpu1 - cpu0, gen, mem, maxEdits: pool.maxEdits })
    } finally {
      await pool.kill()
    }
  })
}

// Turns the workers' delivery records into B's figures, rows and notes.
function reportB (name, { typed, nextId, drained, cpu, gen, mem, maxEdits }) {
  const n = CFG.bClients
  // One send time per edit, from whichever worker holds its typist (NaN elsewhere).
  const sendTime = new Float64Array(maxEdits).fill(NaN)
  for (const d of drained) {
    for (let id = 0; id < maxEdits; id++) if (!Number.isNaN(d.sendTime[id])) sendTime[id] = d.sendTime[id]
  }
  const received = new Uint16Array(maxEdits)
  const lastArrival = new Float64Array(maxEdits)
  let nLat = 0
  for (const d of drained) nLat += d.ids.length
  const lat = new Float64Array(nLat)
  let k = 0
  let strays = 0 // marker-like bytes naming an edit nobody sent: not a delivery
  for (const d of drained) {
    const { ids, times } = d
    for (let r = 0; r < ids.length; r++) {
      const id = ids[r]
      const t = times[r]
      if (Number.isNaN(sendTime[id])) { strays++; continue }
      lat[k++] = t - sendTime[id]
      received[id]++
      if (t > lastArrival[id]) lastArrival[id] = t
    }
  }
  nLat = k
  const expected = nextId * (n - 1)
  const duplicates = drained.reduce((sum, d) => sum + d.duplicates, 0)
  const closedEarly = drained.reduce((sum, d) => sum + d.closedEarly, 0)
  const sorted = lat.subarray(0, nLat).sort()
  const all = []
  for (let id = 0; id < maxEdits; id++) if (received[id] === n - 1) all.push(lastArrival[id] - sendTime[id])
  const allSorted = Float64Array.from(all).sort()
  const cpuPerK = cpu / (nextId / 1000)
  row('B', 'fan-out latency p50 (ms)', '', 2).values[name] = quantile(sorted, 0.5)
  row('B', 'fan-out latency p99 (ms)', 'p99 <= 1/3 of best peer', 2).values[name] = quantile(sorted, 0.99)
  row('B', 'reached all clients p50 (ms)', '', 2).values[name] = quantile(allSorted, 0.5)
  row('B', 'reached all clients p99 (ms)', '', 2).values[name] = quantile(allSorted, 0.99)
  row('B', 'server CPU s per 1,000 updates', '>= 3x less than best peer', 3).values[name] = cpuPerK
  row('B', 'updates sent / deliveries missing', '', 0).values[name] = `${nextId} / ${expected - nLat}`
  row('B', 'server RSS at end (MiB)').values[name] = mem.rss / 1048576
  // Saturation is per thread: the busiest worker is what queues arrivals.
  const genCpu = Math.max(...drained.map((d) => d.cpu))
  const elu = Math.max(...drained.map((d) => d.elu))
  const delayP99 = Math.max(...drained.map((d) => d.delayP99))
  const processCpu = (gen.user + gen.system) / 1000 / typed
  row('B', 'generator CPU / event-loop use', '', 0).values[name] =
    `${(genCpu * 100).toFixed(0)}% / ${(elu * 100).toFixed(0)}%`
  const pct = (x) => `${(x * 100).toFixed(0)}%`
  log(`  ${name}: ${nextId} edits in ${(typed / 1000).toFixed(1)} s, ${nLat}/${expected} deliveries, ` +
    `p50 ${quantile(sorted, 0.5).toFixed(2)} ms, p99 ${quantile(sorted, 0.99).toFixed(2)} ms, ` +
    `server CPU ${cpu.toFixed(2)} s; generator: ${drained.length} workers, CPU ${drained.map((d) => pct(d.cpu)).join(' ')} ` +
    `(process ${pct(processCpu)}), event loop ${drained.map((d) => pct(d.elu)).join(' ')} busy, ` +
    `delay p99 ${drained.map((d) => d.delayP99.toFixed(1)).join(' ')} ms` +
    (duplicates ? `, ${duplicates} duplicate deliveries` : '') +
    (strays ? `, ${strays} markers of unsent edits ignored` : '') +
    (closedEarly ? `, ${closedEarly} clients closed by the server` : '') +
    `; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`)
  if (os.loadavg()[0] > os.cpus().length * 1.5) {
    notes.push(`B/${name}: machine load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs ` +
      'during the run: the server and the generator were short of CPU, figures are not reliable')
  }
  if (nLat < expected) {
    notes.push(`B/${name}: ${expected - nLat} of ${expected} deliveries had not arrived 5 s after typing stopped ` +
      '(the server fell behind; its latencies cover only what arrived)')
  }
  if (env.BENCH_LAT_HIST === '1') {
    const edges = [1, 2, 5, 10, 20, 30, 40, 50, 100, 200, 500, 1000, Infinity]
    const counts = edges.map(() => 0)
    for (const l of sorted) counts[edges.findIndex((e) => l < e)]++
    log('    latency histogram (ms): ' + edges.map((e, i) => `<${e}: ${(counts[i] / sorted.length * 100).toFixed(1)}%`).join(', '))
  }
  if (elu > 0.9 || genCpu > 0.9) {
    notes.push(`B/${name}: the generator was saturated (busiest worker: event loop ${pct(elu)} busy, ` +
      `CPU ${pct(genCpu)}, delay p99 ${delayP99.toFixed(1)} ms): latencies include its queueing`)
  }
  if (closedEarly) notes.push(`B/${name}: ${closedEarly} clients were closed by the server during the run`)
}

// --- scenario C: cold open of a large document ------------------------------------------------

function sameBytes (a, b) {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

// Opens a reader replica; resolves with the time the completing message arrived (tRecv) and the
// time its content was applied and checked (tDone), both relative to the connect.
function coldRead (h, big, timeoutMs) {
  return new Promise((resolve, reject) => {
    let t0 = 0
    let done = false
    const reader = new BenchClient(h, 'c-doc', {
      replica: true,
      awareness: false,
      onMessage: (c, tRecv) => {
        if (done || !sameBytes(Y.encodeStateVector(c.doc), big.stateVector)) return
        done = true
        const tDone = performance.now()
        for (const [t, len] of Object.entries(big.lengths)) {
          if (c.doc.getText(t).length !== len) { reject(new Error(`text ${t} has ${c.doc.getText(t).length} chars, want ${len}`)); return }
        }
        resolve({ reader, recv: tRecv - t0, done: tDone - t0 })
      }
    })
    t0 = performance.now()
    reader.open(timeoutMs).catch(reject)
    setTimeout(() => { if (!done) { reader.close(); reject(new Error(`document not complete after ${timeoutMs / 1000} s`)) } }, timeoutMs).unref()
  })
}

async function scenarioC (name, opts, big) {
  // Push the document with one client, check a second one receives all of it, then stop.
  await withServer(name, opts, async (h) => {
    let storedBytes = 0
    if (name === 'hocuspocus') {
      h.child.stdout.on('data', (d) => {
        for (const m of d.toString().matchAll(/"bytes":(\d+)/g)) storedBytes = Math.max(storedBytes, Number(m[1]))
      })
    }
    const pusher = await new BenchClient(h, 'c-doc', { awareness: false }).open()
    for (const chunk of big.chunks) pusher.sendSync(2, chunk)
    const { reader } = await coldRead(h, big, 120000)
    reader.close()
    pusher.close()
    if (name === 'hocuspocus') {
      // Stored after the last client left; wait for a store holding (about) the whole state.
      const t = performance.now()
      while (storedBytes < big.bytes * 0.98 && performance.now() - t < 30000) await sleep(100)
      if (storedBytes < big.bytes * 0.98) throw new Error('hocuspocus did not store the document')
    }
    if (name === 'y-websocket-server') await sleep(2000) // LevelDB writes are asynchronous
  })
  const recv = []
  const done = []
  let rss = 0
  for (let r = 0; r < CFG.cReps; r++) {
    await withServer(name, opts, async (h) => {
      const { reader, recv: tr, done: td } = await coldRead(h, big, 120000)
      recv.push(tr)
      done.push(td)
      rss = Math.max(rss, memory(h.pid).rss)
      reader.close()
    })
  }
  recv.sort((a, b) => a - b)
  done.sort((a, b) => a - b)
  const med = (a) => a[Math.floor(a.length / 2)]
  row('C', `cold open ${(big.bytes / 1e6).toFixed(1)} MB: received (ms)`, '>= 10x faster than best peer', 0).values[name] = med(recv)
  row('C', 'cold open incl. client apply (ms)', '', 0).values[name] = med(done)
  row('C', 'server RSS after the open (MiB)').values[name] = rss / 1048576
  log(`  ${name}: received in ${recv.map((x) => x.toFixed(0)).join(', ')} ms; with the client's apply ` +
    `${done.map((x) => x.toFixed(0)).join(', ')} ms`)
}

// --- table ------------------------------------------------------------------------------------

function fmt (v, digits) {
  if (v === undefined) return '-'
  if (typeof v === 'string') return v
  if (!Number.isFinite(v)) return 'n/a'
  return v.toFixed(digits)
}

function printTable () {
  const header = ['scenario', 'metric', ...SERVER_NAMES, 'accordd / best peer', 'target']
  const body = rows.map((r) => {
    const peerVals = PEERS.map((p) => r.values[p]).filter((v) => typeof v === 'number' && Number.isFinite(v))
    const a = r.values.accordd
    let ratio = ''
    if (typeof a === 'number' && peerVals.length) {
      const best = Math.min(...peerVals)
      if (best > 0 && a > 0) ratio = a <= best ? `${(a / best).toFixed(2)} (1/${(best / a).toFixed(1)})` : `${(a / best).toFixed(2)}`
    }
    return [r.scenario, r.metric, ...SERVER_NAMES.map((s) => fmt(r.values[s], r.digits)), ratio, r.target]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)))
  const line = (cells) => cells.map((c, i) => (i < 2 || i === cells.length - 1 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')
  log(line(header))
  log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const b of body) log(line(b))
}

// --- main -------------------------------------------------------------------------------------

async function main () {
  const started = performance.now()
  log(`server bench${SMOKE ? ' (smoke)' : ''} on ${os.cpus().length} CPUs, load average ` +
    `${os.loadavg()[0].toFixed(1)}: A ${CFG.aDocs} docs; B ${CFG.bClients} clients, ` +
    `${CFG.bTypists} typing ${CFG.bRate}/s for ${CFG.bSeconds} s (generator: ${B_WORKERS} worker threads); ` +
    `C ${(CFG.cBytes / 1e6).toFixed(2)} MB x ${CFG.cReps}; accordd --threads ${accorddThreads()}`)

  const skip = {}
  if (SERVERS.includes('accordd')) {
    try {
      await withServer('accordd', accordOpts(), async (h) => {
        const why = await probeWebSocket(h)
        if (why) throw new Error(why)
      })
    } catch (e) {
      skip.accordd = e.message.split('\n')[0]
    }
  }
  const servers = SERVERS.filter((s) => !skip[s])
  for (const [s, why] of Object.entries(skip)) {
    log(`SKIPPING ${s}: ${why}`)
    notes.push(`${s} skipped: ${why}`)
  }

  const optsFor = (name, persist) => {
    if (name === 'accordd') return accordOpts()
    return persist ? { persistDir: makeTempDir(name) } : {}
  }
  const scenarios = {
    A: { title: `A: ${CFG.aDocs} documents, one idle client each`, run: (s) => scenarioA(s, optsFor(s)), ms: 180000 },
    B: {
      title: `B: one document, ${CFG.bClients} clients, ${CFG.bTypists} typing ${CFG.bRate} edits/s for ${CFG.bSeconds} s`,
      run: (s) => scenarioB(s, optsFor(s)),
      ms: (CFG.bSeconds + 120) * 1000
    },
    C: { title: 'C: cold open of a large document', run: null, ms: 300000 }
  }
  let big = null
  for (const sc of SCENARIOS) {
    const def = scenarios[sc]
    if (!def) continue
    log(`\n=== ${def.title}`)
    if (sc === 'C') {
      big = bigDocument(CFG.cBytes, { log, traces: !SMOKE })
      log(`  document: ${(big.bytes / 1e6).toFixed(2)} MB encoded, ${big.chunks.length} pushes, ` +
        `${Object.values(big.lengths).reduce((a, b) => a + b, 0)} characters`)
      // Warm the generator's Yjs up first, so the first server measured is not charged for it.
      for (let i = 0; i < 2; i++) Y.applyUpdate(new Y.Doc(), big.update)
      def.run = (s) => scenarioC(s, optsFor(s, true), big)
    }
    for (const s of servers) {
      try {
        await deadline(def.run(s), def.ms, `${sc}/${s}`)
      } catch (e) {
        const msg = e.message.split('\n')[0].slice(0, 300)
        log(`  ${s}: FAILED: ${msg}`)
        notes.push(`${sc}/${s} failed: ${msg}`)
        failures.push([sc, s])
        for (const h of live) { h.child.kill('SIGKILL'); live.delete(h) }
        for (const w of liveWorkers) { w.terminate(); liveWorkers.delete(w) }
      }
    }
  }

  for (const [sc, s] of failures) {
    if (!rows.some((x) => x.scenario === sc)) row(sc, 'run', '', 0)
    for (const r of rows.filter((x) => x.scenario === sc)) r.values[s] ??= 'failed'
  }
  log('\n=== results (lower is better everywhere; ratio = accordd / best peer)')
  printTable()
  if (notes.length) {
    log('\nnotes:')
    for (const n of notes) log(`  - ${n}`)
  }
  log(`\nserver bench took ${((performance.now() - started) / 1000).toFixed(0)} s`)
  if (env.BENCH_JSON) fs.writeFileSync(env.BENCH_JSON, JSON.stringify({ config: CFG, rows, notes }, null, 2))
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1) })
