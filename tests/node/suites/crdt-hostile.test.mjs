// Hostile input for ydoc: truncated updates, mutated real updates, absurd lengths and counts,
// clocks at 2^53, deep nesting. ydoc must never crash (signals, sanitizer reports, time-outs all
// fail), must reject what Yjs rejects with exit 1 and a one-line error, and must still work on a
// valid file afterwards.
//
// Env: CRDT_HOSTILE_SEED (reproduce), CRDT_HOSTILE_MUTATIONS (default 200), YDOC / ACCORD_BIN_DIR.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { Rng, caseSeed, freshSeed } from '../lib/rng.mjs'
import { generateSession } from '../lib/crdt-session.mjs'
import { craftedInputs, mutate } from '../lib/hostile-inputs.mjs'
import { requireYdoc, ydocPath, runYdoc, crashReason, describeRun } from '../lib/ydoc.mjs'

const seed = process.env.CRDT_HOSTILE_SEED !== undefined ? Number(process.env.CRDT_HOSTILE_SEED) >>> 0 : freshSeed()
const numMutations = Number(process.env.CRDT_HOSTILE_MUTATIONS) || 200
const TIMEOUT_MS = 20000
// The Yjs stand-in hangs where Yjs does; for it, time-outs are noted instead of failed.
const oracle = path.basename(ydocPath()).startsWith('ydoc-oracle')
console.log(`crdt-hostile: seed=${seed} ydoc=${ydocPath()} (reproduce: CRDT_HOSTILE_SEED=${seed})`)

const workDir = mkdtempSync(path.join(tmpdir(), `crdt-hostile-${seed}-`))
let kept = false
let fileCounter = 0
function writeInput (bytes, ext) {
  const p = path.join(workDir, `in${String(fileCounter++).padStart(4, '0')}.${ext}`)
  writeFileSync(p, bytes)
  return p
}

// Real updates to corrupt, from a few random sessions.
function realUpdates (count) {
  const out = []
  for (let i = 0; out.length < count; i++) {
    const s = generateSession(new Rng(caseSeed(seed, i)))
    const rng = new Rng(caseSeed(seed ^ 0x5bd1e995, i))
    for (const u of rng.shuffle(s.updates.slice()).slice(0, 12)) if (u.v1.length > 2) out.push(u)
  }
  return out.slice(0, count)
}

function yjsState (bytes, v2) {
  try {
    const doc = new Y.Doc({ gc: true })
    if (v2) Y.applyUpdateV2(doc, bytes); else Y.applyUpdate(doc, bytes)
    return Y.encodeStateAsUpdate(doc)
  } catch {
    return null
  }
}

// Checks one run; returns a problem description or null.
function judge (what, args, r, expect, yjsOut) {
  const crash = crashReason(r)
  if (crash) return `${what}: CRASH (${crash})\n${describeRun(args, r)}`
  if (r.code === 1) {
    const line = r.stderr.replace(/\n$/, '')
    if (line.length === 0 || line.includes('\n')) return `${what}: exit 1 but stderr is not one line\n${describeRun(args, r)}`
    return null
  }
  if (r.code !== 0) return `${what}: unexpected exit ${r.code}\n${describeRun(args, r)}`
  if (expect === 'fail') return `${what}: accepted (exit 0) although Yjs rejects it\n${describeRun(args, r)}`
  if (expect === 'same-or-fail' && yjsOut && Buffer.compare(Buffer.from(yjsOut), r.stdout) !== 0) {
    return `${what}: accepted but its state differs from Yjs's (${yjsOut.length} vs ${r.stdout.length} bytes)\n${describeRun(args, r)}`
  }
  return null
}

function finish (problems) {
  if (problems.length > 0) kept = true
  assert.equal(problems.length, 0,
    `seed ${seed}; inputs kept in ${workDir}\n${problems.slice(0, 20).join('\n')}`)
}

test('crafted inputs: absurd lengths and counts, unknown refs, 2^53 clocks, deep nesting', { timeout: 10 * 60 * 1000 }, async () => {
  requireYdoc()
  const valid = realUpdates(1)[0]
  const validFile = writeInput(valid.v1, 'v1')
  const problems = []
  await Promise.all(craftedInputs().filter(h => !(oracle && h.yjsHangs)).map(async (h) => {
    const file = writeInput(h.bytes, h.format)
    const runs = []
    if (h.format === 'sv') {
      runs.push(['diff', file, validFile])
    } else {
      const fmt = h.format === 'v2' ? ['--v2'] : []
      runs.push(['state', ...fmt, file])
      runs.push(['json', ...fmt, '--root', 'text:text', '--root', 'array:array', '--root', 'map:map', file])
    }
    for (const args of runs) {
      const r = await runYdoc(args, { timeoutMs: TIMEOUT_MS })
      const yjsOut = args[0] === 'state' && h.expect === 'same-or-fail' ? yjsState(h.bytes, h.format === 'v2') : null
      const p = judge(`${h.name} [${args[0]}] (${path.basename(file)})`, args, r, h.expect, yjsOut)
      if (p) problems.push(p)
    }
  }))
  finish(problems)
})

test('truncated real updates are rejected (state and merge)', { timeout: 10 * 60 * 1000 }, async () => {
  requireYdoc()
  const rng = new Rng(caseSeed(seed, 1000))
  const problems = []
  const jobs = []
  const updates = realUpdates(60)
  for (const u of updates) {
    for (const v2 of [false, true]) {
      const bytes = v2 ? u.v2 : u.v1
      const cut = rng.pick([0, 1, bytes.length - 1, rng.int(0, bytes.length - 1)])
      const file = writeInput(bytes.subarray(0, cut), v2 ? 'v2' : 'v1')
      jobs.push({ what: `truncated ${v2 ? 'v2' : 'v1'} update to ${cut}/${bytes.length} bytes`, args: ['state', ...(v2 ? ['--v2'] : []), file] })
      if (rng.bool(0.3)) {
        // Yjs passes a single update through merge untouched, so merge it with a valid one.
        const other = writeInput(v2 ? updates[0].v2 : updates[0].v1, v2 ? 'v2' : 'v1')
        jobs.push({ what: `merge of a truncated ${v2 ? 'v2' : 'v1'} update (${cut}/${bytes.length})`, args: ['merge', ...(v2 ? ['--v2'] : []), other, file] })
      }
    }
  }
  await Promise.all(jobs.map(async (j) => {
    const r = await runYdoc(j.args, { timeoutMs: TIMEOUT_MS })
    const p = judge(j.what, j.args, r, 'fail', null)
    if (p) problems.push(p)
  }))
  finish(problems)
})

test(`${numMutations} mutated real updates never crash ydoc`, { timeout: 15 * 60 * 1000 }, async (t) => {
  requireYdoc()
  const rng = new Rng(caseSeed(seed, 2000))
  const updates = realUpdates(Math.min(numMutations, 80))
  const problems = []
  let accepted = 0
  const yjsHangs = []
  await Promise.all(Array.from({ length: numMutations }, async (_, i) => {
    const u = updates[i % updates.length]
    const v2 = rng.bool()
    const m = mutate(rng, v2 ? u.v2 : u.v1, (v2 ? updates[(i + 1) % updates.length].v2 : updates[(i + 1) % updates.length].v1))
    const file = writeInput(m.bytes, v2 ? 'v2' : 'v1')
    const command = rng.pick(['state', 'state', 'sv', 'json', 'merge'])
    const fmt = v2 ? ['--v2'] : []
    const args = command === 'json'
      ? ['json', ...fmt, '--root', 'text:delta', '--root', 'rich:text', '--root', 'map:map', '--root', 'array:array', '--root', 'prosemirror:xml', file]
      : command === 'merge'
        ? ['merge', ...fmt, writeInput(v2 ? u.v2 : u.v1, v2 ? 'v2' : 'v1'), file]
        : [command, ...fmt, file]
    const r = await runYdoc(args, { timeoutMs: TIMEOUT_MS })
    if (oracle && r.timedOut) {
      yjsHangs.push(`mutation ${i} (${m.how}) [${command}] ${path.basename(file)}`)
      kept = true
      return
    }
    const p = judge(`mutation ${i} (${m.how}) of a ${v2 ? 'v2' : 'v1'} update [${command}] (${path.basename(file)})`, args, r, 'any', null)
    if (p) problems.push(p)
    // Not compared with Yjs in-process: Yjs can loop forever on such input.
    if (r.code === 0) accepted++
  }))
  if (yjsHangs.length > 0) t.diagnostic(`the Yjs stand-in hung (as Yjs does) on: ${yjsHangs.join('; ')} (kept in ${workDir})`)
  t.diagnostic(`mutations: ${accepted} of ${numMutations} runs accepted the input (exit 0)`)
  finish(problems)
})

test('usage errors exit 2, and a valid file still works afterwards', async () => {
  requireYdoc()
  const problems = []
  const u = realUpdates(3)
  const f1 = writeInput(u[1].v1, 'v1')
  const f2 = writeInput(u[2].v2, 'v2')
  for (const args of [[], ['frobnicate', f1], ['state', '--no-such-flag', f1], ['json', '--root', 'x:bogus', f1], ['json', f1]]) {
    const r = await runYdoc(args)
    const crash = crashReason(r)
    if (crash || r.code !== 2) problems.push(`usage error should exit 2\n${describeRun(args, r)}`)
  }
  const missing = ['state', path.join(workDir, 'does-not-exist.bin')]
  const rm = await runYdoc(missing)
  if (crashReason(rm) || (rm.code !== 1 && rm.code !== 2)) problems.push(`missing file should exit 1 or 2\n${describeRun(missing, rm)}`)

  const doc = new Y.Doc({ gc: true })
  Y.applyUpdate(doc, u[1].v1)
  Y.applyUpdateV2(doc, u[2].v2)
  const r1 = await runYdoc(['state', f1])
  const expect1 = yjsState(u[1].v1, false)
  if (r1.code !== 0 || Buffer.compare(Buffer.from(expect1), r1.stdout) !== 0) problems.push(`valid v1 file after hostile runs\n${describeRun(['state', f1], r1)}`)
  const f2v1 = writeInput(u[2].v1, 'v1')
  const r2 = await runYdoc(['state', '--out-v2', f1, f2v1])
  if (r2.code !== 0 || Buffer.compare(Buffer.from(Y.encodeStateAsUpdateV2(doc)), r2.stdout) !== 0) problems.push(`valid files after hostile runs\n${describeRun(['state', '--out-v2', f1, f2v1], r2)}`)
  finish(problems)
})

test('cleanup', () => {
  if (!kept) rmSync(workDir, { recursive: true, force: true })
  else console.log(`crdt-hostile: failing inputs kept in ${workDir}`)
})
