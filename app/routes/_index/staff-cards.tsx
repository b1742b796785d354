import { Link } from "@remix-run/react";
import type { HomeOf } from "./types";

export function WorkListCard({ workList }: { workList: HomeOf<"coordinator">["workList"] }) {
  const open =
    workList.unengaged +
    workList.confirmations +
    workList.releases +
    workList.invitations +
    workList.lapsedWithVisits +
    workList.gateOverrides +
    workList.staleReviews;
  return (
    <div className="card">
      <h2>Work list</h2>
      <p>
        <span className="stat">{open}</span> open items
      </p>
      <p className="muted">
        {workList.unengaged} without an engaged provider · {workList.confirmations} confirmations expiring ·{" "}
        {workList.releases} releases expiring · {workList.invitations} invitations unanswered ·{" "}
        {workList.lapsedWithVisits} lapsed with visits booked · {workList.gateOverrides} held past the gate ·{" "}
        {workList.staleReviews} reviews waiting
      </p>
      <p>
        <Link to="/work-list">Open the work list</Link>
      </p>
    </div>
  );
}

export function InvitationsCard({ openInvitations }: { openInvitations: number }) {
  return (
    <div className="card">
      <h2>Pending invitations</h2>
      <p className="stat">{openInvitations}</p>
      <p>
        <Link to="/invitations">See and manage invitations</Link>
      </p>
    </div>
  );
}
