import { describe, expect, it, vi } from 'vitest';
import { type Command, UserError } from '../../src/core/command.ts';
import type { Logger } from '../../src/core/log.ts';
import { reply } from '../../src/core/reply.ts';
import { actor, testApp, textInvocation } from '../helpers/deps.ts';

const echo: Command = {
  name: 'echo',
  description: 'echo',
  options: [
    { name: 'n', description: '', type: 'integer', min: 1, max: 3, required: true },
    { name: 'word', description: '', type: 'string' },
  ],
  run: (ctx) => reply({ text: `${ctx.options.integer('n')} ${ctx.options.string('word') ?? ''}`.trim() }),
};

const game: Command = {
  name: 'game',
  description: 'game',
  subcommands: [
    { name: 'start', description: '', run: () => reply({ text: 'started' }) },
    { name: 'stop', description: '', access: 'host', run: () => reply({ text: 'stopped' }) },
    { name: 'wipe', description: '', access: 'admin', run: () => reply({ text: 'wiped' }) },
  ],
  actions: {
    game: (ctx) => ({
      mode: 'replace',
      reply: reply({ text: `pressed ${ctx.payload} by ${ctx.user.displayName}` }),
    }),
    boom: () => {
      throw new Error('kaboom with a secret inside');
    },
  },
};

const failing: Command = {
  name: 'fail',
  description: 'fails',
  options: [{ name: 'how', description: '', type: 'choice', choices: ['user', 'crash'] }],
  run(ctx) {
    if (ctx.options.string('how') === 'user') throw new UserError('You cannot do that here.', '/fail');
    throw new Error('database on fire');
  },
};

const commands = [echo, game, failing];

describe('Router', () => {
  it('runs a command with typed values', async () => {
    const { router } = testApp({ commands });
    const out = await router.handle({
      ...actor(),
      command: 'echo',
      input: { kind: 'values', values: { n: 2, word: 'hi' } },
    });
    expect(out.text).toBe('2 hi');
    expect(out.ephemeral).toBeUndefined();
  });

  it('runs a command from text', async () => {
    const { router } = testApp({ commands });
    expect((await router.handle(textInvocation('/echo 3 hello there'))).text).toBe('3 hello there');
    expect((await router.handle(textInvocation('/ECHO n:1'))).text).toBe('1');
  });

  it('answers an unknown command with a suggestion, privately', async () => {
    const { router } = testApp({ commands });
    const out = await router.handle(textInvocation('/ecko 1'));
    expect(out.ephemeral).toBe(true);
    expect(out.text).toContain('`/echo`');
  });

  it('answers out-of-range and wrong-type values with the usage', async () => {
    const { router } = testApp({ commands });
    const out = await router.handle(textInvocation('/echo n:9'));
    expect(out).toMatchObject({ ephemeral: true });
    expect(out.text).toBe('`n` must be from 1 to 3; you gave 9.\n\nUsage: `/echo n:1-3 [word:…]`');
    const typed = await router.handle({
      ...actor(),
      command: 'echo',
      input: { kind: 'values', values: { n: 'x' } },
    });
    expect(typed.text).toContain('`n` must be a whole number from 1 to 3');
  });

  it('refuses missing required options', async () => {
    const { router } = testApp({ commands });
    const out = await router.handle(textInvocation('/echo'));
    expect(out.text).toContain('`n` is required');
  });

  it('routes subcommands and suggests close ones', async () => {
    const { router } = testApp({ commands });
    expect((await router.handle(textInvocation('/game start'))).text).toBe('started');
    const typed = await router.handle({
      ...actor(),
      command: 'game',
      subcommand: 'start',
      input: { kind: 'values', values: {} },
    });
    expect(typed.text).toBe('started');
    const wrong = await router.handle(textInvocation('/game strat'));
    expect(wrong.text).toContain('Did you mean `start`');
    const none = await router.handle(textInvocation('/game'));
    expect(none.text).toContain('needs a subcommand');
    expect(none.text).toContain('/game start|stop|wipe');
  });

  it('runs a default subcommand on text platforms when the first word names none', async () => {
    const study: Command = {
      name: 'study',
      description: 'study',
      defaultSubcommand: 'start',
      subcommands: [
        {
          name: 'start',
          description: '',
          options: [{ name: 'topic', description: '', type: 'string' }],
          run: (ctx) => reply({ text: `start ${ctx.options.string('topic') ?? '-'}` }),
        },
        {
          name: 'pace',
          description: '',
          options: [{ name: 'count', description: '', type: 'integer' }],
          run: (ctx) => reply({ text: `pace ${ctx.options.integer('count')}` }),
        },
        { name: 'pace-off', description: '', run: () => reply({ text: 'pace off' }) },
      ],
    };
    const { router } = testApp({ commands: [study] });
    const line = async (text: string) => (await router.handle(textInvocation(text))).text;
    expect(await line('/study')).toBe('start -');
    expect(await line('/study hungary')).toBe('start hungary');
    expect(await line('/study topic:hungary')).toBe('start hungary');
    expect(await line('/study start hungary')).toBe('start hungary');
    expect(await line('/study Pace 3')).toBe('pace 3');
    // Two words that name a hyphenated subcommand ("remind off" for `remind-off`).
    expect(await line('/study pace off')).toBe('pace off');
    expect(await line('/study pace-off')).toBe('pace off');
  });

  it('enforces access levels', async () => {
    const { router } = testApp({ commands });
    expect((await router.handle(textInvocation('/game stop', actor('member')))).text).toContain('Only hosts');
    expect((await router.handle(textInvocation('/game stop', actor('host')))).text).toBe('stopped');
    expect((await router.handle(textInvocation('/game stop', actor('admin')))).text).toBe('stopped');
    expect((await router.handle(textInvocation('/game wipe', actor('host')))).text).toContain(
      'Only server admins',
    );
    expect((await router.handle(textInvocation('/game wipe', actor('admin')))).text).toBe('wiped');
  });

  it('shows user errors as they are and hides crashes behind a polite message', async () => {
    const errors: unknown[] = [];
    const log: Logger = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (obj: unknown) => errors.push(obj),
      child: () => log,
    };
    const { deps } = testApp({ commands });
    const { Router } = await import('../../src/core/router.ts');
    const router = new Router({ ...deps, log });
    const user = await router.handle(textInvocation('/fail user'));
    expect(user.text).toBe('You cannot do that here.\n\nUsage: `/fail`');
    const crash = await router.handle(textInvocation('/fail crash'));
    expect(crash.ephemeral).toBe(true);
    expect(crash.text).toContain('something went wrong on my side');
    expect(crash.text).not.toContain('database');
    expect(errors).toHaveLength(1);
  });

  it('points to one place for an unknown command: the suggestion, or /help when there is none', async () => {
    const { router } = testApp({ commands });
    const near = await router.handle(textInvocation('/ech 1'));
    expect(near.text).toBe("I don't know the command `/ech`. Did you mean `/echo`?");
    const far = await router.handle(textInvocation('/zzzzzzzz'));
    expect(far.text).toBe("I don't know the command `/zzzzzzzz`. Try `/help` to see every command.");
  });

  it('says storage is unavailable, not that something went wrong, when the database is gone', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'unavailable' });
    const offline: Command = {
      name: 'offline',
      description: 'needs storage',
      run: () => Promise.reject(down),
      actions: { off: () => Promise.reject(down) },
    };
    const { router } = testApp({ commands: [offline] });
    const answer = await router.handle(textInvocation('/offline'));
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toBe(
      'Storage is unavailable right now, so nothing was changed. Please try again in a minute.',
    );
    const pressed = await router.handleAction({ ...actor(), actionId: 'off:1' });
    expect(pressed.reply.text).toMatch(/^Storage is unavailable right now/);
    expect(pressed.reply.text).not.toContain('10.0.0.5');
  });

  it('says a change could not be saved, not that something went wrong, when a write failed', async () => {
    const full = Object.assign(new Error('Could not save to /data/thawbot.daily.json: ENOSPC'), {
      code: 'write-failed',
    });
    const saving: Command = {
      name: 'saving',
      description: 'writes',
      run: () => Promise.reject(full),
      actions: { save: () => Promise.reject(full) },
    };
    const { router } = testApp({ commands: [saving] });
    const answer = await router.handle(textInvocation('/saving'));
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toBe('Sorry, I could not save that, so it did not take effect. Please try again.');
    const pressed = await router.handleAction({ ...actor(), actionId: 'save:1' });
    expect(pressed.reply.text).toBe(answer.text);
    expect(pressed.reply.text).not.toContain('/data');
  });

  it('decides who hosts from the settings, whatever the adapter says beyond admin rights', async () => {
    const { router, deps } = testApp({ commands });
    const member = { ...actor('member'), roleIds: ['r-teachers'] };
    expect((await router.handle(textInvocation('/game stop', member))).text).toMatch(/^Only hosts/);
    await deps.storage.settings.change(member.channel, (s) => {
      s.hostRoleId = 'r-teachers';
    });
    expect((await router.handle(textInvocation('/game stop', member))).text).toBe('stopped');
  });

  it('dispatches actions by namespace and survives failing handlers', async () => {
    const { router } = testApp({ commands });
    const out = await router.handleAction({ ...actor(), actionId: 'game:42' });
    expect(out).toEqual({
      mode: 'replace',
      reply: expect.objectContaining({ text: 'pressed 42 by member' }),
    });
    const stale = await router.handleAction({ ...actor(), actionId: 'gone:1' });
    expect(stale.reply.text).toContain('no longer works');
    const boom = await router.handleAction({ ...actor(), actionId: 'boom:1' });
    expect(boom.reply.ephemeral).toBe(true);
    expect(boom.reply.text).not.toContain('secret');
  });

  it('offers choices and suggestions for autocomplete, never throwing', async () => {
    const suggesting: Command = {
      name: 's',
      description: '',
      options: [
        { name: 'pick', description: '', type: 'choice', choices: ['alpha', 'beta'] },
        {
          name: 'broken',
          description: '',
          type: 'string',
          suggest: () => {
            throw new Error('x');
          },
        },
      ],
      run: () => reply({ text: '' }),
    };
    const { router } = testApp({ commands: [suggesting] });
    expect(router.suggest('s', undefined, 'pick', 'a')).toEqual([{ value: 'alpha', label: 'alpha' }]);
    expect(router.suggest('s', undefined, 'broken', 'a')).toEqual([]);
    expect(router.suggest('nope', undefined, 'x', '')).toEqual([]);
  });

  it('refuses two commands claiming one action namespace', () => {
    const twin: Command = { ...game, name: 'twin' };
    expect(() => testApp({ commands: [game, twin] })).toThrow('declared twice');
  });

  it('never passes a thrown value out', async () => {
    const { router } = testApp({ commands });
    const spy = vi.fn();
    await router.handle(textInvocation('/fail crash')).then(spy);
    expect(spy).toHaveBeenCalledOnce();
  });
});
