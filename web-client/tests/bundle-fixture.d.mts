// Types of bundle-fixture.mjs for the TypeScript unit tests that use it.
export function jcs (v: unknown): string
export function time (ms?: number): string
export interface FixtureLog {
  origin: string, publicKey: string, verifierKey: string, bodies: string[]
  append (obj: unknown): number
  checkpoint (size?: number): string
  signNote (text: string): string
}
export interface FixtureKey { sign (bytes: Uint8Array): Uint8Array, id: number, publicKey: string, organization: { id: number, name: string, country: string }, signatory: { name: string, title: string }, approvalIndex: number }
export interface SignOn {
  slug: string, title: string, text: string, html: string, log: FixtureLog, manifest: any, manifestSha: string, manifestIndex: number, endorsements: any[], openForSignature: boolean
  signatory (organization: { id: number, name: string, country: string }, signatory: { name: string, title: string }): FixtureKey
  revoke (key: FixtureKey, reason?: string): void
  endorse (key: FixtureKey, opts?: { kind?: string, reservations?: string, signedAt?: string }): any
  withdraw (key: FixtureKey, endorsement: any, reason?: string): any
  noise (): void
  include (obj: unknown): number
  manifestReply (): any
  endorsementsReply (): any
  bundle (): any
}
export function createLog (origin?: string): FixtureLog
export function createSignOn (options?: { slug?: string, title?: string, text?: string, html?: string, origin?: string, log?: FixtureLog, openForSignature?: boolean }): SignOn
