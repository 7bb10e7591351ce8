// gen-crdt-golden.mjs: writes the golden vectors that crdt/'s C++ tests compare against, using
// the real lib0 and Yjs (versions pinned by tests/node/package-lock.json).
//
//   cd tests/node && node tools/gen-crdt-golden.mjs
//
// Output: crdt/testdata/golden/*.json (deterministic: fixed seeds, fixed client ids). Values
// that JSON cannot carry are written in a tagged form (see tag() below), bytes as hex.
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as prng from 'lib0/prng'
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const outDir = join(dirname(fileURLToPath(import.meta.url)), '../../../crdt/testdata/golden')
mkdirSync(outDir, { recursive: true })

const hex = (u8) => Buffer.from(u8).toString('hex')
const enc = (f) => { const e = encoding.createEncoder(); f(e); return hex(encoding.toUint8Array(e)) }
const write = (name, data) => {
  writeFileSync(join(outDir, name), JSON.stringify(data, null, 1) + '\n')
  console.log('wrote', name)
}

// Numbers as strings that survive JSON: String(n) round-trips, except for -0.
const numStr = (n) => Object.is(n, -0) ? '-0' : String(n)

// A value in tagged form. Objects are given as their entries in insertion order (duplicates
// allowed), so that the C++ side must reproduce JavaScript's key ordering itself.
const tag = (v) => {
  if (v === undefined) return { t: 'undefined' }
  if (v === null) return { t: 'null' }
  if (typeof v === 'boolean') return { t: 'bool', v }
  if (typeof v === 'number') return { t: 'number', v: numStr(v) }
  if (typeof v === 'bigint') return { t: 'bigint', v: v.toString() }
  if (typeof v === 'string') return { t: 'string', v }
  if (v instanceof Uint8Array) return { t: 'bytes', v: hex(v) }
  if (Array.isArray(v)) return { t: 'array', v: v.map(tag) }
  if (v instanceof Entries) return { t: 'object', v: v.entries.map(([k, x]) => [k, tag(x)]) }
  return { t: 'object', v: Object.keys(v).map(k => [k, tag(v[k])]) }
}
class Entries {
  constructor (entries) { this.entries = entries }
  toValue () {
    const o = {}
    for (const [k, x] of this.entries) o[k] = toValue(x)
    return o
  }
}
const obj = (...entries) => new Entries(entries)
const toValue = (v) => v instanceof Entries ? v.toValue() : Array.isArray(v) ? v.map(toValue) : v
const jsonOrNull = (v) => {
  try { const s = JSON.stringify(v); return s === undefined ? null : s } catch { return null }
}

// ---------------------------------------------------------------------------------------------
// lib0 primitives

const anyValues = [
  undefined, null, true, false,
  0, -0, 1, -1, 63, 64, -64, 127, 128, 8191, 8192, 2 ** 31 - 1, -(2 ** 31 - 1), 2 ** 31,
  -(2 ** 31), 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 2 ** 64, 1e21, 1e-7, 1.5e-7, 123e-20,
  0.5, -0.25, 1.5, 0.1, -0.1, 3.14159, 1 / 3, 100.5, 16777217, 3.4028234663852886e38,
  3.4028235677973366e38, 1.401298464324817e-45, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE,
  NaN, Infinity, -Infinity, 123456789.123, 1e300, -1e-300, 4294967295.5,
  0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 1234567890123456789n,
  '', 'a', 'hello world', 'ü', '€', '😀', 'a😀b€ü', '\u0000\u0001\u001f"\\/\b\f\n\r\t\u007f',
  '\u2028\u2029', 'x'.repeat(200), 'é'.repeat(1200), '\ufeffbom',
  new Uint8Array([]), new Uint8Array([0, 1, 2, 255]), new Uint8Array(300).map((_, i) => i),
  [], [1, 'two', null, undefined, [3, [4]]], [[[[[]]]]],
  obj(), obj(['a', 1], ['b', 'x']), obj(['b', 1], ['a', 2], ['2', 3], ['1', 4], ['10', 5], ['01', 6]),
  obj(['k', 1], ['j', 2], ['k', 3]), obj(['4294967294', 1], ['4294967295', 2], ['-1', 3], ['0', 4]),
  obj(['nested', obj(['deep', [1, obj(['x', undefined], ['y', null])]])], ['bin', new Uint8Array([9])]),
  obj(['__proto__x', 1], ['', 2], ['ü', 3])
]

const anyCases = anyValues.map((v) => {
  const value = toValue(v)
  return { value: tag(v), hex: enc(e => encoding.writeAny(e, value)), json: jsonOrNull(value) }
})

const uintValues = [0, 1, 127, 128, 255, 256, 16383, 16384, 2 ** 21, 2 ** 28 - 1, 2 ** 31, 2 ** 32 - 1,
  2 ** 32, 2 ** 35 + 5, 2 ** 49, 2 ** 53 - 1]
const intValues = [0, -0, 1, -1, 63, -63, 64, -64, 8191, 8192, -8192, 2 ** 31 - 1, -(2 ** 31),
  2 ** 32, -(2 ** 40) - 3, 2 ** 53 - 1, -(2 ** 53 - 1)]
const strValues = ['', 'abc', 'ü€😀', 'line\nbreak', 'z'.repeat(130)]
const floatValues = [0, -0, 1.5, -2.75, 0.1, 1e38, NaN, Infinity, -Infinity, 5e-324]

write('lib0_primitives.json', {
  varuint: uintValues.map(v => ({ v: numStr(v), hex: enc(e => encoding.writeVarUint(e, v)) })),
  varint: intValues.map(v => ({ v: numStr(v), hex: enc(e => encoding.writeVarInt(e, v)) })),
  varstring: strValues.map(s => ({ s, hex: enc(e => encoding.writeVarString(e, s)) })),
  float32: floatValues.map(v => ({ v: numStr(v), hex: enc(e => encoding.writeFloat32(e, v)) })),
  float64: floatValues.map(v => ({ v: numStr(v), hex: enc(e => encoding.writeFloat64(e, v)) })),
  bigint64: [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 42n].map(v => ({
    v: v.toString(), hex: enc(e => encoding.writeBigInt64(e, v))
  })),
  any: anyCases
})

// ---------------------------------------------------------------------------------------------
// RLE column coders

const gen = prng.create(42)
const randomRuns = (n, maxV, maxRun) => {
  const out = []
  while (out.length < n) {
    const v = prng.uint32(gen, 0, maxV)
    const run = prng.uint32(gen, 1, maxRun)
    for (let i = 0; i < run && out.length < n; i++) out.push(v)
  }
  return out
}
const clockLike = (n) => {
  const out = []
  let c = prng.uint32(gen, 0, 50)
  for (let i = 0; i < n; i++) {
    out.push(c)
    c = prng.bool(gen) ? c + 1 : prng.uint32(gen, 0, 3000)
  }
  return out
}
const uintSeqs = [[], [0], [0, 0], [0, 0, 0, 1], [5], [5, 5], [1, 2, 3], [7, 7, 7, 7, 0, 0, 9],
  [2 ** 40, 2 ** 40, 3], randomRuns(40, 10, 5), randomRuns(60, 100000, 3)]
const intSeqs = [[], [0], [0, 0], [0, 1, 2, 3, 4], [5, 4, 3, 2, 1, 0], [10, 10, 10], [3, 100, 2, 2 ** 40],
  clockLike(50), clockLike(80)]
const u8Seqs = [[], [0], [1, 1, 1], [1, 2, 1, 2], [8, 8, 8, 136, 136, 4, 4, 4, 4, 0],
  randomRuns(50, 255, 6)]
const strSeqs = [[], [''], ['a'], ['a', 'a', 'b'], ['😀', 'x😀y', ''], ['ü', '€€', 'plain'],
  Array.from({ length: 30 }, () => prng.utf16String(gen, 6)).map(s => s.toWellFormed())]

const col = (E, seq, finish) => { const e = new E(); seq.forEach(v => e.write(v)); return hex(finish(e)) }
write('lib0_rle.json', {
  rle_uint8: u8Seqs.map(values => ({
    values, hex: col(class extends encoding.RleEncoder { constructor () { super(encoding.writeUint8) } }, values, e => encoding.toUint8Array(e))
  })),
  uint_opt_rle: uintSeqs.map(values => ({ values, hex: col(encoding.UintOptRleEncoder, values, e => e.toUint8Array()) })),
  int_diff_opt_rle: intSeqs.map(values => ({ values, hex: col(encoding.IntDiffOptRleEncoder, values, e => e.toUint8Array()) })),
  string: strSeqs.map(values => ({ values, hex: col(encoding.StringEncoder, values, e => e.toUint8Array()) }))
})

// ---------------------------------------------------------------------------------------------
// JSON.stringify / JSON.parse

const parseTexts = ['0', '-0', '1', '-1.5e3', '1E400', '-1e400', '1e-400', '0.000001', '123456789012345678901234567890',
  '"a\\u00e9\\ud83d\\ude00\\n\\/"', '[1, 2 ,3]', ' {"b":1,"a":2,"1":3,"b":4} ', '{"__proto__":1}', 'true', 'null',
  '[[[]]]', '{"x":{"y":[{"z":false}]}}', '"\\u0000"', '4.35', '0.1e1', '1e21', '-0.0']
const badTexts = ['', ' ', '01', '1.', '.5', '+1', '[1,]', '{"a":1,}', '{a:1}', "'x'", 'tru', 'nul', '"\\x"',
  '"abc', '[', '{"a" 1}', '1 2', 'NaN', 'Infinity', '"\t"', '0x10', '--1', '1e', '[1 2]']
write('json.json', {
  parse: parseTexts.map(text => {
    const v = JSON.parse(text)
    return { text, value: tag(v), stringify: JSON.stringify(v) }
  }),
  bad: badTexts.map(text => { try { JSON.parse(text); throw new Error('parsed: ' + text) } catch (e) { if (e.message.startsWith('parsed')) throw e; return text } }),
  numbers: [0, -0, 1, -1, 0.1, 1 / 3, 1e21, 1e20, 123e18, 1.5e-7, 1e-6, 1e-7, 0.000001234, 5e-324,
    Number.MAX_VALUE, 2 ** 53, 2 ** 64, 1.7976931348623157e308, 100, 1234.5678, -1e-300, 4.35,
    0.000123, 12345678901234567890, NaN, Infinity, -Infinity].map(n => ({ v: numStr(n), json: JSON.stringify(n) }))
})

// ---------------------------------------------------------------------------------------------
// Updates from real documents

// Random edits on a few docs with fixed client ids, synced at random points.
const randomDocs = (seed, nClients, steps, gc = true) => {
  const g = prng.create(seed)
  const docs = Array.from({ length: nClients }, (_, i) => {
    const d = new Y.Doc({ gc })
    d.clientID = [7, 300, 2 ** 31 + 5, 90000, 1][i]
    return d
  })
  const randAny = (depth = 0) => {
    switch (prng.int32(g, 0, depth > 1 ? 6 : 8)) {
      case 0: return prng.int32(g, -100000, 100000)
      case 1: return prng.real53(g) * 1000
      case 2: return prng.word(g, 0, 6)
      case 3: return null
      case 4: return prng.bool(g)
      case 5: return prng.uint8Array(g, prng.int32(g, 0, 4))
      case 6: return 2 ** 40 + prng.int32(g, 0, 9)
      case 7: return [randAny(depth + 1), randAny(depth + 1)]
      default: return { k: randAny(depth + 1), [prng.word(g, 1, 3)]: randAny(depth + 1) }
    }
  }
  const randStr = () => prng.oneOf(g, ['abc', 'x', 'hello ', '😀', 'ü€', prng.word(g, 1, 5)])
  const ops = [
    (d) => { const t = d.getText('text'); t.insert(prng.int32(g, 0, t.length), randStr()) },
    (d) => { const t = d.getText('text'); t.insert(prng.int32(g, 0, t.length), randStr(), { bold: true, size: prng.int32(g, 1, 3) }) },
    (d) => { const t = d.getText('text'); if (t.length > 1) { const i = prng.int32(g, 0, t.length - 1); t.delete(i, prng.int32(g, 1, Math.min(3, t.length - i))) } },
    (d) => { const t = d.getText('text'); if (t.length > 1) { const i = prng.int32(g, 0, t.length - 1); t.format(i, 1, { italic: prng.bool(g) ? true : null }) } },
    (d) => { const t = d.getText('text'); t.insertEmbed(prng.int32(g, 0, t.length), { image: prng.word(g, 1, 4) }) },
    (d) => { d.getMap('map').set(prng.word(g, 1, 2), randAny()) },
    (d) => { const m = d.getMap('map'); const k = prng.word(g, 1, 2); if (m.has(k)) m.delete(k) },
    (d) => { const m = d.getMap('map'); const n = new Y.Map(); m.set('nested' + prng.int32(g, 0, 2), n); n.set('v', randAny()) },
    (d) => { const a = d.getArray('array'); a.insert(prng.int32(g, 0, a.length), [randAny(), randAny()]) },
    (d) => { const a = d.getArray('array'); if (a.length > 0) { const i = prng.int32(g, 0, a.length - 1); a.delete(i, 1) } },
    (d) => { const a = d.getArray('array'); const t = new Y.Text(); a.push([t]); t.insert(0, randStr()) },
    (d) => { const a = d.getArray('array'); a.push([new Uint8Array([1, 2, prng.int32(g, 0, 255)])]) },
    (d) => {
      const f = d.getXmlFragment('xml')
      const el = new Y.XmlElement(prng.oneOf(g, ['p', 'h1', 'div']))
      f.insert(prng.int32(g, 0, f.length), [el])
      el.setAttribute('class', prng.word(g, 1, 3))
      const tx = new Y.XmlText()
      el.insert(0, [tx])
      tx.insert(0, randStr(), { b: true })
    },
    (d) => { const f = d.getXmlFragment('xml'); f.insert(0, [new Y.XmlHook('hook')]) },
    (d) => { const f = d.getXmlFragment('xml'); if (f.length > 0) f.delete(0, 1) },
    (d) => { d.getMap('map').set('doc', new Y.Doc({ guid: 'sub-' + prng.int32(g, 0, 99) })) }
  ]
  const updates = []
  docs.forEach((d, i) => d.on('update', (u, origin) => { if (origin !== 'sync') updates.push({ client: i, update: u }) }))
  for (let s = 0; s < steps; s++) {
    const d = prng.oneOf(g, docs)
    prng.oneOf(g, ops)(d)
    if (prng.int32(g, 0, 5) === 0) {
      const a = prng.oneOf(g, docs); const b = prng.oneOf(g, docs)
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync')
    }
  }
  return { docs, updates }
}

// A v1 update holding a ContentJSON item, which no current Yjs API creates any more.
const contentJsonUpdate = () => {
  const e = new Y.UpdateEncoderV1()
  encoding.writeVarUint(e.restEncoder, 1) // one client
  encoding.writeVarUint(e.restEncoder, 1) // one struct
  e.writeClient(55)
  encoding.writeVarUint(e.restEncoder, 0) // first clock
  new Y.Item(Y.createID(55, 0), null, null, null, null, 'legacy', null,
    new Y.ContentJSON([1, 'two', { three: [3] }, null, undefined])).write(e, 0)
  encoding.writeVarUint(e.restEncoder, 0) // empty delete set
  return e.toUint8Array()
}

const docCases = []
const addDoc = (name, doc) => {
  docCases.push({
    name,
    v1: hex(Y.encodeStateAsUpdate(doc)),
    v2: hex(Y.encodeStateAsUpdateV2(doc)),
    state_vector: hex(Y.encodeStateVector(doc)),
    snapshot_v1: hex(Y.encodeSnapshot(Y.snapshot(doc))),
    snapshot_v2: hex(Y.encodeSnapshotV2(Y.snapshot(doc))),
    // Not always v2 / v1 above: Yjs's lazy reader drops the parentSub flag of items that have an
    // origin, so conversion may change an info byte.
    converted_v2: hex(Y.convertUpdateFormatV1ToV2(Y.encodeStateAsUpdate(doc))),
    converted_v1: hex(Y.convertUpdateFormatV2ToV1(Y.encodeStateAsUpdateV2(doc)))
  })
}
{
  const d = new Y.Doc()
  d.clientID = 1
  addDoc('empty', d)
  d.getText('t').insert(0, 'hello')
  addDoc('hello', d)
  d.getText('t').delete(1, 2)
  addDoc('hello-deleted', d)
}
{
  const d = new Y.Doc()
  d.clientID = 3
  Y.applyUpdate(d, contentJsonUpdate())
  d.getMap('m').set('a', 1)
  addDoc('content-json', d)
}
{
  const d = new Y.Doc({ gc: true })
  d.clientID = 9
  const m = d.getMap('m')
  const inner = new Y.Map()
  m.set('inner', inner)
  inner.set('x', 'y')
  inner.set('z', [1, 2])
  m.delete('inner')
  addDoc('gc-structs', d)
}
for (let seed = 1; seed <= 8; seed++) {
  const { docs } = randomDocs(seed, 3, 25, seed % 3 !== 0)
  docs.forEach((a) => docs.forEach((b) => Y.applyUpdate(b, Y.encodeStateAsUpdate(a), 'sync')))
  addDoc('random-' + seed, docs[0])
}
write('updates.json', docCases)

// ---------------------------------------------------------------------------------------------
// Update-level operations (Yjs utils/updates.js) on random documents

const mergeCases = []
const diffCases = []
const svCases = []
const convertCases = []
for (let seed = 100; seed < 106; seed++) {
  const g = prng.create(seed)
  const { docs, updates } = randomDocs(seed, 3, 10)
  const v1s = updates.map(u => u.update)
  const v2s = v1s.map(u => Y.convertUpdateFormatV1ToV2(u))
  // Random subsets in random order: gaps produce Skip structs, overlaps exercise slicing.
  const subsets = [v1s.map((_, i) => i)]
  for (let k = 0; k < 3; k++) {
    const idx = v1s.map((_, i) => i).filter(() => prng.bool(g))
    for (let i = idx.length - 1; i > 0; i--) { const j = prng.int32(g, 0, i); [idx[i], idx[j]] = [idx[j], idx[i]] }
    subsets.push(idx)
  }
  // Overlapping inputs: a merged prefix together with single updates it already contains.
  const half = Math.floor(v1s.length / 2)
  const mergedHalfV1 = Y.mergeUpdates(v1s.slice(0, half + 1))
  const withOverlap = [mergedHalfV1, ...v1s.slice(Math.max(0, half - 2))]
  for (const idx of subsets) {
    const ins = idx.map(i => v1s[i])
    const ins2 = idx.map(i => v2s[i])
    mergeCases.push({ seed, inputs_v1: ins.map(hex), inputs_v2: ins2.map(hex), v1: hex(Y.mergeUpdates(ins)), v2: hex(Y.mergeUpdatesV2(ins2)) })
  }
  mergeCases.push({
    seed,
    inputs_v1: withOverlap.map(hex),
    inputs_v2: withOverlap.map(u => hex(Y.convertUpdateFormatV1ToV2(u))),
    v1: hex(Y.mergeUpdates(withOverlap)),
    v2: hex(Y.mergeUpdatesV2(withOverlap.map(u => Y.convertUpdateFormatV1ToV2(u))))
  })
  const full = Y.mergeUpdates(v1s)
  const fullV2 = Y.mergeUpdatesV2(v2s)
  const partialDoc = new Y.Doc()
  v1s.slice(0, half).forEach(u => Y.applyUpdate(partialDoc, u))
  const svs = [new Uint8Array([0]), Y.encodeStateVector(partialDoc), Y.encodeStateVector(docs[1]),
    Y.encodeStateVector(docs[0])]
  // A state vector that ends inside structs of every client.
  const mid = new Map()
  Y.decodeStateVector(Y.encodeStateVector(docs[0])).forEach((clock, client) => mid.set(client, Math.floor(clock / 2) + 1))
  const midEnc = encoding.createEncoder()
  encoding.writeVarUint(midEnc, mid.size)
  mid.forEach((clock, client) => { encoding.writeVarUint(midEnc, client); encoding.writeVarUint(midEnc, clock) })
  svs.push(encoding.toUint8Array(midEnc))
  diffCases.push({
    seed,
    update_v1: hex(full),
    update_v2: hex(fullV2),
    diffs: svs.map(sv => ({ sv: hex(sv), v1: hex(Y.diffUpdate(full, sv)), v2: hex(Y.diffUpdateV2(fullV2, sv)) }))
  })
  for (const u of [full, ...v1s.slice(0, 3), Y.mergeUpdates(subsets[1].map(i => v1s[i]))]) {
    const u2 = Y.convertUpdateFormatV1ToV2(u)
    svCases.push({ update_v1: hex(u), update_v2: hex(u2), v1: hex(Y.encodeStateVectorFromUpdate(u)), v2: hex(Y.encodeStateVectorFromUpdateV2(u2)) })
    const meta = Y.parseUpdateMeta(u)
    svCases.at(-1).meta_from = [...meta.from.entries()].map(([c, k]) => [String(c), k])
    svCases.at(-1).meta_to = [...meta.to.entries()].map(([c, k]) => [String(c), k])
  }
  for (const u of [full, Y.mergeUpdates(subsets[2].map(i => v1s[i])), Y.encodeStateAsUpdate(docs[2])]) {
    const u2 = Y.convertUpdateFormatV1ToV2(u)
    convertCases.push({ v1: hex(u), v2: hex(u2), v2_to_v1: hex(Y.convertUpdateFormatV2ToV1(u2)) })
  }
}
write('updates_merge.json', mergeCases)
write('updates_diff.json', diffCases)
write('updates_state_vector.json', svCases)
write('updates_convert.json', convertCases)

// Hand-made edge cases: sub-document options Yjs normalises on read, and a diff whose state
// vector ends inside a surrogate pair of a string item.
{
  const e = new Y.UpdateEncoderV1()
  encoding.writeVarUint(e.restEncoder, 1)
  encoding.writeVarUint(e.restEncoder, 2)
  e.writeClient(77)
  encoding.writeVarUint(e.restEncoder, 0)
  e.writeInfo(9) // ContentDoc, parent given by key
  e.writeParentInfo(true)
  e.writeString('root')
  e.writeString('sub-guid')
  e.writeAny({ shouldLoad: true, gc: 0, meta: null, x: 1, autoLoad: 'yes', guid: 'other' })
  e.writeInfo(4 | 0x80) // ContentString after the doc
  e.writeLeftID(Y.createID(77, 0))
  e.writeString('a😀b😀')
  encoding.writeVarUint(e.restEncoder, 0)
  const u = e.toUint8Array()
  const sv = encoding.createEncoder()
  encoding.writeVarUint(sv, 1); encoding.writeVarUint(sv, 77); encoding.writeVarUint(sv, 3)
  const u2 = Y.convertUpdateFormatV1ToV2(u)
  write('updates_edge.json', {
    update_v1: hex(u),
    converted_v2: hex(u2),
    converted_v1: hex(Y.convertUpdateFormatV2ToV1(u2)),
    sv: hex(encoding.toUint8Array(sv)),
    diff_v1: hex(Y.diffUpdate(u, encoding.toUint8Array(sv))),
    diff_v2: hex(Y.diffUpdateV2(u2, encoding.toUint8Array(sv)))
  })
}
