import { describe, it, expect, beforeEach } from 'vitest'
import { setLanguage } from './i18n'
import { diffTree, toDom, markerNote, entryLabel, type DiffEntry, type DiffStats, type VersionDiff, type VNode, type Child, type DomMaker } from './diff-view'

const stats: DiffStats = { equal: 1, changed: 1, inserted: 1, deleted: 1, moved: 1, markers_changed: 1, words_inserted: 3, words_deleted: 2, work: 40, bounded: false }
const entry = (over: Partial<DiffEntry>): DiffEntry => ({
  kind: 'equal', old_index: 0, new_index: 0, old_marker: '', new_marker: '', marker_changed: false, counterpart: null, spans: [], ...over
})
// One entry of each kind, in new-document order as DIFF.md describes (old-only entries first).
const ENTRIES: DiffEntry[] = [
  entry({ kind: 'equal', old_index: 0, new_index: 0, old_marker: '# ', new_marker: '# ', spans: [{ op: 'equal', text: 'Closing declaration' }] }),
  entry({ kind: 'moved_to', old_index: 1, new_index: 4, old_marker: '', new_marker: '', counterpart: 5, spans: [{ op: 'delete', text: 'A paragraph that moves.' }] }),
  entry({
    kind: 'changed', old_index: 2, new_index: 1, old_marker: '1. ', new_marker: '1. ',
    spans: [{ op: 'equal', text: 'We ' }, { op: 'delete', text: 'demand' }, { op: 'insert', text: 'call for' }, { op: 'equal', text: ' peace.' }]
  }),
  entry({ kind: 'deleted', old_index: 3, new_index: null, old_marker: '2. ', new_marker: null, spans: [{ op: 'delete', text: 'Gone point.' }] }),
  entry({ kind: 'inserted', old_index: null, new_index: 2, old_marker: null, new_marker: '2. ', spans: [{ op: 'insert', text: 'New point,\nwith a second line.' }] }),
  entry({ kind: 'equal', old_index: 4, new_index: 3, old_marker: '3. ', new_marker: '4. ', marker_changed: true, spans: [{ op: 'equal', text: 'Renumbered point.' }] }),
  entry({ kind: 'moved_from', old_index: 1, new_index: 4, old_marker: '', new_marker: '', counterpart: 1, spans: [{ op: 'equal', text: 'A paragraph that ' }, { op: 'insert', text: 'now ' }, { op: 'equal', text: 'moves.' }] })
]
const DIFF: VersionDiff = { from: 1, to: 2, diff: { version: 1, stats, entries: ENTRIES } }
const TITLES = { old: 'Version 1', new: 'Version 2' }

// Walks the tree.
function all (n: VNode): VNode[] { return [n, ...n.children.flatMap(c => typeof c === 'string' ? [] : all(c))] }
function text (n: Child): string { return typeof n === 'string' ? n : n.tag === 'br' ? '\n' : n.children.map(text).join('') }
const byClass = (n: VNode, cls: string): VNode[] => all(n).filter(x => (x.attrs.class ?? '').split(' ').includes(cls))
/** The text a sighted reader sees: without the screen-reader-only parts. */
function visible (n: Child): string {
  if (typeof n === 'string') return n
  if (n.attrs.class === 'sr-only') return ''
  return n.tag === 'br' ? '\n' : n.children.map(visible).join('')
}
/** The text a screen reader reads: without aria-hidden parts. */
function spoken (n: Child): string {
  if (typeof n === 'string') return n
  if (n.attrs['aria-hidden'] === 'true') return ''
  return n.tag === 'br' ? '\n' : n.children.map(spoken).join('')
}

beforeEach(() => setLanguage('en'))

describe('diff inline', () => {
  const tree = diffTree(DIFF, 'inline', TITLES)
  const units = byClass(tree, 'diff-unit')
  it('draws one unit per entry, in order, with its kind', () => {
    expect(units.map(u => u.attrs['data-kind'])).toEqual(ENTRIES.map(e => e.kind))
  })
  it('shows a word change as <del> then <ins>, with brackets and labels readable without colour', () => {
    const changed = units[2]
    expect(visible(changed)).toBe('§2Changed1.We [-demand-]{+call for+} peace.')
    expect(all(changed).filter(n => n.tag === 'del').map(text)).toEqual(['deleted: demand (end of deletion)'])
    expect(all(changed).filter(n => n.tag === 'ins').map(text)).toEqual(['inserted: call for (end of insertion)'])
    // Screen readers hear words, not brackets.
    expect(spoken(changed)).toContain('We deleted: demand (end of deletion)inserted: call for (end of insertion) peace.')
    expect(spoken(changed)).not.toMatch(/\[-|\{\+/)
  })
  it('labels inserted and deleted units in words and keeps continuation lines', () => {
    expect(visible(units[3])).toBe('§4Deleted2.[-Gone point.-]')
    expect(visible(units[4])).toBe('§3Inserted2.{+New point,\nwith a second line.+}')
    expect(all(units[4]).some(n => n.tag === 'br')).toBe(true)
  })
  it('names both ends of a move by paragraph number', () => {
    expect(visible(units[1])).toBe('§2Moved to §5[-A paragraph that moves.-]')
    expect(visible(units[6])).toBe('§5Moved from §2, with changesA paragraph that {+now +}moves.')
  })
  it('shows a marker-only change as a renumbering, the old number struck and the new underlined', () => {
    expect(visible(units[5])).toBe('§4Renumbered 3. → 4.[-3.-]{+4.+}Renumbered point.')
    expect(byClass(units[5], 'diff-ins')).toHaveLength(1)
  })
  it('an unchanged unit has no label', () => {
    expect(byClass(units[0], 'diff-label')).toHaveLength(0)
    expect(visible(units[0])).toBe('§1#Closing declaration')
  })
  it('summarises the counts from stats and has a legend', () => {
    expect(text(byClass(tree, 'diff-summary')[0])).toBe('1 changed, 1 inserted, 1 deleted, 1 moved, 1 renumbered, 1 unchanged; words: 3 inserted, 2 deleted.')
    const legend = byClass(tree, 'diff-legend')[0]
    expect(all(legend).some(n => n.tag === 'ins')).toBe(true)
    expect(all(legend).some(n => n.tag === 'del')).toBe(true)
    expect(visible(legend)).toMatch(/underlined/)
  })
})

describe('diff side by side', () => {
  const tree = diffTree(DIFF, 'side', TITLES)
  const rows = all(tree).filter(n => n.tag === 'tr' && n.attrs['data-kind'])
  const cells = (i: number) => rows[i].children as VNode[]
  it('is a table with the two versions as column headers, one row per entry', () => {
    expect(all(tree).filter(n => n.tag === 'th').map(text)).toEqual(['Version 1', 'Version 2'])
    expect(rows.map(r => r.attrs['data-kind'])).toEqual(ENTRIES.map(e => e.kind))
    // Each cell names its column, for the stacked layout on phones.
    for (const r of rows) expect((r.children as VNode[]).map(c => c.attrs['data-label'])).toEqual(['Version 1', 'Version 2'])
  })
  it('puts deletions on the old side and insertions on the new side', () => {
    const [o, n] = cells(2)
    expect(visible(o)).toBe('§31.We [-demand-] peace.')
    expect(visible(n)).toBe('§2Changed1.We {+call for+} peace.')
  })
  it('says where a unit is missing or moved on the other side', () => {
    expect(visible(cells(3)[1])).toBe('Not in this version')
    expect(visible(cells(4)[0])).toBe('Not in this version')
    expect(visible(cells(1)[1])).toBe('Moved to §5')
    expect(visible(cells(6)[0])).toBe('Moved from §2')
    expect(cells(6)[0].attrs.class).toBe('diff-old diff-empty')
  })
  it('shows the renumbering on both sides', () => {
    const [o, n] = cells(5)
    expect(visible(o)).toBe('§5[-3.-]Renumbered point.')
    expect(visible(n)).toBe('§4Renumbered 3. → 4.{+4.+}Renumbered point.')
  })
})

describe('diff details', () => {
  it('says when nothing changed, and when the comparison was bounded', () => {
    const same: VersionDiff = { from: 1, to: 'draft', diff: { version: 1, stats: { ...stats, bounded: true }, entries: [ENTRIES[0]] } }
    const tree = diffTree(same, 'inline', TITLES)
    expect(byClass(tree, 'diff-same').map(text)).toEqual(['No differences: the two texts are the same.'])
    expect(visible(tree)).toMatch(/differ a lot/)
    expect(byClass(diffTree(DIFF, 'inline', TITLES), 'diff-same')).toHaveLength(0)
  })
  it('labels markers and moves in Spanish', () => {
    setLanguage('es')
    expect(markerNote(ENTRIES[5])).toBe('Renumerado 3. → 4.')
    expect(markerNote(entry({ old_marker: '## ', new_marker: '### ', marker_changed: true }))).toBe('Marca cambiada: ## → ###')
    expect(entryLabel(ENTRIES[1])).toBe('Trasladado a §5')
    expect(entryLabel(ENTRIES[6])).toBe('Trasladado desde §2, con cambios')
    expect(entryLabel({ ...ENTRIES[6], spans: [{ op: 'equal', text: 'x' }] })).toBe('Trasladado desde §2')
  })
})

// A stand-in document that records how nodes are made: toDom must never parse markup.
class FakeText { constructor (public data: string) {} }
class FakeElement {
  attrs: Record<string, string> = {}
  children: Array<FakeElement | FakeText> = []
  constructor (public tag: string) {}
  setAttribute (k: string, v: string) { this.attrs[k] = v }
  appendChild (c: FakeElement | FakeText) { this.children.push(c); return c }
  get text (): string { return this.children.map(c => c instanceof FakeText ? c.data : c.text).join('') }
}
const fakeDoc: DomMaker = { createElement: tag => new FakeElement(tag), createTextNode: s => new FakeText(s) }

describe('escaping', () => {
  const hostile = '<img src=x onerror=alert(1)> & "quotes" <script>alert(2)</script>'
  const d: VersionDiff = {
    from: 1, to: 2,
    diff: {
      version: 1, stats,
      entries: [
        entry({ kind: 'changed', old_marker: '<b>', new_marker: '<b>', spans: [{ op: 'equal', text: hostile }, { op: 'delete', text: '<i>x</i>' }, { op: 'insert', text: '&amp;' }] }),
        entry({ kind: 'inserted', old_index: null, new_index: 1, old_marker: null, new_marker: '- ', spans: [{ op: 'insert', text: '</td><td>' }] })
      ]
    }
  }
  for (const layout of ['inline', 'side'] as const) {
    it(`inserts every text as a text node (${layout})`, () => {
      const root = toDom<FakeElement>(diffTree(d, layout, { old: '<u>old</u>', new: 'new' }), fakeDoc)
      const texts: string[] = []
      const tags = new Set<string>()
      const walk = (n: FakeElement | FakeText) => {
        if (n instanceof FakeText) { texts.push(n.data); return }
        tags.add(n.tag)
        n.children.forEach(walk)
      }
      walk(root)
      // The server's text arrives unchanged in text nodes; no element came from it.
      expect(texts).toContain(hostile)
      expect(texts).toContain('<i>x</i>')
      expect(texts).toContain('&amp;')
      expect(texts).toContain('</td><td>')
      for (const tag of ['img', 'script', 'b', 'i', 'u']) expect(tags.has(tag)).toBe(false)
      expect(root.text).toContain(hostile)
    })
  }
  it('copies attributes with setAttribute only', () => {
    const root = toDom<FakeElement>(diffTree(d, 'side', { old: '"><script>', new: 'n' }), fakeDoc)
    const find = (n: FakeElement): FakeElement[] => [n, ...n.children.flatMap(c => c instanceof FakeElement ? find(c) : [])]
    const td = find(root).find(n => n.tag === 'td')!
    expect(td.attrs['data-label']).toBe('"><script>')
  })
})
