// Pure logic of the sign-on screens (issue 8, /tmp/team/SIGNON-CONTRACT.md sections 3 and 5):
// the JSON the server answers (keys, manifest, endorsements), the signed objects an
// endorsement and a withdrawal are built as — exactly the members the server accepts, no more
// — their checks before anything is signed, this browser's keys joined with the server's view
// of them, which key may sign for which organization, and the words for states and problems.
// No DOM here, so Vitest covers it directly (endorsement.test.ts); WebCrypto (SHA-256) exists
// in Node too.
import { canonicalJson, CanonicalJsonError } from './canonical-json'
import { toBase64, toHex } from './key-backup'
import { t, type MessageKey } from './i18n'
import { problemView, type Me, type Organization, type StatementDetail } from './model'
import type { SigningKeyInfo } from './signing-keys'
import { ENDORSEMENT_KINDS, type Endorsement, type EndorsementKind, type OrgIdentity } from './signon-json'

// The server's JSON of manifests and endorsements is declared once, in signon-json.ts (the public
// page reads the same); re-exported so the signing screens keep importing from here.
export { ENDORSEMENT_KINDS }
export type { Endorsement, EndorsementKind, EndorsementsReply, Manifest, ManifestReply, OrgIdentity, Withdrawal } from './signon-json'

export const ENDORSEMENT_FORMAT = 'accord-endorsement-v1'
export const WITHDRAWAL_FORMAT = 'accord-withdrawal-v1'
/** Limits of the contract: reservations and a withdrawal's reason in characters, the signed text in bytes. */
export const MAX_RESERVATIONS = 4000
export const MAX_WITHDRAWAL_REASON = 2000
export const MAX_SIGNED_BYTES = 16 * 1024
/** Our own limit on the signatory's name and title (the form's maxlength). */
export const MAX_NAME = 200

export type KeyState = 'pending' | 'approved' | 'revoked' | 'rejected'
export const KEY_STATES: KeyState[] = ['pending', 'approved', 'revoked', 'rejected']
/** A key as the server holds it (GET /signing-keys). */
export interface ServerKey {
  id: number
  organization: OrgIdentity
  user: { id: number, display_name: string }
  public_key: string
  label: string
  state: KeyState
  created_at: string
  decided_at: string | null
  revoked_at: string | null
  reason: string
  replaces: number | null
  replaced_by: number | null
  approval_log_index: number | null
  revocation_log_index: number | null
}

/** The signed endorsement object (contract section 3); `reservations` only for that kind. */
export interface EndorsementObject {
  format: typeof ENDORSEMENT_FORMAT
  manifest_sha256: string
  organization: OrgIdentity
  signatory: { name: string, title: string }
  kind: EndorsementKind
  reservations?: string
  signed_at: string
  nonce: string
}
export interface WithdrawalObject {
  format: typeof WITHDRAWAL_FORMAT
  endorsement_sha256: string
  manifest_sha256: string
  organization: { id: number }
  reason: string
  signed_at: string
  nonce: string
}

/** What the form gives. */
export interface EndorsementInput {
  manifestSha256: string
  organization: OrgIdentity
  name: string
  title: string
  kind: EndorsementKind
  reservations: string
}

/** "YYYY-MM-DDTHH:MM:SSZ" in UTC, the contract's time format. */
export function utcSeconds (d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** 16 random bytes, standard base64: the nonce that makes each signed object unique. */
export function newNonce (bytes: Uint8Array = globalThis.crypto.getRandomValues(new Uint8Array(16))): string {
  if (bytes.length !== 16) throw new Error('a nonce is 16 bytes')
  return toBase64(bytes)
}

/** Characters as the user counts them (code points, so an emoji is one). */
const chars = (s: string): number => [...s].length
const HEX64 = /^[0-9a-f]{64}$/

/** Lone surrogates cannot be signed (JCS refuses them); a pasted text can hold one. */
function representable (s: string): boolean {
  try { canonicalJson(s); return true } catch (e) { if (e instanceof CanonicalJsonError) return false; throw e }
}

/**
 * Field errors of the endorsement form (empty when it may be signed), keyed by the form's
 * field names: name, title, reservations.
 */
export function checkEndorsement (input: EndorsementInput): Record<string, MessageKey> {
  const errors: Record<string, MessageKey> = {}
  const name = input.name.trim()
  const title = input.title.trim()
  const res = input.reservations.trim()
  if (!name) errors.name = 'signNeedName'
  else if (chars(name) > MAX_NAME || !representable(name)) errors.name = 'signBadText'
  if (!title) errors.title = 'signNeedTitle'
  else if (chars(title) > MAX_NAME || !representable(title)) errors.title = 'signBadText'
  if (input.kind === 'adheres-with-reservations') {
    if (!res) errors.reservations = 'signNeedReservations'
    else if (chars(res) > MAX_RESERVATIONS) errors.reservations = 'signReservationsTooLong'
    else if (!representable(res)) errors.reservations = 'signBadText'
  }
  return errors
}

/**
 * The endorsement object to sign. Text is trimmed; reservations are present only for
 * "adheres-with-reservations" (whatever the hidden textarea still holds is dropped for
 * "adheres"). Throws when checkEndorsement finds an error or the manifest hash is malformed.
 */
export function buildEndorsement (input: EndorsementInput, signedAt: Date, nonce: string): EndorsementObject {
  const errors = checkEndorsement(input)
  const first = Object.keys(errors)[0]
  if (first) throw new Error(`endorsement field ${first}: ${errors[first]}`)
  if (!HEX64.test(input.manifestSha256)) throw new Error('the manifest hash is not 64 lower-case hex digits')
  const o = input.organization
  const e: EndorsementObject = {
    format: ENDORSEMENT_FORMAT,
    manifest_sha256: input.manifestSha256,
    organization: { id: o.id, name: o.name, country: o.country ?? '' },
    signatory: { name: input.name.trim(), title: input.title.trim() },
    kind: input.kind,
    signed_at: utcSeconds(signedAt),
    nonce
  }
  if (input.kind === 'adheres-with-reservations') e.reservations = input.reservations.trim()
  return e
}

/** Field errors of the withdrawal form (the reason may be empty). */
export function checkWithdrawal (reason: string): Record<string, MessageKey> {
  const r = reason.trim()
  if (chars(r) > MAX_WITHDRAWAL_REASON) return { reason: 'signReasonTooLong' }
  if (!representable(r)) return { reason: 'signBadText' }
  return {}
}

export function buildWithdrawal (endorsement: Pick<Endorsement, 'endorsement_sha256' | 'organization'>, manifestSha256: string,
  reason: string, signedAt: Date, nonce: string): WithdrawalObject {
  const errors = checkWithdrawal(reason)
  if (errors.reason) throw new Error(`withdrawal reason: ${errors.reason}`)
  if (!HEX64.test(manifestSha256) || !HEX64.test(endorsement.endorsement_sha256)) throw new Error('a hash is not 64 lower-case hex digits')
  return {
    format: WITHDRAWAL_FORMAT,
    endorsement_sha256: endorsement.endorsement_sha256,
    manifest_sha256: manifestSha256,
    organization: { id: endorsement.organization.id },
    reason: reason.trim(),
    signed_at: utcSeconds(signedAt),
    nonce
  }
}

/**
 * How long a review stays signable. The server accepts signed_at within 15 minutes of its
 * clock; a review left open longer is built again (a new time, so a new text to read) rather
 * than signed with a time that would be refused, or with a time the user never saw.
 */
export const REVIEW_MAX_AGE_MS = 10 * 60_000
export function reviewExpired (signedAt: string, now: Date): boolean {
  return now.getTime() - Date.parse(signedAt) > REVIEW_MAX_AGE_MS
}

/** What the review step shows and what is signed: the JCS text, its UTF-8 bytes and SHA-256. */
export interface Prepared { text: string, bytes: Uint8Array, sha256: string }

export async function sha256Hex (bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(bytes))))
}

/** Canonicalizes a signed object; throws when it exceeds the server's 16 KiB. */
export async function prepare (o: EndorsementObject | WithdrawalObject): Promise<Prepared> {
  const text = canonicalJson(o)
  const bytes = new TextEncoder().encode(text)
  if (bytes.length > MAX_SIGNED_BYTES) throw new Error(`the signed text has ${bytes.length} bytes, more than ${MAX_SIGNED_BYTES}`)
  return { text, bytes, sha256: await sha256Hex(bytes) }
}

/** The body of POST …/endorsements and …/withdrawal. */
export function signedBody (what: 'endorsement' | 'withdrawal', p: Prepared, signature: string, keyId: number): Record<string, string | number> {
  return { [what]: p.text, signature, key_id: keyId }
}

// ---- keys ---------------------------------------------------------------------------------

/** A key of this account: the server's record and/or this browser's private key. */
export interface KeyRow { server: ServerKey | null, local: SigningKeyInfo | null }

/**
 * The server's keys (newest first) each with the browser key of the same public key, then the
 * browser's keys the server does not know (created but never registered, or restored from a
 * backup of another account's key).
 */
export function joinKeys (local: SigningKeyInfo[], server: ServerKey[]): KeyRow[] {
  const byPub = new Map(local.map(k => [k.publicKeyBase64, k]))
  const known = new Set(server.map(k => k.public_key))
  const rows: KeyRow[] = [...server].sort((a, b) => a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id)
    .map(k => ({ server: k, local: byPub.get(k.public_key) ?? null }))
  for (const k of local) if (!known.has(k.publicKeyBase64)) rows.push({ server: null, local: k })
  return rows
}

/** A key that can sign for the organization now: approved by the server and held in this browser. */
export function signingKeyFor (rows: KeyRow[], orgId: number): KeyRow | null {
  return rows.find(r => r.server?.state === 'approved' && r.server.organization.id === orgId && r.local) ?? null
}

/** Why no key can sign for the organization: one awaits approval, one is elsewhere, or none exists. */
export function noKeyReason (rows: KeyRow[], orgId: number): 'pending' | 'elsewhere' | 'none' {
  const mine = rows.filter(r => r.server?.organization.id === orgId)
  if (mine.some(r => r.server!.state === 'pending' && r.local)) return 'pending'
  if (mine.some(r => r.server!.state === 'approved')) return 'elsewhere'
  return 'none'
}

export const keyStateLabel = (s: string): string => KEY_STATES.includes(s as KeyState) ? t(`keyState_${s}` as MessageKey) : s
export const kindName = (k: string): string => ENDORSEMENT_KINDS.includes(k as EndorsementKind) ? t(k === 'adheres' ? 'endorseAdheres' : 'endorseReservations') : k

/** A fingerprint in groups of four hex digits, easier to read aloud and compare. */
export const formatFingerprint = (hex: string): string => hex.replace(/(.{4})(?=.)/g, '$1 ')

/** The organizations where the user holds the role signatory (they may register keys for them). */
export function signatoryOrganizations (me: Me): Organization[] {
  return me.memberships.filter(m => m.role === 'signatory' && m.organization).map(m => m.organization!)
}

/** The organizations the user may sign this statement for: the server's endorse-for list, named. */
export function endorsingOrganizations (me: Me, s: Pick<StatementDetail, 'rights'>): Organization[] {
  const allowed = new Set(s.rights['endorse-for'] ?? [])
  return signatoryOrganizations(me).filter(o => allowed.has(o.id))
}

/** The organization's endorsement of the current manifest that is not withdrawn, if any. */
export function activeEndorsement (list: Endorsement[], orgId: number): Endorsement | null {
  return list.find(e => e.organization.id === orgId && !e.withdrawal) ?? null
}

export type Strength = 'too-short' | 'weak' | 'fair' | 'strong'
/**
 * A rough passphrase strength, to nudge towards several words: length counts most, a mix of
 * kinds of character a little. The backup's PBKDF2 slows guessing; it cannot save "password1".
 */
export function passphraseStrength (p: string): Strength {
  const n = chars(p)
  if (n < 8) return 'too-short'
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9\s]/, /\s/].filter(re => re.test(p)).length
  const words = p.trim().split(/\s+/).filter(w => w.length >= 3).length
  if (n >= 20 && (words >= 4 || kinds >= 3)) return 'strong'
  if (n >= 14 && (words >= 3 || kinds >= 2)) return 'fair'
  return 'weak'
}

/** A refused signing answer in words: the sign-on problem types first, then the general ones. */
export function signProblem (status: number, body: { type?: string, detail?: string } | null | undefined): string {
  const slug = (body?.type ?? '').replace(/^\/problems\//, '')
  const known: Record<string, MessageKey> = {
    'bad-signature': 'errBadSignature', 'key-not-approved': 'errKeyNotApproved', 'key-revoked': 'errKeyRevoked',
    'stale-manifest': 'errStaleManifest', 'bad-time': 'errBadTime', replayed: 'errReplayed', 'already-endorsed': 'errAlreadyEndorsed'
  }
  const key = known[slug]
  if (!key) return problemView(status, body).message
  return body?.detail ? `${t(key)} ${body.detail}` : t(key)
}
