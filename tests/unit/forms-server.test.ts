import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NUL_MESSAGE } from "~/lib/forms";
import type { FormAnswer } from "~/lib/form-answer";
import { answerForm, parseSubmission, showFormAgain } from "~/lib/forms.server";
import { NoteError } from "~/modules/notes/notes.server";
import { acceptSchema, inviteSchema, resetSchema } from "~/modules/users/schema";

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

describe("parseSubmission", () => {
  it("returns the parsed value when the input is valid", () => {
    const submission = parseSubmission(
      form([
        ["email", "  Dana@Example.ORG "],
        ["role", "therapist"],
      ]),
      inviteSchema,
    );
    expect(submission.status).toBe("success");
    if (submission.status === "success")
      expect(submission.value).toEqual({ email: "dana@example.org", role: "therapist" });
  });

  it("keys every error by its field and echoes what was typed", () => {
    const reply = parseSubmission(
      form([
        ["email", "not-an-email"],
        ["role", "superuser"],
      ]),
      inviteSchema,
    ).reply();
    expect(reply.status).toBe("error");
    expect(reply.error).toEqual({
      email: ["Enter a valid email address, like name@example.org."],
      role: ["Choose a role."],
    });
    expect(reply.initialValue).toEqual({ email: "not-an-email", role: "superuser" });
  });

  it("reports a missing field under its own name", () => {
    const reply = parseSubmission(form([["role", "admin"]]), inviteSchema).reply();
    expect(Object.keys(reply.error ?? {})).toEqual(["email"]);
  });

  it("keeps an empty field as an empty string, so the schema's own message for a blank answer shows", () => {
    const schema = z.object({ reason: z.string().trim().min(1, "Enter the reason.") });
    expect(parseSubmission(form([["reason", ""]]), schema).reply().error).toEqual({ reason: ["Enter the reason."] });
  });

  it("puts a cross-field error on the field it names and never echoes passwords", () => {
    const reply = parseSubmission(
      form([
        ["password", "a long enough secret 1"],
        ["confirmPassword", "a different secret 22"],
      ]),
      resetSchema,
    ).reply();
    expect(reply.error).toEqual({ confirmPassword: ["The two passwords do not match."] });
    expect(JSON.stringify(reply)).not.toContain("secret");
  });

  it("does not echo passwords or tokens with a refusal of a valid form either", () => {
    const submission = parseSubmission(
      form([
        ["password", "hunter2hunter2"],
        ["confirmPassword", "hunter2hunter2"],
        ["resetToken", "tok_abc"],
        ["note", "hi"],
      ]),
      resetSchema,
    );
    const reply = submission.reply({ formErrors: ["This link is no longer valid."] });
    expect(reply.initialValue).toEqual({ note: "hi" });
    expect(reply.error).toEqual({ "": ["This link is no longer valid."] });
  });

  it("checks an outside provider's NPI and licence on the accept form", () => {
    const reply = parseSubmission(
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
      acceptSchema({ outsideProvider: true, today: "2026-11-28" }),
    ).reply();
    expect(Object.keys(reply.error ?? {}).sort()).toEqual(["licenceExpiresOn", "npi"]);
    expect(reply.error?.npi?.[0]).toMatch(/check digit/);
    expect(reply.initialValue).toMatchObject({ npi: "1234567890" });
    expect(reply.initialValue).not.toHaveProperty("password");
    expect(reply.initialValue).not.toHaveProperty("confirmPassword");
  });

  it("collects multi-valued fields as arrays, and an absent one as an empty array", () => {
    const schema = z.object({
      scope: z.array(z.enum(["a", "b", "c"])).min(1, "Choose at least one."),
      other: z.array(z.string()),
    });
    const ok = parseSubmission(
      form([
        ["scope", "a"],
        ["scope", "c"],
      ]),
      schema,
    );
    expect(ok).toMatchObject({ status: "success", value: { scope: ["a", "c"], other: [] } });
    expect(parseSubmission(form([]), schema).reply().error).toEqual({ scope: ["Choose at least one."] });
  });

  it("files a whole-object error as the form's own message", () => {
    const schema = z.object({ a: z.string().optional() }).refine(() => false, "Something is off.");
    expect(parseSubmission(form([["a", "x"]]), schema).reply().error).toEqual({ "": ["Something is off."] });
  });

  it("refuses U+0000 in any field, even when the schema would take it", () => {
    const schema = z.object({ note: z.string(), other: z.string() });
    const submission = parseSubmission(
      form([
        ["note", "a\u0000b"],
        ["other", "fine"],
      ]),
      schema,
    );
    expect(submission.status).toBe("error");
    expect(submission.reply().error).toEqual({ note: [NUL_MESSAGE] });
    expect(showFormAgain(submission).init?.status).toBe(400);
  });

  it("answers a blur check (Conform's validate intent) with 200, and a forged intent with 400", () => {
    const check = parseSubmission(
      form([
        ["email", "x"],
        ["__intent__", JSON.stringify({ type: "validate", payload: { name: "email" } })],
      ]),
      inviteSchema,
    );
    expect(check.status).toBeUndefined();
    expect(showFormAgain(check).init?.status).toBe(200);
    let thrown: unknown;
    try {
      parseSubmission(form([["__intent__", "{not json"]]), inviteSchema);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ init: { status: 400 } });
  });
});

describe("answerForm", () => {
  const schema = z.object({ noteId: z.string(), body: z.string() });
  const sent = () =>
    form([
      ["noteId", "n1"],
      ["body", "An addendum"],
    ]);
  const answered = async (error: Error) => {
    const answer = (await answerForm(sent(), { intent: "addendum", target: "n1", schema, refusals: [NoteError] }, () =>
      Promise.reject(error),
    )) as unknown as { data: FormAnswer; init: ResponseInit };
    return {
      status: answer.init.status,
      intent: answer.data.intent,
      target: answer.data.target,
      error: answer.data.result.error,
    };
  };

  it("shows a module's refusal of the whole form as the form's message, with the refusal's own status", async () => {
    expect(await answered(new NoteError("This note was already signed off.", "form", 409))).toEqual({
      status: 409,
      intent: "addendum",
      target: "n1",
      error: { "": ["This note was already signed off."] },
    });
  });

  it("shows a refusal naming a field beside that field, keeping what was typed", async () => {
    const answer = await answered(new NoteError("Only the note's author can add an addendum to it.", "body", 403));
    expect(answer.status).toBe(403);
    expect(answer.error).toEqual({ body: ["Only the note's author can add an addendum to it."] });
  });

  it("lets any other error through", async () => {
    await expect(answered(new Error("connection lost"))).rejects.toThrow("connection lost");
  });
});
