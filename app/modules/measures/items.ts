/** Short item labels for entry forms; the full wording is on the instrument the patient completes. */
export const PHQ9_ITEMS = [
  "Little interest or pleasure in doing things",
  "Feeling down, depressed or hopeless",
  "Trouble falling or staying asleep, or sleeping too much",
  "Feeling tired or having little energy",
  "Poor appetite or overeating",
  "Feeling bad about yourself",
  "Trouble concentrating",
  "Moving or speaking slowly, or being fidgety or restless",
  "Thoughts of being better off dead or of self-harm",
];
export const PHQ9_ANSWERS = [
  "0 — Not at all",
  "1 — Several days",
  "2 — More than half the days",
  "3 — Nearly every day",
];

export const PCL5_ITEMS = [
  "Repeated, disturbing, unwanted memories",
  "Repeated, disturbing dreams",
  "Suddenly feeling or acting as if it were happening again",
  "Feeling very upset when reminded",
  "Strong physical reactions when reminded",
  "Avoiding memories, thoughts or feelings",
  "Avoiding external reminders",
  "Trouble remembering important parts",
  "Strong negative beliefs about self, others or the world",
  "Blaming yourself or someone else",
  "Strong negative feelings",
  "Loss of interest in activities",
  "Feeling distant or cut off from people",
  "Trouble experiencing positive feelings",
  "Irritable behaviour, angry outbursts",
  "Taking too many risks",
  "Being superalert, watchful or on guard",
  "Feeling jumpy or easily startled",
  "Difficulty concentrating",
  "Trouble falling or staying asleep",
];
export const PCL5_ANSWERS = [
  "0 — Not at all",
  "1 — A little bit",
  "2 — Moderately",
  "3 — Quite a bit",
  "4 — Extremely",
];
