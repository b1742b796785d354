import { Form, Link, useActionData } from "@remix-run/react";
import { SubmitButton, TextField } from "~/components/form";
import type { action, loader } from "./route";

type Patient = NonNullable<Awaited<ReturnType<typeof loader>>["patient"]>;

/**
 * Narrows the log to one patient. The name or record number is sent in the body and answered with
 * the matching patients, each linking to its history by id: a patient's name never sits in a URL.
 */
export function PatientFilter({ patient, search }: { patient: Patient | null; search: string }) {
  const found = useActionData<typeof action>();
  const without = new URLSearchParams(search);
  without.delete("patientId");
  without.delete("page");
  if (patient)
    return (
      <p className="filter-summary">
        Access history of{" "}
        <Link to={`/patients/${patient.id}`}>
          {patient.last_name}, {patient.first_name} ({patient.record_number})
        </Link>
        : every view and change of their record. <Link to={`?${without}`}>Show every patient</Link>
      </p>
    );
  return (
    <section aria-labelledby="patient-filter-title">
      <h2 id="patient-filter-title">A patient&apos;s access history</h2>
      <Form method="post" className="search-form" aria-label="Find a patient's access history">
        <input type="hidden" name="page" value="1" />
        <TextField
          label="Patient name or record number"
          name="q"
          type="search"
          defaultValue={found?.q}
          errors={found?.error ? [found.error] : undefined}
        />
        <SubmitButton className="button button-secondary">Find the patient</SubmitButton>
      </Form>
      {found && !found.error ? (
        found.rows.length === 0 ? (
          <p>No patient matches “{found.q}”. Check the spelling, or search by record number (EMB-…).</p>
        ) : (
          <ul aria-label="Matching patients">
            {found.rows.map((p) => {
              const params = new URLSearchParams(without);
              params.set("patientId", p.id);
              return (
                <li key={p.id}>
                  {p.last_name}, {p.first_name} ({p.record_number}) ·{" "}
                  <Link to={`?${params}`}>
                    Show access history<span className="visually-hidden"> of {p.record_number}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )
      ) : null}
    </section>
  );
}
