// The public page's "Verify" section: downloads the statement's verification bundle, checks it
// in this browser (bundle-verify.ts) against the list the page shows and the checkpoint this
// browser verified last time (localStorage), and reports each check in words and symbols
// (never colour alone). A download link gives the same bundle for offline checking with
// `accord verify`.
import { el } from './dom'
import { t, tf, currentLanguage, type MessageKey } from './i18n'
import { formatDate } from './model'
import { CHECKS, countSignatories, verifyBundle, type CheckName, type Finding, type VerifyResult } from './bundle-verify'
import { bundleFileName, bundleHref, rememberCheckpoint, rememberedCheckpoint, type Endorsement, type ManifestReply } from './public-model'

const checkLabel = (c: CheckName) => t(`vc_${c.replace(/-/g, '_')}` as MessageKey)
const problemLabel = (p: string) => t(`vp_${p.replace(/-/g, '_')}` as MessageKey)

/** "entry 5 (CGT)", "en", … — what a finding is about, or ''. */
function subjectOf (f: Finding): string {
  const parts: string[] = []
  if (f.index !== undefined) parts.push(tf('vfEntry', { n: String(f.index) }))
  if (f.subject) parts.push(f.index !== undefined ? `(${f.subject})` : f.subject)
  return parts.join(' ')
}

function checkItem (check: CheckName, findings: Finding[]): HTMLLIElement {
  const failed = findings.filter(f => !f.ok)
  const ok = failed.length === 0
  const li = el('li', { 'data-check': check, 'data-ok': String(ok), className: ok ? 'check-ok' : 'check-failed' },
    el('span', { className: 'mark', 'aria-hidden': 'true' }, ok ? '✓' : '✗'), ' ',
    el('strong', {}, ok ? t('vfPassed') : t('vfFailed')), ` — ${checkLabel(check)}`)
  if (ok) {
    li.append(` (${findings.length})`)
    return li
  }
  const ul = el('ul', {})
  for (const f of failed) {
    const subject = subjectOf(f)
    ul.append(el('li', { 'data-problem': f.problem ?? '' }, `${subject ? subject + ': ' : ''}${f.problem ? problemLabel(f.problem) : t('vfFailed')}`))
  }
  li.append(ul)
  return li
}

function renderResult (out: HTMLElement, r: VerifyResult, previous: { size: number, verifiedAt: string } | null): void {
  const failed = r.findings.filter(f => !f.ok)
  const counts = countSignatories(r.signatories)
  const heading = el('h3', { id: 'verify-result-h', tabIndex: -1 },
    el('span', { 'aria-hidden': 'true' }, r.ok ? '✓ ' : '✗ '),
    r.ok ? t('vfAllPassed') : tf('vfSomeFailed', { n: String(new Set(failed.map(f => f.check)).size) }))
  const summary = el('p', { id: 'verify-summary' }, tf('vfSummary', {
    valid: String(counts.signed + counts.withdrawn), withdrawn: String(counts.withdrawn), size: String(r.checkpoint?.size ?? '?')
  }))
  const list = el('ul', { id: 'verify-checks', className: 'checks' })
  // Failed checks first: they are what the reader needs.
  const ran = CHECKS.map(c => [c, r.findings.filter(f => f.check === c)] as const).filter(([, fs]) => fs.length > 0)
  for (const [c, fs] of [...ran.filter(([, fs]) => fs.some(f => !f.ok)), ...ran.filter(([, fs]) => fs.every(f => f.ok))]) list.append(checkItem(c, fs))
  out.replaceChildren(heading, summary)
  if (r.logKey) out.append(el('p', { className: 'hint' }, t('vfLogKey'), ' ', el('code', { id: 'verify-log-key', className: 'hash' }, r.logKey)))
  if (previous) {
    const ext = r.findings.find(f => f.check === 'previous')
    out.append(el('p', { id: 'verify-previous' }, ext?.ok
      ? tf('vfExtends', { size: String(previous.size), date: formatDate(previous.verifiedAt, currentLanguage()) })
      : tf('vfNotExtends', { size: String(previous.size), date: formatDate(previous.verifiedAt, currentLanguage()) })))
  } else {
    out.append(el('p', { id: 'verify-previous', className: 'hint' }, t('vfFirstTime')))
  }
  out.append(list)
  out.dataset.ok = String(r.ok)
  out.hidden = false
  heading.focus()
}

export function verifySection (slug: string, reply: ManifestReply, listed: () => Endorsement[]): HTMLElement {
  const button = el('button', { type: 'button', id: 'verify-button' }, t('vfVerify'))
  const status = el('p', { id: 'verify-status', role: 'status', 'aria-live': 'polite', className: 'hint' })
  const out = el('div', { id: 'verify-result', className: 'verify-result', hidden: true })
  const download = el('a', { href: bundleHref(slug), download: bundleFileName(slug), id: 'bundle-download' }, t('vfDownload'))
  const origin = reply.manifest.instance.origin
  button.addEventListener('click', async () => {
    button.disabled = true
    out.hidden = true
    status.textContent = t('vfDownloading')
    try {
      let bundle: unknown
      try {
        const res = await fetch(bundleHref(slug), { credentials: 'same-origin' })
        if (!res.ok) throw new Error(String(res.status))
        bundle = JSON.parse(await res.text())
      } catch {
        status.textContent = t('vfDownloadFailed')
        return
      }
      status.textContent = t('vfChecking')
      const previous = rememberedCheckpoint(localStorage, origin)
      const r = await verifyBundle(bundle, {
        previousCheckpoint: previous?.note ?? null,
        manifestSha256: reply.manifest_sha256,
        listed: listed().map(e => ({ log_index: e.log_index, endorsement_sha256: e.endorsement_sha256, withdrawal: e.withdrawal ? { log_index: e.withdrawal.log_index } : null }))
      })
      // Only a log that verified becomes the reference for next time.
      if (r.ok && r.checkpoint) rememberCheckpoint(localStorage, origin, { note: r.checkpoint.note, size: r.checkpoint.size, verifiedAt: new Date().toISOString() })
      status.textContent = r.ok ? t('vfAllPassed') : t('vfFailedShort')
      renderResult(out, r, previous)
    } finally {
      button.disabled = false
    }
  })
  return el('section', { 'aria-labelledby': 'verify-h', id: 'verify' },
    el('h2', { id: 'verify-h' }, t('vfTitle')),
    el('p', {}, t('vfIntro')),
    el('p', { className: 'verify-actions' }, button, ' ', download),
    el('p', { className: 'hint' }, t('vfOffline'), ' ', el('code', {}, `accord verify ${bundleFileName(slug)}`)),
    status, out)
}
