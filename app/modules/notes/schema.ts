import { z } from "zod";
import { NOTE_KINDS, NOTE_MAX_LENGTH } from "./labels";

export { NOTE_KIND_LABELS, NOTE_MAX_LENGTH } from "./labels";

const body = (what: string) =>
  z
    .string({ error: `Write ${what}.` })
    .transform((v) => v.replace(/\r\n/g, "\n").trim())
    .pipe(
      z
        .string()
        .min(1, `Write ${what}.`)
        .max(NOTE_MAX_LENGTH, `Keep ${what} under ${NOTE_MAX_LENGTH.toLocaleString("en-US")} characters.`),
    );

export const postNoteSchema = z.object({
  kind: z.enum(NOTE_KINDS, { error: "Choose what kind of note this is." }),
  body: body("the note"),
  requestReview: z.enum(["yes"]).optional(),
});

export const addendumSchema = z.object({ noteId: z.uuid(), body: body("the addendum") });
export const signOffSchema = z.object({
  noteId: z.uuid(),
  comment: z.string().trim().max(4000, "Keep the comment under 4,000 characters.").optional(),
});
export const returnNoteSchema = z.object({
  noteId: z.uuid(),
  comments: z
    .string({ error: "Write your comments for the author." })
    .trim()
    .min(1, "Write your comments for the author.")
    .max(4000, "Keep the comments under 4,000 characters."),
});
export const reviewSettingsSchema = z.object({
  fallbackReviewerId: z
    .union([z.literal(""), z.uuid({ error: "Choose a psychiatrist from the list." })])
    .transform((v) => v || null),
  reviewStaleDays: z.coerce
    .number({ error: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(1, "Enter at least 1 day.")
    .max(60, "Enter at most 60 days."),
});
export const acknowledgeSchema = z.object({ noteId: z.uuid(), response: body("the response and action taken") });

export const threadFilterSchema = z.object({
  kind: z.enum(NOTE_KINDS).optional().catch(undefined),
  author: z.uuid().optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
});
export type ThreadFilter = z.infer<typeof threadFilterSchema>;
