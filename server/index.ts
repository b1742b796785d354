/**
 * The server's entry. React chooses its development or production build from NODE_ENV when it is
 * first imported, so the mode is settled here, before anything imports it: production unless the
 * caller says otherwise (`npm run dev` says development).
 */
process.env.NODE_ENV ??= "production";
await import("./main");

export {};
