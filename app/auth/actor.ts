import type { Role } from "~/lib/roles";

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionId: string;
  /** Staff signed in with a password only: they must enrol a second factor before anything else. */
  needsMfaEnrolment?: boolean;
}
