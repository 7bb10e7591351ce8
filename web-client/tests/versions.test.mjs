// Browser tests of versions, diffs and "who wrote what" (Debian's Chromium via playwright-core).
//
// 1. "rendering": the client's screens against fixed API answers (page.route), served by the
//    stand-in (tests/standin-server.mjs): every kind of diff entry inline and side by side,
//    text from the server that looks like markup stays text, the version's HTML is rebuilt
//    without script, the canonical text downloads, the layout switches by keyboard, phones.
// 2. "with accordd" (ACCORD_BIN_DIR, e.g. /tmp/team/bin-v2): the secretariat names version 1,
//    a delegate edits, the secretariat moves the statement to amendments (version 2 is taken),
//    the diff 1 → 2 shows the edit inline and side by side (also on a phone), and the
//    delegate's organization appears in the authorship legend.
// Run `npm run build` first. Screenshots: test-results/.
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { PASSWORD, DESKTOP, PHONE, skipServer, launchChromium, startServer, signIn, apiCall as call, waitSaved as savedState, typeParagraphs, shot, noHorizontalScroll, seen, texts } from './support.mjs'

let browser

before(async () => { browser = await launchChromium() })
after(async () => { await browser?.close() })

// What a screen reader reads: without the aria-hidden brackets.
const heard = locator => locator.evaluate(e => { const c = e.cloneNode(true); c.querySelectorAll('[aria-hidden="true"]').forEach(x => x.remove()); return c.textContent })

// ---------------------------------------------------------------------------------------------
describe('rendering (fixed API answers)', () => {
  let standin
  const HOSTILE = '<img src=x onerror="window.__pwned=1">'
  const rights = {
    'edit-draft': false, 'settle-amendment': true, 'change-phase': true, 'publish-version': true,
    'manage-participants': true, 'propose-amendment-for': [], 'support-amendment-for': [], 'endorse-for': []
  }
  const sec = { id: 1, name: 'Secretariat', short_name: 'SEC', country: '', kind: 'other', website: '', hosts_instance: true }
  const me = { user: { id: 1, email: 's@example.org', display_name: 'Sara', language: 'en' }, memberships: [{ id: 1, user_id: 1, organization_id: 1, role: 'secretariat', organization: sec }], instance_secretariat: true, csrf_token: 'csrf' }
  const statement = { id: 1, slug: 'cierre', title: 'Declaración de cierre', language: 'es', phase: 'amendments', phase_deadline: null, document: 'statement.cierre', participants: [], rights }
  const version = (number, label, reason, phase, author) => ({ number, label, reason, phase, author, created_at: `2026-11-0${number}T10:00:00Z`, sha256: String(number).repeat(64) })
  let versions
  const entry = o => ({ kind: 'equal', old_index: 0, new_index: 0, old_marker: '', new_marker: '', marker_changed: false, counterpart: null, spans: [], ...o })
  const diff = {
    from: 1, to: 2,
    diff: {
      version: 1,
      stats: { equal: 1, changed: 1, inserted: 1, deleted: 1, moved: 1, markers_changed: 1, words_inserted: 4, words_deleted: 3, work: 50, bounded: false },
      entries: [
        entry({ kind: 'equal', spans: [{ op: 'equal', text: 'Declaración' }], old_marker: '# ', new_marker: '# ' }),
        entry({ kind: 'moved_to', old_index: 1, new_index: 4, counterpart: 6, spans: [{ op: 'delete', text: 'Párrafo que se traslada.' }] }),
        entry({ kind: 'changed', old_index: 2, new_index: 1, old_marker: '1. ', new_marker: '1. ', spans: [{ op: 'equal', text: 'Exigimos ' }, { op: 'delete', text: 'paz' }, { op: 'insert', text: 'paz duradera' }, { op: 'equal', text: ' ' + HOSTILE }] }),
        entry({ kind: 'deleted', old_index: 3, new_index: null, old_marker: '2. ', new_marker: null, spans: [{ op: 'delete', text: 'Punto suprimido.' }] }),
        entry({ kind: 'inserted', old_index: null, new_index: 2, old_marker: null, new_marker: '2. ', spans: [{ op: 'insert', text: 'Punto nuevo,\ncon otra línea.' }] }),
        entry({ kind: 'equal', old_index: 4, new_index: 3, old_marker: '3. ', new_marker: '4. ', marker_changed: true, spans: [{ op: 'equal', text: 'Punto renumerado.' }] }),
        entry({ kind: 'moved_from', old_index: 1, new_index: 4, counterpart: 1, spans: [{ op: 'equal', text: 'Párrafo que se traslada.' }] })
      ]
    }
  }
  const markdown = '# Declaración\n\n1. Exigimos paz.\n'
  const html = '<h1>Declaración</h1>\n<ol><li><p>Exigimos <strong>paz</strong>.<img src=x onerror="window.__pwned=2"></p></li></ol>\n' +
    '<script>window.__pwned=3</script><p><a href="javascript:window.__pwned=4">trampa</a> <a href="https://example.org/">enlace</a></p>'

  before(async () => {
    const { startStandin } = await import('./standin-server.mjs')
    standin = await startStandin(0)
    versions = [version(1, 'Antes de la asamblea', 'manual', 'drafting', { id: 1, name: 'Sara' }), version(2, 'Drafting → Amendments', 'phase', 'amendments', null)]
  })
  after(async () => { await standin?.stop() })

  async function fixturePage (viewport = DESKTOP) {
    const context = await browser.newContext({ locale: 'en-US', viewport })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: standin.url })
    const page = await context.newPage()
    page.on('pageerror', e => console.error('pageerror', e))
    const posted = []
    await page.route('**/api/v1/**', async route => {
      const req = route.request()
      const url = new URL(req.url())
      const p = url.pathname.replace('/api/v1', '')
      const json = (status, body) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) })
      if (p === '/session') return json(200, me)
      if (p === '/organizations') return json(200, { items: [sec] })
      if (p === '/statements') return json(200, { items: [statement] })
      if (p === '/statements/cierre') return json(200, statement)
      if (p === '/statements/cierre/versions' && req.method() === 'POST') {
        const body = JSON.parse(req.postData())
        posted.push({ body, csrf: req.headers()['x-csrf-token'] })
        const v = version(versions.length + 1, body.label, 'manual', 'amendments', { id: 1, name: 'Sara' })
        versions.push(v)
        return json(201, { ...v, markdown, html: '' })
      }
      if (p === '/statements/cierre/versions') return json(200, { items: versions })
      if (p === '/statements/cierre/versions/1') return json(200, { ...versions[0], markdown, html })
      if (p === '/statements/cierre/phases') return json(200, { items: [{ from: 'drafting', to: 'amendments', deadline: null, at: '2026-11-02T10:00:00Z', user_id: 1, version: 2, by: { id: 1, name: 'Sara' } }] })
      if (p === '/statements/cierre/diff') {
        assert.equal(url.searchParams.get('layout'), null, 'the client asks for JSON, never the server\'s HTML')
        return json(200, { ...diff, from: Number(url.searchParams.get('from')), to: url.searchParams.get('to') === 'draft' ? 'draft' : Number(url.searchParams.get('to')) })
      }
      return json(404, { type: '/problems/not-found', title: 'Not found', status: 404 })
    })
    return { page, posted }
  }

  test('the versions list, naming a version, the phase record', async () => {
    const { page, posted } = await fixturePage()
    await page.goto(standin.url + '/#/')
    await page.waitForSelector('li.statement a.versions')
    await page.click('li.statement a.versions')
    await page.waitForSelector('#versions-table')
    const rows = page.locator('#versions-table tbody tr')
    assert.equal(await rows.count(), 2)
    const second = await rows.nth(1).innerText()
    assert.match(second, /phase change/)
    assert.match(second, /automatically/)
    assert.match(second, /222222222222/)
    assert.equal(await rows.nth(1).locator('code').getAttribute('title'), `SHA-256 of the canonical text: ${'2'.repeat(64)}`)
    await rows.nth(1).getByRole('button', { name: 'Copy the SHA-256 of version 2' }).click()
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '2'.repeat(64))
    assert.match(await page.locator('#phases-table').innerText(), /Drafting → Amendments[\s\S]*Sara[\s\S]*Version 2/)
    // Name a version by keyboard.
    await page.focus('#version-new-label')
    await page.keyboard.type('Enviado a la asamblea')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => /Version 3 “Enviado a la asamblea” saved/.test(document.querySelector('#versions-status')?.textContent))
    assert.equal(await page.evaluate(() => document.activeElement.id), 'versions-status')
    assert.deepEqual(posted, [{ body: { label: 'Enviado a la asamblea' }, csrf: 'csrf' }])
    assert.equal(await rows.count(), 3)
    await shot(page, 'fixture-versions-list')
    await page.setViewportSize(PHONE)
    await noHorizontalScroll(page, 'versions list on a phone')
    await page.context().close()
  })

  test('a version: its HTML without script, its hash, the canonical text as a download', async () => {
    const { page } = await fixturePage()
    await page.goto(standin.url + '/#/statements/cierre/versions/1')
    await page.waitForSelector('#version-text')
    assert.equal(await page.locator('main > h1').innerText(), 'Version 1: Antes de la asamblea')
    assert.equal(await page.locator('#version-hash').innerText(), '1'.repeat(64))
    assert.equal(await page.locator('#version-text strong').innerText(), 'paz')
    assert.equal(await page.locator('#version-text img, #version-text script').count(), 0)
    assert.equal(await page.locator('#version-text a').count(), 1, 'the javascript: link is only text')
    assert.equal(await page.locator('#version-text a').getAttribute('href'), 'https://example.org/')
    assert.match(await page.locator('#version-text').innerText(), /trampa/)
    assert.equal(await page.evaluate(() => window.__pwned), undefined)
    const download = page.locator('#download-md')
    assert.equal(await download.getAttribute('download'), 'cierre-v1.md')
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()])
    const chunks = []
    for await (const c of await file.createReadStream()) chunks.push(c)
    assert.equal(Buffer.concat(chunks).toString('utf8'), markdown)
    await page.context().close()
  })

  test('the diff inline and side by side, from the JSON, readable without colour', async () => {
    const { page } = await fixturePage()
    await page.goto(standin.url + '/#/statements/cierre/diff?from=1&to=2')
    await page.waitForSelector('#diff-body.diff-inline')
    assert.equal(await page.locator('#diff-h').innerText(), 'Version 1 — Antes de la asamblea → Version 2 — Drafting → Amendments')
    assert.match(await page.locator('#diff-summary').innerText(), /1 changed, 1 inserted, 1 deleted, 1 moved, 1 renumbered/)
    assert.deepEqual(await texts(page, '#diff-body ins'), ['paz duradera', 'Punto nuevo,con otra línea.', '4.'])
    assert.deepEqual(await texts(page, '#diff-body del'), ['Párrafo que se traslada.', 'paz', 'Punto suprimido.', '3.'])
    // The markers are visible; the spoken words are in the DOM but visually hidden.
    const changed = page.locator('.diff-unit.diff-changed')
    assert.match(await seen(changed), /Exigimos \[-paz-\]\{\+paz duradera\+\}/)
    assert.match(await heard(changed), /Exigimos deleted: paz \(end of deletion\)inserted: paz duradera \(end of insertion\)/)
    const ins = changed.locator('ins')
    assert.match(await ins.evaluate(e => getComputedStyle(e).textDecorationLine), /underline/)
    assert.match(await changed.locator('del').evaluate(e => getComputedStyle(e).textDecorationLine), /line-through/)
    assert.equal(await page.locator('.diff-bracket').first().getAttribute('aria-hidden'), 'true')
    assert.match(await page.locator('.diff-unit.diff-moved_to').innerText(), /Moved to §5/)
    assert.match(await page.locator('.diff-unit.diff-moved_from').innerText(), /Moved from §2/)
    assert.match(await page.locator('.diff-unit[data-entry="5"]').innerText(), /Renumbered 3\. → 4\./)
    assert.match(await page.locator('#diff-legend').innerText(), /underlined[\s\S]*struck through/)
    // The server's text that looks like markup is text.
    assert.match(await seen(changed), /<img src=x onerror="window.__pwned=1">/)
    assert.equal(await page.locator('#diff img').count(), 0)
    assert.equal(await page.evaluate(() => window.__pwned), undefined)
    await shot(page, 'fixture-diff-inline')

    // Side by side by keyboard: the layout radios switch at once, the route follows.
    await page.focus('#layout-inline')
    await page.keyboard.press('ArrowRight')
    await page.waitForSelector('#diff-body.diff-side')
    assert.equal(await page.evaluate(() => document.activeElement.id), 'layout-side', 'focus stays on the choice')
    assert.match(await page.evaluate(() => location.hash), /layout=side/)
    assert.deepEqual(await texts(page, '#diff-body th'), ['Version 1 — Antes de la asamblea', 'Version 2 — Drafting → Amendments'])
    const row = page.locator('tr.diff-changed')
    assert.match(await seen(row.locator('td.diff-old')), /Exigimos \[-paz-\]/)
    assert.doesNotMatch(await seen(row.locator('td.diff-old')), /duradera/)
    assert.match(await seen(row.locator('td.diff-new')), /\{\+paz duradera\+\}/)
    assert.match(await page.locator('tr.diff-inserted td.diff-old').innerText(), /Not in this version/)
    const [l, r] = await row.locator('td').evaluateAll(tds => tds.map(td => td.getBoundingClientRect().left))
    assert.ok(r > l + 200, 'two columns on a desktop')
    await shot(page, 'fixture-diff-side')

    // Choosing another pair and showing it pushes the route.
    await page.selectOption('#diff-to', 'draft')
    await page.click('#diff-choose button[type=submit]')
    await page.waitForFunction(() => /Live draft/.test(document.querySelector('#diff-h')?.textContent))
    assert.match(await page.evaluate(() => location.hash), /from=1&to=draft&layout=side/)
    assert.equal(await page.evaluate(() => document.activeElement.id), 'diff-h')

    // On a phone the two columns become stacked, labelled cells; nothing scrolls sideways.
    await page.setViewportSize(PHONE)
    const [ol, nl] = await row.locator('td').evaluateAll(tds => tds.map(td => td.getBoundingClientRect().left))
    assert.equal(Math.round(ol), Math.round(nl), 'stacked on a phone')
    assert.match(await row.locator('td.diff-old').evaluate(td => getComputedStyle(td, '::before').content), /^"Version 1/)
    await noHorizontalScroll(page, 'side by side on a phone')
    await shot(page, 'fixture-diff-side-phone')
    await page.context().close()
  })

  test('who wrote what: two organizations\' text coloured, with a legend, kept up to date', async () => {
    // Two signed-in delegates (their API answered here) write into one draft on the stand-in;
    // the authors list maps each page's Yjs client id to its user and organization.
    const org = (id, short, name) => ({ id, name, short_name: short, country: '', kind: 'union', website: '', hosts_instance: false })
    const people = {
      ana: { id: 2, name: 'Ana', org: org(2, 'NORTE', 'Sindicato Norte') },
      bruno: { id: 3, name: 'Bruno', org: org(3, 'SUR', 'Frente Sur') }
    }
    const draft = {
      ...statement, phase: 'drafting', rights: { ...rights, 'edit-draft': true },
      participants: [2, 3].map(id => ({ organization_id: id, convener: false, edit: true, amend: true, sign: true }))
    }
    const authors = []
    const open = async who => {
      const p = people[who]
      const context = await browser.newContext({ locale: 'en-US', viewport: DESKTOP })
      await context.addCookies([{ name: 'standin_session', value: who, url: standin.url }])
      const page = await context.newPage()
      page.on('pageerror', e => console.error(`[${who}] pageerror`, e))
      await page.route('**/api/v1/**', async route => {
        const path = new URL(route.request().url()).pathname.replace('/api/v1', '')
        const body = path === '/session'
          ? { user: { id: p.id, email: `${who}@example.org`, display_name: p.name, language: 'en' }, memberships: [{ id: p.id, user_id: p.id, organization_id: p.org.id, role: 'delegate', organization: p.org }], instance_secretariat: false, csrf_token: 'c' }
          : path === '/statements/cierre' ? draft
            : path === '/statements/cierre/authors' ? { items: authors } : null
        await route.fulfill({ status: body ? 200 : 404, contentType: 'application/json', body: JSON.stringify(body ?? {}) })
      })
      await page.goto(standin.url + '/d/statement.cierre')
      await page.waitForSelector('.accord-editor[contenteditable="true"]')
      authors.push({ client_id: await page.evaluate(() => window.accord.doc.clientID), since: '2026-11-01T10:00:00Z', user: { id: p.id, name: p.name }, organization: { id: p.org.id, short_name: p.org.short_name, name: p.org.name } })
      return page
    }
    const A = await open('ana')
    const B = await open('bruno')
    await A.click('.accord-editor')
    await A.keyboard.type('Text by the north.')
    await B.waitForFunction(() => /north/.test(document.querySelector('.accord-editor').textContent))
    await B.click('.accord-editor')
    await B.keyboard.press('ControlOrMeta+End')
    await B.keyboard.press('Enter')
    await B.keyboard.type('Text by the south.')
    await A.waitForFunction(() => /south\./.test(document.querySelector('.accord-editor').textContent))

    assert.equal(await A.locator('#show-authors').isChecked(), false, 'off by default')
    await A.focus('#show-authors')
    await A.keyboard.press('Space')
    await A.waitForSelector('.authors-legend li[data-org="SUR"]')
    const colouredBy = short => A.locator(`.accord-editor .author[data-org="${short}"]`).allTextContents().then(t => t.join(''))
    assert.equal(await colouredBy('NORTE'), 'Text by the north.')
    assert.equal(await colouredBy('SUR'), 'Text by the south.')
    const legend = await A.locator('.authors-legend').innerText()
    assert.match(legend, /NORTE — Sindicato Norte[\s\S]*solid underline; Ana/)
    assert.match(legend, /SUR — Frente Sur[\s\S]*dashed underline; Bruno/)
    // Not by colour alone: each organization has its own line style, and a title in words.
    const styles = await A.locator('.accord-editor .author').evaluateAll(es => [...new Set(es.map(e => getComputedStyle(e).textDecorationStyle))])
    assert.deepEqual(styles.sort(), ['dashed', 'solid'])
    assert.equal(await A.locator('.accord-editor .author[data-org="SUR"]').first().getAttribute('title'), 'written by SUR: Bruno')
    await shot(A, 'fixture-authorship', { fullPage: false })

    // New text from the other organization is coloured as it arrives.
    await B.keyboard.type(' More from the south.')
    await A.waitForFunction(() => [...document.querySelectorAll('.accord-editor .author[data-org="SUR"]')].map(e => e.textContent).join('').includes('More from the south.'))
    assert.equal(await colouredBy('NORTE'), 'Text by the north.')
    // Editing still works with the colouring on, and the local text is coloured too.
    await A.evaluate(() => {
      // The caret to the start of the first paragraph (a TextSelection, as the editor's own).
      const view = window.accord.editor.view
      view.focus()
      view.dispatch(view.state.tr.setSelection(view.state.selection.constructor.create(view.state.doc, 1)))
    })
    await A.keyboard.type('Ana: ')
    await A.waitForFunction(() => /^Ana: Text by the north\./.test(document.querySelector('.accord-editor').textContent))
    await A.waitForFunction(() => [...document.querySelectorAll('.accord-editor .author[data-org="NORTE"]')].map(e => e.textContent).join('') === 'Ana: Text by the north.', null, { timeout: 5000 })
      .catch(async e => { assert.fail(`${e.message}: NORTE ${JSON.stringify(await colouredBy('NORTE'))}, SUR ${JSON.stringify(await colouredBy('SUR'))}`) })

    await A.focus('#show-authors')
    await A.keyboard.press('Space')
    await A.waitForFunction(() => !document.querySelector('.accord-editor .author') && document.querySelector('#authors-legend').hidden)
    await A.context().close()
    await B.context().close()
  })

  test('the diff screen in Spanish', async () => {
    const context = await browser.newContext({ locale: 'es-AR', viewport: PHONE })
    await context.addInitScript(() => localStorage.setItem('accord.lang', 'es'))
    const page = await context.newPage()
    await page.route('**/api/v1/**', async route => {
      const p = new URL(route.request().url()).pathname.replace('/api/v1', '')
      const body = p === '/session' ? me : p === '/statements/cierre' ? statement : p === '/statements/cierre/versions' ? { items: versions } : p === '/statements/cierre/diff' ? diff : { items: [] }
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) })
    })
    await page.goto(standin.url + '/#/statements/cierre/diff?from=1&to=2&layout=inline')
    await page.waitForSelector('#diff-body')
    assert.match(await page.locator('.diff-unit.diff-moved_to').innerText(), /Trasladado a §5/)
    assert.match(await page.locator('#diff-legend').innerText(), /subrayado/)
    assert.match(await heard(page.locator('.diff-unit.diff-changed')), /suprimido: paz \(fin de la supresión\)/)
    assert.equal(await page.locator('label[for=diff-from]').innerText(), 'Desde')
    await noHorizontalScroll(page, 'diff in Spanish on a phone')
    await context.close()
  })

  // A deep link followed while the first screen still waits for the server is not lost, and
  // the stale screen, answered later, neither shows nor retitles the page.
  test('a hash change during the first screen\'s load shows the new screen', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: DESKTOP })
    const page = await context.newPage()
    let release
    const held = new Promise(resolve => { release = resolve })
    await page.route('**/api/v1/**', async route => {
      const p = new URL(route.request().url()).pathname.replace('/api/v1', '')
      if (p === '/statements') await held // the home screen's list: answered only at the end
      const body = p === '/session' ? me : p === '/statements/cierre' ? statement : p === '/statements/cierre/versions' ? { items: versions } : p === '/statements/cierre/diff' ? diff : p === '/statements' ? { items: [statement] } : { items: [] }
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) })
    })
    const listAsked = page.waitForRequest(r => new URL(r.url()).pathname === '/api/v1/statements')
    await page.goto(standin.url + '/#/')
    await listAsked
    await page.evaluate(() => { location.hash = '#/statements/cierre/diff?from=1&to=2&layout=side' })
    await page.waitForSelector('#diff-body.diff-side')
    await page.waitForFunction(() => /^Changes: Declaración de cierre/.test(document.title))
    const listAnswered = page.waitForResponse(r => new URL(r.url()).pathname === '/api/v1/statements')
    release()
    await listAnswered
    await page.evaluate(() => new Promise(resolve => setTimeout(resolve, 100))) // the stale screen ends
    assert.match(await page.title(), /^Changes: Declaración de cierre/, 'the stale home screen does not retitle the page')
    assert.equal(await page.locator('#diff-body.diff-side').count(), 1)
    assert.equal(await page.locator('li.statement').count(), 0, 'the stale statement list is not shown')
    await context.close()
  })
})

// ---------------------------------------------------------------------------------------------
describe('with accordd', { skip: skipServer }, () => {
  let server, accounts
  const pages = {}
  const SLUG = 'versiones'

  before(async () => {
    accounts = await import('../../tests/node/lib/accounts.mjs')
    server = await startServer()
    const d = server.dataDir
    accounts.setupInstance(d, { password: PASSWORD })
    accounts.addOrg(d, 'NORTE', { name: 'Sindicato Norte', kind: 'union' })
    accounts.addUser(d, 'ana@example.org', { name: 'Ana', org: 'NORTE', role: 'delegate', password: PASSWORD })
  })
  after(async () => { await server?.stop() })

  // The clipboard is allowed, as on the fixture pages (a version's SHA-256 has a copy button).
  const signedIn = async (who, email, viewport = DESKTOP) => {
    pages[who] = await signIn(browser, server.url, who, email, { viewport, permissions: ['clipboard-read', 'clipboard-write'] })
    return pages[who]
  }

  test('the secretariat names version 1 of a delegate\'s draft', async () => {
    const S = await signedIn('sec', 'secretariat@example.org')
    const created = await call(S, 'POST', '/statements', { slug: SLUG, title: 'Declaración con versiones', language: 'es' })
    assert.equal(created.status, 201)
    const orgs = (await call(S, 'GET', '/organizations')).body.items
    const norte = orgs.find(o => o.short_name === 'NORTE')
    assert.equal((await call(S, 'PUT', `/statements/${SLUG}/participants/${norte.id}`, { edit: true, amend: true, sign: true })).status, 200)

    const A = await signedIn('ana', 'ana@example.org')
    await A.goto(`${server.url}/d/statement.${SLUG}`)
    await A.waitForSelector('.accord-editor[contenteditable="true"]')
    await typeParagraphs(A, ['We demand peace and bread.', 'Second point stays.'])

    // From the statement list to the versions screen.
    await S.goto(server.url + '/#/')
    await S.click(`li.statement[data-slug="${SLUG}"] a.versions`)
    await S.waitForSelector('#version-new')
    assert.match(await S.locator('#versions').innerText(), /No version yet/)
    await S.fill('#version-new-label', 'Before the meeting')
    await S.click('#version-new button[type=submit]')
    await S.waitForFunction(() => /Version 1 “Before the meeting” saved/.test(document.querySelector('#versions-status')?.textContent))
    const row = await S.locator('#versions-table tbody tr').first().innerText()
    assert.match(row, /Before the meeting[\s\S]*named by the secretariat[\s\S]*Drafting[\s\S]*secretariat/)
    const v1 = (await call(S, 'GET', `/statements/${SLUG}/versions/1`)).body
    assert.match(v1.markdown, /We demand peace and bread\./)
    assert.equal(await S.locator('#versions-table tbody tr code').first().getAttribute('data-sha256'), v1.sha256)
  })

  test('a delegate edits; the phase change to amendments takes version 2', async () => {
    const A = pages.ana
    // Replace "peace" by "lasting peace" and add a paragraph.
    await A.evaluate(() => {
      const view = window.accord.editor.view
      let at = -1
      view.state.doc.descendants((n, pos) => { if (n.isText && at < 0 && n.text.includes('peace')) at = pos + n.text.indexOf('peace') })
      view.dispatch(view.state.tr.insertText('lasting ', at))
    })
    await A.keyboard.press('ControlOrMeta+End')
    await A.keyboard.press('Enter')
    await A.keyboard.type('A new point by the north.')
    await savedState(A)

    const S = pages.sec
    await S.goto(`${server.url}/#/statements/${SLUG}`)
    await S.waitForSelector('#versions-link')
    await S.selectOption('#phase-phase', 'amendments')
    await S.click('#phase button[type=submit]')
    await S.waitForFunction(() => /Changes saved/.test(document.querySelector('#manage-status')?.textContent))
    await S.click('#versions-link')
    await S.waitForSelector('#phases-table')
    const rows = S.locator('#versions-table tbody tr')
    assert.equal(await rows.count(), 2)
    assert.match(await rows.nth(1).innerText(), /phase change[\s\S]*Amendments/)
    assert.match(await S.locator('#phases-table').innerText(), /Drafting → Amendments[\s\S]*Version 2/)
    await shot(S, 'versions-list')
  })

  test('the diff 1 → 2 inline and side by side (also on a phone)', async () => {
    const S = pages.sec
    await S.click('#versions-table tbody tr[data-version="2"] a.diff-prev')
    await S.waitForSelector('#diff-body.diff-inline')
    assert.deepEqual(await texts(S, '#diff-body ins'), ['lasting ', 'A new point by the north.'])
    assert.deepEqual(await texts(S, '#diff-body del'), [])
    assert.match(await seen(S.locator('.diff-unit.diff-changed')), /We demand \{\+lasting \+\}peace and bread\./)
    assert.match(await S.locator('.diff-unit.diff-inserted').innerText(), /Inserted/)
    assert.match(await S.locator('#diff-summary').innerText(), /1 changed, 1 inserted/)
    await shot(S, 'diff-inline')
    await S.check('#layout-side')
    await S.waitForSelector('#diff-body.diff-side')
    assert.match(await seen(S.locator('tr.diff-changed td.diff-new')), /\{\+lasting \+\}/)
    assert.doesNotMatch(await seen(S.locator('tr.diff-changed td.diff-old')), /lasting/)

    // The delegate reads the same on a phone, side by side as stacked rows; a deletion shows
    // against the live draft too (nothing deleted yet, so the draft equals version 2).
    const P = await signedIn('ana-phone', 'ana@example.org', PHONE)
    await P.goto(`${server.url}/#/statements/${SLUG}/diff?from=1&to=2&layout=side`)
    await P.waitForSelector('#diff-body.diff-side')
    assert.match(await seen(P.locator('tr.diff-changed td.diff-new ins')), /lasting/)
    await noHorizontalScroll(P, 'side by side on a phone')
    await shot(P, 'diff-side-phone')
    await P.goto(`${server.url}/#/statements/${SLUG}/diff?from=2&to=draft`)
    await P.waitForSelector('.diff-same')
  })

  test('who wrote what: the delegate\'s organization in the colouring and the legend', async () => {
    const A = pages.ana
    await A.reload()
    await A.waitForSelector('.accord-editor')
    await A.waitForSelector('#versions-link')
    assert.equal(await A.locator('#show-authors').isChecked(), false, 'off by default')
    assert.equal(await A.locator('.accord-editor .author').count(), 0)
    await A.focus('#show-authors')
    await A.keyboard.press('Space')
    await A.waitForSelector('.authors-legend li[data-org="NORTE"]')
    assert.match(await A.locator('.authors-legend').innerText(), /NORTE — Sindicato Norte[\s\S]*Ana/)
    const coloured = await A.locator('.accord-editor .author[data-org="NORTE"]').allInnerTexts()
    assert.match(coloured.join(''), /lasting/)
    assert.match(coloured.join(''), /A new point by the north\./)
    await shot(A, 'authorship')
    await A.keyboard.press('Space')
    await A.waitForFunction(() => !document.querySelector('.accord-editor .author'))
  })
})
