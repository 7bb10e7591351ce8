// Browser test of a final statement's public page (/s/<slug>), its in-browser verification,
// the open-adherence form and the secretariat's requests screen, on the stand-in
// (tests/standin-server.mjs) with the API answered by page.route from an in-memory sign-on
// built in Node (tests/bundle-fixture.mjs: real Ed25519 keys, JCS, a real Merkle log and
// signed checkpoints), so the verification runs on a genuine bundle — and on tampered ones.
// Run `npm run build` first. Screenshots: test-results/.
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { DESKTOP, PHONE, launchChromium, shot, noHorizontalScroll, seen } from './support.mjs'
import { createSignOn, jcs } from './bundle-fixture.mjs'

const SLUG = 'paris-2026'
const CGT = { id: 3, name: 'CGT', country: 'FR' }
const SUR = { id: 4, name: 'Frente Sur', country: 'AR' }
const ATTAC = { id: 5, name: 'Attac', country: '' }
const DIFFICULTY = 8
let browser, standin

before(async () => {
  browser = await launchChromium()
  const { startStandin } = await import('./standin-server.mjs')
  standin = await startStandin(0)
})
after(async () => { await browser?.close(); await standin?.stop() })

function scenario () {
  const so = createSignOn({ slug: SLUG, title: 'Paris declaration' })
  const ana = so.signatory(CGT, { name: 'Ana Pérez', title: 'General Secretary' })
  so.endorse(ana)
  so.noise()
  const bruno = so.signatory(SUR, { name: 'Bruno Díaz', title: 'President' })
  so.endorse(bruno, { kind: 'adheres-with-reservations', reservations: 'We do not share paragraph 3.' })
  const carla = so.signatory(ATTAC, { name: 'Carla', title: 'Spokesperson' })
  so.withdraw(carla, so.endorse(carla), 'mandate changed')
  return so
}

const leadingZeroBits = buf => { let n = 0; for (const b of buf) { if (b === 0) { n += 8; continue } return n + Math.clz32(b) - 24 } return n }

/**
 * A page whose API is the sign-on `so`: `tamper(bundle)` changes the bundle served, `me` signs
 * the page in. Returns the page and what was POSTed.
 */
async function publicPage (so, { viewport = DESKTOP, tamper = null, lang = 'en', me = null, requests = [] } = {}) {
  const context = await browser.newContext({ locale: lang === 'es' ? 'es-AR' : 'en-US', viewport })
  const page = await context.newPage()
  page.on('pageerror', e => console.error('pageerror', e))
  const state = { posted: [], challenges: new Map(), tamper, patched: [] }
  await page.route('**/api/v1/**', async route => {
    const req = route.request()
    const path = new URL(req.url()).pathname.replace('/api/v1', '')
    const json = (status, body, headers = {}) => route.fulfill({ status, contentType: 'application/json', headers, body: JSON.stringify(body) })
    const base = `/statements/${SLUG}`
    if (path === '/session') return me ? json(200, me) : json(401, { type: '/problems/unauthenticated', title: 'Unauthenticated', status: 401 })
    if (path === `${base}/manifest`) return json(200, so.manifestReply())
    if (path === `${base}/endorsements`) return json(200, so.endorsementsReply())
    if (path === `${base}/bundle`) {
      const b = so.bundle()
      if (state.tamper) state.tamper(b)
      return route.fulfill({ status: 200, contentType: 'application/json', headers: { 'Content-Disposition': `attachment; filename="${SLUG}-bundle.json"` }, body: JSON.stringify(b) })
    }
    if (path === `${base}/adherence-challenge`) {
      const challenge = `v1.12.${Date.now()}.${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 16)}`
      state.challenges.set(challenge, Date.now())
      return json(200, { challenge, difficulty: DIFFICULTY, expires_at: new Date(Date.now() + 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z') })
    }
    if (path === `${base}/adherence-requests` && req.method() === 'POST') {
      const body = JSON.parse(req.postData())
      state.posted.push({ body, at: Date.now() })
      const issued = state.challenges.get(body.challenge)
      if (!issued) return json(400, { type: '/problems/challenge-invalid', title: 'Invalid challenge', status: 400 })
      if (Date.now() - issued < 3000) return json(400, { type: '/problems/challenge-too-early', title: 'Sent too soon', status: 400 })
      if (leadingZeroBits(createHash('sha256').update(`${body.challenge}:${body.nonce}`).digest()) < DIFFICULTY) {
        return json(400, { type: '/problems/challenge-not-solved', title: 'Challenge not solved', status: 400 })
      }
      state.challenges.delete(body.challenge)
      if (body.website_confirm) return json(400, { type: '/problems/request-refused', title: 'Request refused', status: 400 })
      if (!/^[A-Z]{2}$|^$/.test(body.organization.country)) {
        return json(422, { type: '/problems/validation-failed', title: 'Validation failed', status: 422, errors: [{ field: 'organization.country', message: 'must be an ISO 3166-1 alpha-2 country code' }] })
      }
      return json(202, { id: 41, state: 'pending' })
    }
    if (me && path === base && req.method() === 'GET') return json(200, { id: 12, slug: SLUG, title: 'Paris declaration', language: 'en', phase: 'final', phase_deadline: null, document: `statement.${SLUG}`, participants: [], open_for_signature: so.openForSignature, rights: { 'change-phase': true, 'manage-participants': true, 'edit-draft': false, 'publish-version': true } })
    if (me && path === base && req.method() === 'PATCH') {
      const body = JSON.parse(req.postData())
      state.patched.push(body)
      so.openForSignature = body.open_for_signature
      return json(200, { id: 12, slug: SLUG })
    }
    if (me && path === '/organizations') return json(200, { items: [] })
    if (me && path === `${base}/adherence-requests`) return json(200, { items: requests })
    const decide = path.match(/^\/statements\/paris-2026\/adherence-requests\/(\d+)\/(approve|reject)$/)
    if (me && decide) {
      const r = requests.find(x => x.id === Number(decide[1]))
      const body = JSON.parse(req.postData() || '{}')
      state.posted.push({ decision: decide[2], id: r.id, body })
      if (decide[2] === 'reject') { r.state = 'rejected'; r.reason = body.reason; return json(200, { ...r }) }
      r.state = 'approved'
      return json(200, { request: { ...r }, organization: { id: 20, name: r.organization.name, short_name: r.organization.short_name }, organization_created: true, invitation: r.id === 3 ? { link: null, emailed: true } : { link: 'http://accord.test/invite#aci_secret', emailed: false } })
    }
    return json(404, { type: '/problems/not-found', title: 'Not found', status: 404, detail: path })
  })
  if (lang === 'es') await page.addInitScript(() => localStorage.setItem('accord.lang', 'es'))
  await page.goto(`${standin.url}/s/${SLUG}`)
  await page.waitForSelector('#signatory-table')
  return { page, state }
}

const verify = async page => {
  await page.click('#verify-button')
  await page.waitForSelector('#verify-result:not([hidden])', { timeout: 20000 })
  return {
    ok: await page.locator('#verify-result').getAttribute('data-ok'),
    heading: await page.locator('#verify-result-h').innerText(),
    failed: await page.locator('#verify-checks > li[data-ok="false"]').evaluateAll(es => es.map(e => ({ check: e.dataset.check, text: e.innerText })))
  }
}

describe('public page of a final statement (stand-in API, real bundle)', () => {
  test('shows the text, the hash, the counts and the signatories; withdrawn ones struck and said', async () => {
    const so = scenario()
    const { page } = await publicPage(so)
    assert.equal(await page.locator('#statement-title').innerText(), 'Paris declaration')
    assert.match(await page.locator('#statement-text').innerText(), /We demand peace and bread for all\./)
    assert.equal(await page.locator('#statement-text strong').innerText(), 'peace', 'the text keeps its safe markup')
    assert.equal(await page.locator('#manifest-hash').innerText(), so.manifestSha)
    assert.match(await page.locator('#signatory-counts').innerText(), /2 organizations signed, 1 of them with reservations; 1 withdrawn/)
    const rows = page.locator('#signatory-table tbody tr')
    assert.equal(await rows.count(), 3)
    assert.match(await rows.nth(0).innerText(), /CGT[\s\S]*FR[\s\S]*Ana Pérez[\s\S]*General Secretary[\s\S]*None/)
    assert.match(await rows.nth(1).innerText(), /Frente Sur[\s\S]*AR[\s\S]*Bruno Díaz[\s\S]*We do not share paragraph 3\./)
    const withdrawn = rows.nth(2)
    assert.equal(await withdrawn.getAttribute('data-withdrawn'), 'true')
    assert.equal(await withdrawn.locator('s').innerText(), 'Attac', 'struck through')
    assert.match(await seen(withdrawn), /\[withdrawn\][\s\S]*mandate changed/i, 'and marked in words')
    assert.equal(await page.locator('#bundle-download').getAttribute('href'), `/api/v1/statements/${SLUG}/bundle`)
    assert.equal(await page.locator('#bundle-download').getAttribute('download'), `${SLUG}-bundle.json`)
    // The honeypot is out of the keyboard order and the accessibility tree.
    const hp = page.locator('[name=website_confirm]')
    assert.equal(await hp.getAttribute('tabindex'), '-1')
    assert.equal(await hp.getAttribute('autocomplete'), 'off')
    assert.equal(await page.locator('.hp').getAttribute('aria-hidden'), 'true')
    // Rendered (software sees it) but off screen.
    const box = await hp.boundingBox()
    assert.ok(!box || box.x + box.width < 0, 'off screen')
    await shot(page, 'public-page')
    await page.setViewportSize(PHONE)
    await noHorizontalScroll(page, 'public page on a phone')
    await shot(page, 'public-page-phone')
    await page.context().close()
  })

  test('verify passes, remembers the checkpoint, and next time checks the log extends it', async () => {
    const so = scenario()
    const { page } = await publicPage(so)
    const r = await verify(page)
    assert.equal(r.ok, 'true', JSON.stringify(r.failed))
    assert.match(r.heading, /Verified: every check passed/)
    assert.deepEqual(r.failed, [])
    assert.match(await page.locator('#verify-summary').innerText(), new RegExp(`3 endorsements with valid signatures \\(1 of them withdrawn\\); log of ${so.log.bodies.length} entries`))
    assert.match(await page.locator('#verify-checks li[data-check="endorsement"]').innerText(), /Passed — Endorsement signatures/)
    assert.match(await page.locator('#verify-previous').innerText(), /First verification in this browser/)
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'verify-result-h', 'focus moves to the result')
    const remembered = await page.evaluate(o => JSON.parse(localStorage.getItem(`accord.checkpoint:${o}`)), so.log.origin)
    const size = so.log.bodies.length
    assert.equal(remembered.size, size)
    await shot(page, 'public-page-verified')
    // The log grows; the next verification checks it extends the one remembered.
    so.endorse(so.signatory({ id: 7, name: 'CUT', country: 'BR' }, { name: 'Dora', title: 'President' }))
    await page.reload()
    await page.waitForSelector('#signatory-table')
    const r2 = await verify(page)
    assert.equal(r2.ok, 'true', JSON.stringify(r2.failed))
    assert.match(await page.locator('#verify-previous').innerText(), new RegExp(`The log extends the one this browser verified on .* \\(${size} entries\\)`))
    assert.match(await page.locator('#verify-checks li[data-check="previous"]').innerText(), /Passed/)
    // A server that rewrites history: an old entry changed, every checkpoint re-signed.
    const body = JSON.parse(so.log.bodies[0]); body.manifest_sha256 = '00'.repeat(32)
    so.log.bodies[0] = jcs(body)
    const r3 = await verify(page)
    assert.equal(r3.ok, 'false')
    assert.deepEqual(r3.failed.map(f => f.check), ['previous'])
    assert.match(r3.failed[0].text, /the log is not an extension of the earlier checkpoint/)
    await page.context().close()
  })

  test('a tampered bundle: the result names what fails', async () => {
    const so = scenario()
    const cases = [
      ['a changed byte of the text', b => { b.texts.en = b.texts.en.replace('bread', 'bred') }, 'text', /Text matches the manifest[\s\S]*en: the hash differs/],
      ['a changed signature', b => {
        const e = b.entries.find(x => JSON.parse(x.body).kind === 'endorsement')
        const v = JSON.parse(e.body); const s = Buffer.from(v.signature, 'base64'); s[0] ^= 1; v.signature = s.toString('base64'); e.body = jcs(v)
      }, 'endorsement', /Endorsement signatures[\s\S]*entry \d+ \(CGT\): the signature does not verify/],
      ['a dropped endorsement', b => { b.entries = b.entries.filter(x => !JSON.parse(x.body).endorsement?.organization?.name?.startsWith('Frente')) }, 'listed', /The list on this page is in the log[\s\S]*entry \d+: missing from the log/],
      ['entries out of order', b => { b.entries.reverse() }, 'entry-order', /Entries in log order[\s\S]*entries out of order/]
    ]
    const { page, state } = await publicPage(so)
    for (const [what, tamper, check, re] of cases) {
      state.tamper = tamper
      const r = await verify(page)
      assert.equal(r.ok, 'false', what)
      assert.match(r.heading, /Verification FAILED/, what)
      const item = r.failed.find(f => f.check === check)
      assert.ok(item, `${what}: ${check} fails (failed: ${r.failed.map(f => f.check)})`)
      assert.match(item.text, re, what)
      if (what === 'a changed byte of the text') await shot(page, 'public-page-tampered')
    }
    // Nothing tampered was remembered as the reference checkpoint.
    assert.equal(await page.evaluate(o => localStorage.getItem(`accord.checkpoint:${o}`), so.log.origin), null)
    await page.context().close()
  })

  test('the list updates by itself when an organization signs, and says so', async () => {
    const so = scenario()
    const { page } = await publicPage(so)
    assert.equal(await page.locator('#signatory-table tbody tr').count(), 3)
    so.endorse(so.signatory({ id: 8, name: 'Sindicato Norte', country: 'UY' }, { name: 'Eva', title: 'Secretary' }))
    await page.waitForFunction(() => document.querySelectorAll('#signatory-table tbody tr').length === 4, null, { timeout: 20000 })
    assert.match(await page.locator('#signatory-news').innerText(), /New signatories: Sindicato Norte \(UY\)/)
    assert.equal(await page.locator('#signatory-news').getAttribute('aria-live'), 'polite')
    assert.match(await page.locator('#signatory-counts').innerText(), /3 organizations signed/)
    await page.context().close()
  })

  test('asking to adhere: the proof of work is solved and the request posted with the honeypot empty', async () => {
    const so = scenario()
    const { page, state } = await publicPage(so)
    await page.fill('#adhere-org_name', 'Movimiento Sin Tierra')
    await page.fill('#adhere-org_short_name', 'MST')
    await page.fill('#adhere-org_country', 'br')
    await page.selectOption('#adhere-org_kind', 'movement')
    await page.fill('#adhere-org_website', 'https://mst.example.org')
    await page.fill('#adhere-sig_name', 'João Silva')
    await page.fill('#adhere-sig_title', 'Coordinator')
    await page.fill('#adhere-sig_email', 'joao@mst.example.org')
    await page.fill('#adhere-message', 'We took part in the Paris meeting.')
    await page.click('#adhere-submit')
    await page.waitForSelector('#adhere-done', { timeout: 30000 })
    assert.match(await page.locator('#adhere-done').innerText(), /Request sent[\s\S]*joao@mst\.example\.org/)
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'adhere-done')
    const accepted = state.posted.at(-1).body
    assert.deepEqual(accepted.organization, { name: 'Movimiento Sin Tierra', short_name: 'MST', country: 'BR', kind: 'movement', website: 'https://mst.example.org' })
    assert.deepEqual(accepted.signatory, { name: 'João Silva', title: 'Coordinator', email: 'joao@mst.example.org' })
    assert.equal(accepted.message, 'We took part in the Paris meeting.')
    assert.equal(accepted.website_confirm, undefined, 'the honeypot is not sent when empty')
    assert.ok(leadingZeroBits(createHash('sha256').update(`${accepted.challenge}:${accepted.nonce}`).digest()) >= DIFFICULTY)
    await shot(page, 'public-page-adhered')
    await page.context().close()
  })

  test('asking to adhere: a field error is shown at its field; rate limiting says when to retry', async () => {
    const so = scenario()
    const { page } = await publicPage(so)
    // The country is checked by the server (the stand-in wants two capitals; "1x" gets through the browser's pattern check only when removed).
    await page.evaluate(() => document.querySelector('#adhere-org_country').removeAttribute('pattern'))
    for (const [sel, v] of [['#adhere-org_name', 'X'], ['#adhere-org_short_name', 'X'], ['#adhere-org_country', '1x'], ['#adhere-sig_name', 'Y'], ['#adhere-sig_email', 'y@example.org']]) await page.fill(sel, v)
    await page.click('#adhere-submit')
    await page.waitForSelector('#adhere-org_country[aria-invalid="true"]', { timeout: 30000 })
    assert.match(await page.locator('#adhere-org_country-error').innerText(), /ISO 3166-1/)
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'adhere-org_country')
    // Now every request is refused for a while.
    await page.route(`**/api/v1/statements/${SLUG}/adherence-requests`, route => route.fulfill({ status: 429, contentType: 'application/problem+json', headers: { 'Retry-After': '300' }, body: JSON.stringify({ type: '/problems/rate-limited', title: 'Too many requests', status: 429 }) }))
    await page.fill('#adhere-org_country', 'FR')
    await page.click('#adhere-submit')
    await page.waitForFunction(() => /Too many requests/.test(document.querySelector('#adhere-alert')?.textContent ?? ''), null, { timeout: 30000 })
    assert.match(await page.locator('#adhere-alert').innerText(), /try again in 5 minutes/)
    await page.context().close()
  })

  test('in Spanish, and a statement that is not open for signature has no form', async () => {
    const so = scenario()
    so.openForSignature = false
    const { page } = await publicPage(so, { lang: 'es' })
    assert.match(await page.locator('#signatory-counts').innerText(), /2 organizaciones firmaron, 1 de ellas con reservas; 1 retiradas/)
    assert.equal(await page.locator('#adhere-form').count(), 0)
    const r = await verify(page)
    assert.equal(r.ok, 'true')
    assert.match(r.heading, /Verificado/)
    await page.context().close()
  })
})

describe('the secretariat vets requests to adhere (stand-in API)', () => {
  const sec = { id: 1, name: 'Secretariat', short_name: 'SEC', country: '', kind: 'other', website: '', hosts_instance: true }
  const me = { user: { id: 1, email: 's@example.org', display_name: 'Sara', language: 'en' }, memberships: [{ id: 1, user_id: 1, organization_id: 1, role: 'secretariat', organization: sec }], instance_secretariat: true, csrf_token: 'csrf' }
  const request = (id, o = {}) => ({
    id, statement_id: 12, state: 'pending', message: 'Please let us sign.', ip: '192.0.2.7', created_at: '2026-12-03T20:10:00Z', decided_by: null, decided_at: null, reason: '', organization_id: null, invitation_id: null, existing_organization: null,
    organization: { name: `Org ${id}`, short_name: `O${id}`, country: 'BR', kind: 'movement', website: 'https://o.example.org' },
    signatory: { name: `Person ${id}`, title: 'Coordinator', email: `p${id}@example.org` }, ...o
  })

  test('the statement screen opens it for signature; requests are approved (link to pass on) or rejected with a reason', async () => {
    const so = scenario()
    so.openForSignature = false
    const requests = [request(1), request(2), request(3, { existing_organization: { id: 9, name: 'Org Three', short_name: 'O3' } })]
    const { page, state } = await publicPage(so, { me, requests })
    await page.goto(`${standin.url}/#/statements/${SLUG}`)
    await page.waitForSelector('#signon')
    assert.equal(await page.locator('#public-page-link').getAttribute('href'), `/s/${SLUG}`)
    assert.equal(await page.locator('#open-for-signature').isChecked(), false)
    await page.check('#open-for-signature')
    await page.click('#open-form button[type=submit]')
    await page.waitForFunction(() => /open for signature/.test(document.querySelector('#manage-status')?.textContent ?? ''))
    assert.deepEqual(state.patched, [{ open_for_signature: true }])
    assert.equal(await page.locator('#open-for-signature').isChecked(), true)

    await page.click('#adherence-link')
    await page.waitForSelector('#adherence-requests')
    assert.equal(await page.locator('article.request').count(), 3)
    assert.match(await page.locator('article.request[data-id="1"]').innerText(), /Org 1 \(O1\)[\s\S]*BR[\s\S]*Social movement[\s\S]*Person 1, Coordinator[\s\S]*p1@example\.org[\s\S]*192\.0\.2\.7[\s\S]*Please let us sign\./)
    await page.locator('article.request[data-id="1"] .approve-button').click()
    await page.waitForSelector('#req-1-link')
    assert.equal(await page.locator('#req-1-link').inputValue(), 'http://accord.test/invite#aci_secret')
    assert.match(await page.locator('article.request[data-id="1"]').innerText(), /pass this invitation link to p1@example\.org/)
    assert.deepEqual(state.posted.at(-1), { decision: 'approve', id: 1, body: {} })
    // The one whose short name exists is linked to that organization by default; its
    // invitation went by e-mail.
    assert.match(await page.locator('article.request[data-id="3"]').innerText(), /An organization with this short name exists already: Org Three \(O3\)/)
    await page.locator('article.request[data-id="3"] .approve-button').click()
    await page.waitForSelector('#req-3-emailed')
    assert.match(await page.locator('#req-3-emailed').innerText(), /e-mailed to p3@example\.org/)
    assert.deepEqual(state.posted.at(-1), { decision: 'approve', id: 3, body: { organization_id: 9 } })
    await shot(page, 'adherence-requests')
    // Rejecting needs a reason.
    await page.fill('#req-2-reject-reason', 'Not an organization.')
    await page.locator('article.request[data-id="2"] form.reject button[type=submit]').click()
    await page.waitForFunction(() => /rejected/.test(document.querySelector('#adherence-status')?.textContent ?? ''))
    assert.deepEqual(state.posted.at(-1), { decision: 'reject', id: 2, body: { reason: 'Not an organization.' } })
    assert.equal(await page.locator('article.request[data-id="2"]').getAttribute('data-state'), 'rejected')
    await page.setViewportSize(PHONE)
    await noHorizontalScroll(page, 'requests on a phone')
    await page.context().close()
  })
})
