/** The production servers the journeys run against; started by playwright.config.ts. */
export const MAIN_PORT = 3100;
/** A second server whose sessions end after 3 seconds idle (SESSION_IDLE_MINUTES=0.05). */
export const IDLE_PORT = 3101;
/** Free for a test that starts and stops its own server. */
export const SPARE_PORT = 3102;
/** A server as production runs it for sign-in: Ember staff must use a second factor (STAFF_MFA_REQUIRED). */
export const MFA_PORT = 3103;
/** A server of its own for the database outage journey. */
export const OUTAGE_PORT = 3105;

export const IDLE_SECONDS = 3;

export const urlFor = (port: number) => `http://127.0.0.1:${port}`;
