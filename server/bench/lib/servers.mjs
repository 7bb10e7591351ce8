// Starts each server under test as its own child process on 127.0.0.1 and knows how each one
// names a document: accordd by URL path /ws/<name>?token=..., @y/websocket-server by URL path,
// @hocuspocus/server by a name inside every message (its own framing).
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'

const here = path.dirname(fileURLToPath(import.meta.url))
const benchDir = path.resolve(here, '..')

export const SERVER_NAMES = ['accordd', 'y-websocket-server', 'hocuspocus']

export function freePort () {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

const tempDirs = []
export function makeTempDir (prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `accord-bench-${prefix}-`))
  tempDirs.push(dir)
  return dir
}

// Deletes every directory makeTempDir made (call when the servers have stopped).
export function removeTempDirs () {
  for (const dir of tempDirs.splice(0)) {
    try { fs.rmSync(dir, { recursive: true, force: true }) } catch {}
  }
}

// Waits until `test(line)` holds for a line of the child's stdout or stderr; rejects when the
// child exits first or after `ms`.
function waitForLine (child, test, ms, what) {
  return new Promise((resolve, reject) => {
    let buf = ''
    let log = ''
    const onData = (chunk) => {
      buf += chunk.toString()
      let i
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        if (log.length < 4000) log += line + '\n'
        if (test(line)) { cleanup(); resolve(line); return }
      }
    }
    const onExit = (code, signal) => {
      cleanup()
      reject(new Error(`${what} exited (${signal || code}) before it was ready: ${log.trim().slice(0, 600)}`))
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`${what} not ready after ${ms} ms: ${log.trim().slice(0, 600)}`))
    }, ms)
    const cleanup = () => {
      clearTimeout(timer)
      child.stdout.off('data', onData)
      child.stderr.off('data', onData)
      child.off('exit', onExit)
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', onExit)
  })
}

class ServerHandle {
  constructor (kind, child, port) {
    this.kind = kind
    this.child = child
    this.pid = child.pid
    this.port = port
    this.exited = null
    this.output = ''
    const keep = (chunk) => { if (this.output.length < 20000) this.output += chunk.toString() }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.once('exit', (code, signal) => { this.exited = { code, signal } })
  }

  // Resolves once the process has gone; SIGKILL after `graceMs` if SIGTERM was not enough.
  async stop (graceMs = 10000) {
    if (this.exited) return
    const done = new Promise((resolve) => this.child.once('exit', resolve))
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => { if (!this.exited) this.child.kill('SIGKILL') }, graceMs)
    await done
    clearTimeout(timer)
  }
}

function spawnQuiet (cmd, args, env) {
  return spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
}

// --- accordd ---------------------------------------------------------------------------------

function accordBinDir () {
  return process.env.ACCORD_BIN_DIR || path.resolve(benchDir, '../../build/bin')
}

// Creates a data directory holding a write token for every document.
export function prepareAccordData (dataDir) {
  const bin = path.join(accordBinDir(), 'accord')
  // An instance secretariat member may open every document; the token carries the document
  // scopes only.
  const run = (...args) => execFileSync(bin, [...args, '--data', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30000 }).toString().trim()
  run('org', 'add', '--name', 'Bench', '--short', 'BENCH', '--host')
  run('user', 'add', '--email', 'bench@example.org', '--name', 'Bench')
  run('member', 'add', '--email', 'bench@example.org', '--org', 'BENCH', '--role', 'secretariat')
  const out = run('token', 'create', '--user', 'bench@example.org', '--scope', 'documents:read,documents:write', '--docs', '*')
  const token = out.split('\n').pop().trim()
  if (!token) throw new Error('`accord token create` printed no token')
  return token
}

// accordd's worker threads in the benchmark (BENCH_ACCORDD_THREADS, default 1): the Node peers
// run one event loop, i.e. use one core; the VPS we target has one vCPU; and on a 2-core bench
// machine the load generator needs the other core. accordd's own default (one thread per core)
// would compare two cores against one and starve the generator.
export function accorddThreads () {
  const v = process.env.BENCH_ACCORDD_THREADS
  const n = v === undefined || v === '' ? 1 : Number(v)
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_ACCORDD_THREADS=${v}: want a whole number >= 1`)
  return n
}

async function startAccordd ({ dataDir, token }) {
  const bin = path.join(accordBinDir(), 'accordd')
  if (!fs.existsSync(bin)) throw new Error(`no accordd binary at ${bin}`)
  const port = await freePort()
  const args = ['--data', dataDir, '--listen', `127.0.0.1:${port}`, '--threads', String(accorddThreads())]
  const child = spawnQuiet(bin, args, {})
  const handle = new ServerHandle('accordd', child, port)
  try {
    await waitForLine(child, (l) => l.includes('"listening"'), 15000, 'accordd')
  } catch (e) {
    await handle.stop(1000)
    throw e
  }
  handle.framing = 'plain'
  handle.url = (doc) => `ws://127.0.0.1:${port}/ws/${encodeURIComponent(doc)}?token=${encodeURIComponent(token)}`
  return handle
}

// --- @y/websocket-server (its documented entry: `npx y-websocket`, HOST/PORT/YPERSISTENCE) ---

async function startYWebsocket ({ persistDir } = {}) {
  const entry = path.join(benchDir, 'node_modules/@y/websocket-server/src/server.js')
  const port = await freePort()
  const env = { HOST: '127.0.0.1', PORT: String(port) }
  if (persistDir) env.YPERSISTENCE = persistDir
  const child = spawnQuiet(process.execPath, [entry], env)
  const handle = new ServerHandle('y-websocket-server', child, port)
  try {
    await waitForLine(child, (l) => l.includes('running at'), 15000, 'y-websocket-server')
  } catch (e) {
    await handle.stop(1000)
    throw e
  }
  handle.framing = 'plain'
  handle.url = (doc) => `ws://127.0.0.1:${port}/${encodeURIComponent(doc)}`
  return handle
}

// --- @hocuspocus/server (servers/hocuspocus.mjs: new Server({...}).listen()) ---------------

async function startHocuspocus ({ persistDir } = {}) {
  const entry = path.join(benchDir, 'servers/hocuspocus.mjs')
  const port = await freePort()
  const env = { PORT: String(port) }
  if (persistDir) env.BENCH_STORE_DIR = persistDir
  const child = spawnQuiet(process.execPath, [entry], env)
  const handle = new ServerHandle('hocuspocus', child, port)
  try {
    await waitForLine(child, (l) => l.includes('"listening"'), 15000, 'hocuspocus')
  } catch (e) {
    await handle.stop(1000)
    throw e
  }
  handle.framing = 'hocuspocus'
  handle.url = () => `ws://127.0.0.1:${port}/`
  return handle
}

// opts: { persistDir } for the peers (C needs persistence), { dataDir, token } for accordd.
export async function startServer (name, opts = {}) {
  if (name === 'accordd') return startAccordd(opts)
  if (name === 'y-websocket-server') return startYWebsocket(opts)
  if (name === 'hocuspocus') return startHocuspocus(opts)
  throw new Error(`unknown server ${name}`)
}

// Does this accordd serve WebSocket documents yet? Resolves to null if so, else a reason.
export function probeWebSocket (handle) {
  return new Promise((resolve) => {
    const ws = new WebSocket(handle.url('bench-probe'), { perMessageDeflate: false, handshakeTimeout: 5000 })
    const timer = setTimeout(() => { ws.terminate(); resolve('no answer to the WebSocket upgrade in 5 s') }, 6000)
    ws.on('open', () => { clearTimeout(timer); ws.close(); resolve(null) })
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer)
      resolve(`WebSocket upgrade of /ws/ answered HTTP ${res.statusCode}`)
      ws.terminate()
    })
    ws.on('error', (e) => { clearTimeout(timer); resolve(`WebSocket upgrade failed: ${e.message}`) })
  })
}
