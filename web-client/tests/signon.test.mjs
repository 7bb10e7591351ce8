// End-to-end browser test of sign-on (issue 8) against accordd (ACCORD_BIN_DIR) serving the
// client's production build — the screens of signon-screens.test.mjs and public-page.test.mjs,
// this time with the real server behind them instead of fakes:
// (1) a signatory of CGT creates a key in the browser (backup downloaded, then registered), the
// instance secretariat approves it, the statement goes final, the signatory signs after
// reviewing the exact text; a signed-out visitor sees CGT on the public page and its Verify
// passes, and the bundle the server hands out verifies with `accord verify`.
// (2) open adherence: the secretariat opens the statement for signature, an unknown organization
// asks to adhere from the public page, the secretariat approves it and passes on the invitation
// link, the new signatory accepts it, creates a key (approved), signs, and the organization
// appears in the public list. (3) CGT withdraws (signed), rotates its key and signs again with
// the new one; the page's Verify and `accord verify` pass at each step. Run `npm run build` first. Screenshots: test-results/.
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PASSWORD, DESKTOP, skipServer, launchChromium, startServer, newPage, signIn, apiCall as call, typeParagraphs, shot } from './support.mjs'
import { statusSays, createAndRegisterKey, approveKey, signStatement as signOn } from './signon-support.mjs'

const SLUG = 'paris-2026'
let browser

before(async () => { browser = await launchChromium() })
after(async () => { await browser?.close() })

/** Signs the statement of this test after checking its text; returns the signed object. */
const signStatement = async (page, serverUrl, manifestSha, title) =>
  (await signOn(page, serverUrl, SLUG, manifestSha, title, { text: /We demand peace and bread\.[\s\S]*For everyone\./ })).signed

/** Runs the public page's Verify; resolves to { ok, failed }. */
async function verifyOnPage (page) {
  await page.click('#verify-button')
  await page.waitForSelector('#verify-result:not([hidden])', { timeout: 30000 })
  return {
    ok: await page.locator('#verify-result').getAttribute('data-ok'),
    failed: await page.locator('#verify-checks > li[data-ok="false"]').evaluateAll(es => es.map(e => `${e.dataset.check}: ${e.innerText}`))
  }
}

/** `accord verify` (exit 0, else execFileSync throws) on the bundle in the response `res`, with
 *  the extra arguments; returns its output, which must end in success. */
async function accordVerify (res, args = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'accord-bundle-'))
  try {
    const file = path.join(dir, `${SLUG}-bundle.json`)
    writeFileSync(file, Buffer.from(await res.arrayBuffer()))
    const out = execFileSync(path.join(process.env.ACCORD_BIN_DIR, 'accord'), ['verify', file, ...args], { encoding: 'utf8' })
    assert.match(out, /result: OK/)
    return out
  } finally { rmSync(dir, { recursive: true, force: true }) }
}

describe('sign-on with accordd', { skip: skipServer }, () => {
  let server, accounts, orgs, manifestSha, visitor
  const pages = {}

  before(async () => {
    accounts = await import('../../tests/node/lib/accounts.mjs')
    // A small proof of work for the adherence form (18 bits by default), so the test is quick.
    server = await startServer(['--limit', 'adherence_difficulty_bits=8'])
    const d = server.dataDir
    accounts.setupInstance(d, { password: PASSWORD })
    orgs = { CGT: Number(accounts.accord(d, 'org', 'add', '--name', 'Confédération générale du travail', '--short', 'CGT', '--country', 'FR', '--kind', 'union').trim()) }
    accounts.addUser(d, 'ana@cgt.example.org', { name: 'Ana Pérez', org: 'CGT', role: 'signatory', password: PASSWORD })
  })
  after(async () => {
    for (const p of Object.values(pages)) await p.context().close().catch(() => {})
    await visitor?.context().close().catch(() => {})
    await server?.stop()
  })

  test('set-up: a statement with CGT as a participant that signs, and its text', async () => {
    const S = pages.sec = await signIn(browser, server.url, 'sec', 'secretariat@example.org')
    assert.equal((await call(S, 'POST', '/statements', { slug: SLUG, title: 'Paris declaration', language: 'en' })).status, 201)
    assert.equal((await call(S, 'PUT', `/statements/${SLUG}/participants/${orgs.CGT}`, { edit: true, amend: true, sign: true })).status, 200)
    await S.goto(`${server.url}/d/statement.${SLUG}`)
    await S.waitForSelector('.accord-editor[contenteditable="true"]')
    await typeParagraphs(S, ['We demand peace and bread.', 'For everyone.'])
  })

  test('a signatory creates a key (backup downloaded) and registers it; the secretariat approves it', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true })
    const A = pages.ana = await context.newPage()
    A.on('pageerror', e => console.error('[ana] pageerror', e))
    await A.goto(server.url + '/signin')
    await A.fill('#email', 'ana@cgt.example.org')
    await A.fill('#password', PASSWORD)
    await A.click('#signin button[type=submit]')
    await A.waitForSelector('#signed-in-as')
    const backup = await createAndRegisterKey(A, server.url, 'Ana — office laptop')
    const keys = (await call(A, 'GET', '/signing-keys')).body.keys
    assert.equal(keys.length, 1)
    assert.equal(keys[0].public_key, backup.publicKey, 'the server holds the public key the browser made')
    assert.equal(keys[0].state, 'pending')
    await approveKey(pages.sec, server.url, keys[0].id, 'Confédération générale du travail')
    await A.reload()
    await A.waitForSelector(`#keys-table tr[data-fingerprint="${backup.id}"]`)
    assert.match(await A.locator(`#keys-table tr[data-fingerprint="${backup.id}"]`).innerText(), /approved/)
  })

  test('the statement goes final; the signatory signs the reviewed text', async () => {
    const r = await call(pages.sec, 'PATCH', `/statements/${SLUG}`, { phase: 'final' })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    manifestSha = r.body.manifest.manifest_sha256
    assert.match(manifestSha, /^[0-9a-f]{64}$/)
    // The server says Ana may sign for CGT: her list of statements and the statement's screen link to Sign.
    const A = pages.ana
    await A.goto(server.url + '/#/')
    await A.waitForSelector(`li.statement[data-slug="${SLUG}"] a.sign`)
    await A.goto(server.url + `/#/statements/${SLUG}`)
    await A.waitForSelector('#sign-link')
    assert.equal(await A.locator('#sign-link').getAttribute('href'), `/#/statements/${SLUG}/sign`)
    const o = await signStatement(A, server.url, manifestSha, 'General Secretary')
    assert.deepEqual(o.organization, { id: orgs.CGT, name: 'Confédération générale du travail', country: 'FR' })
    assert.equal(o.signatory.name, 'Ana Pérez')
    // Reopened, the screen shows CGT's endorsement (from the server's list), not the form.
    await A.reload()
    await A.waitForSelector('#sign-current')
    assert.match(await A.locator('#sign-current').innerText(), /Ana Pérez, General Secretary/)
    assert.equal(await A.locator('#sign-form').count(), 0)
    await shot(A, 'e2e-signed')
  })

  test('signed out, the public page shows CGT and its Verify passes; the bundle verifies with accord verify', async () => {
    const P = await newPage(browser, server.url, 'visitor')
    await P.goto(`${server.url}/s/${SLUG}`)
    await P.waitForSelector('#signatory-table tbody tr')
    assert.equal(await P.locator('#statement-title').innerText(), 'Paris declaration')
    assert.equal(await P.locator('#manifest-hash').innerText(), manifestSha)
    const rows = P.locator('#signatory-table tbody tr')
    assert.equal(await rows.count(), 1)
    assert.match(await rows.nth(0).innerText(), /Confédération générale du travail[\s\S]*FR[\s\S]*Ana Pérez[\s\S]*General Secretary/)
    const r = await verifyOnPage(P)
    assert.equal(r.ok, 'true', r.failed.join('\n'))
    await shot(P, 'e2e-public-verified')
    await P.context().close()

    const res = await fetch(`${server.url}/api/v1/statements/${SLUG}/bundle`)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-disposition') || '', new RegExp(`attachment.*${SLUG}-bundle\\.json`))
    const out = await accordVerify(res)
    assert.match(out, /endorsements: 1 valid/)
  })

  test('open adherence: the secretariat opens the statement; an unknown organization asks to adhere from the public page', async () => {
    const S = pages.sec
    await S.goto(`${server.url}/#/statements/${SLUG}`)
    await S.waitForSelector('#signon')
    assert.equal(await S.locator('#open-for-signature').isChecked(), false)
    await S.check('#open-for-signature')
    await S.click('#open-form button[type=submit]')
    await statusSays(S, 'manage-status', /open for signature/)

    visitor = await newPage(browser, server.url, 'visitor')
    await visitor.goto(`${server.url}/s/${SLUG}`)
    await visitor.waitForSelector('#adhere-form')
    await visitor.fill('#adhere-org_name', 'Movimiento Sin Tierra')
    await visitor.fill('#adhere-org_short_name', 'MST')
    await visitor.fill('#adhere-org_country', 'BR')
    await visitor.selectOption('#adhere-org_kind', 'movement')
    await visitor.fill('#adhere-org_website', 'https://mst.example.org')
    await visitor.fill('#adhere-sig_name', 'João Silva')
    await visitor.fill('#adhere-sig_title', 'Coordinator')
    await visitor.fill('#adhere-sig_email', 'joao@mst.example.org')
    await visitor.fill('#adhere-message', 'We took part in the Paris meeting.')
    await visitor.click('#adhere-submit')
    await visitor.waitForSelector('#adhere-done', { timeout: 60000 })
    assert.match(await visitor.locator('#adhere-done').innerText(), /joao@mst\.example\.org/)
  })

  let inviteLink
  test('the secretariat approves the request and gets the invitation link', async () => {
    const S = pages.sec
    await S.click('#adherence-link')
    await S.waitForSelector('#adherence-requests article.request')
    const card = S.locator('#adherence-requests article.request').first()
    assert.match(await card.innerText(), /Movimiento Sin Tierra \(MST\)[\s\S]*BR[\s\S]*João Silva, Coordinator[\s\S]*joao@mst\.example\.org/)
    const id = await card.getAttribute('data-id')
    await card.locator('.approve-button').click()
    await S.waitForSelector(`#req-${id}-link`)
    inviteLink = await S.locator(`#req-${id}-link`).inputValue()
    assert.match(inviteLink, /\/invite#aci_/)
    await shot(S, 'e2e-adherence-approved')
  })

  test('the new signatory accepts the invitation, creates a key (approved), signs, and appears in the public list', async () => {
    const context = await browser.newContext({ viewport: DESKTOP })
    const J = pages.joao = await context.newPage()
    J.on('pageerror', e => console.error('[joao] pageerror', e))
    // The link as the secretariat passes it on: on this server.
    assert.equal(new URL(inviteLink).origin, new URL(server.url).origin)
    await J.goto(inviteLink)
    await J.waitForSelector('#link-form')
    assert.match(await J.locator('#invite-for').innerText(), /Movimiento Sin Tierra \(MST\)/)
    await J.fill('#new_password', PASSWORD)
    await J.fill('#repeat_password', PASSWORD)
    await J.click('#link-form button[type=submit]')
    await J.waitForSelector('#signed-in-as')
    assert.match(await J.locator('#signed-in-as').innerText(), /MST/)

    await createAndRegisterKey(J, server.url, 'João — phone', { backup: false })
    const keys = (await call(J, 'GET', '/signing-keys')).body.keys
    assert.equal(keys.length, 1)
    await approveKey(pages.sec, server.url, keys[0].id, 'Movimiento Sin Tierra')
    const o = await signStatement(J, server.url, manifestSha, 'Coordinator')
    assert.equal(o.organization.name, 'Movimiento Sin Tierra')
    assert.equal(o.signatory.name, 'João Silva')

    // The visitor's page, still open since the request, lists MST by itself.
    await visitor.waitForFunction(() => /Movimiento Sin Tierra/.test(document.querySelector('#signatory-table')?.textContent ?? ''), null, { timeout: 30000 })
    const rows = visitor.locator('#signatory-table tbody tr')
    assert.equal(await rows.count(), 2)
    assert.match(await visitor.locator('#signatory-table').innerText(), /Movimiento Sin Tierra[\s\S]*BR[\s\S]*João Silva[\s\S]*Coordinator/)
    const r = await verifyOnPage(visitor)
    assert.equal(r.ok, 'true', r.failed.join('\n'))
    await shot(visitor, 'e2e-public-two')
    // Offline, with the log key pinned as the log API publishes it.
    const { verifier_key: key } = await (await fetch(`${server.url}/api/v1/log/key`)).json()
    const out = await accordVerify(await fetch(`${server.url}/api/v1/statements/${SLUG}/bundle`), ['--key', key])
    assert.match(out, /endorsements: 2 valid/)
    assert.match(out, /signed by the pinned key/)
  })
  test('CGT withdraws with a signed withdrawal: the public list says so and the bundle still verifies', async () => {
    const A = pages.ana
    await A.goto(server.url + `/#/statements/${SLUG}/sign`)
    await A.waitForSelector('#withdraw-form')
    await A.fill('#withdraw-form-reason', 'Mandate changed by the congress.')
    await A.click('#withdraw-review-open')
    await A.waitForSelector('#withdraw-review')
    const shown = JSON.parse(await A.locator('#withdraw-review-canonical').textContent())
    assert.equal(shown.format, 'accord-withdrawal-v1')
    assert.deepEqual(shown.organization, { id: orgs.CGT })
    await A.click('#withdraw-review-confirm')
    await A.waitForSelector('#withdraw-receipt', { timeout: 15000 })
    assert.equal(await A.locator('#sign-form').count(), 1, 'CGT may sign again')

    await visitor.waitForSelector('#signatory-table tbody tr[data-withdrawn="true"]', { timeout: 30000 })
    assert.match(await visitor.locator('#signatory-table tbody tr[data-withdrawn="true"]').innerText(), /Confédération générale du travail[\s\S]*Mandate changed by the congress\./)
    const r = await verifyOnPage(visitor)
    assert.equal(r.ok, 'true', r.failed.join('\n'))
    const out = await accordVerify(await fetch(`${server.url}/api/v1/statements/${SLUG}/bundle`))
    assert.match(out, /1 withdrawn/)
  })
  test('CGT rotates its key (the old one revoked on approval) and signs again with the new one', async () => {
    const A = pages.ana
    const [old] = (await call(A, 'GET', '/signing-keys')).body.keys
    await A.goto(server.url + '/#/keys')
    await A.waitForSelector('#keys-table')
    const fp = createHash('sha256').update(Buffer.from(old.public_key, 'base64')).digest('hex').slice(0, 32)
    await A.locator(`#keys-table tr[data-fingerprint="${fp}"] .key-rotate`).click()
    await A.fill('#key-new-label', 'Ana — new laptop')
    await A.click('#key-new button[type=submit]')
    await A.waitForSelector('#key-backup')
    await A.click('#key-register-nobackup')
    await A.click('#key-register-nobackup')
    await statusSays(A, 'keys-status', /registered and awaits/)
    const fresh = (await call(A, 'GET', '/signing-keys')).body.keys.find(k => k.id !== old.id)
    assert.equal(fresh.replaces, old.id)
    await approveKey(pages.sec, server.url, fresh.id, 'Confédération générale du travail')
    const after = (await call(A, 'GET', '/signing-keys')).body.keys
    assert.equal(after.find(k => k.id === old.id).state, 'revoked')
    assert.equal(after.find(k => k.id === fresh.id).state, 'approved')
    await signStatement(A, server.url, manifestSha, 'General Secretary')
    await visitor.waitForFunction(() => document.querySelectorAll('#signatory-table tbody tr').length === 3, null, { timeout: 30000 })
    const r = await verifyOnPage(visitor)
    assert.equal(r.ok, 'true', r.failed.join('\n'))
    const out = await accordVerify(await fetch(`${server.url}/api/v1/statements/${SLUG}/bundle`))
    assert.match(out, /endorsements: 2 valid .*1 withdrawn/)
  })
})
