import { sessionLabel } from "~/modules/infusions/labels";
import { DataTable } from "~/components/data-table";
import { Form, FormError } from "~/components/form";
import { When } from "~/components/time";
import { Badge } from "~/components/ui";
import { refusalFor } from "~/lib/form-answer";
import { formatDateTime } from "~/lib/time";
import type { InfusionAnswer } from "./actions.server";
import type { InfusionsData } from "./types";

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

export function SessionTable({
  sessions,
  actorId,
  provider,
  answer,
}: Pick<InfusionsData, "sessions" | "actorId"> & { provider: boolean; answer: InfusionAnswer }) {
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
          cell: (s) => (
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
              {s.status === "planned" && s.provider_id === actorId ? (
                <SessionOutcome session={s} answer={answer} />
              ) : null}
            </>
          ),
        },
      ]}
    />
  );
}
