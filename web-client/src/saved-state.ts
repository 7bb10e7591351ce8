// The honest "saved" indicator. Pure logic, no DOM, no provider: the caller feeds it facts.
// "saved" only when the state vector the server reports as durably stored (message type 100 of
// the ?ext=saved extension) covers every clock in the local document's state vector — that
// includes all local edits. Anything less is "saving"; no connection is "offline" (IndexedDB
// still keeps the edits).
export type SavedStatus = 'offline' | 'saving' | 'saved'

export type StateVector = Map<number, number>

/** True when `stored` has at least every clock of `local`. */
export function covers (stored: StateVector, local: StateVector): boolean {
  for (const [client, clock] of local) {
    if ((stored.get(client) ?? 0) < clock) return false
  }
  return true
}

export class SavedState {
  private connected = false
  private stored: StateVector = new Map()
  private listeners = new Set<(s: SavedStatus) => void>()
  private last: SavedStatus | null = null

  constructor (private localSV: () => StateVector) {}

  setConnected (connected: boolean): void {
    this.connected = connected
    // A new connection must prove again what is stored; keep the old vector (it stays true:
    // durably stored data does not become unstored) but it never covers newer edits anyway.
    this.emit()
  }

  /** The server reported this state vector as durably stored. Merges by maximum per client. */
  serverSaved (sv: StateVector): void {
    for (const [client, clock] of sv) {
      if ((this.stored.get(client) ?? 0) < clock) this.stored.set(client, clock)
    }
    this.emit()
  }

  /** Call after every local or remote document change. */
  docChanged (): void { this.emit() }

  status (): SavedStatus {
    if (!this.connected) return 'offline'
    return covers(this.stored, this.localSV()) ? 'saved' : 'saving'
  }

  onChange (fn: (s: SavedStatus) => void): () => void {
    this.listeners.add(fn)
    fn(this.status())
    return () => this.listeners.delete(fn)
  }

  private emit (): void {
    const s = this.status()
    if (s === this.last) return
    this.last = s
    for (const fn of this.listeners) fn(s)
  }
}
