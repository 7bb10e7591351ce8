// The pure side of comments (issue 7 "Discussion"): the API's Comment JSON, threads built from
// the flat list GET …/comments returns, who may comment and resolve, and paragraph anchors —
// Yjs relative positions (base64 of Y.encodeRelativePosition) made from and resolved to
// ProseMirror positions through y-prosemirror's type ↔ node mapping, so that a comment stays
// on its text while the text around it changes. No DOM here (comments.test.ts covers it).
import * as Y from 'yjs'
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from 'y-prosemirror'
import { fromBase64, toBase64 } from 'lib0/buffer'
import type { Node as PMNode } from 'prosemirror-model'
import type { Me, StatementDetail } from './model'

export interface CommentAuthor { user_id: number, name: string, organization_id: number | null, organization_name: string | null }
export type CommentTarget =
  | { kind: 'amendment', number: number }
  | { kind: 'paragraph', anchor: string, attached: boolean, excerpt: string }
export interface Comment {
  id: number
  parent_id: number | null
  target: CommentTarget
  author: CommentAuthor
  body: string
  created_at: string
  resolved: null | { by: { user_id: number, name: string }, at: string }
}

/** A top-level comment and its replies (oldest first); resolution belongs to the root. */
export interface Thread { root: Comment, replies: Comment[] }

/**
 * Threads from the flat list: roots in id order, each with its replies in id order. A reply
 * to a reply joins the root of its chain; a reply whose parent is not in the list (it was
 * filtered out, or the list is partial) becomes a thread of its own rather than vanish.
 */
export function buildThreads (comments: Comment[]): Thread[] {
  const byId = new Map(comments.map(c => [c.id, c]))
  const rootOf = (c: Comment): Comment => {
    const seen = new Set<number>()
    let cur = c
    while (cur.parent_id !== null && byId.has(cur.parent_id) && !seen.has(cur.id)) {
      seen.add(cur.id)
      cur = byId.get(cur.parent_id)!
    }
    return cur
  }
  const threads = new Map<number, Thread>()
  const sorted = [...comments].sort((a, b) => a.id - b.id)
  for (const c of sorted) {
    const root = rootOf(c)
    let th = threads.get(root.id)
    if (!th) { th = { root, replies: [] }; threads.set(root.id, th) }
    if (c !== root) th.replies.push(c)
  }
  return [...threads.values()].sort((a, b) => a.root.id - b.root.id)
}

/**
 * Threads in reading order: by their anchor's current position in the document; those
 * without a position (detached, or not placeable yet) after all the others; ties and
 * unplaced threads by id (the order they were written in).
 */
export function orderThreads (threads: Thread[], positionOf: (t: Thread) => number | null): Thread[] {
  const keyed = threads.map(t => ({ t, pos: positionOf(t) }))
  keyed.sort((a, b) => {
    if (a.pos === null || b.pos === null) {
      if (a.pos !== b.pos) return a.pos === null ? 1 : -1
    } else if (a.pos !== b.pos) return a.pos - b.pos
    return a.t.root.id - b.t.root.id
  })
  return keyed.map(k => k.t)
}

/** Who may write and who may resolve, from the statement as GET /statements/{slug} answers. */
export function commentRights (me: Me, s: StatementDetail): { canComment: boolean, canResolve: boolean } {
  // The server's rights "comment" and "resolve-comment" (auth/POLICY.md) decide; without
  // them, the same rule from what the statement says: the statement secretariat (who changes
  // phases) resolves; it and the delegates of participants comment until the final phase.
  const extra = s.rights as unknown as Record<string, unknown>
  const canResolve = typeof extra['resolve-comment'] === 'boolean' ? extra['resolve-comment'] as boolean : !!s.rights['change-phase']
  if (typeof extra.comment === 'boolean') return { canComment: extra.comment, canResolve }
  if (s.phase === 'final') return { canComment: false, canResolve }
  const taking = new Set(s.participants.map(p => p.organization_id))
  const delegate = me.memberships.some(m => taking.has(m.organization_id) && m.role === 'delegate')
  return { canComment: !!s.rights['change-phase'] || delegate, canResolve }
}

// ---------------------------------------------------------------------------------------------
// Anchors

/** The Yjs type ↔ ProseMirror node mapping y-prosemirror keeps (its binding's `mapping`). */
export type PMMapping = Map<Y.AbstractType<any>, PMNode | PMNode[]>

export function encodeAnchor (rpos: Y.RelativePosition): string {
  return toBase64(Y.encodeRelativePosition(rpos))
}

/** The relative position in a base64 anchor, or null when it does not decode. */
export function decodeAnchor (anchor: string): Y.RelativePosition | null {
  try {
    const rpos = Y.decodeRelativePosition(fromBase64(anchor))
    return rpos.item || rpos.type || rpos.tname ? rpos : null
  } catch {
    return null
  }
}

/**
 * The anchor for a ProseMirror position. At the end of a paragraph with text, the anchor
 * is the paragraph's last character rather than "the end of this text" (which names no
 * character, so the server could not tell which text it is on).
 */
export function anchorAt (doc: PMNode, pos: number, fragment: Y.XmlFragment, mapping: PMMapping): string {
  const $pos = doc.resolve(Math.max(0, Math.min(pos, doc.content.size)))
  let at = $pos.pos
  if ($pos.parent.isTextblock && $pos.parentOffset > 0 && $pos.parentOffset === $pos.parent.content.size) at -= 1
  return encodeAnchor(absolutePositionToRelativePosition(at, fragment, mapping))
}

/** Whether a struct exists in this document and neither it nor any type around it is deleted. */
function liveItem (doc: Y.Doc, id: Y.ID, fragment: Y.XmlFragment): boolean | null {
  if (Y.getState(doc.store, id.client) <= id.clock) return null // not synced here yet
  const struct = Y.getItem(doc.store, id)
  if (!(struct instanceof Y.Item) || struct.deleted) return false
  let parent = struct.parent as Y.AbstractType<any> | null
  while (parent && parent !== fragment) {
    if (!parent._item || parent._item.deleted) return false
    parent = parent._item.parent as Y.AbstractType<any> | null
  }
  return parent === fragment
}

/**
 * Whether the anchored text still exists in the local document: true/false, or null when
 * this document cannot tell yet (the anchored text has not arrived) — the caller then
 * believes the server's `attached`.
 */
export function anchorAttached (doc: Y.Doc, fragment: Y.XmlFragment, rpos: Y.RelativePosition): boolean | null {
  if (rpos.item) return liveItem(doc, rpos.item, fragment)
  if (rpos.type) return liveItem(doc, rpos.type, fragment)
  return rpos.tname !== null
}

/**
 * The anchor's ProseMirror position now, or null when it is detached, unknown here, or the
 * editor has not rendered that part of the document yet.
 */
export function anchorPosition (doc: Y.Doc, fragment: Y.XmlFragment, anchor: string, mapping: PMMapping, pmDoc: PMNode): number | null {
  const rpos = decodeAnchor(anchor)
  if (!rpos || anchorAttached(doc, fragment, rpos) !== true) return null
  try {
    const pos = relativePositionToAbsolutePosition(doc, fragment, rpos, mapping)
    return pos === null || pos < 0 || pos > pmDoc.content.size ? null : pos
  } catch {
    return null // the mapping lacks a node: the view is behind the Y document
  }
}

/** The text block around a position: where it starts and its text (for markers and excerpts). */
export function blockAt (doc: PMNode, pos: number): { start: number, text: string } | null {
  const $pos = doc.resolve(pos)
  for (let d = $pos.depth; d > 0; d--) {
    const n = $pos.node(d)
    if (n.isTextblock) return { start: $pos.before(d), text: n.textContent }
  }
  const after = $pos.nodeAfter
  if (after?.isTextblock) return { start: pos, text: after.textContent }
  return null
}

/** At most `max` characters of `text`, cut at a word boundary when one is near, with "…". */
export function excerpt (text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return (space > max / 2 ? cut.slice(0, space) : cut) + '…'
}
