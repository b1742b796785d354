import { Form } from "~/components/form";
import { When } from "~/components/time";
import { Badge } from "~/components/ui";
import { formatDateTime } from "~/lib/time";
import type { InfusionsData } from "./types";
import { sessionLabel } from "./visit-table";

export function SessionTable({
  sessions,
  actorId,
  provider,
}: Pick<InfusionsData, "sessions" | "actorId"> & { provider: boolean }) {
  if (sessions.length === 0)
    return (
      <p className="muted">
        No therapy sessions recorded yet.{provider ? " Plan one below, ideally inside a window." : ""}
      </p>
    );
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Therapy sessions</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Session</th>
            <th scope="col">Provider</th>
            <th scope="col">Window</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td>
                <When at={s.starts_at} />
              </td>
              <td>
                {sessionLabel(s)} · {s.mode === "telehealth" ? "telehealth" : "in person"}
              </td>
              <td>{s.provider_name}</td>
              <td>
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
              </td>
              <td>
                {s.status}
                {s.status === "planned" && s.provider_id === actorId ? (
                  <Form
                    method="post"
                    className="inline-form"
                    aria-label={`Record the outcome of the session on ${formatDateTime(s.starts_at)}`}
                  >
                    <input type="hidden" name="intent" value="session-outcome" />
                    <input type="hidden" name="target" value={s.id} />
                    <input type="hidden" name="sessionId" value={s.id} />{" "}
                    <button type="submit" name="outcome" value="held" className="button-link">
                      held
                    </button>{" "}
                    ·{" "}
                    <button type="submit" name="outcome" value="missed" className="button-link">
                      missed
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
