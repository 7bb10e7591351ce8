// A statement's versions: the list (named by the secretariat, or taken at each phase change),
// the "name a version" form, the record of phase changes; one version's text (its HTML rebuilt
// safely, its hash, a download of the canonical text); and the changes between two versions
// or a version and the live draft, drawn here from the diff JSON (diff-view.ts).
import { el } from './dom'
import { t, tf, currentLanguage } from './i18n'
import { api } from './api'
import { copyButton, dataTable, field, formAlert, onSubmit, showProblem } from './forms'
import { renderDiff, type Layout, type VersionDiff } from './diff-view'
import { safeHtml } from './safe-html'
import {
  canonicalFileName, diffHref, formatDate, phaseLabel, reasonLabel, versionHref, versionsHref,
  type DiffSide, type PhaseChange, type StatementDetail, type Version, type VersionDetail
} from './model'
import { amendmentHref, amendmentsHref } from './amendments-model'

const enc = encodeURIComponent
const when = (iso: string): string => formatDate(iso, currentLanguage())

/** The statement, or an alert in `main` (null). */
async function statementOrAlert (main: HTMLElement, slug: string): Promise<StatementDetail | null> {
  const r = await api('GET', `/statements/${enc(slug)}`)
  if (r.status === 200) return r.body
  problem(main, r)
  return null
}

function problem (main: HTMLElement, r: { status: number, body: any }): void {
  const alert = formAlert('versions-alert')
  main.append(alert)
  showProblem(el('form'), alert, r)
}

function back (href: string, label: string): HTMLElement {
  return el('p', { className: 'crumb' }, el('a', { href }, `← ${label}`))
}

/** The first 12 hex digits, with the whole hash in a title and a copy button. */
function hashCell (v: Version, status: HTMLElement): HTMLElement {
  return el('span', { className: 'hash' },
    el('code', { title: tf('hashTitle', { hash: v.sha256 }), 'data-sha256': v.sha256 }, v.sha256.slice(0, 12)), ' ',
    copyButton(v.sha256, tf('copyHashOf', { n: String(v.number) }), status))
}

/** The reason in words; a merge also names its amendments, each a link to its page. */
function mergedReason (slug: string, v: Version): Node | string {
  const merged = v.merged_amendments ?? []
  if (!merged.length) return reasonLabel(v.reason)
  const span = el('span', { className: 'merged-amendments' }, `${reasonLabel(v.reason)}: `)
  merged.forEach((n, i) => span.append(...(i ? [', '] : []), el('a', { href: amendmentHref(slug, n) }, `#${n}`)))
  return span
}

export async function versionsScreen (main: HTMLElement, slug: string): Promise<void> {
  const s = await statementOrAlert(main, slug)
  if (!s) return
  const [vr, pr] = await Promise.all([api('GET', `/statements/${enc(slug)}/versions`), api('GET', `/statements/${enc(slug)}/phases`)])
  const status = el('p', { role: 'status', 'aria-live': 'polite', id: 'versions-status', className: 'hint', tabIndex: -1 })
  main.append(back('/#/', t('statements')), el('h1', {}, s.title),
    el('p', { className: 'meta' }, el('span', { className: `badge phase phase-${s.phase}` }, phaseLabel(s.phase)), ' ',
      el('a', { href: `/d/${enc(s.document)}`, id: 'open-draft' }, t('openDraft')), ' ',
      el('a', { href: amendmentsHref(slug), id: 'amendments-link' }, t('amendments'))),
    status)
  if (vr.status !== 200) { problem(main, vr); return }
  const versions: Version[] = vr.body.items ?? []

  const section = el('section', { 'aria-labelledby': 'versions-h', id: 'versions' }, el('h2', { id: 'versions-h' }, t('versions')))
  if (!versions.length) section.append(el('p', { className: 'hint' }, t('noVersions')))
  else {
    const rows = versions.map(v => {
      const links = el('span', { className: 'row-links' })
      if (v.number > 1) links.append(el('a', { href: diffHref(slug, v.number - 1, v.number), className: 'diff-prev' }, tf('changesSince', { n: String(v.number - 1) })))
      links.append(el('a', { href: diffHref(slug, v.number, 'draft'), className: 'diff-draft', 'aria-label': `${tf('versionN', { n: String(v.number) })}: ${t('changesToDraft')}` }, t('changesToDraft')))
      return [
        String(v.number),
        el('a', { href: versionHref(slug, v.number), className: 'version-label', title: tf('readVersion', { n: String(v.number) }) }, v.label),
        mergedReason(slug, v),
        phaseLabel(v.phase),
        v.author?.name ?? t('automatic'),
        el('time', { dateTime: v.created_at }, when(v.created_at)),
        hashCell(v, status),
        links
      ]
    })
    const table = dataTable('versions-table', t('versionsCaption'),
      ['#', t('versionLabel'), t('versionReason'), t('phase'), t('versionAuthor'), t('versionTime'), t('versionHash'), t('actions')], rows)
    table.querySelectorAll('tbody tr').forEach((tr, i) => tr.setAttribute('data-version', String(versions[i].number)))
    section.append(table, el('p', {}, el('a', { href: diffHref(slug, versions[versions.length - 1].number, 'draft'), id: 'compare' }, t('compare'))))
  }
  main.append(section)

  if (s.rights['publish-version']) main.append(nameForm(slug, main))
  main.append(phaseRecord(slug, pr.status === 200 ? pr.body.items ?? [] : null, pr))
}

function nameForm (slug: string, main: HTMLElement): HTMLElement {
  const alert = formAlert('version-new-alert')
  const form = el('form', { id: 'version-new', className: 'inline-form', 'aria-labelledby': 'version-new-h' },
    el('h2', { id: 'version-new-h' }, t('nameVersion')), alert,
    field('version-new', { name: 'label', label: t('versionLabel'), required: true, maxLength: 200, hint: t('nameVersionHint') }),
    el('button', { type: 'submit' }, t('nameVersion')))
  onSubmit(form, async data => {
    const label = String(data.get('label') ?? '').trim()
    const r = await api('POST', `/statements/${enc(slug)}/versions`, { label })
    if (r.status !== 201) { showProblem(form, alert, r); return }
    // Drawn again from the server; the status line says what happened and takes the focus.
    main.replaceChildren()
    await versionsScreen(main, slug)
    const st = document.getElementById('versions-status')
    if (st) { st.textContent = tf('versionNamed', { n: String(r.body.number), label: r.body.label }); st.focus() }
  })
  return form
}

function phaseRecord (slug: string, items: PhaseChange[] | null, r: { status: number, body: any }): HTMLElement {
  const section = el('section', { 'aria-labelledby': 'phases-h', id: 'phases' }, el('h2', { id: 'phases-h' }, t('phaseRecord')))
  if (items === null) { problem(section, r); return section }
  if (!items.length) { section.append(el('p', { className: 'hint' }, t('noPhaseChanges'))); return section }
  const rows = items.map(c => [
    c.from === c.to ? tf('deadlineChanged', { phase: phaseLabel(c.to) }) : `${phaseLabel(c.from)} → ${phaseLabel(c.to)}`,
    c.deadline ? el('time', { dateTime: c.deadline }, when(c.deadline)) : t('noDeadline'),
    c.by?.name ?? `#${c.user_id}`,
    el('time', { dateTime: c.at }, when(c.at)),
    c.version ? el('a', { href: versionHref(slug, c.version) }, tf('versionN', { n: String(c.version) })) : t('none')
  ])
  section.append(dataTable('phases-table', t('phaseRecord'), [t('phaseChange'), t('deadline'), t('versionAuthor'), t('versionTime'), t('versionTaken')], rows))
  return section
}

export async function versionScreen (main: HTMLElement, slug: string, n: number): Promise<void> {
  const s = await statementOrAlert(main, slug)
  if (!s) return
  const r = await api('GET', `/statements/${enc(slug)}/versions/${n}`)
  main.append(back(versionsHref(slug), t('versions')))
  if (r.status !== 200) { main.append(el('h1', {}, tf('versionN', { n: String(n) }))); problem(main, r); return }
  const v: VersionDetail = r.body
  const status = el('p', { role: 'status', 'aria-live': 'polite', className: 'hint' })
  const blob = new Blob([v.markdown], { type: 'text/markdown;charset=utf-8' })
  const download = el('a', { href: URL.createObjectURL(blob), download: canonicalFileName(slug, n), id: 'download-md' }, t('downloadText'))
  const nav = el('p', { className: 'row-links' }, download)
  if (n > 1) nav.append(el('a', { href: diffHref(slug, n - 1, n) }, tf('changesSince', { n: String(n - 1) })))
  nav.append(el('a', { href: diffHref(slug, n, 'draft') }, t('changesToDraft')))
  main.append(
    el('h1', {}, `${tf('versionN', { n: String(n) })}: ${v.label}`),
    el('p', { className: 'meta' }, s.title),
    el('p', { className: 'meta', id: 'version-meta' }, tf('versionMeta', { reason: reasonLabel(v.reason), phase: phaseLabel(v.phase), time: when(v.created_at) }),
      v.author ? ` · ${v.author.name}` : ''),
    el('p', { className: 'hash-line' }, `${t('versionHash')}: `, el('code', { id: 'version-hash', className: 'full-hash' }, v.sha256), ' ',
      copyButton(v.sha256, tf('copyHashOf', { n: String(n) }), status), status),
    nav,
    el('article', { className: 'version-text', id: 'version-text', lang: s.language, 'aria-label': v.label }, safeHtml(v.html)))
}

function titleOf (side: DiffSide, versions: Version[]): string {
  if (side === 'draft') return t('liveDraft')
  const v = versions.find(x => x.number === side)
  return v ? `${tf('versionN', { n: String(side) })} — ${v.label}` : tf('versionN', { n: String(side) })
}

export async function diffScreen (main: HTMLElement, slug: string, from: number | null, to: DiffSide, layout: Layout): Promise<void> {
  const s = await statementOrAlert(main, slug)
  if (!s) return
  const vr = await api('GET', `/statements/${enc(slug)}/versions`)
  main.append(back(versionsHref(slug), t('versions')), el('h1', {}, `${t('diffTitle')}: ${s.title}`))
  if (vr.status !== 200) { problem(main, vr); return }
  const versions: Version[] = vr.body.items ?? []
  if (!versions.length) { main.append(el('p', { className: 'notice', id: 'diff-none' }, t('diffNeedVersion'))); return }
  const last = versions[versions.length - 1].number
  const fromN = from ?? (to === 'draft' ? last : Math.max(1, to - 1))

  // The choice: from, to, layout. Showing pushes the route (the back button returns to the
  // previous pair); switching the layout redraws at once without asking the server again.
  const options = (selected: DiffSide, withDraft: boolean) => [
    ...versions.map(v => el('option', { value: String(v.number), selected: v.number === selected }, titleOf(v.number, versions))),
    ...(withDraft ? [el('option', { value: 'draft', selected: selected === 'draft' }, t('liveDraft'))] : [])
  ]
  const fromSel = el('select', { id: 'diff-from', name: 'from' }, ...options(fromN, false))
  const toSel = el('select', { id: 'diff-to', name: 'to' }, ...options(to, true))
  const radio = (value: Layout, label: string) => el('label', { className: 'check' },
    el('input', { type: 'radio', name: 'layout', value, id: `layout-${value}`, checked: layout === value }), ' ', label)
  const form = el('form', { id: 'diff-choose', className: 'inline-form diff-choose', 'aria-label': t('compare') },
    el('div', { className: 'field' }, el('label', { for: 'diff-from' }, t('diffFrom')), fromSel),
    el('div', { className: 'field' }, el('label', { for: 'diff-to' }, t('diffTo')), toSel),
    el('fieldset', { className: 'flags' }, el('legend', {}, t('diffLayout')), radio('inline', t('diffInline')), radio('side', t('diffSide'))),
    el('button', { type: 'submit' }, t('diffShow')))
  const heading = el('h2', { id: 'diff-h', tabIndex: -1 })
  const result = el('section', { id: 'diff', 'aria-labelledby': 'diff-h' }, heading)
  main.append(form, result)

  let shown: { d: VersionDiff, from: number, to: DiffSide } | null = null
  const currentLayout = (): Layout => (form.querySelector<HTMLInputElement>('input[name=layout]:checked')?.value === 'side' ? 'side' : 'inline')
  const draw = () => {
    if (!shown) return
    const titles = { old: titleOf(shown.from, versions), new: titleOf(shown.to, versions) }
    heading.textContent = `${titles.old} → ${titles.new}`
    result.replaceChildren(heading, renderDiff(shown.d, currentLayout(), titles))
  }
  const load = async (f: number, tt: DiffSide) => {
    result.setAttribute('aria-busy', 'true')
    const r = await api('GET', `/statements/${enc(slug)}/diff?from=${f}&to=${tt}`)
    result.setAttribute('aria-busy', 'false')
    if (r.status !== 200) { shown = null; heading.textContent = ''; result.replaceChildren(heading); problem(result, r); return }
    shown = { d: r.body, from: f, to: tt }
    draw()
  }
  form.addEventListener('change', e => {
    if ((e.target as HTMLInputElement).name !== 'layout') return
    draw()
    history.replaceState(null, '', diffHref(slug, shown?.from ?? fromN, shown?.to ?? to, currentLayout()))
  })
  onSubmit(form, async () => {
    const f = Number(fromSel.value)
    const tt: DiffSide = toSel.value === 'draft' ? 'draft' : Number(toSel.value)
    history.pushState(null, '', diffHref(slug, f, tt, currentLayout()))
    await load(f, tt)
    heading.focus()
  })
  await load(fromN, to)
}
