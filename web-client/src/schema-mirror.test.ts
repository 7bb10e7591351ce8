// tests/node/lib/pm-schema.mjs repeats the declaration schema for the Node suites and tools
// (Node cannot import this TypeScript). y-prosemirror stores node names, attributes and marks,
// so everything but the DOM functions must be identical: this test fails on any drift.
import { describe, it, expect } from 'vitest'
import { schema } from './schema'
// @ts-expect-error: a plain JavaScript module without type declarations
import { schemaSpec } from '../../tests/node/lib/pm-schema.mjs'

// A spec without what only the browser uses (parsing from and rendering to the DOM).
function storable (spec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(spec)) {
    if (key !== 'parseDOM' && key !== 'toDOM' && typeof value !== 'function') out[key] = value
  }
  return out
}

function entries (map: { forEach: (f: (name: string, spec: any) => void) => void }): Array<[string, unknown]> {
  const list: Array<[string, unknown]> = []
  map.forEach((name, spec) => list.push([name, storable(spec)]))
  return list
}

describe('the Node copy of the schema', () => {
  it('has the same nodes, in order, with the same content, groups and attributes', () => {
    expect(Object.entries(schemaSpec.nodes)).toEqual(entries(schema.spec.nodes))
  })
  it('has the same marks with the same attributes', () => {
    expect(Object.entries(schemaSpec.marks)).toEqual(entries(schema.spec.marks!))
  })
})
