import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { loadContent } from '../../src/content/load.ts';
import type { Actor } from '../../src/core/command.ts';
import { dailyPost } from '../../src/schedule/post.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { actor, REAL_CONTENT, testApp } from '../helpers/deps.ts';
import { RecordingPoster } from '../helpers/poster.ts';

const content = loadContent(REAL_CONTENT);

function app(now = '2026-03-10T12:00:00Z') {
  const store = memoryStorage();
  const built = testApp({ content, storage: store, commands, now: () => new Date(now) });
  const poster = new RecordingPoster();
  built.deps.posters.register('console', poster);
  const run = (line: string, who: Actor = actor('host')) => {
    const [command, ...rest] = line.slice(1).split(' ');
    return built.router.handle({
      ...who,
      command: command as string,
      input: { kind: 'text', text: rest.join(' ') },
    });
  };
  return { ...built, storage: store, poster, run };
}

describe('/daily', () => {
  it('subscribes a channel at a local time and reports the next post in local time and UTC', async () => {
    const a = app();
    const out = await a.run('/daily subscribe time:"8am" timezone:europe/berlin');
    expect(out.title).toBe('Daily post on');
    expect(out.text).toBe(
      'This channel gets an "on this day" post every day at 08:00 Europe/Berlin.\nNext post: Wed 11 March, 08:00 Europe/Berlin (07:00 UTC).',
    );
    expect(a.storage.docs.daily.read().subscriptions['console:w1:c1']).toMatchObject({
      time: '08:00',
      timezone: 'Europe/Berlin',
      days: 'every',
    });
    const status = await a.run('/daily status', actor('member'));
    expect(status.ephemeral).toBe(true);
    expect(status.text).toContain('Posts every day at 08:00 Europe/Berlin, set up by host.');
    expect(status.text).toContain('No post yet.');
  });

  it('uses the server default zone, or asks for one', async () => {
    const a = app();
    expect((await a.run('/daily subscribe time:09:30')).text).toContain('Which time zone?');
    await a.storage.docs.settings.update((d) => {
      d.settings['console:w1'] = { hostUserIds: [], timezone: 'America/New_York' };
    });
    const out = await a.run('/daily subscribe 9:30pm days:weekdays');
    expect(out.text).toContain('every weekday at 21:30 America/New_York');
  });

  it('answers bad times, bad zones, non-hosts and missing subscriptions clearly', async () => {
    const a = app();
    expect((await a.run('/daily subscribe time:25:00 timezone:UTC')).text).toContain('hours go up to 23');
    const zone = await a.run('/daily subscribe time:08:00 timezone:Europe/Berln');
    expect(zone.text).toContain('perhaps you meant `Europe/Berlin`');
    expect((await a.run('/daily subscribe time:08:00 timezone:UTC', actor('member'))).text).toContain(
      'Only hosts',
    );
    expect((await a.run('/daily pause')).text).toContain('This channel has no daily post.');
    expect(
      (await a.run('/daily subscribe time:08:00 timezone:UTC', { ...actor('host'), inServer: false })).text,
    ).toBe('Daily posts go to a server channel, not to direct messages.');
    a.poster.problem = 'I cannot post here: give me Send Messages.';
    expect((await a.run('/daily subscribe time:08:00 timezone:UTC')).text).toBe(
      'I cannot post here: give me Send Messages.',
    );
  });

  it('pauses, resumes and unsubscribes', async () => {
    const a = app();
    await a.run('/daily subscribe time:08:00 timezone:UTC');
    expect((await a.run('/daily pause')).text).toContain('paused');
    expect((await a.run('/daily pause')).text).toContain('already paused: paused by host');
    expect((await a.run('/daily status', actor('member'))).text).toContain('**Paused:** paused by host.');
    expect((await a.run('/daily resume')).text).toContain(
      'Daily posts are back on. Next post: Wed 11 March, 08:00 UTC',
    );
    expect((await a.run('/daily unsubscribe')).text).toContain('off');
    expect(a.storage.docs.daily.read().subscriptions).toEqual({});
  });

  it('previews a day privately, with 29 February and empty days handled', async () => {
    const a = app();
    const speech = await a.run('/daily preview date:02-25', actor('member'));
    expect(speech.ephemeral).toBe(true);
    expect(speech.title).toBe('On this day: 25 February');
    expect(speech.text).toContain('**1956**');
    expect(speech.fields?.[0]?.label).toBe('Fun fact');
    expect((await a.run('/daily preview date:02-30', actor('member'))).text).toContain(
      'February has no day 30',
    );
  });
});

describe('/daily preview', () => {
  it("shows the next post with its local date and time: tomorrow's once today's has gone out", async () => {
    const before = app('2026-02-25T06:00:00Z');
    await before.run('/daily subscribe time:08:00 timezone:Europe/Berlin');
    const today = await before.run('/daily preview', actor('member'));
    expect(today.ephemeral).toBe(true);
    expect(today.title).toBe('On this day: 25 February');
    expect(today.text?.split('\n')[0]).toBe(
      '*The next post here, Wed 25 February, 08:00 Europe/Berlin (07:00 UTC):*',
    );

    const after = app('2026-02-25T10:00:00Z');
    await after.run('/daily subscribe time:08:00 timezone:Europe/Berlin days:weekdays');
    const next = await after.run('/daily preview', actor('member'));
    expect(next.title).toBe('On this day: 26 February');
    expect(next.text?.split('\n')[0]).toBe(
      '*The next post here, Thu 26 February, 08:00 Europe/Berlin (07:00 UTC):*',
    );
    // Exactly the post, below the line that says when.
    expect(next.text?.endsWith(dailyPost(content, '2026-02-26').text ?? '')).toBe(true);
    expect(next.fields).toEqual(dailyPost(content, '2026-02-26').fields);
  });

  it('says when a paused post would come, and that a channel without one has none', async () => {
    const a = app('2026-02-27T10:00:00Z'); // a Friday
    expect((await a.run('/daily preview', actor('member'))).text?.split('\n')[0]).toBe(
      "*This channel has no daily post yet (`/daily subscribe`); this is today's.*",
    );
    await a.run('/daily subscribe time:08:00 timezone:UTC days:weekdays');
    await a.run('/daily pause');
    const paused = await a.run('/daily preview', actor('member'));
    expect(paused.title).toBe('On this day: 2 March');
    expect(paused.text?.split('\n')[0]).toBe(
      '*Daily posts here are paused (paused by host). Once resumed, the next would be Mon 2 March, 08:00 UTC (08:00 UTC):*',
    );
  });
});

describe('/onthisday and "Quiz me on this"', () => {
  it("shows today's events in the server zone and offers a private question on them", async () => {
    const a = app('2026-02-25T10:00:00Z');
    const out = await a.run('/onthisday', actor('member'));
    expect(out.title).toBe('On this day: 25 February');
    const button = out.actions?.find((b) => b.label === 'Quiz me on this');
    expect(button?.id).toBe('dq:2026-02-25');
    const asked = await a.router.handleAction({ ...actor('member'), actionId: button?.id as string });
    expect(asked.reply.ephemeral).toBe(true);
    expect(asked.reply.actions?.map((x) => x.label)).toEqual(['A', 'B', 'C', 'D']);
    // The card gives the date, so the question asking for it is never the one offered.
    expect(asked.reply.text).not.toContain('On what date');
    expect(asked.reply.actions?.[0]?.id).toMatch(/^dqa:q-secret-speech-(6|8):/);
    const answer = await a.router.handleAction({
      ...actor('member'),
      actionId: asked.reply.actions?.[0]?.id as string,
    });
    expect(answer.reply.title).toMatch(/^(Right!|Not quite: the answer is [A-D]\. .+)$/);
    expect(answer.reply.sources?.length).toBeGreaterThan(0);
    expect(a.storage.docs.results.read().study['console:w1:u-member']?.history).toHaveLength(1);
  });
  it('counts one press per person and showing of a question; a later press is refused, an old one has expired', async () => {
    let now = Date.parse('2026-02-25T10:00:00Z');
    const storage = memoryStorage();
    const built = testApp({ content, storage, commands, now: () => new Date(now) });
    const member = actor('member');
    const show = async () =>
      (await built.router.handleAction({ ...member, actionId: 'dq:2026-02-25' })).reply.actions?.map(
        (b) => b.id,
      ) ?? [];
    const press = async (id: string | undefined, who: Actor = member) =>
      await built.router.handleAction({ ...who, actionId: id as string });
    const history = (who: string) => storage.docs.results.read().study[`console:w1:u-${who}`]?.history ?? [];

    const first = await show();
    expect(first).toHaveLength(4);
    const answered = await press(first[0]);
    expect(answered.mode).toBe('replace');
    expect(answered.reply.title).toMatch(/^(Right!|Not quite: the answer is [A-D]\. .+)$/);
    for (const again of [first[3], first[0]]) {
      const refused = await press(again);
      expect(refused).toMatchObject({
        mode: 'new',
        reply: { ephemeral: true, text: 'You have already answered this question.' },
      });
    }
    expect(history('member')).toHaveLength(1);

    // Another person, or the same person on a new showing, is a new first press.
    expect((await press(first[1], actor('admin'))).mode).toBe('replace');
    now += 1000;
    const second = await show();
    expect((await press(second[1])).mode).toBe('replace');
    expect(history('member')).toHaveLength(2);

    // An hour later the buttons have expired; so have buttons made before they carried a time.
    now += 60 * 60_000 + 1000;
    const third = await show();
    for (const old of [second[2], 'dqa:q-secret-speech-6:0123:2']) {
      expect((await press(old)).reply).toMatchObject({
        ephemeral: true,
        text: 'This question has expired. Press "Quiz me on this" again for a new one.',
      });
    }
    expect((await press(third[0])).mode).toBe('replace');
    expect(history('member')).toHaveLength(3);
  });

  it('lists three sources under the day and every other one behind "More sources"', async () => {
    const a = app('2026-10-23T10:00:00Z');
    const out = await a.run('/onthisday', actor('member'));
    expect(out.sources?.length).toBe(3);
    const more = out.actions?.find((b) => b.label === 'More sources');
    expect(more?.id).toBe('src:d:2026-10-23');
    const all = await a.router.handleAction({ ...actor('member'), actionId: more?.id as string });
    expect(all.reply.ephemeral).toBe(true);
    expect(all.reply.sources?.length).toBeGreaterThan(3);
    for (const s of out.sources ?? []) expect(all.reply.sources).toContainEqual(s);
  });
});
