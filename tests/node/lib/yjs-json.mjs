// What `ydoc json --root NAME:KIND` must print, computed with Yjs: each root's value by kind,
// binary as {"$binary": "<base64>"}, then JSON.stringify semantics (undefined members dropped,
// undefined array elements and non-finite numbers become null).
import * as Y from 'yjs'

export const KINDS = ['text', 'delta', 'map', 'array', 'xml']

function binaryToJson (v) {
  if (v instanceof Uint8Array) return { $binary: Buffer.from(v).toString('base64') }
  if (Array.isArray(v)) return v.map(binaryToJson)
  if (v !== null && typeof v === 'object') {
    const o = {}
    for (const k of Object.keys(v)) o[k] = binaryToJson(v[k])
    return o
  }
  return v
}

export function rootValue (doc, name, kind) {
  switch (kind) {
    case 'text': return doc.getText(name).toString()
    case 'delta': return doc.getText(name).toDelta()
    case 'map': return doc.getMap(name).toJSON()
    case 'array': return doc.getArray(name).toJSON()
    case 'xml': return doc.getXmlFragment(name).toString()
    default: throw new Error(`unknown root kind ${kind}`)
  }
}

// roots: [[name, kind], ...]. Returns the JSON text ydoc must print (modulo whitespace, member
// order and number spelling, which the suites ignore by comparing parsed values).
export function rootsJson (doc, roots) {
  const out = {}
  for (const [name, kind] of roots) out[name] = binaryToJson(rootValue(doc, name, kind))
  return JSON.stringify(out)
}

// Canonical form used to compare ydoc's JSON with the expected one.
export function normalizeJson (text) {
  return JSON.parse(JSON.stringify(JSON.parse(text)))
}

export { Y }
