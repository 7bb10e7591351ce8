// Who may open and write the live draft of a statement over WebSocket, with real y-websocket
// clients (auth/POLICY.md, server/src/document_access.h). The instance: host organization SEC
// with its secretariat; A takes part in statement "declaration" with edit/amend/sign, B takes
// part with the defaults, D does not. Delegates of participants co-edit; observers and
// signatories read live but their updates are answered with permission-denied (and a reason)
// and never stored; non-participants are refused at the upgrade; a phase change closes the
// statement's sockets with 4003 and clients come back under the new rights; token patterns and
// scopes cut rights; browser sessions work by cookie, from allowed Origins only; documents
// outside statements are the instance secretariat's; revoked tokens and ended sessions lose
// their open sockets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { startAccordd } from '../lib/accordd.mjs'
import {
  exportDoc, docFromUpdate, provider, waitFor, sameState, rawClient, syncUpdate, upgradeStatus,
  wsBase, MSG_AUTH
} from '../lib/yclient.mjs'
import { addOrg, addUser, api, PASSWORD, SECRETARIAT_EMAIL, setupInstance, signIn, token } from '../lib/accounts.mjs'

const DRAFT = 'statement.declaration'
const STATEMENT = '"declaration"'
const DELEGATE_A = 'delegate-a@example.org'
const OBSERVER_A = 'observer-a@example.org'
const SIGNATORY_A = 'signatory-a@example.org'
const DELEGATE_B = 'delegate-b@example.org'
const DELEGATE_D = 'delegate-d@example.org'
const DOCS_RW = 'documents:read,documents:write'

// A running accordd with the organizations, people and statement described above; `tokens`
// holds a documents:read,documents:write token for each person (and the secretariat).
async function instance () {
  const server = await startAccordd()
  try {
    const dir = server.dataDir
    setupInstance(dir)
    const orgs = { A: addOrg(dir, 'A'), B: addOrg(dir, 'B'), D: addOrg(dir, 'D') }
    addUser(dir, DELEGATE_A, { org: 'A', role: 'delegate', password: PASSWORD })
    addUser(dir, OBSERVER_A, { org: 'A', role: 'observer' })
    addUser(dir, SIGNATORY_A, { org: 'A', role: 'signatory' })
    addUser(dir, DELEGATE_B, { org: 'B', role: 'delegate' })
    addUser(dir, DELEGATE_D, { org: 'D', role: 'delegate' })
    const sec = await signIn(server, SECRETARIAT_EMAIL)
    const created = await api(server, sec, 'POST', '/api/v1/statements', { slug: 'declaration', title: 'Joint declaration' })
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.equal(created.body.document, DRAFT)
    let r = await api(server, sec, 'PUT', `/api/v1/statements/declaration/participants/${orgs.A}`,
      { edit: true, amend: true, sign: true })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    r = await api(server, sec, 'PUT', `/api/v1/statements/declaration/participants/${orgs.B}`, {})
    assert.equal(r.status, 200, JSON.stringify(r.body))
    const tokens = {}
    for (const email of [SECRETARIAT_EMAIL, DELEGATE_A, OBSERVER_A, SIGNATORY_A, DELEGATE_B, DELEGATE_D]) {
      tokens[email] = token(dir, email, DOCS_RW)
    }
    return { server, dir, sec, orgs, tokens }
  } catch (e) {
    await server.stop()
    throw e
  }
}

// A stock provider that also records the permission-denied reasons it is sent (y-websocket
// only logs them) and the close events of its connections.
function client (server, name, opts) {
  const c = provider(server, name, opts)
  return watch(c)
}
function watch (c) {
  c.denied = []
  c.closes = []
  c.provider.messageHandlers[MSG_AUTH] = (encoder, decoder) => {
    if (decoding.readVarUint(decoder) === 0) c.denied.push(decoding.readVarString(decoder))
  }
  c.provider.on('connection-close', event => { if (event) c.closes.push({ code: event.code, reason: event.reason }) })
  return c
}

// A stock provider whose WebSocket sends `headers` (a browser's Cookie and Origin).
function headerClient (server, name, headers) {
  class HeaderWebSocket extends WebSocket {
    constructor (url, protocols) { super(url, protocols, { headers }) }
  }
  const doc = new Y.Doc()
  const p = new WebsocketProvider(wsBase(server), name, doc, {
    WebSocketPolyfill: HeaderWebSocket, disableBc: true, maxBackoffTime: 200
  })
  const synced = new Promise(resolve => p.on('sync', s => { if (s) resolve() }))
  return watch({ doc, provider: p, synced, destroy: () => { p.destroy(); doc.destroy() } })
}

// A raw update inserting `text` at the start of Y.Text 't', and the client id that made it.
function textUpdate (text) {
  const d = new Y.Doc()
  let update
  d.on('update', u => { update = u })
  d.getText('t').insert(0, text)
  return { update, clientID: d.clientID }
}

function stored (dir, name = DRAFT) {
  return docFromUpdate(exportDoc(dir, name))
}

function storedClients (dir, name = DRAFT) {
  return [...Y.decodeStateVector(Y.encodeStateVector(stored(dir, name))).keys()]
}

// The refused upgrade's status and problem+json body.
function refusal (server, pathAndQuery, headers = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsBase(server).replace(/\/ws$/, '') + pathAndQuery, { headers })
    ws.on('unexpected-response', (req, res) => {
      let body = ''
      res.on('data', d => { body += d })
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }))
    })
    ws.on('open', () => { ws.close(); reject(new Error(`${pathAndQuery} was not refused`)) })
    ws.on('error', () => {})
  })
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

test('delegates of participants co-edit the draft with real clients; both see each other and storage holds it', async () => {
  const { server, dir, tokens } = await instance()
  const a = client(server, DRAFT, { token: tokens[DELEGATE_A] })
  const b = client(server, DRAFT, { token: tokens[DELEGATE_B] })
  try {
    await Promise.all([a.synced, b.synced])
    a.doc.getText('t').insert(0, 'We, the undersigned, ')
    await waitFor(() => b.doc.getText('t').toString() === 'We, the undersigned, ', { what: 'B to see A\'s text' })
    b.doc.getText('t').insert(b.doc.getText('t').length, 'demand peace.')
    a.doc.getMap('meta').set('lang', 'en')
    await waitFor(() => sameState(a.doc, b.doc), { what: 'A and B to converge' })
    assert.equal(a.doc.getText('t').toString(), 'We, the undersigned, demand peace.')
    assert.equal(b.doc.getMap('meta').get('lang'), 'en')
    await waitFor(() => sameState(stored(dir), a.doc), { what: 'storage to hold both delegates\' edits' })
    assert.equal(stored(dir).getText('t').toString(), 'We, the undersigned, demand peace.')
    assert.deepEqual(a.denied, [])
    assert.deepEqual(b.denied, [])
  } finally {
    a.destroy(); b.destroy()
    await server.stop()
  }
})

test('an observer and a signatory read the draft live; their updates are refused with the reason and leave no trace', async () => {
  const { server, dir, tokens } = await instance()
  const delegate = client(server, DRAFT, { token: tokens[DELEGATE_A] })
  const observer = client(server, DRAFT, { token: tokens[OBSERVER_A] })
  const signatory = client(server, DRAFT, { token: tokens[SIGNATORY_A] })
  try {
    await Promise.all([delegate.synced, observer.synced, signatory.synced])
    delegate.doc.getText('t').insert(0, 'first draft')
    await waitFor(() => observer.doc.getText('t').toString() === 'first draft' &&
      signatory.doc.getText('t').toString() === 'first draft', { what: 'readers to see the draft' })

    observer.doc.getText('t').insert(0, 'OBSERVER ')
    signatory.doc.getText('t').insert(0, 'SIGNATORY ')
    await waitFor(() => observer.denied.length > 0 && signatory.denied.length > 0, { what: 'permission-denied' })
    const why = new RegExp(`only delegates of organizations taking part in statement ${STATEMENT} may edit its draft`)
    assert.match(observer.denied[0], why)
    assert.match(signatory.denied[0], why)

    // A raw client of the observer gets the same answer to a hand-made update, and stays open.
    const raw = await rawClient(server, DRAFT, { token: tokens[OBSERVER_A] })
    const evil = textUpdate('RAW ')
    raw.send(syncUpdate(evil.update))
    const denied = await raw.next(m => m.type === MSG_AUTH)
    assert.equal(denied.sub, 0)
    assert.match(denied.reason, why)

    // The delegate goes on editing; the readers follow; nothing of theirs gets anywhere.
    delegate.doc.getText('t').insert(delegate.doc.getText('t').length, ', revised')
    await waitFor(() => observer.doc.getText('t').toString().endsWith('first draft, revised'), { what: 'observer to follow' })
    await waitFor(() => sameState(stored(dir), delegate.doc), { what: 'storage to hold the delegate\'s edits' })
    await sleep(200)
    assert.equal(delegate.doc.getText('t').toString(), 'first draft, revised')
    const saved = stored(dir)
    assert.equal(saved.getText('t').toString(), 'first draft, revised')
    const writers = storedClients(dir)
    for (const id of [observer.doc.clientID, signatory.doc.clientID, evil.clientID]) {
      assert.ok(!writers.includes(id), `the stored draft has an item of the refused client ${id}`)
    }
    assert.deepEqual(writers, [delegate.doc.clientID])
    assert.equal(raw.closeInfo, null, 'a refused update does not close the socket')
    raw.close()
  } finally {
    delegate.destroy(); observer.destroy(); signatory.destroy()
    await server.stop()
  }
})

test('a delegate of an organization not taking part, or of no statement at all, is refused at the upgrade', async () => {
  const { server, tokens } = await instance()
  try {
    const d = await refusal(server, `/ws/${DRAFT}?token=${tokens[DELEGATE_D]}`)
    assert.equal(d.status, 403)
    assert.equal(d.body.type, '/problems/forbidden')
    assert.match(d.body.detail, new RegExp(`not a member of an organization taking part in statement ${STATEMENT}`))
    const none = await refusal(server, `/ws/statement.nope?token=${tokens[DELEGATE_A]}`)
    assert.equal(none.status, 403)
    assert.match(none.body.detail, /there is no statement 'nope'/)
    // The participants themselves get in.
    for (const email of [DELEGATE_A, OBSERVER_A, SIGNATORY_A, DELEGATE_B, SECRETARIAT_EMAIL]) {
      assert.equal(await upgradeStatus(server, `/ws/${DRAFT}?token=${tokens[email]}`), 101, email)
    }
    // The refusal is in the audit log.
    const sec = await signIn(server, SECRETARIAT_EMAIL)
    const audit = await api(server, sec, 'GET', '/api/v1/audit?limit=100')
    assert.equal(audit.status, 200, JSON.stringify(audit.body))
    const denials = JSON.stringify(audit.body).match(/permission-denied/g) || []
    assert.ok(denials.length >= 2, 'refused opens are audited')
  } finally {
    await server.stop()
  }
})

test('a phase change closes the statement\'s sockets with 4003; clients reconnect under the new rights', async () => {
  const { server, dir, sec, orgs, tokens } = await instance()
  const delegate = client(server, DRAFT, { token: tokens[DELEGATE_A] })
  const other = client(server, DRAFT, { token: tokens[DELEGATE_B] })
  const observer = client(server, DRAFT, { token: tokens[OBSERVER_A] })
  const scratch = client(server, 'scratch', { token: tokens[SECRETARIAT_EMAIL] })
  try {
    await Promise.all([delegate.synced, other.synced, observer.synced, scratch.synced])
    delegate.doc.getText('t').insert(0, 'agreed text')
    await waitFor(() => sameState(stored(dir), delegate.doc) && sameState(other.doc, delegate.doc), { what: 'draft stored' })

    const patched = await api(server, sec, 'PATCH', '/api/v1/statements/declaration', { phase: 'amendments' })
    assert.equal(patched.status, 200, JSON.stringify(patched.body))
    assert.equal(patched.body.phase, 'amendments')
    for (const c of [delegate, other, observer]) {
      await waitFor(() => c.closes.length > 0, { what: 'the statement\'s sockets to close' })
      assert.equal(c.closes[0].code, 4003)
      assert.match(c.closes[0].reason, /rights .* changed/)
    }
    // y-websocket reconnects by itself (4003 is not in its 44xx "give up" range).
    await waitFor(() => delegate.provider.synced && other.provider.synced, { what: 'clients to reconnect and sync' })
    assert.deepEqual(scratch.closes, [], 'sockets of other documents stay open')

    delegate.doc.getText('t').insert(0, 'LATE ')
    await waitFor(() => delegate.denied.length > 0, { what: 'the frozen draft to refuse the delegate' })
    assert.match(delegate.denied[0], /the draft is frozen in the amendments phase/)
    // The raw check: a fresh connection of the delegate is read-only too.
    const raw = await rawClient(server, DRAFT, { token: tokens[DELEGATE_A] })
    raw.send(syncUpdate(textUpdate('RAW ').update))
    assert.match((await raw.next(m => m.type === MSG_AUTH)).reason, /frozen in the amendments phase/)
    raw.close()
    await sleep(200)
    assert.equal(other.doc.getText('t').toString(), 'agreed text', 'refused edits reach nobody')
    assert.equal(stored(dir).getText('t').toString(), 'agreed text', 'refused edits are not stored')

    // Consolidation: the secretariat edits, delegates still read only.
    const closedBefore = delegate.closes.length
    const consolidation = await api(server, sec, 'PATCH', '/api/v1/statements/declaration', { phase: 'consolidation' })
    assert.equal(consolidation.status, 200, JSON.stringify(consolidation.body))
    await waitFor(() => delegate.closes.length > closedBefore && delegate.provider.synced, { what: 'reconnect after consolidation' })
    const secretariat = client(server, DRAFT, { token: tokens[SECRETARIAT_EMAIL] })
    try {
      await secretariat.synced
      secretariat.doc.getText('t').insert(secretariat.doc.getText('t').length, ' (consolidated)')
      await waitFor(() => other.doc.getText('t').toString().endsWith('agreed text (consolidated)'), { what: 'secretariat edit to spread' })
      const deniedBefore = other.denied.length
      other.doc.getText('t').insert(0, 'B: ')
      await waitFor(() => other.denied.length > deniedBefore, { what: 'delegate refused in consolidation' })
      assert.match(other.denied.at(-1), /in the consolidation phase only the statement's secretariat edits/)
      await waitFor(() => sameState(stored(dir), secretariat.doc), { what: 'secretariat edit stored' })
      assert.equal(stored(dir).getText('t').toString(), 'agreed text (consolidated)')
    } finally {
      secretariat.destroy()
    }

    // Taking B's edit right away (back in drafting) also closes the sockets; B then reads only.
    const beforeDrafting = other.closes.length
    await api(server, sec, 'PATCH', '/api/v1/statements/declaration', { phase: 'drafting' })
    await waitFor(() => other.closes.length > beforeDrafting && other.provider.synced, { what: 'B to reconnect' })
    const bClosed = other.closes.length
    const put = await api(server, sec, 'PUT', `/api/v1/statements/declaration/participants/${orgs.B}`, { edit: false })
    assert.equal(put.status, 200, JSON.stringify(put.body))
    await waitFor(() => other.closes.length > bClosed && other.provider.synced, { what: 'B to be closed and reconnect' })
    assert.equal(other.closes.at(-1).code, 4003)
    const bDenied = other.denied.length
    other.doc.getText('t').insert(0, 'B again: ')
    await waitFor(() => other.denied.length > bDenied, { what: 'B refused without the edit right' })
    assert.match(other.denied.at(-1), /takes part in statement "declaration" without the right to edit the draft/)
  } finally {
    delegate.destroy(); other.destroy(); observer.destroy(); scratch.destroy()
    await server.stop()
  }
})

test('a token\'s document pattern and scopes bound what its owner may do', async () => {
  const { server, dir, tokens } = await instance()
  try {
    const elsewhere = token(dir, DELEGATE_A, DOCS_RW, 'other-*')
    const refused = await refusal(server, `/ws/${DRAFT}?token=${elsewhere}`)
    assert.equal(refused.status, 403)
    assert.match(refused.body.detail, /the API token does not cover the document 'statement\.declaration'/)
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}`, { Authorization: 'Bearer ' + elsewhere }), 403)
    // A pattern that covers it works; a token for the API only opens no document.
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}?token=${token(dir, DELEGATE_A, DOCS_RW, 'statement.*')}`), 101)
    const apiOnly = await refusal(server, `/ws/${DRAFT}?token=${token(dir, DELEGATE_A, 'api:read,api:write')}`)
    assert.equal(apiOnly.status, 403)
    assert.match(apiOnly.body.detail, /lacks the documents:read scope/)

    // documents:read only: the delegate reads, and is told why it may not write.
    const readOnly = token(dir, DELEGATE_A, 'documents:read', DRAFT)
    const raw = await rawClient(server, DRAFT, { token: readOnly })
    raw.send(syncUpdate(textUpdate('nope').update))
    assert.match((await raw.next(m => m.type === MSG_AUTH)).reason, /the API token lacks the documents:write scope/)
    raw.close()
    // The full token of the same delegate writes.
    const writer = client(server, DRAFT, { token: tokens[DELEGATE_A] })
    try {
      await writer.synced
      writer.doc.getText('t').insert(0, 'ok')
      await waitFor(() => sameState(stored(dir), writer.doc), { what: 'write stored' })
      assert.equal(stored(dir).getText('t').toString(), 'ok')
    } finally {
      writer.destroy()
    }
  } finally {
    await server.stop()
  }
})

test('a signed-in browser session opens the draft with its cookie; foreign Origins are refused', async () => {
  const { server, dir, tokens } = await instance()
  const session = await signIn(server, DELEGATE_A, PASSWORD)
  const browser = { Cookie: session.cookie, Origin: server.url }
  const c = headerClient(server, DRAFT, browser)
  try {
    await c.synced
    c.doc.getText('t').insert(0, 'typed in a browser')
    await waitFor(() => sameState(stored(dir), c.doc), { what: 'the cookie client\'s edit to be stored' })
    assert.equal(stored(dir).getText('t').toString(), 'typed in a browser')
    assert.deepEqual(c.denied, [])

    // Cross-site WebSocket hijacking: another site's page carrying the cookie is refused.
    const foreign = await refusal(server, `/ws/${DRAFT}`, { Cookie: session.cookie, Origin: 'http://evil.example' })
    assert.equal(foreign.status, 403)
    assert.equal(foreign.body.type, '/problems/origin-not-allowed')
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}`, { Cookie: session.cookie, Origin: 'http://127.0.0.1:1' }), 403)
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}?token=${tokens[DELEGATE_A]}`, { Origin: 'http://evil.example' }), 403)
    // A non-browser client sends no Origin.
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}`, { Cookie: session.cookie }), 101)
    // A made-up session cookie is not a session.
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}`,
      { Cookie: session.cookie.replace(/=.*/, '=acs_' + 'x'.repeat(43)), Origin: server.url }), 401)

    // After signing out, the cookie opens nothing.
    const out = await api(server, session, 'DELETE', '/api/v1/session')
    assert.ok(out.status === 200 || out.status === 204, JSON.stringify(out.body))
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}`, browser), 401)
  } finally {
    c.destroy()
    await server.stop()
  }
})

test('documents outside statements are the instance secretariat\'s; a statement\'s other documents are read-only', async () => {
  const { server, dir, tokens } = await instance()
  const sec = client(server, 'scratch', { token: tokens[SECRETARIAT_EMAIL] })
  try {
    const refused = await refusal(server, `/ws/scratch?token=${tokens[DELEGATE_A]}`)
    assert.equal(refused.status, 403)
    assert.match(refused.body.detail, /only the instance secretariat may open documents that belong to no statement/)
    assert.equal(await upgradeStatus(server, `/ws/scratch?token=${tokens[OBSERVER_A]}`), 403)

    await sec.synced
    sec.doc.getText('t').insert(0, 'notes')
    await waitFor(() => sameState(stored(dir, 'scratch'), sec.doc), { what: 'secretariat scratch stored' })
    assert.equal(stored(dir, 'scratch').getText('t').toString(), 'notes')

    // statement.declaration.<x> belongs to the statement: readable by participants, written by nobody yet.
    const raw = await rawClient(server, `${DRAFT}.v1`, { token: tokens[DELEGATE_A] })
    raw.send(syncUpdate(textUpdate('v1').update))
    assert.match((await raw.next(m => m.type === MSG_AUTH)).reason, /this document of the statement is read-only/)
    raw.close()
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}.v1?token=${tokens[DELEGATE_D]}`), 403)
  } finally {
    sec.destroy()
    await server.stop()
  }
})

test('disabling a user closes their sockets, and their token opens nothing afterwards', async () => {
  const { server, sec, tokens } = await instance()
  const observer = client(server, DRAFT, { token: tokens[OBSERVER_A] })
  try {
    await observer.synced
    const users = await api(server, sec, 'GET', '/api/v1/users')
    assert.equal(users.status, 200, JSON.stringify(users.body))
    const list = users.body.items || users.body
    const id = list.find(u => u.email === OBSERVER_A).id
    const r = await api(server, sec, 'PATCH', `/api/v1/users/${id}`, { disabled: true })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    await waitFor(() => observer.closes.length > 0, { what: 'the disabled user\'s socket to close' })
    assert.equal(observer.closes[0].code, 4003)
    observer.provider.disconnect()
    const refused = await refusal(server, `/ws/${DRAFT}?token=${tokens[OBSERVER_A]}`)
    assert.equal(refused.status, 401, JSON.stringify(refused.body))
    assert.equal(refused.body.type, '/problems/unauthenticated')
  } finally {
    observer.destroy()
    await server.stop()
  }
})

test('revoking a token or ending a session closes the sockets opened with it, and they cannot reopen', async () => {
  const { server, dir, tokens } = await instance()
  const session = await signIn(server, DELEGATE_A, PASSWORD)
  const revocable = token(dir, DELEGATE_A, DOCS_RW, DRAFT)
  const byToken = client(server, DRAFT, { token: revocable })
  const byCookie = headerClient(server, DRAFT, { Cookie: session.cookie, Origin: server.url })
  const bystander = client(server, DRAFT, { token: tokens[DELEGATE_B] })
  try {
    await Promise.all([byToken.synced, byCookie.synced, bystander.synced])
    const mine = await api(server, session, 'GET', '/api/v1/tokens')
    assert.equal(mine.status, 200, JSON.stringify(mine.body))
    const id = mine.body.items.find(t => t.document_pattern === DRAFT).id
    const revoked = await api(server, session, 'DELETE', `/api/v1/tokens/${id}`)
    assert.equal(revoked.status, 204, JSON.stringify(revoked.body))
    await waitFor(() => byToken.closes.length > 0, { what: 'the revoked token\'s socket to close' })
    assert.equal(byToken.closes[0].code, 4003)
    byToken.provider.disconnect()
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}?token=${revocable}`), 401)

    const everywhere = await api(server, session, 'DELETE', '/api/v1/sessions')
    assert.equal(everywhere.status, 200, JSON.stringify(everywhere.body))
    await waitFor(() => byCookie.closes.length > 0, { what: 'the ended session\'s socket to close' })
    assert.equal(byCookie.closes[0].code, 4003)
    byCookie.provider.disconnect()
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}`, { Cookie: session.cookie, Origin: server.url }), 401)

    // Only that user's sockets close; another user's stays open and keeps editing.
    assert.equal(bystander.closes.length, 0)
    bystander.doc.getText('t').insert(0, 'still here')
    await waitFor(() => sameState(stored(dir), bystander.doc), { what: 'the bystander\'s edit stored' })
    assert.equal(stored(dir).getText('t').toString(), 'still here')
  } finally {
    byToken.destroy(); byCookie.destroy(); bystander.destroy()
    await server.stop()
  }
})

test('a socket whose token expires is closed at its next message (4003) and cannot reopen', async () => {
  const { server, dir } = await instance()
  try {
    const shortLived = token(dir, DELEGATE_A, DOCS_RW, DRAFT, { ttl: '2s' })
    const raw = await rawClient(server, DRAFT, { token: shortLived })
    raw.send(syncUpdate(textUpdate('in time').update))
    await new Promise(resolve => setTimeout(resolve, 2600))
    raw.send(syncUpdate(textUpdate('too late').update))
    const closed = await raw.closed
    assert.equal(closed.code, 4003)
    assert.match(closed.reason, /expired/)
    assert.equal(await upgradeStatus(server, `/ws/${DRAFT}?token=${shortLived}`), 401)
    const text = stored(dir).getText('t').toString()
    assert.ok(text.includes('in time'), `the edit made in time was stored: ${JSON.stringify(text)}`)
    assert.ok(!text.includes('too late'), `the late edit was not stored: ${JSON.stringify(text)}`)
  } finally {
    await server.stop()
  }
})

test('nobody writes under another account\'s client id: the server refuses it and stores nothing', async () => {
  const { server, dir, tokens } = await instance()
  const a = client(server, DRAFT, { token: tokens[DELEGATE_A] })
  let forger
  try {
    await a.synced
    a.doc.getText('t').insert(0, 'We, the undersigned, demand peace.')
    await waitFor(() => sameState(stored(dir), a.doc), { what: 'A\'s text to be stored' })
    // B builds an update that continues A's client id: it would read as A's words.
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(a.doc))
    copy.clientID = a.doc.clientID
    let forged
    copy.on('update', u => { forged = u })
    copy.getText('t').insert(0, 'NOT ')
    forger = await rawClient(server, DRAFT, { token: tokens[DELEGATE_B] })
    forger.send(syncUpdate(forged))
    const closed = await forger.closed
    assert.equal(closed.code, 1008)
    assert.match(closed.reason, /another account/)
    await sleep(200)
    assert.equal(stored(dir).getText('t').toString(), 'We, the undersigned, demand peace.')
    // A goes on writing under its own id.
    a.doc.getText('t').insert(a.doc.getText('t').length, ' Now.')
    await waitFor(() => stored(dir).getText('t').toString().endsWith('Now.'), { what: 'A\'s next edit to be stored' })
    assert.deepEqual(a.denied, [])
  } finally {
    forger?.close()
    a.destroy()
    await server.stop()
  }
})
