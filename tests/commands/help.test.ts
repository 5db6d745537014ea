import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { loadContent } from '../../src/content/load.ts';
import { usage } from '../../src/core/options.ts';
import { actor, REAL_CONTENT, testApp, textInvocation } from '../helpers/deps.ts';

const TYPE_NAMES = /:(string|integer|boolean|user|role|MM-DD|HH:MM|Area\/City)\b/;

describe('/help', () => {
  it('says once who may use a command', async () => {
    const { router } = testApp();
    const all = (await router.handle(textInvocation('/help'))).text ?? '';
    expect(all).toContain("- `/settings`: This server's time zone and hosts (admins only)");
    expect(all).not.toMatch(/\(admins\).*\(admins only\)/);
    const settings = (await router.handle(textInvocation('/help settings'))).text ?? '';
    expect(settings).not.toContain('(admins)');
    expect(settings.match(/admins only/g)).toHaveLength(1);
    const quiz = (await router.handle(textInvocation('/help quiz'))).text ?? '';
    expect(quiz).toContain('Remove a weekly quiz night (hosts)\n');
    expect(quiz).not.toContain('(hosts) (hosts');
    expect(quiz).toMatch(/`\/quiz schedule [^`]+`: Run a quiz here every week[^\n]*\(hosts only\)/);
  });

  it('shows usage lines with examples, never option types', async () => {
    const { router } = testApp();
    for (const command of commands) {
      const text = (await router.handle(textInvocation(`/help ${command.name}`))).text ?? '';
      expect(text).not.toMatch(TYPE_NAMES);
      for (const sub of command.subcommands ?? []) expect(usage(command, sub)).not.toMatch(TYPE_NAMES);
    }
    const learn = (await router.handle(textInvocation('/help learn'))).text;
    expect(learn).toContain('`/learn [topic:hungary-1956] [detail:short|full]`');
    const settings = (await router.handle(textInvocation('/help settings'))).text;
    expect(settings).toContain('`/settings timezone timezone:Europe/Berlin`');
    expect(settings).toContain('`/settings host-role role:@teachers`');
    expect(settings).toContain('`/settings host-add user:@maria`');
  });

  it('answers an unknown command with the list of commands', async () => {
    const { router } = testApp();
    const out = await router.handle(textInvocation('/help bogus'));
    expect(out.ephemeral).toBe(true);
    expect(out.text).toMatch(/^There is no `\/bogus` command\. Here is what thawbot can do:\n\n/);
    for (const c of commands) expect(out.text).toContain(`- \`/${c.name}\`:`);
    const near = await router.handle(textInvocation('/help quzi'));
    expect(near.text).toMatch(/^There is no `\/quzi` command\. Did you mean `\/quiz`\? Here is what/);
  });
});

describe('values as people type them', () => {
  it('/onthisday reads October 23, 23 October, 23.10. and 23-10 as the same day', async () => {
    const { router } = testApp({ content: loadContent(REAL_CONTENT) });
    for (const date of ['October 23', '23 October', '23.10.', '23-10', '10-23', 'date:Oct 23rd']) {
      const out = await router.handle(textInvocation(`/onthisday ${date}`));
      expect(out.ephemeral, date).toBeFalsy();
      expect(out.title, date).toBe('On this day: 23 October');
    }
  });

  it('refuses what it cannot read with the forms it takes and an example usage', async () => {
    const { router } = testApp();
    const date = await router.handle(textInvocation('/onthisday 13-13'));
    expect(date.text).toBe(
      '`date`: "13-13" is not a date I can read: there is no month 13; write it like 10-23, 23 October or October 23.\n\nUsage: `/onthisday [date:10-23]`',
    );
    const time = await router.handle(textInvocation('/daily subscribe time:25:99', actor('host')));
    expect(time.text).toBe(
      '`time`: "25:99" is not a time of day (hours go up to 23 and minutes go up to 59); write it like 08:00, 8am or 9:30 pm.\n\nUsage: `/daily subscribe time:08:00 [timezone:Europe/Berlin] [days:every|weekdays]`',
    );
  });

  it('never ends a refusal with doubled punctuation', async () => {
    const { router } = testApp();
    for (const line of [
      '/settings timezone timezone:Europe/Dubln',
      '/settings timezone zone:Foo',
      '/daily subscribe time:08:00 timezone:Mars/Olympus',
      '/daily subscribe time:8',
      '/onthisday Octember 5',
      '/onthisday 02-30',
      '/reading expertise',
      '/learn detail:long',
    ]) {
      const text = (await router.handle(textInvocation(line, actor('admin')))).text ?? '';
      const message = text.split('\n\nUsage:')[0] ?? '';
      expect(message, line).not.toMatch(/[.?!:;,]\s*[.?!]$/);
      expect(message, line).toMatch(/[.?!]$/);
    }
  });
});
