import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, type LogEvent, type Transaction } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import type { DB } from "./schema";

export type Database = Kysely<DB>;
export type DatabaseTransaction = Transaction<DB>;
/** What every data function takes first: the database, or a caller's open transaction. */
export type Executor = Database | DatabaseTransaction;

export interface DatabaseHandle {
  db: Database;
  engine: "pglite" | "postgres";
  close(): Promise<void>;
  /**
   * PostgreSQL only: swaps the connection pool for a new one. After the server went away, pooled
   * connections of the driver can stay broken; the next queries go to fresh connections while the
   * old pool is ended.
   */
  renewPool?(): void;
  /** PostgreSQL only: fails every query still waiting for a connection, when the database is known to be gone. */
  abandonWaiting?(): void;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it the embedded engine is used. */
  url?: string;
  /** Folder of the embedded database; `memory://` keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
  log?: (event: LogEvent) => void;
}

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const asText = (value: string) => value;

/**
 * One code path, two engines: PostgreSQL when a URL is given, the embedded PGlite otherwise.
 * Calendar dates stay `YYYY-MM-DD` strings and 64-bit integers stay strings on both, so values
 * never drift a day through a time zone or lose precision.
 */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.url) {
    const url = options.url;
    const connect = () =>
      postgres(url, {
        max: options.poolSize ?? 10,
        onnotice: () => {},
        connect_timeout: 3,
        // Short OLTP queries only: JIT compiling a plan can cost more than running it (the benchmark
        // measured 0.7 s of JIT on a 35 ms query with a high cost estimate).
        connection: { jit: "off" },
        types: {
          date: { to: DATE_OID, from: [DATE_OID], serialize: (v: string) => v, parse: asText },
        },
      });
    let client = connect();
    // Queries waiting for a pool connection; during an outage they would wait until the database is back.
    const waiting = new Set<(error: Error) => void>();
    const reserve = () =>
      new Promise<postgres.ReservedSql>((resolve, reject) => {
        let settled = false;
        const fail = (error: Error) => {
          if (settled) return;
          settled = true;
          waiting.delete(fail);
          reject(error);
        };
        waiting.add(fail);
        client.reserve().then((reserved) => {
          if (settled) return reserved.release();
          settled = true;
          waiting.delete(fail);
          resolve(reserved);
        }, fail);
      });
    // Kysely holds this stand-in, which always reaches the current pool (it reserves a connection per query).
    const current = Object.assign(
      ((...args: Parameters<typeof client>) => client(...args)) as unknown as typeof client,
      { reserve, end: (o?: { timeout?: number }) => client.end(o) },
    );
    const db = new Kysely<DB>({ dialect: new PostgresJSDialect({ postgres: current }), log: options.log });
    return {
      db,
      engine: "postgres",
      close: () => db.destroy(),
      renewPool() {
        const old = client;
        client = connect();
        void old.end({ timeout: 5 }).catch(() => {});
      },
      abandonWaiting() {
        for (const fail of [...waiting])
          fail(Object.assign(new Error("The database is unreachable."), { code: "CONNECTION_CLOSED" }));
      },
    };
  }

  const dataDir = options.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const pglite = new PGlite(dataDir, {
    parsers: { [DATE_OID]: asText, [INT8_OID]: asText, [NUMERIC_OID]: asText },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }), log: options.log });
  return { db, engine: "pglite", close: () => db.destroy() };
}
