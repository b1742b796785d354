import { Link } from "@remix-run/react";
import { When } from "./time";

/** What the patient gate sends an outside provider who is waiting for the release of information. */
export interface AwaitingRelease {
  patientName: string;
  askName: string | null;
  referral: { acceptedAt: string; modality: string } | null;
}

export function isAwaitingRelease(data: unknown): data is { awaitingRelease: AwaitingRelease } {
  return typeof data === "object" && data !== null && "awaitingRelease" in data;
}

/**
 * The page a provider on the care team sees before the patient's release of information naming
 * them is on file: who to ask and what happens next, and nothing of the patient's record.
 */
export function WaitingForRelease({ waiting }: { waiting: AwaitingRelease }) {
  const ask = waiting.askName ? `${waiting.askName}, the Ember care coordinator` : "your Ember care coordinator";
  return (
    <section className="card" aria-labelledby="waiting-title">
      <h1 id="waiting-title">Waiting for the release of information</h1>
      <p>
        You are on {waiting.patientName}&apos;s care team, but their record opens to you only once Ember records the
        patient&apos;s release of information (consent to share) naming you.
      </p>
      {waiting.referral ? (
        <p>
          You accepted the referral (
          {waiting.referral.modality === "any" ? "any of WET, CPT or PE" : waiting.referral.modality}) on{" "}
          <When at={waiting.referral.acceptedAt} />. <Link to="/offers">See your referral offers</Link>.
        </p>
      ) : null}
      <p>
        You will get an email as soon as the release is recorded and the record opens. If the patient has already signed
        it, or it is taking long, ask {ask}.
      </p>
      <p>
        <Link to="/">Go to your home page</Link>
      </p>
    </section>
  );
}
