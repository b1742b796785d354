import type { AppLoadContext } from "@remix-run/node";
import { auditContextOf, forbidden, requireActor } from "./session.server";
import { requireUuid } from "~/lib/params";
import { clinicToday } from "~/lib/time";
import { recordAudit } from "~/audit/audit.server";
import { requirePatient } from "~/modules/patients/patients.server";
import type { ReleaseScope } from "~/modules/patients/policy.server";
import type { Role } from "~/lib/roles";

/**
 * The start of every patient-scoped loader and action: the signed-in actor (of `roles`, if given),
 * the patient if the access rule allows, with a release covering the page's `scope` when it names
 * one (404 and a denied audit row otherwise), and an audit row for this read or attempt.
 */
export async function openPatient<S extends ReleaseScope = never>(
  request: Request,
  context: AppLoadContext,
  patientIdParam: string | undefined,
  options: { action: string; roles?: readonly Role[]; auditRead?: boolean; scope?: S },
) {
  const actor = await requireActor(request, context);
  const audit = auditContextOf(context, actor);
  const today = clinicToday(context.now());
  let patientId: string;
  try {
    patientId = requireUuid(patientIdParam);
  } catch (notFound) {
    await recordAudit(context.db, audit, {
      action: options.action,
      outcome: "denied",
      entityType: "patient",
      entityId: String(patientIdParam).slice(0, 64),
    });
    throw options.roles && !options.roles.includes(actor.role) ? forbidden() : notFound;
  }
  // The role is refused before the patient is looked up, so a 403 says nothing about who exists;
  // the attempt on this patient's record is audited all the same.
  if (options.roles && !options.roles.includes(actor.role)) {
    await recordAudit(context.db, audit, {
      action: options.action,
      outcome: "denied",
      entityType: "patient",
      entityId: patientId,
      patientId,
      detail: { reason: "role" },
    });
    throw forbidden();
  }
  const patient = await requirePatient(context.db, actor, audit, patientId, today, options.action, {
    auditRead: options.auditRead !== false,
    scope: options.scope,
  });
  return { actor, audit, today, patient };
}
