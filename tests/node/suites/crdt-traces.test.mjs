// Real-world conformance: the eg-walker paper's Yjs v2 update files (<repo>/../shared/traces/
// yjs-updates/*.yjs: sequential, concurrent and long-diverging editing sessions, one Y.Text root
// named "text" each) must load in ydoc to the same text as in Yjs and re-encode, v1 and v2, to
// the same bytes as Yjs re-encodes them. Skips only when the traces directory is absent.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { requireYdoc, runYdoc, crashReason, describeRun } from '../lib/ydoc.mjs'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const dir = process.env.ACCORD_TRACES_DIR
  ? path.join(process.env.ACCORD_TRACES_DIR, 'yjs-updates')
  : path.resolve(repo, '..', 'shared', 'traces', 'yjs-updates')
const files = existsSync(dir) ? readdirSync(dir).filter(f => f.endsWith('.yjs')).sort() : []
const skip = files.length === 0 ? `no Yjs trace files: ${dir} is absent or empty` : false
if (skip) console.log(`crdt-traces: SKIPPED, ${skip}`)

// Root names and kinds, found by looking at what the update put into each root.
function rootsOf (doc) {
  const roots = []
  for (const [name, type] of doc.share) {
    let item = type._start
    while (item !== null && item.content instanceof Y.ContentDeleted) item = item.right
    if (item !== null) {
      const c = item.content
      const isText = c instanceof Y.ContentString || c instanceof Y.ContentFormat || c instanceof Y.ContentEmbed
      roots.push([name, isText ? 'text' : 'array'])
    } else if (type._start !== null) {
      roots.push([name, 'text']) // only deleted content: any list kind prints empty
    } else if (type._map.size > 0) roots.push([name, 'map'])
  }
  return roots
}

function expectOk (args, r) {
  const crash = crashReason(r)
  assert.ok(!crash && r.code === 0, `ydoc failed: ${crash || ''}\n${describeRun(args, r)}`)
}

for (const f of skip ? ['(none)'] : files) {
  test(`trace ${f}: ydoc --v2 loads the same text and re-encodes to Yjs's bytes`, { skip, timeout: 10 * 60 * 1000 }, async () => {
    requireYdoc()
    const file = path.join(dir, f)
    const doc = new Y.Doc({ gc: true })
    Y.applyUpdateV2(doc, readFileSync(file))
    const roots = rootsOf(doc)
    assert.ok(roots.length > 0, 'the trace has no content')
    const v1 = Y.encodeStateAsUpdate(doc)
    const v2 = Y.encodeStateAsUpdateV2(doc)
    const sv = Y.encodeStateVector(doc)
    const expectedJson = {}
    for (const [name, kind] of roots) expectedJson[name] = kind === 'text' ? doc.getText(name).toString() : doc.getArray(name).toJSON()

    const jsonArgs = ['json', '--v2', ...roots.flatMap(([n, k]) => ['--root', `${n}:${k}`]), file]
    const stateArgs = ['state', '--v2', file]
    const state2Args = ['state', '--v2', '--out-v2', file]
    const svArgs = ['sv', '--v2', file]
    const [rj, r1, r2, rs] = await Promise.all([jsonArgs, stateArgs, state2Args, svArgs].map(a => runYdoc(a, { timeoutMs: 5 * 60 * 1000 })))
    expectOk(jsonArgs, rj)
    const actual = JSON.parse(rj.stdout.toString('utf8'))
    for (const [name] of roots) {
      const a = actual[name]
      const e = expectedJson[name]
      if (a !== e) {
        let at = 0
        while (typeof a === 'string' && at < a.length && a[at] === e[at]) at++
        assert.fail(`root "${name}": text differs (expected ${e.length} UTF-16 units, got ${a?.length}; first difference at ${at})`)
      }
    }
    expectOk(stateArgs, r1)
    assert.ok(Buffer.compare(Buffer.from(v1), r1.stdout) === 0, `state v1 differs (expected ${v1.length} bytes, got ${r1.stdout.length})`)
    expectOk(state2Args, r2)
    assert.ok(Buffer.compare(Buffer.from(v2), r2.stdout) === 0, `state v2 differs (expected ${v2.length} bytes, got ${r2.stdout.length})`)
    expectOk(svArgs, rs)
    assert.ok(Buffer.compare(Buffer.from(sv), rs.stdout) === 0, 'state vector differs')
  })
}
