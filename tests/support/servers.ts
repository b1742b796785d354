/**
 * The production servers the journeys run against; started by playwright.config.ts.
 * E2E_PORT_BASE and E2E_DB_TAG let two checkouts on one machine run their journeys side by side.
 */
const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3100);
export const MAIN_PORT = PORT_BASE;
/** A second server whose sessions end after 3 seconds idle (SESSION_IDLE_MINUTES=0.05). */
export const IDLE_PORT = PORT_BASE + 1;
/** Free for a test that starts and stops its own server. */
export const SPARE_PORT = PORT_BASE + 2;
/** A server as production runs it for sign-in: Ember staff must use a second factor (STAFF_MFA_REQUIRED). */
export const MFA_PORT = PORT_BASE + 3;
/** A server of its own for the safety-escalation journeys, whose database the journey also works on. */
export const SAFETY_PORT = PORT_BASE + 4;
/** A server of its own for the database outage journey. */
export const OUTAGE_PORT = PORT_BASE + 5;

export const IDLE_SECONDS = 3;

export const urlFor = (port: number) => `http://127.0.0.1:${port}`;

/** The name of a journey's own PostgreSQL database (always starting with e2e_). */
export const e2eDatabase = (name: string) =>
  process.env.E2E_DB_TAG ? `e2e_${name}_${process.env.E2E_DB_TAG}` : `e2e_${name}`;
