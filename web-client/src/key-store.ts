// Where the browser keeps a signatory's signing keys: one IndexedDB object store.
//
// A record holds the private key as a WebCrypto CryptoKey, stored by structured clone. The
// browser keeps the key material itself and hands scripts back only an opaque handle; when the
// key was imported as non-extractable, no script of this origin can read its bytes, it can only
// ask the browser to sign with it. (localStorage could hold strings only, i.e. the raw key.)
//
// KeyStore is an interface so that the signing logic can be unit-tested in Node, which has
// WebCrypto but no IndexedDB: MemoryKeyStore stands in there, the browser test covers
// IndexedDbKeyStore.

export interface KeyRecord {
  /** Fingerprint: hex of the first 16 bytes of SHA-256(raw public key). */
  id: string
  label: string
  /** The raw 32-byte Ed25519 public key, standard base64. */
  publicKeyBase64: string
  /** ISO 8601, when the key pair was created (kept across backup and restore). */
  createdAt: string
  /** Non-extractable Ed25519 private key (usage "sign"). */
  privateKey: CryptoKey
  /** When a backup file was last made in this browser, or null (the UI warns until there is one). */
  backupExportedAt: string | null
}

export interface KeyStore {
  get (id: string): Promise<KeyRecord | undefined>
  /** Creates or replaces the record with this id. */
  put (record: KeyRecord): Promise<void>
  delete (id: string): Promise<void>
  /** Every record, oldest first. */
  all (): Promise<KeyRecord[]>
}

const byAge = (a: KeyRecord, b: KeyRecord) => a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1

/** Keys kept for the lifetime of the object (unit tests; a browser without IndexedDB). */
export class MemoryKeyStore implements KeyStore {
  private readonly records = new Map<string, KeyRecord>()
  async get (id: string) { return this.records.get(id) }
  async put (record: KeyRecord) { this.records.set(record.id, { ...record }) }
  async delete (id: string) { this.records.delete(id) }
  async all () { return [...this.records.values()].sort(byAge) }
}

export const KEY_DB_NAME = 'accord-signing-keys'
const KEY_DB_VERSION = 1
const STORE = 'keys'

/** Keys in IndexedDB (database "accord-signing-keys", object store "keys", key path "id"). */
export class IndexedDbKeyStore implements KeyStore {
  private db: Promise<IDBDatabase> | null = null

  constructor (private readonly name = KEY_DB_NAME) {}

  private open (): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(this.name, KEY_DB_VERSION)
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'id' })
      }
      req.onsuccess = () => {
        const db = req.result
        // Another tab upgrading the schema must not wait for us forever: close, reopen later.
        db.onversionchange = () => { db.close(); this.db = null }
        db.onclose = () => { this.db = null }
        resolve(db)
      }
      req.onerror = () => { this.db = null; reject(req.error ?? new Error('IndexedDB could not be opened')) }
      req.onblocked = () => { /* waits for the other tab to close its connection */ }
    })
    return this.db
  }

  /** Runs one request in its own transaction; resolves when the transaction has committed. */
  private async run<T> (mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open()
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode)
      const req = op(tx.objectStore(STORE))
      // A write is only durable once the transaction completes, not when its request succeeds.
      tx.oncomplete = () => resolve(req.result)
      tx.onerror = () => reject(tx.error ?? req.error ?? new Error('IndexedDB transaction failed'))
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
    })
  }

  async get (id: string) { return await this.run('readonly', s => s.get(id)) as KeyRecord | undefined }
  async put (record: KeyRecord) { await this.run('readwrite', s => s.put(record)) }
  async delete (id: string) { await this.run('readwrite', s => s.delete(id)) }
  async all () { return (await this.run('readonly', s => s.getAll()) as KeyRecord[]).sort(byAge) }
}
