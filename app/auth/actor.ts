import type { Role } from "../../db/schema";

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionId: string;
  /** Staff signed in with a password only: they must enrol a second factor before anything else. */
  needsMfaEnrolment?: boolean;
}

export const isOutsideProvider = (role: Role) => role === "therapist" || role === "psychiatrist";
export const isStaff = (role: Role) => !isOutsideProvider(role);

export const ROLE_LABELS: Record<Role, string> = {
  therapist: "Therapist",
  psychiatrist: "Psychiatrist",
  coordinator: "Care coordinator",
  clinician: "Ember clinician",
  admin: "Administrator",
};
