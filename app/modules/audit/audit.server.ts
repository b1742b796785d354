import { sql, type Kysely, type Transaction } from "kysely";
import type { AuditOutcome, DB } from "../../../db/schema";

export type Executor = Kysely<DB> | Transaction<DB>;

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
  await db
    .insertInto("audit_events")
    .values({
      actor_id: ctx.actorId,
      actor_role: ctx.actorRole,
      action: entry.action,
      outcome: entry.outcome ?? "success",
      entity_type: entry.entityType ?? null,
      entity_id: entry.entityId ?? null,
      patient_id: entry.patientId ?? null,
      ip: ctx.ip,
      request_id: ctx.requestId,
      // Sent as text and cast: postgres.js JSON-encodes any parameter it knows is jsonb, which
      // would store this already-encoded string as a JSON string instead of an object.
      detail: sql<string>`${JSON.stringify(entry.detail ?? {})}::text::jsonb`,
    })
    .execute();
}
