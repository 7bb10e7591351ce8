// Crash safety: accordd is killed with SIGKILL at random moments while clients edit, 30 times.
// After each kill, with the server down: `accord db check` says "ok" (SQLite integrity_check plus
// every document loads), and every edit covered by a "saved" message any client received, from
// any server run so far, is in the stored document (state vector >= the claim per client, no
// missing dependencies, and each edit's text, array and map content present and its deletion
// applied). Then accordd restarts on the same data directory and the same clients (same Y.Doc,
// same client id) reconnect, resync what the crash lost, and go on. A last clean run checks that
// in the end every edit ever made is stored.
//
// ACCORD_CRASH_SEED reproduces a run's choices (kill moments, edit positions); the seed is
// printed. Thread timing still varies, so a failure may need a few runs of its seed to recur.
// ACCORD_CRASH_CYCLES overrides the number of kills (default 30); ACCORD_CRASH_VERBOSE=1 prints
// each cycle's timings and keeps the data directory.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { startAccordd } from '../lib/accordd.mjs'
import { createToken, wsBase } from '../lib/yclient.mjs'
import { Rng, caseSeed, freshSeed } from '../lib/rng.mjs'
import { EditingClient, SavedClaims, dbCheck, docList, exportDoc, verifyStored } from '../lib/crash.mjs'

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function withTimeout (promise, ms, what) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  try { return await Promise.race([promise, timeout]) } finally { clearTimeout(timer) }
}

const seed = process.env.ACCORD_CRASH_SEED ? Number(process.env.ACCORD_CRASH_SEED) >>> 0 : freshSeed()
const cycles = Number(process.env.ACCORD_CRASH_CYCLES || 30)
const verbose = Boolean(process.env.ACCORD_CRASH_VERBOSE) // per-cycle timings, data kept

// Three documents: three editors on one, two on another, and one editor whose every edit also
// overwrites a 16 KiB map value, which makes the server compact that document every few dozen
// edits (at 1 MiB of updates), so that kills also land during and between compactions.
const layout = [['crash-1', ['a', 'b', 'c'], 0], ['crash-2', ['d', 'e'], 0], ['crash-3', ['f'], 16 * 1024]]
// Every editor makes one edit per tick with this probability (ticks every ~8 ms).
const editProbability = 0.3

// When to kill: in one cycle out of five during the reconnect handshakes (0-150 ms after accordd
// reported "listening": clients connecting, resyncing what the previous crash lost); otherwise
// 50-700 ms after every client has joined, while edits stream in.
function killMoment (rng) {
  return rng.bool(0.2) ? { afterJoin: false, delay: rng.int(0, 150) } : { afterJoin: true, delay: rng.int(50, 700) }
}

test(`accordd killed ${cycles} times while clients edit loses nothing it reported saved (seed ${seed})`, { timeout: 240000 }, async () => {
  console.log(`server-crash: seed ${seed} (rerun with ACCORD_CRASH_SEED=${seed}), ${cycles} cycles`)
  // Separate streams, so that the kill moments do not depend on how many edits the timer made.
  const setupRng = new Rng(caseSeed(seed, 0))
  const killRng = new Rng(caseSeed(seed, 1))
  const editRng = new Rng(caseSeed(seed, 2))
  const started = Date.now()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'accordd-crash-'))
  const docs = layout.map(([name, tags, blobBytes], d) => {
    const claims = new SavedClaims()
    const clients = tags.map((tag, i) => new EditingClient({
      tag,
      docName: name,
      clientID: 1000 + 100 * d + i + (setupRng.uint32() % 100) * 1000,
      rng: new Rng(setupRng.uint32()),
      claims,
      blobBytes
    }))
    return { name, claims, clients }
  })
  const allClients = docs.flatMap(d => d.clients)
  let token
  let server = null
  let editing = null
  const history = [] // per cycle: { delay, verified, newlySaved }
  try {
    // Editors edit while accordd runs, connected or not yet; while it is down each makes only a
    // few offline edits (synced on reconnect), so that the resync after a restart stays small
    // enough for the sanitized server to get through it and save new edits in most cycles.
    const startEditing = () => setInterval(() => {
      for (const c of allClients) if (editRng.bool(editProbability)) c.edit()
    }, 8)

    let lastVerified = 0
    for (let cycle = 0; cycle < cycles; cycle++) {
      const t0 = Date.now()
      server = await startAccordd({ dataDir })
      const t1 = Date.now()
      if (!token) token = createToken(dataDir, { doc: 'crash-*', access: 'write' })
      for (const c of allClients) c.connect(wsBase(server), token)
      editing = startEditing()
      const { afterJoin, delay } = killMoment(killRng)
      if (afterJoin) await withTimeout(Promise.all(allClients.map(c => c.joined)), 20000, `clients to join after restart ${cycle}`)
      await sleep(delay)
      assert.equal(server.proc.exitCode, null, `accordd exited by itself before the kill (cycle ${cycle}):\n${server.logs.join('')}`)
      server.proc.kill('SIGKILL')
      clearInterval(editing)
      editing = null
      const { signal } = await server.exited
      assert.equal(signal, 'SIGKILL')
      // Every byte the dead server sent has been read once its sockets are closed, so every
      // "saved" it sent is counted before the checks.
      await Promise.all(allClients.map(c => c.waitClosed()))
      server = null
      for (const c of allClients) for (let k = editRng.int(0, 3); k > 0; k--) c.edit()
      const t2 = Date.now()

      const [check, ...exported] = await Promise.all([dbCheck(dataDir), ...docs.map(d => exportDoc(dataDir, d.name))])
      const t3 = Date.now()
      assert.equal(check.status, 0, `accord db check failed after kill ${cycle} (seed ${seed}), data dir ${dataDir}:\n${check.out}`)
      assert.equal(check.out.trim(), 'ok')
      let verified = 0
      for (const [i, d] of docs.entries()) {
        const result = verifyStored(exported[i], d.name, d.claims, d.clients)
        assert.deepEqual(result.problems, [], `after kill ${cycle} at ${afterJoin ? 'join + ' : ''}${delay} ms (seed ${seed}), data dir ${dataDir}`)
        verified += result.verified
      }
      if (verbose) {
        console.log(`cycle ${cycle}: start ${t1 - t0} ms, kill after ${afterJoin ? 'join + ' : ''}${delay} ms ` +
          `(${t2 - t1} ms), checks ${t3 - t2} + ${Date.now() - t3} ms; saved edits ${verified}; ` +
          `closes: ${allClients.map(c => c.lastClose).join(', ')}`)
      }
      history.push({ delay: `${afterJoin ? 'j+' : ''}${delay}`, verified, newlySaved: verified - lastVerified })
      lastVerified = verified
    }

    // A last, clean run: every client resyncs, so storage ends up holding every edit ever made,
    // including those a crash lost before they were saved. The saved messages say when.
    server = await startAccordd({ dataDir })
    for (const c of allClients) c.connect(wsBase(server), token)
    const deadline = Date.now() + 30000
    while (!docs.every(d => d.clients.every(c => d.claims.clockOf(c.clientID) >= Y.getState(c.doc.store, c.clientID)))) {
      assert.ok(Date.now() < deadline, 'the final run did not report every edit saved within 30 s')
      await sleep(20)
    }
    for (const c of allClients) c.close()
    const { code } = await server.stop({ keepData: true })
    server = null
    assert.equal(code, 0)
    const [check, ...exported] = await Promise.all([dbCheck(dataDir), ...docs.map(d => exportDoc(dataDir, d.name))])
    assert.equal(check.out.trim(), 'ok')
    for (const [i, d] of docs.entries()) {
      const final = verifyStored(exported[i], d.name, d.claims, d.clients)
      assert.deepEqual(final.problems, [])
      assert.equal(final.verified, d.clients.reduce((n, c) => n + c.edits.length, 0), `${d.name}: not every edit is stored in the end`)
      for (const c of d.clients) {
        assert.equal(c.doc.clientID, c.clientID, 'a client id changed: the server sent a client its own unknown edits')
      }
    }

    const listing = await docList(dataDir)
    console.log('server-crash: stored at the end (snapshot bytes, updates after it, their bytes): ' +
      listing.map(l => `${l.name} ${l.snapshotBytes}/${l.updates}/${l.updateBytes}`).join(', '))
    assert.ok(listing.find(l => l.name === 'crash-3')?.snapshotBytes > 0, 'crash-3 was never compacted')
    const edits = allClients.reduce((n, c) => n + c.edits.length, 0)
    const savedMessages = docs.reduce((n, d) => n + d.claims.messages, 0)
    const cyclesSaving = history.filter(h => h.newlySaved > 0).length
    console.log(`server-crash: ${cycles} kills in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `${edits} edits made, ${lastVerified} reported saved and verified after the last kill ` +
      `(${history.reduce((n, h) => n + h.verified, 0)} edit checks in all); ${savedMessages} saved messages; ` +
      `${cyclesSaving}/${cycles} cycles saved new edits`)
    console.log('server-crash: kill moments (ms after listening, or j+ms after every client joined) / newly saved edits: ' +
      history.map(h => `${h.delay}/${h.newlySaved}`).join(' '))
    // The harness must have exercised something: most cycles (those not killed during the
    // handshake) see new edits confirmed as saved before the kill.
    assert.ok(cyclesSaving >= Math.ceil(cycles / 2), `only ${cyclesSaving} of ${cycles} cycles saved anything`)
    assert.ok(lastVerified > 0)
    if (verbose) console.log(`server-crash: data directory kept: ${dataDir}`)
    else rmSync(dataDir, { recursive: true, force: true })
  } finally {
    if (editing) clearInterval(editing)
    for (const c of allClients) c.close()
    if (server) server.proc.kill('SIGKILL')
  }
})
