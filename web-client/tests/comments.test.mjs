// Browser tests of comments (issue 7 "Discussion"), Debian's Chromium via playwright-core.
//
// 1. "on the stand-in": the workspace against an in-memory comments API the test answers
//    (page.route; the same for every page, like one server), with real y-websocket editing on
//    the stand-in (tests/standin-server.mjs): a delegate comments on a paragraph (Ctrl+Alt+M
//    from the text), the anchor is a real Yjs relative position, another delegate replies and
//    the first sees it announced; text inserted before the anchor keeps the thread and its
//    marker on its paragraph, a later comment higher up is listed first, deleting a commented
//    paragraph detaches its thread; the secretariat resolves (collapsed, with a toggle) and
//    reopens; delegates have no resolve button; the panel in Spanish on a phone.
// 2. "with accordd" (ACCORD_BIN_DIR): the same story against the real server: the anchor is
//    accepted and resolved by the server, the reply, the edit before the anchor, resolving
//    by the secretariat, and no resolve for a delegate (nor through the API: 403).
// Run `npm run build` first. Screenshots: test-results/.
import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import { PASSWORD, DESKTOP, PHONE, skipServer, launchChromium, startServer, signIn, apiCall as call, waitSaved as savedState, typeParagraphs, shot, noHorizontalScroll } from './support.mjs'

let browser

before(async () => { browser = await launchChromium() })
after(async () => { await browser?.close() })

// --- the editor, from inside the page ---------------------------------------------------------
/** Puts the caret just before `needle` (a TextSelection, as the editor's own). */
const caretAt = (page, needle) => page.evaluate(needle => {
  const view = window.accord.editor.view
  let at = -1
  view.state.doc.descendants((n, pos) => { if (at < 0 && n.isText && n.text.includes(needle)) at = pos + n.text.indexOf(needle) })
  if (at < 0) throw new Error('no ' + needle)
  view.focus()
  view.dispatch(view.state.tr.setSelection(view.state.selection.constructor.create(view.state.doc, at)))
}, needle)
/** The text of the paragraph the caret is in. */
const caretParagraph = page => page.evaluate(() => window.accord.editor.view.state.selection.$from.parent.textContent)
const editorText = page => page.evaluate(() => window.accord.editor.view.state.doc.textBetween(0, window.accord.editor.view.state.doc.content.size, '\n'))
// A paragraph's text as shown, without the other people's cursor labels in it.
const ownText = e => { const c = e.cloneNode(true); c.querySelectorAll('.ProseMirror-yjs-cursor').forEach(x => x.remove()); return c.textContent.replace(/\u2060/g, '') }
const threadTexts = page => page.locator('.threads > li').evaluateAll(ls => ls.map(l => l.querySelector('.thread-where, .thread-detached')?.textContent ?? ''))
const markers = page => page.locator('.accord-editor .commented').evaluateAll((es, f) => es.map(e => [new Function('return ' + f)()(e), e.dataset.comments]), ownText.toString())
const thread = (page, words) => page.locator('.threads > li', { has: page.locator('.comment-body', { hasText: words }) })
/** The anchor, as a Yjs relative position decoded here (Node's Yjs) from the base64 the client sent. */
const decodeAnchor = b64 => Y.decodeRelativePosition(new Uint8Array(Buffer.from(b64, 'base64')))

// ---------------------------------------------------------------------------------------------
describe('on the stand-in (comments API answered by the test)', () => {
  let standin
  const org = (id, short, name) => ({ id, name, short_name: short, country: '', kind: 'union', website: '', hosts_instance: id === 1 })
  const people = {
    ana: { id: 2, name: 'Ana', role: 'delegate', org: org(2, 'NORTE', 'Sindicato Norte') },
    bruno: { id: 3, name: 'Bruno', role: 'delegate', org: org(3, 'SUR', 'Frente Sur') },
    sara: { id: 1, name: 'Sara', role: 'secretariat', org: org(1, 'SEC', 'Secretaría') }
  }
  const baseRights = { 'edit-draft': true, 'settle-amendment': false, 'change-phase': false, 'publish-version': false, 'manage-participants': false, 'propose-amendment-for': [], 'support-amendment-for': [], 'endorse-for': [] }
  const statement = (slug, who) => ({
    id: 1, slug, title: 'Declaración de cierre', language: 'es', phase: 'drafting', phase_deadline: null, document: `statement.${slug}`,
    participants: [2, 3].map(id => ({ organization_id: id, convener: false, edit: true, amend: true, sign: true })),
    rights: who === 'sara'
      ? { ...baseRights, 'change-phase': true, 'publish-version': true, 'manage-participants': true, comment: true, 'resolve-comment': true }
      : { ...baseRights, comment: true, 'resolve-comment': false }
  })
  // One in-memory comments store per statement, shared by every page (as one server would be).
  const stores = new Map()
  const storeOf = slug => { if (!stores.has(slug)) stores.set(slug, { comments: [], posted: [] }); return stores.get(slug) }

  before(async () => {
    const { startStandin } = await import('./standin-server.mjs')
    standin = await startStandin(0)
  })
  after(async () => { await standin?.stop() })

  async function open (who, slug, { viewport = DESKTOP, lang = 'en', frozen = false } = {}) {
    const p = people[who]
    const context = await browser.newContext({ locale: lang === 'es' ? 'es-AR' : 'en-US', viewport })
    if (lang === 'es') await context.addInitScript(() => localStorage.setItem('accord.lang', 'es'))
    await context.addCookies([{ name: 'standin_session', value: who, url: standin.url }])
    const page = await context.newPage()
    page.on('pageerror', e => console.error(`[${who}] pageerror`, e))
    const store = storeOf(slug)
    await page.route('**/api/v1/**', async route => {
      const req = route.request()
      const url = new URL(req.url())
      const p2 = url.pathname.replace('/api/v1', '')
      const json = (status, body) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) })
      const problem = (status, type, detail) => json(status, { type: `/problems/${type}`, title: type, status, detail })
      if (p2 === '/session') {
        return json(200, { user: { id: p.id, email: `${who}@example.org`, display_name: p.name, language: 'en' }, memberships: [{ id: p.id, user_id: p.id, organization_id: p.org.id, role: p.role, organization: p.org }], instance_secretariat: who === 'sara', csrf_token: 'c' })
      }
      if (p2 === `/statements/${slug}`) {
        const st = statement(slug, who)
        return json(200, frozen ? { ...st, phase: 'amendments', rights: { ...st.rights, 'edit-draft': false } } : st)
      }
      if (p2 === `/statements/${slug}/authors`) return json(200, { items: [] })
      if (p2 === `/statements/${slug}/comments` && req.method() === 'GET') {
        assert.equal(url.searchParams.get('target'), 'paragraph', 'the draft asks for paragraph comments')
        return json(200, { comments: store.comments })
      }
      if (p2 === `/statements/${slug}/comments` && req.method() === 'POST') {
        const b = JSON.parse(req.postData())
        store.posted.push({ who, body: b })
        if (typeof b.body !== 'string' || !b.body.length || b.body.length > 4000) return problem(422, 'validation-failed', 'body')
        if ((b.anchor !== undefined) + (b.parent_id !== undefined) + (b.amendment !== undefined) !== 1) return problem(422, 'validation-failed', 'target')
        let target
        if (b.parent_id !== undefined) {
          const parent = store.comments.find(c => c.id === b.parent_id)
          if (!parent) return problem(422, 'validation-failed', 'parent_id')
          target = parent.target
        } else if (b.anchor !== undefined) {
          const rpos = decodeAnchor(b.anchor)
          if (!rpos.item) return problem(422, 'validation-failed', 'anchor')
          target = { kind: 'paragraph', anchor: b.anchor, attached: true, excerpt: '' }
        } else target = { kind: 'amendment', number: b.amendment }
        const c = {
          id: store.comments.length + 1, parent_id: b.parent_id ?? null, target, body: b.body, created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), resolved: null,
          author: { user_id: p.id, name: p.name, organization_id: p.org.id, organization_name: p.org.name }
        }
        store.comments.push(c)
        return json(201, c)
      }
      const m = p2.match(new RegExp(`^/statements/${slug}/comments/(\\d+)$`))
      if (m && req.method() === 'PATCH') {
        if (who !== 'sara') return problem(403, 'forbidden', 'Only the statement secretariat resolves comments.')
        const c = store.comments.find(x => x.id === Number(m[1]))
        if (!c) return problem(404, 'not-found', '')
        if (c.parent_id !== null) return problem(422, 'validation-failed', 'a reply')
        c.resolved = JSON.parse(req.postData()).resolved ? { by: { user_id: p.id, name: p.name }, at: '2026-12-03T12:00:00Z' } : null
        return json(200, c)
      }
      return problem(404, 'not-found', p2)
    })
    await page.goto(`${standin.url}/d/statement.${slug}`)
    await page.waitForSelector(`.accord-editor[contenteditable="${!frozen}"]`)
    await page.waitForSelector('#comments-panel')
    return page
  }

  test('comment, reply, edits before the anchor, detached, resolve and reopen', async () => {
    const slug = 'charla'
    const A = await open('ana', slug)
    await A.click('.accord-editor')
    await A.keyboard.type('First point.')
    await A.keyboard.press('Enter')
    await A.keyboard.type('We demand peace and bread.')
    await A.keyboard.press('Enter')
    await A.keyboard.type('Last point.')
    assert.match(await A.locator('#comments-none').innerText(), /No comments yet/)
    assert.equal(await A.locator('#comments-read-only').isHidden(), true)

    // The caret in "peace"; Ctrl+Alt+M goes from the text to the comment box, which says where.
    await caretAt(A, 'peace')
    await A.keyboard.press('Control+Alt+KeyM')
    assert.equal(await A.evaluate(() => document.activeElement.id), 'comments-new-body')
    assert.equal(await A.locator('#comments-where').innerText(), 'On the paragraph: “We demand peace and bread.”')
    assert.equal(await A.locator('#comments-new-body').getAttribute('aria-describedby'), 'comments-where comments-hint')
    await A.keyboard.type('Which bread?\nSay whose.')
    await A.getByRole('button', { name: 'Comment on this paragraph' }).click()
    await A.waitForSelector('.threads > li')
    await A.waitForFunction(() => document.querySelector('#comments-live').textContent === 'Your comment was added.')
    const store = storeOf(slug)
    const sent = store.posted[0].body
    assert.deepEqual(Object.keys(sent).sort(), ['anchor', 'body'])
    assert.equal(sent.body, 'Which bread?\nSay whose.')
    const rpos = decodeAnchor(sent.anchor)
    assert.ok(rpos.item, 'the anchor names a character')
    assert.equal(rpos.item.client, await A.evaluate(() => window.accord.doc.clientID), 'the character Ana typed')
    // The thread: heading with author and organization, where it is, the body as typed.
    const t1 = thread(A, 'Which bread?')
    assert.equal(await t1.locator('h3').innerText(), 'Ana, Sindicato Norte')
    assert.equal(await t1.locator('.thread-where').innerText(), 'On “We demand peace and bread.”')
    assert.equal(await t1.locator('.comment-body').innerText(), 'Which bread?\nSay whose.')
    assert.match(await t1.locator('time').getAttribute('datetime'), /^2\d{3}-/)
    assert.deepEqual(await markers(A), [['We demand peace and bread.', '1']])
    assert.equal(await A.locator('.thread-resolve').count(), 0, 'a delegate has no resolve button')
    assert.match(await A.locator('#comments-count').innerText(), /1 open, 0 resolved/)

    // Bruno replies; Ana finds it (and hears about it) when she checks.
    const B = await open('bruno', slug)
    await B.waitForFunction(() => /Last point\./.test(window.accord.editor.view.state.doc.textContent))
    await thread(B, 'Which bread?').waitFor()
    assert.equal(await B.locator('.thread-resolve').count(), 0, 'nor has the other delegate')
    await B.getByRole('button', { name: 'Reply: thread by Ana' }).click()
    assert.equal(await B.evaluate(() => document.activeElement.labels[0].textContent), 'Your reply to Ana')
    await B.keyboard.type('Bread for all.')
    await B.keyboard.press('Tab')
    await B.keyboard.press('Enter')
    await B.waitForFunction(() => document.querySelector('#comments-live').textContent === 'Your reply was added.')
    assert.deepEqual(store.posted[1].body, { body: 'Bread for all.', parent_id: 1 })
    assert.equal(await B.evaluate(() => document.activeElement.className), 'thread-reply', 'focus back on the reply button')
    await A.click('#comments-refresh')
    await A.waitForFunction(() => document.querySelector('#comments-live').textContent === 'One new comment.')
    const replies = t1.locator('.comment')
    assert.equal(await replies.count(), 2)
    assert.match(await replies.nth(1).innerText(), /Bruno, Frente Sur[\s\S]*new[\s\S]*Bread for all\./)

    // Bruno writes before the anchor: a new first paragraph, and words at the start of the
    // commented one. Ana's thread and marker stay on "…peace and bread."
    await caretAt(B, 'First point.')
    await B.keyboard.type('Opening words.')
    await B.keyboard.press('Enter')
    await caretAt(B, 'We demand')
    await B.keyboard.type('Now ')
    await A.waitForFunction(() => /Now We demand/.test(window.accord.editor.view.state.doc.textContent))
    await A.waitForFunction(() => document.querySelector('.thread-where')?.textContent === 'On “Now We demand peace and bread.”')
    assert.deepEqual(await markers(A), [['Now We demand peace and bread.', '1']])
    // A comment on "Last point." and then one on "First point.": the list follows the text.
    await caretAt(A, 'Last point.')
    await A.fill('#comments-new-body', 'Too short.')
    await A.click('#comments-new-submit')
    await thread(A, 'Too short.').waitFor()
    await caretAt(A, 'First point.')
    await A.fill('#comments-new-body', 'Keep this one.')
    await A.click('#comments-new-submit')
    await thread(A, 'Keep this one.').waitFor()
    assert.deepEqual(await threadTexts(A), ['On “First point.”', 'On “Now We demand peace and bread.”', 'On “Last point.”'])
    // Going to a thread's text puts the caret in its paragraph, and marks it.
    await caretAt(A, 'Opening')
    await thread(A, 'Which bread?').getByRole('button', { name: 'Go to the text of the thread by Ana' }).click()
    assert.equal(await caretParagraph(A), 'Now We demand peace and bread.')
    assert.equal(await A.locator('.accord-editor .comment-active').evaluate((e, f) => new Function('return ' + f)()(e), ownText.toString()), 'Now We demand peace and bread.')
    // A click on a thread does the same.
    await thread(A, 'Too short.').locator('.comment-body').click()
    assert.equal(await caretParagraph(A), 'Last point.')
    await shot(A, 'fixture-comments')

    // Bruno deletes "Last point.": its thread is detached, says so, and goes to the end.
    await B.evaluate(() => {
      const view = window.accord.editor.view
      let from = -1
      view.state.doc.forEach((n, pos) => { if (n.textContent === 'Last point.') from = pos })
      view.dispatch(view.state.tr.delete(from, from + view.state.doc.nodeAt(from).nodeSize))
    })
    await A.waitForFunction(() => !/Last point/.test(window.accord.editor.view.state.doc.textContent))
    await A.waitForFunction(() => document.querySelector('.threads > li:last-child')?.dataset.attached === 'false')
    assert.deepEqual(await threadTexts(A), ['On “First point.”', 'On “Now We demand peace and bread.”', 'Detached: the text it was on has been deleted.'])
    assert.equal(await thread(A, 'Too short.').locator('.thread-goto').count(), 0, 'nothing to go to')
    assert.deepEqual((await markers(A)).map(m => m[0]), ['First point.', 'Now We demand peace and bread.'])

    // The secretariat resolves the first thread: collapsed behind a toggle, said in words.
    const S = await open('sara', slug)
    // Placed in the text's order once the draft has arrived.
    await S.waitForFunction(() => document.querySelector('.threads > li .thread-where')?.textContent === 'On “First point.”')
    assert.equal(await S.locator('.thread-resolve').count(), 3)
    await S.getByRole('button', { name: 'Resolve: thread by Ana' }).first().click()
    await S.waitForFunction(() => document.querySelector('#comments-live').textContent === 'The thread is resolved.')
    const resolved = S.locator('.threads > li[data-state="resolved"]')
    assert.equal(await resolved.count(), 1)
    assert.match(await resolved.locator('.thread-resolved').innerText(), /^Resolved by Sara, /)
    const toggle = resolved.locator('.thread-toggle')
    assert.equal(await S.evaluate(() => document.activeElement.className), 'thread-toggle', 'focus on the toggle of the thread just resolved')
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false')
    assert.equal(await resolved.locator('.thread-body').isHidden(), true)
    assert.equal(await resolved.locator('.thread-where').innerText(), 'On “First point.”')
    assert.equal(store.comments.find(c => c.body === 'Keep this one.').resolved?.by.name, 'Sara', 'the first in the text was resolved: "Keep this one."')
    await S.keyboard.press('Enter')
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true')
    assert.equal(await resolved.locator('.comment-body').innerText(), 'Keep this one.')
    assert.equal(await S.locator('.accord-editor .commented').count(), 1, 'a resolved thread leaves no marker')
    // Ana sees it resolved; she still has no resolve or reopen button, nor a reply on it.
    await A.click('#comments-refresh')
    await A.waitForSelector('.threads > li[data-state="resolved"]')
    assert.equal(await A.locator('.thread-resolve, .thread-reopen').count(), 0)
    assert.equal(await A.locator('.threads > li[data-state="resolved"] .thread-reply').count(), 0)
    assert.match(await A.locator('#comments-count').innerText(), /2 open, 1 resolved/)
    // Reopened by the secretariat.
    await S.getByRole('button', { name: 'Reopen: thread by Ana' }).click()
    await S.waitForFunction(() => document.querySelector('#comments-live').textContent === 'The thread is open again.')
    assert.equal(await S.locator('.threads > li[data-state="resolved"]').count(), 0)
    assert.equal(await S.evaluate(() => document.activeElement.className), 'thread-resolve')
    await shot(S, 'fixture-comments-secretariat')
    for (const p of [A, B, S]) await p.context().close()
  })

  test('a frozen draft: a click in the text chooses the paragraph to comment on', async () => {
    const slug = 'congelado'
    const W = await open('bruno', slug)
    await W.click('.accord-editor')
    await W.keyboard.type('Alpha paragraph.')
    await W.keyboard.press('Enter')
    await W.keyboard.type('Beta paragraph.')
    const A = await open('ana', slug, { frozen: true })
    await A.waitForFunction(() => /Beta/.test(window.accord.editor.view.state.doc.textContent))
    await A.locator('.accord-editor p', { hasText: 'Beta' }).click()
    await A.waitForFunction(() => document.querySelector('#comments-where').textContent === 'On the paragraph: “Beta paragraph.”')
    await A.fill('#comments-new-body', 'On beta, while frozen.')
    await A.click('#comments-new-submit')
    await A.waitForSelector('.threads > li')
    assert.equal(await A.locator('.thread-where').innerText(), 'On “Beta paragraph.”')
    assert.equal(await editorText(A), 'Alpha paragraph.\nBeta paragraph.', 'the text is unchanged')
    for (const p of [A, W]) await p.context().close()
  })

  test('the panel in Spanish on a phone', async () => {
    const slug = 'telefono'
    const A = await open('ana', slug, { viewport: PHONE, lang: 'es' })
    await A.click('.accord-editor')
    await A.keyboard.type('Exigimos paz y pan para todas las personas del mundo entero.')
    await caretAt(A, 'paz')
    await A.fill('#comments-new-body', '¿Qué pan?')
    await A.getByRole('button', { name: 'Comentar este párrafo' }).click()
    await A.waitForSelector('.threads > li')
    assert.equal(await A.locator('#comments-h').innerText(), 'Comentarios')
    assert.match(await A.locator('.thread-where').innerText(), /^Sobre «Exigimos paz y pan/)
    assert.equal(await A.locator('label[for=comments-new-body]').innerText(), 'Su comentario')
    await noHorizontalScroll(A, 'comments on a phone')
    await shot(A, 'fixture-comments-phone')
    await A.context().close()
  })
})

// ---------------------------------------------------------------------------------------------
describe('with accordd', { skip: skipServer }, () => {
  let server
  const SLUG = 'debate'
  const pages = {}

  before(async () => {
    const accounts = await import('../../tests/node/lib/accounts.mjs')
    server = await startServer()
    const d = server.dataDir
    accounts.setupInstance(d, { password: PASSWORD })
    accounts.addOrg(d, 'NORTE', { name: 'Sindicato Norte', kind: 'union' })
    accounts.addOrg(d, 'SUR', { name: 'Frente Sur', kind: 'movement' })
    accounts.addUser(d, 'ana@example.org', { name: 'Ana', org: 'NORTE', role: 'delegate', password: PASSWORD })
    accounts.addUser(d, 'bruno@example.org', { name: 'Bruno', org: 'SUR', role: 'delegate', password: PASSWORD })
  })
  after(async () => { await server?.stop() })

  const signedIn = async (who, email) => (pages[who] = await signIn(browser, server.url, who, email))
  const openDraft = async page => {
    await page.goto(`${server.url}/d/statement.${SLUG}`)
    await page.waitForSelector('.accord-editor')
    await page.waitForSelector('#comments-panel')
  }

  test('a delegate comments on a paragraph', async () => {
    const S = await signedIn('sara', 'secretariat@example.org')
    assert.equal((await call(S, 'POST', '/statements', { slug: SLUG, title: 'Declaración en debate', language: 'es' })).status, 201)
    const orgs = (await call(S, 'GET', '/organizations')).body.items
    for (const short of ['NORTE', 'SUR']) {
      const o = orgs.find(x => x.short_name === short)
      assert.equal((await call(S, 'PUT', `/statements/${SLUG}/participants/${o.id}`, { edit: true, amend: true, sign: true })).status, 200)
    }
    const A = await signedIn('ana', 'ana@example.org')
    await openDraft(A)
    await A.waitForSelector('.accord-editor[contenteditable="true"]')
    await typeParagraphs(A, ['First point.', 'We demand peace and bread.'])
    await caretAt(A, 'peace')
    await A.keyboard.press('Control+Alt+KeyM')
    await A.keyboard.type('Which bread?')
    await A.keyboard.press('Tab')
    await A.keyboard.press('Enter')
    await A.waitForFunction(() => document.querySelector('#comments-live').textContent === 'Your comment was added.')
    const t1 = thread(A, 'Which bread?')
    assert.equal(await t1.locator('h3').innerText(), 'Ana, Sindicato Norte')
    assert.equal(await t1.locator('.thread-where').innerText(), 'On “We demand peace and bread.”')
    assert.deepEqual(await markers(A), [['We demand peace and bread.', '1']])
    assert.equal(await A.locator('.thread-resolve').count(), 0, 'a delegate has no resolve button')
    // What the server stored and says about the anchor.
    const list = (await call(A, 'GET', `/statements/${SLUG}/comments?target=paragraph`)).body.comments
    assert.equal(list.length, 1)
    assert.equal(list[0].target.kind, 'paragraph')
    assert.equal(list[0].target.attached, true)
    assert.match(list[0].target.excerpt, /peace/)
    assert.equal(list[0].author.organization_name, 'Sindicato Norte')
  })

  test('another participant replies', async () => {
    const B = await signedIn('bruno', 'bruno@example.org')
    await openDraft(B)
    await thread(B, 'Which bread?').waitFor()
    await B.getByRole('button', { name: 'Reply: thread by Ana' }).click()
    await B.keyboard.type('Bread for all.')
    await B.keyboard.press('Tab')
    await B.keyboard.press('Enter')
    await B.waitForFunction(() => document.querySelector('#comments-live').textContent === 'Your reply was added.')
    const A = pages.ana
    await A.click('#comments-refresh')
    await A.waitForFunction(() => document.querySelector('#comments-live').textContent === 'One new comment.')
    assert.match(await thread(A, 'Which bread?').locator('.comment').nth(1).innerText(), /Bruno, Frente Sur[\s\S]*Bread for all\./)
  })

  test('text written before the anchor: the comment stays on its paragraph', async () => {
    const B = pages.bruno
    await B.waitForSelector('.accord-editor[contenteditable="true"]')
    await caretAt(B, 'First point.')
    await B.keyboard.type('Opening words.')
    await B.keyboard.press('Enter')
    await caretAt(B, 'We demand')
    await B.keyboard.type('Now ')
    await savedState(B)
    const A = pages.ana
    await A.waitForFunction(() => document.querySelector('.thread-where')?.textContent === 'On “Now We demand peace and bread.”')
    assert.deepEqual(await markers(A), [['Now We demand peace and bread.', '1']])
    await thread(A, 'Which bread?').getByRole('button', { name: 'Go to the text of the thread by Ana' }).click()
    assert.equal(await caretParagraph(A), 'Now We demand peace and bread.')
    // The server resolves the anchor the same way, and so does a fresh page.
    const [c] = (await call(A, 'GET', `/statements/${SLUG}/comments?target=paragraph`)).body.comments
    assert.equal(c.target.attached, true)
    assert.match(c.target.excerpt, /peace/)
    await A.reload()
    await A.waitForSelector('.accord-editor')
    await A.waitForFunction(() => document.querySelector('.thread-where')?.textContent === 'On “Now We demand peace and bread.”')
    assert.match(await editorText(A), /Opening words\./)
    await shot(A, 'comments')
  })

  test('the secretariat resolves; a delegate cannot', async () => {
    const S = pages.sara
    await openDraft(S)
    await thread(S, 'Which bread?').waitFor()
    const [c] = (await call(S, 'GET', `/statements/${SLUG}/comments?target=paragraph`)).body.comments
    // Not through the API either.
    assert.equal((await call(pages.ana, 'PATCH', `/statements/${SLUG}/comments/${c.id}`, { resolved: true })).status, 403)
    await S.getByRole('button', { name: 'Resolve: thread by Ana' }).click()
    await S.waitForFunction(() => document.querySelector('#comments-live').textContent === 'The thread is resolved.')
    const resolved = S.locator('.threads > li[data-state="resolved"]')
    assert.match(await resolved.locator('.thread-resolved').innerText(), /^Resolved by /)
    assert.equal(await resolved.locator('.thread-toggle').getAttribute('aria-expanded'), 'false')
    assert.equal(await resolved.locator('.thread-body').isHidden(), true)
    const again = (await call(S, 'GET', `/statements/${SLUG}/comments?target=paragraph`)).body.comments.find(x => x.id === c.id)
    assert.ok(again.resolved, 'stored as resolved')
    const A = pages.ana
    await A.click('#comments-refresh')
    await A.waitForSelector('.threads > li[data-state="resolved"]')
    assert.equal(await A.locator('.thread-resolve, .thread-reopen').count(), 0)
    await shot(S, 'comments-resolved')
  })
})
