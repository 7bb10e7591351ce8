// Writes a trace as the flat binary file the C++ benchmark (crdt_trace_bench) replays:
//   lib0 varUint(numTxns), then per txn varUint(numPatches), then per patch
//   varUint(posUtf16) varUint(delUtf16) varString(insertText)
// plus END.txt holding the expected final text (UTF-8).
// Usage: node bench/prepare-trace.mjs TRACE_NAME_OR_PATH [OUT_DIR]
//   writes OUT_DIR/<name>.bin and OUT_DIR/<name>.END.txt (default OUT_DIR: <repo>/build/bench-traces)
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as encoding from 'lib0/encoding'
import { loadTrace, repo } from './trace-util.mjs'

export function encodeTrace (trace) {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, trace.txns.length)
  for (const t of trace.txns) {
    encoding.writeVarUint(e, t.length)
    for (const [pos, del, ins] of t) {
      encoding.writeVarUint(e, pos)
      encoding.writeVarUint(e, del)
      encoding.writeVarString(e, ins)
    }
  }
  return encoding.toUint8Array(e)
}

export function prepareTrace (nameOrPath, outDir = path.join(repo, 'build', 'bench-traces')) {
  const trace = loadTrace(nameOrPath)
  mkdirSync(outDir, { recursive: true })
  const bin = path.join(outDir, `${trace.name}.bin`)
  const end = path.join(outDir, `${trace.name}.END.txt`)
  writeFileSync(bin, encodeTrace(trace))
  writeFileSync(end, trace.end, 'utf8')
  return { trace, bin, end }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, out] = process.argv.slice(2)
  if (!name) {
    console.error('usage: node bench/prepare-trace.mjs TRACE_NAME_OR_PATH [OUT_DIR]')
    process.exit(2)
  }
  const r = prepareTrace(name, out)
  console.log(JSON.stringify({ trace: r.trace.name, txns: r.trace.txns.length, edits: r.trace.edits, bin: r.bin, end: r.end }))
}
