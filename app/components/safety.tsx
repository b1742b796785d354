import { formatDate } from "~/lib/time";

/**
 * What a PHQ-9 safety alert stands for, with the day its score was taken (a New York calendar
 * date, as the form takes it): "PHQ-9 item 9 above 0, score taken Dec 5, 2026", or once later
 * signals have joined it, "PHQ-9 item 9 above 0: 2 signals, latest taken Dec 6, 2026".
 */
export function Item9Signals({
  signals,
  takenOn,
  wording = "item 9",
}: {
  signals: number;
  takenOn: string | null;
  wording?: string;
}) {
  const day = takenOn ? <time dateTime={takenOn}>{formatDate(takenOn)}</time> : null;
  return signals > 1 ? (
    <>
      PHQ-9 {wording} above 0: {signals} signals, latest taken {day}
    </>
  ) : (
    <>
      PHQ-9 {wording} above 0, score taken {day}
    </>
  );
}
