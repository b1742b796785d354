import type { ComponentType } from "react";
import InvitationEmail, { invitationSubject, type InvitationEmailProps } from "./invitation";
import EngagementReminderEmail, {
  engagementReminderSubject,
  type EngagementReminderEmailProps,
} from "./engagement-reminder";
import ScheduleChangeEmail, { scheduleChangeSubject, type ScheduleChangeEmailProps } from "./schedule-change";
import SafetyConcernEmail, { safetyConcernSubject, type SafetyConcernEmailProps } from "./safety-concern";
import NotesDigestEmail, { notesDigestSubject, type NotesDigestEmailProps } from "./notes-digest";
import SafetyEscalationEmail, { safetyEscalationSubject, type SafetyEscalationEmailProps } from "./safety-escalation";
import SafetyAlertEmail, { safetyAlertSubject, type SafetyAlertEmailProps } from "./safety-alert";
import MeasureReminderEmail, { measureReminderSubject, type MeasureReminderEmailProps } from "./measure-reminder";
import ReferralOfferEmail, { referralOfferSubject, type ReferralOfferEmailProps } from "./referral-offer";
import OfferExpiredEmail, { offerExpiredSubject, type OfferExpiredEmailProps } from "./offer-expired";
import OfferAcceptedEmail, { offerAcceptedSubject, type OfferAcceptedEmailProps } from "./offer-accepted";
import PatientAccessOpenedEmail, {
  patientAccessOpenedSubject,
  type PatientAccessOpenedEmailProps,
} from "./patient-access-opened";
import CareTeamAddedEmail, { careTeamAddedSubject, type CareTeamAddedEmailProps } from "./care-team-added";
import EngagementLapsedEmail, { engagementLapsedSubject, type EngagementLapsedEmailProps } from "./engagement-lapsed";
import ReviewReceiptEmail, { reviewReceiptSubject, type ReviewReceiptEmailProps } from "./review-receipt";
import PasswordResetEmail, { passwordResetSubject, type PasswordResetEmailProps } from "./password-reset";

interface Template<P> {
  component: ComponentType<P>;
  subject: (props: P) => string;
}

/** Every message the portal sends, by name. */
export const templates = {
  invitation: { component: InvitationEmail, subject: invitationSubject } as Template<InvitationEmailProps>,
  "password-reset": {
    component: PasswordResetEmail,
    subject: passwordResetSubject,
  } as Template<PasswordResetEmailProps>,
  "schedule-change": {
    component: ScheduleChangeEmail,
    subject: scheduleChangeSubject,
  } as Template<ScheduleChangeEmailProps>,
  "safety-concern": {
    component: SafetyConcernEmail,
    subject: safetyConcernSubject,
  } as Template<SafetyConcernEmailProps>,
  "notes-digest": { component: NotesDigestEmail, subject: notesDigestSubject } as Template<NotesDigestEmailProps>,
  "safety-alert": { component: SafetyAlertEmail, subject: safetyAlertSubject } as Template<SafetyAlertEmailProps>,
  "safety-escalation": {
    component: SafetyEscalationEmail,
    subject: safetyEscalationSubject,
  } as Template<SafetyEscalationEmailProps>,
  "measure-reminder": {
    component: MeasureReminderEmail,
    subject: measureReminderSubject,
  } as Template<MeasureReminderEmailProps>,
  "referral-offer": {
    component: ReferralOfferEmail,
    subject: referralOfferSubject,
  } as Template<ReferralOfferEmailProps>,
  "offer-expired": { component: OfferExpiredEmail, subject: offerExpiredSubject } as Template<OfferExpiredEmailProps>,
  "offer-accepted": {
    component: OfferAcceptedEmail,
    subject: offerAcceptedSubject,
  } as Template<OfferAcceptedEmailProps>,
  "patient-access-opened": {
    component: PatientAccessOpenedEmail,
    subject: patientAccessOpenedSubject,
  } as Template<PatientAccessOpenedEmailProps>,
  "care-team-added": {
    component: CareTeamAddedEmail,
    subject: careTeamAddedSubject,
  } as Template<CareTeamAddedEmailProps>,
  "engagement-reminder": {
    component: EngagementReminderEmail,
    subject: engagementReminderSubject,
  } as Template<EngagementReminderEmailProps>,
  "review-receipt": {
    component: ReviewReceiptEmail,
    subject: reviewReceiptSubject,
  } as Template<ReviewReceiptEmailProps>,
  "engagement-lapsed": {
    component: EngagementLapsedEmail,
    subject: engagementLapsedSubject,
  } as Template<EngagementLapsedEmailProps>,
};

export type TemplateName = keyof typeof templates;
export type TemplateProps<N extends TemplateName> = (typeof templates)[N] extends Template<infer P> ? P : never;
