import { describe, it, expect, beforeEach } from 'vitest'
import { createHash, createPublicKey, verify } from 'node:crypto'
import { setLanguage } from './i18n'
import { canonicalJson } from './canonical-json'
import { SigningKeys } from './signing-keys'
import { MemoryKeyStore } from './key-store'
import type { Me } from './model'
import {
  activeEndorsement, buildEndorsement, buildWithdrawal, checkEndorsement, checkWithdrawal, endorsingOrganizations, formatFingerprint, joinKeys,
  keyStateLabel, newNonce, noKeyReason, passphraseStrength, prepare, reviewExpired, signedBody, signingKeyFor, signProblem, utcSeconds,
  type Endorsement, type EndorsementInput, type ServerKey
} from './endorsement'

const MANIFEST = 'ab'.repeat(32)
const NONCE = newNonce(new Uint8Array(16).fill(7))
const AT = new Date('2026-12-03T20:00:00.789Z')
const input = (o: Partial<EndorsementInput> = {}): EndorsementInput => ({
  manifestSha256: MANIFEST, organization: { id: 3, name: 'CGT', country: 'FR' }, name: '  Ana Pérez ', title: 'General Secretary',
  kind: 'adheres', reservations: '', ...o
})

beforeEach(() => { setLanguage('en') })

describe('the endorsement object', () => {
  it('is exactly the contract object, in JCS, for "adheres" (no reservations member)', () => {
    const e = buildEndorsement(input({ reservations: 'left over in the hidden field' }), AT, NONCE)
    expect(canonicalJson(e)).toBe(
      '{"format":"accord-endorsement-v1","kind":"adheres","manifest_sha256":"' + MANIFEST + '","nonce":"BwcHBwcHBwcHBwcHBwcHBw==",' +
      '"organization":{"country":"FR","id":3,"name":"CGT"},"signatory":{"name":"Ana Pérez","title":"General Secretary"},"signed_at":"2026-12-03T20:00:00Z"}')
  })
  it('carries the trimmed reservations only for "adheres-with-reservations"', () => {
    const e = buildEndorsement(input({ kind: 'adheres-with-reservations', reservations: '\n Not §4 "as written".\n' }), AT, NONCE)
    expect(Object.keys(e).sort()).toEqual(['format', 'kind', 'manifest_sha256', 'nonce', 'organization', 'reservations', 'signatory', 'signed_at'])
    expect(e.reservations).toBe('Not §4 "as written".')
    expect(canonicalJson(e)).toContain('"kind":"adheres-with-reservations","manifest_sha256"')
    expect(canonicalJson(e)).toContain('"reservations":"Not §4 \\"as written\\".","signatory"')
  })
  it('keeps an empty country as ""', () => {
    expect(buildEndorsement(input({ organization: { id: 9, name: 'Intl', country: '' } }), AT, NONCE).organization).toEqual({ id: 9, name: 'Intl', country: '' })
  })
  it('checks the form: name, title, reservations rules', () => {
    expect(checkEndorsement(input())).toEqual({})
    expect(checkEndorsement(input({ name: '  ', title: '' }))).toEqual({ name: 'signNeedName', title: 'signNeedTitle' })
    expect(checkEndorsement(input({ kind: 'adheres-with-reservations', reservations: ' \n ' }))).toEqual({ reservations: 'signNeedReservations' })
    // 4000 characters are fine, counted as code points (an emoji is one), 4001 are not.
    expect(checkEndorsement(input({ kind: 'adheres-with-reservations', reservations: '😀'.repeat(4000) }))).toEqual({})
    expect(checkEndorsement(input({ kind: 'adheres-with-reservations', reservations: 'x'.repeat(4001) }))).toEqual({ reservations: 'signReservationsTooLong' })
    // Only with reservations do the reservations matter.
    expect(checkEndorsement(input({ kind: 'adheres', reservations: 'x'.repeat(5000) }))).toEqual({})
    // A lone surrogate cannot be canonicalized, so it cannot be signed.
    expect(checkEndorsement(input({ title: 'Sec \ud800' }))).toEqual({ title: 'signBadText' })
    expect(() => buildEndorsement(input({ name: '' }), AT, NONCE)).toThrow(/name/)
    expect(() => buildEndorsement(input({ manifestSha256: 'AB'.repeat(32) }), AT, NONCE)).toThrow(/manifest/)
  })
  it('formats times to the second in UTC and nonces as 16 bytes of base64', () => {
    expect(utcSeconds(AT)).toBe('2026-12-03T20:00:00Z')
    expect(newNonce()).toMatch(/^[A-Za-z0-9+/]{22}==$/)
    expect(newNonce()).not.toBe(newNonce())
    expect(() => newNonce(new Uint8Array(8))).toThrow()
  })
})

describe('the withdrawal object', () => {
  it('names the endorsement and the manifest, with the reason (which may be empty)', () => {
    const w = buildWithdrawal({ endorsement_sha256: 'cd'.repeat(32), organization: { id: 3, name: 'CGT', country: 'FR' } }, MANIFEST, '  ', AT, NONCE)
    expect(canonicalJson(w)).toBe('{"endorsement_sha256":"' + 'cd'.repeat(32) + '","format":"accord-withdrawal-v1","manifest_sha256":"' + MANIFEST +
      '","nonce":"BwcHBwcHBwcHBwcHBwcHBw==","organization":{"id":3},"reason":"","signed_at":"2026-12-03T20:00:00Z"}')
    expect(checkWithdrawal('x'.repeat(2000))).toEqual({})
    expect(checkWithdrawal('x'.repeat(2001))).toEqual({ reason: 'signReasonTooLong' })
  })
})

describe('prepare and sign', () => {
  it('gives the exact text, its UTF-8 bytes and SHA-256; the signature verifies in Node', async () => {
    const p = await prepare(buildEndorsement(input({ kind: 'adheres-with-reservations', reservations: 'Sí, pero…' }), AT, NONCE))
    expect(new TextDecoder().decode(p.bytes)).toBe(p.text)
    expect(p.sha256).toBe(createHash('sha256').update(Buffer.from(p.text, 'utf8')).digest('hex'))
    const keys = new SigningKeys(new MemoryKeyStore())
    const k = await keys.createKey('test')
    const sig = await keys.sign(k.id, p.bytes)
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(k.publicKeyBase64, 'base64')])
    expect(verify(null, Buffer.from(p.text, 'utf8'), createPublicKey({ key: spki, format: 'der', type: 'spki' }), Buffer.from(sig, 'base64'))).toBe(true)
    expect(signedBody('endorsement', p, sig, 7)).toEqual({ endorsement: p.text, signature: sig, key_id: 7 })
    expect(signedBody('withdrawal', p, sig, 7)).toEqual({ withdrawal: p.text, signature: sig, key_id: 7 })
  })
  it('lets a review be signed for 10 minutes (the server allows 15)', () => {
    expect(reviewExpired('2026-12-03T20:00:00Z', new Date('2026-12-03T20:10:00Z'))).toBe(false)
    expect(reviewExpired('2026-12-03T20:00:00Z', new Date('2026-12-03T20:10:01Z'))).toBe(true)
  })
  it('refuses a signed text over 16 KiB', async () => {
    const e = buildEndorsement(input(), AT, NONCE)
    await expect(prepare({ ...e, signatory: { name: 'x'.repeat(17000), title: 't' } })).rejects.toThrow(/16384/)
  })
})

const server = (id: number, pub: string, state: ServerKey['state'], orgId = 3, created = `2026-12-0${id}T00:00:00Z`): ServerKey => ({
  id, organization: { id: orgId, name: `Org ${orgId}`, country: '' }, user: { id: 5, display_name: 'Ana' }, public_key: pub, label: `k${id}`, state,
  created_at: created, decided_at: null, revoked_at: null, reason: '', replaces: null, replaced_by: null, approval_log_index: null, revocation_log_index: null
})
const local = (id: string, pub: string) => ({ id, label: id, publicKeyBase64: pub, createdAt: '2026-12-01T00:00:00Z', backupExportedAt: null, backupAvailable: false })

describe('keys', () => {
  it('joins the browser keys with the server keys by public key, newest server key first, unregistered last', () => {
    const rows = joinKeys([local('a', 'PA'), local('x', 'PX')], [server(1, 'PA', 'revoked'), server(2, 'PB', 'approved'), server(3, 'PA2', 'pending')])
    expect(rows.map(r => [r.server?.id ?? null, r.local?.id ?? null])).toEqual([[3, null], [2, null], [1, 'a'], [null, 'x']])
  })
  it('signs only with an approved key of the organization held here, and says why not', () => {
    const rows = joinKeys([local('a', 'PA'), local('b', 'PB')], [server(1, 'PA', 'pending'), server(2, 'PB', 'approved', 4), server(3, 'PC', 'approved', 5)])
    expect(signingKeyFor(rows, 3)).toBeNull()
    expect(noKeyReason(rows, 3)).toBe('pending')
    expect(signingKeyFor(rows, 4)?.local?.id).toBe('b')
    expect(signingKeyFor(rows, 5)).toBeNull()
    expect(noKeyReason(rows, 5)).toBe('elsewhere')
    expect(noKeyReason(rows, 6)).toBe('none')
  })
  it('labels states and groups fingerprints', () => {
    expect(keyStateLabel('pending')).toBe('awaiting approval')
    setLanguage('es')
    expect(keyStateLabel('approved')).toBe('aprobada')
    expect(formatFingerprint('0123456789abcdef0123456789abcdef')).toBe('0123 4567 89ab cdef 0123 4567 89ab cdef')
  })
  it('rates passphrases, several words being strong', () => {
    expect(passphraseStrength('short')).toBe('too-short')
    expect(passphraseStrength('password1')).toBe('weak')
    expect(passphraseStrength('river candle orbit')).toBe('fair')
    expect(passphraseStrength('una frase de paso bastante larga')).toBe('strong')
  })
})

describe('organizations and endorsements', () => {
  const org = (id: number) => ({ id, name: `Org ${id}`, short_name: `O${id}`, country: 'AR', kind: 'union' as const, website: '', hosts_instance: false })
  const me: Me = {
    user: { id: 5, email: 'a@example.org', display_name: 'Ana', language: 'en' }, instance_secretariat: false, csrf_token: null,
    memberships: [{ id: 1, user_id: 5, organization_id: 3, role: 'signatory', organization: org(3) }, { id: 2, user_id: 5, organization_id: 4, role: 'delegate', organization: org(4) },
      { id: 3, user_id: 5, organization_id: 6, role: 'signatory', organization: org(6) }]
  }
  it('signs for the organizations the server allows where one is a signatory', () => {
    const rights = { 'endorse-for': [3, 4] } as any
    expect(endorsingOrganizations(me, { rights }).map(o => o.id)).toEqual([3])
  })
  it('finds the active endorsement, ignoring withdrawn ones', () => {
    const e = (id: number, orgId: number, withdrawn: boolean) => ({ id, organization: { id: orgId }, withdrawal: withdrawn ? { reason: '' } : null }) as unknown as Endorsement
    expect(activeEndorsement([e(1, 3, true), e(2, 4, false)], 3)).toBeNull()
    expect(activeEndorsement([e(1, 3, true), e(2, 3, false)], 3)?.id).toBe(2)
  })
  it('words the sign-on problems, and falls back to the general ones', () => {
    expect(signProblem(409, { type: '/problems/stale-manifest', detail: 'manifest changed' })).toMatch(/^The final text has changed.* manifest changed$/)
    expect(signProblem(403, { type: '/problems/key-not-approved' })).toBe('Your key is not approved yet.')
    expect(signProblem(403, { type: '/problems/forbidden', detail: 'no' })).toBe('You may not do this. no')
  })
})
