// Browser test of the amendment workflow of issue 7 (Debian's Chromium via playwright-core)
// against accordd (ACCORD_BIN_DIR) serving the client's production build:
// a delegate of NORTE proposes an amendment from the amendments screen, changes its text in
// the editor and submits it; a delegate of SUR supports it (reaching the threshold makes it
// "supported"); the secretariat finds it in the list under the paragraph it changes, accepts
// it, moves the statement to consolidation and merges it; the new version's diff against the
// previous one shows the change. Run `npm run build` first. Screenshots: test-results/.
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
const shots = path.resolve(here, '../test-results')
mkdirSync(shots, { recursive: true })
process.env.ACCORD_BIN_DIR ||= path.resolve(here, '../../build-asan/bin')
const haveAccordd = existsSync(path.join(process.env.ACCORD_BIN_DIR, 'accordd'))
// As in the other files: only an explicit stand-in run skips the accordd part.
const skipServer = process.env.ACCORD_STANDIN === '1' && 'needs accordd (the stand-in has no accounts)'

const PASSWORD = 'correct horse battery staple'
const DESKTOP = { width: 1280, height: 860 }
const PHONE = { width: 390, height: 800 }
const SLUG = 'enmiendas'
let browser

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })
})
after(async () => { await browser?.close() })

const shot = (page, name) => page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true })
// What a sighted reader sees: the text without the visually hidden words for screen readers.
const seen = locator => locator.evaluate(e => { const c = e.cloneNode(true); c.querySelectorAll('.sr-only').forEach(x => x.remove()); return c.textContent })
const texts = (page, sel) => page.locator(sel).evaluateAll(es => es.map(e => { const c = e.cloneNode(true); c.querySelectorAll('.sr-only').forEach(x => x.remove()); return c.textContent }))
async function noHorizontalScroll (page, what) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  if (scroll > width) {
    // Name the elements that stick out, to find the culprit from the log.
    console.error(await page.evaluate(w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w).map(e => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 15).join('\n'), width))
  }
  assert.ok(scroll <= width, `${what}: no horizontal scroll at ${width}px (content is ${scroll}px wide)`)
}
const statusSays = (page, re) => page.waitForFunction(src => new RegExp(src).test(document.querySelector('#am-status')?.textContent ?? ''), re.source)

describe('amendments with accordd', { skip: skipServer }, () => {
  let server, accounts
  const pages = {}
  const orgs = {}

  before(async () => {
    if (!haveAccordd) throw new Error(`no accordd in ${process.env.ACCORD_BIN_DIR}: build it or set ACCORD_BIN_DIR`)
    const { startAccordd } = await import('../../tests/node/lib/accordd.mjs')
    accounts = await import('../../tests/node/lib/accounts.mjs')
    server = await startAccordd({ args: ['--web', path.resolve(here, '../dist')] })
    const d = server.dataDir
    accounts.setupInstance(d, { password: PASSWORD })
    orgs.NORTE = accounts.addOrg(d, 'NORTE', { name: 'Sindicato Norte', kind: 'union' })
    orgs.SUR = accounts.addOrg(d, 'SUR', { name: 'Frente Sur', kind: 'movement' })
    accounts.addUser(d, 'ana@example.org', { name: 'Ana', org: 'NORTE', role: 'delegate', password: PASSWORD })
    accounts.addUser(d, 'bruno@example.org', { name: 'Bruno', org: 'SUR', role: 'delegate', password: PASSWORD })
  })
  after(async () => { await server?.stop() })

  async function signedIn (who, email, viewport = DESKTOP) {
    const context = await browser.newContext({ locale: 'en-US', viewport })
    const page = await context.newPage()
    page.on('pageerror', e => console.error(`[${who}] pageerror`, e))
    await page.goto(server.url + '/signin')
    await page.fill('#email', email)
    await page.fill('#password', PASSWORD)
    await page.click('#signin button[type=submit]')
    await page.waitForSelector('#signed-in-as')
    pages[who] = page
    return page
  }
  // The REST API from inside the signed-in page (session cookie + CSRF token): only for the
  // set-up the other browser tests already cover through the screens.
  const call = (page, method, p, body) => page.evaluate(async ([method, p, body]) => {
    const s = await (await fetch('/api/v1/session')).json()
    const r = await fetch('/api/v1' + p, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token }, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: r.status, body: await r.json().catch(() => null) }
  }, [method, p, body])
  const savedState = page => page.waitForFunction(() => document.querySelector('#saved-status')?.dataset.state === 'saved', null, { timeout: 10000 })

  test('set-up: a statement with two paragraphs in the amendments phase (version 1), threshold 1', async () => {
    const S = await signedIn('sec', 'secretariat@example.org')
    assert.equal((await call(S, 'POST', '/statements', { slug: SLUG, title: 'Declaración con enmiendas', language: 'es' })).status, 201)
    for (const id of [orgs.NORTE, orgs.SUR]) {
      assert.equal((await call(S, 'PUT', `/statements/${SLUG}/participants/${id}`, { edit: true, amend: true, sign: true })).status, 200)
    }
    const A = await signedIn('ana', 'ana@example.org')
    await A.goto(`${server.url}/d/statement.${SLUG}`)
    await A.waitForSelector('.accord-editor[contenteditable="true"]')
    await A.click('.accord-editor')
    await A.keyboard.type('We demand peace and bread.')
    await A.keyboard.press('Enter')
    await A.keyboard.type('Second point stays.')
    await savedState(A)
    assert.equal((await call(S, 'PATCH', `/statements/${SLUG}/amendment-settings`, { support_threshold: 1 })).status, 200)
    assert.equal((await call(S, 'PATCH', `/statements/${SLUG}`, { phase: 'amendments' })).status, 200)
    const versions = (await call(S, 'GET', `/statements/${SLUG}/versions`)).body.items
    assert.equal(versions.length, 1)
  })

  test('a delegate proposes an amendment, changes its text in the editor and submits it', async () => {
    const A = pages.ana
    await A.goto(server.url + '/#/')
    await A.click(`li.statement[data-slug="${SLUG}"] a.amendments`)
    await A.waitForSelector('#amendment-new')
    assert.match(await A.locator('#amendment-list').innerText(), /No amendment yet/)
    assert.match(await A.locator('#amendment-new-org').innerText(), /NORTE — Sindicato Norte/)
    assert.equal(await A.locator('#amendment-new-base_version').inputValue(), '1', 'the latest version by default')
    await A.fill('#amendment-new-title', 'Lasting peace')
    await A.fill('#amendment-new-rationale', 'Peace must last.')
    await A.click('#amendment-new button[type=submit]')
    // Straight into the amendment's own text, writable while it is a draft.
    await A.waitForURL(`**/d/statement.${SLUG}.amendment.1`)
    await A.waitForSelector('.accord-editor[contenteditable="true"]')
    assert.equal(await A.locator('#doc-title').innerText(), 'Amendment 1: Lasting peace')
    assert.match(await A.locator('#phase').innerText(), /State: Draft/)
    await A.waitForFunction(() => /We demand peace and bread\./.test(document.querySelector('.accord-editor').textContent))
    await A.evaluate(() => {
      const view = window.accord.editor.view
      let at = -1
      view.state.doc.descendants((n, pos) => { if (n.isText && at < 0 && n.text.includes('peace')) at = pos + n.text.indexOf('peace') })
      view.dispatch(view.state.tr.insertText('lasting ', at))
    })
    await savedState(A)
    await A.click('#versions-link') // "The amendment's page"
    await A.waitForSelector('#am-edit')
    assert.equal(await A.locator('main > h1').innerText(), 'Amendment 1: Lasting peace')
    assert.equal(await A.locator('#am-edit-rationale').inputValue(), 'Peace must last.')
    assert.equal(await A.locator('#am-edit-text').innerText(), 'Edit the amendment text')
    // The change against version 1, as the consolidated text and side by side.
    await A.waitForSelector('#am-diff .diff-inline')
    assert.match(await seen(A.locator('#am-diff .diff-unit.diff-changed')), /We demand \{\+lasting \+\}peace and bread\./)
    await A.check('#am-diff-side')
    await A.waitForSelector('#am-diff .diff-side')
    assert.match(await seen(A.locator('#am-diff tr.diff-changed td.diff-new')), /\{\+lasting \+\}/)
    assert.equal(await A.locator('section#amendment-comments').count(), 1, 'the comments mount point')
    // The rationale is editable while it is a draft.
    await A.fill('#am-edit-rationale', 'Peace must last; bread too.')
    await A.click('#am-edit button[type=submit]')
    await statusSays(A, /Changes saved/)
    await shot(A, 'amendment-draft')
    // Submit by keyboard.
    await A.focus('#am-submit')
    await A.keyboard.press('Enter')
    await statusSays(A, /The amendment is submitted/)
    assert.equal(await A.evaluate(() => document.activeElement.id), 'am-status')
    assert.equal(await A.locator('#am-meta .am-state').innerText(), 'Submitted')
    assert.match(await A.locator('.am-rationale-text').innerText(), /bread too/)
    assert.equal(await A.locator('#am-submit').count(), 0)
    assert.match(await A.locator('#am-history-table').innerText(), /Draft → Submitted[\s\S]*Ana/)
    // Its text is now read-only, with the reason.
    await A.click('#am-edit-text')
    await A.waitForSelector('.accord-editor[contenteditable="false"]')
    assert.match(await A.locator('#readonly-reason').innerText(), /submitted: its text no longer changes/)
  })

  test('a delegate of another organization supports it (on a phone)', async () => {
    const B = await signedIn('bruno', 'bruno@example.org', PHONE)
    await B.goto(`${server.url}/#/statements/${SLUG}/amendments/1`)
    await B.waitForSelector('#am-actions')
    assert.equal(await B.locator('#am-submit, #am-withdraw, #am-edit').count(), 0, 'no proposer controls')
    assert.match(await B.locator('#am-support-count').innerText(), /Supporters: 0 of 1 needed/)
    assert.match(await B.locator('.am-rationale-text').innerText(), /Peace must last/)
    const support = B.locator(`button.am-support[data-org="${orgs.SUR}"]`)
    assert.equal(await support.innerText(), 'Support on behalf of SUR')
    await support.focus()
    await B.keyboard.press('Enter')
    await statusSays(B, /SUR supports the amendment now/)
    assert.equal(await B.locator('#am-meta .am-state').innerText(), 'Supported')
    assert.match(await B.locator('#am-support-count').innerText(), /Supporters: 1 of 1 needed/)
    assert.match(await B.locator('#am-supporters').innerText(), /SUR — Bruno/)
    assert.equal(await B.locator(`button.am-unsupport[data-org="${orgs.SUR}"]`).count(), 1, 'the support can be withdrawn')
    assert.match(await B.locator('#am-history-table').innerText(), /Submitted → Supported[\s\S]*automatically/)
    await noHorizontalScroll(B, 'amendment page on a phone')
    await shot(B, 'amendment-supported-phone')
    // The editor is read-only for another organization, with the reason.
    await B.click('#am-edit-text')
    await B.waitForSelector('.accord-editor[contenteditable="false"]')
    assert.match(await B.locator('#readonly-reason').innerText(), /its text no longer changes/)
  })

  test('the secretariat finds it under its paragraph and accepts it', async () => {
    const S = pages.sec
    await S.goto(`${server.url}/#/statements/${SLUG}`)
    await S.click('#amendments-link')
    await S.waitForSelector('#amendment-groups')
    assert.equal(await S.locator('#amendment-new').count(), 0, 'the secretariat proposes for no organization')
    const group = S.locator('section.am-group[data-paragraph="1"]')
    assert.match(await group.locator('h2').innerText(), /§1[\s\S]*We demand peace and bread/)
    const row = group.locator('tr[data-number="1"]')
    assert.match(await row.innerText(), /#1[\s\S]*Lasting peace[\s\S]*NORTE[\s\S]*Supported[\s\S]*Supporters: 1 of 1 needed/)
    // The filter by state, by keyboard.
    await S.selectOption('#am-filter', 'accepted')
    await S.waitForSelector('#amendments-none')
    assert.match(S.url(), /amendments\?state=accepted$/)
    await S.selectOption('#am-filter', 'supported')
    await S.waitForSelector('tr[data-number="1"]')
    await shot(S, 'amendments-list')

    await S.click('tr[data-number="1"] a.am-title')
    await S.waitForSelector('#am-settle')
    assert.equal(await S.locator('#am-settle-accepted').isChecked(), true)
    // Rejecting needs a reason: the browser keeps the form until one is given.
    await S.check('#am-settle-rejected')
    assert.equal(await S.locator('#am-settle-reason').evaluate(e => e.required), true)
    await S.check('#am-settle-accepted')
    assert.equal(await S.locator('#am-settle-reason').evaluate(e => e.required), false)
    await S.fill('#am-settle-reason', 'Agreed in the meeting.')
    await S.click('#am-settle button[type=submit]')
    await statusSays(S, /The amendment is now: Accepted/)
    assert.equal(await S.locator('#am-meta .am-state').innerText(), 'Accepted')
    assert.match(await S.locator('#am-history-table').innerText(), /Supported → Accepted[\s\S]*Agreed in the meeting\./)
    assert.equal(await S.locator('#am-settle').count(), 0, 'nothing more to settle')
  })

  test('consolidation: the secretariat merges it and the new version\'s diff shows the change', async () => {
    const S = pages.sec
    await S.goto(`${server.url}/#/statements/${SLUG}`)
    await S.waitForSelector('#phase')
    await S.selectOption('#phase-phase', 'consolidation')
    await S.click('#phase button[type=submit]')
    await S.waitForFunction(() => /Changes saved/.test(document.querySelector('#manage-status')?.textContent))
    await S.click('#amendments-link')
    await S.click('#merge-link')
    await S.waitForSelector('#merge')
    assert.equal(await S.locator('#merge-am-1').isChecked(), true)
    assert.equal(await S.locator('#merge-collisions .collision').count(), 0)
    await S.fill('#merge-label', 'Amendment 1 merged')
    await S.click('#merge button[type=submit]')
    await S.waitForSelector('#merge-result')
    const before = (await call(S, 'GET', `/statements/${SLUG}/versions`)).body.items
    const merged = before[before.length - 1]
    assert.equal(merged.reason, 'merge')
    assert.match(await S.locator('#merge-result h2').innerText(), new RegExp(`Version ${merged.number} “Amendment 1 merged” was made`))
    assert.match(await S.locator('#merge-outcome li[data-merged="1"]').innerText(), /#1 was merged/)
    assert.equal(await S.evaluate(() => document.activeElement.id), 'merge-result')
    assert.match(await S.locator('#merge-none').innerText(), /No accepted amendment is waiting/)
    await shot(S, 'amendments-merged')
    await S.click('#merge-diff')
    await S.waitForSelector('#diff-body.diff-inline')
    assert.deepEqual(await texts(S, '#diff-body ins'), ['lasting '])
    assert.match(await seen(S.locator('.diff-unit.diff-changed')), /We demand \{\+lasting \+\}peace and bread\./)
    // The amendment says where it went.
    await S.goto(`${server.url}/#/statements/${SLUG}/amendments/1`)
    await S.waitForSelector('#am-flags .am-merged')
    assert.match(await S.locator('#am-flags').innerText(), new RegExp(`merged in version ${merged.number}`))
  })
})
