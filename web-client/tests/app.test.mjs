// Browser test of the signed-in app against a real accordd: Debian's Chromium driven by
// playwright-core. Accounts are set up with the `accord` CLI (a secretariat, the organization
// NORTE with a delegate, an observer and a further delegate); everything else goes through the
// UI: the secretariat adds the organization SUR and invites its delegate (who accepts the link
// in Spanish on a phone), manages members, creates a statement and makes both organizations
// take part; then delegates of the two organizations edit it together, an observer reads it
// without being able to type, and a phase change freezes the open editor.
// The tests of this file run in order and share one server. Screenshots: test-results/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { PASSWORD, DESKTOP, PHONE, skipServer as skip, launchChromium, startServer, newPage as openPage, signInPage, waitSaved as savedState, shot, noHorizontalScroll } from './support.mjs'

let server, browser, yc, exportText
const pages = {} // the signed-in pages, by person, shared by the tests below
let brunoLink

before(async () => {
  if (skip) return
  const accounts = await import('../../tests/node/lib/accounts.mjs')
  yc = await import('../../tests/node/lib/yclient.mjs')
  // The link endpoints allow 10 calls per address per hour; this file makes more from 127.0.0.1.
  server = await startServer(['--limit', 'link_requests_per_ip=1000'])
  const d = server.dataDir
  accounts.setupInstance(d, { password: PASSWORD })
  accounts.addOrg(d, 'NORTE', { name: 'Sindicato Norte', kind: 'union' })
  accounts.addUser(d, 'ana@example.org', { name: 'Ana', org: 'NORTE', role: 'delegate', password: PASSWORD })
  accounts.addUser(d, 'olga@example.org', { name: 'Olga', org: 'NORTE', role: 'observer', password: PASSWORD })
  accounts.addUser(d, 'tomas@example.org', { name: 'Tomás', org: 'NORTE', role: 'delegate', password: PASSWORD })
  exportText = () => yc.docFromUpdate(yc.exportDoc(d, 'statement.closing-declaration')).getXmlFragment('prosemirror').toString()
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

// Every page may use the clipboard (the invitation link is copied with a button).
async function newPage (who, { locale = 'en-US', viewport = DESKTOP } = {}) {
  pages[who] = await openPage(browser, server.url, who, { locale, viewport, permissions: ['clipboard-read', 'clipboard-write'] })
  return pages[who]
}

const activeId = page => page.evaluate(() => document.activeElement?.id ?? '')
const status = (page, sel) => page.waitForFunction(s => document.querySelector(s)?.textContent.trim(), sel).then(() => page.locator(sel).innerText())
const ytext = page => page.evaluate(() => window.accord.doc.getXmlFragment('prosemirror').toString())

const signIn = (page, email) => signInPage(page, server.url, email)

test('sign-in by keyboard only; the skip link and the navigation', { skip }, async () => {
  const page = await newPage('sec')
  await page.goto(server.url + '/signin')
  await page.waitForSelector('#signin')
  await shot(page, 'signin')
  // Tab from the top of the page reaches the e-mail field in a few steps (skip link, brand, language).
  let steps = 0
  while (await activeId(page) !== 'email' && steps < 8) { await page.keyboard.press('Tab'); steps++ }
  assert.equal(await activeId(page), 'email', 'Tab reaches the e-mail field')
  await page.keyboard.type('secretariat@example.org')
  await page.keyboard.press('Tab')
  assert.equal(await activeId(page), 'password')
  await page.keyboard.type('not the password at all')
  await page.keyboard.press('Enter')
  assert.match(await status(page, '#form-error'), /e-mail address or the password is wrong/)
  assert.equal(await page.locator('#form-error').getAttribute('role'), 'alert')
  // The wrong password is selected: typing replaces it, Enter submits.
  await page.keyboard.type(PASSWORD)
  await page.keyboard.press('Enter')
  await page.waitForSelector('#signed-in-as')
  assert.match(await page.locator('#signed-in-as').innerText(), /secretariat — SEC/)

  // First Tab: the skip link, visible when focused; Enter moves focus to the content.
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip')
  const box = await page.locator('.skip').boundingBox()
  assert.ok(box && box.y >= 0, 'the focused skip link is on screen')
  await page.keyboard.press('Enter')
  assert.equal(await activeId(page), 'main')
  // The secretariat's navigation has Organizations; the current page is marked.
  assert.equal(await page.locator('#nav-statements').getAttribute('aria-current'), 'page')
  assert.equal(await page.locator('#nav-organizations').count(), 1)
})

test('the secretariat manages organizations, members and invitations', { skip }, async () => {
  const page = pages.sec
  await page.click('#nav-organizations')
  await page.waitForSelector('table#organizations')
  const table = await page.locator('table#organizations').innerText()
  assert.match(table, /Sindicato Norte\s+NORTE\s+—\s+Union/)
  assert.equal(await page.locator('#nav-organizations').getAttribute('aria-current'), 'page')
  await shot(page, 'organizations')

  // Field errors from problem+json land next to their fields.
  await page.fill('#org-new-name', 'Frente Sur')
  await page.fill('#org-new-short_name', 'NORTE')
  await page.fill('#org-new-website', 'ftp://files.example.org')
  await page.click('#org-new button[type=submit]')
  await page.waitForSelector('#org-new-website[aria-invalid="true"]')
  assert.match(await page.locator('#org-new-website-error').innerText(), /https:\/\//)
  assert.match(await page.locator('#org-new-website').getAttribute('aria-describedby'), /org-new-website-error/)
  assert.match(await page.locator('#org-new-alert').innerText(), /correct the marked fields/)
  await shot(page, 'organizations-field-error')
  // A taken short name is a conflict, said in the alert.
  await page.fill('#org-new-website', '')
  await page.click('#org-new button[type=submit]')
  await page.waitForFunction(() => /already exists/.test(document.querySelector('#org-new-alert')?.textContent))
  assert.equal(await page.locator('#org-new-website').getAttribute('aria-invalid'), null, 'the fixed field is no longer marked')
  await page.fill('#org-new-short_name', 'SUR')
  await page.fill('#org-new-country', 'ar')
  await page.selectOption('#org-new-kind', 'movement')
  await page.click('#org-new button[type=submit]')
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Frente Sur (SUR)')

  // Invite a delegate: without mail the link is shown to copy.
  await page.fill('#invite-email', 'bruno@example.org')
  await page.fill('#invite-display_name', 'Bruno')
  await page.selectOption('#invite-role', 'delegate')
  await page.click('#invite button[type=submit]')
  await page.waitForSelector('#invite-link')
  brunoLink = await page.locator('#invite-link').inputValue()
  assert.match(brunoLink, /\/invite#aci_/)
  await page.click('#invite-link-copy')
  assert.match(await status(page, '.copy-box [role=status]'), /Copied|Ctrl\+C/)
  if (/Copied/.test(await page.locator('.copy-box [role=status]').innerText())) {
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), brunoLink)
  }
  assert.match(await page.locator('#org-status').innerText(), /Invitation for bruno@example.org created/)
  // A server-side field error on the invitation form.
  await page.fill('#invite-email', 'carla@example')
  await page.click('#invite button[type=submit]')
  await page.waitForSelector('#invite-email[aria-invalid="true"]')
  assert.match(await page.locator('#invite-email-error').innerText(), /domain with a dot/)
  // Invite and revoke another one.
  await page.fill('#invite-email', 'carla@example.org')
  await page.selectOption('#invite-role', 'observer')
  await page.click('#invite button[type=submit]')
  // (Bruno's link is still on screen until the page is redrawn: wait for Carla's.)
  await page.waitForFunction(() => /carla@example.org/.test(document.querySelector('.copy-box')?.textContent))
  const pending = await page.locator('#pending-table').innerText()
  assert.match(pending, /bruno@example.org\s+Bruno\s+delegate/)
  assert.match(pending, /carla@example.org/)
  await shot(page, 'members-invite')
  const revoke = page.getByRole('button', { name: 'Revoke the invitation for carla@example.org' })
  await revoke.click()
  await page.getByRole('button', { name: /Press again to confirm — Revoke the invitation for carla/ }).click()
  await page.waitForFunction(() => /revoked/.test(document.querySelector('#org-status')?.textContent))
  assert.doesNotMatch(await page.locator('#pending').innerText(), /carla/)
  assert.match(await page.locator('#pending').innerText(), /bruno/)

  // NORTE: members with e-mail and role; change a role, then remove the membership.
  await page.click('#nav-organizations')
  await page.click('table#organizations >> text=Sindicato Norte')
  await page.waitForSelector('table#members')
  const members = await page.locator('table#members').innerText()
  assert.match(members, /Ana\s+ana@example.org/)
  assert.match(members, /Olga\s+olga@example.org/)
  const tomas = page.locator('table#members tr', { hasText: 'Tomás' })
  await tomas.locator('select').selectOption('signatory')
  await tomas.getByRole('button', { name: 'Change the role of Tomás' }).click()
  await page.waitForFunction(() => /Tomás is now signatory/.test(document.querySelector('#org-status')?.textContent))
  assert.equal(await page.locator('table#members tr', { hasText: 'Tomás' }).locator('select').inputValue(), 'signatory')
  await shot(page, 'members')
  await page.setViewportSize(PHONE)
  await noHorizontalScroll(page, 'members on a phone')
  await shot(page, 'members-phone')
  await page.setViewportSize(DESKTOP)
  await page.getByRole('button', { name: 'Remove Tomás (signatory)' }).click()
  await page.getByRole('button', { name: /Press again to confirm — Remove Tomás/ }).click()
  await page.waitForFunction(() => /Tomás was removed/.test(document.querySelector('#org-status')?.textContent))
  assert.doesNotMatch(await page.locator('table#members').innerText(), /Tomás/)

  // Edit the organization.
  await page.fill('#org-edit-country', 'UY')
  await page.click('#org-edit button[type=submit]')
  await page.waitForFunction(() => /Changes saved/.test(document.querySelector('#org-status')?.textContent))
  await page.click('#nav-organizations')
  await page.waitForSelector('table#organizations')
  assert.match(await page.locator('table#organizations').innerText(), /Sindicato Norte\s+NORTE\s+UY/)
  assert.match(await page.locator('table#organizations').innerText(), /Frente Sur\s+SUR\s+AR\s+Movement/)
  await page.setViewportSize(PHONE)
  await noHorizontalScroll(page, 'organizations on a phone')
  await shot(page, 'organizations-phone')
  await page.setViewportSize(DESKTOP)
})

test('the secretariat creates a statement, adds both organizations and sets a deadline', { skip }, async () => {
  const page = pages.sec
  await page.click('#nav-statements')
  await page.waitForSelector('#statement-new')
  await page.fill('#statement-new-title', 'Declaración de cierre')
  assert.equal(await page.locator('#statement-new-slug').inputValue(), 'declaracion-de-cierre', 'a slug is suggested from the title')
  await page.fill('#statement-new-slug', 'Closing Declaration')
  await page.click('#statement-new button[type=submit]')
  await page.waitForSelector('#statement-new-slug[aria-invalid="true"]')
  assert.match(await page.locator('#statement-new-slug-error').innerText(), /lower-case/)
  await page.fill('#statement-new-slug', 'closing-declaration')
  await page.click('#statement-new button[type=submit]')
  await page.waitForSelector('#participant-add')
  assert.equal(await page.locator('h1').innerText(), 'Declaración de cierre')

  for (const short of ['NORTE', 'SUR']) {
    const value = await page.locator('#participant-add-organization_id option', { hasText: `${short} — ` }).getAttribute('value')
    await page.selectOption('#participant-add-organization_id', value)
    await page.click('#participant-add button[type=submit]')
    await page.waitForFunction(s => document.querySelector('#manage-status')?.textContent === `${s} takes part now.`, short)
  }
  // SUR convenes too.
  const sur = page.locator('form.participant[data-org="SUR"]')
  await sur.locator('[name=convener]').check()
  await sur.getByRole('button', { name: 'Save' }).click()
  await page.waitForFunction(() => /Participation of SUR saved/.test(document.querySelector('#manage-status')?.textContent))
  assert.equal(await page.locator('form.participant[data-org="SUR"] [name=convener]').isChecked(), true)

  const next = new Date(Date.now() + 30 * 86400e3)
  const local = `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, '0')}-${String(next.getDate()).padStart(2, '0')}T18:00`
  await page.fill('#phase-phase_deadline', local)
  await page.click('#phase button[type=submit]')
  await page.waitForFunction(() => /Changes saved/.test(document.querySelector('#manage-status')?.textContent))
  assert.match(await page.locator('.meta .deadline').innerText(), /Deadline: .*6:00/)
  assert.equal(await page.locator('#phase-phase_deadline').inputValue(), local)
  await shot(page, 'statement-manage')

  await page.click('#nav-statements')
  const item = page.locator('li.statement[data-slug="closing-declaration"]')
  await item.waitFor()
  const text = await item.innerText()
  assert.match(text, /Drafting/)
  assert.match(text, /Deadline:/)
  assert.match(text, /NORTE — co-edits, amends, signs/)
  assert.match(text, /SUR — co-edits, amends, signs, convenes/)
  await shot(page, 'home-statements')
})

test('an invited delegate accepts the link in Spanish on a phone and sees the statements', { skip }, async () => {
  const page = await newPage('bruno', { locale: 'es-AR', viewport: PHONE })
  await page.goto(brunoLink)
  await page.waitForSelector('#link-form')
  assert.ok(!page.url().includes('#aci_'), 'the token left the address bar')
  assert.equal(await page.locator('h1').innerText(), 'Únase a Accord')
  assert.match(await page.locator('#invite-for').innerText(), /Frente Sur \(SUR\) — delegado\/a/)
  assert.equal(await page.locator('#display_name').inputValue(), 'Bruno')
  await page.setViewportSize(DESKTOP)
  await shot(page, 'invitation-es')
  await page.setViewportSize(PHONE)
  await page.fill('#new_password', 'corta')
  await page.fill('#repeat_password', 'corta')
  await page.click('#link-form button[type=submit]')
  await page.waitForSelector('#new_password[aria-invalid="true"]')
  assert.match(await page.locator('#form-error').innerText(), /Corrija los campos marcados/)
  assert.notEqual(await page.locator('#new_password-error').innerText(), '')
  await noHorizontalScroll(page, 'invitation on a phone')
  await shot(page, 'invitation-es-phone')
  await page.fill('#new_password', PASSWORD)
  await page.fill('#repeat_password', PASSWORD)
  await page.click('#link-form button[type=submit]')
  await page.waitForSelector('#signed-in-as')
  assert.match(await page.locator('#signed-in-as').innerText(), /Bruno — SUR/)
  assert.equal(await page.locator('h1').innerText(), 'Declaraciones')
  assert.equal(await page.locator('#nav-organizations').count(), 0, 'no Organizations for a delegate')
  const item = await page.locator('li.statement').innerText()
  assert.match(item, /Declaración de cierre/)
  assert.match(item, /Redacción/)
  assert.match(item, /Plazo:/)
  assert.match(item, /NORTE — coedita, enmienda, firma/)
  assert.equal(await page.locator('li.statement a.manage').count(), 0, 'a delegate does not manage')
  await noHorizontalScroll(page, 'statements on a phone')
  await shot(page, 'home-es-phone')
  await page.setViewportSize(DESKTOP)
  await shot(page, 'home-es')
  await page.setViewportSize(PHONE)
})

test('delegates of two organizations edit together: text, cursors, honest saved state, reload', { skip }, async () => {
  const A = await newPage('ana')
  await signIn(A, 'ana@example.org')
  await A.click('li.statement a.open-draft')
  await A.waitForSelector('.accord-editor')
  assert.equal(await A.locator('#doc-title').innerText(), 'Declaración de cierre')
  assert.equal(await A.locator('#phase').innerText(), 'Drafting')
  assert.equal(await A.locator('.accord-editor').getAttribute('contenteditable'), 'true')
  assert.equal(await A.locator('#readonly-reason').isVisible(), false)
  const B = pages.bruno
  await B.click('li.statement a.open-draft')
  await B.waitForSelector('.accord-editor')
  await savedState(A)

  await A.evaluate(() => {
    const el = document.querySelector('#saved-status')
    window.__states = []
    new MutationObserver(() => window.__states.push(el.dataset.state)).observe(el, { attributes: true, attributeFilter: ['data-state'] })
  })
  await A.click('.accord-editor')
  await A.keyboard.type('We, the undersigned organizations, declare:')
  await savedState(A)
  const states = await A.evaluate(() => window.__states)
  assert.ok(states.includes('saving'), `"Saving…" while edits were unconfirmed (saw ${states.join(',')})`)
  assert.equal(states.at(-1), 'saved')
  assert.match(exportText(), /undersigned organizations/, 'the server stored the text when the client said Saved')

  await B.waitForFunction(() => document.querySelector('.accord-editor')?.textContent.includes('undersigned'))
  await B.click('.accord-editor')
  await B.keyboard.press('Control+End')
  await B.keyboard.press('Enter')
  await B.keyboard.type('Paz y soberanía para los pueblos.')
  await A.waitForFunction(() => document.querySelector('.accord-editor')?.textContent.includes('soberanía'))
  await A.waitForSelector('.ProseMirror-yjs-cursor')
  assert.match(await A.locator('.ProseMirror-yjs-cursor').first().innerText(), /Bruno · SUR/)
  await B.waitForSelector('.ProseMirror-yjs-cursor')
  assert.match(await B.locator('.ProseMirror-yjs-cursor').first().innerText(), /Ana · NORTE/)
  assert.match(await A.locator('#people').innerText(), /Bruno — SUR/)
  assert.match(await B.locator('#people').innerText(), /Ana — NORTE/)
  await savedState(B)
  await savedState(A)
  assert.equal(await ytext(A), await ytext(B), 'converged')
  assert.match(exportText(), /soberanía/)

  // The toolbar is reachable by keyboard: Shift+Tab from the text, arrows inside it.
  await A.focus('.accord-editor')
  let steps = 0
  while (!(await A.evaluate(() => !!document.activeElement?.closest('#toolbar'))) && steps < 5) { await A.keyboard.press('Shift+Tab'); steps++ }
  assert.equal(await A.evaluate(() => document.activeElement.dataset.tool), 'bold', 'Shift+Tab reaches the toolbar')
  await A.keyboard.press('ArrowRight')
  assert.equal(await A.evaluate(() => document.activeElement.dataset.tool), 'italic')
  await A.keyboard.press('ArrowLeft')
  await A.keyboard.press('Enter')
  assert.equal(await A.locator('[data-tool="bold"]').getAttribute('aria-pressed'), 'true', 'Enter on Bold toggles it')

  await shot(A, 'workspace-desktop', { fullPage: false })
  await noHorizontalScroll(B, 'workspace on a phone')
  await shot(B, 'workspace-es-phone', { fullPage: false })

  // A reload keeps everything (server and IndexedDB); the title and phase come back.
  const before = await ytext(B)
  await A.reload()
  await A.waitForFunction(t => window.accord?.doc.getXmlFragment('prosemirror').toString() === t, before, { timeout: 10000 })
  assert.equal(await A.locator('#doc-title').innerText(), 'Declaración de cierre')
  await B.reload()
  await B.waitForFunction(t => window.accord?.doc.getXmlFragment('prosemirror').toString() === t, before, { timeout: 10000 })
})

test('an observer signed in reads the draft, cannot type, and nothing she types is stored', { skip }, async () => {
  const O = await newPage('olga')
  await signIn(O, 'olga@example.org')
  await O.click('li.statement a.open-draft')
  await O.waitForFunction(() => document.querySelector('.accord-editor')?.textContent.includes('soberanía'))
  // Read-only before typing anything, with the reason.
  assert.equal(await O.locator('.accord-editor').getAttribute('contenteditable'), 'false')
  assert.equal(await O.locator('#readonly-badge').isVisible(), true)
  assert.match(await O.locator('#readonly-reason').innerText(), /observer/)
  assert.equal(await O.locator('[data-tool="bold"]').isDisabled(), true)
  assert.equal(await O.locator('#import-open').isVisible(), false)
  const before = await O.locator('.accord-editor').innerText()
  await O.click('.accord-editor')
  await O.keyboard.type('OLGA WAS HERE')
  assert.equal(await O.locator('.accord-editor').innerText(), before)
  await shot(O, 'observer-readonly')
  // Ana writes after Olga typed; once Ana's text is stored, Olga's is not there.
  const A = pages.ana
  await A.click('.accord-editor')
  await A.keyboard.press('Control+End')
  await A.keyboard.type(' Fin.')
  await savedState(A)
  await O.waitForFunction(() => document.querySelector('.accord-editor')?.textContent.includes('Fin.'))
  const stored = exportText()
  assert.match(stored, /Fin\./)
  assert.doesNotMatch(stored, /OLGA/)
})

test('a phase change by the secretariat freezes the open editors, with the reason', { skip }, async () => {
  const S = pages.sec
  await S.goto(server.url + '/#/statements/closing-declaration')
  await S.waitForSelector('#phase')
  await S.selectOption('#phase-phase', 'amendments')
  await S.fill('#phase-phase_deadline', '')
  await S.click('#phase button[type=submit]')
  await S.waitForFunction(() => /Changes saved/.test(document.querySelector('#manage-status')?.textContent))
  assert.match(await S.locator('.meta').innerText(), /Amendments\s+No deadline/)
  // The server closes the statement's sockets; the client reconnects and asks its rights again.
  const A = pages.ana
  await A.waitForFunction(() => document.querySelector('.accord-editor')?.getAttribute('contenteditable') === 'false', null, { timeout: 15000 })
  assert.match(await A.locator('#readonly-reason').innerText(), /frozen in the Amendments phase/)
  assert.equal(await A.locator('#phase').innerText(), 'Amendments')
  const B = pages.bruno
  await B.waitForFunction(() => document.querySelector('.accord-editor')?.getAttribute('contenteditable') === 'false', null, { timeout: 15000 })
  assert.match(await B.locator('#readonly-reason').innerText(), /congelado en la fase de Enmiendas/)
  await shot(A, 'workspace-frozen')
  await shot(B, 'workspace-frozen-es-phone', { fullPage: false })
})
