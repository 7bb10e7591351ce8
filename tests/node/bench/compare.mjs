// Runs the C++ trace benchmark (ours) and its JavaScript peers (Yjs, ywasm) in the same run and
// prints a table with ratios and the targets. Figures, not pass/fail.
//
//   node --expose-gc bench/compare.mjs [--traces a,b] [--repeats 1,10,100] [--quick] [--json FILE]
//
// Ours: $ACCORD_BIN_DIR/crdt_trace_bench (default <repo>/build/bin), contract:
//   crdt_trace_bench TRACE.bin END.txt [--single-txn] [--repeat N]
//     -> {replay_ms, encode_v1_ms, encode_v2_ms, load_v1_ms, load_v2_ms, v1_bytes, v2_bytes, doc_mem_bytes, ok}
//   crdt_trace_bench --load-v2 FILE -> {load_ms, encode_v1_ms, doc_mem_bytes, ok}
// plus *_cpu_ms (our CPU time for replay and loads; steadier than wall time on a busy machine),
// shown as rows of their own (the peers report wall time only).
// Env: BENCH_YJS_MAX_EDITS (default 3e6) and BENCH_YWASM_MAX_EDITS (default 1e6; single
// transaction: BENCH_YWASM_MAX_SINGLE_TXN_EDITS, default 1e5) cap the work given to the peers,
// which are too slow beyond that (ywasm takes minutes for automerge-paper in one transaction).
import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { prepareTrace } from './prepare-trace.mjs'
import { listYjsUpdateFiles, binDir, parseArgs, repo } from './trace-util.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const opts = parseArgs(process.argv.slice(2), {
  traces: 'automerge-paper,seph-blog1,friendsforever_flat,sveltecomponent',
  repeats: '1,10,100',
  quick: false,
  json: ''
})
const repeats = opts.quick ? [1] : opts.repeats.split(',').map(Number)
const yjsMax = Number(process.env.BENCH_YJS_MAX_EDITS) || 3e6
const ywasmMax = Number(process.env.BENCH_YWASM_MAX_EDITS) || 1e6
const ywasmSingleMax = Number(process.env.BENCH_YWASM_MAX_SINGLE_TXN_EDITS) || 1e5
const ours = path.join(binDir(), 'crdt_trace_bench')
const haveOurs = existsSync(ours)

function run (cmd, args) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    p.stdout.on('data', d => { out += d })
    p.stderr.on('data', d => { err += d })
    p.on('error', e => resolve({ error: e.message }))
    p.on('close', (code, signal) => {
      const line = out.trim().split('\n').filter(l => l.startsWith('{')).pop()
      if (code !== 0 || !line) return resolve({ error: `exit ${code}${signal ? ' ' + signal : ''}: ${err.trim().split('\n').slice(-3).join(' | ')}` })
      try { resolve(JSON.parse(line)) } catch { resolve({ error: `bad JSON: ${line.slice(0, 200)}` }) }
    })
  })
}

const node = (script, args) => run(process.execPath, ['--expose-gc', '--max-old-space-size=8192', path.join(here, script), ...args])

const rows = [] // { case, metric, ours, yjs, ywasm, target }
const notes = []
const raw = []

// Targets: [minimum speed-up over Yjs, minimum speed-up over ywasm] for times; memory is a
// maximum ratio to Yjs.
const TARGETS = {
  replay_ms: [50, null],
  encode_v1_ms: [20, 3],
  encode_v2_ms: [20, 3],
  load_v1_ms: [20, 3],
  load_v2_ms: [20, 3],
  load_ms: [20, 3],
  doc_mem_bytes: 'mem'
}

function addRows (label, o, y, w, metrics) {
  for (const m of metrics) rows.push({ label, metric: m, ours: o?.[m], yjs: y?.[m], ywasm: w?.[m] })
}

function describe (r, who) {
  if (!r) return null
  if (r.error) { notes.push(`${who}: ${r.error}`); return null }
  if (r.ok === false) notes.push(`${who}: ok=false (wrong final text or failed load)`)
  return r
}

async function main () {
  console.log(`ours: ${haveOurs ? ours : `MISSING (${ours} not built; showing the peers only)`}`)
  for (const name of opts.traces.split(',')) {
    let prepared
    try { prepared = prepareTrace(name) } catch (e) { notes.push(`${name}: cannot prepare (${e.message})`); continue }
    const edits = prepared.trace.edits
    for (const repeat of repeats) {
      for (const single of [false, true]) {
        if (single && repeat !== 1) continue // one transaction: 1x only
        const label = `${name} ${repeat}x${single ? ' 1txn' : ''}`
        const total = edits * repeat
        const flags = [...(single ? ['--single-txn'] : []), '--repeat', String(repeat)]
        process.stderr.write(`running ${label} (${total} edits)...\n`)
        const o = haveOurs ? describe(await run(ours, [prepared.bin, prepared.end, ...flags]), `ours ${label}`) : null
        let y = null
        let w = null
        if (total <= yjsMax) y = describe(await node('yjs-trace.mjs', ['--trace', name, ...flags]), `yjs ${label}`)
        else notes.push(`yjs ${label}: skipped (${total} edits > BENCH_YJS_MAX_EDITS=${yjsMax})`)
        if (total <= (single ? ywasmSingleMax : ywasmMax)) w = describe(await node('ywasm-trace.mjs', ['--trace', name, ...flags]), `ywasm ${label}`)
        else notes.push(`ywasm ${label}: skipped (${total} edits > ${single ? 'BENCH_YWASM_MAX_SINGLE_TXN_EDITS' : 'BENCH_YWASM_MAX_EDITS'}=${single ? ywasmSingleMax : ywasmMax})`)
        raw.push({ label, ours: o, yjs: y, ywasm: w })
        addRows(label, o, y, w, ['replay_ms', 'replay_cpu_ms', 'encode_v1_ms', 'encode_v2_ms', 'load_v1_ms', 'load_v1_cpu_ms', 'load_v2_ms', 'load_v2_cpu_ms', 'doc_mem_bytes', 'v1_bytes', 'v2_bytes'])
      }
    }
  }
  for (const file of listYjsUpdateFiles()) {
    const label = `load ${path.basename(file)}`
    process.stderr.write(`running ${label}...\n`)
    const o = haveOurs ? describe(await run(ours, ['--load-v2', file]), `ours ${label}`) : null
    const y = describe(await node('yjs-trace.mjs', ['--load-v2', file]), `yjs ${label}`)
    const w = describe(await node('ywasm-trace.mjs', ['--load-v2', file]), `ywasm ${label}`)
    raw.push({ label, ours: o, yjs: y, ywasm: w })
    addRows(label, o, y, w, ['load_ms', 'load_cpu_ms', 'encode_v1_ms', 'doc_mem_bytes'])
  }
  printTable()
  if (opts.json) writeFileSync(opts.json, JSON.stringify(raw, null, 1))
}

const fmt = (v, m) => v === undefined || v === null ? '-' : m.endsWith('_ms') ? v.toFixed(v < 10 ? 2 : 0) : m.endsWith('bytes') ? (v / 1024).toFixed(0) + 'K' : String(v)

function verdict (row) {
  const t = TARGETS[row.metric]
  if (!t || row.ours === undefined || row.ours === null) return ['', '', '']
  if (t === 'mem') {
    if (!row.yjs) return ['', '', '']
    const r = row.ours / row.yjs
    return [`${r.toFixed(2)}x`, '', `<=0.5x Yjs ${r <= 0.5 ? 'MET' : 'MISSED'}`]
  }
  const sy = row.yjs ? row.yjs / Math.max(row.ours, 1e-3) : null
  const sw = row.ywasm ? row.ywasm / Math.max(row.ours, 1e-3) : null
  const goals = []
  let met = true
  if (t[0] && sy !== null) { goals.push(`>=${t[0]}x Yjs`); met = met && sy >= t[0] }
  if (t[1] && sw !== null) { goals.push(`>=${t[1]}x ywasm`); met = met && sw >= t[1] }
  return [sy === null ? '' : `${sy.toFixed(1)}x`, sw === null ? '' : `${sw.toFixed(1)}x`, goals.length ? `${goals.join(', ')} ${met ? 'MET' : 'MISSED'}` : '']
}

function printTable () {
  const header = ['case', 'metric', 'ours', 'yjs', 'ywasm', 'vs yjs', 'vs ywasm', 'target']
  const lines = [header]
  for (const r of rows) {
    if (r.ours === undefined && r.yjs === undefined && r.ywasm === undefined) continue
    lines.push([r.label, r.metric, fmt(r.ours, r.metric), fmt(r.yjs, r.metric), fmt(r.ywasm, r.metric), ...verdict(r)])
  }
  const widths = header.map((_, i) => Math.max(...lines.map(l => String(l[i]).length)))
  console.log('\nspeed-ups are peer time / our time; memory is our bytes / Yjs heap growth')
  for (const l of lines) console.log(l.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd())
  if (!haveOurs) console.log(`\nours is missing: build crdt_trace_bench (make bench) — expected at ${ours}`)
  if (notes.length) console.log('\nnotes:\n  ' + notes.join('\n  '))
  const missed = rows.filter(r => verdict(r)[2].endsWith('MISSED')).length
  const met = rows.filter(r => verdict(r)[2].endsWith('MET')).length
  if (haveOurs) console.log(`\ntargets: ${met} met, ${missed} missed`)
}

main().catch(e => { console.error(e); process.exit(1) })
export { repo }
