import * as z from 'zod';

/** A signed-in session, kept in sessionStorage (gone when the tab closes). */
export const Session = z.object({
  email: z.string(),
  idToken: z.string(),
  refreshToken: z.string().optional(),
  /** Epoch ms when the ID token expires. */
  expiresAt: z.number(),
});
export type Session = z.infer<typeof Session>;

const KEY = 'llm-league.session';
/** Refresh this long before the ID token expires, so a request never carries one that lapses on the way. */
export const REFRESH_MARGIN_MS = 60_000;

export function needsRefresh(session: Session, now: number): boolean {
  return session.expiresAt - REFRESH_MARGIN_MS <= now;
}

/** The session from the tokens Cognito issued at `now`. */
export function sessionFromTokens(
  email: string,
  tokens: {
    readonly idToken: string;
    readonly refreshToken?: string | undefined;
    readonly expiresInSeconds: number;
  },
  now: number,
): Session {
  return {
    email,
    idToken: tokens.idToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    expiresAt: now + tokens.expiresInSeconds * 1000,
  };
}

export interface SessionStore {
  load(): Session | undefined;
  save(session: Session): void;
  clear(): void;
}

export function browserSessionStore(storage: Storage): SessionStore {
  return {
    load() {
      const raw = storage.getItem(KEY);
      if (raw === null) return undefined;
      try {
        const parsed = Session.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    save(session) {
      storage.setItem(KEY, JSON.stringify(session));
    },
    clear() {
      storage.removeItem(KEY);
    },
  };
}
