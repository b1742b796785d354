import { sql, type Expression, type QueryCreator, type SqlBool } from "kysely";
import type { Executor } from "../../db/engine";
import type { AuditOutcome, DB } from "../../db/schema";

/** Who did something, and from where: carried from the request into every audited write. */
export interface AuditContext {
  actorId: string | null;
  actorRole: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: string;
  outcome?: AuditOutcome;
  entityType?: string;
  entityId?: string | null;
  patientId?: string | null;
  /** Identifiers and reasons only: never names, notes or other patient data. */
  detail?: Record<string, unknown>;
}

export async function recordAudit(db: Executor, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  await auditInsert(db, ctx, entry).execute();
}

/**
 * The audit row as an INSERT … SELECT, so that a statement can read and audit at once (as a
 * data-modifying WITH clause): the row may be written only `when` a condition on what the
 * statement found holds, and its outcome may be such an expression too.
 */
export function auditInsert<D extends DB>(
  db: QueryCreator<D>,
  ctx: AuditContext,
  entry: Omit<AuditEntry, "outcome" | "detail"> & {
    outcome?: AuditOutcome | Expression<AuditOutcome>;
    /** An object, or a jsonb expression over what the statement found. */
    detail?: AuditEntry["detail"] | Expression<unknown>;
  },
  when?: Expression<SqlBool>,
) {
  // Typed by hand: a bare parameter in a SELECT list has no type the server can infer.
  const text = (value: string | null | undefined) => sql<string | null>`${value ?? null}::text`;
  const uuid = (value: string | null | undefined) => sql<string | null>`${value ?? null}::uuid`;
  const outcome = entry.outcome ?? "success";
  const row = db.selectNoFrom([
    uuid(ctx.actorId).as("actor_id"),
    text(ctx.actorRole).as("actor_role"),
    text(entry.action).as("action"),
    (typeof outcome === "string" ? text(outcome) : sql<AuditOutcome>`${outcome}`).as("outcome"),
    text(entry.entityType).as("entity_type"),
    text(entry.entityId).as("entity_id"),
    uuid(entry.patientId).as("patient_id"),
    text(ctx.ip).as("ip"),
    text(ctx.requestId).as("request_id"),
    // Sent as text and cast: postgres.js JSON-encodes any parameter it knows is jsonb, which
    // would store this already-encoded string as a JSON string instead of an object.
    (isExpression(entry.detail)
      ? sql<string>`${entry.detail}`
      : sql<string>`${JSON.stringify(entry.detail ?? {})}::text::jsonb`
    ).as("detail"),
  ]);
  return db
    .insertInto("audit_events")
    .columns([
      "actor_id",
      "actor_role",
      "action",
      "outcome",
      "entity_type",
      "entity_id",
      "patient_id",
      "ip",
      "request_id",
      "detail",
    ])
    .expression(when ? row.where(when) : row);
}

function isExpression(value: unknown): value is Expression<unknown> {
  return typeof (value as Expression<unknown> | undefined)?.toOperationNode === "function";
}
