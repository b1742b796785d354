import { data, type AppLoadContext } from "@remix-run/node";
import type { z } from "zod";
import type { Actor } from "~/auth/actor";
import type { AuditContext } from "~/audit/audit.server";
import { redirectWithFlash } from "~/lib/flash.server";
import type { FormAnswer } from "~/lib/form-answer";
import { answerForm, parseSubmission } from "~/lib/forms.server";
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
export type CareTeamAnswer = FormAnswer | undefined;

/** The membership or release was changed by someone else since the page was loaded. */
class AlreadyChanged extends Error {}

/** Runs one of the page's forms; a refused one is shown again beside its member (`targetField` names the row). */
const withForm = <S extends z.ZodType>(
  change: CareTeamChange,
  intent: string,
  targetField: string | null,
  schema: S,
  run: (value: z.output<S>) => Promise<string | ReturnType<typeof data<FormAnswer>>>,
) =>
  answerForm(
    change.formData,
    {
      intent,
      target: (targetField && change.formData.get(targetField)?.toString()) || undefined,
      schema,
      refusals: [CareTeamError, InvitationError, AlreadyChanged],
    },
    async (value) => {
      const outcome = await run(value);
      if (typeof outcome !== "string") return outcome;
      return redirectWithFlash(change.context, `/patients/${change.patientId}/care-team`, {
        kind: "success",
        message: outcome,
      });
    },
  );

/**
 * The release sent with an invitation or with a provider added to the team, if any: its dates say
 * whether one was signed (the scope boxes come ticked).
 */
function releaseSentWith(
  intent: "add" | "invite",
  { formData, today }: CareTeamChange,
): {
  release?: z.output<ReturnType<typeof releaseFieldsSchema>>;
  refusal?: ReturnType<typeof data<FormAnswer>>;
} {
  if (!["signedOn", "expiresOn"].some((k) => String(formData.get(k) ?? "") !== "")) return { release: undefined };
  const submission = parseSubmission(formData, releaseFieldsSchema(today));
  const refuse = (result: FormAnswer["result"]) => ({
    refusal: data<FormAnswer>({ intent, result }, { status: submission.status === undefined ? 200 : 400 }),
  });
  if (submission.status !== "success") return refuse(submission.reply());
  if (submission.value.expiresOn <= submission.value.signedOn)
    return refuse(submission.reply({ fieldErrors: { expiresOn: ["The expiry date must be after the date signed."] } }));
  return { release: submission.value };
}

export const CARE_TEAM_INTENTS = {
  add: (change: CareTeamChange) =>
    withForm(change, "add", null, addMemberSchema, async (form) => {
      const { context, audit, patientId, now } = change;
      const { release, refusal } = releaseSentWith("add", change);
      if (refusal) return refusal;
      await addCareTeamMember(context.db, audit, { patientId, ...form, release, now, appUrl: context.config.appUrl });
      context.wakeMailer();
      return release
        ? "Provider added to the care team with their release of information."
        : "Provider added to the care team. Record their release of information so they can see this patient.";
    }),
  invite: (change: CareTeamChange) =>
    withForm(change, "invite", null, inviteMemberSchema, async (form) => {
      const { context, actor, audit, patientId, now } = change;
      const { release, refusal } = releaseSentWith("invite", change);
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
    withForm(change, "end", "memberId", endMemberSchema, async (form) => {
      const { context, audit, patientId, now } = change;
      if (!(await endCareTeamMembership(context.db, audit, { patientId, ...form, now })))
        throw new AlreadyChanged("That membership had already ended.");
      return "Membership ended. The provider no longer sees this patient.";
    }),
  release: (change: CareTeamChange) =>
    withForm(change, "release", "providerId", releaseSchema(change.today), async (form) => {
      const { context, audit, patientId, now } = change;
      await recordRelease(context.db, audit, { patientId, ...form, now, appUrl: context.config.appUrl });
      context.wakeMailer();
      return "Release of information recorded.";
    }),
  revoke: (change: CareTeamChange) =>
    withForm(change, "revoke", "releaseId", revokeReleaseSchema, async (form) => {
      const { context, audit, patientId, now } = change;
      if (!(await revokeRelease(context.db, audit, { patientId, ...form, now })))
        throw new AlreadyChanged("That release was already revoked.");
      return "Release revoked. The provider's access ended with this change.";
    }),
};
