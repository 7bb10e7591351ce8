// Accounts for the server suites: organizations, users, roles and API tokens made with the
// `accord` CLI (which opens DIR/accord.db directly, so it works while accordd runs), and a
// signed-in browser-like session over the REST API (cookie + CSRF token + Origin).
import { execFileSync } from 'node:child_process'
import { binary } from './accordd.mjs'

// Runs `accord ARGS --data DIR` and returns its stdout; throws an Error carrying the exit
// status, stdout and stderr when it fails. `input` is fed to stdin.
export function accord (dataDir, ...args) {
  let input
  if (args.length && typeof args[args.length - 1] === 'object') input = args.pop().input
  try {
    return execFileSync(binary('accord'), [...args, '--data', dataDir], {
      encoding: 'utf8',
      input: input ?? '',
      stdio: ['pipe', 'pipe', 'pipe']
    })
  } catch (e) {
    const err = new Error(`accord ${args.join(' ')} exited with ${e.status}: ${e.stderr}`)
    err.status = e.status
    err.stdout = e.stdout
    err.stderr = e.stderr
    throw err
  }
}

export const SECRETARIAT_EMAIL = 'secretariat@example.org'
export const PASSWORD = 'correct horse battery staple'

// The host organization SEC and its secretariat member (who has a password, so can sign in).
export function setupInstance (dataDir, { email = SECRETARIAT_EMAIL, password = PASSWORD } = {}) {
  const orgId = addOrg(dataDir, 'SEC', { name: 'Secretariat', host: true })
  const userId = addUser(dataDir, email, { org: 'SEC', role: 'secretariat', password })
  return { orgId, userId, email, password }
}

// Adds an organization; returns its id.
export function addOrg (dataDir, short, { name = `Organization ${short}`, kind, host = false } = {}) {
  const args = ['org', 'add', '--name', name, '--short', short]
  if (kind) args.push('--kind', kind)
  if (host) args.push('--host')
  return Number(accord(dataDir, ...args).trim())
}

// Adds a user (with a password when given, else an invited one without) and, with `org` and
// `role`, gives them that role there. Returns the user's id.
export function addUser (dataDir, email, { name, org, role, password } = {}) {
  const args = ['user', 'add', '--email', email, '--name', name || email.split('@')[0]]
  if (password !== undefined) args.push('--password-stdin', { input: password + '\n' })
  const id = Number(accord(dataDir, ...args).trim())
  if (org) addMember(dataDir, email, org, role || 'delegate')
  return id
}

export function addMember (dataDir, email, org, role) {
  return Number(accord(dataDir, 'member', 'add', '--email', email, '--org', org, '--role', role).trim())
}

// A new API token ("acc_...") of the user. `scopes`: array or comma-separated string.
export function token (dataDir, email, scopes = 'documents:read,documents:write', docs = '*', { ttl } = {}) {
  const args = ['token', 'create', '--user', email, '--scope', [].concat(scopes).join(',')]
  if (docs) args.push('--docs', docs)
  if (ttl) args.push('--ttl', ttl)
  return accord(dataDir, ...args).trim()
}

// Signs in over the API like a browser: POST /api/v1/session with the server's own Origin.
// Returns { cookie, csrf, me, headers() }: headers() are what a browser sends with a
// state-changing request (Cookie, X-CSRF-Token, Origin).
export async function signIn (server, email, password = PASSWORD) {
  const res = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.url },
    body: JSON.stringify({ email, password })
  })
  const body = await res.json()
  if (res.status !== 201) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(body)}`)
  const setCookie = res.headers.get('set-cookie') || ''
  const cookie = setCookie.split(';')[0]
  if (!cookie.includes('=')) throw new Error(`sign-in of ${email} set no cookie: ${setCookie}`)
  return {
    cookie,
    csrf: body.csrf_token,
    me: body,
    headers () {
      return { Cookie: cookie, 'X-CSRF-Token': body.csrf_token, Origin: server.url }
    }
  }
}

// One API request. `auth`: a session from signIn, an API token string, or null. Resolves to
// { status, headers, body } (body parsed as JSON when it is JSON, else the text).
export async function api (server, auth, method, path, body) {
  const headers = {}
  if (typeof auth === 'string') headers.Authorization = 'Bearer ' + auth
  else if (auth) Object.assign(headers, auth.headers())
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(server.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await res.text()
  let parsed = text
  if (/json/.test(res.headers.get('content-type') || '') && text) parsed = JSON.parse(text)
  return { status: res.status, headers: res.headers, body: parsed }
}
