// Issue 8, "1,000 concurrent endorsements from a script: all stored, log size and root
// consistent", on a real accordd: 1,000 organizations each with a signatory holding an approved
// key, the statement final, then 1,000 signed endorsements posted with 150 in flight (they meet
// in the group-commit writer, server/src/signon_writer.h). Every one must be acknowledged 201;
// afterwards the public list holds them all, the log has exactly final-version + approvals +
// endorsements entries, its signed checkpoint verifies with the log key, the root recomputed
// from every entry (GET /api/v1/log/entries, page by page) is the checkpoint's, and
// `accord verify` accepts the downloaded bundle with 1,000 valid endorsements.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startAccordd, binary } from '../lib/accordd.mjs'
import { Agent, OPS, bootstrapInstance, expectStatus } from '../lib/openapi.mjs'
import { allLogEntries, merkleRoot, pool, setupSignatories, signedEndorsement, verifiedCheckpoint } from '../lib/signon.mjs'

const ORGANIZATIONS = 1000
// Below accordd's 200 connections per address (Limits::max_connections_per_ip), with room for
// the set-up's kept-alive connections.
const IN_FLIGHT = 100
// The set-up's 5,000 single-row commits cost a disk flush each (synchronous=FULL), some 16 s of
// the suite on a real disk against 4 s in memory; this suite is about concurrency and the log's
// consistency, so its data lives in /dev/shm when there is one (signon-crash.test.mjs runs on
// the real disk). ACCORD_SIGNON_LOAD_DIR picks another parent directory.
const parent = process.env.ACCORD_SIGNON_LOAD_DIR || (existsSync('/dev/shm') ? '/dev/shm' : tmpdir())

test('1,000 concurrent endorsements: all stored, the log consistent, the bundle verifies', { timeout: 600000 }, async (t) => {
  const dataDir = mkdtempSync(path.join(parent, 'accord-signon-load-'))
  const server = await startAccordd({ dataDir })
  const scratch = mkdtempSync(path.join(tmpdir(), 'accord-load-'))
  try {
    const started = Date.now()
    bootstrapInstance(server.dataDir)
    const ops = new Agent(server)
    await ops.signIn(OPS.email, OPS.password)
    const anon = new Agent(server)
    expectStatus(await ops.post('/api/v1/statements', { slug: 'load', title: 'Load declaration' }), 201)
    const signers = await setupSignatories(server, ops, { slug: 'load', count: ORGANIZATIONS, orgsPerUser: 20, log: m => t.diagnostic(m) })
    const manifestSha = expectStatus(await ops.patch('/api/v1/statements/load', { phase: 'final' }), 200).body.manifest.manifest_sha256
    t.diagnostic(`set-up: ${Date.now() - started} ms`)

    // Signed before the burst so that the burst measures the server, not node's signing.
    const requests = signers.map(s => ({ s, e: signedEndorsement({ manifestSha, org: s.org, keyPair: s.keyPair, keyId: s.keyId, signatory: s.signatory }) }))
    const burst = Date.now()
    const replies = await pool(requests, IN_FLIGHT, async ({ s, e }) => {
      const res = await s.agent.post('/api/v1/statements/load/endorsements', e.body)
      return { status: res.status, text: res.text, body: res.body, sha: e.sha256 }
    })
    const elapsed = Date.now() - burst
    t.diagnostic(`${ORGANIZATIONS} endorsements in ${elapsed} ms (${Math.round(ORGANIZATIONS * 1000 / elapsed)}/s)`)
    const refused = replies.filter(r => r.status !== 201)
    assert.deepEqual(refused.map(r => `${r.status} ${r.text.slice(0, 200)}`), [], 'every endorsement is acknowledged 201')
    for (const r of replies) assert.equal(r.body.endorsement_sha256, r.sha)
    const indexes = new Set(replies.map(r => r.body.log_index))
    assert.equal(indexes.size, ORGANIZATIONS, 'each endorsement has its own log entry')

    // The public list: all of them, each as acknowledged.
    const list = expectStatus(await anon.get('/api/v1/statements/load/endorsements'), 200).body
    assert.equal(list.count, ORGANIZATIONS)
    assert.equal(list.endorsements.length, ORGANIZATIONS)
    assert.equal(list.withdrawn, 0)
    const listed = new Map(list.endorsements.map(e => [e.endorsement_sha256, e]))
    for (const r of replies) assert.equal(listed.get(r.sha)?.log_index, r.body.log_index, `endorsement ${r.sha} listed`)
    assert.deepEqual(new Set(list.endorsements.map(e => e.organization.id)), new Set(signers.map(s => s.org.id)))

    // The log: one final-version, one approval per key, one entry per endorsement; the signed
    // checkpoint's root is the root of every entry's leaf hash.
    const expectedSize = 1 + ORGANIZATIONS + ORGANIZATIONS
    const checkpoint = await verifiedCheckpoint(anon)
    assert.equal(checkpoint.size, expectedSize)
    const entries = await allLogEntries(anon, checkpoint.size)
    const kinds = {}
    for (const e of entries) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1
    assert.deepEqual(kinds, { 'key-approval': ORGANIZATIONS, 'final-version': 1, endorsement: ORGANIZATIONS })
    assert.deepEqual(merkleRoot(entries.map(e => e.leaf)), checkpoint.root, 'the recomputed root is the checkpoint\'s')
    for (const r of replies) assert.equal(JSON.parse(entries[r.body.log_index].body).endorsement_sha256, r.sha)

    // The bundle, verified offline.
    const bundle = expectStatus(await anon.get('/api/v1/statements/load/bundle'), 200)
    assert.equal(bundle.body.log.size, expectedSize)
    const file = path.join(scratch, 'load-bundle.json')
    writeFileSync(file, bundle.text)
    const verified = spawnSync(binary('accord'), ['verify', file, '--key', checkpoint.verifierKey], { encoding: 'utf8', maxBuffer: 64 << 20 })
    assert.equal(verified.status, 0, verified.stdout.split('\n').filter(l => !l.startsWith('signatory: ')).join('\n') + verified.stderr)
    assert.match(verified.stdout, new RegExp(`^endorsements: ${ORGANIZATIONS} valid \\(0 with reservations\\), 0 withdrawn;`, 'm'))
    assert.match(verified.stdout, /^result: OK, everything verifies$/m)
    t.diagnostic(`total: ${Date.now() - started} ms`)
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(scratch, { recursive: true, force: true })
  }
})
