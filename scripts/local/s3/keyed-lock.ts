export type LockMode = 'read' | 'write';

/** Gives the lock back; calling it more than once is harmless. */
export type Release = () => void;

interface Waiter {
  readonly mode: LockMode;
  readonly grant: () => void;
}

interface KeyState {
  readers: number;
  writer: boolean;
  readonly queue: Waiter[];
}

/**
 * A readers-writer lock per key, granted first come, first served: any number of readers share a
 * key, a writer has it alone, and a reader that arrives after a waiting writer waits behind it.
 * In-process only, which is all the local S3 needs: one front serves every request.
 */
export class KeyedReadWriteLock {
  private readonly keys = new Map<string, KeyState>();

  acquire(key: string, mode: LockMode): Promise<Release> {
    let state = this.keys.get(key);
    if (!state) {
      state = { readers: 0, writer: false, queue: [] };
      this.keys.set(key, state);
    }
    const current = state;
    return new Promise((resolve) => {
      current.queue.push({ mode, grant: () => resolve(this.releaser(key, current, mode)) });
      this.grantWaiting(key, current);
    });
  }

  /** Keys with a holder or a waiter; an idle key is forgotten. */
  get activeKeys(): number {
    return this.keys.size;
  }

  private releaser(key: string, state: KeyState, mode: LockMode): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (mode === 'write') state.writer = false;
      else state.readers -= 1;
      this.grantWaiting(key, state);
    };
  }

  private grantWaiting(key: string, state: KeyState): void {
    for (let next = state.queue[0]; next !== undefined; next = state.queue[0]) {
      const free = next.mode === 'write' ? !state.writer && state.readers === 0 : !state.writer;
      if (!free) break;
      state.queue.shift();
      if (next.mode === 'write') state.writer = true;
      else state.readers += 1;
      next.grant();
    }
    if (!state.writer && state.readers === 0 && state.queue.length === 0) this.keys.delete(key);
  }
}
