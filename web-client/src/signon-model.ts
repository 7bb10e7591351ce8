// The pure part of the secretariat's sign-on dashboard (signon-dashboard.ts): the dashboard's
// shape as GET /api/v1/statements/{slug}/signon returns it, the route, and the geometry of the
// cumulative-endorsements chart (kept here so that it is tested without a browser).

export type SignonState = 'signed' | 'signed-with-reservations' | 'withdrawn' | 'awaiting-key' | 'not-signed'
export const SIGNON_STATES: readonly SignonState[] = ['signed', 'signed-with-reservations', 'withdrawn', 'awaiting-key', 'not-signed']

export interface SignonOrganization {
  id: number
  name: string
  short_name: string
  country: string
  state: SignonState
  endorsement: { id: number, signed_at: string, signatory: string, kind: string, withdrawn: boolean } | null
  keys_pending: number
  last_reminded_at: string | null
}
export interface TimelineDay { date: string, endorsements: number, withdrawals: number, cumulative: number }
export interface SignonDashboard {
  statement: { id: number, slug: string, title: string, phase: string }
  manifest_sha256: string | null
  counts: { participants: number, signed: number, with_reservations: number, withdrawn: number, awaiting_key: number, not_signed: number }
  organizations: SignonOrganization[]
  timeline: TimelineDay[]
}

export const signonHref = (slug: string): string => `/#/statements/${encodeURIComponent(slug)}/signon`
export const signatoriesPath = (slug: string, format: 'csv' | 'json'): string =>
  `/api/v1/statements/${encodeURIComponent(slug)}/signatories?format=${format}`

/** Organizations a reminder can go to: those with no active endorsement. */
export function needsReminder (o: SignonOrganization): boolean {
  return o.state === 'not-signed' || o.state === 'awaiting-key' || o.state === 'withdrawn'
}

export interface ChartPoint { x: number, y: number, date: string, cumulative: number }
export interface Chart { points: ChartPoint[], max: number, path: string }

/**
 * The cumulative line in a width × height box (y grows downwards, 0 at the bottom). Days are
 * spaced by date, not by index, so a quiet week looks like one. A single day is drawn as a step
 * from zero on the day before, so the line is never a lone point.
 */
export function chartGeometry (timeline: readonly TimelineDay[], width: number, height: number): Chart {
  if (timeline.length === 0) return { points: [], max: 0, path: '' }
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86400000
  const days = timeline.map(t => day(t.date))
  const first = timeline.length === 1 ? days[0] - 1 : days[0]
  const last = days[days.length - 1]
  const span = Math.max(1, last - first)
  const max = Math.max(1, ...timeline.map(t => t.cumulative))
  const round = (n: number) => Math.round(n * 10) / 10
  const points = timeline.map((t, i) => ({
    x: round(((days[i] - first) / span) * width),
    y: round(height - (Math.max(0, t.cumulative) / max) * height),
    date: t.date,
    cumulative: t.cumulative
  }))
  const start = timeline.length === 1 ? `M0,${height} L${points[0].x},${height} ` : ''
  const path = start + points.map((p, i) => `${i === 0 && !start ? 'M' : 'L'}${p.x},${p.y}`).join(' ')
  return { points, max, path }
}
