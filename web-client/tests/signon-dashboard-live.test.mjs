// Browser test of the secretariat's sign-on dashboard (#/statements/<slug>/signon) against accordd
// (ACCORD_BIN_DIR) serving the production build — signon-dashboard.test.mjs with the real server
// behind it. Four organizations take part in signing a final statement: CGT signed, NSZZ signed
// with reservations, TUC's key awaits approval, ATTAC has not signed. The secretariat sees each
// state in words, the counts and the chart's table; sends reminders (accordd here sends no mail:
// links to copy, for TUC's and ATTAC's signatories only), is refused a second round within the
// hour; downloads the CSV (RFC 4180, formula-safe) and JSON exports and finds what was signed.
// Run `npm run build` first. Screenshots: test-results/.
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { PASSWORD, skipServer, launchChromium, startServer, signIn, apiCall as call, typeParagraphs, shot } from './support.mjs'
import { createAndRegisterKey, approveKey, signStatement } from './signon-support.mjs'

const SLUG = 'geneva-2026'
// A reservation that a spreadsheet would take for a formula, with a comma and quotes in it.
const RESERVATIONS = '=SUM(A1), "paragraph 2" goes too far'
let browser

before(async () => { browser = await launchChromium() })
after(async () => { await browser?.close() })

/** RFC 4180 records of `text` (quoted fields, doubled quotes, CRLF line ends). */
function parseCsv (text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++ } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') { row.push(field); field = '' } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++ } else field += c
  }
  assert.equal(field + row.join(''), '', 'the CSV ends with CRLF')
  return rows
}

describe('sign-on dashboard with accordd', { skip: skipServer }, () => {
  let server, orgs, manifestSha
  const pages = {}
  const signed = {}
  const people = {
    CGT: ['Confédération générale du travail', 'FR', 'ana@cgt.example.org', 'Ana Pérez'],
    NSZZ: ['Solidarność', 'PL', 'jan@nszz.example.org', 'Jan Kowalski'],
    TUC: ['Trades Union Congress', 'GB', 'tom@tuc.example.org', 'Tom Jones'],
    ATTAC: ['Attac France', 'FR', 'eve@attac.example.org', 'Eve Martin']
  }

  before(async () => {
    const accounts = await import('../../tests/node/lib/accounts.mjs')
    server = await startServer()
    const d = server.dataDir
    accounts.setupInstance(d, { password: PASSWORD })
    orgs = {}
    for (const [short, [name, country, email, person]] of Object.entries(people)) {
      orgs[short] = Number(accounts.accord(d, 'org', 'add', '--name', name, '--short', short, '--country', country, '--kind', 'union').trim())
      accounts.addUser(d, email, { name: person, org: short, role: 'signatory', password: PASSWORD })
    }
  })
  after(async () => {
    for (const p of Object.values(pages)) await p.context().close().catch(() => {})
    await server?.stop()
  })

  test('set-up: four participants sign, sign with reservations, await a key, or not at all', async () => {
    const S = pages.sec = await signIn(browser, server.url, 'sec', 'secretariat@example.org')
    assert.equal((await call(S, 'POST', '/statements', { slug: SLUG, title: 'Geneva appeal', language: 'en' })).status, 201)
    for (const id of Object.values(orgs)) {
      assert.equal((await call(S, 'PUT', `/statements/${SLUG}/participants/${id}`, { edit: false, amend: false, sign: true })).status, 200)
    }
    await S.goto(`${server.url}/d/statement.${SLUG}`)
    await S.waitForSelector('.accord-editor[contenteditable="true"]')
    await typeParagraphs(S, ['Peace is a public good.'])
    for (const short of ['CGT', 'NSZZ', 'TUC']) {
      const P = pages[short] = await signIn(browser, server.url, short, people[short][2])
      await createAndRegisterKey(P, server.url, `${short} laptop`, { backup: false })
      if (short === 'TUC') continue // awaits approval
      const [key] = (await call(P, 'GET', '/signing-keys')).body.keys
      await approveKey(S, server.url, key.id, people[short][0])
    }
    const r = await call(S, 'PATCH', `/statements/${SLUG}`, { phase: 'final' })
    assert.equal(r.status, 200, JSON.stringify(r.body))
    manifestSha = r.body.manifest.manifest_sha256
    signed.CGT = await signStatement(pages.CGT, server.url, SLUG, manifestSha, 'General Secretary', { text: /Peace is a public good\./ })
    signed.NSZZ = await signStatement(pages.NSZZ, server.url, SLUG, manifestSha, 'Chair', { reservations: RESERVATIONS })
  })

  test('the secretariat sees each state in words, the counts and the chart as a table', async () => {
    const S = pages.sec
    await S.goto(`${server.url}/#/statements/${SLUG}/signon`)
    await S.waitForSelector('#signon-organizations')
    assert.equal(await S.locator('h1').innerText(), 'Sign-on dashboard: Geneva appeal')
    assert.equal(await S.locator('h1').count(), 1)
    // Each section is named by its heading.
    for (const id of ['signon-chart', 'signon-remind', 'signon-export']) {
      assert.equal(await S.locator(`section#${id}`).getAttribute('aria-labelledby'), `${id}-h`)
      assert.ok((await S.locator(`h2#${id}-h`).innerText()).length > 0)
    }
    const row = short => S.locator(`#signon-organizations tr[data-id="${orgs[short]}"]`)
    const state = short => row(short).locator('.signon-state').innerText()
    assert.equal(await state('CGT'), 'Signed')
    assert.equal(await state('NSZZ'), 'Signed with reservations')
    assert.equal(await state('TUC'), 'Key awaiting approval')
    assert.equal(await state('ATTAC'), 'Not signed')
    assert.match(await row('CGT').innerText(), /Ana Pérez/)
    assert.match(await row('NSZZ').innerText(), /Jan Kowalski/)
    assert.equal(await row('TUC').getAttribute('data-state'), 'awaiting-key')
    // The table is named and its headers are scoped.
    assert.equal(await S.locator('#signon-organizations caption').count(), 1)
    assert.equal(await S.locator('#signon-organizations thead th[scope="col"]').count(), 7)
    assert.equal(await S.locator('#signon-organizations tbody th[scope="row"]').count(), 4)
    const count = name => S.locator(`#signon-counts dd[data-count="${name}"]`).innerText()
    assert.deepEqual(await Promise.all(['participants', 'signed', 'with_reservations', 'withdrawn', 'awaiting_key', 'not_signed'].map(count)), ['4', '1', '1', '0', '1', '1'])
    // The chart: an image with a name and description; the same numbers as a table.
    assert.equal(await S.locator('#signon-chart svg[role="img"]').count(), 1)
    const today = new Date().toISOString().slice(0, 10)
    assert.match(await S.locator('#signon-chart-desc').textContent(), /2 on the last day/)
    await S.locator('#signon-chart summary').click()
    assert.deepEqual(await S.locator('#signon-timeline tbody tr').allInnerTexts(), [`${today}\t2\t0\t2`])
    await shot(S, 'signon-dashboard-live')
  })

  test('reminders: links to copy for the organizations that have not signed only; not again within the hour', async () => {
    const S = pages.sec
    assert.match(await S.locator('#signon-remind-form').innerText(), /2 organizations have not signed/)
    await S.click('#signon-remind-button')
    await S.waitForSelector('#signon-reminder-result')
    // The result is announced (a status region) and focused.
    assert.equal(await S.locator('#signon-reminded').getAttribute('role'), 'status')
    assert.equal(await S.evaluate(() => document.activeElement?.id), 'signon-reminded')
    assert.match(await S.locator('#signon-reminded').innerText(), /Reminders sent to 2 organizations/)
    assert.match(await S.locator('#signon-reminder-result').innerText(), /does not send e-mail: pass these links on/)
    const boxes = S.locator('#signon-reminder-result input.copy-input')
    assert.equal(await boxes.count(), 2)
    const labels = await boxes.evaluateAll(es => es.map(e => e.getAttribute('aria-label')))
    assert.deepEqual(labels.sort(), ['Link to sign for Eve Martin (eve@attac.example.org)', 'Link to sign for Tom Jones (tom@tuc.example.org)'])
    for (const v of await boxes.evaluateAll(es => es.map(e => e.value))) assert.equal(v, `${server.url}/#/statements/${SLUG}/sign`)
    assert.match(await S.locator('#signon-skipped').innerText(), /Confédération générale du travail: has signed[\s\S]*Solidarność: has signed/)
    for (const short of ['TUC', 'ATTAC']) {
      assert.notEqual(await S.locator(`#signon-organizations tr[data-id="${orgs[short]}"] .reminded`).innerText(), 'never')
    }
    assert.equal(await S.locator(`#signon-organizations tr[data-id="${orgs.CGT}"] .reminded`).innerText(), 'never')
    // A second round within the hour: refused, said in the form's alert; nothing else changes.
    await S.click('#signon-remind-button')
    await S.waitForFunction(() => /less than an hour/.test(document.getElementById('signon-remind-alert')?.textContent ?? ''))
    assert.equal(await S.locator('#signon-remind-alert').getAttribute('role'), 'alert')
    assert.equal(await S.locator('#signon-remind-alert').isVisible(), true)
    await shot(S, 'signon-dashboard-live-reminded')
  })

  test('the CSV and JSON exports download with what was signed', async () => {
    const S = pages.sec
    const download = async sel => {
      const [d] = await Promise.all([S.waitForEvent('download'), S.click(sel)])
      return { name: d.suggestedFilename(), text: await readFile(await d.path(), 'utf8') }
    }
    const csv = await download('#signon-export-csv')
    assert.equal(csv.name, `${SLUG}-signatories.csv`)
    assert.ok(csv.text.endsWith('\r\n') && !/[^\r]\n/.test(csv.text), 'CRLF line ends')
    const [header, ...rows] = parseCsv(csv.text)
    assert.deepEqual(header, ['organization', 'short_name', 'country', 'signatory', 'title', 'kind', 'reservations', 'signed_at', 'endorsement_sha256', 'log_index'])
    assert.equal(rows.length, 2, 'the two that signed, no one else')
    const byOrg = Object.fromEntries(rows.map(r => [r[1], Object.fromEntries(header.map((h, i) => [h, r[i]]))]))
    assert.deepEqual(Object.keys(byOrg).sort(), ['CGT', 'NSZZ'])
    assert.equal(byOrg.CGT.signatory, 'Ana Pérez')
    assert.equal(byOrg.CGT.organization, 'Confédération générale du travail')
    assert.equal(byOrg.CGT.kind, 'adheres')
    assert.equal(byOrg.CGT.endorsement_sha256, signed.CGT.sha256)
    assert.equal(byOrg.NSZZ.kind, 'adheres-with-reservations')
    assert.equal(byOrg.NSZZ.reservations, "'" + RESERVATIONS, 'a formula-like cell is prefixed with a quote')
    assert.equal(byOrg.NSZZ.endorsement_sha256, signed.NSZZ.sha256)
    assert.ok(csv.text.includes('"\'=SUM(A1), ""paragraph 2"" goes too far"'), 'quoted as RFC 4180 says')

    const js = await download('#signon-export-json')
    assert.equal(js.name, `${SLUG}-signatories.json`)
    const list = JSON.parse(js.text)
    assert.equal(list.length, 2)
    const nszz = list.find(e => e.short_name === 'NSZZ')
    assert.equal(nszz.reservations, RESERVATIONS, 'JSON keeps the text as signed')
    assert.equal(nszz.reservations, signed.NSZZ.signed.reservations)
    assert.equal(nszz.signatory, signed.NSZZ.signed.signatory.name)
    assert.equal(nszz.title, 'Chair')
    assert.equal(nszz.signed_at, signed.NSZZ.signed.signed_at)
    assert.equal(list.find(e => e.short_name === 'CGT').endorsement_sha256, signed.CGT.sha256)
    assert.ok(list.every(e => Number.isInteger(e.log_index)))
  })
})
