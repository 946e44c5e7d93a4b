import { describe, expect, it } from 'vitest';
import { KeyedReadWriteLock, type LockMode } from './keyed-lock.js';

/** Lets every pending grant settle. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedReadWriteLock', () => {
  it('gives a key to one writer at a time, in arrival order', async () => {
    const lock = new KeyedReadWriteLock();
    const order: string[] = [];
    const first = await lock.acquire('state.json', 'write');
    const second = lock.acquire('state.json', 'write').then((release) => {
      order.push('second');
      return release;
    });
    const third = lock.acquire('state.json', 'write').then((release) => {
      order.push('third');
      return release;
    });
    await settle();
    expect(order).toEqual([]);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(['second', 'third']);
  });

  it('lets readers share a key, and makes a writer wait for them', async () => {
    const lock = new KeyedReadWriteLock();
    const readers = await Promise.all([lock.acquire('k', 'read'), lock.acquire('k', 'read')]);
    let written = false;
    const writer = lock.acquire('k', 'write').then((release) => {
      written = true;
      return release;
    });
    await settle();
    expect(written).toBe(false);
    readers[0]?.();
    await settle();
    expect(written).toBe(false);
    readers[1]?.();
    (await writer)();
    expect(written).toBe(true);
  });

  it('queues a reader behind a waiting writer, so writers are not starved', async () => {
    const lock = new KeyedReadWriteLock();
    const granted: LockMode[] = [];
    const acquire = async (mode: LockMode) => {
      const release = await lock.acquire('k', mode);
      granted.push(mode);
      return release;
    };
    const firstReader = await lock.acquire('k', 'read');
    const writer = acquire('write');
    const lateReader = acquire('read');
    await settle();
    expect(granted).toEqual([]);
    firstReader();
    (await writer)();
    (await lateReader)();
    expect(granted).toEqual(['write', 'read']);
  });

  it('keeps keys apart and forgets idle ones', async () => {
    const lock = new KeyedReadWriteLock();
    const a = await lock.acquire('a', 'write');
    const b = await lock.acquire('b', 'write');
    expect(lock.activeKeys).toBe(2);
    a();
    a();
    b();
    expect(lock.activeKeys).toBe(0);
  });
});
