// Malformed and adversarial update files for the hostile-input suite.
//
// Each input is { name, bytes, format: 'v1'|'v2'|'sv', expect }. expect 'fail': Yjs rejects it
// and ydoc must exit 1 with a one-line error. 'same-or-fail': a legal but extreme update; ydoc
// may reject it, and if it accepts it, its state must be Yjs's byte for byte. 'any': Yjs is
// lenient or arbitrary about it; ydoc may accept or reject. None may crash.
import * as encoding from 'lib0/encoding'

const MAX_SAFE = Number.MAX_SAFE_INTEGER // 2^53 - 1

function build (fn) {
  const e = encoding.createEncoder()
  fn(e)
  return encoding.toUint8Array(e)
}
const vu = encoding.writeVarUint
const vs = encoding.writeVarString
const u8 = encoding.writeUint8

// A v1 update with one client and the given struct writer, then an empty delete set.
function v1Update (client, clock, numStructs, writeStructs, writeDs = e => vu(e, 0)) {
  return build(e => {
    vu(e, 1); vu(e, numStructs); vu(e, client); vu(e, clock)
    writeStructs(e)
    writeDs(e)
  })
}

// Item with a root parent `name` and the given content ref; writeContent writes the content.
function rootItem (e, ref, writeContent, name = 'text') {
  u8(e, ref) // no origins, no parentSub
  vu(e, 1) // parent is a root name
  vs(e, name)
  writeContent(e)
}

// Writes a varUint that may exceed 2^53 (given as a bigint), as lib0 would lay it out.
function bigVarUint (e, n) {
  while (n > 127n) { u8(e, Number(n & 127n) | 128); n >>= 7n }
  u8(e, Number(n))
}

export function craftedInputs () {
  const list = []
  const add = (name, bytes, expect, format = 'v1') => list.push({ name, bytes, format, expect })

  add('empty file', new Uint8Array(0), 'fail')
  add('empty file (v2)', new Uint8Array(0), 'fail', 'v2')
  add('client count 2^52, nothing after', build(e => vu(e, 2 ** 52)), 'fail')
  add('client count 2^32', build(e => { vu(e, 2 ** 32); vu(e, 1); vu(e, 1); vu(e, 0) }), 'fail')
  add('struct count 2^40, one struct', v1Update(1, 0, 2 ** 40, e => rootItem(e, 4, e => vs(e, 'x'))), 'fail')
  add('string length 2^40', v1Update(1, 0, 1, e => rootItem(e, 4, e => vu(e, 2 ** 40))), 'fail')
  add('string length 2^31 + 5 bytes', v1Update(1, 0, 1, e => rootItem(e, 4, e => { vu(e, 2 ** 31); encoding.writeUint8Array(e, new Uint8Array(5)) })), 'fail')
  add('binary length 2^35', v1Update(1, 0, 1, e => rootItem(e, 3, e => vu(e, 2 ** 35), 'map')), 'fail')
  add('ContentAny count 2^45', v1Update(1, 0, 1, e => rootItem(e, 8, e => vu(e, 2 ** 45), 'array')), 'fail')
  add('ContentAny array of length 2^40', v1Update(1, 0, 1, e => rootItem(e, 8, e => { vu(e, 1); u8(e, 117); vu(e, 2 ** 40) }, 'array')), 'fail')
  add('ContentAny object with 2^40 keys', v1Update(1, 0, 1, e => rootItem(e, 8, e => { vu(e, 1); u8(e, 118); vu(e, 2 ** 40) }, 'array')), 'fail')
  add('ContentAny string length 2^50', v1Update(1, 0, 1, e => rootItem(e, 8, e => { vu(e, 1); u8(e, 119); vu(e, 2 ** 50) }, 'array')), 'fail')
  add('ContentAny unknown tag 100', v1Update(1, 0, 1, e => rootItem(e, 8, e => { vu(e, 1); u8(e, 100) }, 'array')), 'fail')
  add('ContentJSON count 2^44', v1Update(1, 0, 1, e => rootItem(e, 2, e => vu(e, 2 ** 44), 'array')), 'fail')
  add('ContentJSON invalid JSON', v1Update(1, 0, 1, e => rootItem(e, 2, e => { vu(e, 1); vs(e, '{"a":') }, 'array')), 'fail')
  add('ContentFormat invalid JSON', v1Update(1, 0, 1, e => rootItem(e, 6, e => { vs(e, 'bold'); vs(e, 'tru') })), 'fail')
  add('ContentEmbed invalid JSON', v1Update(1, 0, 1, e => rootItem(e, 5, e => vs(e, '[1,2'))), 'fail')
  add('ContentDeleted length 2^60 (beyond 2^53)', v1Update(1, 0, 1, e => rootItem(e, 1, e => bigVarUint(e, 2n ** 60n + 12345n))), 'any')
  add('varUint of 12 continuation bytes', v1Update(1, 0, 1, e => rootItem(e, 1, e => { for (let i = 0; i < 12; i++) u8(e, 0xff); u8(e, 1) })), 'fail')
  add('unknown content ref 11', v1Update(1, 0, 1, e => rootItem(e, 11, e => vu(e, 1))), 'fail')
  add('unknown content ref 31', v1Update(1, 0, 1, e => rootItem(e, 31, e => vu(e, 1))), 'fail')
  add('unknown type ref 99', v1Update(1, 0, 1, e => rootItem(e, 7, e => vu(e, 99), 'map')), 'fail')
  add('ContentDoc with truncated opts', v1Update(1, 0, 1, e => { u8(e, 9 | 0x20); vu(e, 1); vs(e, 'misc'); vs(e, 'k'); vs(e, 'guid') }), 'fail')
  // Deeply nested values: a recursive decoder must bound its depth rather than overflow the stack.
  add('ContentAny nested 200000 arrays deep', v1Update(1, 0, 1, e => rootItem(e, 8, e => {
    vu(e, 1); for (let i = 0; i < 200000; i++) { u8(e, 117); vu(e, 1) } u8(e, 126)
  }, 'array')), 'any')
  add('ContentAny nested 200000 objects deep', v1Update(1, 0, 1, e => rootItem(e, 8, e => {
    vu(e, 1); for (let i = 0; i < 200000; i++) { u8(e, 118); vu(e, 1); vs(e, 'k') } u8(e, 126)
  }, 'array')), 'any')
  add('ContentJSON nested 200000 deep', v1Update(1, 0, 1, e => rootItem(e, 2, e => {
    vu(e, 1); vs(e, '['.repeat(200000) + ']'.repeat(200000))
  }, 'array')), 'any')
  add('ContentEmbed nested 200000 deep', v1Update(1, 0, 1, e => rootItem(e, 5, e => vs(e, '{"a":'.repeat(200000) + '1' + '}'.repeat(200000)))), 'any')
  // Clocks and lengths at the 2^53 limit of Yjs's numbers.
  add('struct clock 2^53-1 (pending)', v1Update(1, MAX_SAFE, 1, e => rootItem(e, 4, e => vs(e, 'x'))), 'same-or-fail')
  add('struct clock 2^53-3, length 5', v1Update(1, MAX_SAFE - 2, 1, e => rootItem(e, 4, e => vs(e, 'hello'))), 'any')
  add('GC length 2^53-1 at clock 0', v1Update(7, 0, 1, e => { u8(e, 0); vu(e, MAX_SAFE) }), 'same-or-fail')
  add('GC length 2^53-1 then another struct', v1Update(7, 0, 2, e => { u8(e, 0); vu(e, MAX_SAFE); rootItem(e, 4, e => vs(e, 'x')) }), 'any')
  add('skip length 2^53-1', v1Update(7, 0, 2, e => { u8(e, 10); vu(e, MAX_SAFE); rootItem(e, 4, e => vs(e, 'x')) }), 'any')
  add('client id 2^53-1', v1Update(MAX_SAFE, 0, 1, e => rootItem(e, 4, e => vs(e, 'x'))), 'same-or-fail')
  add('client id 2^64 (out of range)', build(e => { vu(e, 1); vu(e, 1); bigVarUint(e, 2n ** 64n); vu(e, 0); rootItem(e, 4, e => vs(e, 'x')); vu(e, 0) }), 'any')
  add('origin clock 2^53-1', v1Update(1, 0, 1, e => { u8(e, 0x84); vu(e, 5); vu(e, MAX_SAFE); vs(e, 'x') }), 'same-or-fail')
  add('delete set: 2^50 ranges, nothing after', v1Update(1, 0, 0, () => {}, e => { vu(e, 1); vu(e, 1); vu(e, 2 ** 50) }), 'fail')
  add('delete set: 2^45 clients', v1Update(1, 0, 0, () => {}, e => { vu(e, 2 ** 45) }), 'fail')
  add('delete set: range at 2^53-2 of length 2^53-1', v1Update(1, 0, 0, () => {}, e => { vu(e, 1); vu(e, 1); vu(e, 1); vu(e, MAX_SAFE - 1); vu(e, MAX_SAFE) }), 'any')
  add('delete set: range of length 0', v1Update(1, 0, 0, () => {}, e => { vu(e, 1); vu(e, 1); vu(e, 1); vu(e, 0); vu(e, 0) }), 'any')
  add('parent ID names an unknown client', v1Update(1, 0, 1, e => { u8(e, 4); vu(e, 0); vu(e, 999); vu(e, 3); vs(e, 'x') }), 'same-or-fail')
  // v2 framing.
  add('v2: only the feature byte', new Uint8Array([0]), 'fail', 'v2')
  add('v2: first column length 2^40', build(e => { vu(e, 0); vu(e, 2 ** 40) }), 'fail', 'v2')
  add('v2: all columns empty', build(e => { vu(e, 0); for (let i = 0; i < 9; i++) vu(e, 0) }), 'fail', 'v2')
  add('v2: columns empty, 2^40 clients', build(e => { vu(e, 0); for (let i = 0; i < 9; i++) vu(e, 0); vu(e, 2 ** 40) }), 'fail', 'v2')
  // Found by the mutation test: Yjs 13.6.33 never returns from applyUpdateV2 on this (so the
  // Yjs stand-in ydoc-oracle times out on it); ydoc must answer.
  list.push({
    name: 'mutated v2 update on which Yjs loops forever',
    bytes: Buffer.from('AAIAAgqBBKis4qgXwQQBBAYUAwAABYcABwEEHRlsaXN0SXRlbXBhcmFncmFwaMOkYfCfmIBiCAkFAQADQwAGAIB//4De/wEEDQGBAgEMAA==', 'base64'),
    format: 'v2',
    expect: 'any',
    yjsHangs: true
  })
  // A state vector file for `diff`.
  add('sv: truncated', build(e => { vu(e, 2); vu(e, 5) }), 'fail', 'sv')
  add('sv: count 2^50', build(e => vu(e, 2 ** 50)), 'fail', 'sv')
  add('sv: empty file', new Uint8Array(0), 'fail', 'sv')
  return list
}

// Mutations of a real update: the result may or may not still be a valid update.
export function mutate (rng, bytes, other) {
  const b = Uint8Array.from(bytes)
  const kind = rng.int(0, 5)
  if (b.length === 0) return { how: 'empty', bytes: b }
  if (kind <= 1) {
    const n = rng.int(1, 3)
    for (let i = 0; i < n; i++) b[rng.int(0, b.length - 1)] ^= 1 << rng.int(0, 7)
    return { how: `flip ${n} bit(s)`, bytes: b }
  }
  if (kind === 2) {
    const i = rng.int(0, b.length - 1)
    b[i] = rng.pick([0x00, 0xff, 0x7f, 0x80])
    return { how: `byte ${i} set to ${b[i]}`, bytes: b }
  }
  if (kind === 3) {
    const i = rng.int(0, b.length)
    const ins = new Uint8Array(rng.int(1, 6)).map(() => rng.pick([0xff, 0x80, rng.int(0, 255)]))
    return { how: `insert ${ins.length} bytes at ${i}`, bytes: Uint8Array.from([...b.subarray(0, i), ...ins, ...b.subarray(i)]) }
  }
  if (kind === 4) {
    const i = rng.int(0, b.length - 1)
    const n = rng.int(1, Math.min(8, b.length - i))
    return { how: `remove ${n} bytes at ${i}`, bytes: Uint8Array.from([...b.subarray(0, i), ...b.subarray(i + n)]) }
  }
  const i = rng.int(0, b.length)
  const j = rng.int(0, other.length)
  return { how: `splice at ${i} with another update from ${j}`, bytes: Uint8Array.from([...b.subarray(0, i), ...other.subarray(j)]) }
}
