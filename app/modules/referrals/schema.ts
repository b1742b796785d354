import { z } from "zod";
import { INSURANCES } from "~/modules/patients/labels";
import { BOROUGHS, LANGUAGES, PROFILE_INSURANCES, TIMES, WEEKDAYS } from "./labels";
import { TRAUMA_MODALITIES } from "~/lib/therapies";

export const US_STATE_CODE = /^[A-Z]{2}$/;

const list = <T extends string>(values: readonly T[], what: string) =>
  z.array(z.enum(values as unknown as [T, ...T[]], { error: `Choose ${what} from the list.` })).max(values.length);

export const profileSchema = z.object({
  modalities: list(TRAUMA_MODALITIES, "modalities"),
  certifiedModalities: list(TRAUMA_MODALITIES, "certifications"),
  licenceStates: z
    .string()
    .max(200)
    .transform((v) => [
      ...new Set(
        v
          .toUpperCase()
          .split(/[\s,]+/)
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().regex(US_STATE_CODE, "List states as two-letter codes, like NY, NJ.")).max(60)),
  boroughs: list(BOROUGHS, "boroughs"),
  practiceAddress: z.string().trim().max(300, "Keep the address under 300 characters.").default(""),
  telehealth: z.enum(["yes"]).optional(),
  insurances: list(PROFILE_INSURANCES, "insurance"),
  languages: list(LANGUAGES, "languages").min(1, "Choose at least one language."),
  acceptingNew: z.enum(["yes"]).optional(),
  openSlotsPerWeek: z.coerce
    .number({ error: "Enter a number of slots." })
    .int("Use a whole number.")
    .min(0, "Slots cannot be negative.")
    .max(60, "Check the number of weekly slots."),
  availableDays: list(
    WEEKDAYS.map((d) => d.value),
    "days",
  ),
  availableTimes: list(
    TIMES.map((t) => t.value),
    "times",
  ),
});
export const referralSchema = z
  .object({
    modality: z.enum([...TRAUMA_MODALITIES, "any"], { error: "Choose the modality wanted." }),
    setting: z.enum(["in_person", "telehealth", "either"], { error: "Choose in person, telehealth, or either." }),
    borough: z
      .union([z.literal("").transform(() => null), z.enum(BOROUGHS, { error: "Choose a borough." })])
      .default(null),
    insurance: z.enum(INSURANCES, { error: "Choose the patient's coverage." }),
    language: z.enum(LANGUAGES, { error: "Choose a language." }),
    urgency: z.enum(["routine", "soon", "urgent"], { error: "Choose the urgency." }),
    needsWindow: z.enum(["yes"]).optional(),
  })
  .refine((v) => v.setting === "telehealth" || v.borough !== null, {
    path: ["borough"],
    message: "Choose the borough for in-person care.",
  });

export const offerSchema = z.object({ providerId: z.uuid(), allowSeveral: z.enum(["yes"]).optional() });
export const declineSchema = z.object({
  offerId: z.uuid(),
  reason: z.string().trim().min(1, "Tell the coordinator why, briefly.").max(1000),
});
export const cancelReferralSchema = z.object({
  reason: z.string().trim().min(1, "Enter the reason for cancelling.").max(1000),
});
