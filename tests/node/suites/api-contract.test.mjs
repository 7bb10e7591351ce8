// The REST API against its contract, proto/openapi.yaml: the document is sound OpenAPI 3.1 and
// names exactly the server's routes, and a whole walkthrough — the secretariat sets up
// organizations, invites a delegate and an observer, starts a statement, moves its phase,
// hands out tokens, reads the audit log — gets only responses the document describes
// (lib/openapi.mjs checks every one). The delegate's token then edits the statement's draft
// over a real y-websocket connection, while the observer's token is refused writing and
// nothing of it is stored.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { startAccordd } from '../lib/accordd.mjs'
import { exportDoc, docFromUpdate, provider, waitFor, sameState, rawClient, syncUpdate, MSG_AUTH } from '../lib/yclient.mjs'
import {
  spec, operations, structureProblems, checkResponse, requestBodyErrors, matchRoute,
  Agent, expectStatus, bootstrapInstance, OPS
} from '../lib/openapi.mjs'

const serverSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../server/src')

test('openapi.yaml is a sound OpenAPI 3.1 document: every $ref resolves, every operation has responses, every placeholder a parameter', () => {
  assert.deepEqual(structureProblems(), [])
  assert.ok(operations().length >= 30)
  // Every error response is problem+json, every success JSON or empty — except a version's Yjs
  // state (bytes), a diff asked for as HTML and the log's checkpoint (a signed note).
  const otherMedia = { getVersionState: ['application/octet-stream'], getDiff: ['application/json', 'text/html'], getAmendmentDiff: ['application/json', 'text/html'], getLogCheckpoint: ['text/plain'], exportSignatories: ['application/json', 'text/csv'] }
  for (const { method, template, operation } of operations()) {
    for (const [code, r] of Object.entries(operation.responses)) {
      const resp = r.$ref ? spec.components.responses[r.$ref.split('/').pop()] : r
      for (const mt of Object.keys(resp.content ?? {})) {
        if (Number(code) < 400 && otherMedia[operation.operationId]) {
          assert.ok(otherMedia[operation.operationId].includes(mt), `${method} ${template} ${code} ${mt}`)
          continue
        }
        assert.equal(mt, Number(code) >= 400 ? 'application/problem+json' : 'application/json', `${method} ${template} ${code}`)
      }
    }
    if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
      assert.ok(operation.responses['403'], `${method} ${template} documents 403 (Origin/CSRF)`)
      assert.ok(operation.responses['413'], `${method} ${template} documents 413`)
    }
  }
})

test('openapi.yaml names exactly the routes the server registers', () => {
  const served = new Set()
  for (const f of readdirSync(serverSrc).filter(f => /^api_.*\.cc$/.test(f) && !f.endsWith('_test.cc'))) {
    const text = readFileSync(path.join(serverSrc, f), 'utf8')
    for (const m of text.matchAll(/\{"(GET|POST|PUT|PATCH|DELETE)",\s*"(\/api\/v1\/[^"]*)"/g)) served.add(`${m[1]} ${m[2]}`)
  }
  const documented = new Set(operations().map(o => `${o.method} ${o.template}`))
  assert.ok(served.size >= 30, `found ${served.size} routes in server/src/api_*.cc`)
  assert.deepEqual([...documented].filter(r => !served.has(r)).sort(), [], 'documented but not served')
  assert.deepEqual([...served].filter(r => !documented.has(r)).sort(), [], 'served but not documented')
})

test('the checker refuses what the document does not describe', () => {
  const user = { id: 1, email: 'a@b.org', display_name: 'A', language: 'en', has_password: true, disabled: false, created_at: '2027-01-01T00:00:00Z' }
  checkResponse('GET', '/api/v1/users/me', 200, 'application/json', { ...user, memberships: [] })
  assert.equal(matchRoute('/api/v1/users/me').template, '/api/v1/users/me')
  assert.equal(matchRoute('/api/v1/users/12').template, '/api/v1/users/{id}')
  assert.equal(matchRoute('/api/v1/statements/a-b/participants/3?x=1').template, '/api/v1/statements/{slug}/participants/{org_id}')
  assert.throws(() => checkResponse('GET', '/api/v1/users/me', 200, 'application/json', { ...user, memberships: [], extra: 1 }), /does not match/)
  assert.throws(() => checkResponse('GET', '/api/v1/users/me', 200, 'application/json', { ...user }), /does not match/)
  assert.throws(() => checkResponse('GET', '/api/v1/users/me', 200, 'application/json', { ...user, memberships: [], created_at: 'yesterday' }), /does not match/)
  assert.throws(() => checkResponse('GET', '/api/v1/users/me', 201, 'application/json', user), /not documented/)
  assert.throws(() => checkResponse('GET', '/api/v1/users/me', 200, 'text/plain', 'hi'), /Content-Type/)
  assert.throws(() => checkResponse('GET', '/api/v1/nothing', 200, 'application/json', {}), /no route/)
  assert.throws(() => checkResponse('PUT', '/api/v1/users', 200, 'application/json', {}), /only 405/)
  assert.throws(() => checkResponse('DELETE', '/api/v1/tokens/3', 204, 'application/json', '{}'), /no body/)
  const problem = { type: '/problems/forbidden', title: 'Not allowed', status: 403, detail: 'no' }
  checkResponse('DELETE', '/api/v1/tokens/3', 403, 'application/problem+json', problem)
  assert.throws(() => checkResponse('DELETE', '/api/v1/tokens/3', 403, 'application/problem+json', { ...problem, type: '/problems/conflict' }), /does not match/)
  assert.throws(() => checkResponse('DELETE', '/api/v1/tokens/3', 403, 'application/problem+json', { ...problem, status: 409 }), /does not match/)
  assert.throws(() => checkResponse('POST', '/api/v1/organizations', 422, 'application/problem+json',
    { type: '/problems/validation-failed', title: 'Validation failed', status: 422, detail: 'x' }), /does not match/)
  assert.throws(() => checkResponse('POST', '/api/v1/session', 429, 'application/problem+json',
    { type: '/problems/rate-limited', title: 'Too many requests', status: 429, detail: 'x' }, new Headers()), /Retry-After/)
  // Request bodies.
  assert.deepEqual(requestBodyErrors('POST', '/api/v1/organizations', { name: 'N', short_name: 'S', country: 'BR' }), [])
  assert.notDeepEqual(requestBodyErrors('POST', '/api/v1/organizations', { name: 'N' }), [])
  assert.notDeepEqual(requestBodyErrors('POST', '/api/v1/organizations', { name: 'N', short_name: 'S', country: 'br' }), [])
  assert.notDeepEqual(requestBodyErrors('POST', '/api/v1/statements', { slug: '-x', title: 'T' }), [])
})

// Takes the token out of an invitation or reset link (it travels in the fragment).
function linkToken (link) {
  return link.slice(link.indexOf('#') + 1)
}

// Sends a request body the document must accept (the walkthrough only sends valid ones).
function valid (method, p, body) {
  assert.deepEqual(requestBodyErrors(method, p, body), [], `${method} ${p}: openapi.yaml refuses ${JSON.stringify(body)}`)
  return body
}

test('walkthrough: the secretariat sets everything up, a delegate edits over WebSocket, an observer cannot', async (t) => {
  const server = await startAccordd()
  const { dataDir } = server
  const ids = bootstrapInstance(dataDir)
  const ops = new Agent(server)
  const anon = new Agent(server)
  const docName = 'statement.climate-2027'
  const cleanups = []
  const ctx = {}
  try {
    await t.test('sign in as the secretariat', async () => {
      const me = await ops.signIn(OPS.email, OPS.password)
      assert.equal(me.instance_secretariat, true)
      assert.equal(me.user.email, OPS.email)
      assert.equal(me.memberships.length, 1)
      assert.equal(me.memberships[0].role, 'secretariat')
      assert.equal(me.memberships[0].organization.hosts_instance, true)
      assert.ok(me.session_id > 0)
      const mine = expectStatus(await ops.get('/api/v1/users/me'), 200).body
      assert.equal(mine.id, ids.userId)
      assert.equal(mine.memberships[0].organization_id, ids.orgId)
    })

    await t.test('organizations: create, conflict, read, patch', async () => {
      const cut = expectStatus(await ops.post('/api/v1/organizations', valid('POST', '/api/v1/organizations', {
        name: 'Central Única dos Trabalhadores', short_name: 'CUT', country: 'BR', kind: 'union', website: 'https://cut.example.org'
      })), 201)
      assert.equal(cut.headers.get('location'), `/api/v1/organizations/${cut.body.id}`)
      assert.equal(cut.body.name, 'Central Única dos Trabalhadores')
      assert.equal(cut.body.hosts_instance, false)
      ctx.cut = cut.body.id
      const abc = expectStatus(await ops.post('/api/v1/organizations', valid('POST', '/api/v1/organizations', {
        name: 'Alliance for a Better Climate', short_name: 'ABC', kind: 'ngo'
      })), 201)
      assert.equal(abc.body.country, '')
      assert.equal(abc.body.website, '')
      ctx.abc = abc.body.id
      expectStatus(await ops.post('/api/v1/organizations', { name: 'Again', short_name: 'cut' }), 409, 'conflict')
      const list = expectStatus(await ops.get('/api/v1/organizations'), 200).body.items
      assert.deepEqual(list.map(o => o.short_name).sort(), ['ABC', 'CUT', 'SEC'])
      assert.equal(expectStatus(await ops.get(`/api/v1/organizations/${ctx.cut}`), 200).body.kind, 'union')
      const patched = expectStatus(await ops.patch(`/api/v1/organizations/${ctx.cut}`, valid('PATCH', '/api/v1/organizations/1', { website: '' })), 200)
      assert.equal(patched.body.website, '')
      assert.equal(patched.body.short_name, 'CUT')
      expectStatus(await ops.get('/api/v1/organizations/99999'), 404, 'not-found')
      expectStatus(await ops.get('/api/v1/organizations/abc'), 404, 'not-found')
      expectStatus(await ops.patch('/api/v1/organizations/99999', { name: 'X' }), 404, 'not-found')
      expectStatus(await ops.patch(`/api/v1/organizations/${ctx.cut}`, { short_name: 'abc' }), 409, 'conflict')
      expectStatus(await ops.get('/api/v1/organizations/99999/members'), 404, 'not-found')
    })

    await t.test('invitations: invite, list, inspect, accept (the link comes back: no mail)', async () => {
      const inv = expectStatus(await ops.post('/api/v1/invitations', valid('POST', '/api/v1/invitations', {
        email: 'dele@cut.example.org', display_name: 'Dee Legate', organization_id: ctx.cut, role: 'delegate'
      })), 201).body
      assert.equal(inv.emailed, false)
      assert.ok(inv.link.startsWith(server.url + '/invite#'), inv.link)
      assert.equal(inv.invitation.kind, 'invitation')
      assert.equal(inv.invitation.invited_by, ids.userId)
      assert.equal(inv.invitation.used_at, null)
      const obsInv = expectStatus(await ops.post('/api/v1/invitations', valid('POST', '/api/v1/invitations', {
        email: 'obs@abc.example.org', organization_id: ctx.abc, role: 'observer'
      })), 201).body
      const pending = expectStatus(await ops.get('/api/v1/invitations'), 200).body.items
      assert.deepEqual(pending.map(i => i.email).sort(), ['dele@cut.example.org', 'obs@abc.example.org'])

      const view = expectStatus(await anon.post('/api/v1/invitations/inspect', valid('POST', '/api/v1/invitations/inspect', { token: linkToken(inv.link) })), 200).body
      assert.deepEqual({ kind: view.kind, email: view.email, role: view.role, org: view.organization.short_name },
        { kind: 'invitation', email: 'dele@cut.example.org', role: 'delegate', org: 'CUT' })
      ctx.delePassword = 'delegate password one'
      const dele = expectStatus(await anon.post('/api/v1/invitations/accept', valid('POST', '/api/v1/invitations/accept', {
        token: linkToken(inv.link), password: ctx.delePassword, language: 'pt-BR'
      })), 201).body.user
      assert.deepEqual({ name: dele.display_name, language: dele.language, has_password: dele.has_password },
        { name: 'Dee Legate', language: 'pt-BR', has_password: true })
      ctx.dele = dele.id
      ctx.obsPassword = 'observer password one'
      const obs = expectStatus(await anon.post('/api/v1/invitations/accept', valid('POST', '/api/v1/invitations/accept', {
        token: linkToken(obsInv.link), password: ctx.obsPassword, display_name: 'Obi Server'
      })), 201).body.user
      assert.equal(obs.display_name, 'Obi Server')
      assert.equal(obs.language, 'en')
      ctx.obs = obs.id
      ctx.usedInvitation = obsInv.invitation.id
      assert.deepEqual(expectStatus(await ops.get('/api/v1/invitations'), 200).body.items, [])
    })

    await t.test('memberships and the directory', async () => {
      const m = expectStatus(await ops.post('/api/v1/memberships', valid('POST', '/api/v1/memberships', {
        user_id: ctx.dele, organization_id: ctx.cut, role: 'signatory'
      })), 201).body
      assert.equal(m.role, 'signatory')
      ctx.signatoryMembership = m.id
      expectStatus(await ops.post('/api/v1/memberships', { user_id: ctx.dele, organization_id: ctx.cut, role: 'signatory' }), 409, 'conflict')
      expectStatus(await ops.post('/api/v1/memberships', { user_id: 99999, organization_id: ctx.cut, role: 'observer' }), 422, 'validation-failed')
      const members = expectStatus(await ops.get(`/api/v1/organizations/${ctx.cut}/members`), 200).body.items
      assert.deepEqual(members.map(x => [x.role, x.email, x.display_name]).sort(),
        [['delegate', 'dele@cut.example.org', 'Dee Legate'], ['signatory', 'dele@cut.example.org', 'Dee Legate']])
      const users = expectStatus(await ops.get('/api/v1/users'), 200).body.items
      assert.deepEqual(users.map(u => u.email).sort(), ['dele@cut.example.org', 'obs@abc.example.org', OPS.email])
      const dele = expectStatus(await ops.get(`/api/v1/users/${ctx.dele}`), 200).body
      assert.deepEqual(dele.memberships.map(x => x.role).sort(), ['delegate', 'signatory'])
      expectStatus(await ops.get('/api/v1/users/99999'), 404, 'not-found')
    })

    await t.test('statements: create, participants, detail', async () => {
      const s = expectStatus(await ops.post('/api/v1/statements', valid('POST', '/api/v1/statements', {
        slug: 'climate-2027', title: 'Joint statement on the climate, 2027'
      })), 201)
      assert.equal(s.headers.get('location'), '/api/v1/statements/climate-2027')
      assert.deepEqual({ phase: s.body.phase, deadline: s.body.phase_deadline, document: s.body.document },
        { phase: 'drafting', deadline: null, document: docName })
      expectStatus(await ops.post('/api/v1/statements', { slug: 'climate-2027', title: 'Again' }), 409, 'conflict')
      const p = expectStatus(await ops.put(`/api/v1/statements/climate-2027/participants/${ctx.cut}`,
        valid('PUT', '/api/v1/statements/x/participants/1', { edit: true })), 200).body
      assert.deepEqual(p, { organization_id: ctx.cut, convener: false, edit: true, amend: true, sign: true })
      expectStatus(await ops.put(`/api/v1/statements/climate-2027/participants/${ctx.abc}`, valid('PUT', '/api/v1/statements/x/participants/1', {})), 200)
      expectStatus(await ops.put('/api/v1/statements/climate-2027/participants/99999', {}), 404, 'not-found')
      expectStatus(await ops.put(`/api/v1/statements/nope/participants/${ctx.abc}`, {}), 404, 'not-found')
      const detail = expectStatus(await ops.get('/api/v1/statements/climate-2027'), 200).body
      assert.equal(detail.participants.length, 2)
      assert.equal(detail.rights['edit-draft'], true)
      assert.equal(detail.rights['change-phase'], true)
      assert.equal(detail.rights['manage-participants'], true)
      assert.deepEqual(detail.rights['propose-amendment-for'], [])
      assert.equal(expectStatus(await ops.get('/api/v1/statements'), 200).body.items.length, 1)
      expectStatus(await ops.get('/api/v1/statements/nope'), 404, 'not-found')
    })

    const dele = new Agent(server)
    const obs = new Agent(server)
    await t.test("the delegate's view: memberships, the statement's rights, what is refused", async () => {
      const me = await dele.signIn('dele@cut.example.org', ctx.delePassword)
      assert.equal(me.instance_secretariat, false)
      assert.deepEqual(me.memberships.map(m => [m.role, m.organization.short_name]).sort(), [['delegate', 'CUT'], ['signatory', 'CUT']])
      assert.deepEqual(expectStatus(await dele.get('/api/v1/statements'), 200).body.items.map(s => s.slug), ['climate-2027'])
      const detail = expectStatus(await dele.get('/api/v1/statements/climate-2027'), 200).body
      assert.deepEqual(detail.rights, {
        'edit-draft': true,
        'settle-amendment': false,
        'change-phase': false,
        'publish-version': false,
        'manage-participants': false,
        comment: true,
        'resolve-comment': false,
        'propose-amendment-for': [],
        'support-amendment-for': [],
        'endorse-for': []
      })
      // The directory is open to members, without e-mail addresses.
      const members = expectStatus(await dele.get(`/api/v1/organizations/${ctx.cut}/members`), 200).body.items
      assert.ok(members.every(m => !('email' in m) && m.display_name === 'Dee Legate'))
      expectStatus(await dele.get(`/api/v1/users/${ids.userId}`), 403, 'forbidden')
      expectStatus(await dele.get('/api/v1/users'), 403, 'forbidden')
      expectStatus(await dele.get('/api/v1/audit'), 403, 'forbidden')
      expectStatus(await dele.get('/api/v1/invitations'), 403, 'forbidden')
      expectStatus(await dele.post('/api/v1/statements', { slug: 'mine', title: 'Mine' }), 403, 'forbidden')
      expectStatus(await dele.patch('/api/v1/statements/climate-2027', { phase: 'final' }), 403, 'forbidden')
      expectStatus(await dele.post('/api/v1/organizations', { name: 'X', short_name: 'X' }), 403, 'forbidden')
      const renamed = expectStatus(await dele.patch('/api/v1/users/me', valid('PATCH', '/api/v1/users/me', { display_name: 'Dee L.' })), 200).body
      assert.equal(renamed.display_name, 'Dee L.')
      assert.equal(renamed.memberships.length, 2)
      assert.equal(expectStatus(await dele.get(`/api/v1/users/${ctx.dele}`), 200).body.display_name, 'Dee L.')
      const tok = expectStatus(await dele.post('/api/v1/tokens', valid('POST', '/api/v1/tokens', {
        name: 'editor', scopes: ['documents:read', 'documents:write'], document_pattern: 'statement.*', expires_in_days: 30
      })), 201).body
      assert.deepEqual(tok.scopes, ['documents:read', 'documents:write'])
      assert.equal(tok.document_pattern, 'statement.*')
      assert.ok(tok.expires_at)
      ctx.deleToken = tok.secret
      const listed = expectStatus(await dele.get('/api/v1/tokens'), 200).body.items
      assert.equal(listed.length, 1)
      assert.ok(!('secret' in listed[0]))

      await obs.signIn('obs@abc.example.org', ctx.obsPassword)
      const seen = expectStatus(await obs.get('/api/v1/statements/climate-2027'), 200).body
      assert.equal(seen.rights['edit-draft'], false)
      ctx.obsToken = expectStatus(await obs.post('/api/v1/tokens', { name: 'reader', scopes: ['documents:read', 'documents:write'] }), 201).body.secret
    })

    await t.test("WebSocket: the delegate's token edits the draft; the observer's token is refused writing and nothing is stored", async () => {
      const writer = provider(server, docName, { token: ctx.deleToken })
      cleanups.push(() => writer.destroy())
      await writer.synced
      writer.doc.getText('draft').insert(0, 'We, the undersigned, ')
      await waitFor(() => sameState(docFromUpdate(exportDoc(dataDir, docName)), writer.doc), { what: "the delegate's edit to be stored" })

      const reader = provider(server, docName, { token: ctx.obsToken })
      cleanups.push(() => reader.destroy())
      await reader.synced
      await waitFor(() => reader.doc.getText('draft').toString() === 'We, the undersigned, ', { what: 'the observer to receive the draft' })

      const raw = await rawClient(server, docName, { token: ctx.obsToken })
      cleanups.push(() => raw.close())
      const evil = new Y.Doc()
      let update
      evil.on('update', u => { update = u })
      evil.getText('draft').insert(0, 'OBSERVER WAS HERE ')
      raw.send(syncUpdate(update))
      const denied = await raw.next(m => m.type === MSG_AUTH)
      assert.equal(denied.sub, 0, 'permission-denied')
      assert.ok(denied.reason.length > 0)
      // The refused update reaches neither the writer nor storage.
      writer.doc.getText('draft').insert(writer.doc.getText('draft').length, 'declare')
      await waitFor(() => sameState(docFromUpdate(exportDoc(dataDir, docName)), writer.doc), { what: 'the second edit to be stored' })
      const stored = docFromUpdate(exportDoc(dataDir, docName))
      assert.equal(stored.getText('draft').toString(), 'We, the undersigned, declare')
      assert.equal(writer.doc.getText('draft').toString(), 'We, the undersigned, declare')
      assert.equal(stored.store.clients.has(evil.clientID), false, "the observer's update is not stored")
      ctx.writer = writer
    })

    await t.test('a phase change freezes the draft and opens amendments for the delegate', async () => {
      const closeCodes = []
      ctx.writer.provider.on('connection-close', event => closeCodes.push(event?.code))
      const s = expectStatus(await ops.patch('/api/v1/statements/climate-2027', valid('PATCH', '/api/v1/statements/x', {
        phase: 'amendments', phase_deadline: '2030-01-31T18:00:00Z'
      })), 200).body
      assert.equal(s.phase, 'amendments')
      assert.equal(s.phase_deadline, '2030-01-31T18:00:00Z')
      assert.equal(s.rights['edit-draft'], false)
      assert.equal(s.rights['settle-amendment'], true)
      const seen = expectStatus(await dele.get('/api/v1/statements/climate-2027'), 200).body
      assert.equal(seen.rights['edit-draft'], false)
      assert.deepEqual(seen.rights['propose-amendment-for'], [ctx.cut])
      assert.deepEqual(seen.rights['support-amendment-for'], [ctx.cut])
      // The delegate's socket was closed (4003: rights changed) and now writes nothing.
      await waitFor(() => closeCodes.includes(4003), { what: "the delegate's socket to be closed with 4003" })
      const raw = await rawClient(server, docName, { token: ctx.deleToken })
      const late = new Y.Doc()
      let update
      late.on('update', u => { update = u })
      late.getText('draft').insert(0, 'TOO LATE ')
      raw.send(syncUpdate(update))
      assert.equal((await raw.next(m => m.type === MSG_AUTH)).sub, 0)
      raw.close()
      expectStatus(await ops.patch('/api/v1/statements/climate-2027', { phase_deadline: '2030-02-31T18:00:00Z' }), 422, 'validation-failed')
      const back = expectStatus(await ops.patch('/api/v1/statements/climate-2027', { phase: 'drafting' }), 200).body
      assert.equal(back.phase, 'drafting')
      assert.equal(back.phase_deadline, null, 'a new phase starts without the old deadline')
      assert.equal(docFromUpdate(exportDoc(dataDir, docName)).getText('draft').toString(), 'We, the undersigned, declare')
    })

    await t.test('API tokens: scopes bound what scripts may do; revoked tokens are refused', async () => {
      const read = expectStatus(await ops.post('/api/v1/tokens', valid('POST', '/api/v1/tokens', { name: 'report', scopes: ['api:read'] })), 201).body
      assert.equal(read.expires_at, null)
      assert.equal(read.document_pattern, '*')
      const script = new Agent(server, { token: read.secret })
      const me = expectStatus(await script.get('/api/v1/session'), 200).body
      assert.deepEqual({ token_id: me.token_id, csrf: me.csrf_token, secretariat: me.instance_secretariat }, { token_id: read.id, csrf: null, secretariat: true })
      expectStatus(await script.get('/api/v1/organizations'), 200)
      expectStatus(await script.get('/api/v1/audit?limit=1'), 200)
      // Looking at what the secretariat manages needs only api:read; changing it needs api:write.
      expectStatus(await script.get('/api/v1/users'), 200)
      expectStatus(await script.get('/api/v1/invitations'), 200)
      expectStatus(await script.post('/api/v1/organizations', { name: 'Scripted', short_name: 'SCR' }), 403, 'insufficient-scope')
      expectStatus(await script.delete(`/api/v1/tokens/${read.id}`), 403, 'insufficient-scope')
      const write = expectStatus(await ops.post('/api/v1/tokens', { name: 'admin', scopes: ['api:read', 'api:write'], expires_in_days: 1 }), 201).body
      const admin = new Agent(server, { token: write.secret })
      expectStatus(await admin.delete('/api/v1/session'), 409, 'conflict')
      expectStatus(await admin.post('/api/v1/tokens', { name: 'child', scopes: ['api:read'] }), 403, 'forbidden')
      expectStatus(await admin.post('/api/v1/users/me/password', { current_password: OPS.password, new_password: 'another long password' }), 403, 'forbidden')
      // A token may send an Origin, but only an allowed one.
      expectStatus(await admin.post('/api/v1/organizations', { name: 'Scripted', short_name: 'SCR' }, { origin: 'https://evil.example' }), 403, 'origin-not-allowed')
      const scr = expectStatus(await admin.post('/api/v1/organizations', { name: 'Scripted', short_name: 'SCR' }), 201).body
      ctx.scr = scr.id
      const mine = expectStatus(await ops.get('/api/v1/tokens'), 200).body.items
      assert.deepEqual(mine.map(x => x.name).sort(), ['admin', 'report'])
      assert.ok(mine.find(x => x.name === 'report').last_used_at, 'last_used_at is recorded')
      // Others' tokens are not revealed; the secretariat may revoke any.
      const deleTokens = expectStatus(await dele.get('/api/v1/tokens'), 200).body.items
      expectStatus(await dele.delete(`/api/v1/tokens/${read.id}`), 404, 'not-found')
      expectStatus(await ops.delete(`/api/v1/tokens/${read.id}`), 204)
      expectStatus(await ops.delete(`/api/v1/tokens/${read.id}`), 204)
      expectStatus(await script.get('/api/v1/session'), 401, 'unauthenticated')
      assert.ok(expectStatus(await ops.get('/api/v1/tokens'), 200).body.items.find(x => x.id === read.id).revoked_at)
      expectStatus(await ops.delete('/api/v1/tokens/99999'), 404, 'not-found')
      expectStatus(await ops.delete(`/api/v1/tokens/${write.id}`), 204)
      assert.equal(deleTokens.length, 1)
    })

    await t.test('users: reset links, disabling, changing one\'s password', async () => {
      const reset = expectStatus(await ops.post(`/api/v1/users/${ctx.obs}/password-reset`), 201).body
      assert.equal(reset.invitation.kind, 'password-reset')
      assert.equal(reset.invitation.organization_id, null)
      assert.ok(reset.link.startsWith(server.url + '/reset#'))
      expectStatus(await ops.post(`/api/v1/users/${ctx.obs}/password-reset`, {}), 201)
      expectStatus(await ops.post('/api/v1/users/99999/password-reset'), 404, 'not-found')
      const view = expectStatus(await anon.post('/api/v1/invitations/inspect', { token: linkToken(reset.link) }), 200).body
      assert.equal(view.kind, 'password-reset')
      assert.ok(!('role' in view))
      ctx.obsPassword = 'observer password two'
      const done = expectStatus(await anon.post('/api/v1/password-resets/complete', valid('POST', '/api/v1/password-resets/complete', {
        token: linkToken(reset.link), password: ctx.obsPassword
      })), 200).body
      assert.equal(done.user.id, ctx.obs)
      const asked = expectStatus(await anon.post('/api/v1/password-resets', valid('POST', '/api/v1/password-resets', { email: 'obs@abc.example.org' })), 202).body
      assert.equal(asked.accepted, true)
      // An unknown address gets the same answer.
      assert.deepEqual(expectStatus(await anon.post('/api/v1/password-resets', { email: 'nobody@example.org' }), 202).body, asked)

      const disabled = expectStatus(await ops.patch(`/api/v1/users/${ctx.obs}`, valid('PATCH', '/api/v1/users/1', { disabled: true })), 200).body
      assert.equal(disabled.disabled, true)
      expectStatus(await obs.get('/api/v1/session'), 401, 'unauthenticated')
      expectStatus(await new Agent(server).post('/api/v1/session', { email: 'obs@abc.example.org', password: ctx.obsPassword }), 401, 'invalid-credentials')
      expectStatus(await ops.patch(`/api/v1/users/${ctx.obs}`, { disabled: false, language: 'fr' }), 200)
      expectStatus(await ops.patch(`/api/v1/users/${ids.userId}`, { disabled: true }), 409, 'conflict')
      expectStatus(await ops.patch('/api/v1/users/99999', { language: 'fr' }), 404, 'not-found')

      expectStatus(await dele.post('/api/v1/users/me/password', { current_password: 'not my password', new_password: 'delegate password two' }), 422, 'validation-failed')
      expectStatus(await dele.post('/api/v1/users/me/password', valid('POST', '/api/v1/users/me/password', {
        current_password: ctx.delePassword, new_password: 'delegate password two'
      })), 204)
    })

    await t.test('invitations can be withdrawn; memberships and participants removed', async () => {
      const inv = expectStatus(await ops.post('/api/v1/invitations', { email: 'late@abc.example.org', organization_id: ctx.abc, role: 'delegate' }), 201).body
      expectStatus(await ops.delete(`/api/v1/invitations/${inv.invitation.id}`), 204)
      expectStatus(await ops.delete(`/api/v1/invitations/${inv.invitation.id}`), 204)
      expectStatus(await ops.delete('/api/v1/invitations/99999'), 404, 'not-found')
      expectStatus(await anon.post('/api/v1/invitations/inspect', { token: linkToken(inv.link) }), 410, 'link-revoked')
      expectStatus(await anon.post('/api/v1/invitations/accept', { token: 'not-a-token', password: 'a long enough password' }), 404, 'link-unknown')
      expectStatus(await ops.delete(`/api/v1/invitations/${ctx.usedInvitation}`), 409, 'conflict')

      expectStatus(await ops.delete(`/api/v1/memberships/${ctx.signatoryMembership}`), 204)
      expectStatus(await ops.delete(`/api/v1/memberships/${ctx.signatoryMembership}`), 404, 'not-found')
      const opsMembership = expectStatus(await ops.get('/api/v1/users/me'), 200).body.memberships[0].id
      expectStatus(await ops.delete(`/api/v1/memberships/${opsMembership}`), 409, 'conflict')

      expectStatus(await ops.delete(`/api/v1/statements/climate-2027/participants/${ctx.abc}`), 204)
      expectStatus(await ops.delete(`/api/v1/statements/climate-2027/participants/${ctx.abc}`), 404, 'not-found')
      const detail = expectStatus(await ops.get('/api/v1/statements/climate-2027'), 200).body
      assert.deepEqual(detail.participants.map(p => p.organization_id), [ctx.cut])
      await obs.signIn('obs@abc.example.org', ctx.obsPassword)
      expectStatus(await obs.get('/api/v1/statements/climate-2027'), 403, 'forbidden')
      assert.deepEqual(expectStatus(await obs.get('/api/v1/statements'), 200).body.items, [])
    })

    await t.test('sessions: list, end another, the audit log, sign out', async () => {
      const other = new Agent(server)
      const otherMe = await other.signIn(OPS.email, OPS.password)
      const sessions = expectStatus(await ops.get('/api/v1/sessions'), 200).body.items
      assert.equal(sessions.length, 2)
      assert.equal(sessions.filter(s => s.current).length, 1)
      assert.ok(sessions.find(s => s.id === otherMe.session_id && !s.current))
      expectStatus(await ops.delete(`/api/v1/sessions/${otherMe.session_id}`), 204)
      expectStatus(await ops.delete('/api/v1/sessions/99999'), 404, 'not-found')
      expectStatus(await other.get('/api/v1/session'), 401, 'unauthenticated')
      expectStatus(await ops.delete(`/api/v1/sessions/${(await dele.get('/api/v1/session')).body.session_id}`), 404, 'not-found')

      const page = expectStatus(await ops.get('/api/v1/audit?limit=500'), 200).body
      assert.equal(page.next_before, null)
      const kinds = new Set(page.items.map(e => e.kind))
      for (const k of ['login', 'invitation', 'invitation-accepted', 'role-change', 'token-created', 'token-revoked',
        'organization-created', 'statement-created', 'phase-change', 'participant-change', 'permission-denied',
        'password-reset', 'password-changed', 'user-disabled', 'invitation-revoked', 'logout']) {
        assert.ok(kinds.has(k), `audit has ${k} (has ${[...kinds].join(', ')})`)
      }
      const eventIds = page.items.map(e => e.id)
      assert.deepEqual(eventIds, [...eventIds].sort((a, b) => b - a), 'newest first')
      const roleChange = page.items.find(e => e.kind === 'role-change')
      assert.equal(roleChange.actor_user_id, ids.userId)
      assert.equal(roleChange.subject, `user:${ctx.dele}`)
      assert.equal(roleChange.detail.role, 'signatory')
      const first = expectStatus(await ops.get('/api/v1/audit?limit=2'), 200).body
      assert.equal(first.items.length, 2)
      assert.equal(first.next_before, first.items[1].id)
      const second = expectStatus(await ops.get(`/api/v1/audit?limit=2&before=${first.next_before}`), 200).body
      assert.ok(second.items.every(e => e.id < first.next_before))
      expectStatus(await ops.get('/api/v1/audit?limit=0'), 422, 'validation-failed')
      expectStatus(await ops.get('/api/v1/audit?before=x'), 422, 'validation-failed')
      expectStatus(await ops.get('/api/v1/audit?page=2'), 400, 'unknown-field')

      // Unknown paths and methods.
      expectStatus(await ops.get('/api/v1/nothing-here'), 404, 'not-found')
      expectStatus(await ops.get('/api/v1/users/'), 404, 'not-found')
      const wrong = expectStatus(await ops.req('PUT', '/api/v1/users'), 405, 'method-not-allowed')
      assert.equal(wrong.headers.get('allow'), 'GET')

      const cookie = ops.cookie
      const out = expectStatus(await ops.delete('/api/v1/session'), 204)
      assert.match(out.headers.getSetCookie()[0], /^accord_session=; .*Max-Age=0/)
      assert.equal(ops.cookie, null)
      expectStatus(await ops.get('/api/v1/session', { cookie }), 401, 'unauthenticated')
    })
  } finally {
    for (const c of cleanups) c()
    await server.stop()
  }
})
