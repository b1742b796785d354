import { z } from "zod";
import { NUL_MESSAGE } from "~/lib/forms";
import { DIAGNOSES, INSURANCES, RELEASE_SCOPES, RISK_FLAGS, TEAM_ROLES } from "./labels";
import { OUTSIDE_PROVIDER_ROLES } from "~/lib/roles";

const valuesOf = <T extends readonly { value: string }[]>(items: T) =>
  items.map((i) => i.value) as [T[number]["value"], ...T[number]["value"][]];

export const requiredText = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}.` })
    .trim()
    .min(1, `Enter ${what}.`)
    .max(max, `Keep ${what} under ${max} characters.`);

export const isoDate = (what: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter ${what} as a date (YYYY-MM-DD).`)
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
    }, `Enter ${what} as a real calendar date.`);

export function patientSchema(today: string) {
  return z.object({
    firstName: requiredText("the first name", 80),
    lastName: requiredText("the last name", 80),
    dateOfBirth: isoDate("the date of birth")
      .refine((v) => v < today, "The date of birth must be in the past.")
      .refine((v) => v >= "1900-01-01", "Check the year of birth."),
    preferredLocationId: z.enum(["brooklyn-heights", "chelsea", "tribeca", "upper-east-side", "williamsburg"], {
      error: "Choose the preferred clinic.",
    }),
    insurance: z.enum(INSURANCES, { error: "Choose the insurance or coverage." }),
    diagnoses: z.array(z.enum(valuesOf(DIAGNOSES), { error: "Choose diagnoses from the list." })).max(DIAGNOSES.length),
    riskFlags: z
      .array(z.enum(valuesOf(RISK_FLAGS), { error: "Choose risk flags from the list." }))
      .max(RISK_FLAGS.length),
  });
}
export type PatientInput = z.infer<ReturnType<typeof patientSchema>>;

export const addMemberSchema = z.object({
  providerId: z.uuid({ error: "Choose a provider." }),
  teamRole: z.enum(valuesOf(TEAM_ROLES), { error: "Choose the provider's role on the team." }),
});

export const inviteMemberSchema = z.object({
  email: z
    .string({ error: "Enter an email address." })
    .trim()
    .toLowerCase()
    .email("Enter a valid email address.")
    .max(254),
  providerRole: z.enum(OUTSIDE_PROVIDER_ROLES, { error: "Choose therapist or psychiatrist." }),
  teamRole: z.enum(valuesOf(TEAM_ROLES), { error: "Choose the provider's role on the team." }),
});

export const endMemberSchema = z.object({
  memberId: z.uuid({ error: "Choose a team member." }),
  reason: requiredText("the reason the membership ends", 500),
});

/** The release's own fields: used alone when a release is recorded with an invitation. */
export function releaseFieldsSchema(today: string) {
  return z.object({
    signedOn: isoDate("the date signed").refine((v) => v <= today, "The date signed cannot be in the future."),
    expiresOn: isoDate("the expiry date").refine((v) => v > today, "The expiry date must be after today."),
    scope: z
      .array(z.enum(valuesOf(RELEASE_SCOPES), { error: "Choose scopes from the list." }))
      .min(1, "Choose at least one thing the release allows sharing.")
      .max(RELEASE_SCOPES.length),
  });
}

export function releaseSchema(today: string) {
  return releaseFieldsSchema(today)
    .extend({ providerId: z.uuid({ error: "Choose the provider the release is for." }) })
    .refine((v) => v.expiresOn > v.signedOn, {
      path: ["expiresOn"],
      message: "The expiry date must be after the date signed.",
    });
}

export const revokeReleaseSchema = z.object({
  releaseId: z.uuid({ error: "Choose a release." }),
  reason: requiredText("the reason for revoking", 500),
});

export const rosterSearchSchema = z.object({
  q: z
    .string()
    .trim()
    .min(2, "Enter at least 2 characters of a name or record number.")
    .max(100, "Search for at most 100 characters.")
    .refine((q) => !q.includes("\u0000"), NUL_MESSAGE),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
