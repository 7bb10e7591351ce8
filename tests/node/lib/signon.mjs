// Helpers of the sign-on suites (signon-api, signon-load, signon-crash): what a signatory's
// browser and an outside auditor do, with node:crypto alone — RFC 8785 text, Ed25519 key pairs
// and signatures, RFC 9162 Merkle roots and inclusion proofs, signed-note checkpoints — and the
// set-up of many organizations, each with a signatory holding an approved key.
import assert from 'node:assert/strict'
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { binary } from './accordd.mjs'
import { Agent, expectStatus } from './openapi.mjs'

export const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts.map(p => Buffer.from(p)))).digest()

// RFC 8785: the one shared helper (jcs.mjs), re-exported for the suites that import it here.
import { jcs } from './jcs.mjs'
export { jcs }

// "YYYY-MM-DDTHH:MM:SSZ", as the server formats times.
export const utcNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

// RFC 9162 section 2.1.3.2: the root an inclusion proof leads to.
export function rootFromInclusion (leaf, index, size, path) {
  let fn = index
  let sn = size - 1
  let r = leaf
  for (const p of path) {
    if (sn === 0) throw new Error('proof too long')
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.from([1]), p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) { fn >>= 1; sn >>= 1 }
      }
    } else {
      r = sha256(Buffer.from([1]), r, p)
    }
    fn >>= 1
    sn >>= 1
  }
  assert.equal(sn, 0, 'the proof has the right length')
  return r
}

// RFC 9162 section 2.1.1: MTH of a list of leaf hashes (Buffers), split at the largest power
// of two below n. Iterative over aligned subtrees so that thousands of leaves cost no deep
// recursion: hash complete pairs level by level, carrying an odd last node up unchanged.
export function merkleRoot (leaves) {
  if (leaves.length === 0) return sha256(Buffer.alloc(0))
  let level = leaves
  while (level.length > 1) {
    const next = []
    for (let i = 0; i + 1 < level.length; i += 2) next.push(sha256(Buffer.from([1]), level[i], level[i + 1]))
    if (level.length % 2 === 1) next.push(level[level.length - 1])
    level = next
  }
  return level[0]
}

export const leafHash = body => sha256(Buffer.from([0]), Buffer.from(body))

// Parses "<name>+<hash>+<base64(0x01 || key)>" and checks the hash as signed-note defines it.
export function parseVerifierKey (vkey) {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(vkey)
  assert.ok(m, `malformed verifier key ${vkey}`)
  const keyBytes = Buffer.from(m[3], 'base64')
  assert.equal(keyBytes.length, 33)
  assert.equal(keyBytes[0], 1, 'algorithm byte: Ed25519')
  const hash = sha256(Buffer.from(m[1] + '\n'), keyBytes).subarray(0, 4)
  assert.equal(hash.toString('hex'), m[2], 'the key hash covers the name and the key')
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: keyBytes.subarray(1).toString('base64url') },
    format: 'jwk'
  })
  return { name: m[1], hash, raw: keyBytes.subarray(1), publicKey }
}

// Opens a signed checkpoint with `key` (from parseVerifierKey): its fields, or a failed
// assertion when the note is malformed or its signature does not verify.
export function openCheckpoint (note, key) {
  const at = note.lastIndexOf('\n\n')
  assert.ok(at > 0, 'a note has a blank line before its signatures')
  const text = note.slice(0, at + 1)
  const lines = note.slice(at + 2).split('\n')
  assert.equal(lines.pop(), '', 'the note ends in a newline')
  const mine = lines.map(l => /^\u2014 (\S+) (\S+)$/.exec(l)).filter(m => m && m[1] === key.name)
  assert.equal(mine.length, 1, `one signature by ${key.name}: ${note}`)
  const blob = Buffer.from(mine[0][2], 'base64')
  assert.deepEqual(blob.subarray(0, 4), key.hash)
  assert.ok(verify(null, Buffer.from(text), key.publicKey, blob.subarray(4)), 'the signature verifies')
  const [origin, size, root, ...extensions] = text.slice(0, -1).split('\n')
  return { origin, size: Number(size), sizeText: size, root: Buffer.from(root, 'base64'), extensions }
}

// A key pair as a browser makes it: { publicKey, privateKey, publicB64 (standard base64 of the
// raw 32 bytes) }.
export function newKeyPair () {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const publicB64 = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64')
  return { publicKey, privateKey, publicB64 }
}

// The request body of POST .../endorsements: the endorsement's JCS text signed with `keyPair`.
// `org`: {id, name, country}. Returns { body, text, sha256 (hex), object }.
export function signedEndorsement ({ manifestSha, org, keyPair, keyId, signatory, kind = 'adheres', reservations }) {
  const object = {
    format: 'accord-endorsement-v1',
    manifest_sha256: manifestSha,
    organization: { id: org.id, name: org.name, country: org.country ?? '' },
    signatory,
    kind,
    signed_at: utcNow(),
    nonce: randomBytes(16).toString('base64')
  }
  if (kind === 'adheres-with-reservations') object.reservations = reservations
  const text = jcs(object)
  const signature = sign(null, Buffer.from(text), keyPair.privateKey).toString('base64')
  return { body: { endorsement: text, signature, key_id: keyId }, text, sha256: sha256(text).toString('hex'), object }
}

// The request body of POST .../endorsements/{id}/withdrawal, likewise.
export function signedWithdrawal ({ manifestSha, endorsementSha, orgId, keyPair, keyId, reason = '' }) {
  const object = {
    format: 'accord-withdrawal-v1',
    endorsement_sha256: endorsementSha,
    manifest_sha256: manifestSha,
    organization: { id: orgId },
    reason,
    signed_at: utcNow(),
    nonce: randomBytes(16).toString('base64')
  }
  const text = jcs(object)
  const signature = sign(null, Buffer.from(text), keyPair.privateKey).toString('base64')
  return { body: { withdrawal: text, signature, key_id: keyId }, text, sha256: sha256(text).toString('hex'), object }
}

// Runs `fn(item, i)` over `items` with at most `limit` calls in flight; resolves to their
// results in order (an array of { ok, value } / { ok: false, error } when `settle`).
export async function pool (items, limit, fn, { settle = false } = {}) {
  const results = new Array(items.length)
  let next = 0
  async function worker () {
    while (next < items.length) {
      const i = next++
      if (settle) {
        try { results[i] = { ok: true, value: await fn(items[i], i) } } catch (error) { results[i] = { ok: false, error } }
      } else {
        results[i] = await fn(items[i], i)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

// Every log entry, page by page (the API gives at most 100 a request): [{index, body,
// leaf_hash}] with `body` the entry's JCS text, each leaf hash checked against it.
export async function allLogEntries (agent, size) {
  const starts = []
  for (let s = 0; s < size; s += 100) starts.push(s)
  const pages = await pool(starts, 8, async start => {
    const end = Math.min(start + 100, size)
    const page = expectStatus(await agent.get(`/api/v1/log/entries?start=${start}&end=${end}`), 200).body
    assert.equal(page.entries.length, end - start, `entries ${start}..${end}`)
    return page.entries
  })
  const entries = pages.flat().map((e, i) => {
    assert.equal(e.index, i)
    const body = jcs(e.body)
    assert.equal(e.leaf_hash, leafHash(body).toString('hex'), `entry ${i}: leaf hash covers its body`)
    return { index: e.index, body, kind: e.body.kind, leaf: Buffer.from(e.leaf_hash, 'hex') }
  })
  return entries
}

// The instance's signed checkpoint, verified with the log key GET /api/v1/log/key serves.
export async function verifiedCheckpoint (agent) {
  const key = expectStatus(await agent.get('/api/v1/log/key'), 200).body
  const vkey = parseVerifierKey(key.verifier_key)
  const note = expectStatus(await agent.get('/api/v1/log/checkpoint'), 200).body
  return { ...openCheckpoint(note, vkey), note, verifierKey: key.verifier_key }
}

// `accord ARGS --data DIR` without blocking the event loop; resolves to its trimmed stdout.
export async function accordAsync (dataDir, args) {
  const { stdout } = await promisify(execFile)(binary('accord'), [...args, '--data', dataDir], { encoding: 'utf8' })
  return stdout.trim()
}

// Set-up of a sign-on statement with `count` organizations (each a participant that may sign)
// and, per organization, a signatory holding an approved key. The instance's secretariat
// agent `ops` (signed in) does everything the API offers; users and their API tokens come from
// the `accord` CLI (there is no API to create another user's credential). A signatory is one
// user for `orgsPerUser` organizations (one CLI pair per user keeps the set-up short), with one
// key per organization. Returns [{ org: {id,name,country}, agent, keyPair, keyId, signatory }].
export async function setupSignatories (server, ops, { slug, count, orgsPerUser = 10, prefix = 'O', concurrency = 16, log = () => {} }) {
  let since = Date.now()
  const phase = what => { log(`${what}: ${Date.now() - since} ms`); since = Date.now() }
  const ids = Array.from({ length: count }, (_, i) => i)
  const orgs = await pool(ids, concurrency, async i => {
    const short = `${prefix}${i}`
    const body = { name: `Organization ${short}`, short_name: short, country: ['FR', 'ES', 'DE', 'BR', ''][i % 5] }
    if (body.country === '') delete body.country
    const org = expectStatus(await ops.post('/api/v1/organizations', body), 201).body
    expectStatus(await ops.put(`/api/v1/statements/${slug}/participants/${org.id}`, {}), 200)
    return { id: org.id, name: org.name, country: org.country ?? '' }
  })
  phase(`${count} organizations, participants`)
  // The CLI opens the database itself: a few at once, as SQLite serializes their writes anyway.
  const userIndexes = Array.from({ length: Math.ceil(count / orgsPerUser) }, (_, u) => u)
  const users = await pool(userIndexes, 4, async u => {
    const email = `signatory-${prefix.toLowerCase()}${u}@example.org`
    const name = `Signatory ${prefix}${u}`
    const userId = Number(await accordAsync(server.dataDir, ['user', 'add', '--email', email, '--name', name]))
    const token = await accordAsync(server.dataDir, ['token', 'create', '--user', email, '--scope', 'api:read,api:write', '--name', 'sign-on'])
    return { userId, agent: new Agent(server, { token }), name }
  })
  phase(`${users.length} users with API tokens (accord CLI)`)
  const signers = await pool(ids, concurrency, async i => {
    const org = orgs[i]
    const user = users[Math.floor(i / orgsPerUser)]
    expectStatus(await ops.post('/api/v1/memberships', { user_id: user.userId, organization_id: org.id, role: 'signatory' }), 201)
    const keyPair = newKeyPair()
    const key = expectStatus(await user.agent.post('/api/v1/signing-keys', { organization_id: org.id, public_key: keyPair.publicB64, label: `key of ${org.name}` }), 201).body
    expectStatus(await ops.post(`/api/v1/signing-keys/${key.id}/approve`), 200)
    return { org, agent: user.agent, keyPair, keyId: key.id, signatory: { name: user.name, title: 'Secretary' } }
  })
  phase(`${count} memberships, keys registered and approved`)
  return signers
}
