// Account screens over the REST API (/api/v1, proto/openapi.yaml): sign in, accept an
// invitation (/invite#TOKEN), set a new password (/reset#TOKEN). Link tokens travel in the URL fragment, which browsers never
// send to a server, and are removed from the address bar once read.
import { el } from './dom'
import { t } from './i18n'
import { problemView, roleLabel } from './model'
import { api, setCsrf } from './api'
import { clearErrors, formAlert, onSubmit, showMessage, showProblem } from './forms'

// A labelled input with its own error line; `apiField` names the API field it answers for.
function input (id: string, label: string, type: string, autocomplete: AutoFill, value = '', apiField = id): HTMLElement {
  const control = el('input', { id, name: id, type, autocomplete, value, required: true, 'data-api-field': apiField })
  return el('div', { className: 'field' }, el('label', { for: id }, label), control, el('span', { className: 'field-error', id: `${id}-error`, hidden: true }))
}

type Show = (main: HTMLElement) => void

export function signInScreen (show: Show, done: () => void): void {
  const error = formAlert('form-error')
  const form = el('form', { className: 'card', id: 'signin' }, el('h1', {}, t('signInTitle')), error,
    input('email', t('email'), 'email', 'username'), input('password', t('password'), 'password', 'current-password'),
    el('button', { type: 'submit' }, t('signIn')))
  onSubmit(form, async data => {
    const r = await api('POST', '/session', { email: String(data.get('email')), password: String(data.get('password')) })
    if (r.status === 201) { setCsrf(r.body.csrf_token); done(); return }
    if (r.status === 401) { clearErrors(form, error); showMessage(error, t('signInFailed')); (form.querySelector('#password') as HTMLInputElement).select(); return }
    showProblem(form, error, r)
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
  const error = formAlert('form-error')
  const info = await api('POST', '/invitations/inspect', { token: link })
  if (info.status !== 200 || info.body.kind !== kind) {
    show(el('div', { className: 'card' }, el('h1', {}, t('linkProblem')), el('p', { role: 'alert', className: 'notice' }, problemView(info.status, info.body).message),
      el('p', {}, el('a', { href: '/signin' }, t('signIn')))))
    return
  }
  const invite = kind === 'invitation'
  const fields: HTMLElement[] = [el('h1', {}, invite ? t('inviteTitle') : t('resetTitle'))]
  if (invite) {
    const org = info.body.organization
    fields.push(el('p', { id: 'invite-for' }, `${t('inviteFor')} ${org ? `${org.name} (${org.short_name})` : ''} — ${roleLabel(info.body.role)}`))
  }
  fields.push(el('p', {}, `${t('email')}: `, el('strong', {}, info.body.email)))
  fields.push(error)
  if (invite) fields.push(input('display_name', t('yourName'), 'text', 'name', info.body.display_name ?? ''))
  fields.push(el('p', { className: 'hint', id: 'password-rule' }, t('passwordRule')))
  fields.push(input('new_password', t('newPassword'), 'password', 'new-password', '', 'password'))
  fields.push(input('repeat_password', t('repeatPassword'), 'password', 'new-password', '', 'repeat_password'))
  fields.push(el('button', { type: 'submit' }, t('setPassword')))
  const form = el('form', { className: 'card', id: 'link-form' }, ...fields)
  form.querySelector('#new_password')!.setAttribute('aria-describedby', 'password-rule')
  onSubmit(form, async data => {
    const password = String(data.get('new_password'))
    if (password !== String(data.get('repeat_password'))) {
      showProblem(form, error, { status: 422, body: { type: '/problems/validation-failed', errors: [{ field: 'repeat_password', message: t('passwordsDiffer') }] } })
      return
    }
    const r = invite
      ? await api('POST', '/invitations/accept', { token: link, password, display_name: String(data.get('display_name')), language: document.documentElement.lang })
      : await api('POST', '/password-resets/complete', { token: link, password })
    if (r.status !== 201 && r.status !== 200) { showProblem(form, error, r); return }
    sessionStorage.removeItem('accord.link')
    const signed = await api('POST', '/session', { email: info.body.email, password })
    if (signed.status === 201) setCsrf(signed.body.csrf_token)
    done()
  })
  show(form)
}
