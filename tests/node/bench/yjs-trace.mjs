// Yjs peer of the C++ trace benchmark. Prints one JSON line.
//   node --expose-gc bench/yjs-trace.mjs --trace NAME [--repeat N] [--single-txn]
//     replays the trace N times end to end (repetition k shifts positions by k * |END|) as local
//     edits into a Y.Text, one transaction per trace transaction (or all in one with
//     --single-txn); checks the text, encodes v1 and v2, loads each into a fresh doc.
//     {replay_ms, encode_v1_ms, encode_v2_ms, load_v1_ms, load_v2_ms, v1_bytes, v2_bytes,
//      doc_mem_bytes, ok}
//   node --expose-gc bench/yjs-trace.mjs --load-v2 FILE
//     {load_ms, encode_v1_ms, doc_mem_bytes, ok, text_length}
// doc_mem_bytes is the JS heap (+ external) retained by the document after a full GC.
import { readFileSync } from 'node:fs'
import * as Y from 'yjs'
import { loadTrace, gc, heapBytes, median, parseArgs } from './trace-util.mjs'

const opts = parseArgs(process.argv.slice(2), { trace: '', repeat: 1, singleTxn: false, loadV2: '', runs: 5 })

function timeIt (fn) {
  const t0 = performance.now()
  const r = fn()
  return [performance.now() - t0, r]
}

function replay (trace, repeat, singleTxn) {
  const doc = new Y.Doc()
  const text = doc.getText('text')
  const endLen = trace.end.length
  const run = () => {
    for (let k = 0; k < repeat; k++) {
      const shift = k * endLen
      for (const txn of trace.txns) {
        const apply = () => {
          for (const [pos, del, ins] of txn) {
            if (del > 0) text.delete(pos + shift, del)
            if (ins.length > 0) text.insert(pos + shift, ins)
          }
        }
        if (singleTxn) apply(); else doc.transact(apply)
      }
    }
  }
  if (singleTxn) doc.transact(run); else run()
  return doc
}

// Median time of `runs` loads of `update`, each into a fresh document.
function loadTimes (update, v2, runs) {
  let doc = null
  const times = []
  for (let i = 0; i < runs; i++) {
    if (doc) doc.destroy()
    gc()
    doc = new Y.Doc()
    const t0 = performance.now()
    if (v2) Y.applyUpdateV2(doc, update); else Y.applyUpdate(doc, update)
    times.push(performance.now() - t0)
  }
  return [median(times), doc]
}

function encodeTimes (doc, v2, runs) {
  const times = []
  let out
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    out = v2 ? Y.encodeStateAsUpdateV2(doc) : Y.encodeStateAsUpdate(doc)
    times.push(performance.now() - t0)
  }
  return [median(times), out]
}

if (opts.loadV2) {
  const update = readFileSync(opts.loadV2)
  gc()
  const m0 = heapBytes()
  const [loadMs, doc] = loadTimes(update, true, opts.runs)
  gc()
  const mem = heapBytes() - m0
  const [encMs, v1] = encodeTimes(doc, false, opts.runs)
  const text = doc.getText('text').toString()
  console.log(JSON.stringify({ impl: 'yjs', file: opts.loadV2, load_ms: loadMs, encode_v1_ms: encMs, v1_bytes: v1.length, doc_mem_bytes: mem, text_length: text.length, ok: true }))
} else {
  if (!opts.trace) { console.error('usage: yjs-trace.mjs --trace NAME [--repeat N] [--single-txn] | --load-v2 FILE'); process.exit(2) }
  const trace = loadTrace(opts.trace)
  const expected = trace.end.repeat(opts.repeat)
  gc()
  const m0 = heapBytes()
  const [replayMs, doc] = timeIt(() => replay(trace, opts.repeat, opts.singleTxn))
  gc()
  const mem = heapBytes() - m0
  let ok = doc.getText('text').toString() === expected
  const [encV1Ms, v1] = encodeTimes(doc, false, opts.runs)
  const [encV2Ms, v2] = encodeTimes(doc, true, opts.runs)
  const [loadV1Ms, d1] = loadTimes(v1, false, opts.runs)
  ok = ok && d1.getText('text').toString() === expected
  d1.destroy()
  const [loadV2Ms, d2] = loadTimes(v2, true, opts.runs)
  ok = ok && d2.getText('text').toString() === expected
  console.log(JSON.stringify({
    impl: 'yjs', trace: trace.name, repeat: opts.repeat, single_txn: opts.singleTxn, edits: trace.edits * opts.repeat,
    replay_ms: replayMs, encode_v1_ms: encV1Ms, encode_v2_ms: encV2Ms, load_v1_ms: loadV1Ms, load_v2_ms: loadV2Ms,
    v1_bytes: v1.length, v2_bytes: v2.length, doc_mem_bytes: mem, ok
  }))
}
