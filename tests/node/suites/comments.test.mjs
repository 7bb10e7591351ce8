// Comments end to end (server/drafting/COMMENTS.md): a delegate comments on a place in the live
// draft with an anchor made by real Yjs (Y.createRelativePositionFromTypeIndex on the XmlText of
// a paragraph, Y.encodeRelativePosition, base64); the draft is edited before the anchor through
// a stock y-websocket client and the comment stays with its words; deleting the words detaches
// it. Replies, comments on an amendment, resolution by the secretariat (not by a delegate),
// observers who read but do not post, anchors that are not in the draft. Every answer is checked
// against proto/openapi.yaml (Agent).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import { startAccordd } from '../lib/accordd.mjs'
import { Agent, OPS, bootstrapInstance, addMember, expectStatus, accord } from '../lib/openapi.mjs'
import { provider, waitFor, setParagraphs } from '../lib/yclient.mjs'

const base64 = bytes => Buffer.from(bytes).toString('base64')

// The XmlText inside paragraph `i` of the editor's document.
const paragraphText = (doc, i) => doc.getXmlFragment('prosemirror').get(i).get(0)

// An anchor before UTF-16 offset `index` of paragraph `i`, as an editor makes it.
function anchorAt (doc, i, index) {
  return base64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(paragraphText(doc, i), index)))
}

test('comments: anchored to the draft through edits, replies, amendments, resolution, refusals', async (t) => {
  const server = await startAccordd()
  const { dataDir } = server
  bootstrapInstance(dataDir)
  for (const [name, short] of [['Central Única dos Trabalhadores', 'CUT'], ['Movimento Sem Terra', 'MST']]) {
    accord(dataDir, ['org', 'add', '--name', name, '--short', short])
  }
  const people = [['dee@example.org', 'Dee', 'CUT', 'delegate'], ['obs@example.org', 'Obs', 'CUT', 'observer'],
    ['bea@example.org', 'Bea', 'MST', 'delegate']]
  for (const [email, name, org, role] of people) addMember(dataDir, { email, name, password: OPS.password, org, role })
  const agents = {}
  const clients = []
  try {
    for (const [email, name] of [[OPS.email, 'ops'], ...people.map(p => [p[0], p[1].toLowerCase()])]) {
      agents[name] = new Agent(server)
      await agents[name].signIn(email, OPS.password)
    }
    const { ops, dee, obs, bea } = agents
    const token = accord(dataDir, ['token', 'create', '--user', 'dee@example.org', '--scope', 'documents:read,documents:write'])
    const orgs = expectStatus(await ops.get('/api/v1/organizations'), 200).body.items
    const cut = orgs.find(o => o.short_name === 'CUT').id
    const mst = orgs.find(o => o.short_name === 'MST').id
    expectStatus(await ops.post('/api/v1/statements', { slug: 'caracas', title: 'Caracas declaration' }), 201)
    for (const org of [cut, mst]) expectStatus(await ops.put(`/api/v1/statements/caracas/participants/${org}`, {}), 200)
    const base = '/api/v1/statements/caracas'
    const comments = base + '/comments'
    const list = async (query = '') => expectStatus(await obs.get(comments + query), 200).body.comments

    // The draft, written live by the delegate.
    const draft = provider(server, 'statement.caracas', { token })
    clients.push(draft)
    await draft.synced
    setParagraphs(draft.doc, ['We, the undersigned, declare:', 'Peace, bread and roses for every people.'])
    await waitFor(async () => (await dee.get(base + '/text')).body.markdown?.includes('roses'), { what: 'the draft reaches the server' })

    let thread = 0
    await t.test('a comment anchored before "bread" stays with it while the text before it changes', async () => {
      const anchor = anchorAt(draft.doc, 1, 7)
      const created = expectStatus(await dee.post(comments, { body: 'All peoples?\nOr every people.', anchor }), 201).body
      thread = created.id
      assert.equal(created.parent_id, null)
      assert.deepEqual(created.target, { kind: 'paragraph', anchor, attached: true, excerpt: 'bread and roses for every people.' })
      assert.deepEqual(created.author, { user_id: created.author.user_id, name: 'Dee', organization_id: cut, organization_name: 'Central Única dos Trabalhadores' })
      assert.equal(created.resolved, null)

      // Typing before the anchor, through the live client.
      const text = paragraphText(draft.doc, 1)
      draft.doc.transact(() => {
        text.insert(0, 'Justice, ')
        text.delete(9, 'Peace, '.length)
      })
      assert.equal(text.toString(), 'Justice, bread and roses for every people.')
      await waitFor(async () => (await dee.get(base + '/text')).body.markdown?.includes('Justice'), { what: 'the edit reaches the server' })
      const [listed] = await list()
      assert.equal(listed.id, thread)
      assert.equal(listed.target.attached, true)
      assert.equal(listed.target.excerpt, 'bread and roses for every people.')
      // The client places it where "bread" now is.
      const abs = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(listed.target.anchor, 'base64')), draft.doc)
      assert.equal(abs.type, text)
      assert.equal(abs.index, 'Justice, '.length)
    })

    await t.test('replies join the thread and carry its target', async () => {
      const reply = expectStatus(await bea.post(comments, { body: 'Every people, as in Havana.', parent_id: thread }), 201).body
      assert.equal(reply.parent_id, thread)
      assert.equal(reply.author.organization_id, mst)
      assert.equal(reply.target.excerpt, 'bread and roses for every people.')
      const nested = expectStatus(await ops.post(comments, { body: 'Noted.', parent_id: reply.id }), 201).body
      assert.equal(nested.parent_id, thread, 'threads are one level deep')
      assert.deepEqual((await list()).map(c => [c.id, c.parent_id]), [[thread, null], [reply.id, thread], [nested.id, thread]])
    })

    await t.test('deleting the anchored words detaches the comment', async () => {
      const anchor = anchorAt(draft.doc, 0, 4)  // before "the undersigned"
      const second = expectStatus(await bea.post(comments, { body: 'Who signs?', anchor }), 201).body
      assert.equal(second.target.excerpt, 'the undersigned, declare:')
      paragraphText(draft.doc, 0).delete(4, 'the undersigned, '.length)
      await waitFor(async () => !(await dee.get(base + '/text')).body.markdown?.includes('undersigned'), { what: 'the deletion reaches the server' })
      const got = (await list()).find(c => c.id === second.id)
      assert.deepEqual(got.target, { kind: 'paragraph', anchor, attached: false, excerpt: '' })
      // The first thread is untouched.
      assert.equal((await list()).find(c => c.id === thread).target.attached, true)
    })

    await t.test('anchors that are not places in the draft are refused, and nothing is stored', async () => {
      const before = (await list()).length
      expectStatus(await dee.post(comments, { body: 'x', anchor: base64([255, 255, 255]) }), 422, 'validation-failed')
      const elsewhere = new Y.Doc()
      const other = elsewhere.getText('notes')
      other.insert(0, 'not the draft')
      const foreign = base64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(other, 2)))
      const refused = expectStatus(await dee.post(comments, { body: 'x', anchor: foreign }), 422, 'validation-failed')
      assert.match(refused.body.detail, /anchor/)
      const end = base64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(draft.doc.getXmlFragment('prosemirror'), 2)))
      expectStatus(await dee.post(comments, { body: 'x', anchor: end }), 422, 'validation-failed')
      expectStatus(await dee.post(comments, { body: 'x' }), 422, 'validation-failed')
      expectStatus(await dee.post(comments, { body: 'x', parent_id: 999 }), 422, 'validation-failed')
      assert.equal((await list()).length, before)
    })

    await t.test('observers read the discussion but do not post', async () => {
      const before = (await list()).length
      expectStatus(await obs.post(comments, { body: 'I only watch.', anchor: anchorAt(draft.doc, 1, 0) }), 403, 'forbidden')
      expectStatus(await obs.post(comments, { body: 'Me too.', parent_id: thread }), 403, 'forbidden')
      assert.equal((await list()).length, before)
    })

    await t.test('comments on an amendment', async () => {
      expectStatus(await ops.patch(base, { phase: 'amendments' }), 200)
      expectStatus(await dee.post(base + '/amendments', { title: 'Roses', organization_id: cut }), 201)
      const on = expectStatus(await bea.post(comments, { body: 'MST supports roses.', amendment: 1 }), 201).body
      assert.deepEqual(on.target, { kind: 'amendment', number: 1 })
      expectStatus(await dee.post(comments, { body: 'Thanks.', parent_id: on.id }), 201)
      expectStatus(await dee.post(comments, { body: 'x', amendment: 2 }), 422, 'validation-failed')
      const threads = await list('?amendment=1')
      assert.deepEqual(threads.map(c => [c.body, c.target.kind]), [['MST supports roses.', 'amendment'], ['Thanks.', 'amendment']])
      assert.ok((await list('?target=paragraph')).every(c => c.target.kind === 'paragraph'))
    })

    await t.test('the secretariat resolves a thread; a delegate may not', async () => {
      expectStatus(await dee.patch(`${comments}/${thread}`, { resolved: true }), 403, 'forbidden')
      assert.ok((await list('?resolved=false')).some(c => c.id === thread))
      const resolved = expectStatus(await ops.patch(`${comments}/${thread}`, { resolved: true }), 200).body
      assert.equal(resolved.resolved.by.name, OPS.name)
      assert.ok(!(await list('?resolved=false')).some(c => c.id === thread || c.parent_id === thread))
      assert.ok((await list('?resolved=true')).every(c => c.id === thread || c.parent_id === thread))
      const reply = (await list()).find(c => c.parent_id === thread)
      expectStatus(await ops.patch(`${comments}/${reply.id}`, { resolved: true }), 422, 'validation-failed')
      assert.equal(expectStatus(await ops.patch(`${comments}/${thread}`, { resolved: false }), 200).body.resolved, null)
    })

    await t.test('the final phase closes the discussion; everything was audited', async () => {
      expectStatus(await ops.patch(base, { phase: 'final' }), 200)
      expectStatus(await dee.post(comments, { body: 'Late.', amendment: 1 }), 403, 'forbidden')
      expectStatus(await ops.post(comments, { body: 'Late.', amendment: 1 }), 403, 'forbidden')
      const audit = JSON.stringify(expectStatus(await ops.get('/api/v1/audit?limit=200'), 200).body)
      for (const kind of ['comment-created', 'comment-resolved', 'comment-reopened', 'permission-denied']) {
        assert.match(audit, new RegExp(kind), kind)
      }
    })
  } finally {
    for (const c of clients) c.destroy()
    await server.stop()
  }
})
