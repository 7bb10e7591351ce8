// gen-xml-golden.mjs: golden vectors for the XML types and Text.toDelta in the crdt library
// (crdt/src/xml_test.cc, xml_string_test.cc, text_delta_test.cc), made with the real Yjs
// (version pinned by tests/node/package-lock.json).
//
//   cd tests/node && node tools/gen-xml-golden.mjs
//
// Output: crdt/testdata/xml/cases.json, deterministic (fixed client ids).
//  - replay: documents built with Yjs; the C++ side applies `updates` (v1, hex) to a fresh
//    document and must read the same: `xml` (root fragment "x" toString), `delta` (root text "t"
//    toDelta, a nested type shown as {"$type": its toJSON}), `xmlDeltas` (the toDelta of every
//    XmlText under "x", in document order), `json` (root map "m" toJSON).
//  - local: scripts of XML edits the C++ API can replay, with the final state (v1, v2) and the
//    fragment's string. Steps (a path is the child indices from root fragment "x"):
//      ['element', path, index, nodeName]   ['xmltext', path, index]   ['hook', path, index, name]
//      ['attr', path, key, value]           ['rmattr', path, key]      ['delete', path, index, len]
//      ['insert', path, index, text]        ['hookset', path, key, value]
import * as Y from 'yjs'
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const outDir = join(dirname(fileURLToPath(import.meta.url)), '../../../crdt/testdata/xml')
mkdirSync(outDir, { recursive: true })
const hex = (u8) => Buffer.from(u8).toString('hex')

const binaryToJson = (v) => {
  if (v instanceof Uint8Array) return { $binary: Buffer.from(v).toString('base64') }
  if (v instanceof Y.AbstractType) return { $type: binaryToJson(v.toJSON()) }
  if (Array.isArray(v)) return v.map(binaryToJson)
  if (v !== null && typeof v === 'object') {
    const o = {}
    for (const k of Object.keys(v)) o[k] = binaryToJson(v[k])
    return o
  }
  return v
}

const newDoc = (clientID) => {
  const d = new Y.Doc()
  d.clientID = clientID
  return d
}

const xmlTexts = (frag, out = []) => {
  for (const c of frag.toArray()) {
    if (c instanceof Y.XmlText) out.push(c)
    else if (c instanceof Y.XmlElement) xmlTexts(c, out)
  }
  return out
}

// What a fresh document built from `updates` reads.
const readBack = (updates) => {
  const d = new Y.Doc()
  for (const u of updates) Y.applyUpdate(d, u)
  const x = d.getXmlFragment('x')
  return {
    xml: x.toString(),
    delta: JSON.stringify(binaryToJson(d.getText('t').toDelta())),
    xmlDeltas: JSON.stringify(xmlTexts(x).map(t => binaryToJson(t.toDelta()))),
    json: JSON.stringify(binaryToJson(d.getMap('m').toJSON()))
  }
}

const replay = []
const addReplay = (name, build) => {
  const docs = build()
  const updates = docs.map(d => Y.encodeStateAsUpdate(d))
  replay.push({ name, updates: updates.map(hex), ...readBack(updates) })
}

// 1. Delta: runs split at every live format, attribute order, embeds, nested types.
addReplay('delta-basics', () => {
  const d = newDoc(1)
  const t = d.getText('t')
  t.insert(0, 'hello world')
  t.format(0, 5, { bold: true })
  t.format(2, 2, { bold: true, italic: true })
  t.insert(11, '!', { color: '#f00', 2: 'two', 10: 'ten', b: null })
  t.insertEmbed(6, { image: 'a.png' }, { link: { href: 'x' } })
  t.insertEmbed(0, 'plain-embed')
  t.insertEmbed(1, [1, null, 'x'])
  t.insertEmbed(1, new Y.Map())
  t.insertEmbed(1, new Y.Text('nested'))
  t.format(3, 4, { size: 12 })
  t.format(3, 4, { size: null })
  t.insert(t.length, 'tail')
  t.delete(2, 1)
  return [d]
})

addReplay('delta-reset-attribute-order', () => {
  const d = newDoc(2)
  const t = d.getText('t')
  t.insert(0, 'abcdefgh', { a: 1, b: 2 })
  t.format(2, 4, { a: null })
  t.format(3, 2, { a: 3 })
  t.format(0, 8, { c: new Uint8Array([1, 2]) })
  return [d]
})

addReplay('delta-concurrent', () => {
  const a = newDoc(10)
  const b = newDoc(11)
  a.getText('t').insert(0, 'abc')
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  a.getText('t').format(0, 2, { bold: true })
  b.getText('t').format(1, 2, { italic: true })
  b.getText('t').insert(3, 'Ω😀', { bold: true })
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
  return [a, b]
})

// 2. XML: elements, attributes of every kind, texts with marks, hooks.
addReplay('xml-prosemirror', () => {
  const d = newDoc(3)
  const x = d.getXmlFragment('x')
  const p = new Y.XmlElement('paragraph')
  const h = new Y.XmlElement('heading')
  h.setAttribute('level', 2)
  x.insert(0, [p, h])
  const t = new Y.XmlText()
  p.insert(0, [t])
  t.insert(0, 'Hello ')
  t.insert(6, 'bold', { strong: {} })
  t.insert(10, ' link', { link: { href: 'https://e.x/1', title: 't' }, em: {} })
  t.insert(15, '<&>"')
  h.insert(0, [new Y.XmlText('Title 😀')])
  const q = new Y.XmlElement('blockquote')
  x.insert(2, [q])
  const qp = new Y.XmlElement('paragraph')
  q.insert(0, [qp])
  qp.insert(0, [new Y.XmlText('quoted')])
  x.delete(0, 0)
  return [d]
})

addReplay('xml-attribute-values', () => {
  const d = newDoc(4)
  const x = d.getXmlFragment('x')
  const el = new Y.XmlElement('DIV')
  x.insert(0, [el])
  el.setAttribute('s', 'str')
  el.setAttribute('n', 1e21)
  el.setAttribute('f', 0.1)
  el.setAttribute('negzero', -0)
  el.setAttribute('nan', NaN)
  el.setAttribute('inf', -Infinity)
  el.setAttribute('big', 2n ** 62n)
  el.setAttribute('t', true)
  el.setAttribute('nul', null)
  el.setAttribute('obj', { a: 1 })
  el.setAttribute('arr', [1, null, 'x', [2, 3], { b: 1 }])
  el.setAttribute('bin', new Uint8Array([1, 200]))
  el.setAttribute('ytext', new Y.Text('typed'))
  el.setAttribute('ymap', new Y.Map())
  el.setAttribute('\uFF01', 'fullwidth')
  el.setAttribute('😀', 'astral')
  el.setAttribute('é', 'latin')
  el.setAttribute('10', 'ten')
  el.setAttribute('2', 'two')
  el.setAttribute('gone', 'x')
  el.removeAttribute('gone')
  el.setAttribute('s', 'str2')
  const up = new Y.XmlElement('ÄÖÜ-Élan')
  x.insert(1, [up, new Y.XmlHook('hooky')])
  x.get(2).set('k', 'v')
  return [d]
})

addReplay('xmltext-mark-values', () => {
  const d = newDoc(5)
  const x = d.getXmlFragment('x')
  const t = new Y.XmlText()
  x.insert(0, [t])
  t.insert(0, 'abcdefghij')
  t.format(0, 2, { color: '#f0é' })
  t.format(2, 2, { arr: ['x', 1] })
  t.format(4, 2, { bin: new Uint8Array([9, 8]) })
  t.format(6, 2, { num: 5, yes: true })
  t.format(8, 2, { z: { b: 1, a: 2, 10: 3, 9: 4 }, a: {} })
  t.insertEmbed(5, { image: 'p.png' }, { strong: {} })
  t.insertEmbed(3, new Y.XmlText('inner'))
  const el = new Y.XmlElement('span')
  t.insertEmbed(1, el)
  el.setAttribute('x', '1')
  return [d]
})

addReplay('xml-concurrent-and-map', () => {
  const a = newDoc(20)
  const b = newDoc(21)
  const xa = a.getXmlFragment('x')
  xa.insert(0, [new Y.XmlElement('p')])
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  const xb = b.getXmlFragment('x')
  xa.get(0).insert(0, [new Y.XmlText('from a')])
  xb.get(0).insert(0, [new Y.XmlText('from b')])
  xb.get(0).setAttribute('class', 'b')
  xa.get(0).setAttribute('class', 'a')
  xb.insert(0, [new Y.XmlElement('hr')])
  const m = a.getMap('m')
  m.set('frag', new Y.XmlFragment())
  m.set('el', new Y.XmlElement('Em'))
  m.set('hook', new Y.XmlHook('h'))
  m.set('xt', new Y.XmlText('plain'))
  m.get('el').insert(0, [new Y.XmlText('in map')])
  m.get('hook').set('n', 1)
  m.get('frag').insert(0, [new Y.XmlElement('x')])
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
  return [a, b]
})

// 3. Local scripts for the C++ editing API.
const local = []
const addLocal = (name, clientID, steps) => {
  const d = newDoc(clientID)
  const x = d.getXmlFragment('x')
  const at = (path) => path.reduce((node, i) => node.get(i), x)
  for (const s of steps) {
    const [op, path] = s
    const node = at(path)
    if (op === 'element') node.insert(s[2], [new Y.XmlElement(s[3])])
    else if (op === 'xmltext') node.insert(s[2], [new Y.XmlText()])
    else if (op === 'hook') node.insert(s[2], [new Y.XmlHook(s[3])])
    else if (op === 'attr') node.setAttribute(s[2], s[3])
    else if (op === 'rmattr') node.removeAttribute(s[2])
    else if (op === 'delete') node.delete(s[2], s[3])
    else if (op === 'insert') node.insert(s[2], s[3])
    else if (op === 'hookset') node.set(s[2], s[3])
    else throw new Error(op)
  }
  local.push({
    name,
    clientID,
    steps,
    state: hex(Y.encodeStateAsUpdate(d)),
    stateV2: hex(Y.encodeStateAsUpdateV2(d)),
    xml: x.toString()
  })
}

addLocal('build-tree', 7, [
  ['element', [], 0, 'paragraph'],
  ['xmltext', [0], 0],
  ['insert', [0, 0], 0, 'Hello world'],
  ['element', [], 1, 'heading'],
  ['attr', [1], 'level', 1],
  ['attr', [1], 'id', 'h-😀'],
  ['element', [], 0, 'blockquote'],
  ['element', [0], 0, 'paragraph'],
  ['xmltext', [0, 0], 0],
  ['insert', [0, 0, 0], 0, 'quote'],
  ['hook', [], 3, 'embed-hook'],
  ['hookset', [3], 'src', 'a.png'],
  ['attr', [1], 'level', 'x'],
  ['rmattr', [2], 'id'],
  ['insert', [1, 0], 5, ', big'],
  ['delete', [1, 0], 0, 2],
  ['delete', [], 0, 1],
  ['element', [], 2, 'HR'],
  ['attr', [2], 'data', { a: [1, 2] }]
])

addLocal('attrs-overwrite-and-delete', 8, [
  ['element', [], 0, 'p'],
  ['attr', [0], 'a', '1'],
  ['attr', [0], 'b', '2'],
  ['attr', [0], 'a', '3'],
  ['rmattr', [0], 'a'],
  ['attr', [0], 'a', 4],
  ['element', [0], 0, 'span'],
  ['element', [0], 1, 'span'],
  ['delete', [0], 0, 2],
  ['xmltext', [0], 0],
  ['insert', [0, 0], 0, 'x']
])

writeFileSync(join(outDir, 'cases.json'), JSON.stringify({ replay, local }, null, 1) + '\n')
console.log(`wrote ${replay.length} replay and ${local.length} local cases to ${outDir}`)
