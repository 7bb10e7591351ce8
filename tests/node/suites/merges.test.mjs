// Merging accepted amendments into the draft, end to end (issue 7; server/src/api_merges.cc,
// whose GoogleTest twin is api_merges_test.cc): delegates of two organizations edit their
// amendment documents live with stock y-websocket clients (typing into a paragraph's XmlText,
// as y-prosemirror does), submit them, the secretariat accepts them, edits the draft live in
// the consolidation phase and merges over the REST API, while other clients stay connected to
// the draft and must receive the merge like anyone's edit. Collisions stop the merge until
// decided, amendments whose text the draft deleted are obsolete, and only the statement
// secretariat merges, only in consolidation. Every text is checked exactly.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startAccordd } from '../lib/accordd.mjs'
import { Agent, OPS, bootstrapInstance, addMember, expectStatus, accord } from '../lib/openapi.mjs'
import { provider, waitFor, exportDoc, docFromUpdate, setParagraphs } from '../lib/yclient.mjs'
import * as Y from 'yjs'

const BASE_TEXT = 'We declare:\n\nPeace.\n'

// One request with an Agent's session, checked against proto/openapi.yaml like every other.
function call (agent, method, path, json) {
  return agent.req(method, path, json === undefined ? {} : { json })
}

// A promise that fails after `ms` instead of hanging the suite.
function within (promise, what, ms = 10000) {
  let timer
  return Promise.race([promise, new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })]).finally(() => clearTimeout(timer))
}

// The paragraphs' texts of an editor document (the XmlFragment "prosemirror").
function paragraphsOf (doc) {
  return doc.getXmlFragment('prosemirror').toArray().map(p => p.toArray().map(t => t.toString()).join(''))
}

// Typing `text` at `index` of paragraph `paragraph` (0-based): an insert into the paragraph's
// XmlText, not a rewrite.
function typeAt (doc, paragraph, index, text) {
  doc.getXmlFragment('prosemirror').get(paragraph).get(0).insert(index, text)
}

test('merges: accepted amendments into the live draft; collisions; obsolete; who and when', { timeout: 120000 }, async (t) => {
  const server = await startAccordd()
  const { dataDir } = server
  bootstrapInstance(dataDir)
  for (const [name, short] of [['Central Única dos Trabalhadores', 'CUT'], ['Movimento Sem Terra', 'MST']]) {
    accord(dataDir, ['org', 'add', '--name', name, '--short', short])
  }
  const people = [['dee@example.org', 'Dee', 'CUT', 'delegate'], ['bea@example.org', 'Bea', 'MST', 'delegate'],
    ['obs@example.org', 'Obs', 'CUT', 'observer']]
  for (const [email, name, org, role] of people) addMember(dataDir, { email, name, password: OPS.password, org, role })
  const agents = {}
  const tokens = {}
  const clients = []
  const open = (name, token) => {
    const c = provider(server, name, { token })
    clients.push(c)
    return c
  }
  const close = c => {
    clients.splice(clients.indexOf(c), 1)
    c.destroy()
  }
  try {
    for (const [email, name] of [[OPS.email, 'ops'], ...people.map(p => [p[0], p[1].toLowerCase()])]) {
      agents[name] = new Agent(server)
      await agents[name].signIn(email, OPS.password)
      tokens[name] = accord(dataDir, ['token', 'create', '--user', email, '--scope', 'documents:read,documents:write'])
    }
    const { ops, dee, bea, obs } = agents
    const orgs = expectStatus(await ops.get('/api/v1/organizations'), 200).body.items
    const orgOf = { dee: orgs.find(o => o.short_name === 'CUT').id, bea: orgs.find(o => o.short_name === 'MST').id }

    // A statement whose draft a delegate wrote live ("We declare:", "Peace."), in the
    // amendments phase (which takes version 1, the amendments' base).
    async function openStatement (slug) {
      const base = `/api/v1/statements/${slug}`
      expectStatus(await ops.post('/api/v1/statements', { slug, title: `Declaration of ${slug}` }), 201)
      for (const org of Object.values(orgOf)) expectStatus(await ops.put(`${base}/participants/${org}`, {}), 200)
      const writer = open(`statement.${slug}`, tokens.dee)
      await within(writer.synced, 'the delegate syncs the draft')
      setParagraphs(writer.doc, ['We declare:', 'Peace.'])
      await waitFor(async () => (await dee.get(base + '/text')).body.markdown === BASE_TEXT, { what: 'the draft reaches the server' })
      close(writer)
      expectStatus(await ops.patch(base, { phase: 'amendments' }), 200)
      return { base, amendments: base + '/amendments', merges: base + '/merges', draft: `statement.${slug}` }
    }
    // `who` proposes an amendment for their organization and types `text` into its document
    // at `index` of paragraph `paragraph`, live, and waits until the edit is stored. Returns
    // the amendment's number and the client id the edit was made under.
    async function propose (s, who, paragraph, index, text) {
      const created = expectStatus(await call(agents[who], 'POST', s.amendments, { title: `${who}: ${text.trim()}`, organization_id: orgOf[who] }), 201).body
      assert.equal(created.base_version, 1)
      const fork = open(created.document, tokens[who])
      await within(fork.synced, `${who} syncs ${created.document}`)
      assert.deepEqual(paragraphsOf(fork.doc), ['We declare:', 'Peace.'], 'the fork starts as the base version')
      typeAt(fork.doc, paragraph, index, text)
      const expected = fork.doc.getXmlFragment('prosemirror').toString()
      await waitFor(() => docFromUpdate(exportDoc(dataDir, created.document)).getXmlFragment('prosemirror').toString() === expected,
        { what: `the edit of amendment ${created.number} is stored` })
      const clientId = fork.doc.clientID
      close(fork)
      return { number: created.number, clientId }
    }
    const submitAndAccept = async (s, who, n) => {
      expectStatus(await call(agents[who], 'POST', `${s.amendments}/${n}/transitions`, { to: 'submitted' }), 200)
      expectStatus(await call(ops, 'POST', `${s.amendments}/${n}/transitions`, { to: 'accepted' }), 200)
    }
    const listed = async s => {
      const items = expectStatus(await call(obs, 'GET', s.amendments), 200).body.items
      return Object.fromEntries(items.map(a => [a.number, a]))
    }
    const draftText = async s => expectStatus(await obs.get(s.base + '/text'), 200).body.markdown
    const versions = async s => expectStatus(await call(obs, 'GET', s.base + '/versions'), 200).body.items
    let mergeVersion = null

    await t.test('two accepted amendments merge into a draft edited after their forks; live clients get the result', async () => {
      const s = await openStatement('lima')
      const a1 = await propose(s, 'dee', 0, 10, ' together')
      const a2 = await propose(s, 'bea', 1, 5, ' and bread')
      assert.deepEqual([a1.number, a2.number], [1, 2])
      // The amendment as a diff against its base.
      const diff = expectStatus(await call(obs, 'GET', `${s.amendments}/2/diff`), 200).body
      assert.equal(diff.from, 1)
      assert.equal(diff.to, 'amendment')
      const inline = expectStatus(await call(obs, 'GET', `${s.amendments}/2/diff?layout=inline`), 200)
      assert.match(inline.headers.get('content-type'), /^text\/html/)
      assert.match(inline.text, /Peace<ins>.*and bread.*<\/ins>\./s)
      await submitAndAccept(s, 'dee', 1)
      await submitAndAccept(s, 'bea', 2)
      expectStatus(await ops.patch(s.base, { phase: 'consolidation' }), 200)

      // In consolidation the secretariat edits the draft live: a closing paragraph.
      const secretariat = open(s.draft, tokens.ops)
      await within(secretariat.synced, 'the secretariat syncs the draft')
      const fragment = secretariat.doc.getXmlFragment('prosemirror')
      const closing = new Y.XmlElement('paragraph')
      closing.insert(0, [new Y.XmlText('Signed in Lima.')])
      fragment.insert(fragment.length, [closing])
      const edited = 'We declare:\n\nPeace.\n\nSigned in Lima.\n'
      await waitFor(async () => (await draftText(s)) === edited, { what: "the secretariat's edit reaches the server" })

      const before = await listed(s)
      for (const n of [1, 2]) {
        assert.deepEqual(before[n].collides_with, [], `amendment ${n} collides with nothing`)
        assert.equal(before[n].obsolete, false)
        assert.equal(before[n].merged_in_version, null)
      }
      assert.deepEqual(before[1].paragraphs, [{ index: 1, marker: '', excerpt: 'We declare:' }])
      assert.deepEqual(before[2].paragraphs, [{ index: 2, marker: '', excerpt: 'Peace.' }])

      // A delegate watches the draft through the merge, on one connection.
      const watcher = open(s.draft, tokens.dee)
      await within(watcher.synced, 'the watcher syncs the draft')
      assert.deepEqual(paragraphsOf(watcher.doc), ['We declare:', 'Peace.', 'Signed in Lima.'])
      const socket = watcher.provider.ws
      let disconnects = 0
      watcher.provider.on('status', e => { if (e.status !== 'connected') disconnects++ })

      const count = (await versions(s)).length
      const r = expectStatus(await call(ops, 'POST', s.merges, { amendments: [1, 2] }), 201)
      const merge = r.body
      assert.deepEqual(merge.merged, [1, 2])
      assert.deepEqual(merge.skipped, [])
      assert.equal(merge.created_by.name, OPS.name)
      const v = merge.version.number
      assert.equal(v, count + 1)
      assert.equal(r.headers.get('location'), `${s.base}/versions/${v}`)
      assert.equal(merge.version.label, 'Merge of amendments 1 and 2')

      const expected = 'We declare together:\n\nPeace and bread.\n\nSigned in Lima.\n'
      assert.equal(await draftText(s), expected)
      const merged = ['We declare together:', 'Peace and bread.', 'Signed in Lima.']
      await waitFor(() => JSON.stringify(paragraphsOf(watcher.doc)) === JSON.stringify(merged), { what: 'the watcher receives the merge' })
      await waitFor(() => JSON.stringify(paragraphsOf(secretariat.doc)) === JSON.stringify(merged), { what: "the secretariat's editor receives the merge" })
      assert.equal(watcher.provider.ws, socket, 'the watcher did not reconnect')
      assert.equal(disconnects, 0, 'the watcher did not reconnect')

      const version = expectStatus(await call(obs, 'GET', `${s.base}/versions/${v}`), 200).body
      assert.equal(version.reason, 'merge')
      assert.equal(version.markdown, expected)
      assert.equal(version.sha256, merge.version.sha256)
      assert.equal((await versions(s)).length, count + 1)
      const after = await listed(s)
      assert.equal(after[1].merged_in_version, v)
      assert.equal(after[2].merged_in_version, v)

      // The merged text stays attributed to the delegates who wrote it in the amendments.
      const authors = expectStatus(await obs.get(s.base + '/authors'), 200).body.items
      for (const [a, name] of [[a1, 'Dee'], [a2, 'Bea']]) {
        const entry = authors.find(x => x.client_id === a.clientId)
        assert.ok(entry, `client ${a.clientId} is recorded on the draft: ${JSON.stringify(authors)}`)
        assert.equal(entry.user.name, name)
      }

      // Merged once only; the list of merges says what went in.
      expectStatus(await call(ops, 'POST', s.merges, { amendments: [2] }), 409)
      assert.equal(await draftText(s), expected)
      const merges = expectStatus(await call(obs, 'GET', s.merges), 200).body.merges
      assert.deepEqual(merges.map(m => [m.version.number, m.merged, m.created_by.name]), [[v, [1, 2], OPS.name]])

      // After the merge the secretariat keeps editing on the same connection.
      typeAt(secretariat.doc, 2, 15, ' Ratified.')
      await waitFor(async () => (await draftText(s)) === expected.replace('Lima.', 'Lima. Ratified.'), { what: 'an edit after the merge' })
      close(watcher)
      close(secretariat)
      mergeVersion = { path: `${s.base}/versions/${v}`, body: version }
    })

    // issue7-contract.md: the Version JSON of a merge gains "merged_amendments".
    await t.test('the merge version names the amendments it merged', () => {
      assert.ok(mergeVersion, 'the merge above took a version')
      assert.deepEqual(mergeVersion.body.merged_amendments, [1, 2], `GET ${mergeVersion.path} → ${JSON.stringify(mergeVersion.body)}`)
    })

    await t.test('colliding amendments stop the merge until the secretariat decides; only the secretariat, only in consolidation', async () => {
      const s = await openStatement('quito')
      await propose(s, 'dee', 1, 5, ' now')
      await propose(s, 'bea', 1, 5, ' forever')
      let flags = await listed(s)
      assert.deepEqual(flags[1].collides_with, [2], 'drafts collide already')
      assert.deepEqual(flags[2].collides_with, [1])
      await submitAndAccept(s, 'dee', 1)
      await submitAndAccept(s, 'bea', 2)
      flags = await listed(s)
      assert.deepEqual([flags[1].collides_with, flags[2].collides_with], [[2], [1]])
      const decided = { amendments: [1, 2], decisions: [{ amendments: [1, 2], take: 2 }] }

      // Refusals: the amendments phase, then a delegate and an observer in consolidation.
      const count = (await versions(s)).length
      const early = expectStatus(await call(ops, 'POST', s.merges, decided), 409)
      assert.equal(early.body.type, '/problems/wrong-phase', early.text)
      expectStatus(await ops.patch(s.base, { phase: 'consolidation' }), 200)
      const consolidated = (await versions(s)).length
      assert.equal(consolidated, count + 1, 'the phase change takes a version')
      for (const who of [dee, bea, obs]) {
        const refused = expectStatus(await call(who, 'POST', s.merges, decided), 403)
        assert.equal(refused.body.type, '/problems/forbidden', refused.text)
      }

      // Without a decision: 409 with the colliding group, and nothing changes.
      const stopped = expectStatus(await call(ops, 'POST', s.merges, { amendments: [1, 2] }), 409)
      assert.equal(stopped.body.type, '/problems/collision', stopped.text)
      assert.deepEqual(stopped.body.collisions, [{ amendments: [1, 2] }])
      assert.equal(await draftText(s), BASE_TEXT)
      assert.equal((await versions(s)).length, consolidated)
      assert.deepEqual(expectStatus(await call(obs, 'GET', s.merges), 200).body.merges, [])

      const watcher = open(s.draft, tokens.obs)
      await within(watcher.synced, 'the observer syncs the draft')
      const merge = expectStatus(await call(ops, 'POST', s.merges, decided), 201).body
      assert.deepEqual(merge.merged, [2])
      assert.deepEqual(merge.skipped, [{ number: 1, reason: 'collision', taken: 2 }])
      const expected = 'We declare:\n\nPeace forever.\n'
      assert.equal(await draftText(s), expected)
      await waitFor(() => JSON.stringify(paragraphsOf(watcher.doc)) === JSON.stringify(['We declare:', 'Peace forever.']),
        { what: 'the observer receives the merge' })
      close(watcher)
      const version = expectStatus(await call(obs, 'GET', `${s.base}/versions/${merge.version.number}`), 200).body
      assert.equal(version.reason, 'merge')
      assert.equal(version.markdown, expected)
      flags = await listed(s)
      assert.equal(flags[1].merged_in_version, null)
      assert.equal(flags[2].merged_in_version, merge.version.number)
    })

    await t.test('a compromise the secretariat writes live leaves the colliding amendments out', async () => {
      const s = await openStatement('santiago')
      await propose(s, 'dee', 1, 5, ' now')
      await propose(s, 'bea', 1, 5, ' forever')
      await submitAndAccept(s, 'dee', 1)
      await submitAndAccept(s, 'bea', 2)
      expectStatus(await ops.patch(s.base, { phase: 'consolidation' }), 200)
      const secretariat = open(s.draft, tokens.ops)
      await within(secretariat.synced, 'the secretariat syncs the draft')
      typeAt(secretariat.doc, 1, 5, ', now and forever')
      const expected = 'We declare:\n\nPeace, now and forever.\n'
      await waitFor(async () => (await draftText(s)) === expected, { what: 'the compromise reaches the server' })
      const merge = expectStatus(await call(ops, 'POST', s.merges,
        { amendments: [1, 2], decisions: [{ amendments: [1, 2], compromise: true }], label: 'Compromise on peace' }), 201).body
      assert.deepEqual(merge.merged, [])
      assert.deepEqual(merge.skipped, [{ number: 1, reason: 'compromise' }, { number: 2, reason: 'compromise' }])
      assert.equal(merge.version.label, 'Compromise on peace')
      assert.equal(await draftText(s), expected)
      const version = expectStatus(await call(obs, 'GET', `${s.base}/versions/${merge.version.number}`), 200).body
      assert.equal(version.reason, 'merge')
      assert.equal(version.markdown, expected)
      close(secretariat)
    })

    await t.test('an amendment whose paragraph the draft deleted is obsolete and skipped', async () => {
      const s = await openStatement('bogota')
      await propose(s, 'dee', 1, 5, ' now')
      await propose(s, 'bea', 0, 10, ' together')
      await submitAndAccept(s, 'dee', 1)
      await submitAndAccept(s, 'bea', 2)
      expectStatus(await ops.patch(s.base, { phase: 'consolidation' }), 200)
      // The secretariat deletes the second paragraph live.
      const secretariat = open(s.draft, tokens.ops)
      await within(secretariat.synced, 'the secretariat syncs the draft')
      secretariat.doc.getXmlFragment('prosemirror').delete(1, 1)
      await waitFor(async () => (await draftText(s)) === 'We declare:\n', { what: 'the deletion reaches the server' })
      const flags = await listed(s)
      assert.equal(flags[1].obsolete, true)
      assert.equal(flags[2].obsolete, false)
      assert.deepEqual([flags[1].collides_with, flags[2].collides_with], [[], []])

      const merge = expectStatus(await call(ops, 'POST', s.merges, { amendments: [1, 2] }), 201).body
      assert.deepEqual(merge.merged, [2])
      assert.deepEqual(merge.skipped, [{ number: 1, reason: 'obsolete' }])
      assert.equal(await draftText(s), 'We declare together:\n')
      await waitFor(() => JSON.stringify(paragraphsOf(secretariat.doc)) === JSON.stringify(['We declare together:']),
        { what: "the secretariat's editor receives the merge" })
      close(secretariat)
      const version = expectStatus(await call(obs, 'GET', `${s.base}/versions/${merge.version.number}`), 200).body
      assert.equal(version.markdown, 'We declare together:\n')
    })
  } finally {
    for (const c of clients.splice(0)) c.destroy()
    await server.stop()
  }
})
