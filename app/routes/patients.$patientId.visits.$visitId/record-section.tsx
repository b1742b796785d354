import { getFormProps, useForm } from "@conform-to/react";
import type { z } from "zod";
import { Form, FormError, SubmitButton, TextAreaField } from "~/components/form";
import { When } from "~/components/time";
import { Badge } from "~/components/ui";
import type { InfusionRecord } from "~/modules/visits/infusion-record.server";
import type { PreInfusionCheck } from "~/modules/visits/pre-infusion-check.server";
import type { addendumSchema } from "~/modules/visits/schema";
import { DISSOCIATION_LABELS, PHASE_LABELS, PHASES, vitalFlags } from "~/modules/visits/vitals";
import { RecordForm } from "./record-form";
import { refusalFor, resultFor } from "~/lib/form-answer";
import type { VisitAnswer } from "./route";

/** The record of a held infusion: a form until it is signed, then a permanent record with its addenda. */
export function RecordSection({
  record,
  check,
  clinician,
  answer,
}: {
  record: InfusionRecord | null;
  check: Pick<PreInfusionCheck, "limits">;
  clinician: boolean;
  answer: VisitAnswer;
}) {
  const flags = record ? vitalFlags(record, check.limits) : [];
  return (
    <section className="card" aria-labelledby="record-title">
      <h2 id="record-title">Infusion record</h2>
      {flags.map((f) => (
        <p key={f}>
          <Badge tone="bad">out of range</Badge> {f}
        </p>
      ))}
      {record?.signed_at ? (
        <SignedRecord record={record} clinician={clinician} answer={answer} />
      ) : clinician ? (
        <>
          <p className="muted">
            {record ? (
              <>
                Draft saved by {record.recorded_by_name} <When at={record.updated_at} />. Signing makes it permanent and
                sends the summary to the outside team.
              </>
            ) : (
              "Not started. Save as you go; sign when the patient is discharged."
            )}
          </p>
          <RecordForm record={record} answer={answer} />
          {record ? (
            <Form method="post">
              <FormError message={refusalFor(answer, "sign-record")} />
              <input type="hidden" name="intent" value="sign-record" />
              <SubmitButton pendingText="Signing…">Sign the record and send the summary</SubmitButton>
            </Form>
          ) : null}
        </>
      ) : (
        <p>{record ? "A draft is in progress: the clinician has not signed it yet." : "Not recorded yet."}</p>
      )}
    </section>
  );
}

function SignedRecord({
  record,
  clinician,
  answer,
}: {
  record: InfusionRecord;
  clinician: boolean;
  answer: VisitAnswer;
}) {
  const [form, fields] = useForm<z.input<typeof addendumSchema>>({
    id: "addendum",
    lastResult: resultFor(answer, "addendum"),
    shouldValidate: "onBlur",
  });
  const reading = (v: number | null) => (v === null ? "not taken" : String(v));
  return (
    <>
      <p>
        <Badge tone="good">signed</Badge> by {record.signed_by_name} <When at={record.signed_at!} />
        {record.summary_note_id ? " · the infusion summary is in the care notes." : null}
      </p>
      <dl className="record">
        <dt>Dose</dt>
        <dd>
          {record.dose_mg_per_kg} mg/kg ({record.dose_mg} mg), {record.route}
        </dd>
        <dt>Infusion</dt>
        <dd>
          <When at={record.started_at} /> to <When at={record.ended_at} />
        </dd>
        {PHASES.map((phase) => (
          <div key={phase}>
            <dt>Vital signs {PHASE_LABELS[phase]}</dt>
            <dd>
              blood pressure {reading(record[`systolic_${phase}`])}/{reading(record[`diastolic_${phase}`])}, heart rate{" "}
              {reading(record[`heart_rate_${phase}`])}
            </dd>
          </div>
        ))}
        <dt>Lowest SpO2</dt>
        <dd>{record.spo2_lowest === null ? "not taken" : `${record.spo2_lowest}%`}</dd>
        <dt>Dissociation</dt>
        <dd>
          {record.dissociation} · {DISSOCIATION_LABELS[record.dissociation]}
        </dd>
        <dt>Adverse events</dt>
        <dd>{[...record.adverse_events, record.adverse_notes].filter(Boolean).join("; ") || "none"}</dd>
        <dt>Recovered, discharged</dt>
        <dd>
          <When at={record.recovered_at} />, <When at={record.discharged_at} />
        </dd>
        <dt>Escort home</dt>
        <dd>{record.escort}</dd>
      </dl>
      <h3>Addenda</h3>
      {record.addenda.length ? (
        <ul>
          {record.addenda.map((a) => (
            <li key={a.id}>
              {a.body} — {a.author_name}, <When at={a.created_at} />
            </li>
          ))}
        </ul>
      ) : (
        <p>None. A signed record is corrected by an addendum, never edited.</p>
      )}
      {clinician ? (
        <Form method="post" {...getFormProps(form)}>
          <FormError form={form} />
          <input type="hidden" name="intent" value="addendum" />
          <TextAreaField label="Add a correction (addendum)" field={fields.body} rows={2} />
          <SubmitButton pendingText="Saving…">Add the addendum</SubmitButton>
        </Form>
      ) : null}
    </>
  );
}
