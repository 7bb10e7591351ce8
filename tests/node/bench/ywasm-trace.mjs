// ywasm (yrs compiled to WebAssembly) peer of the C++ trace benchmark; same command line and
// JSON as yjs-trace.mjs. doc_mem_bytes is the growth of the WebAssembly memory (it never
// shrinks, so this is an upper bound) plus JS heap growth.
import { readFileSync } from 'node:fs'
import ywasm from 'ywasm'
import { loadTrace, gc, heapBytes, median, parseArgs } from './trace-util.mjs'

const opts = parseArgs(process.argv.slice(2), { trace: '', repeat: 1, singleTxn: false, loadV2: '', runs: 5 })
const wasmBytes = () => ywasm.__wasm.memory.buffer.byteLength
const memNow = () => wasmBytes() + heapBytes()

function replay (trace, repeat, singleTxn) {
  const doc = new ywasm.YDoc({})
  const text = doc.getText('text')
  const endLen = trace.end.length
  let txn = singleTxn ? doc.beginTransaction(undefined) : null
  for (let k = 0; k < repeat; k++) {
    const shift = k * endLen
    for (const patches of trace.txns) {
      if (!singleTxn) txn = doc.beginTransaction(undefined)
      for (const [pos, del, ins] of patches) {
        if (del > 0) text.delete(pos + shift, del, txn)
        if (ins.length > 0) text.insert(pos + shift, ins, undefined, txn)
      }
      if (!singleTxn) { txn.commit(); txn.free() }
    }
  }
  if (singleTxn) { txn.commit(); txn.free() }
  return doc
}

const textOf = doc => doc.getText('text').toString(undefined)

function loadTimes (update, v2, runs) {
  let doc = null
  const times = []
  for (let i = 0; i < runs; i++) {
    if (doc) doc.free()
    doc = new ywasm.YDoc({})
    const t0 = performance.now()
    if (v2) ywasm.applyUpdateV2(doc, update, undefined); else ywasm.applyUpdate(doc, update, undefined)
    times.push(performance.now() - t0)
  }
  return [median(times), doc]
}

function encodeTimes (doc, v2, runs) {
  const times = []
  let out
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    out = v2 ? ywasm.encodeStateAsUpdateV2(doc) : ywasm.encodeStateAsUpdate(doc)
    times.push(performance.now() - t0)
  }
  return [median(times), out]
}

if (opts.loadV2) {
  const update = readFileSync(opts.loadV2)
  gc()
  const m0 = memNow()
  const doc = new ywasm.YDoc({})
  const t0 = performance.now()
  ywasm.applyUpdateV2(doc, update, undefined)
  const firstMs = performance.now() - t0
  gc()
  const mem = memNow() - m0
  doc.free()
  const [loadMs, doc2] = loadTimes(update, true, Math.max(1, opts.runs - 1))
  const [encMs, v1] = encodeTimes(doc2, false, opts.runs)
  console.log(JSON.stringify({ impl: 'ywasm', file: opts.loadV2, load_ms: median([firstMs, loadMs]), encode_v1_ms: encMs, v1_bytes: v1.length, doc_mem_bytes: mem, text_length: textOf(doc2).length, ok: true }))
} else {
  if (!opts.trace) { console.error('usage: ywasm-trace.mjs --trace NAME [--repeat N] [--single-txn] | --load-v2 FILE'); process.exit(2) }
  const trace = loadTrace(opts.trace)
  const expected = trace.end.repeat(opts.repeat)
  gc()
  const m0 = memNow()
  const t0 = performance.now()
  const doc = replay(trace, opts.repeat, opts.singleTxn)
  const replayMs = performance.now() - t0
  gc()
  const mem = memNow() - m0
  let ok = textOf(doc) === expected
  const [encV1Ms, v1] = encodeTimes(doc, false, opts.runs)
  const [encV2Ms, v2] = encodeTimes(doc, true, opts.runs)
  const [loadV1Ms, d1] = loadTimes(v1, false, opts.runs)
  ok = ok && textOf(d1) === expected
  d1.free()
  const [loadV2Ms, d2] = loadTimes(v2, true, opts.runs)
  ok = ok && textOf(d2) === expected
  console.log(JSON.stringify({
    impl: 'ywasm', trace: trace.name, repeat: opts.repeat, single_txn: opts.singleTxn, edits: trace.edits * opts.repeat,
    replay_ms: replayMs, encode_v1_ms: encV1Ms, encode_v2_ms: encV2Ms, load_v1_ms: loadV1Ms, load_v2_ms: loadV2Ms,
    v1_bytes: v1.length, v2_bytes: v2.length, doc_mem_bytes: mem, ok
  }))
}
