/**
 * Run after `npm install` (the `postinstall` script). The PostgreSQL driver (postgres.js 3.4.x)
 * can flush a buffered write on the next tick after its connection closed, and then throws from a
 * timer callback: an uncatchable error that ends the whole server when the database goes away.
 * This adds a guard to the driver's flush so that such a write fails its query with
 * CONNECTION_CLOSED instead, which the portal already answers with a 503 and recovers from.
 * A driver release that changed the function is left alone, with a note.
 */
/* global console */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const UNGUARDED = "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)";
const GUARDED =
  "  function nextWrite(fn) {\n" +
  "    // Guarded (see server/guard-postgres-driver.mjs): the socket is gone once the connection closed.\n" +
  "    if (!socket) { chunk = nextWriteTimer = null; error(Errors.connection('CONNECTION_CLOSED', options)); return false }\n" +
  "    const x = socket.write(chunk, fn)";

for (const build of ["src", "cjs/src", "cf/src"]) {
  const file = path.join(root, "node_modules/postgres", build, "connection.js");
  if (!existsSync(file)) continue;
  const source = readFileSync(file, "utf8");
  if (source.includes(GUARDED)) continue;
  if (!source.includes(UNGUARDED)) {
    console.warn(
      `[guard-postgres-driver] ${path.relative(root, file)}: nextWrite has changed; check whether the driver still needs this guard.`,
    );
    continue;
  }
  writeFileSync(file, source.replace(UNGUARDED, GUARDED));
  console.log(`[guard-postgres-driver] guarded ${path.relative(root, file)}`);
}
