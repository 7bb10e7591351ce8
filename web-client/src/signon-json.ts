// The JSON the server answers about a final statement's sign-on (SIGNON-CONTRACT sections 3 and
// 5): the manifest, the endorsements and their withdrawals. One declaration for the signing
// screens (endorsement.ts) and the public page (public-model.ts), so the two cannot drift from
// each other or from the server. Types and constants only: nothing here imports another module,
// which keeps the public page's bundle free of the signed-in client.

export type EndorsementKind = 'adheres' | 'adheres-with-reservations'
export const ENDORSEMENT_KINDS: readonly EndorsementKind[] = ['adheres', 'adheres-with-reservations']

export interface OrgIdentity { id: number, name: string, country: string }

export interface Manifest {
  format: string
  instance: { origin: string, public_key: string }
  statement: { id: number, slug: string, title: string }
  version: { id: number, number: number }
  source_language: string
  languages: Record<string, { sha256: string }>
  created_at: string
}

/** GET /statements/{slug}/manifest (public once final). */
export interface ManifestReply {
  manifest: Manifest
  manifest_sha256: string
  canonical: string
  log_index: number
  texts: Record<string, string>
  html: Record<string, string>
  open_for_signature: boolean
}

export interface Withdrawal { reason: string, signed_at: string, received_at: string, log_index: number, canonical: string, signature: string, key_id: number }

export interface Endorsement {
  id: number
  organization: OrgIdentity
  signatory: { name: string, title: string }
  kind: EndorsementKind
  reservations: string | null
  signed_at: string
  received_at: string
  key_id: number
  public_key: string
  signature: string
  canonical: string
  endorsement_sha256: string
  log_index: number
  withdrawal: Withdrawal | null
}

/** GET /statements/{slug}/endorsements (public once final). */
export interface EndorsementsReply {
  manifest_sha256: string
  count: number
  with_reservations: number
  withdrawn: number
  endorsements: Endorsement[]
}
