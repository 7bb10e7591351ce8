// Access to documents with API tokens (of the instance secretariat, who may open any document, so
// the token alone decides): a token is needed for every socket; a documents:read token reads
// everything and writes nothing; wrong, expired and out-of-scope tokens are refused at the
// upgrade with 401/403 and a problem+json body. Per-role rights are in ws-authorization.test.mjs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { startAccordd } from '../lib/accordd.mjs'
import {
  createToken, exportDoc, docFromUpdate, provider, waitFor, sameState, rawClient, syncUpdate,
  upgradeStatus, wsBase, MSG_AUTH
} from '../lib/yclient.mjs'

// The refused upgrade's status, WWW-Authenticate header and problem+json body.
function refusedUpgrade (server, pathAndQuery, headers = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsBase(server).replace(/\/ws$/, '') + pathAndQuery, { headers })
    ws.on('unexpected-response', (req, res) => {
      let body = ''
      res.on('data', d => { body += d })
      res.on('end', () => resolve({
        status: res.statusCode,
        contentType: res.headers['content-type'],
        wwwAuthenticate: res.headers['www-authenticate'],
        body: JSON.parse(body)
      }))
    })
    ws.on('open', () => { ws.close(); reject(new Error(`${pathAndQuery} was not refused`)) })
    ws.on('error', () => {})
  })
}

test('no token, a wrong token, an expired token: 401 at the upgrade; a token for another document: 403', async () => {
  const server = await startAccordd()
  try {
    const good = createToken(server.dataDir, { doc: 'team-*', access: 'write' })
    assert.match(good, /^acc_[A-Za-z0-9_-]{43}$/)
    assert.equal(await upgradeStatus(server, '/ws/team-a'), 401)
    assert.equal(await upgradeStatus(server, '/ws/team-a?token=not-a-token'), 401)
    assert.equal(await upgradeStatus(server, '/ws/team-a?token=' + good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A')), 401)
    assert.equal(await upgradeStatus(server, '/ws/other?token=' + good), 403)
    assert.equal(await upgradeStatus(server, '/ws/team-a?token=' + good), 101)
    assert.equal(await upgradeStatus(server, '/ws/team-a', { Authorization: 'Bearer ' + good }), 101)
    // The refusals say why, as problem+json.
    const missing = await refusedUpgrade(server, '/ws/team-a')
    assert.equal(missing.status, 401)
    assert.equal(missing.contentType, 'application/problem+json')
    assert.equal(missing.body.type, '/problems/unauthenticated')
    assert.equal(missing.wwwAuthenticate, 'Bearer')
    const wrong = await refusedUpgrade(server, '/ws/team-a?token=acc_' + 'A'.repeat(43))
    assert.equal(wrong.status, 401)
    assert.equal(wrong.body.type, '/problems/unauthenticated')
    assert.match(wrong.wwwAuthenticate, /invalid_token/)
    const elsewhere = await refusedUpgrade(server, '/ws/other?token=' + good)
    assert.equal(elsewhere.status, 403)
    assert.equal(elsewhere.body.type, '/problems/forbidden')
    assert.match(elsewhere.body.detail, /does not cover the document 'other'/)
    // A short-lived token works until it expires (4 s leaves room for a slow, sanitized CLI).
    const expired = createToken(server.dataDir, { doc: 'team-*', access: 'write', ttl: '4s' })
    // Counted from when the CLI returned (its expiry is at most 4 s after that, plus the
    // rounding to a whole second): a CLI slowed by a loaded CI machine must not shorten the wait.
    const created = Date.now()
    assert.equal(await upgradeStatus(server, '/ws/team-a?token=' + expired), 101)
    await new Promise(resolve => setTimeout(resolve, Math.max(0, created + 5100 - Date.now())))
    assert.equal(await upgradeStatus(server, '/ws/team-a?token=' + expired), 401)
    // Bad names are refused before anything else.
    // (URL parsers normalise '/ws/..' and '/ws/%2e%2e' away before sending; the C++ tests cover
    // those targets. Other invalid names reach the server.)
    assert.equal(await upgradeStatus(server, '/ws/.hidden?token=' + good), 400)
    assert.equal(await upgradeStatus(server, '/ws/' + 'x'.repeat(129) + '?token=' + good), 400)
    assert.equal(await upgradeStatus(server, '/ws/a%2Fb?token=' + good), 400)
    assert.equal(await upgradeStatus(server, '/ws/?token=' + good), 400)
  } finally {
    await server.stop()
  }
})

test('tokens are stored hashed: the plaintext never appears in the database file', async () => {
  const server = await startAccordd()
  try {
    const token = createToken(server.dataDir, { doc: 'x', access: 'read' })
    await server.stop({ keepData: true })
    const { readFileSync, readdirSync } = await import('node:fs')
    for (const f of readdirSync(server.dataDir)) {
      assert.ok(!readFileSync(`${server.dataDir}/${f}`).includes(Buffer.from(token)), `${f} holds the token`)
    }
  } finally {
    await server.stop()
  }
})

test('a read-only client receives everything, and its edits reach neither others nor storage', async () => {
  const server = await startAccordd()
  const writeToken = createToken(server.dataDir, { doc: 'ro', access: 'write' })
  const readToken = createToken(server.dataDir, { doc: 'ro', access: 'read' })
  const writer = provider(server, 'ro', { token: writeToken })
  const reader = provider(server, 'ro', { token: readToken })
  try {
    await Promise.all([writer.synced, reader.synced])
    writer.doc.getText('t').insert(0, 'from the writer')
    await waitFor(() => reader.doc.getText('t').toString() === 'from the writer', { what: 'reader to receive' })

    // The raw read-only client is told why its update is refused.
    const raw = await rawClient(server, 'ro', { token: readToken })
    const evil = new Y.Doc()
    let update
    evil.on('update', u => { update = u })
    evil.getText('t').insert(0, 'EVIL ')
    raw.send(syncUpdate(update))
    const denied = await raw.next(m => m.type === MSG_AUTH)
    assert.equal(denied.sub, 0)
    assert.match(denied.reason, /the API token lacks the documents:write scope/)

    reader.doc.getText('t').insert(0, 'READER ')
    writer.doc.getText('t').insert(0, '> ')
    // The reader keeps its own refused edit locally (concurrent inserts at 0 may interleave
    // either way); apart from it, it holds exactly what the writer has.
    await waitFor(() => reader.doc.getText('t').toString().replace('READER ', '') === '> from the writer', { what: 'writer edit' })
    await new Promise(resolve => setTimeout(resolve, 200))
    assert.equal(writer.doc.getText('t').toString(), '> from the writer')
    const stored = docFromUpdate(exportDoc(server.dataDir, 'ro'))
    await waitFor(() => sameState(docFromUpdate(exportDoc(server.dataDir, 'ro')), writer.doc), { what: 'stored' })
    assert.equal(docFromUpdate(exportDoc(server.dataDir, 'ro')).getText('t').toString(), '> from the writer')
    assert.ok(!stored.getText('t').toString().includes('EVIL'))
    raw.close()
  } finally {
    writer.destroy(); reader.destroy()
    await server.stop()
  }
})
