// The synthetic network behind `seed-scale.ts`: a seeded PRNG, New York calendar helpers, COPY
// encoding, and one function per kind of row. Everything is drawn from the PRNG in a fixed order,
// so the same seed, size and anchor day give the same rows.
import { addDays, zonedToUtc } from "../../app/lib/time";
import { LOCATIONS } from "../../db/seed-demo";
import { COLUMNS, NAMES, TABLE_ORDER, TEXT, type Table } from "./seed-scale-data";

export const DAY = 86_400_000;
const HOUR = 3_600_000;
export const SCALE_DOMAIN = "scale.ember.test";

// ---------------------------------------------------------------- a tiny seeded PRNG (sfc32)
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    // splitmix32 spreads a small seed over the four words of state.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }
  next = () => this.u32() / 4_294_967_296;
  int = (lo: number, hi: number) => lo + Math.floor(this.next() * (hi - lo + 1));
  chance = (p: number) => this.next() < p;
  pick = <T>(items: readonly T[]): T => items[Math.floor(this.next() * items.length)]!;
  some = <T>(items: readonly T[], lo: number, hi: number): T[] => {
    const pool = [...items];
    const n = Math.min(pool.length, this.int(lo, hi));
    const out: T[] = [];
    while (out.length < n) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  };
  uuid(): string {
    const h = [this.u32(), this.u32(), this.u32(), this.u32()].map((w) => w.toString(16).padStart(8, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

// ---------------------------------------------------------------- calendar helpers (New York)
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const offsets = new Map<string, number>();
/** New York wall time on `day`, `minutes` after midnight; exact for daytime hours (DST changes at 02:00). */
export function nyAt(day: string, minutes: number): Date {
  let offset = offsets.get(day);
  if (offset === undefined) {
    offset = Date.parse(`${day}T12:00:00Z`) - zonedToUtc(`${day}T12:00`)!.getTime();
    offsets.set(day, offset);
  }
  return new Date(Date.parse(`${day}T00:00:00Z`) + minutes * 60_000 - offset);
}
const SLOTS = [480, 585, 690, 795, 900, 1005]; // 08:00 … 16:45: a 90-minute visit ends before 19:00

// ---------------------------------------------------------------- COPY text encoding and the writer
const escape = (s: string) =>
  s.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);
function field(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "boolean") return v ? "t" : "f";
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return escape(`{${v.map((x) => (typeof x === "number" ? String(x) : `"${x}"`)).join(",")}}`);
  return escape(String(v));
}

export class Batch {
  lines = new Map<Table, string[]>();
  counts = new Map<Table, number>();
  copyMs = 0;
  add(table: Table, values: Record<string, unknown>) {
    const line = COLUMNS[table].map((c) => field(values[c])).join("\t");
    let list = this.lines.get(table);
    if (!list) this.lines.set(table, (list = []));
    list.push(line);
  }
  async flush(target: { copy(table: Table, text: string): Promise<void> }): Promise<number> {
    let rows = 0;
    const t0 = Date.now();
    for (const table of TABLE_ORDER) {
      const list = this.lines.get(table);
      if (!list?.length) continue;
      await target.copy(table, `${list.join("\n")}\n`);
      this.counts.set(table, (this.counts.get(table) ?? 0) + list.length);
      rows += list.length;
    }
    this.lines.clear();
    this.copyMs += Date.now() - t0;
    return rows;
  }
}

// ---------------------------------------------------------------- the network
export interface Person {
  id: string;
  name: string;
  email: string;
  role: "therapist" | "psychiatrist" | "coordinator" | "clinician";
  organisation: string;
  licence: string;
}

export interface Context {
  rng: Rng;
  batch: Batch;
  now: Date;
  anchor: string;
  therapists: Person[];
  psychiatrists: Person[];
  clinicians: Person[];
  coordinators: Person[];
  demo: { therapist: Person; psychiatrist: Person };
}

export function providerRows(ctx: Context, count: number, passwordHash: string, createdFrom: string) {
  const { rng, batch } = ctx;
  for (let i = 0; i < count; i++) {
    const psychiatrist = i % 5 === 4;
    const [first, last] = [rng.pick(NAMES.first), rng.pick(NAMES.last)];
    const licence = psychiatrist
      ? rng.pick(["MD/DO", "MD/DO", "Psychiatric NP"])
      : rng.pick(["LCSW", "LCSW", "LMHC", "LMFT", "LPC", "Psychologist"]);
    const suffix =
      licence === "Psychologist"
        ? rng.pick(["PhD", "PsyD"])
        : licence === "MD/DO"
          ? "MD"
          : licence === "Psychiatric NP"
            ? "PMHNP"
            : licence;
    const person: Person = {
      id: rng.uuid(),
      name: licence === "MD/DO" ? `Dr. ${first} ${last}` : `${first} ${last}, ${suffix}`,
      email: `p${String(i + 1).padStart(6, "0")}.${last.toLowerCase().replace(/[^a-z]/g, "")}@${SCALE_DOMAIN}`,
      role: psychiatrist ? "psychiatrist" : "therapist",
      organisation: rng.chance(0.3) ? "Independent practice" : `${rng.pick(NAMES.last)} ${rng.pick(TEXT.practices)}`,
      licence,
    };
    const active = !rng.chance(0.01);
    const created = nyAt(addDays(createdFrom, -rng.int(0, 200)), 600);
    batch.add("users", {
      ...person,
      password_hash: passwordHash,
      status: active ? "active" : "deactivated",
      created_at: created,
      updated_at: created,
      deactivated_at: active ? null : ctx.now,
      notify_notes: !rng.chance(0.15),
      notes_digest_sent_at: ctx.now,
      notes_digest_cursor: ctx.now,
    });
    const state = rng.chance(0.9) ? "NY" : rng.pick(["NJ", "CT"]);
    batch.add("provider_credentials", {
      user_id: person.id,
      licence_type: licence,
      licence_number: `${state}-${rng.int(100000, 999999)}`,
      licence_state: state,
      licence_expires_on: addDays(ctx.anchor, rng.chance(0.05) ? -rng.int(1, 120) : rng.int(30, 900)),
      npi: npi(rng),
      updated_at: created,
    });
    const modalities = psychiatrist ? [] : rng.some(["WET", "CPT", "PE"], 0, 3);
    batch.add("provider_profiles", {
      user_id: person.id,
      modalities,
      certified_modalities: modalities.filter(() => rng.chance(0.4)),
      licence_states: state === "NY" ? [] : ["NY", state],
      boroughs: rng.some(NAMES.boroughs, 1, 2),
      practice_address: `${rng.int(10, 999)} ${rng.pick(NAMES.streets)}, New York, NY`,
      telehealth: rng.chance(0.7),
      insurances: rng.some(NAMES.insurances, 1, 5),
      languages: rng.chance(0.75) ? ["English"] : ["English", rng.pick(NAMES.languages)],
      accepting_new: rng.chance(0.6),
      open_slots_per_week: rng.int(0, 4),
      available_days: rng.some(["mon", "tue", "wed", "thu", "fri", "sat"], 2, 5),
      available_times: rng.some(["morning", "afternoon", "evening"], 1, 2),
      updated_at: created,
    });
    if (active) (psychiatrist ? ctx.psychiatrists : ctx.therapists).push(person);
  }
}

export function staffRows(ctx: Context, role: "clinician" | "coordinator", count: number, passwordHash: string) {
  const { rng, batch } = ctx;
  for (let i = 0; i < count; i++) {
    const [first, last] = [rng.pick(NAMES.first), rng.pick(NAMES.last)];
    const person: Person = {
      id: rng.uuid(),
      name: role === "clinician" ? `Dr. ${first} ${last}, ${rng.pick(["MD", "MD", "NP", "PA"])}` : `${first} ${last}`,
      email: `${role}${i + 1}.${last.toLowerCase().replace(/[^a-z]/g, "")}@${SCALE_DOMAIN}`,
      role,
      organisation: "Ember Health",
      licence: "",
    };
    const created = nyAt(addDays(ctx.anchor, -1200), 600);
    batch.add("users", {
      ...person,
      password_hash: passwordHash,
      status: "active",
      created_at: created,
      updated_at: created,
      notify_notes: true,
      notes_digest_sent_at: ctx.now,
      notes_digest_cursor: ctx.now,
    });
    (role === "clinician" ? ctx.clinicians : ctx.coordinators).push(person);
  }
}

function npi(rng: Rng): string {
  const body = `1${String(rng.int(0, 99_999_999)).padStart(8, "0")}`;
  const digits = `80840${body}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** Integer items that add up to `total`, each within 0..max, on the first `count` items. */
function itemsFor(rng: Rng, length: number, count: number, max: number, total: number): number[] {
  const items = new Array<number>(length).fill(0);
  let left = Math.min(total, count * max);
  while (left > 0) {
    const i = rng.int(0, count - 1);
    if (items[i]! < max) {
      items[i]!++;
      left--;
    }
  }
  return items;
}

const sentences = (rng: Rng, pool: readonly string[]) => rng.some(pool, 2, 4).join(" ");

export interface Stats {
  demoPatients: { id: string; notes: number }[];
  openReferrals: { id: string; insurance: string }[];
}

/** One patient and everything around them, over their time with Ember. */
export function patientRows(ctx: Context, index: number, stats: Stats) {
  const { rng, batch, now, anchor } = ctx;
  const nowMs = now.getTime();
  const demoCase = index < 30;
  const patientId = rng.uuid();
  const location = rng.pick(LOCATIONS).id;
  const insurance = rng.pick(NAMES.insurances.concat(["Other"]));
  const diagnoses = rng.chance(0.8)
    ? ["ptsd", "mdd"]
    : rng.pick([["ptsd", "bipolar_depression"], ["ptsd", "depressive_symptoms"], ["ptsd"], ["mdd"]]);
  const risks = [...(rng.chance(0.2) ? ["dissociation"] : []), ...(rng.chance(0.12) ? ["substance_use"] : [])];

  // The first course: anywhere in the last three years, a few weeks ahead, or (demo caseload) now.
  let start = addDays(anchor, demoCase ? (index < 10 ? rng.int(-5, 14) : rng.int(-300, -6)) : rng.int(-1095, 21));
  if (weekday(start) === 0) start = addDays(start, 1);
  const createdDay = addDays(start, -rng.int(14, 60));
  const created = nyAt(createdDay < anchor ? createdDay : anchor, 540 + rng.int(0, 480));
  batch.add("patients", {
    id: patientId,
    record_number: `EMB-${500_000 + index}`,
    first_name: rng.pick(NAMES.first),
    last_name: rng.pick(NAMES.last),
    date_of_birth: `${rng.int(1950, 2004)}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`,
    preferred_location_id: location,
    insurance,
    diagnoses,
    risk_flags: risks,
    created_at: created,
    updated_at: created,
  });

  // Visits: the course, then boosters 3–4 weeks after it ends and every 4–6 weeks after that.
  const visits: {
    id: string;
    courseId: string;
    kind: "course" | "booster";
    startsAt: Date;
    endsAt: Date;
    status: string;
    clinicianId: string;
  }[] = [];
  const clinician = rng.pick(ctx.clinicians);
  const addCourse = (kind: "course" | "booster", days: string[]) => {
    const courseId = rng.uuid();
    const first = nyAt(days[0]!, 480);
    batch.add("infusion_courses", {
      id: courseId,
      patient_id: patientId,
      location_id: location,
      clinician_id: clinician.id,
      created_by: clinician.id,
      created_at: new Date(Math.min(first.getTime() - 7 * DAY, nowMs)),
    });
    for (const day of days) {
      const startsAt = nyAt(day, rng.pick(SLOTS));
      const endsAt = new Date(startsAt.getTime() + 90 * 60_000);
      const past = endsAt.getTime() < nowMs;
      const roll = rng.next();
      const status = past
        ? roll < 0.93
          ? "held"
          : roll < 0.96
            ? "missed"
            : "cancelled"
        : roll < 0.02
          ? "cancelled"
          : "scheduled";
      const visit = {
        id: rng.uuid(),
        courseId,
        kind,
        startsAt,
        endsAt,
        status,
        clinicianId: rng.chance(0.8) ? clinician.id : rng.pick(ctx.clinicians).id,
      };
      visits.push(visit);
      batch.add("infusion_visits", {
        id: visit.id,
        course_id: courseId,
        patient_id: patientId,
        location_id: location,
        clinician_id: visit.clinicianId,
        kind,
        starts_at: startsAt,
        ends_at: endsAt,
        infusion_minutes: 40,
        window_closes_at: new Date(endsAt.getTime() + 72 * HOUR),
        status,
        cancel_reason: status === "cancelled" ? rng.pick(TEXT.cancelReasons) : null,
        sequence: 0,
        updated_at: past ? endsAt : new Date(Math.min(startsAt.getTime() - 7 * DAY, nowMs)),
      });
    }
    return courseId;
  };
  const courseDays = [start];
  for (let k = rng.int(4, 6), d = 0; courseDays.length < k;) {
    d += rng.pick([1, 2, 2, 3]);
    const day = addDays(start, d);
    if (weekday(day) !== 0) courseDays.push(day);
  }
  const lastCourseDay = courseDays.at(-1)!;
  const courseId = addCourse("course", courseDays);
  const boosterCount = rng.pick([0, 0, 0, 0, 1, 1, 1, 2, 2, 3]);
  let boosterDay = addDays(lastCourseDay, rng.int(21, 28));
  const boosterDays: string[] = [];
  for (let b = 0; b < boosterCount; b++) {
    if (weekday(boosterDay) === 0) boosterDay = addDays(boosterDay, 1);
    if (boosterDay > addDays(anchor, 30)) break;
    boosterDays.push(boosterDay);
    boosterDay = addDays(boosterDay, rng.int(28, 42));
  }
  if (boosterDays.length) addCourse("booster", boosterDays);
  const lastDay = boosterDays.at(-1) ?? lastCourseDay;

  if (lastCourseDay < anchor) {
    const dueFrom = addDays(lastCourseDay, 21);
    const dueTo = addDays(lastCourseDay, 28);
    const decided = dueTo < anchor;
    batch.add("booster_reviews", {
      id: rng.uuid(),
      patient_id: patientId,
      course_id: courseId,
      reason: "course_completed",
      due_from: dueFrom,
      due_to: dueTo,
      created_at: nyAt(lastCourseDay, 1080),
      decision: decided ? (boosterDays.length ? "schedule_booster" : rng.pick(["no_booster_now", "refer_back"])) : null,
      decision_note: decided ? rng.pick(TEXT.boosterNotes) : null,
      decided_by: decided ? clinician.id : null,
      decided_at: decided ? nyAt(dueFrom, 720) : null,
    });
  }

  // The care team: a primary therapist (skewed: some carry big caseloads), often a psychiatrist.
  const active = demoCase || lastDay >= addDays(anchor, -365);
  const endDay = active ? null : rng.chance(0.7) ? addDays(lastDay, rng.int(60, 180)) : null;
  const endedAt = endDay && endDay < anchor ? nyAt(endDay, 720) : null;
  const therapist = demoCase
    ? ctx.demo.therapist
    : ctx.therapists[Math.floor(ctx.therapists.length * rng.next() ** 1.6)]!;
  const psychiatrist =
    demoCase && index < 15 ? ctx.demo.psychiatrist : rng.chance(0.4) ? rng.pick(ctx.psychiatrists) : null;
  const other = rng.chance(0.05) ? rng.pick(ctx.therapists) : null;
  const team = [
    { person: therapist, role: "primary_therapist" },
    ...(psychiatrist ? [{ person: psychiatrist, role: "psychiatrist" }] : []),
    ...(other && other.id !== therapist.id ? [{ person: other, role: "other" }] : []),
  ];
  const coordinator = rng.pick(ctx.coordinators);
  for (const member of team) {
    batch.add("care_team_members", {
      id: rng.uuid(),
      patient_id: patientId,
      user_id: member.person.id,
      team_role: member.role,
      started_at: created,
      added_by: coordinator.id,
      ended_at: endedAt,
      end_reason: endedAt ? "Care completed" : null,
    });
    // Releases last a year and are renewed while care goes on.
    const scope = [
      "care_coordination",
      "infusion_schedule",
      "care_notes",
      "symptom_measures",
      ...(risks.includes("substance_use") && rng.chance(0.5) ? ["substance_use"] : []),
    ];
    let signed = createdDay < anchor ? createdDay : anchor;
    for (;;) {
      const expires = addDays(signed, 365);
      const renew = expires < anchor && (endDay === null || endDay > expires) && (active || rng.chance(0.5));
      const revoked = !renew && !active && rng.chance(0.03);
      batch.add("releases_of_information", {
        id: rng.uuid(),
        patient_id: patientId,
        provider_id: member.person.id,
        signed_on: signed,
        expires_on: expires,
        scope,
        recorded_by: coordinator.id,
        recorded_at: nyAt(signed, 660),
        revoked_at: revoked ? nyAt(addDays(lastDay, 30) < anchor ? addDays(lastDay, 30) : anchor, 600) : null,
        revoked_by: revoked ? coordinator.id : null,
        revoke_reason: revoked ? "Patient asked to stop sharing" : null,
      });
      if (!renew) break;
      signed = addDays(expires, -rng.int(0, 20));
    }
  }

  // Engagement confirmations by the primary therapist, renewed every 80–90 days (10% lapse).
  const therapy = rng.pick(["WET", "CPT", "PE", "other", "none"] as const);
  const stopMs = Math.min(endedAt?.getTime() ?? nowMs, nowMs);
  const lapses = rng.chance(0.1);
  for (let at = created.getTime() + rng.int(1, 10) * DAY; at < stopMs; at += rng.int(80, 90) * DAY) {
    const expiresAt = at + 90 * DAY;
    batch.add("engagement_confirmations", {
      id: rng.uuid(),
      patient_id: patientId,
      provider_id: therapist.id,
      treatment_started_on: addDays(createdDay, -rng.int(30, 400)),
      last_session_on: new Date(at - rng.int(1, 14) * DAY).toISOString().slice(0, 10),
      cadence: rng.pick(["weekly", "weekly", "every_two_weeks", "monthly"]),
      ptsd_confirmed: diagnoses.includes("ptsd"),
      depression: diagnoses.find((d) => d !== "ptsd") ?? "none",
      trauma_therapy: therapy,
      sessions_held: rng.int(0, 12),
      agrees_to_coordinate: true,
      signature_name: therapist.name,
      signature_licence: `${therapist.licence} (NY)`,
      confirmed_at: new Date(at),
      expires_at: new Date(expiresAt),
      reminded_14_at: expiresAt - 14 * DAY < nowMs ? new Date(expiresAt - 14 * DAY) : null,
      reminded_3_at: expiresAt - 3 * DAY < nowMs ? new Date(expiresAt - 3 * DAY) : null,
    });
    if (lapses && at > nowMs - 200 * DAY) break;
  }

  // Therapy sessions the therapist planned in the window after half the visits.
  const modality = therapy === "none" ? "other" : therapy;
  let protocolNumber = 0;
  for (const visit of visits) {
    if (visit.status === "cancelled" || !rng.chance(0.5)) continue;
    const startsAt = new Date(Math.round((visit.endsAt.getTime() + rng.int(18, 60) * HOUR) / HOUR) * HOUR);
    const past = startsAt.getTime() < nowMs;
    protocolNumber++;
    const total = modality === "WET" ? 5 : modality === "other" ? null : 12;
    batch.add("therapy_sessions", {
      id: rng.uuid(),
      patient_id: patientId,
      provider_id: therapist.id,
      visit_id: visit.id,
      starts_at: startsAt,
      modality,
      protocol_number: total ? Math.min(protocolNumber, total) : null,
      protocol_total: total,
      mode: rng.chance(0.6) ? "telehealth" : "in_person",
      status: past ? (rng.chance(0.9) ? "held" : "missed") : "planned",
      created_at: new Date(Math.min(visit.startsAt.getTime(), nowMs)),
      updated_at: new Date(Math.min(startsAt.getTime(), nowMs)),
    });
  }

  // Care notes over the time in care, with reads, sign-offs, acknowledgements and a few addenda.
  const fromMs = created.getTime();
  const toMs = Math.min(nowMs - HOUR, nyAt(addDays(lastDay, 120), 720).getTime());
  const noteCount = toMs > fromMs ? Math.round(20 * (0.3 + rng.next() * 1.4)) : 0;
  for (let n = 0; n < noteCount; n++) {
    const at = new Date(fromMs + rng.next() * (toMs - fromMs));
    const roll = rng.next();
    const [kind, author] =
      roll < 0.4
        ? ["progress_update", psychiatrist && rng.chance(0.25) ? psychiatrist : therapist]
        : roll < 0.65
          ? ["session_summary", therapist]
          : roll < 0.87
            ? ["infusion_summary", rng.pick(ctx.clinicians)]
            : roll < 0.97
              ? ["question", rng.chance(0.5) ? coordinator : therapist]
              : roll < 0.99
                ? ["safety_concern", therapist]
                : ["progress_update", coordinator];
    const noteId = rng.uuid();
    const review = kind === "infusion_summary" || rng.chance(0.1);
    batch.add("care_notes", {
      id: noteId,
      patient_id: patientId,
      author_id: author.id,
      author_role: author.role,
      author_organisation: author.organisation,
      kind,
      body: sentences(rng, TEXT.notes[kind as keyof typeof TEXT.notes]),
      review_requested: review,
      created_at: at,
    });
    batch.add("note_reads", { user_id: author.id, note_id: noteId, read_at: at });
    const ageMs = nowMs - at.getTime();
    for (const reader of [therapist, psychiatrist]) {
      if (reader && reader.id !== author.id && ageMs > 3 * DAY && rng.chance(reader === therapist ? 0.9 : 0.6)) {
        batch.add("note_reads", {
          user_id: reader.id,
          note_id: noteId,
          read_at: new Date(at.getTime() + rng.int(1, 48) * HOUR),
        });
      }
    }
    if (review && psychiatrist && psychiatrist.id !== author.id && ageMs > 5 * DAY && rng.chance(0.85)) {
      batch.add("note_sign_offs", {
        note_id: noteId,
        psychiatrist_id: psychiatrist.id,
        comment: rng.chance(0.3) ? rng.pick(TEXT.signOffs) : null,
        signed_at: new Date(at.getTime() + rng.int(1, 5) * DAY),
      });
    }
    if (kind === "safety_concern" && ageMs > 2 * DAY) {
      batch.add("safety_acknowledgements", {
        note_id: noteId,
        clinician_id: rng.pick(ctx.clinicians).id,
        response: rng.pick(TEXT.acknowledgements),
        acknowledged_at: new Date(at.getTime() + rng.int(1, 6) * HOUR),
      });
    }
    if (rng.chance(0.01) && ageMs > 2 * DAY) {
      batch.add("note_addenda", {
        id: rng.uuid(),
        note_id: noteId,
        author_id: author.id,
        body: rng.pick(TEXT.addenda),
        created_at: new Date(at.getTime() + rng.int(1, 40) * HOUR),
      });
    }
  }
  if (demoCase) stats.demoPatients.push({ id: patientId, notes: noteCount });

  // PHQ-9 and PCL-5 at baseline and after the course.
  const basePhq = rng.int(12, 24);
  const basePcl = rng.int(35, 65);
  const points = [
    { day: addDays(start, -rng.int(1, 7)), phq: basePhq, pcl: basePcl },
    {
      day: addDays(lastCourseDay, rng.int(0, 7)),
      phq: Math.round(basePhq * (0.3 + rng.next() * 0.6)),
      pcl: Math.round(basePcl * (0.3 + rng.next() * 0.6)),
    },
  ];
  // A patient keeps at most one open PHQ-9 alert: a later signal while it is open joins it.
  let openAlertId: string | null = null;
  for (const point of points) {
    if (point.day >= anchor) continue;
    const recordedBy = rng.chance(0.7) ? therapist : clinician;
    const recordedAt = nyAt(point.day, 600 + rng.int(0, 480));
    const signal = rng.chance(0.03);
    const phqItems = itemsFor(rng, 9, 8, 3, point.phq - (signal ? 1 : 0));
    if (signal) phqItems[8] = 1;
    const phqId = rng.uuid();
    batch.add("measures", {
      id: phqId,
      patient_id: patientId,
      instrument: "PHQ9",
      taken_on: point.day,
      items: phqItems,
      total: phqItems.reduce((a, b) => a + b, 0),
      recorded_by: recordedBy.id,
      recorded_at: recordedAt,
    });
    const pclItems = itemsFor(rng, 20, 20, 4, point.pcl);
    batch.add("measures", {
      id: rng.uuid(),
      patient_id: patientId,
      instrument: "PCL5",
      taken_on: point.day,
      items: pclItems,
      total: point.pcl,
      recorded_by: recordedBy.id,
      recorded_at: recordedAt,
    });
    if (signal && openAlertId) {
      batch.add("safety_alert_measures", { measure_id: phqId, alert_id: openAlertId, joined_at: recordedAt });
    } else if (signal) {
      const acknowledged = nowMs - recordedAt.getTime() > 2 * DAY;
      const alertId = rng.uuid();
      batch.add("safety_alerts", {
        id: alertId,
        patient_id: patientId,
        measure_id: phqId,
        raised_at: recordedAt,
        acknowledged_by: acknowledged ? clinician.id : null,
        acknowledged_at: acknowledged ? new Date(recordedAt.getTime() + 2 * HOUR) : null,
        action_taken: acknowledged ? rng.pick(TEXT.acknowledgements) : null,
      });
      batch.add("safety_alert_measures", { measure_id: phqId, alert_id: alertId, joined_at: recordedAt });
      if (!acknowledged) openAlertId = alertId;
    }
  }

  // Half the patients were referred to a trauma-focused therapist at some point.
  if (rng.chance(0.5)) referralRows(ctx, { patientId, insurance, created, coordinator, stats });
}

function referralRows(
  ctx: Context,
  p: { patientId: string; insurance: string; created: Date; coordinator: Person; stats: Stats },
) {
  const { rng, batch } = ctx;
  const nowMs = ctx.now.getTime();
  const id = rng.uuid();
  const createdAt = new Date(Math.min(p.created.getTime() + rng.int(0, 20) * DAY, nowMs - HOUR));
  const recent = nowMs - createdAt.getTime() < 60 * DAY;
  const roll = rng.next();
  const status = recent
    ? roll < 0.35
      ? "open"
      : roll < 0.6
        ? "offered"
        : roll < 0.8
          ? "accepted"
          : "engaged"
    : roll < 0.6
      ? "closed"
      : roll < 0.75
        ? "cancelled"
        : "engaged";
  const events: { from: string | null; to: string; at: number; actor: string | null; note?: string }[] = [
    { from: null, to: "open", at: createdAt.getTime(), actor: p.coordinator.id },
  ];
  let t = createdAt.getTime();
  const step = (hours: number) => (t = Math.min(t + hours * HOUR, nowMs - 60_000));
  const offer = (outcome: "declined" | "expired" | "accepted" | "open") => {
    const provider = rng.pick(ctx.therapists);
    const offeredAt = outcome === "open" ? nowMs - rng.int(1, 48) * HOUR : step(rng.int(2, 48));
    const respondedAt = outcome === "open" || outcome === "expired" ? null : step(rng.int(1, 60));
    if (outcome === "expired") step(72);
    batch.add("referral_offers", {
      id: rng.uuid(),
      referral_id: id,
      provider_id: provider.id,
      offered_by: p.coordinator.id,
      offered_at: new Date(offeredAt),
      expires_at: new Date(offeredAt + 72 * HOUR),
      status: outcome,
      responded_at: respondedAt ? new Date(respondedAt) : null,
      decline_reason: outcome === "declined" ? rng.pick(TEXT.declines) : null,
    });
    events.push({ from: "open", to: "offered", at: offeredAt, actor: p.coordinator.id });
    if (outcome === "declined" || outcome === "expired")
      events.push({
        from: "offered",
        to: "open",
        at: respondedAt ?? t,
        actor: outcome === "declined" ? provider.id : null,
        note: outcome === "expired" ? "offer expired" : undefined,
      });
    if (outcome === "accepted") events.push({ from: "offered", to: "accepted", at: respondedAt!, actor: provider.id });
    return provider;
  };
  for (let k = rng.int(0, status === "open" || status === "cancelled" ? 1 : 2); k > 0; k--)
    offer(rng.chance(0.6) ? "declined" : "expired");
  let accepted: Person | null = null;
  if (status === "offered") offer("open");
  if (["accepted", "engaged", "closed"].includes(status)) accepted = offer("accepted");
  if (status === "engaged" || status === "closed")
    events.push({ from: "accepted", to: "engaged", at: step(rng.int(24, 240)), actor: accepted!.id });
  if (status === "closed")
    events.push({ from: "engaged", to: "closed", at: step(rng.int(24, 480)), actor: p.coordinator.id });
  if (status === "cancelled")
    events.push({ from: "open", to: "cancelled", at: step(rng.int(24, 480)), actor: p.coordinator.id });
  batch.add("referrals", {
    id,
    patient_id: p.patientId,
    modality: rng.pick(["WET", "CPT", "PE", "any"]),
    setting: rng.pick(["in_person", "telehealth", "either"]),
    borough: rng.pick(NAMES.boroughs),
    insurance: p.insurance,
    language: rng.chance(0.85) ? "English" : rng.pick(NAMES.languages),
    urgency: rng.pick(["routine", "routine", "soon", "urgent"]),
    needs_window: rng.chance(0.4),
    status,
    accepted_provider_id: accepted?.id ?? null,
    cancel_reason: status === "cancelled" ? "Patient chose a therapist outside the network" : null,
    created_by: p.coordinator.id,
    created_at: createdAt,
    status_changed_at: new Date(events.at(-1)!.at),
  });
  for (const e of events)
    batch.add("referral_events", {
      referral_id: id,
      from_status: e.from,
      to_status: e.to,
      actor_id: e.actor,
      note: e.note ?? null,
      at: new Date(e.at),
    });
  if (status === "open") p.stats.openReferrals.push({ id, insurance: p.insurance });
}
