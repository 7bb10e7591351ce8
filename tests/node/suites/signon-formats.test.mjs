// Differential tests of the sign-on formats (server/signon, through accord-signon-tool) against
// independent computations written here with node:crypto: RFC 9162 Merkle roots and proofs over
// random entries, RFC 8785 canonical JSON of tricky values, and Ed25519 signed notes and
// checkpoints in both directions (C++ signs / node verifies, node signs / C++ verifies).
//
// Env: SIGNON_SEED (reproduce a run; the seed is printed), ACCORD_BIN_DIR.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto'
import { binary } from '../lib/accordd.mjs'
import { jcs } from '../lib/jcs.mjs'
import { Rng, freshSeed } from '../lib/rng.mjs'

const seed = process.env.SIGNON_SEED !== undefined ? Number(process.env.SIGNON_SEED) >>> 0 : freshSeed()
console.log(`signon-formats: seed=${seed} (reproduce: SIGNON_SEED=${seed})`)

function tool (args, input = '') {
  const r = spawnSync(binary('accord-signon-tool'), args, { input, encoding: 'utf8' })
  assert.notEqual(r.status, 2, `usage error for ${args.join(' ')}: ${r.stderr}`)
  return r
}

function toolOk (args, input) {
  const r = tool(args, input)
  assert.equal(r.status, 0, `accord-signon-tool ${args.join(' ')} failed: ${r.stderr}`)
  return r.stdout
}

// --- Merkle trees, written from RFC 9162 section 2.1 --------------------------------------

const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest()
const leafHash = (entry) => sha256(Buffer.from([0]), entry)
const nodeHash = (l, r) => sha256(Buffer.from([1]), l, r)
const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k }

function mth (leaves) {
  if (leaves.length === 0) return sha256(Buffer.alloc(0))
  if (leaves.length === 1) return leaves[0]
  const k = split(leaves.length)
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)))
}

function path (m, leaves) {
  if (leaves.length <= 1) return []
  const k = split(leaves.length)
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))]
}

function subproof (m, leaves, whole) {
  if (m === leaves.length) return whole ? [] : [mth(leaves)]
  const k = split(leaves.length)
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), whole), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))]
}

const consistency = (m, leaves) => (m === 0 || m === leaves.length) ? [] : subproof(m, leaves, true)
const hex = (list) => list.map((b) => b.toString('hex'))

function randomEntries (rng, n) {
  return Array.from({ length: n }, () => Buffer.from(Array.from({ length: rng.int(0, 40) }, () => rng.int(0, 255))))
}

test('Merkle roots, inclusion and consistency proofs match an independent implementation', () => {
  const rng = new Rng(seed)
  const sizes = [...Array.from({ length: 34 }, (_, i) => i), 63, 64, 65, rng.int(66, 200)]
  for (const n of sizes) {
    const entries = randomEntries(rng, n)
    const leaves = entries.map(leafHash)
    const out = JSON.parse(toolOk(['merkle'], entries.map((e) => e.toString('hex') + '\n').join('')))
    assert.equal(out.size, n)
    assert.equal(out.root, mth(leaves).toString('hex'), `root of ${n}`)
    for (let i = 0; i < n; i++) assert.deepEqual(out.inclusion[i], hex(path(i, leaves)), `inclusion ${i}/${n}`)
    for (let m = 0; m <= n; m++) assert.deepEqual(out.consistency[m], hex(consistency(m, leaves)), `consistency ${m}->${n}`)
  }
})

test('the C++ verifiers accept proofs made here and refuse altered ones', () => {
  const rng = new Rng(seed ^ 0x5a5a5a5a)
  for (let round = 0; round < 12; round++) {
    const n = rng.int(2, 100)
    const leaves = randomEntries(rng, n).map(leafHash)
    const root = mth(leaves).toString('hex')
    const i = rng.int(0, n - 1)
    const proof = hex(path(i, leaves))
    const incl = (p, index = i, size = n, r = root) =>
      tool(['verify-inclusion', String(index), String(size), leaves[i].toString('hex'), r], p.map((h) => h + '\n').join(''))
    assert.equal(incl(proof).status, 0, `inclusion ${i}/${n}: ${incl(proof).stderr}`)
    if (proof.length > 0) {
      const bad = [...proof]
      const k = rng.int(0, bad.length - 1)
      bad[k] = (bad[k][0] === '0' ? '1' : '0') + bad[k].slice(1)
      assert.equal(incl(bad).status, 1, `altered inclusion proof accepted (${i}/${n}, hash ${k})`)
      assert.equal(incl(proof.slice(1)).status, 1, 'shortened inclusion proof accepted')
    }
    assert.equal(incl(proof, i, n, mth(leaves.slice(0, n - 1)).toString('hex')).status, 1, 'wrong root accepted')
    if (n > 1) assert.equal(incl(proof, (i + 1) % n).status, 1, 'wrong index accepted')

    const m = rng.int(1, n - 1)
    const oldRoot = mth(leaves.slice(0, m)).toString('hex')
    const cproof = hex(consistency(m, leaves))
    const cons = (p, mm = m, r = oldRoot) => tool(['verify-consistency', String(mm), String(n), r, root], p.map((h) => h + '\n').join(''))
    assert.equal(cons(cproof).status, 0, `consistency ${m}->${n}: ${cons(cproof).stderr}`)
    const bad = [...cproof]
    const k = rng.int(0, bad.length - 1)
    bad[k] = (bad[k][0] === 'f' ? 'e' : 'f') + bad[k].slice(1)
    assert.equal(cons(bad).status, 1, `altered consistency proof accepted (${m}->${n}, hash ${k})`)
    assert.equal(cons(cproof, m, mth(leaves.slice(0, m + 1)).toString('hex')).status, 1, 'wrong old root accepted')
  }
})


const TRICKY_NUMBERS = [0, -0, 1, -1, 0.1, 0.2 + 0.1, 1e21, 1e-7, 1e-6, 999999999999999900000, 1e20, 5e-324,
  1.7976931348623157e308, 2.2250738585072014e-308, 9007199254740993, 123456789012345678901234, 1.5e-7,
  -4.5, 333333333.33333329, 1e30, 0.000001234, 295147905179352830000, 4294967296]
const TRICKY_CHARS = ['a', 'Z', '1', '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f',
  '\u0080', 'é', '€', '\u2028', '\u2029', '\ufb33', '\ue000', '\uffff', '😀', '𝄞', '\u{10ffff}', ' ']

function randomDouble (rng) {
  const b = Buffer.alloc(8)
  b.writeUInt32LE(rng.uint32(), 0)
  b.writeUInt32LE(rng.uint32(), 4)
  const d = b.readDoubleLE(0)
  return Number.isFinite(d) ? d : rng.pick(TRICKY_NUMBERS)
}

const randomString = (rng) => Array.from({ length: rng.int(0, 6) }, () => rng.pick(TRICKY_CHARS)).join('')

function randomValue (rng, depth) {
  const r = rng.int(0, depth > 3 ? 5 : 7)
  if (r === 0) return rng.pick([null, true, false])
  if (r === 1) return rng.pick(TRICKY_NUMBERS)
  if (r === 2) return randomDouble(rng)
  if (r === 3) return rng.int(-1e6, 1e6)
  if (r <= 5) return randomString(rng)
  if (r === 6) return Array.from({ length: rng.int(0, 4) }, () => randomValue(rng, depth + 1))
  const o = {}
  for (let i = rng.int(0, 5); i > 0; i--) o[randomString(rng)] = randomValue(rng, depth + 1)
  return o
}

// The same value written another way: shuffled members, whitespace, \u escapes, numbers in
// other spellings that parse to the same double.
function respell (rng, v) {
  const ws = () => rng.pick(['', ' ', '\n', '\t ', '\r\n'])
  if (typeof v === 'number') {
    const spellings = [JSON.stringify(v), v.toExponential(), v.toPrecision(17), v.toExponential(20).replace('e', 'E')]
    return rng.pick(spellings.filter((s) => Number(s) === v && /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(s)))
  }
  if (typeof v === 'string') {
    return '"' + [...v].map((ch) => {
      const plain = JSON.stringify(ch).slice(1, -1)
      if (!rng.bool(0.3)) return plain
      return Array.from({ length: ch.length }, (_, i) => '\\u' + ch.charCodeAt(i).toString(16).padStart(4, '0')).join('')
    }).join('') + '"'
  }
  if (v === null || typeof v !== 'object') return JSON.stringify(v)
  if (Array.isArray(v)) return '[' + ws() + v.map((x) => respell(rng, x)).join(ws() + ',' + ws()) + ws() + ']'
  const keys = rng.shuffle(Object.keys(v))
  return '{' + ws() + keys.map((k) => respell(rng, k) + ws() + ':' + ws() + respell(rng, v[k])).join(',' + ws()) + ws() + '}'
}

test('canonical JSON matches a JCS written here, for values spelled many ways', () => {
  const rng = new Rng(seed ^ 0x0badcafe)
  for (let i = 0; i < 150; i++) {
    const value = randomValue(rng, 0)
    const text = respell(rng, value)
    assert.equal(jcs(JSON.parse(text)), jcs(value), 'the respelling itself is wrong')
    const out = tool(['jcs'], text)
    assert.equal(out.status, 0, `refused ${text}: ${out.stderr}`)
    assert.equal(out.stdout, jcs(value), `input: ${text}`)
  }
})

test('canonical JSON refuses what JCS cannot represent', () => {
  for (const bad of ['{"a":1,"a":2}', '{"é":1,"\\u00e9":2}', '"\\ud800"', '"\\udfff"', '["\\ude00\\ud83d"]',
    'NaN', 'Infinity', '1e400', '[1,]', '{"a" 1}', '"\u0001"', '01']) {
    const r = tool(['jcs'], bad)
    assert.equal(r.status, 1, `accepted ${JSON.stringify(bad)} as ${r.stdout}`)
    assert.match(r.stderr, /invalid argument/)
  }
  const r = spawnSync(binary('accord-signon-tool'), ['jcs'], { input: Buffer.from([0x22, 0xc3, 0x28, 0x22]) })
  assert.equal(r.status, 1, 'accepted invalid UTF-8')
})

// --- Signed notes, written from the Go sumdb/note format ----------------------------------

function newKey (name) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' })
  const pub = Buffer.from(jwk.x, 'base64url')
  const keyHash = sha256(Buffer.from(name + '\n'), Buffer.from([1]), pub).subarray(0, 4)
  return {
    name,
    privateKey,
    publicKey,
    seedHex: Buffer.from(jwk.d, 'base64url').toString('hex'),
    keyHash,
    vkey: `${name}+${keyHash.toString('hex')}+${Buffer.concat([Buffer.from([1]), pub]).toString('base64')}`,
    skey: `PRIVATE+KEY+${name}+${keyHash.toString('hex')}+${Buffer.concat([Buffer.from([1]), Buffer.from(jwk.d, 'base64url')]).toString('base64')}`
  }
}

const signLine = (key, text) =>
  `— ${key.name} ${Buffer.concat([key.keyHash, sign(null, Buffer.from(text), key.privateKey)]).toString('base64')}\n`

function openHere (note, key) {
  const at = note.lastIndexOf('\n\n')
  const text = note.slice(0, at + 1)
  for (const line of note.slice(at + 2).split('\n').slice(0, -1)) {
    const m = /^— (\S+) (\S+)$/.exec(line)
    assert.ok(m, `malformed signature line ${line}`)
    const blob = Buffer.from(m[2], 'base64')
    if (m[1] === key.name && blob.subarray(0, 4).equals(key.keyHash)) {
      return verify(null, Buffer.from(text), key.publicKey, blob.subarray(4)) ? text : null
    }
  }
  return null
}

test('note keys and signatures made by C++ verify here', () => {
  const key = newKey('accord.example.org/log')
  const [vkey, skey] = toolOk(['note-keys', key.name, key.seedHex]).split('\n')
  assert.equal(vkey, key.vkey)
  assert.equal(skey, key.skey)
  const text = 'Final version 3 of "Déclaration" 😀\n\nwith a blank line\n'
  const note = toolOk(['note-sign', skey], text)
  assert.ok(note.startsWith(text + '\n— accord.example.org/log '))
  assert.equal(openHere(note, key), text)
  // Ed25519 is deterministic: the signature line is exactly the one made here.
  assert.equal(note, text + '\n' + signLine(key, text))
  assert.equal(openHere(note.replace('Déclaration', 'Declaration'), key), null)
})

test('notes signed here open in C++; altered or unknown-only ones do not', () => {
  const a = newKey('a.example'); const b = newKey('b.example')
  const text = 'one\ntwo\n'
  const note = text + '\n' + signLine(a, text) + signLine(b, text)
  const opened = JSON.parse(toolOk(['note-open', b.vkey], note))
  assert.deepEqual(opened, { text, verified: ['b.example'], unverified: ['a.example'] })
  const both = JSON.parse(toolOk(['note-open', a.vkey, b.vkey], note))
  assert.deepEqual(both.verified, ['a.example', 'b.example'])
  assert.equal(tool(['note-open', b.vkey], note.replace('two', 'tw0')).status, 1)
  assert.equal(tool(['note-open', newKey('c.example').vkey], note).status, 1)
  // A's signature line under B's name and key hash: a bad signature by a known key.
  const forged = text + '\n' + signLine(a, text).replace('a.example', 'b.example').replace(
    /(\S+)\n$/, (_, b64) => Buffer.concat([b.keyHash, Buffer.from(b64, 'base64').subarray(4)]).toString('base64') + '\n')
  const r = tool(['note-open', b.vkey], forged)
  assert.equal(r.status, 1)
  assert.match(r.stderr, /does not verify/)
})

test('checkpoints round-trip between C++ and the format written here', () => {
  const log = newKey('accord.example.org/log')
  const rng = new Rng(seed ^ 0x1234)
  const leaves = randomEntries(rng, 13).map(leafHash)
  const root = mth(leaves)
  const note = toolOk(['checkpoint-sign', log.skey, '13', root.toString('hex'), 'Timestamp: 1796000000'])
  const body = `accord.example.org/log\n13\n${root.toString('base64')}\nTimestamp: 1796000000\n`
  assert.equal(note, body + '\n' + signLine(log, body))
  assert.equal(openHere(note, log), body)

  const mine = body + '\n' + signLine(log, body)
  assert.deepEqual(JSON.parse(toolOk(['checkpoint-open', log.vkey], mine)),
    { origin: 'accord.example.org/log', size: 13, root: root.toString('hex'), extensions: ['Timestamp: 1796000000'] })
  const bigger = body.replace('\n13\n', '\n14\n')
  assert.equal(tool(['checkpoint-open', log.vkey], bigger + '\n' + signLine(newKey(log.name), bigger)).status, 1)
  assert.equal(tool(['checkpoint-open', log.vkey], mine.replace('\n13\n', '\n14\n')).status, 1)
})
