// Pure client logic over the REST API's representations (proto/openapi.yaml): types, labels,
// who sees which navigation, why a draft is read-only, and problem+json → field errors. No
// DOM here, so Vitest covers it directly (model.test.ts).
import { t, tf, type MessageKey } from './i18n'

export type Role = 'secretariat' | 'delegate' | 'signatory' | 'observer'
export type Phase = 'drafting' | 'amendments' | 'consolidation' | 'final'
export type OrgKind = 'union' | 'party' | 'movement' | 'ngo' | 'other'
export const ROLES: Role[] = ['secretariat', 'delegate', 'signatory', 'observer']
export const PHASES: Phase[] = ['drafting', 'amendments', 'consolidation', 'final']
export const ORG_KINDS: OrgKind[] = ['union', 'party', 'movement', 'ngo', 'other']
export const PARTICIPATION_FLAGS = ['edit', 'amend', 'sign', 'convener'] as const
export type ParticipationFlag = typeof PARTICIPATION_FLAGS[number]

export interface Organization { id: number, name: string, short_name: string, country: string, kind: OrgKind, website: string, hosts_instance: boolean }
export interface Membership { id: number, user_id: number, organization_id: number, role: Role, organization?: Organization }
export interface Me {
  user: { id: number, email: string, display_name: string, language: string }
  memberships: Membership[]
  instance_secretariat: boolean
  csrf_token: string | null
}
export interface Participation { organization_id: number, convener: boolean, edit: boolean, amend: boolean, sign: boolean }
export interface Statement { id: number, slug: string, title: string, language: string, phase: Phase, phase_deadline: string | null, document: string }
/** A statement as GET /statements lists it. */
export interface StatementSummary extends Statement { participants: Participation[] }

/** Source languages offered when a statement is created (BCP 47 tag, endonym). */
export const SOURCE_LANGUAGES: Array<[string, string]> = [
  ['es', 'Español'], ['en', 'English'], ['pt', 'Português'], ['fr', 'Français'], ['de', 'Deutsch'],
  ['it', 'Italiano'], ['ar', 'العربية'], ['ru', 'Русский'], ['zh', '中文']
]
export interface StatementRights {
  'edit-draft': boolean, 'settle-amendment': boolean, 'change-phase': boolean, 'publish-version': boolean,
  'manage-participants': boolean, 'propose-amendment-for': number[], 'support-amendment-for': number[], 'endorse-for': number[]
}
export interface StatementDetail extends StatementSummary { rights: StatementRights }
export interface Problem { type?: string, title?: string, status?: number, detail?: string, errors?: Array<{ field: string, message: string }> }

export const phaseLabel = (p: string): string => PHASES.includes(p as Phase) ? t(`phase_${p}` as MessageKey) : p
export const roleLabel = (r: string): string => ROLES.includes(r as Role) ? t(`role_${r}` as MessageKey) : r
export const kindLabel = (k: string): string => ORG_KINDS.includes(k as OrgKind) ? t(`kind_${k}` as MessageKey) : k
export const flagLabel = (f: ParticipationFlag): string => t(`part_${f}` as MessageKey)

/** "edit, amend, sign" (translated) for what an organization takes part with. */
export function participationLabel (p: Participation): string {
  const on = PARTICIPATION_FLAGS.filter(f => p[f]).map(flagLabel)
  return on.length ? on.join(', ') : t('part_none')
}

export interface NavItem { key: 'statements' | 'organizations' | 'keys' | 'key-approvals', href: string, label: string }

/**
 * The top navigation: "My signing keys" for signatories of some organization; organizations
 * and key approvals only for the instance secretariat (the API refuses the rest anyway).
 */
export function navItems (me: Pick<Me, 'instance_secretariat'> & Partial<Pick<Me, 'memberships'>>): NavItem[] {
  const items: NavItem[] = [{ key: 'statements', href: '/#/', label: t('navStatements') }]
  if ((me.memberships ?? []).some(m => m.role === 'signatory')) items.push({ key: 'keys', href: '/#/keys', label: t('navKeys') })
  if (me.instance_secretariat) {
    items.push({ key: 'organizations', href: '/#/organizations', label: t('navOrganizations') })
    items.push({ key: 'key-approvals', href: '/#/signing-keys', label: t('navKeyApprovals') })
  }
  return items
}

/** Hash routes of the signed-in app on "/" (accordd's SPA fallback covers only a few paths). */
export type DiffLayout = 'inline' | 'side'
/** A diff's right-hand side: a version number or the live draft. */
export type DiffSide = number | 'draft'
export type View = { name: 'statements' } | { name: 'statement', slug: string } | { name: 'organizations' } | { name: 'organization', id: number } |
  { name: 'versions', slug: string } | { name: 'version', slug: string, number: number } |
  { name: 'diff', slug: string, from: number | null, to: DiffSide, layout: DiffLayout } |
  { name: 'amendments', slug: string, state: string } | { name: 'amendment', slug: string, number: number } | { name: 'merge', slug: string } |
  { name: 'sign', slug: string } | { name: 'keys' } | { name: 'key-approvals' } |
  { name: 'adherence', slug: string, state: string } | { name: 'signon', slug: string }
const POSITIVE = /^[1-9][0-9]*$/
export function parseView (hash: string): View {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?')
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] === 'statements' && parts[1]) {
    const slug = parts[1]
    if (parts[2] === 'versions' && parts[3] && POSITIVE.test(parts[3])) return { name: 'version', slug, number: Number(parts[3]) }
    if (parts[2] === 'versions') return { name: 'versions', slug }
    if (parts[2] === 'amendments' && parts[3] && POSITIVE.test(parts[3])) return { name: 'amendment', slug, number: Number(parts[3]) }
    if (parts[2] === 'amendments') return { name: 'amendments', slug, state: new URLSearchParams(query).get('state') ?? '' }
    if (parts[2] === 'merge') return { name: 'merge', slug }
    if (parts[2] === 'sign') return { name: 'sign', slug }
    if (parts[2] === 'signon') return { name: 'signon', slug }
    if (parts[2] === 'adherence') return { name: 'adherence', slug, state: new URLSearchParams(query).get('state') ?? '' }
    if (parts[2] === 'diff') {
      const q = new URLSearchParams(query)
      const from = q.get('from') ?? ''
      const to = q.get('to') ?? ''
      return {
        name: 'diff', slug, from: POSITIVE.test(from) ? Number(from) : null,
        to: POSITIVE.test(to) ? Number(to) : 'draft', layout: q.get('layout') === 'side' ? 'side' : 'inline'
      }
    }
    return { name: 'statement', slug }
  }
  if (parts[0] === 'organizations' && parts[1] && POSITIVE.test(parts[1])) return { name: 'organization', id: Number(parts[1]) }
  if (parts[0] === 'organizations') return { name: 'organizations' }
  if (parts[0] === 'keys') return { name: 'keys' }
  if (parts[0] === 'signing-keys') return { name: 'key-approvals' }
  return { name: 'statements' }
}

/** The hash route of a statement's screens (the inverse of parseView). */
export const signHref = (slug: string): string => `/#/statements/${encodeURIComponent(slug)}/sign`
export const versionsHref = (slug: string): string => `/#/statements/${encodeURIComponent(slug)}/versions`
export const versionHref = (slug: string, n: number): string => `/#/statements/${encodeURIComponent(slug)}/versions/${n}`
export function diffHref (slug: string, from: number, to: DiffSide, layout: DiffLayout = 'inline'): string {
  return `/#/statements/${encodeURIComponent(slug)}/diff?from=${from}&to=${to}&layout=${layout}`
}

export type VersionReason = 'manual' | 'phase' | 'merge'
export interface Version { number: number, label: string, reason: VersionReason, phase: Phase, author: { id: number, name: string } | null, created_at: string, sha256: string, merged_amendments?: number[] }
export interface VersionDetail extends Version { markdown: string, html: string }
export interface PhaseChange { from: Phase, to: Phase, deadline: string | null, at: string, user_id: number, version: number | null, by?: { id: number, name: string } | null }
export interface Author { client_id: number, since: string, user: { id: number, name: string }, organization: { id: number, short_name: string, name: string } | null }

export const reasonLabel = (r: string): string => ['manual', 'phase', 'merge'].includes(r) ? t(`reason_${r}` as MessageKey) : r

/** The file name of a version's canonical text download: "<slug>-v<n>.md". */
export const canonicalFileName = (slug: string, n: number): string => `${slug}-v${n}.md`

/** The organization presence shows for this statement: one the user takes part for, preferring a delegate's edit right. */
export function actingOrganization (me: Me, participants: Participation[] = []): Organization | undefined {
  const part = new Map(participants.map(p => [p.organization_id, p]))
  const score = (m: Membership) => {
    const p = part.get(m.organization_id)
    if (!p) return 0
    return m.role === 'delegate' && p.edit ? 3 : m.role === 'secretariat' ? 2 : 1
  }
  const best = [...me.memberships].sort((a, b) => score(b) - score(a))[0]
  return best?.organization
}

/**
 * Why the signed-in user may not edit this draft (null when they may). The server decides
 * (rights['edit-draft']); this only explains its answer with the rules of auth/POLICY.md.
 */
export function readOnlyReason (me: Me, s: StatementDetail, now: Date = new Date()): string | null {
  if (s.rights['edit-draft']) return null
  if (s.phase === 'amendments' || s.phase === 'final') return tf('roFrozen', { phase: phaseLabel(s.phase) })
  if (s.phase === 'consolidation') return t('roConsolidation')
  const part = new Map(s.participants.map(p => [p.organization_id, p]))
  const mine = me.memberships.filter(m => part.has(m.organization_id))
  const delegateOf = mine.filter(m => m.role === 'delegate')
  if (delegateOf.some(m => part.get(m.organization_id)!.edit)) {
    if (s.phase_deadline && new Date(s.phase_deadline) <= now) return t('roDeadline')
    return t('roGeneric')
  }
  if (delegateOf.length) return t('roOrgNoEdit')
  if (mine.some(m => m.role === 'observer')) return t('roObserver')
  if (mine.length) return tf('roRole', { role: roleLabel(mine[0].role) })
  return t('roGeneric')
}

export interface ProblemView { message: string, fields: Record<string, string> }

/**
 * A problem+json answer as what a form shows: one message per wrong field (`errors[]` of
 * validation-failed, joined when a field has several) and a general message in the UI
 * language with the server's detail after it.
 */
export function problemView (status: number, body: Problem | null | undefined): ProblemView {
  const fields: Record<string, string> = {}
  for (const e of body?.errors ?? []) fields[e.field] = fields[e.field] ? `${fields[e.field]}; ${e.message}` : e.message
  const slug = (body?.type ?? '').replace(/^\/problems\//, '')
  const lead: Record<string, MessageKey> = {
    'validation-failed': 'errValidation', conflict: 'errConflict', forbidden: 'errForbidden', 'not-found': 'errNotFound',
    unauthenticated: 'errSignedOut', 'rate-limited': 'errRateLimited', 'csrf-failed': 'errSignedOut'
  }
  const key = lead[slug] ?? (status === 0 ? 'errNetwork' : 'somethingWrong')
  const detail = slug === 'validation-failed' ? '' : (body?.detail ?? '')
  return { message: detail ? `${t(key)} ${detail}` : t(key), fields }
}

/** An RFC 3339 UTC time (second precision, as the API wants) from a datetime-local value, read in local time. */
export function fromLocalInput (value: string): string | null {
  if (!value) return null
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return null
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The datetime-local value (local time, minutes) of an API time. */
export function toLocalInput (iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** A slug (a-z, 0-9, '-') suggested from a title: accents dropped, other characters become '-'. */
export function suggestSlug (title: string): string {
  return title.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '')
}

export function formatDate (iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}
