// What the public page of a final statement reads from the API (SIGNON-CONTRACT section 5) and
// the pure helpers around it: what changed between two polls of the signatory list, the counts,
// the remembered checkpoint.

import type { Endorsement } from './signon-json'

// The server's JSON is declared once (signon-json.ts); the public page and the verifier import it from here.
export type { Endorsement, EndorsementsReply, Manifest, ManifestReply, Withdrawal } from './signon-json'

export interface ListChanges { added: Endorsement[], withdrawn: Endorsement[] }

/** What is new in `next` since `prev`: endorsements not seen before, and withdrawals of ones seen standing. */
export function listChanges (prev: readonly Endorsement[], next: readonly Endorsement[]): ListChanges {
  const before = new Map(prev.map(e => [e.id, e]))
  const added = next.filter(e => !before.has(e.id))
  const withdrawn = next.filter(e => e.withdrawal && before.has(e.id) && !before.get(e.id)!.withdrawal)
  return { added, withdrawn }
}

/** The list in signing (log) order. */
export const inLogOrder = (list: readonly Endorsement[]): Endorsement[] => [...list].sort((a, b) => a.log_index - b.log_index || a.id - b.id)

export interface Counts { signed: number, withReservations: number, withdrawn: number }
/** Counts of standing endorsements, those with reservations among them, and withdrawn ones. */
export function countsOf (list: readonly Endorsement[]): Counts {
  const standing = list.filter(e => !e.withdrawal)
  return { signed: standing.length, withReservations: standing.filter(e => e.kind === 'adheres-with-reservations').length, withdrawn: list.length - standing.length }
}

// The last checkpoint verified in this browser, per log (instance-wide: one log per origin).
export interface RememberedCheckpoint { note: string, size: number, verifiedAt: string }
const storageKey = (origin: string) => `accord.checkpoint:${origin}`

export function rememberedCheckpoint (storage: Pick<Storage, 'getItem'>, origin: string): RememberedCheckpoint | null {
  try {
    const v = JSON.parse(storage.getItem(storageKey(origin)) ?? 'null')
    return v && typeof v.note === 'string' && Number.isSafeInteger(v.size) ? v : null
  } catch { return null }
}

/** Keeps the checkpoint unless a larger one is remembered already (a log never shrinks). */
export function rememberCheckpoint (storage: Pick<Storage, 'getItem' | 'setItem'>, origin: string, cp: RememberedCheckpoint): boolean {
  const old = rememberedCheckpoint(storage, origin)
  if (old && old.size > cp.size) return false
  storage.setItem(storageKey(origin), JSON.stringify(cp))
  return true
}

export const publicHref = (slug: string): string => `/s/${encodeURIComponent(slug)}`
export const bundleHref = (slug: string): string => `/api/v1/statements/${encodeURIComponent(slug)}/bundle`
export const bundleFileName = (slug: string): string => `${slug}-bundle.json`
