import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { SavedState, covers } from './saved-state'

const sv = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc))

describe('covers', () => {
  it('needs every client clock', () => {
    expect(covers(new Map([[1, 5]]), new Map([[1, 5]]))).toBe(true)
    expect(covers(new Map([[1, 4]]), new Map([[1, 5]]))).toBe(false)
    expect(covers(new Map([[1, 5]]), new Map([[1, 5], [2, 1]]))).toBe(false)
    expect(covers(new Map([[1, 9], [3, 1]]), new Map())).toBe(true)
  })
})

describe('SavedState', () => {
  it('is offline until connected, saving until the server stored everything', () => {
    const doc = new Y.Doc()
    const s = new SavedState(() => sv(doc))
    const seen: string[] = []
    s.onChange(x => seen.push(x))
    expect(s.status()).toBe('offline')
    s.setConnected(true)
    expect(s.status()).toBe('saved') // empty document: nothing to store
    doc.getText('t').insert(0, 'hello')
    s.docChanged()
    expect(s.status()).toBe('saving')
    s.serverSaved(new Map([[doc.clientID, 3]]))
    expect(s.status()).toBe('saving') // only part of the local edit is stored
    s.serverSaved(new Map([[doc.clientID, 5]]))
    expect(s.status()).toBe('saved')
    doc.getText('t').insert(5, '!')
    s.docChanged()
    expect(s.status()).toBe('saving')
    s.setConnected(false)
    expect(s.status()).toBe('offline')
    expect(seen).toEqual(['offline', 'saved', 'saving', 'saved', 'saving', 'offline'])
  })

  it('ignores stale (smaller) saved vectors and needs remote clients covered too', () => {
    const doc = new Y.Doc()
    const other = new Y.Doc()
    other.getText('t').insert(0, 'abc')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other))
    const s = new SavedState(() => sv(doc))
    s.setConnected(true)
    expect(s.status()).toBe('saving')
    s.serverSaved(new Map([[other.clientID, 3]]))
    expect(s.status()).toBe('saved')
    s.serverSaved(new Map([[other.clientID, 1]]))
    expect(s.status()).toBe('saved')
  })
})
