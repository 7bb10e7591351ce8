// Browser test: Debian's Chromium driven by playwright-core (no browser download).
// Against accordd when its binaries exist (ACCORD_BIN_DIR or ../build-asan/bin; accordd must
// serve web-client/dist, extra args in ACCORDD_ARGS), otherwise — or with ACCORD_STANDIN=1 —
// against tests/standin-server.mjs. Run `npm run build` first. Screenshots: test-results/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { here, haveAccordd, launchChromium, logPageErrors, apiCall, waitSaved, shot } from './support.mjs'

const useAccordd = process.env.ACCORD_STANDIN !== '1' && haveAccordd

let server, browser, writeToken, readToken, exportText
const DOC = 'browser-test-' + Date.now()

before(async () => {
  if (useAccordd) {
    const { startAccordd } = await import('../../tests/node/lib/accordd.mjs')
    const yc = await import('../../tests/node/lib/yclient.mjs')
    const args = (process.env.ACCORDD_ARGS ?? `--web ${path.resolve(here, '../dist')}`).split(' ').filter(Boolean)
    server = await startAccordd({ args })
    writeToken = yc.createToken(server.dataDir, { access: 'write' })
    readToken = yc.createToken(server.dataDir, { access: 'read' })
    exportText = () => {
      const d = yc.docFromUpdate(yc.exportDoc(server.dataDir, DOC))
      return d.getXmlFragment('prosemirror').toString()
    }
  } else {
    const { startStandin } = await import('./standin-server.mjs')
    server = await startStandin()
    writeToken = 'w-token'
    readToken = 'ro-token'
    exportText = null
  }
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

const url = (token, who, extra = '') => `${server.url}/d/${DOC}?token=${encodeURIComponent(token)}&name=${encodeURIComponent(who.name)}&org=${encodeURIComponent(who.org)}${extra}`
const editorText = page => page.locator('.accord-editor').innerText()

async function open (token, who, { extra = '', locale = 'en-US', viewport } = {}) {
  const context = await browser.newContext({ locale, viewport })
  const page = await context.newPage()
  logPageErrors(page, who.name)
  await page.goto(url(token, who, extra))
  await page.waitForSelector('.accord-editor')
  return { context, page }
}

test('open and identity screens render', async () => {
  const ctx = await browser.newContext({ locale: 'es-AR' })
  const page = await ctx.newPage()
  await page.goto(server.url + '/')
  await page.waitForSelector('form.card')
  assert.match(await page.locator('h1').innerText(), /Abrir una declaración/)
  await shot(page, 'open-es', { fullPage: false })
  await page.goto(`${server.url}/d/${DOC}?token=x`)
  await page.waitForSelector('#f-name')
  await shot(page, 'identity-es', { fullPage: false })
  await ctx.close()
})

test('two delegates edit together, see cursors, converge, saved is honest, reload keeps it', async () => {
  const alice = { name: 'Alicia', org: 'Sindicato Norte' }
  const bob = { name: 'Bruno', org: 'Frente Sur' }
  const A = await open(writeToken, alice)
  const B = await open(writeToken, bob, { viewport: { width: 390, height: 800 } })
  await A.page.waitForFunction(() => document.querySelector('#saved-status')?.dataset.state === 'saved')

  // Every change of the indicator is recorded with whether the local edit was already typed:
  // the server may store a keystroke within milliseconds, so "Saved" right after typing is not
  // wrong in itself; what must happen is "Saving…" as each edit is made, then "Saved".
  await A.page.evaluate(() => {
    const el = document.querySelector('#saved-status')
    window.__states = []
    new MutationObserver(() => window.__states.push(el.dataset.state))
      .observe(el, { attributes: true, attributeFilter: ['data-state'] })
  })
  await A.page.click('.accord-editor')
  await A.page.keyboard.type('We, the undersigned organizations, declare:')
  await waitSaved(A.page)
  const states = await A.page.evaluate(() => window.__states)
  assert.ok(states.includes('saving'), `the indicator showed "Saving…" while edits were unconfirmed (saw ${states.join(',')})`)
  assert.equal(states.at(-1), 'saved')
  if (exportText) assert.match(exportText(), /undersigned organizations/, 'server stored the text when the client says Saved')

  await B.page.waitForFunction(() => document.querySelector('.accord-editor')?.textContent.includes('undersigned'))
  await B.page.click('.accord-editor')
  await B.page.keyboard.press('Control+End')
  await B.page.keyboard.press('Enter')
  await B.page.keyboard.type('Peace and sovereignty for all peoples.')
  await A.page.waitForFunction(() => document.querySelector('.accord-editor')?.textContent.includes('sovereignty'))
  // A sees B's cursor labelled with name and organization; both appear in "who is here".
  await A.page.waitForSelector('.ProseMirror-yjs-cursor')
  assert.match(await A.page.locator('.ProseMirror-yjs-cursor').first().innerText(), /Bruno · Frente Sur/)
  assert.match(await A.page.locator('#people').innerText(), /Bruno — Frente Sur/)
  assert.match(await B.page.locator('#people').innerText(), /Alicia — Sindicato Norte/)
  await B.page.waitForFunction(() => document.querySelector('#saved-status')?.dataset.state === 'saved')
  const ytext = page => page.evaluate(() => window.accord.doc.getXmlFragment('prosemirror').toString())
  await A.page.waitForFunction(() => document.querySelector('#saved-status')?.dataset.state === 'saved')
  assert.equal(await ytext(A.page), await ytext(B.page), 'converged')
  await shot(A.page, 'workspace-a')
  await shot(B.page, 'workspace-b-phone')

  // Formatting via the keyboard-accessible toolbar.
  await A.page.keyboard.press('Control+Home')
  await A.page.click('[data-tool="heading1"]')
  await B.page.waitForSelector('.accord-editor h1')

  // Reload keeps everything (server + IndexedDB).
  await B.page.waitForFunction(() => document.querySelector('#saved-status')?.dataset.state === 'saved')
  const before = await ytext(B.page)
  await A.page.reload()
  await A.page.waitForFunction(t => window.accord?.doc.getXmlFragment('prosemirror').toString() === t, before, { timeout: 10000 })
  await A.context.close()
  await B.context.close()
})

test('an observer cannot type (read-only by link mode, and by server denial)', async () => {
  const obs = { name: 'Olga', org: 'Observadores' }
  const O = await open(readToken, obs, { extra: '&mode=read' })
  await O.page.waitForFunction(() => document.querySelector('.accord-editor')?.textContent.includes('sovereignty'))
  assert.equal(await O.page.locator('.accord-editor').getAttribute('contenteditable'), 'false')
  const before = await editorText(O.page)
  await O.page.click('.accord-editor')
  await O.page.keyboard.type('SHOULD NOT APPEAR')
  assert.equal(await editorText(O.page), before)
  assert.equal(await O.page.locator('#readonly-badge').isVisible(), true)
  await shot(O.page, 'observer')
  await O.context.close()

  // Without the hint, the first denied write switches the UI to read-only; nobody else sees it.
  const D = await open(readToken, obs)
  await D.page.waitForFunction(() => document.querySelector('.accord-editor')?.textContent.includes('sovereignty'))
  await D.page.click('.accord-editor')
  await D.page.keyboard.type('X')
  await D.page.waitForSelector('#notice:not([hidden])', { timeout: 10000 })
  assert.equal(await D.page.locator('.accord-editor').getAttribute('contenteditable'), 'false')
  await shot(D.page, 'observer-denied')
  await D.context.close()
  const C = await open(writeToken, { name: 'Carla', org: 'Check' })
  await C.page.waitForFunction(() => document.querySelector('.accord-editor')?.textContent.includes('sovereignty'))
  assert.doesNotMatch(await editorText(C.page), /SHOULD NOT|peoples\.X/)
  if (exportText) assert.doesNotMatch(exportText(), /SHOULD NOT/)
  await C.context.close()
})

test('an invitation link sets a password and signs in; the statement opens with the session cookie; sign-out and sign-in', { skip: !useAccordd && 'needs accordd (the stand-in has no accounts)' }, async () => {
  const { execFileSync } = await import('node:child_process')
  const { binary } = await import('../../tests/node/lib/accordd.mjs')
  // The instance's secretariat organization SEC exists (the tokens above belong to it); invite
  // one more of its members the way `accord invite` does for a secretariat.
  const link = execFileSync(binary('accord'), ['invite', '--data', server.dataDir, '--email', 'sofia@example.org',
    '--name', 'Sofía', '--org', 'SEC', '--role', 'secretariat', '--url', server.url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  assert.match(link, /\/invite#aci_/)
  const ctx = await browser.newContext({ locale: 'en-US' })
  const page = await ctx.newPage()
  logPageErrors(page, 'account')
  await page.goto(link)
  await page.waitForSelector('#link-form')
  assert.ok(!page.url().includes('#aci_'), 'the token left the address bar')
  assert.match(await page.locator('#invite-for').innerText(), /Secretariat \(SEC\) — secretariat/)
  await page.fill('#new_password', 'short')
  await page.fill('#repeat_password', 'short')
  await page.click('#link-form button[type=submit]')
  await page.waitForSelector('#new_password[aria-invalid="true"]')
  assert.match(await page.locator('#form-error').innerText(), /correct the marked fields/)
  assert.match(await page.locator('#new_password-error').innerText(), /12/)
  await page.fill('#new_password', 'a long enough passphrase')
  await page.fill('#repeat_password', 'a long enough passphrase')
  await page.click('#link-form button[type=submit]')
  await page.waitForSelector('#signed-in-as')
  assert.match(await page.locator('#signed-in-as').innerText(), /Sofía — SEC/)

  // The secretariat starts a statement (through the API, with the page's own session).
  const created = await apiCall(page, 'POST', '/statements', { slug: 'closing-declaration', title: 'Closing declaration' })
  assert.equal(created.status, 201)
  await page.reload()
  await page.waitForSelector('#statements a.open-draft')
  await page.click('#statements a.open-draft')
  await page.waitForSelector('.accord-editor')
  await page.waitForFunction(() => document.querySelector('#saved-status')?.dataset.state === 'saved')
  await page.click('.accord-editor')
  await page.keyboard.type('We, the undersigned')
  await page.waitForFunction(() => document.querySelector('#saved-status')?.dataset.state === 'saved' &&
    document.querySelector('.accord-editor')?.textContent.includes('undersigned'))
  const yc = await import('../../tests/node/lib/yclient.mjs')
  const stored = yc.docFromUpdate(yc.exportDoc(server.dataDir, 'statement.closing-declaration'))
  assert.match(stored.getXmlFragment('prosemirror').toString(), /We, the undersigned/)

  // Sign out, then sign in with the form.
  await page.goto(server.url + '/')
  await page.click('#signout')
  await page.waitForSelector('#signin-link')
  await page.goto(server.url + '/signin')
  await page.fill('#email', 'sofia@example.org')
  await page.fill('#password', 'wrong password here')
  await page.click('#signin button[type=submit]')
  await page.waitForSelector('#form-error:not([hidden])')
  await page.fill('#password', 'a long enough passphrase')
  await page.click('#signin button[type=submit]')
  await page.waitForSelector('#signed-in-as')
  await ctx.close()
})
