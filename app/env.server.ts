import { createHash, createHmac } from "node:crypto";
import { z } from "zod";

const positive = (fallback: number) => z.coerce.number().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

/**
 * Every setting the portal reads from the environment. `PORTAL_ENV=production` is a real
 * deployment: it requires PostgreSQL, Resend and an https address, and turns off the local
 * mailbox and demo data.
 */
const envSchema = z
  .object({
    PORTAL_ENV: z.enum(["local", "production"]).default("local"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    // Unset: only this machine can reach a local portal; production listens on every interface.
    HOST: z.string().min(1).optional(),
    APP_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    DATABASE_MIGRATION_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    DATA_DIR: z.string().default(".data/portal"),
    SEED_DEMO: flag,
    SESSION_IDLE_MINUTES: positive(30),
    SESSION_ABSOLUTE_HOURS: positive(12),
    SIGN_IN_MAX_FAILURES_PER_ACCOUNT: count(5),
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: count(50),
    // At most a day: failed attempts older than that are pruned (THROTTLE_RETENTION_MS).
    SIGN_IN_THROTTLE_MINUTES: z.coerce
      .number()
      .positive()
      .max(24 * 60)
      .default(15),
    TRUST_PROXY: flag,
    RESEND_API_KEY: z.string().min(1).optional(),
    RESEND_BASE_URL: z.url().optional(),
    MAIL_FROM: z.string().default("Ember Health Portal <portal@localhost>"),
    MAIL_WORKER_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
    SECRETS_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 random bytes in base64 (openssl rand -base64 32)")
      .optional(),
    STAFF_MFA_REQUIRED: flag,
    LOG_LEVEL: z.enum(["silent", "error", "info", "debug"]).default("info"),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_MIGRATION_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_MIGRATION_URL"],
        message: "needs DATABASE_URL (the runtime role) beside it",
      });
    }
    if (env.PORTAL_ENV !== "production") return;
    for (const key of ["DATABASE_URL", "RESEND_API_KEY", "APP_URL", "SECRETS_KEY"] as const) {
      if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when PORTAL_ENV=production" });
    }
    if (env.APP_URL && !env.APP_URL.startsWith("https://")) {
      ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "must be https:// when PORTAL_ENV=production" });
    }
    if (env.SEED_DEMO) {
      ctx.addIssue({ code: "custom", path: ["SEED_DEMO"], message: "demo data is never loaded in production" });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  production: boolean;
  port: number;
  host: string;
  appUrl: string;
  databaseUrl: string | undefined;
  /** The owner's connection, for migrations only; the server then runs as DATABASE_URL's role. */
  databaseMigrationUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  seedDemo: boolean;
  session: { idleMs: number; absoluteMs: number; secureCookie: boolean };
  throttle: { perAccount: number; perAddress: number; windowMs: number };
  trustProxy: boolean;
  mail: { resendApiKey?: string; resendBaseUrl?: string; from: string; workerIntervalMs: number; mailbox: boolean };
  logLevel: Env["LOG_LEVEL"];
  /** Encrypts second-factor secrets at rest. A fixed development key outside production. */
  secretsKey: Buffer;
  /** Signs the flash cookie; derived from secretsKey, so production never signs with a development secret. */
  cookieSecret: string;
  /** Ember staff must enrol a second factor: always in production; opt-in on a local or demo portal. */
  staffMfaRequired: boolean;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  const env = parsed.data;
  const production = env.PORTAL_ENV === "production";
  const secretsKey = env.SECRETS_KEY
    ? Buffer.from(env.SECRETS_KEY, "base64")
    : createHash("sha256").update("ember-portal local development key").digest();
  return {
    production,
    port: env.PORT,
    host: env.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
    appUrl: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    databaseUrl: env.DATABASE_URL,
    databaseMigrationUrl: env.DATABASE_MIGRATION_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    dataDir: env.DATA_DIR,
    // The embedded database is for trying the portal: it always has demo data. A PostgreSQL
    // database gets it only when asked with SEED_DEMO=true.
    seedDemo: env.DATABASE_URL ? env.SEED_DEMO : !production,
    session: {
      idleMs: env.SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: env.SESSION_ABSOLUTE_HOURS * 3_600_000,
      secureCookie: production,
    },
    throttle: {
      perAccount: env.SIGN_IN_MAX_FAILURES_PER_ACCOUNT,
      perAddress: env.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
      windowMs: env.SIGN_IN_THROTTLE_MINUTES * 60_000,
    },
    trustProxy: env.TRUST_PROXY,
    mail: {
      resendApiKey: env.RESEND_API_KEY,
      resendBaseUrl: env.RESEND_BASE_URL,
      from: env.MAIL_FROM,
      workerIntervalMs: env.MAIL_WORKER_INTERVAL_MS,
      // Never in production (which requires RESEND_API_KEY anyway): /dev/mail shows live links.
      mailbox: !production && !env.RESEND_API_KEY,
    },
    logLevel: env.LOG_LEVEL,
    staffMfaRequired: production || env.STAFF_MFA_REQUIRED,
    secretsKey,
    cookieSecret: createHmac("sha256", secretsKey).update("ember-portal flash cookie").digest("base64url"),
  };
}
