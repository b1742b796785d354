import type { AppLoadContext } from "@remix-run/node";
import type { Actor } from "~/auth/actor";
import { redirectWithFlash } from "~/lib/flash.server";
import { formState, parseForm } from "~/lib/forms";
import { refuseIntent } from "~/lib/intents.server";
import type { AuditContext } from "~/audit/audit.server";
import {
  addCareTeamMember,
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
import { createInvitation } from "~/modules/users/invitations.server";

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

const SCOPE_FIELDS = ["scope"];

async function done({ context, patientId }: CareTeamChange, message: string) {
  return redirectWithFlash(context, `/patients/${patientId}/care-team`, { kind: "success", message });
}

async function add(change: CareTeamChange) {
  const { context, formData, audit, patientId, now } = change;
  const form = parseForm(addMemberSchema, formData);
  if (!form.ok) return refuseIntent(formData, formState(form));
  await addCareTeamMember(context.db, audit, { patientId, ...form.data, now });
  return done(
    change,
    "Provider added to the care team. Record their release of information so they can see this patient.",
  );
}

async function invite(change: CareTeamChange) {
  const { context, formData, actor, audit, patientId, today, now } = change;
  const form = parseForm(inviteMemberSchema, formData);
  if (!form.ok) return refuseIntent(formData, formState(form));
  // The release is optional: its dates say whether one was signed. The scope boxes come ticked, so they alone do not.
  const wantsRelease = ["signedOn", "expiresOn"].some((k) => String(formData.get(k) ?? "") !== "");
  let release;
  if (wantsRelease) {
    const parsed = parseForm(releaseFieldsSchema(today), formData, SCOPE_FIELDS);
    if (!parsed.ok) return refuseIntent(formData, formState(parsed));
    if (parsed.data.expiresOn <= parsed.data.signedOn)
      return refuseIntent(
        formData,
        formState({ errors: { expiresOn: ["The expiry date must be after the date signed."] }, values: parsed.values }),
      );
    release = parsed.data;
  }
  await createInvitation(context.db, audit, {
    email: form.data.email,
    role: form.data.providerRole,
    inviterName: actor.name,
    appUrl: context.config.appUrl,
    secretsKey: context.config.secretsKey,
    now,
    careTeam: { patientId, teamRole: form.data.teamRole, release },
  });
  context.wakeMailer();
  return done(change, `Invitation sent to ${form.data.email}. They join the care team when they accept.`);
}

async function end(change: CareTeamChange) {
  const { context, formData, audit, patientId, now } = change;
  const form = parseForm(endMemberSchema, formData);
  if (!form.ok) return refuseIntent(formData, formState(form));
  const ended = await endCareTeamMembership(context.db, audit, { patientId, ...form.data, now });
  return ended
    ? done(change, "Membership ended. The provider no longer sees this patient.")
    : refuseIntent(formData, formState({ formError: "That membership had already ended." }), 409);
}

async function release(change: CareTeamChange) {
  const { context, formData, audit, patientId, today, now } = change;
  const form = parseForm(releaseSchema(today), formData, SCOPE_FIELDS);
  if (!form.ok) return refuseIntent(formData, formState(form));
  await recordRelease(context.db, audit, { patientId, ...form.data, now });
  return done(change, "Release of information recorded.");
}

async function revoke(change: CareTeamChange) {
  const { context, formData, audit, patientId, now } = change;
  const form = parseForm(revokeReleaseSchema, formData);
  if (!form.ok) return refuseIntent(formData, formState(form));
  const revoked = await revokeRelease(context.db, audit, { patientId, ...form.data, now });
  return revoked
    ? done(change, "Release revoked. The provider's access ended with this change.")
    : refuseIntent(formData, formState({ formError: "That release was already revoked." }), 409);
}

export const CARE_TEAM_INTENTS = { add, invite, end, release, revoke };
