import { createElement, type ComponentType } from "react";
import { render } from "@react-email/render";
import { describe, expect, it } from "vitest";
import { templates, type TemplateName } from "../../emails/index";

const INVITE_URL = "https://portal.ember.test/join/tok_Invite-123_abc";
const RESET_URL = "https://portal.ember.test/reset-password/tok_Reset-456_xyz";

const cases: { name: TemplateName; props: Record<string, unknown>; link: string }[] = [
  {
    name: "invitation",
    props: {
      inviterName: "Maya Okafor",
      roleLabel: "therapist",
      acceptUrl: INVITE_URL,
      expiresOn: "Sat, Dec 5, 2026, 10:00 AM EST",
    },
    link: INVITE_URL,
  },
  { name: "password-reset", props: { resetUrl: RESET_URL, validMinutes: 30 }, link: RESET_URL },
  {
    name: "review-receipt",
    props: { outcome: "returned", noteUrl: "https://portal.ember.test/patients/3f1c/notes#note-9a2b" },
    link: "https://portal.ember.test/patients/3f1c/notes#note-9a2b",
  },
  {
    name: "offer-accepted",
    props: { referralUrl: "https://portal.ember.test/referrals/7a2e" },
    link: "https://portal.ember.test/referrals/7a2e",
  },
  {
    name: "patient-access-opened",
    props: { patientUrl: "https://portal.ember.test/patients/3f1c" },
    link: "https://portal.ember.test/patients/3f1c",
  },
  {
    name: "care-team-added",
    props: { patientUrl: "https://portal.ember.test/patients/3f1c" },
    link: "https://portal.ember.test/patients/3f1c",
  },
  {
    name: "safety-escalation",
    props: { alertUrl: "https://portal.ember.test/patients/3f1c/notes", minutes: 60 },
    link: "https://portal.ember.test/patients/3f1c/notes",
  },
];

async function renderTemplate(name: TemplateName, props: Record<string, unknown>) {
  const template = templates[name] as unknown as { component: ComponentType<object>; subject: (p: object) => string };
  const element = createElement(template.component, props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: template.subject(props), html, text };
}

const urlsIn = (s: string) => [...new Set(s.match(/https?:\/\/[^\s"'<>\])]+/g) ?? [])];

describe.each(cases)("the $name email", ({ name, props, link }) => {
  it("has an HTML part and a plain-text part", async () => {
    const { subject, html, text } = await renderTemplate(name, props);
    expect(subject.length).toBeGreaterThan(10);
    expect(html).toMatch(/^<!DOCTYPE html/i);
    expect(text.trim().length).toBeGreaterThan(100);
    expect(text).not.toMatch(/<[a-z!/][^>]*>/i);
  });

  it("carries the link in both parts, and no other link", async () => {
    const { html, text } = await renderTemplate(name, props);
    expect(text).toContain(link);
    expect(urlsIn(text)).toEqual([link]);
    const hrefs = [...new Set([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]))];
    expect(hrefs).toEqual([link]);
  });

  it("says it holds no patient information, and renders nothing it was not given", async () => {
    // Extra props a careless caller might pass must not reach the message.
    const leaky = {
      ...props,
      patientName: "Avery Lindqvist",
      dateOfBirth: "1986-03-14",
      recordNumber: "EMB-001001",
      diagnoses: ["ptsd"],
    };
    const { subject, html, text } = await renderTemplate(name, leaky);
    expect(text).toMatch(/contains no patient information/i);
    for (const part of [subject, html, text]) {
      for (const value of ["Avery", "Lindqvist", "1986", "EMB-001001", "ptsd"]) expect(part).not.toContain(value);
    }
  });
});

describe("the invitation email", () => {
  it("names the inviter, the role and the expiry", async () => {
    const { text } = await renderTemplate("invitation", cases[0]!.props);
    expect(text).toContain("Maya Okafor");
    expect(text).toContain("as therapist");
    expect(text).toContain("Sat, Dec 5, 2026, 10:00 AM EST");
  });
});

describe("the password reset email", () => {
  it("says how long the link works", async () => {
    const { text } = await renderTemplate("password-reset", cases[1]!.props);
    expect(text).toMatch(/for\s+30 minutes/);
  });
});
