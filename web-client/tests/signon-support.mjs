// What the sign-on browser tests against accordd (signon.test.mjs, signon-dashboard-live.test.mjs)
// share: a signatory's key made in the browser, its approval by the instance secretariat, and
// signing a final statement on its screen. Not a test file itself (node --test runs *.test.mjs).
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'

export const BACKUP_PASS = 'river candle orbit lantern'
export const sha256 = text => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex')
/** Waits until the element `id` says what `re` matches. */
export const statusSays = (page, id, re, timeout = 15000) => page.waitForFunction(([id, src]) => new RegExp(src).test(document.getElementById(id)?.textContent ?? ''), [id, re.source], { timeout })

/** On #/keys: creates a key named `label`; with a backup passphrase downloads the encrypted
 *  backup first (returns its parsed content), else registers without one (two presses). */
export async function createAndRegisterKey (page, serverUrl, label, { backup = true } = {}) {
  await page.goto(serverUrl + '/#/keys')
  await page.waitForSelector('#key-new')
  await page.fill('#key-new-label', label)
  await page.click('#key-new button[type=submit]')
  await page.waitForSelector('#key-backup')
  let saved = null
  if (backup) {
    await page.fill('#key-backup-passphrase', BACKUP_PASS)
    await page.fill('#key-backup-passphrase2', BACKUP_PASS)
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#key-backup-download')])
    saved = JSON.parse(await readFile(await download.path(), 'utf8'))
    assert.equal(saved.format, 'accord-key-backup-v1')
    await statusSays(page, 'key-backup-status', /downloaded as accord-key-/)
    await page.click('#key-register')
  } else {
    await page.click('#key-register-nobackup')
    await page.click('#key-register-nobackup')
  }
  await statusSays(page, 'keys-status', /registered and awaits/)
  return saved
}

/** The instance secretariat approves, on #/signing-keys, the pending key of `orgName`. */
export async function approveKey (page, serverUrl, keyId, orgName) {
  await page.goto(serverUrl + '/#/signing-keys')
  await page.reload() // a fresh list even when the page was on this screen already
  await page.waitForSelector('#approvals-pending-table')
  const row = page.locator(`#approvals-pending-table tr[data-key-id="${keyId}"]`)
  assert.match(await row.innerText(), new RegExp(orgName))
  await row.locator('.key-approve').click()
  await statusSays(page, 'approvals-status', /is approved/)
}

/** On #/statements/<slug>/sign: fills the form (with `reservations`, signs with reservations),
 *  checks the text shown against `text` if given, reviews and confirms; returns the signed
 *  object and the SHA-256 of its canonical form. */
export async function signStatement (page, serverUrl, slug, manifestSha, title, { text, reservations } = {}) {
  await page.goto(serverUrl + `/#/statements/${slug}/sign`)
  await page.waitForSelector('#sign-form')
  assert.equal(await page.locator('#manifest-hash').innerText(), manifestSha)
  if (text) assert.match(await page.locator('#sign-text').innerText(), text)
  await page.fill('#sign-form-title', title)
  if (reservations) {
    await page.check('#sign-kind-adheres-with-reservations')
    await page.fill('#sign-form-reservations', reservations)
  }
  await page.click('#sign-review-open')
  await page.waitForSelector('#sign-review')
  const shown = await page.locator('#sign-review-canonical').textContent()
  assert.equal(await page.locator('#sign-review-sha256').innerText(), sha256(shown))
  const o = JSON.parse(shown)
  assert.equal(o.format, 'accord-endorsement-v1')
  assert.equal(o.manifest_sha256, manifestSha)
  assert.equal(o.kind, reservations ? 'adheres-with-reservations' : 'adheres')
  assert.equal(o.signatory.title, title)
  await page.click('#sign-review-confirm')
  await page.waitForSelector('#sign-receipt', { timeout: 15000 })
  assert.equal(await page.locator('#sign-receipt-hash').innerText(), sha256(shown))
  return { signed: o, sha256: sha256(shown) }
}
