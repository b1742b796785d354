import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { z } from "zod";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PatientHeader } from "~/components/patient";
import { setFlash } from "~/lib/flash.server";
import { parseSubmission, showFormAgain } from "~/lib/forms.server";
import { addDays } from "~/lib/time";
import {
  clinicSettings,
  confirmEngagement,
  EngagementError,
  engagementByProvider,
} from "~/modules/engagement/engagement.server";
import { openPatient } from "~/auth/patient-gate.server";
import { signerOf } from "~/modules/users/users.server";
import { patientSummary } from "~/modules/patients/patients.server";
import { engagementSchema, intakeSchema } from "~/modules/engagement/forms.server";
import { provisionalIntakes, scheduleIntake } from "~/modules/engagement/intakes.server";
import { isOutsideProvider, OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";
import { ConfirmForm } from "./confirm-form";
import { ConfirmationsTable } from "./confirmations-table";
import { IntakeForm, ProvisionalIntakes } from "./intake-form";

export const meta: MetaFunction = () => [{ title: "Engagement · Ember Health Provider Portal" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, patient } = await openPatient(request, context, params.patientId, { action: "engagement.view" });
  const [records, settings, me, intakes] = await Promise.all([
    engagementByProvider(context.db, patient.id, context.now()),
    clinicSettings(context.db),
    signerOf(context.db, actor.id),
    provisionalIntakes(context.db, patient),
  ]);
  return {
    role: actor.role,
    actorId: actor.id,
    patient: patientSummary(patient),
    records,
    validDays: settings.engagement_valid_days,
    me,
    intakes,
  };
}

/** Saves a valid form with `save`, then goes to `to` with `message`; a refusal naming a field comes back beside it. */
async function answer<S extends z.ZodType>(
  context: AppLoadContext,
  formData: FormData,
  schema: S,
  save: (value: z.output<S>) => Promise<unknown>,
  done: { to: string; message: string },
) {
  const submission = parseSubmission(formData, schema);
  if (submission.status !== "success") return showFormAgain(submission);
  try {
    await save(submission.value);
  } catch (error) {
    if (error instanceof EngagementError)
      return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), { status: 400 });
    throw error;
  }
  return redirect(done.to, {
    headers: { "Set-Cookie": await setFlash(context, { kind: "success", message: done.message }) },
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { actor, audit, patient, today } = await openPatient(request, context, params.patientId, {
    action: "engagement.confirm",
    roles: OUTSIDE_PROVIDER_ROLES,
    auditRead: false,
  });
  const formData = await request.formData();
  const on = { patientId: patient.id, now: context.now() };
  if (formData.get("intent") === "intake")
    return answer(
      context,
      formData,
      intakeSchema(today, addDays(today, 90)),
      (value) => scheduleIntake(context.db, actor, audit, { ...value, ...on }),
      {
        to: `/patients/${patient.id}/engagement`,
        message: "Intake date recorded, as provisional. Confirm engagement after the first session held.",
      },
    );
  const settings = await clinicSettings(context.db);
  const schema = engagementSchema({
    today,
    earliestLastSession: addDays(today, -settings.engagement_max_session_age_days),
    maxSessionAgeDays: settings.engagement_max_session_age_days,
  });
  return answer(
    context,
    formData,
    schema,
    (value) => confirmEngagement(context.db, actor, audit, { ...value, ...on }),
    {
      to: `/patients/${patient.id}`,
      message: `Engagement confirmed. It is valid for ${settings.engagement_valid_days} days.`,
    },
  );
}

export default function Engagement() {
  const { patient, role, actorId, records, validDays, me, intakes } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const provider = isOutsideProvider(role);
  const intakeAnswer = lastResult?.initialValue?.intent === "intake";
  return (
    <>
      <PatientHeader patient={patient} role={role} />
      <h2>Engagement confirmations</h2>
      <ConfirmationsTable records={records} />
      <ProvisionalIntakes intakes={intakes} />

      {provider ? (
        <ConfirmForm
          renewing={records.some((r) => r.provider_id === actorId)}
          validDays={validDays}
          me={me}
          lastResult={intakeAnswer ? null : lastResult}
        />
      ) : null}
      {provider && !records.some((r) => r.provider_id === actorId) ? (
        <IntakeForm lastResult={intakeAnswer ? lastResult : null} />
      ) : null}
    </>
  );
}
