// accordd answers health checks, refuses what it does not serve with problem+json, cuts off
// malformed requests without harming others, and shuts down cleanly on SIGTERM.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { startAccordd } from '../lib/accordd.mjs'

function rawRequest (port, text) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let data = ''
    socket.on('data', d => { data += d })
    socket.on('end', () => resolve(data))
    socket.on('error', reject)
    socket.write(text)
  })
}

test('GET /healthz is 200 and the data directory holds the SQLite file', async () => {
  const server = await startAccordd()
  try {
    const res = await fetch(`${server.url}/healthz`)
    assert.equal(res.status, 200)
    assert.equal(await res.text(), 'ok\n')
    assert.ok(existsSync(path.join(server.dataDir, 'accord.db')))
    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' })
    assert.equal(head.status, 200)
  } finally {
    const { code } = await server.stop()
    assert.equal(code, 0, 'accordd exits 0 on SIGTERM')
  }
})

test('unknown paths and methods get problem+json errors', async () => {
  const server = await startAccordd()
  try {
    const res = await fetch(`${server.url}/no/such/thing`)
    assert.equal(res.status, 404)
    assert.equal(res.headers.get('content-type'), 'application/problem+json')
    const body = await res.json()
    assert.equal(body.type, '/problems/not-found')
    const post = await fetch(`${server.url}/healthz`, { method: 'POST', body: 'x' })
    assert.equal(post.status, 405)
    assert.equal(post.headers.get('allow'), 'GET, HEAD')
  } finally {
    await server.stop()
  }
})

test('malformed and oversized requests are refused and others are still served', async () => {
  const server = await startAccordd()
  try {
    const garbage = await rawRequest(server.port, 'NOT HTTP AT ALL\r\n\r\n')
    assert.match(garbage, /^HTTP\/1\.1 400 /)
    const huge = await rawRequest(server.port,
      'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ' + 'a'.repeat(20000) + '\r\n\r\n')
    assert.match(huge, /^HTTP\/1\.1 431 /)
    const res = await fetch(`${server.url}/healthz`)
    assert.equal(res.status, 200)
  } finally {
    await server.stop()
  }
})
