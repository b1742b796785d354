import { z } from "zod";
import { isValidNpi } from "./npi";

export const LICENCE_TYPES = ["LCSW", "LMHC", "LMFT", "LPC", "Psychologist", "MD/DO", "Psychiatric NP"] as const;

export const US_STATES = [
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
  "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
  "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
] as const;

export const INVITABLE_ROLES = [
  { value: "therapist", label: "Therapist (outside provider)" },
  { value: "psychiatrist", label: "Psychiatrist or psychiatric NP (outside provider)" },
  { value: "coordinator", label: "Care coordinator (Ember staff)" },
  { value: "clinician", label: "Infusion clinician (Ember staff)" },
  { value: "admin", label: "Administrator (Ember staff)" },
] as const;

const text = (label: string, max = 200) =>
  z.string({ error: `Enter ${label}.` }).trim().min(1, `Enter ${label}.`).max(max, `Keep ${label} under ${max} characters.`);

export const emailField = z
  .string({ error: "Enter an email address." })
  .trim()
  .min(1, "Enter an email address.")
  .max(254, "Email addresses are at most 254 characters.")
  .email("Enter a valid email address, like name@example.org.")
  .transform((v) => v.toLowerCase());

export const passwordField = z
  .string({ error: "Choose a password." })
  .min(12, "Use at least 12 characters.")
  .max(200, "Use at most 200 characters.");

export const inviteSchema = z.object({
  email: emailField,
  role: z.enum(["therapist", "psychiatrist", "coordinator", "clinician", "admin"], { error: "Choose a role." }),
});

const isoDate = z
  .string({ error: "Enter a date." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD.")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "Enter a real date.");

export function acceptSchema(options: { outsideProvider: boolean; today: string }) {
  const account = z.object({
    name: text("your full name", 120),
    organisation: z.string().trim().max(160, "Keep the organisation under 160 characters.").default(""),
    password: passwordField,
    confirmPassword: z.string({ error: "Repeat the password." }),
  });
  const credentials = z.object({
    licenceType: z.enum(LICENCE_TYPES, { error: "Choose your licence type." }),
    licenceNumber: text("the licence number", 40),
    licenceState: z.enum(US_STATES, { error: "Choose the state that issued the licence." }),
    licenceExpiresOn: isoDate.refine((v) => v > options.today, "This licence has expired: enter a current licence."),
    npi: z
      .string({ error: "Enter your NPI." })
      .trim()
      .regex(/^\d{10}$/, "An NPI is exactly 10 digits.")
      .refine(isValidNpi, "This NPI's check digit is wrong: check the number on your NPPES record."),
  });
  const schema = options.outsideProvider ? account.extend(credentials.shape) : account;
  return schema.refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords do not match." });
}

export const resetRequestSchema = z.object({ email: emailField });
export const resetSchema = z
  .object({ password: passwordField, confirmPassword: z.string({ error: "Repeat the password." }) })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords do not match." });
