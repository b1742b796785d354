// Routes take their form schemas from here: a *.server module stays out of the browser bundle, and
// zod with it, where a plain import of ./schema would pull it in.
export { discussionSchema, engagementSchema, intakeSchema } from "./schema";
