// The public page of a final statement, "/s/<slug>" (no sign-in needed): its title and text,
// the manifest hash that signatories sign, the counts, and the live list of signatories,
// polled every POLL_MS with new ones (and withdrawals) announced through an aria-live region;
// then the "Verify" action (verify-view.ts) and, while the statement is open for signature,
// the form to ask to adhere (adherence-form.ts).
import { el } from './dom'
import { t, tf, currentLanguage } from './i18n'
import { api } from './api'
import { shell } from './shell'
import { safeHtml } from './safe-html'
import { formatDate, type Me } from './model'
import { countsOf, inLogOrder, listChanges, type Endorsement, type EndorsementsReply, type ManifestReply } from './public-model'
import { verifySection } from './verify-view'
import { adherenceSection } from './adherence-form'
import './public-page.css'

export const POLL_MS = 10_000

const timeEl = (iso: string) => el('time', { dateTime: iso }, formatDate(iso, currentLanguage()))

function countsText (list: readonly Endorsement[]): string {
  const c = countsOf(list)
  return tf('pubCounts', { signed: String(c.signed), reservations: String(c.withReservations), withdrawn: String(c.withdrawn) })
}

/** One row per endorsement; a withdrawn one is struck through AND says so in words. */
function signatoryRows (list: readonly Endorsement[]): HTMLTableRowElement[] {
  const headers = [t('pubOrganization'), t('pubCountry'), t('pubSignatory'), t('pubSignatoryTitle'), t('pubSignedAt'), t('pubReservations')]
  return inLogOrder(list).map(e => {
    const name: Node = e.withdrawal ? el('s', {}, e.organization.name) : document.createTextNode(e.organization.name)
    const org = el('td', { 'data-label': headers[0] }, name)
    if (e.withdrawal) {
      org.append(' ', el('strong', { className: 'withdrawn-mark' }, `[${t('pubWithdrawn')}]`))
      if (e.withdrawal.reason) org.append(el('span', { className: 'hint' }, `${t('pubWithdrawalReason')}: ${e.withdrawal.reason}`))
    }
    const reservations = e.kind === 'adheres-with-reservations'
      ? el('td', { 'data-label': headers[5], className: 'reservations' }, e.reservations ?? '')
      : el('td', { 'data-label': headers[5] }, t('pubNoReservations'))
    return el('tr', { 'data-id': String(e.id), 'data-withdrawn': String(!!e.withdrawal), className: e.withdrawal ? 'withdrawn' : '' },
      org,
      el('td', { 'data-label': headers[1] }, e.organization.country || '—'),
      el('td', { 'data-label': headers[2] }, e.signatory.name),
      el('td', { 'data-label': headers[3] }, e.signatory.title),
      el('td', { 'data-label': headers[4] }, timeEl(e.signed_at)),
      reservations)
  })
}

function signatoryTable (): { table: HTMLTableElement, body: HTMLTableSectionElement } {
  const headers = [t('pubOrganization'), t('pubCountry'), t('pubSignatory'), t('pubSignatoryTitle'), t('pubSignedAt'), t('pubReservations')]
  const body = el('tbody', {})
  const table = el('table', { id: 'signatory-table', className: 'data' },
    el('caption', { className: 'sr-only' }, t('pubSignatories')),
    el('thead', {}, el('tr', {}, ...headers.map(h => el('th', { scope: 'col' }, h)))), body)
  return { table, body }
}

function notPublished (main: HTMLElement, status: number): void {
  main.append(el('h1', {}, t('pubNotPublishedTitle')),
    el('p', { className: 'notice', role: 'alert', id: 'public-error' }, status === 404 ? t('pubNotPublished') : t('somethingWrong')))
}

export async function publicPage (app: HTMLElement, slug: string, me: Me | null): Promise<void> {
  const main = shell(app, { me })
  main.classList.add('public-page')
  main.setAttribute('aria-busy', 'true')
  const base = `/statements/${encodeURIComponent(slug)}`
  const [mr, er] = await Promise.all([api('GET', `${base}/manifest`), api('GET', `${base}/endorsements`)])
  if (mr.status !== 200) { notPublished(main, mr.status); main.setAttribute('aria-busy', 'false'); return }
  const reply: ManifestReply = mr.body
  const m = reply.manifest
  const lang = m.source_language
  let endorsements: Endorsement[] = er.status === 200 ? (er.body as EndorsementsReply).endorsements ?? [] : []
  document.title = `${m.statement.title} — ${t('appName')}`

  const text = el('article', { className: 'statement-text', id: 'statement-text', lang, 'aria-labelledby': 'text-h' })
  text.append(safeHtml(reply.html?.[lang] ?? ''))
  const counts = el('p', { id: 'signatory-counts', className: 'counts' }, countsText(endorsements))
  const { table, body } = signatoryTable()
  body.append(...signatoryRows(endorsements))
  const empty = el('p', { id: 'no-signatories', className: 'hint', hidden: endorsements.length > 0 }, t('pubNoSignatories'))
  // Polite: a new signatory is worth hearing about, not worth interrupting for.
  const live = el('p', { id: 'signatory-news', className: 'hint', role: 'status', 'aria-live': 'polite' })
  const updated = el('p', { id: 'list-updated', className: 'hint' }, tf('pubUpdatedAt', { time: new Date().toLocaleTimeString(currentLanguage()) }))

  main.append(
    el('p', { className: 'eyebrow' }, t('pubFinalStatement')),
    el('h1', { id: 'statement-title' }, m.statement.title),
    el('dl', { className: 'manifest-facts' },
      el('dt', {}, t('pubManifestHash')), el('dd', {}, el('code', { id: 'manifest-hash', className: 'hash' }, reply.manifest_sha256)),
      el('dt', {}, t('pubVersion')), el('dd', {}, tf('pubVersionN', { n: String(m.version.number) }), ' · ', timeEl(m.created_at))),
    el('section', { 'aria-labelledby': 'text-h', className: 'paper' }, el('h2', { id: 'text-h', className: 'sr-only' }, t('pubText')), text),
    el('section', { 'aria-labelledby': 'signatories-h', id: 'signatories' },
      el('h2', { id: 'signatories-h' }, t('pubSignatories')), counts, live, table, empty, updated))
  main.append(verifySection(slug, reply, () => endorsements))
  if (reply.open_for_signature) main.append(adherenceSection(slug))
  main.setAttribute('aria-busy', 'false')

  // The live list. A failed poll keeps the list as it was and tries again next time.
  const poll = async () => {
    if (!document.hidden) {
      const r = await api('GET', `${base}/endorsements`)
      if (r.status === 200) {
        const next: Endorsement[] = (r.body as EndorsementsReply).endorsements ?? []
        const changes = listChanges(endorsements, next)
        endorsements = next
        body.replaceChildren(...signatoryRows(next))
        counts.textContent = countsText(next)
        empty.hidden = next.length > 0
        updated.textContent = tf('pubUpdatedAt', { time: new Date().toLocaleTimeString(currentLanguage()) })
        const news: string[] = []
        const named = (e: Endorsement) => e.organization.country ? `${e.organization.name} (${e.organization.country})` : e.organization.name
        if (changes.added.length) news.push(tf('pubNewSignatories', { names: changes.added.map(named).join(', ') }))
        if (changes.withdrawn.length) news.push(tf('pubNewWithdrawals', { names: changes.withdrawn.map(named).join(', ') }))
        if (news.length) live.textContent = news.join(' ')
      }
    }
    setTimeout(() => { void poll() }, POLL_MS)
  }
  setTimeout(() => { void poll() }, POLL_MS)
}
