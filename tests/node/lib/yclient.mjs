// Clients of a running accordd for the server suites: stock y-websocket providers (exactly what a
// browser editor uses) and a raw WebSocket client that speaks the y-protocols bytes by hand, for
// what a stock client never sends (malformed frames, the "saved" extension, read-only checks).
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import { execFileSync } from 'node:child_process'
import { binary } from './accordd.mjs'

export const MSG_SYNC = 0
export const MSG_AWARENESS = 1
export const MSG_AUTH = 2
export const MSG_QUERY_AWARENESS = 3
export const MSG_SAVED = 100

export function wsBase (server) {
  return server.url.replace(/^http/, 'ws') + '/ws'
}

// Makes sure the instance has a secretariat member, ops@example.org, whose API tokens the
// protocol suites use: the instance secretariat may open any document (auth/POLICY.md), so a
// token's document pattern and scopes alone decide what these tests may do.
export const OPS_EMAIL = 'ops@example.org'
export function ensureSecretariat (dataDir) {
  const accord = (...args) => {
    try {
      execFileSync(binary('accord'), [...args, '--data', dataDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (e) {
      if (!/already exists/.test(String(e.stderr))) throw new Error(`accord ${args.join(' ')} failed: ${e.stderr}`)
    }
  }
  accord('org', 'add', '--name', 'Secretariat', '--short', 'SEC', '--host')
  accord('user', 'add', '--email', OPS_EMAIL, '--name', 'Ops')
  accord('member', 'add', '--email', OPS_EMAIL, '--org', 'SEC', '--role', 'secretariat')
}

// Creates an API token of the secretariat member with the `accord` CLI (works while accordd
// runs: SQLite WAL). `access` 'read' gives documents:read, 'write' documents:read and :write.
export function createToken (dataDir, { doc = '*', access = 'write', ttl } = {}) {
  ensureSecretariat(dataDir)
  const scope = access === 'write' ? 'documents:read,documents:write' : 'documents:read'
  const args = ['token', 'create', '--data', dataDir, '--user', OPS_EMAIL, '--scope', scope, '--docs', doc]
  if (ttl) args.push('--ttl', ttl)
  return execFileSync(binary('accord'), args, { encoding: 'utf8' }).trim()
}

// The stored document, as the `accord` CLI exports it (a v1 update); an empty document's update
// while nothing is stored under `name` yet.
export function exportDoc (dataDir, name) {
  try {
    return new Uint8Array(execFileSync(binary('accord'), ['doc', 'export', '--data', dataDir, name],
      { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 512 * 1024 * 1024 }))
  } catch (e) {
    if (e.status === 1 && /not found/.test(String(e.stderr))) return Y.encodeStateAsUpdate(new Y.Doc())
    throw e
  }
}

export function docFromUpdate (update) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc
}

// A stock y-websocket client. `synced` resolves after the first sync with the server.
export function provider (server, name, { token, doc = new Y.Doc(), params = {}, connect = true } = {}) {
  const p = new WebsocketProvider(wsBase(server), name, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true,
    connect,
    maxBackoffTime: 200,
    params: token ? { token, ...params } : params
  })
  const synced = new Promise(resolve => {
    if (p.synced) resolve()
    p.on('sync', s => { if (s) resolve() })
  })
  return { doc, provider: p, synced, destroy: () => { p.destroy(); doc.destroy() } }
}

export async function waitFor (predicate, { timeout = 10000, what = 'condition' } = {}) {
  const start = Date.now()
  for (;;) {
    if (await predicate()) return
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

export function sameState (a, b) {
  return Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)))
}

// Encoders for raw protocol messages.
export function syncStep1 (sv) {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MSG_SYNC)
  encoding.writeVarUint(e, 0)
  encoding.writeVarUint8Array(e, sv)
  return encoding.toUint8Array(e)
}
export function syncUpdate (update) {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MSG_SYNC)
  encoding.writeVarUint(e, 2)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

// Parses a server message into { type, sub?, payload?, reason? }.
export function parseMessage (data) {
  const d = decoding.createDecoder(new Uint8Array(data))
  const type = decoding.readVarUint(d)
  if (type === MSG_SYNC) {
    const sub = decoding.readVarUint(d)
    return { type, sub, payload: decoding.readVarUint8Array(d) }
  }
  if (type === MSG_AWARENESS || type === MSG_SAVED) return { type, payload: decoding.readVarUint8Array(d) }
  if (type === MSG_AUTH) {
    const sub = decoding.readVarUint(d)
    return { type, sub, reason: decoding.readVarString(d) }
  }
  return { type }
}

// A raw client: collects every message and the close event; `next(pred)` waits for a message.
export async function rawClient (server, name, { token, query = '', headers = {} } = {}) {
  const params = new URLSearchParams(query)
  if (token) params.set('token', token)
  const qs = params.toString()
  const ws = new WebSocket(`${wsBase(server)}/${name}${qs ? '?' + qs : ''}`, { headers })
  ws.binaryType = 'nodebuffer'
  const messages = []
  const waiters = []
  let closed = null
  const closedPromise = new Promise(resolve => ws.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() }
    resolve(closed)
    for (const w of waiters.splice(0)) w.reject(new Error(`closed ${code} ${reason}`))
  }))
  ws.on('message', data => {
    const m = parseMessage(data)
    messages.push(m)
    for (const w of waiters.slice()) {
      if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m) }
    }
  })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('unexpected-response', (req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })))
    ws.once('error', reject)
  })
  return {
    ws,
    messages,
    closed: closedPromise,
    get closeInfo () { return closed },
    send: bytes => ws.send(bytes),
    next (pred, timeout = 10000) {
      const found = messages.find(pred)
      if (found) return Promise.resolve(found)
      if (closed) return Promise.reject(new Error(`closed ${closed.code} ${closed.reason}`))
      return new Promise((resolve, reject) => {
        const w = { pred, resolve, reject }
        waiters.push(w)
        setTimeout(() => {
          const i = waiters.indexOf(w)
          if (i >= 0) { waiters.splice(i, 1); reject(new Error('timed out waiting for a message')) }
        }, timeout)
      })
    },
    close: () => ws.close()
  }
}

// Answers whether the WebSocket upgrade is refused, and with which HTTP status.
export function upgradeStatus (server, pathAndQuery, headers = {}) {
  return new Promise(resolve => {
    const ws = new WebSocket(wsBase(server).replace(/\/ws$/, '') + pathAndQuery, { headers })
    ws.on('unexpected-response', (req, res) => { resolve(res.statusCode); req.destroy() })
    ws.on('open', () => { ws.close(); resolve(101) })
    ws.on('error', () => resolve(-1))
  })
}

// Replaces the paragraphs of the editor's document (the Y.XmlFragment "prosemirror") with
// `paragraphs`, shaped as y-prosemirror writes them, in one transaction.
export function setParagraphs (doc, paragraphs) {
  const fragment = doc.getXmlFragment('prosemirror')
  doc.transact(() => {
    fragment.delete(0, fragment.length)
    fragment.insert(0, paragraphs.map(text => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(text)])
      return p
    }))
  })
}
