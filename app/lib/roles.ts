/** Everyone who signs in to the portal. The `users.role` column holds one of these. */
export const ROLES = ["therapist", "psychiatrist", "coordinator", "clinician", "admin"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Licensed clinicians outside Ember. They see a patient only from the care team and under a current
 * release of information; everyone else is Ember staff.
 */
export const OUTSIDE_PROVIDER_ROLES = ["therapist", "psychiatrist"] as const satisfies readonly Role[];
export type OutsideProviderRole = (typeof OUTSIDE_PROVIDER_ROLES)[number];

export function isOutsideProvider(role: Role): role is OutsideProviderRole {
  return (OUTSIDE_PROVIDER_ROLES as readonly Role[]).includes(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  therapist: "Therapist",
  psychiatrist: "Psychiatrist",
  coordinator: "Care coordinator",
  clinician: "Ember clinician",
  admin: "Administrator",
};
