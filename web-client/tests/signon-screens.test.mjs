// Browser test of the sign-on screens of issue 8 (Debian's Chromium via playwright-core) on the
// stand-in (tests/standin-server.mjs serves the production build; run `npm run build` first):
// page.route answers the contract's API (/tmp/team/SIGNON-CONTRACT.md section 5) from an
// in-memory fake kept in this file, which checks what the screens send as the server will:
// canonical JCS text, the Ed25519 signature against the registered public key (node:crypto),
// key approved, current manifest. A signatory creates a key, downloads its encrypted backup and
// registers it; the instance secretariat approves it; the signatory signs with reservations —
// the posted text is exactly what the review step showed — and withdraws; the backup restores
// the key in another browser profile. Screenshots: test-results/.
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, createPublicKey, verify } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { DESKTOP, PHONE, launchChromium, shot, noHorizontalScroll } from './support.mjs'

const SLUG = 'paris-2026'
const PASS = 'river candle orbit lantern'
let browser, standin

// JCS for the test's own values (plain objects, strings, integers): sorted members, no spaces;
// JSON.stringify escapes strings the way RFC 8785 does.
const jcs = v => v === null || typeof v !== 'object' ? JSON.stringify(v)
  : Array.isArray(v) ? `[${v.map(jcs).join(',')}]`
    : `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${jcs(v[k])}`).join(',')}}`
const sha256 = text => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex')
function verifies (publicKeyBase64, text, signatureBase64) {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKeyBase64, 'base64')])
  return verify(null, Buffer.from(text, 'utf8'), createPublicKey({ key: spki, format: 'der', type: 'spki' }), Buffer.from(signatureBase64, 'base64'))
}
const fingerprintOf = pub => createHash('sha256').update(Buffer.from(pub, 'base64')).digest('hex').slice(0, 32)

// ---- the fake server ----------------------------------------------------------------------
const cgt = { id: 3, name: 'Confédération générale du travail', short_name: 'CGT', country: 'FR', kind: 'union', website: '', hosts_instance: false }
const sec = { id: 1, name: 'Secretariat', short_name: 'SEC', country: '', kind: 'other', website: '', hosts_instance: true }
const users = {
  ana: { user: { id: 5, email: 'ana@example.org', display_name: 'Ana Pérez', language: 'en' }, memberships: [{ id: 7, user_id: 5, organization_id: 3, role: 'signatory', organization: cgt }], instance_secretariat: false, csrf_token: 'csrf-ana' },
  sara: { user: { id: 1, email: 'sara@example.org', display_name: 'Sara', language: 'en' }, memberships: [{ id: 1, user_id: 1, organization_id: 1, role: 'secretariat', organization: sec }], instance_secretariat: true, csrf_token: 'csrf-sara' }
}
const rights = e => ({ 'edit-draft': false, 'settle-amendment': false, 'change-phase': false, 'publish-version': false, 'manage-participants': false, 'propose-amendment-for': [], 'support-amendment-for': [], 'endorse-for': e })
const statement = { id: 12, slug: SLUG, title: 'Paris declaration', language: 'en', phase: 'final', phase_deadline: null, document: `statement.${SLUG}`, participants: [{ organization_id: 3, convener: false, edit: true, amend: true, sign: true }] }
const manifest = {
  format: 'accord-manifest-v1', instance: { origin: 'accord.example/log', public_key: Buffer.alloc(32, 9).toString('base64') },
  statement: { id: 12, slug: SLUG, title: 'Paris declaration' }, version: { id: 40, number: 7 }, source_language: 'en',
  languages: { en: { sha256: sha256('# Paris declaration\n\nWe demand peace.\n') } }, created_at: '2026-12-03T19:00:00Z'
}
const MANIFEST_SHA = sha256(jcs(manifest))
const fake = { keys: [], endorsements: [], log: 3, posted: [], nonces: new Set() }
const problem = (status, type, detail) => [status, { type: `/problems/${type}`, title: type, status, detail }]
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
const orgOf = o => ({ id: o.id, name: o.name, country: o.country })

// A signed object as the server checks it; returns [status, body] of a refusal or null.
function checkSigned (text, signature, keyId, who) {
  let o
  try { o = JSON.parse(text) } catch { return problem(400, 'validation-failed', 'not JSON') }
  if (jcs(o) !== text) return problem(400, 'validation-failed', 'not canonical')
  const key = fake.keys.find(k => k.id === keyId)
  if (!key || key.user.id !== who.user.id || key.organization.id !== o.organization.id) return problem(403, 'forbidden', 'not your key')
  if (!verifies(key.public_key, text, signature)) return problem(400, 'bad-signature', 'signature does not verify')
  if (key.state !== 'approved') return problem(403, key.state === 'revoked' ? 'key-revoked' : 'key-not-approved', key.state)
  if (o.manifest_sha256 !== MANIFEST_SHA) return problem(409, 'stale-manifest', 'not the current manifest')
  if (Math.abs(Date.parse(o.signed_at) - Date.now()) > 15 * 60_000) return problem(400, 'bad-time', o.signed_at)
  if (fake.nonces.has(o.nonce)) return problem(409, 'replayed', 'nonce seen')
  fake.nonces.add(o.nonce)
  return null
}

function answer (who, method, path, body) {
  const me = users[who]
  const mine = k => me.instance_secretariat || k.user.id === me.user.id
  if (path === '/session') return [200, me]
  if (path === '/statements' && method === 'GET') return [200, { items: [statement] }]
  if (path === '/organizations') return [200, { items: [cgt, sec] }]
  if (path === `/statements/${SLUG}`) return [200, { ...statement, rights: rights(who === 'ana' ? [3] : []) }]
  if (path === `/statements/${SLUG}/manifest`) {
    return [200, { manifest, manifest_sha256: MANIFEST_SHA, canonical: jcs(manifest), log_index: 2, texts: { en: '# Paris declaration\n\nWe demand peace.\n' }, html: { en: '<h1>Paris declaration</h1><p>We demand <strong>peace</strong>.</p><script>window.pwned = 1</script>' }, open_for_signature: false }]
  }
  if (path === '/signing-keys' && method === 'GET') return [200, { keys: fake.keys.filter(mine) }]
  if (path === '/signing-keys' && method === 'POST') {
    if (!me.memberships.some(m => m.organization_id === body.organization_id && m.role === 'signatory')) return problem(403, 'forbidden', 'not a signatory')
    if (fake.keys.some(k => k.public_key === body.public_key)) return problem(409, 'conflict', 'public key exists')
    const org = [cgt, sec].find(o => o.id === body.organization_id)
    const k = {
      id: fake.keys.length + 1, organization: orgOf(org), user: { id: me.user.id, display_name: me.user.display_name }, public_key: body.public_key, label: body.label,
      state: 'pending', created_at: now(), decided_at: null, revoked_at: null, reason: '', replaces: body.replaces ?? null, replaced_by: null, approval_log_index: null, revocation_log_index: null
    }
    fake.keys.push(k)
    return [201, k]
  }
  const ka = path.match(/^\/signing-keys\/(\d+)\/(approve|reject|revoke)$/)
  if (ka && method === 'POST') {
    const k = fake.keys.find(x => x.id === Number(ka[1]))
    if (!me.instance_secretariat && ka[2] !== 'revoke') return problem(403, 'forbidden', 'secretariat only')
    if (ka[2] === 'approve') Object.assign(k, { state: 'approved', decided_at: now(), approval_log_index: fake.log++ })
    if (ka[2] === 'reject') Object.assign(k, { state: 'rejected', decided_at: now(), reason: body.reason })
    if (ka[2] === 'revoke') Object.assign(k, { state: 'revoked', revoked_at: now(), reason: body.reason, revocation_log_index: fake.log++ })
    return [200, k]
  }
  if (path === `/statements/${SLUG}/endorsements` && method === 'GET') {
    const list = fake.endorsements
    return [200, { manifest_sha256: MANIFEST_SHA, count: list.filter(e => !e.withdrawal).length, with_reservations: list.filter(e => !e.withdrawal && e.reservations).length, withdrawn: list.filter(e => e.withdrawal).length, endorsements: list }]
  }
  if (path === `/statements/${SLUG}/endorsements` && method === 'POST') {
    if (fake.refuseNext) { const r = fake.refuseNext; fake.refuseNext = null; return r }
    const refused = checkSigned(body.endorsement, body.signature, body.key_id, me)
    if (refused) return refused
    const o = JSON.parse(body.endorsement)
    if (fake.endorsements.some(e => e.organization.id === o.organization.id && !e.withdrawal)) return problem(409, 'already-endorsed', '')
    const key = fake.keys.find(k => k.id === body.key_id)
    const e = {
      id: fake.endorsements.length + 1, organization: o.organization, signatory: o.signatory, kind: o.kind, reservations: o.reservations ?? null, signed_at: o.signed_at,
      received_at: now(), key_id: key.id, public_key: key.public_key, signature: body.signature, canonical: body.endorsement, endorsement_sha256: sha256(body.endorsement),
      log_index: fake.log++, withdrawal: null
    }
    fake.endorsements.push(e)
    return [201, e]
  }
  const wd = path.match(/^\/statements\/paris-2026\/endorsements\/(\d+)\/withdrawal$/)
  if (wd && method === 'POST') {
    const refused = checkSigned(body.withdrawal, body.signature, body.key_id, me)
    if (refused) return refused
    const e = fake.endorsements.find(x => x.id === Number(wd[1]))
    const o = JSON.parse(body.withdrawal)
    if (!e || e.withdrawal || o.endorsement_sha256 !== e.endorsement_sha256) return problem(409, 'conflict', 'not active')
    e.withdrawal = { reason: o.reason, signed_at: o.signed_at, received_at: now(), log_index: fake.log++, canonical: body.withdrawal, signature: body.signature, key_id: body.key_id }
    return [201, e]
  }
  return problem(404, 'not-found', path)
}

async function pageAs (who, context) {
  const page = await context.newPage()
  page.on('pageerror', e => console.error(`[${who}] pageerror`, e))
  await page.route('**/api/v1/**', async route => {
    const req = route.request()
    const path = new URL(req.url()).pathname.replace('/api/v1', '')
    const body = req.postData() ? JSON.parse(req.postData()) : undefined
    if (req.method() !== 'GET') fake.posted.push({ who, method: req.method(), path, body, csrf: req.headers()['x-csrf-token'] })
    const [status, reply] = answer(who, req.method(), path, body)
    await route.fulfill({ status, contentType: status >= 400 ? 'application/problem+json' : 'application/json', body: JSON.stringify(reply) })
  })
  return page
}
const lastPost = path => [...fake.posted].reverse().find(p => p.path === path)
const statusSays = (page, id, re) => page.waitForFunction(([id, src]) => new RegExp(src).test(document.getElementById(id)?.textContent ?? ''), [id, re.source])
const focused = page => page.evaluate(() => document.activeElement?.id)

describe('sign-on screens (on the stand-in)', () => {
  let anaContext, ana, backupText
  before(async () => {
    browser = await launchChromium()
    const { startStandin } = await import('./standin-server.mjs')
    standin = await startStandin(0)
    anaContext = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true })
    ana = await pageAs('ana', anaContext)
  })
  after(async () => { await browser?.close(); await standin?.stop() })

  test('a signatory creates a key, downloads its encrypted backup and registers it', async () => {
    await ana.goto(standin.url + '/#/keys')
    await ana.waitForSelector('#key-new')
    assert.equal(await ana.locator('#nav-keys').getAttribute('aria-current'), 'page')
    assert.equal(await ana.locator('#nav-key-approvals').count(), 0, 'no approvals for a signatory')
    assert.match(await ana.locator('#keys').innerText(), /no signing key yet/)
    await ana.fill('#key-new-label', 'Ana — office laptop')
    await ana.click('#key-new button[type=submit]')
    await ana.waitForSelector('#key-backup')
    assert.equal(await focused(ana), 'key-backup-h', 'focus moves to the backup step')
    assert.equal(await ana.locator('#key-register').isVisible(), false, 'register comes after the backup')
    assert.equal(await ana.locator('#key-register-nobackup').isVisible(), true)
    await ana.fill('#key-backup-passphrase', 'short')
    assert.match(await ana.locator('#key-backup-strength').innerText(), /too short/)
    await ana.fill('#key-backup-passphrase', PASS)
    assert.match(await ana.locator('#key-backup-strength').innerText(), /Strength: (fair|strong)/)
    // Different passphrases: nothing is downloaded.
    await ana.fill('#key-backup-passphrase2', PASS + 'x')
    await ana.click('#key-backup-download')
    await statusSays(ana, 'key-backup-alert', /differ/)
    await ana.fill('#key-backup-passphrase2', PASS)
    const [download] = await Promise.all([ana.waitForEvent('download'), ana.click('#key-backup-download')])
    assert.match(download.suggestedFilename(), /^accord-key-[0-9a-f]{32}-backup\.json$/)
    backupText = await readFile(await download.path(), 'utf8')
    const backup = JSON.parse(backupText)
    assert.equal(backup.format, 'accord-key-backup-v1')
    assert.equal(backup.label, 'Ana — office laptop')
    await statusSays(ana, 'key-backup-status', /downloaded as accord-key-/)
    assert.equal(await focused(ana), 'key-register')
    assert.equal(await ana.locator('#key-register-nobackup').isVisible(), false, 'with a backup, no "register without" button')
    await ana.click('#key-register')
    await statusSays(ana, 'keys-status', /registered and awaits/)
    const reg = lastPost('/signing-keys')
    assert.deepEqual(reg.body, { organization_id: 3, public_key: backup.publicKey, label: 'Ana — office laptop' })
    assert.equal(reg.csrf, 'csrf-ana')
    const row = ana.locator(`#keys-table tr[data-fingerprint="${backup.id}"]`)
    assert.equal(backup.id, fingerprintOf(backup.publicKey))
    assert.match(await row.innerText(), /Ana — office laptop[\s\S]*Confédération générale du travail[\s\S]*awaiting approval[\s\S]*yes, backup made/)
    // Awaiting approval: the sign screen says so and links to the keys.
    await ana.goto(standin.url + `/#/statements/${SLUG}/sign`)
    await ana.waitForSelector('#sign-no-key')
    assert.match(await ana.locator('#sign-no-key').innerText(), /awaiting the secretariat’s approval/)
    assert.equal(await ana.locator('#sign-keys-link').getAttribute('href'), '/#/keys')
    await shot(ana, 'signon-keys-pending')
  })

  test('the instance secretariat approves the key, comparing its fingerprint', async () => {
    const context = await browser.newContext({ viewport: DESKTOP })
    const sara = await pageAs('sara', context)
    await sara.goto(standin.url + '/#/signing-keys')
    await sara.waitForSelector('#approvals-pending-table')
    assert.equal(await sara.locator('#nav-key-approvals').getAttribute('aria-current'), 'page')
    const key = fake.keys[0]
    const row = sara.locator(`#approvals-pending-table tr[data-key-id="${key.id}"]`)
    const fp = fingerprintOf(key.public_key)
    assert.match(await row.innerText(), /Confédération générale du travail \(FR\)[\s\S]*Ana Pérez[\s\S]*Ana — office laptop/)
    assert.equal(await row.locator('.fingerprint').innerText(), fp.match(/.{4}/g).join(' '))
    assert.equal(await row.locator('.key-approve').getAttribute('aria-label'), 'Approve the key of Ana Pérez, Confédération générale du travail (FR)')
    await shot(sara, 'signon-approvals')
    await row.locator('.key-approve').click()
    await statusSays(sara, 'approvals-status', /is approved/)
    assert.equal(await focused(sara), 'approvals-status')
    assert.equal(lastPost(`/signing-keys/${key.id}/approve`).csrf, 'csrf-sara')
    assert.equal(key.state, 'approved')
    assert.match(await sara.locator('#approvals-pending').innerText(), /No key awaits approval/)
    assert.match(await sara.locator(`#approvals-decided-table tr[data-key-id="${key.id}"]`).innerText(), /approved[\s\S]*Log entry 3/)
    await sara.setViewportSize(PHONE)
    await noHorizontalScroll(sara, 'key approvals on a phone')
    await context.close()
  })

  let endorsement
  test('the signatory signs with reservations: the posted text is exactly the reviewed one, and verifies', async () => {
    // The statement's screen links to Sign (the statement is final, the server says Ana may endorse).
    await ana.goto(standin.url + `/#/statements/${SLUG}`)
    await ana.waitForSelector('#sign-link')
    assert.equal(await ana.locator('#sign-link').getAttribute('href'), `/#/statements/${SLUG}/sign`)
    await ana.goto(standin.url + '/#/')
    await ana.waitForSelector('#statements a.sign')
    assert.equal(await ana.locator('#statements a.sign').getAttribute('href'), `/#/statements/${SLUG}/sign`)
    await ana.click('#statements a.sign')
    await ana.waitForSelector('#sign-form')
    assert.equal(await ana.locator('#manifest-hash').innerText(), MANIFEST_SHA)
    assert.match(await ana.locator('#sign-text').innerText(), /Paris declaration[\s\S]*We demand peace\./)
    assert.equal(await ana.locator('#sign-text strong').innerText(), 'peace')
    assert.equal(await ana.locator('#sign-text script').count(), 0)
    assert.equal(await ana.evaluate(() => window.pwned), undefined)
    assert.equal(await ana.inputValue('#sign-form-name'), 'Ana Pérez', 'prefilled from the account')
    assert.equal(await ana.locator('#sign-form-reservations').isVisible(), false, 'no reservations field for "Adheres"')
    await ana.fill('#sign-form-title', 'Secrétaire générale')
    await ana.check('#sign-kind-adheres-with-reservations')
    // With reservations and none written: refused in the form, nothing signed.
    await ana.click('#sign-review-open')
    await statusSays(ana, 'sign-form-reservations-error', /Write the reservations/)
    assert.equal(await focused(ana), 'sign-form-reservations')
    await ana.fill('#sign-form-reservations', 'Sauf le §4 "tel qu’écrit".\nEt le reste.')
    await ana.click('#sign-review-open')
    await ana.waitForSelector('#sign-review')
    assert.equal(await focused(ana), 'sign-review-h')
    const shown = await ana.locator('#sign-review-canonical').textContent()
    const shownHash = await ana.locator('#sign-review-sha256').innerText()
    assert.equal(shownHash, sha256(shown), 'the hash shown is the SHA-256 of the text shown')
    const o = JSON.parse(shown)
    assert.equal(jcs(o), shown, 'the text shown is canonical')
    assert.deepEqual({ ...o, signed_at: undefined, nonce: undefined }, {
      format: 'accord-endorsement-v1', manifest_sha256: MANIFEST_SHA, organization: { id: 3, name: cgt.name, country: 'FR' },
      signatory: { name: 'Ana Pérez', title: 'Secrétaire générale' }, kind: 'adheres-with-reservations', reservations: 'Sauf le §4 "tel qu’écrit".\nEt le reste.',
      signed_at: undefined, nonce: undefined
    })
    assert.match(o.signed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    assert.equal(Buffer.from(o.nonce, 'base64').length, 16)
    assert.equal(fake.posted.filter(p => p.path.endsWith('/endorsements')).length, 0, 'nothing sent before confirming')
    await shot(ana, 'signon-review')
    // A refusal is said in words, in the review, and the same text can be sent again.
    fake.refuseNext = problem(409, 'stale-manifest', 'A newer manifest exists.')
    await ana.click('#sign-review-confirm')
    await statusSays(ana, 'sign-review-alert', /The final text has changed since this page was opened.*A newer manifest exists\./)
    assert.equal(await focused(ana), 'sign-review-alert')
    assert.equal(fake.endorsements.length, 0)
    await ana.click('#sign-review-confirm')
    await ana.waitForSelector('#sign-receipt')
    assert.equal(await focused(ana), 'sign-receipt-h')
    const post = lastPost(`/statements/${SLUG}/endorsements`)
    assert.equal(post.body.endorsement, shown, 'the posted text is exactly what the review showed')
    assert.equal(post.body.key_id, fake.keys[0].id)
    assert.ok(verifies(fake.keys[0].public_key, post.body.endorsement, post.body.signature), 'the signature verifies with the registered key')
    assert.equal(post.csrf, 'csrf-ana')
    endorsement = fake.endorsements[0]
    assert.equal(await ana.locator('#sign-receipt-index').innerText(), String(endorsement.log_index))
    assert.equal(await ana.locator('#sign-receipt-hash').innerText(), shownHash)
    assert.equal(await ana.locator('#sign-receipt-public').getAttribute('href'), `/s/${SLUG}`)
    // The organization's current endorsement is shown, with the withdrawal.
    assert.match(await ana.locator('#sign-current').innerText(), /Adheres with reservations[\s\S]*Sauf le §4[\s\S]*Ana Pérez, Secrétaire générale/)
    assert.equal(await ana.locator('#sign-form').count(), 0)
    await ana.setViewportSize(PHONE)
    await noHorizontalScroll(ana, 'sign screen on a phone')
    await shot(ana, 'signon-signed-phone')
    await ana.setViewportSize(DESKTOP)
  })

  test('the signatory withdraws the endorsement with a signed withdrawal', async () => {
    await ana.reload()
    await ana.waitForSelector('#withdraw-form')
    await ana.fill('#withdraw-form-reason', 'Mandat retiré par le congrès.')
    await ana.click('#withdraw-review-open')
    await ana.waitForSelector('#withdraw-review')
    assert.equal(await focused(ana), 'withdraw-review-h')
    const shown = await ana.locator('#withdraw-review-canonical').textContent()
    assert.equal(await ana.locator('#withdraw-review-sha256').innerText(), sha256(shown))
    const o = JSON.parse(shown)
    assert.deepEqual(Object.keys(o).sort(), ['endorsement_sha256', 'format', 'manifest_sha256', 'nonce', 'organization', 'reason', 'signed_at'])
    assert.equal(o.format, 'accord-withdrawal-v1')
    assert.equal(o.endorsement_sha256, endorsement.endorsement_sha256)
    assert.deepEqual(o.organization, { id: 3 })
    assert.equal(o.reason, 'Mandat retiré par le congrès.')
    await ana.click('#withdraw-review-confirm')
    await ana.waitForSelector('#withdraw-receipt')
    const post = lastPost(`/statements/${SLUG}/endorsements/${endorsement.id}/withdrawal`)
    assert.equal(post.body.withdrawal, shown)
    assert.ok(verifies(fake.keys[0].public_key, post.body.withdrawal, post.body.signature))
    assert.equal(await ana.locator('#withdraw-receipt-index').innerText(), String(endorsement.withdrawal.log_index))
    // Withdrawn: the form to sign again is back, saying an earlier one was withdrawn.
    assert.equal(await ana.locator('#sign-form').count(), 1)
    assert.match(await ana.locator('#sign-withdrawn-before').innerText(), /was withdrawn/)
  })

  test('the backup restores the key in another browser profile, in Spanish', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'es-AR' })
    await context.addInitScript(() => localStorage.setItem('accord.lang', 'es'))
    const page = await pageAs('ana', context)
    await page.goto(standin.url + '/#/keys')
    await page.waitForSelector('#key-restore')
    const fp = fingerprintOf(fake.keys[0].public_key)
    const row = page.locator(`#keys-table tr[data-fingerprint="${fp}"]`)
    assert.match(await row.innerText(), /aprobada[\s\S]*no \(otro navegador\)/)
    await page.setInputFiles('#key-restore-file', { name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(backupText) })
    await page.fill('#key-restore-passphrase', 'not the passphrase')
    await page.click('#key-restore button[type=submit]')
    await statusSays(page, 'key-restore-alert', /Frase de paso incorrecta/)
    await page.fill('#key-restore-passphrase', PASS)
    await page.click('#key-restore button[type=submit]')
    await statusSays(page, 'keys-status', /vuelve a estar en este navegador/)
    assert.match(await row.innerText(), /aprobada[\s\S]*sí, respaldo hecho/)
    await context.close()
  })
  test('the signatory rotates the approved key (registering the new one without a backup, confirmed) and revokes the old one; the secretariat rejects the new one', async () => {
    await ana.goto(standin.url + '/#/keys')
    const old = fake.keys[0]
    const row = ana.locator(`#keys-table tr[data-fingerprint="${fingerprintOf(old.public_key)}"]`)
    await row.locator('.key-rotate').click()
    assert.equal(await ana.locator('#key-new-h').innerText(), 'Create the replacement key')
    assert.equal(await focused(ana), 'key-new-label')
    assert.match(await ana.locator('#key-rotating').innerText(), /replaces “Ana — office laptop”/)
    await ana.fill('#key-new-label', 'Ana — new laptop')
    await ana.click('#key-new button[type=submit]')
    await ana.waitForSelector('#key-backup')
    await shot(ana, 'signon-backup-step')
    // Without a backup: a second press confirms.
    await ana.click('#key-register-nobackup')
    assert.equal(fake.keys.length, 1, 'the first press only asks again')
    await ana.click('#key-register-nobackup')
    await statusSays(ana, 'keys-status', /It has no backup/)
    const reg = lastPost('/signing-keys')
    assert.equal(reg.body.replaces, old.id)
    assert.equal(reg.body.label, 'Ana — new laptop')
    assert.equal(fake.keys[1].state, 'pending')
    assert.equal(await ana.locator(`#keys-table tr[data-fingerprint="${fingerprintOf(fake.keys[1].public_key)}"] .key-revoke, #keys-table tr[data-fingerprint="${fingerprintOf(fake.keys[1].public_key)}"] details`).count(), 0, 'a pending key is not revoked by its owner')
    assert.match(await ana.locator(`#keys-table tr[data-fingerprint="${fingerprintOf(fake.keys[1].public_key)}"]`).innerText(), /Replaces key #1/)
    // Revoke the old key: a reason is required, then a second press.
    await row.locator('details summary').click()
    await ana.click(`#key-revoke-${old.id}-do`)
    await ana.click(`#key-revoke-${old.id}-do`)
    await statusSays(ana, `key-revoke-${old.id}-alert`, /give a reason/)
    await ana.fill(`#key-revoke-${old.id}-reason`, 'laptop replaced')
    await ana.click(`#key-revoke-${old.id}-do`)
    await ana.click(`#key-revoke-${old.id}-do`)
    await statusSays(ana, 'keys-status', /is revoked/)
    assert.deepEqual(lastPost(`/signing-keys/${old.id}/revoke`).body, { reason: 'laptop replaced' })
    assert.match(await row.innerText(), /revoked[\s\S]*Reason: laptop replaced/)
    await shot(ana, 'signon-keys')
    // The secretariat rejects the pending replacement, with a reason the signatory then reads.
    const context = await browser.newContext({ viewport: DESKTOP })
    const sara = await pageAs('sara', context)
    await sara.goto(standin.url + '/#/signing-keys')
    const pending = fake.keys[1]
    await sara.locator(`#approvals-pending-table tr[data-key-id="${pending.id}"] details summary`).click()
    await sara.fill(`#key-reject-${pending.id}-reason`, 'fingerprint not confirmed')
    await sara.click(`#key-reject-${pending.id}-do`)
    await sara.click(`#key-reject-${pending.id}-do`)
    await statusSays(sara, 'approvals-status', /is rejected/)
    assert.deepEqual(lastPost(`/signing-keys/${pending.id}/reject`).body, { reason: 'fingerprint not confirmed' })
    assert.match(await sara.locator(`#approvals-decided-table tr[data-key-id="${pending.id}"]`).innerText(), /rejected[\s\S]*fingerprint not confirmed/)
    await context.close()
    await ana.reload()
    await ana.waitForSelector('#keys-table')
    assert.match(await ana.locator(`#keys-table tr[data-fingerprint="${fingerprintOf(pending.public_key)}"]`).innerText(), /rejected[\s\S]*Reason: fingerprint not confirmed[\s\S]*yes, no backup/)
    // A rejected key can be dropped from the browser (two presses); the server's record stays.
    const rejected = ana.locator(`#keys-table tr[data-fingerprint="${fingerprintOf(pending.public_key)}"]`)
    await rejected.locator('.key-forget').click()
    await rejected.locator('.key-forget').click()
    await statusSays(ana, 'keys-status', /no longer in this browser/)
    assert.match(await rejected.innerText(), /rejected[\s\S]*no \(another browser\)/)
    await ana.setViewportSize(PHONE)
    await noHorizontalScroll(ana, 'my signing keys on a phone')
  })
})
