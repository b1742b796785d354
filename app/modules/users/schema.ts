import { z } from "zod";
import { LICENCE_TYPES, US_STATES } from "./labels";
import { isValidNpi } from "./npi";
import { ROLES } from "~/lib/roles";

const text = (label: string, max = 200) =>
  z
    .string({ error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .max(max, `Keep ${label} under ${max} characters.`);

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
  role: z.enum(ROLES, { error: "Choose a role." }),
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
  return schema.refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords do not match.",
  });
}

export const resetRequestSchema = z.object({ email: emailField });
export const resetSchema = z
  .object({ password: passwordField, confirmPassword: z.string({ error: "Repeat the password." }) })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords do not match.",
  });

export const signInSchema = z.object({
  email: z
    .string({ error: "Enter your email address." })
    .trim()
    .min(1, "Enter your email address.")
    .max(254)
    .email("Enter a valid email address."),
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1000),
  redirectTo: z.string().max(2000).optional(),
});

export const secondFactorSchema = z.object({
  code: z
    .string({ error: "Enter the code." })
    .trim()
    .min(6, "Enter the 6-digit code from your app, or a recovery code.")
    .max(20, "That is not a code."),
  redirectTo: z.string().max(2000).optional(),
});

/** Every account change asks for the current password again (and a code, with two-step sign-in on). */
const reauth = {
  currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(1000),
  currentCode: z.string().trim().max(20).optional(),
};

export const totpEnrolmentSchema = z.object({
  secret: z.string().regex(/^[A-Z2-7]{32}$/, "Reload the page to get a new key."),
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "Enter the 6-digit code your app shows now."),
  ...reauth,
});
export const reauthSchema = z.object(reauth);
export const changePasswordSchema = z
  .object({ ...reauth, newPassword: passwordField, confirmPassword: z.string() })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords do not match.",
  });
export const changeEmailSchema = z.object({ ...reauth, newEmail: emailField });

export const userFilterSchema = z.object({
  role: z.enum(ROLES).optional().catch(undefined),
  status: z.enum(["active", "deactivated"]).optional().catch(undefined),
  // A name or email address part; longer text is cut, not refused, as a filter in an address bar.
  q: z
    .string()
    .trim()
    .transform((q) => q.slice(0, 100) || undefined)
    .optional()
    .catch(undefined),
});

/** Why an administrator deactivates an account: kept with the account and in the audit log. */
export const deactivateSchema = z.object({
  reason: z
    .string({ error: "Say why this account is deactivated." })
    .trim()
    .min(5, "Say why this account is deactivated, in a few words (e.g. “left the practice”).")
    .max(500, "Keep the reason under 500 characters."),
});
