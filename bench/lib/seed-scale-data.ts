// Word lists and table layouts for `seed-scale.ts`. Names are common first and last names drawn at
// random into combinations: synthetic people, never a real patient.
import { INSURANCES } from "../../app/modules/patients/labels";
import { BOROUGHS, LANGUAGES } from "../../app/modules/referrals/labels";

/** The order rows are copied in, so every foreign key finds its row. */
export const TABLE_ORDER = [
  "users",
  "provider_credentials",
  "provider_profiles",
  "invitations",
  "patients",
  "infusion_courses",
  "infusion_visits",
  "booster_reviews",
  "care_team_members",
  "releases_of_information",
  "engagement_confirmations",
  "therapy_sessions",
  "care_notes",
  "note_reads",
  "note_sign_offs",
  "safety_acknowledgements",
  "note_addenda",
  "measures",
  "safety_alerts",
  "referrals",
  "referral_offers",
  "referral_events",
] as const;
export type Table = (typeof TABLE_ORDER)[number];

export const COLUMNS: Record<Table, readonly string[]> = {
  users: ["id", "email", "name", "role", "organisation", "password_hash", "status", "created_at", "updated_at", "deactivated_at", "notify_notes", "notes_digest_sent_at", "notes_digest_cursor"],
  provider_credentials: ["user_id", "licence_type", "licence_number", "licence_state", "licence_expires_on", "npi", "updated_at"],
  provider_profiles: ["user_id", "modalities", "certified_modalities", "licence_states", "boroughs", "practice_address", "telehealth", "insurances", "languages", "accepting_new", "open_slots_per_week", "available_days", "available_times", "updated_at"],
  invitations: ["id", "email", "role", "token_hash", "invited_by", "created_at", "expires_at", "sent_count"],
  patients: ["id", "record_number", "first_name", "last_name", "date_of_birth", "preferred_location_id", "insurance", "diagnoses", "risk_flags", "created_at", "updated_at"],
  infusion_courses: ["id", "patient_id", "location_id", "clinician_id", "created_by", "created_at"],
  infusion_visits: ["id", "course_id", "patient_id", "location_id", "clinician_id", "kind", "starts_at", "ends_at", "infusion_minutes", "window_closes_at", "status", "cancel_reason", "sequence", "updated_at"],
  booster_reviews: ["id", "patient_id", "course_id", "reason", "due_from", "due_to", "created_at", "decision", "decision_note", "decided_by", "decided_at"],
  care_team_members: ["id", "patient_id", "user_id", "team_role", "started_at", "added_by", "ended_at", "end_reason"],
  releases_of_information: ["id", "patient_id", "provider_id", "signed_on", "expires_on", "scope", "recorded_by", "recorded_at", "revoked_at", "revoked_by", "revoke_reason"],
  engagement_confirmations: ["id", "patient_id", "provider_id", "treatment_started_on", "last_session_on", "cadence", "ptsd_confirmed", "depression", "trauma_therapy", "sessions_held", "agrees_to_coordinate", "signature_name", "signature_licence", "confirmed_at", "expires_at", "reminded_14_at", "reminded_3_at"],
  therapy_sessions: ["id", "patient_id", "provider_id", "visit_id", "starts_at", "modality", "protocol_number", "protocol_total", "mode", "status", "created_at", "updated_at"],
  care_notes: ["id", "patient_id", "author_id", "author_role", "author_organisation", "kind", "body", "review_requested", "created_at"],
  note_reads: ["user_id", "note_id", "read_at"],
  note_sign_offs: ["note_id", "psychiatrist_id", "comment", "signed_at"],
  safety_acknowledgements: ["note_id", "clinician_id", "response", "acknowledged_at"],
  note_addenda: ["id", "note_id", "author_id", "body", "created_at"],
  measures: ["id", "patient_id", "instrument", "taken_on", "items", "total", "recorded_by", "recorded_at"],
  safety_alerts: ["id", "patient_id", "measure_id", "raised_at", "acknowledged_by", "acknowledged_at", "action_taken"],
  referrals: ["id", "patient_id", "modality", "setting", "borough", "insurance", "language", "urgency", "needs_window", "status", "accepted_provider_id", "cancel_reason", "created_by", "created_at", "status_changed_at"],
  referral_offers: ["id", "referral_id", "provider_id", "offered_by", "offered_at", "expires_at", "status", "responded_at", "decline_reason"],
  referral_events: ["referral_id", "from_status", "to_status", "actor_id", "note", "at"],
};

export const NAMES = {
  first: ["Alex", "Avery", "Bailey", "Blake", "Cameron", "Carmen", "Casey", "Charlie", "Dakota", "Dana", "Devon", "Drew", "Eden", "Elliot", "Emerson", "Finley", "Frankie", "Gray", "Harper", "Hayden", "Jamie", "Jesse", "Jordan", "Jules", "Kai", "Kendall", "Lane", "Lee", "Logan", "Marley", "Micah", "Morgan", "Noel", "Oakley", "Parker", "Peyton", "Quinn", "Reese", "Riley", "Robin", "Rowan", "Sage", "Sam", "Sasha", "Shay", "Skyler", "Spencer", "Stevie", "Sydney", "Taylor", "Teagan", "Toby", "Val", "Wren", "Yael", "Zion", "Ari", "Bo", "Cruz", "Emery"],
  last: ["Abara", "Acosta", "Adeyemi", "Albescu", "Alvarez", "Anand", "Bauer", "Becker", "Bianchi", "Brennan", "Calloway", "Castillo", "Chen", "Cohen", "Costa", "Dang", "Delgado", "Demir", "Diallo", "Dubois", "Eriksen", "Esposito", "Farouk", "Fischer", "Flores", "Gallagher", "Garcia", "Goldberg", "Haddad", "Hansen", "Hayes", "Horvath", "Ibrahim", "Ivanova", "Jablonski", "Jensen", "Kaplan", "Kaur", "Kim", "Kowalski", "Larsen", "Lopez", "Mahoney", "Marchetti", "Mensah", "Morales", "Nakamura", "Navarro", "Nguyen", "Novak", "Obi", "Okafor", "Olsen", "Ortega", "Park", "Patel", "Petrov", "Quintero", "Ramos", "Reyes", "Rossi", "Russo", "Sato", "Schmidt", "Shah", "Silva", "Sokolov", "Suarez", "Tanaka", "Torres", "Udeh", "Vargas", "Vasquez", "Walsh", "Weiss", "Wong", "Yamamoto", "Young", "Zamora", "Zhou"],
  streets: ["Atlantic Ave", "Broadway", "Court St", "Fulton St", "Lexington Ave", "Madison Ave", "Northern Blvd", "Queens Blvd", "Smith St", "W 72nd St", "E 14th St", "Grand Concourse"],
  boroughs: [...BOROUGHS] as string[],
  insurances: INSURANCES.filter((i) => i !== "Other") as string[],
  languages: LANGUAGES.filter((l) => l !== "English") as string[],
};

export const TEXT = {
  practices: ["Counseling", "Psychotherapy", "Trauma Care", "Behavioral Health", "Psychology Group", "Family Therapy", "Wellness Collective"],
  cancelReasons: ["Patient rescheduled", "Patient unwell on the day", "Transport fell through", "Clinic closure (weather)"],
  boosterNotes: ["Response holding; review again in four weeks.", "Scores drifting up: booster planned with the outside team.", "Patient prefers to continue therapy alone for now.", "Discussed with the therapist; no booster at this time."],
  signOffs: ["Reviewed; agree with the plan.", "Reviewed. Continue current medication.", "Seen; please flag any sleep changes."],
  acknowledgements: ["Called the patient the same day; safety plan reviewed, no immediate risk.", "Spoke with the therapist and the patient; crisis line numbers shared; follow-up booked.", "Reviewed at the visit; patient safe, plan updated with the team."],
  addenda: ["Correction: the session was on Tuesday, not Monday.", "Adding: patient asked for telehealth next time.", "Clarifying the dose wording above; no clinical change."],
  declines: ["No capacity this month.", "Outside my area.", "Not the right fit for this modality."],
  notes: {
    progress_update: [
      "Patient reports better sleep since the last infusion.",
      "Mood ratings steady this week; practising grounding skills daily.",
      "Avoidance is easing: returned to the grocery store alone.",
      "Work stress remains high but coping strategies are holding.",
      "Family support has improved after the joint session.",
      "Nightmares down from nightly to twice a week.",
      "Energy still low in the mornings; walking most days.",
      "Patient engaged and on time for every session this month.",
    ],
    session_summary: [
      "Session focused on the trauma narrative; patient completed the writing task.",
      "Reviewed stuck points around blame; homework assigned.",
      "In-vivo exposure hierarchy updated; next step agreed.",
      "Processed the session the day after the infusion; patient felt more open than usual.",
      "Worked on sleep routine and breathing before exposure work.",
      "Patient tolerated the full imaginal exposure with moderate distress that settled.",
      "Summary for the team only; details stay in the therapy record.",
    ],
    infusion_summary: [
      "Infusion completed without complications; vitals stable throughout.",
      "Mild transient dissociation during the infusion, resolved before discharge.",
      "Blood pressure rose briefly and settled without treatment.",
      "Patient rested well and left with a companion after monitoring.",
      "Nausea managed with ondansetron; discharged in good condition.",
      "Full dose given over forty minutes; recovery uneventful.",
    ],
    question: [
      "Could the team confirm the next infusion date before I plan the session?",
      "Is a telehealth session acceptable the day after the infusion?",
      "Does the patient need a new release for the psychiatrist?",
      "Can we move the booster review earlier given the recent scores?",
      "Who should I contact about the insurance question?",
    ],
    safety_concern: [
      "Patient disclosed passive thoughts of death this week; no plan or intent.",
      "Safety plan reviewed after a difficult anniversary; please check in at the visit.",
      "Patient reports increased drinking after the last session; please coordinate.",
      "Patient missed two sessions and is not answering calls; asking for a welfare check-in.",
    ],
  },
};
