// Builds the large document of the cold-open scenario: real editing histories from
// /work/shared/traces (when present) replayed into one Y.Text each, then generated writing by
// 20 authors (sentences inserted at moving cursors, some deletions) into Y.Text 'body' until
// the encoded state reaches the target size. Kept as a list of incremental updates (each well
// under any server's message limit) so a client can push it piece by piece. Cached in .cache/.
import fs from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const CACHE_VERSION = 2
const TRACES = ['automerge-paper', 'rustcode', 'sveltecomponent', 'friendsforever_flat']
const WORDS = ('the of and to in is that for it as with was on be by this are or from at an ' +
  'server client document update merge state vector clock insert delete text editor cursor ' +
  'network latency memory replica conflict offline sync history paragraph sentence').split(' ')

function prng (seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function tracesDir () {
  return process.env.BENCH_TRACES_DIR || '/work/shared/traces'
}

function replayTraces (doc, chunks, log) {
  let clientID = 1000
  for (const name of TRACES) {
    const file = path.join(tracesDir(), `${name}.json.gz`)
    if (!fs.existsSync(file)) continue
    const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)))
    doc.clientID = clientID++
    const text = doc.getText(name)
    const before = Y.encodeStateVector(doc)
    for (const txn of trace.txns) {
      doc.transact(() => {
        for (const [pos, del, ins] of txn.patches) {
          // Positions count code points; these traces are BMP-only, where that equals UTF-16.
          if (del) text.delete(pos, del)
          if (ins) text.insert(pos, ins)
        }
      })
    }
    chunks.push(Y.encodeStateAsUpdate(doc, before))
    log(`  trace ${name}: ${trace.txns.length} transactions`)
  }
}

function generateWriting (doc, chunks, targetBytes) {
  const rand = prng(42)
  const text = doc.getText('body')
  const authors = Array.from({ length: 20 }, (_, i) => ({ id: 2000 + i, cursor: 0 }))
  // Diff updates overlap in their delete sets, so measure the real encoded size each round.
  while (Y.encodeStateAsUpdate(doc).length < targetBytes) {
    const before = Y.encodeStateVector(doc)
    for (let op = 0; op < 2000; op++) {
      const a = authors[Math.floor(rand() * authors.length)]
      doc.clientID = a.id
      const len = text.length
      if (rand() < 0.1 || a.cursor > len) a.cursor = Math.floor(rand() * (len + 1))
      if (rand() < 0.15 && len > 40) {
        const n = 1 + Math.floor(rand() * 30)
        const at = Math.min(a.cursor, len - n)
        text.delete(at, n)
        a.cursor = at
      } else {
        let s = ''
        const words = 3 + Math.floor(rand() * 12)
        for (let w = 0; w < words; w++) s += WORDS[Math.floor(rand() * WORDS.length)] + ' '
        text.insert(a.cursor, s)
        a.cursor += s.length
      }
    }
    chunks.push(Y.encodeStateAsUpdate(doc, before))
  }
}

// Returns { chunks, update (the whole state), stateVector, bytes, lengths: {text: length} }.
export function bigDocument (targetBytes, { log = () => {}, traces = true } = {}) {
  const cacheDir = path.join(here, '..', '.cache')
  const cacheFile = path.join(cacheDir, `doc-v${CACHE_VERSION}-${targetBytes}-${traces ? 't' : 'g'}.bin`)
  if (fs.existsSync(cacheFile)) {
    try { return v8.deserialize(fs.readFileSync(cacheFile)) } catch {}
  }
  const t0 = performance.now()
  const doc = new Y.Doc()
  const chunks = []
  if (traces) replayTraces(doc, chunks, log)
  generateWriting(doc, chunks, targetBytes)
  const update = Y.encodeStateAsUpdate(doc)
  const lengths = {}
  for (const [name] of doc.share) lengths[name] = doc.getText(name).length
  const result = { chunks, update, stateVector: Y.encodeStateVector(doc), bytes: update.length, lengths }
  log(`  built a ${(update.length / 1e6).toFixed(2)} MB document (${chunks.length} pieces) in ` +
    `${((performance.now() - t0) / 1000).toFixed(1)} s`)
  try {
    fs.mkdirSync(cacheDir, { recursive: true })
    fs.writeFileSync(cacheFile, v8.serialize(result))
  } catch {}
  return result
}
