// "My signing keys" (#/keys, issue 8): this browser's Ed25519 keys (signing-keys.ts) joined with
// the server's record of the account's keys (GET /signing-keys) — organization, state,
// fingerprint, whether this browser holds the private key —; create a key for an
// organization one is a signatory of, download its encrypted backup right away (the backup
// can only be made in the page that created the key), then register it; rotate (a new key
// that replaces an approved one once approved), revoke (with a reason), restore from a
// backup file. Pure parts: endorsement.ts.
import { el } from './dom'
import { t, tf, currentLanguage } from './i18n'
import { api } from './api'
import { confirmButton, dataTable, field, formAlert, onSubmit, showMessage, showProblem } from './forms'
import { formatDate, type Me, type Organization } from './model'
import {
  backupFileName, createKey, deleteKey, exportBackup, forgetBackupMaterial, importBackup, listKeys, BackupError, SigningKeyError, type SigningKeyInfo
} from './signing-keys'
import { fingerprint, fromBase64 } from './key-backup'
import { formatFingerprint, joinKeys, keyStateLabel, passphraseStrength, signatoryOrganizations, type KeyRow, type ServerKey } from './endorsement'

const when = (iso: string): string => formatDate(iso, currentLanguage())

/** Approve, reject and revoke answer the key (200); any 2xx is taken as done. */
export const ok = (status: number): boolean => status >= 200 && status < 300

/** A form alert that can take focus, so that what went wrong is read out when it appears. */
export function alertLine (id: string): HTMLParagraphElement {
  const a = formAlert(id)
  a.tabIndex = -1
  return a
}

/** The fingerprint shown for a key: the browser's id, or computed from the server's public key. */
async function fingerprintOf (r: KeyRow): Promise<string> {
  if (r.local) return r.local.id
  const raw = fromBase64(r.server!.public_key)
  return raw ? await fingerprint(raw) : '?'
}

function fingerprintCell (hex: string): HTMLElement {
  return el('code', { className: 'fingerprint', 'data-fingerprint': hex }, formatFingerprint(hex))
}

/** Saves a Blob as a file through a temporary link (no server round trip: the backup stays local). */
export function download (blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = el('a', { href: url, download: name, hidden: true })
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

function errorText (e: unknown): string {
  if (e instanceof SigningKeyError && e.code === 'unsupported') return t('keyUnsupported')
  if (e instanceof BackupError && e.code === 'wrong-passphrase') return t('keyWrongPassphrase')
  if (e instanceof BackupError && e.code === 'bad-backup') return `${t('keyBadBackup')} ${e.message}`
  if (e instanceof BackupError && e.code === 'weak-passphrase') return t('keyPassphraseShort')
  return `${t('somethingWrong')} ${(e as Error)?.message ?? ''}`
}

export async function keysScreen (main: HTMLElement, me: Me): Promise<void> {
  const status = el('p', { role: 'status', 'aria-live': 'polite', id: 'keys-status', className: 'hint', tabIndex: -1 })
  main.append(el('h1', {}, t('keysTitle')), el('p', {}, t('keysIntro')), status)
  const rerender = async (message: string) => {
    main.replaceChildren()
    await keysScreen(main, me)
    const st = document.getElementById('keys-status')
    if (st) { st.textContent = message; st.focus() }
  }
  const [r, local] = await Promise.all([api('GET', '/signing-keys'), listKeys().catch(() => [] as SigningKeyInfo[])])
  if (r.status !== 200) {
    const alert = alertLine('keys-alert')
    main.append(alert)
    showProblem(el('form'), alert, r)
    return
  }
  const orgs = signatoryOrganizations(me)
  const rows = joinKeys(local, r.body?.keys ?? [])
  const create = createSection(orgs, rerender)
  main.append(await keyList(rows, orgs, rerender, create), create.section, restoreSection(rerender))
}

interface CreateSection { section: HTMLElement, rotate: (k: ServerKey) => void, backupStep: (k: SigningKeyInfo, orgId: number | null, replaces: number | null) => void }

async function keyList (rows: KeyRow[], orgs: Organization[], rerender: (m: string) => Promise<void>, create: CreateSection): Promise<HTMLElement> {
  const section = el('section', { id: 'keys', 'aria-labelledby': 'keys-h' }, el('h2', { id: 'keys-h' }, t('keysList')))
  if (!rows.length) { section.append(el('p', { className: 'hint' }, t('keysNone'))); return section }
  const prints = await Promise.all(rows.map(fingerprintOf))
  const cells = rows.map((row, i) => {
    const k = row.server
    const name = k?.label ?? row.local!.label
    const state = k
      ? el('span', { className: `badge key-state key-state-${k.state}`, 'data-state': k.state }, keyStateLabel(k.state))
      : el('span', { className: 'badge key-state', 'data-state': 'unregistered' }, t('keyUnregistered'))
    const stateCell = el('span', {}, state)
    if (k?.reason && (k.state === 'revoked' || k.state === 'rejected')) stateCell.append(el('span', { className: 'hint' }, tf('keyReason', { reason: k.reason })))
    if (k?.replaced_by) stateCell.append(el('span', { className: 'hint' }, tf('keyReplacedBy', { id: String(k.replaced_by) })))
    if (k?.replaces) stateCell.append(el('span', { className: 'hint' }, tf('keyReplaces', { id: String(k.replaces) })))
    const here = row.local
      ? (row.local.backupExportedAt ? tf('keyHereBackup', { time: when(row.local.backupExportedAt) }) : t('keyHereNoBackup'))
      : t('keyNotHere')
    return [el('span', { className: 'key-label' }, name), k ? k.organization.name : '—', stateCell, fingerprintCell(prints[i]), here,
      keyActions(row, name, orgs, rerender, create)]
  })
  const table = dataTable('keys-table', t('keysList'), [t('keyLabel'), t('organization'), t('keyState'), t('keyFingerprint'), t('keyInBrowser'), t('actions')], cells)
  // Rows carry the fingerprint, so tests and scripts can find a key.
  table.querySelectorAll('tbody tr').forEach((tr, i) => { (tr as HTMLElement).dataset.fingerprint = prints[i] })
  section.append(table)
  return section
}

function keyActions (row: KeyRow, name: string, orgs: Organization[], rerender: (m: string) => Promise<void>, create: CreateSection): HTMLElement {
  const box = el('div', { className: 'member-actions' })
  const k = row.server
  const local = row.local
  if (local?.backupAvailable) {
    const b = el('button', { type: 'button', className: 'key-backup' }, t('keyMakeBackup'))
    b.setAttribute('aria-label', tf('keyMakeBackupOf', { name }))
    b.addEventListener('click', () => create.backupStep(local, k?.organization.id ?? null, null))
    box.append(b)
  }
  if (!k && local && orgs.length) box.append(registerForm(local, orgs, rerender))
  if (k?.state === 'approved' && !k.replaced_by) {
    const b = el('button', { type: 'button', className: 'key-rotate', 'aria-label': tf('keyRotateOf', { name }) }, t('keyRotate'))
    b.addEventListener('click', () => create.rotate(k))
    box.append(b)
  }
  // Only approved keys are revoked (a revocation is logged against an approval); a pending key
  // simply awaits the secretariat, who can reject it.
  if (k?.state === 'approved') box.append(revokeForm(k, name, rerender))
  // A key that can no longer sign (or was never registered) may be dropped from this browser.
  if (local && (!k || k.state === 'revoked' || k.state === 'rejected')) {
    const b = confirmButton(t('keyForget'), tf('keyForgetOf', { name }), async () => {
      await deleteKey(local.id)
      await rerender(tf('keyForgotten', { name }))
    })
    b.classList.add('key-forget')
    box.append(b)
  }
  return box
}

/** A reason and a two-step confirm, inside a disclosure so that the table stays short. */
export function reasonDisclosure (idPrefix: string, summary: string, accessibleName: string, reasonLabel: string,
  act: (reason: string, alert: HTMLElement) => Promise<void>): HTMLElement {
  const alert = alertLine(`${idPrefix}-alert`)
  const reason = el('textarea', { id: `${idPrefix}-reason`, name: 'reason', rows: 2, required: true, maxLength: 500 })
  const go = confirmButton(summary, accessibleName, async () => {
    if (!reason.value.trim()) { showMessage(alert, t('keyNeedReason')); reason.focus(); return }
    await act(reason.value.trim(), alert)
  })
  go.id = `${idPrefix}-do`
  return el('details', { className: 'reason-box' }, el('summary', { 'aria-label': accessibleName }, summary),
    alert, el('label', { for: reason.id }, reasonLabel), reason, el('p', {}, go))
}

function revokeForm (k: ServerKey, name: string, rerender: (m: string) => Promise<void>): HTMLElement {
  return reasonDisclosure(`key-revoke-${k.id}`, t('keyRevoke'), tf('keyRevokeOf', { name }), t('keyRevokeReason'), async (reason, alert) => {
    const r = await api('POST', `/signing-keys/${k.id}/revoke`, { reason })
    if (!ok(r.status)) { showProblem(el('form'), alert, r); return }
    await rerender(tf('keyRevoked', { name }))
  })
}

function registerForm (local: SigningKeyInfo, orgs: Organization[], rerender: (m: string) => Promise<void>): HTMLElement {
  const id = `key-register-${local.id}`
  const alert = alertLine(`${id}-alert`)
  const form = el('form', { className: 'role-form', id, 'aria-label': tf('keyRegisterOf', { name: local.label }) }, alert,
    ...(orgs.length > 1 ? [field(id, { name: 'organization_id', label: t('organization'), required: true, options: orgs.map(o => [String(o.id), o.name]) })] : []),
    el('button', { type: 'submit' }, t('keyRegister')))
  onSubmit(form, async data => {
    const orgId = Number(data.get('organization_id') ?? orgs[0].id)
    const r = await api('POST', '/signing-keys', { organization_id: orgId, public_key: local.publicKeyBase64, label: local.label })
    if (r.status !== 201) { showProblem(form, alert, r); return }
    forgetBackupMaterial(local.id)
    await rerender(t('keyRegistered'))
  })
  return form
}

function createSection (orgs: Organization[], rerender: (m: string) => Promise<void>): CreateSection {
  const section = el('section', { id: 'key-create', 'aria-labelledby': 'key-new-h' })
  const step = el('div', { id: 'key-step' })
  const heading = el('h2', { id: 'key-new-h', tabIndex: -1 }, t('keyCreate'))
  section.append(heading)
  let replaces: ServerKey | null = null
  const api_ = { section, rotate: (_k: ServerKey) => {}, backupStep: (_k: SigningKeyInfo, _o: number | null, _r: number | null) => {} }
  if (!orgs.length) { section.append(el('p', { className: 'hint', id: 'key-no-org' }, t('keyNoSignatoryOrg'))); return api_ }

  const alert = alertLine('key-new-alert')
  const rotating = el('p', { className: 'notice', id: 'key-rotating', hidden: true })
  const cancelRotate = el('button', { type: 'button', id: 'key-rotate-cancel', hidden: true }, t('cancel'))
  const form = el('form', { id: 'key-new', 'aria-labelledby': 'key-new-h' }, alert, rotating,
    field('key-new', { name: 'organization_id', label: t('organization'), required: true, options: orgs.map(o => [String(o.id), o.name]) }),
    field('key-new', { name: 'label', label: t('keyLabel'), required: true, hint: t('keyLabelHint'), maxLength: 100 }),
    el('p', { className: 'actions' }, el('button', { type: 'submit' }, t('keyCreateDo')), cancelRotate))
  const orgSelect = form.querySelector<HTMLSelectElement>('select')!
  const label = form.querySelector<HTMLInputElement>('[name=label]')!
  cancelRotate.addEventListener('click', () => { replaces = null; rotating.hidden = true; cancelRotate.hidden = true; orgSelect.disabled = false; heading.textContent = t('keyCreate') })
  api_.rotate = (k: ServerKey) => {
    replaces = k
    orgSelect.value = String(k.organization.id)
    orgSelect.disabled = true // a successor belongs to the same organization
    rotating.textContent = tf('keyRotating', { name: k.label })
    rotating.hidden = false
    cancelRotate.hidden = false
    heading.textContent = t('keyRotateTitle')
    step.replaceChildren()
    form.hidden = false
    label.focus()
  }
  api_.backupStep = (k, orgId, rep) => {
    form.hidden = true
    step.replaceChildren(backupStep(k, orgId, rep, orgs, rerender))
    step.querySelector<HTMLElement>('h3')?.focus()
  }
  onSubmit(form, async data => {
    const orgId = Number(orgSelect.value)
    let key: SigningKeyInfo
    try {
      key = await createKey(String(data.get('label') ?? ''))
    } catch (e) {
      showMessage(alert, e instanceof SigningKeyError && e.code === 'invalid-label' ? t('keyBadLabel') : errorText(e))
      alert.focus()
      return
    }
    api_.backupStep(key, orgId, replaces?.id ?? null)
  })
  section.append(form, step)
  return api_
}

/**
 * Step two of creating a key: the backup (passphrase twice, a strength hint, the download),
 * then registering it. Registering without a backup needs a second press: without the file, a
 * lost browser profile means a new key and a new approval.
 */
function backupStep (key: SigningKeyInfo, orgId: number | null, replaces: number | null, orgs: Organization[], rerender: (m: string) => Promise<void>): HTMLElement {
  const alert = alertLine('key-backup-alert')
  const strength = el('span', { className: 'hint', id: 'key-backup-strength', 'aria-live': 'polite' })
  const done = el('p', { role: 'status', 'aria-live': 'polite', id: 'key-backup-status', className: 'hint' })
  const form = el('form', { id: 'key-backup', className: 'inline-form', 'aria-labelledby': 'key-backup-h' },
    el('h3', { id: 'key-backup-h', tabIndex: -1 }, tf('keyBackupTitle', { name: key.label })),
    el('p', {}, t('keyBackupWhy')), el('p', {}, t('keyFingerprint'), ': ', fingerprintCell(key.id)), alert,
    field('key-backup', { name: 'passphrase', label: t('keyPassphrase'), type: 'password', required: true, hint: t('keyPassphraseHint'), autocomplete: 'new-password' }),
    strength,
    field('key-backup', { name: 'passphrase2', label: t('keyPassphraseAgain'), type: 'password', required: true, autocomplete: 'new-password' }),
    el('p', { className: 'actions' }, el('button', { type: 'submit', id: 'key-backup-download' }, t('keyDownloadBackup'))), done)
  const pass = form.querySelector<HTMLInputElement>('[name=passphrase]')!
  pass.setAttribute('aria-describedby', `${pass.getAttribute('aria-describedby') ?? ''} ${strength.id}`.trim())
  pass.addEventListener('input', () => { strength.textContent = pass.value ? t(`strength_${passphraseStrength(pass.value).replace('-', '_')}` as 'strength_weak') : '' })

  const regAlert = alertLine('key-register-alert')
  const orgField = orgId === null && orgs.length > 1
    ? field('key-register', { name: 'organization_id', label: t('organization'), required: true, options: orgs.map(o => [String(o.id), o.name]) })
    : null
  // Until the backup is downloaded, only "register without a backup" (pressed twice) is offered.
  const register = el('button', { type: 'button', id: 'key-register', hidden: true }, replaces ? t('keyRegisterRotation') : t('keyRegister'))
  const noBackup = confirmButton(t('keyRegisterNoBackup'), t('keyRegisterNoBackup'), async () => { await doRegister() })
  noBackup.id = 'key-register-nobackup'
  const regBox = el('div', { id: 'key-register-step' }, el('h3', { id: 'key-register-h', tabIndex: -1 }, t('keyRegisterTitle')), el('p', {}, t('keyRegisterWhy')), regAlert,
    ...(orgField ? [orgField] : []), el('p', { className: 'actions' }, register, noBackup))
  let backedUp = false
  const doRegister = async () => {
    const org = orgId ?? Number(orgField?.querySelector('select')?.value ?? orgs[0]?.id)
    const body: Record<string, unknown> = { organization_id: org, public_key: key.publicKeyBase64, label: key.label }
    if (replaces) body.replaces = replaces
    register.disabled = true
    const r = await api('POST', '/signing-keys', body)
    register.disabled = false
    if (r.status !== 201) { showProblem(el('form'), regAlert, r); return }
    forgetBackupMaterial(key.id)
    await rerender(backedUp ? t('keyRegistered') : t('keyRegisteredNoBackup'))
  }
  register.addEventListener('click', () => { void doRegister() })
  onSubmit(form, async data => {
    const p = String(data.get('passphrase') ?? '')
    if (p !== String(data.get('passphrase2') ?? '')) { showMessage(alert, t('keyPassphrasesDiffer')); alert.focus(); return }
    alert.hidden = true
    try {
      download(await exportBackup(key.id, p), backupFileName(key.id))
    } catch (e) { showMessage(alert, errorText(e)); alert.focus(); return }
    backedUp = true
    noBackup.hidden = true
    register.hidden = false
    done.textContent = tf('keyBackupDone', { file: backupFileName(key.id) })
    register.focus()
  })
  return el('div', {}, form, regBox)
}

function restoreSection (rerender: (m: string) => Promise<void>): HTMLElement {
  const alert = alertLine('key-restore-alert')
  const file = el('input', { type: 'file', id: 'key-restore-file', name: 'file', accept: 'application/json,.json', required: true })
  const form = el('form', { id: 'key-restore', className: 'inline-form', 'aria-labelledby': 'key-restore-h' },
    el('h2', { id: 'key-restore-h' }, t('keyRestore')), el('p', { className: 'hint' }, t('keyRestoreWhy')), alert,
    el('div', { className: 'field' }, el('label', { for: file.id }, t('keyBackupFile')), file),
    field('key-restore', { name: 'passphrase', label: t('keyPassphrase'), type: 'password', required: true, autocomplete: 'current-password' }),
    el('button', { type: 'submit' }, t('keyRestoreDo')))
  onSubmit(form, async data => {
    const f = file.files?.[0]
    if (!f) { showMessage(alert, t('keyChooseFile')); return }
    try {
      const k = await importBackup(f, String(data.get('passphrase') ?? ''))
      await rerender(tf('keyRestored', { name: k.label }))
    } catch (e) { showMessage(alert, errorText(e)); alert.focus() }
  })
  return form
}
