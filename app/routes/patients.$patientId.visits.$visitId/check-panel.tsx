import { Link } from "@remix-run/react";
import { Form, FormError, SubmitButton } from "~/components/form";
import { When } from "~/components/time";
import { Badge } from "~/components/ui";
import { formatDate } from "~/lib/time";
import type { PreInfusionCheck } from "~/modules/visits/pre-infusion-check.server";
import type { VisitAnswer } from "./route";
import { refusalFor } from "~/lib/form-answer";

type Check = Omit<PreInfusionCheck, "visit"> & { visit: { status: string } };

/**
 * Everything to weigh before starting: each part says plainly whether it stands in the way, and the
 * findings list repeats what needs attention in one place. Completing the check keeps that list.
 */
export function CheckPanel({
  check,
  patientId,
  clinician,
  answer,
}: {
  check: Check;
  patientId: string;
  clinician: boolean;
  answer: VisitAnswer;
}) {
  const { gate, phq9, pcl5 } = check;
  return (
    <section className="card" aria-labelledby="check-title">
      <h2 id="check-title">Pre-infusion check</h2>
      {check.completed ? (
        <p>
          <Badge tone="good">complete</Badge> by {check.completed.by} <When at={check.completed.at} />
          {check.completed.findings.length
            ? `, with ${check.completed.findings.length} point${check.completed.findings.length === 1 ? "" : "s"} noted.`
            : ", nothing noted."}
        </p>
      ) : (
        <p>
          <Badge tone="warn">not completed</Badge>{" "}
          {check.visit.status === "scheduled"
            ? "Review each part below before the infusion starts."
            : "It was not completed before this visit."}
        </p>
      )}
      <h3>Needs attention</h3>
      {check.findings.length ? (
        <ul className="findings">
          {check.findings.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      ) : (
        <p>Nothing stands out: the gate allows the infusion and no alert, flag, medication or vital sign is pending.</p>
      )}

      <div className="check-grid">
        <div>
          <h3>Engagement gate</h3>
          {gate.allowed ? (
            <p>
              <Badge tone="good">allows the infusion</Badge>
              {gate.confirmedUntil ? (
                <>
                  {" "}
                  Engagement confirmed until <When at={gate.confirmedUntil} />.
                </>
              ) : null}
            </p>
          ) : (
            <>
              <p>
                <Badge tone="bad">refuses</Badge> Holding this visit needs a written override reason.
              </p>
              <ul>
                {gate.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </>
          )}
        </div>
        <div>
          <h3>Releases of information</h3>
          {check.team.length ? (
            <ul>
              {check.team.map((m) => (
                <li key={m.id}>
                  {m.name}:{" "}
                  {m.releaseUntil ? (
                    `current until ${formatDate(m.releaseUntil)}`
                  ) : (
                    <Badge tone="bad">none current</Badge>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p>No outside provider on the care team.</p>
          )}
        </div>
        <div>
          <h3>Latest scores</h3>
          <ul>
            <li>
              PHQ-9:{" "}
              {phq9 ? (
                <>
                  {phq9.total} on {formatDate(phq9.taken_on)}, item 9{" "}
                  <Badge tone={phq9.item9 > 0 ? "bad" : "good"}>
                    {phq9.item9 > 0 ? `answered ${phq9.item9}` : "0"}
                  </Badge>
                </>
              ) : (
                "none recorded"
              )}
            </li>
            <li>PCL-5: {pcl5 ? `${pcl5.total} on ${formatDate(pcl5.taken_on)}` : "none recorded"}</li>
          </ul>
          <p>
            <Link to={`/patients/${patientId}/measures`}>Scores and alerts</Link>
          </p>
        </div>
        <div>
          <h3>Safety alerts and risk flags</h3>
          <p>
            {check.alerts.length
              ? `${check.alerts.length} open safety alert${check.alerts.length === 1 ? "" : "s"}.`
              : "No open safety alert."}
          </p>
          {check.riskFlags.length ? (
            <ul>
              {check.riskFlags.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          ) : (
            <p>No risk flags on file.</p>
          )}
        </div>
        <div>
          <h3>Medications to review</h3>
          <FormError message={refusalFor(answer, "review-medication")} />
          {check.medications.length ? (
            <ul>
              {check.medications.map((m) => (
                <li key={m.id}>
                  {m.name} {m.dose} <Badge tone="warn">to review: {m.review_list}</Badge>
                  {clinician ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="review-medication" />
                      <input type="hidden" name="medicationId" value={m.id} />
                      <SubmitButton className="button button-small">Mark {m.name} reviewed</SubmitButton>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p>None pending for this course.</p>
          )}
          <p>
            <Link to={`/patients/${patientId}/medications`}>All medications</Link>
          </p>
        </div>
        <div>
          <h3>Last vital signs</h3>
          {check.lastVitals ? (
            <>
              <p>
                Taken <When at={check.lastVitals.takenAt} />: before the infusion{" "}
                {check.lastVitals.vitals.systolic_before}/{check.lastVitals.vitals.diastolic_before}, heart rate{" "}
                {check.lastVitals.vitals.heart_rate_before}.
              </p>
              {check.lastVitals.flags.map((f) => (
                <p key={f}>
                  <Badge tone="bad">out of range</Badge> {f}
                </p>
              ))}
            </>
          ) : (
            <p>No infusion recorded yet: the first readings are taken on this visit.</p>
          )}
        </div>
      </div>

      {clinician && !check.completed && check.visit.status === "scheduled" ? (
        <Form method="post">
          <FormError message={refusalFor(answer, "complete-check")} />
          <input type="hidden" name="intent" value="complete-check" />
          <SubmitButton pendingText="Saving…">Complete the check</SubmitButton>
        </Form>
      ) : null}
    </section>
  );
}
