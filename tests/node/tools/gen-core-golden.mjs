// gen-core-golden.mjs: golden vectors for the crdt document core (crdt/src/*_test.cc), made with
// the real Yjs (version pinned by tests/node/package-lock.json).
//
//   cd tests/node && node tools/gen-core-golden.mjs
//
// Output: crdt/testdata/core/*.json, deterministic (fixed client ids, seeded PRNG).
//  - replay.json: cases of updates (v1 and v2, in application order) with what a fresh
//    document holds after applying them: state (v1, v2), state vector, JSON of its roots.
//  - local.json: scripts of local edits with the update (v1) each edit emits and the final state.
import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const outDir = join(dirname(fileURLToPath(import.meta.url)), '../../../crdt/testdata/core')
mkdirSync(outDir, { recursive: true })
const hex = (u8) => Buffer.from(u8).toString('hex')

const newDoc = (clientID, gc = true) => {
  const d = new Y.Doc({ gc })
  d.clientID = clientID
  return d
}

// Records every update a doc emits, v1 and v2.
const record = (doc) => {
  const log = { v1: [], v2: [] }
  doc.on('update', u => log.v1.push(u))
  doc.on('updateV2', u => log.v2.push(u))
  return log
}

const binaryToJson = (v) => {
  if (v instanceof Uint8Array) return { $binary: Buffer.from(v).toString('base64') }
  if (Array.isArray(v)) return v.map(binaryToJson)
  if (v !== null && typeof v === 'object') {
    const o = {}
    for (const k of Object.keys(v)) o[k] = binaryToJson(v[k])
    return o
  }
  return v
}

// roots: [[name, kind]] with kind text|map|array.
const expected = (updatesV1, roots, gc = true) => {
  const d = new Y.Doc({ gc })
  for (const u of updatesV1) Y.applyUpdate(d, u)
  const json = {}
  for (const [name, kind] of roots) {
    const t = kind === 'text' ? d.getText(name) : kind === 'map' ? d.getMap(name) : d.getArray(name)
    json[name] = binaryToJson(kind === 'text' ? t.toString() : t.toJSON())
  }
  return {
    state: hex(Y.encodeStateAsUpdate(d)),
    stateV2: hex(Y.encodeStateAsUpdateV2(d)),
    sv: hex(Y.encodeStateVector(d)),
    json: JSON.stringify(json)
  }
}

const cases = []
const addCase = (name, logs, roots, { order = null, gc = true } = {}) => {
  let v1 = logs.flatMap(l => l.v1)
  let v2 = logs.flatMap(l => l.v2)
  if (order) {
    v1 = order(v1)
    v2 = order(v2)
  }
  cases.push({ name, gc, roots, updates: v1.map(hex), updatesV2: v2.map(hex), ...expected(v1, roots, gc) })
}

const sync = (a, b) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}

// 1. Plain text editing, one client.
{
  const d = newDoc(1); const log = record(d)
  const t = d.getText('t')
  t.insert(0, 'hello'); t.insert(5, ' world'); t.delete(2, 5); t.insert(0, '>> ')
  d.transact(() => { t.insert(3, 'abc'); t.insert(6, 'def'); t.delete(0, 1) })
  addCase('text-basic', [log], [['t', 'text']])
}
// 2. Non-BMP text and splits inside surrogate pairs.
{
  const d = newDoc(7); const log = record(d)
  const t = d.getText('t')
  t.insert(0, 'a😀b𝄞c'); t.insert(2, 'X'); t.delete(4, 1); t.insert(1, 'é漢')
  addCase('text-unicode', [log], [['t', 'text']])
}
// 3. Concurrent inserts at the same position (YATA ordering), then deletes.
{
  const a = newDoc(10); const b = newDoc(20); const c = newDoc(15)
  const la = record(a); const lb = record(b); const lc = record(c)
  a.getText('t').insert(0, 'base'); sync(a, b); sync(a, c)
  a.getText('t').insert(2, 'AA'); b.getText('t').insert(2, 'BB'); c.getText('t').insert(2, 'CC')
  b.getText('t').delete(0, 1)
  sync(a, b); sync(b, c); sync(a, c)
  a.getText('t').insert(3, 'x')
  addCase('text-concurrent', [la, lb, lc], [['t', 'text']])
}
// 4. Maps, arrays, nested types, overwrites and deletes (GC of nested content).
{
  const d = newDoc(3); const log = record(d)
  const m = d.getMap('m'); const arr = d.getArray('a')
  m.set('x', 1); m.set('y', 'two'); m.set('x', { deep: [1, 2, null] }); m.set('bin', new Uint8Array([1, 2, 3]))
  m.set('10', true); m.set('2', false)
  const inner = new Y.Map(); m.set('inner', inner); inner.set('k', 'v')
  const sub = new Y.Array(); arr.insert(0, [1, 'a', sub, 2.5]); sub.push(['s1', 's2'])
  const txt = new Y.Text(); arr.push([txt]); txt.insert(0, 'nested')
  arr.delete(1, 1); m.delete('y')
  const doomed = new Y.Map(); m.set('doomed', doomed); doomed.set('a', new Y.Array()); doomed.get('a').push([1, 2, 3])
  m.delete('doomed')
  arr.insert(0, [null, -0, 1e300, 'z'])
  addCase('map-array-nested', [log], [['m', 'map'], ['a', 'array']])
}
// 5. The same without GC (deleted content is kept).
{
  const d = newDoc(4, false); const log = record(d)
  const m = d.getMap('m'); const t = d.getText('t')
  t.insert(0, 'keep me'); t.delete(1, 3); m.set('a', 1); m.set('a', 2); m.delete('a')
  const inner = new Y.Array(); m.set('in', inner); inner.push([1]); m.delete('in')
  addCase('no-gc', [log], [['m', 'map'], ['t', 'text']], { gc: false })
}
// 6. Out-of-order delivery: pending structs and pending deletes.
{
  const a = newDoc(5); const b = newDoc(6)
  const la = record(a); const lb = record(b)
  a.getText('t').insert(0, 'one'); a.getText('t').insert(3, ' two'); sync(a, b)
  b.getText('t').insert(1, 'B'); b.getText('t').delete(0, 2); a.getText('t').insert(0, 'A')
  a.getArray('arr').push([1, 2, 3]); a.getArray('arr').delete(1, 1)
  addCase('out-of-order-reversed', [la, lb], [['t', 'text'], ['arr', 'array']], { order: u => u.slice().reverse() })
  addCase('out-of-order-interleaved', [la, lb], [['t', 'text'], ['arr', 'array']],
    { order: u => [...u.filter((_, i) => i % 2 === 1), ...u.filter((_, i) => i % 2 === 0)] })
}
// 7. Randomised editing by several clients with random syncs.
for (let seed = 1; seed <= 6; seed++) {
  const gen = prng.create(seed)
  const docs = [newDoc(100 + seed), newDoc(200 + seed), newDoc(300 + seed)]
  const logs = docs.map(record)
  for (let step = 0; step < 60; step++) {
    const d = prng.oneOf(gen, docs)
    const t = d.getText('t'); const arr = d.getArray('a'); const m = d.getMap('m')
    const op = prng.int32(gen, 0, 7)
    if (op <= 2) {
      const idx = prng.int32(gen, 0, t.length)
      t.insert(idx, prng.oneOf(gen, ['x', 'yy', 'zzz', 'ü', '😀', 'hello ']))
    } else if (op === 3 && t.length > 0) {
      const idx = prng.int32(gen, 0, t.length - 1)
      t.delete(idx, prng.int32(gen, 1, Math.min(4, t.length - idx)))
    } else if (op === 4) {
      arr.insert(prng.int32(gen, 0, arr.length), [prng.int32(gen, 0, 100), 'v'])
    } else if (op === 5 && arr.length > 0) {
      arr.delete(prng.int32(gen, 0, arr.length - 1), 1)
    } else if (op === 6) {
      m.set(prng.oneOf(gen, ['a', 'b', 'c', '1']), prng.int32(gen, 0, 9))
    } else {
      sync(prng.oneOf(gen, docs), prng.oneOf(gen, docs))
    }
  }
  addCase(`random-${seed}`, logs, [['t', 'text'], ['a', 'array'], ['m', 'map']])
  addCase(`random-${seed}-shuffled`, logs, [['t', 'text'], ['a', 'array'], ['m', 'map']], {
    order: (u) => {
      const g = prng.create(seed * 31)
      const out = u.slice()
      for (let i = out.length - 1; i > 0; i--) {
        const j = prng.int32(g, 0, i)
        const tmp = out[i]; out[i] = out[j]; out[j] = tmp
      }
      return out
    }
  })
}
writeFileSync(join(outDir, 'replay.json'), JSON.stringify({ cases }, null, 1) + '\n')
console.log('wrote replay.json', cases.length, 'cases')

// Local edit scripts. Ops: [kind, name, op, ...args], replayed by the C++ test through the API.
const scripts = []
const applyOp = (d, [kind, root, op, ...args]) => {
  const t = kind === 'text' ? d.getText(root) : kind === 'map' ? d.getMap(root) : d.getArray(root)
  if (op === 'insert') t.insert(args[0], args[1])
  else if (op === 'delete') kind === 'map' ? t.delete(args[0]) : t.delete(args[0], args[1])
  else if (op === 'push') t.push(args[0])
  else if (op === 'set') t.set(args[0], args[1])
}
// Runs `groups` of ops, each group in one transaction, recording one update per group ('' if
// it emitted none). `grouped` writes the group sizes (scripts without them are one op a group).
const runGroups = (name, clientID, groups, grouped) => {
  const d = newDoc(clientID)
  const updates = []
  d.on('update', u => updates.push(hex(u)))
  for (const group of groups) {
    const before = updates.length
    d.transact(() => group.forEach(op => applyOp(d, op)))
    if (updates.length !== before + 1) updates.push('')
  }
  scripts.push({
    name, client: clientID, ops: groups.flat(), ...(grouped ? { groups: groups.map(g => g.length) } : {}),
    updates, state: hex(Y.encodeStateAsUpdate(d))
  })
}
const runScript = (name, clientID, ops) => runGroups(name, clientID, ops.map(op => [op]), false)
runScript('typing', 42, [
  ['text', 't', 'insert', 0, 'H'], ['text', 't', 'insert', 1, 'e'], ['text', 't', 'insert', 2, 'l'],
  ['text', 't', 'insert', 3, 'l'], ['text', 't', 'insert', 4, 'o'], ['text', 't', 'delete', 4, 1],
  ['text', 't', 'insert', 0, '¡'], ['text', 't', 'insert', 2, '😀'], ['text', 't', 'delete', 3, 1],
  ['text', 't', 'insert', 5, 'world'], ['text', 't', 'delete', 0, 3]
])
{
  const gen = prng.create(99)
  const ops = []
  let len = 0
  for (let i = 0; i < 400; i++) {
    if (len > 0 && prng.int32(gen, 0, 3) === 0) {
      const idx = prng.int32(gen, 0, len - 1)
      const n = prng.int32(gen, 1, Math.min(5, len - idx))
      ops.push(['text', 't', 'delete', idx, n]); len -= n
    } else {
      const idx = prng.int32(gen, 0, len)
      const s = prng.oneOf(gen, ['a', 'bc', 'def', ' ', 'ñ', '🙂'])
      ops.push(['text', 't', 'insert', idx, s]); len += s.length
    }
  }
  runScript('random-typing', 43, ops)
}
{
  const gen = prng.create(7)
  const ops = []
  let len = 0
  for (let i = 0; i < 300; i++) {
    const r = prng.int32(gen, 0, 5)
    if (r === 0 && len > 0) {
      const idx = prng.int32(gen, 0, len - 1)
      const n = prng.int32(gen, 1, Math.min(3, len - idx))
      ops.push(['array', 'a', 'delete', idx, n]); len -= n
    } else if (r === 1) {
      ops.push(['array', 'a', 'push', [i, 'p']]); len += 2
    } else if (r === 2) {
      ops.push(['map', 'm', 'set', prng.oneOf(gen, ['a', 'b', 'c']), i])
    } else if (r === 3) {
      ops.push(['map', 'm', 'delete', prng.oneOf(gen, ['a', 'b', 'c'])])
    } else {
      const idx = prng.int32(gen, 0, len)
      ops.push(['array', 'a', 'insert', idx, [i]]); len += 1
    }
  }
  runScript('array-map', 44, ops)
}
// Several edits in one transaction: `groups` lists how many ops each transaction holds; the
// script records one update per transaction. Yjs gives each insert an item of its own and
// merges them when the transaction ends; typing runs, inserts into text typed earlier in the
// same transaction and deletes across it must come out the same however the library gets there.
const runTxnScript = (name, clientID, groups) => runGroups(name, clientID, groups, true)
{
  const type = (at, text) => [...text].map((ch, i) => ['text', 't', 'insert', at + i, ch])
  runTxnScript('txn-typing', 45, [
    // A run typed a character at a time, then edits inside the run typed so far.
    [...type(0, 'Hello'), ...type(5, ' world'), ['text', 't', 'insert', 2, 'X'],
      ['text', 't', 'delete', 4, 3], ...type(0, '>'), ...type(9, '!?')],
    // Typing after text from an earlier transaction, then in the middle of it.
    [...type(10, 'abc'), ...type(3, 'mid'), ['text', 't', 'delete', 0, 1], ...type(0, '😀é')],
    // Typing, deleting all of it and typing again; a delete splitting the run's last item.
    [...type(2, 'xyz'), ['text', 't', 'delete', 2, 3], ...type(2, 'uvw'), ['text', 't', 'delete', 3, 1],
      ...type(3, 'Q')],
    // One-character transactions (nothing to extend), then a long run.
    type(0, '1'), type(1, '2'), [...type(2, 'the quick brown fox jumps over the lazy dog')]
  ])
  const gen = prng.create(123)
  const groups = []
  let len = 0
  let cursor = 0
  for (let g = 0; g < 150; g++) {
    const group = []
    const n = prng.int32(gen, 1, 14)
    for (let i = 0; i < n; i++) {
      const r = prng.int32(gen, 0, 9)
      if (r === 0) cursor = prng.int32(gen, 0, len) // jump elsewhere
      if (r === 1 && cursor > 0) { // backspace
        const k = prng.int32(gen, 1, Math.min(3, cursor))
        group.push(['text', 't', 'delete', cursor - k, k]); len -= k; cursor -= k
      } else if (r === 2 && cursor < len) { // delete forward
        const k = prng.int32(gen, 1, Math.min(4, len - cursor))
        group.push(['text', 't', 'delete', cursor, k]); len -= k
      } else {
        const s = prng.oneOf(gen, ['a', 'b', 'c', ' ', 'ñ', '🙂', 'de'])
        group.push(['text', 't', 'insert', cursor, s]); len += s.length; cursor += s.length
      }
    }
    groups.push(group)
  }
  runTxnScript('txn-random-typing', 46, groups)
  // Arrays take the same path for their items: pushes in one transaction.
  runTxnScript('txn-array', 47, [
    [['array', 'a', 'insert', 0, [1]], ['array', 'a', 'insert', 1, [2]], ['array', 'a', 'insert', 1, ['x']],
      ['array', 'a', 'delete', 0, 1], ['array', 'a', 'insert', 2, [3, 4]]]
  ])
}
writeFileSync(join(outDir, 'local.json'), JSON.stringify({ scripts }, null, 1) + '\n')
console.log('wrote local.json', scripts.length, 'scripts')
