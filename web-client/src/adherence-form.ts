// "Ask to adhere": the form on the public page of a final statement open for signature, for
// an organization the instance does not know yet (SIGNON-CONTRACT section 5). No third-party
// anti-spam service: a hidden honeypot field people never fill, and a proof of work (pow.ts)
// on a challenge fetched from the server, started as soon as someone begins filling the form
// so that it is usually done by the time they send it. The server refuses a challenge younger
// than 3 s (people take longer to fill a form), so sending waits for that too.
import { el } from './dom'
import { t, tf } from './i18n'
import { field, formAlert, clearErrors, showProblem, showMessage } from './forms'
import { solveChallenge } from './pow'
import type { Answer } from './api'

export const ORG_KINDS = ['union', 'party', 'movement', 'ngo', 'other'] as const

interface Challenge { challenge: string, difficulty: number, expires_at: string, not_before?: string }
interface Solved { challenge: Challenge, nonce: string, notBefore: number }

const MIN_AGE_MS = 3200 // the server's 3 s, with a margin for clock steps
const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

async function post (path: string, body: unknown): Promise<Answer & { retryAfter: number | null }> {
  try {
    const res = await fetch('/api/v1' + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', body: JSON.stringify(body) })
    const text = await res.text()
    let parsed: unknown = null
    try { parsed = text ? JSON.parse(text) : null } catch { parsed = null }
    const ra = Number(res.headers.get('Retry-After'))
    return { status: res.status, body: parsed, retryAfter: Number.isFinite(ra) && ra > 0 ? ra : null }
  } catch {
    return { status: 0, body: null, retryAfter: null }
  }
}

/** "in 5 minutes" / "in 40 seconds" for a Retry-After. */
export function waitText (seconds: number): string {
  return seconds >= 90 ? tf('adhRetryMinutes', { n: String(Math.ceil(seconds / 60)) }) : tf('adhRetrySeconds', { n: String(seconds) })
}

export function adherenceSection (slug: string): HTMLElement {
  const base = `/statements/${encodeURIComponent(slug)}`
  const alert = formAlert('adhere-alert')
  const progress = el('p', { id: 'adhere-progress', role: 'status', 'aria-live': 'polite', className: 'hint' })
  const f = (name: string, apiField: string, spec: Omit<Parameters<typeof field>[1], 'name'>) => {
    const wrap = field('adhere', { name, ...spec })
    wrap.querySelector('input,select')!.setAttribute('data-api-field', apiField)
    return wrap
  }
  const message = el('textarea', { id: 'adhere-message', name: 'message', rows: 4, maxLength: 2000, 'data-api-field': 'message', 'aria-describedby': 'adhere-message-hint' })
  // The honeypot: out of sight and out of the keyboard order and of the accessibility tree,
  // so only software that fills every field fills it.
  const trap = el('div', { className: 'hp', 'aria-hidden': 'true' },
    el('label', { for: 'adhere-website_confirm' }, t('adhHoneypot')),
    el('input', { id: 'adhere-website_confirm', name: 'website_confirm', type: 'text', tabIndex: -1, autocomplete: 'off', value: '' }))
  const submit = el('button', { type: 'submit', id: 'adhere-submit' }, t('adhSend'))
  const form = el('form', { id: 'adhere-form', className: 'inline-form', 'aria-labelledby': 'adhere-h', noValidate: false },
    alert,
    el('fieldset', {}, el('legend', {}, t('adhOrganization')),
      f('org_name', 'organization.name', { label: t('adhOrgName'), required: true, maxLength: 200, autocomplete: 'organization' }),
      f('org_short_name', 'organization.short_name', { label: t('adhOrgShortName'), required: true, maxLength: 32, hint: t('adhOrgShortNameHint') }),
      f('org_country', 'organization.country', { label: t('adhCountry'), maxLength: 2, pattern: '[A-Za-z]{2}', hint: t('adhCountryHint'), autocomplete: 'country' }),
      f('org_kind', 'organization.kind', { label: t('adhKind'), required: true, value: 'movement', options: ORG_KINDS.map(k => [k, t(`adhKind_${k}`)]) }),
      f('org_website', 'organization.website', { label: t('adhWebsite'), type: 'url', maxLength: 300, placeholder: 'https://' })),
    el('fieldset', {}, el('legend', {}, t('adhSignatory')),
      f('sig_name', 'signatory.name', { label: t('adhSigName'), required: true, maxLength: 100, autocomplete: 'name' }),
      f('sig_title', 'signatory.title', { label: t('adhSigTitle'), maxLength: 100 }),
      f('sig_email', 'signatory.email', { label: t('adhSigEmail'), type: 'email', required: true, maxLength: 254, autocomplete: 'email', hint: t('adhSigEmailHint') })),
    el('div', { className: 'field' }, el('label', { for: 'adhere-message' }, t('adhMessage'), ` (${t('optional')})`),
      el('span', { className: 'hint', id: 'adhere-message-hint' }, t('adhMessageHint')), message,
      el('span', { className: 'field-error', id: 'adhere-message-error', hidden: true })),
    trap,
    el('p', {}, submit),
    progress)
  const section = el('section', { 'aria-labelledby': 'adhere-h', id: 'adhere' },
    el('h2', { id: 'adhere-h' }, t('adhTitle')), el('p', {}, t('adhIntro')), form)

  // The proof of work, started once and redone when its challenge is spent or too old.
  let work: Promise<Solved> | null = null
  const solve = async (): Promise<Solved> => {
    const r = await fetch(`/api/v1${base}/adherence-challenge`, { credentials: 'same-origin' }).catch(() => null)
    if (!r || !r.ok) throw new Error('challenge')
    const c: Challenge = await r.json()
    const received = Date.now()
    const notBefore = Math.max(received + MIN_AGE_MS, c.not_before ? Date.parse(c.not_before) : 0)
    const expected = 2 ** c.difficulty
    const nonce = await solveChallenge(c.challenge, c.difficulty, {
      onProgress: n => { if (busy) progress.textContent = tf('adhWorking', { pct: String(Math.min(99, Math.floor(100 * n / expected))) }) }
    })
    return { challenge: c, nonce, notBefore }
  }
  const start = () => { work ??= solve(); work.catch(() => { work = null }) }
  const fresh = (s: Solved) => Date.parse(s.challenge.expires_at) - Date.now() > 60_000
  let busy = false
  form.addEventListener('focusin', start, { once: true })

  const value = (name: string) => String(new FormData(form).get(name) ?? '').trim()
  const requestBody = (s: Solved) => {
    const body: Record<string, unknown> = {
      organization: { name: value('org_name'), short_name: value('org_short_name'), country: value('org_country').toUpperCase(), kind: value('org_kind'), website: value('org_website') },
      signatory: { name: value('sig_name'), title: value('sig_title'), email: value('sig_email') },
      message: value('message'),
      challenge: s.challenge.challenge,
      nonce: s.nonce
    }
    // What a person never fills is sent only when filled (the server then refuses it).
    const hp = (form.querySelector('[name=website_confirm]') as HTMLInputElement).value
    if (hp) body.website_confirm = hp
    return body
  }

  form.addEventListener('submit', async e => {
    e.preventDefault()
    if (busy) return
    busy = true
    submit.disabled = true
    clearErrors(form, alert)
    try {
      progress.textContent = t('adhPreparing')
      for (let attempt = 0; attempt < 3; attempt++) {
        start()
        let solved: Solved
        try { solved = await work! } catch { showMessage(alert, t('adhChallengeFailed')); alert.focus?.(); return }
        if (!fresh(solved)) { work = null; continue }
        const wait = solved.notBefore - Date.now()
        if (wait > 0) { progress.textContent = t('adhAlmost'); await sleep(wait) }
        progress.textContent = t('adhSending')
        const r = await post(`${base}/adherence-requests`, requestBody(solved))
        // Spent either way: the next try needs a new challenge.
        work = null
        const type = String(r.body?.type ?? '').replace(/^\/problems\//, '')
        if (r.status === 202) { done(r.body?.id); return }
        if (r.status === 429) {
          progress.textContent = ''
          showMessage(alert, `${t('adhTooMany')} ${r.retryAfter ? waitText(r.retryAfter) : ''}`.trim())
          alert.focus?.()
          return
        }
        if (['challenge-too-early', 'challenge-expired', 'challenge-invalid', 'challenge-not-solved', 'challenge-used'].includes(type)) {
          if (type === 'challenge-too-early') await sleep(MIN_AGE_MS)
          continue
        }
        progress.textContent = ''
        if (type === 'request-refused') { showMessage(alert, t('adhRefused')); alert.focus?.(); return }
        showProblem(form, alert, r)
        return
      }
      progress.textContent = ''
      showMessage(alert, t('adhChallengeFailed'))
      alert.focus?.()
    } finally {
      busy = false
      submit.disabled = false
    }
  })

  const done = (id: unknown) => {
    const email = value('sig_email')
    const thanks = el('div', { id: 'adhere-done', className: 'notice', role: 'status', tabIndex: -1, 'data-request': String(id ?? '') },
      el('h3', {}, t('adhThanksTitle')), el('p', {}, tf('adhThanks', { email })))
    form.replaceWith(thanks)
    thanks.focus()
  }
  return section
}
