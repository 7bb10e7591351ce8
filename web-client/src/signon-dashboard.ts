// The secretariat's sign-on dashboard, "#/statements/<slug>/signon": every organization that
// takes part in signing with its state in words, the counts, a chart of active endorsements by
// day (an SVG with a table of the same numbers beside it), reminders to those that have not
// signed (e-mailed by the server when it sends mail; otherwise the links are shown here to pass
// on) and the signatory list to download as CSV or JSON.
import { el } from './dom'
import { t, tf, currentLanguage, type MessageKey } from './i18n'
import { api, type Answer } from './api'
import { formAlert, showProblem, copyBox, onSubmit } from './forms'
import { formatDate } from './model'
import { chartGeometry, needsReminder, signatoriesPath, type SignonDashboard, type SignonState, type TimelineDay } from './signon-model'

const STATE_KEYS: Record<SignonState, MessageKey> = {
  signed: 'dashStateSigned',
  'signed-with-reservations': 'dashStateReservations',
  withdrawn: 'dashStateWithdrawn',
  'awaiting-key': 'dashStateAwaitingKey',
  'not-signed': 'dashStateNotSigned'
}
const stateLabel = (s: SignonState): string => STATE_KEYS[s] ? t(STATE_KEYS[s]) : s
const SKIP_KEYS: Record<string, MessageKey> = { signed: 'dashSkipSigned', 'reminded-recently': 'dashSkipRecent', 'no-signatory': 'dashSkipNoSignatory' }

function countsList (d: SignonDashboard): HTMLElement {
  const c = d.counts
  const rows: Array<[MessageKey, number, string]> = [
    ['dashParticipants', c.participants, 'participants'], ['dashStateSigned', c.signed, 'signed'],
    ['dashStateReservations', c.with_reservations, 'with_reservations'], ['dashStateWithdrawn', c.withdrawn, 'withdrawn'],
    ['dashStateAwaitingKey', c.awaiting_key, 'awaiting_key'], ['dashStateNotSigned', c.not_signed, 'not_signed']
  ]
  return el('dl', { className: 'signon-counts', id: 'signon-counts' },
    ...rows.flatMap(([key, n, name]) => [el('dt', {}, t(key)), el('dd', { 'data-count': name }, String(n))]))
}

function organizationsTable (d: SignonDashboard): HTMLElement {
  const lang = currentLanguage()
  const cols = (['dashColOrg', 'dashColCountry', 'dashColState', 'dashColSignatory', 'dashColSignedAt', 'dashColKeysPending', 'dashColReminded'] as MessageKey[]).map(k => t(k))
  const body = el('tbody', {})
  for (const o of d.organizations) {
    const e = o.endorsement
    const cells: Array<[string, string]> = [
      [o.country || '—', ''], [stateLabel(o.state), `signon-state state-${o.state}`], [e ? e.signatory : '—', ''],
      [e ? formatDate(e.signed_at, lang) : '—', ''], [String(o.keys_pending), ''],
      [o.last_reminded_at ? formatDate(o.last_reminded_at, lang) : t('dashNever'), 'reminded']]
    body.append(el('tr', { 'data-id': String(o.id), 'data-state': o.state },
      el('th', { scope: 'row', 'data-label': cols[0] }, o.short_name && o.short_name !== o.name ? `${o.name} (${o.short_name})` : o.name),
      ...cells.map(([text, cls], i) => el('td', { 'data-label': cols[i + 1], className: cls }, text))))
  }
  return el('table', { id: 'signon-organizations', className: 'data' },
    el('caption', {}, t('dashOrganizations')), el('thead', {}, el('tr', {}, ...cols.map(c => el('th', { scope: 'col' }, c)))), body)
}

const SVG = 'http://www.w3.org/2000/svg'
function svg<K extends keyof SVGElementTagNameMap> (tag: K, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v))
  e.append(...children)
  return e
}

function chart (timeline: TimelineDay[]): HTMLElement {
  const section = el('section', { 'aria-labelledby': 'signon-chart-h', id: 'signon-chart' }, el('h2', { id: 'signon-chart-h' }, t('dashChart')))
  if (!timeline.length) {
    section.append(el('p', { className: 'hint', id: 'signon-no-endorsements' }, t('dashNoEndorsements')))
    return section
  }
  const W = 480
  const H = 160
  const pad = 32
  const g = chartGeometry(timeline, W, H)
  const first = timeline[0].date
  const last = timeline[timeline.length - 1]
  const desc = tf('dashChartDesc', { first, last: last.date, n: String(last.cumulative), max: String(g.max) })
  const figure = svg('svg', { viewBox: `0 0 ${W + 2 * pad} ${H + 2 * pad}`, role: 'img', 'aria-labelledby': 'signon-chart-title signon-chart-desc', width: '100%', class: 'signon-chart', style: 'max-width: 40rem; height: auto' },
    svg('title', { id: 'signon-chart-title' }, t('dashChart')),
    svg('desc', { id: 'signon-chart-desc' }, desc),
    svg('g', { transform: `translate(${pad},${pad})` },
      svg('line', { x1: 0, y1: H, x2: W, y2: H, stroke: 'currentColor' }),
      svg('line', { x1: 0, y1: 0, x2: 0, y2: H, stroke: 'currentColor' }),
      svg('text', { x: -6, y: H, 'text-anchor': 'end', 'font-size': 12 }, '0'),
      svg('text', { x: -6, y: 12, 'text-anchor': 'end', 'font-size': 12 }, String(g.max)),
      svg('text', { x: 0, y: H + 18, 'font-size': 12 }, timeline.length === 1 ? '' : first),
      svg('text', { x: W, y: H + 18, 'text-anchor': 'end', 'font-size': 12 }, last.date),
      svg('path', { d: g.path, fill: 'none', stroke: 'currentColor', 'stroke-width': 2 }),
      ...g.points.map(p => svg('circle', { cx: p.x, cy: p.y, r: 3, fill: 'currentColor' }, svg('title', {}, `${p.date}: ${p.cumulative}`)))))
  const cols = (['dashColDate', 'dashColNew', 'dashColWithdrawals', 'dashColCumulative'] as MessageKey[]).map(k => t(k))
  const rows = timeline.map(d => el('tr', {}, el('th', { scope: 'row', 'data-label': cols[0] }, d.date),
    ...[d.endorsements, d.withdrawals, d.cumulative].map((n, i) => el('td', { 'data-label': cols[i + 1] }, String(n)))))
  const table = el('table', { id: 'signon-timeline', className: 'data' }, el('caption', {}, t('dashChartTable')),
    el('thead', {}, el('tr', {}, ...cols.map(c => el('th', { scope: 'col' }, c)))), el('tbody', {}, ...rows))
  section.append(figure, el('details', {}, el('summary', {}, t('dashChartTable')), table))
  return section
}

function reminderResult (body: Answer['body']): HTMLElement {
  const out = el('div', { id: 'signon-reminder-result' })
  const reminded: Array<{ name: string, emailed: number, recipients: number }> = body?.reminded ?? []
  const links: Array<{ organization_id: number, name: string, email: string, link: string }> = body?.links ?? []
  const skipped: Array<{ name: string, reason: string }> = body?.skipped ?? []
  out.append(el('p', { role: 'status', id: 'signon-reminded', tabIndex: -1 }, tf('dashReminded', { n: String(reminded.length) })))
  const emailed = reminded.filter(r => r.emailed > 0)
  if (emailed.length) out.append(el('ul', { id: 'signon-emailed' }, ...emailed.map(r => el('li', {}, tf('dashEmailed', { org: r.name, n: String(r.emailed) })))))
  if (links.length) {
    out.append(el('p', {}, t('dashPassLinks')))
    links.forEach((l, i) => out.append(el('div', { className: 'reminder-link' }, copyBox(`signon-link-${i}`, l.link, tf('dashLinkFor', { name: l.name, email: l.email })))))
  }
  if (skipped.length) out.append(el('ul', { id: 'signon-skipped' }, ...skipped.map(s => el('li', {}, tf(SKIP_KEYS[s.reason] ?? 'dashSkipSigned', { org: s.name })))))
  return out
}

export async function signonDashboardScreen (main: HTMLElement, slug: string, notice?: HTMLElement): Promise<void> {
  const enc = encodeURIComponent(slug)
  const r = await api('GET', `/statements/${enc}/signon`)
  const title: string = r.status === 200 ? r.body.statement.title : slug
  main.append(el('p', {}, el('a', { href: `/#/statements/${enc}` }, `← ${title}`)), el('h1', {}, tf('dashTitle', { title })))
  if (r.status !== 200) {
    const alert = formAlert('signon-alert')
    main.append(alert)
    showProblem(el('form'), alert, r)
    return
  }
  const d = r.body as SignonDashboard
  if (!d.manifest_sha256) main.append(el('p', { className: 'notice', id: 'signon-not-final' }, t('dashNoManifest')))
  main.append(countsList(d), organizationsTable(d), chart(d.timeline))

  const remind = el('section', { 'aria-labelledby': 'signon-remind-h', id: 'signon-remind' }, el('h2', { id: 'signon-remind-h' }, t('dashRemindHeading')))
  const waiting = d.organizations.filter(needsReminder)
  if (d.manifest_sha256 && waiting.length) {
    const alert = formAlert('signon-remind-alert')
    const form = el('form', { id: 'signon-remind-form', className: 'inline-form' }, alert,
      el('p', { className: 'hint' }, tf('dashRemindHint', { n: String(waiting.length) })),
      el('p', {}, el('button', { type: 'submit', id: 'signon-remind' + '-button' }, t('dashRemind'))))
    onSubmit(form, async () => {
      const a = await api('POST', `/statements/${enc}/signon/reminders`)
      if (a.status !== 200) { showProblem(form, alert, a); return }
      main.replaceChildren()
      await signonDashboardScreen(main, slug, reminderResult(a.body))
      document.getElementById('signon-reminded')?.focus()
    })
    remind.append(form)
  } else {
    remind.append(el('p', { className: 'hint', id: 'signon-nothing-to-remind' }, d.manifest_sha256 ? t('dashNothingToRemind') : t('dashNoManifest')))
  }
  if (notice) remind.append(notice)
  main.append(remind, el('section', { 'aria-labelledby': 'signon-export-h', id: 'signon-export' }, el('h2', { id: 'signon-export-h' }, t('dashExport')),
    el('p', {},
      el('a', { href: signatoriesPath(slug, 'csv'), id: 'signon-export-csv', download: `${slug}-signatories.csv` }, t('dashExportCsv')), ' · ',
      el('a', { href: signatoriesPath(slug, 'json'), id: 'signon-export-json', download: `${slug}-signatories.json` }, t('dashExportJson')))))
}
