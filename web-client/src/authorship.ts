// "Show who wrote what": the workspace's optional colouring of the text by organization.
// Each character of a Y.XmlText is a Yjs item whose id names the client that wrote it; the
// server says which user (and so which organization) sent each client id (GET
// /statements/{slug}/authors). Walking the Y.XmlFragment alongside the ProseMirror document
// y-prosemirror renders from it gives ProseMirror ranges by client id; those become inline decorations, one colour plus one underline
// pattern per organization, with a legend naming the organizations and the pattern in words.
import * as Y from 'yjs'
import { Plugin, PluginKey } from 'prosemirror-state'
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view'
import type { Node as PMNode } from 'prosemirror-model'
import { el } from './dom'
import { t, tf, type MessageKey } from './i18n'
import { api } from './api'
import type { Author } from './model'

/** Text written by one client, in ProseMirror positions [from, to). */
export interface AuthorRun { from: number, to: number, client: number }

/**
 * The runs of text by client id: the Y.XmlFragment and the ProseMirror document that
 * y-prosemirror renders from it are walked side by side (an element for each Y.XmlElement,
 * consecutive text nodes for each Y.XmlText). Where the two disagree (the editor has not
 * caught up yet, or y-prosemirror dropped an invalid node) that part is left uncoloured
 * rather than coloured wrongly.
 */
export function authorRuns (doc: PMNode, fragment: Y.XmlFragment): AuthorRun[] {
  const runs: AuthorRun[] = []
  walk(fragment, doc, 0, runs)
  return runs
}

function walk (yParent: Y.XmlFragment | Y.XmlElement, pmParent: PMNode, start: number, runs: AuthorRun[]): boolean {
  let pos = start
  let index = 0
  for (const y of yParent.toArray()) {
    if (y instanceof Y.XmlText) {
      const len = y.length
      if (!len) continue
      let covered = 0
      while (covered < len && index < pmParent.childCount && pmParent.child(index).isText) covered += pmParent.child(index++).nodeSize
      if (covered !== len) return false
      textRuns(y, pos, len, runs)
      pos += len
    } else if (y instanceof Y.XmlElement) {
      const pm = index < pmParent.childCount ? pmParent.child(index) : null
      if (!pm || pm.type.name !== y.nodeName) return false
      const inner: AuthorRun[] = []
      if (walk(y, pm, pos + 1, inner)) runs.push(...inner)
      pos += pm.nodeSize
      index++
    }
  }
  return index === pmParent.childCount
}

/** The items of one Y.XmlText from `start`: deleted items and formatting take no place. */
function textRuns (text: Y.XmlText, start: number, len: number, runs: AuthorRun[]): void {
  let offset = 0
  for (let item = text._start as Y.Item | null; item !== null && offset < len; item = item.right as Y.Item | null) {
    if (item.deleted || !item.countable) continue
    const n = Math.min(item.length, len - offset)
    const from = start + offset
    const last = runs[runs.length - 1]
    if (last && last.client === item.id.client && last.to === from) last.to += n
    else runs.push({ from, to: from + n, client: item.id.client })
    offset += n
  }
}

export const PATTERNS = 8
/** An organization as the legend shows it, with its style index (0..PATTERNS-1). */
export interface OrgStyle { key: string, short: string, name: string, style: number, people: string[] }

/**
 * A style per organization (users without one are grouped by their name), in order of
 * short name so that each organization keeps its style while the list grows in between.
 */
export function styleAuthors (authors: Author[]): { byClient: Map<number, OrgStyle>, orgs: OrgStyle[] } {
  const orgs = new Map<string, OrgStyle>()
  const byClient = new Map<number, OrgStyle>()
  for (const a of authors) {
    const key = a.organization ? `o${a.organization.id}` : `u${a.user.id}`
    let o = orgs.get(key)
    if (!o) {
      o = { key, short: a.organization?.short_name ?? a.user.name, name: a.organization?.name ?? a.user.name, style: 0, people: [] }
      orgs.set(key, o)
    }
    if (!o.people.includes(a.user.name)) o.people.push(a.user.name)
    byClient.set(a.client_id, o)
  }
  const sorted = [...orgs.values()].sort((a, b) => a.short.localeCompare(b.short) || a.key.localeCompare(b.key))
  sorted.forEach((o, i) => { o.style = i % PATTERNS })
  return { byClient, orgs: sorted }
}

export function decorationsFor (doc: PMNode, runs: AuthorRun[], byClient: Map<number, OrgStyle>): DecorationSet {
  const decos: Decoration[] = []
  for (const r of runs) {
    const o = byClient.get(r.client)
    if (!o || r.to <= r.from) continue
    decos.push(Decoration.inline(r.from, r.to, {
      class: `author author-${o.style}`, 'data-org': o.short, title: tf('authorsBy', { org: o.short, people: o.people.join(', ') })
    }))
  }
  return DecorationSet.create(doc, decos)
}

const key = new PluginKey<DecorationSet>('accord-authorship')

/** The plugin that holds the decorations; they are replaced by a transaction's meta and mapped otherwise. */
export function authorshipPlugin (): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set) => {
        const next = tr.getMeta(key) as DecorationSet | undefined
        return next ?? set.map(tr.mapping, tr.doc)
      }
    },
    props: { decorations: state => key.getState(state) }
  })
}

export interface Authorship { setEnabled (on: boolean): Promise<void> }

/**
 * The toggle's behaviour: fetch the authors, colour, fill the legend; recolour at most every
 * `throttleMs` while the document changes, and ask the server again (at most every 5 s)
 * when text from an unknown client id appears.
 */
export function authorship (view: EditorView, fragment: Y.XmlFragment, slug: string, legend: HTMLElement, throttleMs = 400): Authorship {
  let enabled = false
  let authors: Author[] = []
  let fetchedAt = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  const fetchAuthors = async (): Promise<boolean> => {
    fetchedAt = Date.now()
    const r = await api('GET', `/statements/${encodeURIComponent(slug)}/authors`)
    if (r.status !== 200) { legend.replaceChildren(el('p', { className: 'notice', role: 'alert' }, t('authorsFailed'))); return false }
    authors = r.body.items ?? []
    return true
  }

  const paint = async () => {
    if (!enabled) return
    const runs = authorRuns(view.state.doc, fragment)
    let styled = styleAuthors(authors)
    if (runs.some(r => !styled.byClient.has(r.client)) && Date.now() - fetchedAt > 5000) {
      if (!await fetchAuthors() || !enabled) return
      styled = styleAuthors(authors)
    }
    view.dispatch(view.state.tr.setMeta(key, decorationsFor(view.state.doc, runs, styled.byClient)).setMeta('addToHistory', false))
    drawLegend(styled.orgs.filter(o => runs.some(r => styled.byClient.get(r.client) === o)))
  }

  const drawLegend = (orgs: OrgStyle[]) => {
    if (!orgs.length) { legend.replaceChildren(el('p', { className: 'hint' }, t('authorsNone'))); return }
    legend.replaceChildren(el('h3', {}, t('authorsLegend')), el('ul', { className: 'authors-legend' }, ...orgs.map(o =>
      el('li', { 'data-org': o.short },
        el('span', { className: `swatch author author-${o.style}`, 'aria-hidden': 'true' }, 'Abc'), ' ',
        el('span', {}, el('strong', {}, o.short), ` — ${o.name}`, el('br'), el('span', { className: 'hint' }, `${t(`pattern_${o.style}` as MessageKey)}; ${o.people.join(', ')}`))))))
  }

  const schedule = () => {
    if (!enabled || timer) return
    timer = setTimeout(() => { timer = null; void paint() }, throttleMs)
  }
  fragment.doc?.on('update', schedule)

  return {
    async setEnabled (on: boolean) {
      enabled = on
      legend.hidden = !on
      if (!on) {
        view.dispatch(view.state.tr.setMeta(key, DecorationSet.empty).setMeta('addToHistory', false))
        legend.replaceChildren()
        return
      }
      if (await fetchAuthors()) await paint()
    }
  }
}
