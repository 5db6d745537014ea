import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { channelKey } from '../../src/core/platform.ts';
import { resultKey } from '../../src/store/keys.ts';
import { openFileStorage } from '../../src/store/open.ts';
import { GAME_ID, GAMES, gameChannel, SUBSCRIPTIONS, stepFor } from './crash-plan.ts';
import { crashChild } from './crash-run.ts';
import { recordingLogger, tempDir } from './helpers.ts';

/** Part of `npm run test:soak`; `npm run test:crash` (CRASH_RUNS=100) for the full check. */
const RUNS = Number(process.env.CRASH_RUNS ?? 10);
const dirs: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of dirs) cleanup();
});

describe('crash safety', () => {
  it(`keeps every resolved update when the writer is killed with SIGKILL mid-burst (${RUNS} runs)`, async () => {
    let midWrite = 0;
    let halfCounted = 0;
    for (let run = 0; run < RUNS; run++) {
      const t = tempDir('thawbot-crash-');
      dirs.push(t.cleanup);
      const killAfter = { reports: 1 + Math.floor(Math.random() * 1500), delayMs: Math.random() * 12 };
      const result = { resolved: await crashChild([t.file], killAfter) };
      // A temp file left by the kill means it came in the middle of a write.
      const files = () => readdirSync(t.dir, { recursive: true, encoding: 'utf8' });
      if (files().some((f) => f.endsWith('.tmp'))) midWrite++;

      const log = recordingLogger();
      // Also proves the dead owner's lock is stale at once.
      const storage = await openFileStorage({ file: t.file, log });
      const daily = storage.docs.daily.read();
      const games = storage.docs.games.read();
      // Finished games are held on disk only: the dump reads them back.
      const results = (await storage.dump()).results;
      const missing = result.resolved.filter((id) => {
        const step = stepFor(id);
        if (step.kind === 'claim')
          return daily.deliveries[channelKey(step.channel)]?.[step.date]?.status !== 'pending';
        // A started game is there; a finished one is gone for good, its file too.
        if (step.kind === 'start') return games.sessions[channelKey(step.channel)]?.id !== GAME_ID;
        if (step.kind === 'finish')
          return (
            games.sessions[channelKey(step.channel)] !== undefined ||
            !results.results[resultKey(step.channel, GAME_ID)]
          );
        return games.sessions[channelKey(step.channel)]?.rounds[0]?.answers[step.userId] === undefined;
      });
      expect(
        missing,
        `run ${run}: killed ${killAfter.delayMs.toFixed(1)} ms after ${killAfter.reports} resolved updates`,
      ).toEqual([]);
      expect(Object.keys(daily.subscriptions)).toHaveLength(SUBSCRIPTIONS);
      for (let g = 0; g < GAMES; g++) expect(games.sessions[channelKey(gameChannel(g))]?.id).toBe(GAME_ID);
      // Nothing made up: every other game is one a 'start' or 'finish' step created.
      const others = Object.values(games.sessions).filter((s) => s.channel.workspaceId !== 'g-quiz');
      expect(
        others.every((s) => ['start', 'finish'].includes(stepFor(Number(s.channel.channelId.slice(1))).kind)),
      ).toBe(true);
      // Nothing made up: every stored answer is one the child sent, every stored delivery a pending claim.
      const answered = Array.from({ length: GAMES }, (_, g) =>
        Object.keys(games.sessions[channelKey(gameChannel(g))]?.rounds[0]?.answers ?? {}),
      ).flat();
      expect(answered.every((u) => /^u\d+$/.test(u) && stepFor(Number(u.slice(1))).kind === 'answer')).toBe(
        true,
      );
      expect(answered.length).toBeGreaterThanOrEqual(
        result.resolved.filter((id) => stepFor(id).kind === 'answer').length,
      );
      const claimed = Object.values(daily.deliveries).flatMap((byDate) => Object.entries(byDate));
      expect(claimed.every(([date, d]) => date.startsWith('2026-01-') && d.status === 'pending')).toBe(true);
      expect(claimed.length).toBeGreaterThanOrEqual(result.resolved.filter((id) => id % 5 === 0).length);
      expect(games.sessions[channelKey(gameChannel(0))]?.id).toBe(GAME_ID);
      // Every stored result is one a 'finish' step sent, counted exactly once on the boards and in
      // its players' records, whichever of its files the kill came between.
      const stored = Object.values(results.results);
      expect(stored.every((r) => stepFor(Number(r.channel.channelId.slice(1))).kind === 'finish')).toBe(true);
      const totals: Record<string, { points: number; games: number }> = {};
      for (const r of stored)
        for (const p of r.players) {
          const t = totals[p.userId] ?? { points: 0, games: 0 };
          totals[p.userId] = { points: t.points + p.points, games: t.games + 1 };
        }
      for (const period of ['all', '2026-11']) {
        const board = results.scores[`discord:g-churn:${period}`]?.users ?? {};
        const counted = Object.fromEntries(
          Object.entries(board).map(([u, e]) => [u, { points: e.points, games: e.games }]),
        );
        expect(counted, `run ${run}: the ${period} board`).toEqual(totals);
      }
      for (const [userId, t] of Object.entries(totals))
        expect(results.study[`discord:g-churn:${userId}`]?.games, `run ${run}: ${userId}`).toBe(t.games);
      // Each player's history (in its journal) holds one line per answer of the games counted: none
      // lost and none twice, whatever the kill cut between a journal and its record's file.
      const answersOf: Record<string, number> = {};
      for (const r of stored)
        for (const round of r.rounds)
          for (const a of round.answers) answersOf[a.userId] = (answersOf[a.userId] ?? 0) + 1;
      for (const [userId, n] of Object.entries(answersOf))
        expect(
          results.study[`discord:g-churn:${userId}`]?.history,
          `run ${run}: ${userId}'s history`,
        ).toHaveLength(n);
      expect(log.entries.filter((e) => e.level === 'error')).toEqual([]);
      // The only things to report are the dead writer's lock, taken over at once, and a result the
      // kill left half counted, finished.
      const warnings = log.entries.filter((e) => e.level === 'warn').map((e) => e.msg);
      expect(warnings[0]).toMatch(/^removed a stale data file lock: process \d+ is no longer running/);
      expect(warnings.slice(1).every((w) => /half counted/.test(w))).toBe(true);
      if (warnings.length > 1) halfCounted++;
      expect(files().some((f) => f.includes('corrupt'))).toBe(false);
      expect(files().some((f) => f.endsWith('.tmp'))).toBe(false);
      await storage.close();
    }
    if (process.env.CRASH_RUNS)
      console.log(
        `crash runs: ${RUNS}, killed while a temp file existed: ${midWrite}, with a result half counted: ${halfCounted}`,
      );
  });
});
