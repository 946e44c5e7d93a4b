/**
 * Keys that can reach an object's prototype when a record is later merged, spread into or looked up
 * by key in careless code. `JSON.parse` stores `"__proto__"` as an ordinary own property (it never
 * sets the prototype), so `Object.keys` sees it and walking the parsed value finds all three.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Where the first forbidden key sits in a parsed JSON value (`metadata.tags[2].__proto__`), or
 * undefined when there is none. Only own keys are read and nothing is written, so walking a hostile
 * value cannot pollute a prototype. The walk uses an explicit stack: a 64 KiB line can nest some
 * 32,000 levels deep, more than the call stack allows for a recursive walk.
 */
export function findForbiddenKey(root: unknown): string | undefined {
  // The common case, a record without one, takes a pass that builds no paths.
  return hasForbiddenKey(root) ? pathOfFirstForbiddenKey(root) : undefined;
}

function hasForbiddenKey(root: unknown): boolean {
  if (typeof root !== 'object' || root === null) return false;
  const stack: object[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (FORBIDDEN_KEYS.has(key)) return true;
      const child = record[key];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return false;
}

/** The slow pass, run only on a value known to hold a forbidden key: first one in document order. */
function pathOfFirstForbiddenKey(root: unknown): string | undefined {
  const stack: Array<{ readonly node: unknown; readonly path: string }> = [{ node: root, path: '' }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { node, path } = entry;
    if (typeof node !== 'object' || node === null) continue;
    const children: Array<{ readonly node: unknown; readonly path: string }> = [];
    if (Array.isArray(node)) {
      (node as unknown[]).forEach((item, index) => {
        children.push({ node: item, path: `${path}[${index}]` });
      });
    } else {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const keyPath = path === '' ? propertyName(key) : `${path}${propertyAccess(key)}`;
        if (FORBIDDEN_KEYS.has(key)) return keyPath;
        children.push({ node: record[key], path: keyPath });
      }
    }
    // Pushed in reverse so the first child is visited first.
    for (let k = children.length - 1; k >= 0; k -= 1) {
      const child = children[k];
      if (child !== undefined) stack.push(child);
    }
  }
  return undefined;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function propertyName(key: string): string {
  return IDENTIFIER.test(key) ? key : `[${JSON.stringify(key)}]`;
}

function propertyAccess(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
