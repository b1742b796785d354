import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import { handleError } from "~/entry.server";
import { loggablePath } from "~/lib/log-path";

const TOKEN = "bm90LWEtcmVhbC10b2tlbi1qdXN0LWEtZm9yZ2VyeQ";

describe("paths in logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("redacts the token of feed, reset and invitation addresses, whatever the case or slashes", () => {
    expect(loggablePath(`/calendar-feed/${TOKEN}.ics`)).toBe("/calendar-feed/[redacted]");
    expect(loggablePath(`/reset-password/${TOKEN}`)).toBe("/reset-password/[redacted]");
    expect(loggablePath(`/join/${TOKEN}`)).toBe("/join/[redacted]");
    expect(loggablePath(`/Calendar-Feed//${TOKEN}.ics`)).toBe("/Calendar-Feed//[redacted]");
    expect(loggablePath(`//join/${TOKEN}/extra`)).toBe("//join/[redacted]/extra");
    // Other paths are kept as they are: they name pages, not secrets.
    expect(loggablePath("/patients/0b6f3c1e-1c7b-4a53-9a57-2c2a8f1d7e10/notes")).toBe(
      "/patients/0b6f3c1e-1c7b-4a53-9a57-2c2a8f1d7e10/notes",
    );
    expect(loggablePath("/joined/x")).toBe("/joined/x");
  });

  it("never writes a token to the error log when a token page fails", () => {
    const logged: unknown[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(...args));
    const context = { reportError: () => undefined } as unknown as AppLoadContext;
    for (const path of [`/calendar-feed/${TOKEN}.ics`, `/reset-password/${TOKEN}`, `/join/${TOKEN}`]) {
      handleError(new Error("database went away"), {
        request: new Request(`http://portal.ember.test${path}?x=1`),
        context,
      });
    }
    const text = logged.map((l) => (l instanceof Error ? l.stack : String(l))).join("\n");
    expect(text).toContain("error on GET /calendar-feed/[redacted]");
    expect(text).toContain("/reset-password/[redacted]");
    expect(text).toContain("/join/[redacted]");
    expect(text).not.toContain(TOKEN);
  });
});
