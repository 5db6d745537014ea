import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands as realCommands } from '../../commands/index.ts';
import { INVITE_PERMISSIONS, inviteUrl } from '../../src/adapters/discord/invite.ts';
import { describeDiff, registerCommands } from '../../src/adapters/discord/register.ts';
import { commandPayload } from '../../src/adapters/discord/registration.ts';
import type { Command, OptionSpec } from '../../src/core/command.ts';
import { FakeDiscord } from '../fakes/discord/index.ts';
import { testCommands } from './test-commands.ts';

const TYPE: Record<OptionSpec['type'], number> = {
  string: 3,
  integer: 4,
  boolean: 5,
  choice: 3,
  user: 6,
  role: 8,
  monthDay: 3,
  time: 3,
  timezone: 3,
};

interface PayloadOption {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string }[];
  min_value?: number;
  max_value?: number;
  options?: PayloadOption[];
}

/** Checks one payload option against the spec it came from. */
function expectOptionMatches(payload: PayloadOption | undefined, spec: OptionSpec): void {
  expect(payload?.name).toBe(spec.name);
  expect(payload?.type).toBe(TYPE[spec.type]);
  expect(payload?.required).toBe(spec.required ?? false);
  expect(payload?.description.length).toBeGreaterThan(0);
  expect(payload?.description.length).toBeLessThanOrEqual(100);
  const wantsAutocomplete = Boolean(spec.suggest) || (spec.type === 'choice' && spec.choices.length > 25);
  expect(payload?.autocomplete ?? false).toBe(wantsAutocomplete);
  if (spec.type === 'choice' && !wantsAutocomplete)
    expect(payload?.choices).toEqual(spec.choices.map((c) => ({ name: c, value: c })));
  else expect(payload?.choices).toBeUndefined();
  if (spec.type === 'integer') {
    expect(payload?.min_value).toBe(spec.min);
    expect(payload?.max_value).toBe(spec.max);
  }
}

function expectOptionsMatch(payload: PayloadOption[] | undefined, specs: readonly OptionSpec[]): void {
  expect(payload?.map((o) => o.name).sort()).toEqual(specs.map((s) => s.name).sort());
  // Required options come first, as Discord demands.
  const firstOptional = payload?.findIndex((o) => !o.required) ?? -1;
  if (firstOptional >= 0) expect(payload?.slice(firstOptional).every((o) => !o.required)).toBe(true);
  for (const spec of specs)
    expectOptionMatches(
      payload?.find((o) => o.name === spec.name),
      spec,
    );
}

function expectPayloadMatches(list: readonly Command[]): void {
  const payload = commandPayload(list) as unknown as (PayloadOption & {
    default_member_permissions?: string;
  })[];
  expect(payload.map((c) => c.name)).toEqual(list.map((c) => c.name));
  for (const command of list) {
    const body = payload.find((c) => c.name === command.name);
    expect(body?.type).toBe(1);
    expect(body?.description.length).toBeLessThanOrEqual(100);
    expect(body?.default_member_permissions).toBe(command.access === 'admin' ? '32' : undefined);
    if (command.subcommands?.length) {
      expect(body?.options?.map((o) => [o.type, o.name])).toEqual(
        command.subcommands.map((s) => [1, s.name]),
      );
      for (const sub of command.subcommands)
        expectOptionsMatch(body?.options?.find((o) => o.name === sub.name)?.options, sub.options ?? []);
    } else expectOptionsMatch(body?.options, command.options ?? []);
  }
}

describe('registration payload', () => {
  it('matches commands/index.ts', () => {
    expect(realCommands.length).toBeGreaterThan(0);
    expectPayloadMatches(realCommands);
  });

  it('matches the test list with subcommands, users, roles, bounds and admin-only commands', () => {
    expectPayloadMatches(testCommands);
    const payload = commandPayload(testCommands);
    const drill = payload.find((c) => c.name === 'drill');
    expect(drill).toEqual({
      type: 1,
      name: 'drill',
      description: 'Drill controls',
      contexts: [0, 1],
      integration_types: [0],
      options: [
        {
          type: 1,
          name: 'start',
          description: 'Start a quiz',
          options: [
            { type: 3, name: 'topic', description: 'topic', required: false, autocomplete: true },
            {
              type: 4,
              name: 'questions',
              description: 'how many',
              required: false,
              min_value: 3,
              max_value: 30,
            },
          ],
        },
        { type: 1, name: 'stop', description: 'Stop the quiz', options: [] },
      ],
    });
    expect(payload.find((c) => c.name === 'manage')?.default_member_permissions).toBe('32');
  });

  it('puts required options first and refuses names Discord would reject', () => {
    const list: Command[] = [
      {
        name: 'order',
        description: 'd',
        options: [
          { name: 'later', description: 'x', type: 'string' },
          { name: 'first', description: 'x', type: 'string', required: true },
        ],
        run: () => ({ fallbackText: 'x' }),
      },
    ];
    const [order] = commandPayload(list) as unknown as PayloadOption[];
    expect(order?.options?.map((o) => o.name)).toEqual(['first', 'later']);
    expect(() =>
      commandPayload([{ name: 'Bad Name', description: 'd', run: () => ({ fallbackText: 'x' }) }]),
    ).toThrow(/not a valid Discord name/);
  });
});

describe('registerCommands against a fake Discord', () => {
  let fake: FakeDiscord;
  const applicationId = '700000000000000009';
  beforeAll(async () => {
    fake = await FakeDiscord.start({ applicationId });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('overwrites one guild, then reports unchanged, changed and removed commands', async () => {
    const options = { token: 't', applicationId, guildId: '730000000000000009', apiUrl: fake.apiUrl };
    const first = await registerCommands(realCommands, options);
    expect(first).toEqual({
      added: realCommands.map((c) => c.name),
      changed: [],
      removed: [],
      unchanged: [],
    });
    const put = fake.calls.find((c) => c.method === 'PUT');
    expect(put?.path).toBe(`/applications/${applicationId}/guilds/730000000000000009/commands`);
    expect(put?.body).toEqual(JSON.parse(JSON.stringify(commandPayload(realCommands))));
    expect(put?.headers.authorization).toBe('Bot t');

    expect(await registerCommands(realCommands, options)).toEqual({
      added: [],
      changed: [],
      removed: [],
      unchanged: realCommands.map((c) => c.name),
    });

    const [head, ...tail] = realCommands as [Command, ...Command[]];
    const edited = [{ ...head, description: `${head.description} (new)` }, ...tail.slice(1)];
    const diff = await registerCommands(edited, options);
    expect(diff.changed).toEqual([head.name]);
    expect(diff.removed).toEqual(tail.slice(0, 1).map((c) => c.name));
    expect(describeDiff(diff, 'in guild 1')).toContain(`changed: /${head.name}`);
  });

  it('registers globally without a guild id', async () => {
    await registerCommands(testCommands, { token: 't', applicationId, apiUrl: fake.apiUrl });
    expect(fake.calls.at(-1)).toMatchObject({
      method: 'PUT',
      path: `/applications/${applicationId}/commands`,
      status: 200,
    });
    expect(fake.globalCommands.map((c) => c.name)).toEqual(testCommands.map((c) => c.name));
  });
});

describe('invite URL', () => {
  it('asks for bot + applications.commands and only the four permissions', () => {
    const url = new URL(inviteUrl('123456789012345678'));
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe('123456789012345678');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    expect(INVITE_PERMISSIONS).toBe((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n));
    expect(url.searchParams.get('permissions')).toBe('84992');
  });
});
