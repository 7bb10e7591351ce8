// The REST API's contract, proto/openapi.yaml, as a checker for the api-* suites:
//   checkResponse(method, path, status, contentType, body[, headers]) throws unless the response
//     is one the document describes for that route (status, media type, body schema, required
//     headers); `path` may be a template (/api/v1/users/{id}) or concrete (/api/v1/users/12?x).
//   requestBodyErrors(method, path, body) says whether the document accepts a request body, so
//     the suites can check that what the server refuses the document refuses too.
//   structureProblems() lists what is wrong with the document itself as OpenAPI 3.1.
// plus Agent, a browser-like or script-like HTTP client whose every response goes through
// checkResponse, and the `accord` CLI steps that bootstrap an instance.
import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import YAML from 'yaml'
import Ajv2020 from 'ajv/dist/2020.js'
import { binary } from './accordd.mjs'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const specPath = path.join(repo, 'proto', 'openapi.yaml')
export const spec = YAML.parse(readFileSync(specPath, 'utf8'))

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const SCHEMA_BASE = 'https://accord.invalid/openapi/schemas/'

// --- References ---

// The value at a local reference ("#/components/schemas/User"); throws if there is none.
export function resolvePointer (ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) throw new Error(`not a local reference: ${ref}`)
  let node = spec
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`unresolved $ref ${ref}`)
    node = node[key]
  }
  return node
}

// Follows $ref chains of non-schema objects (responses, parameters, headers).
function deref (obj) {
  const seen = new Set()
  while (obj && typeof obj === 'object' && typeof obj.$ref === 'string') {
    if (seen.has(obj.$ref)) throw new Error(`$ref cycle at ${obj.$ref}`)
    seen.add(obj.$ref)
    obj = resolvePointer(obj.$ref)
  }
  return obj
}

// A copy of a schema whose component references point at the ids ajv knows them by.
function forAjv (schema) {
  if (Array.isArray(schema)) return schema.map(forAjv)
  if (schema === null || typeof schema !== 'object') return schema
  const out = {}
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref') {
      const m = /^#\/components\/schemas\/([^/]+)(\/.*)?$/.exec(v)
      if (!m) throw new Error(`schema $ref outside #/components/schemas: ${v}`)
      resolvePointer(v)
      out.$ref = SCHEMA_BASE + m[1] + (m[2] ? '#' + m[2] : '')
    } else {
      out[k] = forAjv(v)
    }
  }
  return out
}

const ajv = new Ajv2020({
  allErrors: true,
  strictSchema: true, // unknown keywords (typos) are errors
  strictNumbers: true,
  strictTuples: true,
  strictTypes: false,
  strictRequired: false,
  allowUnionTypes: true
})
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)
for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) {
  ajv.addSchema({ ...forAjv(schema), $id: SCHEMA_BASE + name })
}

const compiled = new Map()
function validatorFor (schema, where) {
  let v = compiled.get(schema)
  if (!v) {
    try {
      v = ajv.compile(forAjv(schema))
    } catch (e) {
      throw new Error(`${where}: the schema does not compile: ${e.message}`)
    }
    compiled.set(schema, v)
  }
  return v
}

function errorsText (errors) {
  return errors.map(e => `${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`).join('; ')
}

function excerpt (body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return text === undefined ? '(none)' : text.length > 400 ? text.slice(0, 400) + '…' : text
}

// --- Routes ---

const routes = Object.entries(spec.paths ?? {}).map(([template, item]) => ({
  template,
  item,
  segments: template.split('/').filter(Boolean)
}))

// The route of a concrete or template path: the one with the fewest placeholders wins, as in
// the server (api_service.cc MatchRoute), so /api/v1/users/me beats /api/v1/users/{id}.
export function matchRoute (concrete) {
  let p = concrete.split(/[?#]/)[0]
  if (p.length > 1 && p.endsWith('/')) return null
  if (!routes.some(r => r.template === p)) {
    try { p = decodeURIComponent(p) } catch { /* a malformed escape: the server answers 400 */ }
  }
  const have = p.split('/').filter(Boolean)
  let best = null
  for (const r of routes) {
    if (r.segments.length !== have.length) continue
    const params = {}
    let placeholders = 0
    let ok = true
    r.segments.forEach((want, i) => {
      if (/^\{[^}]+\}$/.test(want)) {
        params[want.slice(1, -1)] = have[i]
        if (have[i] !== want) placeholders++
      } else if (want !== have[i]) {
        ok = false
      }
    })
    if (ok && (!best || placeholders < best.placeholders)) best = { ...r, params, placeholders }
  }
  return best
}

// Every operation: { method ('POST'), template, operation, parameters, requestBody }.
export function operations () {
  const out = []
  for (const r of routes) {
    for (const m of METHODS) {
      const op = r.item[m]
      if (!op) continue
      const parameters = [...(r.item.parameters ?? []), ...(op.parameters ?? [])].map(deref)
      out.push({ method: m.toUpperCase(), template: r.template, operation: op, parameters, requestBody: deref(op.requestBody) })
    }
  }
  return out
}

function mediaTypeOf (contentType) {
  return (contentType ?? '').split(';')[0].trim().toLowerCase()
}

function headerValues (headers, name) {
  if (!headers) return []
  if (typeof headers.get === 'function') {
    if (name.toLowerCase() === 'set-cookie' && typeof headers.getSetCookie === 'function') return headers.getSetCookie()
    const v = headers.get(name)
    return v === null ? [] : [v]
  }
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name.toLowerCase()) return Array.isArray(v) ? v : [v]
  }
  return []
}

// Throws unless the document describes this response. Returns { template, operation, response }.
export function checkResponse (method, requestPath, status, contentType, body, headers) {
  method = method.toUpperCase()
  const where = `${method} ${requestPath} → ${status}`
  const route = matchRoute(requestPath)
  let response
  let operation = null
  if (!route) {
    if (status !== 404) throw new Error(`${where}: no route of openapi.yaml matches ${requestPath}, so only 404 is expected`)
    response = deref(spec.components.responses.NotFound)
  } else {
    operation = route.item[method.toLowerCase()]
    if (!operation) {
      if (status !== 405) throw new Error(`${where}: ${route.template} has no ${method} operation in openapi.yaml, so only 405 is expected`)
      response = deref(spec.components.responses.MethodNotAllowed)
    } else {
      response = deref(operation.responses?.[String(status)])
      if (!response) {
        throw new Error(`${where}: status ${status} is not documented for ${method} ${route.template} ` +
          `(documented: ${Object.keys(operation.responses ?? {}).join(', ')}); body: ${excerpt(body)}`)
      }
    }
  }
  const label = route ? `${method} ${route.template} ${status}` : `${status} (no route)`
  const mediaType = mediaTypeOf(contentType)
  if (!response.content) {
    if (mediaType) throw new Error(`${where}: ${label} has no body in openapi.yaml, but the response has Content-Type ${contentType}`)
    if (body !== undefined && body !== null && body !== '') throw new Error(`${where}: ${label} has no body in openapi.yaml, but got ${excerpt(body)}`)
  } else {
    const media = response.content[mediaType]
    if (!media) {
      throw new Error(`${where}: Content-Type ${contentType || '(none)'} is not documented for ${label} (documented: ${Object.keys(response.content).join(', ')})`)
    }
    let value = body
    if (typeof body === 'string' && /json$/.test(mediaType)) {
      try {
        value = JSON.parse(body)
      } catch (e) {
        throw new Error(`${where}: the body is not JSON (${e.message}): ${excerpt(body)}`)
      }
    }
    if (media.schema) {
      const validate = validatorFor(media.schema, label)
      if (!validate(value)) throw new Error(`${where}: the body does not match openapi.yaml (${label}): ${errorsText(validate.errors)}; body: ${excerpt(value)}`)
    }
  }
  if (headers) {
    for (const [name, h] of Object.entries(response.headers ?? {})) {
      const header = deref(h)
      const values = headerValues(headers, name)
      if (values.length === 0) {
        if (header.required) throw new Error(`${where}: the required header ${name} of ${label} is missing`)
        continue
      }
      if (header.schema) {
        const validate = validatorFor(header.schema, `${label} header ${name}`)
        if (!values.some(v => validate(v))) {
          throw new Error(`${where}: header ${name}: ${JSON.stringify(values)} does not match openapi.yaml: ${errorsText(validate.errors)}`)
        }
      }
    }
  }
  return { template: route?.template ?? null, operation, response }
}

// Whether openapi.yaml accepts `body` (a parsed JSON value) as the request body of the
// operation: [] if so, else ajv's errors as strings. Throws if the operation takes no body.
export function requestBodyErrors (method, requestPath, body) {
  const route = matchRoute(requestPath)
  const op = route?.item[method.toLowerCase()]
  const rb = deref(op?.requestBody)
  const schema = rb?.content?.['application/json']?.schema
  if (!schema) throw new Error(`${method} ${requestPath}: openapi.yaml describes no JSON request body`)
  const validate = validatorFor(schema, `${method} ${route.template} request body`)
  return validate(body) ? [] : validate.errors.map(e => `${e.instancePath || '(body)'} ${e.message}`)
}

// A schema with its $ref and allOf chains merged into one object ({$ref: Text, maxLength: 9}
// becomes {type: 'string', pattern, maxLength: 9}): what the suites read to build bad input.
export function flattenSchema (schema) {
  if (!schema || typeof schema !== 'object') return schema
  let out = {}
  const { $ref, allOf, ...own } = schema
  if ($ref) out = flattenSchema(resolvePointer($ref))
  for (const part of allOf ?? []) out = mergeSchemas(out, flattenSchema(part))
  return mergeSchemas(out, own)
}

function mergeSchemas (a, b) {
  const out = { ...a, ...b }
  if (a.properties || b.properties) out.properties = { ...a.properties, ...b.properties }
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])]
  return out
}

// The JSON request body schema of an operation, flattened, or null.
export function requestSchema (method, template) {
  const op = spec.paths[template]?.[method.toLowerCase()]
  const schema = deref(op?.requestBody)?.content?.['application/json']?.schema
  return schema ? flattenSchema(schema) : null
}

// What is wrong with openapi.yaml as an OpenAPI 3.1 document; [] if nothing.
export function structureProblems () {
  const problems = []
  if (spec.openapi !== '3.1.0') problems.push(`openapi is ${spec.openapi}, not 3.1.0`)
  if (!spec.info?.title || !spec.info?.version) problems.push('info needs title and version')
  // Every $ref resolves.
  const walk = (node, at) => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${at}/${i}`))
    if (node === null || typeof node !== 'object') return
    if ('$ref' in node) {
      try { resolvePointer(node.$ref) } catch (e) { problems.push(`${at}: ${e.message}`) }
    }
    for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`)
  }
  walk(spec, '#')
  const schemes = Object.keys(spec.components?.securitySchemes ?? {})
  const checkSecurity = (list, at) => {
    for (const req of list ?? []) {
      for (const name of Object.keys(req)) if (!schemes.includes(name)) problems.push(`${at}: unknown security scheme ${name}`)
    }
  }
  checkSecurity(spec.security, 'security')
  const ids = new Set()
  for (const { method, template, operation, parameters, requestBody } of operations()) {
    const at = `${method} ${template}`
    if (!operation.operationId) problems.push(`${at}: no operationId`)
    else if (ids.has(operation.operationId)) problems.push(`${at}: operationId ${operation.operationId} is used twice`)
    else ids.add(operation.operationId)
    checkSecurity(operation.security, at)
    const responses = Object.entries(operation.responses ?? {})
    if (responses.length === 0) problems.push(`${at}: no responses`)
    for (const [code, r] of responses) {
      if (!/^[1-5][0-9]{2}$|^default$/.test(code)) problems.push(`${at}: response key ${code} is not a status code`)
      const resp = deref(r)
      if (!resp?.description) problems.push(`${at} ${code}: no description`)
      for (const [mt, media] of Object.entries(resp?.content ?? {})) {
        if (!media.schema) problems.push(`${at} ${code} ${mt}: no schema`)
        else try { validatorFor(media.schema, `${at} ${code}`) } catch (e) { problems.push(e.message) }
      }
      for (const [name, h] of Object.entries(resp?.headers ?? {})) {
        if (!deref(h)?.schema) problems.push(`${at} ${code}: header ${name} has no schema`)
      }
    }
    if (requestBody) {
      for (const [mt, media] of Object.entries(requestBody.content ?? {})) {
        if (!media.schema) problems.push(`${at} request ${mt}: no schema`)
        else try { validatorFor(media.schema, `${at} request`) } catch (e) { problems.push(e.message) }
      }
    }
    // Path placeholders and path parameters correspond one to one.
    const placeholders = [...template.matchAll(/\{([^}]+)\}/g)].map(m => m[1])
    const pathParams = parameters.filter(p => p.in === 'path')
    for (const name of placeholders) {
      const p = pathParams.find(q => q.name === name)
      if (!p) problems.push(`${at}: placeholder {${name}} has no path parameter`)
      else if (p.required !== true) problems.push(`${at}: path parameter ${name} must be required`)
    }
    for (const p of pathParams) if (!placeholders.includes(p.name)) problems.push(`${at}: path parameter ${p.name} is not in the template`)
    for (const p of parameters) {
      if (!p.name || !['path', 'query', 'header', 'cookie'].includes(p.in)) problems.push(`${at}: malformed parameter ${JSON.stringify(p)}`)
      if (!p.schema && !p.content) problems.push(`${at}: parameter ${p.name} has no schema`)
    }
  }
  for (const name of Object.keys(spec.components?.schemas ?? {})) {
    try { ajv.getSchema(SCHEMA_BASE + name) } catch (e) { problems.push(`components/schemas/${name}: ${e.message}`) }
  }
  return problems
}

// --- An HTTP client whose every response is checked against the document ---

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

// A client of one accordd. Browser-like (the default): keeps the session cookie it is given,
// sends `Origin: <origin>` and, once signed in, the CSRF token on state-changing requests.
// Script-like: `{ token }` sends `Authorization: Bearer` and no Origin.
export class Agent {
  constructor (server, { origin = server.url, token = null, cookieName = 'accord_session' } = {}) {
    this.server = server
    this.origin = token && origin === server.url ? null : origin
    this.token = token
    this.cookieName = cookieName
    this.cookie = null // "name=value"
    this.csrf = null
  }

  // Sends a request; returns { status, headers, body (parsed JSON or text), text }.
  // opts: json (a value to send as JSON), body (raw), contentType, headers, and overrides
  // origin / csrf / cookie / token (null: omit).
  async req (method, requestPath, opts = {}) {
    method = method.toUpperCase()
    const headers = {}
    const origin = 'origin' in opts ? opts.origin : this.origin
    if (origin) headers.origin = origin
    const cookie = 'cookie' in opts ? opts.cookie : this.cookie
    if (cookie) headers.cookie = cookie
    const csrf = 'csrf' in opts ? opts.csrf : this.csrf
    if (csrf && STATE_CHANGING.has(method)) headers['x-csrf-token'] = csrf
    const token = 'token' in opts ? opts.token : this.token
    if (token) headers.authorization = 'Bearer ' + token
    let body
    if ('json' in opts) {
      body = JSON.stringify(opts.json)
      headers['content-type'] = 'application/json'
    } else if ('body' in opts) {
      body = opts.body
    }
    if ('contentType' in opts) {
      if (opts.contentType === null) delete headers['content-type']
      else headers['content-type'] = opts.contentType
    }
    Object.assign(headers, opts.headers ?? {})
    const res = await fetch(this.server.url + requestPath, { method, headers, body, redirect: 'manual' })
    const text = await res.text()
    const contentType = res.headers.get('content-type')
    checkResponse(method, requestPath, res.status, contentType, text, res.headers)
    const parsed = /json/.test(contentType ?? '') && text ? JSON.parse(text) : text
    // Every answer of the API service says no-store; 413 and 400 bad-request come from the
    // HTTP layer before it.
    if (res.status !== 413 && !(res.status === 400 && parsed?.type === '/problems/bad-request')) {
      assert.equal(res.headers.get('cache-control'), 'no-store', `${method} ${requestPath}: Cache-Control`)
    }
    // A cookie jar of one cookie, as a browser keeps it.
    for (const c of res.headers.getSetCookie()) {
      const m = /^([^=]+)=([^;]*)/.exec(c)
      if (!m || m[1] !== this.cookieName) continue
      this.cookie = /Max-Age=0(;|$)/.test(c) || m[2] === '' ? null : `${m[1]}=${m[2]}`
      if (!this.cookie) this.csrf = null
    }
    return { status: res.status, headers: res.headers, body: parsed, text }
  }

  get (p, opts) { return this.req('GET', p, opts) }
  post (p, json, opts = {}) { return this.req('POST', p, json === undefined ? opts : { json, ...opts }) }
  put (p, json, opts = {}) { return this.req('PUT', p, json === undefined ? opts : { json, ...opts }) }
  patch (p, json, opts = {}) { return this.req('PATCH', p, json === undefined ? opts : { json, ...opts }) }
  delete (p, opts) { return this.req('DELETE', p, opts) }

  // Signs in (201 expected) and fetches the CSRF token; returns GET /api/v1/session's body.
  async signIn (email, password) {
    const res = await this.post('/api/v1/session', { email, password })
    expectStatus(res, 201)
    assert.ok(this.cookie, 'sign-in set the session cookie')
    const me = await this.get('/api/v1/session')
    expectStatus(me, 200)
    this.csrf = me.body.csrf_token
    return me.body
  }
}

// Asserts the status (and the problem slug, if given) with the body in the message.
export function expectStatus (res, status, problem) {
  assert.equal(res.status, status, `expected ${status}${problem ? ' ' + problem : ''}, got ${res.status}: ${res.text.slice(0, 500)}`)
  if (problem) assert.equal(res.body.type, '/problems/' + problem, `problem type: ${res.text.slice(0, 500)}`)
  return res
}

// --- Accounts through the `accord` command line ---

export const OPS = { email: 'ops@example.org', password: 'correct horse battery staple', name: 'Ops' }

export function accord (dataDir, args, { input } = {}) {
  return execFileSync(binary('accord'), [...args, '--data', dataDir], {
    encoding: 'utf8',
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
  }).trim()
}

// The host organization SEC and its secretariat member ops@example.org with a password;
// returns their ids.
export function bootstrapInstance (dataDir) {
  const orgId = Number(accord(dataDir, ['org', 'add', '--name', 'Secretariat', '--short', 'SEC', '--host']))
  const userId = Number(accord(dataDir, ['user', 'add', '--email', OPS.email, '--name', OPS.name, '--password-stdin'], { input: OPS.password + '\n' }))
  accord(dataDir, ['member', 'add', '--email', OPS.email, '--org', 'SEC', '--role', 'secretariat'])
  return { orgId, userId }
}

// A further user with a password and a role in an existing organization (by short name).
export function addMember (dataDir, { email, name, password, org, role }) {
  const id = Number(accord(dataDir, ['user', 'add', '--email', email, '--name', name, '--password-stdin'], { input: password + '\n' }))
  accord(dataDir, ['member', 'add', '--email', email, '--org', org, '--role', role])
  return id
}
