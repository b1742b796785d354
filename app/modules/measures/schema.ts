import { z } from "zod";
import { isoDate } from "~/modules/patients/schema";
import { INSTRUMENTS, type Instrument } from "./scoring";

/** Every item required and range-checked; the total is never a field. */
export function measureSchema(instrument: Instrument, today: string) {
  const spec = INSTRUMENTS[instrument];
  const item = (n: number) =>
    z
      .string({ error: `Answer item ${n}.` })
      .regex(new RegExp(`^[0-${spec.max}]$`), `Answer item ${n} with a score from 0 to ${spec.max}.`)
      .transform(Number);
  const shape: Record<string, z.ZodType<number>> = {};
  for (let n = 1; n <= spec.items; n++) shape[`item${n}`] = item(n);
  return z
    .object({
      takenOn: isoDate("the date it was taken").refine((v) => v <= today, "The date taken cannot be in the future."),
    })
    .extend(shape)
    .transform((v): { takenOn: string; items: number[] } => {
      const answers = v as unknown as Record<string, number> & { takenOn: string };
      return {
        takenOn: answers.takenOn,
        items: Array.from({ length: spec.items }, (_, i) => answers[`item${i + 1}`]!),
      };
    });
}

export const acknowledgeAlertSchema = z.object({
  alertId: z.uuid(),
  // How many signals the clinician saw on the alert: one joined since is not acknowledged unread.
  signals: z
    .string({ error: "Reload the page and acknowledge again." })
    .regex(/^[1-9]\d{0,3}$/, "Reload the page and acknowledge again.")
    .transform(Number),
  action: z.string().trim().min(1, "Describe the action taken.").max(4000, "Keep it under 4,000 characters."),
});
