/** A clinic's opening hours as every booking form states them. */
export const clinicHours = (c: { name: string; opens_at: string; closes_at: string }) =>
  `${c.name} is open ${c.opens_at}–${c.closes_at} New York time; a whole visit, arrival to discharge, must fit.`;
