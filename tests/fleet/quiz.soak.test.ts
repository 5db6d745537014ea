/**
 * One quiz game with 30 players over two real bot processes on one PostgreSQL schema: clicks
 * arrive at both, the process running the game's timers is killed (SIGKILL) between questions, and
 * the other takes the game over. Every answer is counted once and the final scores are their sum.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeUser, makeGuild, type RestCall } from '../fakes/discord/index.ts';
import { cleanups } from '../helpers/bot-process.ts';
import { REAL_CONTENT } from '../helpers/deps.ts';
import { startFleet } from '../helpers/fleet.ts';
import { adminClient, type TestSchema, testSchema } from '../helpers/pg.ts';

const APPLICATION_ID = '700000000000000031';
const TOKEN = 'fake-fleet-quiz-token';
let schema: TestSchema;

interface Body {
  embeds?: { title?: string; description?: string }[];
  components?: { components: { custom_id: string; label: string }[] }[];
  data?: Body;
}

beforeAll(async () => {
  schema = testSchema();
  await (await schema.open({ poolSize: 1 })).close();
});
afterAll(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  await schema?.drop();
});

describe('a quiz game over two processes', () => {
  it('goes on when the process running it is killed between questions; every answer counted once', async () => {
    const players: FakeUser[] = Array.from({ length: 30 }, (_, i) => ({
      id: `7120000000000000${String(i + 10).padStart(2, '0')}`,
      username: `player${i + 1}`,
      globalName: `Player ${i + 1}`,
    }));
    const guild = makeGuild({
      id: '731000000000000031',
      channels: 1,
      members: players.map((user) => ({ user })),
    });
    const channelId = guild.channels[0]?.id as string;
    const fake = await FakeDiscord.start({
      applicationId: APPLICATION_ID,
      guilds: [guild],
      token: TOKEN,
      multiSession: true,
    });
    cleanups.push(() => fake.close());
    const env = {
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: fake.apiUrl,
      CONTENT_DIR: REAL_CONTENT,
      QUIZ_PAUSE_SECONDS: '3',
      SCHEDULER_LEASE_SECONDS: '3',
    };
    // One after the other, so gateway session 0 is the first process and 1 the second.
    const [first] = startFleet({ schema, count: 1, env });
    await first?.waitForLog('thawbot running');
    const [second] = startFleet({ schema, count: 1, env });
    await second?.waitForLog('thawbot running');
    const alive = new Set([0, 1]);

    const titled = (title: RegExp) => (c: RestCall) =>
      c.method === 'POST' &&
      c.path === `/channels/${channelId}/messages` &&
      c.status === 200 &&
      title.test((c.body as Body).embeds?.[0]?.title ?? '');
    const posted = async (title: RegExp) => {
      await fake.waitForCall(titled(title), 60_000);
      const message = fake
        .channelMessages(channelId)
        .reverse()
        .find((m) => title.test((m.body as Body).embeds?.[0]?.title ?? ''));
      if (!message) throw new Error(`no message titled ${title}`);
      return { id: message.id, body: message.body as Body };
    };

    const start = fake.chatInput({
      guild,
      channelId,
      user: players[0] as FakeUser,
      name: 'quiz',
      subcommand: 'start',
      options: { questions: 3, seconds: 10 },
      via: 0,
    });
    expect(((await fake.callback(start)).body as Body).data?.embeds?.[0]?.title).toBe('Quiz time!');

    /** Every player clicks, spread over the live processes; returns each one's choice. */
    const round = async (index: number) => {
      const question = await posted(new RegExp(`^Question ${index + 1} of 3$`));
      const buttons = question.body.components?.flatMap((r) => r.components) ?? [];
      const via = [...alive];
      const choices = players.map((_, i) => (i + index) % 4);
      const answers = await Promise.all(
        players.map(async (user, i) => {
          const injected = fake.button({
            guild,
            channelId,
            user,
            customId: buttons[choices[i] as number]?.custom_id as string,
            messageId: question.id,
            via: via[i % via.length],
          });
          return ((await fake.callback(injected, 20_000)).body as Body).data?.embeds?.[0]?.description ?? '';
        }),
      );
      for (const text of answers) expect(text).toMatch(/^Locked in/);
      return choices;
    };

    const chosen: number[][] = [];
    chosen.push(await round(0));
    await posted(/^Answer: /);
    // Between questions: the first process, which runs the game's timers, dies.
    first?.child.kill('SIGKILL');
    await first?.exited;
    alive.delete(0);
    chosen.push(await round(1));
    chosen.push(await round(2));
    await posted(/^Final scores$/);

    expect(second?.logs.some((l) => l.msg === 'quiz taken over: its timer was overdue')).toBe(true);
    const count = (title: RegExp) => fake.calls.filter(titled(title)).length;
    expect([1, 2, 3].map((n) => count(new RegExp(`^Question ${n} of 3$`)))).toEqual([1, 1, 1]);
    expect(count(/^Answer: /)).toBe(3);
    expect(count(/^Final scores$/)).toBe(1);

    const admin = await adminClient();
    const { rows } = await admin.query<{ data: ResultData }>(
      `SELECT data FROM "${schema.schema}".quiz_results`,
    );
    await admin.end();
    expect(rows).toHaveLength(1);
    const result = rows[0]?.data as ResultData;
    expect(result.rounds).toHaveLength(3);
    result.rounds.forEach((r, index) => {
      expect(r.answers.map((a) => a.userId).sort()).toEqual(players.map((p) => p.id).sort());
      for (const a of r.answers)
        expect(a.choice).toBe(chosen[index]?.[players.findIndex((p) => p.id === a.userId)]);
    });
    for (const p of result.players) {
      const mine = result.rounds.flatMap((r) => r.answers.filter((a) => a.userId === p.userId));
      expect(mine).toHaveLength(3);
      expect(p.points).toBe(mine.reduce((sum, a) => sum + a.points, 0));
      expect(p.correct).toBe(mine.filter((a) => a.correct).length);
    }
    expect(result.players).toHaveLength(30);
  });
});

interface ResultData {
  rounds: { answers: { userId: string; choice: number; correct: boolean; points: number }[] }[];
  players: { userId: string; points: number; correct: number }[];
}
