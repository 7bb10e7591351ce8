// What the browser tests (tests/*.test.mjs) share: where accordd and the screenshots are, the
// accounts' password and the viewports, Chromium, signing in through the form, the REST API from
// inside a signed-in page, and a few checks and readers of the page. Not a test file itself
// (node --test runs *.test.mjs only).
import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const here = path.dirname(fileURLToPath(import.meta.url))
export const shots = path.resolve(here, '../test-results')
mkdirSync(shots, { recursive: true })
// Set here so that tests/node/lib (accordd.mjs, accounts.mjs) use the same binaries.
process.env.ACCORD_BIN_DIR ||= path.resolve(here, '../../build-asan/bin')
export const haveAccordd = existsSync(path.join(process.env.ACCORD_BIN_DIR, 'accordd'))
// Only an explicit stand-in run skips the tests that need accordd (the stand-in has no
// accounts); otherwise a missing accordd fails in their before().
export const skipServer = process.env.ACCORD_STANDIN === '1' && 'needs accordd (the stand-in has no accounts)'

export const PASSWORD = 'correct horse battery staple'
export const DESKTOP = { width: 1280, height: 860 }
export const PHONE = { width: 390, height: 800 }

export const launchChromium = () => chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] })

/** accordd on a fresh data directory serving the production build (web-client/dist). */
export async function startServer (extraArgs = []) {
  if (!haveAccordd) throw new Error(`no accordd in ${process.env.ACCORD_BIN_DIR}: build it or set ACCORD_BIN_DIR`)
  const { startAccordd } = await import('../../tests/node/lib/accordd.mjs')
  return startAccordd({ args: ['--web', path.resolve(here, '../dist'), ...extraArgs] })
}

/** Logs the page's uncaught errors, named by who, so a failing test shows them. */
export const logPageErrors = (page, who) => page.on('pageerror', e => console.error(`[${who}] pageerror`, e))

/** A page in a new browser context (a browser profile of its own: cookies, IndexedDB). */
export async function newPage (browser, serverUrl, who, { locale = 'en-US', viewport = DESKTOP, permissions = [] } = {}) {
  const context = await browser.newContext({ locale, viewport })
  if (permissions.length) await context.grantPermissions(permissions, { origin: serverUrl })
  const page = await context.newPage()
  logPageErrors(page, who)
  return page
}

/** Signs in on the form of /signin with the shared password; resolves once signed in. */
export async function signInPage (page, serverUrl, email) {
  await page.goto(serverUrl + '/signin')
  await page.fill('#email', email)
  await page.fill('#password', PASSWORD)
  await page.click('#signin button[type=submit]')
  await page.waitForSelector('#signed-in-as')
}

/** A new page, signed in as email. */
export async function signIn (browser, serverUrl, who, email, options) {
  const page = await newPage(browser, serverUrl, who, options)
  await signInPage(page, serverUrl, email)
  return page
}

/** The REST API from inside a signed-in page (session cookie + CSRF token): { status, body }. */
export const apiCall = (page, method, p, body) => page.evaluate(async ([method, p, body]) => {
  const s = await (await fetch('/api/v1/session')).json()
  const r = await fetch('/api/v1' + p, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token }, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: r.status, body: await r.json().catch(() => null) }
}, [method, p, body])

/** Waits until the editor's indicator says "Saved" (the server confirmed every edit). */
export const waitSaved = page => page.waitForFunction(() => document.querySelector('#saved-status')?.dataset.state === 'saved', null, { timeout: 10000 })

/** Types the paragraphs into the open editor (from where its caret is put by a click), one
 *  Enter between them, and waits until they are saved. */
export async function typeParagraphs (page, paragraphs) {
  await page.click('.accord-editor')
  for (const [i, text] of paragraphs.entries()) {
    if (i) await page.keyboard.press('Enter')
    await page.keyboard.type(text)
  }
  await waitSaved(page)
}

/** A screenshot into test-results/name.png, of the whole page unless fullPage is false. */
export const shot = (page, name, { fullPage = true } = {}) => page.screenshot({ path: path.join(shots, name + '.png'), fullPage })

export async function noHorizontalScroll (page, what) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  if (scroll > width) {
    // Name the elements that stick out, to find the culprit from the log.
    console.error(await page.evaluate(w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w).map(e => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 15).join('\n'), width))
  }
  assert.ok(scroll <= width, `${what}: no horizontal scroll at ${width}px (content is ${scroll}px wide)`)
}

// What a sighted reader sees: the text without the visually hidden words for screen readers.
export const seen = locator => locator.evaluate(e => { const c = e.cloneNode(true); c.querySelectorAll('.sr-only').forEach(x => x.remove()); return c.textContent })
export const texts = (page, sel) => page.locator(sel).evaluateAll(es => es.map(e => { const c = e.cloneNode(true); c.querySelectorAll('.sr-only').forEach(x => x.remove()); return c.textContent }))
