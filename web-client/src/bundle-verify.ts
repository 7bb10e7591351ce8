// Verifies a statement's verification bundle ("accord-bundle-v1", SIGNON-CONTRACT section 6) in
// the browser, trusting nothing the server says beyond the bundle itself: the checkpoint is
// signed by the log key the bundle names (and, if the caller pins one, by that key), the
// manifest names the same key, the bundle carries every log entry (0..size-1, in order) and the
// root recomputed from their bodies is the signed one — so an entry left out is named — the
// statement's own entries carry RFC 9162 inclusion proofs that verify, the manifest and texts hash as the manifest says, and every endorsement
// and withdrawal is signed by a key the log approved before and had not revoked.
//
// Each check gives findings (passed or failed, with a problem code and the entry it is about)
// rather than stopping at the first failure, so the page can say exactly what fails; the
// signatory list is derived from the entries that verify. Problem codes and check names are
// stable identifiers the UI translates (public-i18n.ts).
import { canonicalJson, canonicalJsonBytes } from './canonical-json'
import { fromBase64, toHex } from './key-backup'
import { equalBytes, leafHash, rootOf, sha256, verifyInclusion } from './merkle'
import { NoteError, openCheckpoint, parseVerifierKey, type Checkpoint, type NoteVerifier } from './signed-note'
import { verifySignature } from './signing-keys'

export const CHECKS = ['format', 'checkpoint', 'instance', 'log-root', 'entry-order', 'entry-leaf', 'entry-proof', 'entry-canonical',
  'manifest', 'text', 'endorsement', 'key', 'withdrawal', 'duplicate', 'listed', 'previous'] as const
export type CheckName = typeof CHECKS[number]

export const PROBLEMS = ['malformed', 'bad-key', 'bad-signature', 'no-signature', 'origin-mismatch', 'key-mismatch', 'size-mismatch',
  'root-mismatch', 'out-of-order', 'leaf-mismatch', 'bad-proof', 'not-canonical', 'hash-mismatch', 'missing', 'stale-manifest',
  'not-approved', 'revoked', 'wrong-organization', 'unknown-endorsement', 'duplicate', 'not-in-bundle', 'not-extension', 'unexpected', 'replayed'] as const
export type Problem = typeof PROBLEMS[number]

export interface Finding {
  check: CheckName
  ok: boolean
  problem?: Problem
  /** The log index of the entry the finding is about, if any. */
  index?: number
  /** What it is about, as data: an organization's name, a language code, a size. */
  subject?: string
}

export interface Signatory {
  index: number
  organization: { id: number, name: string, country: string }
  signatory: { name: string, title: string }
  kind: string
  reservations: string | null
  signedAt: string
  endorsementSha256: string
  withdrawn: boolean
}

export interface VerifyResult {
  ok: boolean
  findings: Finding[]
  statement: { slug: string, title: string } | null
  manifestSha256: string | null
  /** The verified checkpoint note (to remember for the next verification), its size and root. */
  checkpoint: { note: string, size: number, rootHex: string } | null
  /** The note verifier key the checkpoint was checked with: to compare with one from a trusted source. */
  logKey: string | null
  signatories: Signatory[]
}

export interface VerifyOptions {
  /** A checkpoint note verified before: the log must extend it (and it must verify with the same key). */
  previousCheckpoint?: string | null
  /** A note verifier key the checkpoint must be signed by (else the bundle's own key is used). */
  pinnedKey?: string | null
  /** What the page lists: each must be in the bundle, with its withdrawal if it has one. */
  listed?: Array<{ log_index: number, endorsement_sha256: string, withdrawal: { log_index: number } | null }>
  /** The manifest hash the page shows. */
  manifestSha256?: string
}

type Obj = Record<string, any>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const utf8 = (s: string) => new TextEncoder().encode(s)
const hexSha = async (s: string) => toHex(await sha256(utf8(s)))

interface Entry { index: number, body: string, value: Obj | null, proof: Uint8Array[] | null }

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
const HEX64 = /^[0-9a-f]{64}$/
const sameKeys = (o: Obj, keys: string[]) => Object.keys(o).sort().join(',') === [...keys].sort().join(',')
const nonceOk = (n: unknown) => typeof n === 'string' && fromBase64(n)?.length === 16

/** The signed endorsement has exactly the contract's members, types and limits. */
export function endorsementWellFormed (e: Obj): boolean {
  const withReservations = e.kind === 'adheres-with-reservations'
  const o = e.organization
  const s = e.signatory
  return sameKeys(e, ['format', 'manifest_sha256', 'organization', 'signatory', 'kind', 'signed_at', 'nonce', ...(withReservations ? ['reservations'] : [])]) &&
    e.format === 'accord-endorsement-v1' && typeof e.manifest_sha256 === 'string' && HEX64.test(e.manifest_sha256) &&
    isObj(o) && sameKeys(o, ['id', 'name', 'country']) && Number.isSafeInteger(o.id) && typeof o.name === 'string' && typeof o.country === 'string' &&
    isObj(s) && sameKeys(s, ['name', 'title']) && typeof s.name === 'string' && typeof s.title === 'string' &&
    (e.kind === 'adheres' || (withReservations && typeof e.reservations === 'string' && e.reservations.length > 0 && e.reservations.length <= 4000)) &&
    typeof e.signed_at === 'string' && TIME.test(e.signed_at) && nonceOk(e.nonce)
}

/** The signed withdrawal has exactly the contract's members, types and limits. */
export function withdrawalWellFormed (w: Obj): boolean {
  return sameKeys(w, ['format', 'endorsement_sha256', 'manifest_sha256', 'organization', 'reason', 'signed_at', 'nonce']) &&
    w.format === 'accord-withdrawal-v1' && HEX64.test(String(w.endorsement_sha256)) && HEX64.test(String(w.manifest_sha256)) &&
    isObj(w.organization) && sameKeys(w.organization, ['id']) && Number.isSafeInteger(w.organization.id) &&
    typeof w.reason === 'string' && w.reason.length <= 2000 && typeof w.signed_at === 'string' && TIME.test(w.signed_at) && nonceOk(w.nonce)
}

export async function verifyBundle (bundle: unknown, options: VerifyOptions = {}): Promise<VerifyResult> {
  const findings: Finding[] = []
  const add = (check: CheckName, ok: boolean, problem?: Problem, index?: number, subject?: string) => {
    const f: Finding = { check, ok }
    if (!ok && problem) f.problem = problem
    if (index !== undefined) f.index = index
    if (subject !== undefined) f.subject = subject
    findings.push(f)
  }
  const result: VerifyResult = { ok: false, findings, statement: null, manifestSha256: null, checkpoint: null, logKey: null, signatories: [] }
  const done = () => { result.ok = findings.length > 0 && findings.every(f => f.ok); return result }

  // --- Shape -------------------------------------------------------------------------------
  const b = bundle as Obj
  const shapeOk = isObj(b) && b.format === 'accord-bundle-v1' && isObj(b.statement) && isObj(b.log) && typeof b.log.key === 'string' &&
    typeof b.log.checkpoint === 'string' && Number.isSafeInteger(b.log.size) && Number.isSafeInteger(b.manifest_index) &&
    isObj(b.texts) && Array.isArray(b.entries)
  add('format', shapeOk, 'malformed')
  if (!shapeOk) return done()
  result.statement = { slug: String(b.statement.slug ?? ''), title: String(b.statement.title ?? '') }
  // The leaves, recomputed from the bodies in the bundle's order.
  const leaves: Uint8Array[] = []
  for (const raw of b.entries) {
    if (!isObj(raw) || typeof raw.body !== 'string') { add('format', false, 'malformed', undefined, 'entries'); return done() }
    leaves.push(await leafHash(utf8(raw.body)))
  }

  // --- Checkpoint and key -------------------------------------------------------------------
  let verifier: NoteVerifier
  try {
    verifier = await parseVerifierKey(options.pinnedKey ?? b.log.key)
  } catch { add('checkpoint', false, 'bad-key'); return done() }
  result.logKey = (options.pinnedKey ?? b.log.key).trim()
  if (options.pinnedKey && options.pinnedKey.trim() !== b.log.key.trim()) add('instance', false, 'key-mismatch', undefined, 'log.key')
  let cp: Checkpoint | null = null
  try {
    cp = await openCheckpoint(b.log.checkpoint, verifier)
    add('checkpoint', true)
  } catch (e) {
    const code = e instanceof NoteError ? e.code : 'malformed'
    add('checkpoint', false, code === 'bad-signature' ? 'bad-signature' : code === 'no-signature' ? 'no-signature' : code === 'bad-checkpoint' ? 'origin-mismatch' : 'malformed')
  }
  add('instance', b.log.origin === verifier.name, 'origin-mismatch', undefined, 'log.origin')
  if (cp) {
    result.checkpoint = { note: b.log.checkpoint, size: cp.size, rootHex: toHex(cp.root) }
    const sizesOk = cp.size === b.log.size && leaves.length === cp.size
    add('log-root', sizesOk, 'size-mismatch', undefined, String(cp.size))
    add('log-root', equalBytes(await rootOf(leaves), cp.root), 'root-mismatch')
  }

  // --- Entries: all there, in order; proofs; canonical JSON ---------------------------------
  const entries: Entry[] = []
  const size: number = cp ? cp.size : b.log.size
  const seen = new Set<number>()
  let last = -1
  let ordered = true
  for (const [pos, raw] of (b.entries as Obj[]).entries()) {
    if (!Number.isSafeInteger(raw.index) || (raw.proof !== undefined && !Array.isArray(raw.proof))) {
      add('format', false, 'malformed', Number.isSafeInteger(raw?.index) ? raw.index : undefined, 'entries'); continue
    }
    if (raw.index <= last) ordered = false // moved or listed twice
    last = Math.max(last, raw.index)
    if (raw.index < 0 || raw.index >= size) add('entry-leaf', false, 'unexpected', raw.index)
    seen.add(raw.index)
    // Only the statement's own entries carry a proof: the root covers the others.
    const proof: Array<Uint8Array | null> | null = Array.isArray(raw.proof) ? raw.proof.map((p: unknown) => typeof p === 'string' ? fromBase64(p) : null) : null
    const hashes = proof ? proof.filter((p): p is Uint8Array => p !== null && p.length === 32) : []
    const entry: Entry = { index: raw.index, body: raw.body, value: null, proof: proof && hashes.length === proof.length ? hashes : null }
    if (proof) add('entry-proof', !!cp && !!entry.proof && await verifyInclusion(raw.index, cp.size, leaves[pos], entry.proof, cp.root), 'bad-proof', raw.index)
    try {
      const v = JSON.parse(raw.body)
      entry.value = isObj(v) ? v : null
      add('entry-canonical', isObj(v) && canonicalJson(v) === raw.body, 'not-canonical', raw.index)
    } catch { add('entry-canonical', false, 'not-canonical', raw.index) }
    entries.push(entry)
  }
  add('entry-order', ordered, 'out-of-order')
  // Every index of the log, so that no leaf goes unexplained; at most 100 named (a bundle
  // missing thousands of entries says so already).
  let missing = 0
  for (let i = 0; i < size && missing < 100; i++) if (!seen.has(i)) { add('entry-leaf', false, 'missing', i); missing++ }
  if (missing === 0) add('entry-leaf', true)
  entries.sort((x, y) => x.index - y.index)

  // --- The manifest and the texts -----------------------------------------------------------
  const manifestEntry = entries.find(e => e.index === b.manifest_index)
  const m = manifestEntry?.value
  let manifestSha: string | null = null
  if (!m || m.kind !== 'final-version' || !isObj(m.manifest)) {
    add('manifest', false, 'missing', b.manifest_index)
  } else {
    manifestSha = await hexSha(canonicalJson(m.manifest))
    result.manifestSha256 = manifestSha
    add('manifest', manifestSha === m.manifest_sha256, 'hash-mismatch', b.manifest_index)
    add('manifest', m.manifest.statement?.slug === b.statement.slug && m.manifest.statement?.id === b.statement.id, 'unexpected', b.manifest_index, 'statement')
    add('instance', m.manifest.instance?.origin === verifier.name, 'origin-mismatch', b.manifest_index, 'manifest.instance.origin')
    const pub = typeof m.manifest.instance?.public_key === 'string' ? fromBase64(m.manifest.instance.public_key) : null
    add('instance', !!pub && equalBytes(pub, verifier.publicKey), 'key-mismatch', b.manifest_index, 'manifest.instance.public_key')
    const languages: Obj = isObj(m.manifest.languages) ? m.manifest.languages : {}
    for (const lang of new Set([...Object.keys(languages), ...Object.keys(b.texts)])) {
      const text = b.texts[lang]
      if (typeof text !== 'string' || !isObj(languages[lang])) { add('text', false, 'missing', undefined, lang); continue }
      add('text', (await hexSha(text)) === languages[lang].sha256, 'hash-mismatch', undefined, lang)
    }
    if (options.manifestSha256 !== undefined) add('listed', options.manifestSha256 === manifestSha, 'hash-mismatch', undefined, 'manifest')
  }

  // --- Keys, endorsements, withdrawals (in log order) ---------------------------------------
  const approvals = new Map<number, { index: number, publicKey: string, orgId: number }>()
  const revocations = new Map<number, number>() // key id -> index of its revocation
  const endorsed = new Map<string, Signatory>() // endorsement_sha256 -> signatory
  const seenHashes = new Set<string>()
  const seenNonces = new Set<string>()
  const activeByOrg = new Map<number, string>()
  const ownManifests = new Set<string>() // this statement's manifests, as logged so far
  let latestOwn = ''
  // Whether an endorsement / withdrawal naming `named` is about the current manifest. Others
  // (other statements', or an earlier manifest of this one while it was current) are only
  // hashed; one naming an earlier manifest of this statement after a later one is stale.
  const concerns = (named: unknown, index: number, check: CheckName, who: string): boolean => {
    if (manifestSha !== null && named === manifestSha) return true
    if (typeof named === 'string' && ownManifests.has(named) && named !== latestOwn) add(check, false, 'stale-manifest', index, who)
    return false
  }
  let duplicates = false
  // The key used by the entry at `index`: approved before, not revoked before, of that organization.
  const keyCheck = (v: Obj, index: number, orgId: unknown, who: string): boolean => {
    const a = approvals.get(v.key_id)
    let problem: Problem | null = null
    if (!a || a.index > index || a.publicKey !== v.public_key) problem = 'not-approved'
    else if ((revocations.get(v.key_id) ?? Infinity) < index) problem = 'revoked'
    else if (a.orgId !== orgId) problem = 'wrong-organization'
    add('key', problem === null, problem ?? undefined, index, who)
    return problem === null
  }
  for (const e of entries) {
    const v = e.value
    if (!v) continue
    if (v.kind === 'key-approval') {
      if (Number.isSafeInteger(v.key_id) && typeof v.public_key === 'string' && !approvals.has(v.key_id)) {
        approvals.set(v.key_id, { index: e.index, publicKey: v.public_key, orgId: v.organization?.id })
      }
    } else if (v.kind === 'key-revocation') {
      if (Number.isSafeInteger(v.key_id) && !revocations.has(v.key_id)) revocations.set(v.key_id, e.index)
    } else if (v.kind === 'endorsement') {
      const en = v.endorsement
      if (!isObj(en)) { add('endorsement', false, 'malformed', e.index); continue }
      const who = String(en.organization?.name ?? '')
      if (!concerns(en.manifest_sha256, e.index, 'endorsement', who)) continue
      const wellFormed = endorsementWellFormed(en)
      add('endorsement', wellFormed, 'malformed', e.index, who)
      // Signed before the manifest it names was published: impossible unless forged.
      if (e.index < b.manifest_index) add('entry-order', false, 'out-of-order', e.index, who)
      const bytes = canonicalJsonBytes(en)
      const sha = toHex(await sha256(bytes))
      const sigOk = typeof v.public_key === 'string' && typeof v.signature === 'string' && await verifySignature(v.public_key, bytes, v.signature)
      add('endorsement', sigOk, 'bad-signature', e.index, who)
      add('endorsement', sha === v.endorsement_sha256, 'hash-mismatch', e.index, who)
      const current = en.manifest_sha256 === manifestSha
      add('endorsement', current, 'stale-manifest', e.index, who)
      const keyOk = keyCheck(v, e.index, en.organization?.id, who)
      const replayed = seenHashes.has(sha) || seenNonces.has(String(en.nonce))
      seenHashes.add(sha)
      seenNonces.add(String(en.nonce))
      if (replayed) add('endorsement', false, 'replayed', e.index, who)
      if (!(wellFormed && sigOk && sha === v.endorsement_sha256 && current && keyOk && !replayed)) continue
      const orgId = en.organization.id
      if (activeByOrg.has(orgId)) { duplicates = true; add('duplicate', false, 'duplicate', e.index, who) }
      activeByOrg.set(orgId, sha)
      endorsed.set(sha, {
        index: e.index,
        organization: { id: orgId, name: who, country: String(en.organization.country ?? '') },
        signatory: { name: String(en.signatory?.name ?? ''), title: String(en.signatory?.title ?? '') },
        kind: String(en.kind),
        reservations: typeof en.reservations === 'string' ? en.reservations : null,
        signedAt: String(en.signed_at ?? ''),
        endorsementSha256: sha,
        withdrawn: false
      })
    } else if (v.kind === 'withdrawal') {
      const w = v.withdrawal
      if (!isObj(w)) { add('withdrawal', false, 'malformed', e.index); continue }
      const target = endorsed.get(w.endorsement_sha256)
      const who = target?.organization.name ?? ''
      if (!concerns(w.manifest_sha256, e.index, 'withdrawal', who)) continue
      const wellFormed = withdrawalWellFormed(w)
      add('withdrawal', wellFormed, 'malformed', e.index, who)
      const nonceSeen = seenNonces.has(String(w.nonce))
      seenNonces.add(String(w.nonce))
      if (nonceSeen) add('withdrawal', false, 'replayed', e.index, who)
      const bytes = canonicalJsonBytes(w)
      const sigOk = typeof v.public_key === 'string' && typeof v.signature === 'string' && await verifySignature(v.public_key, bytes, v.signature)
      add('withdrawal', sigOk, 'bad-signature', e.index, who)
      add('withdrawal', toHex(await sha256(bytes)) === v.withdrawal_sha256, 'hash-mismatch', e.index, who)
      add('withdrawal', w.manifest_sha256 === manifestSha, 'stale-manifest', e.index, who)
      add('withdrawal', !!target && !target.withdrawn && target.organization.id === w.organization?.id, 'unknown-endorsement', e.index, who)
      const keyOk = keyCheck(v, e.index, w.organization?.id, who)
      if (target && wellFormed && !nonceSeen && sigOk && keyOk && !target.withdrawn && target.organization.id === w.organization?.id) {
        target.withdrawn = true
        if (activeByOrg.get(target.organization.id) === target.endorsementSha256) activeByOrg.delete(target.organization.id)
      }
    } else if (v.kind === 'final-version') {
      if (v.manifest?.statement?.id === b.statement.id && typeof v.manifest_sha256 === 'string') {
        ownManifests.add(v.manifest_sha256)
        latestOwn = v.manifest_sha256
        // A later manifest of this statement: the bundle's is stale.
        if (e.index > b.manifest_index) add('manifest', false, 'unexpected', e.index)
      }
    } else {
      add('format', false, 'malformed', e.index, String(v.kind))
    }
  }
  if (!duplicates && endorsed.size > 0) add('duplicate', true)

  // --- What the page lists is in the bundle --------------------------------------------------
  for (const l of options.listed ?? []) {
    const s = [...endorsed.values()].find(x => x.index === l.log_index && x.endorsementSha256 === l.endorsement_sha256)
    const name = s?.organization.name
    if (!s) { add('listed', false, 'not-in-bundle', l.log_index, name); continue }
    add('listed', !l.withdrawal || s.withdrawn, 'not-in-bundle', l.withdrawal?.log_index ?? l.log_index, name)
  }

  // --- The log extends the checkpoint verified before ---------------------------------------
  if (options.previousCheckpoint && cp) {
    try {
      const old = await openCheckpoint(options.previousCheckpoint, verifier)
      const extends_ = old.size <= leaves.length && equalBytes(await rootOf(leaves, old.size), old.root)
      add('previous', extends_, 'not-extension', undefined, String(old.size))
    } catch {
      add('previous', false, 'bad-signature')
    }
  }

  result.signatories = [...endorsed.values()].sort((x, y) => x.index - y.index)
  return done()
}

/** Counts of a verified list: endorsements standing (with reservations among them) and withdrawn. */
export function countSignatories (list: Signatory[]): { signed: number, withReservations: number, withdrawn: number } {
  const standing = list.filter(s => !s.withdrawn)
  return { signed: standing.length, withReservations: standing.filter(s => s.kind === 'adheres-with-reservations').length, withdrawn: list.length - standing.length }
}
