import { data, type AppLoadContext } from "@remix-run/node";
import type { z } from "zod";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseSubmission } from "~/lib/forms.server";
import {
  addCareTeamMember,
  CareTeamError,
  endCareTeamMembership,
  recordRelease,
  revokeRelease,
} from "~/modules/patients/care-team.server";
import {
  addMemberSchema,
  endMemberSchema,
  inviteMemberSchema,
  releaseFieldsSchema,
  releaseSchema,
  revokeReleaseSchema,
} from "~/modules/patients/forms.server";
import { createInvitation, InvitationError } from "~/modules/users/invitations.server";

/** What every change to a care team starts from: the coordinator, the patient and the form sent. */
export interface CareTeamChange {
  context: AppLoadContext;
  formData: FormData;
  actor: Actor;
  audit: AuditContext;
  patientId: string;
  today: string;
  now: Date;
}

/** A form's answer, tagged with the form (and the member or release) it belongs to. */
export type CareTeamAnswer = { intent: string; target: string; result: unknown } | undefined;

type Submission = ReturnType<typeof parseSubmission>;
type ReplyOptions = Parameters<Submission["reply"]>[0];

/** The form shown again: 400 when refused, 200 when the browser only asked for a field to be checked. */
function showAgain(intent: string, target: string, submission: Submission, options?: ReplyOptions, status?: number) {
  return data(
    { intent, target, result: submission.reply(options) },
    { status: status ?? (submission.status === undefined ? 200 : 400) },
  );
}

type Refusal = ReturnType<typeof showAgain>;

/**
 * Runs a form through its schema, then `run`: a success message, or a refusal worded for the whole
 * form. A refusal of the care-team or invitation module names the field it is about.
 */
async function withForm<S extends z.ZodType>(
  change: CareTeamChange,
  intent: string,
  targetField: string | null,
  schema: S,
  run: (value: z.output<S>, refuse: (formError: string) => Refusal) => Promise<string | Refusal>,
) {
  const target = targetField ? String(change.formData.get(targetField) ?? "") : "";
  const submission = parseSubmission(change.formData, schema);
  if (submission.status !== "success") return showAgain(intent, target, submission);
  try {
    const outcome = await run(submission.value, (formError) =>
      showAgain(intent, target, submission, { formErrors: [formError] }, 409),
    );
    if (typeof outcome !== "string") return outcome;
    return redirectWithFlash(change.context, `/patients/${change.patientId}/care-team`, {
      kind: "success",
      message: outcome,
    });
  } catch (error) {
    if (error instanceof CareTeamError || error instanceof InvitationError)
      return showAgain(intent, target, submission, { fieldErrors: { [error.field ?? "email"]: [error.message] } });
    throw error;
  }
}

type ReleaseFields = z.output<ReturnType<typeof releaseFieldsSchema>>;

/** The release signed with an invitation, if any: its dates say whether one was signed (the scope boxes come ticked). */
function releaseWithInvitation({ formData, today }: CareTeamChange): { release?: ReleaseFields; refusal?: Refusal } {
  if (!["signedOn", "expiresOn"].some((k) => String(formData.get(k) ?? "") !== "")) return { release: undefined };
  const submission = parseSubmission(formData, releaseFieldsSchema(today));
  if (submission.status !== "success") return { refusal: showAgain("invite", "", submission) };
  if (submission.value.expiresOn <= submission.value.signedOn)
    return {
      refusal: showAgain("invite", "", submission, {
        fieldErrors: { expiresOn: ["The expiry date must be after the date signed."] },
      }),
    };
  return { release: submission.value };
}

export const CARE_TEAM_INTENTS = {
  add: (change: CareTeamChange) =>
    withForm(change, "add", null, addMemberSchema, async (form) => {
      const { context, audit, patientId, now } = change;
      await addCareTeamMember(context.db, audit, { patientId, ...form, now });
      return "Provider added to the care team. Record their release of information so they can see this patient.";
    }),
  invite: (change: CareTeamChange) =>
    withForm(change, "invite", null, inviteMemberSchema, async (form) => {
      const { context, actor, audit, patientId, now } = change;
      const { release, refusal } = releaseWithInvitation(change);
      if (refusal) return refusal;
      await createInvitation(context.db, audit, {
        email: form.email,
        role: form.providerRole,
        inviterName: actor.name,
        appUrl: context.config.appUrl,
        secretsKey: context.config.secretsKey,
        now,
        careTeam: { patientId, teamRole: form.teamRole, release },
      });
      context.wakeMailer();
      return `Invitation sent to ${form.email}. They join the care team when they accept.`;
    }),
  end: (change: CareTeamChange) =>
    withForm(change, "end", "memberId", endMemberSchema, async (form, refuse) => {
      const { context, audit, patientId, now } = change;
      const ended = await endCareTeamMembership(context.db, audit, { patientId, ...form, now });
      return ended
        ? "Membership ended. The provider no longer sees this patient."
        : refuse("That membership had already ended.");
    }),
  release: (change: CareTeamChange) =>
    withForm(change, "release", "providerId", releaseSchema(change.today), async (form) => {
      const { context, audit, patientId, now } = change;
      await recordRelease(context.db, audit, { patientId, ...form, now });
      return "Release of information recorded.";
    }),
  revoke: (change: CareTeamChange) =>
    withForm(change, "revoke", "releaseId", revokeReleaseSchema, async (form, refuse) => {
      const { context, audit, patientId, now } = change;
      const revoked = await revokeRelease(context.db, audit, { patientId, ...form, now });
      return revoked
        ? "Release revoked. The provider's access ended with this change."
        : refuse("That release was already revoked.");
    }),
};
