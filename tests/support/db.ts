import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { openDatabase, type Database } from "../../db/engine";
import { migrateToLatest } from "../../db/migrator";

export type Engine = "pglite" | "postgres";

/** PGlite always; PostgreSQL too when DATABASE_URL names a server. */
export const ENGINES: Engine[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TestDatabase {
  db: Database;
  engine: Engine;
  close(): Promise<void>;
}

function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A fresh, migrated database. On PostgreSQL it is a new database `it_<random>` on the server
 * that DATABASE_URL points at, dropped again by `close()`.
 */
export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === "pglite") {
    const handle = openDatabase({ dataDir: "memory://" });
    await migrateToLatest(handle.db);
    return { db: handle.db, engine, close: () => handle.close() };
  }

  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("DATABASE_URL is required for the postgres engine");
  const name = `it_${randomBytes(8).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const handle = openDatabase({ url: databaseUrlFor(serverUrl, name), poolSize: 5 });
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    await dropDatabase(serverUrl, name);
    throw error;
  }
  return {
    db: handle.db,
    engine,
    close: async () => {
      await handle.close();
      await dropDatabase(serverUrl, name);
    },
  };
}

async function dropDatabase(serverUrl: string, name: string) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * Empties every table the migrations made (whatever they are by now), so each test starts from
 * nothing. The audit table refuses TRUNCATE through a trigger; triggers do not fire in replica
 * mode, which only a superuser (the tests' role) may set, and only for this transaction.
 */
export async function emptyAllTables(db: Database): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = 'public' and tablename not like 'kysely_migration%'`.execute(db);
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`truncate table ${sql.join(rows.map((r) => sql.table(r.name)))} restart identity cascade`.execute(trx);
  });
}

/**
 * Every `table.column` of text-like type (text, varchar, json, jsonb, arrays of them) whose value
 * contains `needle`: what a copy of the database would give away.
 */
export async function columnsHolding(db: Database, needle: string): Promise<string[]> {
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public'
      and (c.data_type in ('text', 'character varying', 'json', 'jsonb') or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
    order by 1, 2`.execute(db);
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await sql<{
      hit: boolean;
    }>`select exists (select 1 from ${sql.table(table_name)} where strpos(${sql.ref(column_name)}::text, ${needle}) > 0) as hit`.execute(
      db,
    );
    if (rows[0]?.hit) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

/**
 * Runs a suite once per engine, each on its own fresh database for the whole file, emptied
 * before every test. `getDb()` is only valid inside hooks and tests.
 */
export function describeEachEngine(name: string, suite: (getDb: () => Database, engine: Engine) => void): void {
  describe.each(ENGINES)(`${name} [%s]`, (engine) => {
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      database = await openTestDatabase(engine);
    });
    afterAll(async () => {
      await database?.close();
    });
    beforeEach(async () => {
      await emptyAllTables(database!.db);
    });
    suite(() => {
      if (!database) throw new Error("the test database is not open yet: call getDb() inside a hook or test");
      return database.db;
    }, engine);
  });
}
