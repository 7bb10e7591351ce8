// Versions, canonical text, diffs and the phase record end to end: a delegate edits the draft
// with a stock y-websocket client (the document shaped as y-prosemirror writes it), the
// secretariat names versions and changes phases over the REST API, and every answer is checked
// against proto/openapi.yaml (Agent). The version taken at a phase change must hold the last
// edit the server accepted before the change, even when it was not yet on disk.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { startAccordd } from '../lib/accordd.mjs'
import { Agent, OPS, bootstrapInstance, addMember, expectStatus, accord } from '../lib/openapi.mjs'
import { provider, waitFor, setParagraphs } from '../lib/yclient.mjs'

const sha256 = text => createHash('sha256').update(text, 'utf8').digest('hex')


test('versions: named and phase versions keep the text, hash and state; diffs; the phase record', async (t) => {
  const server = await startAccordd()
  const { dataDir } = server
  bootstrapInstance(dataDir)
  accord(dataDir, ['org', 'add', '--name', 'Central Única dos Trabalhadores', '--short', 'CUT'])
  addMember(dataDir, { email: 'dee@example.org', name: 'Dee', password: OPS.password, org: 'CUT', role: 'delegate' })
  const ops = new Agent(server)
  const dee = new Agent(server)
  const clients = []
  try {
    await ops.signIn(OPS.email, OPS.password)
    await dee.signIn('dee@example.org', OPS.password)
    expectStatus(await ops.post('/api/v1/statements', { slug: 'caracas', title: 'Caracas declaration' }), 201)
    const orgs = expectStatus(await ops.get('/api/v1/organizations'), 200).body.items
    const cut = orgs.find(o => o.short_name === 'CUT').id
    expectStatus(await ops.put(`/api/v1/statements/caracas/participants/${cut}`, {}), 200)
    const base = '/api/v1/statements/caracas'

    // The delegate writes through the WebSocket with the session cookie.
    const token = accord(dataDir, ['token', 'create', '--user', 'dee@example.org', '--scope', 'documents:read,documents:write'])
    const c = provider(server, 'statement.caracas', { token })
    clients.push(c)
    await c.synced
    const watcher = provider(server, 'statement.caracas', { token: accord(dataDir, ['token', 'create', '--user', OPS.email, '--scope', 'documents:read']) })
    clients.push(watcher)
    await watcher.synced
    setParagraphs(c.doc, ['We, the undersigned, declare:', 'Peace and bread.'])
    await waitFor(async () => (await dee.get(base + '/text')).body.markdown?.includes('bread'), { what: 'the draft reaches the server' })

    await t.test('the draft renders to canonical text whose hash is its SHA-256', async () => {
      const text = expectStatus(await dee.get(base + '/text'), 200).body
      assert.equal(text.markdown, 'We, the undersigned, declare:\n\nPeace and bread.\n')
      assert.equal(text.sha256, sha256(text.markdown))
      assert.match(text.html, /<p>Peace and bread\.<\/p>/)
    })

    await t.test('the secretariat names a version; a delegate may not', async () => {
      expectStatus(await dee.post(base + '/versions', { label: 'mine' }), 403, 'forbidden')
      const v = expectStatus(await ops.post(base + '/versions', { label: 'First reading' }), 201)
      assert.equal(v.headers.get('location'), base + '/versions/1')
      assert.equal(v.body.number, 1)
      assert.equal(v.body.reason, 'manual')
      assert.equal(v.body.author.name, OPS.name)
      assert.equal(v.body.sha256, sha256(v.body.markdown))
      expectStatus(await ops.post(base + '/versions', { label: '' }), 422, 'validation-failed')
    })

    await t.test('a phase change freezes the draft with the last accepted edit', async () => {
      // Edit and change the phase at once: no waiting for the edit to be saved.
      setParagraphs(c.doc, ['We, the undersigned, declare:', 'Peace, land and bread.'])
      const expected = c.doc.getXmlFragment('prosemirror').toString()
      // A second client seeing the edit proves the room accepted it (it may not be stored yet).
      await waitFor(() => watcher.doc.getXmlFragment('prosemirror').toString() === expected, { what: 'the edit reaches another client' })
      const patched = expectStatus(await ops.patch(base, { phase: 'amendments', phase_deadline: '2030-01-31T18:00:00Z' }), 200).body
      assert.equal(patched.phase, 'amendments')
      assert.equal(patched.phase_change.from, 'drafting')
      assert.equal(patched.phase_change.to, 'amendments')
      assert.equal(patched.phase_change.version, 2)
      const v2 = expectStatus(await dee.get(base + '/versions/2'), 200).body
      assert.equal(v2.reason, 'phase')
      assert.equal(v2.phase, 'amendments')
      assert.equal(v2.markdown, 'We, the undersigned, declare:\n\nPeace, land and bread.\n')
      // The stored state is the Yjs document itself.
      const res = await fetch(server.url + base + '/versions/2/state', { headers: { cookie: dee.cookie } })
      assert.equal(res.status, 200)
      assert.equal(res.headers.get('content-type'), 'application/octet-stream')
      const doc = new Y.Doc()
      Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()))
      assert.equal(doc.getXmlFragment('prosemirror').toString(), expected)
    })

    await t.test('diffs between versions, and against the draft, as JSON and HTML', async () => {
      const d = expectStatus(await dee.get(base + '/diff?from=1&to=2'), 200).body
      assert.equal(d.from, 1)
      assert.equal(d.to, 2)
      assert.equal(d.diff.version, 1)
      const inserted = JSON.stringify(d.diff.entries)
      assert.match(inserted, /land/)
      const live = expectStatus(await dee.get(base + '/diff?from=1'), 200).body
      assert.equal(live.to, 'draft')
      const html = expectStatus(await dee.get(base + '/diff?from=1&to=2&layout=side-by-side'), 200)
      assert.match(html.headers.get('content-type'), /^text\/html/)
      assert.match(html.text, /<ins/)
      expectStatus(await dee.get(base + '/diff?from=7'), 404, 'not-found')
      expectStatus(await dee.get(base + '/diff'), 400)
    })

    await t.test('the phase record says who changed what and when', async () => {
      expectStatus(await ops.patch(base, { phase_deadline: null }), 200)
      const items = expectStatus(await dee.get(base + '/phases'), 200).body.items
      assert.equal(items.length, 2)
      assert.equal(items[0].by.name, OPS.name)
      assert.equal(items[0].version, 2)
      assert.equal(items[1].version, null)
      assert.equal(items[1].from, 'amendments')
      const versions = expectStatus(await dee.get(base + '/versions'), 200).body.items
      assert.deepEqual(versions.map(v => [v.number, v.reason]), [[1, 'manual'], [2, 'phase']])
    })
    await t.test('authorship: the server records who wrote under each client id', async () => {
      const items = expectStatus(await dee.get(base + '/authors'), 200).body.items
      const mine = items.find(i => i.client_id === c.doc.clientID)
      assert.ok(mine, `the delegate's client ${c.doc.clientID} is recorded: ${JSON.stringify(items)}`)
      assert.equal(mine.user.name, 'Dee')
      assert.equal(mine.organization.short_name, 'CUT')
      expectStatus(await new Agent(server).get(base + '/authors'), 401)
    })
  } finally {
    for (const c of clients) c.destroy()
    await server.stop()
  }
})
