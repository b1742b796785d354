import {
  DEMO,
  VALID_NPI,
  expect,
  expectNoAxeViolations,
  licenceExpiry,
  readLatestMail,
  uniqueEmail,
} from "../support/fixtures";
import {
  addExistingProvider,
  confirmEngagement,
  createPatient,
  expectFlash,
  nyDate,
  recordRelease,
  test,
} from "../support/journeys";

const NOT_ELIGIBLE = "No active licensed provider — not eligible";
const COMORBID = "PTSD with comorbid depression — evidence most consistent";

test.describe("engagement with an outside provider", () => {
  test("a therapist invited with a release confirms engagement; revoking the release ends their access", async ({
    signIn,
    browser,
  }) => {
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(page, {
      label: "Engagement",
      diagnoses: ["PTSD", "Major depressive disorder"],
    });
    await expect(page.getByRole("heading", { name: "No outside providers on the team" })).toBeVisible();
    await expectNoAxeViolations(page);

    // The coordinator invites the patient's therapist and records the signed release in the same form.
    const email = uniqueEmail("engaged-therapist");
    const invite = page.getByRole("region", { name: "Invite a new provider" });
    await invite.getByLabel("Provider's email").fill(email);
    await invite.getByLabel("They are a").selectOption({ label: "Therapist" });
    await invite.getByLabel("Role on the team").selectOption({ label: "Primary therapist" });
    await invite.getByLabel("Date signed").fill(nyDate(-1));
    await invite.getByLabel("Expires on").fill(nyDate(364));
    await expect(invite.getByRole("checkbox", { name: "Care notes" })).toBeChecked();
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expectFlash(page, `Invitation sent to ${email}. They join the care team when they accept.`);

    await page.getByRole("link", { name: "Overview", exact: true }).click();
    await expect(page.getByTestId("eligibility-headline")).toHaveText(NOT_ELIGIBLE);
    await expect(page.getByRole("list", { name: "Why infusions cannot be scheduled yet" })).toContainText(
      "No active engagement confirmation",
    );
    await expectNoAxeViolations(page);

    // The therapist sets up their account from the emailed link and sees exactly this one patient.
    const mail = await readLatestMail(page, email);
    expect(mail.text).not.toContain(patient.lastName);
    const therapist = await (await browser.newContext()).newPage();
    await therapist.goto(mail.link);
    await expect(therapist.getByRole("heading", { level: 1, name: "Set up your account" })).toBeVisible();
    await expectNoAxeViolations(therapist);
    const name = "Noor Haddad, LMHC";
    const password = "an-e2e-therapist-password";
    await therapist.getByLabel("Full name").fill(name);
    await therapist.getByLabel("Practice or organisation").fill("Lantern Counselling (e2e)");
    await therapist.getByLabel("Licence type").selectOption("LMHC");
    await therapist.getByLabel("Licence number").fill("LMHC-118204");
    await therapist.getByLabel("Licence state").selectOption("NY");
    await therapist.getByLabel("Licence expiry date").fill(licenceExpiry());
    await therapist.getByLabel("NPI").fill(VALID_NPI);
    await therapist.getByLabel("Password", { exact: true }).fill(password);
    await therapist.getByLabel("Repeat the password").fill(password);
    await therapist.getByRole("button", { name: "Create my account", exact: true }).click();

    await expect(therapist).toHaveURL("/");
    await expect(therapist.getByRole("heading", { level: 1 })).toHaveText("My patients");
    const rows = therapist
      .getByRole("table", { name: "My patients" })
      .getByRole("row")
      .filter({ has: therapist.getByRole("cell") });
    await expect(rows.locator("td:first-child")).toHaveText([patient.listed]);
    await expectNoAxeViolations(therapist);

    // They open the patient and confirm they actively treat them.
    await rows.getByRole("link", { name: patient.listed }).click();
    await expect(therapist.getByTestId("eligibility-headline")).toHaveText(NOT_ELIGIBLE);
    await therapist.getByRole("link", { name: "Engagement", exact: true }).click();
    await expect(
      therapist.getByRole("heading", { name: "Confirm that you actively treat this patient" }),
    ).toBeVisible();
    await expect(therapist.getByText(`Signing as ${name}, LMHC LMHC-118204 (NY), NPI ${VALID_NPI}.`)).toBeVisible();
    await expectNoAxeViolations(therapist);
    await confirmEngagement(therapist, patient.id, name);
    await expect(therapist.getByTestId("eligibility-headline")).toHaveText(COMORBID);

    // The coordinator sees the summary change and the gate open.
    await page.reload();
    await expect(page.getByTestId("eligibility-headline")).toHaveText(COMORBID);
    await expect(page.getByText("Infusions may be scheduled")).toBeVisible();
    await expect(page.getByRole("region", { name: "Outside providers' engagement" })).toContainText(`${name}: active`);

    // The coordinator revokes the release; the therapist's next request for the patient is not found.
    await page.getByRole("link", { name: "Care team", exact: true }).click();
    const member = page.getByRole("article", { name: `${name}, Primary therapist` });
    await expect(member.getByText("Release of information: current")).toBeVisible();
    await member.getByText(`Manage ${name}`).click();
    await member.getByLabel("Reason for revoking the release").fill("Patient withdrew consent to share (e2e).");
    await member.getByRole("button", { name: "Revoke release" }).click();
    await expectFlash(page, "Release revoked. The provider's access ended with this change.");
    await expect(member.getByText("Release of information: revoked")).toBeVisible();
    await expectNoAxeViolations(page);

    const response = await therapist.reload();
    expect(response?.status()).toBe(404);
    await therapist.goto("/");
    await expect(therapist.getByRole("heading", { name: "No patients shared with you yet" })).toBeVisible();

    // Without a current release the engagement no longer opens the gate.
    await page.getByRole("link", { name: "Overview", exact: true }).click();
    await expect(page.getByRole("list", { name: "Why infusions cannot be scheduled yet" })).toContainText(
      "Release of information missing: no engaged provider has a current, unrevoked release on file.",
    );
    await therapist.context().close();
  });

  test("a bad engagement form comes back with field messages, keeps what was typed and saves nothing", async ({
    signIn,
    browser,
  }) => {
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    const patient = await createPatient(page, { label: "BadForm" });
    await addExistingProvider(page, DEMO.therapist.name, "Primary therapist");
    await recordRelease(page, DEMO.therapist.name);

    // An empty form: every answer is asked for, and the page with its messages stays accessible.
    const withScript = await signIn(DEMO.therapist.email);
    await withScript.goto(`/patients/${patient.id}/engagement`);
    await withScript.getByRole("button", { name: "Sign and confirm engagement" }).click();
    await expect(withScript.getByRole("alert")).toHaveText(
      "Some answers need attention: see the messages below. Nothing was saved.",
    );
    await expect(withScript.locator('[aria-invalid="true"]')).toHaveCount(8);
    await expectNoAxeViolations(withScript);

    // Without JavaScript, so what the form shows after each refusal is what the server sent back.
    const therapist = await (
      await browser.newContext({ javaScriptEnabled: false, storageState: await withScript.context().storageState() })
    ).newPage();
    await therapist.goto(`/patients/${patient.id}/engagement`);
    const started = nyDate(2);
    const lastSession = nyDate(-90);
    await therapist.getByLabel("Treatment start date").fill(started);
    await therapist.getByLabel("Date of the most recent session").fill(lastSession);
    await therapist.getByLabel("Depression comorbidity").selectOption({ label: "Major depressive disorder" });
    await therapist.getByLabel("Trauma-focused therapy").selectOption({ label: "Cognitive Processing Therapy (CPT)" });
    await therapist.getByLabel("Electronic signature: type your full name").fill(DEMO.therapist.name);
    await therapist.getByRole("button", { name: "Sign and confirm engagement" }).click();

    await expect(therapist.getByRole("alert")).toHaveText(
      "Some answers need attention: see the messages below. Nothing was saved.",
    );
    const field = (label: string) => therapist.getByLabel(label);
    await expect(field("Treatment start date")).toHaveAttribute("aria-invalid", "true");
    await expect(field("Treatment start date")).toHaveAccessibleDescription(
      "The treatment start date cannot be in the future.",
    );
    await expect(field("Date of the most recent session")).toHaveAccessibleDescription(
      "Not active: the most recent session was more than 60 days ago. Ember requires active treatment; confirm after your next session with the patient.",
    );
    await expect(field("How often you see the patient")).toHaveAccessibleDescription(
      "Choose how often you see the patient.",
    );
    await expect(field("Do you confirm the PTSD diagnosis?")).toHaveAccessibleDescription(
      "Say whether you confirm the PTSD diagnosis.",
    );
    await expect(field("Sessions held so far")).toHaveAccessibleDescription(
      "Enter the number of sessions held so far.",
    );
    await expect(therapist.getByText("Ember requires your agreement to coordinate care.")).toBeVisible();

    await expect(field("Treatment start date")).toHaveValue(started);
    await expect(field("Date of the most recent session")).toHaveValue(lastSession);
    await expect(field("Depression comorbidity")).toHaveValue("mdd");
    await expect(field("Trauma-focused therapy")).toHaveValue("CPT");
    await expect(field("Electronic signature: type your full name")).toHaveValue(DEMO.therapist.name);

    // Everything else right, but a signature that is not the account's name: still refused.
    await field("Treatment start date").fill(nyDate(-200));
    await field("Date of the most recent session").fill(nyDate(-7));
    await field("How often you see the patient").selectOption({ label: "Every two weeks" });
    await field("Do you confirm the PTSD diagnosis?").selectOption({ label: "Yes, PTSD is confirmed" });
    await field("Sessions held so far").fill("3");
    await therapist.getByLabel("I agree to coordinate this patient's care with Ember Health.").check();
    await field("Electronic signature: type your full name").fill("D. Whitfield");
    await therapist.getByRole("button", { name: "Sign and confirm engagement" }).click();
    await expect(
      therapist.getByText(
        `Sign by typing your full name as on your account: ${DEMO.therapist.name} (the credential after the comma may be left out).`,
      ),
    ).toBeVisible();
    await expect(field("Electronic signature: type your full name")).toHaveAttribute("aria-invalid", "true");
    await expect(field("Electronic signature: type your full name")).toHaveValue("D. Whitfield");

    // Nothing was written: the page read afresh has no confirmation, and the patient is still not eligible.
    await therapist.goto(`/patients/${patient.id}/engagement`);
    await expect(therapist.getByRole("heading", { name: "No engagement confirmed yet" })).toBeVisible();
    await page.goto(`/patients/${patient.id}`);
    await expect(page.getByTestId("eligibility-headline")).toHaveText(NOT_ELIGIBLE);
    await therapist.context().close();
  });

  test("a coordinator can invite a provider before any release is signed", async ({ signIn }) => {
    test.slow();
    const page = await signIn(DEMO.coordinator.email);
    await createPatient(page, { label: "NoRelease" });
    const email = uniqueEmail("unreleased-psychiatrist");
    const invite = page.getByRole("region", { name: "Invite a new provider" });
    await invite.getByLabel("Provider's email").fill(email);
    await invite.getByLabel("They are a").selectOption({ label: "Psychiatrist or psychiatric NP" });
    await invite.getByLabel("Role on the team").selectOption({ label: "Psychiatrist" });
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await expectFlash(page, `Invitation sent to ${email}. They join the care team when they accept.`);
  });
});
