// The diff between two versions (GET /statements/{slug}/diff, JSON schema version 1 of
// server/drafting/DIFF.md) drawn in the client, inline or side by side. `diffTree` is a pure
// function from the JSON to a small element tree (unit-tested without a DOM); `toDom` makes
// the elements with createElement / createTextNode / setAttribute only, so text from the
// server is never parsed as HTML. Readable without colour: insertions are <ins> (underlined)
// between "{+ +}", deletions <del> (struck) between "[- -]", whole units and moves carry a
// label in words, and screen readers hear "inserted: … (end of insertion)" instead of the
// brackets (which are aria-hidden).
import { t, tf, type MessageKey } from './i18n'

export type SpanOp = 'equal' | 'delete' | 'insert'
export interface DiffSpan { op: SpanOp, text: string }
export type EntryKind = 'equal' | 'changed' | 'inserted' | 'deleted' | 'moved_to' | 'moved_from'
export interface DiffEntry {
  kind: EntryKind
  old_index: number | null
  new_index: number | null
  old_marker: string | null
  new_marker: string | null
  marker_changed: boolean
  counterpart: number | null
  spans: DiffSpan[]
}
export interface DiffStats {
  equal: number, changed: number, inserted: number, deleted: number, moved: number, markers_changed: number,
  words_inserted: number, words_deleted: number, work: number, bounded: boolean
}
export interface DiffDoc { version: number, stats: DiffStats, entries: DiffEntry[] }
export interface VersionDiff { from: number, to: number | 'draft', diff: DiffDoc }
export type Layout = 'inline' | 'side'

/** An element: tag, attributes, children (a string child is always a text node). */
export interface VNode { tag: string, attrs: Record<string, string>, children: Child[] }
export type Child = VNode | string

function h (tag: string, attrs: Record<string, string> = {}, ...children: Array<Child | Child[] | null>): VNode {
  const out: Child[] = []
  for (const c of children.flat()) if (c !== null && c !== '') out.push(c)
  return { tag, attrs, children: out }
}

const hidden = (text: string): VNode => h('span', { class: 'diff-bracket', 'aria-hidden': 'true' }, text)
// Spoken-only words; the spaces stay inside so that the visible text has none extra.
const spoken = (key: MessageKey, before = '', after = ''): VNode => h('span', { class: 'sr-only' }, before + t(key) + after)

/** Text with its continuation lines ("\n") as <br>. */
function lines (text: string): Child[] {
  const out: Child[] = []
  text.split('\n').forEach((line, i) => { if (i) out.push(h('br')); if (line) out.push(line) })
  return out
}

export function ins (text: string): VNode {
  return h('span', { class: 'diff-ins-wrap' }, hidden('{+'),
    h('ins', { class: 'diff-ins' }, spoken('srInserted', '', ' '), lines(text), spoken('srEndInserted', ' ')), hidden('+}'))
}
export function del (text: string): VNode {
  return h('span', { class: 'diff-del-wrap' }, hidden('[-'),
    h('del', { class: 'diff-del' }, spoken('srDeleted', '', ' '), lines(text), spoken('srEndDeleted', ' ')), hidden('-]'))
}

function spans (list: DiffSpan[], side: 'old' | 'new' | 'both'): Child[] {
  const out: Child[] = []
  for (const s of list) {
    if (s.op === 'equal') out.push(...lines(s.text))
    else if (s.op === 'delete' && side !== 'new') out.push(del(s.text))
    else if (s.op === 'insert' && side !== 'old') out.push(ins(s.text))
  }
  return out
}

const sect = (i: number | null): string => i === null ? '' : `§${i + 1}`
const pos = (i: number | null): VNode | null => i === null ? null : h('span', { class: 'diff-pos' }, sect(i))
const bare = (m: string | null): string => (m ?? '').trim()
const marker = (m: string | null): VNode | null => bare(m) ? h('span', { class: 'diff-marker' }, bare(m)) : null
const label = (text: string): VNode => h('span', { class: 'diff-label' }, text)

/** "Renumbered 3. → 4." for list points, "Level changed: ## → ###" for the rest. */
export function markerNote (e: DiffEntry): string {
  const from = bare(e.old_marker) || '∅'
  const to = bare(e.new_marker) || '∅'
  const numbered = /^\d+\.$/.test(from) && /^\d+\.$/.test(to)
  return tf(numbered ? 'diffRenumbered' : 'diffMarkerChanged', { from, to })
}

function changedSpans (e: DiffEntry): boolean { return e.spans.some(s => s.op !== 'equal') }

/** The words that label a unit (empty for an unchanged one). */
export function entryLabel (e: DiffEntry): string {
  switch (e.kind) {
    case 'inserted': return t('diffInserted')
    case 'deleted': return t('diffDeleted')
    case 'changed': return t('diffChanged')
    case 'moved_to': return tf('diffMovedTo', { n: sect(e.new_index) })
    case 'moved_from': return tf(changedSpans(e) ? 'diffMovedFromEdited' : 'diffMovedFrom', { n: sect(e.old_index) })
    default: return ''
  }
}

const oldOnly = (e: DiffEntry): boolean => e.kind === 'deleted' || e.kind === 'moved_to'

/**
 * The marker on one side ("both": the inline layout). A changed marker shows struck and
 * underlined where the unit is in the new text; at the old end of a move it is the old one.
 */
function markerFor (e: DiffEntry, side: 'old' | 'new' | 'both'): Child[] {
  const useOld = side === 'old' || (side === 'both' && oldOnly(e))
  if (!e.marker_changed || oldOnly(e)) return [marker(useOld ? e.old_marker : e.new_marker) ?? '']
  const out: Child[] = []
  if (side !== 'new' && bare(e.old_marker)) out.push(h('span', { class: 'diff-marker' }, del(bare(e.old_marker))))
  if (side !== 'old' && bare(e.new_marker)) out.push(h('span', { class: 'diff-marker' }, ins(bare(e.new_marker))))
  return out
}

function head (...parts: Array<VNode | string | null>): VNode | null {
  const kept = parts.filter((p): p is VNode | string => p !== null && p !== '')
  return kept.length ? h('p', { class: 'diff-head' }, ...kept) : null
}

function inlineEntry (e: DiffEntry, i: number): VNode {
  const where = pos(oldOnly(e) ? e.old_index : e.new_index)
  const note = e.marker_changed && !oldOnly(e) ? h('span', { class: 'diff-note' }, markerNote(e)) : null
  const lab = entryLabel(e)
  return h('div', { class: `diff-unit diff-${e.kind}`, 'data-kind': e.kind, 'data-entry': String(i) },
    head(where, lab ? label(lab) : null, note),
    h('div', { class: 'diff-text' }, markerFor(e, 'both'), spans(e.spans, 'both')))
}

function sideCell (e: DiffEntry, side: 'old' | 'new', title: string): VNode {
  const index = side === 'old' ? e.old_index : e.new_index
  const present = side === 'old'
    ? ['equal', 'changed', 'deleted', 'moved_to'].includes(e.kind)
    : ['equal', 'changed', 'inserted', 'moved_from'].includes(e.kind)
  const cls = `diff-${side}`
  if (!present) {
    // The other side's unit: say where its text is on this side, or that it is not there.
    const note = e.kind === 'moved_to' ? tf('diffMovedTo', { n: sect(e.new_index) })
      : e.kind === 'moved_from' ? tf('diffMovedFrom', { n: sect(e.old_index) })
        : t('diffAbsent')
    return h('td', { class: `${cls} diff-empty`, 'data-label': title }, h('span', { class: 'diff-note' }, note))
  }
  // The label goes with the side where the change happens (a deletion on the old side, the
  // rest on the new one).
  const labelHere = oldOnly(e) ? side === 'old' : side === 'new'
  const lab = labelHere ? entryLabel(e) : ''
  const note = e.marker_changed && side === 'new' && !oldOnly(e) ? h('span', { class: 'diff-note' }, markerNote(e)) : null
  return h('td', { class: cls, 'data-label': title },
    head(pos(index), lab ? label(lab) : null, note),
    h('div', { class: 'diff-text' }, markerFor(e, side), spans(e.spans, side)))
}

export interface Titles { old: string, new: string }

function summary (s: DiffStats): VNode {
  const vars = {
    changed: String(s.changed), inserted: String(s.inserted), deleted: String(s.deleted), moved: String(s.moved),
    markers: String(s.markers_changed), equal: String(s.equal), wordsIns: String(s.words_inserted), wordsDel: String(s.words_deleted)
  }
  return h('p', { class: 'diff-summary', id: 'diff-summary' }, tf('diffSummary', vars))
}

export function legend (): VNode {
  return h('div', { class: 'diff-legend', id: 'diff-legend' },
    h('h3', {}, t('diffLegend')),
    h('ul', {},
      h('li', {}, ins(t('legendInsSample')), ' — ', t('legendIns')),
      h('li', {}, del(t('legendDelSample')), ' — ', t('legendDel')),
      h('li', {}, label(tf('diffMovedFrom', { n: '§2' })), ' / ', label(tf('diffMovedTo', { n: '§5' })), ' — ', t('legendMove')),
      h('li', {}, h('span', { class: 'diff-note' }, tf('diffRenumbered', { from: '3.', to: '4.' })), ' — ', t('legendRenumber')),
      h('li', {}, h('span', { class: 'diff-pos' }, '§4'), ' — ', t('legendPos'))))
}

/** The whole diff: summary counts, legend, then the units in the chosen layout. */
export function diffTree (d: VersionDiff, layout: Layout, titles: Titles): VNode {
  const { stats, entries } = d.diff
  const parts: Child[] = [summary(stats)]
  if (stats.bounded) parts.push(h('p', { class: 'notice' }, t('diffBounded')))
  const same = entries.every(e => e.kind === 'equal' && !e.marker_changed)
  if (same) parts.push(h('p', { class: 'diff-same', role: 'status' }, t('diffNoChanges')))
  parts.push(legend())
  if (layout === 'inline') {
    parts.push(h('div', { class: 'diff-body diff-inline', id: 'diff-body' }, entries.map(inlineEntry)))
  } else {
    parts.push(h('table', { class: 'diff-body diff-side', id: 'diff-body' },
      h('caption', { class: 'sr-only' }, t('diffSideCaption')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, titles.old), h('th', { scope: 'col' }, titles.new))),
      h('tbody', {}, entries.map((e, i) => h('tr', { class: `diff-row diff-${e.kind}`, 'data-kind': e.kind, 'data-entry': String(i) },
        sideCell(e, 'old', titles.old), sideCell(e, 'new', titles.new))))))
  }
  return h('div', { class: `diff diff-layout-${layout}`, 'data-layout': layout }, ...parts)
}

/** The part of Document that toDom uses (tests pass a recording stand-in). */
export interface DomMaker {
  createElement (tag: string): { setAttribute (k: string, v: string): void, appendChild (c: any): unknown }
  createTextNode (text: string): unknown
}

export function toDom<T = HTMLElement> (node: VNode, doc: DomMaker = document): T {
  const e = doc.createElement(node.tag)
  for (const [k, v] of Object.entries(node.attrs)) e.setAttribute(k, v)
  for (const c of node.children) e.appendChild(typeof c === 'string' ? doc.createTextNode(c) : toDom(c, doc))
  return e as T
}

/** The diff JSON as DOM, ready to insert. */
export function renderDiff (d: VersionDiff, layout: Layout, titles: Titles, doc: DomMaker = document): HTMLElement {
  return toDom(diffTree(d, layout, titles), doc)
}
