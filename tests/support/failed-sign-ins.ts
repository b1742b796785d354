/**
 * A second server process, as far as throttling goes: its own connection pool on the same
 * database, failing to sign in `count` times for one account. Prints the answers as JSON.
 *
 *   tsx tests/support/failed-sign-ins.ts <database url> <email> <count>
 */
import { signIn } from "~/auth/sign-in.server";
import { openDatabase } from "../../db/engine";
import { buildLoadContext } from "./context";

const [url, email, count] = process.argv.slice(2);
if (!url || !email || !count) throw new Error("usage: failed-sign-ins.ts <database url> <email> <count>");
const handle = openDatabase({ url, poolSize: 1 });
try {
  const context = buildLoadContext(handle.db, { engine: "postgres", ip: "192.0.2.44" });
  const answers: string[] = [];
  for (let i = 0; i < Number(count); i++) {
    const result = await signIn(context, {
      email,
      password: `wrong password ${i}`,
      previousSessionId: null,
      userAgent: "second process",
    });
    answers.push(result.ok ? "ok" : result.reason);
  }
  console.log(JSON.stringify(answers));
} finally {
  await handle.close();
}
