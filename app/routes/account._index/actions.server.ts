import type { AppLoadContext } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import type { SubmissionResult } from "@conform-to/react";
import type { z } from "zod";
import {
  changeEmail,
  changePassword,
  confirmIdentity,
  disableTotp,
  ReauthError,
  regenerateRecoveryCodes,
} from "~/auth/account.server";
import type { Actor } from "~/auth/actor";
import { auditContextOf, sessionCookieHeader } from "~/auth/session.server";
import { setFlash } from "~/lib/flash.server";
import { parseSubmission } from "~/lib/forms.server";
import { changeEmailSchema, changePasswordSchema, reauthSchema } from "~/modules/users/forms.server";

/** What every change on the account page starts from: who asks, with which form. */
export interface AccountChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
}

// Four forms share this action: the reply names the one it answers.
const reply = (intent: string, result: SubmissionResult, status = 400) =>
  data({ intent, codes: null as string[] | null, result }, { status });

async function done({ context }: AccountChange, message: string, rotatedSessionId?: string | null) {
  const headers = new Headers({ "Set-Cookie": await setFlash(context, { kind: "success", message }) });
  if (rotatedSessionId !== undefined) headers.append("Set-Cookie", sessionCookieHeader(context, rotatedSessionId));
  return redirect("/account", { headers });
}

/**
 * Every change asks who you are again before its own fields count: the parsed form once the
 * password (and code) check out, or the reply that shows the form again.
 */
async function reauthenticate<S extends z.ZodType<z.infer<typeof reauthSchema>>>(
  { context, formData, actor }: AccountChange,
  intent: string,
  schema: S,
) {
  const submission = parseSubmission(formData, schema);
  if (submission.status !== "success")
    return { refused: reply(intent, submission.reply(), submission.status ? 400 : 200) } as const;
  const now = context.now();
  const audit = auditContextOf(context, actor);
  try {
    await confirmIdentity(context.db, context.config.secretsKey, audit, {
      userId: actor.id,
      password: submission.value.currentPassword,
      code: submission.value.currentCode,
      now,
      limits: context.config.throttle,
    });
  } catch (error) {
    if (!(error instanceof ReauthError)) throw error;
    return {
      refused: error.field
        ? reply(intent, submission.reply({ fieldErrors: { [error.field]: [error.message] } }))
        : reply(intent, submission.reply({ formErrors: [error.message] }), error.throttled ? 429 : 400),
    } as const;
  }
  return { submission, audit, base: { userId: actor.id, sessionId: actor.sessionId, now } } as const;
}

async function password(change: AccountChange, intent: string) {
  const r = await reauthenticate(change, intent, changePasswordSchema);
  if ("refused" in r) return r.refused;
  return done(
    change,
    "Password changed. Every other session was signed out.",
    await changePassword(change.context.db, r.audit, { ...r.base, newPassword: r.submission.value.newPassword }),
  );
}

async function email(change: AccountChange, intent: string) {
  const r = await reauthenticate(change, intent, changeEmailSchema);
  if ("refused" in r) return r.refused;
  const changed = await changeEmail(change.context.db, r.audit, { ...r.base, email: r.submission.value.newEmail });
  return changed
    ? done(change, "Email changed. Every other session was signed out.")
    : reply(intent, r.submission.reply({ fieldErrors: { newEmail: ["Another account uses this email."] } }));
}

async function recoveryCodes(change: AccountChange, intent: string) {
  const r = await reauthenticate(change, intent, reauthSchema);
  if ("refused" in r) return r.refused;
  return {
    intent,
    codes: await regenerateRecoveryCodes(change.context.db, r.audit, r.base),
    result: r.submission.reply({ resetForm: true }),
  };
}

async function disableMfa(change: AccountChange, intent: string) {
  const r = await reauthenticate(change, intent, reauthSchema);
  if ("refused" in r) return r.refused;
  return (await disableTotp(change.context.db, r.audit, { ...r.base, role: change.actor.role }))
    ? done(change, "Two-step sign-in is off. Every other session was signed out.")
    : reply(intent, r.submission.reply({ formErrors: ["Ember staff must keep two-step sign-in on."] }), 403);
}

export const ACCOUNT_INTENTS = {
  password,
  email,
  "recovery-codes": recoveryCodes,
  "disable-mfa": disableMfa,
};
