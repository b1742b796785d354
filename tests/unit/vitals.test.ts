import { describe, expect, it } from "vitest";
import { vitalFlags, type Vitals } from "~/modules/visits/vitals";

const limits = { systolic: 160, diastolic: 100, heartRate: 110, spo2Floor: 92 };
const calm: Vitals = {
  systolic_before: 128,
  diastolic_before: 82,
  heart_rate_before: 72,
  systolic_during: 142,
  diastolic_during: 88,
  heart_rate_during: 84,
  systolic_after: 130,
  diastolic_after: 80,
  heart_rate_after: 70,
  spo2_lowest: 97,
};

describe("vital-sign flags", () => {
  it("flags nothing within the clinic's limits, the limits themselves included", () => {
    expect(vitalFlags(calm, limits)).toEqual([]);
    expect(
      vitalFlags(
        { ...calm, systolic_before: 160, diastolic_before: 100, heart_rate_during: 110, spo2_lowest: 92 },
        limits,
      ),
    ).toEqual([]);
  });

  it("flags blood pressure above 160/100 before the infusion when either number is over", () => {
    expect(vitalFlags({ ...calm, systolic_before: 172, diastolic_before: 96 }, limits)).toEqual([
      "Blood pressure before the infusion 172/96 is above the clinic's limit of 160/100.",
    ]);
    expect(vitalFlags({ ...calm, diastolic_after: 104 }, limits)).toEqual([
      "Blood pressure after the infusion 130/104 is above the clinic's limit of 160/100.",
    ]);
  });

  it("flags a fast heart rate and a low oxygen saturation, and leaves readings not taken alone", () => {
    expect(vitalFlags({ ...calm, heart_rate_during: 124, spo2_lowest: 89 }, limits)).toEqual([
      "Heart rate during the infusion 124 is above the clinic's limit of 110.",
      "Lowest SpO2 89% is below the clinic's floor of 92%.",
    ]);
    expect(vitalFlags({ ...calm, systolic_during: null, diastolic_during: null, spo2_lowest: null }, limits)).toEqual(
      [],
    );
  });
});
