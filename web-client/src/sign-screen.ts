// Signing a final statement (#/statements/<slug>/sign, issue 8): the final text and its
// manifest hash (GET …/manifest), the organization's current endorsement (GET …/endorsements),
// the endorsement form (organization, signatory, title, kind, reservations), a review step that
// shows the EXACT canonical JSON text to be signed and its SHA-256 before anything is signed,
// the signature with an approved key held in this browser, and the receipt (log index, hash,
// the public page). A signed withdrawal goes the same way: reason, review, sign, receipt.
// Pure parts (the signed objects, checks, which key signs): endorsement.ts.
import { el } from './dom'
import { t, tf, currentLanguage } from './i18n'
import { api } from './api'
import { copyButton, field, onSubmit, showMessage, showProblem } from './forms'
import { safeHtml } from './safe-html'
import { alertLine } from './keys-screen'
import { formatDate, type Me, type Organization, type StatementDetail } from './model'
import { listKeys, sign, type SigningKeyInfo } from './signing-keys'
import {
  activeEndorsement, buildEndorsement, buildWithdrawal, checkEndorsement, checkWithdrawal, endorsingOrganizations, formatFingerprint, joinKeys,
  kindName, MAX_NAME, MAX_RESERVATIONS, MAX_WITHDRAWAL_REASON, newNonce, noKeyReason, prepare, reviewExpired, signedBody, signingKeyFor, signProblem,
  type Endorsement, type EndorsementKind, type KeyRow, type ManifestReply, type Prepared
} from './endorsement'

const enc = encodeURIComponent
const when = (iso: string): string => formatDate(iso, currentLanguage())
export const publicHref = (slug: string): string => `/s/${enc(slug)}`

function alertFor (main: HTMLElement, r: { status: number, body: any }): void {
  const alert = alertLine('sign-alert')
  main.append(alert)
  showProblem(el('form'), alert, r)
}

/** Field errors found in the client, shown like the server's validation errors. */
function showFieldErrors (form: HTMLFormElement, alert: HTMLElement, errors: Record<string, string>): void {
  showProblem(form, alert, { status: 400, body: { type: '/problems/validation-failed', errors: Object.entries(errors).map(([f, k]) => ({ field: f, message: t(k as 'signNeedName') })) } })
}

function hashLine (label: string, id: string, hash: string, status: HTMLElement): HTMLElement {
  return el('p', { className: 'hash-line' }, `${label}: `, el('code', { id, className: 'full-hash' }, hash), ' ', copyButton(hash, `${t('copy')}: ${label}`, status))
}

interface Ctx {
  me: Me
  s: StatementDetail
  m: ManifestReply
  rows: KeyRow[]
  status: HTMLElement
}

export async function signScreen (main: HTMLElement, me: Me, slug: string): Promise<void> {
  const base = `/statements/${enc(slug)}`
  const [sr, mr, kr, local] = await Promise.all([api('GET', base), api('GET', `${base}/manifest`), api('GET', '/signing-keys'),
    listKeys().catch(() => [] as SigningKeyInfo[])])
  main.append(el('p', { className: 'crumb' }, el('a', { href: `/#/statements/${enc(slug)}` }, `← ${sr.body?.title ?? t('statement')}`)))
  if (sr.status !== 200) { main.append(el('h1', {}, t('signHeading'))); alertFor(main, sr); return }
  const s: StatementDetail = sr.body
  main.append(el('h1', {}, tf('signTitle', { title: s.title })))
  if (mr.status === 404) { main.append(el('p', { className: 'notice', id: 'sign-not-final' }, t('signNotFinal'))); return }
  if (mr.status !== 200) { alertFor(main, mr); return }
  const m: ManifestReply = mr.body
  const status = el('p', { role: 'status', 'aria-live': 'polite', id: 'sign-status', className: 'hint', tabIndex: -1 })
  const ctx: Ctx = { me, s, m, rows: joinKeys(local, kr.status === 200 ? kr.body?.keys ?? [] : []), status }
  main.append(status, textSection(ctx))
  // Back in consolidation after a final version: the manifest shown is no longer current and
  // the server accepts no endorsement until the statement is final again.
  if (s.phase !== 'final') { main.append(el('p', { className: 'notice', id: 'sign-stale' }, t('signNotFinalNow'))); return }

  const orgs = endorsingOrganizations(me, s)
  const area = el('div', { id: 'sign-area' })
  if (!orgs.length) {
    main.append(el('p', { className: 'notice', id: 'sign-no-org' }, t('signNoOrganization')))
    return
  }
  const section = el('section', { id: 'sign-section', 'aria-labelledby': 'sign-org-h' }, el('h2', { id: 'sign-org-h' }, t('signForOrganization')))
  let org = orgs[0]
  if (orgs.length > 1) {
    const choose = field('sign', { name: 'organization', label: t('organization'), required: true, options: orgs.map(o => [String(o.id), o.name]) })
    const select = choose.querySelector('select')!
    select.addEventListener('change', () => { org = orgs.find(o => o.id === Number(select.value)) ?? orgs[0]; void drawArea(ctx, org, area) })
    section.append(choose)
  } else {
    section.append(el('p', { id: 'sign-org' }, org.name))
  }
  section.append(area)
  main.append(section)
  await drawArea(ctx, org, area)
}

function textSection (ctx: Ctx): HTMLElement {
  const { m } = ctx
  const lang = m.manifest.source_language
  const html = m.html[lang] ?? Object.values(m.html)[0] ?? ''
  return el('section', { id: 'sign-text-section', 'aria-labelledby': 'sign-text-h' },
    el('h2', { id: 'sign-text-h' }, tf('signFinalText', { n: String(m.manifest.version.number) })),
    el('p', { className: 'hint' }, t('signManifestWhy')),
    hashLine(t('signManifestHash'), 'manifest-hash', m.manifest_sha256, ctx.status),
    el('p', { className: 'hint', id: 'manifest-log' }, tf('signManifestLogged', { index: String(m.log_index), time: when(m.manifest.created_at) })),
    el('article', { className: 'version-text', id: 'sign-text', lang, 'aria-label': t('signTheText') }, safeHtml(html)))
}

/** The organization's part: its current endorsement with the withdrawal, or the form to sign. */
async function drawArea (ctx: Ctx, org: Organization, area: HTMLElement, receipt?: HTMLElement): Promise<void> {
  area.setAttribute('aria-busy', 'true')
  const r = await api('GET', `/statements/${enc(ctx.s.slug)}/endorsements`)
  area.replaceChildren()
  area.setAttribute('aria-busy', 'false')
  if (receipt) area.append(receipt)
  if (r.status !== 200) { alertFor(area, r); return }
  const list: Endorsement[] = r.body?.endorsements ?? []
  const current = activeEndorsement(list, org.id)
  const key = signingKeyFor(ctx.rows, org.id)
  const redraw = (rc: HTMLElement) => drawArea(ctx, org, area, rc)
  if (current) {
    area.append(currentSection(current))
    area.append(key ? withdrawalForm(ctx, current, key, redraw) : noKey(ctx, org, 'withdraw'))
  } else {
    const past = list.filter(e => e.organization.id === org.id && e.withdrawal)
    if (past.length) area.append(el('p', { className: 'hint', id: 'sign-withdrawn-before' }, tf('signWithdrawnBefore', { time: when(past[past.length - 1].withdrawal!.received_at) })))
    area.append(key ? endorsementForm(ctx, org, key, redraw) : noKey(ctx, org, 'sign'))
  }
}

function noKey (ctx: Ctx, org: Organization, what: 'sign' | 'withdraw'): HTMLElement {
  const why = noKeyReason(ctx.rows, org.id)
  const text = why === 'pending' ? t('signKeyPending') : why === 'elsewhere' ? t('signKeyElsewhere') : t('signKeyNone')
  return el('div', { className: 'notice', id: 'sign-no-key' },
    el('p', {}, what === 'sign' ? t('signNeedKey') : t('signNeedKeyWithdraw'), ' ', text),
    el('p', {}, el('a', { href: '/#/keys', id: 'sign-keys-link' }, t('signGoToKeys'))))
}

function currentSection (e: Endorsement): HTMLElement {
  const dl = el('dl', { className: 'facts', id: 'sign-current-facts' })
  const row = (k: string, v: Node | string) => dl.append(el('dt', {}, k), el('dd', {}, v))
  row(t('signKind'), kindName(e.kind))
  if (e.reservations) row(t('signReservations'), el('span', { className: 'pre-text' }, e.reservations))
  row(t('signSignatory'), `${e.signatory.name}, ${e.signatory.title}`)
  row(t('signSignedAt'), el('time', { dateTime: e.signed_at }, when(e.signed_at)))
  row(t('signLogIndex'), String(e.log_index))
  row(t('signEndorsementHash'), el('code', { className: 'full-hash' }, e.endorsement_sha256))
  return el('div', { id: 'sign-current' }, el('h3', {}, t('signCurrent')), dl)
}

/**
 * The review step, shared by endorsement and withdrawal: the exact text and its hash, the key,
 * "Sign and send" and "Change". Focus goes to its heading so that the text is read next.
 */
function reviewStep (prefix: string, heading: string, p: Prepared, key: KeyRow, onBack: () => void,
  onSign: (alert: HTMLElement, button: HTMLButtonElement) => Promise<void>): HTMLElement {
  const alert = alertLine(`${prefix}-alert`)
  const confirm = el('button', { type: 'button', id: `${prefix}-confirm` }, t('signConfirm'))
  const back = el('button', { type: 'button', id: `${prefix}-back` }, t('signChange'))
  const copied = el('span', { className: 'hint', role: 'status', 'aria-live': 'polite' })
  const box = el('section', { id: prefix, className: 'review', 'aria-labelledby': `${prefix}-h` },
    el('h3', { id: `${prefix}-h`, tabIndex: -1 }, heading),
    el('p', {}, t('signReviewWhy')),
    el('p', { className: 'hint' }, tf('signWithKey', { name: key.local!.label, fingerprint: formatFingerprint(key.local!.id) })),
    el('pre', { id: `${prefix}-canonical`, className: 'canonical', tabIndex: 0, 'aria-label': t('signExactText') }, p.text),
    el('p', { className: 'hash-line' }, `${t('signSha256')}: `, el('code', { id: `${prefix}-sha256`, className: 'full-hash' }, p.sha256), ' ',
      copyButton(p.text, t('signCopyText'), copied, t('signCopyText')), copied),
    alert, el('p', { className: 'actions' }, confirm, back))
  back.addEventListener('click', onBack)
  confirm.addEventListener('click', async () => {
    if (reviewExpired(JSON.parse(p.text).signed_at, new Date())) {
      showMessage(alert, t('signReviewExpired'))
      alert.focus()
      return
    }
    confirm.disabled = true
    back.disabled = true
    try { await onSign(alert, confirm) } finally { confirm.disabled = false; back.disabled = false }
  })
  return box
}

function receiptOf (prefix: string, heading: string, facts: Array<[string, Node | string]>, slug: string): HTMLElement {
  const dl = el('dl', { className: 'facts' })
  for (const [k, v] of facts) dl.append(el('dt', {}, k), el('dd', {}, v))
  return el('section', { id: prefix, className: 'receipt', 'aria-labelledby': `${prefix}-h` },
    el('h3', { id: `${prefix}-h`, tabIndex: -1 }, heading), dl,
    el('p', {}, el('a', { href: publicHref(slug), id: `${prefix}-public` }, t('signPublicPage'))))
}

async function signAndSend (key: KeyRow, p: Prepared, path: string, what: 'endorsement' | 'withdrawal', alert: HTMLElement) {
  let signature: string
  try {
    signature = await sign(key.local!.id, p.bytes)
  } catch (e) {
    showMessage(alert, `${t('signFailedLocal')} ${(e as Error).message}`)
    alert.focus()
    return null
  }
  const r = await api('POST', path, signedBody(what, p, signature, key.server!.id))
  if (r.status !== 201) { showMessage(alert, signProblem(r.status, r.body)); alert.focus(); return null }
  return r.body as Endorsement
}

function endorsementForm (ctx: Ctx, org: Organization, key: KeyRow, redraw: (receipt: HTMLElement) => Promise<void>): HTMLElement {
  const wrap = el('div', {})
  const alert = alertLine('sign-form-alert')
  const kinds: Array<[EndorsementKind, string]> = [['adheres', t('endorseAdheres')], ['adheres-with-reservations', t('endorseReservations')]]
  const radios = el('fieldset', { className: 'flags', id: 'sign-kind' }, el('legend', {}, t('signKind')),
    ...kinds.map(([v, label], i) => el('label', { className: 'check' }, el('input', { type: 'radio', name: 'kind', value: v, id: `sign-kind-${v}`, checked: i === 0 }), ' ', label)))
  const resId = 'sign-form-reservations'
  const res = el('textarea', { id: resId, name: 'reservations', rows: 5, maxLength: MAX_RESERVATIONS * 2, 'aria-describedby': `${resId}-hint` })
  const resBox = el('div', { className: 'field', hidden: true },
    el('label', { for: resId }, t('signReservations')), el('span', { className: 'hint', id: `${resId}-hint` }, tf('signReservationsHint', { max: String(MAX_RESERVATIONS) })),
    res, el('span', { className: 'field-error', id: `${resId}-error`, hidden: true }))
  const form = el('form', { id: 'sign-form', className: 'inline-form', 'aria-labelledby': 'sign-form-h' },
    el('h3', { id: 'sign-form-h' }, t('signEndorse')), el('p', { className: 'hint' }, tf('signAs', { org: org.name })), alert,
    field('sign-form', { name: 'name', label: t('signName'), required: true, value: ctx.me.user.display_name, maxLength: MAX_NAME, autocomplete: 'name' }),
    field('sign-form', { name: 'title', label: t('signTitleField'), required: true, hint: t('signTitleHint'), maxLength: MAX_NAME }),
    radios, resBox, el('button', { type: 'submit', id: 'sign-review-open' }, t('signReview')))
  // checkEndorsement says what is missing next to each field, in the UI language.
  form.noValidate = true
  const kind = () => (form.querySelector<HTMLInputElement>('input[name=kind]:checked')?.value ?? 'adheres') as EndorsementKind
  radios.addEventListener('change', () => {
    const withRes = kind() === 'adheres-with-reservations'
    resBox.hidden = !withRes
    res.required = withRes
  })
  const review = el('div', {})
  onSubmit(form, async data => {
    const input = {
      // The organization as the server stores it (the approved key's record): the server
      // requires name and country to equal its own.
      manifestSha256: ctx.m.manifest_sha256, organization: key.server!.organization,
      name: String(data.get('name') ?? ''), title: String(data.get('title') ?? ''), kind: kind(), reservations: res.value
    }
    const errors = checkEndorsement(input)
    if (Object.keys(errors).length) { showFieldErrors(form, alert, errors); return }
    alert.hidden = true
    let p: Prepared
    try { p = await prepare(buildEndorsement(input, new Date(), newNonce())) } catch (e) { showMessage(alert, `${t('somethingWrong')} ${(e as Error).message}`); return }
    form.hidden = true
    review.replaceChildren(reviewStep('sign-review', t('signReviewTitle'), p, key, () => {
      review.replaceChildren()
      form.hidden = false
      form.querySelector<HTMLElement>('input')?.focus()
    }, async ralert => {
      const e = await signAndSend(key, p, `/statements/${enc(ctx.s.slug)}/endorsements`, 'endorsement', ralert)
      if (!e) return
      await redraw(receiptOf('sign-receipt', t('signDone'), [
        [t('organization'), e.organization.name], [t('signKind'), kindName(e.kind)],
        [t('signLogIndex'), el('span', { id: 'sign-receipt-index' }, String(e.log_index))],
        [t('signEndorsementHash'), el('code', { className: 'full-hash', id: 'sign-receipt-hash' }, e.endorsement_sha256)]], ctx.s.slug))
      document.getElementById('sign-receipt-h')?.focus()
    }))
    review.querySelector<HTMLElement>('h3')?.focus()
  })
  wrap.append(form, review)
  return wrap
}

function withdrawalForm (ctx: Ctx, current: Endorsement, key: KeyRow, redraw: (receipt: HTMLElement) => Promise<void>): HTMLElement {
  const alert = alertLine('withdraw-form-alert')
  const id = 'withdraw-form-reason'
  const reason = el('textarea', { id, name: 'reason', rows: 3, maxLength: MAX_WITHDRAWAL_REASON * 2, 'aria-describedby': `${id}-hint` })
  const form = el('form', { id: 'withdraw-form', className: 'inline-form', 'aria-labelledby': 'withdraw-form-h' },
    el('h3', { id: 'withdraw-form-h' }, t('signWithdraw')), el('p', { className: 'hint' }, t('signWithdrawWhy')), alert,
    el('div', { className: 'field' }, el('label', { for: id }, `${t('signWithdrawReason')} (${t('optional')})`),
      el('span', { className: 'hint', id: `${id}-hint` }, tf('signReasonHint', { max: String(MAX_WITHDRAWAL_REASON) })), reason,
      el('span', { className: 'field-error', id: `${id}-error`, hidden: true })),
    el('button', { type: 'submit', id: 'withdraw-review-open' }, t('signReviewWithdrawal')))
  const review = el('div', {})
  onSubmit(form, async () => {
    const errors = checkWithdrawal(reason.value)
    if (Object.keys(errors).length) { showFieldErrors(form, alert, errors); return }
    alert.hidden = true
    const p = await prepare(buildWithdrawal(current, ctx.m.manifest_sha256, reason.value, new Date(), newNonce()))
    form.hidden = true
    review.replaceChildren(reviewStep('withdraw-review', t('signReviewWithdrawalTitle'), p, key, () => {
      review.replaceChildren()
      form.hidden = false
      reason.focus()
    }, async ralert => {
      const e = await signAndSend(key, p, `/statements/${enc(ctx.s.slug)}/endorsements/${current.id}/withdrawal`, 'withdrawal', ralert)
      if (!e) return
      await redraw(receiptOf('withdraw-receipt', t('signWithdrawn'), [
        [t('organization'), e.organization.name],
        [t('signLogIndex'), el('span', { id: 'withdraw-receipt-index' }, String(e.withdrawal?.log_index ?? ''))],
        [t('signWithdrawalHash'), el('code', { className: 'full-hash', id: 'withdraw-receipt-hash' }, p.sha256)]], ctx.s.slug))
      document.getElementById('withdraw-receipt-h')?.focus()
    }))
    review.querySelector<HTMLElement>('h3')?.focus()
  })
  return el('div', {}, form, review)
}
