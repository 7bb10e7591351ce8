// The instance secretariat's key approvals (#/signing-keys, issue 8): keys awaiting approval
// (organization, person, name, fingerprint, when) with Approve and Reject (a reason), then the
// keys already decided — approved ones with Revoke (a reason), revoked and rejected ones with
// their reason. Approving logs a key-approval entry (and, for a rotation, revokes the key it
// replaces); the server does that, this screen only asks. Fingerprints are computed here from
// the public key, so the secretariat can compare them with what the signatory reads out.
import { el } from './dom'
import { t, tf, currentLanguage } from './i18n'
import { api } from './api'
import { dataTable, showProblem } from './forms'
import { formatDate } from './model'
import { fingerprint, fromBase64 } from './key-backup'
import { formatFingerprint, keyStateLabel, type ServerKey } from './endorsement'
import { alertLine, ok, reasonDisclosure } from './keys-screen'

const when = (iso: string | null): string => iso ? formatDate(iso, currentLanguage()) : '—'

async function printOf (k: ServerKey): Promise<string> {
  const raw = fromBase64(k.public_key)
  return raw ? await fingerprint(raw) : '?'
}

export async function keyApprovalsScreen (main: HTMLElement): Promise<void> {
  const status = el('p', { role: 'status', 'aria-live': 'polite', id: 'approvals-status', className: 'hint', tabIndex: -1 })
  main.append(el('h1', {}, t('approvalsTitle')), el('p', {}, t('approvalsIntro')), status)
  const rerender = async (message: string) => {
    main.replaceChildren()
    await keyApprovalsScreen(main)
    const st = document.getElementById('approvals-status')
    if (st) { st.textContent = message; st.focus() }
  }
  const r = await api('GET', '/signing-keys')
  if (r.status !== 200) {
    const alert = alertLine('approvals-alert')
    main.append(alert)
    showProblem(el('form'), alert, r)
    return
  }
  const keys: ServerKey[] = r.body?.keys ?? []
  const prints = new Map(await Promise.all(keys.map(async k => [k.id, await printOf(k)] as const)))
  const who = (k: ServerKey) => `${k.user.display_name}`
  const org = (k: ServerKey) => `${k.organization.name}${k.organization.country ? ` (${k.organization.country})` : ''}`
  const fp = (k: ServerKey) => el('code', { className: 'fingerprint', 'data-fingerprint': prints.get(k.id) ?? '' }, formatFingerprint(prints.get(k.id) ?? ''))

  // Pending, oldest first: the order they were asked in.
  const pending = keys.filter(k => k.state === 'pending').sort((a, b) => a.created_at < b.created_at ? -1 : 1)
  const p = el('section', { id: 'approvals-pending', 'aria-labelledby': 'approvals-pending-h' }, el('h2', { id: 'approvals-pending-h' }, tf('approvalsPending', { n: String(pending.length) })))
  if (!pending.length) p.append(el('p', { className: 'hint' }, t('approvalsNone')))
  else {
    const rows = pending.map(k => {
      const alert = alertLine(`approve-${k.id}-alert`)
      const approve = el('button', { type: 'button', className: 'key-approve', 'aria-label': tf('approveKeyOf', { name: who(k), org: org(k) }) }, t('approveKey'))
      approve.addEventListener('click', async () => {
        approve.disabled = true
        const a = await api('POST', `/signing-keys/${k.id}/approve`, {})
        approve.disabled = false
        if (!ok(a.status)) { showProblem(el('form'), alert, a); return }
        await rerender(tf('keyApproved', { name: who(k), org: org(k) }))
      })
      const reject = reasonDisclosure(`key-reject-${k.id}`, t('rejectKey'), tf('rejectKeyOf', { name: who(k), org: org(k) }), t('rejectReason'), async (reason, ra) => {
        const a = await api('POST', `/signing-keys/${k.id}/reject`, { reason })
        if (!ok(a.status)) { showProblem(el('form'), ra, a); return }
        await rerender(tf('keyRejected', { name: who(k), org: org(k) }))
      })
      const extra = k.replaces ? el('span', { className: 'hint' }, tf('keyReplaces', { id: String(k.replaces) })) : ''
      return [org(k), who(k), el('span', {}, k.label, extra), fp(k), when(k.created_at), el('div', { className: 'member-actions' }, alert, approve, reject)]
    })
    const table = dataTable('approvals-pending-table', t('approvalsPendingCaption'), [t('organization'), t('keyPerson'), t('keyLabel'), t('keyFingerprint'), t('keyAsked'), t('actions')], rows)
    table.querySelectorAll('tbody tr').forEach((tr, i) => { (tr as HTMLElement).dataset.keyId = String(pending[i].id) })
    p.append(table)
  }

  const decided = keys.filter(k => k.state !== 'pending').sort((a, b) => (b.decided_at ?? '') < (a.decided_at ?? '') ? -1 : 1)
  const d = el('section', { id: 'approvals-decided', 'aria-labelledby': 'approvals-decided-h' }, el('h2', { id: 'approvals-decided-h' }, t('approvalsDecided')))
  if (!decided.length) d.append(el('p', { className: 'hint' }, t('approvalsNoneDecided')))
  else {
    const rows = decided.map(k => {
      const state = el('span', {}, el('span', { className: `badge key-state key-state-${k.state}`, 'data-state': k.state }, keyStateLabel(k.state)))
      if (k.reason) state.append(el('span', { className: 'hint' }, tf('keyReason', { reason: k.reason })))
      const logIdx = k.state === 'revoked' ? k.revocation_log_index : k.approval_log_index
      if (logIdx != null) state.append(el('span', { className: 'hint' }, tf('keyLogIndex', { index: String(logIdx) })))
      const actions = el('div', { className: 'member-actions' })
      if (k.state === 'approved') {
        actions.append(reasonDisclosure(`key-revoke-${k.id}`, t('keyRevoke'), tf('keyRevokeOf', { name: `${who(k)}, ${org(k)}` }), t('keyRevokeReason'), async (reason, ra) => {
          const a = await api('POST', `/signing-keys/${k.id}/revoke`, { reason })
          if (!ok(a.status)) { showProblem(el('form'), ra, a); return }
          await rerender(tf('keyRevoked', { name: `${who(k)}, ${org(k)}` }))
        }))
      }
      return [org(k), who(k), k.label, fp(k), state, when(k.state === 'revoked' ? k.revoked_at : k.decided_at), actions]
    })
    const table = dataTable('approvals-decided-table', t('approvalsDecided'), [t('organization'), t('keyPerson'), t('keyLabel'), t('keyFingerprint'), t('keyState'), t('keyDecided'), t('actions')], rows)
    table.querySelectorAll('tbody tr').forEach((tr, i) => { (tr as HTMLElement).dataset.keyId = String(decided[i].id) })
    d.append(table)
  }
  main.append(p, d)
}
