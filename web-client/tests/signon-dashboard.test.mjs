// Browser test of the secretariat's sign-on dashboard (#/statements/<slug>/signon) on the
// stand-in (tests/standin-server.mjs serves the production build; run `npm run build` first):
// page.route answers GET .../signon and POST .../signon/reminders from a fake kept here, shaped
// as proto/openapi.yaml says (SignonDashboard, SignonRemindersSent). The secretariat sees each
// organization's state in words, the counts, the chart with its table, the export links; sends
// reminders without mail (links to copy), and a second time too soon (the 429 is shown).
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { DESKTOP, PHONE, launchChromium, shot, noHorizontalScroll } from './support.mjs'

const SLUG = 'paris-2026'
let browser, standin

const sec = { id: 1, name: 'Secretariat', short_name: 'SEC', country: '', kind: 'other', website: '', hosts_instance: true }
const sara = { user: { id: 1, email: 'sara@example.org', display_name: 'Sara', language: 'en' }, memberships: [{ id: 1, user_id: 1, organization_id: 1, role: 'secretariat', organization: sec }], instance_secretariat: true, csrf_token: 'csrf-sara' }
const org = (id, name, short, country, state, extra = {}) => ({ id, name, short_name: short, country, state, endorsement: null, keys_pending: 0, last_reminded_at: null, ...extra })
const fake = {
  posted: [],
  reminded: false,
  dashboard: {
    statement: { id: 12, slug: SLUG, title: 'Paris declaration', phase: 'final' },
    manifest_sha256: 'ab'.repeat(32),
    counts: { participants: 4, signed: 1, with_reservations: 1, withdrawn: 0, awaiting_key: 1, not_signed: 1 },
    organizations: [
      org(3, 'Confédération générale du travail', 'CGT', 'FR', 'signed', { endorsement: { id: 1, signed_at: '2026-12-01T10:00:00Z', signatory: 'Ana Pérez', kind: 'adheres', withdrawn: false } }),
      org(4, 'Movimento dos Trabalhadores Sem Terra', 'MST', 'BR', 'awaiting-key', { keys_pending: 1 }),
      org(5, 'Solidarność', 'NSZZ', 'PL', 'signed-with-reservations', { endorsement: { id: 2, signed_at: '2026-12-03T09:00:00Z', signatory: 'Jan Kowalski', kind: 'adheres-with-reservations', withdrawn: false } }),
      org(6, 'Trades Union Congress', 'TUC', 'GB', 'not-signed')
    ],
    timeline: [
      { date: '2026-12-01', endorsements: 1, withdrawals: 0, cumulative: 1 },
      { date: '2026-12-03', endorsements: 1, withdrawals: 0, cumulative: 2 }
    ]
  }
}
const problem = (status, type, detail) => [status, { type: `/problems/${type}`, title: 'Too many requests', status, detail }]

function answer (method, path) {
  if (path === '/session') return [200, sara]
  if (path === `/statements/${SLUG}/signon` && method === 'GET') return [200, fake.dashboard]
  if (path === `/statements/${SLUG}/signon/reminders` && method === 'POST') {
    if (fake.reminded) return problem(429, 'rate-limited', 'Trades Union Congress was reminded less than an hour ago')
    fake.reminded = true
    const at = '2026-12-03T21:00:00Z'
    for (const o of fake.dashboard.organizations) if (o.id === 4 || o.id === 6) o.last_reminded_at = at
    return [200, {
      reminded: [{ organization_id: 4, name: 'Movimento dos Trabalhadores Sem Terra', recipients: 1, emailed: 0, reminded_at: at },
        { organization_id: 6, name: 'Trades Union Congress', recipients: 1, emailed: 0, reminded_at: at }],
      links: [{ organization_id: 4, name: 'Bea Souza', email: 'bea@example.org', link: `http://accord.example/#/statements/${SLUG}/sign` },
        { organization_id: 6, name: 'Tom Jones', email: 'tom@example.org', link: `http://accord.example/#/statements/${SLUG}/sign` }],
      skipped: [{ organization_id: 3, name: 'Confédération générale du travail', reason: 'signed' },
        { organization_id: 5, name: 'Solidarność', reason: 'signed' }]
    }]
  }
  return problem(404, 'not-found', path)
}

async function newPage (viewport = DESKTOP) {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  page.on('pageerror', e => console.error('pageerror', e))
  await page.route('**/api/v1/**', async route => {
    const req = route.request()
    const path = new URL(req.url()).pathname.replace('/api/v1', '')
    if (req.method() !== 'GET') fake.posted.push({ method: req.method(), path, csrf: req.headers()['x-csrf-token'] })
    const [status, reply] = answer(req.method(), path)
    await route.fulfill({ status, contentType: status >= 400 ? 'application/problem+json' : 'application/json', body: JSON.stringify(reply) })
  })
  return page
}

describe('sign-on dashboard (on the stand-in)', () => {
  before(async () => {
    browser = await launchChromium()
    const { startStandin } = await import('./standin-server.mjs')
    standin = await startStandin(0)
  })
  after(async () => { await browser?.close(); await standin?.stop() })

  test('shows every organization’s state in words, the counts, the chart and its table, the exports', async () => {
    const page = await newPage()
    await page.goto(standin.url + `/#/statements/${SLUG}/signon`)
    await page.waitForSelector('#signon-organizations')
    assert.equal(await page.locator('h1').innerText(), 'Sign-on dashboard: Paris declaration')
    const state = id => page.locator(`#signon-organizations tr[data-id="${id}"] .signon-state`).innerText()
    assert.equal(await state(3), 'Signed')
    assert.equal(await state(4), 'Key awaiting approval')
    assert.equal(await state(5), 'Signed with reservations')
    assert.equal(await state(6), 'Not signed')
    assert.match(await page.locator('#signon-organizations tr[data-id="3"]').innerText(), /Ana Pérez/)
    assert.equal(await page.locator('#signon-counts dd[data-count="signed"]').innerText(), '1')
    assert.equal(await page.locator('#signon-counts dd[data-count="participants"]').innerText(), '4')
    // The chart is an image with a name and a description, and the same numbers as a table.
    const svg = page.locator('#signon-chart svg[role="img"]')
    assert.equal(await svg.count(), 1)
    assert.match(await page.locator('#signon-chart-desc').textContent(), /from 2026-12-01 to 2026-12-03: 2 on the last day/)
    assert.equal(await page.locator('#signon-chart circle').count(), 2)
    await page.locator('#signon-chart summary').click()
    assert.deepEqual(await page.locator('#signon-timeline tbody tr').allInnerTexts(), ['2026-12-01\t1\t0\t1', '2026-12-03\t1\t0\t2'])
    assert.equal(await page.locator('#signon-export-csv').getAttribute('href'), `/api/v1/statements/${SLUG}/signatories?format=csv`)
    assert.equal(await page.locator('#signon-export-json').getAttribute('href'), `/api/v1/statements/${SLUG}/signatories?format=json`)
    await shot(page, 'signon-dashboard')
    await page.context().close()
  })

  test('sends reminders: links to copy without mail, and says when it is too soon', async () => {
    const page = await newPage()
    await page.goto(standin.url + `/#/statements/${SLUG}/signon`)
    await page.waitForSelector('#signon-remind-form')
    assert.match(await page.locator('#signon-remind-form').innerText(), /2 organizations have not signed/)
    await page.locator('#signon-remind-button').click()
    await page.waitForSelector('#signon-reminder-result')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'signon-reminded')
    assert.match(await page.locator('#signon-reminded').innerText(), /Reminders sent to 2 organizations/)
    assert.equal(await page.locator('#signon-link-0').inputValue(), `http://accord.example/#/statements/${SLUG}/sign`)
    assert.match(await page.locator('#signon-link-1').getAttribute('aria-label'), /Tom Jones \(tom@example\.org\)/)
    assert.match(await page.locator('#signon-skipped').innerText(), /Solidarność: has signed/)
    assert.notEqual(await page.locator('#signon-organizations tr[data-id="6"] .reminded').innerText(), 'never')
    const post = fake.posted.find(p => p.path.endsWith('/signon/reminders'))
    assert.equal(post.csrf, 'csrf-sara')
    // Again: the server refuses; the problem is shown and the screen stays.
    await page.locator('#signon-remind-button').click()
    await page.waitForFunction(() => /less than an hour/.test(document.getElementById('signon-remind-alert')?.textContent ?? ''))
    await shot(page, 'signon-dashboard-reminded')
    await page.context().close()
  })

  test('fits a phone', async () => {
    const page = await newPage(PHONE)
    await page.goto(standin.url + `/#/statements/${SLUG}/signon`)
    await page.waitForSelector('#signon-organizations')
    await noHorizontalScroll(page, 'sign-on dashboard')
    await shot(page, 'signon-dashboard-phone')
    await page.context().close()
  })
})
