// Seeded random editing sessions of several Yjs clients, for the differential suite.
//
// generateSession(rng) runs 2-5 Y.Doc clients that edit every shared type concurrently and
// exchange their updates (and state diffs) in shuffled order, with some held back, so that the
// receivers see pending structs and pending deletes. It returns every update that was produced
// (v1 and v2 encodings) plus a choice of update files for ydoc and the state vectors to diff
// against. Everything depends on the rng only: the same seed gives the same bytes.
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'

// Root names and the --root kinds the suite asks ydoc for. `misc` holds subdocuments and
// bigints, which have no JSON form, so it is compared by bytes only.
export const ROOTS = {
  text: 'text', // Y.Text, plain-ish text with emoji
  rich: 'text', // Y.Text with formatting and embeds
  map: 'map',
  array: 'array',
  prosemirror: 'xml'
}
export const BYTES_ONLY_ROOTS = ['misc']

const CHUNKS = [
  'a', 'b', 'c', 'xyz', ' ', '\n', 'hello', 'é', 'ä', 'ß', '漢字', '😀', '👍🏽', '𝄞',
  '🇩🇪', 'a😀b', '\t', '"', '\\', '<&>', 'ab😀😀cd', '\u2028', 'Ω≈ç√'
]

// Numbers at the boundaries lib0's writeAny cares about: 31-bit varint, float32, float64.
const NUMBERS = [
  0, 1, -1, 63, 64, -64, -65, 127, 128, 255, 16777216, 16777217,
  2 ** 31 - 1, -(2 ** 31 - 1), 2 ** 31, -(2 ** 31), 2 ** 31 + 1, 2 ** 32, 2 ** 40, 2 ** 40 + 1,
  2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53,
  0.5, -0.25, 1.5, 0.1, -2.75e-3, 3.4028234663852886e38, 3.4028235677973366e38,
  1.401298464324817e-45, 1.1754943508222875e-38, 1e-300, 1.7976931348623157e308,
  5e-324, -0, NaN, Infinity, -Infinity
]

const STRINGS = ['', 'x', 'hello world', '😀', 'é漢😀', '"quoted"', 'back\\slash', 'nul\u0000byte',
  'ctl\u0001\u001f', 'line\nbreak', '\u2028\u2029', 'a'.repeat(200)]

const MAP_KEYS = ['a', 'b', 'c', 'key', 'k😀', 'with space', 'quote"', '0', '17', 'ünï']
const MARKS_RICH = [
  { bold: true }, { italic: true }, { bold: null }, { italic: null }, { color: '#ff0000' },
  { color: null }, { link: { href: 'https://example.com/a' } }, { link: null },
  { size: 12 }, { bold: true, italic: true }
]
const MARKS_XML = [
  { strong: {} }, { em: {} }, { strong: null }, { em: null },
  { link: { href: 'https://e.x/1', title: 't' } }, { link: null }, { code: {} }
]
const XML_BLOCKS = ['paragraph', 'heading', 'blockquote', 'code_block', 'listItem']

function randomString (rng) {
  let s = ''
  const n = rng.int(1, 3)
  for (let i = 0; i < n; i++) s += rng.pick(CHUNKS)
  return s
}

function randomBinary (rng) {
  const n = rng.pick([0, 1, 3, 16, 130])
  const a = new Uint8Array(n)
  for (let i = 0; i < n; i++) a[i] = rng.int(0, 255)
  return a
}

// A JSON-comparable Any value (bigint excluded), possibly nested.
function randomAny (rng, depth = 0) {
  const r = rng.int(0, depth > 1 ? 6 : 9)
  switch (r) {
    case 0: return null
    case 1: return rng.bool(0.3) ? undefined : true
    case 2: return false
    case 3: case 4: return rng.pick(NUMBERS)
    case 5: return rng.pick(STRINGS)
    case 6: return randomBinary(rng)
    case 7: case 8: {
      const o = {}
      const n = rng.int(0, 4)
      for (let i = 0; i < n; i++) o[rng.pick(MAP_KEYS)] = randomAny(rng, depth + 1)
      return o
    }
    default: {
      const n = rng.int(0, 4)
      const a = []
      for (let i = 0; i < n; i++) a.push(randomAny(rng, depth + 1))
      return a
    }
  }
}

// An Any value for a Y.Array element (a bare undefined is not allowed there).
function randomElement (rng) {
  const v = randomAny(rng)
  return v === undefined ? null : v
}

// Every editable type in a client doc, with its class, found by walking the roots.
function collectTypes (doc) {
  const out = { text: [], map: [], array: [], xmlText: [], xmlElement: [], xmlFragment: [] }
  const visit = (t, depth) => {
    if (depth > 6) return
    if (t instanceof Y.XmlText) { out.xmlText.push(t); return }
    if (t instanceof Y.Text) { out.text.push(t); return }
    if (t instanceof Y.XmlElement) {
      out.xmlElement.push(t)
      t.toArray().forEach(c => visit(c, depth + 1))
      return
    }
    if (t instanceof Y.XmlFragment) {
      out.xmlFragment.push(t)
      t.toArray().forEach(c => visit(c, depth + 1))
      return
    }
    if (t instanceof Y.Map) {
      out.map.push(t)
      for (const v of t.values()) if (v instanceof Y.AbstractType) visit(v, depth + 1)
      return
    }
    if (t instanceof Y.Array) {
      out.array.push(t)
      for (const v of t.toArray()) if (v instanceof Y.AbstractType) visit(v, depth + 1)
    }
  }
  for (const name of ['text', 'rich']) visit(doc.getText(name), 0)
  visit(doc.getMap('map'), 0)
  visit(doc.getArray('array'), 0)
  visit(doc.getXmlFragment('prosemirror'), 0)
  return out
}

// A nested shared type to put into a map or array (prelim content for nested texts included).
function randomNestedType (rng, stats) {
  stats.nested++
  const r = rng.int(0, 2)
  if (r === 0) {
    const m = new Y.Map()
    if (rng.bool()) m.set(rng.pick(MAP_KEYS), randomAny(rng))
    return m
  }
  if (r === 1) {
    const a = new Y.Array()
    if (rng.bool()) a.insert(0, [randomElement(rng), randomElement(rng)])
    return a
  }
  const t = new Y.Text()
  if (rng.bool()) t.insert(0, randomString(rng), rng.bool(0.5) ? rng.pick(MARKS_RICH) : undefined)
  return t
}

function randomArrayContent (rng, stats) {
  const n = rng.int(1, 4)
  const out = []
  for (let i = 0; i < n; i++) {
    const r = rng.float()
    if (r < 0.15) out.push(randomNestedType(rng, stats))
    else if (r < 0.25) out.push(randomBinary(rng))
    else out.push(randomElement(rng))
  }
  return out
}

function editText (rng, t, rich, stats) {
  const len = t.length
  const r = rng.float()
  if (len === 0 || r < 0.45) {
    const attrs = rich && rng.bool(0.4) ? rng.pick(MARKS_RICH) : undefined
    t.insert(rng.int(0, len), randomString(rng), attrs)
    stats.textInsert++
  } else if (r < 0.7) {
    const i = rng.int(0, len - 1)
    t.delete(i, rng.int(1, Math.min(len - i, 6)))
    stats.textDelete++
  } else if (rich && r < 0.9) {
    const i = rng.int(0, len - 1)
    t.format(i, rng.int(1, Math.min(len - i, 8)), rng.pick(MARKS_RICH))
    stats.format++
  } else if (rich) {
    const embed = rng.pick([{ image: 'a.png' }, { formula: 'e=mc^2' }, { video: { src: 'v', w: 3 } }])
    t.insertEmbed(rng.int(0, len), embed, rng.bool(0.3) ? rng.pick(MARKS_RICH) : undefined)
    stats.embed++
  } else {
    t.insert(rng.int(0, len), randomString(rng))
    stats.textInsert++
  }
}

function editMap (rng, m, stats) {
  const key = rng.pick(MAP_KEYS)
  const r = rng.float()
  if (r < 0.2 && m.size > 0) {
    m.delete(rng.pick([...m.keys()]))
    stats.mapDelete++
  } else if (r < 0.35) {
    m.set(key, randomNestedType(rng, stats))
  } else if (r < 0.45) {
    m.set(key, randomBinary(rng))
    stats.binary++
  } else {
    m.set(key, randomAny(rng))
    stats.mapSet++
  }
}

function editArray (rng, a, stats) {
  const len = a.length
  const r = rng.float()
  if (len > 0 && r < 0.3) {
    const i = rng.int(0, len - 1)
    a.delete(i, rng.int(1, Math.min(len - i, 3)))
    stats.arrayDelete++
  } else {
    a.insert(rng.int(0, len), randomArrayContent(rng, stats))
    stats.arrayInsert++
  }
}

function newXmlBlock (rng) {
  const name = rng.pick(XML_BLOCKS)
  const el = new Y.XmlElement(name)
  if (name === 'heading') el.setAttribute('level', rng.pick([1, 2, 3, '4']))
  if (rng.bool(0.3)) el.setAttribute(rng.pick(['id', 'class', 'data-x']), rng.pick(['a', 'b c', '😀', 7]))
  if (name === 'blockquote' || name === 'listItem') {
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText(randomString(rng))])
    el.insert(0, [p])
  } else {
    el.insert(0, [new Y.XmlText(randomString(rng))])
  }
  return el
}

function editXml (rng, types, stats) {
  const r = rng.float()
  stats.xml++
  if (types.xmlText.length > 0 && r < 0.5) {
    const t = rng.pick(types.xmlText)
    const len = t.length
    const q = rng.float()
    if (len === 0 || q < 0.45) {
      t.insert(rng.int(0, len), randomString(rng), rng.bool(0.4) ? rng.pick(MARKS_XML) : undefined)
    } else if (q < 0.7) {
      const i = rng.int(0, len - 1)
      t.delete(i, rng.int(1, Math.min(len - i, 5)))
    } else {
      const i = rng.int(0, len - 1)
      t.format(i, rng.int(1, Math.min(len - i, 6)), rng.pick(MARKS_XML))
    }
    return
  }
  if (types.xmlElement.length > 0 && r < 0.65) {
    const el = rng.pick(types.xmlElement)
    if (rng.bool(0.7)) el.setAttribute(rng.pick(['level', 'id', 'class', 'align']), rng.pick(['1', 'x', 'left', 2, '😀']))
    else el.removeAttribute(rng.pick(['level', 'id', 'class', 'align']))
    return
  }
  const parent = rng.pick([...types.xmlFragment, ...types.xmlElement.filter(e => e.nodeName === 'blockquote')])
  const len = parent.length
  if (len > 0 && rng.bool(0.25)) {
    const i = rng.int(0, len - 1)
    parent.delete(i, rng.int(1, Math.min(len - i, 2)))
  } else {
    parent.insert(rng.int(0, len), [newXmlBlock(rng)])
  }
}

function editMisc (rng, doc, stats, guidCounter) {
  const misc = doc.getMap('misc')
  const r = rng.float()
  if (r < 0.5) {
    const opts = { guid: `sub-${doc.clientID}-${guidCounter.n++}` }
    if (rng.bool(0.3)) opts.autoLoad = true
    if (rng.bool(0.3)) opts.meta = { title: randomString(rng), n: rng.pick(NUMBERS) }
    if (rng.bool(0.15)) opts.gc = false
    misc.set(rng.pick(MAP_KEYS), new Y.Doc(opts))
    stats.subdoc++
  } else if (r < 0.8) {
    misc.set(rng.pick(MAP_KEYS), rng.pick([0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n)]))
    stats.bigint++
  } else if (misc.size > 0) {
    misc.delete(rng.pick([...misc.keys()]))
  }
}

function localEdit (rng, doc, stats, guidCounter) {
  const ops = rng.int(1, 3)
  doc.transact(() => {
    for (let i = 0; i < ops; i++) {
      const types = collectTypes(doc)
      const r = rng.float()
      if (r < 0.14) editText(rng, doc.getText('text'), false, stats)
      else if (r < 0.3) editText(rng, doc.getText('rich'), true, stats)
      else if (r < 0.45) editMap(rng, rng.bool(0.6) ? doc.getMap('map') : rng.pick(types.map), stats)
      else if (r < 0.58) editArray(rng, rng.bool(0.6) ? doc.getArray('array') : rng.pick(types.array), stats)
      else if (r < 0.68 && types.text.length > 2) editText(rng, rng.pick(types.text.slice(2)), true, stats)
      else if (r < 0.9) editXml(rng, types, stats)
      else if (r < 0.94) editMisc(rng, doc, stats, guidCounter)
      else editText(rng, doc.getText('rich'), true, stats)
    }
  })
}

function randomClientId (rng, used) {
  for (;;) {
    // Mostly 32-bit ids like Yjs picks; sometimes small ids or ids above 2^32 (legal on the wire).
    const r = rng.float()
    const id = r < 0.1 ? rng.int(0, 300) : r < 0.18 ? 2 ** 32 + rng.uint32() * 1024 + rng.int(0, 1023) : rng.uint32()
    if (!used.has(id)) { used.add(id); return id }
  }
}

// Runs one session. Returns { description, updates: [{v1, v2, kind}], inputs: [index],
// svs: [Uint8Array], mergeInputs: [index] }.
export function generateSession (rng) {
  const nClients = rng.int(2, 5)
  const steps = rng.int(8, 45)
  const used = new Set()
  const stats = {
    textInsert: 0, textDelete: 0, format: 0, embed: 0, mapSet: 0, mapDelete: 0, binary: 0,
    arrayInsert: 0, arrayDelete: 0, nested: 0, xml: 0, subdoc: 0, bigint: 0, diffs: 0
  }
  const guidCounter = { n: 0 }
  const updates = [] // { v1, v2, kind: 'local' | 'remote' | 'diff' | 'state' }
  const clients = []
  for (let i = 0; i < nClients; i++) {
    const doc = new Y.Doc({ gc: true })
    doc.clientID = randomClientId(rng, used)
    const client = { doc, inbox: [] }
    // Pair each transaction's v1 and v2 update (both events fire for every transaction).
    let pendingV1 = null
    doc.on('update', (u) => { pendingV1 = u })
    doc.on('updateV2', (u, origin, d, tr) => {
      if (pendingV1 === null) throw new Error('update and updateV2 events out of step')
      const kind = tr.local ? 'local' : 'remote'
      const idx = updates.push({ v1: pendingV1, v2: u, kind }) - 1
      pendingV1 = null
      if (tr.local) for (const other of clients) if (other !== client) other.inbox.push(idx)
    })
    clients.push(client)
  }
  const snapshots = []
  const deliver = (client, count) => {
    rng.shuffle(client.inbox)
    const n = Math.min(count, client.inbox.length)
    const batch = client.inbox.splice(0, n)
    for (const idx of batch) {
      const u = updates[idx]
      if (rng.bool()) Y.applyUpdate(client.doc, u.v1, 'remote')
      else Y.applyUpdateV2(client.doc, u.v2, 'remote')
    }
  }
  for (let s = 0; s < steps; s++) {
    const r = rng.float()
    const client = rng.pick(clients)
    if (r < 0.62) {
      localEdit(rng, client.doc, stats, guidCounter)
    } else if (r < 0.85) {
      deliver(client, rng.int(1, 6))
    } else {
      const other = rng.pick(clients.filter(c => c !== client))
      const sv = Y.encodeStateVector(other.doc)
      const v1 = Y.encodeStateAsUpdate(client.doc, sv)
      const v2 = Y.encodeStateAsUpdateV2(client.doc, sv)
      const idx = updates.push({ v1, v2, kind: 'diff' }) - 1
      stats.diffs++
      if (rng.bool(0.6)) Y.applyUpdate(other.doc, v1, 'remote')
      else other.inbox.push(idx)
    }
    if (rng.bool(0.15)) snapshots.push(Y.encodeStateVector(rng.pick(clients).doc))
  }
  // Final states of every client (these carry the clients' own pending structs too).
  for (const c of clients) {
    updates.push({ v1: Y.encodeStateAsUpdate(c.doc), v2: Y.encodeStateAsUpdateV2(c.doc), kind: 'state' })
  }

  const all = updates.map((_, i) => i)
  const byKind = k => all.filter(i => updates[i].kind === k)
  const mode = rng.pick(['all-local', 'all-local', 'drop-some', 'mixed', 'states', 'few'])
  let inputs
  if (mode === 'all-local') inputs = byKind('local')
  else if (mode === 'drop-some') inputs = rng.subset(byKind('local'), 0.75)
  else if (mode === 'mixed') inputs = rng.subset(all, 0.5)
  else if (mode === 'states') inputs = byKind('state')
  else inputs = rng.subset(byKind('local'), 0.2)
  if (inputs.length === 0) inputs = [all[all.length - 1]]
  rng.shuffle(inputs)

  let mergeInputs = rng.bool(0.5) ? rng.subset(all, 0.6) : rng.subset(byKind('local'), 0.8)
  if (mergeInputs.length === 0) mergeInputs = [all[0]]
  rng.shuffle(mergeInputs)

  for (const c of clients) c.doc.destroy()
  const description = {
    clients: nClients,
    clientIds: [...used],
    steps,
    mode,
    updates: updates.length,
    inputs: inputs.length,
    mergeInputs: mergeInputs.length,
    ops: Object.fromEntries(Object.entries(stats).filter(([, v]) => v > 0))
  }
  return { description, updates, inputs, mergeInputs, snapshots }
}

// State vectors to diff the result document against: empty, a client's at some point of the
// session, and a synthetic one that cuts into the middle of items (and names an unknown client).
export function pickStateVectors (rng, resultDoc, snapshots) {
  const svs = []
  const full = Y.decodeStateVector(Y.encodeStateVector(resultDoc))
  const partial = new Map()
  for (const [client, clock] of full) {
    if (rng.bool(0.8)) partial.set(client, rng.int(0, clock))
  }
  if (rng.bool(0.3)) partial.set(rng.uint32(), rng.int(0, 50))
  svs.push(encodeSv(partial))
  svs.push(rng.pick([new Uint8Array([0]), Y.encodeStateVector(resultDoc), ...snapshots]))
  return svs
}

// Same layout as Yjs's writeStateVector: count, then (client, clock) by descending client.
function encodeSv (map) {
  const enc = encoding.createEncoder()
  const entries = [...map.entries()].sort((a, b) => b[0] - a[0])
  encoding.writeVarUint(enc, entries.length)
  for (const [client, clock] of entries) {
    encoding.writeVarUint(enc, client)
    encoding.writeVarUint(enc, clock)
  }
  return encoding.toUint8Array(enc)
}
