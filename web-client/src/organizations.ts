// Organizations and their members, for the instance secretariat: the directory with an "add"
// form; one organization's page with its edit form, members (change a role, remove a
// membership), the invitation form (the link is shown to copy when the instance sends no
// mail) and the pending invitations (revoke).
import { el } from './dom'
import { t, tf, currentLanguage } from './i18n'
import { api } from './api'
import { field, formAlert, onSubmit, showProblem, confirmButton, copyBox, clearErrors, dataTable as table } from './forms'
import { ORG_KINDS, ROLES, kindLabel, roleLabel, formatDate, type Me, type Organization, type Role } from './model'

interface Member { id: number, user_id: number, organization_id: number, role: Role, display_name: string, email?: string }
interface Invitation { id: number, kind: string, email: string, display_name: string, expires_at: string, organization_id: number | null, role: Role | null }

function orgFields (prefix: string, o?: Organization): HTMLElement[] {
  return [
    field(prefix, { name: 'name', label: t('orgName'), required: true, value: o?.name, maxLength: 200 }),
    field(prefix, { name: 'short_name', label: t('shortName'), required: true, value: o?.short_name, maxLength: 32 }),
    field(prefix, { name: 'country', label: t('country'), value: o?.country, hint: t('countryHint'), maxLength: 2 }),
    field(prefix, { name: 'kind', label: t('kind'), required: true, value: o?.kind ?? 'other', options: ORG_KINDS.map(k => [k, kindLabel(k)]) }),
    field(prefix, { name: 'website', label: t('website'), type: 'url', value: o?.website, hint: t('websiteHint') })
  ]
}

function orgBody (data: FormData): Record<string, string> {
  const body: Record<string, string> = {}
  for (const k of ['name', 'short_name', 'country', 'kind', 'website']) body[k] = String(data.get(k) ?? '').trim()
  body.country = body.country.toUpperCase()
  return body
}

export async function organizationsScreen (main: HTMLElement, me: Me): Promise<void> {
  main.append(el('h1', {}, t('organizations')))
  main.append(el('p', { className: 'hint' }, t('organizationsCaption')))
  const r = await api('GET', '/organizations')
  const orgs: Organization[] = r.body?.items ?? []
  main.append(table('organizations', t('organizationsCaption'), [t('orgName'), t('shortName'), t('country'), t('kind')],
    orgs.map(o => [el('a', { href: `/#/organizations/${o.id}` }, o.name), o.short_name, o.country || '—', kindLabel(o.kind)])))
  if (!me.instance_secretariat) return
  const alert = formAlert('org-new-alert')
  const form = el('form', { id: 'org-new', className: 'inline-form', 'aria-labelledby': 'org-new-h' },
    el('h2', { id: 'org-new-h' }, t('addOrganization')), alert, ...orgFields('org-new'), el('button', { type: 'submit' }, t('add')))
  onSubmit(form, async data => {
    const body = orgBody(data)
    if (!body.website) delete body.website
    const res = await api('POST', '/organizations', body)
    if (res.status !== 201) { showProblem(form, alert, res); return }
    location.assign(`/#/organizations/${res.body.id}`)
  })
  main.append(form)
}

export async function organizationScreen (main: HTMLElement, me: Me, id: number): Promise<void> {
  const [org, members, invitations] = await Promise.all([
    api('GET', `/organizations/${id}`), api('GET', `/organizations/${id}/members`),
    me.instance_secretariat ? api('GET', '/invitations') : Promise.resolve({ status: 403, body: null })])
  main.append(el('p', {}, el('a', { href: '/#/organizations' }, `← ${t('organizations')}`)))
  if (org.status !== 200) {
    const alert = formAlert('org-alert')
    main.append(el('h1', {}, t('organization')), alert)
    showProblem(el('form'), alert, org)
    return
  }
  const o: Organization = org.body
  const status = el('p', { role: 'status', 'aria-live': 'polite', id: 'org-status', className: 'hint', tabIndex: -1 })
  main.append(el('h1', {}, `${o.name} (${o.short_name})`), status)
  const rerender = async (message: string) => {
    main.replaceChildren()
    await organizationScreen(main, me, id)
    const st = document.getElementById('org-status')
    if (st) { st.textContent = message; st.focus() }
  }
  const admin = me.instance_secretariat

  // Members.
  const list: Member[] = members.body?.items ?? []
  const rows = list.map(m => {
    const cells: Array<Node | string> = [m.display_name, m.email ?? '—']
    if (!admin) { cells.push(roleLabel(m.role)); return cells }
    cells.push(roleChanger(m, o, rerender))
    return cells
  })
  main.append(el('section', { 'aria-labelledby': 'members-h' }, el('h2', { id: 'members-h' }, t('members')),
    list.length ? table('members', tf('membersOf', { org: o.short_name }), [t('personName'), t('email'), t('role')], rows) : el('p', {}, t('noMembers'))))
  if (!admin) return

  main.append(inviteForm(o, rerender))

  // Pending invitations of this organization.
  const pending: Invitation[] = (invitations.body?.items ?? []).filter((i: Invitation) => i.kind === 'invitation' && i.organization_id === id)
  const section = el('section', { 'aria-labelledby': 'pending-h', id: 'pending' }, el('h2', { id: 'pending-h' }, t('pendingInvitations')))
  if (!pending.length) section.append(el('p', {}, t('noPending')))
  else {
    section.append(table('pending-table', t('pendingInvitations'), [t('email'), t('personName'), t('role'), t('expires'), t('actions')],
      pending.map(i => {
        const alert = formAlert(`inv-${i.id}-alert`)
        const revoke = confirmButton(t('revoke'), tf('revokeFor', { email: i.email }), async () => {
          const r = await api('DELETE', `/invitations/${i.id}`)
          if (r.status !== 204) { showProblem(el('form'), alert, r); return }
          await rerender(tf('invitationRevoked', { email: i.email }))
        })
        return [i.email, i.display_name, roleLabel(i.role ?? ''), formatDate(i.expires_at, currentLanguage()), el('span', {}, revoke, alert)]
      })))
  }
  main.append(section)

  // Edit the organization.
  const alert = formAlert('org-edit-alert')
  const form = el('form', { id: 'org-edit', className: 'inline-form', 'aria-labelledby': 'org-edit-h' },
    el('h2', { id: 'org-edit-h' }, t('editOrganization')), alert, ...orgFields('org-edit', o), el('button', { type: 'submit' }, t('save')))
  onSubmit(form, async data => {
    const res = await api('PATCH', `/organizations/${id}`, orgBody(data))
    if (res.status !== 200) { showProblem(form, alert, res); return }
    await rerender(t('savedChanges'))
  })
  main.append(form)
}

/**
 * The API has no "change role": a new membership with the new role is added, then the old one
 * removed (in that order, so that a failure never leaves the person without any role).
 */
function roleChanger (m: Member, o: Organization, rerender: (msg: string) => Promise<void>): HTMLElement {
  const prefix = `member-${m.id}`
  const alert = formAlert(`${prefix}-alert`)
  const select = el('select', { id: `${prefix}-role`, name: 'role', 'aria-label': tf('roleOf', { name: m.display_name }) },
    ...ROLES.map(r => el('option', { value: r, selected: r === m.role }, roleLabel(r))))
  const form = el('form', { className: 'role-form', id: prefix }, select, ' ', el('button', { type: 'submit', 'aria-label': tf('changeRoleOf', { name: m.display_name }) }, t('changeRole')))
  onSubmit(form, async data => {
    clearErrors(form, alert)
    const role = String(data.get('role'))
    if (role === m.role) return
    const add = await api('POST', '/memberships', { user_id: m.user_id, organization_id: o.id, role })
    if (add.status !== 201 && add.status !== 409) { showProblem(form, alert, add); return }
    const del = await api('DELETE', `/memberships/${m.id}`)
    if (del.status !== 204) { showProblem(form, alert, del); return }
    await rerender(tf('roleChanged', { name: m.display_name, role: roleLabel(role) }))
  })
  const remove = confirmButton(t('remove'), tf('removeMember', { name: m.display_name, role: roleLabel(m.role) }), async () => {
    const del = await api('DELETE', `/memberships/${m.id}`)
    if (del.status !== 204) { showProblem(form, alert, del); return }
    await rerender(tf('memberRemoved', { name: m.display_name }))
  })
  return el('div', { className: 'member-actions' }, form, remove, alert)
}

function inviteForm (o: Organization, rerender: (msg: string) => Promise<void>): HTMLElement {
  const alert = formAlert('invite-alert')
  const result = el('div', { id: 'invite-result' })
  const form = el('form', { id: 'invite', className: 'inline-form', 'aria-labelledby': 'invite-h' },
    el('h2', { id: 'invite-h' }, tf('inviteTo', { org: o.short_name })), alert,
    field('invite', { name: 'email', label: t('email'), type: 'email', required: true, autocomplete: 'off' }),
    field('invite', { name: 'display_name', label: t('personName'), maxLength: 100 }),
    field('invite', { name: 'role', label: t('role'), required: true, value: 'delegate', options: ROLES.map(r => [r, roleLabel(r)]) }),
    el('button', { type: 'submit' }, t('sendInvitation')), result)
  onSubmit(form, async data => {
    const body: Record<string, unknown> = { email: String(data.get('email')).trim(), organization_id: o.id, role: String(data.get('role')) }
    const name = String(data.get('display_name') ?? '').trim()
    if (name) body.display_name = name
    const r = await api('POST', '/invitations', body)
    if (r.status !== 201) { showProblem(form, alert, r); return }
    const email = String(body.email)
    await rerender(tf('invited', { email }))
    // After the re-render the link (shown once: the server keeps only its hash) goes under the new form.
    const box = document.getElementById('invite-result')
    if (!box) return
    if (r.body.link) box.replaceChildren(copyBox('invite-link', r.body.link, tf('inviteLinkIntro', { email })))
    else box.replaceChildren(el('p', { role: 'status' }, tf('invitationMailed', { email })))
  })
  return form
}
