// Accessible form building blocks shared by the screens: labelled fields with their own error
// line (aria-invalid + aria-describedby), a form-level alert, problem+json display, busy
// submit buttons, a two-step confirm button and a copyable link box.
import { el } from './dom'
import { t } from './i18n'
import { problemView } from './model'
import type { Answer } from './api'

export interface FieldSpec {
  name: string // the API field, also the input's name
  label: string
  type?: string
  value?: string
  required?: boolean
  autocomplete?: AutoFill
  hint?: string
  options?: Array<[string, string]> // a <select>: [value, label]
  pattern?: string
  maxLength?: number
  placeholder?: string
}

/** One labelled field; its id is `<formId>-<name>`, its error line `<id>-error`. */
export function field (formId: string, f: FieldSpec): HTMLElement {
  const id = `${formId}-${f.name}`
  const describedBy: string[] = []
  const hint = f.hint ? el('span', { className: 'hint', id: `${id}-hint` }, f.hint) : null
  if (hint) describedBy.push(hint.id)
  const error = el('span', { className: 'field-error', id: `${id}-error`, hidden: true })
  let control: HTMLInputElement | HTMLSelectElement
  if (f.options) {
    control = el('select', { id, name: f.name })
    for (const [v, label] of f.options) control.append(el('option', { value: v, selected: v === f.value }, label))
  } else {
    control = el('input', { id, name: f.name, type: f.type ?? 'text', value: f.value ?? '' })
    if (f.autocomplete) control.autocomplete = f.autocomplete
    if (f.pattern) control.pattern = f.pattern
    if (f.maxLength) control.maxLength = f.maxLength
    if (f.placeholder) control.placeholder = f.placeholder
  }
  control.required = !!f.required
  if (describedBy.length) control.setAttribute('aria-describedby', describedBy.join(' '))
  const label = el('label', { for: id }, f.label, f.required ? '' : ` (${t('optional')})`)
  return el('div', { className: 'field' }, label, ...(hint ? [hint] : []), control, error)
}

export function formAlert (id: string): HTMLParagraphElement {
  return el('p', { className: 'notice', role: 'alert', id, hidden: true })
}

export function clearErrors (form: HTMLFormElement, alert: HTMLElement): void {
  alert.hidden = true
  alert.textContent = ''
  for (const c of form.querySelectorAll<HTMLElement>('[aria-invalid="true"]')) {
    c.removeAttribute('aria-invalid')
    const err = document.getElementById(`${c.id}-error`)
    if (err) { err.hidden = true; err.textContent = '' }
    c.setAttribute('aria-describedby', (c.getAttribute('aria-describedby') ?? '').split(' ').filter(x => x && x !== `${c.id}-error`).join(' '))
  }
}

/**
 * Shows a failed answer: each field error next to its field (`data-api-field` on a control
 * maps an API field name to another input name), the rest in the alert. Focus moves to the
 * first wrong field so keyboard and screen-reader users land on it.
 */
export function showProblem (form: HTMLFormElement, alert: HTMLElement, answer: Answer): void {
  clearErrors(form, alert)
  const view = problemView(answer.status, answer.body)
  const unplaced: string[] = []
  let first: HTMLElement | null = null
  for (const [name, message] of Object.entries(view.fields)) {
    const control = form.querySelector<HTMLElement>(`[data-api-field="${CSS.escape(name)}"]`) ?? form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`)
    const err = control && document.getElementById(`${control.id}-error`)
    if (!control || !err) { unplaced.push(`${name}: ${message}`); continue }
    control.setAttribute('aria-invalid', 'true')
    control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby') ?? '', err.id].join(' ').trim())
    err.textContent = message
    err.hidden = false
    first ??= control
  }
  alert.textContent = [view.message, ...unplaced].join(' ')
  alert.hidden = false
  ;(first ?? alert).focus?.()
}

export function showMessage (alert: HTMLElement, message: string): void {
  alert.textContent = message
  alert.hidden = false
}

/** Runs `work` on submit with the submit button disabled meanwhile. */
export function onSubmit (form: HTMLFormElement, work: (data: FormData) => Promise<void>): void {
  form.addEventListener('submit', async e => {
    e.preventDefault()
    const buttons = form.querySelectorAll<HTMLButtonElement>('button[type=submit]')
    buttons.forEach(b => { b.disabled = true })
    try { await work(new FormData(form)) } finally { buttons.forEach(b => { b.disabled = false }) }
  })
}

/** A button that asks once more before a destructive action (no modal: the label changes and is announced). */
export function confirmButton (label: string, accessibleName: string, action: () => Promise<void>): HTMLButtonElement {
  const b = el('button', { type: 'button', className: 'danger', 'aria-label': accessibleName }, label)
  let armed = false
  b.addEventListener('click', async () => {
    if (!armed) {
      armed = true
      b.textContent = t('confirmAgain')
      b.setAttribute('aria-label', `${t('confirmAgain')} — ${accessibleName}`)
      return
    }
    b.disabled = true
    await action()
    b.disabled = false
  })
  b.addEventListener('blur', () => { if (armed) { armed = false; b.textContent = label; b.setAttribute('aria-label', accessibleName) } })
  return b
}

/** A read-only link with a copy button (invitation links when the instance sends no mail). */
export function copyBox (id: string, link: string, intro: string): HTMLElement {
  const input = el('input', { id, value: link, readOnly: true, type: 'text', className: 'copy-input', 'aria-label': intro })
  const status = el('span', { className: 'hint', role: 'status', 'aria-live': 'polite' })
  const copy = el('button', { type: 'button', id: `${id}-copy` }, t('copy'))
  copy.addEventListener('click', async () => {
    input.select()
    try {
      await navigator.clipboard.writeText(link)
      status.textContent = t('copied')
    } catch {
      // Clipboard API refused (plain http, permissions): the text is selected; Ctrl+C works.
      status.textContent = t('copyManually')
    }
  })
  return el('div', { className: 'copy-box' }, el('p', {}, intro), el('div', { className: 'copy-row' }, input, copy), status)
}

/** A table whose cells carry their column name, so that narrow screens show rows as labelled blocks. */
export function dataTable (id: string, caption: string, headers: string[], rows: Array<Array<Node | string>>): HTMLElement {
  const head = el('tr', {}, ...headers.map(h => el('th', { scope: 'col' }, h)))
  const body = rows.map(r => el('tr', {}, ...r.map((c, i) => el('td', { 'data-label': headers[i] }, c))))
  // The caption names the table for screen readers; the heading above already shows it.
  return el('table', { id, className: 'data' }, el('caption', { className: 'sr-only' }, caption), el('thead', {}, head), el('tbody', {}, ...body))
}

/** A button that copies `text` and says so in `status` (or asks for Ctrl+C when the clipboard is refused). */
export function copyButton (text: string, accessibleName: string, status: HTMLElement, label = t('copy')): HTMLButtonElement {
  const b = el('button', { type: 'button', 'aria-label': accessibleName, className: 'copy' }, label)
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text)
      status.textContent = t('copied')
    } catch {
      status.textContent = `${t('copyFailed')} ${text}`
    }
  })
  return b
}
