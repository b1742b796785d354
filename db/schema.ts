import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>;
/** A calendar date, read and written as `YYYY-MM-DD`. */
type DateOnly = ColumnType<string, string, string>;

/** What the `users.role` check constraint allows; the application's list is `ROLES` in app/lib/roles.ts. */
type Role = "therapist" | "psychiatrist" | "coordinator" | "clinician" | "admin";

export interface LocationTable {
  id: string;
  name: string;
  borough: string;
  address: string;
  opens_at: string;
  closes_at: string;
  time_zone: Generated<string>;
}

export interface UserTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: Role;
  organisation: Generated<string>;
  password_hash: string | null;
  status: Generated<"active" | "deactivated">;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  deactivated_at: Date | null;
  deactivation_reason: string | null;
  notify_notes: Generated<boolean>;
  notes_digest_sent_at: Date | null;
  notes_digest_cursor: Date | null;
  /** AES-256-GCM ciphertext of the TOTP secret, under SECRETS_KEY. */
  totp_secret_enc: string | null;
  totp_enabled_at: Date | null;
  /** The last 30-second step accepted: a code is never accepted twice. */
  totp_last_step: string | null;
  /** Where a clinician's clinic schedule opens; other roles leave it empty. */
  home_location_id: string | null;
}

export interface ProviderCredentialTable {
  user_id: string;
  licence_type: string;
  licence_number: string;
  licence_state: string;
  licence_expires_on: DateOnly;
  npi: string;
  updated_at: Generated<Date>;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: RequiredTimestamp;
  ip: string | null;
  user_agent: string | null;
  /** Staff who must enrol in TOTP before anything else. */
  needs_mfa_enrolment: Generated<boolean>;
  /** When this session last proved the password (and code): sensitive changes need it recent. */
  authenticated_at: Timestamp;
}

export interface InvitationTable {
  id: Generated<string>;
  email: string;
  role: Role;
  token_hash: string | null;
  invited_by: string;
  created_at: Timestamp;
  expires_at: RequiredTimestamp;
  accepted_at: Date | null;
  accepted_user_id: string | null;
  revoked_at: Date | null;
  sent_count: Generated<number>;
  /** Set when the invitation also puts the new provider on a patient's care team. */
  patient_id: string | null;
  team_role: TeamRole | null;
  release_signed_on: DateOnly | null;
  release_expires_on: DateOnly | null;
  release_scope: ColumnType<string[] | null, string[] | null, string[] | null>;
}

export interface PasswordResetTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: RequiredTimestamp;
  used_at: Date | null;
}

export interface ThrottleHitTable {
  id: Generated<string>;
  bucket: string;
  at: Timestamp;
}

export type AuditOutcome = "success" | "failure" | "denied";

export interface AuditEventTable {
  id: Generated<string>;
  at: Timestamp;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  patient_id: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  request_id: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface EmailOutboxTable {
  id: Generated<string>;
  template: string;
  to_address: string;
  subject: string;
  html: string;
  text: string;
  status: Generated<"pending" | "sent" | "review">;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
  provider_message_id: string | null;
  /** Secret-link messages only: their props sealed under SECRETS_KEY until sent or given up on. */
  sealed_props: string | null;
}

export interface PatientTable {
  id: Generated<string>;
  record_number: string;
  first_name: string;
  last_name: string;
  date_of_birth: DateOnly;
  preferred_location_id: string;
  insurance: string;
  diagnoses: ColumnType<string[], string[] | undefined, string[]>;
  risk_flags: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Four characters from an alphabet without look-alikes, unique: what calendar events carry instead of initials. */
  calendar_code: Generated<string>;
}

export type TeamRole = "primary_therapist" | "psychiatrist" | "other";

export interface CareTeamMemberTable {
  id: Generated<string>;
  patient_id: string;
  user_id: string;
  team_role: TeamRole;
  started_at: Timestamp;
  added_by: string | null;
  ended_at: Date | null;
  end_reason: string | null;
}

export interface ReleaseOfInformationTable {
  id: Generated<string>;
  patient_id: string;
  provider_id: string;
  signed_on: DateOnly;
  expires_on: DateOnly;
  scope: ColumnType<string[], string[], string[]>;
  recorded_by: string;
  recorded_at: Timestamp;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface ClinicSettingsTable {
  id: Generated<boolean>;
  engagement_valid_days: Generated<number>;
  engagement_max_session_age_days: Generated<number>;
  visit_minutes: Generated<number>;
  infusion_minutes: Generated<number>;
  therapy_window_hours: Generated<number>;
  pcl5_threshold: Generated<number>;
  pcl5_meaningful_change: Generated<number>;
  offer_expiry_hours: Generated<number>;
  safety_escalation_minutes: Generated<number>;
  /** Vital signs past these limits are flagged on the pre-infusion check and the infusion record. */
  bp_systolic_limit: Generated<number>;
  bp_diastolic_limit: Generated<number>;
  heart_rate_limit: Generated<number>;
  spo2_floor: Generated<number>;
  /** Whether the infusion summary sent to the outside team states the dose. */
  summary_shows_dose: Generated<boolean>;
  /** The psychiatrist who reviews notes on patients whose care team has no other psychiatrist. */
  fallback_reviewer_id: string | null;
  /** Days a note may wait for review before it shows on the coordinator's work list. */
  review_stale_days: Generated<number>;
}

export type VisitStatus = "scheduled" | "held" | "missed" | "cancelled";
export type Modality = "WET" | "CPT" | "PE" | "other";

export interface InfusionCourseTable {
  id: Generated<string>;
  patient_id: string;
  location_id: string;
  clinician_id: string;
  created_by: string;
  created_at: Timestamp;
}

export interface InfusionVisitTable {
  id: Generated<string>;
  course_id: string;
  patient_id: string;
  location_id: string;
  clinician_id: string;
  kind: "course" | "booster";
  starts_at: RequiredTimestamp;
  ends_at: RequiredTimestamp;
  infusion_minutes: number;
  /** The therapy window opens at `ends_at` and closes here (a clinic setting, 72 hours by default). */
  window_closes_at: RequiredTimestamp;
  status: Generated<VisitStatus>;
  cancel_reason: string | null;
  /** Raised on every change, for calendar clients (RFC 5545 SEQUENCE). */
  sequence: Generated<number>;
  updated_at: Timestamp;
  /** Set when a clinician marked the visit held although the engagement gate refused. */
  gate_override_reason: string | null;
  gate_override_by: string | null;
  gate_override_at: Date | null;
  /** The gate's reasons at the moment of the override. */
  gate_override_refusals: ColumnType<string[] | null, string[] | null, string[] | null>;
  /** The pre-infusion check, completed by a clinician; what it had noted at that moment. */
  checked_at: Date | null;
  checked_by: string | null;
  check_findings: ColumnType<string[] | null, string[] | null, string[] | null>;
  /** Set with status "held" when the infusion was stopped before its planned end. */
  stopped_early_reason: string | null;
}

type Vital = number | null;
/** numeric columns come back as strings, exactly as stored. */
type Numeric = ColumnType<string, number | string, number | string>;

/** The structured record of a held infusion; permanent once signed (corrections are addenda). */
export interface InfusionRecordTable {
  visit_id: string;
  patient_id: string;
  dose_mg_per_kg: Numeric;
  dose_mg: Numeric;
  route: "IV" | "IM";
  started_at: RequiredTimestamp;
  ended_at: RequiredTimestamp;
  systolic_before: Vital;
  diastolic_before: Vital;
  heart_rate_before: Vital;
  systolic_during: Vital;
  diastolic_during: Vital;
  heart_rate_during: Vital;
  systolic_after: Vital;
  diastolic_after: Vital;
  heart_rate_after: Vital;
  spo2_lowest: Vital;
  /** 0 none, 1 mild, 2 moderate, 3 marked, 4 severe. */
  dissociation: number;
  adverse_events: ColumnType<string[], string[] | undefined, string[]>;
  adverse_notes: string | null;
  recovered_at: RequiredTimestamp;
  discharged_at: RequiredTimestamp;
  escort: string;
  recorded_by: string;
  updated_at: Timestamp;
  signed_by: string | null;
  signed_at: Date | null;
}

export interface InfusionRecordAddendumTable {
  id: Generated<string>;
  visit_id: string;
  author_id: string;
  body: string;
  created_at: Timestamp;
}

/** A provisional word that a new provider's intake with the patient is scheduled: never opens the engagement gate. */
export interface IntakeScheduleTable {
  id: Generated<string>;
  patient_id: string;
  provider_id: string;
  scheduled_on: string;
  recorded_at: RequiredTimestamp;
}

/** A patient's engagement stopped counting while visits were booked; open until one counts again. */
export interface EngagementLapseTable {
  id: Generated<string>;
  patient_id: string;
  detected_at: RequiredTimestamp;
  resolved_at: Date | null;
}

export interface TherapySessionTable {
  id: Generated<string>;
  patient_id: string;
  provider_id: string;
  visit_id: string | null;
  starts_at: RequiredTimestamp;
  modality: Modality;
  protocol_number: number | null;
  protocol_total: number | null;
  mode: "in_person" | "telehealth";
  status: Generated<"planned" | "held" | "missed" | "cancelled">;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BoosterReviewTable {
  id: Generated<string>;
  patient_id: string;
  course_id: string | null;
  reason: "course_completed" | "loss_of_response" | "meaningful_worsening";
  due_from: DateOnly;
  due_to: DateOnly;
  created_at: Timestamp;
  decision: string | null;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: Date | null;
}

export interface CalendarFeedTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  revoked_at: Date | null;
}

export interface EngagementConfirmationTable {
  id: Generated<string>;
  patient_id: string;
  provider_id: string;
  treatment_started_on: DateOnly;
  last_session_on: DateOnly;
  cadence: "weekly" | "every_two_weeks" | "monthly" | "other";
  ptsd_confirmed: boolean;
  depression: "mdd" | "bipolar_depression" | "depressive_symptoms" | "none";
  trauma_therapy: "WET" | "CPT" | "PE" | "other" | "none";
  sessions_held: number;
  agrees_to_coordinate: boolean;
  signature_name: string;
  signature_licence: string;
  confirmed_at: RequiredTimestamp;
  expires_at: RequiredTimestamp;
  reminded_14_at: Date | null;
  reminded_3_at: Date | null;
}

export interface EligibilityDiscussionTable {
  id: Generated<string>;
  patient_id: string;
  clinician_id: string;
  discussed_on: DateOnly;
  note: string;
  recorded_at: Timestamp;
}

/** What the `care_notes.kind` check constraint allows; the application's list is `NOTE_KINDS` in the notes module. */
export type NoteKind = "progress_update" | "session_summary" | "infusion_summary" | "question" | "safety_concern";

export interface CareNoteTable {
  id: Generated<string>;
  patient_id: string;
  author_id: string;
  author_role: Role;
  author_organisation: string;
  kind: NoteKind;
  body: string;
  review_requested: boolean;
  created_at: Timestamp;
  /** The visit an infusion summary reports on. */
  visit_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface NoteAddendumTable {
  id: Generated<string>;
  note_id: string;
  author_id: string;
  body: string;
  created_at: Timestamp;
}

export interface NoteSignOffTable {
  note_id: string;
  psychiatrist_id: string;
  comment: string | null;
  signed_at: Timestamp;
}

/** A note returned to its author with the reviewer's comments; the author's next addendum answers it. */
export interface NoteReturnTable {
  id: Generated<string>;
  note_id: string;
  psychiatrist_id: string;
  comments: string;
  returned_at: Timestamp;
}

export interface SafetyAcknowledgementTable {
  note_id: string;
  clinician_id: string;
  response: string;
  acknowledged_at: Timestamp;
}

export interface NoteReadTable {
  user_id: string;
  note_id: string;
  read_at: Timestamp;
}

export interface MeasureTable {
  id: Generated<string>;
  patient_id: string;
  instrument: "PHQ9" | "PCL5";
  taken_on: DateOnly;
  items: number[];
  total: number;
  recorded_by: string;
  recorded_at: Timestamp;
}

/** One per safety signal: a PHQ-9 with item 9 above 0 (`measure_id`) or a safety-concern note (`note_id`). */
export interface SafetyAlertTable {
  id: Generated<string>;
  patient_id: string;
  measure_id: string | null;
  note_id: string | null;
  raised_at: Timestamp;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  action_taken: string | null;
  escalated_at: Date | null;
}

/** Every measure behind a PHQ-9 safety alert: the one that raised it and each that joined it while open. */
export interface SafetyAlertMeasureTable {
  measure_id: string;
  alert_id: string;
  joined_at: RequiredTimestamp;
}

export interface MeasureReminderTable {
  id: Generated<string>;
  patient_id: string;
  user_id: string;
  due_key: string;
  sent_at: Timestamp;
}

type TextArray = ColumnType<string[], string[] | undefined, string[]>;

/** Kept by triggers on care-team memberships and offers: what referral matching ranks on. */
export interface ProviderStatsTable {
  user_id: string;
  active_patients: number;
  offers_accepted: number;
  offers_answered: number;
  median_response_hours: number | null;
}

export interface DirectoryVersionTable {
  id: Generated<boolean>;
  version: number;
  raised_by: string | null;
}

/** A referral's ranked shortlist, kept with the key of what it was computed from. */
export interface ReferralMatchTable {
  referral_id: string;
  key: string;
  considered: number;
  shortlist: unknown;
  computed_at: Generated<Date>;
}

export interface ProviderProfileTable {
  user_id: string;
  modalities: TextArray;
  certified_modalities: TextArray;
  licence_states: TextArray;
  boroughs: TextArray;
  practice_address: Generated<string>;
  telehealth: Generated<boolean>;
  insurances: TextArray;
  languages: TextArray;
  accepting_new: Generated<boolean>;
  open_slots_per_week: Generated<number>;
  available_days: TextArray;
  available_times: TextArray;
  updated_at: Timestamp;
  updated_by: string | null;
}

export type ReferralStatus = "open" | "offered" | "accepted" | "engaged" | "closed" | "cancelled";

export interface ReferralTable {
  id: Generated<string>;
  patient_id: string;
  modality: "WET" | "CPT" | "PE" | "any";
  setting: "in_person" | "telehealth" | "either";
  borough: string | null;
  insurance: string;
  language: string;
  urgency: "routine" | "soon" | "urgent";
  needs_window: boolean;
  status: Generated<ReferralStatus>;
  accepted_provider_id: string | null;
  cancel_reason: string | null;
  created_by: string;
  created_at: Timestamp;
  status_changed_at: Timestamp;
}

export interface ReferralOfferTable {
  id: Generated<string>;
  referral_id: string;
  provider_id: string;
  offered_by: string;
  offered_at: RequiredTimestamp;
  expires_at: RequiredTimestamp;
  status: Generated<"open" | "accepted" | "declined" | "expired" | "withdrawn">;
  responded_at: Date | null;
  decline_reason: string | null;
}

export interface ReferralEventTable {
  id: Generated<string>;
  referral_id: string;
  from_status: ReferralStatus | null;
  to_status: ReferralStatus;
  actor_id: string | null;
  note: string | null;
  at: RequiredTimestamp;
}

export interface MfaRecoveryCodeTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: Date | null;
}

export interface MfaChallengeTable {
  id_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: RequiredTimestamp;
}

/** The clinic's list of medications to review before ketamine: a label, never advice. */
export interface MedicationReviewListTable {
  id: Generated<string>;
  name: string;
  /** Lower-case generic and brand names; a patient's medication whose name contains one is listed. */
  match_terms: ColumnType<string[], string[], string[]>;
  added_at: Generated<Date>;
  retired_at: Date | null;
}

export interface PatientMedicationTable {
  id: Generated<string>;
  patient_id: string;
  name: string;
  dose: string;
  prescriber: string;
  started_on: DateOnly | null;
  stopped_on: DateOnly | null;
  entered_by: string;
  entered_at: Generated<Date>;
}

/** A clinician reviewed a listed medication for one course of infusions. */
export interface MedicationReviewTable {
  id: Generated<string>;
  medication_id: string;
  course_id: string;
  reviewed_by: string;
  reviewed_at: Generated<Date>;
}

export interface DB {
  locations: LocationTable;
  users: UserTable;
  provider_credentials: ProviderCredentialTable;
  sessions: SessionTable;
  invitations: InvitationTable;
  password_resets: PasswordResetTable;
  throttle_hits: ThrottleHitTable;
  audit_events: AuditEventTable;
  email_outbox: EmailOutboxTable;
  patients: PatientTable;
  care_team_members: CareTeamMemberTable;
  releases_of_information: ReleaseOfInformationTable;
  clinic_settings: ClinicSettingsTable;
  engagement_confirmations: EngagementConfirmationTable;
  engagement_lapses: EngagementLapseTable;
  intake_schedules: IntakeScheduleTable;
  eligibility_discussions: EligibilityDiscussionTable;
  infusion_courses: InfusionCourseTable;
  infusion_visits: InfusionVisitTable;
  therapy_sessions: TherapySessionTable;
  booster_reviews: BoosterReviewTable;
  calendar_feeds: CalendarFeedTable;
  care_notes: CareNoteTable;
  note_addenda: NoteAddendumTable;
  note_sign_offs: NoteSignOffTable;
  note_returns: NoteReturnTable;
  safety_acknowledgements: SafetyAcknowledgementTable;
  note_reads: NoteReadTable;
  measures: MeasureTable;
  safety_alerts: SafetyAlertTable;
  safety_alert_measures: SafetyAlertMeasureTable;
  measure_reminders: MeasureReminderTable;
  provider_profiles: ProviderProfileTable;
  provider_stats: ProviderStatsTable;
  directory_version: DirectoryVersionTable;
  referral_matches: ReferralMatchTable;
  referrals: ReferralTable;
  referral_offers: ReferralOfferTable;
  referral_events: ReferralEventTable;
  mfa_recovery_codes: MfaRecoveryCodeTable;
  mfa_challenges: MfaChallengeTable;
  medication_review_list: MedicationReviewListTable;
  patient_medications: PatientMedicationTable;
  medication_reviews: MedicationReviewTable;
  infusion_records: InfusionRecordTable;
  infusion_record_addenda: InfusionRecordAddendumTable;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Patient = Selectable<PatientTable>;
