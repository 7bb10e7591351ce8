// Pure logic of the amendment screens (server/drafting/AMENDMENTS.md, the issue 7 contract):
// types of the amendment JSON, labels, grouping by the base paragraphs an amendment changes,
// who may do what with an amendment (explaining the server's rights), collision groups among
// the amendments chosen for a merge and the body of POST …/merges. No DOM here, so Vitest
// covers it directly (amendments-model.test.ts).
import { t, tf, type MessageKey } from './i18n'
import type { Me, StatementDetail, StatementRights } from './model'

export const AMENDMENT_STATES = ['draft', 'submitted', 'supported', 'accepted', 'accepted-with-modification',
  'rejected', 'withdrawn', 'referred', 'obsolete'] as const
export type AmendmentState = typeof AMENDMENT_STATES[number]
/** The states the secretariat settles from (and the only ones anyone supports). */
export const OPEN_STATES: AmendmentState[] = ['submitted', 'supported']
export const ACCEPTED_STATES: AmendmentState[] = ['accepted', 'accepted-with-modification']

export interface OrgRef { id: number, short_name: string, name: string }
export interface PersonRef { id: number, name: string }
/** A base unit the amendment changes: 1-based index, its marker and the start of its text. */
export interface AmendmentParagraph { index: number, marker: string, excerpt: string }
export interface Amendment {
  number: number
  title: string
  rationale: string
  state: AmendmentState
  organization: OrgRef
  base_version: number
  document: string
  supporters: number
  created_by: PersonRef | null
  created_at: string
  // Added by the merge work of issue 7; absent from older servers, hence optional.
  paragraphs?: AmendmentParagraph[]
  collides_with?: number[]
  obsolete?: boolean
  merged_in_version?: number | null
}
export interface Transition { from: AmendmentState, to: AmendmentState, by: PersonRef | null, at: string, reason: string }
export interface Supporter { organization: OrgRef, by: PersonRef | null, at: string }
export interface AmendmentDetail extends Amendment { transitions: Transition[], supporter_list: Supporter[] }
export interface AmendmentSettings { support_threshold: number, support_deadline: string | null }

const keyOf = (s: string): string => s.replace(/-/g, '_')
export const stateLabel = (s: string): string =>
  (AMENDMENT_STATES as readonly string[]).includes(s) ? t(`amState_${keyOf(s)}` as MessageKey) : s

/** "2 of 3 needed", or just the count when no support is needed (threshold 0). */
export function supportText (supporters: number, threshold: number): string {
  return threshold > 0 ? tf('amSupportOf', { n: String(supporters), of: String(threshold) }) : tf('amSupportCount', { n: String(supporters) })
}

export interface ParagraphGroup { index: number | null, marker: string, excerpt: string, amendments: Amendment[] }

/**
 * The amendments under each base paragraph they change, paragraphs in text order, amendments
 * by number. One that changes several paragraphs is listed under each; one with no known
 * paragraph (nothing changed yet, or an older server) goes to a last group with index null.
 */
export function groupByParagraph (list: Amendment[]): ParagraphGroup[] {
  const groups = new Map<number, ParagraphGroup>()
  const none: Amendment[] = []
  for (const a of [...list].sort((x, y) => x.number - y.number)) {
    const ps = a.paragraphs ?? []
    if (!ps.length) { none.push(a); continue }
    const seen = new Set<number>()
    for (const p of ps) {
      if (seen.has(p.index)) continue
      seen.add(p.index)
      let g = groups.get(p.index)
      if (!g) { g = { index: p.index, marker: p.marker, excerpt: p.excerpt, amendments: [] }; groups.set(p.index, g) }
      g.amendments.push(a)
    }
  }
  const out = [...groups.values()].sort((x, y) => (x.index ?? 0) - (y.index ?? 0))
  if (none.length) out.push({ index: null, marker: '', excerpt: '', amendments: none })
  return out
}

/** The amendments in `state` ('' for all). */
export function filterByState (list: Amendment[], state: string): Amendment[] {
  return state ? list.filter(a => a.state === state) : list
}

/** Accepted amendments not merged yet: what the merge view offers. */
export function mergeable (list: Amendment[]): Amendment[] {
  return list.filter(a => ACCEPTED_STATES.includes(a.state) && (a.merged_in_version ?? null) === null)
    .sort((x, y) => x.number - y.number)
}

/**
 * Who collides with whom, for the merge: obsolete amendments are left out of a merge and so of
 * its collision groups (the server refuses a decision that is not exactly a group).
 */
export function collisionLinks (list: Amendment[]): Map<number, number[]> {
  const obsolete = new Set(list.filter(a => a.obsolete).map(a => a.number))
  return new Map(list.map(a => [a.number, obsolete.has(a.number) ? [] : (a.collides_with ?? []).filter(m => !obsolete.has(m))]))
}

/** A collision group's key: its numbers ascending, joined by commas. */
export const groupKey = (group: number[]): string => [...group].sort((a, b) => a - b).join(',')

/**
 * The collision groups among the selected amendments: connected sets (two or more) of
 * `collides_with` links whose both ends are selected, plus any groups the server reported
 * (a 409's `collisions`), joined where they share an amendment. Sorted by smallest number.
 */
export function collisionGroups (selected: number[], collidesWith: Map<number, number[]>, reported: number[][] = []): number[][] {
  const chosen = new Set(selected)
  const parent = new Map<number, number>()
  const find = (x: number): number => {
    let r = x
    while (parent.get(r) !== r) r = parent.get(r)!
    parent.set(x, r)
    return r
  }
  const union = (a: number, b: number) => {
    for (const x of [a, b]) if (!parent.has(x)) parent.set(x, x)
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb))
  }
  for (const n of chosen) {
    for (const m of collidesWith.get(n) ?? []) if (m !== n && chosen.has(m)) union(n, m)
  }
  for (const g of reported) {
    const inside = g.filter(n => chosen.has(n))
    for (const m of inside.slice(1)) union(inside[0], m)
  }
  const byRoot = new Map<number, number[]>()
  for (const n of parent.keys()) {
    const r = find(n)
    byRoot.set(r, [...(byRoot.get(r) ?? []), n])
  }
  return [...byRoot.values()].filter(g => g.length > 1).map(g => g.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0])
}

/** A decision for one collision group: the number taken, or the compromise written in the draft. */
export type Choice = number | 'compromise'
export type Decision = { amendments: number[], take: number } | { amendments: number[], compromise: true }
export interface MergeBody { amendments: number[], decisions: Decision[], label?: string }

/** The groups that still lack a (valid) decision. */
export function undecided (groups: number[][], choices: Map<string, Choice>): number[][] {
  return groups.filter(g => {
    const c = choices.get(groupKey(g))
    return c === undefined || (c !== 'compromise' && !g.includes(c))
  })
}

/** The body of POST /statements/{slug}/merges; decisions only for the groups that have one. */
export function mergeBody (selected: number[], groups: number[][], choices: Map<string, Choice>, label = ''): MergeBody {
  const decisions: Decision[] = []
  for (const g of groups) {
    const c = choices.get(groupKey(g))
    if (c === 'compromise') decisions.push({ amendments: [...g], compromise: true })
    else if (c !== undefined && g.includes(c)) decisions.push({ amendments: [...g], take: c })
  }
  const body: MergeBody = { amendments: [...new Set(selected)].sort((a, b) => a - b), decisions }
  if (label.trim()) body.label = label.trim()
  return body
}

/** "statement.<slug>.amendment.<n>" → its statement and number; null for other documents. */
export function amendmentDocument (name: string): { slug: string, number: number } | null {
  const m = name.match(/^statement\.([a-z0-9-]+)\.amendment\.([1-9][0-9]*)$/)
  return m ? { slug: m[1], number: Number(m[2]) } : null
}

const isDelegateOf = (me: Me, orgId: number): boolean => me.memberships.some(m => m.organization_id === orgId && m.role === 'delegate')

/** What the signed-in user may do with this amendment now (from the server's rights and the rules of AMENDMENTS.md). */
export interface AmendmentActions {
  edit: boolean // title, rationale and text (the proposer, while draft)
  submit: boolean
  withdraw: boolean
  supportFor: number[] // organizations the user may add support for
  unsupportFor: number[] // organizations whose support the user may withdraw
  settle: boolean // accept, accept with modification, reject, refer
  obsolete: boolean // make it obsolete, naming an accepted amendment
  compromise: boolean // write a compromise in its text (the secretariat, while settling)
}

export function amendmentActions (me: Me, rights: StatementRights, a: AmendmentDetail): AmendmentActions {
  const proposer = rights['propose-amendment-for'].includes(a.organization.id)
  const open = OPEN_STATES.includes(a.state)
  const supporting = new Set(a.supporter_list.map(s => s.organization.id))
  const others = rights['support-amendment-for'].filter(id => id !== a.organization.id)
  return {
    edit: proposer && a.state === 'draft',
    submit: proposer && a.state === 'draft',
    // Withdrawing has no phase or deadline: any delegate of the proposer, draft or submitted.
    withdraw: isDelegateOf(me, a.organization.id) && (a.state === 'draft' || a.state === 'submitted'),
    supportFor: open ? others.filter(id => !supporting.has(id)) : [],
    unsupportFor: open ? others.filter(id => supporting.has(id)) : [],
    settle: rights['settle-amendment'] && open,
    obsolete: rights['settle-amendment'] && (a.state === 'draft' || open),
    compromise: rights['settle-amendment'] && open
  }
}

/**
 * Why the signed-in user may not write this amendment's text (null when they may). The
 * server decides on the socket; this explains it before anyone types.
 */
export function amendmentReadOnlyReason (me: Me, s: StatementDetail, a: AmendmentDetail): string | null {
  const can = amendmentActions(me, s.rights, a)
  if (can.edit || can.compromise) return null
  const org = a.organization.short_name
  if (a.state === 'draft') {
    if (!isDelegateOf(me, a.organization.id)) return tf('amRoNotProposer', { org })
    if (s.phase !== 'amendments') return t('amRoPhase')
    return t('amRoDeadline')
  }
  if (OPEN_STATES.includes(a.state)) return t('amRoSubmitted')
  return tf('amRoSettled', { state: stateLabel(a.state) })
}

/** The settling moves offered to the secretariat and whether each needs a reason. */
export const SETTLE_MOVES: Array<{ to: AmendmentState, reason: boolean }> = [
  { to: 'accepted', reason: false },
  { to: 'accepted-with-modification', reason: true },
  { to: 'rejected', reason: true },
  { to: 'referred', reason: true },
  { to: 'obsolete', reason: false }
]

/** The hash routes of the amendment screens. */
export const amendmentsHref = (slug: string, state = ''): string =>
  `/#/statements/${encodeURIComponent(slug)}/amendments${state ? `?state=${encodeURIComponent(state)}` : ''}`
export const amendmentHref = (slug: string, n: number): string => `/#/statements/${encodeURIComponent(slug)}/amendments/${n}`
export const mergeHref = (slug: string): string => `/#/statements/${encodeURIComponent(slug)}/merge`
