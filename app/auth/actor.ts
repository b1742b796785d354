import type { Role } from "../../db/schema";

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionId: string;
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
