import { sql, type Kysely } from "kysely";
import postgres from "postgres";

export interface DbHealth {
  isUp(): boolean;
  /** Called when a request saw the database fail: the gate closes at once rather than at the next ping. */
  reportFailure(): void;
  check(): Promise<boolean>;
  stop(): void;
}

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ]);

/**
 * Pings the database every second. While it is down, the server answers portal requests at once
 * with a 503 page instead of letting them wait on connections; it reopens by itself when a ping
 * succeeds again.
 */
export function startDbHealth(
  db: Kysely<any>,
  options: {
    intervalMs?: number;
    timeoutMs?: number;
    onChange?: (up: boolean) => void;
    probe?: () => Promise<unknown>;
  } = {},
): DbHealth {
  const probe = options.probe ?? (() => sql`select 1`.execute(db));
  let up = true;
  let checking: Promise<boolean> | null = null;
  const set = (next: boolean) => {
    if (next !== up) {
      up = next;
      options.onChange?.(next);
    }
  };
  const check = () => {
    checking ??= withTimeout(probe(), options.timeoutMs ?? 2_000)
      .then(
        () => true,
        () => false,
      )
      .then((ok) => {
        set(ok);
        checking = null;
        return ok;
      });
    return checking;
  };
  const timer = setInterval(() => void check(), options.intervalMs ?? 1_000);
  timer.unref();
  return {
    isUp: () => up,
    reportFailure: () => {
      set(false);
      void check();
    },
    check,
    stop: () => clearInterval(timer),
  };
}

/**
 * PostgreSQL is pinged on a connection of its own, opened for the ping: under load the pool is
 * busy, and a ping queued behind page queries would take a slow database for a missing one; and a
 * pool connection left broken by an outage cannot tell when the database is back.
 */
export async function probePostgres(url: string): Promise<void> {
  const client = postgres(url, { max: 1, connect_timeout: 2, idle_timeout: 1, onnotice: () => {} });
  try {
    await client`select 1`;
  } finally {
    await client.end({ timeout: 1 });
  }
}

const CONNECTION_ERRORS = [
  "ECONNREFUSED",
  "ECONNRESET",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P03",
  "08006",
  "08001",
];

/** Whether an error means the database could not be reached (rather than a bad query). */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === "string" && CONNECTION_ERRORS.includes(code);
}
