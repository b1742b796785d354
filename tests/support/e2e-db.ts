/**
 * Fresh PostgreSQL databases for the browser journeys: each e2e server gets its own, dropped and
 * recreated before the server starts, so a run never sees the last run's users or throttle rows.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/e2e_main tsx tests/support/e2e-db.ts
 *
 * recreates the database the URL names (it must start with e2e_), connecting through `postgres`.
 */
import { pathToFileURL } from "node:url";
import postgres from "postgres";

const SAFE_NAME = /^e2e_[a-z0-9_]{1,40}$/;

/** The same server and credentials as `baseUrl`, with another database name. */
export function databaseUrlFor(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function recreateDatabase(baseUrl: string, name: string): Promise<string> {
  // Only our own throwaway databases: a typo must never drop `test` or `postgres`.
  if (!SAFE_NAME.test(name)) throw new Error(`Refusing to recreate "${name}": e2e database names start with e2e_.`);
  const admin = postgres(databaseUrlFor(baseUrl, "postgres"), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return databaseUrlFor(baseUrl, name);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("usage: DATABASE_URL=postgres://…/e2e_<name> tsx tests/support/e2e-db.ts");
    process.exit(64);
  }
  await recreateDatabase(url, decodeURIComponent(new URL(url).pathname.slice(1)));
}
