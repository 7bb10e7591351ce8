// Differential test of the C++ crdt library (through the ydoc tool) against Yjs 13.6.33:
// seeded random multi-client sessions over every shared type, updates delivered shuffled and
// partly held back, then state (v1, v2), state vector, diffs, merges and JSON of every root must
// come out identical to what Yjs produces for the same update files.
//
// Env: CRDT_DIFF_CASES (default 500), CRDT_DIFF_SEED (reproduce a run), CRDT_DIFF_CASE (run only
// that case number of the seed), CRDT_JOBS (parallel ydoc processes, default: CPU count),
// YDOC / ACCORD_BIN_DIR (which ydoc).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { Rng, caseSeed, freshSeed } from '../lib/rng.mjs'
import { generateSession, pickStateVectors, ROOTS } from '../lib/crdt-session.mjs'
import { rootsJson, normalizeJson } from '../lib/yjs-json.mjs'
import { requireYdoc, ydocPath, runYdoc, crashReason, describeRun, defaultJobs } from '../lib/ydoc.mjs'

const seed = process.env.CRDT_DIFF_SEED !== undefined ? Number(process.env.CRDT_DIFF_SEED) >>> 0 : freshSeed()
const only = process.env.CRDT_DIFF_CASE !== undefined ? Number(process.env.CRDT_DIFF_CASE) : null
const numCases = only !== null ? 1 : (Number(process.env.CRDT_DIFF_CASES) || 500)
const MAX_FAILED_CASES = 5 // stop early: the first few failures say enough

function firstDifference (a, b) {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i
  return a.length === b.length ? -1 : n
}

// Builds one case: the update files and, for each ydoc call, the args and the Yjs answer.
function buildCase (index) {
  const rng = new Rng(caseSeed(seed, index))
  const session = generateSession(rng)
  const { updates, inputs, mergeInputs } = session
  const files = new Map() // file name -> bytes
  const fileOf = (i, v2) => {
    const name = `u${String(i).padStart(3, '0')}.${v2 ? 'v2' : 'v1'}`
    files.set(name, v2 ? updates[i].v2 : updates[i].v1)
    return name
  }

  const doc = new Y.Doc({ gc: true })
  for (const i of inputs) Y.applyUpdate(doc, updates[i].v1)
  // Self-check of the harness: the v2 files must give Yjs the same document.
  const doc2 = new Y.Doc({ gc: true })
  for (const i of inputs) Y.applyUpdateV2(doc2, updates[i].v2)
  assert.deepEqual(Y.encodeStateAsUpdateV2(doc2), Y.encodeStateAsUpdateV2(doc),
    `harness: Yjs itself disagrees between v1 and v2 inputs (seed ${seed} case ${index})`)
  doc2.destroy()

  // Document commands read the v1 or the v2 files, at random: [flags, files].
  const docInputs = () => {
    const v2 = rng.bool()
    return [v2 ? ['--v2'] : [], inputs.map(i => fileOf(i, v2))]
  }
  const docArgs = () => docInputs().flat()
  const checks = []
  checks.push({ name: 'state v1', args: ['state', ...docArgs()], expect: Y.encodeStateAsUpdate(doc) })
  checks.push({ name: 'state --out-v2', args: ['state', '--out-v2', ...docArgs()], expect: Y.encodeStateAsUpdateV2(doc) })
  checks.push({ name: 'sv', args: ['sv', ...docArgs()], expect: Y.encodeStateVector(doc) })
  pickStateVectors(rng, doc, session.snapshots).forEach((sv, k) => {
    const svName = `sv${k}.bin`
    files.set(svName, sv)
    const outV2 = rng.bool(0.35)
    checks.push({
      name: `diff sv${k}${outV2 ? ' --out-v2' : ''}`,
      args: (([flags, names]) => ['diff', ...(outV2 ? ['--out-v2'] : []), ...flags, svName, ...names])(docInputs()),
      expect: outV2 ? Y.encodeStateAsUpdateV2(doc, sv) : Y.encodeStateAsUpdate(doc, sv)
    })
  })
  checks.push({
    name: 'merge v1',
    args: ['merge', ...mergeInputs.map(i => fileOf(i, false))],
    expect: Y.mergeUpdates(mergeInputs.map(i => updates[i].v1))
  })
  const mv = rng.int(0, 2)
  if (mv === 0) {
    checks.push({
      name: 'merge --v2 --out-v2',
      args: ['merge', '--v2', '--out-v2', ...mergeInputs.map(i => fileOf(i, true))],
      expect: Y.mergeUpdatesV2(mergeInputs.map(i => updates[i].v2))
    })
  } else if (mv === 1) {
    checks.push({
      name: 'merge --v2 (v1 out)',
      args: ['merge', '--v2', ...mergeInputs.map(i => fileOf(i, true))],
      expect: Y.convertUpdateFormatV2ToV1(Y.mergeUpdatesV2(mergeInputs.map(i => updates[i].v2)))
    })
  } else {
    checks.push({
      name: 'merge --out-v2 (v1 in)',
      args: ['merge', '--out-v2', ...mergeInputs.map(i => fileOf(i, false))],
      expect: Y.convertUpdateFormatV1ToV2(Y.mergeUpdates(mergeInputs.map(i => updates[i].v1)))
    })
  }
  // Text roots are asked for as plain text or as a delta, at random.
  const roots = Object.entries(ROOTS).map(([name, kind]) => [name, kind === 'text' && rng.bool() ? 'delta' : kind])
  checks.push({
    name: 'json',
    args: ['json', ...roots.flatMap(([n, k]) => ['--root', `${n}:${k}`]), ...docArgs()],
    expectJson: rootsJson(doc, roots)
  })
  doc.destroy()
  return { index, description: session.description, files, checks }
}

async function runCase (c, keepRoot) {
  const dir = mkdtempSync(path.join(keepRoot, `case-${c.index}-`))
  for (const [name, bytes] of c.files) writeFileSync(path.join(dir, name), bytes)
  const results = await Promise.all(c.checks.map(ch => runYdoc(ch.args, { cwd: dir })))
  const problems = []
  c.checks.forEach((ch, k) => {
    const r = results[k]
    const crash = crashReason(r)
    if (crash || r.code !== 0) {
      problems.push(`${ch.name}: ${crash || 'failed'}\n${describeRun(ch.args, r)}`)
      return
    }
    if (ch.expectJson !== undefined) {
      let actual
      try { actual = normalizeJson(r.stdout.toString('utf8')) } catch (e) {
        problems.push(`${ch.name}: output is not JSON (${e.message}): ${r.stdout.toString('utf8').slice(0, 300)}`)
        return
      }
      const expected = normalizeJson(c.checks[k].expectJson)
      try { assert.deepStrictEqual(actual, expected) } catch (e) {
        writeFileSync(path.join(dir, 'expected.json'), ch.expectJson + '\n')
        writeFileSync(path.join(dir, 'actual.json'), r.stdout)
        problems.push(`${ch.name}: JSON differs (expected.json / actual.json)\n${e.message.slice(0, 1500)}`)
      }
      return
    }
    const at = firstDifference(ch.expect, r.stdout)
    if (at >= 0) {
      const tag = ch.name.replace(/[^a-z0-9]+/gi, '_')
      writeFileSync(path.join(dir, `expected_${tag}.bin`), ch.expect)
      writeFileSync(path.join(dir, `actual_${tag}.bin`), r.stdout)
      problems.push(`${ch.name}: bytes differ at offset ${at} (expected ${ch.expect.length} bytes, ` +
        `got ${r.stdout.length}); files expected_${tag}.bin / actual_${tag}.bin\n  ydoc ${ch.args.join(' ')}`)
    }
  })
  if (problems.length === 0) {
    rmSync(dir, { recursive: true, force: true })
    return null
  }
  const repro = c.checks.map(ch => `"$YDOC" ${ch.args.join(' ')} > out_${ch.name.replace(/[^a-z0-9]+/gi, '_')}`).join('\n')
  writeFileSync(path.join(dir, 'repro.sh'), `#!/bin/sh\n# seed ${seed} case ${c.index}\ncd "$(dirname "$0")"\nYDOC=\${YDOC:-${ydocPath()}}\n${repro}\n`)
  writeFileSync(path.join(dir, 'case.json'), JSON.stringify({ seed, case: c.index, ...c.description }, null, 1))
  return { index: c.index, dir, description: c.description, problems }
}

test(`ydoc agrees with Yjs on ${numCases} random multi-client sessions (seed ${seed})`, { timeout: 30 * 60 * 1000 }, async (t) => {
  requireYdoc()
  const banner = `crdt-differential: seed=${seed} cases=${numCases}${only !== null ? ` (only case ${only})` : ''} ydoc=${ydocPath()} ` +
    `(reproduce: CRDT_DIFF_SEED=${seed}${only !== null ? ` CRDT_DIFF_CASE=${only}` : ''})`
  console.log(banner)
  const keepRoot = mkdtempSync(path.join(tmpdir(), `crdt-diff-${seed}-`))
  const t0 = performance.now()
  const failures = []
  let next = 0
  let done = 0
  let calls = 0
  const indices = only !== null ? [only] : [...Array(numCases).keys()]
  const worker = async () => {
    while (next < indices.length && failures.length < MAX_FAILED_CASES) {
      const c = buildCase(indices[next++])
      calls += c.checks.length
      const f = await runCase(c, keepRoot)
      done++
      if (f) {
        failures.push(f)
        console.log(`crdt-differential: seed ${seed} case ${f.index} DIFFERS; files kept in ${f.dir}\n` +
          `  ${JSON.stringify(f.description)}\n  ${f.problems.join('\n  ')}`)
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: defaultJobs() + 1 }, worker))
  } finally {
    if (failures.length === 0) rmSync(keepRoot, { recursive: true, force: true })
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1)
  const summary = `crdt-differential: ${done} cases, ${calls} ydoc calls in ${secs} s, ${failures.length} differing (seed ${seed})`
  t.diagnostic(summary)
  assert.equal(failures.length, 0,
    `ydoc differs from Yjs (seed ${seed}); reproduce with CRDT_DIFF_SEED=${seed} CRDT_DIFF_CASE=<n>:\n` +
    failures.map(f => `case ${f.index}: ${f.dir}\n  ${JSON.stringify(f.description)}\n  ${f.problems.join('\n  ')}`).join('\n'))
})
