import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formState, parseForm, submittedValues } from "~/lib/forms";
import { acceptSchema, inviteSchema, resetSchema } from "~/modules/users/schema";

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

describe("parseForm", () => {
  it("returns parsed data when the input is valid", () => {
    const result = parseForm(
      inviteSchema,
      form([
        ["email", "  Dana@Example.ORG "],
        ["role", "therapist"],
      ]),
    );
    expect(result).toEqual({
      ok: true,
      data: { email: "dana@example.org", role: "therapist" },
      values: { email: "  Dana@Example.ORG ", role: "therapist" },
    });
  });

  it("keys every error by its field and echoes what was typed", () => {
    const result = parseForm(
      inviteSchema,
      form([
        ["email", "not-an-email"],
        ["role", "superuser"],
      ]),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["email", "role"]);
    expect(result.errors.email).toEqual(["Enter a valid email address, like name@example.org."]);
    expect(result.errors.role).toEqual(["Choose a role."]);
    expect(result.values).toEqual({ email: "not-an-email", role: "superuser" });
  });

  it("reports a missing field under its own name", () => {
    const result = parseForm(inviteSchema, form([["role", "admin"]]));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual(["email"]);
  });

  it("puts a cross-field error on the field it names and never echoes passwords", () => {
    const result = parseForm(
      resetSchema,
      form([
        ["password", "a long enough secret 1"],
        ["confirmPassword", "a different secret 22"],
      ]),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({ confirmPassword: ["The two passwords do not match."] });
    expect(result.values).toEqual({});
    expect(JSON.stringify(result)).not.toContain("secret");
  });

  it("does not echo passwords or tokens even when the form is valid", () => {
    const result = parseForm(
      resetSchema,
      form([
        ["password", "hunter2hunter2"],
        ["confirmPassword", "hunter2hunter2"],
        ["token", "tok_abc"],
        ["note", "hi"],
      ]),
    );
    expect(result.ok).toBe(true);
    expect(result.values).toEqual({ note: "hi" });
    expect(JSON.stringify(result.values)).not.toContain("hunter2");
  });

  it("does not echo a too-short password together with its error", () => {
    const result = parseForm(
      resetSchema,
      form([
        ["password", "short1"],
        ["confirmPassword", "short1"],
      ]),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.password).toEqual(["Use at least 12 characters."]);
    expect(Object.keys(result.values)).toEqual([]);
  });

  it("checks an outside provider's NPI and licence on the accept form", () => {
    const schema = acceptSchema({ outsideProvider: true, today: "2026-11-28" });
    const result = parseForm(
      schema,
      form([
        ["name", "Dana Whitfield"],
        ["password", "a long enough secret 1"],
        ["confirmPassword", "a long enough secret 1"],
        ["licenceType", "LCSW"],
        ["licenceNumber", "R-1"],
        ["licenceState", "NY"],
        ["licenceExpiresOn", "2026-11-28"],
        ["npi", "1234567890"],
      ]),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["licenceExpiresOn", "npi"]);
    expect(result.errors.npi![0]).toMatch(/check digit/);
    expect(result.values.npi).toBe("1234567890");
    expect(result.values).not.toHaveProperty("password");
    expect(result.values).not.toHaveProperty("confirmPassword");
  });

  it("collects multi-valued fields as arrays, and an absent one as an empty array", () => {
    const schema = z.object({
      scope: z.array(z.enum(["a", "b", "c"])).min(1, "Choose at least one."),
      other: z.array(z.string()),
    });
    const ok = parseForm(
      schema,
      form([
        ["scope", "a"],
        ["scope", "c"],
      ]),
      ["scope", "other"],
    );
    expect(ok).toMatchObject({ ok: true, data: { scope: ["a", "c"], other: [] } });
    const empty = parseForm(schema, form([]), ["scope", "other"]);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.errors).toEqual({ scope: ["Choose at least one."] });
  });

  it("files a whole-object error under 'form'", () => {
    const schema = z.object({ a: z.string().optional() }).refine(() => false, "Something is off.");
    const result = parseForm(schema, form([["a", "x"]]));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual({ form: ["Something is off."] });
  });
});

describe("submittedValues", () => {
  it("skips any field whose name mentions a password or token, in any case", () => {
    const values = submittedValues(
      form([
        ["Password", "x"],
        ["newPASSWORD", "x"],
        ["resetToken", "x"],
        ["email", "a@b.c"],
      ]),
    );
    expect(values).toEqual({ email: "a@b.c" });
  });

  it("skips uploaded files", () => {
    const data = form([["name", "A"]]);
    data.append("upload", new File(["secret"], "a.txt"));
    expect(submittedValues(data)).toEqual({ name: "A" });
  });
});

describe("formState", () => {
  it("fills the missing parts", () => {
    expect(formState({})).toEqual({ errors: {}, values: {}, formError: null });
  });
});
