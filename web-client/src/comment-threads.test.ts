import { describe, it, expect } from 'vitest'
import * as Y from 'yjs'
import { initProseMirrorDoc, prosemirrorToYXmlFragment } from 'y-prosemirror'
import { schema } from './schema'
import {
  anchorAt, anchorAttached, anchorPosition, blockAt, buildThreads, commentRights, decodeAnchor, encodeAnchor, excerpt, orderThreads,
  type Comment, type Thread
} from './comment-threads'
import type { Me, StatementDetail } from './model'
import type { Node as PMNode } from 'prosemirror-model'

const author = { user_id: 1, name: 'Ana', organization_id: 2, organization_name: 'Sindicato Norte' }
const c = (id: number, parent: number | null = null): Comment => ({
  id, parent_id: parent, target: { kind: 'amendment', number: 1 }, author, body: `comment ${id}`, created_at: '2026-12-03T10:00:00Z', resolved: null
})
const ids = (ts: Thread[]) => ts.map(t => [t.root.id, ...t.replies.map(r => r.id)])

describe('buildThreads', () => {
  it('groups replies under their root, both in id order', () => {
    expect(ids(buildThreads([c(1), c(2), c(3, 1), c(4, 2), c(5, 1)]))).toEqual([[1, 3, 5], [2, 4]])
  })
  it('does not depend on the order of the list', () => {
    expect(ids(buildThreads([c(5, 1), c(4, 2), c(2), c(3, 1), c(1)]))).toEqual([[1, 3, 5], [2, 4]])
  })
  it('a reply to a reply joins the root of its chain', () => {
    expect(ids(buildThreads([c(1), c(2, 1), c(3, 2)]))).toEqual([[1, 2, 3]])
  })
  it('a reply whose parent is missing stands as its own thread', () => {
    expect(ids(buildThreads([c(1), c(7, 6), c(8, 7)]))).toEqual([[1], [7, 8]])
  })
  it('an empty list has no threads', () => {
    expect(buildThreads([])).toEqual([])
  })
})

describe('orderThreads', () => {
  const threads = buildThreads([c(1), c(2), c(3), c(4), c(5)])
  it('sorts by position, unplaced last, ties by id', () => {
    const pos: Record<number, number | null> = { 1: 40, 2: null, 3: 5, 4: 40, 5: null }
    expect(orderThreads(threads, t => pos[t.root.id]).map(t => t.root.id)).toEqual([3, 1, 4, 2, 5])
  })
  it('follows the positions when they change', () => {
    const pos: Record<number, number | null> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5 }
    expect(orderThreads(threads, t => pos[t.root.id]).map(t => t.root.id)).toEqual([1, 2, 3, 4, 5])
    pos[1] = 10
    pos[5] = 0
    expect(orderThreads(threads, t => pos[t.root.id]).map(t => t.root.id)).toEqual([5, 2, 3, 4, 1])
  })
})

describe('commentRights', () => {
  const org = (id: number) => ({ id, name: `Org ${id}`, short_name: `O${id}`, country: '', kind: 'union' as const, website: '', hosts_instance: false })
  const me = (role: 'delegate' | 'observer' | 'secretariat', orgId = 2): Me => ({
    user: { id: 9, email: 'x@example.org', display_name: 'X', language: 'en' },
    memberships: [{ id: 1, user_id: 9, organization_id: orgId, role, organization: org(orgId) }], instance_secretariat: false, csrf_token: null
  })
  const rights = { 'edit-draft': false, 'settle-amendment': false, 'change-phase': false, 'publish-version': false, 'manage-participants': false, 'propose-amendment-for': [], 'support-amendment-for': [], 'endorse-for': [] }
  const statement = (over: Partial<StatementDetail> = {}): StatementDetail => ({
    id: 1, slug: 's', title: 'S', language: 'en', phase: 'amendments', phase_deadline: null, document: 'statement.s',
    participants: [{ organization_id: 2, convener: false, edit: true, amend: true, sign: true }], rights, ...over
  })
  it('a participating delegate comments but does not resolve', () => {
    expect(commentRights(me('delegate'), statement())).toEqual({ canComment: true, canResolve: false })
  })
  it('an observer, another organization\'s secretariat and a delegate of an organization not taking part only read', () => {
    expect(commentRights(me('secretariat'), statement())).toEqual({ canComment: false, canResolve: false })
    expect(commentRights(me('observer'), statement())).toEqual({ canComment: false, canResolve: false })
    expect(commentRights(me('delegate', 3), statement())).toEqual({ canComment: false, canResolve: false })
  })
  it('the statement secretariat comments and resolves', () => {
    expect(commentRights(me('secretariat', 1), statement({ rights: { ...rights, 'change-phase': true } }))).toEqual({ canComment: true, canResolve: true })
  })
  it('nobody writes on a final statement', () => {
    expect(commentRights(me('delegate'), statement({ phase: 'final' })).canComment).toBe(false)
  })
  it('rights sent by the server win', () => {
    const r = { ...rights, comment: false, 'resolve-comment': true } as unknown as StatementDetail['rights']
    expect(commentRights(me('delegate'), statement({ rights: r }))).toEqual({ canComment: false, canResolve: true })
  })
})

// A Y document with the editor's fragment, and the ProseMirror document + mapping y-prosemirror
// renders from it (what the sync plugin's binding holds in the browser).
function draft (paragraphs: string[]) {
  const ydoc = new Y.Doc()
  const fragment = ydoc.getXmlFragment('prosemirror')
  const pm = schema.node('doc', null, paragraphs.map(p => schema.node('paragraph', null, p ? [schema.text(p)] : [])))
  prosemirrorToYXmlFragment(pm, fragment)
  const render = () => initProseMirrorDoc(fragment, schema)
  return { ydoc, fragment, render }
}
/** The ProseMirror position of `needle` in the rendered document. */
function find (doc: PMNode, needle: string): number {
  let at = -1
  doc.descendants((n, pos) => { if (at < 0 && n.isText && n.text!.includes(needle)) at = pos + n.text!.indexOf(needle) })
  if (at < 0) throw new Error(`no ${needle}`)
  return at
}
const textOf = (x: Y.XmlElement) => (x.get(0) as Y.XmlText)

describe('anchors', () => {
  it('base64 round trip of a real relative position', () => {
    const { ydoc, fragment } = draft(['We demand peace.'])
    const text = textOf(fragment.get(0) as Y.XmlElement)
    const rpos = Y.createRelativePositionFromTypeIndex(text, 3)
    const anchor = encodeAnchor(rpos)
    expect(anchor).toMatch(/^[A-Za-z0-9+/]+=*$/)
    const back = decodeAnchor(anchor)!
    // The encoding keeps the character's id (not its type, which the id implies) and assoc.
    expect(back.item).toEqual(rpos.item)
    expect(back.assoc).toBe(rpos.assoc)
    expect(Y.createAbsolutePositionFromRelativePosition(back, ydoc)!.index).toBe(3)
  })
  it('a string that is not an anchor decodes to null', () => {
    expect(decodeAnchor('%%%')).toBeNull()
    expect(decodeAnchor('')).toBeNull()
  })
  it('the anchor of a ProseMirror position resolves to the same position', () => {
    const { ydoc, fragment, render } = draft(['First point.', 'We demand peace.', 'Third.'])
    const { doc, mapping } = render()
    const at = find(doc, 'peace')
    const anchor = anchorAt(doc, at, fragment, mapping)
    expect(anchorPosition(ydoc, fragment, anchor, mapping, doc)).toBe(at)
    expect(blockAt(doc, at)!.text).toBe('We demand peace.')
  })
  it('stays on its text while text is inserted before it, in its paragraph and above', () => {
    const { ydoc, fragment, render } = draft(['First point.', 'We demand peace.'])
    let { doc, mapping } = render()
    const anchor = anchorAt(doc, find(doc, 'peace'), fragment, mapping)
    textOf(fragment.get(1) as Y.XmlElement).insert(0, 'Now ')
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText('A new first paragraph.')])
    fragment.insert(0, [p])
    ;({ doc, mapping } = render())
    const pos = anchorPosition(ydoc, fragment, anchor, mapping, doc)!
    expect(pos).toBe(find(doc, 'peace'))
    expect(blockAt(doc, pos)!.text).toBe('Now We demand peace.')
    expect(anchorAttached(ydoc, fragment, decodeAnchor(anchor)!)).toBe(true)
  })
  it('at the end of a paragraph, anchors its last character', () => {
    const { ydoc, fragment, render } = draft(['One.', 'Two.'])
    let { doc, mapping } = render()
    const end = find(doc, 'One.') + 4
    const anchor = anchorAt(doc, end, fragment, mapping)
    expect(decodeAnchor(anchor)!.item).not.toBeNull()
    textOf(fragment.get(0) as Y.XmlElement).insert(4, ' More.')
    ;({ doc, mapping } = render())
    expect(blockAt(doc, anchorPosition(ydoc, fragment, anchor, mapping, doc)!)!.text).toBe('One. More.')
  })
  it('is detached when its text is deleted, and when its paragraph is', () => {
    const { ydoc, fragment, render } = draft(['Keep this.', 'We demand peace.', 'Last.'])
    let { doc, mapping } = render()
    const onPeace = anchorAt(doc, find(doc, 'peace'), fragment, mapping)
    const onLast = anchorAt(doc, find(doc, 'Last'), fragment, mapping)
    textOf(fragment.get(1) as Y.XmlElement).delete(10, 5) // "peace"
    ;({ doc, mapping } = render())
    expect(anchorAttached(ydoc, fragment, decodeAnchor(onPeace)!)).toBe(false)
    expect(anchorPosition(ydoc, fragment, onPeace, mapping, doc)).toBeNull()
    expect(anchorPosition(ydoc, fragment, onLast, mapping, doc)).toBe(find(doc, 'Last'))
    fragment.delete(2, 1)
    ;({ doc, mapping } = render())
    expect(anchorAttached(ydoc, fragment, decodeAnchor(onLast)!)).toBe(false)
    expect(anchorPosition(ydoc, fragment, onLast, mapping, doc)).toBeNull()
  })
  it('cannot tell yet when the anchored text has not arrived in this document', () => {
    const { fragment, render } = draft(['Somewhere.'])
    const { doc, mapping } = render()
    const anchor = anchorAt(doc, 3, fragment, mapping)
    const empty = new Y.Doc()
    expect(anchorAttached(empty, empty.getXmlFragment('prosemirror'), decodeAnchor(anchor)!)).toBeNull()
  })
  it('ordering by the anchors follows the text as paragraphs move', () => {
    const { ydoc, fragment, render } = draft(['Alpha.', 'Beta.', 'Gamma.'])
    let { doc, mapping } = render()
    const mk = (id: number, word: string): Thread => ({ root: { ...c(id), target: { kind: 'paragraph', anchor: anchorAt(doc, find(doc, word), fragment, mapping), attached: true, excerpt: '' } }, replies: [] })
    const threads = [mk(1, 'Gamma'), mk(2, 'Alpha'), mk(3, 'Beta')]
    const order = () => orderThreads(threads, t => t.root.target.kind === 'paragraph' ? anchorPosition(ydoc, fragment, t.root.target.anchor, mapping, doc) : null).map(t => t.root.id)
    expect(order()).toEqual([2, 3, 1])
    // "Gamma." is moved to the top (deleted and written again: its old anchor is detached).
    const gamma = new Y.XmlElement('paragraph')
    gamma.insert(0, [new Y.XmlText('Gamma.')])
    fragment.delete(2, 1)
    fragment.insert(0, [gamma])
    ;({ doc, mapping } = render())
    expect(order()).toEqual([2, 3, 1])
    expect(anchorPosition(ydoc, fragment, threads[0].root.target.kind === 'paragraph' ? threads[0].root.target.anchor : '', mapping, doc)).toBeNull()
    // Text inserted before Beta's anchor moves it but keeps the order.
    textOf(fragment.get(1) as Y.XmlElement).insert(0, 'Very long new opening of the first paragraph. ')
    ;({ doc, mapping } = render())
    expect(order()).toEqual([2, 3, 1])
  })
})

describe('excerpt', () => {
  it('keeps short text and cuts long text at a word', () => {
    expect(excerpt('  We   demand\npeace. ')).toBe('We demand peace.')
    expect(excerpt('one two three four five six', 12)).toBe('one two…')
    expect(excerpt('abcdefghijklmnop', 5)).toBe('abcde…')
  })
})
