import { describe, expect, it } from 'vitest'
import { chartGeometry, needsReminder, signatoriesPath, signonHref, type SignonOrganization } from './signon-model'
import { parseView } from './model'

describe('sign-on dashboard model', () => {
  it('routes to the dashboard', () => {
    expect(signonHref('paris 2026')).toBe('/#/statements/paris%202026/signon')
    expect(parseView('#/statements/paris/signon')).toEqual({ name: 'signon', slug: 'paris' })
    expect(signatoriesPath('paris', 'csv')).toBe('/api/v1/statements/paris/signatories?format=csv')
  })

  it('reminds only organizations without an active endorsement', () => {
    const org = (state: SignonOrganization['state']): SignonOrganization =>
      ({ id: 1, name: 'X', short_name: 'X', country: '', state, endorsement: null, keys_pending: 0, last_reminded_at: null })
    expect(['not-signed', 'awaiting-key', 'withdrawn', 'signed', 'signed-with-reservations'].map(s => needsReminder(org(s as SignonOrganization['state']))))
      .toEqual([true, true, true, false, false])
  })

  it('spaces days by date and scales to the highest count', () => {
    const c = chartGeometry([
      { date: '2026-12-01', endorsements: 2, withdrawals: 0, cumulative: 2 },
      { date: '2026-12-02', endorsements: 1, withdrawals: 0, cumulative: 3 },
      { date: '2026-12-05', endorsements: 1, withdrawals: 0, cumulative: 4 }
    ], 400, 100)
    expect(c.max).toBe(4)
    expect(c.points.map(p => [p.x, p.y])).toEqual([[0, 50], [100, 25], [400, 0]])
    expect(c.path).toBe('M0,50 L100,25 L400,0')
  })

  it('draws one day as a step from zero and nothing for no days', () => {
    const c = chartGeometry([{ date: '2026-12-03', endorsements: 1, withdrawals: 0, cumulative: 1 }], 200, 80)
    expect(c.points).toEqual([{ x: 200, y: 0, date: '2026-12-03', cumulative: 1 }])
    expect(c.path).toBe('M0,80 L200,80 L200,0')
    expect(chartGeometry([], 200, 80)).toEqual({ points: [], max: 0, path: '' })
  })
})
