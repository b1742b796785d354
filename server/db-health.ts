import { sql, type Kysely } from "kysely";

export interface DbHealth {
  isUp(): boolean;
  /** Called when a request saw the database fail: the gate closes at once rather than at the next ping. */
  reportFailure(): void;
  check(): Promise<boolean>;
  stop(): void;
}

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

/**
 * Pings the database every second. While it is down, the server answers portal requests at once
 * with a 503 page instead of letting them wait on connections; it reopens by itself when a ping
 * succeeds again.
 */
export function startDbHealth(db: Kysely<any>, options: { intervalMs?: number; timeoutMs?: number; onChange?: (up: boolean) => void } = {}): DbHealth {
  let up = true;
  let checking: Promise<boolean> | null = null;
  const set = (next: boolean) => {
    if (next !== up) {
      up = next;
      options.onChange?.(next);
    }
  };
  const check = () => {
    checking ??= withTimeout(sql`select 1`.execute(db), options.timeoutMs ?? 2_000)
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

const CONNECTION_ERRORS = ["ECONNREFUSED", "ECONNRESET", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "57P01", "57P03", "08006", "08001"];

/** Whether an error means the database could not be reached (rather than a bad query). */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === "string" && CONNECTION_ERRORS.includes(code);
}
