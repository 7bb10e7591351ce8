// The REST API (/api/v1, proto/openapi.yaml) with the session cookie. Writes carry the
// session's CSRF token (from GET /api/v1/session or the sign-in answer); the browser adds
// Origin itself. A network failure is answered as status 0.
import type { Me } from './model'

let csrf: string | null = null
export function setCsrf (token: string | null): void { csrf = token }

export interface Answer { status: number, body: any }

export async function api (method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf
  let res: Response
  try {
    res = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    return { status: 0, body: null }
  }
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
