import { protocolProgress, sessionLabel } from "~/modules/infusions/labels";
import { DataTable } from "~/components/data-table";
import { Form, FormError } from "~/components/form";
import { When } from "~/components/time";
import { Badge } from "~/components/ui";
import { refusalFor } from "~/lib/form-answer";
import { formatDateTime } from "~/lib/time";
import type { InfusionAnswer } from "./actions.server";
import type { InfusionsData } from "./types";
import { RestoreSession, SessionChanges } from "./session-changes";

type Session = InfusionsData["sessions"][number];

function SessionOutcome({ session: s, answer }: { session: Session; answer: InfusionAnswer }) {
  return (
    <Form
      method="post"
      className="inline-form"
      aria-label={`Record the outcome of the session on ${formatDateTime(s.starts_at)}`}
    >
      <FormError message={refusalFor(answer, "session-outcome", s.id)} />
      <input type="hidden" name="intent" value="session-outcome" />
      <input type="hidden" name="sessionId" value={s.id} />{" "}
      <button type="submit" name="outcome" value="held" className="button-link">
        held
      </button>{" "}
      ·{" "}
      <button type="submit" name="outcome" value="missed" className="button-link">
        missed
      </button>
    </Form>
  );
}

/** What the provider who planned a session may do with it now: change it while ahead, record it once begun. */
function OwnSessionActions({ session: s, now, answer }: { session: Session; now: string; answer: InfusionAnswer }) {
  const ahead = new Date(s.starts_at) > new Date(now);
  if (s.status === "planned")
    return ahead ? (
      <SessionChanges key={new Date(s.starts_at).getTime()} session={s} answer={answer} />
    ) : (
      <SessionOutcome session={s} answer={answer} />
    );
  if (s.status === "cancelled" && ahead) return <RestoreSession session={s} answer={answer} />;
  return null;
}

export function SessionTable({
  sessions,
  actorId,
  provider,
  now,
  answer,
}: Pick<InfusionsData, "sessions" | "actorId" | "now"> & { provider: boolean; answer: InfusionAnswer }) {
  return (
    <DataTable
      caption="Therapy sessions"
      rows={sessions}
      rowKey={(s) => s.id}
      empty={
        <p className="muted">
          No therapy sessions recorded yet.{provider ? " Plan one below, ideally inside a window." : ""}
        </p>
      }
      columns={[
        { header: "When", cell: (s) => <When at={s.starts_at} /> },
        {
          header: "Session",
          cell: (s) => `${sessionLabel(s)} · ${s.mode === "telehealth" ? "telehealth" : "in person"}`,
        },
        { header: "Provider", cell: (s) => s.provider_name },
        {
          header: "Window",
          cell: (s) =>
            s.status === "cancelled" ? (
              "—"
            ) : (
              <>
                {s.windowVisitId ? (
                  <Badge tone="good">inside a window</Badge>
                ) : (
                  <Badge tone="warn">outside every window</Badge>
                )}
                {s.movedOut ? (
                  <>
                    {" "}
                    <Badge tone="bad">visit moved: no longer in its window</Badge>
                  </>
                ) : null}
              </>
            ),
        },
        {
          header: "Status",
          cell: (s) => (
            <>
              {s.status}
              {s.provider_id === actorId ? <OwnSessionActions session={s} now={now} answer={answer} /> : null}
            </>
          ),
        },
      ]}
    />
  );
}

/** Where each protocol stands for this patient: "WET 3 of 5 held · 1 planned". */
export function SessionProgress({ sessions }: Pick<InfusionsData, "sessions">) {
  const progress = protocolProgress(sessions);
  if (!progress.length) return null;
  return (
    <p className="session-progress">
      <strong>Progress:</strong> {progress.join("; ")}
    </p>
  );
}
