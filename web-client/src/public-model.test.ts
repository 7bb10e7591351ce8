import { describe, it, expect } from 'vitest'
import { countsOf, inLogOrder, listChanges, rememberCheckpoint, rememberedCheckpoint, type Endorsement } from './public-model'

const e = (id: number, o: Partial<Endorsement> = {}): Endorsement => ({
  id, organization: { id, name: `Org ${id}`, country: 'FR' }, signatory: { name: 'A', title: 'B' }, kind: 'adheres', reservations: null,
  signed_at: '2026-12-03T20:00:00Z', received_at: '2026-12-03T20:00:01Z', key_id: 1, public_key: '', signature: '', canonical: '',
  endorsement_sha256: '', log_index: 10 + id, withdrawal: null, ...o
})
const w = { reason: '', signed_at: '', received_at: '', log_index: 99, canonical: '', signature: '', key_id: 1 }

describe('public page model', () => {
  it('finds new endorsements and new withdrawals between two polls', () => {
    const prev = [e(1), e(2)]
    const next = [e(1, { withdrawal: w }), e(2), e(3)]
    const c = listChanges(prev, next)
    expect(c.added.map(x => x.id)).toEqual([3])
    expect(c.withdrawn.map(x => x.id)).toEqual([1])
    expect(listChanges(next, next)).toEqual({ added: [], withdrawn: [] })
  })
  it('counts and orders', () => {
    const list = [e(3, { kind: 'adheres-with-reservations', reservations: 'x' }), e(1), e(2, { withdrawal: w, kind: 'adheres-with-reservations' })]
    expect(countsOf(list)).toEqual({ signed: 2, withReservations: 1, withdrawn: 1 })
    expect(inLogOrder(list).map(x => x.id)).toEqual([1, 2, 3])
  })
  it('remembers the largest checkpoint verified', () => {
    const m = new Map<string, string>()
    const s = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => { m.set(k, v) } }
    expect(rememberedCheckpoint(s, 'o')).toBeNull()
    expect(rememberCheckpoint(s, 'o', { note: 'n5', size: 5, verifiedAt: 't' })).toBe(true)
    expect(rememberCheckpoint(s, 'o', { note: 'n3', size: 3, verifiedAt: 't' })).toBe(false)
    expect(rememberedCheckpoint(s, 'o')?.note).toBe('n5')
    expect(rememberCheckpoint(s, 'o', { note: 'n7', size: 7, verifiedAt: 't' })).toBe(true)
    expect(rememberedCheckpoint(s, 'other')).toBeNull()
    m.set('accord.checkpoint:bad', '{')
    expect(rememberedCheckpoint(s, 'bad')).toBeNull()
  })
})

describe('the adherence requests route', () => {
  it('parses', async () => {
    const { parseView } = await import('./model')
    expect(parseView('#/statements/paris/adherence')).toEqual({ name: 'adherence', slug: 'paris', state: '' })
    expect(parseView('#/statements/paris/adherence?state=pending')).toEqual({ name: 'adherence', slug: 'paris', state: 'pending' })
  })
})
