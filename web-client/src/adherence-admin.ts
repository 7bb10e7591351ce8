// The secretariat's side of open adherence (signed in): on a final statement's screen, the
// public page's link, the "open for signature" switch and a link to the requests; the requests
// screen "#/statements/<slug>/adherence[?state=]" lists what organizations sent from the public
// page, to approve (the server creates or links the organization, makes it a participant that
// may sign, and invites the signatory — by e-mail, or with a link shown here to pass on) or to
// reject with a reason.
import { el } from './dom'
import { t, tf, currentLanguage, type MessageKey } from './i18n'
import { api } from './api'
import { formAlert, showProblem, copyBox, field, onSubmit } from './forms'
import { formatDate, type StatementDetail } from './model'
import { publicHref } from './public-model'
import { signonHref } from './signon-model'

export const adherenceHref = (slug: string, state = ''): string => `/#/statements/${encodeURIComponent(slug)}/adherence${state ? `?state=${state}` : ''}`

interface AdherenceRequest {
  id: number
  state: 'pending' | 'approved' | 'rejected'
  organization: { name: string, short_name: string, country: string, kind: string, website: string }
  signatory: { name: string, title: string, email: string }
  message: string
  ip?: string
  created_at: string
  decided_at: string | null
  reason: string
  organization_id: number | null
  existing_organization?: { id: number, name: string, short_name: string } | null
}

const STATES = ['pending', 'approved', 'rejected'] as const
const stateLabel = (s: string) => (STATES as readonly string[]).includes(s) ? t(`adhState_${s}` as MessageKey) : s
const kindLabel = (k: string) => ['union', 'party', 'movement', 'ngo', 'other'].includes(k) ? t(`adhKind_${k}` as MessageKey) : k

/** On a final statement's management screen: public page, open for signature, requests. */
export function signOnSection (s: StatementDetail & { open_for_signature?: boolean }, rerender: (m: string) => Promise<void>): HTMLElement {
  const section = el('section', { 'aria-labelledby': 'signon-h', id: 'signon' }, el('h2', { id: 'signon-h' }, t('adhSignOn')),
    el('p', {}, el('a', { href: publicHref(s.slug), id: 'public-page-link' }, t('adhPublicPage'))))
  if (!s.rights['manage-participants'] && !s.rights['change-phase']) return section
  const open = !!s.open_for_signature
  const alert = formAlert('open-alert')
  const box = el('input', { type: 'checkbox', id: 'open-for-signature', name: 'open_for_signature', checked: open, 'aria-describedby': 'open-for-signature-hint' })
  const form = el('form', { id: 'open-form', className: 'inline-form' }, alert,
    el('label', { className: 'check', for: 'open-for-signature' }, box, ' ', t('adhOpenForSignature')),
    el('span', { className: 'hint', id: 'open-for-signature-hint' }, open ? t('adhOpenNow') : t('adhClosedNow')),
    el('p', {}, el('button', { type: 'submit' }, t('save'))))
  onSubmit(form, async () => {
    const r = await api('PATCH', `/statements/${encodeURIComponent(s.slug)}`, { open_for_signature: box.checked })
    if (r.status !== 200) { showProblem(form, alert, r); return }
    await rerender(box.checked ? t('adhOpened') : t('adhClosed'))
  })
  section.append(form, el('p', {}, el('a', { href: adherenceHref(s.slug), id: 'adherence-link' }, t('adhRequests'))))
  if (s.rights['manage-participants']) section.append(el('p', {}, el('a', { href: signonHref(s.slug), id: 'signon-dashboard-link' }, t('dashLink'))))
  return section
}

function requestCard (slug: string, r: AdherenceRequest, reload: (m: string) => Promise<void>): HTMLElement {
  const o = r.organization
  const sig = r.signatory
  const facts = el('dl', { className: 'request-facts' },
    el('dt', {}, t('adhOrgName')), el('dd', {}, `${o.name} (${o.short_name})`),
    el('dt', {}, t('adhCountry')), el('dd', {}, o.country || '—'),
    el('dt', {}, t('adhKind')), el('dd', {}, kindLabel(o.kind)),
    el('dt', {}, t('adhWebsite')), el('dd', {}, o.website && /^https?:\/\//i.test(o.website) ? el('a', { href: o.website, rel: 'noopener noreferrer nofollow' }, o.website) : (o.website || '—')),
    el('dt', {}, t('adhSignatory')), el('dd', {}, [sig.name, sig.title].filter(Boolean).join(', ')),
    el('dt', {}, t('adhSigEmail')), el('dd', {}, el('a', { href: `mailto:${sig.email}` }, sig.email)),
    el('dt', {}, t('adhReceived')), el('dd', {}, formatDate(r.created_at, currentLanguage()), r.ip ? ` · ${r.ip}` : ''))
  if (r.message) facts.append(el('dt', {}, t('adhMessage')), el('dd', { className: 'request-message' }, r.message))
  if (r.state === 'rejected' && r.reason) facts.append(el('dt', {}, t('adhReason')), el('dd', {}, r.reason))
  const card = el('article', { className: 'request', 'data-id': String(r.id), 'data-state': r.state, 'aria-labelledby': `req-${r.id}-h` },
    el('h2', { id: `req-${r.id}-h` }, `${o.name} — `, el('span', { className: 'badge' }, stateLabel(r.state))), facts)
  if (r.state !== 'pending') return card

  const base = `/statements/${encodeURIComponent(slug)}/adherence-requests/${r.id}`
  const alert = formAlert(`req-${r.id}-alert`)
  const result = el('div', { id: `req-${r.id}-result` })
  const approve = el('form', { className: 'inline-form approve', 'aria-label': tf('adhApproveOf', { org: o.name }) }, alert)
  const existing = r.existing_organization
  if (existing) {
    approve.append(el('p', { className: 'notice' }, tf('adhExisting', { org: `${existing.name} (${existing.short_name})` })),
      el('label', { className: 'check' }, el('input', { type: 'checkbox', name: 'link_existing', checked: true }), ' ', tf('adhLinkExisting', { org: existing.short_name })))
  }
  approve.append(el('p', {}, el('button', { type: 'submit', className: 'approve-button' }, t('adhApprove'))))
  onSubmit(approve, async data => {
    const body = existing && data.get('link_existing') ? { organization_id: existing.id } : {}
    const a = await api('POST', `${base}/approve`, body)
    if (a.status !== 200) { showProblem(approve, alert, a); return }
    const inv = a.body?.invitation
    result.replaceChildren(el('p', { role: 'status' }, tf('adhApproved', { org: o.name })),
      inv?.emailed ? el('p', { id: `req-${r.id}-emailed` }, tf('adhEmailed', { email: sig.email }))
        : copyBox(`req-${r.id}-link`, String(inv?.link ?? ''), tf('adhPassLink', { email: sig.email })))
    approve.remove()
    reject.remove()
    card.dataset.state = 'approved'
    card.querySelector('.badge')!.textContent = stateLabel('approved')
    result.querySelector('input')?.focus()
  })
  const rejectAlert = formAlert(`req-${r.id}-reject-alert`)
  const reject = el('form', { className: 'inline-form reject', 'aria-label': tf('adhRejectOf', { org: o.name }) }, rejectAlert,
    field(`req-${r.id}-reject`, { name: 'reason', label: t('adhReason'), required: true, maxLength: 2000 }),
    el('p', {}, el('button', { type: 'submit', className: 'danger' }, t('adhReject'))))
  onSubmit(reject, async data => {
    const a = await api('POST', `${base}/reject`, { reason: String(data.get('reason') ?? '') })
    if (a.status !== 200) { showProblem(reject, rejectAlert, a); return }
    await reload(tf('adhRejected', { org: o.name }))
  })
  card.append(approve, reject, result)
  return card
}

export async function adherenceScreen (main: HTMLElement, slug: string, state: string): Promise<void> {
  const path = `/statements/${encodeURIComponent(slug)}/adherence-requests${state ? `?state=${encodeURIComponent(state)}` : ''}`
  const [sr, rr] = await Promise.all([api('GET', `/statements/${encodeURIComponent(slug)}`), api('GET', path)])
  const title = sr.status === 200 ? sr.body.title : slug
  const status = el('p', { role: 'status', 'aria-live': 'polite', id: 'adherence-status', className: 'hint', tabIndex: -1 })
  main.append(el('p', {}, el('a', { href: `/#/statements/${encodeURIComponent(slug)}` }, `← ${title}`)),
    el('h1', {}, tf('adhRequestsOf', { title })), status)
  const filter = el('select', { id: 'adherence-filter', 'aria-label': t('adhFilter') },
    el('option', { value: '', selected: state === '' }, t('adhAll')),
    ...STATES.map(s => el('option', { value: s, selected: s === state }, stateLabel(s))))
  filter.addEventListener('change', () => { location.hash = adherenceHref(slug, filter.value).replace(/^\/#/, '#') })
  main.append(el('p', {}, el('label', { for: 'adherence-filter' }, t('adhFilter')), ' ', filter))
  if (rr.status !== 200) {
    const alert = formAlert('adherence-alert')
    main.append(alert)
    showProblem(el('form'), alert, rr)
    return
  }
  const items: AdherenceRequest[] = rr.body?.items ?? []
  const list = el('div', { id: 'adherence-requests' })
  const reload = async (m: string) => {
    main.replaceChildren()
    await adherenceScreen(main, slug, state)
    const st = document.getElementById('adherence-status')
    if (st) { st.textContent = m; st.focus() }
  }
  for (const r of items) list.append(requestCard(slug, r, reload))
  if (!items.length) list.append(el('p', { className: 'hint', id: 'no-requests' }, t('adhNoRequests')))
  main.append(list)
}
