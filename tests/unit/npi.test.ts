import { describe, expect, it } from "vitest";
import { isValidNpi } from "~/modules/users/npi";

describe("isValidNpi", () => {
  it.each(["1234567893", "1245319599"])("accepts %s, whose check digit is right", (npi) => {
    expect(isValidNpi(npi)).toBe(true);
  });

  it.each(["1234567890", "1234567891", "1234567894", "1245319590", "1245319598"])(
    "rejects %s: wrong check digit",
    (npi) => {
      expect(isValidNpi(npi)).toBe(false);
    },
  );

  it("rejects every single-digit change of a valid NPI", () => {
    const valid = "1245319599";
    for (let position = 0; position < valid.length; position++) {
      for (let digit = 0; digit <= 9; digit++) {
        if (String(digit) === valid[position]) continue;
        const changed = valid.slice(0, position) + digit + valid.slice(position + 1);
        expect(isValidNpi(changed), changed).toBe(false);
      }
    }
  });

  it("finds exactly one valid check digit for a nine-digit stem", () => {
    const valid = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"].filter((d) => isValidNpi(`123456789${d}`));
    expect(valid).toEqual(["3"]);
  });

  it.each([
    ["too short", "123456789"],
    ["too long", "12345678933"],
    ["empty", ""],
    ["letters", "12345678a3"],
    ["all letters", "abcdefghij"],
    ["spaces inside", "12345 6789"],
    ["leading space", " 1234567893"],
    ["trailing newline", "1234567893\n"],
    ["dashes", "123-456-7893"],
    ["non-ASCII digits", "١٢٣٤٥٦٧٨٩٣"],
  ])("rejects %s", (_label, npi) => {
    expect(isValidNpi(npi)).toBe(false);
  });
});
