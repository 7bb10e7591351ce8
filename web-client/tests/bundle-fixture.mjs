// A sign-on in memory, built in Node with node:crypto only — independently of the client's
// code, so that the client's verifier (src/bundle-verify.ts) is checked against another
// implementation of the formats of /tmp/team/SIGNON-CONTRACT.md and server/signon/LOG.md:
// an instance log key, a Merkle log of JCS entries, a final statement's manifest, signatories'
// Ed25519 keys approved in the log, endorsements and withdrawals, and the API answers built
// from them (manifest, endorsements list, verification bundle). Used by the unit tests
// (src/bundle-verify.test.ts) and by the public page's browser test (its stand-in API).
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { jcs } from '../../tests/node/lib/jcs.mjs'

const sha = (...parts) => createHash('sha256').update(Buffer.concat(parts.map(p => Buffer.from(p)))).digest()
const hex = b => Buffer.from(b).toString('hex')
const b64 = b => Buffer.from(b).toString('base64')

// RFC 8785 for the values used here: the helper shared with the node suites.
export { jcs } from '../../tests/node/lib/jcs.mjs'
export const time = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

function newKey () {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url')
  return { raw, publicKey: b64(raw), sign: bytes => sign(null, Buffer.from(bytes), privateKey) }
}

// --- RFC 9162 Merkle tree, written out from the definition ------------------------------------
const leafHash = bytes => sha(Buffer.from([0]), bytes)
const nodeHash = (l, r) => sha(Buffer.from([1]), l, r)
const split = n => { let k = 1; while (k * 2 < n) k *= 2; return k }
function mth (leaves) {
  if (leaves.length === 0) return sha(Buffer.alloc(0))
  if (leaves.length === 1) return leaves[0]
  const k = split(leaves.length)
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)))
}
function path (m, leaves) {
  if (leaves.length <= 1) return []
  const k = split(leaves.length)
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))]
}

/** The instance: its log key (a signed-note key named after the origin) and its log. */
export function createLog (origin = 'accord.test/log') {
  const key = newKey()
  const hash = sha(Buffer.from(origin + '\n'), Buffer.from([1]), key.raw).subarray(0, 4)
  const bodies = []
  const log = {
    origin,
    publicKey: key.publicKey,
    verifierKey: `${origin}+${hex(hash)}+${b64(Buffer.concat([Buffer.from([1]), key.raw]))}`,
    bodies,
    append (obj) { bodies.push(jcs(obj)); return bodies.length - 1 },
    leafHashes: (size = bodies.length) => bodies.slice(0, size).map(b => leafHash(Buffer.from(b))),
    root: (size = bodies.length) => mth(log.leafHashes(size)),
    proof: (index, size = bodies.length) => path(index, log.leafHashes(size)),
    signNote (text) { return `${text}\n\u2014 ${origin} ${b64(Buffer.concat([hash, key.sign(Buffer.from(text))]))}\n` },
    checkpoint (size = bodies.length) {
      return log.signNote(`${origin}\n${size}\n${b64(log.root(size))}\nTimestamp: ${Math.floor(Date.now() / 1000)}\n`)
    }
  }
  return log
}

/**
 * A final statement on a log, with signatories. `options`: slug, title, text, html, origin.
 * Other statements' entries are appended too (in the bundle without inclusion proofs).
 */
export function createSignOn (options = {}) {
  const slug = options.slug ?? 'paris-2026'
  const title = options.title ?? 'Paris declaration'
  const text = options.text ?? '# Paris declaration\n\nWe demand peace and bread for all.\n'
  const html = options.html ?? '<h1>Paris declaration</h1><p>We demand <strong>peace</strong> and bread for all.</p>'
  const log = options.log ?? createLog(options.origin)
  log.append({ kind: 'final-version', manifest: { format: 'accord-manifest-v1', statement: { id: 99, slug: 'other', title: 'Other' } }, manifest_sha256: hex(sha('other')) })
  const manifest = {
    format: 'accord-manifest-v1',
    instance: { origin: log.origin, public_key: log.publicKey },
    statement: { id: 12, slug, title },
    version: { id: 40, number: 7 },
    source_language: 'en',
    languages: { en: { sha256: hex(sha(text)) } },
    created_at: time()
  }
  const manifestSha = hex(sha(jcs(manifest)))
  const manifestIndex = log.append({ kind: 'final-version', manifest, manifest_sha256: manifestSha })
  const mine = new Set([manifestIndex]) // the log indices the bundle carries
  const endorsements = [] // the API's Endorsement objects
  let nextKeyId = 1
  let nextEndorsementId = 1
  const so = {
    slug, title, text, html, log, manifest, manifestSha, manifestIndex, endorsements,
    openForSignature: options.openForSignature ?? true,
    /** A signatory of an organization with an approved key (logged). */
    signatory (organization, signatory) {
      const key = { ...newKey(), id: nextKeyId++, organization, signatory }
      key.approvalIndex = log.append({
        kind: 'key-approval', key_id: key.id, public_key: key.publicKey, organization,
        signatory: { user_id: 100 + key.id, name: signatory.name }, approved_at: time(), replaces: null
      })
      mine.add(key.approvalIndex)
      return key
    },
    revoke (key, reason = 'lost') {
      mine.add(log.append({ kind: 'key-revocation', key_id: key.id, public_key: key.publicKey, organization: { id: key.organization.id }, revoked_at: time(), reason }))
    },
    /** An endorsement signed with the key, logged; returns the API's Endorsement. */
    endorse (key, { kind = 'adheres', reservations, signedAt = time() } = {}) {
      const e = {
        format: 'accord-endorsement-v1', manifest_sha256: manifestSha, organization: key.organization,
        signatory: key.signatory, kind, signed_at: signedAt, nonce: b64(randomBytes(16))
      }
      if (kind === 'adheres-with-reservations') e.reservations = reservations
      const canonical = jcs(e)
      const signature = b64(key.sign(Buffer.from(canonical)))
      const sha256 = hex(sha(canonical))
      const index = log.append({ kind: 'endorsement', endorsement: e, endorsement_sha256: sha256, key_id: key.id, public_key: key.publicKey, signature })
      mine.add(index)
      const api = {
        id: nextEndorsementId++, organization: key.organization, signatory: key.signatory, kind, reservations: e.reservations ?? null,
        signed_at: signedAt, received_at: signedAt, key_id: key.id, public_key: key.publicKey, signature, canonical,
        endorsement_sha256: sha256, log_index: index, withdrawal: null
      }
      endorsements.push(api)
      return api
    },
    withdraw (key, endorsement, reason = '') {
      const w = {
        format: 'accord-withdrawal-v1', endorsement_sha256: endorsement.endorsement_sha256, manifest_sha256: manifestSha,
        organization: { id: key.organization.id }, reason, signed_at: time(), nonce: b64(randomBytes(16))
      }
      const canonical = jcs(w)
      const signature = b64(key.sign(Buffer.from(canonical)))
      const index = log.append({ kind: 'withdrawal', withdrawal: w, withdrawal_sha256: hex(sha(canonical)), key_id: key.id, public_key: key.publicKey, signature })
      mine.add(index)
      endorsement.withdrawal = { reason, signed_at: w.signed_at, received_at: w.signed_at, log_index: index, canonical, signature, key_id: key.id }
      return endorsement
    },
    /** Any entry, logged and carried in the bundle (for tests of forged entries). */
    include (obj) { const i = log.append(obj); mine.add(i); return i },
    /** Something else on the log (another statement's entry). */
    noise () { log.append({ kind: 'final-version', manifest: { format: 'accord-manifest-v1', statement: { id: 98, slug: 'noise', title: 'Noise' } }, manifest_sha256: hex(randomBytes(32)) }) },
    manifestReply () {
      return { manifest, manifest_sha256: manifestSha, canonical: jcs(manifest), log_index: manifestIndex, texts: { en: text }, html: { en: html }, open_for_signature: so.openForSignature }
    },
    endorsementsReply () {
      return {
        manifest_sha256: manifestSha,
        count: endorsements.filter(e => !e.withdrawal).length,
        with_reservations: endorsements.filter(e => !e.withdrawal && e.kind === 'adheres-with-reservations').length,
        withdrawn: endorsements.filter(e => e.withdrawal).length,
        endorsements
      }
    },
    bundle () {
      const n = log.bodies.length
      return {
        format: 'accord-bundle-v1',
        statement: { id: 12, slug, title },
        log: { origin: log.origin, key: log.verifierKey, checkpoint: log.checkpoint(n), size: n },
        manifest_index: manifestIndex,
        texts: { en: text },
        // Every entry of the log; an inclusion proof on the statement's own.
        entries: log.bodies.slice(0, n).map((body, i) => mine.has(i) ? { index: i, body, proof: log.proof(i, n).map(b64) } : { index: i, body })
      }
    }
  }
  return so
}
