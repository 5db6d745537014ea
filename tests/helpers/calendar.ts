import { dueInstant } from '../../src/schedule/due.ts';

/** What a year-long simulation drives: the clock, the minute tick, the game, and a restart. */
export interface CalendarDriver {
  setNow(ms: number): void;
  tick(): Promise<unknown>;
  /** Ends the quiz a quiz night started (the game itself is tested elsewhere). */
  endQuiz(): Promise<unknown>;
  restart(): Promise<void>;
}

/**
 * 2026 in Europe/Berlin: ticks around 08:00 every day (a daily post), around 20:00 on Fridays of
 * the first half-year (a quiz night: reminder at 19:50, start at 20:00), and restarts every 30
 * days. Returns the restarts made and the Fridays in the half-year.
 */
export async function simulateBerlinYear(
  driver: CalendarDriver,
): Promise<{ restarts: number; fridays: number }> {
  let restarts = 0;
  let fridays = 0;
  for (let day = 0; day < 365; day++) {
    const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
    const due = dueInstant(date, { hour: 8, minute: 0 }, 'Europe/Berlin').getTime();
    for (const offset of [-60_000, 30_000, 90_000]) {
      driver.setNow(due + offset);
      await driver.tick();
    }
    if (day < 181 && new Date(`${date}T12:00:00Z`).getUTCDay() === 5) {
      fridays++;
      const start = dueInstant(date, { hour: 20, minute: 0 }, 'Europe/Berlin').getTime();
      for (const offset of [-11 * 60_000, -9.5 * 60_000, -5 * 60_000, 30_000, 90_000]) {
        driver.setNow(start + offset);
        await driver.tick();
      }
      await driver.endQuiz();
    }
    if (day % 30 === 29) {
      await driver.restart();
      restarts++;
    }
  }
  return { restarts, fridays };
}
