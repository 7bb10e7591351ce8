// Browser test of the amendment workflow of issue 7 (Debian's Chromium via playwright-core)
// against accordd (ACCORD_BIN_DIR) serving the client's production build:
// a delegate of NORTE proposes an amendment from the amendments screen, changes its text in
// the editor and submits it; a delegate of SUR supports it (reaching the threshold makes it
// "supported") and proposes one that changes the same place; the secretariat finds both in the
// list under the paragraph they change, accepts them, moves the statement to consolidation and
// merges, taking #1 in the collision; the new version's diff against the previous one shows
// the change. Run `npm run build` first. Screenshots: test-results/.
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { PASSWORD, DESKTOP, PHONE, skipServer, launchChromium, startServer, signIn, apiCall as call, waitSaved as savedState, typeParagraphs, shot, noHorizontalScroll, seen, texts } from './support.mjs'

const SLUG = 'enmiendas'
let browser

before(async () => { browser = await launchChromium() })
after(async () => { await browser?.close() })

const statusSays = (page, re) => page.waitForFunction(src => new RegExp(src).test(document.querySelector('#am-status')?.textContent ?? ''), re.source)

// ---------------------------------------------------------------------------------------------
// The list's grouping and flags and the merge view's collisions, against fixed API answers on
// the stand-in (tests/standin-server.mjs): what the real flow below cannot reach with one
// amendment.
describe('list and merge view (fixed API answers)', () => {
  let standin
  const rights = {
    'edit-draft': true, 'settle-amendment': true, 'change-phase': true, 'publish-version': true,
    'manage-participants': true, 'propose-amendment-for': [], 'support-amendment-for': [], 'endorse-for': []
  }
  const sec = { id: 1, name: 'Secretariat', short_name: 'SEC', country: '', kind: 'other', website: '', hosts_instance: true }
  const me = { user: { id: 1, email: 's@example.org', display_name: 'Sara', language: 'en' }, memberships: [{ id: 1, user_id: 1, organization_id: 1, role: 'secretariat', organization: sec }], instance_secretariat: true, csrf_token: 'csrf' }
  const statement = { id: 1, slug: 'cierre', title: 'Declaración de cierre', language: 'es', phase: 'consolidation', phase_deadline: null, document: 'statement.cierre', participants: [], rights }
  const norte = { id: 2, short_name: 'NORTE', name: 'Sindicato Norte' }
  const sur = { id: 3, short_name: 'SUR', name: 'Frente Sur' }
  const p = (index, marker, excerpt) => ({ index, marker, excerpt })
  const am = (number, o) => ({
    number, title: `Amendment title ${number}`, rationale: '', state: 'accepted', organization: norte, base_version: 2,
    document: `statement.cierre.amendment.${number}`, supporters: 0, created_by: { id: 4, name: 'Ana' }, created_at: '2026-12-01T10:00:00Z',
    paragraphs: [], collides_with: [], obsolete: false, merged_in_version: null, ...o
  })
  const amendments = [
    am(2, { paragraphs: [p(3, '2.', 'We demand peace')], collides_with: [5] }),
    am(3, { state: 'accepted-with-modification', organization: sur, paragraphs: [p(1, '#', 'Declaration')] }),
    am(5, { organization: sur, paragraphs: [p(3, '2.', 'We demand peace')], collides_with: [2] }),
    am(6, { state: 'rejected', paragraphs: [p(4, '3.', 'Bread for all')], obsolete: true }),
    am(7, { paragraphs: [p(1, '#', 'Declaration'), p(4, '3.', 'Bread for all')] }),
    am(8, { state: 'accepted', paragraphs: [p(4, '3.', 'Bread for all')], merged_in_version: 2 }),
    am(9, { state: 'draft' })
  ]
  const diffOf = n => ({
    from: 2, to: `amendment-${n}`,
    diff: {
      version: 1,
      stats: { equal: 1, changed: 1, inserted: 0, deleted: 0, moved: 0, markers_changed: 0, words_inserted: 1, words_deleted: 0, work: 5, bounded: false },
      entries: [
        { kind: 'equal', old_index: 0, new_index: 0, old_marker: '', new_marker: '', marker_changed: false, counterpart: null, spans: [{ op: 'equal', text: 'Unchanged paragraph.' }] },
        { kind: 'changed', old_index: 1, new_index: 1, old_marker: '2. ', new_marker: '2. ', marker_changed: false, counterpart: null, spans: [{ op: 'equal', text: 'We demand ' }, { op: 'insert', text: `wording ${n} ` }, { op: 'equal', text: 'peace.' }] }
      ]
    }
  })

  const detail5 = {
    ...amendments.find(a => a.number === 5), state: 'submitted', rationale: 'Una paz <b>verdadera</b>.', supporters: 1,
    transitions: [{ from: 'draft', to: 'submitted', by: { id: 6, name: 'Bruno' }, at: '2026-12-01T11:00:00Z', reason: '' }],
    supporter_list: [{ organization: norte, by: { id: 4, name: 'Ana' }, at: '2026-12-01T12:00:00Z' }]
  }

  before(async () => {
    const { startStandin } = await import('./standin-server.mjs')
    standin = await startStandin(0)
  })
  after(async () => { await standin?.stop() })

  async function fixturePage (viewport = DESKTOP, merges = [], lang = 'en') {
    const context = await browser.newContext({ locale: lang === 'es' ? 'es-AR' : 'en-US', viewport })
    if (lang === 'es') await context.addInitScript(() => localStorage.setItem('accord.lang', 'es'))
    const page = await context.newPage()
    page.on('pageerror', e => console.error('pageerror', e))
    const posted = []
    await page.route('**/api/v1/**', async route => {
      const req = route.request()
      const path = new URL(req.url()).pathname.replace('/api/v1', '')
      const json = (status, body) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) })
      if (path === '/session') return json(200, me)
      if (path === '/statements/cierre') return json(200, statement)
      if (path === '/statements/cierre/amendments') return json(200, { items: amendments })
      if (path === '/statements/cierre/amendment-settings') return json(200, { support_threshold: 2, support_deadline: null })
      const d = path.match(/^\/statements\/cierre\/amendments\/(\d+)\/diff$/)
      if (d) return json(200, diffOf(Number(d[1])))
      if (path === '/statements/cierre/amendments/5' && req.method() === 'GET') return json(200, detail5)
      if (path === '/statements/cierre/amendments/5/transitions') {
        posted.push({ body: JSON.parse(req.postData()), csrf: req.headers()['x-csrf-token'] })
        return json(200, { ...detail5, state: 'obsolete' })
      }
      if (path === '/statements/cierre/merges' && req.method() === 'POST') {
        posted.push({ body: JSON.parse(req.postData()), csrf: req.headers()['x-csrf-token'] })
        const [status, body] = merges.shift()
        return json(status, body)
      }
      return json(404, { type: '/problems/not-found', title: 'Not found', status: 404, detail: path })
    })
    return { page, posted }
  }

  test('the list: grouped by base paragraph, flags in words, filtered by state', async () => {
    const { page } = await fixturePage()
    await page.goto(standin.url + '/#/statements/cierre/amendments')
    await page.waitForSelector('#amendment-groups')
    const groups = page.locator('section.am-group')
    assert.deepEqual(await groups.evaluateAll(es => es.map(e => e.dataset.paragraph)), ['1', '3', '4', ''])
    const numbers = i => groups.nth(i).locator('tbody tr').evaluateAll(es => es.map(e => Number(e.dataset.number)))
    assert.deepEqual(await numbers(0), [3, 7])
    assert.deepEqual(await numbers(1), [2, 5])
    assert.deepEqual(await numbers(2), [6, 7, 8])
    assert.deepEqual(await numbers(3), [9])
    assert.match(await groups.nth(1).locator('h2').innerText(), /§3 2\. “We demand peace”/)
    assert.match(await groups.nth(3).locator('h2').innerText(), /Text not changed yet/)
    const row = n => page.locator(`section.am-group tr[data-number="${n}"]`).first()
    assert.match(await row(2).innerText(), /#2[\s\S]*Amendment title 2[\s\S]*NORTE[\s\S]*Accepted[\s\S]*Supporters: 0 of 2 needed[\s\S]*collides with #5/)
    assert.equal(await row(2).locator('.am-collides a').getAttribute('href'), '/#/statements/cierre/amendments/5')
    assert.match(await row(6).innerText(), /Rejected[\s\S]*obsolete/)
    assert.match(await row(8).innerText(), /merged in version 2/)
    assert.equal(await row(8).locator('.am-merged a').getAttribute('href'), '/#/statements/cierre/versions/2')
    assert.equal(await page.locator('#merge-link').count(), 1, 'the secretariat in consolidation gets the merge view')
    await shot(page, 'fixture-amendments-list')
    await page.focus('#am-filter')
    await page.selectOption('#am-filter', 'accepted-with-modification')
    assert.deepEqual(await page.locator('section.am-group tbody tr').evaluateAll(es => es.map(e => Number(e.dataset.number))), [3])
    await page.setViewportSize(PHONE)
    await page.selectOption('#am-filter', '')
    await noHorizontalScroll(page, 'amendment list on a phone')
    await page.context().close()
  })

  test('an amendment page in Spanish on a phone: the secretariat makes it obsolete, naming an accepted one', async () => {
    const { page, posted } = await fixturePage(PHONE, [], 'es')
    await page.goto(standin.url + '/#/statements/cierre/amendments/5')
    await page.waitForSelector('#am-settle')
    assert.equal(await page.locator('main > h1').innerText(), 'Enmienda 5: Amendment title 5')
    assert.equal(await page.locator('#am-meta .am-state').innerText(), 'Presentada')
    // The rationale is text, never markup.
    assert.equal(await page.locator('.am-rationale-text').innerText(), 'Una paz <b>verdadera</b>.')
    assert.equal(await page.locator('.am-rationale-text b').count(), 0)
    assert.match(await page.locator('#am-support-count').innerText(), /Apoyos: 1 de 2 necesarios/)
    assert.match(await page.locator('#am-supporters').innerText(), /NORTE — Ana/)
    assert.match(await page.locator('#am-history-table').innerText(), /Borrador → Presentada[\s\S]*Bruno/)
    assert.equal(await page.locator('#am-edit-text').innerText(), 'Editar el texto de la enmienda', 'the secretariat may write a compromise')
    assert.deepEqual(await page.locator('#am-settle-to label').allInnerTexts(), ['Aceptar',
      'Aceptar con modificación (la transacción se escribe en su texto)', 'Rechazar', 'Remitir (a otro órgano o a un texto posterior)',
      'Decaída: una enmienda aceptada ya la cubre'])
    assert.equal(await page.locator('#am-settle-obsoleted_by').isVisible(), false)
    await page.focus('#am-settle-obsolete')
    await page.keyboard.press('Space')
    assert.equal(await page.locator('#am-settle-obsoleted_by').isVisible(), true)
    // Accepted ones other than this: 2, 3 (with modification), 7, 8.
    assert.deepEqual(await page.locator('#am-settle-obsoleted_by option').evaluateAll(es => es.map(e => e.value)), ['2', '3', '7', '8'])
    await page.selectOption('#am-settle-obsoleted_by', '2')
    await noHorizontalScroll(page, 'amendment page in Spanish on a phone')
    await shot(page, 'fixture-amendment-es-phone')
    await page.click('#am-settle button[type=submit]')
    await page.waitForFunction(() => /La enmienda está ahora/.test(document.querySelector('#am-status')?.textContent ?? ''))
    assert.deepEqual(posted[0], { body: { to: 'obsolete', obsoleted_by: 2 }, csrf: 'csrf' })
    await page.context().close()
  })

  test('the merge view: collisions side by side, a decision per group, a 409 asks for more, then the new version', async () => {
    const merges = [
      [409, { type: '/problems/conflict', title: 'Conflict', status: 409, error: 'collision', message: 'amendments 3 and 7 collide', collisions: [{ amendments: [3, 7] }] }],
      [201, { id: 1, version: { number: 3, label: 'Merged', reason: 'merge', phase: 'consolidation', author: { id: 1, name: 'Sara' }, created_at: '2026-12-03T10:00:00Z', sha256: '3'.repeat(64), merged_amendments: [5] }, merged: [5], skipped: [{ number: 2, reason: 'collision', taken: 5 }, { number: 3, reason: 'compromise' }, { number: 7, reason: 'compromise' }], created_by: { id: 1, name: 'Sara' }, created_at: '2026-12-03T10:00:00Z' }]
    ]
    const { page, posted } = await fixturePage(DESKTOP, merges)
    await page.goto(standin.url + '/#/statements/cierre/merge')
    await page.waitForSelector('#merge')
    // Accepted and not merged: 2, 3, 5, 7 (8 is merged, 6 rejected, 9 a draft), all ticked.
    assert.deepEqual(await page.locator('input[name=amendment]').evaluateAll(es => es.map(e => [Number(e.value), e.checked])), [[2, true], [3, true], [5, true], [7, true]])
    const group = page.locator('#merge-collisions .collision[data-group="2,5"]')
    assert.match(await group.locator('legend').first().innerText(), /Collision between #2, #5/)
    await group.locator('.collision-side[data-number="5"] ins').waitFor()
    // Side by side: each amendment's changed paragraphs only.
    assert.deepEqual(await texts(page, '.collision[data-group="2,5"] .collision-side ins'), ['wording 2 ', 'wording 5 '])
    assert.doesNotMatch(await group.innerText(), /Unchanged paragraph/)
    assert.equal(await page.locator('#merge-collisions [id^="diff-"]').count(), 0, 'no repeated ids')
    assert.equal(await group.locator('a.merge-draft-link').getAttribute('href'), '/d/statement.cierre')

    // No decision yet: nothing is sent, the alert says which group.
    await page.click('#merge button[type=submit]')
    await page.waitForFunction(() => /Decide for each collision first: #2 \/ #5/.test(document.querySelector('#merge-alert').textContent))
    assert.equal(posted.length, 0)
    assert.equal(await page.evaluate(() => document.activeElement.id), 'merge-decision-0-2')
    // Unticking #5 removes the collision; ticking it again brings it back.
    await page.uncheck('#merge-am-5')
    assert.equal(await page.locator('#merge-collisions .collision').count(), 0)
    await page.check('#merge-am-5')
    // Take #5, by keyboard.
    await page.focus('#merge-decision-0-2')
    await page.keyboard.press('ArrowDown')
    assert.equal(await page.locator('#merge-decision-0-5').isChecked(), true)
    await page.click('#merge button[type=submit]')
    // The server knows a collision the list did not show: it is drawn and asked for.
    await page.waitForSelector('#merge-collisions .collision[data-group="3,7"]')
    assert.deepEqual(posted[0], { body: { amendments: [2, 3, 5, 7], decisions: [{ amendments: [2, 5], take: 5 }] }, csrf: 'csrf' })
    assert.match(await page.locator('#merge-alert').innerText(), /The merge stopped at collisions; nothing was changed[\s\S]*amendments 3 and 7 collide/)
    assert.equal(await page.evaluate(() => document.activeElement.id), 'merge-alert')
    assert.equal(await page.locator('#merge-decision-0-5').isChecked(), true, 'the first decision is kept')
    await page.check('#merge-decision-1-compromise')
    await page.fill('#merge-label', 'Merged')
    await shot(page, 'fixture-merge-collisions')
    await page.setViewportSize(PHONE)
    await noHorizontalScroll(page, 'merge view on a phone')
    await page.setViewportSize(DESKTOP)
    await page.click('#merge button[type=submit]')
    await page.waitForSelector('#merge-result')
    assert.deepEqual(posted[1].body, { amendments: [2, 3, 5, 7], decisions: [{ amendments: [2, 5], take: 5 }, { amendments: [3, 7], compromise: true }], label: 'Merged' })
    assert.match(await page.locator('#merge-result h2').innerText(), /Version 3 “Merged” was made/)
    assert.deepEqual(await page.locator('#merge-outcome li').allInnerTexts(), [
      '#5 was merged.', '#2 was not applied: it collided and #5 was taken.',
      '#3 was not applied: a compromise was written in the draft.', '#7 was not applied: a compromise was written in the draft.'])
    assert.equal(await page.locator('#merge-diff').getAttribute('href'), '/#/statements/cierre/diff?from=2&to=3&layout=inline')
    assert.equal(await page.evaluate(() => document.activeElement.id), 'merge-result')
    await page.context().close()
  })
})

describe('amendments with accordd', { skip: skipServer }, () => {
  let server, accounts
  const pages = {}
  const orgs = {}

  before(async () => {
    accounts = await import('../../tests/node/lib/accounts.mjs')
    server = await startServer()
    const d = server.dataDir
    accounts.setupInstance(d, { password: PASSWORD })
    orgs.NORTE = accounts.addOrg(d, 'NORTE', { name: 'Sindicato Norte', kind: 'union' })
    orgs.SUR = accounts.addOrg(d, 'SUR', { name: 'Frente Sur', kind: 'movement' })
    accounts.addUser(d, 'ana@example.org', { name: 'Ana', org: 'NORTE', role: 'delegate', password: PASSWORD })
    accounts.addUser(d, 'bruno@example.org', { name: 'Bruno', org: 'SUR', role: 'delegate', password: PASSWORD })
  })
  after(async () => { await server?.stop() })

  // call (the REST API from inside the signed-in page) is only for the set-up the other
  // browser tests already cover through the screens.
  const signedIn = async (who, email, viewport = DESKTOP) => {
    pages[who] = await signIn(browser, server.url, who, email, { viewport })
    return pages[who]
  }

  test('set-up: a statement with two paragraphs in the amendments phase (version 1), threshold 1', async () => {
    const S = await signedIn('sec', 'secretariat@example.org')
    assert.equal((await call(S, 'POST', '/statements', { slug: SLUG, title: 'Declaración con enmiendas', language: 'es' })).status, 201)
    for (const id of [orgs.NORTE, orgs.SUR]) {
      assert.equal((await call(S, 'PUT', `/statements/${SLUG}/participants/${id}`, { edit: true, amend: true, sign: true })).status, 200)
    }
    const A = await signedIn('ana', 'ana@example.org')
    await A.goto(`${server.url}/d/statement.${SLUG}`)
    await A.waitForSelector('.accord-editor[contenteditable="true"]')
    await typeParagraphs(A, ['We demand peace and bread.', 'Second point stays.'])
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
    // The amendment's discussion: SUR's delegate comments on it; the thread shows who and for
    // which organization, and delegates have no "resolve".
    await B.fill('#amendment-comments .comment-form textarea[name=body]', 'SUR agrees: bread matters too.')
    await B.click('#amendment-comments .comment-form button[type=submit]')
    await B.waitForFunction(() => /SUR agrees: bread matters too\./.test(document.querySelector('#amendment-comments .threads')?.textContent ?? ''))
    assert.match(await B.locator('#amendment-comments .threads').innerText(), /Bruno[\s\S]*SUR/)
    assert.equal(await B.locator('#amendment-comments button', { hasText: /^Resolve/ }).count(), 0)
    await noHorizontalScroll(B, 'amendment page on a phone')
    await shot(B, 'amendment-supported-phone')
    // The editor is read-only for another organization, with the reason.
    await B.click('#am-edit-text')
    await B.waitForSelector('.accord-editor[contenteditable="false"]')
    assert.match(await B.locator('#readonly-reason').innerText(), /its text no longer changes/)
  })

  test('a delegate of SUR proposes a colliding amendment (on a phone)', async () => {
    const B = pages.bruno
    await B.goto(`${server.url}/#/statements/${SLUG}/amendments`)
    await B.waitForSelector('#amendment-new')
    await noHorizontalScroll(B, 'amendment list and form on a phone')
    await B.fill('#amendment-new-title', 'True peace')
    await B.click('#amendment-new button[type=submit]')
    await B.waitForURL(`**/d/statement.${SLUG}.amendment.2`)
    await B.waitForSelector('.accord-editor[contenteditable="true"]')
    await B.waitForFunction(() => /We demand peace and bread\./.test(document.querySelector('.accord-editor').textContent))
    // The same place as amendment 1 changes: the server reports them as colliding.
    await B.evaluate(() => {
      const view = window.accord.editor.view
      let at = -1
      view.state.doc.descendants((n, pos) => { if (n.isText && at < 0 && n.text.includes('peace')) at = pos + n.text.indexOf('peace') })
      view.dispatch(view.state.tr.insertText('true ', at))
    })
    await savedState(B)
    await B.click('#versions-link')
    await B.waitForSelector('#am-submit')
    await B.click('#am-submit')
    await statusSays(B, /The amendment is submitted/)
    assert.equal(await B.locator('#am-flags .am-collides').getAttribute('data-collides'), '1')
    assert.match(await B.locator('#am-flags').innerText(), /collides with #1/)
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
    assert.deepEqual(await group.locator('tbody tr').evaluateAll(es => es.map(e => Number(e.dataset.number))), [1, 2])
    assert.match(await row.innerText(), /collides with #2/)
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
    // Amendment 2 is accepted too (through the API; the screen was just shown).
    assert.equal((await call(S, 'POST', `/statements/${SLUG}/amendments/2/transitions`, { to: 'accepted' })).status, 200)
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
    assert.equal(await S.locator('#merge-am-2').isChecked(), true)
    // The collision, side by side, and no merge before a decision.
    const group = S.locator('#merge-collisions .collision[data-group="1,2"]')
    await group.locator('.collision-side[data-number="2"] ins').waitFor()
    assert.deepEqual(await texts(S, '.collision[data-group="1,2"] .collision-side ins'), ['lasting ', 'true '])
    await S.fill('#merge-label', 'Amendment 1 merged')
    await S.click('#merge button[type=submit]')
    await S.waitForFunction(() => /Decide for each collision first: #1 \/ #2/.test(document.querySelector('#merge-alert').textContent))
    await S.keyboard.press('Space') // the focus is on "Take #1"
    assert.equal(await S.locator('#merge-decision-0-1').isChecked(), true)
    await S.click('#merge button[type=submit]')
    await S.waitForSelector('#merge-result')
    const before = (await call(S, 'GET', `/statements/${SLUG}/versions`)).body.items
    const merged = before[before.length - 1]
    assert.equal(merged.reason, 'merge')
    assert.match(await S.locator('#merge-result h2').innerText(), new RegExp(`Version ${merged.number} “Amendment 1 merged” was made`))
    assert.match(await S.locator('#merge-outcome li[data-merged="1"]').innerText(), /#1 was merged/)
    assert.match(await S.locator('#merge-outcome li[data-skipped="2"]').innerText(), /#2 was not applied: it collided and #1 was taken/)
    assert.equal(await S.evaluate(() => document.activeElement.id), 'merge-result')
    // #2 stays accepted and could still be merged: offered again, unticked, saying why.
    assert.equal(await S.locator('#merge-am-1').count(), 0)
    assert.equal(await S.locator('#merge-am-2').isChecked(), false)
    assert.match(await S.locator('.merge-item[data-number="2"]').innerText(), new RegExp(`set aside in version ${merged.number}: it collided and #1 was taken`))
    await shot(S, 'amendments-merged')
    await S.click('#merge-diff')
    await S.waitForSelector('#diff-body.diff-inline')
    assert.deepEqual(await texts(S, '#diff-body ins'), ['lasting '])
    assert.match(await seen(S.locator('.diff-unit.diff-changed')), /We demand \{\+lasting \+\}peace and bread\./)
    // The versions list names the merged amendment.
    await S.goto(`${server.url}/#/statements/${SLUG}/versions`)
    await S.waitForSelector(`#versions-table tr[data-version="${merged.number}"]`)
    assert.match(await S.locator(`#versions-table tr[data-version="${merged.number}"] .merged-amendments`).innerText(), /amendments merged: #1$/)
    // The amendment says where it went.
    await S.goto(`${server.url}/#/statements/${SLUG}/amendments/1`)
    await S.waitForSelector('#am-flags .am-merged')
    assert.match(await S.locator('#am-flags').innerText(), new RegExp(`merged in version ${merged.number}`))
  })
})
