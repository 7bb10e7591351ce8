// Hostile input over the WebSocket: each attack gets a clear close (or error), changes nothing
// stored, and another client on the same document is still served normally afterwards.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { readFileSync } from 'node:fs'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { startAccordd } from '../lib/accordd.mjs'
import { craftedInputs } from '../lib/hostile-inputs.mjs'
import {
  createToken, exportDoc, docFromUpdate, provider, waitFor, rawClient, syncUpdate, wsBase
} from '../lib/yclient.mjs'

// Checks that a fresh stock client can still edit `name` and sees `expected` first.
async function stillServed (server, token, name, expected) {
  const a = provider(server, name, { token })
  const b = provider(server, name, { token })
  try {
    await Promise.all([a.synced, b.synced])
    assert.equal(a.doc.getText('t').toString(), expected)
    a.doc.getText('t').insert(0, '+')
    await waitFor(() => b.doc.getText('t').toString() === '+' + expected, { what: 'edit relayed' })
    return '+' + expected
  } finally {
    a.destroy(); b.destroy()
  }
}

async function seed (server, token, name, text) {
  const c = provider(server, name, { token })
  await c.synced
  c.doc.getText('t').insert(0, text)
  await waitFor(() => docFromUpdate(exportDoc(server.dataDir, name)).getText('t').toString() === text, { what: 'seed stored' })
  c.destroy()
}

function rss (pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m[1]) * 1024
}

test('malformed messages and hostile updates get a clear close and change nothing', async () => {
  const server = await startAccordd()
  const token = createToken(server.dataDir, { doc: '*', access: 'write' })
  try {
    await seed(server, token, 'h', 'safe')
    const before = Buffer.from(exportDoc(server.dataDir, 'h'))
    const attacks = [
      ['unknown message type', Uint8Array.of(77, 1, 2)],
      ['unknown sync step', Uint8Array.of(0, 9, 0)],
      ['truncated sync message', Uint8Array.of(0, 2, 200)],
      ['empty frame', new Uint8Array(0)],
      ['awareness garbage', Uint8Array.of(1, 5, 1, 2, 3, 4, 5)]
    ]
    // Every crafted v1 update that Yjs itself rejects (lengths beyond the buffer, absurd counts,
    // unknown content refs, invalid JSON, ...), framed as a sync update.
    for (const input of craftedInputs()) {
      if (input.format === 'v1' && input.expect === 'fail') attacks.push([input.name, syncUpdate(input.bytes)])
    }
    for (const [what, bytes] of attacks) {
      const c = await rawClient(server, 'h', { token })
      c.send(bytes)
      const { code, reason } = await c.closed
      assert.ok([1002, 1003, 1007, 1008].includes(code), `${what}: close code ${code}`)
      assert.ok(reason.length > 0, `${what}: the close says why`)
    }
    assert.ok(Buffer.from(exportDoc(server.dataDir, 'h')).equals(before), 'nothing stored changed')
    await stillServed(server, token, 'h', 'safe')
  } finally {
    await server.stop()
  }
})

test('an oversized frame is closed with 1009 and others are still served', async () => {
  const server = await startAccordd({ args: ['--limit', 'max_message_bytes=65536'] })
  const token = createToken(server.dataDir, { doc: '*', access: 'write' })
  try {
    await seed(server, token, 'big', 'small')
    const c = await rawClient(server, 'big', { token })
    const doc = new Y.Doc()
    let update
    doc.on('update', u => { update = u })
    doc.getText('t').insert(0, 'x'.repeat(200000))
    c.send(syncUpdate(update))
    const { code } = await c.closed
    assert.equal(code, 1009)
    await stillServed(server, token, 'big', 'small')
  } finally {
    await server.stop()
  }
})

test('10^5 tiny fragments of one message do not stall the server', async () => {
  const server = await startAccordd()
  const token = createToken(server.dataDir, { doc: '*', access: 'write' })
  try {
    await seed(server, token, 'frag', 'f')
    const c = await rawClient(server, 'frag', { token })
    const doc = new Y.Doc()
    let update
    doc.on('update', u => { update = u })
    doc.getText('t').insert(0, 'y'.repeat(100000))
    const msg = syncUpdate(update)
    for (let i = 0; i < 100000; i++) c.ws.send(msg.subarray(i, i + 1), { fin: false, binary: true })
    c.ws.send(msg.subarray(100000), { fin: true, binary: true })
    // Either the message is accepted whole or refused with a clear close; never a hang.
    await waitFor(() => c.closeInfo !== null || docFromUpdate(exportDoc(server.dataDir, 'frag')).getText('t').length > 1,
      { what: 'the fragmented message to be handled', timeout: 20000 })
    if (c.closeInfo) assert.ok([1008, 1009].includes(c.closeInfo.code))
    const expected = docFromUpdate(exportDoc(server.dataDir, 'frag')).getText('t').toString()
    await stillServed(server, token, 'frag', expected)
    c.close()
  } finally {
    await server.stop()
  }
})

test('a client that never reads is disconnected and the server memory stays flat', async () => {
  // A small ASan quarantine, so that freed memory is returned as it would be in a release build.
  const server = await startAccordd({
    args: ['--limit', 'send_queue_bytes=1048576'],
    env: { ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ?? ''}:quarantine_size_mb=4:thread_local_quarantine_size_kb=64` }
  })
  const token = createToken(server.dataDir, { doc: '*', access: 'write' })
  try {
    await seed(server, token, 'slow', 's')
    const lazy = await rawClient(server, 'slow', { token })
    lazy.ws._socket.pause() // stop reading: the kernel buffers fill, then the server's queue
    const writer = provider(server, 'slow', { token })
    await writer.synced
    const baseline = rss(server.proc.pid)
    const chunk = 'z'.repeat(30000)
    for (let i = 0; i < 400 && lazy.closeInfo === null; i++) {
      writer.doc.getText('t').insert(0, chunk)
      if (i % 20 === 0) await new Promise(resolve => setTimeout(resolve, 10))
    }
    lazy.ws._socket.resume()
    await waitFor(() => lazy.closeInfo !== null, { what: 'the lazy client to be cut off', timeout: 20000 })
    // The server holds the document (~12 MB of text) but not a backlog per slow reader.
    const growth = rss(server.proc.pid) - baseline
    assert.ok(growth < 120 * 1024 * 1024, `server memory stayed bounded (grew ${(growth / 1048576).toFixed(1)} MB)`)
    // Everything the writer sent is stored (the disk may lag behind the broadcast).
    const expected = writer.doc.getText('t').toString()
    await waitFor(() => docFromUpdate(exportDoc(server.dataDir, 'slow')).getText('t').toString() === expected,
      { what: 'the writer\'s edits stored', timeout: 60000 })
    writer.destroy()
    await stillServed(server, token, 'slow', expected)
  } finally {
    await server.stop()
  }
})

test('slow headers are cut off after the handshake timeout', async () => {
  const server = await startAccordd({ args: ['--limit', 'handshake_timeout=1s'] })
  try {
    const started = Date.now()
    const closedAfter = await new Promise((resolve, reject) => {
      const s = net.connect(server.port, '127.0.0.1')
      s.on('connect', () => s.write('GET /ws/x HTTP/1.1\r\nHost: 127.0.0.1\r\n'))
      s.on('close', () => resolve(Date.now() - started))
      s.on('error', reject)
      s.resume()
    })
    assert.ok(closedAfter >= 900 && closedAfter < 5000, `closed after ${closedAfter} ms`)
    const res = await fetch(`${server.url}/healthz`)
    assert.equal(res.status, 200)
  } finally {
    await server.stop()
  }
})

test('stock-protocol violations from a real socket library do not affect other documents', async () => {
  const server = await startAccordd()
  const token = createToken(server.dataDir, { doc: '*', access: 'write' })
  try {
    await seed(server, token, 'other', 'o')
    // A text frame is not part of the protocol.
    const ws = new WebSocket(`${wsBase(server)}/other?token=${token}`)
    await new Promise(resolve => ws.on('open', resolve))
    ws.send('hello as text')
    const code = await new Promise(resolve => ws.on('close', c => resolve(c)))
    assert.equal(code, 1008)
    await stillServed(server, token, 'other', 'o')
  } finally {
    await server.stop()
  }
})
