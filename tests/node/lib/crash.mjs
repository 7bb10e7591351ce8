// Helpers of the crash-safety suite (suites/server-crash.test.mjs): an editing client that speaks
// the y-protocols sync bytes by hand with the "saved" extension on, keeps its Y.Doc across server
// restarts and remembers, for every edit it made, the clock that edit reached; plus the checks run
// on the data directory after accordd was killed.
import * as Y from 'yjs'
import WebSocket from 'ws'
import { execFile } from 'node:child_process'
import { binary } from './accordd.mjs'
import { parseMessage, syncStep1, syncUpdate, docFromUpdate, MSG_SYNC, MSG_SAVED } from './yclient.mjs'
import * as encoding from 'lib0/encoding'

function syncStep2 (update) {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MSG_SYNC)
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

// What the server has claimed durable for one document: per Yjs client, the highest clock any
// "saved" message named, over every connection and every server run so far. A claim never
// expires: what was stored once must survive every later crash too.
export class SavedClaims {
  constructor () {
    this.max = new Map()
    this.messages = 0
  }

  record (stateVector) {
    this.messages++
    for (const [client, clock] of Y.decodeStateVector(stateVector)) {
      if (clock > (this.max.get(client) || 0)) this.max.set(client, clock)
    }
  }

  clockOf (client) { return this.max.get(client) || 0 }
}

// One editor of one document. Every edit is a transaction adding a unique token `[<tag><n>]` to
// the text (at the start or the end only, so no later insert can split it), to the array and as
// a map key. It also inserts `{<tag><n>}` into the array `scratch` and deletes the previous
// edit's one there, so that deletions are stored (and checked) too. Edits go on while
// disconnected; a reconnect syncs both ways (step 1 / step 2).
export class EditingClient {
  // `blobBytes` > 0: each edit also overwrites the map entry `blob-<tag>` with a string of that
  // size starting with `<n>|`, so that the stored updates outgrow the compaction threshold
  // quickly (while the document itself stays small) and kills land around compactions too.
  constructor ({ tag, docName, clientID, rng, claims, blobBytes = 0 }) {
    this.tag = tag
    this.blobBytes = blobBytes
    this.docName = docName
    this.rng = rng
    this.claims = claims
    this.doc = new Y.Doc()
    this.doc.clientID = clientID
    this.clientID = clientID
    this.edits = [] // { n, token, clockAfter }
    this.ws = null
    this.doc.on('update', (update, origin) => {
      if (origin === this) return // came from the server
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(syncUpdate(update))
    })
  }

  edit () {
    const n = this.edits.length
    const token = `[${this.tag}${n}]`
    this.doc.transact(() => {
      const text = this.doc.getText('text')
      text.insert(this.rng.bool() ? 0 : text.length, token)
      const array = this.doc.getArray('array')
      if (this.rng.bool(0.3)) array.insert(0, [token]); else array.push([token])
      this.doc.getMap('map').set(token, n)
      const scratch = this.doc.getArray('scratch')
      if (n > 0) {
        const at = scratch.toArray().indexOf(`{${this.tag}${n - 1}}`)
        if (at < 0) throw new Error(`${this.tag}: its own scratch item ${n - 1} vanished from its document`)
        scratch.delete(at, 1)
      }
      scratch.insert(this.rng.int(0, scratch.length), [`{${this.tag}${n}}`])
      if (this.blobBytes) {
        const filler = String.fromCharCode(97 + this.rng.int(0, 25)).repeat(this.blobBytes)
        this.doc.getMap('map').set(`blob-${this.tag}`, `${n}|${filler}`)
      }
    })
    this.edits.push({ n, token, clockAfter: Y.getState(this.doc.store, this.clientID) })
  }

  // Opens a socket to `wsUrl` (…/ws) and starts the sync; does not wait for the socket to open,
  // so that a kill can land in the middle of a handshake. Errors just end the connection.
  // `joined` resolves when the server's sync step 1 arrives (the room has taken the client in).
  connect (wsUrl, token) {
    const ws = new WebSocket(`${wsUrl}/${this.docName}?token=${encodeURIComponent(token)}&ext=saved`)
    ws.binaryType = 'nodebuffer'
    this.ws = ws
    this.closed = new Promise(resolve => ws.on('close', (code, reason) => {
      this.lastClose = `${code}${reason.length ? ' ' + reason : ''}`
      resolve()
    }))
    this.joined = new Promise(resolve => { this.onJoined = resolve })
    ws.on('error', () => {}) // ECONNRESET after a kill, or a refused upgrade: 'close' follows
    ws.on('open', () => ws.send(syncStep1(Y.encodeStateVector(this.doc))))
    ws.on('message', data => {
      const m = parseMessage(data)
      if (m.type === MSG_SYNC && m.sub === 0) {
        this.onJoined()
        ws.send(syncStep2(Y.encodeStateAsUpdate(this.doc, m.payload)))
      } else if (m.type === MSG_SYNC) {
        Y.applyUpdate(this.doc, m.payload, this)
      } else if (m.type === MSG_SAVED) {
        this.claims.record(m.payload)
      }
    })
  }

  // Resolves once the socket is closed (it is after the server died), within `timeout` ms.
  async waitClosed (timeout = 10000) {
    if (!this.ws) return
    let timer
    await Promise.race([
      this.closed,
      new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${this.tag}: socket still open ${timeout} ms after the kill`)), timeout)
      })
    ]).finally(() => clearTimeout(timer))
  }

  close () { if (this.ws) this.ws.terminate() }
}

// Runs the `accord` CLI; resolves to { status, stdout (Buffer), stderr }. Asynchronous so that
// the checks after a kill run side by side (each sanitized process takes a while to start).
function accord (args) {
  return new Promise(resolve => {
    execFile(binary('accord'), args, { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error ? (error.code ?? 1) : 0, stdout, stderr: stderr.toString() })
    })
  })
}

// `accord db check`: the SQLite integrity check plus loading every document. Returns its output.
export async function dbCheck (dataDir) {
  const r = await accord(['db', 'check', '--data', dataDir])
  return { status: r.status, out: r.stdout.toString() + r.stderr }
}

// `accord doc list`: one line per document, `name<TAB>snapshot bytes<TAB>updates<TAB>bytes`.
export async function docList (dataDir) {
  const r = await accord(['doc', 'list', '--data', dataDir])
  if (r.status !== 0) throw new Error(`accord doc list failed (${r.status}): ${r.stderr}`)
  return r.stdout.toString().trim().split('\n').map(line => {
    const [name, snapshotBytes, updates, updateBytes] = line.split('\t')
    return { name, snapshotBytes: Number(snapshotBytes), updates: Number(updates), updateBytes: Number(updateBytes) }
  })
}

// `accord doc export`: the stored document as a v1 update; an empty document's update while
// nothing is stored under `name` yet (a kill before the first commit).
export async function exportDoc (dataDir, name) {
  const r = await accord(['doc', 'export', '--data', dataDir, name])
  if (r.status === 1 && /not found/.test(r.stderr)) return Y.encodeStateAsUpdate(new Y.Doc())
  if (r.status !== 0) throw new Error(`accord doc export ${name} failed (${r.status}): ${r.stderr}`)
  return new Uint8Array(r.stdout)
}

// Checks the stored state of one document (`exported`, a v1 update) against what was claimed saved for it. Returns a list
// of problems (empty when everything holds) and how many edits were checked.
export function verifyStored (exported, docName, claims, clients) {
  const problems = []
  const stored = docFromUpdate(exported)
  const sv = Y.decodeStateVector(Y.encodeStateVector(stored))
  if (stored.store.pendingStructs !== null || stored.store.pendingDs !== null) {
    problems.push(`${docName}: the stored state has structs or deletions whose dependencies are missing`)
  }
  for (const [client, clock] of claims.max) {
    const have = sv.get(client) || 0
    if (have < clock) problems.push(`${docName}: client ${client} was reported saved up to clock ${clock}, storage holds ${have}`)
  }
  const text = stored.getText('text').toString()
  const tokens = new Set(text.match(/\[[a-z]+\d+\]/g) || [])
  const scratch = new Set(stored.getArray('scratch').toArray())
  const arrayItems = new Set(stored.getArray('array').toArray())
  const map = stored.getMap('map')
  let verified = 0
  for (const c of clients) {
    const savedClock = claims.clockOf(c.clientID)
    let lastSaved = -1
    for (const e of c.edits) {
      if (e.clockAfter > savedClock) break // edits are in clock order
      verified++
      lastSaved = e.n
      const missing = []
      if (!tokens.has(e.token)) missing.push('text')
      if (!arrayItems.has(e.token)) missing.push('array')
      if (map.get(e.token) !== e.n) missing.push('map')
      if (e.n > 0 && scratch.has(`{${c.tag}${e.n - 1}}`)) missing.push(`scratch (its deletion of {${c.tag}${e.n - 1}})`)
      if (missing.length) {
        problems.push(`${docName}: edit ${e.token} (client ${c.clientID}, clock ${e.clockAfter} <= saved ` +
          `${savedClock}) missing from ${missing.join(', ')}`)
        if (problems.length > 20) return { problems, verified, stored }
      }
    }
    if (c.blobBytes && lastSaved >= 0) {
      const blob = map.get(`blob-${c.tag}`)
      const n = typeof blob === 'string' ? Number(blob.slice(0, blob.indexOf('|'))) : -1
      if (!(n >= lastSaved) || blob.length !== String(n).length + 1 + c.blobBytes) {
        problems.push(`${docName}: blob-${c.tag} holds edit ${n} (length ${blob?.length}), edit ${lastSaved} was reported saved`)
      }
    }
  }
  return { problems, verified, stored }
}
