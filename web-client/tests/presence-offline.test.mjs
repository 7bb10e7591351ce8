// Browser test of two promises of the workspace, against a real accordd with Debian's
// Chromium: what is typed while the connection is down is kept in the browser (IndexedDB) and
// reaches the server when the editor comes back, and someone who leaves disappears from "who is
// here" and their cursor with them. Accounts and the statement are set up with the `accord` CLI
// and the API; the browser only signs in and edits. Screenshots: test-results/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { PASSWORD, skipServer as skip, launchChromium, startServer, logPageErrors, signInPage, shot } from './support.mjs'

const DOC = 'statement.presence'
let server, browser, yc, stored

before(async () => {
  if (skip) return
  const accounts = await import('../../tests/node/lib/accounts.mjs')
  yc = await import('../../tests/node/lib/yclient.mjs')
  server = await startServer()
  const d = server.dataDir
  accounts.setupInstance(d, { password: PASSWORD })
  const norte = accounts.addOrg(d, 'NORTE', { name: 'Sindicato Norte', kind: 'union' })
  const sur = accounts.addOrg(d, 'SUR', { name: 'Frente Sur', kind: 'movement' })
  accounts.addUser(d, 'ana@example.org', { name: 'Ana', org: 'NORTE', role: 'delegate', password: PASSWORD })
  accounts.addUser(d, 'bruno@example.org', { name: 'Bruno', org: 'SUR', role: 'delegate', password: PASSWORD })
  const sec = await accounts.signIn(server, accounts.SECRETARIAT_EMAIL, PASSWORD)
  const made = await accounts.api(server, sec, 'POST', '/api/v1/statements', { slug: 'presence', title: 'Presence' })
  assert.equal(made.status, 201, JSON.stringify(made.body))
  for (const org of [norte, sur]) {
    const r = await accounts.api(server, sec, 'PUT', `/api/v1/statements/presence/participants/${org}`, {})
    assert.equal(r.status, 200, JSON.stringify(r.body))
  }
  stored = () => yc.docFromUpdate(yc.exportDoc(d, DOC)).getXmlFragment('prosemirror').toString()
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

async function openDraft (context, email) {
  const page = await context.newPage()
  logPageErrors(page, email)
  await signInPage(page, server.url, email)
  await page.goto(`${server.url}/d/${DOC}`)
  await page.waitForSelector('.accord-editor')
  await state(page, 'saved')
  return page
}
const state = (page, s) => page.waitForFunction(want => document.querySelector('#saved-status')?.dataset.state === want, s, { timeout: 15000 })

test('edits made offline are kept in the browser and reach the server when it reconnects', { skip }, async () => {
  const context = await browser.newContext({ locale: 'en-US' })
  let page = await openDraft(context, 'ana@example.org')
  await page.click('.accord-editor')
  await page.keyboard.type('Typed online.')
  await state(page, 'saved')
  assert.match(stored(), /Typed online\./)

  // The network goes away: the indicator says so, and typing goes on.
  await context.setOffline(true)
  await page.evaluate(() => window.accord.provider.ws?.close()) // a dropped socket, as the OS would report it
  await state(page, 'offline')
  assert.match(await page.locator('#saved-status').innerText(), /Offline — changes kept locally/)
  await page.keyboard.press('Enter')
  await page.keyboard.type('Typed offline.')
  await shot(page, 'workspace-offline')
  // Give the local store its moment, then leave without ever reconnecting.
  await page.waitForTimeout(500)
  assert.doesNotMatch(stored(), /Typed offline/, 'the server never saw it')
  await page.close()

  // Back online, the same browser opens the draft again: the edit comes from IndexedDB and is
  // stored; "Saved" covers it.
  await context.setOffline(false)
  page = await context.newPage()
  await page.goto(`${server.url}/d/${DOC}`)
  await page.waitForSelector('.accord-editor')
  await page.waitForFunction(() => document.querySelector('.accord-editor')?.textContent.includes('Typed offline.'))
  await state(page, 'saved')
  await yc.waitFor(() => /Typed offline\./.test(stored()), { what: 'the offline edit to be stored' })
  await context.close()
})

test('someone who leaves disappears from "who is here", and so does their cursor', { skip }, async () => {
  const anaContext = await browser.newContext({ locale: 'en-US' })
  const brunoContext = await browser.newContext({ locale: 'es-AR' })
  const ana = await openDraft(anaContext, 'ana@example.org')
  const bruno = await openDraft(brunoContext, 'bruno@example.org')
  await bruno.click('.accord-editor')
  await bruno.keyboard.press('Control+End')
  await bruno.keyboard.type(' Bruno estuvo aquí.')
  await ana.waitForFunction(() => /Bruno — SUR/.test(document.querySelector('#people')?.textContent ?? ''))
  await ana.waitForSelector('.ProseMirror-yjs-cursor')
  assert.match(await ana.locator('#people').innerText(), /Ana — NORTE/)
  await brunoContext.close()
  await ana.waitForFunction(() => !/Bruno/.test(document.querySelector('#people')?.textContent ?? ''), null, { timeout: 15000 })
  await ana.waitForFunction(() => document.querySelectorAll('.ProseMirror-yjs-cursor').length === 0, null, { timeout: 15000 })
  assert.match(await ana.locator('#people').innerText(), /Ana — NORTE/)
  await anaContext.close()
})
