// A stand-in for accordd, for developing and testing the client before/without the C++ server:
// serves dist/ with SPA fallback (/, /d/…, /s/…), and speaks y-websocket at /ws/<name>?token=T[&ext=saved].
// Without a token, the cookie standin_session=… lets a signed-in page in (its API is mocked by
// the test). Tokens starting with "ro" are read-only (writes answered with auth permission-denied).
// With ext=saved, sends [100][stateVector] SAVE_DELAY_MS after each applied update ("stored").
// Usage: node tests/standin-server.mjs [port]   (prints {"msg":"listening","url":...} on stderr)
import http from 'node:http'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as authProtocol from 'y-protocols/auth'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist')
const SAVE_DELAY_MS = Number(process.env.SAVE_DELAY_MS ?? 400)
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' }

export function startStandin (port = 0) {
  const rooms = new Map()
  const room = name => {
    if (!rooms.has(name)) {
      const doc = new Y.Doc()
      const awareness = new awarenessProtocol.Awareness(doc)
      awareness.setLocalState(null)
      const conns = new Map() // ws -> { ro, saved, ids:Set }
      awareness.on('update', ({ added, updated, removed }, origin) => {
        const changed = added.concat(updated, removed)
        if (origin && conns.has(origin)) for (const id of added.concat(updated)) conns.get(origin).ids.add(id)
        const enc = encoding.createEncoder()
        encoding.writeVarUint(enc, 1)
        encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(awareness, changed))
        const buf = encoding.toUint8Array(enc)
        for (const ws of conns.keys()) ws.send(buf)
      })
      doc.on('update', (update, origin) => {
        const enc = encoding.createEncoder()
        encoding.writeVarUint(enc, 0)
        syncProtocol.writeUpdate(enc, update)
        const buf = encoding.toUint8Array(enc)
        for (const ws of conns.keys()) if (ws !== origin) ws.send(buf)
        setTimeout(() => {
          const e = encoding.createEncoder()
          encoding.writeVarUint(e, 100)
          encoding.writeVarUint8Array(e, Y.encodeStateVector(doc))
          const b = encoding.toUint8Array(e)
          for (const [ws, c] of conns) if (c.saved) ws.send(b)
        }, SAVE_DELAY_MS)
      })
      rooms.set(name, { doc, awareness, conns })
    }
    return rooms.get(name)
  }
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x')
    let file = path.join(dist, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''))
    if (url.pathname === '/' || url.pathname.startsWith('/d/') || url.pathname.startsWith('/s/')) file = path.join(dist, 'index.html')
    try {
      const body = await readFile(file)
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache' })
      res.end(body)
    } catch { res.writeHead(404); res.end('not found') }
  })
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://x')
    const m = url.pathname.match(/^\/ws\/(.+)$/)
    // A token, or (for signed-in screens whose API a test answers itself) the cookie
    // standin_session, which writes like a token.
    const token = url.searchParams.get('token') ?? (/(^|;\s*)standin_session=/.test(req.headers.cookie ?? '') ? 'session' : null)
    if (!m || !token) { socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n'); return }
    wss.handleUpgrade(req, socket, head, ws => {
      ws.binaryType = 'arraybuffer'
      const r = room(decodeURIComponent(m[1]))
      const c = { ro: token.startsWith('ro'), saved: url.searchParams.get('ext') === 'saved', ids: new Set() }
      r.conns.set(ws, c)
      ws.on('message', data => {
        const dec = decoding.createDecoder(new Uint8Array(data))
        const enc = encoding.createEncoder()
        const type = decoding.readVarUint(dec)
        if (type === 0) {
          encoding.writeVarUint(enc, 0)
          const sub = decoding.peekVarUint(dec)
          if (c.ro && sub !== syncProtocol.messageYjsSyncStep1) {
            const e = encoding.createEncoder()
            encoding.writeVarUint(e, 2)
            authProtocol.writePermissionDenied(e, 'read-only token')
            ws.send(encoding.toUint8Array(e))
            return
          }
          syncProtocol.readSyncMessage(dec, enc, r.doc, ws)
          if (encoding.length(enc) > 1) ws.send(encoding.toUint8Array(enc))
        } else if (type === 1) {
          awarenessProtocol.applyAwarenessUpdate(r.awareness, decoding.readVarUint8Array(dec), ws)
        } else if (type === 3) {
          encoding.writeVarUint(enc, 1)
          encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(r.awareness, [...r.awareness.getStates().keys()]))
          ws.send(encoding.toUint8Array(enc))
        }
      })
      ws.on('close', () => {
        r.conns.delete(ws)
        awarenessProtocol.removeAwarenessStates(r.awareness, [...c.ids], null)
      })
      const enc = encoding.createEncoder()
      encoding.writeVarUint(enc, 0)
      syncProtocol.writeSyncStep1(enc, r.doc)
      ws.send(encoding.toUint8Array(enc))
      if (r.awareness.getStates().size > 0) {
        const e = encoding.createEncoder()
        encoding.writeVarUint(e, 1)
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(r.awareness, [...r.awareness.getStates().keys()]))
        ws.send(encoding.toUint8Array(e))
      }
      if (c.saved) {
        const e = encoding.createEncoder()
        encoding.writeVarUint(e, 100)
        encoding.writeVarUint8Array(e, Y.encodeStateVector(r.doc))
        ws.send(encoding.toUint8Array(e))
      }
    })
  })
  return new Promise(resolve => server.listen(port, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${server.address().port}`
    // Awareness keeps an interval running: destroy it, or the process never exits.
    resolve({ url, stop: () => new Promise(r => { wss.clients.forEach(ws => ws.terminate()); for (const rm of rooms.values()) rm.awareness.destroy(); server.close(r) }) })
  }))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await startStandin(Number(process.argv[2] ?? 0))
  console.error(JSON.stringify({ msg: 'listening', url: s.url }))
}
