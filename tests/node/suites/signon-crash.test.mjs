// Issue 8, "Crash safety: SIGKILL during a stream of endorsements, 20 times; every acknowledged
// endorsement is present and the log verifies", on a real accordd and one data directory.
// Each round streams signed endorsements (and some withdrawals) from many signatories at once
// and SIGKILLs accordd 50-500 ms into the stream. Then, on the killed data: `accord db check`
// passes; and after a restart (whose accordd the next round streams to): every endorsement and
// withdrawal answered 201 is there, the log's size is final-version + approvals + endorsements
// + withdrawals stored, its checkpoint verifies with the log key, the root of all its entries is
// the checkpoint's, and `accord verify` accepts the bundle, with the previous round's checkpoint
// as one the log must extend (a crash must not fork or shorten the log).
//
// ACCORD_CRASH_SEED reproduces a run's choices (kill moments, who signs or withdraws); thread
// timing still varies, so a failure may need a few runs of its seed to recur.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startAccordd, binary } from '../lib/accordd.mjs'
import { Agent, OPS, bootstrapInstance, expectStatus } from '../lib/openapi.mjs'
import { Rng, caseSeed, freshSeed } from '../lib/rng.mjs'
import { allLogEntries, merkleRoot, setupSignatories, signedEndorsement, signedWithdrawal, verifiedCheckpoint } from '../lib/signon.mjs'

const ROUNDS = 20
const ORGANIZATIONS = 300
const IN_FLIGHT = 24
const WITHDRAW_SHARE = 0.1

const seed = process.env.ACCORD_CRASH_SEED ? Number(process.env.ACCORD_CRASH_SEED) >>> 0 : freshSeed()

// Streams endorsements and withdrawals with IN_FLIGHT requests at once until `stopped()`.
// `active`: organization id -> {id, sha} of its active endorsement, as last known; an
// organization with a request whose answer never came is left alone for the rest of the round
// (whether that request was stored is what the checks after the restart find out).
// Returns what was acknowledged: { endorsements: [{sha, id, orgId}], withdrawals: [endorsement id] }.
async function stream ({ signers, active, manifestSha, rng, stopped }) {
  const acked = { endorsements: [], withdrawals: [], failures: 0 }
  const busy = new Set()
  async function worker () {
    while (!stopped()) {
      const free = signers.filter(s => !busy.has(s.org.id))
      if (free.length === 0) return
      const unsigned = free.filter(s => !active.has(s.org.id))
      const withdraw = unsigned.length === 0 || (rng.bool(WITHDRAW_SHARE) && free.length > unsigned.length)
      const s = withdraw ? rng.pick(free.filter(f => active.has(f.org.id))) : rng.pick(unsigned)
      busy.add(s.org.id)
      let res
      if (withdraw) {
        const target = active.get(s.org.id)
        const w = signedWithdrawal({ manifestSha, endorsementSha: target.sha, orgId: s.org.id, keyPair: s.keyPair, keyId: s.keyId, reason: 'changed our mind' })
        try {
          res = await s.agent.post(`/api/v1/statements/crash/endorsements/${target.id}/withdrawal`, w.body)
        } catch {
          acked.failures++
          continue // no answer: stays busy
        }
        expectStatus(res, 201)
        acked.withdrawals.push(target.id)
        active.delete(s.org.id)
      } else {
        const e = signedEndorsement({ manifestSha, org: s.org, keyPair: s.keyPair, keyId: s.keyId, signatory: s.signatory })
        try {
          res = await s.agent.post('/api/v1/statements/crash/endorsements', e.body)
        } catch {
          acked.failures++
          continue
        }
        expectStatus(res, 201)
        assert.equal(res.body.endorsement_sha256, e.sha256)
        acked.endorsements.push({ sha: e.sha256, id: res.body.id, orgId: s.org.id })
        active.set(s.org.id, { id: res.body.id, sha: e.sha256 })
      }
      busy.delete(s.org.id)
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  return acked
}

test(`accordd SIGKILLed ${ROUNDS} times during a stream of endorsements keeps every acknowledged one (seed ${seed})`, { timeout: 900000 }, async (t) => {
  t.diagnostic(`signon-crash: seed ${seed} (rerun with ACCORD_CRASH_SEED=${seed})`)
  const killRng = new Rng(caseSeed(seed, 1))
  const streamRng = new Rng(caseSeed(seed, 2))
  const dataDir = mkdtempSync(path.join(tmpdir(), 'accord-signon-crash-'))
  const scratch = mkdtempSync(path.join(tmpdir(), 'accord-signon-crash-files-'))
  // The agents keep this object and so follow accordd to its new port after each restart.
  const target = { url: '', dataDir }
  let server = null
  try {
    const started = Date.now()
    server = await startAccordd({ dataDir })
    target.url = server.url
    bootstrapInstance(dataDir)
    const ops = new Agent(server)
    await ops.signIn(OPS.email, OPS.password)
    expectStatus(await ops.post('/api/v1/statements', { slug: 'crash', title: 'Crash declaration' }), 201)
    const signers = await setupSignatories(target, ops, { slug: 'crash', count: ORGANIZATIONS, orgsPerUser: 20, prefix: 'C', log: m => t.diagnostic(m) })
    const manifestSha = expectStatus(await ops.patch('/api/v1/statements/crash', { phase: 'final' }), 200).body.manifest.manifest_sha256
    t.diagnostic(`set-up: ${Date.now() - started} ms`)

    // Everything ever acknowledged, over all rounds: it must survive every later crash too.
    const everAcked = new Map() // endorsement sha -> id
    const everWithdrawn = new Set() // endorsement ids
    let previousCheckpoint = null
    let active = new Map()
    const totals = { endorsements: 0, withdrawals: 0, unanswered: 0 }

    // Each round streams to the accordd the previous round restarted (the first: set-up's).
    for (let round = 1; round <= ROUNDS; round++) {
      const delay = killRng.int(50, 500)
      let killed = false
      const killer = setTimeout(() => { killed = true; server.proc.kill('SIGKILL') }, delay)
      const acked = await stream({ signers, active, manifestSha, rng: streamRng, stopped: () => killed })
      clearTimeout(killer)
      const exit = await server.exited
      assert.equal(exit.signal, 'SIGKILL', `round ${round}: accordd was killed, not stopped (${JSON.stringify(exit)})`)
      server = null
      for (const e of acked.endorsements) everAcked.set(e.sha, e.id)
      for (const id of acked.withdrawals) everWithdrawn.add(id)
      totals.endorsements += acked.endorsements.length
      totals.withdrawals += acked.withdrawals.length
      totals.unanswered += acked.failures
      const context = `round ${round}, killed at ${delay} ms (seed ${seed}), data dir ${dataDir}`

      // The killed database, as left on disk.
      const check = spawnSync(binary('accord'), ['db', 'check', '--data', dataDir], { encoding: 'utf8' })
      assert.equal(check.status, 0, `accord db check, ${context}:\n${check.stdout}${check.stderr}`)
      assert.equal(check.stdout, 'ok\n')

      server = await startAccordd({ dataDir })
      target.url = server.url
      const anon = new Agent(server)
      const list = expectStatus(await anon.get('/api/v1/statements/crash/endorsements'), 200).body
      assert.equal(list.manifest_sha256, manifestSha)
      const stored = new Map(list.endorsements.map(e => [e.endorsement_sha256, e]))
      for (const [sha, id] of everAcked) {
        assert.equal(stored.get(sha)?.id, id, `acknowledged endorsement ${id} (${sha}) is stored, ${context}`)
      }
      for (const id of everWithdrawn) {
        assert.ok(list.endorsements.find(e => e.id === id)?.withdrawal, `acknowledged withdrawal of endorsement ${id} is stored, ${context}`)
      }
      const withdrawn = list.endorsements.filter(e => e.withdrawal).length
      assert.equal(list.withdrawn, withdrawn)
      assert.equal(list.count, list.endorsements.length - withdrawn)

      // The log: exactly the stored rows' entries, signed and with the root of its entries.
      const checkpoint = await verifiedCheckpoint(anon)
      assert.equal(checkpoint.size, 1 + ORGANIZATIONS + list.endorsements.length + withdrawn, `log size, ${context}`)
      const entries = await allLogEntries(anon, checkpoint.size)
      assert.deepEqual(merkleRoot(entries.map(e => e.leaf)), checkpoint.root, `recomputed root, ${context}`)
      for (const e of list.endorsements) {
        assert.equal(JSON.parse(entries[e.log_index].body).endorsement_sha256, e.endorsement_sha256)
        if (e.withdrawal) assert.equal(JSON.parse(entries[e.withdrawal.log_index].body).withdrawal.endorsement_sha256, e.endorsement_sha256)
      }

      // The bundle, offline, against the key and the previous round's checkpoint.
      const bundle = expectStatus(await anon.get('/api/v1/statements/crash/bundle'), 200)
      const file = path.join(scratch, 'bundle.json')
      writeFileSync(file, bundle.text)
      const args = ['verify', file, '--key', checkpoint.verifierKey]
      if (previousCheckpoint) {
        writeFileSync(path.join(scratch, 'previous'), previousCheckpoint)
        args.push('--previous-checkpoint', path.join(scratch, 'previous'))
      }
      const verified = spawnSync(binary('accord'), args, { encoding: 'utf8', maxBuffer: 64 << 20 })
      assert.equal(verified.status, 0, `accord verify, ${context}:\n` + verified.stdout.split('\n').filter(l => !l.startsWith('signatory: ')).join('\n') + verified.stderr)
      assert.match(verified.stdout, new RegExp(`^endorsements: \\d+ valid .*, ${withdrawn} withdrawn;`, 'm'))
      previousCheckpoint = checkpoint.note

      // The next round starts from what is stored, acknowledged or not.
      active = new Map(list.endorsements.filter(e => !e.withdrawal).map(e => [e.organization.id, { id: e.id, sha: e.endorsement_sha256 }]))
      t.diagnostic(`${context}: ${acked.endorsements.length} endorsements and ${acked.withdrawals.length} withdrawals acknowledged, ${acked.failures} unanswered; log size ${checkpoint.size}`)
    }
    assert.equal((await server.stop()).code, 0)
    server = null
    assert.ok(totals.endorsements > 0, 'some endorsements were acknowledged before the kills')
    assert.ok(totals.unanswered > 0, 'some kills caught requests in flight')
    t.diagnostic(`totals: ${JSON.stringify(totals)}; ${Date.now() - started} ms`)
  } finally {
    if (server) await server.stop({ keepData: true })
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(scratch, { recursive: true, force: true })
  }
})
