/**
 * The arrows of the code (README, "Architecture"), checked by `npm run lint`:
 *
 *   routes, app/jobs ──▶ modules, components, auth (and audit), lib
 *   modules          ──▶ db (engine, schema types), services (auth, email, audit), lib, lower modules
 *   services         ──▶ db, emails, lib
 *   components       ──▶ lib
 *   app/lib, emails, db/migrations, db/schema.ts ──▶ nothing of app/ (emails: app/lib only)
 *
 * Each rule names the arrow it keeps, so a wrong import fails with that name.
 */

/**
 * Domain modules by level: a module imports only modules of a lower level, so the modules form no
 * loop. A new module gets a level here before it imports another module.
 */
const MODULE_LEVELS = [
  ["patients", "audit-log"],
  ["referrals", "safety", "medications"],
  ["engagement"],
  ["infusions", "notes"],
  ["measures", "users", "work-list", "visits"],
  ["home"],
];

const SERVICES = "^app/(auth|email|audit)/";
const CODE = "^(app|db|emails|server|bench)/";
const anyOf = (names) => `(${names.join("|")})`;

const moduleLevelRules = MODULE_LEVELS.map((names, level) => ({
  name: `module-levels-${level}`,
  comment: `Modules of level ${level} (${names.join(", ")}) import only modules of a lower level.`,
  severity: "error",
  from: { path: `^app/modules/${anyOf(names)}/` },
  to: {
    path: `^app/modules/${anyOf(MODULE_LEVELS.slice(level).flat())}/`,
    pathNot: "^app/modules/$1/",
  },
}));

/** A rule for a layer whose files import, of our own code, only what `allowed` matches. */
const onlyTo = (name, comment, from, allowed) => ({
  name,
  comment,
  severity: "error",
  from: typeof from === "string" ? { path: from } : from,
  to: { path: CODE, pathNot: allowed },
});

module.exports = {
  forbidden: [
    onlyTo(
      "routes-only-to-modules-components-auth-lib",
      "Routes and the scheduler are drivers: they parse input, call a module and render. They never touch db/ " +
        "(no SQL outside modules); the audit service is theirs too, for the read rows a page writes.",
      "^app/(routes|jobs)/",
      ["^app/(modules|components|auth|audit|lib)/", "^app/routes/", "^app/styles/"],
    ),
    onlyTo(
      "modules-only-to-db-services-lib",
      "Modules hold the queries and commands: they use the database (engine, schema types), the services " +
        "(auth, email, audit) and lib, never a route, a component, the scheduler or the server.",
      "^app/modules/",
      ["^app/modules/", SERVICES, "^app/lib/", "^db/(engine|schema)\\.ts$"],
    ),
    ...moduleLevelRules,
    {
      name: "modules-without-level",
      comment: "A module imports another module only once MODULE_LEVELS in .dependency-cruiser.cjs gives it a level.",
      severity: "error",
      from: { path: "^app/modules/([^/]+)/", pathNot: `^app/modules/${anyOf(MODULE_LEVELS.flat())}/` },
      to: { path: "^app/modules/", pathNot: "^app/modules/$1/" },
    },
    onlyTo(
      "services-only-to-db-emails-lib",
      "Services (auth, email, audit) sit below the modules: db, the email templates and lib only. The one " +
        "exception is the patient gate (app/auth/patient-gate.server.ts): beside requireActor it asks the " +
        "patients module's access rule for the patient, so every patient page starts with the same three steps.",
      { path: SERVICES, pathNot: "^app/auth/patient-gate\\.server\\.ts$" },
      [SERVICES, "^app/lib/", "^app/env\\.server\\.ts$", "^db/(engine|schema)\\.ts$", "^emails/"],
    ),
    {
      name: "patient-gate-only-to-patients-module",
      comment: "The patient gate's exception reaches the patients module and nothing else of the modules.",
      severity: "error",
      from: { path: "^app/auth/patient-gate\\.server\\.ts$" },
      to: { path: "^app/(modules|routes|components|jobs)/", pathNot: "^app/modules/patients/" },
    },
    onlyTo(
      "components-only-to-lib",
      "Components are presentational React: other components and lib only, never data access. A form may " +
        "offer a module's vocabulary from its labels.ts, which holds plain lists (see module-labels-are-plain-lists).",
      "^app/components/",
      ["^app/components/", "^app/lib/", "^app/modules/[^/]+/labels\\.ts$"],
    ),
    onlyTo(
      "module-labels-are-plain-lists",
      "A module's labels.ts reaches the browser: lists and their labels only, no queries, services or schemas.",
      "^app/modules/[^/]+/labels\\.ts$",
      ["^app/lib/", "^app/modules/[^/]+/labels\\.ts$", "^db/schema\\.ts$"],
    ),
    onlyTo(
      "lib-imports-no-app-folder",
      "app/lib is the bottom layer: small helpers every layer may use, so it imports nothing else of the code " +
        "but the validated configuration (app/env.server.ts).",
      "^app/lib/",
      ["^app/lib/", "^app/env\\.server\\.ts$"],
    ),
    onlyTo(
      "emails-only-to-lib",
      "Email templates render what they are given: other templates and app/lib only.",
      "^emails/",
      ["^emails/", "^app/lib/"],
    ),
    {
      name: "schema-and-migrations-import-no-app",
      comment:
        "Migrations are frozen in time and db/schema.ts types the tables they make: neither depends on the application.",
      severity: "error",
      from: { path: "^db/(migrations/|schema\\.ts$)" },
      to: { path: "^(app|emails|server|bench)/" },
    },
    {
      name: "no-bench-in-the-product",
      comment: "Benchmark tooling (bench/) is run beside the product, never imported by it.",
      severity: "error",
      from: { path: "^(app|db|server|emails)/" },
      to: { path: "^bench/" },
    },
    {
      name: "no-circular",
      comment:
        "No import loops: every layer and module can be read from the bottom up. A folder route's types.ts may " +
        "name its loader's type: type-only imports are gone at run time.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "no-orphans",
      comment: "Every file is used: imported by another, or an entry point (a route, a script, the server).",
      severity: "error",
      from: {
        orphan: true,
        pathNot: [
          "(^|/)[^/]+\\.d\\.ts$",
          "^app/(root|entry\\.client|entry\\.server)\\.tsx$",
          "^app/routes/[^/]+\\.tsx?$",
          "^app/routes/[^/]+/route\\.tsx?$",
          "^server/index\\.ts$",
          "^db/(migrate|seed)\\.ts$",
          "^bench/[^/]+\\.ts$",
        ],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(build|public/build|node_modules)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
