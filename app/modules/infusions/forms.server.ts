// Routes take their form schemas from here: a *.server module stays out of the browser bundle, and
// zod with it (about 90 KB gzipped), where a plain import of ./schema would pull it in.
export {
  boosterDecisionSchema,
  cancelSchema,
  previewSchema,
  rescheduleSchema,
  scheduleSchema,
  sessionCancelSchema,
  sessionMoveSchema,
  sessionOutcomeSchema,
  sessionSchema,
} from "./schema";
