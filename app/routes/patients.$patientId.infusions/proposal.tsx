import { getFormProps, useForm } from "@conform-to/react";
import { Form, SubmitButton } from "~/components/form";
import { When, WindowRange } from "~/components/time";
import { Alert, Badge } from "~/components/ui";
import type { ShownPreview } from "./change.server";
import { clinicHours } from "./hours";

/** The fields carried from the pattern form, so the page keeps them after each round trip. */
function Carried({ carried }: { carried: ShownPreview["carried"] }) {
  return Object.entries(carried).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v, i) => (
      <input key={`${name}-${i}`} type="hidden" name={name} value={v} />
    )),
  );
}

/**
 * The proposed visits, each with its therapy window and what it clashes with. Every date stays
 * editable (clearing one takes that visit out); changed dates are previewed again before any
 * booking, and "Book" saves exactly the dates shown.
 */
export function ProposalForm({ preview }: { preview: ShownPreview }) {
  // Keyed by what was previewed: a fresh preview starts from its own dates, not the ones typed before.
  const previewKey = preview.visits.map((v) => v.local).join(",");
  return <Proposal key={`${previewKey}|${preview.notice ?? ""}`} preview={preview} />;
}

function Proposal({ preview }: { preview: ShownPreview }) {
  const [form] = useForm({ id: "course-proposal" });
  const count = preview.visits.length;
  const kind = preview.carried.kind === "booster" ? "booster visits" : "an initial course";
  return (
    <section aria-labelledby="proposal-title" className="proposal">
      <h3 id="proposal-title">Preview: {count === 1 ? "1 proposed visit" : `${count} proposed visits`}</h3>
      {preview.notice ? <Alert kind="error">{preview.notice}</Alert> : null}
      <p>
        {kind[0]!.toUpperCase() + kind.slice(1)} at {preview.clinic?.name ?? "no clinic chosen"}, supervised by{" "}
        {preview.clinicianName ?? "no active clinician"}. {preview.clinic ? clinicHours(preview.clinic) : null}
      </p>
      {preview.refusals.length ? (
        <Alert kind="error">
          Cannot be booked:
          <ul>
            {preview.refusals.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <Form method="post" {...getFormProps(form)} aria-label="Proposed visits">
        <Carried carried={preview.carried} />
        <table className="data-table">
          <caption>Proposed visits, New York time (each visit lasts 90 minutes)</caption>
          <thead>
            <tr>
              <th scope="col">Visit</th>
              <th scope="col">Starts</th>
              <th scope="col">Therapy window after it</th>
              <th scope="col">Check</th>
            </tr>
          </thead>
          <tbody>
            {preview.visits.map((v, i) => (
              <tr key={`${v.local}-${i}`}>
                <th scope="row">
                  <label htmlFor={`proposed-${i}`}>Visit {i + 1}</label>
                </th>
                <td>
                  <input type="hidden" name="previewed" value={v.local} />
                  <input
                    id={`proposed-${i}`}
                    type="datetime-local"
                    name="visit"
                    defaultValue={v.local}
                    aria-describedby={`proposed-${i}-check`}
                  />
                  {v.startsAt ? (
                    <>
                      <br />
                      <small className="muted">
                        <When at={v.startsAt} />
                      </small>
                    </>
                  ) : null}
                </td>
                <td>
                  {v.endsAt && v.windowClosesAt ? <WindowRange opens={v.endsAt} closes={v.windowClosesAt} /> : "—"}
                </td>
                <td id={`proposed-${i}-check`}>
                  {v.conflicts.length === 0 ? <Badge tone="good">no conflict</Badge> : null}
                  {v.conflicts.length + v.warnings.length ? (
                    <ul className="findings">
                      {v.conflicts.map((c) => (
                        <li key={c}>
                          <Badge tone="bad">conflict</Badge> {c}
                        </li>
                      ))}
                      {v.warnings.map((w) => (
                        <li key={w}>
                          <Badge tone="warn">warning</Badge> {w}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {preview.warnings.length ? (
          <ul aria-label="About the course">
            {preview.warnings.map((w) => (
              <li key={w}>
                <Badge tone="warn">warning</Badge> {w}
              </li>
            ))}
          </ul>
        ) : null}
        <p className="hint">Change a date, or clear it to leave that visit out, then preview the dates again.</p>
        <div className="form-row">
          <SubmitButton name="intent" value="preview" className="button button-secondary" pendingText="Previewing…">
            Preview the changed dates
          </SubmitButton>
          {preview.bookable ? (
            <SubmitButton name="intent" value="schedule" pendingText="Booking…">
              {count === 1 ? "Book this visit" : `Book these ${count} visits`}
            </SubmitButton>
          ) : (
            <p>
              <strong>Nothing is booked while a visit is in conflict.</strong>
            </p>
          )}
        </div>
      </Form>
    </section>
  );
}
