// `accord verify BUNDLE [--previous-checkpoint FILE] [--key VERIFIER]`: bundles are built here
// from scratch with node:crypto (Ed25519, SHA-256, RFC 9162 trees, signed-note checkpoints, JCS)
// — independently of the C++ library and of the server — then verified by the binary. A valid
// bundle exits 0 with the right counts; each tampering exits 1 and names the failed check; an
// unreadable bundle or bad usage exits 2 with a clear message.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { binary } from '../lib/accordd.mjs'
import { jcs } from '../lib/jcs.mjs'

// --- the formats, written from their specifications -----------------------------------------

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest()
const hexSha256 = (text) => sha256(Buffer.from(text)).toString('hex')
const leafHash = (entry) => sha256(Buffer.from([0]), Buffer.from(entry))
const nodeHash = (l, r) => sha256(Buffer.from([1]), l, r)
const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k }

function mth (leaves) {
  if (leaves.length === 0) return sha256(Buffer.alloc(0))
  if (leaves.length === 1) return leaves[0]
  const k = split(leaves.length)
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)))
}

function inclusion (m, leaves) {
  if (leaves.length <= 1) return []
  const k = split(leaves.length)
  return m < k
    ? [...inclusion(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...inclusion(m - k, leaves.slice(k)), mth(leaves.slice(0, k))]
}


function rawPublicKey (publicKey) {
  return Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url')
}

// A signed-note key (Go sumdb/note): name+hash+base64(0x01 || key).
function noteKey (name) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const pub = rawPublicKey(publicKey)
  const keyHash = sha256(Buffer.from(name + '\n'), Buffer.from([1]), pub).subarray(0, 4)
  return {
    name,
    privateKey,
    pub,
    keyHash,
    verifier: `${name}+${keyHash.toString('hex')}+${Buffer.concat([Buffer.from([1]), pub]).toString('base64')}`
  }
}

const ORIGIN = 'accord.test.example/log'
const CGT = { id: 3, name: 'CGT', country: 'FR' }
const UGT = { id: 4, name: 'UGT', country: 'ES' }
const TEXT = 'Nous, soussignés, exigeons une transition juste.\n'

class Log {
  constructor () {
    this.key = noteKey(ORIGIN)
    this.bodies = []
    this.leaves = []
    this.inBundle = []
    this.manifestIndex = 0
  }

  append (obj, inBundle = true) {
    const body = jcs(obj)
    this.bodies.push(body)
    this.leaves.push(leafHash(body))
    this.inBundle.push(inBundle)
    return this.bodies.length - 1
  }

  foreign () {
    return this.append({ kind: 'final-version', manifest: { statement: { id: 99 } }, manifest_sha256: randomBytes(32).toString('hex') }, false)
  }

  publish () {
    const manifest = {
      format: 'accord-manifest-v1',
      instance: { origin: ORIGIN, public_key: this.key.pub.toString('base64') },
      statement: { id: 12, slug: 'paris-2026', title: 'Paris 2026' },
      version: { id: 40, number: 7 },
      source_language: 'fr',
      languages: { fr: { sha256: hexSha256(TEXT) } },
      created_at: '2026-12-03T20:00:00Z'
    }
    this.manifestSha256 = hexSha256(jcs(manifest))
    this.manifestIndex = this.append({ kind: 'final-version', manifest, manifest_sha256: this.manifestSha256 })
    return this.manifestIndex
  }

  approve (id, org) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    const key = { id, org, privateKey, pub: rawPublicKey(publicKey).toString('base64') }
    key.approval = this.append({
      kind: 'key-approval', key_id: id, public_key: key.pub, organization: org,
      signatory: { user_id: 5, name: 'Ana Pérez' }, approved_at: '2026-12-03T20:01:00Z', replaces: null
    })
    return key
  }

  revoke (key) {
    return this.append({ kind: 'key-revocation', key_id: key.id, public_key: key.pub, organization: { id: key.org.id }, revoked_at: '2026-12-03T20:02:00Z', reason: 'lost' })
  }

  logSigned (kind, object, key, tamper) {
    const signature = sign(null, Buffer.from(jcs(object)), key.privateKey).toString('base64')
    if (tamper) tamper(object)
    const sha = hexSha256(jcs(object))
    return { index: this.append({ kind, [kind]: object, [kind + '_sha256']: sha, key_id: key.id, public_key: key.pub, signature }), sha }
  }

  endorse (key, org, { reservations, tamper } = {}) {
    const e = {
      format: 'accord-endorsement-v1', manifest_sha256: this.manifestSha256, organization: org,
      signatory: { name: 'Ana Pérez', title: 'Secrétaire générale' },
      kind: reservations ? 'adheres-with-reservations' : 'adheres',
      signed_at: '2026-12-03T20:05:00Z', nonce: randomBytes(16).toString('base64')
    }
    if (reservations) e.reservations = reservations
    return this.logSigned('endorsement', e, key, tamper)
  }

  withdraw (key, endorsementSha256) {
    return this.logSigned('withdrawal', {
      format: 'accord-withdrawal-v1', endorsement_sha256: endorsementSha256, manifest_sha256: this.manifestSha256,
      organization: { id: key.org.id }, reason: '', signed_at: '2026-12-03T20:09:00Z', nonce: randomBytes(16).toString('base64')
    }, key).index
  }

  checkpoint (size = this.leaves.length, key = this.key) {
    const text = `${ORIGIN}\n${size}\n${mth(this.leaves.slice(0, size)).toString('base64')}\nTimestamp: 1796000000\n`
    const sig = Buffer.concat([key.keyHash, sign(null, Buffer.from(text), key.privateKey)]).toString('base64')
    return `${text}\n— ${key.name} ${sig}\n`
  }

  bundle () {
    const entries = []
    // Every entry of the log; an inclusion proof on the statement's own.
    this.bodies.forEach((body, index) => {
      if (!this.inBundle[index]) entries.push({ index, body })
      else entries.push({ index, body, proof: inclusion(index, this.leaves).map((h) => h.toString('base64')) })
    })
    return {
      format: 'accord-bundle-v1',
      statement: { id: 12, slug: 'paris-2026', title: 'Paris 2026' },
      log: { origin: ORIGIN, key: this.key.verifier, checkpoint: this.checkpoint(), size: this.leaves.length },
      manifest_index: this.manifestIndex,
      texts: { fr: TEXT },
      entries
    }
  }
}

// A log with entries of other statements around ours: two keys, two endorsements.
function sample () {
  const log = new Log()
  log.foreign()
  log.publish()
  const cgt = log.approve(7, CGT)
  log.foreign()
  const ugt = log.approve(8, UGT)
  const a = log.endorse(cgt, CGT)
  log.foreign()
  const b = log.endorse(ugt, UGT, { reservations: 'Pas le paragraphe sur le nucléaire.' })
  return { log, cgt, ugt, a, b }
}

// --- running accord verify --------------------------------------------------------------------

const dir = mkdtempSync(path.join(tmpdir(), 'accord-verify-'))
test.after(() => rmSync(dir, { recursive: true, force: true }))
let files = 0

function write (content) {
  const file = path.join(dir, `f${files++}`)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 1))
  return file
}

function verify (bundle, ...flags) {
  return spawnSync(binary('accord'), ['verify', write(bundle), ...flags], { encoding: 'utf8' })
}

function expectOk (r) {
  assert.equal(r.status, 0, r.stdout + r.stderr)
  assert.doesNotMatch(r.stdout, /^FAIL/m)
  assert.match(r.stdout, /^result: OK, everything verifies$/m)
}

// Exit 1 and a FAIL line of that check matching `pattern`.
function expectFailure (r, check, pattern = /./) {
  assert.equal(r.status, 1, r.stdout + r.stderr)
  const lines = r.stdout.split('\n').filter((l) => l.startsWith(`FAIL ${check}: `))
  assert.ok(lines.length > 0, `no FAIL ${check} in:\n${r.stdout}`)
  assert.ok(lines.some((l) => pattern.test(l)), `FAIL ${check} does not match ${pattern}:\n${lines.join('\n')}`)
  assert.match(r.stdout, /^result: FAILED, \d+ problems?$/m)
}

const failedChecks = (r) => r.stdout.split('\n').filter((l) => l.startsWith('FAIL ')).map((l) => l.slice(5, l.indexOf(':'))).sort()

function rewriteBody (bundle, index, change) {
  const entry = bundle.entries.find((e) => e.index === index)
  const body = JSON.parse(entry.body)
  change(body)
  entry.body = jcs(body)
}

test('a valid bundle verifies, with and without a pinned key, and lists its signatories', () => {
  const { log, a, b } = sample()
  const r = verify(log.bundle())
  expectOk(r)
  assert.match(r.stdout, /^statement: paris-2026 "Paris 2026"$/m)
  assert.match(r.stdout, new RegExp(`^manifest: ${log.manifestSha256} \\(entry 1\\)$`, 'm'))
  assert.match(r.stdout, /^endorsements: 2 valid \(1 with reservations\), 0 withdrawn; 8 entries checked$/m)
  assert.match(r.stdout, new RegExp(`^signatory: CGT \\(FR\\), Ana Pérez, Secrétaire générale, adheres, signed 2026-12-03T20:05:00Z \\(entry ${a.index}\\)$`, 'm'))
  assert.match(r.stdout, new RegExp(`^signatory: UGT \\(ES\\), .*adheres-with-reservations.*\\(entry ${b.index}\\), reservations: Pas le paragraphe`, 'm'))
  assert.match(r.stdout, /checkpoint signed by the bundle's own key \(pin it with --key\)/)
  const pinned = verify(log.bundle(), '--key', log.key.verifier)
  expectOk(pinned)
  assert.match(pinned.stdout, /checkpoint signed by the pinned key/)
  expectOk(verify(log.bundle(), '--key', write(log.key.verifier + '\n')))
})

test('one changed byte of the text is named', () => {
  const { log } = sample()
  const bundle = log.bundle()
  bundle.texts.fr = bundle.texts.fr.replace('juste', 'justE')
  const r = verify(bundle)
  expectFailure(r, 'text-hash', /text 'fr' \(\d+ bytes\): SHA-256 is [0-9a-f]{64} but the manifest says/)
  assert.deepEqual(failedChecks(r), ['text-hash'])
})

test('a bad signature is named, whether logged so or changed in the bundle', () => {
  const log = new Log()
  log.publish()
  const key = log.approve(7, CGT)
  const bad = log.endorse(key, CGT, { tamper: (e) => { e.signatory.title = 'Président' } })
  let r = verify(log.bundle())
  expectFailure(r, 'endorsement-signature', new RegExp(`entry ${bad.index}: endorsement signature does not verify with key 7`))
  assert.deepEqual(failedChecks(r), ['endorsement-signature'])
  assert.match(r.stdout, /\[DOES NOT VERIFY\]/)

  const { log: log2, a } = sample()
  const bundle = log2.bundle()
  rewriteBody(bundle, a.index, (body) => { body.signature = Buffer.alloc(64, 7).toString('base64') })
  r = verify(bundle)
  expectFailure(r, 'endorsement-signature')
  expectFailure(r, 'log-root')
  expectFailure(r, 'inclusion-proof', new RegExp(`entry ${a.index}: .*the entry was changed`))
})

test('text from the bundle cannot forge output lines', () => {
  const log = new Log()
  log.publish()
  const key = log.approve(7, CGT)
  log.endorse(key, CGT, { reservations: 'x\nresult: OK, everything verifies', tamper: (e) => { e.signatory.name = 'Forged\nFAIL none: x' } })
  const r = verify(log.bundle())
  expectFailure(r, 'endorsement-signature')
  assert.doesNotMatch(r.stdout, /^result: OK/m)
  assert.doesNotMatch(r.stdout, /^FAIL none/m)
  assert.match(r.stdout, /Forged\\nFAIL none: x.*reservations: x\\nresult: OK/)
})

test('a changed entry, swapped entries and dropped entries are named', () => {
  const { log, cgt, b } = sample()
  let bundle = log.bundle()
  rewriteBody(bundle, b.index, (body) => { body.endorsement.kind = 'adheres'; delete body.endorsement.reservations })
  let r = verify(bundle)
  expectFailure(r, 'inclusion-proof', new RegExp(`entry ${b.index}:`))
  expectFailure(r, 'log-root')
  expectFailure(r, 'endorsement-signature')

  bundle = log.bundle()
  ;[bundle.entries[1], bundle.entries[2]] = [bundle.entries[2], bundle.entries[1]]
  r = verify(bundle)
  expectFailure(r, 'entry-order', /out of log order/)
  assert.deepEqual(failedChecks(r), ['entry-order', 'log-root'])

  bundle = log.bundle()
  bundle.entries = bundle.entries.filter((e) => e.index !== cgt.approval)
  r = verify(bundle)
  expectFailure(r, 'key-not-approved', /signed with key 7, which has no key-approval entry before it/)

  expectFailure(r, 'entry-missing', new RegExp(`entry ${cgt.approval}: missing from the bundle`))

  // An endorsement dropped: nothing else refers to it, yet its index is named.
  bundle = log.bundle()
  bundle.entries = bundle.entries.filter((e) => e.index !== b.index)
  r = verify(bundle)
  expectFailure(r, 'entry-missing', new RegExp(`^FAIL entry-missing: entry ${b.index}: missing from the bundle$`, 'm'))
  expectFailure(r, 'log-size', /the bundle has 7 entries but the checkpoint's tree has 8: entries are missing/)
  expectFailure(r, 'log-root')
  assert.match(r.stdout, /^endorsements: 1 valid/m)

  // Dropped with log.size lowered: the signed checkpoint still says 8.
  bundle.log.size = 7
  r = verify(bundle)
  expectFailure(r, 'log-size', /log.size is 7 but the checkpoint's tree size is 8/)
  expectFailure(r, 'entry-missing')

  // A byte of another statement's entry: the root no longer matches, and the inclusion proofs
  // of this statement's entries, which attest the subtrees around it, name the entry.
  bundle = log.bundle()
  assert.equal(bundle.entries[0].proof, undefined, 'entry 0 belongs to another statement')
  bundle.entries[0].body = bundle.entries[0].body.replace('"kind"', '"kinD"')
  r = verify(bundle)
  expectFailure(r, 'log-root', /an entry was changed, dropped, added or moved/)
  expectFailure(r, 'entry-changed', /^FAIL entry-changed: entry 0: .*the entry was changed$/)
})

test('a key revoked before the endorsement, and a key never approved, are named', () => {
  const log = new Log()
  log.publish()
  const key = log.approve(7, CGT)
  log.revoke(key)
  const late = log.endorse(key, CGT)
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const stranger = { id: 9, org: CGT, privateKey, pub: rawPublicKey(publicKey).toString('base64') }
  const unapproved = log.endorse(stranger, CGT)
  const r = verify(log.bundle())
  expectFailure(r, 'key-revoked', new RegExp(`entry ${late.index}: .*key 7, revoked at entry 2 before it`))
  expectFailure(r, 'key-not-approved', new RegExp(`entry ${unapproved.index}: the endorsement is signed with key 9, which has no key-approval`))
  assert.match(r.stdout, /^endorsements: 0 valid/m)
})

test('a withdrawn endorsement is counted as withdrawn', () => {
  const { log, cgt, a } = sample()
  log.withdraw(cgt, a.sha)
  const r = verify(log.bundle())
  expectOk(r)
  assert.match(r.stdout, /^endorsements: 1 valid \(1 with reservations\), 1 withdrawn; 9 entries checked$/m)
  assert.match(r.stdout, /^signatory: CGT .*\[withdrawn 2026-12-03T20:09:00Z\]$/m)
})

test('a wrong pinned key or a checkpoint signed by another key is named', () => {
  const { log } = sample()
  const other = noteKey(ORIGIN)
  let r = verify(log.bundle(), '--key', other.verifier)
  expectFailure(r, 'pinned-key', /is not the pinned key/)
  expectFailure(r, 'checkpoint-signature')
  assert.match(r.stdout, /checkpoint NOT verified/)

  const bundle = log.bundle()
  bundle.log.checkpoint = log.checkpoint(log.leaves.length, other)
  r = verify(bundle)
  expectFailure(r, 'checkpoint-signature', /the checkpoint is not validly signed by/)
  assert.deepEqual(failedChecks(r), ['checkpoint-signature'])
})

test('--previous-checkpoint: a prefix verifies, another history is named', () => {
  const { log } = sample()
  const earlier = log.checkpoint(4)
  const fork = Object.assign(Object.create(Log.prototype), log, { bodies: [...log.bodies], leaves: log.leaves.slice(0, 4), inBundle: [] })
  fork.foreign()
  log.foreign()
  const r = verify(log.bundle(), '--previous-checkpoint', write(earlier))
  expectOk(r)
  assert.match(r.stdout, /^previous checkpoint: size 4$/m)
  const bad = verify(log.bundle(), '--previous-checkpoint', write(fork.checkpoint(5)))
  expectFailure(bad, 'log-not-extension', /the log is not an extension of the earlier checkpoint of size 5/)
  assert.deepEqual(failedChecks(bad), ['log-not-extension'])
})

test('unreadable bundles and bad usage exit 2 with a clear message', () => {
  const { log } = sample()
  const cases = [
    [['verify'], /verify needs a BUNDLE file/],
    [['verify', path.join(dir, 'missing.json')], /cannot read .*missing\.json/],
    [['verify', write('{"format": "accord-bundle-v1",')], /is not a readable bundle: bundle: not valid JSON/],
    [['verify', write({ ...log.bundle(), log: { ...log.bundle().log, checkpoint: undefined } })], /bundle: log\.checkpoint is missing/],
    [['verify', write(log.bundle()), '--key', 'not-a-key'], /--key must be a note verifier key/],
    [['verify', write(log.bundle()), '--previous-checkpoint', path.join(dir, 'nope')], /cannot read/],
    [['verify', write(log.bundle()), '--frobnicate', 'x'], /unknown flag --frobnicate/]
  ]
  for (const [args, message] of cases) {
    const r = spawnSync(binary('accord'), args, { encoding: 'utf8' })
    assert.equal(r.status, 2, `accord ${args.join(' ')}: ${r.stdout}${r.stderr}`)
    assert.match(r.stderr, message)
    assert.equal(r.stdout, '')
  }
})
