import { describe, it, expect, beforeEach } from 'vitest'
import * as Y from 'yjs'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { schema } from './schema'
import { setLanguage } from './i18n'
import { authorRuns, decorationsFor, styleAuthors, PATTERNS } from './authorship'
import type { Author } from './model'

// Three writers on three Y.Docs with fixed client ids, synchronised as the server would.
function writers () {
  const docs = [1, 2, 3].map(id => { const d = new Y.Doc(); d.clientID = id; return d })
  const sync = () => {
    for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  }
  return { docs, sync, frag: (i: number) => docs[i].getXmlFragment('prosemirror') }
}

const author = (client: number, user: [number, string], org: [number, string] | null): Author => ({
  client_id: client, since: '2026-01-01T00:00:00Z', user: { id: user[0], name: user[1] },
  organization: org && { id: org[0], short_name: org[1], name: `Org ${org[1]}` }
})

beforeEach(() => setLanguage('en'))

describe('authorship runs', () => {
  it('attributes each character to the client that wrote it, skipping deletions and formatting', () => {
    const w = writers()
    // Client 1 writes a heading and a paragraph.
    const h = new Y.XmlElement('heading')
    h.setAttribute('level', 1 as unknown as string)
    const p = new Y.XmlElement('paragraph')
    w.frag(0).insert(0, [h, p])
    const ht = new Y.XmlText(); h.insert(0, [ht]); ht.insert(0, 'Title')
    const pt = new Y.XmlText(); p.insert(0, [pt]); pt.insert(0, 'Hello world')
    w.sync()
    // Client 2 inserts a word and makes "Hello" bold (format items take no place).
    const pt2 = (w.frag(1).get(1) as Y.XmlElement).get(0) as Y.XmlText
    pt2.insert(6, 'big ')
    pt2.format(0, 5, { strong: {} })
    w.sync()
    // Client 3 replaces "world" and appends to the title.
    const pt3 = (w.frag(2).get(1) as Y.XmlElement).get(0) as Y.XmlText
    pt3.delete(10, 5)
    pt3.insert(10, 'earth')
    ;((w.frag(2).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(5, '!')
    w.sync()

    // The document as y-prosemirror renders it in the editor.
    const doc = yXmlFragmentToProseMirrorRootNode(w.frag(0), schema)
    expect(doc.textContent).toBe('Title!Hello big earth')
    const runs = authorRuns(doc, w.frag(0))
    expect(runs.map(r => [doc.textBetween(r.from, r.to), r.client])).toEqual([
      ['Title', 1], ['!', 3], ['Hello ', 1], ['big ', 2], ['earth', 3]
    ])
    // The runs cover the text exactly.
    expect(runs.reduce((n, r) => n + r.to - r.from, 0)).toBe(doc.textContent.length)
  })
  it('leaves uncoloured what the editor does not show yet, and keeps the rest', () => {
    const w = writers()
    const p1 = new Y.XmlElement('paragraph')
    const p2 = new Y.XmlElement('paragraph')
    w.frag(0).insert(0, [p1, p2])
    const t1 = new Y.XmlText(); p1.insert(0, [t1]); t1.insert(0, 'first')
    const t2 = new Y.XmlText(); p2.insert(0, [t2]); t2.insert(0, 'second')
    const doc = yXmlFragmentToProseMirrorRootNode(w.frag(0), schema)
    // A change the editor has not rendered yet: the second paragraph no longer matches.
    t2.insert(0, 'a ')
    expect(authorRuns(doc, w.frag(0)).map(r => doc.textBetween(r.from, r.to))).toEqual(['first'])
    // A paragraph the editor lacks altogether: nothing at the top level is trusted after it.
    w.frag(0).insert(0, [new Y.XmlElement('heading')])
    expect(authorRuns(doc, w.frag(0))).toEqual([])
  })
  it('follows hard breaks and nested lists', () => {
    const w = writers()
    const list = new Y.XmlElement('bullet_list')
    const item = new Y.XmlElement('list_item')
    const p = new Y.XmlElement('paragraph')
    w.frag(0).insert(0, [list]); list.insert(0, [item]); item.insert(0, [p])
    const a = new Y.XmlText(); const b = new Y.XmlText()
    p.insert(0, [a, new Y.XmlElement('hard_break'), b])
    a.insert(0, 'one'); b.insert(0, 'two')
    w.sync()
    ;(((((w.frag(1).get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(2)) as Y.XmlText).insert(3, '!')
    w.sync()
    const doc = yXmlFragmentToProseMirrorRootNode(w.frag(0), schema)
    expect(authorRuns(doc, w.frag(0)).map(r => [doc.textBetween(r.from, r.to), r.client])).toEqual([['one', 1], ['two', 1], ['!', 2]])
  })
})

describe('authorship styles', () => {
  const authors = [
    author(10, [5, 'Ana'], [2, 'NORTE']), author(11, [5, 'Ana'], [2, 'NORTE']), author(12, [6, 'Tomás'], [2, 'NORTE']),
    author(20, [7, 'Bruno'], [3, 'SUR']), author(30, [9, 'Sin Org'], null)
  ]
  it('groups client ids by organization, each with its own style, ordered by short name', () => {
    const { byClient, orgs } = styleAuthors(authors)
    expect(orgs.map(o => [o.short, o.style, o.people])).toEqual([['NORTE', 0, ['Ana', 'Tomás']], ['Sin Org', 1, ['Sin Org']], ['SUR', 2, ['Bruno']]])
    expect(byClient.get(11)).toBe(byClient.get(12))
    expect(byClient.get(20)?.short).toBe('SUR')
    expect(new Set(orgs.map(o => o.style)).size).toBe(orgs.length)
    expect(orgs.every(o => o.style < PATTERNS)).toBe(true)
  })
  it('decorates known runs with the organization class and a title in words', () => {
    const doc = schema.node('doc', null, [schema.node('paragraph', null, [schema.text('abcdef')])])
    const { byClient } = styleAuthors(authors)
    const set = decorationsFor(doc, [{ from: 1, to: 3, client: 20 }, { from: 3, to: 5, client: 99 }, { from: 5, to: 7, client: 10 }], byClient)
    const found = set.find().map(d => [d.from, d.to, (d as unknown as { type: { attrs: Record<string, string> } }).type.attrs])
    expect(found).toEqual([
      [1, 3, { class: 'author author-2', 'data-org': 'SUR', title: 'written by SUR: Bruno' }],
      [5, 7, { class: 'author author-0', 'data-org': 'NORTE', title: 'written by NORTE: Ana, Tomás' }]
    ])
  })
})
