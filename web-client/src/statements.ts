// Statements: the list one may read (phase, deadline, participants, open the draft), the
// secretariat's "new statement" form, and one statement's management view (phase and
// deadline, participating organizations and what they take part with).
import { el } from './dom'
import { t, tf, currentLanguage } from './i18n'
import { api } from './api'
import { field, formAlert, onSubmit, showProblem, showMessage, confirmButton, clearErrors } from './forms'
import {
  PHASES, PARTICIPATION_FLAGS, SOURCE_LANGUAGES, flagLabel, signHref, versionsHref, suggestSlug, formatDate, fromLocalInput, participationLabel, phaseLabel, toLocalInput,
  type Me, type Organization, type Participation, type Statement, type StatementDetail, type StatementSummary
} from './model'
import { amendmentsHref } from './amendments-model'
import { signOnSection } from './adherence-admin'

async function organizationsById (): Promise<Map<number, Organization>> {
  const r = await api('GET', '/organizations')
  return new Map<number, Organization>((r.body?.items ?? []).map((o: Organization) => [o.id, o]))
}

function orgName (orgs: Map<number, Organization>, id: number): string {
  return orgs.get(id)?.short_name ?? `#${id}`
}

function phaseBadge (s: Statement): HTMLElement {
  return el('span', { className: `badge phase phase-${s.phase}` }, phaseLabel(s.phase))
}

function deadlineText (s: Statement): string {
  return s.phase_deadline ? tf('deadlineOn', { date: formatDate(s.phase_deadline, currentLanguage()) }) : t('noDeadline')
}

function participantList (s: StatementSummary, orgs: Map<number, Organization>): HTMLElement {
  if (!s.participants.length) return el('p', { className: 'hint' }, t('noParticipants'))
  return el('ul', { className: 'participants' }, ...s.participants.map(p => el('li', {},
    el('abbr', { title: orgs.get(p.organization_id)?.name ?? '' }, orgName(orgs, p.organization_id)), ` — ${participationLabel(p)}`)))
}

/**
 * Whether to offer "Sign" in the list (which has no rights): the user is a signatory of an
 * organization that takes part with the right to sign. The sign screen asks the server.
 */
function maySign (me: Me, s: StatementSummary): boolean {
  const signs = new Set(s.participants.filter(p => p.sign).map(p => p.organization_id))
  return me.memberships.some(m => m.role === 'signatory' && signs.has(m.organization_id))
}

export async function statementsScreen (main: HTMLElement, me: Me): Promise<void> {
  main.append(el('h1', {}, t('statements')))
  const list = el('ul', { className: 'statement-list', id: 'statements', 'aria-busy': 'true' })
  main.append(list)
  if (me.instance_secretariat) main.append(newStatementForm())
  const [statements, orgs] = await Promise.all([api('GET', '/statements'), organizationsById()])
  const items: StatementSummary[] = statements.body?.items ?? []
  // What one may do is in each statement's detail; only secretariat members can manage, so
  // only they fetch it.
  const manages = me.memberships.some(m => m.role === 'secretariat')
  const details = manages ? await Promise.all(items.map(s => api('GET', `/statements/${encodeURIComponent(s.slug)}`))) : []
  for (const [i, s] of items.entries()) {
    const d: StatementDetail | null = details[i]?.status === 200 ? details[i].body : null
    const head = el('h2', {}, el('a', { href: `/d/${encodeURIComponent(s.document)}`, className: 'open-draft' }, s.title))
    const meta = el('p', { className: 'meta' }, phaseBadge(s), ' ', el('span', { className: 'deadline' }, deadlineText(s)))
    const li = el('li', { className: 'statement', 'data-slug': s.slug }, head, meta)
    li.append(el('h3', { className: 'sub' }, t('participants')), participantList(s, orgs))
    const links = el('p', { className: 'row-links' },
      el('a', { href: versionsHref(s.slug), className: 'versions', 'aria-label': `${t('versions')}: ${s.title}` }, t('versions')),
      el('a', { href: amendmentsHref(s.slug), className: 'amendments', 'aria-label': `${t('amendments')}: ${s.title}` }, t('amendments')))
    if (s.phase === 'final' && maySign(me, s)) {
      links.append(el('a', { href: signHref(s.slug), className: 'sign', 'aria-label': `${t('signLink')}: ${s.title}` }, t('signLink')))
    }
    if (d && (d.rights['change-phase'] || d.rights['manage-participants'])) {
      links.append(el('a', { href: `/#/statements/${encodeURIComponent(s.slug)}`, className: 'manage', 'aria-label': `${t('manage')}: ${s.title}` }, t('manage')))
    }
    li.append(links)
    list.append(li)
  }
  if (!items.length) list.append(el('li', {}, t('noStatements')))
  list.setAttribute('aria-busy', 'false')
}

function newStatementForm (): HTMLElement {
  const alert = formAlert('statement-new-alert')
  const form = el('form', { id: 'statement-new', className: 'inline-form', 'aria-labelledby': 'statement-new-h' },
    el('h2', { id: 'statement-new-h' }, t('newStatement')), alert,
    field('statement-new', { name: 'title', label: t('title'), required: true, maxLength: 300 }),
    field('statement-new', { name: 'slug', label: t('slug'), required: true, hint: t('slugHint'), maxLength: 64 }),
    field('statement-new', { name: 'language', label: t('sourceLanguage'), required: true, hint: t('sourceLanguageHint'), options: SOURCE_LANGUAGES, value: SOURCE_LANGUAGES.some(([tag]) => tag === currentLanguage()) ? currentLanguage() : 'en' }),
    el('button', { type: 'submit' }, t('create')))
  const title = form.querySelector<HTMLInputElement>('[name=title]')!
  const slug = form.querySelector<HTMLInputElement>('[name=slug]')!
  // Suggest a slug from the title until the user edits it.
  let slugEdited = false
  slug.addEventListener('input', () => { slugEdited = true })
  title.addEventListener('input', () => { if (!slugEdited) slug.value = suggestSlug(title.value) })
  onSubmit(form, async data => {
    const r = await api('POST', '/statements', { slug: String(data.get('slug')), title: String(data.get('title')), language: String(data.get('language')) })
    if (r.status !== 201) { showProblem(form, alert, r); return }
    location.assign(`/#/statements/${encodeURIComponent(r.body.slug)}`)
  })
  return form
}

export async function statementScreen (main: HTMLElement, slug: string): Promise<void> {
  const [r, orgs] = await Promise.all([api('GET', `/statements/${encodeURIComponent(slug)}`), organizationsById()])
  if (r.status !== 200) {
    const alert = formAlert('statement-alert')
    main.append(el('h1', {}, t('statement')), alert)
    showProblem(el('form'), alert, r)
    return
  }
  const s: StatementDetail = r.body
  const status = el('p', { role: 'status', 'aria-live': 'polite', id: 'manage-status', className: 'hint', tabIndex: -1 })
  main.append(el('p', {}, el('a', { href: '/#/' }, `← ${t('statements')}`)),
    el('h1', {}, s.title),
    el('p', { className: 'meta' }, phaseBadge(s), ' ', el('span', { className: 'deadline' }, deadlineText(s)), ' · ',
      el('a', { href: `/d/${encodeURIComponent(s.document)}`, id: 'open-draft' }, t('openDraft')), ' · ',
      el('a', { href: versionsHref(s.slug), id: 'versions-link' }, t('versions')), ' · ',
      el('a', { href: amendmentsHref(s.slug), id: 'amendments-link' }, t('amendments')),
      ...(s.phase === 'final' && s.rights['endorse-for']?.length ? [' · ', el('a', { href: signHref(s.slug), id: 'sign-link' }, t('signLink'))] : [])),
    status)
  // After a change the screen is drawn again from the server's answer; focus goes to the
  // status line that says what happened.
  const rerender = async (message: string) => {
    main.replaceChildren()
    await statementScreen(main, slug)
    const st = document.getElementById('manage-status')
    if (st) { st.textContent = message; st.focus() }
  }
  if (s.rights['change-phase']) main.append(phaseForm(s, rerender))
  if (s.phase === 'final') main.append(signOnSection(s, rerender))
  main.append(participantsSection(s, orgs, rerender))
}

function phaseForm (s: StatementDetail, rerender: (m: string) => Promise<void>): HTMLElement {
  const alert = formAlert('phase-alert')
  const form = el('form', { id: 'phase', className: 'inline-form', 'aria-labelledby': 'phase-h' },
    el('h2', { id: 'phase-h' }, t('phaseAndDeadline')), alert,
    field('phase', { name: 'phase', label: t('phase'), required: true, value: s.phase, options: PHASES.map(p => [p, phaseLabel(p)]) }),
    field('phase', { name: 'phase_deadline', label: t('deadline'), type: 'datetime-local', value: toLocalInput(s.phase_deadline), hint: t('deadlineHint') }),
    el('button', { type: 'submit' }, t('save')))
  onSubmit(form, async data => {
    const raw = String(data.get('phase_deadline') ?? '')
    const deadline = fromLocalInput(raw)
    if (raw && !deadline) { showMessage(alert, t('badDate')); return }
    const r = await api('PATCH', `/statements/${encodeURIComponent(s.slug)}`, { phase: String(data.get('phase')), phase_deadline: deadline })
    if (r.status !== 200) { showProblem(form, alert, r); return }
    await rerender(t('savedChanges'))
  })
  return form
}

function flagBoxes (prefix: string, p: Pick<Participation, ParticipationFlag>): HTMLElement {
  return el('fieldset', { className: 'flags' }, el('legend', {}, t('takesPartWith')),
    ...PARTICIPATION_FLAGS.map(f => el('label', { className: 'check' },
      el('input', { type: 'checkbox', name: f, id: `${prefix}-${f}`, checked: p[f] }), ' ', flagLabel(f))))
}
type ParticipationFlag = typeof PARTICIPATION_FLAGS[number]

function flagsFrom (form: HTMLFormElement): Record<ParticipationFlag, boolean> {
  const out = {} as Record<ParticipationFlag, boolean>
  for (const f of PARTICIPATION_FLAGS) out[f] = form.querySelector<HTMLInputElement>(`[name=${f}]`)!.checked
  return out
}

function participantsSection (s: StatementDetail, orgs: Map<number, Organization>, rerender: (m: string) => Promise<void>): HTMLElement {
  const section = el('section', { 'aria-labelledby': 'participants-h', id: 'participants' }, el('h2', { id: 'participants-h' }, t('participants')))
  if (!s.rights['manage-participants']) { section.append(participantList(s, orgs)); return section }
  const base = `/statements/${encodeURIComponent(s.slug)}/participants/`
  const list = el('ul', { className: 'participant-rows' })
  for (const p of s.participants) {
    const name = orgName(orgs, p.organization_id)
    const alert = formAlert(`part-${p.organization_id}-alert`)
    const form = el('form', { className: 'participant', 'data-org': name, 'aria-label': name },
      el('h3', {}, `${orgs.get(p.organization_id)?.name ?? name} (${name})`), alert, flagBoxes(`part-${p.organization_id}`, p),
      el('p', { className: 'actions' }, el('button', { type: 'submit' }, t('save'))))
    form.querySelector('.actions')!.append(' ', confirmButton(t('remove'), tf('removeOrg', { org: name }), async () => {
      const r = await api('DELETE', base + p.organization_id)
      if (r.status !== 204) { showProblem(form, alert, r); return }
      await rerender(tf('orgRemoved', { org: name }))
    }))
    onSubmit(form, async () => {
      clearErrors(form, alert)
      const r = await api('PUT', base + p.organization_id, flagsFrom(form))
      if (r.status !== 200) { showProblem(form, alert, r); return }
      await rerender(tf('orgSaved', { org: name }))
    })
    list.append(el('li', {}, form))
  }
  if (!s.participants.length) list.append(el('li', { className: 'hint' }, t('noParticipants')))
  section.append(list)

  const taking = new Set(s.participants.map(p => p.organization_id))
  const candidates = [...orgs.values()].filter(o => !taking.has(o.id))
  if (candidates.length) {
    const alert = formAlert('participant-add-alert')
    const form = el('form', { id: 'participant-add', className: 'inline-form', 'aria-labelledby': 'participant-add-h' },
      el('h3', { id: 'participant-add-h' }, t('addParticipant')), alert,
      field('participant-add', { name: 'organization_id', label: t('organization'), required: true, options: candidates.map(o => [String(o.id), `${o.short_name} — ${o.name}`]) }),
      flagBoxes('participant-add', { edit: true, amend: true, sign: true, convener: false }),
      el('button', { type: 'submit' }, t('add')))
    onSubmit(form, async data => {
      const id = String(data.get('organization_id'))
      const r = await api('PUT', base + id, flagsFrom(form))
      if (r.status !== 200) { showProblem(form, alert, r); return }
      await rerender(tf('orgAdded', { org: orgName(orgs, Number(id)) }))
    })
    section.append(form)
  }
  return section
}
