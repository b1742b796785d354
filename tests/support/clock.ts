/** A clock the test moves by hand: pass `clock.now` wherever the app takes `now: () => Date`. */
export class TestClock {
  private ms: number;

  constructor(start: Date | string = new Date()) {
    this.ms = new Date(start).getTime();
  }

  readonly now = (): Date => new Date(this.ms);

  advance(ms: number): Date {
    this.ms += ms;
    return this.now();
  }

  set(to: Date): Date {
    this.ms = to.getTime();
    return this.now();
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
