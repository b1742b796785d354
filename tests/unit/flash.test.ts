import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { loadConfig } from "~/env.server";
import { readFlash, setFlash } from "~/lib/flash.server";

const local = { config: loadConfig({}) };
const production = {
  config: loadConfig({
    PORTAL_ENV: "production",
    DATABASE_URL: "postgres://portal@db.internal:5432/portal",
    RESEND_API_KEY: "re_not_a_real_key",
    APP_URL: "https://portal.ember.test",
    SECRETS_KEY: randomBytes(32).toString("base64"),
  }),
};
const requestWith = (setCookie: string) =>
  new Request("https://portal.ember.test/", { headers: { Cookie: setCookie.split(";")[0]! } });
const MESSAGE = { kind: "success", message: "Your password was changed and every session was signed out." } as const;

it("reads back a flash message the portal signed", async () => {
  expect((await readFlash(requestWith(await setFlash(local, MESSAGE)), local)).flash).toEqual(MESSAGE);
  expect((await readFlash(requestWith(await setFlash(production, MESSAGE)), production)).flash).toEqual(MESSAGE);
});

it("ignores a flash cookie that another site or script wrote without the portal's signature", async () => {
  const forged = `ember_flash=${encodeURIComponent(btoa(JSON.stringify(MESSAGE)))}`;
  expect(await readFlash(requestWith(forged), local)).toEqual({ flash: null, clear: null });
  // Production signs with a secret derived from its own SECRETS_KEY, never the development one.
  expect((await readFlash(requestWith(await setFlash(local, MESSAGE)), production)).flash).toBeNull();
  expect(production.config.cookieSecret).not.toBe(local.config.cookieSecret);
  expect(await setFlash(production, MESSAGE)).toMatch(/; Secure/i);
});
