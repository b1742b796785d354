import { redirect } from "@remix-run/node";
import {
  sessionCancelSchema,
  sessionMoveSchema,
  sessionOutcomeSchema,
  sessionSchema,
} from "~/modules/infusions/forms.server";
import { moveTherapySession, setSessionCancelled } from "~/modules/infusions/session-changes.server";
import { planTherapySession, recordSessionOutcome } from "~/modules/infusions/sessions.server";
import { done, withForm, type InfusionChange } from "./change.server";
import { SessionRefusal } from "~/modules/infusions/sessions.server";

const planSession = (change: InfusionChange) =>
  withForm(change, "plan-session", sessionSchema, async (form) => {
    const { context, audit, actor, patientId, now } = change;
    const result = await planTherapySession(context.db, actor, audit, { patientId, ...form, now });
    return result.inWindow
      ? done(change, "Session planned inside a therapy window.")
      : done(change, "Session planned. Note: it falls outside every therapy window.", "info");
  });

const sessionOutcome = (change: InfusionChange) =>
  withForm(
    change,
    "session-outcome",
    sessionOutcomeSchema,
    async (form) => {
      const { context, audit, actor, patientId, now } = change;
      const ok = await recordSessionOutcome(context.db, actor, audit, { patientId, ...form, now });
      if (!ok) throw new SessionRefusal("Only your own planned sessions can be marked.");
      return done(change, `Session marked ${form.outcome}.`);
    },
    "sessionId",
  );

const moveSession = (change: InfusionChange) =>
  withForm(
    change,
    "move-session",
    sessionMoveSchema,
    async (form) => {
      const { context, audit, actor, patientId, now } = change;
      const result = await moveTherapySession(context.db, actor, audit, { patientId, ...form, now });
      return result.inWindow
        ? done(change, "Session moved; it falls inside a therapy window.")
        : done(change, "Session moved. Note: it falls outside every therapy window.", "info");
    },
    "sessionId",
  );

const cancelSession = (change: InfusionChange) =>
  withForm(
    change,
    "cancel-session",
    sessionCancelSchema,
    async (form) => {
      const { context, audit, actor, patientId, now } = change;
      await setSessionCancelled(context.db, actor, audit, { patientId, ...form, cancelled: true, now });
      // The session's id (no patient data) lets the page say "Session cancelled" with its "Undo".
      return redirect(`/patients/${patientId}/infusions?cancelled=${form.sessionId}`);
    },
    "sessionId",
  );

const restoreSession = (change: InfusionChange) =>
  withForm(
    change,
    "restore-session",
    sessionCancelSchema,
    async (form) => {
      const { context, audit, actor, patientId, now } = change;
      await setSessionCancelled(context.db, actor, audit, { patientId, ...form, cancelled: false, now });
      return done(change, "Session restored.");
    },
    "sessionId",
  );

/** An outside provider plans, moves, cancels and records their own therapy sessions. */
export const PROVIDER_INTENTS = {
  "plan-session": planSession,
  "session-outcome": sessionOutcome,
  "move-session": moveSession,
  "cancel-session": cancelSession,
  "restore-session": restoreSession,
};
