import { describe, it, expect, beforeEach } from 'vitest'
import { setLanguage, tf } from './i18n'
import {
  actingOrganization, fromLocalInput, navItems, parseView, participationLabel, phaseLabel, problemView, readOnlyReason,
  roleLabel, kindLabel, suggestSlug, toLocalInput, PHASES, ROLES, ORG_KINDS, versionsHref, versionHref, diffHref, canonicalFileName, reasonLabel,
  type Me, type Organization, type StatementDetail, type StatementRights
} from './model'

const org = (id: number, short: string): Organization => ({ id, name: `Org ${short}`, short_name: short, country: '', kind: 'union', website: '', hosts_instance: false })
const NORTE = org(2, 'NORTE')
const SUR = org(3, 'SUR')
function me (memberships: Array<[Organization, Me['memberships'][number]['role']]>, secretariat = false): Me {
  return {
    user: { id: 7, email: 'x@example.org', display_name: 'X', language: 'en' },
    memberships: memberships.map(([o, role], i) => ({ id: i + 1, user_id: 7, organization_id: o.id, role, organization: o })),
    instance_secretariat: secretariat,
    csrf_token: 'c'
  }
}
const noRights: StatementRights = {
  'edit-draft': false, 'settle-amendment': false, 'change-phase': false, 'publish-version': false,
  'manage-participants': false, 'propose-amendment-for': [], 'support-amendment-for': [], 'endorse-for': []
}
function statement (over: Partial<StatementDetail> = {}): StatementDetail {
  return {
    id: 1, slug: 's', title: 'S', language: 'es', phase: 'drafting', phase_deadline: null, document: 'statement.s',
    participants: [{ organization_id: 2, convener: false, edit: true, amend: true, sign: true }, { organization_id: 3, convener: false, edit: false, amend: true, sign: true }],
    rights: noRights,
    ...over
  }
}

beforeEach(() => setLanguage('en'))

describe('labels', () => {
  it('translates every phase, role and kind in both languages, never falling back to the API word', () => {
    for (const lang of ['en', 'es']) {
      setLanguage(lang)
      for (const p of PHASES) expect(phaseLabel(p)).not.toBe('')
      expect(new Set(PHASES.map(phaseLabel)).size).toBe(PHASES.length)
      expect(new Set(ROLES.map(roleLabel)).size).toBe(ROLES.length)
      expect(new Set(ORG_KINDS.map(kindLabel)).size).toBe(ORG_KINDS.length)
    }
    setLanguage('es')
    expect(phaseLabel('drafting')).toBe('Redacción')
    expect(phaseLabel('amendments')).toBe('Enmiendas')
    expect(roleLabel('observer')).toBe('observador/a')
    setLanguage('en')
    expect(phaseLabel('final')).toBe('Final text')
  })
  it('shows an unknown value as it is (a newer server)', () => {
    expect(phaseLabel('voting')).toBe('voting')
    expect(roleLabel('chair')).toBe('chair')
  })
  it('lists what an organization takes part with', () => {
    expect(participationLabel({ organization_id: 1, convener: true, edit: true, amend: false, sign: true })).toBe('co-edits, signs, convenes')
    expect(participationLabel({ organization_id: 1, convener: false, edit: false, amend: false, sign: false })).toBe('reads only')
    setLanguage('es')
    expect(participationLabel({ organization_id: 1, convener: false, edit: true, amend: true, sign: false })).toBe('coedita, enmienda')
  })
  it('fills placeholders', () => {
    expect(tf('roleChanged', { name: 'Ana', role: 'delegate' })).toBe('Ana is now delegate.')
  })
})

describe('navigation', () => {
  it('shows Organizations to the instance secretariat only', () => {
    expect(navItems({ instance_secretariat: true }).map(i => i.key)).toEqual(['statements', 'organizations', 'key-approvals'])
    expect(navItems({ instance_secretariat: false }).map(i => i.key)).toEqual(['statements'])
  })
  it('shows My signing keys to signatories of some organization', () => {
    const m = (role: 'signatory' | 'delegate') => ({ id: 1, user_id: 1, organization_id: 2, role })
    expect(navItems({ instance_secretariat: false, memberships: [m('signatory')] }).map(i => i.key)).toEqual(['statements', 'keys'])
    expect(navItems({ instance_secretariat: false, memberships: [m('delegate')] }).map(i => i.key)).toEqual(['statements'])
    expect(navItems({ instance_secretariat: true, memberships: [m('signatory')] }).map(i => i.href)).toEqual(['/#/', '/#/keys', '/#/organizations', '/#/signing-keys'])
  })
  it('parses the sign-on routes', () => {
    expect(parseView('#/keys')).toEqual({ name: 'keys' })
    expect(parseView('#/signing-keys')).toEqual({ name: 'key-approvals' })
    expect(parseView('#/statements/paris-2026/sign')).toEqual({ name: 'sign', slug: 'paris-2026' })
  })
  it('parses the hash routes, anything else is the statements list', () => {
    expect(parseView('')).toEqual({ name: 'statements' })
    expect(parseView('#/')).toEqual({ name: 'statements' })
    expect(parseView('#/statements/closing-declaration')).toEqual({ name: 'statement', slug: 'closing-declaration' })
    expect(parseView('#/organizations')).toEqual({ name: 'organizations' })
    expect(parseView('#/organizations/12')).toEqual({ name: 'organization', id: 12 })
    expect(parseView('#/organizations/x')).toEqual({ name: 'organizations' })
    expect(parseView('#/nothing')).toEqual({ name: 'statements' })
  })
  it('parses the versions, version and diff routes, and builds them back', () => {
    expect(parseView('#/statements/cierre/versions')).toEqual({ name: 'versions', slug: 'cierre' })
    expect(parseView('#/statements/cierre/versions/3')).toEqual({ name: 'version', slug: 'cierre', number: 3 })
    expect(parseView('#/statements/cierre/versions/0')).toEqual({ name: 'versions', slug: 'cierre' })
    expect(parseView('#/statements/cierre/diff?from=1&to=2&layout=side')).toEqual({ name: 'diff', slug: 'cierre', from: 1, to: 2, layout: 'side' })
    expect(parseView('#/statements/cierre/diff')).toEqual({ name: 'diff', slug: 'cierre', from: null, to: 'draft', layout: 'inline' })
    expect(parseView('#/statements/cierre/diff?from=x&to=draft&layout=bogus')).toEqual({ name: 'diff', slug: 'cierre', from: null, to: 'draft', layout: 'inline' })
    expect(parseView('#/statements/cierre?x=1')).toEqual({ name: 'statement', slug: 'cierre' })
    for (const href of [versionsHref('cierre'), versionHref('cierre', 4), diffHref('cierre', 1, 'draft', 'side'), diffHref('cierre', 2, 5)]) {
      expect(parseView(href.replace(/^\/#/, '#')).name).not.toBe('statements')
    }
    expect(parseView(diffHref('cierre', 2, 5).replace(/^\/#/, '#'))).toEqual({ name: 'diff', slug: 'cierre', from: 2, to: 5, layout: 'inline' })
    expect(parseView(versionHref('a-b', 4).slice(1))).toEqual({ name: 'version', slug: 'a-b', number: 4 })
    expect(canonicalFileName('cierre', 2)).toBe('cierre-v2.md')
  })
  it('translates why a version was taken', () => {
    expect(reasonLabel('phase')).toBe('phase change')
    setLanguage('es')
    expect(reasonLabel('manual')).toBe('nombrada por la secretaría')
    expect(reasonLabel('merge')).toBe('enmiendas incorporadas')
    expect(reasonLabel('other')).toBe('other')
  })
})

describe('read-only reason', () => {
  it('is null when the server grants editing', () => {
    expect(readOnlyReason(me([[NORTE, 'observer']]), statement({ rights: { ...noRights, 'edit-draft': true } }))).toBeNull()
  })
  it('names the observer role', () => {
    expect(readOnlyReason(me([[NORTE, 'observer']]), statement())).toMatch(/observer/)
  })
  it('says the organization may not co-edit when one is its delegate', () => {
    expect(readOnlyReason(me([[SUR, 'delegate']]), statement())).toMatch(/organization takes part without the right to co-edit/)
  })
  it('says the deadline passed for a delegate with edit', () => {
    const s = statement({ phase_deadline: '2020-01-01T00:00:00Z' })
    expect(readOnlyReason(me([[NORTE, 'delegate']]), s, new Date('2021-01-01T00:00:00Z'))).toMatch(/deadline/)
  })
  it('says the draft is frozen in amendments and final, whoever asks', () => {
    expect(readOnlyReason(me([[NORTE, 'delegate']]), statement({ phase: 'amendments' }))).toBe('The draft is frozen in the Amendments phase; you can read it.')
    setLanguage('es')
    expect(readOnlyReason(me([[NORTE, 'delegate']]), statement({ phase: 'final' }))).toMatch(/congelado en la fase de Texto final/)
  })
  it('says only the secretariat edits in consolidation', () => {
    expect(readOnlyReason(me([[NORTE, 'delegate']]), statement({ phase: 'consolidation' }))).toMatch(/only the secretariat/)
  })
  it('names another role (signatory)', () => {
    expect(readOnlyReason(me([[NORTE, 'signatory']]), statement())).toBe('As signatory you can read the draft but not change it.')
  })
})

describe('acting organization', () => {
  it('prefers the participant where one is a delegate with edit', () => {
    const m = me([[SUR, 'delegate'], [NORTE, 'observer'], [NORTE, 'delegate']])
    expect(actingOrganization(m, statement().participants)?.short_name).toBe('NORTE')
  })
  it('falls back to the first membership', () => {
    expect(actingOrganization(me([[SUR, 'observer']]), [])?.short_name).toBe('SUR')
    expect(actingOrganization(me([]), [])).toBeUndefined()
  })
})

describe('problem+json', () => {
  it('maps validation errors to fields, joining several for one field', () => {
    const v = problemView(422, {
      type: '/problems/validation-failed', title: 'Validation failed', status: 422, detail: 'country …; website …',
      errors: [{ field: 'country', message: 'must be two capitals' }, { field: 'website', message: 'must start with https://' }, { field: 'website', message: 'is too long' }]
    })
    expect(v.fields).toEqual({ country: 'must be two capitals', website: 'must start with https://; is too long' })
    expect(v.message).toBe('Please correct the marked fields.')
  })
  it('leads with a translated sentence and keeps the server detail', () => {
    setLanguage('es')
    const v = problemView(409, { type: '/problems/conflict', title: 'Conflict', status: 409, detail: "short name 'norte' exists" })
    expect(v.message).toBe("Esto choca con algo que ya existe. short name 'norte' exists")
    expect(v.fields).toEqual({})
  })
  it('explains a network failure and an unknown answer', () => {
    expect(problemView(0, null).message).toMatch(/cannot be reached/)
    expect(problemView(502, null).message).toMatch(/Something went wrong/)
    expect(problemView(403, { type: '/problems/forbidden', detail: 'not a participant' }).message).toBe('You may not do this. not a participant')
  })
})

describe('dates and slugs', () => {
  it('turns a datetime-local value into the API time and back', () => {
    const iso = fromLocalInput('2027-01-31T18:00')!
    expect(iso).toMatch(/^2027-01-3[01]T\d\d:00:00Z$/)
    expect(toLocalInput(iso)).toBe('2027-01-31T18:00')
    expect(fromLocalInput('')).toBeNull()
    expect(fromLocalInput('not a date')).toBeNull()
    expect(toLocalInput(null)).toBe('')
  })
  it('suggests a slug the API accepts', () => {
    expect(suggestSlug('Declaración de cierre')).toBe('declaracion-de-cierre')
    expect(suggestSlug('  ¡Paz, ya! 2027 ')).toBe('paz-ya-2027')
    expect(suggestSlug('ñandú')).toBe('nandu')
    const long = suggestSlug('a '.repeat(100))
    expect(long.length).toBeLessThanOrEqual(64)
    expect(long).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/)
  })
})
