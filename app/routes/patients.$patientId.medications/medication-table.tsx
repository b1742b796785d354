import { refusalFor, resultFor } from "~/lib/form-answer";
import { DataTable } from "~/components/data-table";
import { Form, FormError, SubmitButton } from "~/components/form";
import { When } from "~/components/time";
import { Badge, EmptyState } from "~/components/ui";
import { formatDate } from "~/lib/time";
import { isToReview, type PatientMedication } from "~/modules/medications/medications.server";
import type { MedicationAnswer } from "./actions.server";

type Row = Omit<PatientMedication, "entered_at" | "reviewed_at"> & {
  entered_at: string | Date;
  reviewed_at: string | Date | null;
};

/** Current medications first; a listed one says whether it is reviewed for the current course. */
export function MedicationTable({
  medications,
  today,
  clinician,
  hasCourse,
  answer,
}: {
  medications: Row[];
  today: string;
  clinician: boolean;
  hasCourse: boolean;
  answer: MedicationAnswer;
}) {
  return (
    <DataTable
      caption="Medications on file"
      rows={medications}
      rowKey={(m) => m.id}
      empty={
        <EmptyState title="No medications on file">
          <p>Add each medication the patient takes below, with its dose and prescriber.</p>
        </EmptyState>
      }
      columns={[
        { header: "Medication", cell: (m) => <strong>{m.name}</strong> },
        { header: "Dose", cell: (m) => m.dose },
        { header: "Prescriber", cell: (m) => m.prescriber },
        {
          header: "Taken",
          cell: (m) =>
            m.stopped_on
              ? `stopped ${formatDate(m.stopped_on)}`
              : m.started_on
                ? `since ${formatDate(m.started_on)}`
                : "current",
        },
        {
          header: "Before ketamine",
          cell: (m) =>
            m.review_list === null ? (
              "not on the list"
            ) : m.reviewed_at ? (
              <>
                <Badge tone="good">reviewed</Badge> {m.review_list}, by {m.reviewed_by_name} <When at={m.reviewed_at} />
              </>
            ) : isToReview(m as PatientMedication, today) ? (
              <Badge tone="warn">to review: {m.review_list}</Badge>
            ) : (
              m.review_list
            ),
        },
        {
          header: "Change",
          cell: (m) => (
            <>
              {clinician && hasCourse && isToReview(m as PatientMedication, today) ? (
                <Form method="post" className="inline-form">
                  <FormError message={refusalFor(answer, "review", m.id)} />
                  <input type="hidden" name="intent" value="review" />
                  <input type="hidden" name="medicationId" value={m.id} />
                  <SubmitButton className="button button-small">Mark {m.name} reviewed</SubmitButton>
                </Form>
              ) : null}
              {m.stopped_on ? null : (
                <Form method="post" className="inline-form">
                  <FormError
                    message={Object.values(resultFor(answer, "stop", m.id)?.error ?? {})
                      .flat()
                      .join(" ")}
                  />
                  <input type="hidden" name="intent" value="stop" />
                  <input type="hidden" name="medicationId" value={m.id} />
                  <label htmlFor={`stop-${m.id}`}>Stopped on</label>{" "}
                  <input id={`stop-${m.id}`} type="date" name="stoppedOn" defaultValue={today} max={today} required />{" "}
                  <SubmitButton className="button button-small button-secondary">Record the stop</SubmitButton>
                </Form>
              )}
            </>
          ),
        },
      ]}
    />
  );
}
