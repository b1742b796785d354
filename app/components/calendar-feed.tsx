import { useEffect, useId, useState } from "react";

/**
 * A new feed address, shown once: in a read-only field anyone can select and copy, and, once
 * JavaScript is there, a button that copies it. With short steps for the common calendar apps.
 */
export function FeedAddress({ url }: { url: string }) {
  const id = useId();
  const [canCopy, setCanCopy] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setCanCopy(typeof navigator !== "undefined" && Boolean(navigator.clipboard)), []);
  return (
    <div className="feed-address">
      <div className="field">
        <label htmlFor={id}>Your new feed address (shown once: copy it now)</label>
        <input
          id={id}
          type="text"
          readOnly
          value={url}
          className="feed-url"
          data-testid="feed-url"
          onFocus={(event) => event.currentTarget.select()}
        />
      </div>
      {canCopy ? (
        <p>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void navigator.clipboard.writeText(url).then(() => setCopied(true))}
          >
            Copy the address
          </button>{" "}
          <span role="status">{copied ? "Copied." : ""}</span>
        </p>
      ) : null}
    </div>
  );
}

/** Where each common calendar app takes a subscription address. */
export function FeedInstructions() {
  return (
    <details>
      <summary>How to subscribe in Google, Apple or Outlook calendar</summary>
      <ul>
        <li>
          <strong>Google Calendar</strong> (on the web): beside “Other calendars”, choose + then “From URL”, paste the
          address and choose “Add calendar”. Google refreshes it every few hours.
        </li>
        <li>
          <strong>Apple Calendar</strong> (Mac): File → New Calendar Subscription, paste the address, then Subscribe. On
          an iPhone: Settings → Calendar → Accounts → Add Account → Other → Add Subscribed Calendar.
        </li>
        <li>
          <strong>Outlook</strong> (on the web): Add calendar → Subscribe from web, paste the address and choose Import.
        </li>
      </ul>
    </details>
  );
}
