// The transparency log's public API on a real accordd (server/src/api_log.cc), checked with
// node:crypto alone, as an outside auditor would: the verifier key's hash and the checkpoint's
// Ed25519 signature, the empty tree's root, the empty proofs, the 400s, and that the key and
// the log survive a restart. Nothing appends over the API yet (endorsements will); the C++
// tests (api_log_test.cc, sqlite_transparency_log_test.cc) cover non-empty logs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startAccordd } from '../lib/accordd.mjs'
import { checkResponse } from '../lib/openapi.mjs'
import { openCheckpoint, parseVerifierKey, sha256 } from '../lib/signon.mjs'

// GET on the API without any credential; the response is checked against openapi.yaml.
async function get (server, target, headers = {}) {
  const res = await fetch(`${server.url}${target}`, { headers })
  const text = await res.text()
  checkResponse('GET', target, res.status, res.headers.get('content-type'), text, res.headers)
  assert.equal(res.headers.get('cache-control'), 'no-store', target)
  const body = /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text
  return { status: res.status, type: res.headers.get('content-type'), body }
}

test('the empty log: public key and signed checkpoint of size 0, empty proofs, clear 400s, all kept across a restart', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'accord-tlog-'))
  try {
    let server = await startAccordd({ dataDir })
    let vkey, key
    try {
      const k = await get(server, '/api/v1/log/key')
      assert.equal(k.status, 200)
      assert.equal(k.body.origin, 'accord.local/log', 'no public URL: the default origin')
      vkey = k.body.verifier_key
      key = parseVerifierKey(vkey)
      assert.equal(key.name, k.body.origin)

      const before = Math.floor(Date.now() / 1000)
      const c = await get(server, '/api/v1/log/checkpoint')
      assert.equal(c.status, 200)
      assert.match(c.type, /^text\/plain/)
      const checkpoint = openCheckpoint(c.body, key)
      assert.equal(checkpoint.origin, 'accord.local/log')
      assert.equal(checkpoint.sizeText, '0')
      assert.deepEqual(checkpoint.root, sha256(Buffer.alloc(0)), 'the empty tree: SHA-256 of nothing')
      assert.equal(checkpoint.extensions.length, 1)
      const ts = Number(/^Timestamp: (\d+)$/.exec(checkpoint.extensions[0])?.[1])
      assert.ok(ts >= before - 1 && ts <= Math.floor(Date.now() / 1000) + 1, `timestamp ${ts}`)

      // A tampered checkpoint does not verify: one changed byte of the size.
      const forged = c.body.replace('\n0\n', '\n1\n')
      assert.throws(() => openCheckpoint(forged, key), /signature verifies/)

      // Stale credentials do not stop an audit.
      assert.equal((await get(server, '/api/v1/log/checkpoint', { authorization: 'Bearer acc_nothing' })).status, 200)
      assert.equal((await get(server, '/api/v1/log/key', { cookie: 'accord_session=stale' })).status, 200)

      const entries = await get(server, '/api/v1/log/entries?start=0')
      assert.deepEqual(entries.body, { tree_size: 0, start: 0, end: 0, entries: [] })
      const consistency = await get(server, '/api/v1/log/proof/consistency?from=0')
      assert.deepEqual(consistency.body, { from: 0, to: 0, path: [] })

      for (const [target, says] of [
        ['/api/v1/log/proof/inclusion?index=0', /not in a tree of size 0/],
        ['/api/v1/log/proof/inclusion', /'index' is required/],
        ['/api/v1/log/proof/consistency?from=1', /larger than to/],
        ['/api/v1/log/entries?start=1', /beyond the log/],
        ['/api/v1/log/entries?start=0&end=500', /at most 100/],
        ['/api/v1/log/entries?start=-3', /non-negative integer/],
        ['/api/v1/log/entries?start=0&page=2', /'page' is not known/]
      ]) {
        const r = await get(server, target)
        assert.equal(r.status, 400, target)
        assert.match(r.body.detail, says, target)
      }
      const post = await fetch(`${server.url}/api/v1/log/checkpoint`, { method: 'POST', headers: { origin: server.url } })
      assert.equal(post.status, 405)
    } finally {
      assert.equal((await server.stop()).code, 0)
    }

    // The key was made once and kept: after a restart the same key signs.
    server = await startAccordd({ dataDir })
    try {
      const k = await get(server, '/api/v1/log/key')
      assert.equal(k.body.verifier_key, vkey)
      const checkpoint = openCheckpoint((await get(server, '/api/v1/log/checkpoint')).body, key)
      assert.equal(checkpoint.size, 0)
    } finally {
      assert.equal((await server.stop()).code, 0)
    }

    // A configured origin renames the key (and so changes its hash), with the same key pair, and
    // accordd warns about it.
    const config = path.join(dataDir, 'accordd.toml')
    writeFileSync(config, 'log_origin = "statements.example.net/log"\n')
    server = await startAccordd({ dataDir, args: ['--config', config] })
    try {
      const k = await get(server, '/api/v1/log/key')
      const renamed = parseVerifierKey(k.body.verifier_key)
      assert.equal(renamed.name, 'statements.example.net/log')
      assert.deepEqual(renamed.raw, key.raw)
      assert.notDeepEqual(renamed.hash, key.hash)
      const checkpoint = openCheckpoint((await get(server, '/api/v1/log/checkpoint')).body, renamed)
      assert.equal(checkpoint.origin, 'statements.example.net/log')
      // The operator is told: auditors who pinned the old key will refuse these checkpoints.
      const warning = server.logs.join('').split('\n').filter(l => l.startsWith('{')).map(l => JSON.parse(l))
        .find(e => /origin changed/.test(e.msg))
      assert.ok(warning, 'a warning names the change')
      assert.equal(warning.previous, 'accord.local/log')
      assert.equal(warning.verifier_key, k.body.verifier_key)
    } finally {
      assert.equal((await server.stop()).code, 0)
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
