import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "~/env.server";

const PRODUCTION = {
  PORTAL_ENV: "production",
  DATABASE_URL: "postgres://portal@db.internal:5432/portal",
  RESEND_API_KEY: "re_test_key",
  APP_URL: "https://portal.ember.test",
  SECRETS_KEY: Buffer.alloc(32, 7).toString("base64"),
};

/** The problems a configuration error lists, or a failure if the config loaded. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

const variablesNamed = (problems: string[]) => problems.map((p) => p.split(":")[0]).sort();

describe("loadConfig", () => {
  it("runs locally with no settings at all", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      production: false,
      port: 3000,
      appUrl: "http://localhost:3000",
      databaseUrl: undefined,
      seedDemo: true,
      session: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000, secureCookie: false },
      throttle: { perAccount: 5, perAddress: 50, windowMs: 15 * 60_000 },
      mail: { mailbox: true },
    });
  });

  it("listens only on this machine's loopback unless HOST says otherwise; production listens on every interface", () => {
    expect(loadConfig({}).host).toBe("127.0.0.1");
    expect(loadConfig({ HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
    expect(loadConfig(PRODUCTION).host).toBe("0.0.0.0");
    expect(loadConfig({ ...PRODUCTION, HOST: "10.0.0.5" }).host).toBe("10.0.0.5");
  });

  it("never turns the local mailbox on in production", () => {
    expect(loadConfig(PRODUCTION).mail.mailbox).toBe(false);
    expect(variablesNamed(problemsOf({ ...PRODUCTION, RESEND_API_KEY: undefined }))).toEqual(["RESEND_API_KEY"]);
  });

  it("names each invalid variable, all at once", () => {
    const problems = problemsOf({
      PORT: "eighty",
      DATABASE_URL: "mysql://root@localhost/portal",
      SESSION_IDLE_MINUTES: "-5",
      SIGN_IN_MAX_FAILURES_PER_ACCOUNT: "2.5",
      PORTAL_ENV: "staging",
      LOG_LEVEL: "verbose",
      APP_URL: "not a url",
    });
    expect(variablesNamed(problems)).toEqual(
      [
        "APP_URL",
        "DATABASE_URL",
        "LOG_LEVEL",
        "PORT",
        "PORTAL_ENV",
        "SESSION_IDLE_MINUTES",
        "SIGN_IN_MAX_FAILURES_PER_ACCOUNT",
      ].sort(),
    );
    expect(problems.find((p) => p.startsWith("DATABASE_URL"))).toMatch(/postgres:\/\//);
  });

  it("puts every problem in the error message, one per line", () => {
    expect(() => loadConfig({ PORT: "0", MAIL_WORKER_INTERVAL_MS: "5" })).toThrow(
      /PORT:.*\n.*MAIL_WORKER_INTERVAL_MS:/s,
    );
  });

  it("accepts a complete production configuration", () => {
    const config = loadConfig(PRODUCTION);
    expect(config).toMatchObject({
      production: true,
      appUrl: "https://portal.ember.test",
      databaseUrl: PRODUCTION.DATABASE_URL,
      seedDemo: false,
      session: { secureCookie: true },
      mail: { mailbox: false, resendApiKey: "re_test_key" },
    });
  });

  it.each(["DATABASE_URL", "RESEND_API_KEY", "APP_URL"] as const)("production requires %s", (key) => {
    const problems = problemsOf({ ...PRODUCTION, [key]: undefined });
    expect(variablesNamed(problems)).toEqual([key]);
    expect(problems[0]).toMatch(/required when PORTAL_ENV=production/);
  });

  it("production with nothing else names all four missing variables", () => {
    expect(variablesNamed(problemsOf({ PORTAL_ENV: "production" }))).toEqual([
      "APP_URL",
      "DATABASE_URL",
      "RESEND_API_KEY",
      "SECRETS_KEY",
    ]);
  });

  it("production treats an empty DATABASE_URL as missing", () => {
    expect(variablesNamed(problemsOf({ ...PRODUCTION, DATABASE_URL: "" }))).toEqual(["DATABASE_URL"]);
  });

  it("production requires an https APP_URL", () => {
    const problems = problemsOf({ ...PRODUCTION, APP_URL: "http://portal.ember.test" });
    expect(variablesNamed(problems)).toEqual(["APP_URL"]);
    expect(problems[0]).toMatch(/https/);
  });

  it("local accepts an http APP_URL and drops its trailing slash", () => {
    expect(loadConfig({ APP_URL: "http://localhost:4000/" }).appUrl).toBe("http://localhost:4000");
  });

  describe("demo data", () => {
    it("is always loaded into the embedded database locally", () => {
      expect(loadConfig({}).seedDemo).toBe(true);
      expect(loadConfig({ SEED_DEMO: "false" }).seedDemo).toBe(true);
    });

    it("is loaded into PostgreSQL only when asked", () => {
      const url = "postgres://postgres@127.0.0.1:5432/portal";
      expect(loadConfig({ DATABASE_URL: url }).seedDemo).toBe(false);
      expect(loadConfig({ DATABASE_URL: url, SEED_DEMO: "false" }).seedDemo).toBe(false);
      expect(loadConfig({ DATABASE_URL: url, SEED_DEMO: "true" }).seedDemo).toBe(true);
      expect(loadConfig({ DATABASE_URL: url, SEED_DEMO: "1" }).seedDemo).toBe(true);
    });

    it("is refused in production", () => {
      expect(variablesNamed(problemsOf({ ...PRODUCTION, SEED_DEMO: "true" }))).toEqual(["SEED_DEMO"]);
      expect(loadConfig({ ...PRODUCTION, SEED_DEMO: "false" }).seedDemo).toBe(false);
    });

    it("rejects a flag that is neither true nor false", () => {
      expect(variablesNamed(problemsOf({ SEED_DEMO: "yes" }))).toEqual(["SEED_DEMO"]);
    });
  });

  it("converts minutes and hours to milliseconds", () => {
    const config = loadConfig({
      SESSION_IDLE_MINUTES: "10",
      SESSION_ABSOLUTE_HOURS: "8",
      SIGN_IN_THROTTLE_MINUTES: "5",
    });
    expect(config.session.idleMs).toBe(10 * 60_000);
    expect(config.session.absoluteMs).toBe(8 * 3_600_000);
    expect(config.throttle.windowMs).toBe(5 * 60_000);
  });
});

describe("the secrets key", () => {
  it("is required in production and must be 32 bytes of base64", () => {
    const { SECRETS_KEY: _omitted, ...withoutKey } = PRODUCTION;
    expect(variablesNamed(problemsOf(withoutKey))).toEqual(["SECRETS_KEY"]);
    expect(variablesNamed(problemsOf({ ...PRODUCTION, SECRETS_KEY: "too-short" }))).toEqual(["SECRETS_KEY"]);
    expect(loadConfig(PRODUCTION).secretsKey).toEqual(Buffer.alloc(32, 7));
  });

  it("falls back to a fixed development key outside production", () => {
    expect(loadConfig({}).secretsKey).toHaveLength(32);
    expect(loadConfig({}).secretsKey).toEqual(loadConfig({}).secretsKey);
  });
});
