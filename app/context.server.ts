import type { Config } from "~/env.server";
import type { Database } from "../db/engine";
import type { KyselySessionAdapter, PortalLucia } from "~/auth/lucia.server";
import type { Actor } from "~/auth/actor";
import type { LocalMailbox } from "~/email/transport.server";

/** Long-lived services, made once at boot by the server and shared by every request. */
export interface Services {
  db: Database;
  engine: "pglite" | "postgres";
  config: Config;
  lucia: PortalLucia;
  sessions: KyselySessionAdapter;
  /** Asks the mail worker to look at the outbox now rather than at its next tick. */
  wakeMailer: () => void;
  /** Where mail goes when no mail provider is configured; null when one is. */
  mailbox: LocalMailbox | null;
  now: () => Date;
}

/** What every loader and action receives: the services plus facts about this one request. */
export interface RequestContext extends Services {
  requestId: string;
  ip: string;
  cspNonce: string;
  /** Tells the server about an unexpected error (a lost database connection closes the 503 gate). */
  reportError: (error: unknown) => void;
  /** Set when this request failed because the database could not be reached: its page is a 503. */
  databaseLost?: boolean;
  /** The signed-in user, looked up at most once per request. */
  actor?: Promise<Actor | null>;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges our context into Remix's type
  interface AppLoadContext extends RequestContext {}
}
