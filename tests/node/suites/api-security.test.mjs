// The browser-facing defences of the REST API and the WebSocket upgrade, against a real accordd:
// session cookie attributes (plain loopback and behind https), Origin and CSRF checks with
// nothing stored when they refuse, sign-out (one session, every session) reaching both the API
// and WebSockets, the sign-in rate limit, one-time links, and the start-up refusals that keep
// cookies off plain http beyond loopback. Every API response is checked against
// proto/openapi.yaml (lib/openapi.mjs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import net from 'node:net'
import path from 'node:path'
import * as Y from 'yjs'
import { startAccordd, binary } from '../lib/accordd.mjs'
import { exportDoc, docFromUpdate, rawClient, syncUpdate, upgradeStatus, waitFor, MSG_SYNC } from '../lib/yclient.mjs'
import { Agent, expectStatus, bootstrapInstance, addMember, accord, operations, OPS } from '../lib/openapi.mjs'

function freePort () {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) })
    s.on('error', reject)
  })
}

// The attributes of a Set-Cookie value: { name, value, attrs: { path: '/', httponly: true, ... } }.
function parseSetCookie (header) {
  const [pair, ...rest] = header.split(';').map(s => s.trim())
  const eq = pair.indexOf('=')
  const attrs = {}
  for (const a of rest) {
    const i = a.indexOf('=')
    attrs[(i < 0 ? a : a.slice(0, i)).toLowerCase()] = i < 0 ? true : a.slice(i + 1)
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attrs }
}

// Sends one update inserting `text` as a raw WebSocket client.
function writeOnce (client, text) {
  const doc = new Y.Doc()
  let update
  doc.on('update', u => { update = u })
  doc.getText('t').insert(0, text)
  client.send(syncUpdate(update))
}

test('plain http on loopback: the cookie is accord_session; Path=/; HttpOnly; SameSite=Lax, without Secure', async () => {
  const server = await startAccordd()
  try {
    bootstrapInstance(server.dataDir)
    const browser = new Agent(server)
    const res = expectStatus(await browser.post('/api/v1/session', { email: OPS.email, password: OPS.password }), 201)
    const cookies = res.headers.getSetCookie()
    assert.equal(cookies.length, 1)
    const c = parseSetCookie(cookies[0])
    assert.equal(c.name, 'accord_session')
    assert.match(c.value, /^acs_[A-Za-z0-9_-]{43}$/)
    assert.equal(c.attrs.path, '/')
    assert.equal(c.attrs.httponly, true)
    assert.equal(c.attrs.samesite, 'Lax')
    assert.equal(c.attrs['max-age'], String(14 * 24 * 3600))
    assert.equal(c.attrs.secure, undefined)
    assert.equal(c.attrs.domain, undefined)
    assert.equal(res.body.csrf_token, (await browser.get('/api/v1/session')).body.csrf_token)
    // The secure name is not this instance's cookie.
    expectStatus(await browser.get('/api/v1/session', { cookie: `__Host-accord_session=${c.value}` }), 401, 'unauthenticated')
    // A stale cookie is refused by the API, and cleared...
    const staleCookie = 'accord_session=acs_' + 'x'.repeat(43)
    const refused = expectStatus(await browser.get('/api/v1/users/me', { cookie: staleCookie }), 401, 'unauthenticated')
    assert.match(refused.headers.getSetCookie()[0], /^accord_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/)
    // ...but does not stand in the way of signing in (public routes ignore it).
    expectStatus(await new Agent(server).post('/api/v1/session', { email: OPS.email, password: OPS.password }, { cookie: staleCookie }), 201)
    // Signing in again ends the session the browser held (no session fixation); the sign-in
    // form has no CSRF token and needs none.
    const held = browser.cookie
    expectStatus(await browser.post('/api/v1/session', { email: OPS.email, password: OPS.password }, { csrf: null }), 201)
    assert.notEqual(browser.cookie, held)
    expectStatus(await browser.get('/api/v1/session', { cookie: held }), 401, 'unauthenticated')
  } finally {
    await server.stop()
  }
})

test('behind https (--public-url https://accord.test): __Host-accord_session; Secure, and only allowed Origins', async () => {
  const server = await startAccordd({ args: ['--public-url', 'https://accord.test', '--allowed-origin', 'https://editor.accord.test'] })
  try {
    bootstrapInstance(server.dataDir)
    // The listen address is not an allowed origin any more.
    const local = new Agent(server, { cookieName: '__Host-accord_session' })
    expectStatus(await local.post('/api/v1/session', { email: OPS.email, password: OPS.password }), 403, 'origin-not-allowed')
    assert.equal(local.cookie, null)

    const browser = new Agent(server, { origin: 'https://accord.test', cookieName: '__Host-accord_session' })
    const res = expectStatus(await browser.post('/api/v1/session', { email: OPS.email, password: OPS.password }), 201)
    const c = parseSetCookie(res.headers.getSetCookie()[0])
    assert.equal(c.name, '__Host-accord_session')
    assert.equal(c.attrs.secure, true)
    assert.equal(c.attrs.path, '/')
    assert.equal(c.attrs.httponly, true)
    assert.equal(c.attrs.samesite, 'Lax')
    assert.equal(c.attrs.domain, undefined)
    browser.csrf = expectStatus(await browser.get('/api/v1/session'), 200).body.csrf_token
    expectStatus(await browser.get('/api/v1/session', { cookie: `accord_session=${c.value}` }), 401, 'unauthenticated')

    // State changes need one of the allowed origins.
    expectStatus(await browser.post('/api/v1/organizations', { name: 'Local', short_name: 'LOC' }, { origin: server.url }), 403, 'origin-not-allowed')
    expectStatus(await browser.post('/api/v1/organizations', { name: 'Http', short_name: 'HTP' }, { origin: 'http://accord.test' }), 403, 'origin-not-allowed')
    expectStatus(await browser.post('/api/v1/organizations', { name: 'Main', short_name: 'MAI' }), 201)
    expectStatus(await browser.post('/api/v1/organizations', { name: 'Editor', short_name: 'EDI' }, { origin: 'https://editor.accord.test' }), 201)
    expectStatus(await browser.post('/api/v1/organizations', { name: 'Default port', short_name: 'DEF' }, { origin: 'https://accord.test:443' }), 201)
    const names = expectStatus(await browser.get('/api/v1/organizations'), 200).body.items.map(o => o.short_name).sort()
    assert.deepEqual(names, ['DEF', 'EDI', 'MAI', 'SEC'])

    // Links are built on the public URL.
    const inv = expectStatus(await browser.post('/api/v1/invitations', { email: 'x@example.org', organization_id: 1, role: 'observer' }), 201).body
    assert.ok(inv.link.startsWith('https://accord.test/invite#'), inv.link)

    // WebSockets: the cookie works from an allowed origin only.
    const cookieHeaders = { Cookie: browser.cookie }
    assert.equal(await upgradeStatus(server, '/ws/scratch', { ...cookieHeaders, Origin: 'https://accord.test' }), 101)
    assert.equal(await upgradeStatus(server, '/ws/scratch', { ...cookieHeaders, Origin: server.url }), 403)

    const out = expectStatus(await browser.delete('/api/v1/session'), 204)
    assert.match(out.headers.getSetCookie()[0], /^__Host-accord_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0; Secure$/)
  } finally {
    await server.stop()
  }
})

test('CSRF: without X-CSRF-Token, with a wrong one, from a foreign or no Origin: 403, and nothing is stored', async () => {
  const server = await startAccordd()
  try {
    bootstrapInstance(server.dataDir)
    const ops = new Agent(server)
    await ops.signIn(OPS.email, OPS.password)
    const other = new Agent(server)
    await other.signIn(OPS.email, OPS.password)
    const before = {
      orgs: expectStatus(await ops.get('/api/v1/organizations'), 200).body,
      me: expectStatus(await ops.get('/api/v1/users/me'), 200).body,
      sessions: expectStatus(await ops.get('/api/v1/sessions'), 200).body.items.length,
      tokens: expectStatus(await ops.get('/api/v1/tokens'), 200).body
    }
    const attempts = [
      ['POST', '/api/v1/organizations', { name: 'Forged', short_name: 'FRG' }],
      ['PATCH', '/api/v1/users/me', { display_name: 'Forged' }],
      ['POST', '/api/v1/tokens', { name: 'forged', scopes: ['api:read', 'api:write'] }],
      ['DELETE', '/api/v1/session', undefined],
      ['DELETE', '/api/v1/sessions', undefined]
    ]
    for (const [method, p, json] of attempts) {
      const body = json === undefined ? {} : { json }
      expectStatus(await ops.req(method, p, { ...body, csrf: null }), 403, 'csrf-failed')
      expectStatus(await ops.req(method, p, { ...body, csrf: 'A'.repeat(43) }), 403, 'csrf-failed')
      expectStatus(await ops.req(method, p, { ...body, csrf: other.csrf }), 403, 'csrf-failed')
      expectStatus(await ops.req(method, p, { ...body, origin: 'https://evil.example' }), 403, 'origin-not-allowed')
      expectStatus(await ops.req(method, p, { ...body, origin: 'null' }), 403, 'origin-not-allowed')
      expectStatus(await ops.req(method, p, { ...body, origin: null }), 403, 'origin-not-allowed')
      expectStatus(await ops.req(method, p, { ...body, origin: server.url.replace('127.0.0.1', 'localhost') }), 403, 'origin-not-allowed')
    }
    // Public routes need an allowed Origin too (a login form on another site must not sign in).
    const anon = new Agent(server)
    expectStatus(await anon.post('/api/v1/session', { email: OPS.email, password: OPS.password }, { origin: 'https://evil.example' }), 403, 'origin-not-allowed')
    expectStatus(await anon.post('/api/v1/session', { email: OPS.email, password: OPS.password }, { origin: null }), 403, 'origin-not-allowed')
    assert.equal(anon.cookie, null)

    assert.deepEqual(expectStatus(await ops.get('/api/v1/organizations'), 200).body, before.orgs)
    assert.deepEqual(expectStatus(await ops.get('/api/v1/users/me'), 200).body, before.me)
    assert.equal(expectStatus(await ops.get('/api/v1/sessions'), 200).body.items.length, before.sessions)
    assert.deepEqual(expectStatus(await ops.get('/api/v1/tokens'), 200).body, before.tokens)
    const audit = expectStatus(await ops.get('/api/v1/audit?limit=500'), 200).body.items
    const rejected = audit.filter(e => e.kind === 'request-rejected')
    assert.equal(rejected.filter(e => e.subject === 'csrf').length, attempts.length * 3)
    assert.equal(rejected.filter(e => e.subject === 'origin').length, attempts.length * 4 + 2)
    // With both, the same requests work.
    expectStatus(await ops.post('/api/v1/organizations', { name: 'Real', short_name: 'REA' }), 201)
  } finally {
    await server.stop()
  }
})

test('WebSockets: a foreign Origin is refused; the session cookie opens documents by the same rights as the API', async () => {
  const server = await startAccordd()
  const clients = []
  try {
    bootstrapInstance(server.dataDir)
    accord(server.dataDir, ['org', 'add', '--name', 'Member Org', '--short', 'MEM'])
    addMember(server.dataDir, { email: 'dele@mem.example.org', name: 'Dele', password: 'delegate password one', org: 'MEM', role: 'delegate' })
    const ops = new Agent(server)
    await ops.signIn(OPS.email, OPS.password)
    const token = expectStatus(await ops.post('/api/v1/tokens', { name: 'ws', scopes: ['documents:read', 'documents:write'] }), 201).body.secret
    assert.equal(await upgradeStatus(server, '/ws/scratch?token=' + token, { Origin: server.url }), 101)
    assert.equal(await upgradeStatus(server, '/ws/scratch?token=' + token, { Origin: 'https://evil.example' }), 403)
    assert.equal(await upgradeStatus(server, '/ws/scratch', { Cookie: ops.cookie, Origin: 'https://evil.example' }), 403)
    assert.equal(await upgradeStatus(server, '/ws/scratch', { Cookie: ops.cookie, Origin: 'null' }), 403)

    // The secretariat's cookie, no token, on a document outside any statement: reads and writes.
    const c = await rawClient(server, 'scratch', { headers: { Cookie: ops.cookie, Origin: server.url } })
    clients.push(c)
    await c.next(m => m.type === MSG_SYNC)
    writeOnce(c, 'written with a session cookie')
    await waitFor(() => docFromUpdate(exportDoc(server.dataDir, 'scratch')).getText('t').toString() === 'written with a session cookie',
      { what: "the cookie client's update to be stored" })

    // A delegate's cookie does not open the secretariat's documents.
    const dele = new Agent(server)
    await dele.signIn('dele@mem.example.org', 'delegate password one')
    assert.equal(await upgradeStatus(server, '/ws/scratch', { Cookie: dele.cookie, Origin: server.url }), 403)
    assert.equal(await upgradeStatus(server, '/ws/statement.none', { Cookie: dele.cookie, Origin: server.url }), 403)
    assert.equal(await upgradeStatus(server, '/ws/scratch', { Cookie: 'accord_session=acs_' + 'y'.repeat(43), Origin: server.url }), 401)
  } finally {
    for (const c of clients) c.close()
    await server.stop()
  }
})

test('sign-out: the old cookie is refused by the API and WebSockets; sign-out everywhere ends every session, not tokens', async () => {
  const server = await startAccordd()
  try {
    bootstrapInstance(server.dataDir)
    const a = new Agent(server)
    await a.signIn(OPS.email, OPS.password)
    const oldCookie = a.cookie
    assert.equal(await upgradeStatus(server, '/ws/scratch', { Cookie: oldCookie, Origin: server.url }), 101)
    expectStatus(await a.delete('/api/v1/session'), 204)
    const refused = expectStatus(await a.get('/api/v1/session', { cookie: oldCookie }), 401, 'unauthenticated')
    assert.match(refused.headers.getSetCookie()[0], /Max-Age=0/)
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer')
    expectStatus(await a.post('/api/v1/organizations', { name: 'After', short_name: 'AFT' }, { cookie: oldCookie, csrf: 'x' }), 401, 'unauthenticated')
    assert.equal(await upgradeStatus(server, '/ws/scratch', { Cookie: oldCookie, Origin: server.url }), 401)

    const b = new Agent(server)
    const c = new Agent(server)
    await b.signIn(OPS.email, OPS.password)
    await c.signIn(OPS.email, OPS.password)
    const token = expectStatus(await b.post('/api/v1/tokens', { name: 'survives', scopes: ['api:read'] }), 201).body.secret
    const cCookie = c.cookie
    const ended = expectStatus(await b.delete('/api/v1/sessions'), 200)
    assert.equal(ended.body.sessions_ended, 2)
    assert.match(ended.headers.getSetCookie()[0], /^accord_session=; .*Max-Age=0/)
    expectStatus(await c.get('/api/v1/session', { cookie: cCookie }), 401, 'unauthenticated')
    expectStatus(await b.get('/api/v1/sessions', { cookie: null }), 401, 'unauthenticated')
    assert.equal(await upgradeStatus(server, '/ws/scratch', { Cookie: cCookie, Origin: server.url }), 401)
    const script = new Agent(server, { token })
    assert.equal(expectStatus(await script.get('/api/v1/sessions'), 200).body.items.length, 0)
    const audit = expectStatus(await script.get('/api/v1/audit'), 200).body.items
    assert.ok(audit.some(e => e.kind === 'logout-everywhere' && e.detail.sessions_ended === 2))
  } finally {
    await server.stop()
  }
})

test('sign-in is rate limited: after 5 wrong passwords the 6th attempt is 429 with Retry-After, even with the right one', async () => {
  const server = await startAccordd()
  try {
    bootstrapInstance(server.dataDir)
    accord(server.dataDir, ['org', 'add', '--name', 'Target', '--short', 'TGT'])
    addMember(server.dataDir, { email: 'victim@example.org', name: 'Victim', password: 'the right password', org: 'TGT', role: 'observer' })
    const attacker = new Agent(server)
    for (let i = 0; i < 5; i++) {
      expectStatus(await attacker.post('/api/v1/session', { email: 'victim@example.org', password: `wrong guess ${i}` }), 401, 'invalid-credentials')
    }
    const limited = expectStatus(await attacker.post('/api/v1/session', { email: 'victim@example.org', password: 'the right password' }), 429, 'rate-limited')
    const retry = Number(limited.headers.get('retry-after'))
    assert.ok(Number.isInteger(retry) && retry > 0 && retry <= 15 * 60, `Retry-After ${limited.headers.get('retry-after')}`)
    // The account is the key, whatever the case of the address.
    expectStatus(await attacker.post('/api/v1/session', { email: 'VICTIM@example.org', password: 'the right password' }), 429, 'rate-limited')
    assert.equal(attacker.cookie, null)
    // Other accounts are not locked out.
    const ops = new Agent(server)
    await ops.signIn(OPS.email, OPS.password)
    const failed = expectStatus(await ops.get('/api/v1/audit?limit=500'), 200).body.items.filter(e => e.kind === 'login-failed')
    assert.equal(failed.length, 5)
    assert.ok(failed.every(e => e.detail.reason === 'wrong password' && e.detail.email === 'victim@example.org'))
  } finally {
    await server.stop()
  }
})

test('session and sign-in limits come from the [limits] settings: an idle session ends, failures lock sooner', async () => {
  const server = await startAccordd({ args: ['--limit', 'session_idle_timeout=2s', '--limit', 'login_failures_per_account=2'] })
  try {
    bootstrapInstance(server.dataDir)
    const ops = new Agent(server)
    await ops.signIn(OPS.email, OPS.password)
    expectStatus(await ops.get('/api/v1/session'), 200)
    await new Promise(resolve => setTimeout(resolve, 3100))
    expectStatus(await ops.get('/api/v1/session'), 401, 'unauthenticated')
    const guesser = new Agent(server)
    for (let i = 0; i < 2; i++) {
      expectStatus(await guesser.post('/api/v1/session', { email: OPS.email, password: `wrong guess ${i}` }), 401, 'invalid-credentials')
    }
    expectStatus(await guesser.post('/api/v1/session', { email: OPS.email, password: OPS.password }), 429, 'rate-limited')
  } finally {
    await server.stop()
  }
})

test('invitation links work once (410 link-used), expire (410 link-expired), and are not reached from foreign origins', async () => {
  const server = await startAccordd()
  try {
    bootstrapInstance(server.dataDir)
    const link = accord(server.dataDir, ['invite', '--email', 'new@example.org', '--org', 'SEC', '--role', 'observer', '--url', server.url])
    const token = link.slice(link.indexOf('#') + 1)
    const anon = new Agent(server)
    expectStatus(await anon.post('/api/v1/invitations/accept', { token, password: 'a fine password' }, { origin: 'https://evil.example' }), 403, 'origin-not-allowed')
    const user = expectStatus(await anon.post('/api/v1/invitations/accept', { token, password: 'a fine password' }), 201).body.user
    assert.equal(user.email, 'new@example.org')
    expectStatus(await anon.post('/api/v1/invitations/accept', { token, password: 'another fine password' }), 410, 'link-used')
    expectStatus(await anon.post('/api/v1/invitations/inspect', { token }), 410, 'link-used')
    // The first password holds.
    const who = new Agent(server)
    assert.equal((await who.signIn('new@example.org', 'a fine password')).user.id, user.id)

    // Reset links work once too, and are not invitations.
    const ops = new Agent(server)
    await ops.signIn(OPS.email, OPS.password)
    const reset = expectStatus(await ops.post(`/api/v1/users/${user.id}/password-reset`), 201).body.link
    const resetToken = reset.slice(reset.indexOf('#') + 1)
    expectStatus(await anon.post('/api/v1/invitations/accept', { token: resetToken, password: 'a third fine password' }), 404, 'link-unknown')
    expectStatus(await anon.post('/api/v1/password-resets/complete', { token, password: 'a third fine password' }), 404, 'link-unknown')
    expectStatus(await anon.post('/api/v1/password-resets/complete', { token: resetToken, password: 'a third fine password' }), 200)
    expectStatus(await anon.post('/api/v1/password-resets/complete', { token: resetToken, password: 'a fourth fine password' }), 410, 'link-used')

    const shortLived = accord(server.dataDir, ['invite', '--email', 'late@example.org', '--org', 'SEC', '--role', 'observer', '--ttl', '1s'])
    await new Promise(resolve => setTimeout(resolve, 2100))
    expectStatus(await anon.post('/api/v1/invitations/accept', { token: shortLived.slice(shortLived.indexOf('#') + 1), password: 'a fine password' }), 410, 'link-expired')
  } finally {
    await server.stop()
  }
})

test('the link endpoints are limited per address: every call counts, then 429 with Retry-After', async () => {
  const server = await startAccordd()
  try {
    bootstrapInstance(server.dataDir)
    const anon = new Agent(server)
    for (let i = 0; i < 10; i++) {
      expectStatus(await anon.post('/api/v1/invitations/inspect', { token: `guess-${i}` }), 404, 'link-unknown')
    }
    for (const [p, json] of [
      ['/api/v1/invitations/inspect', { token: 'guess-10' }],
      ['/api/v1/invitations/accept', { token: 'guess-11', password: 'a fine password' }],
      ['/api/v1/password-resets', { email: OPS.email }],
      ['/api/v1/password-resets/complete', { token: 'guess-12', password: 'a fine password' }]
    ]) {
      const res = expectStatus(await anon.post(p, json), 429, 'rate-limited')
      assert.ok(Number(res.headers.get('retry-after')) > 0)
    }
    // Signing in has its own limits.
    await new Agent(server).signIn(OPS.email, OPS.password)
  } finally {
    await server.stop()
  }
})

test('every route but the public ones needs credentials (401), and a token\'s scopes bound every route (403)', async () => {
  const server = await startAccordd()
  try {
    bootstrapInstance(server.dataDir)
    const ops = new Agent(server)
    await ops.signIn(OPS.email, OPS.password)
    const docsOnly = expectStatus(await ops.post('/api/v1/tokens', { name: 'docs', scopes: ['documents:read', 'documents:write'] }), 201).body.secret
    const readOnly = expectStatus(await ops.post('/api/v1/tokens', { name: 'read', scopes: ['api:read'] }), 201).body.secret
    const anon = new Agent(server)
    const noApi = new Agent(server, { token: docsOnly })
    const reader = new Agent(server, { token: readOnly })
    for (const op of operations()) {
      const p = op.template.replace('{id}', '1').replace('{slug}', 'none').replace('{org_id}', '1')
      const opts = op.requestBody ? { json: {} } : {}
      const isPublic = op.operation.security?.length === 1 && Object.keys(op.operation.security[0]).length === 0
      if (!isPublic) {
        const res = expectStatus(await anon.req(op.method, p, opts), 401, 'unauthenticated')
        assert.equal(res.headers.get('www-authenticate'), 'Bearer', `${op.method} ${p}`)
        expectStatus(await anon.req(op.method, p, { ...opts, token: 'acc_' + 'z'.repeat(43) }), 401, 'unauthenticated')
        expectStatus(await anon.req(op.method, p, { ...opts, headers: { authorization: 'Basic b3BzOnB3' } }), 401, 'unauthenticated')
      }
      expectStatus(await noApi.req(op.method, p, opts), 403, 'insufficient-scope')
      if (op.method !== 'GET') expectStatus(await reader.req(op.method, p, opts), 403, 'insufficient-scope')
    }
  } finally {
    await server.stop()
  }
})

test('accordd refuses to serve cookies over plain http beyond loopback', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'accordd-refuse-'))
  try {
    // Refused before it binds: nothing listens beyond loopback even for a moment.
    const wide = spawnSync(binary('accordd'), ['--data', dir, '--listen', '0.0.0.0:0'], { encoding: 'utf8', timeout: 20000 })
    assert.notEqual(wide.status, 0, 'accordd must not start')
    assert.match(wide.stderr, /beyond loopback/)
    assert.match(wide.stderr, /public_url/)
    assert.match(wide.stderr, /https/)

    const plain = spawnSync(binary('accordd'), ['--data', dir, '--listen', '127.0.0.1:0', '--public-url', 'http://example.org'], { encoding: 'utf8', timeout: 20000 })
    assert.notEqual(plain.status, 0, 'accordd must not start')
    assert.match(plain.stderr, /--public-url/)
    assert.match(plain.stderr, /must be https:\/\//)

    const withPath = spawnSync(binary('accordd'), ['--data', dir, '--listen', '127.0.0.1:0', '--public-url', 'https://example.org/accord'], { encoding: 'utf8', timeout: 20000 })
    assert.notEqual(withPath.status, 0, 'accordd must not start')
    assert.match(withPath.stderr, /no path/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a loopback public URL over plain http is fine', async () => {
  const port = await freePort()
  const server = await startAccordd({ args: ['--listen', `127.0.0.1:${port}`, '--public-url', `http://localhost:${port}`] })
  try {
    bootstrapInstance(server.dataDir)
    const browser = new Agent(server, { origin: `http://localhost:${port}` })
    await browser.signIn(OPS.email, OPS.password)
    assert.equal(parseSetCookie(`${browser.cookie}`).name, 'accord_session')
    expectStatus(await browser.post('/api/v1/organizations', { name: 'Local', short_name: 'LOC' }), 201)
    expectStatus(await browser.post('/api/v1/organizations', { name: 'Other', short_name: 'OTH' }, { origin: server.url }), 403, 'origin-not-allowed')
  } finally {
    await server.stop()
  }
})
