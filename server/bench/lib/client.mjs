// A lightweight sync client: y-protocols sync and awareness messages over `ws`, in either the
// plain y-websocket framing (accordd, @y/websocket-server: one document per socket, named by the
// URL) or Hocuspocus's framing (every message starts with the document name; an auth message
// opens the document). A client either keeps a real Y.Doc replica (typing clients, the
// cold-open reader) or none at all (passive listeners: they answer the sync handshake with an
// empty document and hand every received update to a callback), so one Node process can drive
// hundreds of clients.
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

const MSG_SYNC = 0
const MSG_AWARENESS = 1
const MSG_AUTH = 2
const MSG_SYNC_REPLY = 4 // Hocuspocus: a sync message that must not trigger another step 1
const SYNC_STEP1 = 0
const SYNC_STEP2 = 1
const SYNC_UPDATE = 2
const AUTH_TOKEN = 0
const AUTH_PERMISSION_DENIED = 1
const EMPTY_UPDATE = new Uint8Array([0, 0])
const EMPTY_STATE_VECTOR = new Uint8Array([0])
const AWARENESS_RENEW_MS = 15000 // what y-protocols' Awareness does for a live client

// Read position of readVarUint, module-wide so that reading returns one number and allocates
// nothing; handle() resets it per message and never yields in between.
let at = 0

// lib0's unsigned varint (7 bits a byte, low bits first) at `at`, advancing it; -1 if the
// message ends inside the number or it does not fit in 53 bits.
function readVarUint (bytes) {
  let n = 0
  let mult = 1
  while (at < bytes.length) {
    const b = bytes[at++]
    n += (b & 0x7f) * mult
    if (b < 0x80) return n
    mult *= 128
    if (mult > Number.MAX_SAFE_INTEGER) return -1
  }
  return -1
}

export class BenchClient {
  // server: a handle from servers.mjs (framing, url(doc)). opts: replica (keep a Y.Doc),
  // localAddress (source address on 127/8), onUpdate(client, bytes, start, end, tRecv) with
  // the update at bytes[start, end) of the received message (no copy, no view made for it),
  // clock (a function returning the time to stamp arrivals with; default performance.now),
  // onMessage(client, tRecv) after each message is handled, awareness (default true),
  // integrate (default true; false: a replica applies the handshake's state but not later
  // updates, so a typing client costs the generator little).
  constructor (server, docName, opts = {}) {
    this.server = server
    this.docName = docName
    this.hocus = server.framing === 'hocuspocus'
    this.opts = opts
    this.doc = opts.replica ? new Y.Doc() : null
    this.clientID = this.doc ? this.doc.clientID : Math.floor(Math.random() * 0xffffffff)
    this.awarenessClock = 0
    this.synced = false
    this.closed = false
    this.ws = null
    this.timer = null
    if (this.doc) {
      this.doc.on('update', (update, origin) => {
        if (origin !== this) this.sendSync(SYNC_UPDATE, update)
      })
    }
  }

  // Connects and resolves once the server's sync step 2 has arrived.
  open (timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const wsOpts = { perMessageDeflate: false, handshakeTimeout: timeoutMs, maxPayload: 512 * 1024 * 1024 }
      if (this.opts.localAddress) wsOpts.localAddress = this.opts.localAddress
      const ws = new WebSocket(this.server.url(this.docName), wsOpts)
      this.ws = ws
      let settled = false
      const fail = (err) => {
        if (settled) return
        settled = true
        clearTimeout(deadline)
        this.close()
        reject(err)
      }
      const deadline = setTimeout(() => fail(new Error(`not synced after ${timeoutMs} ms`)), timeoutMs)
      this.onSynced = () => {
        if (settled) return
        settled = true
        clearTimeout(deadline)
        resolve(this)
      }
      this.onDenied = (reason) => fail(new Error(`permission denied: ${reason}`))
      ws.on('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode} on upgrade`)))
      ws.on('error', (e) => fail(e))
      ws.on('close', (code, reason) => {
        this.closed = true
        if (this.timer) clearInterval(this.timer)
        fail(new Error(`closed ${code} ${reason}`))
      })
      ws.on('open', () => {
        if (this.hocus) {
          // Auth opens the document on a Hocuspocus socket; the token is empty (no auth hook).
          this.send(MSG_AUTH, (e) => { encoding.writeVarUint(e, AUTH_TOKEN); encoding.writeVarString(e, '') })
        }
        const sv = this.doc ? Y.encodeStateVector(this.doc) : EMPTY_STATE_VECTOR
        this.sendSync(SYNC_STEP1, sv)
        if (this.opts.awareness !== false) {
          this.sendAwareness()
          this.timer = setInterval(() => this.sendAwareness(), AWARENESS_RENEW_MS)
          this.timer.unref()
        }
      })
      ws.on('message', (data) => this.handle(data))
    })
  }

  send (type, writeBody) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return
    const e = encoding.createEncoder()
    if (this.hocus) encoding.writeVarString(e, this.docName)
    encoding.writeVarUint(e, type)
    writeBody(e)
    this.ws.send(encoding.toUint8Array(e))
  }

  sendSync (step, payload, type = MSG_SYNC) {
    this.send(type, (e) => { encoding.writeVarUint(e, step); encoding.writeVarUint8Array(e, payload) })
  }

  sendAwareness () {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, this.clientID)
    encoding.writeVarUint(e, ++this.awarenessClock)
    encoding.writeVarString(e, JSON.stringify({ user: { name: `bench-${this.clientID}`, color: '#30bced' } }))
    const update = encoding.toUint8Array(e)
    this.send(MSG_AWARENESS, (m) => encoding.writeVarUint8Array(m, update))
  }

  // Runs for every message every client receives: for 300 listeners that is tens of thousands
  // per second, so the header is read with a few byte reads (no lib0 decoder object, no views)
  // and a listener hands the callback the received buffer with the payload's bounds.
  handle (data) {
    const tRecv = this.opts.clock ? this.opts.clock() : performance.now()
    const bytes = data // `ws` (binaryType 'nodebuffer') hands over one Buffer, a Uint8Array
    at = 0
    if (this.hocus) {
      const nameLength = readVarUint(bytes)
      if (nameLength < 0) throw new Error('malformed Hocuspocus message')
      at += nameLength // skip the document name
    }
    const type = readVarUint(bytes)
    if (type === MSG_SYNC || type === MSG_SYNC_REPLY) {
      const step = readVarUint(bytes)
      const len = readVarUint(bytes)
      const start = at
      const end = start + len
      if (step < 0 || len < 0 || end > bytes.length) throw new Error('malformed sync message')
      if (step === SYNC_STEP1) {
        const reply = this.doc ? Y.encodeStateAsUpdate(this.doc, bytes.subarray(start, end)) : EMPTY_UPDATE
        this.sendSync(SYNC_STEP2, reply)
      } else if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
        if (this.doc && (step === SYNC_STEP2 || this.opts.integrate !== false)) {
          Y.applyUpdate(this.doc, bytes.subarray(start, end), this)
        }
        if (this.opts.onUpdate) this.opts.onUpdate(this, bytes, start, end, tRecv)
        if (step === SYNC_STEP2 && !this.synced) {
          this.synced = true
          this.syncedAt = performance.now()
          this.onSynced()
        }
      }
    } else if (type === MSG_AUTH) {
      // Rare (once per connection on Hocuspocus): lib0 is fine here.
      const d = decoding.createDecoder(bytes.subarray(at))
      if (decoding.readVarUint(d) === AUTH_PERMISSION_DENIED) this.onDenied(decoding.readVarString(d))
    }
    if (this.opts.onMessage) this.opts.onMessage(this, tRecv)
  }

  close () {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    if (this.ws) {
      try { this.ws.terminate() } catch {}
    }
    if (this.doc) this.doc.destroy()
  }
}

// Spreads clients over source addresses 127.0.0.2 ... 127.0.0.254, as real clients come from
// many addresses, so no server's per-address connection limit shapes the result.
export function sourceAddress (i) {
  return `127.0.0.${2 + (i % 253)}`
}

// Opens `n` clients with at most `concurrency` handshakes in flight; make(i) builds client i.
export async function openMany (n, make, concurrency = 50, timeoutMs = 60000) {
  const clients = new Array(n)
  let next = 0
  let failure = null
  const worker = async () => {
    while (next < n && !failure) {
      const i = next++
      try {
        clients[i] = await make(i).open(timeoutMs)
      } catch (e) {
        failure = new Error(`client ${i}: ${e.message}`)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker))
  if (failure) {
    for (const c of clients) if (c) c.close()
    throw failure
  }
  return clients
}
