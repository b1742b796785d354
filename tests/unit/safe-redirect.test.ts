import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/auth/session.server";

const ORIGIN = "https://portal.ember.test";
/** Where a browser would actually go after `Location: <path>` from the portal. */
const resolvedOrigin = (path: string) => new URL(path, ORIGIN).origin;

describe("safeRedirectPath", () => {
  it.each(["/", "/patients", "/admin/users?page=2", "/patients/abc#notes", "/a/b/c?redirectTo=//evil.example"])(
    "keeps the same-site path %j",
    (path) => {
      expect(safeRedirectPath(path)).toBe(path);
    },
  );

  it.each([
    "//evil.example",
    "//evil.example/patients",
    "/\\evil.example",
    "/\\/evil.example",
    "http://evil.example",
    "https://evil.example/login",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "patients",
    "",
    " /patients",
    " //evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\t\\evil.example",
    "/\u0000/evil.example",
  ])("refuses %j", (path) => {
    expect(safeRedirectPath(path)).toBe("/");
    expect(safeRedirectPath(path, "/home")).toBe("/home");
  });

  it.each([null, undefined])("falls back for %s", (value) => {
    expect(safeRedirectPath(value)).toBe("/");
  });

  it("falls back for an uploaded file", () => {
    expect(safeRedirectPath(new File(["/patients"], "x.txt"))).toBe("/");
  });

  it("never returns a path that a browser resolves to another origin", () => {
    const pieces = ["/", "//", "\\", "/\\", "\t", "\n", "\r", " ", "evil.example", "%2f", "@", ":", "?", "#", "http:"];
    const candidates: string[] = [];
    for (const a of pieces) for (const b of pieces) for (const c of pieces) candidates.push(a + b + c);
    for (const candidate of candidates) {
      const result = safeRedirectPath(candidate);
      expect(resolvedOrigin(result), JSON.stringify(candidate)).toBe(ORIGIN);
    }
  });
});
