// Amendments end to end (server/drafting/AMENDMENTS.md): the secretariat names a version and
// opens the amendments phase; a delegate of CUT forks it into an amendment and edits the fork
// live with a stock y-websocket client (the document shaped as y-prosemirror writes it);
// submits; a delegate of MST supports it (threshold 1: supported); the secretariat accepts it.
// Observers, other organizations and non-participants are refused, over HTTP and WebSocket;
// bad bodies are refused; refusals store nothing; deadlines hold. Every answer is checked
// against proto/openapi.yaml (Agent).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import { startAccordd } from '../lib/accordd.mjs'
import { Agent, OPS, bootstrapInstance, addMember, expectStatus, accord } from '../lib/openapi.mjs'
import { provider, waitFor, exportDoc, docFromUpdate, rawClient, syncUpdate, upgradeStatus, setParagraphs, MSG_AUTH } from '../lib/yclient.mjs'

// Appends text to the first paragraph, as typing there would.
function typeInFirstParagraph (doc, text) {
  const first = doc.getXmlFragment('prosemirror').get(0).get(0)
  first.insert(first.length, text)
}
// An update that writes `text` into a fresh client's own paragraph.
function strangerUpdate (text) {
  const d = new Y.Doc()
  setParagraphs(d, [text])
  return Y.encodeStateAsUpdate(d)
}

test('amendments: fork, live edit, submit, support, accept; refusals and deadlines', async (t) => {
  const server = await startAccordd()
  const { dataDir } = server
  bootstrapInstance(dataDir)
  for (const [name, short] of [['Central Única dos Trabalhadores', 'CUT'], ['Movimento Sem Terra', 'MST'], ['Outsiders', 'OUT']]) {
    accord(dataDir, ['org', 'add', '--name', name, '--short', short])
  }
  const people = [['dee@example.org', 'Dee', 'CUT', 'delegate'], ['obs@example.org', 'Obs', 'CUT', 'observer'],
    ['bea@example.org', 'Bea', 'MST', 'delegate'], ['out@example.org', 'Out', 'OUT', 'delegate']]
  for (const [email, name, org, role] of people) addMember(dataDir, { email, name, password: OPS.password, org, role })
  const agents = {}
  const tokens = {}
  const clients = []
  try {
    for (const [email, name] of [[OPS.email, 'ops'], ...people.map(p => [p[0], p[1].toLowerCase()])]) {
      agents[name] = new Agent(server)
      await agents[name].signIn(email, OPS.password)
      tokens[name] = accord(dataDir, ['token', 'create', '--user', email, '--scope', 'documents:read,documents:write'])
    }
    const { ops, dee, obs, bea, out } = agents
    const orgs = expectStatus(await ops.get('/api/v1/organizations'), 200).body.items
    const id = short => orgs.find(o => o.short_name === short).id
    const [cut, mst, outsider] = [id('CUT'), id('MST'), id('OUT')]
    expectStatus(await ops.post('/api/v1/statements', { slug: 'caracas', title: 'Caracas declaration' }), 201)
    for (const org of [cut, mst]) expectStatus(await ops.put(`/api/v1/statements/caracas/participants/${org}`, {}), 200)
    const base = '/api/v1/statements/caracas'
    const amendments = base + '/amendments'
    const count = async () => expectStatus(await ops.get(amendments), 200).body.items.length

    // The draft, written live by the delegate.
    const draft = provider(server, 'statement.caracas', { token: tokens.dee })
    clients.push(draft)
    await draft.synced
    setParagraphs(draft.doc, ['We, the undersigned, declare:', 'Peace and bread.'])
    await waitFor(async () => (await dee.get(base + '/text')).body.markdown?.includes('bread'), { what: 'the draft reaches the server' })

    await t.test('the secretariat names a version and opens the amendments phase', async () => {
      expectStatus(await ops.patch(base, { phase: 'amendments' }), 200)  // takes version 1
      expectStatus(await ops.patch(base, { phase: 'drafting' }), 200)
      assert.equal(expectStatus(await ops.get(base + '/versions'), 200).body.items.length, 2)
      expectStatus(await ops.post(base + '/versions', { label: 'Second reading' }), 201)
      expectStatus(await ops.patch(base, { phase: 'amendments' }), 200)
      // (With no version at all an amendment is refused with 409; every move to the
      // amendments phase takes one, so api_amendments_test.cc covers that case.)
      expectStatus(await ops.patch(base + '/amendment-settings', { support_threshold: 1 }), 200)
      assert.deepEqual(expectStatus(await obs.get(base + '/amendment-settings'), 200).body, { support_threshold: 1, support_deadline: null })
    })

    let doc = ''
    await t.test('a delegate forks the latest version; others may not propose', async () => {
      expectStatus(await obs.post(amendments, { title: 'Mine', organization_id: cut }), 403, 'forbidden')
      expectStatus(await bea.post(amendments, { title: 'Theirs', organization_id: cut }), 403, 'forbidden')
      expectStatus(await out.post(amendments, { title: 'Outside', organization_id: outsider }), 403, 'forbidden')
      expectStatus(await ops.post(amendments, { title: 'Secretariat', organization_id: cut }), 403, 'forbidden')
      expectStatus(await dee.post(amendments, { title: '', organization_id: cut }), 422, 'validation-failed')
      expectStatus(await dee.post(amendments, { title: 'x', organization_id: cut, colour: 'red' }), 400, 'unknown-field')
      expectStatus(await dee.post(amendments, { title: 'x', organization_id: cut, base_version: 99 }), 422, 'validation-failed')
      expectStatus(await out.get(amendments), 403)
      assert.equal(await count(), 0, 'refusals store nothing')
      const created = expectStatus(await dee.post(amendments, { title: 'Bread', rationale: 'Hunger first.', organization_id: cut }), 201)
      assert.equal(created.headers.get('location'), amendments + '/1')
      assert.equal(created.body.state, 'draft')
      assert.equal(created.body.base_version, 4)
      assert.equal(created.body.organization.short_name, 'CUT')
      doc = created.body.document
      assert.equal(doc, 'statement.caracas.amendment.1')
    })

    await t.test('the proposer edits the fork live; other organizations read it only', async () => {
      const fork = provider(server, doc, { token: tokens.dee })
      clients.push(fork)
      await fork.synced
      // The fork starts as the version: the same items, by the same client ids.
      assert.equal(fork.doc.getXmlFragment('prosemirror').toString(), draft.doc.getXmlFragment('prosemirror').toString())
      assert.ok(Y.encodeStateVector(fork.doc).length > 1)
      assert.ok(Y.decodeStateVector(Y.encodeStateVector(fork.doc)).has(draft.doc.clientID), 'the base items keep their ids')
      typeInFirstParagraph(fork.doc, ' and roses')
      await waitFor(() => docFromUpdate(exportDoc(dataDir, doc)).getXmlFragment('prosemirror').toString().includes('and roses'),
        { what: 'the amendment edit is stored' })
      // The draft itself is untouched.
      assert.doesNotMatch(expectStatus(await dee.get(base + '/text'), 200).body.markdown, /roses/)
      const raw = await rawClient(server, doc, { token: tokens.bea })
      raw.send(syncUpdate(strangerUpdate('Hijacked')))
      assert.match((await raw.next(m => m.type === MSG_AUTH)).reason, /cannot edit amendment 1/)
      raw.close()
      assert.equal(await upgradeStatus(server, `/ws/${doc}?token=${tokens.out}`), 403)
      assert.equal(await upgradeStatus(server, `/ws/statement.caracas.amendment.7?token=${tokens.dee}`), 403)
      expectStatus(await dee.patch(amendments + '/1', { title: 'Bread and roses' }), 200)
      expectStatus(await bea.patch(amendments + '/1', { title: 'Ours' }), 403, 'forbidden')
    })

    await t.test('submitted, supported by another organization, accepted by the secretariat', async () => {
      expectStatus(await obs.post(amendments + '/1/transitions', { to: 'submitted' }), 403, 'forbidden')
      expectStatus(await dee.post(amendments + '/1/transitions', { to: 'won' }), 422, 'validation-failed')
      expectStatus(await dee.post(amendments + '/1/transitions', { to: 'submitted' }), 200)
      // The proposer's fresh connection is read-only now.
      const raw = await rawClient(server, doc, { token: tokens.dee })
      raw.send(syncUpdate(strangerUpdate('Late')))
      assert.match((await raw.next(m => m.type === MSG_AUTH)).reason, /submitted/)
      raw.close()
      expectStatus(await dee.put(`${amendments}/1/support/${cut}`), 403, 'forbidden')
      expectStatus(await out.put(`${amendments}/1/support/${outsider}`), 403)
      expectStatus(await obs.put(`${amendments}/1/support/${cut}`), 403, 'forbidden')
      const supported = expectStatus(await bea.put(`${amendments}/1/support/${mst}`), 200).body
      assert.equal(supported.state, 'supported')
      assert.equal(supported.supporters, 1)
      expectStatus(await bea.put(`${amendments}/1/support/${mst}`), 403, 'forbidden')
      expectStatus(await dee.post(amendments + '/1/transitions', { to: 'accepted' }), 403, 'forbidden')
      expectStatus(await ops.post(amendments + '/1/transitions', { to: 'rejected' }), 403, 'forbidden')
      const accepted = expectStatus(await ops.post(amendments + '/1/transitions', { to: 'accepted' }), 200).body
      assert.equal(accepted.state, 'accepted')
      assert.deepEqual(accepted.transitions.map(x => [x.from, x.to, x.by?.name ?? null]),
        [['draft', 'submitted', 'Dee'], ['submitted', 'supported', null], ['supported', 'accepted', OPS.name]])
      assert.equal(accepted.supporter_list[0].organization.short_name, 'MST')
      const listed = expectStatus(await obs.get(amendments + '?state=accepted'), 200).body.items
      assert.deepEqual(listed.map(a => [a.number, a.title, a.supporters]), [[1, 'Bread and roses', 1]])
      expectStatus(await obs.get(amendments + '?state=nope'), 400)
    })

    await t.test('deadlines: support and phase deadlines in the past refuse, and store nothing', async () => {
      expectStatus(await dee.post(amendments, { title: 'Land', organization_id: cut }), 201)
      expectStatus(await dee.post(amendments + '/2/transitions', { to: 'submitted' }), 200)
      expectStatus(await bea.patch(base + '/amendment-settings', { support_deadline: '2020-01-01T00:00:00Z' }), 403)
      expectStatus(await ops.patch(base + '/amendment-settings', { support_deadline: '2020-01-01T00:00:00Z' }), 200)
      const late = expectStatus(await bea.put(`${amendments}/2/support/${mst}`), 403, 'forbidden')
      assert.match(late.body.detail, /support deadline has passed/)
      assert.equal(expectStatus(await ops.get(amendments + '/2'), 200).body.supporters, 0)
      expectStatus(await ops.patch(base, { phase_deadline: '2020-01-01T00:00:00Z' }), 200)
      expectStatus(await dee.post(amendments, { title: 'Too late', organization_id: cut }), 403, 'forbidden')
      assert.equal(await count(), 2)
      const audit = JSON.stringify(expectStatus(await ops.get('/api/v1/audit?limit=200'), 200).body)
      for (const kind of ['amendment-created', 'amendment-transition', 'amendment-supported', 'amendment-updated', 'amendment-settings-changed']) {
        assert.match(audit, new RegExp(kind), kind)
      }
    })
  } finally {
    for (const c of clients) c.destroy()
    await server.stop()
  }
})
