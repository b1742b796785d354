import { randomBytes } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import type { Database } from "../../db/engine";
import { createLucia, KyselySessionAdapter } from "~/auth/lucia.server";
import { createLocalMailbox } from "~/email/transport.server";
import { loadConfig } from "~/env.server";
import type { Engine } from "./db";
import { TestClock } from "./clock";

/**
 * What a loader or action receives, built the way server/services.ts and server/app.ts build it,
 * with the default (local) configuration and a clock the test controls.
 */
export function buildLoadContext(
  db: Database,
  options: { engine: Engine; clock?: TestClock; ip?: string; env?: Record<string, string | undefined> },
): AppLoadContext & { clock: TestClock } {
  const clock = options.clock ?? new TestClock();
  const config = loadConfig(options.env ?? {});
  const sessions = new KyselySessionAdapter(db, config.session.absoluteMs, clock.now);
  return {
    db,
    engine: options.engine,
    config,
    sessions,
    lucia: createLucia(sessions, config.session),
    wakeMailer: () => {},
    mailbox: config.mail.mailbox ? createLocalMailbox() : null,
    reportError: () => {},
    now: clock.now,
    requestId: `req-${randomBytes(4).toString("hex")}`,
    ip: options.ip ?? "203.0.113.10",
    cspNonce: "test-nonce",
    clock,
  };
}
