import type { Migration } from "kysely/migration";
import * as foundation from "./2026-11-28T1000-foundation";
import * as engagement from "./2026-11-28T1100-engagement";
import * as infusions from "./2026-11-28T1200-infusions";
import * as careNotes from "./2026-11-28T1300-care-notes";
import * as measures from "./2026-11-28T1400-measures";
import * as referrals from "./2026-11-28T1500-referrals";
import * as scaleIndexes from "./2026-11-28T1700-scale-indexes";
import * as mfa from "./2026-11-28T1800-mfa";
import * as workListIndexes from "./2026-11-28T1900-work-list-indexes";
import * as providerStats from "./2026-11-28T2000-provider-stats";
import * as referralMatches from "./2026-11-30T1000-referral-matches";
import * as sealedMail from "./2026-12-05T1200-1-sealed-mail";
import * as auditNoTruncate from "./2026-12-05T1200-2-audit-no-truncate";
import * as prunableInvitationLinks from "./2026-12-05T1200-3-prunable-invitation-links";
import * as safetyEscalation from "./2026-12-05T1300-safety-escalation";
import * as engagementGate from "./2026-12-05T1400-engagement-gate";
import * as releaseScopesCalendarCodes from "./2026-12-05T1500-release-scopes-calendar-codes";
import * as clinicDay from "./2026-12-06T1000-clinic-day";
import * as medications from "./2026-12-06T1100-medications";
import * as infusionDay from "./2026-12-06T1200-infusion-day";
import * as joinedSafetySignals from "./2026-12-06T1300-joined-safety-signals";
import * as deactivationReason from "./2026-12-06T1400-deactivation-reason";
import * as therapySessionCancel from "./2026-12-06T1510-therapy-session-cancel";
import * as reviewReturns from "./2026-12-06T1530-review-returns";
import * as bookedVisitsIndex from "./2026-12-06T1700-booked-visits-index";
import * as intakeScheduled from "./2026-12-06T1800-intake-scheduled";

/** Every migration, by name in the order they apply. A static list, so bundlers and tests see them all. */
export const migrations: Record<string, Migration> = {
  "2026-11-28T1000-foundation": foundation,
  "2026-11-28T1100-engagement": engagement,
  "2026-11-28T1200-infusions": infusions,
  "2026-11-28T1300-care-notes": careNotes,
  "2026-11-28T1400-measures": measures,
  "2026-11-28T1500-referrals": referrals,
  "2026-11-28T1700-scale-indexes": scaleIndexes,
  "2026-11-28T1800-mfa": mfa,
  "2026-11-28T1900-work-list-indexes": workListIndexes,
  "2026-11-28T2000-provider-stats": providerStats,
  "2026-11-30T1000-referral-matches": referralMatches,
  "2026-12-05T1200-1-sealed-mail": sealedMail,
  "2026-12-05T1200-2-audit-no-truncate": auditNoTruncate,
  "2026-12-05T1200-3-prunable-invitation-links": prunableInvitationLinks,
  "2026-12-05T1300-safety-escalation": safetyEscalation,
  "2026-12-05T1400-engagement-gate": engagementGate,
  "2026-12-05T1500-release-scopes-calendar-codes": releaseScopesCalendarCodes,
  "2026-12-06T1000-clinic-day": clinicDay,
  "2026-12-06T1100-medications": medications,
  "2026-12-06T1200-infusion-day": infusionDay,
  "2026-12-06T1300-joined-safety-signals": joinedSafetySignals,
  "2026-12-06T1400-deactivation-reason": deactivationReason,
  "2026-12-06T1510-therapy-session-cancel": therapySessionCancel,
  "2026-12-06T1530-review-returns": reviewReturns,
  "2026-12-06T1700-booked-visits-index": bookedVisitsIndex,
  "2026-12-06T1800-intake-scheduled": intakeScheduled,
};
