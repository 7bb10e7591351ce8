// Bad input to every state-changing endpoint of the REST API, table-driven over the operations
// of proto/openapi.yaml: malformed JSON, JSON that is not an object, wrong field types, values
// out of range, missing and unknown fields, the wrong content type and oversized bodies are all
// refused with the documented problem (lib/openapi.mjs checks every response), the document
// refuses the same bodies, and afterwards nothing stored has changed and the server still
// serves.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import net from 'node:net'
import path from 'node:path'
import { startAccordd } from '../lib/accordd.mjs'
import {
  operations, requestSchema, flattenSchema, requestBodyErrors, Agent, expectStatus,
  bootstrapInstance, addMember, accord, OPS
} from '../lib/openapi.mjs'

function freePort () {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) })
    s.on('error', reject)
  })
}

// The JSON type a (flattened) schema asks for, ignoring null.
function typeOf (schema) {
  const s = flattenSchema(schema)
  if (typeof s.type === 'string') return s.type
  if (Array.isArray(s.type)) return s.type.find(t => t !== 'null')
  for (const alt of s.oneOf ?? s.anyOf ?? []) {
    const t = typeOf(alt)
    if (t && t !== 'null') return t
  }
  if (s.enum) return typeof s.enum[0]
  return undefined
}

// A value of the wrong JSON type for the schema.
function wrongType (schema) {
  return { string: 12345, integer: '7', number: '7', boolean: 'yes', array: 'documents:read', object: 'x' }[typeOf(schema)]
}

// A value of the right type that breaks one of the schema's constraints; undefined if the
// schema has none (booleans).
function outOfRange (schema) {
  const s = flattenSchema(schema)
  const type = typeOf(s)
  if (type === 'string') {
    if (s.enum) return 'not-one-of-them'
    const alt = (s.oneOf ?? []).map(flattenSchema).find(x => x.type === 'string')
    const str = alt ? { ...alt, ...s } : s
    if (str.maxLength !== undefined) return 'x'.repeat(str.maxLength + 1)
    if (str.pattern) return 'not a valid value'
    return undefined
  }
  if (type === 'integer') return s.minimum !== undefined ? s.minimum - 1 : undefined
  if (type === 'array') return s.minItems ? [] : undefined
  // A nested object (an adherence request's organization) that holds a field it does not know.
  if (type === 'object' && s.additionalProperties === false) return { definitely_not_a_field: 1 }
  return undefined
}

// The cases every operation with a JSON body gets: [name, request options, status, problem slug,
// check of the problem body].
function bodyCases (schema, bodyRequired) {
  const props = Object.entries(schema.properties ?? {})
  const cases = [
    ['malformed JSON', { body: '{"name": "unterminated', contentType: 'application/json' }, 400, 'invalid-json'],
    ['a JSON array', { body: '[{"name": "x"}]', contentType: 'application/json' }, 400, 'invalid-json'],
    ['a JSON string', { body: '"name"', contentType: 'application/json' }, 400, 'invalid-json'],
    ['JSON nested too deep', { body: '{"a":' + '['.repeat(12) + ']'.repeat(12) + '}', contentType: 'application/json' }, 400, 'invalid-json'],
    ['an unknown field', { json: { definitely_not_a_field: 1 } }, 400, 'unknown-field',
      p => assert.match(p.detail, /definitely_not_a_field/)],
    ['text/plain', { body: '{}', contentType: 'text/plain' }, 415, 'unsupported-media-type'],
    ['no content type', { body: '{}', contentType: null }, 415, 'unsupported-media-type'],
    ['form encoding', { body: 'a=1', contentType: 'application/x-www-form-urlencoded' }, 415, 'unsupported-media-type']
  ]
  // An optional body may be empty (that request would succeed, so it is not sent here).
  if (bodyRequired) cases.push(['an empty body', { body: '', contentType: 'application/json' }, 400, 'invalid-json'])
  if (props.length > 0) {
    const wrong = Object.fromEntries(props.map(([k, v]) => [k, wrongType(v)]))
    cases.push(['wrong types for every field', { json: wrong }, 422, 'validation-failed',
      p => assert.deepEqual(p.errors.map(e => e.field).sort(), Object.keys(wrong).sort(), JSON.stringify(p.errors))])
    const bad = Object.fromEntries(props.map(([k, v]) => [k, outOfRange(v)]).filter(([, v]) => v !== undefined))
    if (Object.keys(bad).length > 0) {
      cases.push(['values out of range', { json: bad }, 422, 'validation-failed',
        p => assert.deepEqual(p.errors.map(e => e.field).sort(), Object.keys(bad).sort(), JSON.stringify(p.errors))])
    }
    // (null is a value only where the schema says so: a deadline of null removes it.)
    const nulls = Object.fromEntries(props.filter(([, v]) => !JSON.stringify(v).includes('"null"')).map(([k]) => [k, null]))
    cases.push(['null for every field', { json: nulls }, 422, 'validation-failed',
      p => assert.deepEqual(p.errors.map(e => e.field).sort(), Object.keys(nulls).sort(), JSON.stringify(p.errors))])
  }
  if ((schema.required ?? []).length > 0) {
    cases.push(['no fields', { json: {} }, 422, 'validation-failed',
      p => assert.deepEqual(p.errors.map(e => e.field).sort(), [...schema.required].sort(), JSON.stringify(p.errors))])
  }
  return cases
}

test('every state-changing endpoint refuses bad input with the documented problem, and nothing changes', async (t) => {
  const port = await freePort()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'accordd-bad-input-'))
  // Requests to adhere are limited to 5 an hour per address; this suite sends more, all bad.
  const start = () => startAccordd({ dataDir, args: ['--listen', `127.0.0.1:${port}`, '--limit', 'adherence_requests_per_ip=1000'] })
  let server = await start()
  const endpoint = { url: server.url }
  try {
    bootstrapInstance(dataDir)
    accord(dataDir, ['org', 'add', '--name', 'Central Única dos Trabalhadores', '--short', 'CUT', '--country', 'BR', '--kind', 'union'])
    const dele = addMember(dataDir, { email: 'dele@cut.example.org', name: 'Dele', password: 'delegate password one', org: 'CUT', role: 'delegate' })
    const ops = new Agent(endpoint)
    await ops.signIn(OPS.email, OPS.password)
    const spare = new Agent(endpoint)
    const spareSession = (await spare.signIn(OPS.email, OPS.password)).session_id
    const anon = new Agent(endpoint)
    const cut = expectStatus(await ops.get('/api/v1/organizations'), 200).body.items.find(o => o.short_name === 'CUT').id
    const membership = expectStatus(await ops.get(`/api/v1/users/${dele}`), 200).body.memberships[0].id
    expectStatus(await ops.post('/api/v1/statements', { slug: 'climate', title: 'Climate' }), 201)
    expectStatus(await ops.put(`/api/v1/statements/climate/participants/${cut}`, { convener: true }), 200)
    const token = expectStatus(await ops.post('/api/v1/tokens', { name: 'kept', scopes: ['api:read'] }), 201).body.id
    const invitation = expectStatus(await ops.post('/api/v1/invitations', { email: 'later@cut.example.org', organization_id: cut, role: 'observer' }), 201).body.invitation.id

    // Real targets, so that handlers get as far as reading the body.
    const concrete = template => template
      .replace('/sessions/{id}', `/sessions/${spareSession}`)
      .replace('/invitations/{id}', `/invitations/${invitation}`)
      .replace('/users/{id}', `/users/${dele}`)
      .replace('/organizations/{id}', `/organizations/${cut}`)
      .replace('/memberships/{id}', `/memberships/${membership}`)
      .replace('/tokens/{id}', `/tokens/${token}`)
      .replace('/comments/{id}', '/comments/1')
      .replace('{slug}', 'climate')
      .replace('{org_id}', String(cut))
      .replace('{number}', '1')

    const snapshot = async () => ({
      users: expectStatus(await ops.get('/api/v1/users'), 200).body,
      organizations: expectStatus(await ops.get('/api/v1/organizations'), 200).body,
      members: expectStatus(await ops.get(`/api/v1/organizations/${cut}/members`), 200).body,
      statements: expectStatus(await ops.get('/api/v1/statements'), 200).body,
      statement: expectStatus(await ops.get('/api/v1/statements/climate'), 200).body,
      comments: expectStatus(await ops.get('/api/v1/statements/climate/comments'), 200).body,
      tokens: expectStatus(await ops.get('/api/v1/tokens'), 200).body,
      invitations: expectStatus(await ops.get('/api/v1/invitations'), 200).body,
      sessions: expectStatus(await ops.get('/api/v1/sessions'), 200).body.items.map(s => s.id).sort(),
      me: expectStatus(await ops.get('/api/v1/users/me'), 200).body
    })
    const before = await snapshot()

    // Every call of the public link endpoints counts against a limit of 10 an hour per address,
    // whatever its outcome; the limiter lives in memory, so a restart gives a fresh budget.
    const limited = new Set(['/api/v1/invitations/inspect', '/api/v1/invitations/accept', '/api/v1/password-resets', '/api/v1/password-resets/complete'])
    let linkCalls = 0
    const send = async (op, p, opts) => {
      if (limited.has(op.template)) {
        if (linkCalls === 10) {
          await server.stop()
          server = await start()
          assert.equal(server.url, endpoint.url)
          linkCalls = 0
        }
        if (!('body' in opts && opts.body.length > 16 * 1024)) linkCalls++
      }
      const agent = op.operation.security?.length === 1 && Object.keys(op.operation.security[0]).length === 0 ? anon : ops
      return agent.req(op.method, p, opts)
    }

    const changing = operations().filter(o => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(o.method))
    assert.equal(changing.length, 44)
    for (const op of changing) {
      const p = concrete(op.template)
      await t.test(`${op.method} ${op.template}`, async () => {
        // Larger than the 16 KiB limit: refused by the HTTP layer before the API sees it.
        const big = JSON.stringify({ name: 'x'.repeat(20 * 1024) })
        expectStatus(await send(op, p, { body: big, contentType: 'application/json' }), 413, 'body-too-large')
        const schema = requestSchema(op.method, op.template)
        if (!schema) {
          assert.equal(op.method, 'DELETE', 'only DELETE operations take no body')
          return
        }
        for (const [name, opts, status, problem, check] of bodyCases(schema, op.requestBody.required === true)) {
          const res = await send(op, p, opts)
          try {
            expectStatus(res, status, problem)
            if (check) check(res.body)
          } catch (e) {
            e.message = `${name}: ${e.message}`
            throw e
          }
          // The document refuses the same bodies.
          if ('json' in opts) {
            assert.notDeepEqual(requestBodyErrors(op.method, p, opts.json), [], `openapi.yaml accepts ${name}: ${JSON.stringify(opts.json)}`)
          }
        }
      })
    }

    await t.test('malformed targets and ids that are not ids', async () => {
      expectStatus(await ops.patch('/api/v1/users/%zz', { language: 'fr' }), 400, 'bad-request')
      for (const id of ['abc', '0', '-1', '1.5', '1e3', '99999999999999999999', `${token}x`]) {
        expectStatus(await ops.delete(`/api/v1/tokens/${id}`), 404, 'not-found')
        expectStatus(await ops.patch(`/api/v1/organizations/${id}`, { name: 'Renamed' }), 404, 'not-found')
      }
      expectStatus(await ops.patch('/api/v1/statements/NOPE', { phase: 'final' }), 404, 'not-found')
      expectStatus(await ops.post('/api/v1/organizations/', { name: 'Slash', short_name: 'SL' }), 404, 'not-found')
      expectStatus(await ops.req('POST', '/api/v1/users'), 405, 'method-not-allowed')
    })

    await t.test('text fields refuse control characters and invalid UTF-8', async () => {
      const ctl = expectStatus(await ops.post('/api/v1/organizations', { name: 'bell\u0007', short_name: 'tab\there' }), 422, 'validation-failed')
      assert.deepEqual(ctl.body.errors.map(e => e.field).sort(), ['name', 'short_name'])
      assert.notDeepEqual(requestBodyErrors('POST', '/api/v1/organizations', { name: 'bell\u0007', short_name: 'tab\there' }), [])
      const raw = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","short_name":"UTF"}')])
      expectStatus(await ops.req('POST', '/api/v1/organizations', { body: raw, contentType: 'application/json' }), 400, 'invalid-json')
      const bad = [
        ['POST', '/api/v1/organizations', { name: 'N', short_name: 'S', country: 'br' }, 'country'],
        ['POST', '/api/v1/organizations', { name: 'N', short_name: 'S', website: 'ftp://x.org' }, 'website'],
        ['POST', '/api/v1/organizations', { name: 'N', short_name: 'S', website: 'https:///path' }, 'website'],
        ['POST', '/api/v1/statements', { slug: 'Upper', title: 'T' }, 'slug'],
        ['POST', '/api/v1/statements', { slug: 'edge-', title: 'T' }, 'slug'],
        ['POST', '/api/v1/statements', { slug: 'lang', title: 'T', language: 'castellano!' }, 'language'],
        ['POST', '/api/v1/statements', { slug: 'lang', title: 'T', language: 'es_AR' }, 'language'],
        ['POST', '/api/v1/invitations', { email: 'no-at-sign', organization_id: cut, role: 'observer' }, 'email'],
        ['POST', '/api/v1/invitations', { email: 'a@nodot', organization_id: cut, role: 'observer' }, 'email'],
        ['POST', '/api/v1/invitations', { email: 'a b@x.org', organization_id: cut, role: 'observer' }, 'email'],
        ['PATCH', '/api/v1/users/me', { language: 'english!' }, 'language'],
        ['PATCH', '/api/v1/users/me', { language: '1x' }, 'language'],
        ['POST', '/api/v1/tokens', { name: 'n', scopes: ['api:admin'] }, 'scopes'],
        ['POST', '/api/v1/tokens', { name: 'n', scopes: ['api:read api:write'] }, 'scopes'],
        ['POST', '/api/v1/tokens', { name: 'n', scopes: ['api:read'], document_pattern: '.hidden' }, 'document_pattern'],
        ['POST', '/api/v1/tokens', { name: 'n', scopes: ['api:read'], document_pattern: 'a*b' }, 'document_pattern'],
        ['POST', '/api/v1/tokens', { name: 'n', scopes: ['api:read'], expires_in_days: 1.5 }, 'expires_in_days'],
        ['POST', '/api/v1/users/me/password', { current_password: OPS.password, new_password: 'short' }, 'new_password'],
        ['PATCH', '/api/v1/statements/climate', { phase_deadline: '2027-02-30T00:00:00Z' }, 'phase_deadline'],
        ['PATCH', '/api/v1/statements/climate', { phase_deadline: '2027-01-31T18:00:00+01:00' }, 'phase_deadline'],
        ['POST', '/api/v1/statements/climate/comments', { body: 'bell\u0007', amendment: 1 }, 'body'],
        ['POST', '/api/v1/statements/climate/comments', { body: 'both', amendment: 1, parent_id: 1 }, 'parent_id'],
        ['POST', '/api/v1/statements/climate/comments', { body: 'x', anchor: 'not base64!' }, 'anchor']
      ]
      for (const [method, p, json, field] of bad) {
        const res = expectStatus(await ops.req(method, p, { json }), 422, 'validation-failed')
        assert.deepEqual(res.body.errors.map(e => e.field), [field], `${method} ${p} ${JSON.stringify(json)}: ${res.text}`)
        if (field !== 'phase_deadline') {
          assert.notDeepEqual(requestBodyErrors(method, p, json), [], `openapi.yaml accepts ${JSON.stringify(json)}`)
        }
      }
    })

    await t.test('nothing stored has changed and the server still serves', async () => {
      assert.deepEqual(await snapshot(), before)
      const health = await fetch(endpoint.url + '/healthz')
      assert.equal(health.status, 200)
      assert.equal(await health.text(), 'ok\n')
      expectStatus(await spare.get('/api/v1/session'), 200)
      // And good input still works.
      expectStatus(await ops.post('/api/v1/organizations', { name: 'Finally', short_name: 'FIN' }), 201)
    })
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
