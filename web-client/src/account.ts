// Account screens over the REST API (/api/v1, proto/openapi.yaml): sign in, accept an
// invitation (/invite#TOKEN), set a new password (/reset#TOKEN), and the signed-in home with
// the statements one may read. Link tokens travel in the URL fragment, which browsers never
// send to a server, and are removed from the address bar once read.
import { el } from './dom'
import { t } from './i18n'

export interface Me {
  user: { id: number, email: string, display_name: string, language: string }
  memberships: Array<{ role: string, organization?: { short_name: string, name: string } }>
  instance_secretariat: boolean
  csrf_token: string | null
}

interface Problem { title?: string, detail?: string, errors?: Array<{ field: string, message: string }> }

let csrf: string | null = null

export async function api (method: string, path: string, body?: unknown): Promise<{ status: number, body: any }> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf
  const res = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  let parsed: unknown = null
  try { parsed = text ? JSON.parse(text) : null } catch { parsed = null }
  return { status: res.status, body: parsed }
}

// The signed-in user, or null.
export async function currentUser (): Promise<Me | null> {
  const r = await api('GET', '/session')
  if (r.status !== 200) return null
  csrf = r.body.csrf_token
  return r.body as Me
}

function problemText (body: Problem | null): string {
  if (!body) return t('somethingWrong')
  if (body.errors?.length) return body.errors.map(e => `${e.field}: ${e.message}`).join('; ')
  return body.detail ?? body.title ?? t('somethingWrong')
}

function input (id: string, label: string, type: string, autocomplete: AutoFill, value = ''): HTMLElement {
  return el('p', {}, el('label', { for: id }, label), el('input', { id, name: id, type, autocomplete, value, required: true }))
}

function errorLine (): HTMLParagraphElement {
  return el('p', { className: 'notice', role: 'alert', id: 'form-error', hidden: true })
}

function fail (line: HTMLParagraphElement, text: string): void {
  line.textContent = text
  line.hidden = false
}

type Show = (main: HTMLElement) => void

export function signInScreen (show: Show, done: () => void): void {
  const error = errorLine()
  const form = el('form', { className: 'card', id: 'signin' }, el('h1', {}, t('signInTitle')), error,
    input('email', t('email'), 'email', 'username'), input('password', t('password'), 'password', 'current-password'),
    el('button', { type: 'submit' }, t('signIn')))
  form.addEventListener('submit', async e => {
    e.preventDefault()
    const data = new FormData(form)
    const r = await api('POST', '/session', { email: String(data.get('email')), password: String(data.get('password')) })
    if (r.status === 201) { csrf = r.body.csrf_token; done(); return }
    fail(error, r.status === 401 ? t('signInFailed') : problemText(r.body))
  })
  show(form)
}

// /invite#TOKEN and /reset#TOKEN.
export async function linkScreen (show: Show, kind: 'invitation' | 'password-reset', done: () => void): Promise<void> {
  const token = location.hash.slice(1)
  if (token) {
    sessionStorage.setItem('accord.link', token)
    history.replaceState(null, '', location.pathname)  // the token leaves the address bar
  }
  const link = token || sessionStorage.getItem('accord.link') || ''
  const error = errorLine()
  const info = await api('POST', '/invitations/inspect', { token: link })
  if (info.status !== 200 || info.body.kind !== kind) {
    show(el('div', { className: 'card' }, el('h1', {}, t('linkProblem')), el('p', { role: 'alert' }, problemText(info.body)),
      el('p', {}, el('a', { href: '/signin' }, t('signIn')))))
    return
  }
  const invite = kind === 'invitation'
  const fields: HTMLElement[] = [el('h1', {}, invite ? t('inviteTitle') : t('resetTitle'))]
  if (invite) {
    const org = info.body.organization
    fields.push(el('p', { id: 'invite-for' }, `${t('inviteFor')} ${org ? `${org.name} (${org.short_name})` : ''} — ${info.body.role}`))
  }
  fields.push(el('p', {}, `${t('email')}: `, el('strong', {}, info.body.email)))
  fields.push(error)
  if (invite) fields.push(input('display_name', t('yourName'), 'text', 'name', info.body.display_name ?? ''))
  fields.push(input('new_password', t('newPassword'), 'password', 'new-password'))
  fields.push(input('repeat_password', t('repeatPassword'), 'password', 'new-password'))
  fields.push(el('p', { className: 'hint' }, t('passwordRule')))
  fields.push(el('button', { type: 'submit' }, t('setPassword')))
  const form = el('form', { className: 'card', id: 'link-form' }, ...fields)
  form.addEventListener('submit', async e => {
    e.preventDefault()
    const data = new FormData(form)
    const password = String(data.get('new_password'))
    if (password !== String(data.get('repeat_password'))) { fail(error, t('passwordsDiffer')); return }
    const r = invite
      ? await api('POST', '/invitations/accept', { token: link, password, display_name: String(data.get('display_name')), language: document.documentElement.lang })
      : await api('POST', '/password-resets/complete', { token: link, password })
    if (r.status !== 201 && r.status !== 200) { fail(error, problemText(r.body)); return }
    sessionStorage.removeItem('accord.link')
    const signed = await api('POST', '/session', { email: info.body.email, password })
    if (signed.status === 201) csrf = signed.body.csrf_token
    done()
  })
  show(form)
}

export async function homeScreen (show: Show, me: Me, signedOut: () => void): Promise<void> {
  const orgs = me.memberships.map(m => `${m.organization?.short_name ?? '?'} (${m.role})`).join(', ')
  const out = el('button', { type: 'button', id: 'signout' }, t('signOut'))
  out.addEventListener('click', async () => { await api('DELETE', '/session'); csrf = null; signedOut() })
  const list = el('ul', { id: 'statements' })
  const statements = await api('GET', '/statements')
  for (const s of statements.body?.items ?? []) {
    list.append(el('li', {}, el('a', { href: `/d/${encodeURIComponent(s.document)}` }, s.title), ` — ${s.phase}`))
  }
  if (!list.childElementCount) list.append(el('li', {}, t('noStatements')))
  show(el('div', { className: 'card', id: 'home' },
    el('p', { id: 'signed-in-as' }, `${t('signedInAs')} ${me.user.display_name} — ${orgs}`), out,
    el('h1', {}, t('statements')), list))
}
