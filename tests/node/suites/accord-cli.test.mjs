// The `accord` admin CLI. Account commands: bootstrap prints a one-time link (and how to use
// it), --if-needed is idempotent; org/user/member add print ids and refuse duplicates and bad
// values; invite prints a link; token create prints an API token once and stores only its hash.
// Bad input gets a clear message and exit code 2 (usage) or 1 (rejected), with nothing on
// stdout. The read-only document and database commands (doc export, doc list, db check) report
// clearly too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { binary, startAccordd } from '../lib/accordd.mjs'
import { api, signIn } from '../lib/accounts.mjs'

function accord (...args) {
  let input = ''
  if (args.length && typeof args[args.length - 1] === 'object') input = args.pop().input
  return spawnSync(binary('accord'), args, { encoding: 'utf8', input })
}

// Runs `accord` and asserts it succeeded; returns stdout.
function ok (...args) {
  const r = accord(...args)
  assert.equal(r.status, 0, `accord ${args.filter(a => typeof a === 'string').join(' ')}: ${r.stderr}`)
  return r.stdout
}

// Each case: [args, exit code, stderr pattern]; a refusal prints nothing on stdout.
function expectRefusals (cases) {
  for (const [args, code, message] of cases) {
    const r = accord(...args)
    const shown = args.filter(a => typeof a === 'string').join(' ')
    assert.equal(r.status, code, `accord ${shown}: ${r.stderr}`)
    assert.match(r.stderr, message, `accord ${shown}`)
    assert.equal(r.stdout, '', `accord ${shown}`)
  }
}

function withDir (fn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'accord-cli-'))
  const done = () => rmSync(dir, { recursive: true, force: true })
  let result
  try {
    result = fn(dir)
  } catch (e) {
    done()
    throw e
  }
  if (result && typeof result.then === 'function') return result.finally(done)
  done()
  return result
}

const PASSWORD = 'a long enough password'
const LINK = /^http:\/\/127\.0\.0\.1:8080\/invite#(aci_[A-Za-z0-9_-]{43})\n$/

function userList (dir) {
  return ok('user', 'list', '--data', dir).split('\n').filter(Boolean).map(line => line.split('\t'))
}

test('bootstrap prints a one-time link on stdout and how to sign in on stderr; a second bootstrap is refused', () => withDir(dir => {
  const r = accord('bootstrap', '--data', dir, '--email', 'boss@example.org', '--name', 'The Boss')
  assert.equal(r.status, 0, r.stderr)
  const [, linkToken] = r.stdout.match(LINK)
  assert.match(r.stderr, /created the secretariat organization "Secretariat" and the account boss@example\.org/)
  assert.match(r.stderr, /has no password yet/)
  assert.match(r.stderr, /\/api\/v1\/invitations\/accept/)
  assert.ok(r.stderr.includes(linkToken), 'stderr shows the token for the curl command')
  assert.match(r.stderr, /sign in with POST http:\/\/127\.0\.0\.1:8080\/api\/v1\/session/)
  assert.deepEqual(userList(dir), [['1', 'boss@example.org', 'The Boss', 'invited']])

  const again = accord('bootstrap', '--data', dir, '--email', 'other@example.org')
  assert.equal(again.status, 1)
  assert.match(again.stderr, /already bootstrapped/)
  assert.equal(again.stdout, '')
  assert.equal(userList(dir).length, 1, 'a refused bootstrap adds nobody')

  // --url and --org-short shape a fresh instance's link and host organization.
  withDir(other => {
    const custom = ok('bootstrap', '--data', other, '--email', 'a@example.org', '--url',
      'http://127.0.0.1:9000', '--org-name', 'Council', '--org-short', 'CNL', '--ttl', '2h')
    assert.match(custom, /^http:\/\/127\.0\.0\.1:9000\/invite#aci_[A-Za-z0-9_-]{43}\n$/)
    const dup = accord('org', 'add', '--data', other, '--name', 'Again', '--short', 'cnl')
    assert.equal(dup.status, 1)
    assert.match(dup.stderr, /already exists/)
  })

  expectRefusals([
    [['bootstrap', '--data', dir], 2, /bootstrap needs --email/],
    [['bootstrap', '--data', dir, '--email', 'not-an-address'], 2, /--email must be an address/],
    [['bootstrap', '--data', dir, '--email', 'b@example.org', '--ttl', 'soon'], 2, /--ttl needs a duration/],
    [['bootstrap', '--data', dir, '--email', 'b@example.org', '--if-needed', 'yes'], 2, /unexpected argument 'yes'/]
  ])
}))

test('bootstrap --if-needed prints a fresh link while nobody can sign in, and nothing once someone can', () => withDir(async dir => {
  // On an empty instance it bootstraps.
  const first = accord('bootstrap', '--data', dir, '--email', 'boss@example.org', '--if-needed')
  assert.equal(first.status, 0, first.stderr)
  assert.match(first.stdout, LINK)
  // Nobody has set a password yet: each run prints a new link.
  const second = accord('bootstrap', '--data', dir, '--email', 'boss@example.org', '--if-needed')
  assert.equal(second.status, 0, second.stderr)
  const [, token] = second.stdout.match(LINK)
  assert.notEqual(second.stdout, first.stdout)
  assert.match(second.stderr, /has no password yet/)

  // A user with a password who is no secretariat member does not count.
  ok('org', 'add', '--data', dir, '--name', 'Union A', '--short', 'A')
  ok('user', 'add', '--data', dir, '--email', 'd@example.org', '--name', 'D', '--password-stdin', { input: PASSWORD + '\n' })
  ok('member', 'add', '--data', dir, '--email', 'd@example.org', '--org', 'A', '--role', 'delegate')
  assert.match(ok('bootstrap', '--data', dir, '--email', 'boss@example.org', '--if-needed'), LINK)

  // The secretariat member sets a password with the link, through a running accordd.
  const server = await startAccordd({ dataDir: dir })
  try {
    const accepted = await api(server, { headers: () => ({ Origin: server.url }) }, 'POST',
      '/api/v1/invitations/accept', { token, password: PASSWORD })
    assert.ok(accepted.status >= 200 && accepted.status < 300, JSON.stringify(accepted.body))
    const session = await signIn(server, 'boss@example.org', PASSWORD)
    assert.equal(session.me.instance_secretariat, true)

    const quiet = accord('bootstrap', '--data', dir, '--email', 'boss@example.org', '--if-needed')
    assert.equal(quiet.status, 0, quiet.stderr)
    assert.equal(quiet.stdout, '')
    assert.equal(quiet.stderr, '')
    // Even for another address: the instance is set up, nothing is created.
    const other = accord('bootstrap', '--data', dir, '--email', 'new@example.org', '--if-needed')
    assert.equal(other.status, 0, other.stderr)
    assert.equal(other.stdout + other.stderr, '')
    assert.ok(!userList(dir).some(u => u[1] === 'new@example.org'))
  } finally {
    await server.stop()
  }
}))

test('org add prints the id, refuses duplicates and bad values', () => withDir(dir => {
  const a = ok('org', 'add', '--data', dir, '--name', 'Union A', '--short', 'A', '--kind', 'union', '--country', 'fr')
  const b = ok('org', 'add', '--data', dir, '--name', 'Party B', '--short', 'B', '--kind', 'party',
    '--website', 'https://b.example.org')
  assert.match(a, /^\d+\n$/)
  assert.match(b, /^\d+\n$/)
  assert.notEqual(a, b)
  assert.match(ok('org', 'add', '--data', dir, '--name', 'Secretariat', '--short', 'SEC', '--host'), /^\d+\n$/)
  expectRefusals([
    [['org', 'add', '--data', dir, '--name', 'Another A', '--short', 'A'], 1, /already exists/],
    [['org', 'add', '--data', dir, '--name', 'Another a', '--short', 'a'], 1, /already exists/],
    [['org', 'add', '--data', dir, '--name', 'Second host', '--short', 'H2', '--host'], 1, /already hosts the instance/],
    [['org', 'add', '--data', dir, '--name', 'Club', '--short', 'C', '--kind', 'club'], 2, /--kind is one of union, party, movement, ngo, other/],
    [['org', 'add', '--data', dir, '--name', 'C'], 2, /org add needs --short/],
    [['org', 'add', '--data', dir, '--name', 'C', '--short', 'C', '--country', 'France'], 2, /--country/],
    [['org', 'add', '--data', dir, '--name', 'C', '--short', 'C', '--website', 'javascript:alert(1)'], 2, /--website/],
    [['org'], 2, /org needs a subcommand: add/]
  ])
}))

test('user add with and without a password, user list columns and states', () => withDir(async dir => {
  const invited = ok('user', 'add', '--data', dir, '--email', 'invited@example.org', '--name', 'Invited One')
  assert.match(invited, /^\d+\n$/)
  // The password rule is checked before anything is stored.
  const short = accord('user', 'add', '--data', dir, '--email', 'short@example.org', '--name', 'Short',
    '--password-stdin', { input: 'too short\n' })
  assert.equal(short.status, 1)
  assert.match(short.stderr, /too short.*at least 12/)
  assert.equal(short.stdout, '')
  const active = ok('user', 'add', '--data', dir, '--email', 'Active@Example.org', '--name', 'Active One',
    '--language', 'fr', '--password-stdin', { input: PASSWORD + '\n' })
  const other = ok('user', 'add', '--data', dir, '--email', 'later@example.org', '--name', 'Later',
    '--password-stdin', { input: PASSWORD + '\n' })
  expectRefusals([
    [['user', 'add', '--data', dir, '--email', 'invited@example.org', '--name', 'Again'], 1, /already exists/],
    [['user', 'add', '--data', dir, '--email', 'no-at-sign', '--name', 'X'], 2, /--email must be an address/],
    [['user', 'add', '--data', dir, '--email', 'x@example.org'], 2, /user add needs --name/],
    [['user', 'add', '--data', dir, '--email', 'x@example.org', '--name', 'X', '--language', '!!'], 2, /--language/],
    [['user', 'list'], 2, /user list needs --data/],
    [['user', 'remove', '--data', dir], 2, /user needs a subcommand: add or list/]
  ])

  // One disabled through the API (the CLI has no command for that).
  ok('org', 'add', '--data', dir, '--name', 'Secretariat', '--short', 'SEC', '--host')
  ok('user', 'add', '--data', dir, '--email', 'sec@example.org', '--name', 'Sec', '--password-stdin', { input: PASSWORD + '\n' })
  ok('member', 'add', '--data', dir, '--email', 'sec@example.org', '--org', 'SEC', '--role', 'secretariat')
  const server = await startAccordd({ dataDir: dir })
  try {
    const session = await signIn(server, 'sec@example.org', PASSWORD)
    const r = await api(server, session, 'PATCH', `/api/v1/users/${other.trim()}`, { disabled: true })
    assert.equal(r.status, 200, JSON.stringify(r.body))
  } finally {
    await server.stop()
  }

  const rows = userList(dir)
  for (const row of rows) assert.equal(row.length, 4, `id, email, name, state: ${row.join('|')}`)
  const byEmail = Object.fromEntries(rows.map(([id, email, name, state]) => [email, { id, name, state }]))
  assert.deepEqual(byEmail['invited@example.org'], { id: invited.trim(), name: 'Invited One', state: 'invited' })
  assert.deepEqual(byEmail['active@example.org'], { id: active.trim(), name: 'Active One', state: 'active' })
  assert.deepEqual(byEmail['later@example.org'], { id: other.trim(), name: 'Later', state: 'disabled' })
  assert.equal(byEmail['short@example.org'], undefined, 'a refused user is not stored')
}))

test('member add gives a role; bad roles, unknown organizations and users are refused clearly', () => withDir(dir => {
  ok('org', 'add', '--data', dir, '--name', 'Union A', '--short', 'A')
  ok('user', 'add', '--data', dir, '--email', 'u@example.org', '--name', 'U')
  assert.match(ok('member', 'add', '--data', dir, '--email', 'u@example.org', '--org', 'A', '--role', 'delegate'), /^\d+\n$/)
  // Several roles in one organization are fine (none implies another); org short names are
  // matched without regard to case.
  assert.match(ok('member', 'add', '--data', dir, '--email', 'U@example.org', '--org', 'a', '--role', 'signatory'), /^\d+\n$/)
  expectRefusals([
    [['member', 'add', '--data', dir, '--email', 'u@example.org', '--org', 'A', '--role', 'chair'], 2,
      /--role is one of secretariat, delegate, signatory, observer/],
    [['member', 'add', '--data', dir, '--email', 'u@example.org', '--org', 'ZZ', '--role', 'delegate'], 1,
      /no organization with the short name 'ZZ'/],
    [['member', 'add', '--data', dir, '--email', 'nobody@example.org', '--org', 'A', '--role', 'delegate'], 1,
      /no user with the e-mail nobody@example\.org/],
    [['member', 'add', '--data', dir, '--email', 'u@example.org', '--org', 'A', '--role', 'delegate'], 1,
      /already holds the role 'delegate'/],
    [['member', 'add', '--data', dir, '--email', 'u@example.org', '--org', 'A'], 2, /member add needs --role/],
    [['member', 'list', '--data', dir], 2, /member needs a subcommand: add/]
  ])
}))

test('invite prints a one-time link; bad roles and unknown organizations are refused', () => withDir(dir => {
  ok('org', 'add', '--data', dir, '--name', 'Union A', '--short', 'A')
  const a = ok('invite', '--data', dir, '--email', 'new@example.org', '--org', 'A', '--role', 'observer')
  const b = ok('invite', '--data', dir, '--email', 'new2@example.org', '--org', 'A', '--role', 'delegate',
    '--name', 'New Two', '--url', 'http://127.0.0.1:9000', '--ttl', '3d')
  assert.match(a, LINK)
  assert.match(b, /^http:\/\/127\.0\.0\.1:9000\/invite#aci_[A-Za-z0-9_-]{43}\n$/)
  expectRefusals([
    [['invite', '--data', dir, '--email', 'x@example.org', '--org', 'A', '--role', 'boss'], 2, /--role is one of/],
    [['invite', '--data', dir, '--email', 'x@example.org', '--org', 'Q', '--role', 'observer'], 1,
      /no organization with the short name 'Q'/],
    [['invite', '--data', dir, '--email', 'nobody', '--org', 'A', '--role', 'observer'], 2, /--email must be an address/],
    [['invite', '--data', dir, '--email', 'x@example.org', '--org', 'A', '--role', 'observer', '--ttl', '0d'], 2,
      /--ttl needs a duration/]
  ])
}))

test('token create prints a fresh token per call and stores only its hash', () => withDir(dir => {
  ok('user', 'add', '--data', dir, '--email', 'u@example.org', '--name', 'U')
  const a = ok('token', 'create', '--data', dir, '--user', 'u@example.org', '--scope', 'documents:read,documents:write',
    '--docs', 'team-*')
  const b = ok('token', 'create', '--data', dir, '--user', 'u@example.org', '--scope', 'documents:read',
    '--docs', 'minutes', '--ttl', '7d', '--name', 'minutes bot')
  const c = ok('token', 'create', '--data', dir, '--user', 'u@example.org', '--scope', 'api:read,api:write')
  for (const t of [a, b, c]) assert.match(t, /^acc_[A-Za-z0-9_-]{43}\n$/)
  assert.equal(new Set([a, b, c]).size, 3)
  for (const f of readdirSync(dir)) {
    const bytes = readFileSync(path.join(dir, f))
    for (const t of [a, b, c]) assert.ok(!bytes.includes(t.trim()), `${f} holds a token`)
  }
}))

test('token create refuses bad arguments with a clear message and a non-zero exit', () => withDir(dir => {
  ok('user', 'add', '--data', dir, '--email', 'u@example.org', '--name', 'U')
  const user = ['--data', dir, '--user', 'u@example.org']
  expectRefusals([
    [['token', 'create', ...user, '--scope', 'documents:admin'], 2, /--scope lists one or more of documents:read documents:write api:read api:write/],
    [['token', 'create', ...user, '--scope', ''], 2, /--scope lists one or more/],
    [['token', 'create', ...user], 2, /token create needs --scope/],
    [['token', 'create', '--data', dir, '--scope', 'documents:read'], 2, /token create needs --user/],
    [['token', 'create', '--data', dir, '--user', 'nobody@example.org', '--scope', 'documents:read'], 1,
      /no user with the e-mail nobody@example\.org/],
    [['token', 'create', ...user, '--scope', 'documents:read', '--docs', '../etc'], 1, /bad document pattern '\.\.\/etc'/],
    [['token', 'create', ...user, '--scope', 'documents:read', '--docs', '*x*'], 1, /bad document pattern/],
    [['token', 'create', ...user, '--scope', 'documents:read', '--ttl', '5x'], 2, /--ttl needs a duration/],
    [['token', 'create', ...user, '--scope', 'documents:read', '--ttl', '0s'], 2, /--ttl needs a duration/],
    // The old syntax is gone.
    [['token', 'create', '--data', dir, '--doc', 'x', '--access', 'read'], 2, /unknown flag --doc/],
    [['token'], 2, /token needs a subcommand: create/],
    [['frobnicate'], 2, /unknown command 'frobnicate'/]
  ])
}))

test('a token from the CLI authenticates its user, with its scopes', () => withDir(async dir => {
  ok('user', 'add', '--data', dir, '--email', 'u@example.org', '--name', 'U')
  const read = ok('token', 'create', '--data', dir, '--user', 'u@example.org', '--scope', 'api:read').trim()
  const docs = ok('token', 'create', '--data', dir, '--user', 'u@example.org', '--scope', 'documents:read').trim()
  const server = await startAccordd({ dataDir: dir })
  try {
    const me = await api(server, read, 'GET', '/api/v1/users/me')
    assert.equal(me.status, 200, JSON.stringify(me.body))
    assert.equal(me.body.email, 'u@example.org')
    const scoped = await api(server, docs, 'GET', '/api/v1/users/me')
    assert.equal(scoped.status, 403)
    assert.equal(scoped.body.type, '/problems/insufficient-scope')
    const none = await api(server, null, 'GET', '/api/v1/users/me')
    assert.equal(none.status, 401)
    assert.equal(none.body.type, '/problems/unauthenticated')
  } finally {
    await server.stop()
  }
}))

test('accord help lists every command', () => {
  const r = accord('help')
  assert.equal(r.status, 0)
  assert.equal(r.stderr, '')
  for (const command of ['bootstrap', 'org add', 'user add', 'user list', 'member add', 'invite',
    'token create', 'verify', 'doc export', 'doc list', 'db check', 'render', 'version', 'help']) {
    assert.match(r.stdout, new RegExp(`^ {2}${command} `, 'm'), command)
  }
  assert.match(r.stdout, /--if-needed/)
  assert.match(r.stdout, /--password-stdin/)
  const none = accord()
  assert.equal(none.status, 2)
  assert.match(none.stderr, /^usage: accord/)
})

// A data directory with a database and nothing stored yet (account commands make the database).
function freshInstance () {
  const dir = mkdtempSync(path.join(tmpdir(), 'accord-cli-'))
  const r = accord('org', 'add', '--data', dir, '--name', 'Union A', '--short', 'A')
  assert.equal(r.status, 0, r.stderr)
  return dir
}

test('db check, doc list and doc export on an instance with no documents', () => {
  const dir = freshInstance()
  try {
    const check = accord('db', 'check', '--data', dir)
    assert.equal(check.status, 0, check.stderr)
    assert.equal(check.stdout, 'ok\n')
    const list = accord('doc', 'list', '--data', dir)
    assert.equal(list.status, 0, list.stderr)
    assert.equal(list.stdout, '')
    const missing = accord('doc', 'export', '--data', dir, 'no-such-doc')
    assert.equal(missing.status, 1)
    assert.match(missing.stderr, /not found: .*'no-such-doc'/)
    assert.equal(missing.stdout, '')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('doc and db commands never create a database in a wrong directory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'accord-cli-'))
  try {
    const commands = [['doc', 'list', '--data', dir], ['db', 'check', '--data', dir],
      ['doc', 'export', '--data', dir, 'x']]
    for (const args of commands) {
      const r = accord(...args)
      assert.equal(r.status, 1, `accord ${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, /no database in/)
      assert.equal(r.stdout, '')
    }
    assert.ok(!existsSync(path.join(dir, 'accord.db')))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('db check reports a damaged database file and exits 1', () => {
  const dir = freshInstance()
  try {
    for (const f of readdirSync(dir)) rmSync(path.join(dir, f))
    writeFileSync(path.join(dir, 'accord.db'), Buffer.alloc(8192, 'not a database '))
    const r = accord('db', 'check', '--data', dir)
    assert.equal(r.status, 1)
    assert.notEqual(r.stdout + r.stderr, '')
    assert.doesNotMatch(r.stdout, /^ok$/m)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('doc and db commands refuse bad arguments with usage errors', () => {
  const dir = freshInstance()
  try {
    const cases = [
      [['doc', 'export', '--data', dir], /doc export needs --data DIR and one document NAME/],
      [['doc', 'export', '--data', dir, 'a', 'b'], /doc export needs --data DIR and one document NAME/],
      [['doc', 'export', '--data', dir, '--doc', 'a'], /unknown flag --doc/],
      [['doc', 'list'], /doc list needs --data DIR/],
      [['doc', 'list', '--data', dir, 'extra'], /unexpected argument 'extra'/],
      [['db', 'check', '--data'], /--data needs a value/],
      [['doc'], /doc needs a subcommand: export or list/],
      [['db', 'vacuum'], /db needs a subcommand: check/]
    ]
    for (const [args, message] of cases) {
      const r = accord(...args)
      assert.equal(r.status, 2, `accord ${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message)
      assert.equal(r.stdout, '')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
