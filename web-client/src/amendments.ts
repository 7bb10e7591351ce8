// The amendment screens of a statement: the list grouped by the base paragraphs each
// amendment changes (with a state filter) and the "propose an amendment" form; one amendment
// (title and rationale, state and history, supporters, the moves one may make, its change
// against its base drawn with diff-view.ts, the link to its text in the editor, and the mount
// point of the comments). The merge view is in merge.ts. Pure parts: amendments-model.ts.
import { commentsPanel } from './comments'
import { commentRights } from './comment-threads'
import { el } from './dom'
import { t, tf, currentLanguage } from './i18n'
import { api, type Answer } from './api'
import { confirmButton, dataTable, field, formAlert, onSubmit, showMessage, showProblem } from './forms'
import { renderDiff, type Layout, type VersionDiff } from './diff-view'
import { formatDate, phaseLabel, versionHref, versionsHref, type Me, type StatementDetail, type Version } from './model'
import {
  AMENDMENT_STATES, SETTLE_MOVES, ACCEPTED_STATES, amendmentActions, amendmentHref, amendmentsHref, filterByState, groupByParagraph,
  mergeHref, stateLabel, supportText, type Amendment, type AmendmentDetail, type AmendmentSettings, type ParagraphGroup
} from './amendments-model'

const enc = encodeURIComponent
const when = (iso: string): string => formatDate(iso, currentLanguage())
const base = (slug: string): string => `/statements/${enc(slug)}`

export function problem (container: HTMLElement, r: Answer, id = 'amendments-alert'): void {
  const alert = formAlert(id)
  container.append(alert)
  showProblem(el('form'), alert, r)
}

/** The statement, or an alert in `main` (null). */
export async function statementOrAlert (main: HTMLElement, slug: string): Promise<StatementDetail | null> {
  const r = await api('GET', base(slug))
  if (r.status === 200) return r.body
  main.append(el('h1', {}, t('amendments')))
  problem(main, r)
  return null
}

export function stateBadge (state: string): HTMLElement {
  // The state in words; the class only adds a border style, never the meaning alone.
  return el('span', { className: `badge am-state am-state-${state}`, 'data-state': state }, stateLabel(state))
}

/** "collides with #2, #5", "obsolete", "merged in version 4" — words and links, no colour. */
export function flags (slug: string, a: Amendment): HTMLElement[] {
  const out: HTMLElement[] = []
  const collides = a.collides_with ?? []
  if (collides.length) {
    const span = el('span', { className: 'am-flag am-collides', 'data-collides': collides.join(',') }, `${t('amCollidesWith')} `)
    collides.forEach((n, i) => { span.append(...(i ? [', '] : []), el('a', { href: amendmentHref(slug, n) }, `#${n}`)) })
    out.push(span)
  }
  if (a.obsolete) out.push(el('span', { className: 'am-flag am-obsolete' }, t('amObsoleteFlag')))
  if (a.merged_in_version != null) {
    out.push(el('span', { className: 'am-flag am-merged' },
      el('a', { href: versionHref(slug, a.merged_in_version) }, tf('amMergedIn', { n: String(a.merged_in_version) }))))
  }
  return out
}

function groupHeading (g: ParagraphGroup, id: string): HTMLElement {
  if (g.index === null) return el('h2', { id }, t('amNoParagraph'))
  const marker = g.marker.trim()
  return el('h2', { id }, `§${g.index}`, marker ? ` ${marker}` : '', g.excerpt ? el('span', { className: 'am-excerpt' }, ` “${g.excerpt}”`) : '')
}

function listBody (slug: string, all: Amendment[], state: string, threshold: number): HTMLElement[] {
  const shown = filterByState(all, state)
  if (!shown.length) return [el('p', { className: 'hint', id: 'amendments-none' }, all.length ? t('amNoneInState') : t('amNone'))]
  const headers = ['#', t('title'), t('organization'), t('amState'), t('amSupport'), t('amNotes')]
  return groupByParagraph(shown).map((g, i) => {
    const rows = g.amendments.map(a => [
      `#${a.number}`,
      el('a', { href: amendmentHref(slug, a.number), className: 'am-title' }, a.title),
      el('abbr', { title: a.organization.name }, a.organization.short_name),
      stateBadge(a.state),
      supportText(a.supporters, threshold),
      el('span', { className: 'am-flags' }, ...flags(slug, a).flatMap((f, j) => (j ? [' · ', f] : [f])))
    ])
    const table = dataTable(`am-table-${i}`, tf('amGroupCaption', { n: String(g.index ?? '') }), headers, rows)
    table.querySelectorAll('tbody tr').forEach((tr, j) => tr.setAttribute('data-number', String(g.amendments[j].number)))
    return el('section', { className: 'am-group', 'aria-labelledby': `am-group-${i}-h`, 'data-paragraph': String(g.index ?? '') },
      groupHeading(g, `am-group-${i}-h`), table)
  })
}

export async function amendmentsScreen (main: HTMLElement, me: Me, slug: string, state: string): Promise<void> {
  const s = await statementOrAlert(main, slug)
  if (!s) return
  const [lr, sr] = await Promise.all([api('GET', `${base(slug)}/amendments`), api('GET', `${base(slug)}/amendment-settings`)])
  const links = el('p', { className: 'row-links' },
    el('a', { href: `/d/${enc(s.document)}`, id: 'open-draft' }, t('openDraft')),
    el('a', { href: versionsHref(slug), id: 'versions-link' }, t('versions')))
  if (s.rights['settle-amendment'] && s.phase === 'consolidation') links.append(el('a', { href: mergeHref(slug), id: 'merge-link' }, t('amMergeTitle')))
  main.append(el('p', { className: 'crumb' }, el('a', { href: '/#/' }, `← ${t('statements')}`)),
    el('h1', {}, `${t('amendments')}: ${s.title}`),
    el('p', { className: 'meta' }, `${t('phase')}: `, el('span', { className: `badge phase phase-${s.phase}` }, phaseLabel(s.phase))), links)
  if (lr.status !== 200) { problem(main, lr); return }
  const all: Amendment[] = lr.body.items ?? []
  const settings: AmendmentSettings = sr.status === 200 ? sr.body : { support_threshold: 0, support_deadline: null }
  const valid = (AMENDMENT_STATES as readonly string[]).includes(state) ? state : ''

  const count = (st: string) => all.filter(a => a.state === st).length
  const filter = el('select', { id: 'am-filter', name: 'state' },
    el('option', { value: '', selected: valid === '' }, tf('amAllStates', { n: String(all.length) })),
    ...AMENDMENT_STATES.map(st => el('option', { value: st, selected: st === valid }, `${stateLabel(st)} (${count(st)})`)))
  const body = el('div', { id: 'amendment-groups', 'aria-live': 'polite' }, ...listBody(slug, all, valid, settings.support_threshold))
  // Filtering redraws at once from what is loaded; the route keeps the choice for reloads.
  filter.addEventListener('change', () => {
    body.replaceChildren(...listBody(slug, all, filter.value, settings.support_threshold))
    history.replaceState(null, '', amendmentsHref(slug, filter.value))
  })
  const section = el('section', { id: 'amendment-list', 'aria-labelledby': 'amendment-list-h' },
    el('h2', { id: 'amendment-list-h', className: 'sr-only' }, t('amendments')),
    el('div', { className: 'field am-filter' }, el('label', { for: 'am-filter' }, t('amFilter')), filter), body)
  main.append(section)
  if (s.rights['propose-amendment-for'].length) main.append(await newAmendmentForm(me, s))
}

/** Propose an amendment: title, rationale, organization (if several), base version. */
async function newAmendmentForm (me: Me, s: StatementDetail): Promise<HTMLElement> {
  const vr = await api('GET', `${base(s.slug)}/versions`)
  const versions: Version[] = vr.status === 200 ? vr.body.items ?? [] : []
  const alert = formAlert('amendment-new-alert')
  const orgIds = s.rights['propose-amendment-for']
  const orgName = (id: number) => {
    const o = me.memberships.find(m => m.organization_id === id)?.organization
    return o ? `${o.short_name} — ${o.name}` : `#${id}`
  }
  const form = el('form', { id: 'amendment-new', className: 'inline-form', 'aria-labelledby': 'amendment-new-h' },
    el('h2', { id: 'amendment-new-h' }, t('amPropose')), alert,
    field('amendment-new', { name: 'title', label: t('title'), required: true, maxLength: 200 }),
    textArea('amendment-new', 'rationale', t('amRationale'), '', t('amRationaleHint')))
  if (orgIds.length > 1) {
    form.append(field('amendment-new', { name: 'organization_id', label: t('amForOrganization'), required: true, options: orgIds.map(id => [String(id), orgName(id)]) }))
  } else {
    form.append(el('input', { type: 'hidden', name: 'organization_id', value: String(orgIds[0]) }),
      el('p', { className: 'hint', id: 'amendment-new-org' }, tf('amProposedFor', { org: orgName(orgIds[0]) })))
  }
  if (versions.length) {
    const latest = versions[versions.length - 1].number
    form.append(field('amendment-new', {
      name: 'base_version', label: t('amBaseVersion'), required: true, value: String(latest), hint: t('amBaseHint'),
      options: [...versions].reverse().map(v => [String(v.number), `${tf('versionN', { n: String(v.number) })} — ${v.label}`])
    }))
  }
  form.append(el('button', { type: 'submit' }, t('amCreate')))
  onSubmit(form, async data => {
    const body: Record<string, unknown> = { title: String(data.get('title') ?? '').trim(), organization_id: Number(data.get('organization_id')) }
    const rationale = String(data.get('rationale') ?? '').trim()
    if (rationale) body.rationale = rationale
    if (data.get('base_version')) body.base_version = Number(data.get('base_version'))
    const r = await api('POST', `${base(s.slug)}/amendments`, body)
    if (r.status !== 201) { showProblem(form, alert, r); return }
    // Straight to its text: the fork starts as the base version, to be changed there.
    location.assign(`/d/${enc(r.body.document)}`)
  })
  return form
}

/** A labelled <textarea> with an error line, shaped like forms.ts `field`. */
export function textArea (formId: string, name: string, label: string, value: string, hint = '', required = false): HTMLElement {
  const id = `${formId}-${name}`
  const area = el('textarea', { id, name, rows: 5, maxLength: name === 'rationale' ? 10000 : 2000, required })
  area.value = value
  const parts: Node[] = [el('label', { for: id }, label, required ? '' : ` (${t('optional')})`)]
  if (hint) { parts.push(el('span', { className: 'hint', id: `${id}-hint` }, hint)); area.setAttribute('aria-describedby', `${id}-hint`) }
  parts.push(area, el('span', { className: 'field-error', id: `${id}-error`, hidden: true }))
  return el('div', { className: 'field' }, ...parts)
}

// ---------------------------------------------------------------------------------------------
// One amendment.

export async function amendmentScreen (main: HTMLElement, me: Me, slug: string, n: number): Promise<void> {
  const s = await statementOrAlert(main, slug)
  if (!s) return
  const path = `${base(slug)}/amendments/${n}`
  const [ar, sr, lr] = await Promise.all([api('GET', path), api('GET', `${base(slug)}/amendment-settings`), api('GET', `${base(slug)}/amendments`)])
  main.append(el('p', { className: 'crumb' }, el('a', { href: amendmentsHref(slug), id: 'amendments-link' }, `← ${t('amendments')}`)))
  if (ar.status !== 200) { main.append(el('h1', {}, tf('amendmentN', { n: String(n) }))); problem(main, ar); return }
  const a: AmendmentDetail = ar.body
  const settings: AmendmentSettings = sr.status === 200 ? sr.body : { support_threshold: 0, support_deadline: null }
  const all: Amendment[] = lr.status === 200 ? lr.body.items ?? [] : []
  const can = amendmentActions(me, s.rights, a)
  const status = el('p', { role: 'status', 'aria-live': 'polite', id: 'am-status', className: 'hint', tabIndex: -1 })
  const rerender = async (message: string) => {
    main.replaceChildren()
    await amendmentScreen(main, me, slug, n)
    const st = document.getElementById('am-status')
    if (st) { st.textContent = message; st.focus() }
  }

  const meta = el('p', { className: 'meta', id: 'am-meta' }, `${t('amState')}: `, stateBadge(a.state), ' · ',
    el('abbr', { title: a.organization.name, id: 'am-org' }, a.organization.short_name), ' · ',
    el('a', { href: versionHref(slug, a.base_version) }, tf('amBasedOn', { n: String(a.base_version) })), ' · ',
    tf('amCreatedBy', { name: a.created_by?.name ?? '?', time: when(a.created_at) }))
  const textLink = el('a', { href: `/d/${enc(a.document)}`, id: 'am-edit-text' }, can.edit || can.compromise ? t('amEditText') : t('amReadText'))
  main.append(el('h1', {}, `${tf('amendmentN', { n: String(n) })}: ${a.title}`), el('p', { className: 'meta' }, s.title), meta)
  const fl = flags(slug, a)
  if (fl.length) main.append(el('p', { className: 'am-flags', id: 'am-flags' }, ...fl.flatMap((f, j) => (j ? [' · ', f] : [f]))))
  main.append(status, el('p', { className: 'row-links' }, textLink))

  main.append(can.edit ? editForm(path, a, rerender) : el('section', { id: 'am-rationale', 'aria-labelledby': 'am-rationale-h' },
    el('h2', { id: 'am-rationale-h' }, t('amRationale')),
    a.rationale ? el('p', { className: 'am-rationale-text' }, a.rationale) : el('p', { className: 'hint' }, t('amNoRationale'))))
  const actions = actionsSection(me, path, a, can, rerender)
  if (actions) main.append(actions)
  if (can.settle || can.obsolete) main.append(settleForm(path, a, all, can.settle, rerender))
  // The discussion of this amendment (comments.ts); it stops polling once the page is left.
  const discussion = el('section', { id: 'amendment-comments', 'data-slug': slug, 'data-amendment': String(n), 'aria-label': t('amComments') })
  discussion.append(commentsPanel({ slug, amendment: n, ...commentRights(me, s) }).element)
  main.append(supportSection(a, settings), diffSection(path, a), historySection(a), discussion)
}

function editForm (path: string, a: AmendmentDetail, rerender: (m: string) => Promise<void>): HTMLElement {
  const alert = formAlert('am-edit-alert')
  const form = el('form', { id: 'am-edit', className: 'inline-form', 'aria-labelledby': 'am-edit-h' },
    el('h2', { id: 'am-edit-h' }, t('amTitleRationale')), alert,
    field('am-edit', { name: 'title', label: t('title'), required: true, maxLength: 200, value: a.title }),
    textArea('am-edit', 'rationale', t('amRationale'), a.rationale, t('amRationaleHint')),
    el('button', { type: 'submit' }, t('save')))
  onSubmit(form, async data => {
    const r = await api('PATCH', path, { title: String(data.get('title') ?? '').trim(), rationale: String(data.get('rationale') ?? '').trim() })
    if (r.status !== 200) { showProblem(form, alert, r); return }
    await rerender(t('savedChanges'))
  })
  return form
}

function actionsSection (me: Me, path: string, a: AmendmentDetail, can: ReturnType<typeof amendmentActions>, rerender: (m: string) => Promise<void>): HTMLElement | null {
  if (!can.submit && !can.withdraw && !can.supportFor.length && !can.unsupportFor.length) return null
  const alert = formAlert('am-actions-alert')
  const row = el('p', { className: 'actions row-links' })
  const section = el('section', { id: 'am-actions', 'aria-labelledby': 'am-actions-h' }, el('h2', { id: 'am-actions-h' }, t('amYourActions')), alert, row)
  const fail = (r: Answer) => { showProblem(el('form'), alert, r) }
  const orgShort = (id: number) => me.memberships.find(m => m.organization_id === id)?.organization?.short_name ?? `#${id}`
  const transition = async (to: string, done: string) => {
    const r = await api('POST', `${path}/transitions`, { to })
    if (r.status !== 200) { fail(r); return }
    await rerender(done)
  }
  if (can.submit) {
    const b = el('button', { type: 'button', id: 'am-submit' }, t('amSubmit'))
    b.addEventListener('click', async () => { b.disabled = true; await transition('submitted', t('amSubmitted')); b.disabled = false })
    row.append(b, el('span', { className: 'hint' }, t('amSubmitHint')))
  }
  if (can.withdraw) {
    const b = confirmButton(t('amWithdraw'), tf('amWithdrawName', { n: String(a.number) }), () => transition('withdrawn', t('amWithdrawn')))
    b.id = 'am-withdraw'
    row.append(b)
  }
  for (const id of can.supportFor) {
    const b = el('button', { type: 'button', className: 'am-support', 'data-org': String(id) }, tf('amSupportFor', { org: orgShort(id) }))
    b.addEventListener('click', async () => {
      b.disabled = true
      const r = await api('PUT', `${path}/support/${id}`, {})
      b.disabled = false
      if (r.status !== 200) { fail(r); return }
      await rerender(tf('amSupported', { org: orgShort(id) }))
    })
    row.append(b)
  }
  for (const id of can.unsupportFor) {
    const b = confirmButton(tf('amUnsupportFor', { org: orgShort(id) }), tf('amUnsupportFor', { org: orgShort(id) }), async () => {
      const r = await api('DELETE', `${path}/support/${id}`)
      if (r.status !== 204) { fail(r); return }
      await rerender(tf('amUnsupported', { org: orgShort(id) }))
    })
    b.classList.add('am-unsupport')
    b.dataset.org = String(id)
    row.append(b)
  }
  return section
}

function settleForm (path: string, a: AmendmentDetail, all: Amendment[], settle: boolean, rerender: (m: string) => Promise<void>): HTMLElement {
  const alert = formAlert('am-settle-alert')
  const moves = SETTLE_MOVES.filter(m => settle || m.to === 'obsolete')
  const accepted = all.filter(x => x.number !== a.number && ACCEPTED_STATES.includes(x.state))
  const radios = el('fieldset', { className: 'flags', id: 'am-settle-to' }, el('legend', {}, t('amDecision')),
    ...moves.map((m, i) => el('label', { className: 'check' },
      el('input', { type: 'radio', name: 'to', value: m.to, id: `am-settle-${m.to}`, checked: i === 0 }), ' ', t(`amMove_${m.to.replace(/-/g, '_')}` as 'amMove_accepted'))))
  const reason = textArea('am-settle', 'reason', t('amReason'), '', t('amReasonHint'))
  const by = field('am-settle', {
    name: 'obsoleted_by', label: t('amObsoletedBy'), required: true,
    options: accepted.length ? accepted.map(x => [String(x.number), `#${x.number} — ${x.title}`]) : [['', t('amNoAccepted')]]
  })
  const form = el('form', { id: 'am-settle', className: 'inline-form', 'aria-labelledby': 'am-settle-h' },
    el('h2', { id: 'am-settle-h' }, t('amSettle')), alert, radios, reason, by, el('button', { type: 'submit' }, t('amRecord')))
  const chosen = () => form.querySelector<HTMLInputElement>('input[name=to]:checked')?.value ?? moves[0].to
  const sync = () => {
    const to = chosen()
    by.hidden = to !== 'obsolete'
    // A hidden required control would block the other decisions' submission.
    by.querySelector('select')!.required = to === 'obsolete'
    const needs = SETTLE_MOVES.find(m => m.to === to)?.reason ?? false
    const area = reason.querySelector('textarea')!
    area.required = needs
    reason.querySelector('label')!.textContent = needs ? t('amReason') : `${t('amReason')} (${t('optional')})`
  }
  radios.addEventListener('change', sync)
  sync()
  onSubmit(form, async data => {
    const to = chosen()
    const body: Record<string, unknown> = { to }
    const why = String(data.get('reason') ?? '').trim()
    if (why) body.reason = why
    if (to === 'obsolete') {
      if (!data.get('obsoleted_by')) { showMessage(alert, t('amNoAccepted')); return }
      body.obsoleted_by = Number(data.get('obsoleted_by'))
    }
    const r = await api('POST', `${path}/transitions`, body)
    if (r.status !== 200) { showProblem(form, alert, r); return }
    await rerender(tf('amNowState', { state: stateLabel(r.body.state) }))
  })
  return form
}

function supportSection (a: AmendmentDetail, settings: AmendmentSettings): HTMLElement {
  const section = el('section', { id: 'am-support-list', 'aria-labelledby': 'am-support-h' },
    el('h2', { id: 'am-support-h' }, t('amSupport')),
    el('p', { id: 'am-support-count' }, supportText(a.supporters, settings.support_threshold)))
  if (settings.support_deadline) section.append(el('p', { className: 'hint' }, tf('amSupportDeadline', { time: when(settings.support_deadline) })))
  if (!a.supporter_list.length) section.append(el('p', { className: 'hint' }, t('amNoSupporters')))
  else {
    section.append(el('ul', { id: 'am-supporters' }, ...a.supporter_list.map(x => el('li', { 'data-org': String(x.organization.id) },
      el('abbr', { title: x.organization.name }, x.organization.short_name), ` — ${x.by?.name ?? '?'}, `,
      el('time', { dateTime: x.at }, when(x.at))))))
  }
  return section
}

function historySection (a: AmendmentDetail): HTMLElement {
  const rows: Array<Array<Node | string>> = [[t('amCreated'), a.created_by?.name ?? '?', el('time', { dateTime: a.created_at }, when(a.created_at)), '']]
  for (const x of a.transitions) {
    rows.push([`${stateLabel(x.from)} → ${stateLabel(x.to)}`, x.by?.name ?? t('automatic'), el('time', { dateTime: x.at }, when(x.at)), x.reason])
  }
  return el('section', { id: 'am-history', 'aria-labelledby': 'am-history-h' }, el('h2', { id: 'am-history-h' }, t('amHistory')),
    dataTable('am-history-table', t('amHistory'), [t('phaseChange'), t('versionAuthor'), t('versionTime'), t('amWhy')], rows))
}

/** The amendment against its base version, inline (the consolidated text) or side by side. */
export function diffSection (path: string, a: Amendment, idPrefix = 'am-diff'): HTMLElement {
  const heading = el('h2', { id: `${idPrefix}-h` }, tf('amChangeAgainst', { n: String(a.base_version) }))
  const radio = (value: Layout, label: string) => el('label', { className: 'check' },
    el('input', { type: 'radio', name: `${idPrefix}-layout`, value, id: `${idPrefix}-${value}`, checked: value === 'inline' }), ' ', label)
  const choose = el('fieldset', { className: 'flags' }, el('legend', {}, t('diffLayout')), radio('inline', t('amConsolidated')), radio('side', t('diffSide')))
  const body = el('div', { id: `${idPrefix}-body`, 'aria-busy': 'true' })
  const section = el('section', { id: idPrefix, 'aria-labelledby': heading.id }, heading, choose, body)
  let diff: VersionDiff | null = null
  const titles = { old: tf('versionN', { n: String(a.base_version) }), new: tf('amendmentN', { n: String(a.number) }) }
  const draw = () => {
    if (!diff) return
    const layout: Layout = choose.querySelector<HTMLInputElement>('input:checked')?.value === 'side' ? 'side' : 'inline'
    body.replaceChildren(renderDiff(diff, layout, titles))
  }
  choose.addEventListener('change', draw)
  void api('GET', `${path}/diff`).then(r => {
    body.setAttribute('aria-busy', 'false')
    if (r.status !== 200) { choose.hidden = true; problem(body, r, `${idPrefix}-alert`); return }
    diff = r.body
    draw()
  })
  return section
}
