import { getFormProps, useForm } from "@conform-to/react";
import type { z } from "zod";
import {
  CheckboxGroup,
  Form,
  FormError,
  RadioGroup,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
} from "~/components/form";
import { toLocalInput } from "~/lib/time";
import type { InfusionRecord } from "~/modules/visits/infusion-record.server";
import type { recordSchema } from "~/modules/visits/schema";
import { ADVERSE_EVENTS, DISSOCIATION_LABELS, PHASE_LABELS, PHASES } from "~/modules/visits/vitals";
import { resultFor } from "~/lib/form-answer";
import type { VisitAnswer } from "./route";

/** Every field as the form holds it: text, or a list of ticked boxes. */
type Fields = Record<keyof z.input<typeof recordSchema>, string | string[]>;
const capitalise = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const numeric = { type: "text", inputMode: "numeric", autoComplete: "off" } as const;

/** The saved draft as the form's starting values; a new record starts empty. */
function defaultsOf(record: InfusionRecord | null): Partial<Fields> | undefined {
  if (!record) return undefined;
  const text = (v: number | string | null) => (v === null ? "" : String(v));
  return {
    doseMgPerKg: record.dose_mg_per_kg,
    doseMg: record.dose_mg,
    route: record.route,
    startedAt: toLocalInput(record.started_at),
    endedAt: toLocalInput(record.ended_at),
    systolicBefore: text(record.systolic_before),
    diastolicBefore: text(record.diastolic_before),
    heartRateBefore: text(record.heart_rate_before),
    systolicDuring: text(record.systolic_during),
    diastolicDuring: text(record.diastolic_during),
    heartRateDuring: text(record.heart_rate_during),
    systolicAfter: text(record.systolic_after),
    diastolicAfter: text(record.diastolic_after),
    heartRateAfter: text(record.heart_rate_after),
    spo2Lowest: text(record.spo2_lowest),
    dissociation: String(record.dissociation),
    adverseEvents: record.adverse_events,
    adverseNotes: record.adverse_notes ?? "",
    recoveredAt: toLocalInput(record.recovered_at),
    dischargedAt: toLocalInput(record.discharged_at),
    escort: record.escort,
  };
}

/** The structured record, saved as often as needed until it is signed. Times are New York time. */
export function RecordForm({ record, answer }: { record: InfusionRecord | null; answer: VisitAnswer }) {
  const [form, fields] = useForm<Fields>({
    id: "save-record",
    lastResult: resultFor(answer, "save-record"),
    defaultValue: defaultsOf(record),
    shouldValidate: "onBlur",
  });
  const reading = (name: keyof Fields) => fields[name];
  return (
    <Form method="post" {...getFormProps(form)} className="record-form">
      <FormError form={form} />
      <input type="hidden" name="intent" value="save-record" />
      <fieldset>
        <legend>Dose and times (New York time)</legend>
        <div className="field-row">
          <TextField label="Dose (mg/kg)" field={fields.doseMgPerKg} type="text" inputMode="decimal" />
          <TextField label="Total dose (mg)" field={fields.doseMg} type="text" inputMode="decimal" />
          <SelectField
            label="Route"
            field={fields.route}
            options={[
              { value: "IV", label: "Intravenous (IV)" },
              { value: "IM", label: "Intramuscular (IM)" },
            ]}
          />
        </div>
        <div className="field-row">
          <TextField label="Infusion started" field={fields.startedAt} type="datetime-local" />
          <TextField label="Infusion ended" field={fields.endedAt} type="datetime-local" />
        </div>
      </fieldset>
      {PHASES.map((phase) => (
        <fieldset key={phase}>
          <legend>
            Vital signs {PHASE_LABELS[phase]}
            {phase === "before" ? "" : " (leave blank if not taken)"}
          </legend>
          <div className="field-row">
            <TextField
              label={`Systolic ${phase}`}
              field={reading(`systolic${capitalise(phase)}` as keyof Fields)}
              {...numeric}
            />
            <TextField
              label={`Diastolic ${phase}`}
              field={reading(`diastolic${capitalise(phase)}` as keyof Fields)}
              {...numeric}
            />
            <TextField
              label={`Heart rate ${phase}`}
              field={reading(`heartRate${capitalise(phase)}` as keyof Fields)}
              {...numeric}
            />
          </div>
        </fieldset>
      ))}
      <TextField label="Lowest SpO2 (%)" field={fields.spo2Lowest} {...numeric} />
      <RadioGroup
        legend="Dissociation during the infusion"
        options={DISSOCIATION_LABELS.map((label, i) => ({ value: String(i), label: `${i} · ${label}` }))}
        field={fields.dissociation}
      />
      <CheckboxGroup
        legend="Adverse events"
        options={ADVERSE_EVENTS.map((e) => ({ value: e, label: e }))}
        field={fields.adverseEvents}
      />
      <TextAreaField label="Other adverse events or notes" field={fields.adverseNotes} rows={2} />
      <div className="field-row">
        <TextField label="Recovered" field={fields.recoveredAt} type="datetime-local" />
        <TextField label="Discharged" field={fields.dischargedAt} type="datetime-local" />
      </div>
      <TextField label="Escort home (name and relationship)" field={fields.escort} autoComplete="off" />
      <SubmitButton pendingText="Saving…">Save the record</SubmitButton>
    </Form>
  );
}
